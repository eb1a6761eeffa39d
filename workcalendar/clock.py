"""The working-time clock: every deadline in congso is computed here.

Working time
    The working periods (morning and afternoon, per agency, see
    :class:`~workcalendar.models.WorkingHours`; 07:30–11:30 and 13:00–17:00 by
    default) of the working days. A working day is a Monday–Friday that the
    calendar table does not list as a day off, or a Saturday or Sunday it lists
    as a make-up working day (làm bù). Times are read in Asia/Ho_Chi_Minh;
    naive datetimes are refused.

Working-time position
    Picture a meter that runs only in working time. Two instants with no
    working time between them (17:00 Friday and 07:30 Monday; 11:30 and 13:00)
    show the same reading. Every function below is defined on that reading, so
    for any instant ``s``:

    * ``working_minutes_between(s, add_working_minutes(s, m)) == m``,
    * ``working_days_between(s, add_working_days(s, n)) == n``,

    and both ``add_`` functions are monotonic in their amount.

N working hours (or minutes) after ``s``
    The first instant at which the meter has advanced by that amount: a budget
    that runs out at the end of a period ends there (09:30 + 2 h = 11:30,
    07:30 + 8 h = 17:00 the same day), never at the start of the next one.
    Going backwards (negative amounts) gives the last such instant.

N working days after ``s``
    The same position in the working day, N working days later: 10:00 on a
    working day + 5 days = 10:00 on the fifth working day after it. This is the
    meter advanced by N × (working minutes of the agency's day), i.e. N × 8
    hours by default; at a boundary the later instant is taken, so 07:30 + 1
    day is 07:30 the next working day (not 17:00 the same day), and an instant
    outside working time counts from the start of the next working period. In
    calendar terms the day ``s`` falls on is not counted (Civil Code 2015 Art.
    147 [U]): received Thursday 24/4/2025 in office hours, 5 working days →
    Monday 05/5/2025 (Friday 25/4, make-up Saturday 26/4, 28/4, 29/4, then
    30/4–4/5 are off). A dossier's clock does not start at the instant it is
    received but at :func:`reception_start`.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from workcalendar.snapshot import US_PER_MINUTE, CalendarSnapshot, DayHours, current_snapshot
from workcalendar.snapshot import pinned_calendar as pinned_calendar  # for batch computations

if TYPE_CHECKING:
    from agencies.models import Agency

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
US_PER_HOUR = 60 * US_PER_MINUTE


def _agency_id(agency: Agency | int | None) -> int | None:
    if agency is None or isinstance(agency, int):
        return agency
    return int(agency.pk)


def _split(instant: dt.datetime, what: str) -> tuple[int, int]:
    """(ordinal of the local date, microseconds since local midnight) of an aware datetime."""
    if not isinstance(instant, dt.datetime):
        raise TypeError(f"{what} must be a datetime, got {type(instant).__name__}")
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware (Asia/Ho_Chi_Minh); got naive {instant.isoformat()}")
    local = instant.astimezone(TZ)
    tod = ((local.hour * 60 + local.minute) * 60 + local.second) * 1_000_000 + local.microsecond
    return local.toordinal(), tod


def _join(ordinal: int, tod: int) -> dt.datetime:
    day = dt.date.fromordinal(ordinal)
    seconds, micro = divmod(tod, 1_000_000)
    minutes, second = divmod(seconds, 60)
    hour, minute = divmod(minutes, 60)
    return dt.datetime(day.year, day.month, day.day, hour, minute, second, micro, tzinfo=TZ)


def _add(
    cal: CalendarSnapshot, hours: DayHours, start: dt.datetime, amount_us: int, *, latest: bool
) -> dt.datetime:
    ordinal, tod = _split(start, "start")
    # Any (working day, position) pair that reads the same on the meter will do.
    if cal.is_working(ordinal):
        position = hours.position(tod)
    else:
        ordinal, position = cal.nth(ordinal, 1), 0
    total = position + amount_us
    if latest:
        days, rest = divmod(total, hours.day_us)  # rest in [0, day)
    else:
        days = (total - 1) // hours.day_us
        rest = total - days * hours.day_us  # rest in (0, day]
    return _join(cal.nth(ordinal, days), hours.time_at(rest, latest=latest))


def _between_us(cal: CalendarSnapshot, hours: DayHours, start: dt.datetime, end: dt.datetime) -> int:
    a_ord, a_tod = _split(start, "start")
    b_ord, b_tod = _split(end, "end")
    if (b_ord, b_tod) < (a_ord, a_tod):
        return -_between_us(cal, hours, end, start)
    if a_ord == b_ord:
        return hours.position(b_tod) - hours.position(a_tod) if cal.is_working(a_ord) else 0
    first = hours.day_us - hours.position(a_tod) if cal.is_working(a_ord) else 0
    middle = cal.count(a_ord, b_ord - 1) * hours.day_us
    last = hours.position(b_tod) if cal.is_working(b_ord) else 0
    return first + middle + last


def _as_us(amount: Decimal | int | float, unit_us: int) -> int:
    if isinstance(amount, bool):
        raise TypeError("a working-time amount cannot be a bool")
    if isinstance(amount, int):
        return amount * unit_us
    value = Decimal(str(amount)) if isinstance(amount, float) else Decimal(amount)
    if not value.is_finite():
        raise ValueError(f"working-time amount must be finite, got {amount!r}")
    return int((value * unit_us).to_integral_value(rounding=ROUND_HALF_EVEN))


def is_working_day(day: dt.date, *, agency: Agency | int | None = None) -> bool:
    """Whether ``day`` (a date, or an aware datetime read in Asia/Ho_Chi_Minh) is a working day.

    Days off and make-up days are province-wide (Labor Code holidays bind every
    agency); ``agency`` is accepted so that call sites read like the hour
    functions and is not consulted today.
    """
    if isinstance(day, dt.datetime):
        return current_snapshot().is_working(_split(day, "day")[0])
    return current_snapshot().is_working(day.toordinal())


def next_working_day(day: dt.date, n: int = 1) -> dt.date:
    """The n-th working day after ``day`` (before it when n < 0; ``day`` itself when n == 0)."""
    return dt.date.fromordinal(current_snapshot().nth(day.toordinal(), n))


def working_day_minutes(*, agency: Agency | int | None = None) -> int:
    """Working minutes in one working day of ``agency`` (480 with the default hours)."""
    return current_snapshot().hours(_agency_id(agency)).day_us // US_PER_MINUTE


def working_days_between(
    start: dt.date | dt.datetime, end: dt.date | dt.datetime, *, agency: Agency | int | None = None
) -> int:
    """Working days from ``start`` to ``end`` (negative when ``end`` is earlier).

    Two dates: the working days ``d`` with ``start < d <= end`` (the first day
    is not counted), e.g. 24/4/2025 → 05/5/2025 is 5. Two aware datetimes: the
    whole working days of working time between them (working minutes divided by
    the agency's day, rounded toward zero), so that
    ``working_days_between(s, add_working_days(s, n)) == n``. Mixing a date
    and a datetime is refused: it is almost always a bug.
    """
    a_is_instant, b_is_instant = isinstance(start, dt.datetime), isinstance(end, dt.datetime)
    if a_is_instant != b_is_instant:
        raise TypeError("working_days_between needs two dates or two datetimes, not one of each")
    cal = current_snapshot()
    if isinstance(start, dt.datetime) and isinstance(end, dt.datetime):
        hours = cal.hours(_agency_id(agency))
        elapsed = _between_us(cal, hours, start, end)
        whole = abs(elapsed) // hours.day_us
        return whole if elapsed >= 0 else -whole
    return cal.count(start.toordinal(), end.toordinal())


def add_working_days(start: dt.datetime, n: int, *, agency: Agency | int | None = None) -> dt.datetime:
    """The instant ``n`` working days after ``start``: the same position in the working day,
    ``n`` working days later (see the module docstring). ``n`` may be negative; 0 returns
    ``start`` unchanged."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"n must be an int, got {type(n).__name__}")
    if n == 0:
        _split(start, "start")
        return start
    cal = current_snapshot()
    hours = cal.hours(_agency_id(agency))
    return _add(cal, hours, start, n * hours.day_us, latest=True)


def _add_amount(start: dt.datetime, amount_us: int, agency: Agency | int | None) -> dt.datetime:
    if amount_us == 0:
        _split(start, "start")
        return start
    cal = current_snapshot()
    return _add(cal, cal.hours(_agency_id(agency)), start, amount_us, latest=amount_us < 0)


def add_working_minutes(
    start: dt.datetime, minutes: Decimal | int | float, *, agency: Agency | int | None = None
) -> dt.datetime:
    """The first instant at which ``minutes`` working minutes have elapsed since ``start``
    (the last such instant going backwards, for negative minutes; ``start`` for 0)."""
    return _add_amount(start, _as_us(minutes, US_PER_MINUTE), agency)


def add_working_hours(
    start: dt.datetime, hours: Decimal | int | float, *, agency: Agency | int | None = None
) -> dt.datetime:
    """Like :func:`add_working_minutes`, in hours (``Decimal("1.5")`` is 90 minutes): the step
    budgets of an internal process (quy trình nội bộ) are set in hours."""
    return _add_amount(start, _as_us(hours, US_PER_HOUR), agency)


def working_minutes_between(
    start: dt.datetime, end: dt.datetime, *, agency: Agency | int | None = None
) -> int:
    """Working minutes from ``start`` to ``end``, whole minutes rounded toward zero (negative
    when ``end`` is earlier)."""
    cal = current_snapshot()
    elapsed = _between_us(cal, cal.hours(_agency_id(agency)), start, end)
    whole = abs(elapsed) // US_PER_MINUTE
    return whole if elapsed >= 0 else -whole


def reception_start(received_at: dt.datetime, *, agency: Agency | int | None = None) -> dt.datetime:
    """The instant from which a dossier received at ``received_at`` starts counting.

    * Received in a working period of a working day, at or before the
      afternoon cut-off: at once (``received_at`` itself, in local time).
    * Received after the cut-off (15:00 by default: "nhận sau 15 giờ"): the
      start of the next working day's first period.
    * Received outside working time (before opening, at lunch, after closing,
      on a day off): the start of the next working period (13:00 for lunch).

    Status: Decree 61/2018 Art. 18 [C] sets the 15:00 rule for the *transfer*
    of paper dossiers; applying it to the start of the processing clock is the
    practice of approved processes (Hanoi, "nhận sau 15 giờ thì trả ngày làm
    việc tiếp theo") and is [U]. The cut-off is therefore a setting per agency
    (:class:`~workcalendar.models.WorkingHours`), and can be switched off.
    """
    cal = current_snapshot()
    hours = cal.hours(_agency_id(agency))
    ordinal, tod = _split(received_at, "received_at")
    if cal.is_working(ordinal) and (hours.cutoff_us is None or tod <= hours.cutoff_us):
        for start, end in hours.periods:
            if tod < start:
                return _join(ordinal, start)
            if tod < end:
                return received_at.astimezone(TZ)
    return _join(cal.nth(ordinal, 1), hours.periods[0][0])


def due_date(due_at: dt.datetime) -> dt.date:
    """The date to print as the appointment day (ngày hẹn trả) for a deadline instant.

    The local date of ``due_at`` when it is a working day; otherwise the next
    working day (Civil Code 2015 Art. 148 [U]: a period whose last day is a day
    off ends on the next working day).
    """
    cal = current_snapshot()
    ordinal, _ = _split(due_at, "due_at")
    if not cal.is_working(ordinal):
        ordinal = cal.nth(ordinal, 1)
    return dt.date.fromordinal(ordinal)
