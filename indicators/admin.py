"""Django admin of the indicators, for the province administrator.

The catalogue (groups, indicators, report forms) is data the administrator may correct here; every
save makes the cached figures stale. Targets, reports and their history change through the
services (validation, history, review), and the day facts and watermarks are derived data, so
the admin shows them and never edits them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.forms import ModelForm
from django.http import HttpRequest

from indicators.models import (
    DossierDayFact,
    ExportJob,
    FactWatermark,
    Indicator,
    IndicatorGroup,
    Report,
    ReportEvent,
    ReportForm,
    ReportValue,
    Target,
)
from indicators.selectors import figures_cache_bump


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CatalogueAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Catalogue rows: editable, and cached figures are recomputed after a change."""

    def save_model(self, request: HttpRequest, obj: Model, form: ModelForm[Any], change: bool) -> None:
        super().save_model(request, obj, form, change)
        figures_cache_bump()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Indicators and forms carry history (targets, reports): switch them off instead.
        return False


@admin.register(IndicatorGroup)
class IndicatorGroupAdmin(CatalogueAdmin):
    list_display = ("code", "name", "framework", "max_points", "unconfirmed", "order")
    list_filter = ("framework", "unconfirmed")
    search_fields = ("code", "name")


@admin.register(Indicator)
class IndicatorAdmin(CatalogueAdmin):
    list_display = (
        "code",
        "name",
        "group",
        "unit",
        "direction",
        "source",
        "periodicity",
        "aggregation",
        "points",
        "published",
        "is_active",
    )
    list_filter = ("source", "group", "periodicity", "published", "is_active", "unconfirmed")
    search_fields = ("code", "name", "short_name", "computation")
    list_select_related = ("group",)


@admin.register(ReportForm)
class ReportFormAdmin(CatalogueAdmin):
    list_display = ("code", "name", "periodicity", "reviewer", "due_days", "is_active")
    filter_horizontal = ("indicators",)
    raw_id_fields = ("reviewer",)


@admin.register(Target)
class TargetAdmin(ReadOnlyAdmin):
    list_display = ("indicator", "agency", "period", "value", "baseline", "set_by", "set_at")
    list_filter = ("period__year", "period__kind")
    search_fields = ("indicator__code", "agency__name")
    list_select_related = ("indicator", "agency", "period", "set_by")


class ReportValueInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ReportValue
    fields = ("indicator", "value", "numerator", "denominator", "comment")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReportEventInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ReportEvent
    fields = ("at", "action", "from_status", "to_status", "actor_name", "comment")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ("form", "agency", "period", "status", "due_date", "submitted_at", "reviewed_at")
    list_filter = ("status", "form", "period__year")
    search_fields = ("agency__name",)
    list_select_related = ("form", "agency", "period")
    inlines = (ReportValueInline, ReportEventInline)


@admin.register(DossierDayFact)
class DossierDayFactAdmin(ReadOnlyAdmin):
    list_display = (
        "day",
        "agency",
        "received",
        "received_online",
        "resolved",
        "resolved_on_time",
        "refreshed_at",
    )
    list_filter = ("day",)
    search_fields = ("agency__name",)
    date_hierarchy = "day"
    list_select_related = ("agency",)


@admin.register(FactWatermark)
class FactWatermarkAdmin(ReadOnlyAdmin):
    list_display = ("source", "last_id", "last_at", "refreshed_at")


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdmin):
    list_display = ("kind", "state", "done", "total", "requested_by", "created_at", "finished_at")
    list_filter = ("state", "kind")
