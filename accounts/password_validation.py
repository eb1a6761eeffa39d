"""Password rules with Vietnamese messages where Django's own Vietnamese catalogue has none.

Django 5 reworded the minimum-length message and its Vietnamese translation no longer matches,
so citizens would read it in English. settings.AUTH_PASSWORD_VALIDATORS names this class
instead of Django's.
"""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's minimum length; its error in Vietnamese (the help text is translated already)."""

    def get_error_message(self) -> str:
        return ngettext(
            "Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự.",
            "Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự.",
            self.min_length,
        ) % {"min_length": self.min_length}
