"""What a procedure version says, as plain values: what services write and imports compare.

A ``VersionContent`` is everything a publication decision fixes (the texts, the time
limit, the fees, the components, the internal workflow), without the bookkeeping (number,
status, dates). Two versions with equal content are the same procedure text, which is how
a re-import knows there is nothing to publish.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from agencies.models import Agency
from catalog.models import DocumentType, ProcedureVersion, Sector


@dataclass(frozen=True)
class FeeContent:
    kind: str
    name: str
    counter_amount: int
    online_amount: int | None = None
    exemptions: str = ""
    legal_basis: str = ""


@dataclass(frozen=True)
class ComponentContent:
    name: str
    originals: int = 1
    copies: int = 0
    is_mandatory: bool = True
    paper_only: bool = False
    template_name: str = ""
    note: str = ""
    template: str = ""  # the stored file of the form, if one was uploaded
    # Which stored document satisfies the component: reuse metadata, not the decision's text, so
    # it is carried along but left out of the comparison that decides whether a text changed.
    document_type: DocumentType | None = field(default=None, compare=False)


@dataclass(frozen=True)
class StepContent:
    name: str
    actor: str
    role: str
    budget_hours: Decimal
    agency: Agency | None = None
    # Runs beside the step before it (parallel liên thông): its hours are not added to the
    # process's, and the dossier moves on only when both are done.
    parallel: bool = False


@dataclass(frozen=True)
class VersionContent:
    name: str
    sector: Sector
    level: str
    competent_agency: Agency | None
    competent_authority: str
    service_level: str
    processing_time: Decimal
    result: str
    processing_time_unit: str = ProcedureVersion.TimeUnit.WORKING_DAYS
    processing_time_note: str = ""
    applicants: str = ""
    steps: str = ""
    submission_channels: str = ""
    conditions: str = ""
    legal_basis: str = ""
    fee_note: str = ""
    keywords: str = ""
    fees: tuple[FeeContent, ...] = ()
    components: tuple[ComponentContent, ...] = ()
    workflow: tuple[StepContent, ...] = ()
    # What the result is as a stored document (see ComponentContent.document_type).
    result_document_type: DocumentType | None = field(default=None, compare=False)
    result_validity_months: int | None = field(default=None, compare=False)

    @property
    def processing_hours(self) -> Decimal:
        if self.processing_time_unit == ProcedureVersion.TimeUnit.WORKING_HOURS:
            return Decimal(self.processing_time)
        return Decimal(self.processing_time) * 8


# The plain fields of ProcedureVersion that a VersionContent carries.
VERSION_FIELDS = (
    "name",
    "sector",
    "level",
    "competent_agency",
    "competent_authority",
    "service_level",
    "processing_time",
    "processing_time_unit",
    "processing_time_note",
    "applicants",
    "steps",
    "submission_channels",
    "conditions",
    "legal_basis",
    "result",
    "fee_note",
    "keywords",
    "result_document_type",
    "result_validity_months",
)


def content_of(version: ProcedureVersion) -> VersionContent:
    """The content of a stored version (reads its fees, components and workflow)."""
    return VersionContent(
        name=version.name,
        sector=version.sector,
        level=version.level,
        competent_agency=version.competent_agency,
        competent_authority=version.competent_authority,
        service_level=version.service_level,
        processing_time=Decimal(version.processing_time).normalize(),
        processing_time_unit=version.processing_time_unit,
        processing_time_note=version.processing_time_note,
        applicants=version.applicants,
        steps=version.steps,
        submission_channels=version.submission_channels,
        conditions=version.conditions,
        legal_basis=version.legal_basis,
        result=version.result,
        fee_note=version.fee_note,
        keywords=version.keywords,
        result_document_type=version.result_document_type,
        result_validity_months=version.result_validity_months,
        fees=tuple(
            FeeContent(
                kind=fee.kind,
                name=fee.name,
                counter_amount=int(fee.counter_amount),
                online_amount=None if fee.online_amount is None else int(fee.online_amount),
                exemptions=fee.exemptions,
                legal_basis=fee.legal_basis,
            )
            for fee in version.fees.order_by("id")
        ),
        components=tuple(
            ComponentContent(
                name=component.name,
                originals=component.originals,
                copies=component.copies,
                is_mandatory=component.is_mandatory,
                paper_only=component.paper_only,
                template_name=component.template_name,
                note=component.note,
                template=component.template.name or "",
                document_type=component.document_type,
            )
            for component in version.components.select_related("document_type").order_by("order", "id")
        ),
        workflow=tuple(
            StepContent(
                name=step.name,
                actor=step.actor,
                role=step.role,
                budget_hours=Decimal(step.budget_hours).normalize(),
                agency=step.agency,
                parallel=step.parallel,
            )
            for step in version.workflow.select_related("agency").order_by("order")
        ),
    )


def normalised(content: VersionContent) -> VersionContent:
    """The same content with numbers in canonical form, so equal texts compare equal."""
    return replace(
        content,
        processing_time=Decimal(content.processing_time).normalize(),
        workflow=tuple(
            replace(s, budget_hours=Decimal(s.budget_hours).normalize()) for s in content.workflow
        ),
    )


def _half_hours(value: Decimal) -> Decimal:
    """Rounded down to a half hour, at least half an hour."""
    return max(Decimal("0.5"), (value * 2).to_integral_value(rounding="ROUND_FLOOR") / 2)


def default_workflow(processing_hours: Decimal) -> tuple[StepContent, ...]:
    """The province's usual four-step process, sized to a time limit (a starting point to adjust).

    Reception and return take a tenth of the time each (at most 4 hours), approval 15% (at
    most 8 hours), appraisal the rest. Under 2 hours there is one step at the desk.
    """
    total = Decimal(processing_hours)
    if total < 2:
        return (
            StepContent(
                name="Tiếp nhận và giải quyết",
                actor="receiving_desk",
                role="clerk",
                budget_hours=total,
            ),
        )
    reception = min(Decimal(4), _half_hours(total / 10))
    approval = min(Decimal(8), _half_hours(total * Decimal("0.15")))
    appraisal = total - 2 * reception - approval
    return (
        StepContent(name="Tiếp nhận hồ sơ", actor="receiving_desk", role="clerk", budget_hours=reception),
        StepContent(
            name="Thẩm định hồ sơ", actor="competent_agency", role="specialist", budget_hours=appraisal
        ),
        StepContent(
            name="Phê duyệt kết quả", actor="competent_agency", role="agency_leader", budget_hours=approval
        ),
        StepContent(name="Trả kết quả", actor="receiving_desk", role="clerk", budget_hours=reception),
    )
