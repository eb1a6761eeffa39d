"""Writes from a notice to assigned tasks: record the directive, propose its tasks, review the
proposals, assign. Nothing is assigned that a person has not reviewed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import staff_agency_ids
from agencies.models import Agency
from directives.extraction import Extraction, extract
from directives.extraction.deadlines import first_occurrence
from directives.extraction.documents import DocumentUnreadable, read_document
from directives.models import DeadlineKind, Directive, Priority, Recurrence, Task, TaskCoordination, TaskDraft
from directives.transitions import task_record_assignment
from workcalendar.clock import next_working_day


@dataclass
class DirectiveInput:
    """What a person gives when recording a directive; blanks are read from the document."""

    owner_agency: Agency
    issuer: Agency
    kind: str = ""
    number: str = ""
    issued_on: dt.date | None = None
    signer_name: str = ""
    signer_title: str = ""
    subject: str = ""
    text: str = ""
    assigner: User | None = None
    assigner_name: str = ""


@transaction.atomic
def directive_create(*, actor: User, data: DirectiveInput, document: UploadedFile | None = None) -> Directive:
    """Record a directive from an uploaded document (DOCX, PDF with a text layer, text) or pasted
    text, and propose the tasks it gives (:class:`TaskDraft`, to be reviewed)."""
    if data.owner_agency.pk not in staff_agency_ids(actor):
        raise ValidationError({"owner_agency": _("Bạn chỉ nhập văn bản cho cơ quan mình công tác.")})
    text = data.text.strip()
    raw = b""
    if document is not None:
        raw = document.read()
        try:
            read = read_document(name=document.name or "", data=raw)
        except DocumentUnreadable as error:
            raise ValidationError({"document": error.message}) from error
        text = text or read.text.strip()
    if not text:
        raise ValidationError({"text": _("Hãy tải lên tệp văn bản hoặc dán nội dung văn bản.")})
    extraction = extract(text, on=data.issued_on)
    facts = extraction.facts
    issued_on = data.issued_on or facts.issued_on
    if issued_on is None:
        raise ValidationError({"issued_on": _("Văn bản không ghi ngày: hãy nhập ngày văn bản.")})
    subject = (data.subject or facts.subject).strip()
    if not subject:
        raise ValidationError({"subject": _("Hãy nhập trích yếu của văn bản.")})
    directive = Directive(
        kind=data.kind or facts.kind or Directive.Kind.CONCLUSION,
        number=data.number or facts.number,
        issued_on=issued_on,
        issuer=data.issuer,
        signer_name=data.signer_name or facts.signer_name,
        signer_title=data.signer_title or facts.signer_title,
        subject=subject[:500],
        text=text,
        owner_agency=data.owner_agency,
        assigner=data.assigner,
        assigner_name=data.assigner_name
        or facts.assigner_name
        or (data.assigner.get_full_name() if data.assigner else ""),
        created_by=actor,
    )
    if document is not None:
        name = get_valid_filename(document.name or "van-ban")[:200]
        directive.document_name = document.name or name
        directive.document.save(name, ContentFile(raw), save=False)
    directive.full_clean()
    directive.save()
    _store_proposals(directive, extraction)
    return directive


def _store_proposals(directive: Directive, extraction: Extraction) -> list[TaskDraft]:
    drafts = []
    for order, proposed in enumerate(extraction.tasks, start=1):
        deadline = proposed.deadline
        draft = TaskDraft.objects.create(
            directive=directive,
            order=order,
            number=proposed.number[:20],
            content=proposed.content,
            named_agencies=", ".join([proposed.named_lead, *proposed.named_coordinating]).strip(", ")[:500],
            agency_note=proposed.agency_note,
            deadline_kind=deadline.kind,
            due_on=deadline.due_on,
            recurrence=deadline.recurrence,
            recurrence_day=deadline.recurrence_day,
            working_days=deadline.working_days,
            deadline_text=deadline.text[:200],
            priority=proposed.priority,
            source_paragraph=proposed.source_paragraph,
        )
        draft.lead_agencies.set(proposed.leads)
        draft.candidate_agencies.set(proposed.candidates)
        draft.coordinating_agencies.set(proposed.coordinating)
        drafts.append(draft)
    return drafts


@dataclass
class DraftReview:
    """A reviewer's decision on one proposal: keep (with edits), merge into the one before, drop."""

    draft: TaskDraft
    keep: bool = True
    merge_into_previous: bool = False
    number: str = ""
    content: str = ""
    lead_agencies: Sequence[Agency] = field(default_factory=list)
    coordinating_agencies: Sequence[Agency] = field(default_factory=list)
    deadline_kind: str = DeadlineKind.REGULAR
    due_on: dt.date | None = None
    recurrence: str = ""
    recurrence_day: int | None = None
    working_days: int | None = None
    priority: str = Priority.NORMAL


