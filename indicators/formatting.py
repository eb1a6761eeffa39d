"""Figures written the way Vietnamese briefings write them: "47,13%", "1.462", "1.500.000 đ".

One function for the pages, the Excel sheets' text cells and the PDF briefing, so the three say
the same thing for the same figure.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from indicators.models import Indicator, IndicatorStatus, Unit

UNIT_SUFFIX = {
    Unit.PERCENT: "%",
    Unit.MONEY: " đ",
    Unit.DAYS: " ngày",
    Unit.PER_100: "/100 dân",
    Unit.POINTS: " điểm",
    Unit.COUNT: "",
}


def rounded(value: Decimal, decimals: int) -> Decimal:
    """``value`` rounded half up to ``decimals`` places (as the figures are read out)."""
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def number(value: Decimal | int | None, decimals: int = 0) -> str:
    """1462 → "1.462"; Decimal("47.125"), 2 → "47,13"; None → "—"."""
    if value is None:
        return "—"
    amount = rounded(Decimal(value), max(decimals, 0))
    sign = "-" if amount < 0 else ""
    whole, _dot, fraction = f"{abs(amount):f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{sign}{grouped},{fraction}" if fraction else f"{sign}{grouped}"


def decimals_of(indicator: Indicator) -> int:
    """Counts are whole numbers whatever the catalogue says; other units keep their decimals."""
    return 0 if indicator.unit == Unit.COUNT else int(indicator.decimals)


def value_text(indicator: Indicator, value: Decimal | None) -> str:
    """A figure with its unit: "47,13%", "1.462", "12,5 ngày"; "—" when there is none."""
    if value is None:
        return "—"
    return number(value, decimals_of(indicator)) + UNIT_SUFFIX.get(Unit(indicator.unit), "")


def change_text(indicator: Indicator, change: Decimal | None) -> str:
    """A difference with its sign: "+2,10 điểm %" for percentages (percentage points), "−15" else."""
    if change is None:
        return "—"
    sign = "+" if change > 0 else ("−" if change < 0 else "±")
    body = number(abs(change), decimals_of(indicator))
    if indicator.unit == Unit.PERCENT:
        return f"{sign}{body} {_('điểm %')}"
    return f"{sign}{body}{UNIT_SUFFIX.get(Unit(indicator.unit), '')}"


def status_label(status: str) -> str:
    try:
        return str(IndicatorStatus(status).label)
    except ValueError:
        return status
