"""Writes to the procedure catalogue: drafts, publication, imports, the search text.

A published version is never changed: a change of the law is a new draft, published with
the day it takes effect, which ends the previous version the same day. Every write here
refreshes the version's folded search text and changes the catalogue's revision token, so
that every process rebuilds its search index.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency
from catalog.content import VERSION_FIELDS, VersionContent, content_of, default_workflow, normalised
from catalog.importing.rows import BuiltRow, Lookups, ProcedureRow, RowError, build_row
from catalog.models import (
    CatalogueRevision,
    ComponentRequirement,
    DocumentType,
    Fee,
    Procedure,
    ProcedureVersion,
    Sector,
    WorkflowStep,
)
from catalog.rules import content_problems, flatten, publication_problems, sequential_budgets
from catalog.search.index import search_text_for
from catalog.selectors import procedure_version_next_number

if TYPE_CHECKING:
    from accounts.models import User


def catalogue_touch() -> None:
    """Mark the catalogue as changed: every process's search index is rebuilt on next use."""
    CatalogueRevision.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4()})


def sector_upsert(*, code: str, name: str, managing_agency: Agency | None = None) -> tuple[Sector, bool]:
    """Create or rename a sector; returns (sector, changed)."""
    sector = Sector(code=code, name=name, managing_agency=managing_agency)
    existing = Sector.objects.filter(code=code).first()
    if existing is not None:
        sector.pk = existing.pk
        if existing.name == name and existing.managing_agency_id == (
            managing_agency.pk if managing_agency else None
        ):
            return existing, False
    sector.full_clean(validate_unique=False)
    sector.save()
    catalogue_touch()
    return sector, True


@transaction.atomic
def document_type_upsert(*, code: str, name: str, description: str = "") -> tuple[DocumentType, bool]:
    """Create the document type ``code`` or bring its name and description up to date; says
    whether anything changed."""
    existing = DocumentType.objects.filter(code=code).first()
    document_type = existing or DocumentType(code=code)
    if existing is not None and (existing.name, existing.description) == (name, description):
        return existing, False
    document_type.name = name
    document_type.description = description
    document_type.full_clean(validate_unique=False)
    document_type.save()
    return document_type, True


@transaction.atomic
def procedure_version_reuse_set(
    *,
    version: ProcedureVersion,
    result_document_type: DocumentType | None,
    result_validity_months: int | None,
    component_types: Mapping[int, DocumentType | None],
) -> bool:
    """Say what a version's result is as a stored document (type, months of validity) and which
    stored document satisfies each component (``component_types`` by component order).

    This is how the data store is wired to the catalogue, not what the publication decision says,
    so it may be set on a published version too. Returns whether anything changed.
    """
    if result_validity_months is not None and result_validity_months < 1:
        raise ValidationError(
            {"result_validity_months": _("Thời hạn sử dụng của kết quả phải từ 1 tháng trở lên.")}
        )
    locked = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    changed = False
    if (locked.result_document_type_id, locked.result_validity_months) != (
        result_document_type.pk if result_document_type else None,
        result_validity_months,
    ):
        locked.result_document_type = result_document_type
        locked.result_validity_months = result_validity_months
        locked.save(update_fields=["result_document_type", "result_validity_months"])
        changed = True
    for component in locked.components.all():
        if component.order not in component_types:
            continue
        wanted = component_types[component.order]
        if component.document_type_id != (wanted.pk if wanted else None):
            component.document_type = wanted
            component.save(update_fields=["document_type"])
            changed = True
    version.result_document_type = locked.result_document_type
    version.result_validity_months = locked.result_validity_months
    return changed


