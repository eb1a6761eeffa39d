"""Liên thông through the API: the step holder sends a task to another agency (named by its code),
that agency's leader gives it to one of its specialists, who finds the dossier in their queue and
hands the result back; each refusal answers in Vietnamese. And the financial obligation asked
through the API lists the dossier's unpaid fees, as the staff page does."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Role
from dossiers.models import DossierEvent, DossierFile, DossierStep
from dossiers.tests.factories import PDF_BYTES, dossier_at_step
from payments.tests.factories import fee_procedure

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar")]

LIST = "/api/v1/dossiers/"


def act(user, key, action, data=None):
    client = Client()
    client.force_login(user)
    return client.post(f"{LIST}{key}/{action}/", data or {}, content_type="application/json")


def read(user, key, query=""):
    client = Client()
    client.force_login(user)
    return client.get(f"{LIST}{key}/{query}")


def queue(user, name="to_process") -> list[str]:
    client = Client()
    client.force_login(user)
    return [row["code"] for row in client.get(f"{LIST}?queue={name}").json()["results"]]


@pytest.fixture
def dossier(citizen, clerk, specialist, agency):
    """Being appraised by ``specialist`` at the commune (the lead agency), received now."""
    return dossier_at_step(
        2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency, now=timezone.now()
    )


def start(specialist, dossier, **body):
    payload = {"agency": "H40.99", "task": "Xác định nghĩa vụ thuế", "budget_hours": "8", **body}
    return act(specialist, dossier.code, "inter-agency-start", payload)


def test_a_task_is_sent_assigned_by_the_agency_leader_and_handed_back(
    dossier, specialist, tax_office, tax_head, tax_officer, tax_officer_two
):
    assert "inter-agency-start" in read(specialist, dossier.code).json()["allowed_actions"]

    sent = start(specialist, dossier, budget_hours="4")

    assert sent.status_code == 200, sent.json()
    task = next(step for step in sent.json()["steps"] if step["is_inter_agency"])
    assert (task["name"], task["agency"]["code"], task["role"], task["budget_hours"]) == (
        "Xác định nghĩa vụ thuế",
        "H40.99",
        "specialist",
        4.0,
    )
    assert task["assignee"] is None
    assert task["due_at"] is not None
    # Both specialists of the tax office have it in their queue until the leader chooses.
    assert dossier.code in queue(tax_officer)
    assert dossier.code in queue(tax_officer_two)
    seen_by_head = read(tax_head, dossier.code).json()
    assert "inter-agency-assign" in seen_by_head["allowed_actions"]
    assert "inter-agency-finish" not in seen_by_head["allowed_actions"]

    assigned = act(
        tax_head, dossier.code, "inter-agency-assign", {"step": task["id"], "assignee": "thue.loc"}
    )

    assert assigned.status_code == 200, assigned.json()
    assert next(s for s in assigned.json()["steps"] if s["id"] == task["id"])["assignee"] == "Lộc Văn Thuế"
    event = DossierEvent.objects.get(dossier=dossier, action="assign_inter_agency")
    assert event.actor == tax_head
    assert (event.data["step_id"], event.data["task"], event.data["assignee"]) == (
        task["id"],
        "Xác định nghĩa vụ thuế",
        "Lộc Văn Thuế",
    )
    assert dossier.code in queue(tax_officer)
    assert dossier.code not in queue(tax_officer_two)
    assert "inter-agency-finish" in read(tax_officer, dossier.code).json()["allowed_actions"]
    assert "inter-agency-finish" not in read(tax_officer_two, dossier.code).json()["allowed_actions"]
    by_other = act(tax_officer_two, dossier.code, "inter-agency-finish", {"step": task["id"], "outcome": "X"})
    assert by_other.status_code == 403

    done = act(
        tax_officer,
        dossier.code,
        "inter-agency-finish",
        {"step": task["id"], "outcome": "Không phát sinh nghĩa vụ thuế."},
    )

    assert done.status_code == 200, done.json()
    finished = next(s for s in done.json()["steps"] if s["id"] == task["id"])
    assert finished["finished_at"] is not None
    assert finished["timeliness"] in {"early", "on_time"}
    assert [e["action"] for e in done.json()["history"]][-3:] == [
        "start_inter_agency",
        "assign_inter_agency",
        "finish_inter_agency",
    ]
    again = act(tax_head, dossier.code, "inter-agency-assign", {"step": task["id"], "assignee": "thue.be"})
    # Handed back, the task is no one's to assign any more: the head has no part in the dossier now.
    assert again.status_code == 403


def test_the_leader_gives_the_task_to_someone_else(
    dossier, specialist, tax_head, tax_officer, tax_officer_two
):
    step_id = next(s["id"] for s in start(specialist, dossier).json()["steps"] if s["is_inter_agency"])
    act(tax_head, dossier.code, "inter-agency-assign", {"step": step_id, "assignee": "thue.loc"})

    moved = act(tax_head, dossier.code, "inter-agency-assign", {"step": step_id, "assignee": "thue.be"})

    assert moved.status_code == 200
    step = DossierStep.objects.get(pk=step_id)
    assert (step.assignee, step.received_by) == (tax_officer_two, tax_officer_two)
    assert dossier.code not in queue(tax_officer)
    assert dossier.code in queue(tax_officer_two)


def test_only_the_leader_of_the_tasks_agency_assigns_it_and_only_to_its_holders(
    dossier, specialist, leader, tax_head, tax_officer, clerk_other_agency
):
    step_id = next(s["id"] for s in start(specialist, dossier).json()["steps"] if s["is_inter_agency"])
    body = {"step": step_id, "assignee": "thue.loc"}

    by_lead_agency_head = act(leader, dossier.code, "inter-agency-assign", body)
    by_the_specialist = act(tax_officer, dossier.code, "inter-agency-assign", body)
    nobody = act(tax_head, dossier.code, "inter-agency-assign", {"step": step_id, "assignee": "khong.co.ai"})
    stranger = act(
        tax_head,
        dossier.code,
        "inter-agency-assign",
        {"step": step_id, "assignee": clerk_other_agency.username},
    )
    appraisal = dossier.steps.get(order=2, is_inter_agency=False)
    not_a_task = act(
        tax_head, dossier.code, "inter-agency-assign", {"step": appraisal.pk, "assignee": "thue.loc"}
    )

    assert by_lead_agency_head.status_code == by_the_specialist.status_code == 403
    assert "phân công thực hiện nhiệm vụ liên thông" in by_the_specialist.json()["detail"]
    assert nobody.status_code == 400
    assert nobody.json() == {"assignee": ["Không có cán bộ với tên đăng nhập “khong.co.ai”."]}
    assert stranger.status_code == 400
    message = (
        f"{clerk_other_agency.get_full_name()} không giữ vai trò «{Role.SPECIALIST.label}» "
        "tại Chi cục Thuế khu vực Lạng Sơn."
    )
    assert stranger.json() == {"detail": message, "code": "invalid", "errors": {"assignee": [message]}}
    assert not_a_task.status_code == 400
    assert not_a_task.json()["errors"] == {"step": [f"Hồ sơ không có nhiệm vụ liên thông số {appraisal.pk}."]}
    assert DossierStep.objects.get(pk=step_id).assignee is None
    assert not DossierEvent.objects.filter(dossier=dossier, action="assign_inter_agency").exists()


def test_a_task_to_an_unknown_agency_or_with_no_task_is_refused_in_vietnamese(
    dossier, specialist, tax_officer
):
    unknown = start(specialist, dossier, agency="H40.00")
    no_task = start(specialist, dossier, task="   ")
    too_short = start(specialist, dossier, budget_hours="0.2")

    assert unknown.status_code == 400
    assert unknown.json()["errors"] == {"agency": ["Không có cơ quan, đơn vị đang hoạt động với mã H40.00."]}
    assert no_task.status_code == 400
    assert too_short.status_code == 400
    assert "budget_hours" in too_short.json()
    assert not DossierStep.objects.filter(dossier=dossier, is_inter_agency=True).exists()


def test_the_financial_obligation_lists_the_unpaid_fees(citizen, clerk, specialist, agency):
    dossier = dossier_at_step(
        2,
        applicant=citizen,
        clerk=clerk,
        specialist=specialist,
        commune=agency,
        version=fee_procedure(),
        now=timezone.now(),
    )

    both = act(specialist, dossier.code, "request-payment", {"note": "a", "reason": "b"})
    asked = act(specialist, dossier.code, "request-payment", {"note": "Nộp tại quầy hoặc trực tuyến."})

    assert both.status_code == 400
    assert asked.status_code == 200, asked.json()
    assert asked.json()["status_code"] == 6
    assert asked.json()["paused_since"] is not None
    event = DossierEvent.objects.get(dossier=dossier, action="request_payment")
    assert event.data["amount"] == sum(line["amount"] for line in event.data["fees"]) > 0
    assert event.data["note"] == "Nộp tại quầy hoặc trực tuyến."
    assert event.reason.startswith("Nộp phí, lệ phí")
    assert asked.json()["history"][-1]["reason"] == event.reason
    owed = act(clerk, dossier.code, "confirm-payment", {"reference": "BL-1"})
    assert (owed.status_code, owed.json()["code"]) == (409, "fees_outstanding")


def test_with_no_fee_the_note_names_the_other_obligation(citizen, clerk, specialist, agency):
    dossier = dossier_at_step(
        2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency, now=timezone.now()
    )

    empty = act(specialist, dossier.code, "request-payment", {})
    by_reason = act(specialist, dossier.code, "request-payment", {"reason": "Nộp tiền sử dụng đất."})

    assert empty.status_code == 400
    assert "không còn khoản phí, lệ phí nào" in empty.json()["detail"]
    assert empty.json()["errors"] == {"note": [empty.json()["detail"]]}
    assert by_reason.status_code == 200
    assert by_reason.json()["history"][-1]["reason"] == "Nộp tiền sử dụng đất."


def _stored(settings) -> set[Path]:
    return {path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()}


def test_the_result_carries_the_answer_as_a_base64_document(dossier, specialist, tax_officer):
    step_id = next(s["id"] for s in start(specialist, dossier).json()["steps"] if s["is_inter_agency"])
    notice = {"name": "thong-bao-215-TB-CCT.pdf", "content": base64.b64encode(PDF_BYTES).decode()}

    done = act(
        tax_officer,
        dossier.code,
        "inter-agency-finish",
        {"step": step_id, "outcome": "Tiền sử dụng đất: 12.500.000 đ.", "files": [notice]},
    )

    assert done.status_code == 200, done.json()
    [shown] = [f for f in done.json()["files"] if f["name"] == "thong-bao-215-TB-CCT.pdf"]
    assert (shown["kind"], shown["content_type"]) == ("working", "application/pdf")
    record = DossierFile.objects.get(pk=shown["id"])
    assert (record.uploaded_by, record.kind) == (tax_officer, DossierFile.Kind.WORKING)
    event = DossierEvent.objects.get(dossier=dossier, action="finish_inter_agency")
    assert list(event.files.all()) == [record]
    assert event.data["files"] == [record.pk]
    assert DossierStep.objects.get(pk=step_id).finished_at is not None


@pytest.mark.usefixtures("clerk_other_agency")  # who takes the residence task
def test_a_refused_result_leaves_no_file_behind(settings, dossier, specialist, other_agency, tax_officer):
    tax_id = next(s["id"] for s in start(specialist, dossier).json()["steps"] if s["is_inter_agency"])
    residence = start(
        specialist, dossier, agency=other_agency.edoc_code, task="Xác nhận cư trú", role="clerk"
    )
    assert residence.status_code == 200, residence.json()
    residence_id = next(
        s["id"] for s in residence.json()["steps"] if s["is_inter_agency"] and s["id"] != tax_id
    )
    before = _stored(settings)
    pdf = {"name": "tra-loi.pdf", "content": base64.b64encode(PDF_BYTES).decode()}
    text = {"name": "ghi-chu.pdf", "content": base64.b64encode(b"just some text").decode()}

    # The tax officer holds the tax task, so may attach, but the residence task is not theirs; the
    # lead agency's specialist may attach working files but records no participant's result.
    not_theirs = act(
        tax_officer,
        dossier.code,
        "inter-agency-finish",
        {"step": residence_id, "outcome": "X", "files": [pdf]},
    )
    wrong_type = act(
        tax_officer,
        dossier.code,
        "inter-agency-finish",
        {"step": tax_id, "outcome": "X", "files": [pdf, text]},
    )
    by_lead_agency = act(
        specialist,
        dossier.code,
        "inter-agency-finish",
        {"step": tax_id, "outcome": "X", "files": [pdf]},
    )

    assert not_theirs.status_code == 409, not_theirs.json()
    assert not_theirs.json()["detail"] == "Bạn không phải người thực hiện nhiệm vụ liên thông này."
    assert wrong_type.status_code == 400
    message = "Tệp «ghi-chu.pdf» không đúng định dạng cho phép (PDF, JPEG, PNG)."
    assert wrong_type.json()["errors"] == {"files[1]": [message]}
    assert by_lead_agency.status_code == 403, by_lead_agency.json()
    assert (
        by_lead_agency.json()["detail"]
        == "Bạn không được giao việc «hoàn thành xử lý liên thông» đối với hồ sơ này."
    )
    assert not DossierFile.objects.filter(dossier=dossier, kind=DossierFile.Kind.WORKING).exists()
    assert _stored(settings) == before
    assert not DossierEvent.objects.filter(dossier=dossier, action="finish_inter_agency").exists()
    assert not DossierStep.objects.filter(pk__in=[tax_id, residence_id], finished_at__isnull=False).exists()
