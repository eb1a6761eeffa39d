"""A leader signs a dossier's result: person and agency, a new file replacing the unsigned one,
a history row; a second click changes nothing; only the competent agency's leaders sign; the
setting that makes a signed result a condition of returning it."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from dossiers.errors import DossierInvalid
from dossiers.models import DossierEvent, DossierFile, Status
from dossiers.services import dossier_return_result
from dossiers.transitions import Action
from signing import pki
from signing.errors import AlreadySigned, SigningError, SigningNotPermitted
from signing.models import SignatureRecord, SigningCertificate, VerificationOutcome
from signing.results import dossier_result_sign, results_awaiting_signature, unsigned_results
from signing.services import pdf_verify
from signing.tests.dossier_world import content_of, resolved_with_pdf, result_of
from signing.tests.pdfs import tiny_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(citizen, clerk, specialist, leader, agency):
    return resolved_with_pdf(
        applicant=citizen, clerk=clerk, specialist=specialist, leader=leader, commune=agency
    )


@pytest.fixture
def certificates(leader_certificate, agency_certificate):
    return leader_certificate, agency_certificate


def test_the_leader_signs_the_result_as_person_and_agency_in_one_step(dossier, leader, agency, certificates):
    original = result_of(dossier)
    unsigned_bytes = content_of(original)

    done = dossier_result_sign(dossier_file=original, actor=leader)

    signed = result_of(dossier)
    assert signed == done.signed
    assert signed.replaces == original
    assert (signed.name, signed.kind, signed.content_type) == ("ket-qua.pdf", "result", "application/pdf")
    # The original is kept as it was, never overwritten.
    assert content_of(DossierFile.objects.get(pk=original.pk)) == unsigned_bytes
    assert hashlib.sha256(content_of(signed)).hexdigest() == signed.sha256
    result = pdf_verify(pdf=content_of(signed))
    assert result.outcome == VerificationOutcome.VALID
    assert [s.signer_name for s in result.signatures] == [leader.full_name, agency.name]
    assert done.report is not None
    assert done.report.outcome == VerificationOutcome.VALID


def test_the_signed_result_validates_with_pyhanko_alone_against_the_province_root(
    dossier, leader, certificates, demo_ca
):
    signed = dossier_result_sign(dossier_file=result_of(dossier), actor=leader).signed

    reader = PdfFileReader(io.BytesIO(content_of(signed)))
    context = ValidationContext(trust_roots=[pki.asn1(demo_ca.certificate)], allow_fetching=False)
    statuses = [
        validate_pdf_signature(s, signer_validation_context=context) for s in reader.embedded_signatures
    ]
    assert len(statuses) == 2
    assert all(status.bottom_line for status in statuses)


def test_the_signing_is_written_in_the_history_without_changing_the_status(dossier, leader, certificates):
    before = dossier.lock_version
    done = dossier_result_sign(dossier_file=result_of(dossier), actor=leader)

    event = DossierEvent.objects.filter(dossier=dossier).order_by("-sequence").first()
    assert event is not None
    assert event.action == Action.SIGN_RESULT
    assert (event.from_status, event.to_status) == (Status.RESOLVED, Status.RESOLVED)
    assert event.actor == leader
    assert list(event.files.all()) == [done.signed]
    assert event.data["file"] == done.original.pk
    dossier.refresh_from_db()
    assert dossier.status == Status.RESOLVED
    assert dossier.lock_version == before + 1
    record = SignatureRecord.objects.get()
    assert record.reference == f"dossier:{dossier.reference}:result:{done.original.pk}"
    assert record.sha256 == done.signed.sha256


def test_a_second_click_finds_it_signed_and_says_so(dossier, leader, certificates):
    original = result_of(dossier)
    dossier_result_sign(dossier_file=original, actor=leader)

    with pytest.raises(AlreadySigned, match=r"đã được Hà Văn Quang ký số lúc .*; không ký lại"):
        dossier_result_sign(dossier_file=original, actor=leader)
    with pytest.raises(AlreadySigned):
        dossier_result_sign(dossier_file=result_of(dossier), actor=leader)
    assert SignatureRecord.objects.count() == 1
    assert DossierEvent.objects.filter(dossier=dossier, action=Action.SIGN_RESULT).count() == 1
    assert DossierFile.objects.filter(dossier=dossier, kind="result").count() == 2


def test_a_specialist_may_not_sign_the_result_even_with_a_certificate(
    dossier, specialist, certificates, demo_ca, now
):
    from signing.demo import certificate_issue_to

    certificate_issue_to(authority=demo_ca, now=now, user=specialist)

    with pytest.raises(SigningNotPermitted, match="Chỉ lãnh đạo UBND phường Tam Thanh được ký số"):
        dossier_result_sign(dossier_file=result_of(dossier), actor=specialist)
    assert not SignatureRecord.objects.exists()
    assert not DossierEvent.objects.filter(action=Action.SIGN_RESULT).exists()


def test_a_leader_of_another_agency_may_not_sign(dossier, other_agency, certificates):
    from accounts.tests.factories import MembershipFactory, StaffFactory

    stranger = StaffFactory.create(username="lanhdao2", full_name="Lộc Văn Hải")
    MembershipFactory(user=stranger, agency=other_agency, role="agency_leader")

    with pytest.raises(SigningNotPermitted):
        dossier_result_sign(dossier_file=result_of(dossier), actor=stranger)


def test_a_leader_without_a_certificate_is_told_so(dossier, leader, agency_certificate):
    with pytest.raises(SigningError, match="Hà Văn Quang chưa có chứng thư số còn hiệu lực để ký"):
        dossier_result_sign(dossier_file=result_of(dossier), actor=leader)
    assert result_of(dossier).replaces is None
    assert not DossierEvent.objects.filter(action=Action.SIGN_RESULT).exists()


def test_an_expired_certificate_is_named_as_expired(dossier, leader, certificates, leader_certificate):
    lapsed = dt.datetime(2026, 1, 31, 17, 0, tzinfo=dt.UTC)
    SigningCertificate.objects.filter(pk=leader_certificate.pk).update(not_after=lapsed)

    with pytest.raises(SigningError, match=r"Chứng thư số của Hà Văn Quang đã hết hạn từ 01/02/2026"):
        dossier_result_sign(dossier_file=result_of(dossier), actor=leader)


def test_an_agency_without_a_certificate_is_told_so(dossier, leader, leader_certificate):
    with pytest.raises(SigningError, match="UBND phường Tam Thanh chưa có chứng thư số cơ quan còn hiệu lực"):
        dossier_result_sign(dossier_file=result_of(dossier), actor=leader)


def test_a_result_that_is_not_a_pdf_cannot_be_signed(
    citizen, clerk, specialist, leader, agency, certificates
):
    from dossiers.tests.factories import PNG_BYTES

    dossier = resolved_with_pdf(
        applicant=citizen,
        clerk=clerk,
        specialist=specialist,
        leader=leader,
        commune=agency,
        result=PNG_BYTES,
        name="ket-qua.png",
    )

    with pytest.raises(SigningError, match="không phải tệp PDF nên không ký số được"):
        dossier_result_sign(dossier_file=result_of(dossier), actor=leader)


def test_a_broken_pdf_is_refused_in_vietnamese(citizen, clerk, specialist, leader, agency, certificates):
    dossier = resolved_with_pdf(
        applicant=citizen,
        clerk=clerk,
        specialist=specialist,
        leader=leader,
        commune=agency,
        result=b"%PDF-1.4\nthis is not really a pdf",
    )

    with pytest.raises(SigningError, match="Không đọc được tệp PDF cần ký"):
        dossier_result_sign(dossier_file=result_of(dossier), actor=leader)
    assert DossierFile.objects.filter(dossier=dossier, kind="result").count() == 1


def test_a_returned_dossier_is_no_longer_signed(dossier, leader, clerk, certificates):
    dossier_return_result(dossier=dossier, actor=clerk)

    with pytest.raises(SigningError, match="Không thể ký số kết quả giải quyết khi hồ sơ đang ở trạng thái"):
        dossier_result_sign(dossier_file=result_of(dossier), actor=leader)


def test_returning_an_unsigned_result_is_refused_when_the_setting_asks_for_signatures(
    dossier, leader, clerk, certificates, settings
):
    settings.DOSSIERS_REQUIRE_SIGNED_RESULT = True

    with pytest.raises(DossierInvalid, match="Kết quả giải quyết chưa được ký số") as refused:
        dossier_return_result(dossier=dossier, actor=clerk)
    assert "«ket-qua.pdf»" in refused.value.message
    dossier.refresh_from_db()
    assert dossier.status == Status.RESOLVED

    dossier_result_sign(dossier_file=result_of(dossier), actor=leader)
    dossier.refresh_from_db()
    dossier_return_result(dossier=dossier, actor=clerk)
    assert dossier.status == Status.RETURNED


def test_by_default_an_unsigned_result_may_be_returned(dossier, clerk):
    assert unsigned_results(dossier) == [result_of(dossier)]

    dossier_return_result(dossier=dossier, actor=clerk)

    assert dossier.status == Status.RETURNED


def test_a_result_signed_elsewhere_with_a_trusted_certificate_counts_as_signed(
    citizen, clerk, specialist, leader, agency, certificates, settings
):
    from signing.services import pdf_sign

    already = pdf_sign(pdf=tiny_pdf(), signer=leader, agency=agency, reason="", location="")
    SignatureRecord.objects.all().delete()  # as if signed outside congso
    dossier = resolved_with_pdf(
        applicant=citizen, clerk=clerk, specialist=specialist, leader=leader, commune=agency, result=already
    )
    from signing.dossier_files import dossier_file_verify

    dossier_file_verify(dossier_file=result_of(dossier))

    assert unsigned_results(dossier) == []
    with pytest.raises(AlreadySigned):
        dossier_result_sign(dossier_file=result_of(dossier), actor=leader)


def test_the_waiting_list_holds_the_unsigned_results_of_the_agencies_one_leads(
    dossier, leader, specialist, clerk_other_agency, certificates
):
    assert list(results_awaiting_signature(leader)) == [result_of(dossier)]
    assert list(results_awaiting_signature(specialist)) == []
    assert list(results_awaiting_signature(clerk_other_agency)) == []

    dossier_result_sign(dossier_file=result_of(dossier), actor=leader)

    assert list(results_awaiting_signature(leader)) == []


def test_a_signed_result_still_answers_already_signed_once_returned(dossier, leader, clerk, certificates):
    original = result_of(dossier)
    dossier_result_sign(dossier_file=original, actor=leader)
    dossier.refresh_from_db()
    dossier_return_result(dossier=dossier, actor=clerk)

    with pytest.raises(AlreadySigned):
        dossier_result_sign(dossier_file=original, actor=leader)


def test_a_result_replaced_by_a_new_unsigned_one_is_not_called_signed(dossier, leader, certificates):
    original = result_of(dossier)
    newer = DossierFile.objects.create(
        dossier=dossier,
        kind="result",
        origin=original.origin,
        name="ket-qua-sua.pdf",
        content_type="application/pdf",
        size=original.size,
        sha256="1" * 64,
        file=original.file.name,
        replaces=original,
    )

    with pytest.raises(SigningError, match="đã được thay bằng tệp khác; hãy ký tệp kết quả mới") as refused:
        dossier_result_sign(dossier_file=original, actor=leader)
    assert not isinstance(refused.value, AlreadySigned)
    assert result_of(dossier) == newer
