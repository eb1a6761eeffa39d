"""Reads of directives and tasks: deadline state, inbox, timeline, the per-agency report and the
overdue count that the indicators read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from congso.access import VIEW, AnyUser
from directives.models import OPEN_STATUSES, Directive, Reminder, Status, Task, TaskCoordination, TaskQuerySet
from workcalendar.clock import working_days_between


def due_soon_days() -> int:
    """How many days before its deadline a task counts as "due soon" and is reminded
    (``DIRECTIVES_DUE_SOON_DAYS``, 3 by default; working days for tasks counted in working days)."""
    return int(getattr(settings, "DIRECTIVES_DUE_SOON_DAYS", 3))


@dataclass(frozen=True)
class DeadlineState:
    """Where a task stands against its deadline on a given day."""

    code: str  # no_deadline, on_track, due_soon, overdue, done_on_time, done_late, cancelled
    label: Promise | str
    days_left: int | None = None  # negative when overdue; working days when the task says so

    @property
    def is_overdue(self) -> bool:
        return self.code == "overdue"


def days_left(task: Task, today: dt.date) -> int | None:
    if task.due_on is None:
        return None
    if task.working_days:
        return working_days_between(today, task.due_on)
    return (task.due_on - today).days


def deadline_state(task: Task, *, today: dt.date | None = None) -> DeadlineState:
    today = today or timezone.localdate()
    if task.status == Status.CANCELLED:
        return DeadlineState("cancelled", _("Đã hủy"))
    if task.status == Status.DONE:
        if task.finished_late:
            return DeadlineState("done_late", _("Hoàn thành quá hạn"))
        return DeadlineState("done_on_time", _("Hoàn thành đúng hạn"))
    left = days_left(task, today)
    if left is None:
        return DeadlineState("no_deadline", _("Thường xuyên, không có hạn"))
    reported = task.reported_done_on if task.status == Status.REPORTED_DONE else None
    if reported is not None and task.due_on is not None and reported <= task.due_on:
        return DeadlineState("on_track", _("Đã báo cáo trong hạn, chờ xác nhận"), left)
    if left < 0:
        return DeadlineState("overdue", _("Quá hạn %(n)d ngày") % {"n": -left}, left)
    if left <= due_soon_days():
        return DeadlineState("due_soon", _("Sắp đến hạn (còn %(n)d ngày)") % {"n": left}, left)
    return DeadlineState("on_track", _("Trong hạn (còn %(n)d ngày)") % {"n": left}, left)


def visible_tasks(user: AnyUser) -> TaskQuerySet:
    return Task.objects.restrict(user, VIEW).select_related("directive", "lead_agency", "owner_agency")


def inbox(user: AnyUser, *, agency: Agency, status: str = "", open_only: bool = False) -> TaskQuerySet:
    """The tasks an agency leads or coordinates, as ``user`` may see them, soonest deadline first."""
    coordinated = TaskCoordination.objects.filter(agency=agency).values("task_id")
    tasks = visible_tasks(user).filter(Q(lead_agency=agency) | Q(pk__in=coordinated))
    if status:
        tasks = tasks.filter(status=status)
    if open_only:
        tasks = tasks.filter(status__in=OPEN_STATUSES)
    return tasks.order_by("due_on", "pk")


def agency_reminders(*, agency: Agency, limit: int = 20) -> list[Reminder]:
    """The latest reminders sent to ``agency`` (the in-app side of the reminders)."""
    return list(Reminder.objects.filter(agency=agency).select_related("task").order_by("-sent_at")[:limit])


def directive_with_tasks(directive: Directive) -> list[Task]:
    return list(
        directive.tasks.select_related("lead_agency")
        .prefetch_related(Prefetch("coordinating_agencies", queryset=Agency.objects.order_by("name")))
        .order_by("pk")
    )


def task_timeline(task: Task) -> list[object]:
    return list(
        task.events.select_related("actor", "agency").prefetch_related("attachments").order_by("sequence")
    )


# --- The report a provincial office sends before a briefing -------------------------------------

REPORT_COLUMNS: tuple[tuple[str, Promise], ...] = (
    ("assigned", _("Tổng số nhiệm vụ được giao")),
    ("done_on_time", _("Đã hoàn thành đúng hạn")),
    ("done_late", _("Đã hoàn thành quá hạn")),
    ("in_progress", _("Đang thực hiện trong hạn")),
    ("overdue", _("Quá hạn chưa hoàn thành")),
)


@dataclass
class ReportRow:
    agency: Agency | None
    label: str
    assigned: int = 0
    done_on_time: int = 0
    done_late: int = 0
    in_progress: int = 0
    overdue: int = 0
    overdue_tasks: list[Task] = field(default_factory=list)

    def values(self) -> list[int]:
        return [getattr(self, key) for key, _label in REPORT_COLUMNS]

    @property
    def on_time_rate(self) -> str:
        done = self.done_on_time + self.done_late
        return f"{100 * self.done_on_time / done:.1f}".replace(".", ",") if done else "—"


@dataclass
class TaskReport:
    start: dt.date
    end: dt.date
    as_of: dt.date
    rows: list[ReportRow]
    total: ReportRow


def _classify(task: Task, as_of: dt.date) -> str:
    """Done on time / done late / in progress within deadline / overdue, as things stood on ``as_of``."""
    if task.status == Status.DONE and task.completed_on is not None and task.completed_on <= as_of:
        return "done_late" if task.finished_late else "done_on_time"
    reported = task.reported_done_on if task.status == Status.REPORTED_DONE else None
    if task.due_on is not None and task.due_on < as_of and not (reported and reported <= task.due_on):
        return "overdue"
    return "in_progress"


def task_report(user: AnyUser, *, start: dt.date, end: dt.date, today: dt.date | None = None) -> TaskReport:
    """Per lead agency, the tasks assigned between ``start`` and ``end`` (cancelled ones left out)
    and where they stood at the end of the period (or today, for a period not over yet)."""
    today = today or timezone.localdate()
    as_of = min(end, today)
    tasks = (
        visible_tasks(user)
        .filter(assigned_on__gte=start, assigned_on__lte=end)
        .exclude(status=Status.CANCELLED)
        .order_by("lead_agency__name", "due_on", "pk")
    )
    rows: dict[int, ReportRow] = {}
    total = ReportRow(agency=None, label=str(_("Tổng cộng")))
    for task in tasks:
        row = rows.setdefault(
            task.lead_agency_id, ReportRow(agency=task.lead_agency, label=task.lead_agency.name)
        )
        column = _classify(task, as_of)
        for target in (row, total):
            target.assigned += 1
            setattr(target, column, getattr(target, column) + 1)
        if column == "overdue":
            row.overdue_tasks.append(task)
    return TaskReport(start=start, end=end, as_of=as_of, rows=list(rows.values()), total=total)


def overdue_task_count(*, agency: Agency | None = None, on: dt.date | None = None) -> int:
    """Open tasks past their deadline on ``on`` (today), for one lead agency or the province —
    the figure the indicators ("nhiệm vụ quá hạn") read. Not scoped: indicators are the system's."""
    tasks = Task.objects.overdue_on(on or timezone.localdate())
    if agency is not None:
        tasks = tasks.filter(lead_agency=agency)
    return tasks.count()
