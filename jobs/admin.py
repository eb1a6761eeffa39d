"""The queue in the Django admin: read-only, with "run again" for failed jobs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jobs.models import Job, PeriodicSchedule
from jobs.services import job_requeue

if TYPE_CHECKING:
    _JobAdmin = admin.ModelAdmin[Job]
    _ScheduleAdmin = admin.ModelAdmin[PeriodicSchedule]
else:  # the generic parameters exist only for the type checker
    _JobAdmin = _ScheduleAdmin = admin.ModelAdmin


class _ReadOnly:
    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Job)
class JobAdmin(_ReadOnly, _JobAdmin):
    list_display = (
        "id",
        "func",
        "status",
        "attempts",
        "max_attempts",
        "run_after",
        "finished_at",
        "short_error",
    )
    list_filter = ("status", "func")
    search_fields = ("func", "last_error")
    date_hierarchy = "created_at"
    actions = ("run_again",)
    readonly_fields = tuple(f.name for f in Job._meta.fields)

    @admin.display(description=_("lỗi gần nhất"))
    def short_error(self, job: Job) -> str:
        lines = job.last_error.strip().splitlines()
        return lines[-1][:160] if lines else ""

    @admin.action(description=_("Chạy lại các việc thất bại đã chọn"))
    def run_again(self, request: HttpRequest, queryset: QuerySet[Job]) -> None:
        count = sum(job_requeue(job=job) for job in queryset)
        skipped = queryset.count() - count
        self.message_user(request, gettext("Đã xếp lại %(n)d việc để chạy.") % {"n": count}, messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                gettext("%(n)d việc không ở trạng thái thất bại nên không chạy lại.") % {"n": skipped},
                messages.WARNING,
            )


@admin.register(PeriodicSchedule)
class PeriodicScheduleAdmin(_ReadOnly, _ScheduleAdmin):
    list_display = ("name", "next_run_at", "last_run_at", "last_job")
    readonly_fields = ("name", "next_run_at", "last_run_at", "last_job")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
