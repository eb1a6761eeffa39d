"""Deadlines as Vietnamese notices write them, normalised to a date, a schedule or "regular".

Recognised (case and accents as written; the year may be omitted when the notice's own year is
meant, and "năm 2024" may be written "/2024"):

* a day: "trước ngày 30/6/2024", "trước ngày 30 tháng 6 năm 2024", "chậm nhất ngày 15/7/2024",
  "hoàn thành trước 30/6/2024", "trình UBND tỉnh xem xét trước ngày 30/6/2024";
* a month: "trong tháng 6/2024", "hoàn thành trong tháng 6 năm 2024" → its last day;
* a quarter: "trong quý II/2024", "quý IV năm 2023" → its last day;
* a half-year: "6 tháng đầu năm 2024" → 30/6; "6 tháng cuối năm 2024" → 31/12;
* a year: "trong năm 2024", "hoàn thành năm 2024", "cuối năm 2024" → 31/12;
* working days: "trong 10 ngày làm việc", "trong vòng 05 ngày làm việc" (counted from the day the
  task is assigned);
* a schedule: "hằng tháng" / "hàng tháng" (optionally "trước ngày 20 hằng tháng"), "hằng quý",
  "6 tháng một lần", "hằng năm", "hằng tuần";
* "thường xuyên" (regular, no date) — but not "nhiệm vụ thường xuyên", which names a kind of task.

A stated day wins over a month, a month over a quarter, a quarter over a half-year, a half-year
over a year; a schedule is kept alongside (its first occurrence is the stated day when any).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from directives.models import DeadlineKind, Recurrence

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_YEAR = r"(?:\s*(?:/|năm)\s*(?P<year>\d{4}))?"

_DAY = re.compile(
    r"(?P<lead>trước|chậm nhất|muộn nhất|hạn chót|hoàn thành|xong)\s+(?:là\s+)?(?:ngày\s+)?"
    r"(?P<day>\d{1,2})\s*(?:/|-|\s+tháng\s+)\s*(?P<month>\d{1,2})"
    r"(?:\s*(?:/|-|\s+năm\s+)\s*(?P<year>\d{4}))?",
    re.IGNORECASE,
)
_MONTH = re.compile(
    r"(?:trong|hoàn thành|trước hết|cuối)\s+tháng\s+(?P<month>\d{1,2})" + _YEAR, re.IGNORECASE
)
_QUARTER = re.compile(
    r"(?:trong\s+|hoàn thành\s+|cuối\s+)?quý\s+(?P<q>IV|III|II|I|[1-4])\b" + _YEAR, re.IGNORECASE
)
_HALF = re.compile(r"6\s+tháng\s+(?P<half>đầu|cuối)\s+năm" + r"(?:\s+(?P<year>\d{4}))?", re.IGNORECASE)
_YEAR_END = re.compile(
    r"(?:trong|hoàn thành(?:\s+trong)?|cuối|trước cuối|ngay trong)\s+năm\s+(?P<year>\d{4})", re.IGNORECASE
)
_WORKING_DAYS = re.compile(
    r"trong\s+(?:vòng\s+|thời hạn\s+)?(?P<n>\d{1,3})\s+ngày\s+làm\s+việc", re.IGNORECASE
)
_SCHEDULES: tuple[tuple[re.Pattern[str], Recurrence], ...] = (
    (re.compile(r"\bh[ằà]ng\s+tuần\b", re.IGNORECASE), Recurrence.WEEKLY),
    (re.compile(r"\bh[ằà]ng\s+tháng\b|\bđịnh kỳ\s+tháng\b", re.IGNORECASE), Recurrence.MONTHLY),
    (re.compile(r"\bh[ằà]ng\s+quý\b|\bđịnh kỳ\s+(?:hằng\s+)?quý\b", re.IGNORECASE), Recurrence.QUARTERLY),
    (
        re.compile(r"\b6\s+tháng\s+(?:một|1)\s+lần\b|\bđịnh kỳ\s+6\s+tháng\b", re.IGNORECASE),
        Recurrence.HALF_YEARLY,
    ),
    (re.compile(r"\bh[ằà]ng\s+năm\b|\bđịnh kỳ\s+(?:hằng\s+)?năm\b", re.IGNORECASE), Recurrence.YEARLY),
)
_MONTHLY_DAY = re.compile(r"(?:trước\s+)?ngày\s+(?P<day>\d{1,2})\s+h[ằà]ng\s+tháng", re.IGNORECASE)
_REGULAR = re.compile(r"(?<!nhiệm vụ )\bthường xuyên\b", re.IGNORECASE)


@dataclass(frozen=True)
class Deadline:
    """A normalised deadline: what kind, which day, which schedule, and the words it came from."""

    kind: DeadlineKind
    due_on: dt.date | None = None
    recurrence: str = ""
    recurrence_day: int | None = None
    working_days: int | None = None
    text: str = ""

    @property
    def stated(self) -> bool:
        """Whether the notice states it (a date, a schedule or working days), not "regular"."""
        return self.kind != DeadlineKind.REGULAR or self.working_days is not None


REGULAR = Deadline(kind=DeadlineKind.REGULAR)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _year(raw: str | None, reference: dt.date) -> int:
    return int(raw) if raw else reference.year


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _dated(text: str, reference: dt.date) -> tuple[dt.date, str] | None:
    """The most precise stated day in ``text`` (the earliest when several are as precise)."""
    days = []
    for match in _DAY.finditer(text):
        year = _year(match["year"], reference)
        day = _safe_date(year, int(match["month"]), int(match["day"]))
        if day is not None and not match["year"] and day < reference:
            day = _safe_date(year + 1, int(match["month"]), int(match["day"]))
        if day is not None:
            days.append((day, match.group(0)))
    if days:
        return min(days)
    months = [
        (_month_end(_year(m["year"], reference), int(m["month"])), m.group(0))
        for m in _MONTH.finditer(text)
        if 1 <= int(m["month"]) <= 12
    ]
    if months:
        return min(months)
    quarters = [
        (_month_end(_year(m["year"], reference), 3 * _ROMAN[m["q"].lower()]), m.group(0))
        for m in _QUARTER.finditer(text)
    ]
    if quarters:
        return min(quarters)
    halves = [
        (_month_end(_year(m["year"], reference), 6 if m["half"].lower() == "đầu" else 12), m.group(0))
        for m in _HALF.finditer(text)
    ]
    if halves:
        return min(halves)
    years = [(dt.date(int(m["year"]), 12, 31), m.group(0)) for m in _YEAR_END.finditer(text)]
    if years:
        return min(years)
    return None


def parse_deadline(text: str, *, reference: dt.date) -> Deadline:
    """The deadline ``text`` states, read on the notice's date ``reference``; "regular" when none."""
    schedule = next(((pattern, rec) for pattern, rec in _SCHEDULES if pattern.search(text)), None)
    dated = _dated(text, reference)
    if schedule is not None:
        pattern, recurrence = schedule
        day_match = _MONTHLY_DAY.search(text) if recurrence == Recurrence.MONTHLY else None
        words = pattern.search(text)
        phrase = day_match.group(0) if day_match else (words.group(0) if words else "")
        recurrence_day = int(day_match["day"]) if day_match else None
        first = dated[0] if dated else first_occurrence(recurrence, after=reference, day=recurrence_day)
        return Deadline(
            kind=DeadlineKind.RECURRING,
            due_on=first,
            recurrence=recurrence,
            recurrence_day=recurrence_day,
            text=phrase,
        )
    if dated is not None:
        return Deadline(kind=DeadlineKind.DATE, due_on=dated[0], text=dated[1])
    working = _WORKING_DAYS.search(text)
    if working is not None:
        return Deadline(kind=DeadlineKind.DATE, working_days=int(working["n"]), text=working.group(0))
    regular = _REGULAR.search(text)
    if regular is not None:
        return Deadline(kind=DeadlineKind.REGULAR, text=regular.group(0))
    return REGULAR


