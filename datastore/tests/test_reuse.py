"""A result issued to a citizen is stored in their data store, offered in their next dossier, reused
instead of a new upload — and the digitisation counters say so. Nobody else is offered it, and an
expired document is listed but not offered."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.db.models import Q

from datastore.digitisation import digitisation_counters, digitisation_flags
from datastore.models import DocumentReuse, DocumentSource, StoredDocument
from datastore.selectors import reuse_offers
from datastore.services import dossier_results_store, stored_document_reuse
from datastore.tests.conftest import returned
from datastore.tests.factories import document_type, stored_document
from dossiers.errors import DossierInvalid, TransitionNotAllowed
from dossiers.models import ComponentOrigin, Dossier, DossierFile
from dossiers.services import ApplicantData, dossier_receive, dossier_submit
from dossiers.tests.factories import MONDAY_MORNING, counter_dossier, online_draft, pdf_upload

pytestmark = pytest.mark.django_db

RESULT_PDF = b"%PDF-1.4\n% Giay chung nhan ket hon so 01/2025\n1 0 obj<</Type/Catalog>>endobj\n%%EOF\n"


def sha256(field) -> str:
    with field.open("rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def flags(dossier: Dossier) -> dict[str, bool]:
    row = Dossier.objects.filter(pk=dossier.pk).annotate(**digitisation_flags()).get()
    return {name: getattr(row, name) for name in digitisation_flags()}


@pytest.fixture
def certificate(citizen, clerk, specialist, leader, agency, marriage):
    """The citizen's marriage, registered and returned: its result is now in their store."""
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


def test_the_returned_result_is_stored_in_the_applicants_store_with_its_validity(
    citizen, clerk, specialist, leader, agency, marriage, marriage_certificate
):
    marriage.result_validity_months = 6
    marriage.save()
    dossier = returned(
        applicant=citizen,
        clerk=clerk,
        specialist=specialist,
        leader=leader,
        commune=agency,
        version=marriage,
        result=RESULT_PDF,
    )

    [document] = StoredDocument.objects.filter(owner=citizen)
    result = DossierFile.objects.get(dossier=dossier, kind=DossierFile.Kind.RESULT)
    assert (document.source, document.source_dossier, document.source_file) == (
        DocumentSource.RESULT,
        dossier,
        result,
    )
    assert document.document_type == marriage_certificate
    assert document.title == "Giấy chứng nhận kết hôn"
    assert (document.owner_national_id, document.owner_name) == ("020190001234", "Hoàng Thị Lan")
    assert document.issuing_agency == agency
    assert document.issued_on == dt.date(2025, 9, 8)  # the day it was resolved
    assert document.valid_until == dt.date(2026, 3, 8)  # six months on
    # The store shares the result's file: the same path, the same bytes, the SHA-256 kept.
    assert document.file.name == result.file.name
    assert document.sha256 == result.sha256 == hashlib.sha256(RESULT_PDF).hexdigest() == sha256(document.file)
    assert document.extracted_text.state == "pending"  # read in the background

    # Idempotent: storing the same dossier's results again adds nothing.
    assert dossier_results_store(dossier=dossier) == []
    assert StoredDocument.objects.count() == 1


def test_a_dossier_naming_nobody_stores_nothing(clerk, agency, marriage):
    dossier = counter_dossier(
        clerk=clerk, commune=agency, version=marriage, applicant=ApplicantData(name="Ẩn danh")
    )
    assert dossier_results_store(dossier=dossier) == []


