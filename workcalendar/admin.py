"""The calendar in the Django admin, for the province administrator only.

Every add, change and delete goes through ``workcalendar.services`` with a
reason, so the audit row and the cache invalidation happen in the same
transaction as the edit. The audit itself is read-only here.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminDateWidget
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from workcalendar.models import CalendarDay, CalendarDayChange, WorkingHours
from workcalendar.permissions import can_manage_calendar
from workcalendar.services import (
    calendar_day_add,
    calendar_day_change,
    calendar_day_remove,
    calendar_day_validate,
    working_hours_delete,
    working_hours_save,
)

if TYPE_CHECKING:
    _DayForm = ModelForm[CalendarDay]
    _DayAdmin = admin.ModelAdmin[CalendarDay]
    _ChangeAdmin = admin.ModelAdmin[CalendarDayChange]
    _HoursAdmin = admin.ModelAdmin[WorkingHours]
else:  # the generic parameters exist only for the type checker (no django_stubs_ext monkeypatch)
    _DayForm = ModelForm
    _DayAdmin = _ChangeAdmin = _HoursAdmin = admin.ModelAdmin

WEEKDAY_LABELS = (
    _("Thứ Hai"),
    _("Thứ Ba"),
    _("Thứ Tư"),
    _("Thứ Năm"),
    _("Thứ Sáu"),
    _("Thứ Bảy"),
    _("Chủ nhật"),
)


class _ManagerOnly:
    """Only the province administrator (or a superuser) sees and edits these models."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return can_manage_calendar(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_manage_calendar(request.user)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return can_manage_calendar(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_manage_calendar(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_manage_calendar(request.user)


class YearFilter(admin.SimpleListFilter):
    title = _("năm")
    parameter_name = "nam"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        years = CalendarDay.objects.dates("date", "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in years]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(date__year=int(value))
        return queryset


class CalendarDayForm(_DayForm):
    # Django's "vi" locale has no input formats, so the default list would read 04/06/2025 as
    # 6 April (%m/%d/%Y): accept only dd/mm/yyyy and ISO (what the admin's date picker writes).
    date = forms.DateField(
        label=_("ngày"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=AdminDateWidget(format="%d/%m/%Y"),
        help_text=_("Dạng dd/mm/yyyy."),
    )
    reason = forms.CharField(
        label=_("Lý do, căn cứ thay đổi"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ví dụ: Thông báo số …/TB-BNV về lịch nghỉ Tết. Lý do được ghi vào nhật ký."),
    )

    class Meta:
        model = CalendarDay
        fields = ("date", "kind", "name", "note")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day = cleaned.get("date") or (self.instance.date if self.instance.pk else None)
        if isinstance(day, dt.date) and cleaned.get("kind") and cleaned.get("name") is not None:
            calendar_day_validate(day=day, kind=cleaned["kind"], name=cleaned["name"])
        return cleaned


@admin.register(CalendarDay)
class CalendarDayAdmin(_ManagerOnly, _DayAdmin):
    form = CalendarDayForm
    list_display = ("day", "weekday", "kind", "name", "source")
    list_filter = (YearFilter, "kind", "source")
    search_fields = ("name", "note")
    ordering = ("date",)
    delete_confirmation_template = "admin/workcalendar/calendarday/delete_confirmation.html"

    @admin.display(description=_("ngày"), ordering="date")
    def day(self, obj: CalendarDay) -> str:
        return f"{obj.date:%d/%m/%Y}"

    @admin.display(description=_("thứ"))
    def weekday(self, obj: CalendarDay) -> str:
        return str(WEEKDAY_LABELS[obj.date.weekday()])

    def get_readonly_fields(self, request: HttpRequest, obj: CalendarDay | None = None) -> tuple[str, ...]:
        # A day moves by removing it and adding the new one: two audited acts.
        return ("date", "source") if obj is not None else ()

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # bulk delete would bypass the reason
        return actions

    def save_model(self, request: HttpRequest, obj: CalendarDay, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if change:
            calendar_day_change(
                day=obj.date,
                kind=data["kind"],
                name=data["name"],
                note=data.get("note", ""),
                reason=data["reason"],
                actor=request.user,
            )
        else:
            row = calendar_day_add(
                day=data["date"],
                kind=data["kind"],
                name=data["name"],
                note=data.get("note", ""),
                reason=data["reason"],
                actor=request.user,
            )
            obj.pk = row.pk

    def delete_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> HttpResponse:
        if request.method == "POST" and not request.POST.get("reason", "").strip():
            messages.error(request, gettext("Phải nêu lý do xóa ngày này khỏi lịch."))
            return HttpResponseRedirect(request.get_full_path())
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request: HttpRequest, obj: CalendarDay) -> None:
        calendar_day_remove(
            day=obj.date,
            reason=request.POST.get("reason", ""),
            actor=request.user,
        )

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CalendarDay]) -> None:
        raise PermissionError("calendar days are removed one by one, with a reason")


@admin.register(CalendarDayChange)
class CalendarDayChangeAdmin(_ManagerOnly, _ChangeAdmin):
    list_display = ("when", "day", "action", "via", "actor", "reason")
    list_filter = ("action", "via")
    search_fields = ("reason",)
    date_hierarchy = "at"
    readonly_fields = ("date", "action", "via", "actor", "at", "before", "after", "reason")

    @admin.display(description=_("thời điểm"), ordering="at")
    def when(self, obj: CalendarDayChange) -> str:
        return f"{timezone.localtime(obj.at):%d/%m/%Y %H:%M}"

    @admin.display(description=_("ngày"), ordering="date")
    def day(self, obj: CalendarDayChange) -> str:
        return f"{obj.date:%d/%m/%Y}"

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WorkingHours)
class WorkingHoursAdmin(_ManagerOnly, _HoursAdmin):
    list_display = ("__str__", "reception_cutoff", "basis")
    fields = (
        "agency",
        ("morning_start", "morning_end"),
        ("afternoon_start", "afternoon_end"),
        "reception_cutoff",
        "basis",
    )

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request: HttpRequest, obj: WorkingHours, form: Any, change: bool) -> None:
        working_hours_save(hours=obj, actor=request.user)

    def delete_model(self, request: HttpRequest, obj: WorkingHours) -> None:
        working_hours_delete(hours=obj, actor=request.user)
