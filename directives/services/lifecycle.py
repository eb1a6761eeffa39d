"""Writes of a task's life after it is assigned: accept, report progress and completion, confirm
or return, extensions, cancellation, the next occurrence of a recurring task.

Every function goes through :func:`directives.transitions.task_transition`, which checks the
step and the person and writes the history row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from accounts.models import User
from directives.extraction.deadlines import next_occurrence
from directives.models import ExtensionRequest, Status, Task, TaskAttachment, TaskCoordination
from directives.transitions import TaskActionError, task_record_assignment, task_transition

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
MAX_ATTACHMENTS = 10


def _attachments_store(*, task: Task, actor: User, files: Sequence[UploadedFile]) -> list[TaskAttachment]:
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError({"files": _("Tối đa %(n)d tệp cho một lần báo cáo.") % {"n": MAX_ATTACHMENTS}})
    stored = []
    for upload in files:
        if upload.size is None or upload.size == 0:
            raise ValidationError({"files": _("Tệp “%(name)s” rỗng.") % {"name": upload.name}})
        if upload.size > MAX_ATTACHMENT_BYTES:
            raise ValidationError({"files": _("Tệp “%(name)s” lớn hơn 20 MB.") % {"name": upload.name}})
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        name = (upload.name or "tep").rsplit("/", 1)[-1][:255]
        attachment = TaskAttachment(
            task=task, name=name, size=upload.size, sha256=digest.hexdigest(), uploaded_by=actor
        )
        attachment.file.save(get_valid_filename(name)[:150] or "tep", upload, save=False)
        attachment.save()
        stored.append(attachment)
    return stored


def _refuse(error: TaskActionError) -> ValidationError:
    return ValidationError(error.message)


@transaction.atomic
def task_accept(*, task: Task, actor: User, note: str = "") -> Task:
    """The lead agency acknowledges the task."""
    try:
        return task_transition(task=task, action="accept", actor=actor, note=note, agency=task.lead_agency)
    except TaskActionError as error:
        raise _refuse(error) from error


@transaction.atomic
def task_report_progress(
    *, task: Task, actor: User, percent: int, text: str, files: Sequence[UploadedFile] = ()
) -> Task:
    """A progress report of the lead agency: how far (0–99 %), what was done, attached files."""
    if not 0 <= percent <= 99:
        raise ValidationError(
            {"percent": _("Tiến độ báo cáo phải từ 0 đến 99%; khi xong, hãy báo cáo hoàn thành.")}
        )
    if not text.strip():
        raise ValidationError({"text": _("Hãy ghi nội dung báo cáo tiến độ.")})
    attachments = _attachments_store(task=task, actor=actor, files=files)
    try:
        return task_transition(
            task=task,
            action="progress",
            actor=actor,
            note=text.strip(),
            data={"percent": percent},
            attachments=attachments,
            updates={"progress": percent},
            agency=task.lead_agency,
        )
    except TaskActionError as error:
        raise _refuse(error) from error


@transaction.atomic
def task_report_done(
    *,
    task: Task,
    actor: User,
    text: str,
    files: Sequence[UploadedFile] = (),
    reported_on: dt.date | None = None,
) -> Task:
    """The lead agency's leader reports the task done, for the assigner to confirm or return.

    ``reported_on`` (today by default) is for recording reports sent before congso (imports, the
    demo); pages and the API never pass it.
    """
    if not text.strip():
        raise ValidationError({"text": _("Hãy ghi kết quả thực hiện nhiệm vụ.")})
    attachments = _attachments_store(task=task, actor=actor, files=files)
    try:
        return task_transition(
            task=task,
            action="report_done",
            actor=actor,
            note=text.strip(),
            attachments=attachments,
            updates={"reported_done_on": reported_on or timezone.localdate(), "progress": 100},
            agency=task.lead_agency,
        )
    except TaskActionError as error:
        raise _refuse(error) from error


@transaction.atomic
def task_confirm(*, task: Task, actor: User, note: str = "") -> Task:
    """The assigner confirms the completion report: done on time or late, judged by the day the
    report was sent against the deadline in force. A recurring task opens its next period."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    reported = task.reported_done_on or timezone.localdate()
    late = task.due_on is not None and reported > task.due_on
    try:
        confirmed = task_transition(
            task=task,
            action="confirm",
            actor=actor,
            note=note.strip(),
            data={"finished_late": late},
            updates={"completed_on": reported, "finished_late": late},
        )
    except TaskActionError as error:
        raise _refuse(error) from error
    if confirmed.recurrence:
        task_next_occurrence(task=confirmed)
    return confirmed


@transaction.atomic
def task_return(*, task: Task, actor: User, reason: str) -> Task:
    """The assigner returns a completion report: the task goes back to "in progress"."""
    if not reason.strip():
        raise ValidationError({"reason": _("Hãy ghi lý do trả lại báo cáo.")})
    try:
        return task_transition(
            task=task, action="return", actor=actor, note=reason.strip(), updates={"reported_done_on": None}
        )
    except TaskActionError as error:
        raise _refuse(error) from error


@transaction.atomic
def task_extension_request(
    *, task: Task, actor: User, requested_due_on: dt.date, reason: str
) -> ExtensionRequest:
    """The lead agency asks for a later deadline, with its reason."""
    if task.due_on is None:
        raise ValidationError(_("Nhiệm vụ không có thời hạn, không cần gia hạn."))
    if requested_due_on <= task.due_on:
        raise ValidationError({"requested_due_on": _("Hạn đề nghị phải sau hạn hiện tại.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Hãy ghi lý do đề nghị gia hạn.")})
    try:
        with transaction.atomic():
            request = ExtensionRequest.objects.create(
                task=task,
                current_due_on=task.due_on,
                requested_due_on=requested_due_on,
                reason=reason.strip(),
                requested_by=actor,
                requested_at=timezone.now(),
            )
    except IntegrityError as error:
        raise ValidationError(_("Nhiệm vụ đang có một đề nghị gia hạn chờ quyết định.")) from error
    try:
        task_transition(
            task=task,
            action="request_extension",
            actor=actor,
            note=reason.strip(),
            data={"requested_due_on": requested_due_on.isoformat(), "extension": request.pk},
            agency=task.lead_agency,
        )
    except TaskActionError as error:
        raise _refuse(error) from error
    return request


