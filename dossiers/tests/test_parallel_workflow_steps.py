"""Parallel liên thông steps of a procedure's process (Decree 61/2018 Art. 19.6): another agency's
step starts with the step it runs beside, the dossier moves on only when both are done, and the
agency hands its part back as for a task sent by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from agencies.tests.factories import AgencyFactory
from catalog.models import WorkflowStep
from catalog.tests.factories import ProcedureVersionFactory
from dossiers.errors import TransitionNotAllowed
from dossiers.models import DossierEvent, DossierStep, Status
from dossiers.services import (
    dossier_forward,
    dossier_inter_agency_finish,
    dossier_resolve,
    dossier_return_result,
)
from dossiers.services.clock import step_due
from dossiers.services.steps import (
    handover_sources,
    inter_agency_overview,
    is_return_step,
    steps_create,
    workflow_of,
)
from dossiers.tests.factories import MONDAY_MORNING, VN, pdf_upload, received_dossier

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar")]

H = dt.timedelta(hours=1)
ENVIRONMENT_TASK = "Sở Nông nghiệp và Môi trường thẩm định"


@pytest.fixture
def environment(db):
    return AgencyFactory.create(name="Sở Nông nghiệp và Môi trường", kind="department")


@pytest.fixture
def environment_officer(agency_member, environment):
    return agency_member(environment, full_name="Hoàng Văn Núi")


def step(name: str, actor: str, role: str, hours: int, **more: Any) -> dict[str, Any]:
    return {"name": name, "actor": actor, "role": role, "budget_hours": Decimal(hours), **more}


def version_with(environment: Any, *, beside_approval: bool = False) -> Any:
    """Five working days (40 hours counted): the desk, the specialist's appraisal and, beside it
    (or beside the approval), the environment department's; the approval; the return."""
    parallel = step(
        ENVIRONMENT_TASK, WorkflowStep.Actor.OTHER_AGENCY, "specialist", 8, agency=environment, parallel=True
    )
    workflow = [
        step("Tiếp nhận hồ sơ", WorkflowStep.Actor.RECEIVING_DESK, "clerk", 4),
        step("Phòng chuyên môn thẩm định", WorkflowStep.Actor.COMPETENT_AGENCY, "specialist", 16),
        step("Phê duyệt", WorkflowStep.Actor.COMPETENT_AGENCY, "agency_leader", 16),
        step("Trả kết quả", WorkflowStep.Actor.RECEIVING_DESK, "clerk", 4),
    ]
    workflow.insert(3 if beside_approval else 2, parallel)
    return ProcedureVersionFactory.create(level="commune", processing_time=Decimal(5), workflow=workflow)


def actions(dossier: Any) -> list[str]:
    return list(
        DossierEvent.objects.filter(dossier=dossier).order_by("sequence").values_list("action", flat=True)
    )


def test_the_parallel_step_is_created_beside_the_step_it_runs_with(citizen, clerk, agency, environment):
    dossier = received_dossier(
        applicant=citizen, clerk=clerk, commune=agency, version=version_with(environment)
    )
    rows = list(dossier.steps.order_by("order", "id"))
    assert [(s.order, s.name, s.is_inter_agency, s.agency_id) for s in rows] == [
        (1, "Tiếp nhận hồ sơ", False, agency.pk),
        (2, "Phòng chuyên môn thẩm định", False, agency.pk),
        (2, ENVIRONMENT_TASK, True, environment.pk),
        (4, "Phê duyệt", False, agency.pk),
        (5, "Trả kết quả", False, agency.pk),
    ]
    assert [s.started_at is not None for s in rows] == [True, False, False, False, False]
    # The due date is the procedure's time limit, not a sum of budgets: 5 working days.
    assert dossier.due_at == dt.datetime(2025, 9, 15, 9, 0, tzinfo=VN)
    workflow = workflow_of(dossier)
    assert is_return_step(rows[4], workflow)
    assert not is_return_step(rows[3], workflow)


