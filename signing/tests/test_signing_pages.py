"""The signing pages over HTTP: the one-step "Ký số kết quả" on the dossier page, the batch page,
the check of any PDF; what the staff and the applicant read about each file's signatures."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile

from dossiers.models import DossierFile
from signing.models import SignatureRecord, VerificationReport
from signing.services import pdf_sign
from signing.tests.dossier_world import resolved_with_pdf, result_of
from signing.tests.pdfs import RESULT_TEXT, tiny_pdf

pytestmark = pytest.mark.django_db

BUTTON = "Ký số kết quả</button>"


@pytest.fixture
def dossier(citizen, clerk, specialist, leader, agency):
    return resolved_with_pdf(
        applicant=citizen, clerk=clerk, specialist=specialist, leader=leader, commune=agency
    )


@pytest.fixture
def certificates(leader_certificate, agency_certificate):
    return leader_certificate, agency_certificate


def detail(dossier) -> str:
    return f"/can-bo/ho-so/{dossier.code}/"


def sign_url(dossier, item: DossierFile) -> str:
    return f"/can-bo/ho-so/{dossier.code}/ket-qua/{item.pk}/ky-so/"


def flat(response) -> str:
    return " ".join(response.content.decode().split())


def test_the_leader_signs_the_result_from_the_dossier_page(client, dossier, leader, agency, certificates):
    client.force_login(leader)
    original = result_of(dossier)
    page = client.get(detail(dossier)).content.decode()
    assert BUTTON in page
    assert f'action="{sign_url(dossier, original)}"' in page

    response = client.post(sign_url(dossier, original))

    assert response.status_code == 302
    assert response["Location"] == detail(dossier) + "#chu-ky-so"
    shown = flat(client.get(detail(dossier)))
    assert (
        "Đã ký số kết quả «ket-qua.pdf» bằng chứng thư số của Hà Văn Quang và của UBND phường Tam Thanh."
        in shown
    )
    assert "Chữ ký số hợp lệ, tệp còn nguyên vẹn từ khi ký." in shown
    assert "Người ký: <strong>Hà Văn Quang</strong>" in shown
    assert "Người ký: <strong>UBND phường Tam Thanh</strong>" in shown
    assert "Toàn vẹn: còn nguyên vẹn" in shown
    assert "Tin cậy: chứng thư do tổ chức được tin cậy cấp" in shown
    assert BUTTON not in shown
    assert "Ký số kết quả giải quyết" in shown  # the history row


def test_a_second_post_says_the_result_is_already_signed(client, dossier, leader, certificates):
    client.force_login(leader)
    original = result_of(dossier)
    client.post(sign_url(dossier, original))

    again = client.post(sign_url(dossier, original), follow=True)

    assert again.status_code == 200
    assert "đã được Hà Văn Quang ký số lúc" in flat(again)
    assert SignatureRecord.objects.count() == 1


def test_a_specialist_is_not_offered_to_sign_and_is_refused(client, dossier, specialist, certificates):
    client.force_login(specialist)
    assert BUTTON not in client.get(detail(dossier)).content.decode()

    response = client.post(sign_url(dossier, result_of(dossier)))

    assert response.status_code == 403
    assert "Lãnh đạo cơ quan" in response.content.decode()
    assert not SignatureRecord.objects.exists()


def test_another_communes_staff_do_not_find_the_dossier(client, dossier, clerk_other_agency, certificates):
    client.force_login(clerk_other_agency)

    assert client.post(sign_url(dossier, result_of(dossier))).status_code == 404


def test_a_leader_without_a_certificate_reads_why_on_the_page(client, dossier, leader, agency_certificate):
    client.force_login(leader)

    response = client.post(sign_url(dossier, result_of(dossier)))

    assert response.status_code == 400
    assert "Hà Văn Quang chưa có chứng thư số còn hiệu lực để ký." in flat(response)
    assert result_of(dossier).replaces is None


def test_the_applicant_sees_who_signed_the_result_and_nothing_to_sign(
    client, dossier, citizen, leader, certificates
):
    from signing.results import dossier_result_sign

    dossier_result_sign(dossier_file=result_of(dossier), actor=leader)
    client.force_login(citizen)

    shown = flat(client.get(f"/ho-so/{dossier.reference}/"))

    assert "Chữ ký số" in shown
    assert "Chữ ký số hợp lệ, tệp còn nguyên vẹn từ khi ký." in shown
    assert "Người ký: <strong>Hà Văn Quang</strong>" in shown
    assert BUTTON not in shown


def test_the_page_tells_a_tampered_upload_from_an_unsigned_one(
    client, citizen, clerk, agency, leader, certificates, django_capture_on_commit_callbacks
):
    from dossiers.services import dossier_file_attach, dossier_submit
    from dossiers.tests.factories import online_draft, pdf_upload

    signed = pdf_sign(pdf=tiny_pdf(), signer=leader, agency=agency, reason="", location="")
    draft = online_draft(applicant=citizen, commune=agency, attach=False)
    first, second = draft.procedure_version.components.order_by("order")
    with django_capture_on_commit_callbacks(execute=True):
        tampered = signed.replace(RESULT_TEXT, RESULT_TEXT[:-1] + b"X")
        dossier_file_attach(
            dossier=draft, actor=citizen, upload=pdf_upload("don.pdf", tampered), requirement=first
        )
        dossier_file_attach(
            dossier=draft, actor=citizen, upload=pdf_upload("cmnd.pdf", tiny_pdf()), requirement=second
        )
    dossier_submit(dossier=draft, actor=citizen)
    client.force_login(clerk)

    shown = flat(client.get(f"/can-bo/ho-so/{draft.reference}/"))

    assert "Tệp đã bị sửa đổi sau khi ký: không được dùng tệp này." in shown
    assert "Toàn vẹn: <strong>đã bị sửa sau khi ký</strong>" in shown
    assert "Tệp chưa được ký số." in shown


# --- the batch page -------------------------------------------------------------------------


@pytest.fixture
def two(citizen, other_citizen, clerk, specialist, leader, agency):
    return [
        resolved_with_pdf(applicant=person, clerk=clerk, specialist=specialist, leader=leader, commune=agency)
        for person in (citizen, other_citizen)
    ]


def test_the_batch_page_lists_the_results_waiting_and_signs_the_chosen_ones(
    client, two, leader, certificates
):
    client.force_login(leader)
    files = [result_of(d) for d in two]

    listing = client.get("/can-bo/ky-so/").content.decode()
    for item in files:
        assert f'name="tep" value="{item.pk}"' in listing
    assert "Ký các văn bản đã chọn" in listing

    response = client.post("/can-bo/ky-so/", {"tep": [f.pk for f in files]})

    assert response.status_code == 200
    shown = flat(response)
    assert "Đã ký hoặc đã có chữ ký: 2/2 văn bản." in shown
    assert shown.count("Thành công</span> — Đã ký số.") == 2
    assert "Không có kết quả nào chờ bạn ký số." in shown
    assert all(result_of(d).replaces is not None for d in two)
    assert SignatureRecord.objects.count() == 2


def test_posting_the_batch_again_signs_nothing_twice(client, two, leader, certificates):
    client.force_login(leader)
    chosen = {"tep": [result_of(d).pk for d in two]}
    client.post("/can-bo/ky-so/", chosen)

    again = client.post("/can-bo/ky-so/", chosen)

    assert again.status_code == 200
    assert flat(again).count("ký số lúc") == 2
    assert "không ký lại" in flat(again)
    assert SignatureRecord.objects.count() == 2


def test_one_refusal_leaves_the_others_signed(client, two, leader, certificates):
    client.force_login(leader)
    not_a_result = DossierFile.objects.filter(dossier=two[1], kind="component").first()
    assert not_a_result is not None
    chosen = [result_of(two[0]).pk, 999_999, not_a_result.pk]

    response = client.post("/can-bo/ky-so/", {"tep": chosen})

    shown = flat(response)
    assert response.status_code == 200
    assert "Đã ký hoặc đã có chữ ký: 1/3 văn bản." in shown
    assert shown.count("Không tìm thấy văn bản hoặc bạn không được xem hồ sơ này.") == 2
    assert f'name="tep" value="{result_of(two[1]).pk}"' in shown


def test_posting_nothing_says_to_choose(client, leader):
    client.force_login(leader)

    response = client.post("/can-bo/ky-so/", {})

    assert response.status_code == 400
    assert "Chưa chọn văn bản nào để ký" in flat(response)


def test_the_batch_page_is_for_leaders(client, clerk, specialist):
    for person in (clerk, specialist):
        client.force_login(person)
        response = client.get("/can-bo/ky-so/")
        assert response.status_code == 403
        assert "Lãnh đạo phòng" in response.content.decode()


def test_a_message_is_flashed_for_the_person_after_signing(client, dossier, leader, certificates):
    client.force_login(leader)
    response = client.post(sign_url(dossier, result_of(dossier)))

    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Đã ký số kết quả «ket-qua.pdf» bằng chứng thư số của Hà Văn Quang và của UBND phường Tam Thanh."
    ]


# --- checking any PDF -------------------------------------------------------------------------


def test_any_pdf_is_checked_and_the_check_recorded(client, clerk, leader, agency, certificates):
    signed = pdf_sign(pdf=tiny_pdf(), signer=leader, agency=agency, reason="", location="")
    tampered = signed.replace(RESULT_TEXT, RESULT_TEXT[:-1] + b"X")
    client.force_login(clerk)
    assert client.get("/can-bo/ky-so/kiem-tra/").status_code == 200

    good = client.post("/can-bo/ky-so/kiem-tra/", {"tep": SimpleUploadedFile("kq.pdf", signed)})
    bad = client.post("/can-bo/ky-so/kiem-tra/", {"tep": SimpleUploadedFile("kq-sua.pdf", tampered)})

    assert good.status_code == bad.status_code == 200
    assert "Chữ ký số hợp lệ, tệp còn nguyên vẹn từ khi ký." in flat(good)
    assert "Người ký: <strong>Hà Văn Quang</strong>" in flat(good)
    assert "Kết quả kiểm tra tệp «kq-sua.pdf»" in flat(bad)
    assert "Tệp đã bị sửa đổi sau khi ký: không được dùng tệp này." in flat(bad)
    assert VerificationReport.objects.filter(checked_by=clerk).count() == 2


def test_a_file_that_is_not_a_pdf_is_refused_by_the_check(client, clerk):
    client.force_login(clerk)

    response = client.post("/can-bo/ky-so/kiem-tra/", {"tep": SimpleUploadedFile("anh.png", b"\x89PNG\r\n")})

    assert response.status_code == 400
    assert "Tệp «anh.png» không phải tệp PDF" in flat(response)
    assert not VerificationReport.objects.exists()
