"""Agency identifier codes: QCVN 102:2016/BTTTT and Decision 20/2020/QĐ-TTg.

QCVN 102 writes four fixed groups with the level-1 unit on the right:
``V1V2V3.Z1Z2.Y1Y2.MX1X2`` (``000.00.31.H40``: unit 31 directly under province
H40). Decision 20/2020 writes the same path from the left, level-1 first, with
no zero-filled groups: ``H40.31``. congso stores both and checks that they name
the same unit.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

QCVN102_RE = re.compile(r"^(\d{3})\.(\d{2})\.(\d{2})\.([A-Y]\d{2})$")
EDOC_RE = re.compile(r"^[A-Y]\d{2}(\.[0-9A-Z]+)*$")
EDOC_MAX_LENGTH = 35


def validate_qcvn102_code(value: str) -> None:
    if not QCVN102_RE.match(value):
        raise ValidationError(
            _("Mã QCVN 102 phải có dạng 000.00.31.H40 (bốn nhóm, cấp 1 ở bên phải)."),
            code="invalid_qcvn102",
        )


def validate_edoc_code(value: str) -> None:
    if len(value) > EDOC_MAX_LENGTH or not EDOC_RE.match(value):
        raise ValidationError(
            _(
                "Mã định danh theo Quyết định 20/2020 tối đa 35 ký tự, chỉ gồm chữ hoa, "
                "chữ số và dấu chấm, bắt đầu bằng mã cấp 1 (ví dụ H40.31)."
            ),
            code="invalid_edoc",
        )


def qcvn102_to_edoc(code: str) -> str:
    """``000.00.31.H40`` → ``H40.31``; ``000.05.31.H40`` → ``H40.31.05``."""
    match = QCVN102_RE.match(code)
    if not match:
        raise ValueError(f"not a QCVN 102 code: {code!r}")
    level4, level3, level2, level1 = match.groups()
    groups = [level1]
    for group in (level2, level3, level4):
        if int(group) == 0:
            break
        groups.append(group)
    return ".".join(groups)


def edoc_to_qcvn102(code: str) -> str | None:
    """The QCVN 102 form of a Decision-20 code, when it fits the four fixed groups."""
    validate_edoc_code(code)
    groups = code.split(".")
    if len(groups) > 4:
        return None
    widths = (2, 2, 3)
    lower = groups[1:]
    padded: list[str] = []
    for width, group in zip(widths, lower, strict=False):
        if not group.isdigit() or len(group) > width:
            return None
        padded.append(group.zfill(width))
    while len(padded) < 3:
        padded.append("0" * widths[len(padded)])
    level2, level3, level4 = padded
    return f"{level4}.{level3}.{level2}.{groups[0]}"
