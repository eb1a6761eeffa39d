"""Checking the figures a unit reports, before anything is written.

One set of rules for the three ways figures arrive — the form on the page, the Excel template,
the API — so that each says the same thing about the same mistake, in Vietnamese, per field:

* a number is written with a decimal comma or point ("47,13", "47.13", "1462"; "47,13%" for a
  percentage), at most 4 decimal places;
* counts are whole numbers; nothing is negative unless the indicator says so; a percentage is at
  most 100 (the indicator's own ``min_value``/``max_value`` win when set);
* a ratio indicator (aggregation "ratio") needs its numerator and denominator, so the province
  can add them up (a true weighted ratio, never an average of percentages): the denominator is
  above 0, for a percentage the numerator is at most the denominator, and the value is derived
  from the two (numerator ÷ denominator × 100 for percentages and "per 100 people");
* an explanation (giải trình) is at most 1,000 characters.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from indicators.formatting import number
from indicators.models import Indicator, Unit

FIELDS = ("value", "numerator", "denominator", "comment")
MAX_DECIMALS = 4
MAX_ABS = Decimal(10) ** 16  # DecimalField(max_digits=20, decimal_places=4)
COMMENT_MAX = 1000
STORED = Decimal("0.0001")

FieldErrors = dict[str, list[str]]


@dataclass(frozen=True)
class CleanValue:
    """One indicator's figures once checked: what will be stored."""

    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    comment: str

    @property
    def is_empty(self) -> bool:
        return self.value is None and self.numerator is None and self.denominator is None and not self.comment


EMPTY = CleanValue(None, None, None, "")


def parse_number(raw: object) -> Decimal | None:
    """``raw`` (text typed by a person, a cell, a JSON number) as a Decimal; None when blank.

    Raises ValueError with the Vietnamese reason.
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueError(_("Phải là một số."))
    if isinstance(raw, int):
        parsed = Decimal(raw)
    elif isinstance(raw, float):
        parsed = Decimal(repr(raw))
    elif isinstance(raw, Decimal):
        parsed = raw
    elif isinstance(raw, str):
        text = raw.replace("\u00a0", "").replace(" ", "").strip()
        if not text:
            return None
        text = text.removesuffix("%")
        if "," in text:
            # Vietnamese writing: dots group thousands, the comma marks the decimals.
            text = text.replace(".", "").replace(",", ".")
        try:
            parsed = Decimal(text)
        except InvalidOperation:
            raise ValueError(_("“%(text)s” không phải là một số.") % {"text": raw.strip()[:40]}) from None
    else:
        raise ValueError(_("Phải là một số."))
    if not parsed.is_finite():
        raise ValueError(_("Phải là một số."))
    exponent = parsed.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_DECIMALS and parsed != parsed.quantize(STORED):
        raise ValueError(_("Chỉ ghi tối đa %(n)d chữ số thập phân.") % {"n": MAX_DECIMALS})
    if abs(parsed) >= MAX_ABS:
        raise ValueError(_("Số quá lớn."))
    return parsed.quantize(STORED)


def bounds(indicator: Indicator) -> tuple[Decimal | None, Decimal | None]:
    """The smallest and largest value the indicator allows."""
    lower = indicator.min_value if indicator.min_value is not None else Decimal(0)
    upper = indicator.max_value
    if upper is None and indicator.unit == Unit.PERCENT:
        upper = Decimal(100)
    return lower, upper


def scale(indicator: Indicator) -> Decimal:
    """What numerator ÷ denominator is multiplied by to give the value."""
    return Decimal(100) if indicator.unit in (Unit.PERCENT, Unit.PER_100) else Decimal(1)


def derived_value(indicator: Indicator, numerator: Decimal, denominator: Decimal) -> Decimal:
    return (numerator / denominator * scale(indicator)).quantize(STORED, rounding=ROUND_HALF_UP)


def _text(indicator: Indicator, value: Decimal) -> str:
    return plain(value) + ("%" if indicator.unit == Unit.PERCENT else "")


def plain(value: Decimal) -> str:
    """A figure without unit and without trailing zeros: "1.462", "47,13"."""
    shown = number(value, 0 if value == value.to_integral_value() else MAX_DECIMALS)
    return shown.rstrip("0").rstrip(",") if "," in shown else shown


def range_error(indicator: Indicator, value: Decimal) -> str | None:
    """Why ``value`` is out of the indicator's range, or None."""
    lower, upper = bounds(indicator)
    if lower is not None and value < lower:
        if lower == 0:
            return _("Không được là số âm.")
        return _("Không được nhỏ hơn %(min)s.") % {"min": _text(indicator, lower)}
    if upper is not None and value > upper:
        return _("Không được lớn hơn %(max)s.") % {"max": _text(indicator, upper)}
    return None