def _write_content(version: ProcedureVersion, content: VersionContent) -> None:
    for name in VERSION_FIELDS:
        setattr(version, name, getattr(content, name))
    version.search_text = search_text_for(version)
    version.save()
    version.fees.all().delete()
    version.components.all().delete()
    version.workflow.all().delete()
    Fee.objects.bulk_create(
        Fee(
            version=version,
            kind=fee.kind,
            name=fee.name,
            counter_amount=fee.counter_amount,
            online_amount=fee.online_amount,
            exemptions=fee.exemptions,
            legal_basis=fee.legal_basis,
        )
        for fee in content.fees
    )
    ComponentRequirement.objects.bulk_create(
        ComponentRequirement(
            version=version,
            order=order,
            name=component.name,
            originals=component.originals,
            copies=component.copies,
            is_mandatory=component.is_mandatory,
            paper_only=component.paper_only,
            template_name=component.template_name,
            note=component.note,
            template=component.template,
            document_type=component.document_type,
        )
        for order, component in enumerate(content.components, start=1)
    )
    WorkflowStep.objects.bulk_create(
        WorkflowStep(
            version=version,
            order=order,
            name=step.name,
            actor=step.actor,
            agency=step.agency,
            role=step.role,
            budget_hours=step.budget_hours,
            parallel=step.parallel,
        )
        for order, step in enumerate(content.workflow, start=1)
    )


def _check(problems: dict[str, list[str]]) -> None:
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def procedure_version_create(
    *, code: str, content: VersionContent, decision: str = "", actor: User | None = None
) -> ProcedureVersion:
    """A new draft version of procedure ``code`` (the procedure is created on first use)."""
    _check(content_problems(content))
    procedure, _created = Procedure.objects.get_or_create(code=code)
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)  # serialise numbering
    number = procedure_version_next_number(procedure=procedure)
    version = ProcedureVersion(procedure=procedure, number=number, decision=decision)
    _write_content(version, content)
    catalogue_touch()
    return version


def _locked_draft(version: ProcedureVersion) -> ProcedureVersion:
    locked = ProcedureVersion.objects.select_for_update().select_related("procedure").get(pk=version.pk)
    if locked.status != ProcedureVersion.Status.DRAFT:
        raise ValidationError(
            _("Phiên bản %(number)s của thủ tục %(code)s đã công bố, không được sửa; hãy tạo phiên bản mới.")
            % {"number": locked.number, "code": locked.procedure.code}
        )
    return locked


@transaction.atomic
def procedure_version_update(
    *,
    version: ProcedureVersion,
    content: VersionContent,
    decision: str | None = None,
    actor: User | None = None,
) -> ProcedureVersion:
    """Replace the content of a draft. A published version cannot be changed."""
    locked = _locked_draft(version)
    _check(content_problems(content))
    if decision is not None:
        locked.decision = decision
    _write_content(locked, content)
    catalogue_touch()
    return locked


@transaction.atomic
def procedure_version_draft_from(*, version: ProcedureVersion, actor: User | None = None) -> ProcedureVersion:
    """A new draft that starts as a copy of ``version`` (to amend a published procedure)."""
    procedure = Procedure.objects.select_for_update().get(pk=version.procedure_id)
    draft = ProcedureVersion(procedure=procedure, number=procedure_version_next_number(procedure=procedure))
    _write_content(draft, content_of(version))
    catalogue_touch()
    return draft


@transaction.atomic
def procedure_version_publish(
    *, version: ProcedureVersion, effective_from: dt.date, actor: User | None = None
) -> ProcedureVersion:
    """Publish a draft from ``effective_from``; the version in force until then ends that day.

    Dossiers received under the previous version stay bound to it, with its time limit.
    """
    locked = _locked_draft(version)
    _check(publication_problems(content_of(locked), effective_from=effective_from))
    others = ProcedureVersion.objects.select_for_update().filter(
        procedure_id=locked.procedure_id,
        status__in=[ProcedureVersion.Status.PUBLISHED, ProcedureVersion.Status.RETIRED],
    )
    later = others.filter(effective_from__gte=effective_from).order_by("effective_from").first()
    if later is not None and later.effective_from is not None:
        raise ValidationError(
            {
                "effective_from": _(
                    "Phiên bản %(number)s đã áp dụng từ ngày %(day)s; "
                    "phiên bản mới phải áp dụng từ một ngày sau đó."
                )
                % {"number": later.number, "day": later.effective_from.strftime("%d/%m/%Y")}
            }
        )
    for previous in others.filter(status=ProcedureVersion.Status.PUBLISHED):
        if previous.effective_to is None or previous.effective_to > effective_from:
            previous.effective_to = effective_from
        previous.status = ProcedureVersion.Status.RETIRED
        previous.save(update_fields=["effective_to", "status"])
    locked.status = ProcedureVersion.Status.PUBLISHED
    locked.effective_from = effective_from
    locked.published_at = timezone.now()
    locked.published_by = actor
    locked.save(update_fields=["status", "effective_from", "published_at", "published_by"])
    catalogue_touch()
    return locked


