"""The processing steps of a dossier (Mẫu 05): created from the version's internal process at
reception, started and finished as the dossier is handed over."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from accounts.models import User
from catalog.models import WorkflowStep
from dossiers.errors import DossierInvalid
from dossiers.models import Dossier, DossierStep
from dossiers.services.clock import step_due, step_timeliness


def _step_agency_id(dossier: Dossier, workflow_step: WorkflowStep) -> int:
    if workflow_step.actor == WorkflowStep.Actor.RECEIVING_DESK:
        if dossier.receiving_agency_id is None:  # pragma: no cover - set before reception
            raise RuntimeError("a dossier is received by a desk")
        return int(dossier.receiving_agency_id)
    if workflow_step.actor == WorkflowStep.Actor.OTHER_AGENCY and workflow_step.agency_id is not None:
        return int(workflow_step.agency_id)
    return int(dossier.competent_agency_id)


def workflow_of(dossier: Dossier) -> list[WorkflowStep]:
    steps = list(WorkflowStep.objects.filter(version_id=dossier.procedure_version_id).order_by("order"))
    if not steps:
        raise DossierInvalid(
            _(
                "Thủ tục này chưa có quy trình nội bộ điện tử; chưa thể tiếp nhận hồ sơ. "
                "Đề nghị liên hệ quản trị."
            )
        )
    return steps


def steps_create(*, dossier: Dossier, up_to_order: int | None = None) -> list[DossierStep]:
    """One step row per workflow step (those up to ``up_to_order`` when given), not started."""
    rows = [
        DossierStep(
            dossier=dossier,
            order=step.order,
            name=step.name,
            agency_id=_step_agency_id(dossier, step),
            role=step.role,
            is_inter_agency=step.actor == WorkflowStep.Actor.OTHER_AGENCY,
            budget_hours=step.budget_hours,
        )
        for step in workflow_of(dossier)
        if up_to_order is None or step.order <= up_to_order
    ]
    return DossierStep.objects.bulk_create(rows)


def unfinished_steps(dossier: Dossier) -> list[DossierStep]:
    return list(
        dossier.steps.filter(finished_at__isnull=True)
        .select_related("agency", "assignee")
        .order_by("order", "id")
    )


def open_parallel_steps(dossier: Dossier, current: DossierStep | None) -> list[DossierStep]:
    """Liên thông tasks sent in parallel and not finished yet (other than ``current``)."""
    return [
        step
        for step in unfinished_steps(dossier)
        if step.is_inter_agency
        and step.started_at is not None
        and (current is None or step.pk != current.pk)
        and (current is None or step.order <= current.order)
    ]


def is_return_step(step: DossierStep, workflow: list[WorkflowStep]) -> bool:
    """Whether ``step`` is the last step of a multi-step process done by the receiving desk:
    handing the result back, which starts when the dossier is resolved."""
    if len(workflow) < 2 or step.is_inter_agency:
        return False
    last = workflow[-1]
    return step.order == last.order and last.actor == WorkflowStep.Actor.RECEIVING_DESK


def step_start(
    *,
    step: DossierStep,
    at: dt.datetime,
    handed_over_by: User | None,
    received_by: User | None = None,
) -> DossierStep:
    step.started_at = at
    step.due_at = step_due(started_at=at, budget_hours=step.budget_hours, agency=step.agency_id)
    step.handed_over_by = handed_over_by
    if received_by is not None:
        step.received_by = received_by
        step.assignee = received_by
    step.save(update_fields=["started_at", "due_at", "handed_over_by", "received_by", "assignee"])
    return step


def step_finish(*, step: DossierStep, at: dt.datetime, outcome: str, by: User | None) -> DossierStep:
    if step.started_at is None:
        step_start(step=step, at=at, handed_over_by=by)
    assert step.started_at is not None
    step.finished_at = at
    step.outcome = outcome
    if step.received_by_id is None and by is not None and by.kind == User.Kind.STAFF:
        step.received_by = by
    step.timeliness = step_timeliness(
        started_at=step.started_at, finished_at=at, budget_hours=step.budget_hours, agency=step.agency_id
    )
    step.save(update_fields=["finished_at", "outcome", "timeliness", "received_by", "started_at", "due_at"])
    return step
