"""Start-up checks: online payment switched on but not configured stops ``manage.py check``."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, register

from payments import conf
from payments.gateways import vnpay


@register()
def payment_gateway_configured(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    name = conf.gateway_name()
    if name not in conf.GATEWAYS:
        return [
            Error(
                f"PAYMENT_GATEWAY must be one of {', '.join(conf.GATEWAYS)}, got {name!r}", id="payments.E002"
            )
        ]
    if name == conf.GATEWAY_VNPAY:
        missing = vnpay.config().missing()
        if missing:
            return [
                Error(
                    "PAYMENT_GATEWAY=vnpay but these settings are empty: " + ", ".join(missing),
                    hint="Set them in the environment, or PAYMENT_GATEWAY=off.",
                    id="payments.E001",
                )
            ]
    return []
