"""Every PDF uploaded to a dossier is checked in the background (queued with the upload); the
staff and the applicant see, file by file, who signed, when, whether it is intact and trusted."""

from __future__ import annotations

import pytest

from dossiers.models import DossierFile
from dossiers.services import dossier_file_attach
from dossiers.tests.factories import PNG_BYTES, online_draft, pdf_upload
from jobs.models import Job
from signing.models import VerificationOutcome, VerificationReport
from signing.services import pdf_sign
from signing.tests.pdfs import RESULT_TEXT, tiny_pdf
from signing.tests.test_pdf_verify import _signed_outside_congso

pytestmark = pytest.mark.django_db

TAMPERED = "Tệp đã bị sửa đổi sau khi ký: không được dùng tệp này."
UNTRUSTED = "Chứng thư số không do tổ chức được tin cậy cấp."
UNSIGNED = "Tệp chưa được ký số."


@pytest.fixture
def draft(citizen, agency):
    return online_draft(applicant=citizen, commune=agency, attach=False)


def upload(draft, citizen, content: bytes, name: str = "don-de-nghi.pdf") -> DossierFile:
    requirement = draft.procedure_version.components.order_by("order").first()
    return dossier_file_attach(
        dossier=draft, actor=citizen, upload=pdf_upload(name, content), requirement=requirement
    )


def report_of(item: DossierFile) -> VerificationReport:
    return VerificationReport.objects.get(reference=f"dossier:{item.dossier.reference}:file:{item.pk}")


@pytest.fixture
def signed_application(leader, agency, leader_certificate, agency_certificate) -> bytes:
    return pdf_sign(pdf=tiny_pdf(), signer=leader, agency=agency, reason="Ký đơn", location="")


def test_the_check_is_queued_with_the_upload_and_runs_after_it_commits(
    draft, citizen, signed_application, leader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as pending:
        item = upload(draft, citizen, signed_application)
    job = Job.objects.get(func="signing.tasks.dossier_file_verify")
    assert job.kwargs == {"file_id": item.pk}
    assert not VerificationReport.objects.exists()

    for callback in pending:
        callback()

    report = report_of(item)
    assert report.outcome == VerificationOutcome.VALID
    assert (report.is_signed, report.intact, report.trusted) == (True, True, True)
    assert report.signer_name == leader.full_name
    assert report.file_sha256 == item.sha256


def test_one_byte_changed_after_signing_is_reported_as_tampered(
    draft, citizen, signed_application, django_capture_on_commit_callbacks
):
    tampered = signed_application.replace(RESULT_TEXT, RESULT_TEXT[:-1] + b"X")
    assert tampered != signed_application

    with django_capture_on_commit_callbacks(execute=True):
        item = upload(draft, citizen, tampered)

    report = report_of(item)
    assert report.outcome == VerificationOutcome.TAMPERED
    assert not report.intact
    assert TAMPERED in report.messages


def test_a_self_signed_certificate_is_reported_as_untrusted(
    draft, citizen, now, django_capture_on_commit_callbacks
):
    from signing import pki

    self_made = pki.authority_create(common_name="Tự cấp", organization="Không rõ", now=now)
    with django_capture_on_commit_callbacks(execute=True):
        item = upload(draft, citizen, _signed_outside_congso(tiny_pdf(), self_made, now))

    report = report_of(item)
    assert report.outcome == VerificationOutcome.UNTRUSTED
    assert report.intact
    assert not report.trusted
    assert report.signer_name == "Nguyễn Văn Lạ"
    assert UNTRUSTED in report.messages


def test_an_unsigned_pdf_is_reported_as_not_signed(draft, citizen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        item = upload(draft, citizen, tiny_pdf())

    assert report_of(item).outcome == VerificationOutcome.UNSIGNED


def test_an_image_is_not_queued_for_a_check(draft, citizen, django_capture_on_commit_callbacks):
    requirement = draft.procedure_version.components.order_by("order").first()
    with django_capture_on_commit_callbacks(execute=True):
        dossier_file_attach(
            dossier=draft,
            actor=citizen,
            upload=pdf_upload("anh.png", PNG_BYTES),
            requirement=requirement,
        )

    assert not Job.objects.filter(func="signing.tasks.dossier_file_verify").exists()
    assert not VerificationReport.objects.exists()


def test_a_refused_upload_queues_nothing(draft, citizen):
    from dossiers.errors import DossierInvalid

    with pytest.raises(DossierInvalid):
        upload(draft, citizen, b"", name="rong.pdf")

    assert not Job.objects.filter(func="signing.tasks.dossier_file_verify").exists()
