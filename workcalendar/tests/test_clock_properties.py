"""Properties of the clock over random instants of 2024–2027 (hypothesis)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workcalendar.clock import (
    add_working_days,
    add_working_hours,
    add_working_minutes,
    due_date,
    is_working_day,
    reception_start,
    working_days_between,
    working_minutes_between,
)
from workcalendar.tests.conftest import VN

pytestmark = pytest.mark.usefixtures("seeded")

PROPERTY = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

instants = st.builds(
    lambda day, minute, second: (
        dt.datetime.combine(day, dt.time(), tzinfo=VN) + dt.timedelta(minutes=minute, seconds=second)
    ),
    st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2027, 12, 31)),
    st.integers(min_value=0, max_value=24 * 60 - 1),
    st.sampled_from([0, 0, 0, 17]),
)


@PROPERTY
@given(start=instants, minutes=st.integers(min_value=-20_000, max_value=20_000))
def test_adding_minutes_then_counting_gives_them_back(start: dt.datetime, minutes: int) -> None:
    end = add_working_minutes(start, minutes)
    assert working_minutes_between(start, end) == minutes
    assert (end >= start) if minutes >= 0 else (end <= start)


@PROPERTY
@given(start=instants, quarters=st.integers(min_value=-400, max_value=400))
def test_adding_hours_then_counting_minutes_gives_them_back(start: dt.datetime, quarters: int) -> None:
    hours = Decimal(quarters) / 4
    end = add_working_hours(start, hours)
    assert working_minutes_between(start, end) == quarters * 15


@PROPERTY
@given(start=instants, n=st.integers(min_value=-60, max_value=60))
def test_adding_days_then_counting_gives_them_back(start: dt.datetime, n: int) -> None:
    end = add_working_days(start, n)
    assert working_days_between(start, end) == n
    assert working_minutes_between(start, end) == n * 480


@PROPERTY
@given(start=instants, n=st.integers(min_value=1, max_value=60))
def test_days_after_a_reception_fall_on_working_days_and_count_by_date(start: dt.datetime, n: int) -> None:
    begins = reception_start(start)
    end = add_working_days(begins, n)
    assert is_working_day(begins)
    assert is_working_day(end)
    assert working_days_between(begins.date(), end.date()) == n
    assert due_date(end) == end.date()


@PROPERTY
@given(
    start=instants, a=st.integers(min_value=0, max_value=5_000), b=st.integers(min_value=0, max_value=5_000)
)
def test_more_minutes_never_end_earlier(start: dt.datetime, a: int, b: int) -> None:
    low, high = sorted((a, b))
    assert add_working_minutes(start, low) <= add_working_minutes(start, high)


@PROPERTY
@given(first=instants, second=instants, n=st.integers(min_value=0, max_value=40))
def test_a_later_start_never_ends_earlier(first: dt.datetime, second: dt.datetime, n: int) -> None:
    early, late = sorted((first, second))
    assert add_working_days(early, n) <= add_working_days(late, n)
    assert add_working_minutes(early, n * 37) <= add_working_minutes(late, n * 37)
    assert reception_start(early) <= reception_start(late)


@PROPERTY
@given(a=instants, b=instants, c=instants)
def test_working_minutes_add_up(a: dt.datetime, b: dt.datetime, c: dt.datetime) -> None:
    a, b, c = sorted((a.replace(second=0), b.replace(second=0), c.replace(second=0)))
    assert working_minutes_between(a, b) + working_minutes_between(b, c) == working_minutes_between(a, c)
    assert working_minutes_between(c, a) == -working_minutes_between(a, c)
