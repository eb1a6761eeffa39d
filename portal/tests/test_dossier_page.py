"""The applicant's page of one dossier: its history, requests, results and slips, and what the
applicant may do there — hand in a supplement, withdraw, rate once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from dossiers.models import DossierEvent, DossierFile, Rating, Slip, Status
from dossiers.services import dossier_apologise, dossier_file_attach, dossier_receive, dossier_refuse
from dossiers.slips import slip_issue
from dossiers.tests.factories import (
    MONDAY_MORNING,
    dossier_at_step,
    pdf_upload,
    received_dossier,
    submitted_dossier,
)
from portal.tests import files
from portal.tests.dossier_states import (
    CORRECTION,
    SUPPLEMENT_REASON,
    H,
    resolved,
    returned,
    supplement_requested,
)
from portal.tests.dossier_steps import hidden, text
from portal.tests.html_checks import assert_accessible_page

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("dossier_world")]


def url(name, dossier, *args):
    return reverse(f"portal:{name}", args=[dossier.reference, *args])


@pytest.fixture
def signed_in(client, citizen):
    client.force_login(citizen)
    return client


@pytest.fixture
def asked(citizen, clerk, agency):
    return supplement_requested(applicant=citizen, clerk=clerk, commune=agency)


@pytest.fixture
def finished(citizen, clerk, specialist, leader, agency):
    return returned(applicant=citizen, clerk=clerk, specialist=specialist, leader=leader, commune=agency)


def supplement_data(page, dossier, **files_by_item):
    prefix = f"bs-{dossier.reference}-"
    assert f'id="{prefix}item_1"' in page
    return {"lock_version": hidden(page, "lock_version"), "action": "submit", **files_by_item}


# --- what the page shows ----------------------------------------------------------------------------


def test_the_page_shows_the_history_with_times_and_reasons(signed_in, asked):
    page = text(signed_in.get(url("dossier_detail", asked)))

    assert "<strong>Chờ bổ sung hồ sơ</strong>" in page
    assert "09:00 08/09/2025" in page  # submitted (Vietnam time, dd/mm/yyyy)
    assert "Nộp hồ sơ" in page
    assert "10:00 08/09/2025" in page
    assert "Yêu cầu bổ sung, hoàn thiện hồ sơ" in page
    assert SUPPLEMENT_REASON in page
    assert "Giấy tờ bắt buộc số 2 — bản chụp bị mờ" in page
    assert CORRECTION in page
    assert "UBND phường Tam Thanh" in page  # who asked: the desk, not the clerk's name
    assert "Vi Thị Hoa" not in page
    assert "cấp khi hồ sơ được tiếp nhận" in page  # no code before reception
    assert_accessible_page(page)


def test_after_reception_the_page_shows_the_code_due_date_and_the_receipt(signed_in, citizen, clerk, agency):
    dossier = received_dossier(applicant=citizen, clerk=clerk, commune=agency)

    page = text(signed_in.get(url("dossier_detail", dossier)))

    assert dossier.code is not None
    assert dossier.code in page
    assert "Đã tiếp nhận" in page
    assert "Hẹn trả kết quả" in page
    assert "15/09/2025" in page
    receipt = Slip.objects.get(dossier=dossier, form=Slip.Form.RECEIPT)
    assert url("dossier_slip", dossier, receipt.pk) in page
    assert "Mẫu 01 — Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in page
    assert "Rút hồ sơ" in page  # still possible


def test_an_apology_shows_the_reason_the_new_and_the_original_due_date(
    signed_in, citizen, clerk, specialist, agency
):
    dossier = dossier_at_step(2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)
    assert dossier.due_at is not None
    dossier_apologise(
        dossier=dossier,
        actor=specialist,
        reason="Phải xác minh thêm tại nơi cư trú",
        new_due_at=dossier.due_at + dt.timedelta(days=3),
        now=MONDAY_MORNING + 2 * H,
    )

    page = text(signed_in.get(url("dossier_detail", dossier)))

    assert "Xin lỗi và hẹn lại ngày trả kết quả" in page
    assert "Phải xác minh thêm tại nơi cư trú" in page
    assert "<strong>18/09/2025</strong>" in page  # the new appointment
    assert "hẹn ban đầu 15/09/2025" in page
    assert "Mẫu 04 — Phiếu xin lỗi và hẹn lại ngày trả kết quả" in page


def test_a_refusal_at_reception_gives_its_reason_and_mau_03(signed_in, citizen, clerk, agency):
    dossier = submitted_dossier(applicant=citizen, commune=agency)
    dossier_refuse(dossier=dossier, actor=clerk, reason="Thủ tục không thuộc thẩm quyền của xã")

    page = text(signed_in.get(url("dossier_detail", dossier)))

    assert "<strong>Không được tiếp nhận</strong>" in page
    assert "Thủ tục không thuộc thẩm quyền của xã" in page
    assert "Mẫu 03 — Phiếu từ chối tiếp nhận giải quyết hồ sơ" in page
    assert url("dossier_withdraw", dossier) not in page


def test_the_receipt_pdf_downloads_for_the_applicant_only(client, citizen, other_citizen, clerk, agency):
    dossier = received_dossier(applicant=citizen, clerk=clerk, commune=agency)
    receipt = Slip.objects.get(dossier=dossier, form=Slip.Form.RECEIPT)

    client.force_login(citizen)
    response = client.get(url("dossier_slip", dossier, receipt.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert f"mau01-{dossier.code}.pdf" in response["Content-Disposition"]

    client.force_login(other_citizen)
    assert client.get(url("dossier_slip", dossier, receipt.pk)).status_code == 404


def test_the_internal_control_slip_and_working_notes_stay_inside(
    signed_in, citizen, clerk, specialist, agency
):
    dossier = dossier_at_step(3, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)
    control = slip_issue(dossier=dossier, form=Slip.Form.CONTROL, actor=clerk, now=MONDAY_MORNING + 2 * H)

    page = text(signed_in.get(url("dossier_detail", dossier)))

    assert "Chuyển xử lý" in page  # where the dossier is …
    assert "Hồ sơ đủ điều kiện" not in page  # … but not the handler's note
    assert "Mẫu 05" not in page
    assert signed_in.get(url("dossier_slip", dossier, control.pk)).status_code == 404


def test_result_files_reach_the_applicant_once_resolved(
    signed_in, citizen, clerk, specialist, leader, agency
):
    dossier = dossier_at_step(3, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)
    draft_result = dossier_file_attach(
        dossier=dossier, actor=leader, upload=pdf_upload("du-thao.pdf"), kind=DossierFile.Kind.RESULT
    )
    assert signed_in.get(url("dossier_file", dossier, draft_result.pk)).status_code == 404
    assert "du-thao.pdf" not in text(signed_in.get(url("dossier_detail", dossier)))

    dossier = resolved(applicant=citizen, clerk=clerk, specialist=specialist, leader=leader, commune=agency)
    result = DossierFile.objects.get(dossier=dossier, kind=DossierFile.Kind.RESULT, name="ket-qua.pdf")
    page = text(signed_in.get(url("dossier_detail", dossier)))
    assert "Kết quả giải quyết" in page
    assert "Cấp Giấy xác nhận tình trạng hôn nhân" in page
    assert url("dossier_file", dossier, result.pk) in page
    download = signed_in.get(url("dossier_file", dossier, result.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_working_files_are_never_downloadable(signed_in, citizen, clerk, specialist, agency):
    dossier = dossier_at_step(2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)
    working = dossier_file_attach(
        dossier=dossier, actor=specialist, upload=pdf_upload("bien-ban.pdf"), kind=DossierFile.Kind.WORKING
    )

    assert signed_in.get(url("dossier_file", dossier, working.pk)).status_code == 404


@pytest.mark.parametrize(
    ("name", "extra"),
    [
        ("dossier_detail", ()),
        ("dossier_supplement", ()),
        ("dossier_withdraw", ()),
        ("dossier_rate", ()),
        ("dossier_file", ("file",)),
    ],
)
def test_another_citizen_gets_404_never_403_and_staff_403(client, other_citizen, clerk, asked, name, extra):
    args = [asked.files.first().pk] if extra else []
    target = url(name, asked, *args)

    client.force_login(other_citizen)
    assert client.get(target).status_code == 404
    client.force_login(clerk)
    assert client.get(target).status_code == 403
    client.logout()
    assert client.get(target).url.startswith(reverse("accounts:login"))


# --- supplement ----------------------------------------------------------------------------------------


def test_the_supplement_is_handed_in_from_the_dossier_page(signed_in, asked):
    page = text(signed_in.get(url("dossier_detail", asked)))
    assert "Nộp hồ sơ bổ sung" in page
    data = supplement_data(page, asked, item_1=files.pdf("ban-ro.pdf"), item_2=files.png("to-khai-sua.png"))

    response = signed_in.post(url("dossier_supplement", asked), data)

    assert response.status_code == 302
    assert response.url == url("dossier_detail", asked)
    asked.refresh_from_db()
    assert asked.status == Status.SUBMITTED
    added = DossierFile.objects.filter(dossier=asked, kind=DossierFile.Kind.SUPPLEMENT).order_by("id")
    assert [(f.name, f.requirement is not None) for f in added] == [
        ("ban-ro.pdf", True),
        ("to-khai-sua.png", False),
    ]
    event = DossierEvent.objects.get(dossier=asked, action="submit_supplement")
    assert {f.name for f in event.files.all()} == {"ban-ro.pdf", "to-khai-sua.png"}
    after = text(signed_in.get(url("dossier_detail", asked)))
    assert "Đã nộp hồ sơ bổ sung" in after
    assert "Đã nộp, chờ tiếp nhận" in after


def test_a_bad_supplement_file_is_refused_and_the_good_one_kept(signed_in, asked):
    page = text(signed_in.get(url("dossier_supplement", asked)))
    assert_accessible_page(page)
    bad = files.upload("to-khai.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    data = supplement_data(page, asked, item_1=files.pdf("ban-ro.pdf"), item_2=bad)

    response = signed_in.post(url("dossier_supplement", asked), data)

    assert response.status_code == 400
    body = text(response)
    assert "Tệp «to-khai.pdf» không đúng định dạng cho phép" in body
    assert "ban-ro.pdf" in body  # listed as already sent
    asked.refresh_from_db()
    assert asked.status == Status.SUPPLEMENT_REQUESTED
    assert list(
        DossierFile.objects.filter(kind=DossierFile.Kind.SUPPLEMENT).values_list("name", flat=True)
    ) == ["ban-ro.pdf"]


def test_the_supplement_must_bring_the_component_asked_for(signed_in, asked):
    page = text(signed_in.get(url("dossier_supplement", asked)))
    data = supplement_data(page, asked, item_2=files.pdf("to-khai-sua.pdf"))

    response = signed_in.post(url("dossier_supplement", asked), data)

    assert response.status_code == 400
    assert "Còn thiếu giấy tờ được yêu cầu bổ sung: Giấy tờ bắt buộc số 2." in text(response)
    asked.refresh_from_db()
    assert asked.status == Status.SUPPLEMENT_REQUESTED


def test_the_supplement_can_be_saved_then_sent_later(signed_in, asked, clerk):
    page = text(signed_in.get(url("dossier_supplement", asked)))
    data = supplement_data(page, asked, item_1=files.pdf("ban-ro.pdf"))
    data["action"] = "save"
    assert signed_in.post(url("dossier_supplement", asked), data).status_code == 302
    asked.refresh_from_db()
    assert asked.status == Status.SUPPLEMENT_REQUESTED

    page = text(signed_in.get(url("dossier_supplement", asked)))
    assert "ban-ro.pdf" in page
    response = signed_in.post(url("dossier_supplement", asked), supplement_data(page, asked))
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.status == Status.SUBMITTED
    dossier_receive(dossier=asked, actor=clerk)
    assert asked.code


# --- withdraw ---------------------------------------------------------------------------------------


def test_withdrawing_asks_for_a_reason_and_a_confirmation(signed_in, citizen, clerk, agency):
    dossier = received_dossier(applicant=citizen, clerk=clerk, commune=agency)
    page = text(signed_in.get(url("dossier_withdraw", dossier)))
    assert "Không thể hoàn tác" in page
    assert "Xác nhận rút hồ sơ" in page
    assert_accessible_page(page)
    version = hidden(page, "lock_version")

    empty = signed_in.post(url("dossier_withdraw", dossier), {"lock_version": version, "reason": "  "})
    assert empty.status_code == 400
    assert "Hãy cho biết lý do rút hồ sơ." in text(empty)
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED

    done = signed_in.post(
        url("dossier_withdraw", dossier), {"lock_version": version, "reason": "Đã nộp nhầm thủ tục"}
    )
    assert done.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.WITHDRAWN
    event = DossierEvent.objects.get(dossier=dossier, action="withdraw")
    assert (event.actor, event.reason) == (citizen, "Đã nộp nhầm thủ tục")
    after = text(signed_in.get(url("dossier_detail", dossier)))
    assert "Đã rút hồ sơ" in after
    assert "Đã nộp nhầm thủ tục" in after
    assert url("dossier_withdraw", dossier) not in after


def test_a_stale_withdraw_form_does_not_act_on_a_changed_dossier(signed_in, citizen, clerk, asked):
    page = text(signed_in.get(url("dossier_withdraw", asked)))
    dossier_file_attach(
        dossier=asked,
        actor=citizen,
        upload=pdf_upload(),
        kind=DossierFile.Kind.SUPPLEMENT,
        requirement=asked.procedure_version.components.order_by("order")[1],
    )
    from dossiers.services import dossier_supplement_submit

    dossier_supplement_submit(dossier=asked, actor=citizen)  # meanwhile, in another tab

    response = signed_in.post(
        url("dossier_withdraw", asked), {"lock_version": hidden(page, "lock_version"), "reason": "Nhầm"}
    )

    assert response.status_code == 400
    assert "Hồ sơ vừa được người khác cập nhật, vui lòng tải lại." in text(response)
    asked.refresh_from_db()
    assert asked.status == Status.SUBMITTED
    # Drawn again with the version there is now: confirming once more withdraws it.
    assert hidden(text(response), "lock_version") == str(asked.lock_version)
    assert "Nhầm" in text(response)


def test_a_returned_dossier_cannot_be_withdrawn(signed_in, finished):
    response = signed_in.get(url("dossier_withdraw", finished), follow=True)

    assert "không rút được" in text(response)
    finished.refresh_from_db()
    assert finished.status == Status.RETURNED


# --- rating ------------------------------------------------------------------------------------------


def test_rating_after_return_once_only(signed_in, finished):
    page = text(signed_in.get(url("dossier_detail", finished)))
    assert url("dossier_rate", finished) in page
    form_page = text(signed_in.get(url("dossier_rate", finished)))
    assert "Rất hài lòng" in form_page
    assert "Hài lòng" in form_page
    assert "Không hài lòng" in form_page
    assert "Thái độ, tác phong của cán bộ, công chức" in form_page
    assert_accessible_page(form_page)

    response = signed_in.post(
        url("dossier_rate", finished),
        {
            "score": "3",
            "criterion_staff_attitude": "3",
            "criterion_time_taken": "",
            "comment": "Nhanh, chu đáo",
        },
    )
    assert response.status_code == 302
    again = signed_in.post(url("dossier_rate", finished), {"score": "1"}, follow=True)

    assert "Bạn đã đánh giá hồ sơ này" in text(again)
    rating = Rating.objects.get()
    assert (rating.score, rating.criteria, rating.comment, rating.source) == (
        3,
        {"staff_attitude": 3},
        "Nhanh, chu đáo",
        Rating.Source.ONLINE,
    )
    after = text(signed_in.get(url("dossier_detail", finished)))
    assert "Đánh giá của bạn" in after
    assert "Rất hài lòng" in after
    assert url("dossier_rate", finished) not in after


def test_a_rating_needs_a_score_on_the_scale(signed_in, finished):
    missing = signed_in.post(url("dossier_rate", finished), {"comment": "Tốt"})
    off_scale = signed_in.post(url("dossier_rate", finished), {"score": "5"})

    assert missing.status_code == off_scale.status_code == 400
    assert "Hãy chọn mức độ hài lòng." in text(missing)
    assert 'value="Tốt"' in text(missing) or "Tốt</textarea>" in text(missing)
    assert not Rating.objects.exists()


def test_no_rating_before_the_result_is_returned(signed_in, asked):
    response = signed_in.post(url("dossier_rate", asked), {"score": "3"}, follow=True)

    assert "sau khi nhận kết quả" in text(response)
    assert not Rating.objects.exists()
