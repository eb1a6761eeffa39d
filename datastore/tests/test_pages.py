"""The reuse scenario over HTTP, as a citizen and a clerk do it: the result returned is in the
citizen's "Kho dữ liệu của tôi"; the next dossier's components step offers it, one press reuses
it; the desk is offered the same for the applicant's number; nobody else sees it."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.urls import reverse
from django.utils.html import escape

from datastore.models import DocumentReuse, StoredDocument
from datastore.tests.conftest import returned
from datastore.tests.factories import stored_document
from dossiers.models import ComponentOrigin, Dossier, DossierFile, Status
from dossiers.services import ApplicantData
from dossiers.tests.factories import counter_dossier, online_draft, pdf_upload

pytestmark = pytest.mark.django_db

RESULT_PDF = b"%PDF-1.4\n% Giay chung nhan ket hon so 07/2025\n1 0 obj<</Type/Catalog>>endobj\n%%EOF\n"


def text(response) -> str:
    return str(response.content.decode())


@pytest.fixture
def certificate(citizen, clerk, specialist, leader, agency, marriage):
    dossier = returned(
        applicant=citizen,
        clerk=clerk,
        specialist=specialist,
        leader=leader,
        commune=agency,
        version=marriage,
        result=RESULT_PDF,
    )
    return StoredDocument.objects.get(source_dossier=dossier)


def test_my_store_lists_the_result_with_its_validity_and_downloads_it_unchanged(client, citizen, certificate):
    expired = stored_document(
        owner=citizen,
        title="Giấy xác nhận tình trạng hôn nhân",
        issued_on=dt.date(2020, 1, 2),
        valid_until=dt.date(2020, 7, 2),
    )
    client.force_login(citizen)

    page = text(client.get(reverse("portal:store")))

    assert "Kho dữ liệu của tôi" in page
    assert "Giấy chứng nhận kết hôn" in page
    assert "không thời hạn" in page
    assert "Kết quả giải quyết thủ tục hành chính" in page
    assert page.index("Còn giá trị sử dụng") < page.index("Giấy chứng nhận kết hôn")
    assert page.index("Đã hết hạn hoặc chưa có hiệu lực") < page.index("Giấy xác nhận tình trạng hôn nhân")
    assert "hết hạn từ 02/07/2020" in page
    download = client.get(reverse("portal:store_file", args=[certificate.pk]))
    assert download.status_code == 200
    assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == certificate.sha256
    assert expired.pk != certificate.pk


def test_another_citizen_neither_sees_nor_downloads_it(client, other_citizen, certificate):
    client.force_login(other_citizen)
    assert "Giấy chứng nhận kết hôn" not in text(client.get(reverse("portal:store")))
    assert client.get(reverse("portal:store_file", args=[certificate.pk])).status_code == 404


def test_the_wizard_offers_the_stored_result_and_one_press_reuses_it(
    client, citizen, agency, birth, certificate
):
    draft = online_draft(applicant=citizen, commune=agency, version=birth, attach=False)
    second = birth.components.get(order=2)
    client.force_login(citizen)
    url = reverse("portal:dossier_files", args=[draft.reference])

    page = text(client.get(url))
    assert "Dùng giấy tờ đã có trong kho:" in page
    assert "Giấy chứng nhận kết hôn" in page
    assert "cấp ngày 08/09/2025" in page
    assert "không thời hạn" in page
    button = f'name="reuse" value="{second.pk}:{certificate.pk}"'
    assert button in page

    response = client.post(url, {"reuse": f"{second.pk}:{certificate.pk}"})

    assert response.status_code == 302
    [copy] = DossierFile.objects.filter(dossier=draft, requirement=second)
    assert (copy.origin, copy.sha256) == (ComponentOrigin.REUSED, certificate.sha256)
    assert DocumentReuse.objects.get().dossier_file == copy
    after = text(client.get(url))
    assert "Đã dùng «Giấy chứng nhận kết hôn» trong kho dữ liệu" in after
    assert "Đang dùng giấy tờ trong kho:" in after
    assert button not in after


def test_the_wizard_keeps_the_files_chosen_with_the_reuse_press(client, citizen, agency, birth, certificate):
    draft = online_draft(applicant=citizen, commune=agency, version=birth, attach=False)
    first, second = birth.components.order_by("order")
    client.force_login(citizen)

    client.post(
        reverse("portal:dossier_files", args=[draft.reference]),
        {f"requirement_{first.pk}": pdf_upload("to-khai.pdf"), "reuse": f"{second.pk}:{certificate.pk}"},
    )

    origins = dict(DossierFile.objects.filter(dossier=draft).values_list("requirement_id", "origin"))
    assert origins == {first.pk: ComponentOrigin.UPLOADED, second.pk: ComponentOrigin.REUSED}


def test_a_document_that_is_not_the_applicants_is_not_found(
    client, citizen, other_citizen, agency, birth, certificate
):
    draft = online_draft(applicant=other_citizen, commune=agency, version=birth, attach=False)
    second = birth.components.get(order=2)
    client.force_login(other_citizen)
    url = reverse("portal:dossier_files", args=[draft.reference])

    assert "Dùng giấy tờ đã có trong kho" not in text(client.get(url))
    response = client.post(url, {"reuse": f"{second.pk}:{certificate.pk}"})

    assert response.status_code == 400
    assert "Không tìm thấy giấy tờ này trong kho dữ liệu của bạn." in text(response)
    assert not DocumentReuse.objects.exists()


def test_an_expired_document_is_shown_without_a_button(client, citizen, agency, birth):
    second = birth.components.get(order=2)
    expired = stored_document(
        owner=citizen,
        kind=second.document_type,
        issued_on=dt.date(2020, 1, 2),
        valid_until=dt.date(2020, 7, 2),
    )
    draft = online_draft(applicant=citizen, commune=agency, version=birth, attach=False)
    client.force_login(citizen)
    url = reverse("portal:dossier_files", args=[draft.reference])

    page = text(client.get(url))
    assert "đã hết hạn từ 02/07/2020" in page
    assert "không dùng lại được" in page
    assert 'name="reuse"' not in page
    response = client.post(url, {"reuse": f"{second.pk}:{expired.pk}"})
    assert response.status_code == 400
    assert escape("đã hết hạn sử dụng từ ngày 02/07/2020") in text(response)


def test_the_desk_is_offered_the_applicants_document_and_reuses_it(client, clerk, agency, birth, certificate):
    dossier = counter_dossier(
        clerk=clerk,
        commune=agency,
        version=birth,
        applicant=ApplicantData(name="Hoàng Thị Lan", national_id="020190001234"),
        attach=False,
    )
    second = birth.components.get(order=2)
    client.force_login(clerk)
    desk = reverse("backoffice:dossier_reception", args=[dossier.reference])

    page = text(client.get(desk))
    assert "Dùng giấy tờ đã có trong kho:" in page
    assert "Kết quả giải quyết thủ tục hành chính" in page
    response = client.post(
        reverse("backoffice:dossier_reuse", args=[dossier.reference]),
        {"requirement": second.pk, "document": certificate.pk},
    )

    assert response.status_code == 302
    copy = DossierFile.objects.get(dossier=dossier, requirement=second)
    assert (copy.origin, copy.uploaded_by) == (ComponentOrigin.REUSED, clerk)
    assert "Đang dùng giấy tờ trong kho:" in text(client.get(desk))


def test_the_desk_reuse_answers_htmx_with_the_papers(client, clerk, agency, birth, certificate):
    dossier = counter_dossier(
        clerk=clerk,
        commune=agency,
        version=birth,
        applicant=ApplicantData(name="Hoàng Thị Lan", national_id="020190001234"),
        attach=False,
    )
    client.force_login(clerk)
    response = client.post(
        reverse("backoffice:dossier_reuse", args=[dossier.reference]),
        {"requirement": birth.components.get(order=2).pk, "document": certificate.pk},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Đã dùng «Giấy chứng nhận kết hôn» trong kho dữ liệu của người nộp" in text(response)


def test_another_applicant_at_the_desk_is_not_offered_it(client, clerk, agency, birth, certificate):
    dossier = counter_dossier(clerk=clerk, commune=agency, version=birth, attach=False)  # someone else
    client.force_login(clerk)

    assert "Dùng giấy tờ đã có trong kho" not in text(
        client.get(reverse("backoffice:dossier_reception", args=[dossier.reference]))
    )
    response = client.post(
        reverse("backoffice:dossier_reuse", args=[dossier.reference]),
        {"requirement": birth.components.get(order=2).pk, "document": certificate.pk},
    )
    assert response.status_code == 400
    assert "Không tìm thấy giấy tờ này trong kho dữ liệu của người nộp." in text(response)


def test_the_desk_keeps_a_scan_in_the_applicants_store(client, clerk, agency, birth):
    dossier = counter_dossier(
        clerk=clerk,
        commune=agency,
        version=birth,
        applicant=ApplicantData(name="Lương Văn Bình", national_id="020077001122"),
    )
    scan = DossierFile.objects.get(dossier=dossier, requirement__order=2)
    client.force_login(clerk)
    assert "Lưu bản quét vào kho dữ liệu của người nộp" in text(
        client.get(reverse("backoffice:dossier_reception", args=[dossier.reference]))
    )

    response = client.post(reverse("backoffice:dossier_keep_scan", args=[dossier.reference, scan.pk]))

    assert response.status_code == 302
    kept = StoredDocument.objects.get(source_file=scan)
    assert (kept.source, kept.owner_national_id, kept.file.name, kept.sha256) == (
        "digitised",
        "020077001122",
        scan.file.name,
        scan.sha256,
    )
    # The next paper dossier of the same person is offered it.
    again = counter_dossier(
        clerk=clerk,
        commune=agency,
        version=birth,
        applicant=ApplicantData(name="Lương Văn Bình", national_id="020077001122"),
        attach=False,
    )
    assert "Số hóa tại Bộ phận một cửa" in text(
        client.get(reverse("backoffice:dossier_reception", args=[again.reference]))
    )
    assert Dossier.objects.get(pk=again.pk).status == Status.DRAFT
