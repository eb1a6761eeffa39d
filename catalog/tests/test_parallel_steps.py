"""Parallel liên thông steps in a procedure's workflow (Decree 61/2018 Art. 19.6): another
agency's step that runs beside the step before it — in the model, the rules, the admin, the
import and the API."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.tests.factories import StaffFactory
from agencies.tests.factories import AgencyFactory
from catalog.content import StepContent, VersionContent, content_of
from catalog.models import ProcedureVersion, WorkflowStep
from catalog.rules import content_problems, flatten
from catalog.selectors import procedure_in_force
from catalog.tests.factories import ProcedureFactory, ProcedureVersionFactory, SectorFactory

pytestmark = pytest.mark.django_db

FIRST_STEP = "Bước đầu tiên của quy trình"
OTHER_AGENCY_ONLY = "chỉ bước liên thông do cơ quan phối hợp thực hiện"


@pytest.fixture
def environment(db):
    return AgencyFactory.create(name="Sở Nông nghiệp và Môi trường")


@pytest.fixture
def dost(db):
    return AgencyFactory.create(name="Sở Khoa học và Công nghệ")


def step(name: str, actor: str, role: str, hours: int, **more: Any) -> StepContent:
    return StepContent(name=name, actor=actor, role=role, budget_hours=Decimal(hours), **more)


def content(workflow: list[StepContent], *, days: int = 5, agency: Any = None) -> VersionContent:
    return VersionContent(
        name="Cấp giấy phép khai thác nước dưới đất",
        sector=SectorFactory.create(),
        level=ProcedureVersion.Level.PROVINCE,
        competent_agency=agency or AgencyFactory.create(),
        competent_authority="Sở Khoa học và Công nghệ",
        service_level=ProcedureVersion.ServiceLevel.PARTIAL_ONLINE,
        processing_time=Decimal(days),
        result="Giấy phép",
        workflow=tuple(workflow),
    )


def five_steps(environment: Any, *, parallel_hours: int = 16, **appraisal: Any) -> list[StepContent]:
    """[desk, specialist, the environment department beside the specialist, leader, desk]: 40 hours
    counted (4 + 24 + 8 + 4), the parallel step's not among them."""
    return [
        step("Tiếp nhận hồ sơ", "receiving_desk", "clerk", 4),
        step("Phòng chuyên môn thẩm định", "competent_agency", "specialist", 24, **appraisal),
        step(
            "Sở Nông nghiệp và Môi trường thẩm định",
            "other_agency",
            "specialist",
            parallel_hours,
            agency=environment,
            parallel=True,
        ),
        step("Phê duyệt", "competent_agency", "agency_leader", 8),
        step("Trả kết quả", "receiving_desk", "clerk", 4),
    ]


# --- the model ------------------------------------------------------------------------------


