"""Administration of dossiers (/quan-tri/): read-only, for administrators who investigate.

A dossier changes only through the services (``dossiers.transitions``): here nothing can be
added, edited or deleted — not the dossier, its steps, its files, its slips, nor a line of its
history (Decree 61/2018 Art. 5: no one may change or delete electronic records).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from dossiers.models import Dossier, DossierEvent, DossierFile, DossierPause, DossierStep, Rating, Slip

if TYPE_CHECKING:
    _DossierAdmin = admin.ModelAdmin[Dossier]
    _Inline = admin.TabularInline[Any, Dossier]
else:
    _DossierAdmin = admin.ModelAdmin
    _Inline = admin.TabularInline


class _ReadOnlyInline(_Inline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class EventInline(_ReadOnlyInline):
    model = DossierEvent
    verbose_name_plural = _("nhật ký hồ sơ")
    fields = (
        "sequence",
        "at",
        "action",
        "from_status",
        "to_status",
        "actor_name",
        "agency",
        "reason",
        "data",
    )
    readonly_fields = fields
    ordering = ("sequence",)


class StepInline(_ReadOnlyInline):
    model = DossierStep
    fields = (
        "order",
        "name",
        "agency",
        "role",
        "assignee",
        "started_at",
        "due_at",
        "finished_at",
        "timeliness",
        "outcome",
    )
    readonly_fields = fields


class FileInline(_ReadOnlyInline):
    model = DossierFile
    fields = (
        "kind",
        "requirement",
        "name",
        "origin",
        "content_type",
        "size",
        "sha256",
        "replaces",
        "uploaded_at",
    )
    readonly_fields = fields


class PauseInline(_ReadOnlyInline):
    model = DossierPause
    fields = ("status", "reason", "started_at", "ended_at")
    readonly_fields = fields


class SlipInline(_ReadOnlyInline):
    model = Slip
    fields = ("form", "number", "issued_at", "issued_by", "agency")
    readonly_fields = fields


class RatingInline(_ReadOnlyInline):
    model = Rating
    fields = ("score", "criteria", "comment", "source", "rated_at")
    readonly_fields = fields


@admin.register(Dossier)
class DossierAdmin(_DossierAdmin):
    list_display = (
        "__str__",
        "procedure_version",
        "status",
        "channel",
        "receiving_agency",
        "received_at",
        "due_at",
    )
    list_filter = ("status", "channel", "finished_late")
    search_fields = ("code", "reference", "applicant_name", "applicant_national_id")
    date_hierarchy = "received_at"
    list_select_related = ("procedure_version", "receiving_agency")
    inlines = (EventInline, StepInline, FileInline, PauseInline, SlipInline, RatingInline)

    def get_readonly_fields(self, request: HttpRequest, obj: Dossier | None = None) -> list[str]:
        return [field.name for field in Dossier._meta.concrete_fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Dossier | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Dossier | None = None) -> bool:
        return False
