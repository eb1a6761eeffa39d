"""Seeding the calendar from holidays.VN: complete, audited, idempotent, and never over an
administrator's edit."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import holidays
import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from accounts.models import User
from workcalendar.clock import is_working_day
from workcalendar.holiday_source import holidays_vn_days
from workcalendar.models import CalendarDay, CalendarDayChange, DayKind, DaySource
from workcalendar.services import (
    calendar_day_change,
    calendar_day_remove,
    calendar_default_years,
    calendar_seed_year,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("year", [2024, 2025, 2026, 2027])
def test_seeded_days_off_are_exactly_those_of_holidays_vn(year: int) -> None:
    calendar_seed_year(year=year)

    days_off = set(
        CalendarDay.objects.filter(date__year=year, kind__in=DayKind.days_off()).values_list(
            "date", flat=True
        )
    )
    assert days_off == set(holidays.country_holidays("VN", years=year))
    makeup = set(
        CalendarDay.objects.filter(date__year=year, kind=DayKind.MAKEUP_WORKDAY).values_list(
            "date", flat=True
        )
    )
    assert makeup == {
        d for d in holidays.country_holidays("VN", years=year).weekend_workdays if d.year == year
    }


def test_2025_is_seeded_with_kinds_and_vietnamese_names() -> None:
    calendar_seed_year(year=2025)

    rows = {row.date: row for row in CalendarDay.objects.filter(date__year=2025)}
    assert rows[dt.date(2025, 1, 29)].name == "Tết Nguyên Đán"
    assert rows[dt.date(2025, 1, 29)].kind == DayKind.HOLIDAY
    assert rows[dt.date(2025, 1, 27)].kind == DayKind.SUBSTITUTE  # 29 Tết, for Saturday 1/2
    assert rows[dt.date(2025, 4, 7)].name == "Ngày Giỗ Tổ Hùng Vương"
    assert rows[dt.date(2025, 5, 2)].kind == DayKind.SWAP
    assert rows[dt.date(2025, 4, 26)].kind == DayKind.MAKEUP_WORKDAY
    assert rows[dt.date(2025, 4, 26)].name == "Làm bù cho ngày 02/05/2025"
    assert {row.source for row in rows.values()} == {DaySource.SEED}


def test_every_seeded_row_is_audited() -> None:
    result = calendar_seed_year(year=2025)

    audits = CalendarDayChange.objects.filter(date__year=2025)
    assert len(result.added) == CalendarDay.objects.filter(date__year=2025).count() == audits.count()
    entry = audits.get(date=dt.date(2025, 4, 30))
    assert entry.action == CalendarDayChange.Action.ADD
    assert entry.via == DaySource.SEED
    assert entry.actor is None
    assert entry.before is None
    assert entry.after == {"kind": "holiday", "name": "Ngày Chiến thắng", "note": "", "source": "seed"}
    assert "holidays.VN" in entry.reason


def test_seeding_twice_writes_nothing_the_second_time() -> None:
    calendar_seed_year(year=2026)
    rows, audits = CalendarDay.objects.count(), CalendarDayChange.objects.count()

    again = calendar_seed_year(year=2026)

    assert not again.wrote
    assert (CalendarDay.objects.count(), CalendarDayChange.objects.count()) == (rows, audits)


def test_seeding_never_overwrites_a_day_an_administrator_changed(admin: User) -> None:
    calendar_seed_year(year=2025)
    calendar_day_change(
        day=dt.date(2025, 1, 27),
        name="Nghỉ Tết theo Thông báo của tỉnh",
        reason="Thông báo số 12/TB-UBND",
        actor=admin,
    )

    result = calendar_seed_year(year=2025)

    assert dt.date(2025, 1, 27) in result.kept
    assert CalendarDay.objects.get(date=dt.date(2025, 1, 27)).name == "Nghỉ Tết theo Thông báo của tỉnh"


def test_seeding_does_not_bring_back_a_day_an_administrator_removed(admin: User) -> None:
    calendar_seed_year(year=2025)
    calendar_day_remove(day=dt.date(2025, 5, 2), reason="Tỉnh không hoán đổi ngày làm việc", actor=admin)

    result = calendar_seed_year(year=2025)

    assert not result.wrote
    assert not CalendarDay.objects.filter(date=dt.date(2025, 5, 2)).exists()
    assert is_working_day(dt.date(2025, 5, 2))


def test_seeding_repairs_its_own_rows_and_drops_days_the_package_no_longer_lists() -> None:
    calendar_seed_year(year=2025)
    CalendarDay.objects.filter(date=dt.date(2025, 9, 2)).update(name="Tên cũ")
    CalendarDay.objects.create(
        date=dt.date(2025, 12, 24), kind=DayKind.HOLIDAY, name="Sai", source=DaySource.SEED
    )

    result = calendar_seed_year(year=2025)

    assert result.changed == [dt.date(2025, 9, 2)]
    assert result.removed == [dt.date(2025, 12, 24)]
    assert CalendarDay.objects.get(date=dt.date(2025, 9, 2)).name == "Quốc khánh"
    change = CalendarDayChange.objects.get(date=dt.date(2025, 9, 2), action=CalendarDayChange.Action.CHANGE)
    assert change.before is not None
    assert change.before["name"] == "Tên cũ"
    assert CalendarDayChange.objects.filter(date=dt.date(2025, 12, 24), action="remove", via="seed").exists()


def test_a_year_outside_the_package_is_refused() -> None:
    with pytest.raises(ValidationError):
        calendar_seed_year(year=1990)
    with pytest.raises(ValueError, match="1990"):
        holidays_vn_days(1990)


def test_the_default_years_are_last_this_and_next() -> None:
    assert calendar_default_years(dt.date(2026, 3, 1)) == [2025, 2026, 2027]


def test_the_command_seeds_the_years_given_and_reports_in_vietnamese() -> None:
    out = StringIO()
    call_command("seed_calendar", "2024", "2025", stdout=out)

    assert CalendarDay.objects.filter(date__year=2024).exists()
    assert CalendarDay.objects.filter(date__year=2025).exists()
    assert "Năm 2025: thêm 14" in out.getvalue()

    out = StringIO()
    call_command("seed_calendar", "2025", stdout=out)
    assert "Năm 2025: thêm 0, cập nhật 0, xóa 0" in out.getvalue()


def test_the_command_without_years_seeds_three_years() -> None:
    call_command("seed_calendar", stdout=StringIO())

    assert sorted({d.year for d in CalendarDay.objects.dates("date", "year")}) == calendar_default_years()


def test_the_command_is_quiet_at_verbosity_zero() -> None:
    out = StringIO()
    call_command("seed_calendar", "2025", verbosity=0, stdout=out)
    assert out.getvalue() == ""
    assert CalendarDay.objects.filter(date__year=2025).count() == 14


def test_the_command_refuses_a_bad_year() -> None:
    with pytest.raises(CommandError, match="1995"):
        call_command("seed_calendar", "1800", stdout=StringIO())
