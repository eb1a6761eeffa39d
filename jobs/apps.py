from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    """The background-job queue behind ``congso.jobs`` (see that module)."""

    name = "jobs"
    verbose_name = _("Việc chạy nền")

    def ready(self) -> None:
        from jobs import checks  # noqa: F401  (registers the system checks)
