"""Checking uploaded PDFs: intact and trusted, tampered, untrusted, unsigned, unreadable."""

from __future__ import annotations

import io

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from signing import pki
from signing.models import VerificationOutcome, VerificationReport
from signing.services import pdf_sign, pdf_verify, verification_report_create
from signing.tests.conftest import NOW
from signing.tests.pdfs import RESULT_TEXT, tiny_pdf

TAMPERED = "Tệp đã bị sửa đổi sau khi ký"
UNTRUSTED = "Chứng thư số không do tổ chức được tin cậy cấp"


@pytest.fixture
def signed(leader, agency, leader_certificate, agency_certificate) -> bytes:
    return pdf_sign(pdf=tiny_pdf(), signer=leader, agency=agency, reason="Ký kết quả", location="", now=NOW)


def _signed_outside_congso(pdf: bytes, authority: pki.Issued, now) -> bytes:
    """A file signed elsewhere, by a certificate from a CA the province does not trust."""
    key = pki.private_key_new()
    certificate = pki.certificate_issue(
        authority=authority.certificate,
        authority_key=authority.key,
        public_key=key.public_key(),
        subject=pki.name_build(common_name="Nguyễn Văn Lạ", organization="Cơ quan ngoài tỉnh"),
        now=now,
    )
    p12 = pki.pkcs12_bytes(
        issued=pki.Issued(certificate=certificate, key=key),
        chain=[authority.certificate],
        friendly_name="x",
        passphrase=b"x",
    )
    signer = signers.SimpleSigner.load_pkcs12_data(p12, other_certs=[], passphrase=b"x")
    meta = signers.PdfSignatureMetadata(field_name="Signature1", subfilter=SigSeedSubFilter.PADES)
    output = signers.PdfSigner(meta, signer).sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)))
    return bytes(output.getbuffer())


def test_a_file_signed_by_congso_is_valid_intact_and_trusted(signed, leader, agency):
    result = pdf_verify(pdf=signed)

    assert result.outcome == VerificationOutcome.VALID
    assert result.is_signed
    assert result.intact
    assert result.trusted
    assert result.valid
    assert result.signer_name == leader.full_name
    assert result.signing_time == NOW
    assert [s.signer_name for s in result.signatures] == [leader.full_name, agency.name]
    assert result.signatures[-1].covers_whole_file
    assert "Chữ ký số hợp lệ, tệp còn nguyên vẹn từ khi ký." in result.messages


def test_one_byte_changed_inside_the_signed_range_is_reported_as_tampered(signed, demo_ca):
    assert signed.count(RESULT_TEXT) == 1
    tampered = signed.replace(RESULT_TEXT, RESULT_TEXT[:-1] + b"X")

    result = pdf_verify(pdf=tampered)

    assert result.outcome == VerificationOutcome.TAMPERED
    assert not result.intact
    assert any(TAMPERED in message for message in result.messages)
    # pyHanko's own validator agrees, outside congso's code.
    reader = PdfFileReader(io.BytesIO(tampered))
    context = ValidationContext(trust_roots=[pki.asn1(demo_ca.certificate)], allow_fetching=False)
    statuses = [
        validate_pdf_signature(s, signer_validation_context=context) for s in reader.embedded_signatures
    ]
    assert not any(status.intact for status in statuses)


def test_a_change_appended_after_signing_is_reported_as_tampered(signed):
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page["/MediaBox"] = generic.ArrayObject([generic.NumberObject(n) for n in (0, 0, 520, 595)])
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)

    result = pdf_verify(pdf=out.getvalue())

    assert result.outcome == VerificationOutcome.TAMPERED
    assert any(TAMPERED in message for message in result.messages)


def test_a_file_signed_under_an_unknown_ca_is_untrusted(db, now):
    stranger = pki.authority_create(common_name="CA lạ", organization="Không rõ", now=now)
    pdf = _signed_outside_congso(tiny_pdf(), stranger, now)

    result = pdf_verify(pdf=pdf)

    assert result.outcome == VerificationOutcome.UNTRUSTED
    assert result.intact
    assert not result.trusted
    assert result.signer_name == "Nguyễn Văn Lạ"
    assert any(UNTRUSTED in message for message in result.messages)


def test_the_same_file_is_trusted_once_the_province_trusts_its_ca(db, now):
    from signing.services import trust_root_add

    authority = pki.authority_create(common_name="CA bộ ngành", organization="Bộ", now=now)
    pdf = _signed_outside_congso(tiny_pdf(), authority, now)
    trust_root_add(certificate=authority.certificate, name="CA bộ ngành")

    assert pdf_verify(pdf=pdf).outcome == VerificationOutcome.VALID


def test_an_unsigned_pdf_is_reported_as_not_signed(db):
    result = pdf_verify(pdf=tiny_pdf())

    assert result.outcome == VerificationOutcome.UNSIGNED
    assert not result.is_signed
    assert any("chưa được ký số" in message for message in result.messages)


def test_a_file_that_is_not_a_pdf_is_reported_as_unreadable(db):
    result = pdf_verify(pdf=b"PK\x03\x04 this is a zip")

    assert result.outcome == VerificationOutcome.UNREADABLE
    assert any("Không đọc được tệp PDF" in message for message in result.messages)


def test_a_verification_is_kept_for_the_dossier(signed, leader, clerk):
    report = verification_report_create(
        pdf=signed, reference="dossier:H40-TEST-0001:component:12", file_name="don.pdf", checked_by=clerk
    )

    report = VerificationReport.objects.get(pk=report.pk)
    assert report.outcome == VerificationOutcome.VALID
    assert (report.is_signed, report.intact, report.trusted, report.valid) == (True, True, True, True)
    assert report.signer_name == leader.full_name
    assert report.signing_time == NOW
    assert len(report.signatures) == 2
    assert report.checked_by == clerk