def test_the_database_refuses_a_parallel_step_not_done_by_another_agency():
    version = ProcedureVersionFactory.create(workflow=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkflowStep.objects.create(
            version=version,
            order=2,
            name="Thẩm định",
            actor=WorkflowStep.Actor.COMPETENT_AGENCY,
            role="specialist",
            budget_hours=Decimal(8),
            parallel=True,
        )
    assert not version.workflow.exists()


def test_the_model_check_names_the_actor_rule_and_the_first_step(environment):
    version = ProcedureVersionFactory.create(workflow=False)
    own = WorkflowStep(
        version=version,
        order=2,
        name="Thẩm định",
        actor=WorkflowStep.Actor.COMPETENT_AGENCY,
        role="specialist",
        budget_hours=Decimal(8),
        parallel=True,
    )
    with pytest.raises(ValidationError) as refused:
        own.full_clean()
    assert "Chỉ bước liên thông do cơ quan phối hợp" in refused.value.message_dict["parallel"][0]
    first = WorkflowStep(
        version=version,
        order=1,
        name="Thẩm định liên thông",
        actor=WorkflowStep.Actor.OTHER_AGENCY,
        agency=environment,
        role="specialist",
        budget_hours=Decimal(8),
        parallel=True,
    )
    with pytest.raises(ValidationError) as refused:
        first.full_clean()
    assert FIRST_STEP in refused.value.message_dict["parallel"][0]
    first.order = 3
    first.full_clean()  # after another step, another agency's step may run in parallel


# --- the rules ------------------------------------------------------------------------------


def test_a_parallel_step_is_not_counted_in_the_time_limit(environment):
    assert content_problems(content(five_steps(environment))) == {}
    counted = [dataclasses.replace(s, parallel=False) for s in five_steps(environment)]
    [message] = content_problems(content(counted))["workflow"]
    assert "Tổng thời gian các bước quy trình là 56 giờ làm việc" in message


def test_a_parallel_first_step_is_refused_in_vietnamese(environment):
    workflow = five_steps(environment)
    problems = flatten(content_problems(content([workflow[2], *workflow[:2], *workflow[3:]])))
    assert any(
        FIRST_STEP in message and "Sở Nông nghiệp và Môi trường thẩm định" in message for message in problems
    )


def test_a_parallel_step_beside_the_desk_or_not_by_another_agency_is_refused(environment):
    workflow = five_steps(environment)
    beside_desk = [workflow[0], workflow[2], *workflow[1:2], *workflow[3:]]
    [message] = content_problems(content(beside_desk))["workflow"]
    assert "không thể thực hiện song song với bước “Tiếp nhận hồ sơ” của Bộ phận một cửa" in message
    own = [*workflow[:3], dataclasses.replace(workflow[3], parallel=True), workflow[4]]
    messages = content_problems(content(own, days=4))["workflow"]
    assert any(OTHER_AGENCY_ONLY in message and "Phê duyệt" in message for message in messages)


def test_a_parallel_step_may_not_take_longer_than_the_step_it_runs_beside(environment):
    [message] = content_problems(content(five_steps(environment, parallel_hours=32)))["workflow"]
    assert message == (
        "Thời gian của bước song song “Sở Nông nghiệp và Môi trường thẩm định” (32 giờ làm việc) "
        "không được dài hơn thời gian của bước “Phòng chuyên môn thẩm định” mà nó thực hiện song song "
        "(24 giờ làm việc)."
    )


# --- the admin ------------------------------------------------------------------------------


@pytest.fixture
def superuser_client(client):
    client.force_login(StaffFactory.create(username="quantri-song-song", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def draft():
    """A five-day draft with the default steps: desk 4, appraisal 26, approval 6, desk 4 hours."""
    return ProcedureVersionFactory.create(
        procedure=ProcedureFactory.create(code="1.004999"),
        status=ProcedureVersion.Status.DRAFT,
        effective_from=None,
        processing_time=Decimal(5),
    )


def admin_data(version: ProcedureVersion, extra: dict[str, str], **changes: str) -> dict[str, Any]:
    steps = list(version.workflow.order_by("order"))
    data: dict[str, Any] = {
        "name": version.name,
        "sector": version.sector_id,
        "level": version.level,
        "competent_agency": version.competent_agency_id or "",
        "competent_authority": version.competent_authority,
        "service_level": version.service_level,
        "processing_time": str(version.processing_time),
        "processing_time_unit": version.processing_time_unit,
        "result": version.result,
        "decision": version.decision,
        "fees-TOTAL_FORMS": "0",
        "fees-INITIAL_FORMS": "0",
        "components-TOTAL_FORMS": "0",
        "components-INITIAL_FORMS": "0",
        "workflow-TOTAL_FORMS": str(len(steps) + 1),
        "workflow-INITIAL_FORMS": str(len(steps)),
    }
    for i, row in enumerate(steps):
        data.update(
            {
                f"workflow-{i}-id": row.pk,
                f"workflow-{i}-version": version.pk,
                f"workflow-{i}-order": row.order,
                f"workflow-{i}-name": row.name,
                f"workflow-{i}-actor": row.actor,
                f"workflow-{i}-role": row.role,
                f"workflow-{i}-budget_hours": str(row.budget_hours),
            }
        )
    data.update({f"workflow-{len(steps)}-{key}": value for key, value in extra.items()})
    data.update(changes)
    return data


def test_the_admin_edits_the_flag_with_the_same_rules(superuser_client, draft, environment):
    url = reverse("admin:catalog_procedureversion_change", args=[draft.pk])
    page = superuser_client.get(url).content.decode()
    assert 'name="workflow-0-parallel"' in page
    parallel = {
        "order": "0",
        "name": "Sở Nông nghiệp và Môi trường thẩm định",
        "actor": "other_agency",
        "agency": str(environment.pk),
        "role": "specialist",
        "budget_hours": "4",
        "parallel": "on",
    }
    refused = superuser_client.post(url, admin_data(draft, parallel)).content.decode()
    assert FIRST_STEP in refused
    assert not draft.workflow.filter(parallel=True).exists()

    # Beside the approval (6 hours): the return step moves to the end.
    accepted = admin_data(draft, {**parallel, "order": "4"}, **{"workflow-3-order": "5"})
    response = superuser_client.post(url, accepted)
    assert response.status_code == 302, response.content.decode()[:3000]
    row = draft.workflow.get(parallel=True)
    assert (row.order, row.agency, row.budget_hours) == (4, environment, Decimal(4))


# --- import ---------------------------------------------------------------------------------


def procedure(environment: Any, **workflow_changes: Any) -> dict[str, Any]:
    workflow: list[dict[str, Any]] = [
        {"name": "Tiếp nhận hồ sơ", "actor": "receiving_desk", "role": "clerk", "budget_hours": 4},
        {
            "name": "Phòng chuyên môn thẩm định",
            "actor": "competent_agency",
            "role": "specialist",
            "budget_hours": 24,
        },
        {
            "name": "Sở Nông nghiệp và Môi trường thẩm định",
            "actor": "other_agency",
            "agency": environment.name,
            "role": "specialist",
            "budget_hours": 16,
            "parallel": True,
        },
        {"name": "Phê duyệt", "actor": "competent_agency", "role": "agency_leader", "budget_hours": 8},
        {"name": "Trả kết quả", "actor": "receiving_desk", "role": "clerk", "budget_hours": 4},
    ]
    workflow[2].update(workflow_changes)
    return {
        "code": "1.004999",
        "name": "Cấp giấy phép khai thác nước dưới đất",
        "sector": "H40-TNN",
        "level": "province",
        "competent_agency": "Sở Khoa học và Công nghệ",
        "service_level": "partial_online",
        "processing_time": 5,
        "result": "Giấy phép",
        "effective_from": "2025-07-01",
        "workflow": workflow,
    }


def run_import(tmp_path: Any, *procedures: dict[str, Any], name: str = "catalogue.json") -> tuple[bool, str]:
    path = tmp_path / name
    document = {"sectors": [{"code": "H40-TNN", "name": "Tài nguyên nước"}], "procedures": list(procedures)}
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    out, err = StringIO(), StringIO()
    try:
        call_command("import_procedures", str(path), "--format", "json", stdout=out, stderr=err)
    except CommandError as error:
        return False, out.getvalue() + err.getvalue() + str(error)
    return True, out.getvalue()


def test_the_json_import_reads_the_flag_and_a_second_import_changes_nothing(tmp_path, dost, environment):
    ok, out = run_import(tmp_path, procedure(environment))
    assert ok, out
    version = procedure_in_force(code="1.004999", on=dt.date(2025, 7, 1))
    assert [(s.order, s.parallel) for s in version.workflow.order_by("order")] == [
        (1, False),
        (2, False),
        (3, True),
        (4, False),
        (5, False),
    ]
    assert content_of(version).workflow[2].parallel is True
    ok, out = run_import(tmp_path, procedure(environment))
    assert ok, out
    assert "Thủ tục mới: 0; phiên bản mới: 0; không đổi: 1" in out


def test_dropping_the_flag_is_a_new_text_and_an_old_file_without_it_still_imports(
    tmp_path, dost, environment
):
    ok, out = run_import(tmp_path, procedure(environment))
    assert ok, out
    sequential = procedure(environment, budget_hours=8)
    del sequential["workflow"][2]["parallel"]  # a file written before the flag existed
    sequential["workflow"][1]["budget_hours"] = 16
    sequential["effective_from"] = "2025-08-01"
    ok, out = run_import(tmp_path, sequential)
    assert ok, out
    version = procedure_in_force(code="1.004999", on=dt.date(2025, 8, 1))
    assert version.number == 2
    assert not version.workflow.filter(parallel=True).exists()


def test_a_bad_flag_or_a_parallel_first_step_imports_nothing(tmp_path, dost, environment):
    ok, out = run_import(tmp_path, procedure(environment, parallel="có lẽ"))
    assert not ok
    assert "“parallel” của bước “Sở Nông nghiệp và Môi trường thẩm định” phải là true (có) hoặc false" in out
    first = procedure(environment)
    first["workflow"].insert(0, first["workflow"].pop(2))
    ok, out = run_import(tmp_path, first)
    assert not ok
    assert FIRST_STEP in out
    assert not ProcedureVersion.objects.filter(procedure__code="1.004999").exists()


# --- the API --------------------------------------------------------------------------------


def test_the_api_says_which_steps_run_in_parallel(environment):
    version = ProcedureVersionFactory.create(
        procedure=ProcedureFactory.create(code="1.004999"),
        processing_time=Decimal(5),
        workflow=[
            {f.name: getattr(s, f.name) for f in dataclasses.fields(s)} for s in five_steps(environment)
        ],
    )
    body = APIClient().get(f"/api/v1/procedures/{version.procedure.code}/").json()
    assert [(s["order"], s["actor"], s["parallel"]) for s in body["workflow"]] == [
        (1, "receiving_desk", False),
        (2, "competent_agency", False),
        (3, "other_agency", True),
        (4, "competent_agency", False),
        (5, "receiving_desk", False),
    ]
    assert body["workflow"][2]["agency"]["name"] == "Sở Nông nghiệp và Môi trường"
