"""Vietnamese formatting for the portal's pages: money in đồng, dates dd/mm/yyyy, time limits.

``{% load vn_format %}`` then ``{{ fee.counter_amount|vnd }}``, ``{{ day|vn_date }}``,
``{{ version|processing_time }}``, ``{{ event.at|vn_datetime }}``, ``{{ file.size|file_size }}``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import template
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def vnd(amount: int | Decimal | None) -> str:
    """1500000 → "1.500.000 đ"; 0 → "Miễn phí"; nothing → ""."""
    if amount is None or amount == "":
        return ""
    value = int(Decimal(amount).quantize(Decimal(1)))
    if value == 0:
        return _("Miễn phí")
    sign = "-" if value < 0 else ""
    return f"{sign}{abs(value):,} đ".replace(",", ".")


@register.filter
def vn_date(day: dt.date | dt.datetime | None) -> str:
    """A date as the administration writes it: 01/07/2025."""
    if not day:
        return ""
    if isinstance(day, dt.datetime):
        day = timezone.localtime(day) if timezone.is_aware(day) else day
    return day.strftime("%d/%m/%Y")


@register.filter
def processing_time(version: Any) -> str:
    """A procedure version's time limit in words: "10 ngày làm việc", "0,5 ngày làm việc"."""
    amount = Decimal(version.processing_time)
    whole = amount == amount.to_integral_value()
    number = number_format(int(amount) if whole else amount.normalize(), use_l10n=True)
    return f"{number} {version.get_processing_time_unit_display()}"


@register.filter
def vn_datetime(instant: dt.datetime | None) -> str:
    """An instant as the administration writes it, in Vietnam's time: 14:05 08/09/2025."""
    if not instant:
        return ""
    local = timezone.localtime(instant) if timezone.is_aware(instant) else instant
    return local.strftime("%H:%M %d/%m/%Y")


@register.filter
def file_size(size: int | None) -> str:
    """A file's size as people read it: "1,5 MB", "500 KB"."""
    if size is None:
        return ""
    if size < 1024:
        return f"{size} byte"
    if size >= 1024 * 1024:
        value, unit = size / (1024 * 1024), "MB"
    else:
        value, unit = size / 1024, "KB"
    return f"{round(value, 1):g}".replace(".", ",") + f" {unit}"