def test_reuse_scenario_result_offered_reused_and_counted(citizen, clerk, agency, birth, certificate):
    # The citizen's next dossier: a birth registration, which asks for the parents' marriage certificate.
    draft = online_draft(applicant=citizen, commune=agency, version=birth, attach=False)
    first, second = birth.components.order_by("order")

    offers = reuse_offers(draft)
    assert list(offers) == [second.pk]
    [offer] = offers[second.pk].offers
    assert (offer.document, offer.valid, offer.in_use) == (certificate, True, False)

    dossier_file_count = DossierFile.objects.count()
    reuse = stored_document_reuse(document=certificate, dossier=draft, requirement=second, actor=citizen)

    copy = reuse.dossier_file
    assert (copy.dossier, copy.requirement, copy.kind, copy.origin) == (
        draft,
        second,
        DossierFile.Kind.COMPONENT,
        ComponentOrigin.REUSED,
    )
    # The same bytes under a path of its own; the stored original is untouched.
    assert copy.sha256 == certificate.sha256 == sha256(copy.file) == sha256(certificate.file)
    assert copy.file.name != certificate.file.name
    assert (reuse.document, reuse.reused_by) == (certificate, citizen)
    assert reuse_offers(draft)[second.pk].offers[0].in_use
    # Choosing it again changes nothing.
    assert (
        stored_document_reuse(document=certificate, dossier=draft, requirement=second, actor=citizen) == reuse
    )
    assert DossierFile.objects.count() == dossier_file_count + 1

    # The rest is uploaded; submitted and received, the dossier counts as reusing.
    attach_components_except(draft, citizen, skip=second)
    dossier_submit(dossier=draft, actor=citizen, now=MONDAY_MORNING + dt.timedelta(days=1))
    before = digitisation_counters(
        dossiers=Dossier.objects.all(), start=dt.date(2025, 9, 9), end=dt.date(2025, 9, 9)
    ).total
    dossier_receive(dossier=draft, actor=clerk, now=MONDAY_MORNING + dt.timedelta(days=1, hours=1))
    after = digitisation_counters(
        dossiers=Dossier.objects.all(), start=dt.date(2025, 9, 9), end=dt.date(2025, 9, 9)
    ).total
    assert after["coTaiSuDungTPHS"] == before["coTaiSuDungTPHS"] + 1 == 1
    assert after["tiepNhan"] == after["coSoHoaTPHS"] == 1
    assert after["coTaiSuDungTPHSTuDvcQg"] == 0  # the certificate came from a dossier, not from DVCQG
    assert flags(draft) == {
        "components_digitised": True,
        "components_reused": True,
        "reused_from_dvcqg": False,
        "result_digitised": False,
    }
    assert first.pk != second.pk


def attach_components_except(dossier: Dossier, actor, *, skip) -> None:
    from dossiers.services import dossier_file_attach

    for requirement in dossier.procedure_version.components.exclude(pk=skip.pk).order_by("order"):
        dossier_file_attach(
            dossier=dossier,
            actor=actor,
            upload=pdf_upload(f"tp-{requirement.order}.pdf"),
            requirement=requirement,
        )


def test_a_reused_upload_replaces_what_was_uploaded_for_that_component(citizen, agency, birth, certificate):
    draft = online_draft(applicant=citizen, commune=agency, version=birth)  # both components uploaded
    second = birth.components.get(order=2)
    uploaded = DossierFile.objects.get(dossier=draft, requirement=second)

    reuse = stored_document_reuse(document=certificate, dossier=draft, requirement=second, actor=citizen)

    assert reuse.dossier_file.replaces == uploaded
    assert list(draft.files.filter(requirement=second, replaced_by__isnull=True)) == [reuse.dossier_file]


def test_another_citizen_is_never_offered_it_and_cannot_take_it(other_citizen, agency, birth, certificate):
    draft = online_draft(applicant=other_citizen, commune=agency, version=birth, attach=False)
    second = birth.components.get(order=2)

    assert reuse_offers(draft) == {}
    with pytest.raises(DossierInvalid, match="không thuộc kho dữ liệu của người nộp"):
        stored_document_reuse(document=certificate, dossier=draft, requirement=second, actor=other_citizen)
    assert not DocumentReuse.objects.exists()


def test_an_expired_document_is_listed_but_not_offered_and_cannot_be_reused(citizen, agency, birth):
    kind = birth.components.get(order=2).document_type
    expired = stored_document(
        owner=citizen, kind=kind, issued_on=dt.date(2020, 1, 1), valid_until=dt.date(2020, 7, 1)
    )
    draft = online_draft(applicant=citizen, commune=agency, version=birth, attach=False)
    second = birth.components.get(order=2)

    [offer] = reuse_offers(draft, day=dt.date(2025, 9, 8))[second.pk].offers
    assert (offer.document, offer.valid) == (expired, False)
    assert reuse_offers(draft, day=dt.date(2025, 9, 8))[second.pk].usable == []
    with pytest.raises(DossierInvalid, match=r"đã hết hạn sử dụng từ ngày 01/07/2020"):
        stored_document_reuse(document=expired, dossier=draft, requirement=second, actor=citizen)