@transaction.atomic
def task_extension_decide(*, task: Task, actor: User, grant: bool, note: str = "") -> ExtensionRequest:
    """The assigner grants (the deadline moves, the original stays on record) or refuses."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    request = ExtensionRequest.objects.select_for_update().filter(task=task, state="pending").first()
    if request is None:
        raise ValidationError(_("Không có đề nghị gia hạn nào đang chờ quyết định."))
    if not grant and not note.strip():
        raise ValidationError({"note": _("Hãy ghi lý do không đồng ý gia hạn.")})
    updates = {"due_on": request.requested_due_on} if grant else {}
    if grant and task.original_due_on is None:
        updates["original_due_on"] = request.current_due_on
    try:
        task_transition(
            task=task,
            action="grant_extension" if grant else "refuse_extension",
            actor=actor,
            note=note.strip(),
            data={
                "extension": request.pk,
                "from": request.current_due_on.isoformat(),
                "to": request.requested_due_on.isoformat(),
            },
            updates=updates,
        )
    except TaskActionError as error:
        raise _refuse(error) from error
    request.state = ExtensionRequest.State.GRANTED if grant else ExtensionRequest.State.REFUSED
    request.decided_by, request.decided_at, request.decision_note = actor, timezone.now(), note.strip()
    request.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    return request


@transaction.atomic
def task_cancel(*, task: Task, actor: User, reason: str) -> Task:
    """The assigner withdraws a task, with the reason."""
    if not reason.strip():
        raise ValidationError({"reason": _("Hãy ghi lý do hủy nhiệm vụ.")})
    ExtensionRequest.objects.filter(task=task, state="pending").update(
        state=ExtensionRequest.State.REFUSED,
        decided_by=actor,
        decided_at=timezone.now(),
        decision_note=_("Nhiệm vụ đã bị hủy."),
    )
    try:
        return task_transition(task=task, action="cancel", actor=actor, note=reason.strip())
    except TaskActionError as error:
        raise _refuse(error) from error


@transaction.atomic
def task_next_occurrence(*, task: Task) -> Task | None:
    """The next period of a recurring task, assigned like the first (once: repeated calls return
    the one already made). None for a task that does not recur or was cancelled."""
    if not task.recurrence or task.due_on is None or task.status == Status.CANCELLED:
        return None
    root_id = task.series_id or task.pk
    existing = Task.objects.filter(series_id=root_id, occurrence=task.occurrence + 1).first()
    if existing is not None:
        return existing
    due_on = next_occurrence(task.recurrence, task.due_on, day=task.recurrence_day)
    following = Task.objects.create(
        directive_id=task.directive_id,
        draft_id=task.draft_id,
        number=task.number,
        content=task.content,
        lead_agency_id=task.lead_agency_id,
        owner_agency_id=task.owner_agency_id,
        assigner_id=task.assigner_id,
        assigner_name=task.assigner_name,
        assigned_on=max(timezone.localdate(), task.due_on),
        deadline_kind=task.deadline_kind,
        due_on=due_on,
        original_due_on=due_on,
        recurrence=task.recurrence,
        recurrence_day=task.recurrence_day,
        priority=task.priority,
        source_paragraph=task.source_paragraph,
        series_id=root_id,
        occurrence=task.occurrence + 1,
    )
    TaskCoordination.objects.bulk_create(
        [TaskCoordination(task=following, agency_id=c.agency_id) for c in task.coordinations.all()]
    )
    task_record_assignment(
        task=following,
        actor=None,
        note=_("Kỳ thứ %(n)d của nhiệm vụ định kỳ.") % {"n": following.occurrence},
        data={"previous": task.pk, "due_on": due_on.isoformat()},
    )
    return following


def task_act(
    *,
    task: Task,
    actor: User,
    action: str,
    note: str = "",
    reason: str = "",
    text: str = "",
    percent: int | None = None,
    requested_due_on: dt.date | None = None,
    files: Sequence[UploadedFile] = (),
) -> None:
    """Take step ``action`` with what a page or the API sent; one entry for both."""
    if action == "accept":
        task_accept(task=task, actor=actor, note=note)
    elif action == "progress":
        if percent is None:
            raise ValidationError({"percent": _("Hãy ghi tiến độ (%).")})
        task_report_progress(task=task, actor=actor, percent=percent, text=text, files=files)
    elif action == "report_done":
        task_report_done(task=task, actor=actor, text=text, files=files)
    elif action == "request_extension":
        if requested_due_on is None:
            raise ValidationError({"requested_due_on": _("Hãy ghi ngày đề nghị gia hạn.")})
        task_extension_request(task=task, actor=actor, requested_due_on=requested_due_on, reason=reason)
    elif action == "confirm":
        task_confirm(task=task, actor=actor, note=note)
    elif action == "return":
        task_return(task=task, actor=actor, reason=reason)
    elif action in {"grant_extension", "refuse_extension"}:
        task_extension_decide(task=task, actor=actor, grant=action == "grant_extension", note=note)
    elif action == "cancel":
        task_cancel(task=task, actor=actor, reason=reason)
    else:
        raise ValidationError(_("Thao tác “%(action)s” không tồn tại.") % {"action": action})