@transaction.atomic
def procedure_version_refresh(*, version: ProcedureVersion) -> ProcedureVersion:
    """Recompute a draft's search text after the admin saved it field by field."""
    version.search_text = search_text_for(version)
    ProcedureVersion.objects.filter(pk=version.pk).update(search_text=version.search_text)
    catalogue_touch()
    return version


@transaction.atomic
def procedures_reindex() -> int:
    """Recompute every version's search text (after the thesaurus changed); returns how many changed."""
    changed = 0
    versions = ProcedureVersion.objects.select_related("procedure", "sector")
    for version in versions.iterator(chunk_size=500):
        text = search_text_for(version)
        if text != version.search_text:
            ProcedureVersion.objects.filter(pk=version.pk).update(search_text=text)
            changed += 1
    catalogue_touch()
    return changed


# -- import ----------------------------------------------------------------------------


@dataclass
class ImportReport:
    """What an import did (or, with ``dry_run``, would do)."""

    dry_run: bool = False
    sectors_changed: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    new_versions: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    document_types_changed: list[str] = field(default_factory=list)
    reuse_updated: list[str] = field(default_factory=list)  # unchanged texts, new document types


class ImportFailed(Exception):
    """The file has problems; nothing was written. ``errors`` lists every one of them."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(_("%(n)s lỗi; không có thay đổi nào được ghi.") % {"n": len(errors)})
        self.errors = errors


class _DryRunDone(Exception):
    def __init__(self, report: ImportReport) -> None:
        self.report = report


def _import_sectors(
    items: list[dict[str, Any]], report: ImportReport, errors: list[RowError], today: dt.date
) -> None:
    agencies = {a.name: a for a in Agency.objects.active_on(today)}
    for number, item in enumerate(items, start=1):
        code, name = str(item.get("code", "")).strip(), str(item.get("name", "")).strip()
        label = _("Lĩnh vực thứ %(n)s (mã %(code)s)") % {"n": number, "code": code or "?"}
        managing_name = str(item.get("managing_agency") or "").strip()
        managing = agencies.get(managing_name) if managing_name else None
        if managing_name and managing is None:
            errors.append(
                RowError(row=label, message=_("Không tìm thấy cơ quan “%(name)s”.") % {"name": managing_name})
            )
            continue
        if not name:
            errors.append(RowError(row=label, message=_("Thiếu tên lĩnh vực.")))
            continue
        try:
            _sector, changed = sector_upsert(code=code, name=name, managing_agency=managing)
        except ValidationError as error:
            errors.extend(RowError(row=label, message=str(m)) for m in error.messages)
            continue
        if changed:
            report.sectors_changed.append(code)


def _import_document_types(items: list[dict[str, Any]], report: ImportReport, errors: list[RowError]) -> None:
    for number, item in enumerate(items, start=1):
        code, name = str(item.get("code", "")).strip(), str(item.get("name", "")).strip()
        label = _("Loại giấy tờ thứ %(n)s (mã %(code)s)") % {"n": number, "code": code or "?"}
        if not code or not name:
            errors.append(RowError(row=label, message=_("Thiếu mã hoặc tên loại giấy tờ.")))
            continue
        try:
            _type, changed = document_type_upsert(
                code=code, name=name, description=str(item.get("description") or "").strip()
            )
        except ValidationError as error:
            errors.extend(RowError(row=label, message=str(m)) for m in error.messages)
            continue
        if changed:
            report.document_types_changed.append(code)


def _reuse_update(built: BuiltRow, report: ImportReport) -> None:
    """An unchanged text may still bring new document types: set them on the version in force."""
    assert built.content is not None
    current = _current_version(built.code)
    if current is None or not built.names_document_types:
        return
    content = built.content
    changed = procedure_version_reuse_set(
        version=current,
        result_document_type=content.result_document_type,
        result_validity_months=content.result_validity_months,
        component_types={
            order: component.document_type for order, component in enumerate(content.components, start=1)
        },
    )
    if changed:
        report.reuse_updated.append(built.code)


def _current_version(code: str) -> ProcedureVersion | None:
    return (
        ProcedureVersion.objects.filter(procedure__code=code)
        .exclude(status=ProcedureVersion.Status.DRAFT)
        .select_related("procedure", "sector", "competent_agency")
        .order_by("-number")
        .first()
    )


def procedure_import(
    *,
    sectors: list[dict[str, Any]],
    rows: list[ProcedureRow],
    document_types: list[dict[str, Any]] | None = None,
    default_effective_from: dt.date | None = None,
    actor: User | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Import a catalogue file, all or nothing, and publish what changed.

    A procedure whose content equals its latest published version is left alone; changed
    content becomes a new version published from the row's ``effective_from`` (or
    ``default_effective_from``, or today), which must come after the current version's.
    Rows without a workflow (the national spreadsheet has none) take the current version's
    workflow when its hours still fit, otherwise the province's default four steps.
    Document types (``document_types``, by code) are created or renamed first; which document
    type a component accepts and a result is, being reuse data rather than the decision's text,
    is brought up to date on an unchanged version without a new one.
    Raises ``ImportFailed`` with every problem of every row; then nothing is written.
    """
    today = timezone.localdate()
    fallback_day = default_effective_from or today
    report = ImportReport(dry_run=dry_run)
    try:
        with transaction.atomic():
            errors: list[RowError] = []
            _import_sectors(sectors, report, errors, today)
            _import_document_types(document_types or [], report, errors)
            lookups = Lookups(today=today)
            seen: dict[str, str] = {}
            plans: list[tuple[BuiltRow, VersionContent, dt.date, bool]] = []
            for row in rows:
                built = build_row(row, lookups)
                if built.code in seen:
                    built.errors.append(
                        _("Mã thủ tục %(code)s đã có ở %(other)s.")
                        % {"code": built.code, "other": seen[built.code]}
                    )
                seen.setdefault(built.code, built.label)
                plan = None if built.errors else _plan(built, fallback_day)
                if plan is None and not built.errors:
                    report.unchanged.append(built.code)
                    _reuse_update(built, report)
                errors.extend(RowError(row=built.label, message=m) for m in built.errors)
                if plan is not None:
                    plans.append(plan)
            if errors:
                raise ImportFailed(errors)
            for built, content, day, is_new in plans:
                version = procedure_version_create(
                    code=built.code, content=content, decision=built.decision, actor=actor
                )
                procedure_version_publish(version=version, effective_from=day, actor=actor)
                (report.created if is_new else report.new_versions).append(built.code)
            if dry_run:
                raise _DryRunDone(report)
    except _DryRunDone as done:
        return done.report
    return report


