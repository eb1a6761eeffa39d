"""The working-time clock against the real 2024–2027 calendars seeded from holidays.VN."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import holidays
import pytest

from agencies.tests.factories import AgencyFactory
from workcalendar.clock import (
    add_working_days,
    add_working_hours,
    add_working_minutes,
    due_date,
    is_working_day,
    next_working_day,
    reception_start,
    working_day_minutes,
    working_days_between,
    working_minutes_between,
)
from workcalendar.tests.conftest import VN, at
from workcalendar.tests.factories import WorkingHoursFactory

pytestmark = pytest.mark.usefixtures("seeded")


# --- The case the requirements quote (checklist item 10) -------------------------------------


@pytest.mark.parametrize("hour_minute", [(7, 30), (9, 0), (11, 29), (13, 0), (16, 59)])
def test_five_working_days_from_24_april_2025_is_5_may(hour_minute: tuple[int, int]) -> None:
    start = at(2025, 4, 24, *hour_minute)

    due = add_working_days(start, 5)

    assert due == at(2025, 5, 5, *hour_minute)
    assert due_date(due) == dt.date(2025, 5, 5)
    assert working_days_between(dt.date(2025, 4, 24), dt.date(2025, 5, 5)) == 5
    assert working_days_between(start, due) == 5


def test_make_up_saturday_26_april_2025_counts_and_30_april_to_2_may_do_not() -> None:
    assert is_working_day(dt.date(2025, 4, 26))
    for day in (dt.date(2025, 4, 30), dt.date(2025, 5, 1), dt.date(2025, 5, 2)):
        assert not is_working_day(day)
    assert add_working_days(at(2025, 4, 25, 10), 1) == at(2025, 4, 26, 10)
    assert not is_working_day(dt.date(2025, 4, 19))  # an ordinary Saturday


# --- Tết ---------------------------------------------------------------------------------------


def _tet_days(year: int) -> set[dt.date]:
    vn = holidays.country_holidays("VN", years=year, language="vi")
    return {day for day, name in vn.items() if "Tết" in name and "Dương lịch" not in name}


@pytest.mark.parametrize("year", [2024, 2025, 2026, 2027])
def test_every_tet_day_off_matches_holidays_vn(year: int) -> None:
    tet = _tet_days(year)
    assert len(tet) >= 5

    first, last = min(tet), max(tet)
    span = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    assert [d for d in span if d.weekday() < 5 and not is_working_day(d)] == sorted(
        d for d in tet if d.weekday() < 5
    )


@pytest.mark.parametrize("year", [2024, 2025, 2026, 2027])
def test_a_due_date_across_tet_skips_every_tet_day(year: int) -> None:
    tet = _tet_days(year)
    before = min(tet) - dt.timedelta(days=1)
    while not is_working_day(before):
        before -= dt.timedelta(days=1)
    after = max(tet) + dt.timedelta(days=1)
    while not is_working_day(after):
        after += dt.timedelta(days=1)
    start = dt.datetime.combine(before, dt.time(10, 15), tzinfo=VN)
    assert (after - before).days > 5

    due = add_working_days(start, 1)

    assert due == dt.datetime.combine(after, dt.time(10, 15), tzinfo=VN)
    assert working_days_between(before, after) == 1
    assert working_minutes_between(start, due) == 480


def test_tet_2025_runs_from_27_january_to_1_february() -> None:
    # 1/2/2025 (Mùng bốn) is a Saturday, so 29 Tết (27/1) is given instead.
    assert not any(is_working_day(dt.date(2025, 1, day)) for day in range(27, 32))
    assert is_working_day(dt.date(2025, 1, 24))
    assert is_working_day(dt.date(2025, 2, 3))
    assert add_working_days(at(2025, 1, 24, 8), 1) == at(2025, 2, 3, 8)


# --- Substituted days and swaps ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "day_off", "after"),
    [
        # Giỗ Tổ Hùng Vương on Sunday 26/4/2026: Monday 27/4 off.
        (dt.date(2026, 4, 24), dt.date(2026, 4, 27), dt.date(2026, 4, 28)),
        # 1/5/2027 on a Saturday: Monday 3/5 off (30/4 is a Friday holiday).
        (dt.date(2027, 4, 29), dt.date(2027, 5, 3), dt.date(2027, 5, 4)),
        # Swap 2024: Monday 29/4 off for Saturday 4/5, joining 30/4–1/5.
        (dt.date(2024, 4, 26), dt.date(2024, 4, 29), dt.date(2024, 5, 2)),
        # Swap 2026: Monday 31/8 off for Saturday 22/8, joining 1/9–2/9.
        (dt.date(2026, 8, 28), dt.date(2026, 8, 31), dt.date(2026, 9, 3)),
    ],
)
def test_substituted_and_swapped_days_are_off(before: dt.date, day_off: dt.date, after: dt.date) -> None:
    assert not is_working_day(day_off)
    start = dt.datetime.combine(before, dt.time(9), tzinfo=VN)
    assert add_working_days(start, 1) == dt.datetime.combine(after, dt.time(9), tzinfo=VN)


def test_make_up_saturdays_of_2024_and_2026_count() -> None:
    assert is_working_day(dt.date(2024, 5, 4))
    assert is_working_day(dt.date(2026, 8, 22))
    assert working_days_between(dt.date(2026, 8, 21), dt.date(2026, 9, 3)) == 7  # 22, 24–28, 3/9


# --- Hours and boundaries ----------------------------------------------------------------------


def test_hours_stop_at_the_end_of_a_period_and_skip_the_lunch_break() -> None:
    assert add_working_hours(at(2025, 4, 24, 9, 30), 2) == at(2025, 4, 24, 11, 30)
    assert add_working_hours(at(2025, 4, 24, 9, 30), Decimal("2.5")) == at(2025, 4, 24, 13, 30)
    assert add_working_hours(at(2025, 4, 24, 7, 30), 8) == at(2025, 4, 24, 17, 0)
    assert add_working_hours(at(2025, 4, 24, 16, 0), 1.5) == at(2025, 4, 25, 8, 0)
    assert add_working_minutes(at(2025, 4, 24, 11, 0), 45) == at(2025, 4, 24, 13, 15)
    assert working_minutes_between(at(2025, 4, 24, 11, 0), at(2025, 4, 24, 13, 15)) == 45


def test_a_working_day_keeps_the_position_in_the_day() -> None:
    assert add_working_days(at(2025, 4, 24, 7, 30), 1) == at(2025, 4, 25, 7, 30)
    assert add_working_days(at(2025, 4, 24, 12, 0), 1) == at(2025, 4, 25, 13, 0)
    assert add_working_days(at(2025, 4, 24, 18, 0), 1) == at(2025, 4, 26, 7, 30)
    assert add_working_days(at(2025, 4, 27, 10, 0), 1) == at(2025, 4, 29, 7, 30)  # from a Sunday


def test_hours_before_opening_count_from_opening() -> None:
    assert add_working_hours(at(2025, 4, 24, 6, 0), 1) == at(2025, 4, 24, 8, 30)
    assert working_minutes_between(at(2025, 4, 24, 6, 0), at(2025, 4, 24, 8, 30)) == 60


def test_going_backwards() -> None:
    assert add_working_days(at(2025, 5, 5, 10), -5) == at(2025, 4, 24, 10)
    assert add_working_hours(at(2025, 4, 24, 9, 0), -1.5) == at(2025, 4, 24, 7, 30)
    assert add_working_hours(at(2025, 4, 24, 9, 0), -2) == at(2025, 4, 23, 16, 30)
    assert working_minutes_between(at(2025, 4, 24, 9), at(2025, 4, 23, 16, 30)) == -120
    assert working_days_between(dt.date(2025, 5, 5), dt.date(2025, 4, 24)) == -5


def test_zero_returns_the_start_unchanged() -> None:
    sunday = at(2025, 4, 27, 10)
    assert add_working_days(sunday, 0) == sunday
    assert add_working_hours(sunday, 0) == sunday


def test_seconds_are_kept() -> None:
    start = at(2025, 4, 24, 10, 0, 30)
    end = add_working_minutes(start, 480)
    assert end == at(2025, 4, 25, 10, 0, 30)
    assert working_minutes_between(start, end) == 480


def test_results_are_in_vietnam_time_whatever_the_input_zone() -> None:
    utc = dt.datetime(2025, 4, 24, 3, 0, tzinfo=dt.UTC)  # 10:00 in Hà Nội
    due = add_working_days(utc, 5)
    assert due == at(2025, 5, 5, 10)
    assert due.utcoffset() == dt.timedelta(hours=7)


def test_naive_datetimes_are_refused_with_a_clear_error() -> None:
    naive = dt.datetime(2025, 4, 24, 10)
    for call in (
        lambda: add_working_days(naive, 1),
        lambda: add_working_hours(naive, 1),
        lambda: working_minutes_between(naive, at(2025, 4, 25)),
        lambda: reception_start(naive),
        lambda: is_working_day(naive),
    ):
        with pytest.raises(ValueError, match="timezone-aware"):
            call()


def test_mixing_dates_and_datetimes_is_refused() -> None:
    with pytest.raises(TypeError):
        working_days_between(dt.date(2025, 4, 24), at(2025, 5, 5))
    with pytest.raises(TypeError):
        add_working_days(at(2025, 4, 24), 1.5)  # type: ignore[arg-type]


def test_due_date_of_an_instant_on_a_day_off_is_the_next_working_day() -> None:
    assert due_date(at(2025, 4, 30, 10)) == dt.date(2025, 5, 5)
    assert due_date(at(2025, 5, 5, 7, 30)) == dt.date(2025, 5, 5)
    assert next_working_day(dt.date(2025, 4, 29)) == dt.date(2025, 5, 5)
    assert next_working_day(dt.date(2025, 5, 5), -1) == dt.date(2025, 4, 29)


# --- Reception: the 15:00 cut-off and out-of-hours ------------------------------------------


@pytest.mark.parametrize(
    ("received", "starts"),
    [
        (at(2025, 4, 24, 10, 0), at(2025, 4, 24, 10, 0)),
        (at(2025, 4, 24, 15, 0), at(2025, 4, 24, 15, 0)),  # at 15:00 sharp: same day
        (at(2025, 4, 24, 15, 0, 1), at(2025, 4, 25, 7, 30)),  # after 15:00: next working day
        (at(2025, 4, 24, 16, 45), at(2025, 4, 25, 7, 30)),
        (at(2025, 4, 24, 6, 50), at(2025, 4, 24, 7, 30)),  # before opening
        (at(2025, 4, 24, 12, 10), at(2025, 4, 24, 13, 0)),  # lunch break
        (at(2025, 4, 24, 21, 0), at(2025, 4, 25, 7, 30)),  # evening
        (at(2025, 4, 29, 15, 30), at(2025, 5, 5, 7, 30)),  # before the 30/4 holidays
        (at(2025, 4, 27, 9, 0), at(2025, 4, 28, 7, 30)),  # Sunday
        (at(2025, 4, 25, 15, 30), at(2025, 4, 26, 7, 30)),  # to the make-up Saturday
    ],
)
def test_reception_start(received: dt.datetime, starts: dt.datetime) -> None:
    assert reception_start(received) == starts


def test_a_dossier_received_after_the_cut_off_is_due_one_day_later() -> None:
    on_time = add_working_days(reception_start(at(2025, 4, 24, 14, 0)), 5)
    late = add_working_days(reception_start(at(2025, 4, 24, 15, 30)), 5)
    assert due_date(on_time) == dt.date(2025, 5, 5)
    assert due_date(late) == dt.date(2025, 5, 6)


def test_the_cut_off_can_be_switched_off_or_moved_per_agency() -> None:
    no_cutoff = AgencyFactory.create()
    WorkingHoursFactory.create(agency=no_cutoff, reception_cutoff=None)
    earlier = AgencyFactory.create()
    WorkingHoursFactory.create(agency=earlier, reception_cutoff=dt.time(14, 0))

    assert reception_start(at(2025, 4, 24, 16, 0), agency=no_cutoff) == at(2025, 4, 24, 16, 0)
    assert reception_start(at(2025, 4, 24, 14, 30), agency=earlier) == at(2025, 4, 25, 7, 30)
    assert reception_start(at(2025, 4, 24, 14, 30)) == at(2025, 4, 24, 14, 30)


# --- Per-agency hours -------------------------------------------------------------------------


def test_an_agency_with_its_own_hours() -> None:
    centre = AgencyFactory.create(name="Trung tâm Phục vụ hành chính công")
    WorkingHoursFactory.create(
        agency=centre,
        morning_start=dt.time(7, 0),
        morning_end=dt.time(11, 30),
        afternoon_start=dt.time(13, 30),
        afternoon_end=dt.time(17, 0),
    )

    assert working_day_minutes(agency=centre) == 480
    assert working_day_minutes() == 480
    assert add_working_hours(at(2025, 4, 24, 7, 0), 4, agency=centre) == at(2025, 4, 24, 11, 0)
    assert add_working_hours(at(2025, 4, 24, 7, 0), 4) == at(2025, 4, 24, 11, 30)
    assert add_working_hours(at(2025, 4, 24, 11, 0), 1, agency=centre) == at(2025, 4, 24, 14, 0)
    assert reception_start(at(2025, 4, 24, 7, 10), agency=centre) == at(2025, 4, 24, 7, 10)
    assert reception_start(at(2025, 4, 24, 7, 10), agency=centre.pk) == at(2025, 4, 24, 7, 10)
    assert reception_start(at(2025, 4, 24, 7, 10)) == at(2025, 4, 24, 7, 30)


def test_an_agency_without_its_own_hours_follows_the_province_default() -> None:
    WorkingHoursFactory.create(agency=None, morning_start=dt.time(8, 0), morning_end=dt.time(12, 0))
    commune = AgencyFactory.create()
    assert reception_start(at(2025, 4, 24, 7, 45), agency=commune) == at(2025, 4, 24, 8, 0)
    assert working_day_minutes(agency=commune) == 480


def test_a_shorter_working_day_makes_a_working_day_shorter() -> None:
    short = AgencyFactory.create()
    WorkingHoursFactory.create(agency=short, afternoon_end=dt.time(16, 0))  # 7 hours
    start = at(2025, 4, 24, 10)
    due = add_working_days(start, 5, agency=short)
    assert due == at(2025, 5, 5, 10)
    assert working_minutes_between(start, due, agency=short) == 5 * 420
    assert working_days_between(start, due, agency=short) == 5
