"""Start-up checks: a switched-on backend that is not configured stops ``manage.py check``."""

from __future__ import annotations

import importlib.util
from typing import Any

from django.core.checks import CheckMessage, Error, register
from django.core.exceptions import ImproperlyConfigured

from congso.jobs import backend


@register()
def jobs_backend_configured(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    try:
        chosen = backend()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="jobs.E001")]
    if chosen == "celery" and importlib.util.find_spec("celery") is None:
        return [Error("JOBS_BACKEND=celery but the celery package is not installed", id="jobs.E002")]
    return []