def _keep_document_types(content: VersionContent, current: VersionContent) -> VersionContent:
    """A row that says nothing about document types keeps those of the version in force (the
    result's, and each component's with the same name)."""
    by_name = {c.name: c.document_type for c in current.components}
    return replace(
        content,
        result_document_type=current.result_document_type,
        result_validity_months=current.result_validity_months,
        components=tuple(replace(c, document_type=by_name.get(c.name)) for c in content.components),
    )


def _plan(built: BuiltRow, fallback_day: dt.date) -> tuple[BuiltRow, VersionContent, dt.date, bool] | None:
    """What to write for a sound row (None when its content is already published)."""
    assert built.content is not None
    content = built.content
    current = _current_version(built.code)
    current_content = content_of(current) if current is not None else None
    if built.needs_workflow:
        reuse = (
            current_content is not None
            and sum(sequential_budgets(current_content.workflow), Decimal(0)) == content.processing_hours
        )
        workflow = (
            current_content.workflow
            if reuse and current_content
            else default_workflow(content.processing_hours)
        )
        content = replace(content, workflow=workflow)
    if current_content is not None and not built.names_document_types:
        content = _keep_document_types(content, current_content)
    if current_content is not None and normalised(current_content) == normalised(content):
        return None
    day = built.effective_from or fallback_day
    if current is not None and current.effective_from is not None and day <= current.effective_from:
        built.errors.append(
            _(
                "Nội dung thủ tục đã thay đổi so với phiên bản %(number)s (áp dụng từ %(day)s): "
                "cần ngày áp dụng mới sau ngày đó."
            )
            % {"number": current.number, "day": current.effective_from.strftime("%d/%m/%Y")}
        )
        return None
    built.errors.extend(flatten(publication_problems(content, effective_from=day)))
    if built.errors:
        return None
    return built, content, day, current is None
