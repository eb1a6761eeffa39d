"""Creating and submitting a dossier: which procedures go online, which agency decides and which
desk receives, the mandatory components, a repeated submission, and the files people attach."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from accounts.tests.factories import MembershipFactory, StaffFactory
from agencies.tests.factories import AgencyFactory, DeskFactory
from catalog.models import ProcedureVersion
from catalog.tests.factories import ComponentRequirementFactory, ProcedureVersionFactory
from dossiers.errors import DossierInvalid, TransitionNotAllowed
from dossiers.models import Channel, ComponentOrigin, Dossier, DossierEvent, DossierFile, Status
from dossiers.services import (
    ApplicantData,
    dossier_counter_create,
    dossier_draft_create,
    dossier_draft_update,
    dossier_file_attach,
    dossier_submit,
)
from dossiers.services.files import DOCX, JPEG, PDF, PNG, XLSX
from dossiers.tests.factories import (
    JPEG_BYTES,
    MONDAY_MORNING,
    PDF_BYTES,
    PNG_BYTES,
    commune_procedure,
    office_upload,
    online_draft,
    pdf_upload,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar")]


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# --- which procedures, which agencies -------------------------------------------------------


def test_a_counter_only_procedure_cannot_be_submitted_online(citizen, agency):
    version = commune_procedure(service_level=ProcedureVersion.ServiceLevel.COUNTER_ONLY)
    with pytest.raises(DossierInvalid, match="chưa cung cấp dịch vụ công trực tuyến"):
        dossier_draft_create(actor=citizen, procedure_version=version, commune=agency)
    assert not Dossier.objects.exists()


def test_a_procedure_not_in_force_is_refused(citizen, agency):
    version = commune_procedure(effective_from=dt.date(2026, 1, 1))
    with pytest.raises(DossierInvalid, match="không còn áp dụng"):
        dossier_draft_create(actor=citizen, procedure_version=version, commune=agency, now=MONDAY_MORNING)


def test_a_commune_procedure_needs_a_current_commune(citizen, agency):
    version = commune_procedure()
    closed = AgencyFactory.create(
        kind="commune", valid_from=dt.date(2024, 1, 1), valid_to=dt.date(2025, 7, 1)
    )
    department = AgencyFactory.create(kind="department")
    for commune, message in (
        (None, "Phải chọn xã"),
        (closed, "không còn"),
        (department, "không phải đơn vị cấp xã"),
    ):
        with pytest.raises(DossierInvalid, match=message) as caught:
            dossier_draft_create(
                actor=citizen, procedure_version=version, commune=commune, now=MONDAY_MORNING
            )
        assert "commune" in caught.value.field_errors
    dossier = dossier_draft_create(
        actor=citizen, procedure_version=version, commune=agency, now=MONDAY_MORNING
    )
    assert dossier.competent_agency == agency


def test_a_commune_with_a_one_stop_desk_receives_there(citizen, agency):
    desk = DeskFactory.create(parent=agency)
    dossier = online_draft(applicant=citizen, commune=agency)
    dossier_submit(dossier=dossier, actor=citizen, now=MONDAY_MORNING)
    assert (dossier.receiving_agency, dossier.competent_agency) == (desk, agency)


def test_a_provincial_procedure_is_received_by_the_provincial_service_centre(citizen):
    centre = AgencyFactory.create(
        name="Trung tâm Phục vụ hành chính công tỉnh", kind="service_center", is_receiving_point=True
    )
    version = ProcedureVersionFactory.create()  # province level, decided by a department
    ComponentRequirementFactory.create(version=version)
    dossier = online_draft(applicant=citizen, commune=None, version=version)
    assert dossier.competent_agency == version.competent_agency
    dossier_submit(dossier=dossier, actor=citizen, now=MONDAY_MORNING)
    assert dossier.receiving_agency == centre


def test_a_draft_takes_the_applicant_from_the_account(citizen, agency):
    dossier = dossier_draft_create(
        actor=citizen,
        procedure_version=commune_procedure(),
        commune=agency,
        applicant=ApplicantData(name="Someone Else", national_id="999999999999", phone="0987654321"),
    )
    assert (dossier.applicant, dossier.applicant_name, dossier.applicant_national_id) == (
        citizen,
        "Hoàng Thị Lan",
        "020190001234",
    )
    assert dossier.applicant_phone == "0987654321"  # contact details may be updated
    assert (dossier.channel, dossier.status, dossier.submitted_by) == (Channel.ONLINE, Status.DRAFT, citizen)


def test_staff_use_the_counter_and_only_at_their_desk(clerk, specialist, agency, other_agency):
    version = commune_procedure()
    with pytest.raises(TransitionNotAllowed):
        dossier_draft_create(actor=clerk, procedure_version=version, commune=agency)
    with pytest.raises(TransitionNotAllowed):
        dossier_counter_create(
            actor=specialist, procedure_version=version, applicant=ApplicantData(name="A"), commune=agency
        )
    with pytest.raises(TransitionNotAllowed):
        dossier_counter_create(
            actor=clerk,
            procedure_version=version,
            applicant=ApplicantData(name="A"),
            commune=agency,
            desk=other_agency,
        )
    with pytest.raises(DossierInvalid, match="họ tên"):
        dossier_counter_create(
            actor=clerk, procedure_version=version, applicant=ApplicantData(name=" "), commune=agency
        )
    assert not Dossier.objects.exists()


def test_a_counter_dossier_is_linked_to_the_citizens_account_by_identity_number(clerk, agency, citizen):
    dossier = dossier_counter_create(
        actor=clerk,
        procedure_version=commune_procedure(),
        applicant=ApplicantData(name="Hoàng Thị Lan", national_id=citizen.national_id),
        commune=agency,
    )
    assert dossier.applicant == citizen
    assert Dossier.objects.restrict(citizen).filter(pk=dossier.pk).exists()


def test_only_the_author_edits_a_draft(citizen, other_citizen, agency, other_agency):
    dossier = online_draft(applicant=citizen, commune=agency, attach=False)
    with pytest.raises(TransitionNotAllowed):
        dossier_draft_update(dossier=dossier, actor=other_citizen, notes="x")
    dossier_draft_update(dossier=dossier, actor=citizen, commune=other_agency, notes="Nộp thay cho mẹ")
    dossier.refresh_from_db()
    assert (dossier.competent_agency, dossier.notes) == (other_agency, "Nộp thay cho mẹ")


# --- mandatory components and idempotency ---------------------------------------------------


def test_submission_needs_every_mandatory_component(citizen, agency):
    version = commune_procedure(components=2)
    ComponentRequirementFactory.create(
        version=version, order=3, name="Giấy tờ không bắt buộc", is_mandatory=False
    )
    ComponentRequirementFactory.create(
        version=version, order=4, name="Bản chính nộp khi nhận kết quả", paper_only=True
    )
    dossier = online_draft(applicant=citizen, commune=agency, version=version, attach=False)
    first = version.components.get(order=1)
    dossier_file_attach(dossier=dossier, actor=citizen, upload=pdf_upload(), requirement=first)
    with pytest.raises(DossierInvalid) as caught:
        dossier_submit(dossier=dossier, actor=citizen)
    assert caught.value.message == "Hồ sơ còn thiếu thành phần bắt buộc: Giấy tờ bắt buộc số 2."
    dossier.refresh_from_db()
    assert dossier.status == Status.DRAFT
    dossier_file_attach(
        dossier=dossier, actor=citizen, upload=pdf_upload(), requirement=version.components.get(order=2)
    )
    dossier_submit(dossier=dossier, actor=citizen, now=MONDAY_MORNING)
    assert dossier.status == Status.SUBMITTED


def test_a_repeated_submit_returns_the_same_dossier(citizen, agency):
    dossier = online_draft(applicant=citizen, commune=agency)
    first = dossier_submit(dossier=dossier, actor=citizen, idempotency_key="nop-1", now=MONDAY_MORNING)
    stale = Dossier.objects.get(pk=dossier.pk)
    stale.status = Status.DRAFT  # the second click was rendered from the draft page
    again = dossier_submit(dossier=stale, actor=citizen, idempotency_key="nop-1", now=MONDAY_MORNING)
    assert again.pk == first.pk
    assert DossierEvent.objects.filter(dossier=dossier, action="submit").count() == 1


def test_a_double_click_on_a_stale_page_without_the_key_is_told_to_reload(citizen, agency):
    dossier = online_draft(applicant=citizen, commune=agency)
    stale = Dossier.objects.get(pk=dossier.pk)
    dossier_submit(dossier=dossier, actor=citizen, now=MONDAY_MORNING)
    with pytest.raises(Exception, match="vừa được người khác cập nhật"):
        dossier_submit(dossier=stale, actor=citizen, now=MONDAY_MORNING)


def test_a_repeated_create_with_the_same_key_makes_no_second_row(citizen, agency):
    version = commune_procedure()
    first = dossier_draft_create(
        actor=citizen, procedure_version=version, commune=agency, idempotency_key="k-42"
    )
    second = dossier_draft_create(
        actor=citizen, procedure_version=version, commune=agency, idempotency_key="k-42"
    )
    assert first.pk == second.pk
    assert Dossier.objects.count() == 1
    with pytest.raises(DossierInvalid):
        dossier_draft_create(
            actor=citizen, procedure_version=version, commune=agency, idempotency_key="x" * 65
        )


def test_an_integration_client_submits_for_a_named_applicant(api_client, agency, citizen):
    version = commune_procedure(components=0)
    dossier = dossier_draft_create(
        actor=api_client.user,
        procedure_version=version,
        commune=agency,
        applicant=ApplicantData(
            name="Hoàng Thị Lan", national_id=citizen.national_id, email="lan@example.vn"
        ),
        idempotency_key="lgsp-0001",
    )
    assert (dossier.applicant, dossier.submitted_by) == (citizen, api_client.user)
    dossier_submit(dossier=dossier, actor=api_client.user, idempotency_key="lgsp-0001", now=MONDAY_MORNING)
    assert dossier.status == Status.SUBMITTED
    with pytest.raises(DossierInvalid, match="thông tin người nộp"):
        dossier_draft_create(actor=api_client.user, procedure_version=version, commune=agency)


# --- files ----------------------------------------------------------------------------------


@pytest.fixture
def draft(citizen, agency):
    return online_draft(applicant=citizen, commune=agency, attach=False)


@pytest.mark.parametrize(("content", "expected"), [(PDF_BYTES, PDF), (JPEG_BYTES, JPEG), (PNG_BYTES, PNG)])
def test_files_are_recognised_by_their_content(draft, citizen, content, expected):
    record = dossier_file_attach(
        dossier=draft, actor=citizen, upload=SimpleUploadedFile("anh chup.bin", content)
    )
    assert record.content_type == expected
    assert record.file.name.endswith({PDF: ".pdf", JPEG: ".jpg", PNG: ".png"}[expected])
    assert record.origin == ComponentOrigin.UPLOADED
    assert len(record.sha256) == 64
    assert record.size == len(content)


def test_a_file_of_another_type_is_refused_whatever_its_name(draft, citizen, settings):
    for upload in (
        SimpleUploadedFile("to-khai.pdf", b"#!/bin/sh\nrm -rf /\n"),
        SimpleUploadedFile("hinh.png", b"GIF89a" + b"\x00" * 20),
        office_upload("to-khai.docx"),  # no Word template for this component
    ):
        with pytest.raises(DossierInvalid) as caught:
            dossier_file_attach(dossier=draft, actor=citizen, upload=upload)
        assert "không đúng định dạng cho phép (PDF, JPEG, PNG)" in caught.value.message
        assert caught.value.code == "bad_type"
    assert not DossierFile.objects.exists()
    assert stored_files(settings) == []


def test_word_and_excel_are_taken_where_the_template_is_one(draft, citizen):
    version = draft.procedure_version
    word = ComponentRequirementFactory.create(
        version=version, order=10, template=ContentFile(b"x", name="mau-to-khai.docx")
    )
    sheet = ComponentRequirementFactory.create(
        version=version, order=11, template=ContentFile(b"x", name="bang-ke.xlsx")
    )
    record = dossier_file_attach(
        dossier=draft, actor=citizen, upload=office_upload("to khai.docx"), requirement=word
    )
    assert record.content_type == DOCX
    record = dossier_file_attach(
        dossier=draft, actor=citizen, upload=office_upload("bang ke.xlsx", "xl"), requirement=sheet
    )
    assert record.content_type == XLSX
    with pytest.raises(DossierInvalid, match="DOCX"):
        dossier_file_attach(
            dossier=draft, actor=citizen, upload=office_upload("bang ke.xlsx", "xl"), requirement=word
        )


def test_a_file_above_the_limit_is_refused(draft, citizen, settings):
    settings.CONGSO_UPLOAD_MAX_BYTES = 1024
    with pytest.raises(DossierInvalid) as caught:
        dossier_file_attach(
            dossier=draft, actor=citizen, upload=pdf_upload("lon.pdf", PDF_BYTES + b"0" * 2000)
        )
    assert caught.value.message == "Tệp «lon.pdf» vượt quá dung lượng tối đa 1 KB."
    settings.CONGSO_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    with pytest.raises(DossierInvalid, match="rỗng"):
        dossier_file_attach(dossier=draft, actor=citizen, upload=SimpleUploadedFile("rong.pdf", b""))
    assert not DossierFile.objects.exists()
    assert stored_files(settings) == []


def test_the_default_limit_is_10_mb(draft, citizen):
    big = SimpleUploadedFile("scan.pdf", PDF_BYTES + b"0" * (10 * 1024 * 1024))
    with pytest.raises(DossierInvalid, match="tối đa 10 MB"):
        dossier_file_attach(dossier=draft, actor=citizen, upload=big)


@pytest.mark.parametrize(
    ("evil", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\system32\\giay-to.pdf", "giay-to.pdf"),
        ("\x00\x1fTờ khai\r\n.pdf", "Tờ khai.pdf"),
        (".htaccess", "htaccess"),
        ("...", "tệp"),
    ],
)
def test_evil_file_names_are_cleaned(draft, citizen, settings, evil, shown):
    record = dossier_file_attach(dossier=draft, actor=citizen, upload=pdf_upload(evil))
    assert record.name == shown
    stored = Path(record.file.path).resolve()
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve() / "dossiers" / draft.reference)
    assert ".." not in record.file.name
    assert os.path.basename(record.file.name).isascii()
    assert record.file.name.endswith(".pdf")


def test_a_long_name_is_shortened_keeping_its_extension(draft, citizen):
    record = dossier_file_attach(dossier=draft, actor=citizen, upload=pdf_upload("Giấy tờ " * 60 + ".pdf"))
    assert len(record.name) == 200
    assert record.name.endswith(".pdf")


def test_who_may_attach_what(draft, citizen, other_citizen, clerk, agency):
    with pytest.raises(TransitionNotAllowed):
        dossier_file_attach(dossier=draft, actor=other_citizen, upload=pdf_upload())
    with pytest.raises(TransitionNotAllowed):
        dossier_file_attach(dossier=draft, actor=citizen, upload=pdf_upload(), kind=DossierFile.Kind.RESULT)
    foreign = ComponentRequirementFactory.create(name="Thành phần của thủ tục khác")
    with pytest.raises(DossierInvalid, match="không thuộc thành phần hồ sơ"):
        dossier_file_attach(dossier=draft, actor=citizen, upload=pdf_upload(), requirement=foreign)
    paper = ComponentRequirementFactory.create(version=draft.procedure_version, order=20, paper_only=True)
    with pytest.raises(DossierInvalid, match="chỉ nộp bản giấy"):
        dossier_file_attach(dossier=draft, actor=citizen, upload=pdf_upload(), requirement=paper)
    for requirement in draft.procedure_version.components.filter(paper_only=False):
        dossier_file_attach(dossier=draft, actor=citizen, upload=pdf_upload(), requirement=requirement)
    dossier_submit(dossier=draft, actor=citizen, now=MONDAY_MORNING)
    with pytest.raises(TransitionNotAllowed):
        dossier_file_attach(dossier=draft, actor=citizen, upload=pdf_upload())


def test_a_new_version_of_a_file_replaces_the_old_one_without_deleting_it(draft, citizen):
    requirement = draft.procedure_version.components.order_by("order").first()
    old = dossier_file_attach(
        dossier=draft, actor=citizen, upload=pdf_upload("cu.pdf"), requirement=requirement
    )
    new = dossier_file_attach(
        dossier=draft, actor=citizen, upload=pdf_upload("moi.pdf"), requirement=requirement, replaces=old
    )
    assert new.replaces == old
    assert DossierFile.objects.filter(dossier=draft).count() == 2
    with pytest.raises(DossierInvalid, match="đã được thay thế"):
        dossier_file_attach(
            dossier=draft, actor=citizen, upload=pdf_upload(), requirement=requirement, replaces=old
        )


def test_a_clerk_scanning_at_the_counter_records_the_digitised_origin(clerk, agency):
    version = commune_procedure(components=1)
    dossier = dossier_counter_create(
        actor=clerk, procedure_version=version, applicant=ApplicantData(name="Hà Văn Sơn"), commune=agency
    )
    record = dossier_file_attach(
        dossier=dossier, actor=clerk, upload=pdf_upload("quet.pdf"), requirement=version.components.get()
    )
    assert (record.origin, record.uploaded_by) == (ComponentOrigin.DIGITISED, clerk)
    reused = dossier_file_attach(
        dossier=dossier, actor=clerk, upload=pdf_upload("kho.pdf"), origin=ComponentOrigin.REUSED
    )
    assert reused.origin == ComponentOrigin.REUSED
    other_clerk = StaffFactory.create()
    MembershipFactory.create(user=other_clerk, agency=AgencyFactory.create(), role=Role.CLERK)
    with pytest.raises(TransitionNotAllowed):
        dossier_file_attach(dossier=dossier, actor=other_clerk, upload=pdf_upload())
