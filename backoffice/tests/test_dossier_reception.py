"""The reception desk over HTTP: a paper dossier typed in, scanned, then exactly one outcome —
received (Mẫu 01), supplement requested (Mẫu 02) or refused (Mẫu 03); the same outcomes for
an online submission; two clerks at once get one success and one clear message."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from backoffice.tests.builders import desk_url, detail_url, fresh, post_action, submitted_now
from catalog.models import ComponentRequirement
from catalog.tests.factories import ProcedureVersionFactory
from dossiers.models import Channel, Dossier, DossierFile, Slip, Status
from dossiers.tests.factories import PDF_BYTES, commune_procedure, counter_dossier, pdf_upload

pytestmark = pytest.mark.django_db

NEW = "/can-bo/ho-so/tiep-nhan/"


def applicant_fields(**overrides: str) -> dict[str, str]:
    return {
        "national_id": "020077001122",
        "name": "Lương Văn Bình",
        "phone": "0912345678",
        "email": "binh@example.vn",
        "address": "Khối 3, phường Tam Thanh",
        "channel": "counter",
        "sets": "1",
        **overrides,
    }


def test_the_clerk_opens_a_counter_dossier_and_lands_on_the_scanning_page(client, clerk, agency):
    version = commune_procedure(name="Đăng ký khai sinh")
    client.force_login(clerk)

    response = client.post(NEW, {"procedure": version.pk, "commune": agency.pk, **applicant_fields()})

    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response.url == desk_url(dossier)
    assert (dossier.channel, dossier.status, dossier.receiving_agency, dossier.competent_agency) == (
        Channel.COUNTER,
        Status.DRAFT,
        agency,
        agency,
    )
    assert (dossier.applicant_name, dossier.applicant_phone) == ("Lương Văn Bình", "0912345678")
    page = client.get(response.url).content.decode()
    assert "Giấy tờ bắt buộc số 1" in page
    assert "Còn thiếu 2 thành phần bắt buộc." in page
    assert "Chưa thể tiếp nhận: còn thiếu thành phần bắt buộc" in page


def test_a_commune_level_procedure_needs_its_commune_and_nothing_typed_is_lost(client, clerk):
    version = commune_procedure()
    client.force_login(clerk)

    response = client.post(NEW, {"procedure": version.pk, "commune": "", **applicant_fields()})

    page = response.content.decode()
    assert response.status_code == 400
    assert "Phải chọn xã, phường, đặc khu giải quyết hồ sơ." in page
    assert 'value="Lương Văn Bình"' in page
    assert 'value="0912345678"' in page
    assert f'value="{version.pk}" form="intake" required checked' in page
    assert not Dossier.objects.exists()


def test_a_wrong_identity_number_is_explained(client, clerk, agency):
    version = commune_procedure()
    client.force_login(clerk)

    response = client.post(
        NEW, {"procedure": version.pk, "commune": agency.pk, **applicant_fields(national_id="12345")}
    )

    assert response.status_code == 400
    assert "Số định danh cá nhân phải gồm đúng 12 chữ số." in response.content.decode()


def test_the_procedure_search_lists_what_the_clerk_types(client, clerk):
    ProcedureVersionFactory(name="Đăng ký kết hôn")
    ProcedureVersionFactory(name="Cấp phép xây dựng")
    client.force_login(clerk)

    page = client.get("/can-bo/ho-so/tiep-nhan/thu-tuc/", {"tim_thu_tuc": "ket hon"}).content.decode()

    assert "Đăng ký kết hôn" in page
    assert "Cấp phép xây dựng" not in page


def test_choosing_a_commune_procedure_shows_its_components_and_the_commune(client, clerk, agency):
    version = commune_procedure(name="Đăng ký khai sinh")
    client.force_login(clerk)

    page = client.get("/can-bo/ho-so/tiep-nhan/thu-tuc-da-chon/", {"procedure": version.pk}).content.decode()

    assert "Giấy tờ bắt buộc số 2" in page
    assert "Xã, phường, đặc khu giải quyết" in page
    assert f'<option value="{agency.pk}" selected>' in page


def test_a_citizen_found_by_identity_number_prefills_the_applicant(client, clerk, citizen):
    citizen.phone = "0987654321"
    citizen.address = "Số 5 Lê Lợi"
    citizen.save()
    client.force_login(clerk)

    found = client.get(
        "/can-bo/ho-so/tiep-nhan/nguoi-nop/", {"national_id": citizen.national_id}
    ).content.decode()
    unknown = client.get(
        "/can-bo/ho-so/tiep-nhan/nguoi-nop/", {"national_id": "020199009999", "name": "Tô Văn Út"}
    )

    assert 'value="Hoàng Thị Lan"' in found
    assert 'value="0987654321"' in found
    assert "Đã điền thông tin theo tài khoản công dân" in found
    assert "Chưa có tài khoản công dân" in unknown.content.decode()
    assert 'value="Tô Văn Út"' in unknown.content.decode()


def test_scans_are_attached_one_component_at_a_time_and_the_page_says_what_is_missing(client, clerk, agency):
    dossier = counter_dossier(clerk=clerk, commune=agency, attach=False)
    first = ComponentRequirement.objects.filter(version=dossier.procedure_version).order_by("order")[0]
    client.force_login(clerk)

    response = client.post(
        f"/can-bo/ho-so/{dossier.reference}/dinh-kem/",
        {"requirement": first.pk, "scans": [pdf_upload("trang-1.pdf"), pdf_upload("trang-2.pdf")]},
        headers={"HX-Request": "true"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Đã đính kèm 2 tệp: trang-1.pdf, trang-2.pdf." in page
    assert "Còn thiếu 1 thành phần bắt buộc." in page
    files = DossierFile.objects.filter(dossier=dossier)
    assert {(f.requirement_id, f.origin) for f in files} == {(first.pk, "digitised")}


def test_a_file_that_is_not_a_scan_is_refused_and_the_good_ones_kept(client, clerk, agency):
    dossier = counter_dossier(clerk=clerk, commune=agency, attach=False)
    first = ComponentRequirement.objects.filter(version=dossier.procedure_version).order_by("order")[0]
    client.force_login(clerk)
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf")

    response = client.post(
        f"/can-bo/ho-so/{dossier.reference}/dinh-kem/",
        {"requirement": first.pk, "scans": [fake, pdf_upload()]},
    )

    assert response.status_code == 400
    assert "không đúng định dạng cho phép" in response.content.decode()
    assert DossierFile.objects.filter(dossier=dossier).count() == 1


def test_the_service_refuses_acceptance_while_a_component_is_missing(client, clerk, agency):
    dossier = counter_dossier(clerk=clerk, commune=agency, attach=False)
    client.force_login(clerk)

    response = post_action(client, dossier, "tiep-nhan")

    page = response.content.decode()
    assert response.status_code == 400
    missing = "Giấy tờ bắt buộc số 1; Giấy tờ bắt buộc số 2."
    assert f"Chưa thể tiếp nhận: hồ sơ còn thiếu thành phần bắt buộc: {missing}" in page
    assert fresh(dossier).status == Status.DRAFT


def test_accepting_gives_the_code_and_opens_the_receipt_to_print(client, clerk, agency):
    dossier = counter_dossier(clerk=clerk, commune=agency)
    client.force_login(clerk)

    response = post_action(client, dossier, "tiep-nhan")

    dossier = fresh(dossier)
    receipt = Slip.objects.get(dossier=dossier, form=Slip.Form.RECEIPT)
    assert dossier.status == Status.RECEIVED
    assert dossier.code
    assert response.url == f"{detail_url(dossier)}?phieu={receipt.pk}"
    page = client.get(response.url).content.decode()
    assert "Đã tiếp nhận hồ sơ. In Giấy tiếp nhận và hẹn trả kết quả cho người nộp." in page
    assert f'href="/can-bo/ho-so/{dossier.code}/phieu/{receipt.pk}/" target="_blank"' in page
    pdf = client.get(f"/can-bo/ho-so/{dossier.code}/phieu/{receipt.pk}/")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")


def test_a_supplement_request_lists_every_item_in_one_notice(client, clerk, agency):
    dossier = counter_dossier(clerk=clerk, commune=agency, attach=False)
    first, second = ComponentRequirement.objects.filter(version=dossier.procedure_version).order_by("order")
    client.force_login(clerk)

    response = post_action(
        client,
        dossier,
        "yeu-cau-bo-sung",
        requirements=[first.pk, second.pk],
        **{f"note_{first.pk}": "bản sao có chứng thực"},
        other_items="Tờ khai ghi sai ngày sinh, cần khai lại",
        reason="Hồ sơ chưa đủ thành phần theo quy định",
    )

    dossier = fresh(dossier)
    slip = Slip.objects.get(dossier=dossier, form=Slip.Form.SUPPLEMENT)
    assert response.status_code == 302
    assert dossier.status == Status.SUPPLEMENT_REQUESTED
    assert slip.content["items"] == [
        "Giấy tờ bắt buộc số 1 — bản sao có chứng thực",
        "Giấy tờ bắt buộc số 2",
        "Tờ khai ghi sai ngày sinh, cần khai lại",
    ]
    assert slip.content["reason"] == "Hồ sơ chưa đủ thành phần theo quy định"


def test_a_supplement_request_without_a_reason_keeps_what_was_ticked(client, clerk, agency):
    dossier = counter_dossier(clerk=clerk, commune=agency, attach=False)
    first = ComponentRequirement.objects.filter(version=dossier.procedure_version).order_by("order")[0]
    client.force_login(clerk)

    response = post_action(
        client, dossier, "yeu-cau-bo-sung", requirements=[first.pk], other_items="Ảnh 4x6 bị mờ"
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "hãy kiểm tra các ô được đánh dấu" in page
    assert f'value="{first.pk}" id="bs-{first.pk}" checked' in page
    assert "Ảnh 4x6 bị mờ" in page
    assert fresh(dossier).status == Status.DRAFT


def test_a_refusal_needs_its_reason_and_issues_form_03(client, clerk, agency):
    dossier = counter_dossier(clerk=clerk, commune=agency)
    client.force_login(clerk)

    empty = post_action(client, dossier, "tu-choi", reason="  ")
    refused = post_action(client, dossier, "tu-choi", reason="Thủ tục không thuộc thẩm quyền của xã")

    assert empty.status_code == 400
    assert "Phải nêu rõ lý do." in empty.content.decode()
    assert refused.status_code == 302
    dossier = fresh(dossier)
    assert dossier.status == Status.NOT_ACCEPTED
    assert Slip.objects.get(dossier=dossier, form=Slip.Form.REFUSAL).content["reason"] == (
        "Thủ tục không thuộc thẩm quyền của xã"
    )


def test_an_online_submission_waits_in_the_queue_and_is_received_from_the_desk(
    client, clerk, citizen, agency
):
    dossier = submitted_now(applicant=citizen, commune=agency)
    client.force_login(clerk)

    queue = client.get("/can-bo/ho-so/hang-doi/cho-tiep-nhan/").content.decode()
    desk = client.get(desk_url(dossier)).content.decode()
    response = post_action(client, dossier, "tiep-nhan")

    assert "Hoàng Thị Lan" in queue
    assert "Giấy tờ người nộp gửi trực tuyến" in desk
    assert "thanh-phan-1.pdf" in desk
    assert response.status_code == 302
    assert fresh(dossier).status == Status.RECEIVED


def test_two_clerks_receiving_at_once_get_one_success_and_one_clear_message(
    client, clerk, colleague, citizen, agency
):
    dossier = submitted_now(applicant=citizen, commune=agency)
    seen = dossier.lock_version
    other = client.__class__()
    client.force_login(clerk)
    other.force_login(colleague)

    first = client.post(f"/can-bo/ho-so/{dossier.reference}/thao-tac/tiep-nhan/", {"lock_version": seen})
    second = other.post(f"/can-bo/ho-so/{dossier.reference}/thao-tac/tiep-nhan/", {"lock_version": seen})

    assert first.status_code == 302
    assert second.status_code == 409
    assert "Hồ sơ vừa được người khác cập nhật, vui lòng tải lại." in second.content.decode()
    assert Slip.objects.filter(dossier=dossier, form=Slip.Form.RECEIPT).count() == 1


def test_papers_brought_after_a_supplement_request_are_taken_at_the_counter(client, clerk, agency):
    dossier = counter_dossier(clerk=clerk, commune=agency, attach=False)
    first, second = ComponentRequirement.objects.filter(version=dossier.procedure_version).order_by("order")
    client.force_login(clerk)
    post_action(
        client, dossier, "yeu-cau-bo-sung", requirements=[first.pk, second.pk], reason="Thiếu giấy tờ"
    )

    page = client.get(desk_url(dossier)).content.decode()
    for requirement in (first, second):
        client.post(
            f"/can-bo/ho-so/{dossier.reference}/dinh-kem/",
            {"requirement": requirement.pk, "scans": [pdf_upload(f"bo-sung-{requirement.order}.pdf")]},
        )
    taken = post_action(client, dossier, "nhan-bo-sung", note="Người nộp mang đến")
    received = post_action(client, dossier, "tiep-nhan")

    assert "Giấy tờ cần bổ sung" in page
    assert "Nhận hồ sơ bổ sung tại quầy" in page
    assert taken.status_code == 302
    assert taken.url == desk_url(dossier)
    assert received.status_code == 302
    assert fresh(dossier).status == Status.RECEIVED
    assert set(DossierFile.objects.filter(dossier=dossier).values_list("kind", flat=True)) == {"supplement"}


def test_a_file_of_the_dossier_opens_for_its_desk(client, clerk, agency):
    dossier = counter_dossier(clerk=clerk, commune=agency)
    record = DossierFile.objects.filter(dossier=dossier)[0]
    client.force_login(clerk)

    response = client.get(f"/can-bo/ho-so/{dossier.reference}/tep/{record.pk}/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content == PDF_BYTES
