"""The words of stored documents and desk scans: a PDF's text layer, OCR with Tesseract's Vietnamese
model for scans and photos (in the background), the stored bytes never changed — a signed PDF
keeps valid signatures — and the staff's search over them, accents or not."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from datastore.models import ExtractedText, TextSource, TextState
from datastore.services import dossier_scans_queue, extracted_text_fill
from datastore.tests.factories import stored_document, text_image
from dossiers.services import ApplicantData, dossier_file_attach
from dossiers.tests.factories import counter_dossier

pytestmark = pytest.mark.django_db

LINES = ["GIẤY CHỨNG NHẬN KẾT HÔN", "Họ và tên: Hoàng Thị Lan", "Nơi đăng ký: phường Tam Thanh"]


def on_disk(document: Any) -> bytes:
    return Path(document.file.path).read_bytes()


def test_a_photo_is_read_with_the_vietnamese_model(citizen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = stored_document(
            owner=citizen, content=text_image(LINES), name="anh-chup.png", content_type="image/png"
        )
    text = ExtractedText.objects.get(stored_document=document)  # the job ran after the commit

    assert (text.state, text.source, text.pages) == (TextState.DONE, TextSource.OCR, 1)
    for words in ("GIẤY CHỨNG NHẬN KẾT HÔN", "Hoàng Thị Lan", "Tam Thanh"):
        assert words in text.text
    assert "giay chung nhan ket hon" in text.search_text
    assert text.sha256 == document.sha256 == hashlib.sha256(on_disk(document)).hexdigest()


def test_a_scanned_pdf_is_rendered_and_read_and_stays_as_it_was(citizen):
    scan = text_image(LINES, fmt="PDF")
    document = stored_document(owner=citizen, content=scan, name="ban-quet.pdf")
    before = on_disk(document)

    text = extracted_text_fill(text=document.extracted_text)

    assert (text.state, text.source) == (TextState.DONE, TextSource.OCR)
    assert "Hoàng Thị Lan" in text.text
    assert on_disk(document) == before == scan
    assert hashlib.sha256(before).hexdigest() == document.sha256


def test_a_pdf_with_a_text_layer_is_read_without_ocr(citizen, settings):
    settings.DATASTORE_TESSERACT_CMD = "/khong-co/tesseract"  # would fail if OCR were tried
    document = stored_document(owner=citizen)

    text = extracted_text_fill(text=document.extracted_text)

    assert (text.state, text.source) == (TextState.DONE, TextSource.TEXT_LAYER)
    assert "GIAY CHUNG NHAN KET HON so 12/2025" in text.text


def test_a_signed_pdf_keeps_valid_signatures_after_its_text_is_read(
    citizen, leader, agency, settings, tmp_path
):
    from signing import pki, services
    from signing.demo import certificate_issue_to
    from signing.models import VerificationOutcome
    from signing.services import pdf_sign
    from signing.tests.pdfs import tiny_pdf
    from signing.verification import pdf_verify

    settings.SIGNING_KEY_DIR = tmp_path / "keys"
    settings.SIGNING_KEY_PASSPHRASE = "test-passphrase"
    settings.SIGNING_TSA_URL = None
    from django.utils import timezone

    now = timezone.now()
    authority = pki.authority_create(common_name="Demo CA tỉnh Lạng Sơn", organization="congso test", now=now)
    services.trust_root_add(certificate=authority.certificate, name="Demo CA tỉnh Lạng Sơn")
    certificate_issue_to(authority=authority, now=now, user=leader)
    certificate_issue_to(authority=authority, now=now, agency=agency)
    signed = pdf_sign(pdf=tiny_pdf(), signer=leader, agency=agency, reason="Ký kết quả", location="", now=now)
    assert pdf_verify(pdf=signed).outcome == VerificationOutcome.VALID
    document = stored_document(owner=citizen, content=signed, name="ket-qua-da-ky.pdf")

    text = extracted_text_fill(text=document.extracted_text)

    assert text.state == TextState.DONE
    assert "KET QUA GIAI QUYET THU TUC HANH CHINH" in text.text
    kept = on_disk(document)
    assert kept == signed
    assert hashlib.sha256(kept).hexdigest() == document.sha256
    assert pdf_verify(pdf=kept).outcome == VerificationOutcome.VALID


def test_a_missing_program_is_recorded_not_raised(citizen, settings):
    settings.DATASTORE_TESSERACT_CMD = "/khong-co/tesseract"
    document = stored_document(
        owner=citizen, content=text_image(LINES), name="anh.png", content_type="image/png"
    )

    text = extracted_text_fill(text=document.extracted_text)

    assert text.state == TextState.FAILED
    assert "Máy chủ chưa cài chương trình nhận dạng ký tự Tesseract" in text.error


def test_a_file_changed_on_disk_is_not_read(citizen):
    document = stored_document(owner=citizen)
    Path(document.file.path).write_bytes(b"%PDF-1.4 altered")

    text = extracted_text_fill(text=document.extracted_text)

    assert text.state == TextState.FAILED
    assert "không khớp mã SHA-256" in text.error
    assert text.text == ""


def _scanned_dossier(clerk, agency):
    dossier = counter_dossier(
        clerk=clerk,
        commune=agency,
        applicant=ApplicantData(name="Hoàng Thị Lan", national_id="020190001234"),
        attach=False,
    )
    requirement = dossier.procedure_version.components.order_by("order").first()
    scan = dossier_file_attach(
        dossier=dossier,
        actor=clerk,
        upload=SimpleUploadedFile("ban-quet.png", text_image(LINES), content_type="image/png"),
        requirement=requirement,
    )
    return dossier, scan


def test_desk_scans_are_swept_and_read_in_the_background(clerk, agency, django_capture_on_commit_callbacks):
    dossier, scan = _scanned_dossier(clerk, agency)
    assert scan.origin == "digitised"

    with django_capture_on_commit_callbacks(execute=True):
        assert dossier_scans_queue() == 1
    assert dossier_scans_queue() == 0  # once per scan

    text = ExtractedText.objects.get(dossier_file=scan)
    assert text.state == TextState.DONE
    assert "Hoàng Thị Lan" in text.text
    assert dossier.pk


def test_the_staff_search_finds_scans_without_accents_within_their_dossiers(
    client, clerk, clerk_other_agency, agency, django_capture_on_commit_callbacks
):
    dossier, scan = _scanned_dossier(clerk, agency)
    with django_capture_on_commit_callbacks(execute=True):
        dossier_scans_queue()
    url = reverse("backoffice:digitisation_search")

    client.force_login(clerk)
    page = client.get(url, {"q": "hoang thi lan"}).content.decode()
    assert "1 kết quả cho «hoang thi lan»" in page
    assert reverse("backoffice:dossier_file", args=[dossier.reference, scan.pk]) in page
    assert "Nhận dạng ký tự quang học (OCR)" in page
    assert "Hoàng Thị Lan" in page

    client.force_login(clerk_other_agency)
    assert "0 kết quả" in client.get(url, {"q": "hoang thi lan"}).content.decode()
