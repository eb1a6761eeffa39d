from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Tài khoản"

    def ready(self) -> None:
        # Registers the OpenAPI description of congso's authentication classes.
        from accounts.api import schema  # noqa: F401
