"""Writes on the data store: storing documents (results returned, papers digitised at a desk,
owners' uploads, documents from the national portal), reusing one in a new dossier, and reading
their text in the background.

A stored file is never changed. A result shares the dossier's stored file; a reuse gives the new
dossier a copy of the same bytes (its own path, the same SHA-256); text extraction reads a copy.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
from typing import Any

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from agencies.models import Agency
from catalog.models import ComponentRequirement, DocumentType
from catalog.search.text import fold
from congso import jobs
from datastore import conf
from datastore.models import (
    DocumentReuse,
    DocumentSource,
    ExtractedText,
    StoredDocument,
    TextSource,
    TextState,
)
from datastore.text import READABLE, ExtractionFailed, extract_text
from dossiers.errors import DossierInvalid
from dossiers.models import ComponentOrigin, Dossier, DossierFile, Status
from dossiers.permissions import actor_kinds
from dossiers.services.files import check_upload
from dossiers.services.intake import dossier_file_attach
from dossiers.transitions import ActorKind

TEXT_JOB = "datastore.tasks.text_extract"


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months (31/8 + 6 months = 28/2 or 29/2)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def _local_day(instant: dt.datetime) -> dt.date:
    return timezone.localtime(instant).date()


def is_valid_on(document: StoredDocument, day: dt.date) -> bool:
    """Issued by ``day`` and not expired on it."""
    issued = document.issued_on is None or document.issued_on <= day
    return issued and (document.valid_until is None or document.valid_until >= day)


# --- whose documents ---------------------------------------------------------------------------


def owned_by_applicant(dossier: Dossier) -> QuerySet[StoredDocument]:
    """The stored documents of the person or organisation that applies for ``dossier``: the
    person's own (by account or personal identification number) and, for an organisation's
    dossier, the organisation's (by tax code). Nobody else's, whatever the type."""
    person = Q()
    if dossier.applicant_id is not None:
        person |= Q(owner_id=dossier.applicant_id)
    if dossier.applicant_national_id:
        person |= Q(owner_national_id=dossier.applicant_national_id)
    rule = Q(owner_tax_code="") & person if person else Q(pk__in=[])
    if dossier.organization_tax_code:
        rule |= Q(owner_tax_code=dossier.organization_tax_code)
    return StoredDocument.objects.filter(rule)


def _owner_fields(dossier: Dossier) -> dict[str, Any] | None:
    """Who owns what ``dossier`` produced, or None when the dossier names nobody identifiable."""
    if (
        dossier.applicant_id is None
        and not dossier.applicant_national_id
        and not dossier.organization_tax_code
    ):
        return None
    return {
        "owner_id": dossier.applicant_id,
        "owner_national_id": dossier.applicant_national_id,
        "owner_tax_code": dossier.organization_tax_code,
        "owner_name": (dossier.organization_name or dossier.applicant_name)[:255],
    }


# --- text ------------------------------------------------------------------------------------


def _text_queue(**target: Any) -> ExtractedText:
    """A pending text row for one file, and the job that fills it (committed with the caller)."""
    row = ExtractedText.objects.create(**target)
    jobs.enqueue(TEXT_JOB, text_id=row.pk)
    return row


def _read_bytes(field: Any) -> bytes:
    with field.open("rb") as handle:
        data: bytes = handle.read()
    return data


def extracted_text_fill(*, text: ExtractedText, now: dt.datetime | None = None) -> ExtractedText:
    """Read the words of the file ``text`` belongs to: its PDF text layer, or OCR for a scan or a
    photo. The file is only read; its bytes must still match the SHA-256 recorded when it was
    stored, or nothing is read. A file that cannot be read is recorded as failed, with why."""
    if text.state != TextState.PENDING:
        return text
    owner: StoredDocument | DossierFile | None = text.stored_document or text.dossier_file
    assert owner is not None
    text.extracted_at = now or timezone.now()
    if owner.content_type not in READABLE:
        text.state = TextState.SKIPPED
        text.save(update_fields=["state", "extracted_at"])
        return text
    try:
        data = _read_bytes(owner.file)
    except FileNotFoundError:
        text.state, text.error = TextState.FAILED, _("Tệp không còn trên máy chủ lưu trữ.")
        text.save(update_fields=["state", "error", "extracted_at"])
        return text
    digest = hashlib.sha256(data).hexdigest()
    if digest != owner.sha256:
        text.state = TextState.FAILED
        text.error = _("Tệp lưu trữ không khớp mã SHA-256 đã ghi khi lưu; không trích xuất nội dung.")
        text.save(update_fields=["state", "error", "extracted_at"])
        return text
    try:
        found = extract_text(data, owner.content_type)
    except ExtractionFailed as failure:
        text.state, text.error = TextState.FAILED, failure.message[:500]
        text.save(update_fields=["state", "error", "extracted_at"])
        return text
    text.state = TextState.DONE
    text.source = found.source if found.text else TextSource.NONE
    text.text = found.text
    text.search_text = fold(found.text)
    text.pages = found.pages
    text.sha256 = digest
    text.error = ""
    text.save()
    return text


def dossier_scans_queue(*, limit: int | None = None) -> int:
    """Queue text extraction for the papers digitised at desks that have no text row yet (the
    periodic sweep: whichever way a scan was attached, it becomes searchable). Returns how many."""
    batch = limit if limit is not None else conf.scan_batch()
    files = list(
        DossierFile.objects.filter(
            origin=ComponentOrigin.DIGITISED,
            kind__in=[DossierFile.Kind.COMPONENT, DossierFile.Kind.SUPPLEMENT],
            content_type__in=sorted(READABLE),
            extracted_text__isnull=True,
        )
        .order_by("id")
        .values_list("pk", flat=True)[:batch]
    )
    queued = 0
    for file_id in files:
        try:
            with transaction.atomic():
                _text_queue(dossier_file_id=file_id)
        except IntegrityError:
            continue  # another sweep took it
        queued += 1
    return queued


# --- storing ---------------------------------------------------------------------------------


def dossier_results_store(*, dossier: Dossier, now: dt.datetime | None = None) -> list[StoredDocument]:
    """Store the results of ``dossier`` in its applicant's data store, each with the type and
    validity its procedure gives (from the day it was resolved), sharing the dossier's file.

    Called when the result is returned, in that transaction. Idempotent: a result already stored
    is not stored again. A dossier that names nobody (no account, no identification number, no
    tax code) stores nothing.
    """
    owner = _owner_fields(dossier)
    if owner is None:
        return []
    at = now or timezone.now()
    version = dossier.procedure_version
    issued = _local_day(dossier.resolved_at or at)
    months = version.result_validity_months
    stored = []
    results = dossier.files.filter(
        kind=DossierFile.Kind.RESULT, replaced_by__isnull=True, stored_document__isnull=True
    )
    for result in results.order_by("id"):
        document = StoredDocument(
            **owner,
            document_type_id=version.result_document_type_id,
            title=(version.result_document_type.name if version.result_document_type else version.result)[
                :500
            ],
            issuing_agency=dossier.competent_agency,
            issuing_agency_name=dossier.competent_agency.name[:255],
            issued_on=issued,
            valid_until=add_months(issued, months) if months else None,
            file=result.file.name,
            file_name=result.name,
            content_type=result.content_type,
            size=result.size,
            sha256=result.sha256,
            source=DocumentSource.RESULT,
            source_dossier=dossier,
            source_file=result,
            created_at=at,
        )
        with transaction.atomic():
            document.save()
            _text_queue(stored_document=document)
        stored.append(document)
    return stored


def stored_document_add(
    *,
    upload: File[Any],
    title: str,
    source: str,
    owner: User | None = None,
    owner_national_id: str = "",
    owner_tax_code: str = "",
    owner_name: str = "",
    document_type: DocumentType | None = None,
    number: str = "",
    issuing_agency: Agency | None = None,
    issuing_agency_name: str = "",
    issued_on: dt.date | None = None,
    valid_until: dt.date | None = None,
    actor: User | None = None,
    now: dt.datetime | None = None,
) -> StoredDocument:
    """Put a document in someone's store from a file (the owner's upload, a document received
    from the national portal): checked like a dossier upload (real type, size, name), stored as
    given, its text read in the background."""
    if source not in DocumentSource.values or source == DocumentSource.RESULT:
        raise DossierInvalid(_("Nguồn của giấy tờ không hợp lệ."))
    if owner is not None:
        owner_national_id = owner_national_id or (owner.national_id or "")
        owner_name = owner_name or owner.get_full_name()
    if owner is None and not owner_national_id and not owner_tax_code:
        raise DossierInvalid(_("Phải xác định chủ sở hữu giấy tờ (tài khoản, số định danh hoặc mã số thuế)."))
    title = title.strip()
    if not title:
        raise DossierInvalid(
            _("Phải nhập tên giấy tờ."), field_errors={"title": [_("Phải nhập tên giấy tờ.")]}
        )
    if issued_on and valid_until and valid_until < issued_on:
        message = _("Ngày hết hạn không được trước ngày cấp.")
        raise DossierInvalid(message, field_errors={"valid_until": [message]})
    checked = check_upload(upload)
    document = StoredDocument(
        owner=owner,
        owner_national_id=owner_national_id,
        owner_tax_code=owner_tax_code,
        owner_name=(owner_name or owner_tax_code or owner_national_id)[:255],
        document_type=document_type,
        title=title[:500],
        number=number.strip()[:100],
        issuing_agency=issuing_agency,
        issuing_agency_name=(issuing_agency_name or (issuing_agency.name if issuing_agency else ""))[:255],
        issued_on=issued_on,
        valid_until=valid_until,
        file_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        source=source,
        created_at=now or timezone.now(),
        created_by=actor,
    )
    upload.seek(0)
    document.file.save(checked.storage_name, upload, save=False)
    try:
        with transaction.atomic():
            document.save()
            _text_queue(stored_document=document)
    except Exception:
        document.file.storage.delete(document.file.name)
        raise
    return document


def stored_document_from_scan(
    *,
    dossier_file: DossierFile,
    actor: User,
    number: str = "",
    issued_on: dt.date | None = None,
    valid_until: dt.date | None = None,
    now: dt.datetime | None = None,
) -> StoredDocument:
    """Keep a paper digitised at the desk in the applicant's store (so that the next dossier
    reuses it), sharing the scanned file. Only a component with a document type, scanned at the
    desk, by a clerk of the receiving desk; once per file."""
    dossier = dossier_file.dossier
    requirement = dossier_file.requirement
    if ActorKind.DESK_CLERK not in actor_kinds(actor, dossier):
        raise DossierInvalid(_("Chỉ cán bộ một cửa tiếp nhận hồ sơ được lưu bản số hóa vào kho."))
    if (
        dossier_file.origin != ComponentOrigin.DIGITISED
        or requirement is None
        or requirement.document_type is None
    ):
        raise DossierInvalid(_("Chỉ lưu vào kho bản số hóa của thành phần hồ sơ có loại giấy tờ xác định."))
    owner = _owner_fields(dossier)
    if owner is None:
        raise DossierInvalid(
            _("Hồ sơ chưa có số định danh hoặc mã số thuế của người nộp; không lưu vào kho được.")
        )
    existing = StoredDocument.objects.filter(source_file=dossier_file).first()
    if existing is not None:
        return existing
    if issued_on and valid_until and valid_until < issued_on:
        message = _("Ngày hết hạn không được trước ngày cấp.")
        raise DossierInvalid(message, field_errors={"valid_until": [message]})
    if dossier.applicant_id is not None or dossier.applicant_national_id:
        # A paper the applicant brought is the person's, even in an organisation's dossier.
        owner = {**owner, "owner_tax_code": "", "owner_name": dossier.applicant_name[:255]}
    document = StoredDocument(
        **owner,
        document_type=requirement.document_type,
        title=requirement.document_type.name[:500],
        number=number.strip()[:100],
        issued_on=issued_on,
        valid_until=valid_until,
        file=dossier_file.file.name,
        file_name=dossier_file.name,
        content_type=dossier_file.content_type,
        size=dossier_file.size,
        sha256=dossier_file.sha256,
        source=DocumentSource.DIGITISED,
        source_dossier=dossier,
        source_file=dossier_file,
        created_at=now or timezone.now(),
        created_by=actor,
    )
    with transaction.atomic():
        document.save()
        _text_queue(stored_document=document)
    return document


# --- reuse -----------------------------------------------------------------------------------


def _current_file(dossier: Dossier, requirement: ComponentRequirement, kind: str) -> DossierFile | None:
    return (
        dossier.files.filter(kind=kind, requirement=requirement, replaced_by__isnull=True)
        .order_by("-id")
        .first()
    )


def stored_document_reuse(
    *,
    document: StoredDocument,
    dossier: Dossier,
    requirement: ComponentRequirement,
    actor: User,
    now: dt.datetime | None = None,
) -> DocumentReuse:
    """Use a stored document as component ``requirement`` of ``dossier`` instead of a new upload.

    The document must belong to the dossier's applicant, be of the type the component accepts,
    and be valid today. The dossier gets its own copy of the same bytes (origin "reused"), which
    replaces any file given for that component before; the reuse is recorded. Choosing the same
    document again for the same component changes nothing. Who may attach (the applicant to an
    online draft, the desk's clerk to a paper dossier) is the dossier engine's rule.
    """
    at = now or timezone.now()
    day = _local_day(at)
    if requirement.version_id != dossier.procedure_version_id:
        message = _("Giấy tờ này không thuộc thành phần hồ sơ của thủ tục.")
        raise DossierInvalid(message, field_errors={"requirement": [message]})
    if requirement.document_type_id is None or requirement.document_type_id != document.document_type_id:
        raise DossierInvalid(
            _("«%(document)s» không phải loại giấy tờ của thành phần «%(component)s».")
            % {"document": document.title, "component": requirement.name}
        )
    if not owned_by_applicant(dossier).filter(pk=document.pk).exists():
        raise DossierInvalid(_("Giấy tờ này không thuộc kho dữ liệu của người nộp hồ sơ."))
    if not is_valid_on(document, day):
        if document.issued_on is not None and document.issued_on > day:
            message = _("«%(title)s» cấp ngày %(day)s, chưa dùng được.") % {
                "title": document.title,
                "day": document.issued_on.strftime("%d/%m/%Y"),
            }
        else:
            assert document.valid_until is not None
            message = _("«%(title)s» đã hết hạn sử dụng từ ngày %(day)s; hãy nộp giấy tờ còn hạn.") % {
                "title": document.title,
                "day": document.valid_until.strftime("%d/%m/%Y"),
            }
        raise DossierInvalid(message, code="expired")
    kind = (
        DossierFile.Kind.SUPPLEMENT
        if dossier.status == Status.SUPPLEMENT_REQUESTED
        else DossierFile.Kind.COMPONENT
    )
    current = _current_file(dossier, requirement, kind)
    if current is not None:
        previous = DocumentReuse.objects.filter(dossier_file=current).first()
        if previous is not None and previous.document_id == document.pk:
            return previous
    try:
        data = _read_bytes(document.file)
    except FileNotFoundError:
        raise DossierInvalid(
            _("Tệp của giấy tờ không còn trên máy chủ lưu trữ; đề nghị liên hệ quản trị.")
        ) from None
    if hashlib.sha256(data).hexdigest() != document.sha256:
        raise DossierInvalid(
            _("Tệp của giấy tờ trong kho không khớp mã kiểm tra đã lưu; không dùng lại được.")
        )
    with transaction.atomic():
        copy = dossier_file_attach(
            dossier=dossier,
            actor=actor,
            upload=ContentFile(data, name=document.file_name),
            kind=kind,
            requirement=requirement,
            origin=ComponentOrigin.REUSED,
            replaces=current,
        )
        return DocumentReuse.objects.create(
            document=document, dossier_file=copy, reused_at=at, reused_by=actor
        )
