"""The clock's cache: one version key in Django's cache, a year loaded once per version."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from workcalendar import snapshot
from workcalendar.clock import add_working_days, is_working_day, pinned_calendar
from workcalendar.models import CalendarDay, CalendarDayChange
from workcalendar.services import calendar_day_remove, calendar_seed_year
from workcalendar.tests.conftest import at

pytestmark = pytest.mark.django_db


def test_a_year_is_read_from_the_database_once_per_version() -> None:
    calendar_seed_year(year=2025)

    with CaptureQueriesContext(connection) as first:
        add_working_days(at(2025, 4, 24, 10), 5)
    with CaptureQueriesContext(connection) as again:
        for day in range(1, 29):
            add_working_days(at(2025, 2, day, 10), 5)

    assert 1 <= len(first.captured_queries) <= 3
    assert len(again.captured_queries) == 0


def test_another_process_holding_an_old_snapshot_sees_an_edit_at_once(admin: User) -> None:
    calendar_seed_year(year=2025)
    assert not is_working_day(dt.date(2025, 5, 2))
    held_elsewhere = snapshot._shared

    calendar_day_remove(day=dt.date(2025, 5, 2), reason="Không hoán đổi", actor=admin)
    snapshot._shared = held_elsewhere  # as if this process had not made the edit itself

    assert is_working_day(dt.date(2025, 5, 2))


def test_the_version_is_bumped_again_after_commit(
    admin: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    calendar_seed_year(year=2025)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        calendar_day_remove(day=dt.date(2025, 5, 2), reason="Không hoán đổi", actor=admin)
        during = cache.get(snapshot.VERSION_KEY)

    assert len(callbacks) == 1
    assert cache.get(snapshot.VERSION_KEY) not in {None, during}


def test_a_lost_version_key_reloads_the_calendar(admin: User) -> None:
    calendar_seed_year(year=2025)
    assert not is_working_day(dt.date(2025, 5, 2))
    cache.clear()

    with CaptureQueriesContext(connection) as queries:
        assert not is_working_day(dt.date(2025, 5, 2))

    assert len(queries.captured_queries) >= 1


def test_a_pinned_calendar_reads_the_version_once_and_an_own_edit_unpins_it(admin: User) -> None:
    calendar_seed_year(year=2025)
    with pinned_calendar() as pinned:
        cache.set(snapshot.VERSION_KEY, "changed-by-another-process")
        assert snapshot.current_snapshot() is pinned
        calendar_day_remove(day=dt.date(2025, 5, 2), reason="Không hoán đổi", actor=admin)
        assert is_working_day(dt.date(2025, 5, 2))
    assert snapshot.current_snapshot() is not pinned


def test_a_year_nobody_seeded_falls_back_to_holidays_vn() -> None:
    assert not is_working_day(dt.date(2025, 4, 30))
    assert is_working_day(dt.date(2025, 4, 26))
    assert add_working_days(at(2025, 4, 24, 10), 5) == at(2025, 5, 5, 10)
    assert not snapshot.current_snapshot().table(2025).from_table


def test_a_year_whose_days_were_all_removed_is_not_refilled_from_the_package(admin: User) -> None:
    calendar_seed_year(year=2025)
    for day in CalendarDay.objects.filter(date__year=2025).values_list("date", flat=True):
        calendar_day_remove(day=day, reason="Tỉnh nhập lại lịch năm 2025", actor=admin)

    assert is_working_day(dt.date(2025, 4, 30))
    assert not is_working_day(dt.date(2025, 4, 26))
    assert snapshot.current_snapshot().table(2025).from_table


@pytest.mark.django_db(transaction=True)
def test_committed_audit_rows_do_not_block_emptying_the_database_between_tests() -> None:
    # The PostgreSQL trigger refuses row DELETEs; the test runner's TRUNCATE must still work.
    calendar_seed_year(year=2025)
    assert CalendarDayChange.objects.exists()
