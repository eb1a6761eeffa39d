"""The participating agency's side of a liên thông task (Decree 61/2018 Art. 19.6): its leader
names the specialist who carries the task out. Sending a task and recording its result:
``dossiers.services.processing``.

The assignment is an action of its own in the transition table (``assign_inter_agency``, taken
by the leader of a participating agency, ``ActorKind.TASK_LEADER``) rather than the competent
agency's ``assign``: a capacity added to ``assign`` would also let that leader name the handler
of the competent agency's own step.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Membership, Role, User
from dossiers.errors import DossierInvalid, TransitionNotAllowed
from dossiers.models import Dossier, DossierStep
from dossiers.permissions import LEADER_ROLES, current_and_tasks
from dossiers.services.clock import current_instant
from dossiers.transitions import Action, check_transition, transition


def running_task(dossier: Dossier, step: DossierStep) -> bool:
    """Whether ``step`` is a liên thông task of ``dossier`` sent alongside its current step, started
    and not finished (a liên thông step that is the current step is assigned as any other)."""
    _current, tasks = current_and_tasks(dossier)
    return any(task.pk == step.pk for task in tasks)


def leads_agency(user: User, agency_id: int) -> bool:
    """Whether ``user`` is a leader (agency or department head) of the agency now."""
    held = Membership.objects.held_by(user).current().filter(agency_id=agency_id, role__in=LEADER_ROLES)
    return held.exists()


def task_assignees(step: DossierStep) -> list[User]:
    """Who may be given ``step``: the active civil servants holding its role at its agency now."""
    return list(
        User.objects.filter(
            pk__in=Membership.objects.current()
            .filter(agency_id=step.agency_id, role=step.role)
            .values("user_id"),
            is_active=True,
            kind=User.Kind.STAFF,
        ).order_by("full_name", "username")
    )


def dossier_inter_agency_assign(
    *,
    dossier: Dossier,
    actor: User,
    step: DossierStep,
    assignee: User,
    expected_lock_version: int | None = None,
    now: dt.datetime | None = None,
) -> DossierStep:
    """The leader of the participating agency gives its liên thông task to one of its civil
    servants holding the task's role (again, to hand it to someone else). The assignee then finds
    the dossier in their work queue and records the task's result; the history says who gave
    which task to whom."""
    at = current_instant(now)
    check_transition(dossier=dossier, action=Action.ASSIGN_INTER_AGENCY, actor=actor)
    if step.dossier_id != dossier.pk or not step.is_inter_agency or not running_task(dossier, step):
        raise TransitionNotAllowed(_("Đây không phải nhiệm vụ liên thông đang thực hiện của hồ sơ."))
    if not leads_agency(actor, step.agency_id):
        raise TransitionNotAllowed(
            _("Chỉ lãnh đạo %(agency)s được phân công thực hiện nhiệm vụ liên thông này.")
            % {"agency": step.agency.name},
            code="actor",
        )
    if not any(user.pk == assignee.pk for user in task_assignees(step)):
        message = _("%(person)s không giữ vai trò «%(role)s» tại %(agency)s.") % {
            "person": assignee.get_full_name(),
            "role": Role(step.role).label,
            "agency": step.agency.name,
        }
        raise DossierInvalid(message, field_errors={"assignee": [message]})
    previous = step.assignee
    with transaction.atomic():
        transition(
            dossier=dossier,
            action=Action.ASSIGN_INTER_AGENCY,
            actor=actor,
            expected_lock_version=expected_lock_version,
            reason=step.name,
            data={
                "step_id": step.pk,
                "task": step.name,
                "agency_id": step.agency_id,
                "agency": step.agency.name,
                "assignee_id": assignee.pk,
                "assignee": assignee.get_full_name(),
                "previous_assignee_id": previous.pk if previous is not None else None,
            },
            now=at,
        )
        step.assignee = assignee
        step.received_by = assignee
        step.save(update_fields=["assignee", "received_by"])
    return step
