"""Reporting periods (kỳ báo cáo): months, quarters, and the cumulative 6-, 9- and 12-month periods
of the province's briefings ("6 tháng đầu năm", "9 tháng", "năm").

A ``Period`` row is made when first needed (``period_get``); the rows are unique per (kind, year,
number), so two callers asking for the same period share one row. Half-year and nine-month
periods run from 1 January (lũy kế từ đầu năm), as the briefings count them; there is only one
of each per year (number 1).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from django.db import IntegrityError, transaction
from django.utils import timezone

from indicators.models import Period, Periodicity

_KEY_RE = re.compile(r"^(?P<year>\d{4})(?:-(?P<rest>M\d{1,2}|Q[1-4]|H1|9M))?$")


def _bounds(kind: str, year: int, number: int) -> tuple[dt.date, dt.date]:
    """The first and last day of a period; ValueError (Vietnamese) for an impossible one."""
    if not 1900 <= year <= 2999:
        raise ValueError(f"Năm {year} không hợp lệ.")
    if kind == Periodicity.MONTH:
        if not 1 <= number <= 12:
            raise ValueError(f"Tháng {number} không hợp lệ (phải từ 1 đến 12).")
        last = calendar.monthrange(year, number)[1]
        return dt.date(year, number, 1), dt.date(year, number, last)
    if kind == Periodicity.QUARTER:
        if not 1 <= number <= 4:
            raise ValueError(f"Quý {number} không hợp lệ (phải từ 1 đến 4).")
        first_month = 3 * (number - 1) + 1
        last_month = first_month + 2
        return (
            dt.date(year, first_month, 1),
            dt.date(year, last_month, calendar.monthrange(year, last_month)[1]),
        )
    if kind in (Periodicity.HALF, Periodicity.NINE_MONTHS, Periodicity.YEAR):
        if number != 1:
            raise ValueError("Kỳ 6 tháng, 9 tháng và kỳ năm chỉ có số thứ tự 1 (lũy kế từ đầu năm).")
        end = {
            Periodicity.HALF: dt.date(year, 6, 30),
            Periodicity.NINE_MONTHS: dt.date(year, 9, 30),
            Periodicity.YEAR: dt.date(year, 12, 31),
        }[Periodicity(kind)]
        return dt.date(year, 1, 1), end
    raise ValueError(f"Loại kỳ “{kind}” không hợp lệ (tháng, quý, 6 tháng, 9 tháng, năm).")


def period_get(kind: str, year: int, number: int = 1) -> Period:
    """The period of ``kind`` numbered ``number`` in ``year``, created with its dates if new."""
    start, end = _bounds(kind, year, number)
    found = Period.objects.filter(kind=kind, year=year, number=number).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Period.objects.create(kind=kind, year=year, number=number, start=start, end=end)
    except IntegrityError:
        # Another request made it between our read and our insert.
        return Period.objects.get(kind=kind, year=year, number=number)


def period_from_key(key: str) -> Period:
    """The period a key names: "2026-Q3", "2026-M07", "2026-H1", "2026-9M", "2026"."""
    match = _KEY_RE.match((key or "").strip().upper())
    if match is None:
        raise ValueError(
            f"Kỳ “{key}” không hợp lệ. Dùng dạng 2026-M07 (tháng), 2026-Q3 (quý), "
            "2026-H1 (6 tháng), 2026-9M (9 tháng) hoặc 2026 (năm)."
        )
    year = int(match["year"])
    rest = match["rest"]
    if rest is None:
        return period_get(Periodicity.YEAR, year)
    if rest.startswith("M"):
        return period_get(Periodicity.MONTH, year, int(rest[1:]))
    if rest.startswith("Q"):
        return period_get(Periodicity.QUARTER, year, int(rest[1:]))
    if rest == "H1":
        return period_get(Periodicity.HALF, year)
    return period_get(Periodicity.NINE_MONTHS, year)


def period_containing(kind: str, day: dt.date) -> Period:
    """The period of ``kind`` that contains ``day``.

    Half-year and nine-month periods are cumulative from 1 January, so a day after 30 June (or
    30 September) lies in no such period of its year: ValueError then.
    """
    if kind == Periodicity.MONTH:
        return period_get(kind, day.year, day.month)
    if kind == Periodicity.QUARTER:
        return period_get(kind, day.year, (day.month - 1) // 3 + 1)
    start, end = _bounds(kind, day.year, 1)
    if not start <= day <= end:
        raise ValueError(
            f"Ngày {day:%d/%m/%Y} không thuộc kỳ {Periodicity(kind).label.lower()} nào "
            "(kỳ 6 tháng, 9 tháng tính từ đầu năm)."
        )
    return period_get(kind, day.year)


def period_last_closed(kind: str, today: dt.date | None = None) -> Period:
    """The latest period of ``kind`` that ended before ``today`` (the province's local date)."""
    today = today or timezone.localdate()
    if kind == Periodicity.MONTH:
        year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
        return period_get(kind, year, month)
    if kind == Periodicity.QUARTER:
        current = (today.month - 1) // 3 + 1
        if current == 1:
            return period_get(kind, today.year - 1, 4)
        return period_get(kind, today.year, current - 1)
    _start, end = _bounds(kind, today.year, 1)
    if end < today:
        return period_get(kind, today.year)
    return period_get(kind, today.year - 1)


def period_previous(period: Period) -> Period:
    """The period before: Q1/2026 → Q4/2025, T1/2026 → T12/2025; 6 months, 9 months, year → last year's."""
    if period.kind == Periodicity.MONTH:
        if period.number == 1:
            return period_get(period.kind, period.year - 1, 12)
        return period_get(period.kind, period.year, period.number - 1)
    if period.kind == Periodicity.QUARTER:
        if period.number == 1:
            return period_get(period.kind, period.year - 1, 4)
        return period_get(period.kind, period.year, period.number - 1)
    return period_get(period.kind, period.year - 1)


def period_same_last_year(period: Period) -> Period:
    """The same period one year earlier (cùng kỳ năm trước)."""
    return period_get(period.kind, period.year - 1, period.number)


def period_year(period: Period) -> Period:
    """The year that contains ``period``."""
    return period_get(Periodicity.YEAR, period.year)


def period_next(period: Period) -> Period:
    """The period after ``period`` (the inverse of ``period_previous``)."""
    if period.kind == Periodicity.MONTH:
        if period.number == 12:
            return period_get(period.kind, period.year + 1, 1)
        return period_get(period.kind, period.year, period.number + 1)
    if period.kind == Periodicity.QUARTER:
        if period.number == 4:
            return period_get(period.kind, period.year + 1, 1)
        return period_get(period.kind, period.year, period.number + 1)
    return period_get(period.kind, period.year + 1)
