from __future__ import annotations

import importlib
import importlib.util

from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured

EVENT_HANDLERS: tuple[str, ...] = (
    "dossiers.notifications.on_dossier_changed",
    "dossiers.api.lookup.forget_lookup",
)
"""The listeners of ``dossiers.events.DossierChanged``, as ``module.function``, in the order they
run after each committed change (those marked ``dossiers.events.in_transaction``, which only
queue a job, run inside the change's transaction instead). A listed module that is not
installed is skipped (the notifications module is optional in a bare checkout); a module that
exists without the named function is a configuration error."""


class DossiersConfig(AppConfig):
    name = "dossiers"
    verbose_name = "Hồ sơ thủ tục hành chính"

    def ready(self) -> None:
        from dossiers.events import subscribe

        for path in EVENT_HANDLERS:
            module_name, _, attribute = path.rpartition(".")
            if importlib.util.find_spec(module_name) is None:
                continue
            handler = getattr(importlib.import_module(module_name), attribute, None)
            if not callable(handler):
                raise ImproperlyConfigured(f"dossier event handler {path} does not exist")
            subscribe(handler)
