from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """The outbox: e-mails and SMS to citizens and civil servants, sent in the background."""

    name = "notifications"
    verbose_name = _("Thông báo")

    def ready(self) -> None:
        from notifications import checks  # noqa: F401  (registers the system checks)
