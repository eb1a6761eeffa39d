"""Signing a result as a leader and as the agency, and checking it with pyHanko's own validator."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from typing import Any

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from signing import pki
from signing.models import SignatureRecord, VerificationOutcome
from signing.services import SigningError, pdf_sign, pdf_verify
from signing.stamps import signing_time_text
from signing.tests.conftest import NOW
from signing.tests.pdfs import tiny_pdf


def _pyhanko_statuses(pdf: bytes, ca: pki.Issued) -> list[PdfSignatureStatus]:
    """Validation done with pyHanko alone, as an outside party would do it."""
    reader = PdfFileReader(io.BytesIO(pdf))
    context = ValidationContext(trust_roots=[pki.asn1(ca.certificate)], allow_fetching=False)
    return [
        validate_pdf_signature(sig, signer_validation_context=context) for sig in reader.embedded_signatures
    ]


@pytest.fixture
def signed(leader, agency, leader_certificate, agency_certificate) -> bytes:
    return pdf_sign(
        pdf=tiny_pdf(),
        signer=leader,
        agency=agency,
        reason="Ký kết quả giải quyết hồ sơ",
        location="Lạng Sơn",
        now=NOW,
        reference="dossier:H40-TEST-0001:result:7",
    )


def test_a_result_signed_by_leader_and_agency_validates_with_pyhanko_outside_congso(
    signed, demo_ca, leader, agency
):
    statuses = _pyhanko_statuses(signed, demo_ca)

    assert len(statuses) == 2
    person, seal = statuses
    assert [pki.common_name_asn1(s.signing_cert) for s in statuses] == [leader.full_name, agency.name]
    for status in statuses:
        assert status.intact
        assert status.valid
        assert status.trusted
        assert status.bottom_line
        assert status.validation_path is not None
        anchor: Any = status.validation_path.trust_anchor
        assert anchor.certificate.dump() == pki.asn1(demo_ca.certificate).dump()
    assert seal.coverage == SignatureCoverageLevel.ENTIRE_FILE
    # The person's signature covers its own revision; what follows is only the agency's signature.
    assert person.coverage == SignatureCoverageLevel.ENTIRE_REVISION
    assert person.docmdp_ok
    assert person.signer_reported_dt == NOW


def test_both_signatures_are_pades_approval_signatures(signed):
    reader = PdfFileReader(io.BytesIO(signed))
    person, seal = reader.embedded_signatures

    assert person.docmdp_level is None
    assert seal.docmdp_level is None
    assert "/ETSI.CAdES.detached" in {str(s.sig_object["/SubFilter"]) for s in (person, seal)}


def test_the_agency_stamp_overlaps_the_left_third_of_the_signers_stamp(signed):
    reader = PdfFileReader(io.BytesIO(signed))
    person, seal = (s.sig_field for s in reader.embedded_signatures)
    px1, py1, px2, py2 = (float(v) for v in person["/Rect"])
    ax1, ay1, ax2, ay2 = (float(v) for v in seal["/Rect"])

    assert ax1 < px1 < ax2
    assert ax2 == pytest.approx(px1 + (px2 - px1) / 3, abs=1)
    assert ay1 > py1 - 1
    assert ay2 < py2 + 1
    assert "/AP" in person
    assert "/AP" in seal
    seal_stream = seal["/AP"]["/N"].data
    assert b"0.85 0 0 RG" in seal_stream  # red border
    assert b"0.85 0 0 rg" in seal_stream  # red text


def test_signing_time_is_shown_in_iso_8601_vietnam_time():
    moment = dt.datetime(2026, 11, 20, 2, 30, tzinfo=dt.UTC)

    assert signing_time_text(moment) == "2026-11-20T09:30:00+07:00"


def test_each_signing_is_recorded_with_the_hash_of_the_signed_file(
    signed, leader, agency, leader_certificate
):
    record = SignatureRecord.objects.get()

    assert record.reference == "dossier:H40-TEST-0001:result:7"
    assert record.signed_by == leader
    assert record.agency == agency
    assert record.personal_certificate == leader_certificate
    assert record.sha256 == hashlib.sha256(signed).hexdigest()
    assert record.input_sha256 == hashlib.sha256(tiny_pdf()).hexdigest()
    assert not record.timestamped


def test_no_timestamp_token_without_a_configured_tsa(signed, demo_ca):
    assert all(status.timestamp_validity is None for status in _pyhanko_statuses(signed, demo_ca))


def test_a_person_alone_can_sign_without_the_agency(leader, leader_certificate, demo_ca):
    signed = pdf_sign(pdf=tiny_pdf(), signer=leader, agency=None, reason="", location="", now=NOW)

    (status,) = _pyhanko_statuses(signed, demo_ca)
    assert status.bottom_line


def test_an_already_signed_file_can_be_signed_again(signed, leader, agency, demo_ca):
    again = pdf_sign(pdf=signed, signer=leader, agency=agency, reason="Ký lại", location="", now=NOW)

    statuses = _pyhanko_statuses(again, demo_ca)
    assert len(statuses) == 4
    assert all(s.bottom_line for s in statuses)


def test_a_signer_without_a_certificate_gets_a_clear_message(leader, agency, agency_certificate):
    with pytest.raises(SigningError, match="chưa có chứng thư số còn hiệu lực"):
        pdf_sign(pdf=tiny_pdf(), signer=leader, agency=agency, reason="", location="", now=NOW)
    assert not SignatureRecord.objects.exists()


def test_only_a_member_of_the_agency_signs_for_it(leader, leader_certificate, other_agency, demo_ca, now):
    from signing.demo import certificate_issue_to

    certificate_issue_to(authority=demo_ca, now=now, agency=other_agency)

    with pytest.raises(SigningError, match="không thuộc UBND xã Đồng Đăng"):
        pdf_sign(pdf=tiny_pdf(), signer=leader, agency=other_agency, reason="", location="", now=NOW)
    assert not SignatureRecord.objects.exists()


def test_a_file_that_is_not_a_pdf_is_refused(leader, leader_certificate):
    with pytest.raises(SigningError, match="Không đọc được tệp PDF"):
        pdf_sign(pdf=b"not a pdf", signer=leader, agency=None, reason="", location="", now=NOW)


def test_a_missing_key_file_is_reported(leader, leader_certificate, key_dir):
    for path in key_dir.iterdir():
        path.unlink()

    with pytest.raises(SigningError, match="Không tìm thấy khóa bí mật"):
        pdf_sign(pdf=tiny_pdf(), signer=leader, agency=None, reason="", location="", now=NOW)


def test_an_a5_slip_made_by_weasyprint_is_signed_and_verifies(
    leader, agency, leader_certificate, agency_certificate
):
    from weasyprint import HTML  # type: ignore[import-untyped]

    html = (
        "<style>@page { size: A5 portrait }</style>"
        "<p>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</p><h1>GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ</h1>"
    )
    slip = HTML(string=html).write_pdf()

    signed = pdf_sign(pdf=slip, signer=leader, agency=agency, reason="Ký phiếu", location="", now=NOW)

    result = pdf_verify(pdf=signed)
    assert result.outcome == VerificationOutcome.VALID
    assert len(result.signatures) == 2


def test_an_invisible_signature_puts_no_stamp_on_the_page(leader, leader_certificate):
    signed = pdf_sign(
        pdf=tiny_pdf(), signer=leader, agency=None, reason="", location="", visible=False, now=NOW
    )

    (embedded,) = PdfFileReader(io.BytesIO(signed)).embedded_signatures
    x1, y1, x2, y2 = (float(v) for v in embedded.sig_field.get("/Rect", [0, 0, 0, 0]))
    assert (x2 - x1) * (y2 - y1) == 0
    assert pdf_verify(pdf=signed).outcome == VerificationOutcome.VALID
