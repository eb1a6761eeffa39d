"""Fixtures of the calendar tests: a fresh clock cache per test and seeded years."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache

from workcalendar.services import calendar_seed_year
from workcalendar.snapshot import VERSION_KEY

VN = ZoneInfo("Asia/Ho_Chi_Minh")
SEEDED_YEARS = range(2023, 2029)


@pytest.fixture(autouse=True)
def _fresh_clock() -> Iterator[None]:
    """The database is rolled back after each test but the cache is not: start each test
    with a new calendar version so no snapshot outlives the rows it was built from."""
    cache.delete(VERSION_KEY)
    yield
    cache.delete(VERSION_KEY)


@pytest.fixture
def seeded(db: None) -> None:
    """2023–2028 seeded from holidays.VN, as ``seed_calendar`` would."""
    for year in SEEDED_YEARS:
        calendar_seed_year(year=year)


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> dt.datetime:
    """An instant in Viet Nam time."""
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=VN)
