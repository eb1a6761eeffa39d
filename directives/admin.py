"""Django admin of directives: read-only views for the province administrator.

Tasks change only through their services (history, reminders, rules), so the admin shows them
and never edits them; directives may have their typing corrected.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from directives.models import Directive, ExtensionRequest, Reminder, Task, TaskDraft, TaskEvent


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class TaskDraftInline(admin.TabularInline):  # type: ignore[type-arg]
    model = TaskDraft
    fields = ("order", "number", "content", "deadline_kind", "due_on", "state")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Directive)
class DirectiveAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("subject", "number", "issued_on", "issuer", "owner_agency")
    list_filter = ("kind",)
    search_fields = ("subject", "number", "assigner_name")
    date_hierarchy = "issued_on"
    fields = (
        "kind",
        "number",
        "issued_on",
        "subject",
        "signer_name",
        "signer_title",
        "assigner_name",
        "issuer",
        "owner_agency",
        "assigner",
        "document",
        "text",
        "created_by",
    )
    readonly_fields = ("issuer", "owner_agency", "assigner", "document", "text", "created_by")
    inlines = (TaskDraftInline,)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # recorded on the page, where its tasks are proposed and reviewed

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "lead_agency", "status", "due_on", "original_due_on", "assigned_on")
    list_filter = ("status", "deadline_kind", "priority")
    search_fields = ("content", "number")
    list_select_related = ("lead_agency",)


@admin.register(TaskEvent)
class TaskEventAdmin(ReadOnlyAdmin):
    list_display = ("task", "sequence", "action", "from_status", "to_status", "actor_name", "at")
    list_filter = ("action",)


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ReadOnlyAdmin):
    list_display = ("task", "current_due_on", "requested_due_on", "state", "requested_at")
    list_filter = ("state",)


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ("task", "kind", "due_on", "agency", "sent_at")
    list_filter = ("kind",)
