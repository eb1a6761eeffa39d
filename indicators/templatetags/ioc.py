"""Template helpers of the operations centre: ``{% load ioc %}`` then ``{{ figure|fig_value }}``,
``{{ figure|fig_target }}``, ``{{ row.change_previous|fig_change:row.indicator }}``,
``{{ figure.status|status_label }}``, ``{{ score.points|vn_number:2 }}``."""

from __future__ import annotations

from decimal import Decimal

from django import template

from indicators.formatting import change_text, number, value_text
from indicators.formatting import status_label as _status_label
from indicators.models import Indicator
from indicators.selectors import Figure

register = template.Library()


@register.filter
def fig_value(figure: Figure) -> str:
    return value_text(figure.indicator, figure.value)


@register.filter
def fig_target(figure: Figure) -> str:
    return value_text(figure.indicator, figure.target)


@register.filter
def fig_expected(figure: Figure) -> str:
    return value_text(figure.indicator, figure.expected)


@register.filter
def fig_change(change: Decimal | None, indicator: Indicator) -> str:
    return change_text(indicator, change)


@register.filter
def status_label(status: str) -> str:
    return _status_label(status)


@register.filter
def vn_number(value: Decimal | int | None, decimals: int = 0) -> str:
    return number(value, int(decimals))
