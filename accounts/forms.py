"""Forms of the account pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from accounts.validators import validate_national_id, validate_phone


class RegistrationForm(forms.Form):
    """A citizen's self-registration; ``accounts.services.citizen_register`` has the last word."""

    full_name = forms.CharField(
        label=_("Họ và tên"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    national_id = forms.CharField(
        label=_("Số định danh cá nhân (số căn cước)"),
        max_length=12,
        min_length=12,
        validators=[validate_national_id],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "username"}),
        help_text=_("12 chữ số, in trên thẻ căn cước; dùng làm tên đăng nhập."),
        error_messages={
            "min_length": _("Số định danh cá nhân phải gồm đúng 12 chữ số."),
            "max_length": _("Số định danh cá nhân phải gồm đúng 12 chữ số."),
        },
    )
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=16,
        validators=[validate_phone],
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ (ví dụ ten@example.vn).")},
        help_text=_("Không bắt buộc; dùng để nhận thông báo về hồ sơ."),
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password_again = forms.CharField(
        label=_("Nhập lại mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password, again = data.get("password"), data.get("password_again")
        if password and again and password != again:
            self.add_error("password_again", _("Hai lần nhập mật khẩu không khớp nhau."))
        return data
