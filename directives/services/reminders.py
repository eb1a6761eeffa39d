"""Reminders before and after a deadline, and the next period of recurring tasks.

Run once a day by the job layer (``directives.tasks``) or ``manage.py directives_remind``:

* due soon (``DIRECTIVES_DUE_SOON_DAYS`` before the deadline, working days for a task counted in
  working days): the lead agency, once per deadline;
* overdue: the lead agency, and the assigner is told (escalation), once per deadline — a granted
  extension sets a new deadline, which is reminded afresh.

Each reminder is an in-app notice in the agency's inbox (:class:`~directives.models.Reminder`), a
line in the task's history, and e-mails through ``notifications.notify`` (the outbox, sent after
commit by the job layer).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership
from agencies.models import Agency
from directives.models import OPEN_STATUSES, DeadlineKind, Reminder, Status, Task
from directives.selectors import deadline_state
from directives.services.lifecycle import task_next_occurrence
from directives.transitions import task_transition
from notifications.services import notify


@dataclass
class ReminderRun:
    sent: list[Reminder] = field(default_factory=list)
    occurrences: list[Task] = field(default_factory=list)


def agency_recipients(agency: Agency) -> list[str]:
    """The agency's own address and those of the staff it has now (the mail goes out now)."""
    addresses = [agency.email] if agency.email else []
    members = (
        Membership.objects.current()
        .filter(agency=agency, user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    for address in members:
        if address not in addresses:
            addresses.append(address)
    return addresses


def assigner_recipients(task: Task) -> list[str]:
    """The leader who assigned the task and the office that follows it."""
    addresses: list[str] = []
    if task.assigner is not None and task.assigner.email and task.assigner.is_active:
        addresses.append(task.assigner.email)
    for address in agency_recipients(task.owner_agency):
        if address not in addresses:
            addresses.append(address)
    return addresses


def _link(task: Task) -> str:
    base = str(getattr(settings, "CONGSO_PUBLIC_URL", "")).rstrip("/")
    return f"{base}{reverse('directives:task_detail', kwargs={'pk': task.pk})}"


def _message(task: Task, kind: str, today: dt.date) -> tuple[str, str]:
    state = deadline_state(task, today=today)
    due = task.due_on.strftime("%d/%m/%Y") if task.due_on else ""
    source = str(task.directive)
    if kind == Reminder.Kind.DUE_SOON:
        subject = _("[Nhắc việc] Nhiệm vụ sắp đến hạn %(due)s") % {"due": due}
        opening = _("Nhiệm vụ dưới đây sắp đến hạn hoàn thành (%(state)s).") % {"state": state.label}
    elif kind == Reminder.Kind.OVERDUE:
        subject = _("[Nhắc việc] Nhiệm vụ quá hạn từ %(due)s") % {"due": due}
        opening = _("Nhiệm vụ dưới đây đã quá hạn hoàn thành (%(state)s).") % {"state": state.label}
    else:
        subject = _("[Báo cáo] Nhiệm vụ quá hạn của %(agency)s") % {"agency": task.lead_agency.name}
        opening = _("Nhiệm vụ do đồng chí giao cho %(agency)s đã quá hạn (%(state)s).") % {
            "agency": task.lead_agency.name,
            "state": state.label,
        }
    lines = [
        str(opening),
        "",
        _("Nhiệm vụ: %(content)s") % {"content": task.content},
        _("Đơn vị chủ trì: %(agency)s") % {"agency": task.lead_agency.name},
        _("Hạn hoàn thành: %(due)s") % {"due": due},
        _("Trạng thái: %(status)s") % {"status": Status(task.status).label},
        _("Văn bản chỉ đạo: %(source)s") % {"source": source},
        _("Xem và báo cáo: %(link)s") % {"link": _link(task)},
    ]
    return str(subject), "\n".join(str(line) for line in lines)


def _send(
    task: Task, *, kind: str, agency: Agency | None, recipients: list[str], today: dt.date
) -> Reminder | None:
    assert task.due_on is not None
    subject, body = _message(task, kind, today)
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                task=task,
                kind=kind,
                due_on=task.due_on,
                agency=agency,
                recipients=recipients,
                subject=subject[:255],
                body=body,
                sent_at=timezone.now(),
            )
            task_transition(
                task=task,
                action="remind",
                actor=None,
                note=subject,
                data={"kind": kind, "due_on": task.due_on.isoformat(), "recipients": recipients},
                agency=agency,
            )
            for address in recipients:
                notify(
                    email=address,
                    subject=subject,
                    body=body,
                    reference=f"task-{task.pk}",
                    dedupe_key=f"directives:{kind}:{task.pk}:{task.due_on.isoformat()}",
                )
    except IntegrityError:
        return None  # reminded already, by another run
    return reminder


def reminders_send(*, today: dt.date | None = None) -> ReminderRun:
    """Send the reminders due on ``today`` and open the next period of recurring tasks."""
    today = today or timezone.localdate()
    run = ReminderRun()
    run.occurrences = recurring_generate(today=today)
    done = set(
        Reminder.objects.filter(task__status__in=OPEN_STATUSES).values_list("task_id", "kind", "due_on")
    )
    tasks = (
        Task.objects.open()
        .exclude(deadline_kind=DeadlineKind.REGULAR)
        .filter(due_on__isnull=False)
        .select_related("lead_agency", "owner_agency", "assigner", "directive")
    )
    for task in tasks:
        state = deadline_state(task, today=today)
        wanted: list[tuple[str, Agency | None, list[str]]] = []
        if state.code == "due_soon":
            wanted.append((Reminder.Kind.DUE_SOON, task.lead_agency, agency_recipients(task.lead_agency)))
        elif state.code == "overdue":
            wanted.append((Reminder.Kind.OVERDUE, task.lead_agency, agency_recipients(task.lead_agency)))
            wanted.append((Reminder.Kind.ESCALATION, task.owner_agency, assigner_recipients(task)))
        for kind, agency, recipients in wanted:
            if (task.pk, kind, task.due_on) in done:
                continue
            reminder = _send(task, kind=kind, agency=agency, recipients=recipients, today=today)
            if reminder is not None:
                run.sent.append(reminder)
                task.refresh_from_db(fields=["status", "last_sequence"])
    return run


def recurring_generate(*, today: dt.date) -> list[Task]:
    """The next period of every recurring task whose current period has ended."""
    made = []
    ended = Task.objects.filter(deadline_kind=DeadlineKind.RECURRING, due_on__lte=today).exclude(
        status=Status.CANCELLED
    )
    for task in ended:
        if Task.objects.filter(series_id=task.series_id or task.pk, occurrence__gt=task.occurrence).exists():
            continue
        following = task_next_occurrence(task=task)
        if following is not None:
            made.append(following)
    return made
