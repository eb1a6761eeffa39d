from __future__ import annotations

from django.apps import AppConfig


class SandboxGatewayConfig(AppConfig):
    name = "sandbox_gateway"
    verbose_name = "Cổng thanh toán thử nghiệm"

    def ready(self) -> None:
        from sandbox_gateway import checks  # noqa: F401  (registers the start-up check)
