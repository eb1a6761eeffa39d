"""Processing records: the apology (Mẫu 04) once only, assignment, the financial-obligation
pause, verification visits and consultations."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.models import Role
from accounts.tests.factories import MembershipFactory, StaffFactory
from agencies.tests.factories import AgencyFactory
from dossiers.errors import DossierInvalid, TransitionNotAllowed
from dossiers.models import DossierEvent, Slip, Status
from dossiers.selectors import dossier_consultations
from dossiers.services import (
    dossier_apologise,
    dossier_assign,
    dossier_consultation_answer,
    dossier_consultation_request,
    dossier_payment_confirm,
    dossier_payment_request,
    dossier_verification_record,
)
from dossiers.tests.factories import MONDAY_MORNING, VN, dossier_at_step, received_dossier

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar")]

DUE = dt.datetime(2025, 9, 15, 9, 0, tzinfo=VN)  # 5 working days after MONDAY_MORNING


@pytest.fixture
def dossier(citizen, clerk, specialist, agency):
    built = dossier_at_step(2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)
    assert built.due_at == DUE
    return built


def test_apology_sets_a_new_due_date_once_and_keeps_the_original(dossier, leader):
    new_due = DUE + dt.timedelta(days=3)
    thursday = dt.datetime(2025, 9, 11, 10, 0, tzinfo=VN)
    dossier_apologise(
        dossier=dossier, actor=leader, reason="Cần xác minh thực địa", new_due_at=new_due, now=thursday
    )
    assert (dossier.due_at, dossier.original_due_at, dossier.apology_count) == (new_due, DUE, 1)
    assert dossier.status == Status.PROCESSING
    apology = Slip.objects.get(dossier=dossier, form=Slip.Form.APOLOGY)
    assert apology.number.endswith("/PXL")
    assert apology.content["reason"] == "Cần xác minh thực địa"
    assert apology.agency == dossier.competent_agency
    event = DossierEvent.objects.get(dossier=dossier, action="apologise")
    assert event.data["previous_due_at"] == DUE.isoformat()
    assert event.data["new_due_at"] == new_due.isoformat()

    version = dossier.lock_version
    with pytest.raises(TransitionNotAllowed, match="không được hẹn lại lần thứ hai"):
        dossier_apologise(
            dossier=dossier,
            actor=leader,
            reason="Lại chậm",
            new_due_at=new_due + dt.timedelta(days=2),
            now=thursday,
        )
    dossier.refresh_from_db()
    assert (dossier.due_at, dossier.apology_count, dossier.lock_version) == (new_due, 1, version)
    refused = DossierEvent.objects.get(dossier=dossier, action="apologise_refused")
    assert (refused.from_status, refused.to_status, refused.actor) == (
        Status.PROCESSING,
        Status.PROCESSING,
        leader,
    )
    assert "lần thứ hai" in refused.reason
    assert Slip.objects.filter(dossier=dossier, form=Slip.Form.APOLOGY).count() == 1


def test_apology_at_the_latest_one_working_day_before_the_due_time(dossier, leader, settings):
    friday_after_nine = dt.datetime(
        2025, 9, 12, 9, 1, tzinfo=VN
    )  # less than a working day before Monday 09:00
    with pytest.raises(TransitionNotAllowed, match="chậm nhất 1 ngày làm việc trước hạn") as caught:
        dossier_apologise(
            dossier=dossier,
            actor=leader,
            reason="Chậm",
            new_due_at=DUE + dt.timedelta(days=2),
            now=friday_after_nine,
        )
    assert "09:00 12/09/2025" in caught.value.message
    assert dossier.apology_count == 0
    settings.CONGSO_APOLOGY_LEAD_WORKING_DAYS = 0
    dossier_apologise(
        dossier=dossier,
        actor=leader,
        reason="Chậm",
        new_due_at=DUE + dt.timedelta(days=2),
        now=friday_after_nine,
    )
    assert dossier.apology_count == 1


def test_apology_needs_a_reason_and_a_later_date(dossier, leader, citizen):
    at = MONDAY_MORNING + dt.timedelta(days=1)
    with pytest.raises(DossierInvalid, match="lý do"):
        dossier_apologise(
            dossier=dossier, actor=leader, reason=" ", new_due_at=DUE + dt.timedelta(days=1), now=at
        )
    with pytest.raises(DossierInvalid, match="phải sau"):
        dossier_apologise(dossier=dossier, actor=leader, reason="Chậm", new_due_at=DUE, now=at)
    with pytest.raises(TransitionNotAllowed):
        dossier_apologise(
            dossier=dossier, actor=citizen, reason="Chậm", new_due_at=DUE + dt.timedelta(days=1), now=at
        )
    assert not Slip.objects.filter(dossier=dossier, form=Slip.Form.APOLOGY).exists()


def test_the_leader_assigns_a_handler_who_holds_the_role(dossier, leader, agency, clerk):
    colleague = StaffFactory.create(full_name="Chu Thị Yến")
    MembershipFactory.create(user=colleague, agency=agency, role=Role.SPECIALIST)
    with pytest.raises(DossierInvalid, match="không giữ vai trò"):
        dossier_assign(dossier=dossier, actor=leader, assignee=clerk)
    dossier_assign(
        dossier=dossier, actor=leader, assignee=colleague, now=MONDAY_MORNING + dt.timedelta(hours=2)
    )
    step = dossier.steps.get(order=2)
    assert (step.assignee, step.received_by) == (colleague, colleague)
    with pytest.raises(TransitionNotAllowed):
        dossier_assign(dossier=dossier, actor=clerk, assignee=colleague)


def test_the_financial_obligation_pauses_the_clock(dossier, specialist):
    asked = dt.datetime(2025, 9, 9, 9, 0, tzinfo=VN)
    dossier_payment_request(dossier=dossier, actor=specialist, reason="Nộp lệ phí trước bạ", now=asked)
    assert (dossier.status, dossier.paused_since) == (Status.AWAITING_PAYMENT, asked)
    paid = dt.datetime(2025, 9, 10, 9, 0, tzinfo=VN)  # one working day later
    dossier_payment_confirm(dossier=dossier, actor=None, reference="VNP123", now=paid)
    assert (dossier.status, dossier.paused_since) == (Status.PROCESSING, None)
    assert dossier.due_at == dt.datetime(2025, 9, 16, 9, 0, tzinfo=VN)
    pause = dossier.pauses.get()
    assert (pause.started_at, pause.ended_at) == (asked, paid)


def test_verification_visit_is_recorded_with_its_details(dossier, specialist, citizen):
    held = dt.datetime(2025, 9, 9, 14, 0, tzinfo=VN)
    dossier_verification_record(
        dossier=dossier,
        actor=specialist,
        held_at=held,
        place="Thôn Nà Chuông, xã Tam Thanh",
        participants=["Đinh Thị Mai", "Hoàng Thị Lan"],
        content="Xác minh hiện trạng nhà ở",
        now=held,
    )
    event = DossierEvent.objects.get(dossier=dossier, action="record_verification")
    assert event.data == {
        "held_at": held.isoformat(),
        "place": "Thôn Nà Chuông, xã Tam Thanh",
        "participants": ["Đinh Thị Mai", "Hoàng Thị Lan"],
        "content": "Xác minh hiện trạng nhà ở",
    }
    assert event.from_status == event.to_status == Status.PROCESSING
    with pytest.raises(DossierInvalid, match="thành phần tham gia"):
        dossier_verification_record(
            dossier=dossier, actor=specialist, held_at=held, place="Xã", participants=[" "], content="X"
        )
    with pytest.raises(TransitionNotAllowed):
        dossier_verification_record(
            dossier=dossier, actor=citizen, held_at=held, place="Xã", participants=["A"], content="X"
        )


def test_consultation_records_body_question_deadline_and_a_late_answer(dossier, specialist):
    police = AgencyFactory.create(name="Công an xã Tam Thanh", kind="other")
    asked = dt.datetime(2025, 9, 9, 9, 0, tzinfo=VN)
    deadline = dt.datetime(2025, 9, 10, 17, 0, tzinfo=VN)
    consultation = dossier_consultation_request(
        dossier=dossier,
        actor=specialist,
        consulted_agency=police,
        question="Xác nhận nơi cư trú của người nộp",
        deadline=deadline,
        now=asked,
    )
    [row] = dossier_consultations(dossier, now=deadline + dt.timedelta(hours=1))
    assert (row["agency"], row["question"], row["deadline"], row["overdue"]) == (
        "Công an xã Tam Thanh",
        "Xác nhận nơi cư trú của người nộp",
        deadline,
        True,
    )
    dossier_consultation_answer(
        dossier=dossier,
        actor=specialist,
        consultation_id=consultation,
        answer="Đúng nơi cư trú",
        now=deadline + dt.timedelta(hours=2),
    )
    answer = DossierEvent.objects.get(dossier=dossier, action="answer_consultation")
    assert answer.data["late"] is True
    [row] = dossier_consultations(dossier, now=deadline + dt.timedelta(hours=3))
    assert (row["answer"], row["overdue"]) == ("Đúng nơi cư trú", False)
    with pytest.raises(DossierInvalid, match="đã được ghi nhận"):
        dossier_consultation_answer(
            dossier=dossier, actor=specialist, consultation_id=consultation, answer="Lần hai"
        )
    with pytest.raises(DossierInvalid, match="Thời hạn trả lời phải sau"):
        dossier_consultation_request(
            dossier=dossier,
            actor=specialist,
            consulted_agency=police,
            question="Hỏi",
            deadline=asked,
            now=asked,
        )


def test_a_received_dossier_waits_for_its_transfer_before_the_handler_acts(
    citizen, clerk, specialist, agency
):
    dossier = received_dossier(applicant=citizen, clerk=clerk, commune=agency)
    with pytest.raises(TransitionNotAllowed):
        dossier_payment_request(dossier=dossier, actor=citizen, reason="Lệ phí")
