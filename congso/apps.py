from django.apps import AppConfig


class CongsoConfig(AppConfig):
    """Project-level commands (load_demo, demo_logins); no models."""

    name = "congso"
    verbose_name = "congso"
