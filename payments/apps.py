from __future__ import annotations

from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = "Phí, lệ phí và thanh toán"

    def ready(self) -> None:
        from payments import checks  # noqa: F401  (registers the start-up checks)
