"""The calendar as the clock reads it: per-year tables of working days and the working hours,
loaded once per cache version.

Every write to the calendar (``workcalendar.services``) calls
:func:`calendar_cache_bump`, which stores a new random token under one key of
Django's cache. Each computation reads that token (one cache get) and reuses
the process-local :class:`CalendarSnapshot` built for it; a new token means a
new, empty snapshot, so an edit is seen by the next computation in every
process. A token rather than a counter: if the cache loses the key, a fresh
token can never collide with one an older snapshot was built for.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import uuid
from bisect import bisect_left
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import accumulate

from django.core.cache import cache
from django.db import transaction

from workcalendar.holiday_source import FIRST_YEAR, LAST_YEAR, holidays_vn_days
from workcalendar.models import (
    DEFAULT_AFTERNOON_END,
    DEFAULT_AFTERNOON_START,
    DEFAULT_MORNING_END,
    DEFAULT_MORNING_START,
    DEFAULT_RECEPTION_CUTOFF,
    CalendarDay,
    CalendarDayChange,
    DayKind,
    WorkingHours,
)

logger = logging.getLogger(__name__)

VERSION_KEY = "workcalendar:version"
US_PER_SECOND = 1_000_000
US_PER_MINUTE = 60 * US_PER_SECOND


def _time_us(value: dt.time) -> int:
    return ((value.hour * 60 + value.minute) * 60 + value.second) * US_PER_SECOND + value.microsecond


@dataclass(frozen=True, slots=True)
class DayHours:
    """One agency's working periods, in microseconds since local midnight."""

    periods: tuple[tuple[int, int], ...]
    day_us: int
    cutoff_us: int | None

    @classmethod
    def from_times(
        cls,
        morning: tuple[dt.time, dt.time],
        afternoon: tuple[dt.time, dt.time],
        cutoff: dt.time | None,
    ) -> DayHours:
        periods = tuple(
            (_time_us(start), _time_us(end)) for start, end in (morning, afternoon) if start < end
        )
        return cls(
            periods=periods,
            day_us=sum(end - start for start, end in periods),
            cutoff_us=None if cutoff is None else _time_us(cutoff),
        )

    def position(self, tod_us: int) -> int:
        """Working microseconds of the day elapsed at ``tod_us`` (0 … day_us)."""
        elapsed = 0
        for start, end in self.periods:
            if tod_us <= start:
                break
            elapsed += (tod_us if tod_us < end else end) - start
        return elapsed

    def time_at(self, position: int, *, latest: bool) -> int:
        """The time of day at which ``position`` working microseconds have elapsed.

        At a boundary between periods the position is reached over a span
        (11:30 … 13:00): ``latest`` picks its end (13:00), otherwise its start
        (11:30). ``position`` is in [0, day_us) when ``latest``, else (0, day_us].
        """
        for start, end in self.periods:
            length = end - start
            if position < length or (position == length and not latest):
                return start + position
            position -= length
        return self.periods[-1][1]


DEFAULT_HOURS = DayHours.from_times(
    (DEFAULT_MORNING_START, DEFAULT_MORNING_END),
    (DEFAULT_AFTERNOON_START, DEFAULT_AFTERNOON_END),
    DEFAULT_RECEPTION_CUTOFF,
)


@dataclass(frozen=True, slots=True)
class CalendarEntry:
    """A day off or make-up working day as the clock and the public API show it."""

    date: dt.date
    kind: str
    name: str


@dataclass(frozen=True, slots=True)
class YearTable:
    """Which days of one year are working days, with running counts for fast arithmetic.

    ``cum[i]`` is the number of working days among the first ``i`` days of the
    year, so the working days in a stretch are one subtraction and the n-th
    working day is one bisection.
    """

    year: int
    first: int  # ordinal of 1 January
    flags: bytes
    cum: list[int]
    entries: tuple[CalendarEntry, ...]
    from_table: bool  # False: nobody seeded this year, holidays.VN stood in

    @property
    def total(self) -> int:
        return self.cum[-1]

    @classmethod
    def build(cls, year: int, entries: tuple[CalendarEntry, ...], *, from_table: bool) -> YearTable:
        first = dt.date(year, 1, 1).toordinal()
        size = dt.date(year + 1, 1, 1).toordinal() - first if year < dt.MAXYEAR else 365
        weekday = dt.date(year, 1, 1).weekday()
        flags = bytearray(1 if (weekday + i) % 7 < 5 else 0 for i in range(size))
        for entry in entries:
            flags[entry.date.toordinal() - first] = 1 if entry.kind == DayKind.MAKEUP_WORKDAY else 0
        return cls(
            year=year,
            first=first,
            flags=bytes(flags),
            cum=list(accumulate(flags, initial=0)),
            entries=entries,
            from_table=from_table,
        )