def _check_deadline(review: DraftReview, reference: dt.date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if review.deadline_kind == DeadlineKind.DATE and review.due_on is None and not review.working_days:
        errors["due_on"] = _("Nhiệm vụ có thời hạn cần ngày hoàn thành hoặc số ngày làm việc.")
    if review.deadline_kind == DeadlineKind.RECURRING:
        if review.recurrence not in Recurrence.values:
            errors["recurrence"] = _("Nhiệm vụ định kỳ cần chu kỳ (hằng tháng, hằng quý …).")
        elif review.due_on is None:
            review.due_on = first_occurrence(review.recurrence, after=reference, day=review.recurrence_day)
    if review.deadline_kind == DeadlineKind.REGULAR:
        review.due_on, review.recurrence, review.working_days = None, "", None
    if review.recurrence_day is not None and not 1 <= review.recurrence_day <= 31:
        errors["recurrence_day"] = _("Ngày trong tháng phải từ 1 đến 31.")
    return errors


@transaction.atomic
def directive_review(*, directive: Directive, actor: User, reviews: Sequence[DraftReview]) -> list[TaskDraft]:
    """Record a reviewer's decisions on the proposals of ``directive``; all or nothing.

    Raises ``ValidationError`` whose messages name the task ("Nhiệm vụ 2.3.3: …").
    """
    now = timezone.now()
    errors: list[str] = []
    kept: list[TaskDraft] = []
    reference = timezone.localdate()
    for review in reviews:
        draft = review.draft
        if draft.directive_id != directive.pk or draft.state in {TaskDraft.State.ASSIGNED}:
            raise ValidationError(_("Dự thảo nhiệm vụ không thuộc văn bản này hoặc đã được giao."))
        label = review.number or draft.number or str(draft.order)
        if not review.keep:
            draft.state = TaskDraft.State.DROPPED
        elif review.merge_into_previous:
            if not kept:
                errors.append(_("Nhiệm vụ %(n)s: không có nhiệm vụ nào ở trên để gộp vào.") % {"n": label})
                continue
            target = kept[-1]
            target.content = f"{target.content}\n{(review.content or draft.content).strip()}"
            target.source_paragraph = f"{target.source_paragraph}\n{draft.source_paragraph}".strip()
            target.save(update_fields=["content", "source_paragraph"])
            draft.state, draft.merged_into = TaskDraft.State.MERGED, target
        else:
            content = (review.content or "").strip()
            if not content:
                errors.append(_("Nhiệm vụ %(n)s: nội dung không được để trống.") % {"n": label})
            if not review.lead_agencies:
                errors.append(_("Nhiệm vụ %(n)s: hãy chọn đơn vị chủ trì.") % {"n": label})
            errors.extend(
                _("Nhiệm vụ %(n)s: %(msg)s") % {"n": label, "msg": msg}
                for msg in _check_deadline(review, reference).values()
            )
            if review.priority not in Priority.values:
                errors.append(_("Nhiệm vụ %(n)s: mức độ không hợp lệ.") % {"n": label})
            draft.number = (review.number or draft.number)[:20]
            draft.content = content
            draft.deadline_kind = review.deadline_kind
            draft.due_on, draft.recurrence = review.due_on, review.recurrence
            draft.recurrence_day, draft.working_days = review.recurrence_day, review.working_days
            draft.priority = review.priority
            draft.state = TaskDraft.State.REVIEWED
            draft.merged_into = None
            kept.append(draft)
            draft.save()
            draft.lead_agencies.set(review.lead_agencies)
            lead_ids = {agency.pk for agency in review.lead_agencies}
            draft.coordinating_agencies.set([a for a in review.coordinating_agencies if a.pk not in lead_ids])
        draft.reviewed_by, draft.reviewed_at = actor, now
        draft.save()
    if errors:
        raise ValidationError(errors)
    return kept


@transaction.atomic
def directive_assign(*, directive: Directive, actor: User, assigned_on: dt.date | None = None) -> list[Task]:
    """Assign every reviewed proposal of ``directive``: one task per lead agency it names.

    Refused while a proposal is still unreviewed: nothing is assigned without review.
    """
    drafts = list(directive.drafts.select_for_update().order_by("order"))
    pending = [d for d in drafts if d.state == TaskDraft.State.PROPOSED]
    if pending:
        raise ValidationError(
            _("Còn %(count)d nhiệm vụ đề xuất chưa được rà soát (%(which)s): hãy rà soát trước khi giao.")
            % {"count": len(pending), "which": ", ".join(d.number or str(d.order) for d in pending[:5])}
        )
    reviewed = [d for d in drafts if d.state == TaskDraft.State.REVIEWED]
    if not reviewed:
        raise ValidationError(_("Không có nhiệm vụ nào đã rà soát để giao."))
    day = assigned_on or timezone.localdate()
    tasks: list[Task] = []
    for draft in reviewed:
        leads = list(draft.lead_agencies.order_by("name"))
        if not leads:
            raise ValidationError(
                _("Nhiệm vụ %(n)s chưa có đơn vị chủ trì.") % {"n": draft.number or draft.order}
            )
        coordinating = list(draft.coordinating_agencies.all())
        for lead in leads:
            tasks.append(_task_from_draft(draft, lead=lead, coordinating=coordinating, day=day, actor=actor))
        draft.state = TaskDraft.State.ASSIGNED
        draft.save(update_fields=["state"])
    return tasks


def _task_from_draft(
    draft: TaskDraft, *, lead: Agency, coordinating: list[Agency], day: dt.date, actor: User
) -> Task:
    directive = draft.directive
    due_on = draft.due_on
    if draft.working_days:
        due_on = next_working_day(day, draft.working_days)
    task = Task.objects.create(
        directive=directive,
        draft=draft,
        number=draft.number,
        content=draft.content,
        lead_agency=lead,
        owner_agency=directive.owner_agency,
        assigner=directive.assigner,
        assigner_name=directive.assigner_name
        or (directive.assigner.get_full_name() if directive.assigner else ""),
        assigned_on=day,
        deadline_kind=draft.deadline_kind,
        due_on=due_on,
        original_due_on=due_on,
        recurrence=draft.recurrence,
        recurrence_day=draft.recurrence_day,
        working_days=draft.working_days,
        priority=draft.priority,
        source_paragraph=draft.source_paragraph,
    )
    TaskCoordination.objects.bulk_create(
        [TaskCoordination(task=task, agency=agency) for agency in coordinating if agency.pk != lead.pk]
    )
    if task.recurrence:
        task.series = task
        task.save(update_fields=["series"])
    task_record_assignment(
        task=task,
        actor=actor,
        note=draft.agency_note,
        data={"directive": directive.pk, "draft": draft.pk, "due_on": due_on.isoformat() if due_on else None},
    )
    return task
