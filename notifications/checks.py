"""Start-up checks of the outbox's channels."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register

from notifications.sms import sms_backend


@register()
def sms_backend_configured(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    try:
        sms_backend()
    except Exception as exc:
        return [Error(f"SMS_BACKEND cannot be used: {exc}", id="notifications.E001")]
    return []


@register()
def email_sender_configured(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if getattr(settings, "PRODUCTION", False) and str(settings.DEFAULT_FROM_EMAIL).endswith("@localhost"):
        return [
            Warning(
                "DEFAULT_FROM_EMAIL is still Django's webmaster@localhost: citizens would receive mail "
                "from an address nobody reads",
                id="notifications.W001",
            )
        ]
    return []