def period_end(recurrence: str, start: dt.date, *, day: int | None = None) -> dt.date:
    """The due day of the period of ``recurrence`` that contains ``start``."""
    if recurrence == Recurrence.WEEKLY:
        return start + dt.timedelta(
            days=4 - start.weekday() if start.weekday() <= 4 else 11 - start.weekday()
        )
    if recurrence == Recurrence.MONTHLY:
        if day is not None:
            return (
                _safe_date(start.year, start.month, min(day, calendar.monthrange(start.year, start.month)[1]))
                or start
            )
        return _month_end(start.year, start.month)
    if recurrence == Recurrence.QUARTERLY:
        return _month_end(start.year, ((start.month - 1) // 3 + 1) * 3)
    if recurrence == Recurrence.HALF_YEARLY:
        return _month_end(start.year, 6 if start.month <= 6 else 12)
    if recurrence == Recurrence.YEARLY:
        return dt.date(start.year, 12, 31)
    raise ValueError(f"unknown recurrence {recurrence!r}")


def first_occurrence(recurrence: str, *, after: dt.date, day: int | None = None) -> dt.date:
    """The first due day of ``recurrence`` on or after ``after``."""
    due = period_end(recurrence, after, day=day)
    if due < after:
        due = next_occurrence(recurrence, due, day=day)
    return due


def next_occurrence(recurrence: str, due_on: dt.date, *, day: int | None = None) -> dt.date:
    """The due day of the period after the one that ends on ``due_on``."""
    if recurrence == Recurrence.WEEKLY:
        return due_on + dt.timedelta(days=7)
    months = {
        Recurrence.MONTHLY: 1,
        Recurrence.QUARTERLY: 3,
        Recurrence.HALF_YEARLY: 6,
        Recurrence.YEARLY: 12,
    }.get(Recurrence(recurrence))
    if months is None:
        raise ValueError(f"unknown recurrence {recurrence!r}")
    index = due_on.year * 12 + due_on.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    if recurrence == Recurrence.MONTHLY and day is not None:
        return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))
    return _month_end(year, month)
