"""The dossier page over HTTP: what it shows (time left, Mẫu 05 rows, history, files, slips), only
the actions allowed now for the person, and each action through its service with the refusal
shown in Vietnamese and nothing typed lost."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backoffice.tests.builders import at_step_now, code, detail_url, fresh, post_action, received_now
from dossiers.models import Dossier, DossierFile, DossierStep, Slip, Status
from dossiers.tests.factories import VN, dossier_at_step, pdf_upload, received_dossier

pytestmark = pytest.mark.django_db


def summaries(html: str) -> list[str]:
    """The titles of the action panels on a page."""
    return [
        line.strip().removeprefix("<summary>").removesuffix("</summary>")
        for line in html.splitlines()
        if line.strip().startswith("<summary>") and "Thành phần" not in line
    ]


def due_of(dossier: Dossier) -> dt.datetime:
    assert dossier.due_at is not None
    return dossier.due_at


def page_of(client, user, dossier) -> str:
    client.force_login(user)
    response = client.get(detail_url(dossier))
    assert response.status_code == 200
    return str(response.content.decode())


def test_the_page_shows_time_left_the_steps_and_the_history(client, clerk, citizen, agency):
    dossier = received_now(applicant=citizen, clerk=clerk, commune=agency)

    page = page_of(client, clerk, dossier)

    assert f"Hồ sơ {dossier.code}" in page
    assert "Còn " in page
    assert " làm việc" in page
    assert "1. Tiếp nhận hồ sơ" in page
    assert "2. Thẩm định hồ sơ" in page
    assert "Tiếp nhận hồ sơ" in page
    assert "Hẹn trả kết quả:" in page
    assert "Mẫu 01 — Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in page
    assert "thanh-phan-1.pdf" in page


def test_an_overdue_dossier_says_by_how_much(client, clerk, citizen, agency):
    dossier = received_dossier(applicant=citizen, clerk=clerk, commune=agency)

    page = page_of(client, clerk, dossier)

    assert "Quá hạn " in page
    assert "clock-late" in page


def test_only_the_actions_allowed_now_are_offered(client, clerk, specialist, leader, citizen, agency):
    dossier = received_now(applicant=citizen, clerk=clerk, commune=agency)

    clerk_sees = summaries(page_of(client, clerk, dossier))
    leader_sees = summaries(page_of(client, leader, dossier))

    assert clerk_sees[0] == "Chuyển xử lý"
    assert "Hoàn thành giải quyết" not in clerk_sees
    assert "Phân công xử lý" not in clerk_sees
    assert "Rút hồ sơ theo đề nghị của người nộp" in clerk_sees
    assert "Phân công xử lý" in leader_sees
    assert "Chuyển xử lý" not in leader_sees


def test_the_clerk_hands_over_to_a_chosen_specialist(client, clerk, specialist, citizen, agency):
    dossier = received_now(applicant=citizen, clerk=clerk, commune=agency)
    page = page_of(client, clerk, dossier)

    response = post_action(client, dossier, "chuyen-xu-ly", to_user=specialist.pk, outcome="Đủ thành phần")

    assert f'<option value="{specialist.pk}">Đinh Thị Mai</option>' in page
    assert response.status_code == 302
    step = DossierStep.objects.get(dossier=dossier, order=2)
    assert (fresh(dossier).status, step.assignee, step.handed_over_by) == (
        Status.PROCESSING,
        specialist,
        clerk,
    )


def test_a_person_outside_the_step_cannot_be_chosen(client, clerk, leader, citizen, agency):
    dossier = received_now(applicant=citizen, clerk=clerk, commune=agency)
    client.force_login(clerk)

    response = post_action(client, dossier, "chuyen-xu-ly", to_user=leader.pk)

    assert response.status_code == 400
    assert fresh(dossier).status == Status.RECEIVED


def test_the_whole_process_from_the_pages(client, clerk, specialist, leader, citizen, agency):
    dossier = received_now(applicant=citizen, clerk=clerk, commune=agency)
    client.force_login(clerk)
    post_action(client, dossier, "chuyen-xu-ly", to_user=specialist.pk)
    client.force_login(specialist)
    assert summaries(client.get(detail_url(dossier)).content.decode())[0] == "Chuyển xử lý"
    post_action(client, dossier, "chuyen-xu-ly", to_user=leader.pk, outcome="Đủ điều kiện, trình ký")
    client.force_login(leader)
    assert summaries(client.get(detail_url(dossier)).content.decode())[0] == "Hoàn thành giải quyết"

    resolved = client.post(
        detail_url(dossier) + "thao-tac/giai-quyet/",
        {
            "lock_version": fresh(dossier).lock_version,
            "summary": "Cấp trích lục khai sinh",
            "uploads": [pdf_upload("ket-qua.pdf")],
        },
    )
    client.force_login(clerk)
    returned = post_action(client, dossier, "tra-ket-qua", note="Người nộp nhận trực tiếp")

    assert resolved.status_code == 302
    assert returned.status_code == 302
    dossier = fresh(dossier)
    assert dossier.status == Status.RETURNED
    assert DossierFile.objects.get(dossier=dossier, kind=DossierFile.Kind.RESULT).name == "ket-qua.pdf"
    timings = list(
        DossierStep.objects.filter(dossier=dossier).order_by("order").values_list("timeliness", flat=True)
    )
    assert all(timings)
    assert "Hồ sơ đã kết thúc." in page_of(client, clerk, dossier)


def test_resolving_without_a_result_file_is_refused_and_the_summary_kept(
    client, clerk, specialist, leader, citizen, agency
):
    dossier = at_step_now(3, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)
    client.force_login(leader)

    response = post_action(client, dossier, "giai-quyet", summary="Cấp giấy phép số 12")

    page = response.content.decode()
    assert response.status_code == 400
    assert "Phải đính kèm tệp kết quả giải quyết." in page
    assert "Cấp giấy phép số 12" in page
    assert 'id="thao-tac-giai-quyet" open' in page


def test_an_apology_sets_a_new_date_once_and_the_form_explains_the_rule(
    client, clerk, specialist, leader, citizen, agency
):
    dossier = at_step_now(2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)
    new_day = (due_of(dossier).astimezone(VN) + dt.timedelta(days=3)).date()
    page = page_of(client, leader, dossier)

    done = post_action(
        client,
        dossier,
        "xin-loi-hen-lai",
        new_due_date=new_day.isoformat(),
        new_due_time="16:30",
        reason="Chờ kết quả xác minh",
    )
    again = page_of(client, leader, dossier)

    assert "Chỉ được xin lỗi, hẹn lại một lần, chậm nhất 1 ngày làm việc trước hạn" in page
    assert done.status_code == 302
    dossier = fresh(dossier)
    assert dossier.apology_count == 1
    assert dossier.due_at == dt.datetime.combine(new_day, dt.time(16, 30), tzinfo=VN)
    assert Slip.objects.filter(dossier=dossier, form=Slip.Form.APOLOGY).exists()
    assert "Hồ sơ đã được hẹn lại ngày trả kết quả một lần; không được hẹn lại lần thứ hai." in again


def test_an_apology_for_an_earlier_date_is_refused_next_to_the_date(
    client, clerk, specialist, leader, citizen, agency
):
    dossier = at_step_now(2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)
    client.force_login(leader)
    earlier = (due_of(dossier).astimezone(VN) - dt.timedelta(days=1)).date()

    response = post_action(
        client,
        dossier,
        "xin-loi-hen-lai",
        new_due_date=earlier.isoformat(),
        new_due_time="08:00",
        reason="Chờ xác minh",
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert page.count("Ngày hẹn trả kết quả lại phải sau ngày hẹn hiện tại.") == 2
    assert "Chờ xác minh" in page
    assert fresh(dossier).apology_count == 0


def test_an_apology_too_late_is_not_offered_but_explained(client, clerk, specialist, leader, citizen, agency):
    dossier = dossier_at_step(2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)

    page = page_of(client, leader, dossier)

    assert "Đã quá thời điểm được xin lỗi, hẹn lại" in page
    assert f'action="/can-bo/ho-so/{code(dossier)}/thao-tac/xin-loi-hen-lai/"' not in page


def test_a_supplement_after_appraisal_within_the_window_pauses_the_dossier(
    client, clerk, specialist, citizen, agency
):
    dossier = at_step_now(2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)
    first = dossier.procedure_version.components.order_by("order")[0]
    page = page_of(client, specialist, dossier)

    response = post_action(
        client, dossier, "yeu-cau-bo-sung", requirements=[first.pk], reason="Bản sao không rõ nét"
    )

    assert "Sau thẩm định, chỉ được yêu cầu bổ sung trong 3 ngày làm việc kể từ ngày tiếp nhận" in page
    assert response.status_code == 302
    dossier = fresh(dossier)
    assert dossier.status == Status.SUPPLEMENT_REQUESTED
    assert dossier.paused_since is not None


def test_a_supplement_after_the_window_is_refused_with_the_rule(client, clerk, specialist, citizen, agency):
    dossier = dossier_at_step(2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)
    first = dossier.procedure_version.components.order_by("order")[0]
    client.force_login(specialist)

    response = post_action(client, dossier, "yeu-cau-bo-sung", requirements=[first.pk], reason="Thiếu")

    assert response.status_code == 400
    assert "Đã quá 3 ngày làm việc kể từ ngày tiếp nhận" in response.content.decode()


def test_refusing_after_appraisal_needs_a_reason_and_stops_the_dossier(
    client, clerk, specialist, citizen, agency
):
    dossier = at_step_now(2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)
    client.force_login(specialist)

    empty = post_action(client, dossier, "tu-choi-giai-quyet", reason="")
    stopped = post_action(client, dossier, "tu-choi-giai-quyet", reason="Không đủ điều kiện theo Điều 5")

    assert empty.status_code == 400
    assert "Phải nêu rõ lý do." in empty.content.decode()
    assert stopped.status_code == 302
    dossier = fresh(dossier)
    assert dossier.status == Status.STOPPED
    assert (
        Slip.objects.get(dossier=dossier, form=Slip.Form.REFUSAL).content["reason"]
        == "Không đủ điều kiện theo Điều 5"
    )


def test_verification_and_consultation_are_recorded(client, clerk, specialist, citizen, agency, other_agency):
    dossier = at_step_now(2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)
    client.force_login(specialist)
    today = dt.date.today().isoformat()
    later = (dt.date.today() + dt.timedelta(days=5)).isoformat()

    verified = post_action(
        client,
        dossier,
        "tham-tra",
        held_date=today,
        held_time="09:00",
        place="Thôn Nà Pàn",
        participants="Đinh Thị Mai\nTrưởng thôn Nà Pàn",
        content="Xác minh nơi cư trú: đúng",
    )
    asked = post_action(
        client,
        dossier,
        "lay-y-kien",
        agency=other_agency.pk,
        question="Đề nghị cho ý kiến về nguồn gốc đất",
        deadline_date=later,
        deadline_time="16:30",
    )
    page = page_of(client, specialist, dossier)
    consultation_id = dossier.events.get(action="request_consultation").data["consultation_id"]
    answered = post_action(
        client, dossier, "ghi-y-kien", consultation_id=consultation_id, answer="Đất không tranh chấp"
    )

    assert (verified.status_code, asked.status_code, answered.status_code) == (302, 302, 302)
    assert "Thành phần: Đinh Thị Mai, Trưởng thôn Nà Pàn" in page
    assert "Lấy ý kiến UBND xã Đồng Đăng" in page
    assert "Ghi nhận ý kiến được lấy" in page
    assert "Đất không tranh chấp" in page_of(client, specialist, dossier)


def test_the_leader_assigns_the_current_step(client, clerk, specialist, leader, citizen, agency):
    dossier = received_now(applicant=citizen, clerk=clerk, commune=agency)
    client.force_login(clerk)
    post_action(client, dossier, "chuyen-xu-ly")
    client.force_login(leader)

    response = post_action(client, dossier, "phan-cong", assignee=specialist.pk)

    assert response.status_code == 302
    assert DossierStep.objects.get(dossier=dossier, order=2).assignee == specialist


def test_an_unknown_action_is_not_found(client, clerk, citizen, agency):
    dossier = received_now(applicant=citizen, clerk=clerk, commune=agency)
    client.force_login(clerk)

    assert post_action(client, dossier, "xoa-ho-so").status_code == 404


def test_a_stale_page_is_told_the_dossier_changed_and_keeps_the_text(
    client, clerk, colleague, citizen, agency
):
    dossier = received_now(applicant=citizen, clerk=clerk, commune=agency)
    seen = dossier.lock_version
    client.force_login(colleague)
    post_action(client, dossier, "chuyen-xu-ly")
    client.force_login(clerk)

    response = client.post(
        detail_url(dossier) + "thao-tac/rut-ho-so/",
        {"lock_version": seen, "reason": "Đơn rút hồ sơ ngày 20/11"},
    )

    page = response.content.decode()
    assert response.status_code == 409
    assert "Hồ sơ vừa được người khác cập nhật, vui lòng tải lại." in page
    assert "Đơn rút hồ sơ ngày 20/11" in page
    assert f'name="lock_version" value="{fresh(dossier).lock_version}"' in page
    assert fresh(dossier).status == Status.PROCESSING


def test_the_control_slip_prints_as_pdf(client, clerk, specialist, citizen, agency):
    dossier = dossier_at_step(2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)
    client.force_login(clerk)

    response = client.post(detail_url(dossier) + "phieu-kiem-soat/", follow=True)

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert (
        Slip.objects.get(dossier=dossier, form=Slip.Form.CONTROL).content["handovers"][1]["step"]
        == "Thẩm định hồ sơ"
    )


def test_the_page_costs_a_bounded_number_of_queries(client, clerk, specialist, citizen, agency):
    small = dossier_at_step(2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)
    big = dossier_at_step(3, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)
    for n in range(5):
        DossierFile.objects.create(
            dossier=big,
            kind="working",
            origin="digitised",
            name=f"tai-lieu-{n}.pdf",
            content_type="application/pdf",
            size=10,
            sha256="0" * 64,
            file="x.pdf",
        )
    client.force_login(specialist)

    with CaptureQueriesContext(connection) as few:
        client.get(detail_url(small))
    with CaptureQueriesContext(connection) as many:
        client.get(detail_url(big))

    assert len(few) <= 60
    assert len(many) <= len(few) + 3
