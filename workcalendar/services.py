"""Writes to the working-day calendar. Each one audits and invalidates the clock's cache in the
same transaction, so no edit is ever half-written, unaudited or unseen by the next deadline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from importlib.metadata import version
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from workcalendar.holiday_source import FIRST_YEAR, LAST_YEAR, SourceDay, holidays_vn_days
from workcalendar.models import CalendarDay, CalendarDayChange, DayKind, DaySource, WorkingHours
from workcalendar.permissions import can_manage_calendar
from workcalendar.snapshot import calendar_cache_bump

if TYPE_CHECKING:
    from congso.access import AnyUser

_WEEKDAYS = (
    gettext_lazy("thứ Hai"),
    gettext_lazy("thứ Ba"),
    gettext_lazy("thứ Tư"),
    gettext_lazy("thứ Năm"),
    gettext_lazy("thứ Sáu"),
    gettext_lazy("thứ Bảy"),
    gettext_lazy("Chủ nhật"),
)


def _require_manager(actor: AnyUser | None) -> User:
    if not isinstance(actor, User) or not can_manage_calendar(actor):
        raise PermissionDenied(_("Chỉ quản trị hệ thống cấp tỉnh được sửa lịch làm việc."))
    return actor


def calendar_day_validate(*, day: dt.date, kind: str, name: str) -> None:
    """The rules a day must meet, for the services and for the admin form before it saves."""
    errors: dict[str, str] = {}
    if kind not in DayKind.values:
        errors["kind"] = _("Loại ngày không hợp lệ.")
    elif kind == DayKind.MAKEUP_WORKDAY and day.weekday() < 5:
        errors["kind"] = _("Ngày làm bù phải là thứ Bảy hoặc Chủ nhật; %(day)s là %(weekday)s.") % {
            "day": f"{day:%d/%m/%Y}",
            "weekday": _WEEKDAYS[day.weekday()],
        }
    if not name.strip():
        errors["name"] = _("Phải nhập tên ngày.")
    elif len(name.strip()) > 200:
        errors["name"] = _("Tên ngày dài quá 200 ký tự.")
    if errors:
        raise ValidationError(errors)


def _clean_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Phải nêu lý do, căn cứ của thay đổi.")})
    return reason


def _audit(
    *,
    day: dt.date,
    action: str,
    via: str,
    actor: User | None,
    before: dict[str, str] | None,
    after: dict[str, str] | None,
    reason: str,
) -> CalendarDayChange:
    return CalendarDayChange.objects.create(
        date=day, action=action, via=via, actor=actor, before=before, after=after, reason=reason
    )


@transaction.atomic
def calendar_day_add(
    *, day: dt.date, kind: str, name: str, note: str = "", reason: str, actor: AnyUser | None
) -> CalendarDay:
    """An administrator adds a day off or a make-up working day."""
    actor = _require_manager(actor)
    calendar_day_validate(day=day, kind=kind, name=name)
    reason = _clean_reason(reason)
    if CalendarDay.objects.filter(date=day).exists():
        raise ValidationError(
            {"date": _("Ngày %(day)s đã có trong lịch; hãy sửa ngày đó.") % {"day": f"{day:%d/%m/%Y}"}}
        )
    try:
        with transaction.atomic():
            row = CalendarDay.objects.create(
                date=day, kind=kind, name=name.strip(), note=note.strip(), source=DaySource.ADMIN
            )
    except IntegrityError:
        raise ValidationError(
            {"date": _("Ngày %(day)s vừa được người khác thêm vào lịch.") % {"day": f"{day:%d/%m/%Y}"}}
        ) from None
    _audit(
        day=day,
        action=CalendarDayChange.Action.ADD,
        via=DaySource.ADMIN,
        actor=actor,
        before=None,
        after=row.snapshot(),
        reason=reason,
    )
    calendar_cache_bump()
    return row


def _locked(day: dt.date) -> CalendarDay:
    try:
        return CalendarDay.objects.select_for_update().get(date=day)
    except CalendarDay.DoesNotExist:
        raise ValidationError(
            {"date": _("Ngày %(day)s không có trong lịch.") % {"day": f"{day:%d/%m/%Y}"}}
        ) from None


@transaction.atomic
def calendar_day_change(
    *,
    day: dt.date,
    kind: str | None = None,
    name: str | None = None,
    note: str | None = None,
    reason: str,
    actor: AnyUser | None,
) -> CalendarDay:
    """An administrator changes the kind, name or note of a day; the day becomes theirs, so
    seeding will never overwrite it. Nothing is written when nothing changes."""
    actor = _require_manager(actor)
    row = _locked(day)
    new_kind = row.kind if kind is None else kind
    new_name = row.name if name is None else name.strip()
    new_note = row.note if note is None else note.strip()
    calendar_day_validate(day=day, kind=new_kind, name=new_name)
    reason = _clean_reason(reason)
    if (new_kind, new_name, new_note) == (row.kind, row.name, row.note):
        return row
    before = row.snapshot()
    row.kind, row.name, row.note, row.source = new_kind, new_name, new_note, DaySource.ADMIN
    row.save()
    _audit(
        day=day,
        action=CalendarDayChange.Action.CHANGE,
        via=DaySource.ADMIN,
        actor=actor,
        before=before,
        after=row.snapshot(),
        reason=reason,
    )
    calendar_cache_bump()
    return row


@transaction.atomic
def calendar_day_remove(*, day: dt.date, reason: str, actor: AnyUser | None) -> None:
    """An administrator removes a day: it becomes an ordinary day of its week again, and
    seeding will not put it back."""
    actor = _require_manager(actor)
    reason = _clean_reason(reason)
    row = _locked(day)
    before = row.snapshot()
    row.delete()
    _audit(
        day=day,
        action=CalendarDayChange.Action.REMOVE,
        via=DaySource.ADMIN,
        actor=actor,
        before=before,
        after=None,
        reason=reason,
    )
    calendar_cache_bump()


@dataclass
class SeedResult:
    """What seeding one year did."""

    year: int
    added: list[dt.date] = field(default_factory=list)
    changed: list[dt.date] = field(default_factory=list)
    removed: list[dt.date] = field(default_factory=list)
    kept: list[dt.date] = field(default_factory=list)  # administrators' days left alone

    @property
    def wrote(self) -> bool:
        return bool(self.added or self.changed or self.removed)


@transaction.atomic
def calendar_seed_year(*, year: int, actor: User | None = None) -> SeedResult:
    """Bring ``year`` in line with ``holidays.VN``, except where an administrator has had a say.

    Idempotent: a second run writes nothing. A day an administrator added,
    changed or removed (any audit row made through the admin) is never
    touched; days seeded earlier are updated, or removed when the package no
    longer lists them. Every write is audited with ``via = seed``.
    """
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(
            _("Chỉ khởi tạo được lịch các năm từ %(first)s đến %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    proposed: dict[dt.date, SourceDay] = {d.date: d for d in holidays_vn_days(year)}
    existing = {
        row.date: row for row in CalendarDay.objects.select_for_update().filter(date__range=(start, end))
    }
    admin_days = set(
        CalendarDayChange.objects.filter(date__range=(start, end), via=DaySource.ADMIN).values_list(
            "date", flat=True
        )
    )
    label = f"holidays.VN {version('holidays')}"
    result = SeedResult(year=year)

    def audit(day: dt.date, action: str, before: dict[str, str] | None, after: dict[str, str] | None) -> None:
        reasons = {
            CalendarDayChange.Action.ADD: _("Khởi tạo lịch năm %(year)s từ %(source)s."),
            CalendarDayChange.Action.CHANGE: _("Cập nhật lịch năm %(year)s theo %(source)s."),
            CalendarDayChange.Action.REMOVE: _("%(source)s không còn ngày này trong năm %(year)s."),
        }
        _audit(
            day=day,
            action=action,
            via=DaySource.SEED,
            actor=actor,
            before=before,
            after=after,
            reason=reasons[CalendarDayChange.Action(action)] % {"year": year, "source": label},
        )

    for day, source_day in sorted(proposed.items()):
        row = existing.get(day)
        if day in admin_days or (row is not None and row.source == DaySource.ADMIN):
            result.kept.append(day)
            continue
        if row is None:
            row = CalendarDay.objects.create(
                date=day, kind=source_day.kind, name=source_day.name, source=DaySource.SEED
            )
            audit(day, CalendarDayChange.Action.ADD, None, row.snapshot())
            result.added.append(day)
        elif (row.kind, row.name) != (source_day.kind, source_day.name):
            before = row.snapshot()
            row.kind, row.name = source_day.kind, source_day.name
            row.save()
            audit(day, CalendarDayChange.Action.CHANGE, before, row.snapshot())
            result.changed.append(day)
    for day, row in sorted(existing.items()):
        if day in proposed or day in admin_days or row.source == DaySource.ADMIN:
            continue
        before = row.snapshot()
        row.delete()
        audit(day, CalendarDayChange.Action.REMOVE, before, None)
        result.removed.append(day)
    if result.wrote:
        calendar_cache_bump()
    return result


def calendar_default_years(today: dt.date | None = None) -> list[int]:
    """The years kept seeded: last year, this year and next year."""
    year = (today or timezone.localdate()).year
    return [year - 1, year, year + 1]


def calendar_seed_years(*, years: list[int] | None = None, actor: User | None = None) -> list[SeedResult]:
    """Seed several years (by default :func:`calendar_default_years`), each in its own transaction."""
    return [calendar_seed_year(year=year, actor=actor) for year in (years or calendar_default_years())]


@transaction.atomic
def working_hours_save(*, hours: WorkingHours, actor: AnyUser | None) -> WorkingHours:
    """Create or change the province's or an agency's working hours."""
    _require_manager(actor)
    hours.full_clean()
    hours.save()
    calendar_cache_bump()
    return hours


@transaction.atomic
def working_hours_delete(*, hours: WorkingHours, actor: AnyUser | None) -> None:
    """Remove a set of working hours: the agency falls back to the province's, the province to
    the defaults (07:30–11:30, 13:00–17:00, cut-off 15:00)."""
    _require_manager(actor)
    hours.delete()
    calendar_cache_bump()
