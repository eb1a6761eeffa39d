"""Agency identifier codes: QCVN 102:2016/BTTTT and Decision 20/2020/QĐ-TTg.

QCVN 102 writes four fixed groups with the level-1 unit on the right:
``V1V2V3.Z1Z2.Y1Y2.MX1X2`` (``000.00.31.H40``: unit 31 directly under province
H40). Decision 20/2020 writes the same path from the left, level-1 first, with
no zero-filled groups: ``H40.31``. congso stores both and checks that they name
the same unit.

A Decision-20 code has a QCVN-102 form only when its lower groups fit the fixed
widths (2, 2 and 3 digits, never all zeros); deeper or wider paths (a province
with more than 99 level-2 units, for instance) exist in the Decision-20 form
only, and their QCVN-102 field stays empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

QCVN102_RE = re.compile(r"^(\d{3})\.(\d{2})\.(\d{2})\.([A-Y]\d{2})$")
EDOC_RE = re.compile(r"^[A-Y]\d{2}(\.[0-9A-Z]+)*$")
LEVEL1_RE = re.compile(r"^[A-Y]\d{2}$")
EDOC_MAX_LENGTH = 35
# Widths of the level-2, level-3 and level-4 groups in the QCVN 102 form.
QCVN102_WIDTHS = (2, 2, 3)


def validate_qcvn102_code(value: str) -> None:
    match = QCVN102_RE.match(value)
    if not match:
        raise ValidationError(
            _("Mã QCVN 102 phải có dạng 000.00.31.H40 (bốn nhóm, cấp 1 ở bên phải)."),
            code="invalid_qcvn102",
        )
    level4, level3, level2, _level1 = match.groups()
    # A lower level cannot be filled while the level above it is empty.
    filled = [int(group) != 0 for group in (level2, level3, level4)]
    if any(later and not earlier for earlier, later in pairwise(filled)):
        raise ValidationError(
            _(
                "Mã QCVN 102 %(code)s không hợp lệ: một cấp dưới không thể có số khi cấp trên "
                "của nó để trống (00)."
            )
            % {"code": value},
            code="invalid_qcvn102_levels",
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


def validate_level1_code(value: str) -> None:
    if not LEVEL1_RE.match(value):
        raise ValidationError(
            _("Mã cấp 1 phải gồm một chữ cái từ A đến Y và hai chữ số (ví dụ H40)."),
            code="invalid_level1",
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
    """The QCVN 102 form of a Decision-20 code, or None when it does not fit the four groups.

    Lower groups must have exactly the QCVN widths (``H40.31.05``), so that the
    conversion goes both ways: ``H40.1`` or ``H40.100`` have no QCVN 102 form.
    """
    validate_edoc_code(code)
    groups = code.split(".")
    lower = groups[1:]
    if len(lower) > len(QCVN102_WIDTHS):
        return None
    padded: list[str] = []
    for width, group in zip(QCVN102_WIDTHS, lower, strict=False):
        if not group.isdigit() or len(group) != width or int(group) == 0:
            return None
        padded.append(group)
    while len(padded) < len(QCVN102_WIDTHS):
        padded.append("0" * QCVN102_WIDTHS[len(padded)])
    level2, level3, level4 = padded
    return f"{level4}.{level3}.{level2}.{groups[0]}"


def validate_code_pair(*, qcvn_code: str, edoc_code: str) -> None:
    """Both codes of one agency must name the same unit (QCVN 102 may be empty)."""
    if not qcvn_code or not edoc_code:
        return
    try:
        expected = qcvn102_to_edoc(qcvn_code)
    except ValueError:
        return  # the field validator reports the malformed code
    if expected != edoc_code:
        raise ValidationError(
            {
                "edoc_code": ValidationError(
                    _("Mã định danh %(edoc)s không khớp với mã QCVN 102 %(qcvn)s (phải là %(expected)s).")
                    % {"edoc": edoc_code, "qcvn": qcvn_code, "expected": expected},
                    code="code_mismatch",
                )
            }
        )


@dataclass(frozen=True)
class AgencyCode:
    """The two written forms of one agency identifier; ``qcvn`` is empty when it has none."""

    edoc: str
    qcvn: str

    @classmethod
    def for_level1(cls, level1: str) -> AgencyCode:
        validate_level1_code(level1)
        return cls(edoc=level1, qcvn=f"000.00.00.{level1}")

    @property
    def level(self) -> int:
        return self.edoc.count(".") + 1

    def child(self, number: int) -> AgencyCode:
        """The code of unit ``number`` directly under this one.

        Numbers are written with the width of the QCVN group of that level
        (``H40`` → ``H40.07``; ``H40.07`` → ``H40.07.01``); a number too wide for
        it keeps its digits and gets no QCVN 102 form.
        """
        if number < 1:
            raise ValueError("agency numbers start at 1")
        depth = self.level  # index of the child's group among the lower groups
        width = QCVN102_WIDTHS[depth - 1] if depth <= len(QCVN102_WIDTHS) else 2
        edoc = f"{self.edoc}.{number:0{width}d}"
        validate_edoc_code(edoc)
        return AgencyCode(edoc=edoc, qcvn=edoc_to_qcvn102(edoc) or "")