def _load_year(year: int) -> YearTable:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rows = tuple(
        CalendarEntry(date=day, kind=kind, name=name)
        for day, kind, name in CalendarDay.objects.filter(date__range=(start, end))
        .order_by("date")
        .values_list("date", "kind", "name")
    )
    if rows or CalendarDayChange.objects.filter(date__range=(start, end)).exists():
        return YearTable.build(year, rows, from_table=True)
    # Nobody seeded this year (or administrators emptied it, which leaves audit
    # rows): fall back to the package rather than count Tết as working days.
    if FIRST_YEAR <= year <= LAST_YEAR:
        logger.warning("workcalendar: year %s is not seeded; using holidays.VN (run seed_calendar)", year)
        fallback = tuple(CalendarEntry(d.date, d.kind, d.name) for d in holidays_vn_days(year))
    else:
        logger.warning("workcalendar: year %s is not seeded and outside holidays.VN; weekends only", year)
        fallback = ()
    return YearTable.build(year, fallback, from_table=False)


def _load_hours() -> tuple[DayHours, dict[int, DayHours]]:
    default = DEFAULT_HOURS
    per_agency: dict[int, DayHours] = {}
    for row in WorkingHours.objects.all():
        hours = DayHours.from_times(
            (row.morning_start, row.morning_end),
            (row.afternoon_start, row.afternoon_end),
            row.reception_cutoff,
        )
        if row.agency_id is None:
            default = hours
        else:
            per_agency[row.agency_id] = hours
    return default, per_agency


class CalendarSnapshot:
    """The calendar for one cache token: year tables loaded on first use, and the hours."""

    def __init__(self, token: str) -> None:
        self.token = token
        self._years: dict[int, YearTable] = {}
        self._hours: tuple[DayHours, dict[int, DayHours]] | None = None

    def table(self, year: int) -> YearTable:
        table = self._years.get(year)
        if table is None:
            table = self._years[year] = _load_year(year)
        return table

    def table_of(self, ordinal: int) -> YearTable:
        return self.table(dt.date.fromordinal(ordinal).year)

    def hours(self, agency_id: int | None) -> DayHours:
        if self._hours is None:
            self._hours = _load_hours()
        default, per_agency = self._hours
        if agency_id is None:
            return default
        return per_agency.get(agency_id, default)

    def is_working(self, ordinal: int) -> bool:
        table = self.table_of(ordinal)
        return table.flags[ordinal - table.first] == 1

    def count(self, after: int, until: int) -> int:
        """Working days ``d`` with ``after < d <= until`` (negative when until < after)."""
        if until < after:
            return -self.count(until, after)
        ta = self.table_of(after)
        tb = ta if until - ta.first < len(ta.flags) else self.table_of(until)
        if ta is tb:
            return ta.cum[until - ta.first + 1] - ta.cum[after - ta.first + 1]
        total = ta.total - ta.cum[after - ta.first + 1]
        for year in range(ta.year + 1, tb.year):
            total += self.table(year).total
        return total + tb.cum[until - tb.first + 1]

    def nth(self, ordinal: int, n: int) -> int:
        """The n-th working day after ``ordinal`` (before it when n < 0; itself when n == 0)."""
        if n == 0:
            return ordinal
        table = self.table_of(ordinal)
        if n > 0:
            # 1-based rank, within the year, of the working day we want.
            rank = table.cum[ordinal - table.first + 1] + n
            while rank > table.total:
                rank -= table.total
                table = self.table(table.year + 1)
        else:
            rank = table.cum[ordinal - table.first] + n + 1
            while rank <= 0:
                table = self.table(table.year - 1)
                rank += table.total
        return table.first + bisect_left(table.cum, rank) - 1

    def entries(self, start: dt.date, end: dt.date) -> list[CalendarEntry]:
        found: list[CalendarEntry] = []
        for year in range(start.year, end.year + 1):
            found.extend(e for e in self.table(year).entries if start <= e.date <= end)
        return found


_lock = threading.Lock()
_shared: CalendarSnapshot | None = None
_pinned = threading.local()


def _current_token() -> str:
    token = cache.get(VERSION_KEY)
    if token is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        token = cache.get(VERSION_KEY) or uuid.uuid4().hex
    return str(token)


def current_snapshot() -> CalendarSnapshot:
    """The snapshot for the cache's current token (built empty when the token changed), or the
    one :func:`pinned_calendar` holds for this thread."""
    global _shared
    pinned: CalendarSnapshot | None = getattr(_pinned, "snapshot", None)
    if pinned is not None:
        return pinned
    token = _current_token()
    snapshot = _shared
    if snapshot is None or snapshot.token != token:
        with _lock:
            if _shared is None or _shared.token != token:
                _shared = CalendarSnapshot(token)
            snapshot = _shared
    return snapshot


def calendar_cache_bump() -> None:
    """Invalidate every process's snapshot: now (this transaction's own reads see the
    change) and again after commit (others may have reloaded the old rows meanwhile)."""
    global _shared
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    _shared = None
    _pinned.snapshot = None
    transaction.on_commit(lambda: cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None))


@contextmanager
def pinned_calendar() -> Iterator[CalendarSnapshot]:
    """Read the cache version once for a batch of computations in this thread (an indicator
    over 100 000 dossiers) instead of once per computation. An edit made in this thread
    inside the block unpins it; edits made elsewhere are seen after the block."""
    previous: CalendarSnapshot | None = getattr(_pinned, "snapshot", None)
    _pinned.snapshot = None
    _pinned.snapshot = current_snapshot()
    try:
        yield _pinned.snapshot
    finally:
        _pinned.snapshot = previous
