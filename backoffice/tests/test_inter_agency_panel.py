"""The liên thông panel of the dossier page over HTTP: the step holder sends tasks to other agencies
(several at once), each participating agency sees the dossier and hands its result back, the lead
agency sees who is late, the dossier moves on only when every participant has answered; an agency
that takes no part finds nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import MembershipFactory, StaffFactory
from agencies.tests.factories import AgencyFactory
from backoffice.tests.builders import at_step_now, detail_url, fresh, key_of
from catalog.models import WorkflowStep
from dossiers.models import DossierEvent, DossierFile, DossierStep
from dossiers.services import dossier_forward, dossier_inter_agency_finish, dossier_inter_agency_start
from dossiers.tests.factories import MONDAY_MORNING, commune_procedure, dossier_at_step, pdf_upload

pytestmark = pytest.mark.django_db

SEND_TITLE = "Gửi nhiệm vụ liên thông đến cơ quan phối hợp"


def send_url(dossier) -> str:
    return f"/can-bo/ho-so/{key_of(dossier)}/lien-thong/"


def finish_url(dossier, step) -> str:
    return f"/can-bo/ho-so/{key_of(dossier)}/lien-thong/{step.pk}/ket-qua/"


def page_of(client, user, dossier) -> str:
    client.force_login(user)
    response = client.get(detail_url(dossier))
    assert response.status_code == 200
    return str(response.content.decode())


def send(client, user, dossier, agency, task, *, role=Role.SPECIALIST, hours="8", version=None):
    client.force_login(user)
    return client.post(
        send_url(dossier),
        {
            "lock_version": fresh(dossier).lock_version if version is None else version,
            "agency": agency.pk,
            "task": task,
            "budget_hours": hours,
            "role": role,
        },
    )


def finish(client, user, dossier, step, outcome, *, version=None):
    client.force_login(user)
    return client.post(
        finish_url(dossier, step),
        {"lock_version": fresh(dossier).lock_version if version is None else version, "outcome": outcome},
    )


@pytest.fixture
def dossier(citizen, clerk, specialist, agency):
    """Being appraised by ``specialist`` at the commune (the lead agency)."""
    return at_step_now(2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)


@pytest.fixture
def tax_office():
    return AgencyFactory(name="Chi cục Thuế khu vực Lạng Sơn", kind="other")


@pytest.fixture
def tax_officer(tax_office):
    user = StaffFactory(username="thue", full_name="Lộc Văn Thuế")
    MembershipFactory(user=user, agency=tax_office, role=Role.SPECIALIST)
    return user


@pytest.fixture
def outsider():
    """A clerk of a commune that takes no part in the dossier."""
    user = StaffFactory(username="motcua9", full_name="Mã Thị Ngoài")
    MembershipFactory(user=user, agency=AgencyFactory(name="UBND xã Cao Lộc"), role=Role.CLERK)
    return user


def test_the_step_holder_sends_tasks_to_two_agencies_at_once(
    client, dossier, specialist, other_agency, clerk_other_agency, tax_office, tax_officer
):
    assert SEND_TITLE in page_of(client, specialist, dossier)

    first = send(client, specialist, dossier, other_agency, "Xác nhận nơi cư trú", role=Role.CLERK)
    second = send(client, specialist, dossier, tax_office, "Xác định nghĩa vụ thuế", hours="4")

    assert first.status_code == second.status_code == 302
    assert first["Location"].endswith("#lien-thong")
    tasks = list(dossier.steps.filter(is_inter_agency=True).order_by("id"))
    assert [(t.agency, t.role, t.budget_hours) for t in tasks] == [
        (other_agency, Role.CLERK, Decimal(8)),
        (tax_office, Role.SPECIALIST, Decimal(4)),
    ]
    assert all(t.started_at is not None and t.due_at is not None and t.finished_at is None for t in tasks)
    events = DossierEvent.objects.filter(dossier=dossier, action="start_inter_agency").order_by("sequence")
    assert [e.data["step_id"] for e in events] == [t.pk for t in tasks]
    assert [e.reason for e in events] == ["Xác nhận nơi cư trú", "Xác định nghĩa vụ thuế"]

    page = page_of(client, specialist, dossier)
    assert "Đã gửi nhiệm vụ liên thông đến Chi cục Thuế khu vực Lạng Sơn" in page
    assert "UBND xã Đồng Đăng" in page
    assert page.count(">Song song<") == 2
    assert "0/2 nhiệm vụ đã hoàn thành" in page
    assert "Còn 2 nhiệm vụ liên thông đang thực hiện" in page
    # The dossier waits for both participants: neither moving on nor resolving is offered.
    assert "<summary>Chuyển xử lý</summary>" not in page
    assert "<summary>Hoàn thành giải quyết</summary>" not in page


def test_a_participating_clerk_sees_the_dossier_and_hands_back_its_result(
    client, dossier, specialist, other_agency, clerk_other_agency
):
    send(client, specialist, dossier, other_agency, "Xác nhận nơi cư trú", role=Role.CLERK)
    task = dossier.steps.get(is_inter_agency=True)

    page = page_of(client, clerk_other_agency, dossier)
    assert "Ghi kết quả nhiệm vụ «Xác nhận nơi cư trú»" in page
    assert SEND_TITLE not in page
    assert "<summary>Chuyển xử lý</summary>" not in page

    empty = finish(client, clerk_other_agency, dossier, task, "  ")
    assert empty.status_code == 400
    assert "Phải ghi kết quả thực hiện nhiệm vụ liên thông." in empty.content.decode()
    task.refresh_from_db()
    assert task.finished_at is None

    done = finish(client, clerk_other_agency, dossier, task, "Ông Lan cư trú tại thôn Nà Chuông từ 2019")

    assert done.status_code == 302
    task.refresh_from_db()
    assert task.finished_at is not None
    assert task.outcome == "Ông Lan cư trú tại thôn Nà Chuông từ 2019"
    assert task.received_by == clerk_other_agency
    assert task.timeliness in {DossierStep.Timeliness.EARLY, DossierStep.Timeliness.ON_TIME}
    event = DossierEvent.objects.get(dossier=dossier, action="finish_inter_agency")
    assert (event.actor, event.agency, event.data["late"]) == (clerk_other_agency, other_agency, False)
    # Handed back: the lead agency reads the result and may move on.
    lead = page_of(client, specialist, dossier)
    assert "Ông Lan cư trú tại thôn Nà Chuông từ 2019" in lead
    assert "1/1 nhiệm vụ đã hoàn thành" in lead
    assert task.get_timeliness_display() in lead
    assert "<summary>Chuyển xử lý</summary>" in lead
    assert f"Kết quả liên thông của UBND xã Đồng Đăng: {task.get_timeliness_display()}" in lead  # history
    # The participant still sees the dossier, with nothing left to do on its task.
    assert "Ghi kết quả nhiệm vụ" not in page_of(client, clerk_other_agency, dossier)


def test_an_agency_that_takes_no_part_finds_nothing(
    client, dossier, specialist, other_agency, clerk_other_agency, outsider
):
    client.force_login(outsider)
    assert client.get(detail_url(dossier)).status_code == 404
    assert send(client, outsider, dossier, other_agency, "Việc gì đó").status_code == 404

    send(client, specialist, dossier, other_agency, "Xác nhận nơi cư trú", role=Role.CLERK)
    task = dossier.steps.get(is_inter_agency=True)

    client.force_login(outsider)
    assert client.get(detail_url(dossier)).status_code == 404
    assert finish(client, outsider, dossier, task, "Tôi trả lời thay").status_code == 404
    task.refresh_from_db()
    assert task.finished_at is None
    # A step that is no liên thông task is not found either, even by the participant.
    appraisal = dossier.steps.get(is_inter_agency=False, started_at__isnull=False, finished_at__isnull=True)
    assert finish(client, clerk_other_agency, dossier, appraisal, "Xong").status_code == 404


def test_one_participant_cannot_answer_for_another(
    client, dossier, specialist, other_agency, clerk_other_agency, tax_office, tax_officer
):
    send(client, specialist, dossier, other_agency, "Xác nhận nơi cư trú", role=Role.CLERK)
    send(client, specialist, dossier, tax_office, "Xác định nghĩa vụ thuế")
    residence = dossier.steps.get(is_inter_agency=True, agency=other_agency)

    response = finish(client, tax_officer, dossier, residence, "Đã xác nhận")

    assert response.status_code == 400
    assert "Bạn không phải người thực hiện nhiệm vụ liên thông này." in response.content.decode()
    residence.refresh_from_db()
    assert residence.finished_at is None


def test_the_lead_agency_sees_who_is_late_and_the_overall_rating(
    client, citizen, clerk, specialist, agency, other_agency, clerk_other_agency, tax_office, tax_officer
):
    # Appraisal started on Monday 08/09/2025; both tasks were due that day.
    dossier = dossier_at_step(2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)
    sent = MONDAY_MORNING + dt.timedelta(hours=1)
    residence = dossier_inter_agency_start(
        dossier=dossier, actor=specialist, agency=other_agency, task="Xác nhận nơi cư trú",
        budget_hours=4, role=Role.CLERK, now=sent,
    )  # fmt: skip
    tax = dossier_inter_agency_start(
        dossier=dossier, actor=specialist, agency=tax_office, task="Xác định nghĩa vụ thuế",
        budget_hours=4, now=sent,
    )  # fmt: skip
    dossier_inter_agency_finish(
        dossier=dossier, actor=clerk_other_agency, step=residence, outcome="Đúng địa chỉ",
        now=sent + dt.timedelta(minutes=30),
    )  # fmt: skip
    assert tax.due_at is not None
    assert tax.due_at < timezone.now()

    page = page_of(client, specialist, dossier)

    assert "Cơ quan phối hợp quá hạn" in page
    late_alert = page.split("Cơ quan phối hợp quá hạn", 1)[1].split("</div>", 1)[0]
    assert "Chi cục Thuế khu vực Lạng Sơn" in late_alert
    assert "UBND xã Đồng Đăng" not in late_alert
    assert f'<tr id="lien-thong-{tax.pk}" class="late">' in page
    assert f'<tr id="lien-thong-{residence.pk}">' in page
    assert 'Đánh giá chung: <span class="clock clock-late">Quá hạn</span>' in page
    assert "Trước hạn" in page  # the residence check, answered within half an hour
    assert "Quá hạn " in page  # the running tax task's countdown: by how much

    # Once the tax office answers (late), the liên thông is over, rated late overall.
    dossier_inter_agency_finish(dossier=dossier, actor=tax_officer, step=tax, outcome="Thuế TNCN 0 đ")
    page = page_of(client, specialist, dossier)
    assert "2/2 nhiệm vụ đã hoàn thành" in page
    assert 'Đánh giá chung: <span class="clock clock-late">Quá hạn</span>' in page
    assert (
        DossierEvent.objects.filter(dossier=dossier, action="finish_inter_agency")
        .latest("sequence")
        .data["late"]
    )


def test_a_refused_task_is_explained_and_nothing_typed_is_lost(client, dossier, specialist, tax_office):
    nobody_there = send(client, specialist, dossier, tax_office, "Xác định nghĩa vụ thuế", role=Role.CLERK)
    too_short = send(client, specialist, dossier, tax_office, "Xác định nghĩa vụ thuế", hours="0.2")

    assert nobody_there.status_code == too_short.status_code == 400
    page = nobody_there.content.decode()
    assert "Chi cục Thuế khu vực Lạng Sơn chưa có cán bộ giữ vai trò «Cán bộ tiếp nhận một cửa»" in page
    assert "Xác định nghĩa vụ thuế</textarea>" in page
    assert '<details id="thao-tac-lien-thong-gui" open>' in page
    assert "Chưa thực hiện được: hãy kiểm tra các ô được đánh dấu." in too_short.content.decode()
    assert not dossier.steps.filter(is_inter_agency=True).exists()


def test_of_two_participants_answering_at_once_the_second_is_told_and_keeps_its_text(
    client, dossier, specialist, other_agency, clerk_other_agency, tax_office, tax_officer
):
    send(client, specialist, dossier, other_agency, "Xác nhận nơi cư trú", role=Role.CLERK)
    send(client, specialist, dossier, tax_office, "Xác định nghĩa vụ thuế")
    residence = dossier.steps.get(agency=other_agency, is_inter_agency=True)
    tax = dossier.steps.get(agency=tax_office, is_inter_agency=True)
    seen = fresh(dossier).lock_version  # both pages were opened now

    assert (
        finish(client, clerk_other_agency, dossier, residence, "Đúng địa chỉ", version=seen).status_code
        == 302
    )
    late = finish(client, tax_officer, dossier, tax, "Thuế TNCN 0 đ", version=seen)

    assert late.status_code == 409
    body = late.content.decode()
    assert "Hồ sơ vừa được người khác cập nhật, vui lòng tải lại." in body
    assert "Thuế TNCN 0 đ</textarea>" in body
    assert f'name="lock_version" value="{fresh(dossier).lock_version}"' in body
    assert finish(client, tax_officer, dossier, tax, "Thuế TNCN 0 đ").status_code == 302


def test_a_step_of_the_process_done_by_another_agency_is_shown_in_its_turn(
    client, citizen, clerk, specialist, agency, tax_office, tax_officer
):
    version = commune_procedure(
        workflow=[
            {"name": "Tiếp nhận", "actor": WorkflowStep.Actor.RECEIVING_DESK, "role": "clerk",
             "budget_hours": Decimal(4)},
            {"name": "Thẩm định", "actor": WorkflowStep.Actor.COMPETENT_AGENCY, "role": "specialist",
             "budget_hours": Decimal(8)},
            {"name": "Xác định nghĩa vụ thuế", "actor": WorkflowStep.Actor.OTHER_AGENCY, "agency": tax_office,
             "role": "specialist", "budget_hours": Decimal(8)},
            {"name": "Phê duyệt", "actor": WorkflowStep.Actor.COMPETENT_AGENCY, "role": "agency_leader",
             "budget_hours": Decimal(8)},
            {"name": "Trả kết quả", "actor": WorkflowStep.Actor.RECEIVING_DESK, "role": "clerk",
             "budget_hours": Decimal(4)},
        ]
    )  # fmt: skip
    dossier = at_step_now(
        2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency, version=version
    )

    waiting = page_of(client, specialist, dossier)
    assert "Tuần tự (bước 3)" in waiting
    assert "chưa đến lượt" in waiting
    # The participant sees the dossier from the start (Art. 19.6), with nothing to do before its turn.
    early = page_of(client, tax_officer, dossier)
    assert "chưa đến lượt" in early
    assert "<summary>" not in early

    dossier_forward(dossier=dossier, actor=specialist, outcome="Đủ điều kiện")
    turn = page_of(client, tax_officer, dossier)

    assert "<summary>Chuyển xử lý</summary>" in turn  # handed over in the process's order
    assert "Ghi kết quả nhiệm vụ" not in turn
    assert "Đang thực hiện" in turn


def _stored(settings) -> set[Path]:
    return {path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()}


def finish_with(client, user, dossier, step, outcome, *uploads):
    client.force_login(user)
    body = {"lock_version": fresh(dossier).lock_version, "outcome": outcome, "uploads": list(uploads)}
    return client.post(finish_url(dossier, step), body)  # multipart, as the browser sends it


def test_the_participant_sends_a_signed_pdf_with_its_result(
    client, dossier, specialist, tax_office, tax_officer
):
    send(client, specialist, dossier, tax_office, "Xác định nghĩa vụ thuế")
    task = dossier.steps.get(is_inter_agency=True)
    form = page_of(client, tax_officer, dossier).split("Ghi kết quả nhiệm vụ «Xác định nghĩa vụ thuế»", 1)[1]
    assert 'enctype="multipart/form-data"' in form.split("</form>", 1)[0]
    assert 'type="file" name="uploads"' in form
    assert 'accept="application/pdf,image/jpeg,image/png"' in form

    done = finish_with(
        client, tax_officer, dossier, task, "Thông báo số 215/TB-CCT", pdf_upload("thong-bao-215.pdf")
    )

    assert done.status_code == 302
    record = DossierFile.objects.get(dossier=dossier, kind=DossierFile.Kind.WORKING)
    assert (record.name, record.uploaded_by, record.content_type) == (
        "thong-bao-215.pdf",
        tax_officer,
        "application/pdf",
    )
    event = DossierEvent.objects.get(dossier=dossier, action="finish_inter_agency")
    assert list(event.files.all()) == [record]
    # The lead agency reads the answer and opens its document from the liên thông panel.
    lead = page_of(client, specialist, dossier)
    row = lead.split(f'<tr id="lien-thong-{task.pk}"', 1)[1].split("</tr>", 1)[0]
    link = f"/can-bo/ho-so/{key_of(dossier)}/tep/{record.pk}/"
    assert f'<a href="{link}" target="_blank" rel="noopener">thong-bao-215.pdf</a>' in row
    assert "Thông báo số 215/TB-CCT" in row
    opened = client.get(link)
    assert (opened.status_code, opened["Content-Type"]) == (200, "application/pdf")


def test_a_file_of_the_wrong_type_is_refused_and_the_task_stays_open(
    client, settings, dossier, specialist, tax_office, tax_officer
):
    send(client, specialist, dossier, tax_office, "Xác định nghĩa vụ thuế")
    task = dossier.steps.get(is_inter_agency=True)
    before = _stored(settings)

    refused = finish_with(
        client,
        tax_officer,
        dossier,
        task,
        "Thuế TNCN 0 đ",
        pdf_upload("thong-bao.pdf"),
        SimpleUploadedFile("ghi-chu.txt", b"khong phai PDF", content_type="application/pdf"),
    )

    assert refused.status_code == 400
    body = refused.content.decode()
    assert "Tệp «ghi-chu.txt» không đúng định dạng cho phép (PDF, JPEG, PNG)." in body
    assert "Các tệp đã chọn cần chọn lại." in body
    assert "Thuế TNCN 0 đ</textarea>" in body  # what was typed is kept
    task.refresh_from_db()
    assert task.finished_at is None
    assert not DossierFile.objects.filter(dossier=dossier, kind=DossierFile.Kind.WORKING).exists()
    assert _stored(settings) == before  # the PDF stored before the refusal was removed
    assert "Ghi kết quả nhiệm vụ «Xác định nghĩa vụ thuế»" in page_of(client, tax_officer, dossier)


def test_a_result_for_a_task_not_ones_own_stores_no_file(
    client, settings, dossier, specialist, other_agency, clerk_other_agency, tax_office, tax_officer
):
    send(client, specialist, dossier, other_agency, "Xác nhận nơi cư trú", role=Role.CLERK)
    send(client, specialist, dossier, tax_office, "Xác định nghĩa vụ thuế")
    residence = dossier.steps.get(is_inter_agency=True, agency=other_agency)
    before = _stored(settings)

    # The tax officer may attach files (they hold the tax task) but not answer for the commune.
    response = finish_with(client, tax_officer, dossier, residence, "Đã xác nhận", pdf_upload())

    assert response.status_code == 400
    assert "Bạn không phải người thực hiện nhiệm vụ liên thông này." in response.content.decode()
    residence.refresh_from_db()
    assert residence.finished_at is None
    assert not DossierFile.objects.filter(dossier=dossier, kind=DossierFile.Kind.WORKING).exists()
    assert _stored(settings) == before
