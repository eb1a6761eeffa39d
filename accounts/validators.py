"""Validation of Vietnamese personal identifiers."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Province-of-registration codes used in the first three digits of the 12-digit
# personal identification number (Circular 59/2021/TT-BCA, Appendix: the 63
# pre-2025 provinces; numbers already issued keep their code after the merger).
PROVINCE_CODES = frozenset(
    {
        1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31,
        33, 34, 35, 36, 37, 38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60,
        62, 64, 66, 67, 68, 70, 72, 74, 75, 77, 79, 80, 82, 83, 84, 86, 87, 89, 91,
        92, 93, 94, 95, 96,
    }
)  # fmt: skip

NATIONAL_ID_RE = re.compile(r"^\d{12}$")
PHONE_RE = re.compile(r"^(?:\+84|0)(?:3|5|7|8|9|2\d)\d{8}$")


def validate_national_id(value: str) -> None:
    """A 12-digit số định danh cá nhân: province code, century/sex digit, birth year."""
    if not NATIONAL_ID_RE.match(value):
        raise ValidationError(_("Số định danh cá nhân phải gồm đúng 12 chữ số."), code="format")
    if int(value[:3]) not in PROVINCE_CODES:
        raise ValidationError(
            _("Ba chữ số đầu của số định danh cá nhân không phải mã tỉnh hợp lệ."),
            code="province",
        )


def validate_phone(value: str) -> None:
    normalised = value.replace(" ", "").replace(".", "")
    if not PHONE_RE.match(normalised):
        raise ValidationError(
            _("Số điện thoại không hợp lệ (ví dụ 0912345678 hoặc +84912345678)."), code="phone"
        )
