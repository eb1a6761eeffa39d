"""The sandbox bank must never run in production."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, register

from sandbox_gateway.conf import sandbox_enabled


@register()
def sandbox_off_in_production(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from django.conf import settings

    if sandbox_enabled() and bool(getattr(settings, "PRODUCTION", False)):
        return [
            Error(
                "SANDBOX_GATEWAY_ENABLED=true is refused when CONGSO_PRODUCTION=true: the sandbox "
                "confirms payments that no bank made.",
                id="sandbox_gateway.E001",
            )
        ]
    return []
