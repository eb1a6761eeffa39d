"""Reads of the calendar that are more than a filter: what a stretch of days holds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from workcalendar.snapshot import CalendarEntry, current_snapshot


@dataclass(frozen=True, slots=True)
class WorkingDaysInRange:
    """The days off and make-up days between two dates, and how many working days that leaves."""

    date_from: dt.date
    date_to: dt.date
    working_days: int
    days: list[CalendarEntry]


def working_days_in_range(*, date_from: dt.date, date_to: dt.date) -> WorkingDaysInRange:
    """Both ends included. Read from the same cached calendar the clock uses, so the figures
    agree with every deadline (including the holidays.VN stand-in for a year nobody seeded)."""
    if date_to < date_from:
        raise ValueError("date_to is before date_from")
    calendar = current_snapshot()
    return WorkingDaysInRange(
        date_from=date_from,
        date_to=date_to,
        working_days=calendar.count(date_from.toordinal() - 1, date_to.toordinal()),
        days=calendar.entries(date_from, date_to),
    )
