"""Administrators' edits: validated, audited in the same transaction, seen by the next computation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction

from accounts.models import User
from workcalendar.clock import add_working_days, is_working_day, reception_start
from workcalendar.models import CalendarDay, CalendarDayChange, DayKind, DaySource, WorkingHours
from workcalendar.services import (
    calendar_day_add,
    calendar_day_change,
    calendar_day_remove,
    calendar_seed_year,
    working_hours_delete,
    working_hours_save,
)
from workcalendar.tests.conftest import at

pytestmark = pytest.mark.django_db


def test_adding_a_day_off_is_audited_and_counts_at_once(admin: User) -> None:
    calendar_seed_year(year=2025)
    assert add_working_days(at(2025, 4, 24, 10), 5) == at(2025, 5, 5, 10)

    calendar_day_add(
        day=dt.date(2025, 4, 25),
        kind=DayKind.OTHER_DAY_OFF,
        name="Nghỉ theo quyết định của UBND tỉnh",
        reason="Quyết định số 99/QĐ-UBND",
        actor=admin,
    )

    assert add_working_days(at(2025, 4, 24, 10), 5) == at(2025, 5, 6, 10)
    entry = CalendarDayChange.objects.get(date=dt.date(2025, 4, 25))
    assert (entry.action, entry.via, entry.actor, entry.reason) == (
        "add",
        "admin",
        admin,
        "Quyết định số 99/QĐ-UBND",
    )
    assert entry.before is None
    assert entry.after == {
        "kind": "day_off",
        "name": "Nghỉ theo quyết định của UBND tỉnh",
        "note": "",
        "source": "admin",
    }


def test_changing_a_day_records_before_and_after_and_counts_at_once(admin: User) -> None:
    calendar_seed_year(year=2025)
    assert not is_working_day(dt.date(2025, 5, 2))

    with pytest.raises(ValidationError, match="thứ Bảy hoặc Chủ nhật"):
        calendar_day_change(day=dt.date(2025, 5, 2), kind=DayKind.MAKEUP_WORKDAY, reason="thử", actor=admin)
    calendar_day_change(
        day=dt.date(2025, 4, 26),
        kind=DayKind.OTHER_DAY_OFF,
        name="Không làm bù",
        note="Tỉnh không áp dụng hoán đổi",
        reason="Công văn số 5/UBND-KGVX",
        actor=admin,
    )

    assert not is_working_day(dt.date(2025, 4, 26))
    row = CalendarDay.objects.get(date=dt.date(2025, 4, 26))
    assert row.source == DaySource.ADMIN
    entry = CalendarDayChange.objects.get(date=dt.date(2025, 4, 26), action="change")
    assert entry.before == {
        "kind": "makeup_workday",
        "name": "Làm bù cho ngày 02/05/2025",
        "note": "",
        "source": "seed",
    }
    assert entry.after == {
        "kind": "day_off",
        "name": "Không làm bù",
        "note": "Tỉnh không áp dụng hoán đổi",
        "source": "admin",
    }
    assert entry.actor == admin


def test_a_change_that_changes_nothing_writes_nothing(admin: User) -> None:
    calendar_seed_year(year=2025)
    audits = CalendarDayChange.objects.count()

    calendar_day_change(day=dt.date(2025, 9, 2), name="Quốc khánh", reason="lưu lại", actor=admin)

    assert CalendarDayChange.objects.count() == audits


def test_removing_a_day_is_audited_and_counts_at_once(admin: User) -> None:
    calendar_seed_year(year=2025)

    calendar_day_remove(day=dt.date(2025, 5, 2), reason="Không hoán đổi", actor=admin)

    assert is_working_day(dt.date(2025, 5, 2))
    assert add_working_days(at(2025, 4, 24, 10), 5) == at(2025, 5, 2, 10)
    entry = CalendarDayChange.objects.get(date=dt.date(2025, 5, 2), action="remove")
    assert entry.after is None
    assert entry.before is not None
    assert entry.before["kind"] == "swap"
    assert entry.reason == "Không hoán đổi"


def test_working_hours_edits_count_at_once(admin: User) -> None:
    calendar_seed_year(year=2025)
    assert reception_start(at(2025, 4, 24, 15, 30)) == at(2025, 4, 25, 7, 30)

    hours = working_hours_save(hours=WorkingHours(reception_cutoff=dt.time(16, 0)), actor=admin)
    assert reception_start(at(2025, 4, 24, 15, 30)) == at(2025, 4, 24, 15, 30)

    working_hours_delete(hours=hours, actor=admin)
    assert reception_start(at(2025, 4, 24, 15, 30)) == at(2025, 4, 25, 7, 30)


def test_working_hours_out_of_order_are_refused(admin: User) -> None:
    with pytest.raises(ValidationError):
        working_hours_save(
            hours=WorkingHours(morning_start=dt.time(11, 0), morning_end=dt.time(8, 0)), actor=admin
        )
    with pytest.raises(ValidationError):
        working_hours_save(hours=WorkingHours(reception_cutoff=dt.time(18, 0)), actor=admin)
    working_hours_save(hours=WorkingHours(), actor=admin)
    with pytest.raises(ValidationError):
        working_hours_save(hours=WorkingHours(), actor=admin)  # a second province default


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"kind": DayKind.MAKEUP_WORKDAY, "day": dt.date(2025, 6, 4)}, "kind", "thứ Bảy hoặc Chủ nhật"),
        ({"name": "   "}, "name", "Phải nhập tên ngày"),
        ({"reason": " "}, "reason", "Phải nêu lý do"),
        ({"kind": "nonsense"}, "kind", "không hợp lệ"),
        ({"day": dt.date(2025, 9, 2)}, "date", "đã có trong lịch"),
    ],
)
def test_bad_additions_are_refused_in_vietnamese_and_nothing_is_written(
    admin: User, fields: dict[str, object], field: str, message: str
) -> None:
    calendar_seed_year(year=2025)
    rows, audits = CalendarDay.objects.count(), CalendarDayChange.objects.count()
    arguments: dict[str, object] = {
        "day": dt.date(2025, 6, 7),
        "kind": DayKind.OTHER_DAY_OFF,
        "name": "Ngày nghỉ",
        "reason": "Lý do",
        "actor": admin,
    } | fields

    with pytest.raises(ValidationError) as caught:
        calendar_day_add(**arguments)  # type: ignore[arg-type]

    assert message in " ".join(caught.value.message_dict[field])
    assert (CalendarDay.objects.count(), CalendarDayChange.objects.count()) == (rows, audits)


def test_only_the_province_administrator_edits_the_calendar(clerk: User, admin: User) -> None:
    calendar_seed_year(year=2025)
    with pytest.raises(PermissionDenied):
        calendar_day_remove(day=dt.date(2025, 5, 2), reason="thử", actor=clerk)
    with pytest.raises(PermissionDenied):
        calendar_day_add(day=dt.date(2025, 6, 6), kind="day_off", name="x", reason="thử", actor=None)
    with pytest.raises(PermissionDenied):
        working_hours_save(hours=WorkingHours(), actor=clerk)
    assert CalendarDay.objects.filter(date=dt.date(2025, 5, 2)).exists()


def test_removing_or_changing_a_day_not_in_the_calendar_is_refused(admin: User) -> None:
    with pytest.raises(ValidationError, match="không có trong lịch"):
        calendar_day_remove(day=dt.date(2025, 6, 6), reason="thử", actor=admin)
    with pytest.raises(ValidationError, match="không có trong lịch"):
        calendar_day_change(day=dt.date(2025, 6, 6), name="x", reason="thử", actor=admin)


# --- The audit is append-only -------------------------------------------------------------------


def test_audit_rows_cannot_be_changed_or_deleted_through_the_orm() -> None:
    calendar_seed_year(year=2025)
    entry = CalendarDayChange.objects.first()
    assert entry is not None

    entry.reason = "sửa lén"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        CalendarDayChange.objects.filter(pk=entry.pk).update(reason="sửa lén")
    with pytest.raises(PermissionError):
        CalendarDayChange.objects.all().delete()
    entry.refresh_from_db()
    assert entry.reason != "sửa lén"


def test_audit_rows_cannot_be_updated_even_in_sql() -> None:
    calendar_seed_year(year=2025)
    table = CalendarDayChange._meta.db_table

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET reason = 'sửa lén'")  # noqa: S608

    assert not CalendarDayChange.objects.filter(reason="sửa lén").exists()


@pytest.mark.postgres
def test_audit_rows_cannot_be_deleted_in_sql_on_postgresql() -> None:
    calendar_seed_year(year=2025)
    table = CalendarDayChange._meta.db_table

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608

    assert CalendarDayChange.objects.exists()
