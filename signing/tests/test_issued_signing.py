"""The slips of the one-stop desk and the e-receipts are signed when they are rendered — by the
issuing officer and the agency when both hold a valid certificate, by the agency alone for what
the system issues — and stay unsigned, said so on the page, when a certificate is missing."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from dossiers.models import Slip
from dossiers.slips import slip_pdf
from dossiers.tests.factories import MONDAY_MORNING, received_dossier
from payments.receipts import receipt_pdf
from payments.services import payment_counter_record, payment_ipn_handle, payment_online_start
from payments.tests.conftest import GATEWAY, SECRET, TMN
from payments.tests.factories import as_query, fee_procedure, gateway_reply
from signing.demo import certificate_issue_to
from signing.models import SignatureRecord, VerificationOutcome
from signing.services import pdf_verify
from signing.tests.pdfs import tiny_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(citizen, clerk, agency):
    return received_dossier(applicant=citizen, clerk=clerk, commune=agency)


@pytest.fixture
def clerk_certificate(demo_ca, clerk, now):
    return certificate_issue_to(authority=demo_ca, now=now, user=clerk)


def receipt_slip(dossier) -> Slip:
    return Slip.objects.get(dossier=dossier, form=Slip.Form.RECEIPT)


def signers(pdf: bytes) -> list[str]:
    result = pdf_verify(pdf=pdf)
    assert result.outcome in (VerificationOutcome.VALID, VerificationOutcome.UNSIGNED)
    return [s.signer_name for s in result.signatures]


def test_a_slip_is_signed_by_the_clerk_and_the_desk(
    dossier, clerk, agency, clerk_certificate, agency_certificate
):
    slip = receipt_slip(dossier)

    pdf = slip_pdf(slip)

    assert pdf_verify(pdf=pdf).outcome == VerificationOutcome.VALID
    assert signers(pdf) == [clerk.full_name, agency.name]
    slip.refresh_from_db()
    with slip.pdf.open("rb") as stored:
        assert stored.read() == pdf
    record = SignatureRecord.objects.get()
    assert record.reference == f"dossier:{dossier.reference}:slip:{slip.pk}"
    assert (record.signed_by, record.agency) == (clerk, agency)


def test_a_slip_stays_unsigned_without_certificates(dossier):
    pdf = slip_pdf(receipt_slip(dossier))

    assert pdf.startswith(b"%PDF-")
    assert signers(pdf) == []
    assert not SignatureRecord.objects.exists()


def test_a_slip_is_not_signed_by_the_desk_alone_when_the_clerk_has_no_certificate(
    dossier, agency_certificate
):
    assert signers(slip_pdf(receipt_slip(dossier))) == []


def test_a_slip_is_not_signed_without_the_desks_certificate(dossier, clerk_certificate):
    assert signers(slip_pdf(receipt_slip(dossier))) == []


def test_signing_slips_can_be_turned_off(dossier, clerk_certificate, agency_certificate, settings):
    settings.SIGNING_SIGN_SLIPS = False

    assert signers(slip_pdf(receipt_slip(dossier))) == []


def test_the_dossier_page_says_whether_each_slip_is_signed(
    client, dossier, clerk, clerk_certificate, agency_certificate
):
    slip = receipt_slip(dossier)
    client.force_login(clerk)

    not_yet = client.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    slip_pdf(slip)
    # A slip whose stored PDF carries no signature (rendered before any certificate existed).
    unsigned = default_storage.save("slips/khong-ky.pdf", ContentFile(tiny_pdf()))
    Slip.objects.create(
        dossier=dossier,
        form=Slip.Form.CONTROL,
        number="01/PKS",
        issued_at=MONDAY_MORNING,
        issued_by=clerk,
        agency=slip.agency,
        pdf=unsigned,
    )
    page = client.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()

    assert "Mẫu 01 — Giấy tiếp nhận hồ sơ và hẹn trả kết quả, số" in not_yet
    assert "đang tạo bản PDF" in not_yet
    flat = " ".join(page.split())
    assert f'đã ký số</span> <span class="fine">— {clerk.full_name} và UBND phường Tam Thanh' in flat
    assert (
        "Mẫu 05 — Phiếu kiểm soát quá trình giải quyết hồ sơ, số 01/PKS: <strong>chưa ký số</strong>" in flat
    )


# --- e-receipts --------------------------------------------------------------------------------


@pytest.fixture
def fee_dossier(settings, citizen, clerk, agency):
    for name, value in GATEWAY.items():
        setattr(settings, name, value)
    from workcalendar.services import calendar_seed_year

    for year in (2025, 2026):
        calendar_seed_year(year=year)
    return received_dossier(applicant=citizen, clerk=clerk, commune=agency, version=fee_procedure())


def test_a_counter_receipt_is_signed_by_the_clerk_and_the_agency_and_kept(
    fee_dossier, clerk, agency, clerk_certificate, agency_certificate
):
    receipt = payment_counter_record(
        dossier=fee_dossier, clerk=clerk, payer_name="Lương Văn Bình", now=MONDAY_MORNING
    ).ereceipt

    first = receipt_pdf(receipt)

    assert pdf_verify(pdf=first).outcome == VerificationOutcome.VALID
    assert signers(first) == [clerk.full_name, agency.name]
    assert receipt_pdf(receipt) == first  # the signed copy is served again, not signed twice
    assert SignatureRecord.objects.get().reference == f"receipt:{receipt.pk}"


def test_an_online_receipt_is_signed_by_the_agency_alone(fee_dossier, citizen, agency, agency_certificate):
    payment = payment_online_start(
        dossier=fee_dossier, payer=citizen, ip_address="", now=MONDAY_MORNING
    ).payment
    query = as_query(gateway_reply(payment, secret=SECRET, tmn_code=TMN))
    assert payment_ipn_handle(raw=query, method="GET", remote_addr="203.0.113.9").code == "00"
    payment.refresh_from_db()

    pdf = receipt_pdf(payment.ereceipt)

    assert pdf_verify(pdf=pdf).outcome == VerificationOutcome.VALID
    assert signers(pdf) == [agency.name]
    record = SignatureRecord.objects.get()
    assert record.signed_by is None
    assert record.personal_certificate is None


def test_a_receipt_without_certificates_stays_unsigned_until_one_exists(
    fee_dossier, clerk, agency, demo_ca, now
):
    receipt = payment_counter_record(
        dossier=fee_dossier, clerk=clerk, payer_name="Lương Văn Bình", now=MONDAY_MORNING
    ).ereceipt

    assert signers(receipt_pdf(receipt)) == []
    assert not SignatureRecord.objects.exists()

    certificate_issue_to(authority=demo_ca, now=now, user=clerk)
    certificate_issue_to(authority=demo_ca, now=now, agency=agency)
    assert signers(receipt_pdf(receipt)) == [clerk.full_name, agency.name]


def test_the_receipt_job_signs_and_keeps_it_before_any_download(
    fee_dossier, clerk, agency, clerk_certificate, agency_certificate
):
    from signing.tasks import receipt_sign

    receipt = payment_counter_record(
        dossier=fee_dossier, clerk=clerk, payer_name="Lương Văn Bình", now=MONDAY_MORNING
    ).ereceipt

    receipt_sign(receipt_id=receipt.pk)

    record = SignatureRecord.objects.get(reference=f"receipt:{receipt.pk}")
    assert record.file
    with record.file.open("rb") as kept:
        assert receipt_pdf(receipt) == kept.read()