def test_a_restart_after_a_supplement_recreates_the_parallel_step_with_its_step(
    citizen, clerk, agency, environment
):
    dossier = received_dossier(
        applicant=citizen, clerk=clerk, commune=agency, version=version_with(environment)
    )
    again = steps_create(dossier=dossier, up_to_order=2)
    assert [(s.order, s.name) for s in again] == [
        (1, "Tiếp nhận hồ sơ"),
        (2, "Phòng chuyên môn thẩm định"),
        (2, ENVIRONMENT_TASK),
    ]


@pytest.mark.parametrize(
    ("handed_back_at", "rating"),
    [
        (dt.datetime(2025, 9, 8, 15, 0, tzinfo=VN), DossierStep.Timeliness.EARLY),
        (dt.datetime(2025, 9, 9, 10, 0, tzinfo=VN), DossierStep.Timeliness.ON_TIME),
        (dt.datetime(2025, 9, 9, 11, 0, tzinfo=VN), DossierStep.Timeliness.LATE),
    ],
)
def test_both_appraisals_start_together_and_the_dossier_waits_for_both(
    citizen, clerk, specialist, leader, agency, environment, environment_officer, handed_back_at, rating
):
    dossier = received_dossier(
        applicant=citizen, clerk=clerk, commune=agency, version=version_with(environment)
    )
    transfer = MONDAY_MORNING + H  # Monday 10:00
    dossier_forward(dossier=dossier, actor=clerk, to_user=specialist, now=transfer)

    appraisal = dossier.steps.get(name="Phòng chuyên môn thẩm định")
    parallel = dossier.steps.get(name=ENVIRONMENT_TASK)
    assert appraisal.started_at == parallel.started_at == transfer
    assert (appraisal.assignee, parallel.assignee, parallel.handed_over_by) == (specialist, None, clerk)
    # Each with its own budget on its own agency's calendar: 8 hours from Monday 10:00 is
    # Monday 10:00–11:30 and 13:00–17:00, then Tuesday 07:30–10:00.
    assert parallel.due_at == dt.datetime(2025, 9, 9, 10, 0, tzinfo=VN)
    assert parallel.due_at == step_due(started_at=transfer, budget_hours=Decimal(8), agency=environment)
    assert appraisal.due_at == step_due(started_at=transfer, budget_hours=Decimal(16), agency=agency)
    forward = DossierEvent.objects.get(dossier=dossier, action="forward")
    assert forward.data["to_step"] == "Phòng chuyên môn thẩm định"
    [sent] = forward.data["inter_agency"]
    assert dt.datetime.fromisoformat(sent.pop("due_at")) == dt.datetime(2025, 9, 9, 10, 0, tzinfo=VN)
    assert sent == {
        "step_id": parallel.pk,
        "agency_id": environment.pk,
        "agency": "Sở Nông nghiệp và Môi trường",
        "role": "specialist",
        "task": ENVIRONMENT_TASK,
        "budget_hours": "8.0",
    }

    # The liên thông panel: one participant, in parallel, running.
    overview = inter_agency_overview(
        dossier.steps.order_by("order", "id"), workflow_of(dossier), now=transfer + H
    )
    [task] = overview.tasks
    assert (task.step.pk, task.parallel, task.running, overview.timeliness) == (parallel.pk, True, True, "")

    with pytest.raises(
        TransitionNotAllowed, match="Còn nhiệm vụ liên thông chưa hoàn thành; chưa thể chuyển bước"
    ):
        dossier_forward(dossier=dossier, actor=specialist, outcome="Đủ điều kiện", now=transfer + 2 * H)
    with pytest.raises(TransitionNotAllowed, match="không được giao việc «hoàn thành xử lý liên thông»"):
        dossier_inter_agency_finish(
            dossier=dossier, actor=specialist, step=parallel, outcome="Không phải việc của phòng"
        )
    dossier_inter_agency_finish(
        dossier=dossier,
        actor=environment_officer,
        step=parallel,
        outcome="Đủ điều kiện khai thác",
        now=handed_back_at,
    )
    parallel.refresh_from_db()
    assert (parallel.finished_at, parallel.timeliness, parallel.received_by) == (
        handed_back_at,
        rating,
        environment_officer,
    )
    finish = DossierEvent.objects.get(dossier=dossier, action="finish_inter_agency")
    assert (finish.data["timeliness"], finish.data["late"]) == (rating, rating == DossierStep.Timeliness.LATE)

    moved_on = handed_back_at + H
    dossier_forward(dossier=dossier, actor=specialist, outcome="Đủ điều kiện", now=moved_on)
    approval = dossier.steps.get(name="Phê duyệt")
    assert approval.started_at == moved_on
    assert actions(dossier) == ["submit", "receive", "forward", "finish_inter_agency", "forward"]
    assert "inter_agency" not in DossierEvent.objects.filter(action="forward").latest("sequence").data
    # Mẫu 05: both appraisals were handed over by the desk; the approval comes from the specialist.
    steps = list(dossier.steps.select_related("agency").order_by("order", "id"))
    sources = handover_sources(steps)
    assert dossier.receiving_agency == agency  # the commune is its own one-stop desk
    desk = agency.name
    assert [(s.name, sources[s.pk]) for s in steps] == [
        ("Tiếp nhận hồ sơ", ""),
        ("Phòng chuyên môn thẩm định", desk),
        (ENVIRONMENT_TASK, desk),
        ("Phê duyệt", agency.name),
        ("Trả kết quả", ""),
    ]


