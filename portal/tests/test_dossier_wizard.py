"""Submitting a dossier online: applicant data, the components as real uploads, review and submit.

Everything goes through HTTP as a citizen's browser would send it; the dossier engine does the
checks, and the pages must show its Vietnamese messages without losing what was already sent.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from email.message import Message
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from agencies.models import Agency
from agencies.tests.factories import AgencyFactory
from catalog.models import ProcedureVersion
from catalog.tests.factories import ComponentRequirementFactory, ProcedureVersionFactory
from dossiers.models import Dossier, DossierEvent, DossierFile, Status
from dossiers.tests.factories import commune_procedure
from portal.tests import files
from portal.tests.dossier_steps import (
    hidden,
    requirement_field,
    review_form,
    start,
    start_url,
    submit,
    text,
    upload,
)
from portal.tests.html_checks import assert_accessible_page

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("dossier_world")]


@pytest.fixture
def version():
    """A commune-level procedure with two mandatory components, the first with a form to fill."""
    version = commune_procedure(components=2)
    return version


@pytest.fixture
def requirements(version):
    return list(version.components.order_by("order"))


@pytest.fixture
def signed_in(client, citizen):
    client.force_login(citizen)
    return client


@pytest.fixture
def draft(signed_in, version, agency):
    response = start(signed_in, version, agency)
    assert response.status_code == 302, text(response)
    return Dossier.objects.get()


def stored(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# --- where it starts -------------------------------------------------------------------------------


def test_the_procedure_page_offers_online_submission_when_the_version_allows_it(client, citizen, version):
    counter_only = ProcedureVersionFactory.create(service_level=ProcedureVersion.ServiceLevel.COUNTER_ONLY)

    online_page = text(client.get(reverse("portal:procedure_detail", args=[version.procedure.code])))
    counter_page = text(client.get(reverse("portal:procedure_detail", args=[counter_only.procedure.code])))

    assert f'href="{start_url(version)}">Nộp hồ sơ trực tuyến</a>' in online_page
    assert "Nộp hồ sơ trực tuyến" not in counter_page
    # And asking for it anyway sends the person back with the reason.
    client.force_login(citizen)
    response = client.get(start_url(counter_only), follow=True)
    assert "chưa nộp trực tuyến được" in text(response)
    assert not Dossier.objects.exists()


def test_submitting_needs_a_signed_in_citizen(client, clerk, version):
    anonymous = client.get(start_url(version))
    assert anonymous.status_code == 302
    assert anonymous.url.startswith(reverse("accounts:login"))
    assert "next=" in anonymous.url

    client.force_login(clerk)
    staff = client.get(start_url(version))
    assert staff.status_code == 403
    assert "dành cho người dân, doanh nghiệp" in text(staff)


def test_step_one_takes_name_and_number_from_the_account_and_offers_the_current_communes(
    signed_in, version, agency, other_agency
):
    closed = AgencyFactory.create(
        name="UBND xã Hoàng Đồng cũ",
        kind=Agency.Kind.COMMUNE,
        valid_from=dt.date(2008, 1, 1),
        valid_to=dt.date(2025, 7, 1),
    )
    department = AgencyFactory.create(name="Sở Tư pháp", kind=Agency.Kind.DEPARTMENT)

    page = text(signed_in.get(start_url(version)))

    assert "Hoàng Thị Lan" in page
    assert "020190001234" in page
    assert 'name="national_id"' not in page
    assert 'name="applicant_name"' not in page
    assert 'name="email" value="congdan@example.vn"' in page  # prefilled from the account
    assert f'<option value="{agency.pk}">UBND phường Tam Thanh</option>' in page
    assert f'<option value="{other_agency.pk}">UBND xã Đồng Đăng</option>' in page
    assert closed.name not in page
    assert department.name not in page
    assert_accessible_page(page)


def test_a_provincial_procedure_asks_for_no_commune(signed_in):
    provincial = ProcedureVersionFactory.create(level=ProcedureVersion.Level.PROVINCE)

    page = text(signed_in.get(start_url(provincial)))

    assert 'name="commune"' not in page


def test_bad_contact_data_gets_a_vietnamese_error_and_keeps_what_was_typed(signed_in, version, agency):
    response = start(signed_in, version, agency, phone="12345", address="Thôn Nà Pàn")

    assert response.status_code == 400
    page = text(response)
    assert "Số điện thoại" in page
    assert 'aria-invalid="true"' in page
    assert 'value="Thôn Nà Pàn"' in page
    assert not Dossier.objects.exists()


def test_a_commune_must_be_chosen(signed_in, version):
    response = start(signed_in, version)

    assert response.status_code == 400
    assert "Hãy chọn xã, phường, đặc khu giải quyết hồ sơ." in text(response)


# --- the whole way, with real files ---------------------------------------------------------------


def test_the_wizard_end_to_end_with_a_real_pdf_and_a_png(
    signed_in, citizen, version, requirements, agency, settings
):
    first = start(signed_in, version, agency, notes="Xin nhận kết quả qua bưu điện")
    dossier = Dossier.objects.get()
    assert first.url == reverse("portal:dossier_files", args=[dossier.reference])
    assert (dossier.status, dossier.competent_agency, dossier.applicant) == (Status.DRAFT, agency, citizen)
    assert dossier.applicant_phone == "0912345678"

    files_page = text(signed_in.get(first.url))
    assert "Giấy tờ bắt buộc số 1" in files_page
    assert "Bắt buộc" in files_page
    assert_accessible_page(files_page)

    pdf_bytes, png_bytes = files.real_pdf("Don de nghi"), files.real_png()
    sent = upload(
        signed_in,
        dossier,
        {
            requirements[0]: files.upload("Tờ khai.pdf", pdf_bytes, "application/pdf"),
            requirements[1]: files.upload("ảnh chụp giấy tờ.png", png_bytes, "image/png"),
        },
        action="next",
    )
    assert sent.status_code == 302
    assert sent.url == reverse("portal:dossier_review", args=[dossier.reference])

    review = text(signed_in.get(sent.url))
    assert "Tờ khai.pdf" in review
    assert "ảnh chụp giấy tờ.png" in review
    assert "còn thiếu" not in review
    assert_accessible_page(review)

    done = submit(signed_in, dossier)
    assert done.status_code == 302
    assert done.url == reverse("portal:dossier_submitted", args=[dossier.reference])
    confirmation = signed_in.get(done.url)
    page = text(confirmation)
    assert dossier.reference in page
    assert "Đã nộp hồ sơ" in page
    assert "Tiếp theo" in page
    assert "UBND phường Tam Thanh" in page
    assert_accessible_page(page)

    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED
    assert dossier.receiving_agency == agency
    assert list(dossier.events.values_list("action", flat=True)) == ["submit"]
    kept = {f.requirement_id: f for f in DossierFile.objects.filter(dossier=dossier)}
    assert kept[requirements[0].pk].content_type == "application/pdf"
    assert kept[requirements[0].pk].sha256 == hashlib.sha256(pdf_bytes).hexdigest()
    assert kept[requirements[1].pk].content_type == "image/png"
    with kept[requirements[1].pk].file.open("rb") as handle:
        assert handle.read() == png_bytes
    # The applicant downloads what they sent, byte for byte.
    download = signed_in.get(
        reverse("portal:dossier_file", args=[dossier.reference, kept[requirements[0].pk].pk])
    )
    assert b"".join(download.streaming_content) == pdf_bytes
    assert download["Content-Type"] == "application/pdf"


def test_a_file_of_the_wrong_type_is_refused_in_vietnamese_and_the_other_file_is_kept(
    signed_in, draft, requirements
):
    response = upload(
        signed_in,
        draft,
        {
            requirements[0]: files.pdf("to-khai.pdf"),
            # An HTML page dressed up as a PDF: judged by its bytes, not its name.
            requirements[1]: files.upload(
                "giay-to.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"
            ),
        },
        action="next",
    )

    assert response.status_code == 400
    page = text(response)
    error = f'id="id_{requirement_field(requirements[1])}_error"'
    assert error in page
    assert "Tệp «giay-to.pdf» không đúng định dạng cho phép (PDF, JPEG, PNG)." in page
    assert "Đã tải lên «to-khai.pdf»" in page  # the good one is kept and shown
    assert list(DossierFile.objects.values_list("name", flat=True)) == ["to-khai.pdf"]
    assert_accessible_page(page)


def test_a_file_too_big_is_refused_and_the_others_kept(signed_in, draft, requirements, settings):
    settings.CONGSO_UPLOAD_MAX_BYTES = 2048
    big = files.upload("ban-quet.pdf", files.real_pdf("x" * 3000), "application/pdf")

    response = upload(signed_in, draft, {requirements[0]: files.png("anh.png"), requirements[1]: big})

    assert response.status_code == 400
    page = text(response)
    assert "Tệp «ban-quet.pdf» vượt quá dung lượng tối đa 2 KB." in page
    assert "tối đa 2 KB" in page  # the limit is also said up front
    assert list(DossierFile.objects.values_list("name", flat=True)) == ["anh.png"]


@pytest.mark.parametrize(
    ("evil", "shown"),
    [
        ("../../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\Windows\\win.ini.pdf", "win.ini.pdf"),
        ('"><img src=x onerror=alert(1)>.pdf', '"><img src=x onerror=alert(1)>.pdf'),
    ],
)
def test_an_evil_file_name_is_cleaned_stored_safely_and_shown_escaped(
    signed_in, draft, requirements, settings, evil, shown
):
    response = upload(
        signed_in, draft, {requirements[0]: files.upload(evil, files.real_pdf(), "application/pdf")}
    )

    assert response.status_code == 302
    kept = DossierFile.objects.get()
    assert kept.name == shown
    assert kept.file.name.startswith(f"dossiers/{draft.reference}/")
    assert ".." not in kept.file.name
    assert "<" not in kept.file.name
    assert "\\" not in kept.file.name
    assert kept.file.name.isascii()
    assert kept.file.name.endswith(".pdf")
    for path in stored(settings):
        assert Path(settings.MEDIA_ROOT) in path.parents
    page = text(signed_in.get(reverse("portal:dossier_files", args=[draft.reference])))
    assert "<img src=x" not in page
    assert escape(shown) in page
    download = signed_in.get(reverse("portal:dossier_file", args=[draft.reference, kept.pk]))
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "\n" not in disposition
    header = Message()
    header["Content-Disposition"] = disposition
    assert header.get_filename() == shown  # quoted: the name cannot break out of the header


def test_a_new_upload_replaces_the_previous_file_of_the_same_component(signed_in, draft, requirements):
    upload(signed_in, draft, {requirements[0]: files.pdf("ban-cu.pdf")})
    upload(signed_in, draft, {requirements[0]: files.pdf("ban-moi.pdf")})

    old, new = DossierFile.objects.order_by("id")
    assert new.replaces == old  # kept in the history, never deleted
    page = text(signed_in.get(reverse("portal:dossier_review", args=[draft.reference])))
    assert "ban-moi.pdf" in page
    assert "ban-cu.pdf" not in page


# --- pressing twice, coming back --------------------------------------------------------------------


def test_pressing_submit_twice_makes_one_dossier(signed_in, draft, requirements):
    upload(signed_in, draft, {requirements[0]: files.pdf(), requirements[1]: files.png()})
    form = review_form(signed_in, draft)

    first = submit(signed_in, draft, form)
    second = submit(signed_in, draft, form)

    assert first.status_code == second.status_code == 302
    assert first.url == second.url == reverse("portal:dossier_submitted", args=[draft.reference])
    assert Dossier.objects.count() == 1
    assert DossierEvent.objects.filter(action="submit").count() == 1
    assert Dossier.objects.get().status == Status.SUBMITTED


def test_a_stale_review_page_does_not_submit_again(signed_in, draft, requirements):
    upload(signed_in, draft, {requirements[0]: files.pdf(), requirements[1]: files.png()})
    first_tab, second_tab = review_form(signed_in, draft), review_form(signed_in, draft)
    submit(signed_in, draft, first_tab)

    response = submit(signed_in, draft, second_tab)

    assert response.status_code == 302
    assert response.url == reverse("portal:dossier_detail", args=[draft.reference])
    assert DossierEvent.objects.filter(action="submit").count() == 1


def test_pressing_continue_twice_on_step_one_makes_one_draft(signed_in, version, agency):
    page = text(signed_in.get(start_url(version)))
    data = {"commune": agency.pk, "phone": "0912345678", "idempotency_key": hidden(page, "idempotency_key")}

    first = signed_in.post(start_url(version), data)
    second = signed_in.post(start_url(version), data)

    assert first.status_code == second.status_code == 302
    assert first.url == second.url
    assert Dossier.objects.count() == 1


def test_a_draft_survives_a_closed_browser(signed_in, citizen, draft, requirements):
    upload(signed_in, draft, {requirements[0]: files.pdf("to-khai.pdf")})

    # Another day, another browser: only the account is the same.
    browser = Client()
    browser.force_login(citizen)
    mine = text(browser.get(reverse("portal:my_dossiers")))
    resume = reverse("portal:dossier_files", args=[draft.reference])
    assert "Chưa nộp (bản nháp)" in mine
    assert f'href="{resume}">Tiếp tục nộp' in mine
    page = text(browser.get(resume))
    assert "Đã tải lên «to-khai.pdf»" in page

    upload(browser, draft, {requirements[1]: files.png()}, action="next")
    assert submit(browser, draft).status_code == 302
    assert Dossier.objects.get().status == Status.SUBMITTED


def test_step_one_of_a_draft_changes_its_contacts(signed_in, draft):
    url = reverse("portal:dossier_applicant", args=[draft.reference])
    page = text(signed_in.get(url))
    assert 'value="0912345678"' in page

    response = signed_in.post(url, {"commune": draft.competent_agency_id, "phone": "0987654321"})

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.applicant_phone == "0987654321"


# --- what the engine refuses at submission ----------------------------------------------------------


def test_a_missing_mandatory_component_is_named_and_nothing_is_submitted(signed_in, draft, requirements):
    upload(signed_in, draft, {requirements[0]: files.pdf()})
    review = text(signed_in.get(reverse("portal:dossier_review", args=[draft.reference])))
    assert "Hồ sơ còn thiếu giấy tờ bắt buộc:" in review

    response = submit(signed_in, draft)

    assert response.status_code == 400
    assert "còn thiếu thành phần bắt buộc: Giấy tờ bắt buộc số 2." in text(response)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_the_pledge_must_be_ticked(signed_in, draft, requirements):
    upload(signed_in, draft, {requirements[0]: files.pdf(), requirements[1]: files.pdf()})
    form = review_form(signed_in, draft)
    del form["pledge"]

    response = submit(signed_in, draft, form)

    assert response.status_code == 400
    assert "Bạn cần đánh dấu ô cam đoan trước khi nộp hồ sơ." in text(response)
    assert Dossier.objects.get().status == Status.DRAFT


def test_an_optional_and_a_paper_only_component(signed_in, version, agency):
    ComponentRequirementFactory(version=version, order=3, name="Bản sao sổ hộ khẩu", is_mandatory=False)
    ComponentRequirementFactory(version=version, order=4, name="Bản chính giấy chứng sinh", paper_only=True)
    start(signed_in, version, agency)
    draft = Dossier.objects.get()

    page = text(signed_in.get(reverse("portal:dossier_files", args=[draft.reference])))

    assert "Nếu có" in page
    assert "Giấy tờ này chỉ nộp bản giấy: mang đến bộ phận một cửa." in page
    assert page.count('type="file"') == 3


# --- whose draft -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["dossier_applicant", "dossier_files", "dossier_review", "dossier_submitted"]
)
def test_another_citizen_gets_404_and_staff_403_on_a_draft(client, other_citizen, clerk, draft, name):
    url = reverse(f"portal:{name}", args=[draft.reference])
    client.force_login(other_citizen)
    assert client.get(url).status_code == 404
    if name != "dossier_submitted":  # a page to read only
        assert client.post(url, {}).status_code == 404
    client.force_login(clerk)
    assert client.get(url).status_code == 403
