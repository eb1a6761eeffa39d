"""Template helpers of the report and target pages: ``{% load indicator_reports %}`` then
``{{ value|indicator_value:indicator }}`` ("47,13%", "1.462", "—")."""

from __future__ import annotations

from decimal import Decimal

from django import template

from indicators.formatting import number, value_text
from indicators.models import Indicator, Period
from indicators.report_selectors import period_in_text as _period_in_text

register = template.Library()


def _figure(value: object) -> Decimal | None:
    # A missing figure reaches a filter as None, or as "" when the template looked it up on an
    # object that is not there (``row.target.value`` without a target).
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    return None


@register.filter
def indicator_value(value: object, indicator: Indicator) -> str:
    return value_text(indicator, _figure(value))


@register.filter
def plain_number(value: object) -> str:
    """A figure without unit, as many decimals as it has (up to 4): "1.462", "3.406,5"."""
    value = _figure(value)
    if value is None:
        return "—"
    shown = number(value, 0 if value == value.to_integral_value() else 4)
    return shown.rstrip("0").rstrip(",") if "," in shown else shown


@register.filter
def period_in_text(period: Period) -> str:
    """ "năm 2026", "quý III/2026": a period's label inside a sentence."""
    return _period_in_text(period)
