"""``SANDBOX_GATEWAY_ENABLED``: whether the local bank answers (default: on outside production)."""

from __future__ import annotations

from django.conf import settings


def sandbox_enabled() -> bool:
    default = not bool(getattr(settings, "PRODUCTION", False))
    return bool(getattr(settings, "SANDBOX_GATEWAY_ENABLED", default))