def clean_value(indicator: Indicator, raw: Mapping[str, object]) -> tuple[CleanValue, FieldErrors]:
    """Check one indicator's figures; the cleaned figures and the errors per field."""
    errors: FieldErrors = {}
    parsed: dict[str, Decimal | None] = {}
    for name in ("value", "numerator", "denominator"):
        try:
            parsed[name] = parse_number(raw.get(name))
        except ValueError as error:
            errors.setdefault(name, []).append(str(error))
            parsed[name] = None
    comment_raw = raw.get("comment")
    comment = "" if comment_raw is None else str(comment_raw).strip()
    if len(comment) > COMMENT_MAX:
        errors.setdefault("comment", []).append(
            _("Giải trình dài tối đa %(n)d ký tự (đang có %(len)d).")
            % {"n": COMMENT_MAX, "len": len(comment)}
        )
    value, numerator, denominator = parsed["value"], parsed["numerator"], parsed["denominator"]
    if indicator.is_ratio:
        value = _clean_ratio(indicator, numerator, denominator, value, errors)
    else:
        for name, given in (("numerator", numerator), ("denominator", denominator)):
            if given is not None and given < 0:
                errors.setdefault(name, []).append(_("Không được là số âm."))
    if value is not None and "value" not in errors:
        if indicator.unit == Unit.COUNT and value != value.to_integral_value():
            errors.setdefault("value", []).append(_("Số lượng phải là số nguyên."))
        elif (message := range_error(indicator, value)) is not None:
            field = "numerator" if indicator.is_ratio and numerator is not None else "value"
            if field == "numerator":
                message = _("Tỷ lệ tính ra là %(value)s: %(reason)s") % {
                    "value": _text(indicator, value),
                    "reason": message[0].lower() + message[1:],
                }
            errors.setdefault(field, []).append(message)
    return CleanValue(value, numerator, denominator, comment), errors


def _clean_ratio(
    indicator: Indicator,
    numerator: Decimal | None,
    denominator: Decimal | None,
    value: Decimal | None,
    errors: FieldErrors,
) -> Decimal | None:
    """Numerator and denominator of a ratio: both or neither; the value comes from them."""
    if numerator is None and denominator is None:
        if value is not None and "value" not in errors:
            errors.setdefault("numerator", []).append(
                _(
                    "Chỉ tiêu tỷ lệ cần tử số và mẫu số (để tỉnh cộng dồn các đơn vị), "
                    "không chỉ tỷ lệ phần trăm."
                )
            )
        return value
    if numerator is None:
        if "numerator" not in errors:
            errors.setdefault("numerator", []).append(_("Nhập tử số (đã có mẫu số)."))
        return None
    if denominator is None:
        if "denominator" not in errors:
            errors.setdefault("denominator", []).append(_("Nhập mẫu số (đã có tử số)."))
        return None
    if numerator < 0:
        errors.setdefault("numerator", []).append(_("Không được là số âm."))
    if denominator <= 0:
        errors.setdefault("denominator", []).append(_("Mẫu số phải lớn hơn 0."))
        return None
    if indicator.unit == Unit.PERCENT and numerator > denominator:
        errors.setdefault("numerator", []).append(
            _("Tử số (%(num)s) không được lớn hơn mẫu số (%(den)s).")
            % {"num": plain(numerator), "den": plain(denominator)}
        )
        return None
    if numerator < 0:
        return None
    return derived_value(indicator, numerator, denominator)


def input_text(value: Decimal | None) -> str:
    """A stored figure as a person would type it back: "47,13", "1462" (no grouping)."""
    if value is None:
        return ""
    text = (
        f"{value.normalize():f}" if value != value.to_integral_value() else f"{value.to_integral_value():f}"
    )
    return text.replace(".", ",")