def test_a_parallel_step_beside_the_approval_holds_the_resolution(
    citizen, clerk, specialist, leader, agency, environment, environment_officer
):
    dossier = received_dossier(
        applicant=citizen,
        clerk=clerk,
        commune=agency,
        version=version_with(environment, beside_approval=True),
    )
    dossier_forward(dossier=dossier, actor=clerk, to_user=specialist, now=MONDAY_MORNING + H)
    assert not dossier.steps.filter(is_inter_agency=True, started_at__isnull=False).exists()
    dossier_forward(dossier=dossier, actor=specialist, outcome="Đủ điều kiện", now=MONDAY_MORNING + 2 * H)
    approval = dossier.steps.get(name="Phê duyệt")
    parallel = dossier.steps.get(name=ENVIRONMENT_TASK)
    assert approval.started_at == parallel.started_at == MONDAY_MORNING + 2 * H
    assert DossierEvent.objects.filter(action="forward").latest("sequence").data["inter_agency"][0][
        "step_id"
    ] == (parallel.pk)

    with pytest.raises(TransitionNotAllowed, match="chưa thể hoàn thành giải quyết"):
        dossier_resolve(
            dossier=dossier,
            actor=leader,
            summary="Cấp giấy phép",
            uploads=[pdf_upload()],
            now=MONDAY_MORNING + 3 * H,
        )
    with pytest.raises(TransitionNotAllowed, match="chưa thể chuyển bước"):
        dossier_forward(dossier=dossier, actor=leader, now=MONDAY_MORNING + 3 * H)
    dossier_inter_agency_finish(
        dossier=dossier,
        actor=environment_officer,
        step=parallel,
        outcome="Thống nhất",
        now=MONDAY_MORNING + 4 * H,
    )
    dossier_resolve(
        dossier=dossier,
        actor=leader,
        summary="Cấp giấy phép",
        uploads=[pdf_upload()],
        now=MONDAY_MORNING + 5 * H,
    )
    assert dossier.status == Status.RESOLVED
    returning = dossier.steps.get(name="Trả kết quả")
    assert returning.started_at == MONDAY_MORNING + 5 * H
    dossier_return_result(dossier=dossier, actor=clerk, now=MONDAY_MORNING + 6 * H)
    assert not dossier.steps.filter(finished_at__isnull=True).exists()
    assert actions(dossier) == [
        "submit",
        "receive",
        "forward",
        "forward",
        "finish_inter_agency",
        "resolve",
        "return_result",
    ]
