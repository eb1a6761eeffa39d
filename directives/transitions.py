"""The ONLY place a task's status changes, and the one writer of its history.

:func:`task_transition` checks that ``action`` is allowed from the task's status and that the
actor may take it (``directives.permissions.can_act``; the system acts with ``actor=None``),
applies the field updates, writes one :class:`~directives.models.TaskEvent`, all in one
transaction with the task row locked. Steps that do not change the status (a progress report,
an extension request, a reminder) go through here too, so the history is complete.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from agencies.models import Agency
from directives.models import Status, Task, TaskAttachment, TaskEvent
from directives.permissions import can_act

S = Status

# action → (statuses it may start from, status it leads to; None keeps the status)
TRANSITIONS: dict[str, tuple[frozenset[Status], Status | None]] = {
    "assign": (frozenset(), S.ASSIGNED),
    "accept": (frozenset({S.ASSIGNED}), S.ACCEPTED),
    "progress": (frozenset({S.ASSIGNED, S.ACCEPTED, S.IN_PROGRESS}), S.IN_PROGRESS),
    "report_done": (frozenset({S.ASSIGNED, S.ACCEPTED, S.IN_PROGRESS}), S.REPORTED_DONE),
    "confirm": (frozenset({S.REPORTED_DONE}), S.DONE),
    "return": (frozenset({S.REPORTED_DONE}), S.IN_PROGRESS),
    "request_extension": (frozenset({S.ASSIGNED, S.ACCEPTED, S.IN_PROGRESS}), None),
    "grant_extension": (frozenset({S.ASSIGNED, S.ACCEPTED, S.IN_PROGRESS, S.REPORTED_DONE}), None),
    "refuse_extension": (frozenset({S.ASSIGNED, S.ACCEPTED, S.IN_PROGRESS, S.REPORTED_DONE}), None),
    "cancel": (frozenset({S.ASSIGNED, S.ACCEPTED, S.IN_PROGRESS, S.REPORTED_DONE}), S.CANCELLED),
    "remind": (frozenset({S.ASSIGNED, S.ACCEPTED, S.IN_PROGRESS, S.REPORTED_DONE}), None),
}

ACTION_LABELS: dict[str, Promise] = {
    "assign": gettext_lazy("Giao nhiệm vụ"),
    "accept": gettext_lazy("Tiếp nhận"),
    "progress": gettext_lazy("Báo cáo tiến độ"),
    "report_done": gettext_lazy("Báo cáo hoàn thành"),
    "confirm": gettext_lazy("Xác nhận hoàn thành"),
    "return": gettext_lazy("Trả lại, yêu cầu tiếp tục thực hiện"),
    "request_extension": gettext_lazy("Đề nghị gia hạn"),
    "grant_extension": gettext_lazy("Đồng ý gia hạn"),
    "refuse_extension": gettext_lazy("Không đồng ý gia hạn"),
    "cancel": gettext_lazy("Hủy nhiệm vụ"),
    "remind": gettext_lazy("Nhắc hạn"),
}


class TaskActionError(Exception):
    """A step that cannot be taken; ``message`` says why, in Vietnamese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def allowed_from(action: str, status: Status) -> bool:
    rule = TRANSITIONS.get(action)
    return rule is not None and status in rule[0]


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


@transaction.atomic
def task_transition(
    *,
    task: Task,
    action: str,
    actor: User | None,
    note: str = "",
    data: Mapping[str, Any] | None = None,
    attachments: Iterable[TaskAttachment] = (),
    updates: Mapping[str, Any] | None = None,
    agency: Agency | None = None,
) -> Task:
    """Take step ``action`` on ``task`` for ``actor`` (None: the system), write its history row.

    ``updates`` are the other fields the step sets (a new deadline, the progress), written with
    the status in the same UPDATE. Returns the task as stored afterwards.
    """
    if action not in TRANSITIONS or action == "assign":
        raise TaskActionError(_("Thao tác “%(action)s” không tồn tại.") % {"action": action})
    locked = Task.objects.select_for_update().get(pk=task.pk)
    sources, target = TRANSITIONS[action]
    current = Status(locked.status)
    if current not in sources:
        raise TaskActionError(
            _("Không thể “%(action)s” khi nhiệm vụ đang ở trạng thái “%(status)s”.")
            % {"action": action_label(action), "status": current.label}
        )
    if actor is not None and not can_act(actor, locked, action):
        raise TaskActionError(
            _("Bạn không có quyền “%(action)s” nhiệm vụ này.") % {"action": action_label(action)}
        )
    new_status = target or current
    fields = dict(updates or {})
    fields["status"] = new_status
    fields["last_sequence"] = locked.last_sequence + 1
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save(update_fields=list(fields))
    _write_event(
        task=locked,
        action=action,
        from_status=current,
        to_status=new_status,
        actor=actor,
        agency=agency,
        note=note,
        data=data,
        attachments=attachments,
    )
    return locked


def task_record_assignment(
    *, task: Task, actor: User | None, note: str = "", data: Mapping[str, Any] | None = None
) -> None:
    """The first history row of a task just created as assigned (``directives.services``)."""
    if task.status != Status.ASSIGNED or task.last_sequence != 0:
        raise TaskActionError(_("Nhiệm vụ đã có lịch sử giao."))
    Task.objects.filter(pk=task.pk).update(last_sequence=1)
    task.last_sequence = 1
    _write_event(
        task=task,
        action="assign",
        from_status=None,
        to_status=Status.ASSIGNED,
        actor=actor,
        agency=None,
        note=note,
        data=data,
        attachments=(),
    )


def _write_event(
    *,
    task: Task,
    action: str,
    from_status: Status | None,
    to_status: Status,
    actor: User | None,
    agency: Agency | None,
    note: str,
    data: Mapping[str, Any] | None,
    attachments: Iterable[TaskAttachment],
) -> TaskEvent:
    event = TaskEvent.objects.create(
        task=task,
        sequence=task.last_sequence,
        action=action,
        from_status=from_status or "",
        to_status=to_status,
        actor=actor,
        actor_name=actor.get_full_name() if actor is not None else str(_("Hệ thống congso")),
        agency=agency,
        at=timezone.now(),
        note=note,
        data=dict(data or {}),
    )
    files = list(attachments)
    if files:
        event.attachments.set(files)
    return event
