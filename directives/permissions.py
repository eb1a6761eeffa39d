"""Who may open a directive or a task, and who may take which step of a task's life.

Lists come from ``Directive.objects.restrict(user, action)`` and ``Task.objects.restrict(user,
action)`` (rules in ``directives/models.py``); single objects from the ``access_*`` functions
below, which answer 404 for missing and forbidden alike.

Two sides act on a task:

* the assigner side — the leader who assigned it and the staff of the office that follows it
  (``owner_agency``, e.g. Văn phòng UBND tỉnh): confirm or return a completion report, grant or
  refuse an extension, cancel;
* the lead agency — any of its current staff accepts the task, reports progress and asks for an
  extension; its leaders (agency or department leader) send the completion report.
"""

from __future__ import annotations

from accounts.models import Role, User
from accounts.permissions import staff_agency_ids
from congso.access import CHANGE, VIEW, AnyUser, access_object
from directives.models import Directive, Status, Task

LEAD_LEADER_ROLES = (Role.AGENCY_LEADER, Role.DEPARTMENT_LEADER)

ASSIGNER_ACTIONS = frozenset({"confirm", "return", "grant_extension", "refuse_extension", "cancel"})
LEAD_ACTIONS = frozenset({"accept", "progress", "request_extension"})
LEAD_LEADER_ACTIONS = frozenset({"report_done"})
ACTIONS = ASSIGNER_ACTIONS | LEAD_ACTIONS | LEAD_LEADER_ACTIONS


def access_directive_by_id(user: AnyUser, pk: int | str, action: str = VIEW) -> Directive:
    return access_object(Directive.objects.select_related("issuer", "owner_agency"), user, action, pk=pk)


def access_task_by_id(user: AnyUser, pk: int | str, action: str = VIEW) -> Task:
    return access_object(
        Task.objects.select_related("directive", "lead_agency", "owner_agency", "assigner"),
        user,
        action,
        pk=pk,
    )


def is_assigner_side(user: AnyUser, task: Task) -> bool:
    if not isinstance(user, User) or not user.is_active:
        return False
    return task.assigner_id == user.pk or task.owner_agency_id in staff_agency_ids(user)


def is_lead_staff(user: AnyUser, task: Task, *, leaders_only: bool = False) -> bool:
    roles = LEAD_LEADER_ROLES if leaders_only else None
    return task.lead_agency_id in staff_agency_ids(user, roles=roles)


def can_act(user: AnyUser, task: Task, action: str) -> bool:
    """Whether ``user`` may take step ``action`` on ``task`` now (its status aside: the
    transition table in ``directives.transitions`` says which steps a status allows)."""
    if action in ASSIGNER_ACTIONS:
        return is_assigner_side(user, task)
    if action in LEAD_LEADER_ACTIONS:
        return is_lead_staff(user, task, leaders_only=True)
    if action in LEAD_ACTIONS:
        return is_lead_staff(user, task)
    return False


def available_actions(user: AnyUser, task: Task) -> list[str]:
    """The steps ``user`` can take on ``task`` in its current status, in the order a page shows."""
    from directives.transitions import allowed_from

    order = [
        "accept",
        "progress",
        "report_done",
        "request_extension",
        "confirm",
        "return",
        "grant_extension",
        "refuse_extension",
        "cancel",
    ]
    pending = task.extension_requests.filter(state="pending").exists() if task.is_open else False
    found = []
    for action in order:
        if not allowed_from(action, Status(task.status)) or not can_act(user, task, action):
            continue
        if action in {"grant_extension", "refuse_extension"} and not pending:
            continue
        if action == "request_extension" and (pending or task.due_on is None):
            continue
        found.append(action)
    return found


def can_change_directive(user: AnyUser, directive: Directive) -> bool:
    return Directive.objects.restrict(user, CHANGE).filter(pk=directive.pk).exists()