def test_a_document_of_another_type_does_not_satisfy_the_component(citizen, agency, birth):
    identity = stored_document(
        owner=citizen, kind=document_type("CCCD", "Thẻ căn cước"), title="Thẻ căn cước"
    )
    draft = online_draft(applicant=citizen, commune=agency, version=birth, attach=False)

    with pytest.raises(DossierInvalid, match="không phải loại giấy tờ của thành phần"):
        stored_document_reuse(
            document=identity, dossier=draft, requirement=birth.components.get(order=2), actor=citizen
        )


def test_only_who_may_attach_reuses(citizen, clerk, agency, birth, certificate):
    draft = online_draft(applicant=citizen, commune=agency, version=birth, attach=False)
    with pytest.raises(TransitionNotAllowed):
        stored_document_reuse(
            document=certificate, dossier=draft, requirement=birth.components.get(order=2), actor=clerk
        )


def test_the_desk_reuses_by_the_applicants_identification_number(citizen, clerk, agency, birth, certificate):
    # A paper dossier typed in at the desk for the same person (found by the number typed in).
    dossier = counter_dossier(
        clerk=clerk,
        commune=agency,
        version=birth,
        applicant=ApplicantData(name="Hoàng Thị Lan", national_id="020190001234"),
        attach=False,
    )
    second = birth.components.get(order=2)

    assert [o.document for o in reuse_offers(dossier)[second.pk].offers] == [certificate]
    reuse = stored_document_reuse(document=certificate, dossier=dossier, requirement=second, actor=clerk)
    assert (reuse.dossier_file.origin, reuse.reused_by) == (ComponentOrigin.REUSED, clerk)


def test_an_organisations_documents_go_to_its_dossiers_only(citizen, agency, birth):
    kind = birth.components.get(order=2).document_type
    company = stored_document(tax_code="4900876543", kind=kind, title="Giấy chứng nhận của công ty")
    personal = online_draft(applicant=citizen, commune=agency, version=birth, attach=False)
    assert reuse_offers(personal) == {}

    for_company = online_draft(applicant=citizen, commune=agency, version=birth, attach=False)
    Dossier.objects.filter(pk=for_company.pk).update(
        organization_name="Công ty TNHH Chuyển phát Xứ Lạng", organization_tax_code="4900876543"
    )
    for_company.refresh_from_db()
    assert [o.document for o in reuse_offers(for_company)[birth.components.get(order=2).pk].offers] == [
        company
    ]


def test_documents_from_the_national_portal_count_apart(citizen, clerk, agency, birth):
    kind = birth.components.get(order=2).document_type
    from_dvcqg = stored_document(owner=citizen, kind=kind, source=DocumentSource.DVCQG)
    draft = online_draft(applicant=citizen, commune=agency, version=birth, attach=False)
    stored_document_reuse(
        document=from_dvcqg, dossier=draft, requirement=birth.components.get(order=2), actor=citizen
    )
    attach_components_except(draft, citizen, skip=birth.components.get(order=2))
    dossier_submit(dossier=draft, actor=citizen, now=MONDAY_MORNING)
    dossier_receive(dossier=draft, actor=clerk, now=MONDAY_MORNING)

    assert flags(draft)["reused_from_dvcqg"] is True
    counters = digitisation_counters(
        dossiers=Dossier.objects.all(), start=dt.date(2025, 9, 8), end=dt.date(2025, 9, 8)
    ).total
    assert (counters["coTaiSuDungTPHS"], counters["coTaiSuDungTPHSTuDvcQg"]) == (1, 1)
    assert Dossier.objects.annotate(**digitisation_flags()).filter(Q(reused_from_dvcqg=True)).count() == 1
