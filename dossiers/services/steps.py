"""The processing steps of a dossier (Mẫu 05): created from the version's internal process at
reception, started and finished as the dossier is handed over."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from accounts.models import User
from catalog.models import WorkflowStep
from catalog.published import version_workflow
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
    """The version's internal process (kept per process once the version is published and loaded
    with the dossier: ``catalog.published``)."""
    if Dossier.procedure_version.is_cached(dossier):
        steps = list(version_workflow(dossier.procedure_version))
    else:
        steps = list(WorkflowStep.objects.filter(version_id=dossier.procedure_version_id).order_by("order"))
    if not steps:
        raise DossierInvalid(
            _(
                "Thủ tục này chưa có quy trình nội bộ điện tử; chưa thể tiếp nhận hồ sơ. "
                "Đề nghị liên hệ quản trị."
            )
        )
    return steps


def step_orders(workflow: Sequence[WorkflowStep]) -> dict[int, int]:
    """Workflow step order → the order of its dossier step.

    A parallel step (another agency's liên thông task run beside the step before it) takes the
    order of the nearest earlier step that is not parallel, as a task sent by hand
    (``dossier_inter_agency_start``) takes the order of the step in hand: created after that
    step, it comes after it in ``(order, id)``, so the step of the process stays the current one
    and the task is one of the tasks running beside it (``open_parallel_steps``,
    ``dossiers.permissions.current_and_tasks``). One the rules would refuse as parallel (first,
    or beside a step of the one-stop desk) keeps its own order and is taken in its turn.
    """
    orders: dict[int, int] = {}
    beside: WorkflowStep | None = None
    for step in workflow:
        if (
            step.parallel
            and beside is not None
            and beside.actor != WorkflowStep.Actor.RECEIVING_DESK
            and step.actor == WorkflowStep.Actor.OTHER_AGENCY
        ):
            orders[step.order] = beside.order
            continue
        orders[step.order] = step.order
        beside = step
    return orders


def steps_create(
    *,
    dossier: Dossier,
    up_to_order: int | None = None,
    workflow: Sequence[WorkflowStep] | None = None,
    begin: Callable[[DossierStep], object] | None = None,
) -> list[DossierStep]:
    """One step row per workflow step (those whose dossier order is up to ``up_to_order`` when
    given), not started, in one insert, in the process's order. ``workflow`` is the version's
    process when the caller has read it already; ``begin`` sets the first row's fields before the
    insert (``step_start(..., save=False)``, ``step_finish(..., save=False)``), so that starting
    it costs no second write. Parallel steps get the order of the step they run beside
    (``step_orders``) and start with it (``siblings_start``)."""
    steps = workflow if workflow is not None else workflow_of(dossier)
    orders = step_orders(steps)
    rows = [
        DossierStep(
            dossier=dossier,
            order=orders[step.order],
            name=step.name,
            agency_id=_step_agency_id(dossier, step),
            role=step.role,
            is_inter_agency=step.actor == WorkflowStep.Actor.OTHER_AGENCY,
            budget_hours=step.budget_hours,
        )
        for step in steps
        if up_to_order is None or orders[step.order] <= up_to_order
    ]
    if begin is not None and rows:
        begin(rows[0])
    return DossierStep.objects.bulk_create(rows)


def unfinished_steps(dossier: Dossier) -> list[DossierStep]:
    return list(
        dossier.steps.filter(finished_at__isnull=True)
        .select_related("agency", "assignee")
        .order_by("order", "id")
    )


def open_parallel_steps(
    dossier: Dossier, current: DossierStep | None, *, steps: Sequence[DossierStep] | None = None
) -> list[DossierStep]:
    """Liên thông tasks running in parallel and not finished yet (other than ``current``): sent
    by hand, or parallel steps of the process started with the step they run beside.
    ``steps`` are the dossier's unfinished steps when the caller has read them already."""
    return [
        step
        for step in (steps if steps is not None else unfinished_steps(dossier))
        if step.is_inter_agency
        and step.started_at is not None
        and (current is None or step.pk != current.pk)
        and (current is None or step.order <= current.order)
    ]


def siblings_of(step: DossierStep, steps: Sequence[DossierStep]) -> list[DossierStep]:
    """The parallel steps of the process among ``steps`` (unfinished ones) that start with
    ``step``: liên thông steps with its order that have not started."""
    return [
        other
        for other in steps
        if other.pk != step.pk
        and other.order == step.order
        and other.is_inter_agency
        and other.started_at is None
        and other.finished_at is None
    ]


def is_return_step(step: DossierStep, workflow: list[WorkflowStep]) -> bool:
    """Whether ``step`` is the last step of a multi-step process done by the receiving desk:
    handing the result back, which starts when the dossier is resolved. Parallel steps do not
    count: they run beside another step."""
    orders = step_orders(workflow)
    in_turn = [w for w in workflow if orders[w.order] == w.order]
    if len(in_turn) < 2 or step.is_inter_agency:
        return False
    last = in_turn[-1]
    return step.order == last.order and last.actor == WorkflowStep.Actor.RECEIVING_DESK


def handover_sources(steps: Sequence[DossierStep]) -> dict[int, str]:
    """Step id → the name of the agency it was handed over from (Mẫu 05), for ``steps`` (a
    dossier's steps in ``(order, id)`` order; those not started get "").

    A step taken in its turn comes from the agency of the step before it. A liên thông task run
    beside a step (same order, started while that step ran) comes from where that step came
    from when both started together (a parallel step of the process), else from that step's
    agency (a task it sent); it is not the source of the step after it."""
    sources: dict[int, str] = {}
    previous = ""
    lead: DossierStep | None = None
    lead_source = ""
    for step in steps:
        if step.started_at is None:
            sources[step.pk] = ""
            continue
        if (
            lead is not None
            and lead.started_at is not None
            and step.is_inter_agency
            and step.order == lead.order
            and lead.started_at <= step.started_at
            and (lead.finished_at is None or step.started_at <= lead.finished_at)
        ):
            sources[step.pk] = lead_source if step.started_at == lead.started_at else lead.agency.name
            continue
        sources[step.pk] = previous
        lead, lead_source = step, previous
        previous = step.agency.name
    return sources


def step_start(
    *,
    step: DossierStep,
    at: dt.datetime,
    handed_over_by: User | None,
    received_by: User | None = None,
    save: bool = True,
) -> DossierStep:
    step.started_at = at
    step.due_at = step_due(started_at=at, budget_hours=step.budget_hours, agency=step.agency_id)
    step.handed_over_by = handed_over_by
    if received_by is not None:
        step.received_by = received_by
        step.assignee = received_by
    if save:
        step.save(update_fields=["started_at", "due_at", "handed_over_by", "received_by", "assignee"])
    return step


def step_finish(
    *, step: DossierStep, at: dt.datetime, outcome: str, by: User | None, save: bool = True
) -> DossierStep:
    """Finish ``step`` at ``at`` (starting it then if it had not started) and rate its timeliness;
    written at once unless ``save`` is False (a row not inserted yet)."""
    if step.started_at is None:
        step_start(step=step, at=at, handed_over_by=by, save=False)
    assert step.started_at is not None
    step.finished_at = at
    step.outcome = outcome
    if step.received_by_id is None and by is not None and by.kind == User.Kind.STAFF:
        step.received_by = by
    step.timeliness = step_timeliness(
        started_at=step.started_at, finished_at=at, budget_hours=step.budget_hours, agency=step.agency_id
    )
    if save:
        step.save(
            update_fields=[
                "finished_at",
                "outcome",
                "timeliness",
                "received_by",
                "started_at",
                "due_at",
                "handed_over_by",
            ]
        )
    return step


# --- Liên thông: the participants and their lateness (Checklist 25) ------------------------------

Timeliness = DossierStep.Timeliness


def sent_alongside(step: DossierStep, workflow: Sequence[WorkflowStep]) -> bool:
    """Whether an inter-agency step runs alongside another step (parallel liên thông: a task
    sent by hand with ``dossier_inter_agency_start``, or a parallel step of the process, which
    has the order of the step it runs beside) rather than a step of the process taken in its
    turn (sequential liên thông: a workflow step done by another agency)."""
    if not step.is_inter_agency:
        return False
    orders = step_orders(workflow)
    template = next((w for w in workflow if w.order == step.order and orders[w.order] == w.order), None)
    return not (
        template is not None
        and template.actor == WorkflowStep.Actor.OTHER_AGENCY
        and template.agency_id == step.agency_id
        and template.name == step.name
    )


@dataclass(frozen=True)
class InterAgencyTask:
    """One participant of a liên thông: the agency, its task, its deadline and its result, and
    where it stands against its deadline at the instant of the overview."""

    step: DossierStep
    parallel: bool
    timeliness: str
    """Finished: its rating (Trước hạn / Đúng hạn / Quá hạn). Running: ``LATE`` once past its
    deadline, "" before. Not reached yet (a later step of the process): ""."""

    @property
    def started(self) -> bool:
        return self.step.started_at is not None

    @property
    def finished(self) -> bool:
        return self.step.finished_at is not None

    @property
    def running(self) -> bool:
        return self.started and not self.finished

    @property
    def late(self) -> bool:
        return self.timeliness == Timeliness.LATE


@dataclass(frozen=True)
class InterAgencyOverview:
    """Every liên thông task of a dossier, and the liên thông as a whole: late as soon as one
    participant is late; once all have finished, on time if any finished on time, else early."""

    tasks: list[InterAgencyTask]
    timeliness: str
    """The overall rating; "" while the participants are still within their deadlines."""

    @property
    def late(self) -> list[InterAgencyTask]:
        return [task for task in self.tasks if task.late]

    @property
    def running(self) -> list[InterAgencyTask]:
        return [task for task in self.tasks if task.running]

    @property
    def finished(self) -> bool:
        return bool(self.tasks) and all(task.finished for task in self.tasks)


def _task_timeliness(step: DossierStep, now: dt.datetime) -> str:
    if step.finished_at is not None:
        return step.timeliness
    if step.started_at is not None and step.due_at is not None and now > step.due_at:
        return Timeliness.LATE
    return ""


def inter_agency_overview(
    steps: Iterable[DossierStep], workflow: Sequence[WorkflowStep], *, now: dt.datetime
) -> InterAgencyOverview:
    """The liên thông tasks among ``steps`` (a dossier's steps in order) as they stand at ``now``."""
    tasks = [
        InterAgencyTask(
            step=step, parallel=sent_alongside(step, workflow), timeliness=_task_timeliness(step, now)
        )
        for step in steps
        if step.is_inter_agency
    ]
    ratings = {task.timeliness for task in tasks}
    if Timeliness.LATE in ratings:
        overall = str(Timeliness.LATE)
    elif tasks and all(task.finished for task in tasks):
        overall = str(Timeliness.ON_TIME if Timeliness.ON_TIME in ratings else Timeliness.EARLY)
    else:
        overall = ""
    return InterAgencyOverview(tasks=tasks, timeliness=overall)
