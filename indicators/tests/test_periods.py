"""Reporting periods: keys, labels, bounds, neighbours, and one row per period."""

from __future__ import annotations

import datetime as dt

import pytest

from indicators.models import Period, Periodicity
from indicators.periods import (
    period_containing,
    period_from_key,
    period_get,
    period_last_closed,
    period_next,
    period_previous,
    period_same_last_year,
    period_year,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("key", "kind", "start", "end", "label"),
    [
        ("2026-M02", Periodicity.MONTH, dt.date(2026, 2, 1), dt.date(2026, 2, 28), "Tháng 2/2026"),
        ("2024-M02", Periodicity.MONTH, dt.date(2024, 2, 1), dt.date(2024, 2, 29), "Tháng 2/2024"),
        ("2026-Q3", Periodicity.QUARTER, dt.date(2026, 7, 1), dt.date(2026, 9, 30), "Quý III/2026"),
        ("2026-H1", Periodicity.HALF, dt.date(2026, 1, 1), dt.date(2026, 6, 30), "6 tháng đầu năm 2026"),
        ("2026-9M", Periodicity.NINE_MONTHS, dt.date(2026, 1, 1), dt.date(2026, 9, 30), "9 tháng năm 2026"),
        ("2026", Periodicity.YEAR, dt.date(2026, 1, 1), dt.date(2026, 12, 31), "Năm 2026"),
    ],
)
def test_a_key_names_one_period_with_its_bounds_and_label(key, kind, start, end, label):
    period = period_from_key(key)

    assert (period.kind, period.start, period.end, period.label, period.key) == (kind, start, end, label, key)


def test_lower_case_and_single_digit_months_are_accepted():
    assert period_from_key("2026-m7").key == "2026-M07"
    assert period_from_key(" 2026-q1 ").key == "2026-Q1"


@pytest.mark.parametrize(
    "key", ["", "2026-Q5", "2026-M13", "2026-M00", "26-Q1", "2026-H2", "quý 1", "2026/Q1"]
)
def test_a_bad_key_is_refused_in_vietnamese(key):
    with pytest.raises(ValueError, match="không hợp lệ"):
        period_from_key(key)


def test_a_period_is_made_once_and_shared():
    first = period_get(Periodicity.QUARTER, 2026, 2)
    again = period_from_key("2026-Q2")

    assert first.pk == again.pk
    assert Period.objects.filter(kind=Periodicity.QUARTER, year=2026, number=2).count() == 1


def test_the_period_containing_a_day():
    day = dt.date(2026, 8, 15)

    assert period_containing(Periodicity.MONTH, day).key == "2026-M08"
    assert period_containing(Periodicity.QUARTER, day).key == "2026-Q3"
    assert period_containing(Periodicity.NINE_MONTHS, day).key == "2026-9M"
    assert period_containing(Periodicity.YEAR, day).key == "2026"
    assert period_containing(Periodicity.HALF, dt.date(2026, 6, 30)).key == "2026-H1"
    with pytest.raises(ValueError, match="không thuộc kỳ"):
        period_containing(Periodicity.HALF, day)


@pytest.mark.parametrize(
    ("kind", "today", "key"),
    [
        (Periodicity.MONTH, dt.date(2026, 3, 1), "2026-M02"),
        (Periodicity.MONTH, dt.date(2026, 1, 31), "2025-M12"),
        (Periodicity.QUARTER, dt.date(2026, 4, 1), "2026-Q1"),
        (Periodicity.QUARTER, dt.date(2026, 3, 31), "2025-Q4"),
        (Periodicity.HALF, dt.date(2026, 7, 1), "2026-H1"),
        (Periodicity.HALF, dt.date(2026, 6, 30), "2025-H1"),
        (Periodicity.NINE_MONTHS, dt.date(2026, 10, 2), "2026-9M"),
        (Periodicity.YEAR, dt.date(2026, 12, 31), "2025"),
    ],
)
def test_the_last_closed_period_ended_before_today(kind, today, key):
    assert period_last_closed(kind, today).key == key


def test_neighbours_of_a_period():
    assert period_previous(period_from_key("2026-Q1")).key == "2025-Q4"
    assert period_previous(period_from_key("2026-Q3")).key == "2026-Q2"
    assert period_previous(period_from_key("2026-M01")).key == "2025-M12"
    assert period_previous(period_from_key("2026-H1")).key == "2025-H1"
    assert period_previous(period_from_key("2026-9M")).key == "2025-9M"
    assert period_previous(period_from_key("2026")).key == "2025"
    assert period_next(period_from_key("2025-Q4")).key == "2026-Q1"
    assert period_next(period_from_key("2025-M12")).key == "2026-M01"
    assert period_same_last_year(period_from_key("2026-Q3")).key == "2025-Q3"
    assert period_same_last_year(period_from_key("2026-M07")).key == "2025-M07"
    assert period_year(period_from_key("2026-M07")).key == "2026"
