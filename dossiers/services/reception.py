"""Reception at the one-stop desk (Decree 61/2018 Art. 17): exactly one of three outcomes —
received with a code and a due date (Mẫu 01), asked to supplement (Mẫu 02), or refused (Mẫu 03).

A supplement may also be asked after appraisal (Art. 19.4), within N working days of reception;
the clock stops, and the complete resubmission is received again with a time limit that starts
from zero. A refusal after appraisal stops the dossier with a Mẫu 03 entered as its result.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from accounts.models import User
from catalog.models import ComponentRequirement, Procedure
from dossiers import conf
from dossiers.codes import allocate_dossier_code
from dossiers.errors import DossierInvalid, TransitionNotAllowed
from dossiers.models import (
    Channel,
    Dossier,
    DossierEvent,
    DossierFile,
    DossierPause,
    DossierStep,
    Slip,
    Status,
)
from dossiers.permissions import facts_read_once
from dossiers.services.clock import current_instant, local_day, processing_due
from dossiers.services.intake import missing_components, missing_message
from dossiers.services.issuing import issue_slip
from dossiers.services.search import search_text_of
from dossiers.services.steps import step_finish, step_start, steps_create, unfinished_steps, workflow_of
from dossiers.transitions import Action, check_transition, transition
from workcalendar.clock import pinned_calendar, reception_start, working_days_between

MIN_ITEM_DESCRIPTION = 10
"""A supplement item outside the published component list must be described at least this long."""


@dataclass(frozen=True)
class SupplementItem:
    """One thing the applicant must add or correct: a published component (``requirement_id``)
    with an optional note, or — for a correction — a clear description in ``note``."""

    requirement_id: int | None = None
    note: str = ""


def _as_item(raw: SupplementItem | Mapping[str, Any]) -> SupplementItem:
    if isinstance(raw, SupplementItem):
        return raw
    requirement = raw.get("requirement_id", raw.get("requirement"))
    return SupplementItem(
        requirement_id=int(requirement) if requirement not in (None, "") else None,
        note=str(raw.get("note", "") or ""),
    )


def _clean_items(
    dossier: Dossier, items: Sequence[SupplementItem | Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """Checklist 54: only published components of the dossier's version, or clearly described
    corrections; every item listed in one notice."""
    if not items:
        message = _("Phải liệt kê đầy đủ các giấy tờ cần bổ sung, hoàn thiện.")
        raise DossierInvalid(message, field_errors={"items": [message]})
    published = {
        item.pk: item for item in ComponentRequirement.objects.filter(version_id=dossier.procedure_version_id)
    }
    cleaned: list[dict[str, Any]] = []
    for position, raw in enumerate(items, start=1):
        item = _as_item(raw)
        note = " ".join(item.note.split())
        if item.requirement_id is not None:
            requirement = published.get(item.requirement_id)
            if requirement is None:
                message = _(
                    "Mục %(n)s không thuộc thành phần hồ sơ đã công bố của thủ tục; "
                    "không được yêu cầu giấy tờ ngoài quy định."
                ) % {"n": position}
                raise DossierInvalid(message, code="not_published", field_errors={"items": [message]})
            text = f"{requirement.name} — {note}" if note else requirement.name
            cleaned.append(
                {"requirement_id": requirement.pk, "name": requirement.name, "note": note, "text": text}
            )
        else:
            if len(note) < MIN_ITEM_DESCRIPTION:
                message = _("Mục %(n)s phải ghi rõ nội dung cần bổ sung, hoàn thiện.") % {"n": position}
                raise DossierInvalid(message, field_errors={"items": [message]})
            cleaned.append({"requirement_id": None, "name": "", "note": note, "text": note})
    return cleaned


def _require_reason(reason: str, what: str) -> str:
    cleaned = reason.strip()
    if not cleaned:
        message = _("Phải nêu rõ lý do %(what)s.") % {"what": what}
        raise DossierInvalid(message, field_errors={"reason": [message]})
    return cleaned


def _online_draft_guard(dossier: Dossier) -> None:
    if dossier.status == Status.DRAFT and dossier.channel == Channel.ONLINE:
        raise TransitionNotAllowed(_("Hồ sơ trực tuyến này chưa được nộp."))


def _last_event(dossier: Dossier, action: str) -> DossierEvent | None:
    return dossier.events.filter(action=action).order_by("-sequence").first()


def _close_pause(dossier: Dossier, at: dt.datetime) -> None:
    DossierPause.objects.filter(dossier=dossier, ended_at__isnull=True).update(ended_at=at)


def dossier_receive(
    *,
    dossier: Dossier,
    actor: User,
    expected_lock_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Receive a valid dossier: give it its code (once), start its clock, set its due date,
    create its processing steps (the reception step done) and issue Mẫu 01.

    A dossier coming back complete after a supplement asked for after appraisal keeps its code;
    its time limit starts again from zero (Art. 19.4) and the steps up to the one that asked are
    done again.

    One transaction, which also queues the jobs that render Mẫu 01 and notify the applicant; the
    clerk's roles, the version's process and the working calendar are each read once.
    """
    at = current_instant(now)
    _online_draft_guard(dossier)
    with facts_read_once():  # the clerk's roles: for this check, the transition's and its history row's
        check_transition(dossier=dossier, action=Action.RECEIVE, actor=actor)
        _receive_checked(dossier=dossier, actor=actor, expected_lock_version=expected_lock_version, at=at)
    return dossier


def _receive_checked(
    *, dossier: Dossier, actor: User, expected_lock_version: int | None, at: dt.datetime
) -> None:
    missing = missing_components(dossier, include_paper_only=dossier.channel != Channel.ONLINE)
    if missing:
        raise missing_message(missing, _("Chưa thể tiếp nhận: hồ sơ"))
    desk = dossier.receiving_agency
    if desk is None:  # pragma: no cover - set at submission or counter creation
        raise DossierInvalid(_("Hồ sơ chưa có nơi tiếp nhận."))
    version = dossier.procedure_version
    workflow = workflow_of(dossier)
    restart = dossier.received_at is not None
    with transaction.atomic(), pinned_calendar():
        code = dossier.code or allocate_dossier_code(agency=desk, day=local_day(at))
        clock_start = reception_start(at, agency=desk)
        due = processing_due(version=version, start=clock_start, agency=dossier.competent_agency_id)
        updates: dict[str, Any] = {
            "code": code,
            "search_text": search_text_of(dossier, code=code),
            "received_at": at,
            "clock_started_at": clock_start,
            "due_at": due,
            "original_due_at": due,
            "paused_since": None,
        }
        data: dict[str, Any] = {
            "clock_started_at": clock_start.isoformat(),
            "due_at": due.isoformat(),
            "processing_time": version.processing_time_text,
        }
        up_to: int | None = None
        if restart:
            request = _last_event(dossier, Action.REQUEST_SUPPLEMENT)
            up_to = int(request.data.get("step_order") or 1) if request is not None else None
            data["restarted"] = True
            data["first_received_at"] = dossier.received_at.isoformat() if dossier.received_at else ""
        transition(
            dossier=dossier,
            action=Action.RECEIVE,
            actor=actor,
            expected_lock_version=expected_lock_version,
            updates=updates,
            data=data,
            now=at,
        )
        if restart:  # only a dossier received before can have a pause open (supplement, payment)
            _close_pause(dossier, at)

        def begin(first: DossierStep) -> None:
            """The reception step is done at once; a one-step process starts at the desk."""
            if len(workflow) > 1:
                step_finish(step=first, at=at, outcome=_("Đã tiếp nhận hồ sơ"), by=actor, save=False)
            else:
                step_start(step=first, at=at, handed_over_by=actor, received_by=actor, save=False)

        steps_create(dossier=dossier, up_to_order=up_to, workflow=workflow, begin=begin)
        if not restart:
            Procedure.objects.filter(pk=version.procedure_id).update(popularity=F("popularity") + 1)
        issue_slip(dossier=dossier, form=Slip.Form.RECEIPT, actor=actor, content={}, now=at)


def dossier_request_supplement(
    *,
    dossier: Dossier,
    actor: User,
    items: Sequence[SupplementItem | Mapping[str, Any]],
    reason: str,
    expected_lock_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Ask the applicant to supplement or complete the dossier, every item in one notice (Mẫu 02).

    At reception (draft counter dossier, or submitted online) by the desk; after appraisal
    (processing) by the handler, only within ``CONGSO_SUPPLEMENT_AFTER_APPRAISAL_DAYS`` working
    days of reception — the clock is then paused until the complete dossier is received again.
    """
    at = current_instant(now)
    _online_draft_guard(dossier)
    check_transition(dossier=dossier, action=Action.REQUEST_SUPPLEMENT, actor=actor)
    reason = _require_reason(reason, _("yêu cầu bổ sung"))
    cleaned = _clean_items(dossier, items)
    after_appraisal = dossier.status == Status.PROCESSING
    steps = unfinished_steps(dossier)
    data: dict[str, Any] = {
        "stage": "appraisal" if after_appraisal else "reception",
        "items": [item["text"] for item in cleaned],
        "item_details": cleaned,
        "files_before": dossier.files.aggregate(last=Max("id"))["last"] or 0,
    }
    if after_appraisal:
        assert dossier.received_at is not None
        window = conf.supplement_window_days(dossier.procedure_version.sector.code)
        used = working_days_between(local_day(dossier.received_at), local_day(at))
        if used > window:
            raise TransitionNotAllowed(
                _(
                    "Đã quá %(days)s ngày làm việc kể từ ngày tiếp nhận: "
                    "không được yêu cầu bổ sung sau thẩm định. "
                    "Nếu hồ sơ không đủ điều kiện, hãy từ chối giải quyết."
                )
                % {"days": window},
                code="supplement_window",
            )
        data["step_order"] = steps[0].order if steps else 1
        data["working_days_since_reception"] = used
    with transaction.atomic():
        transition(
            dossier=dossier,
            action=Action.REQUEST_SUPPLEMENT,
            actor=actor,
            expected_lock_version=expected_lock_version,
            reason=reason,
            data=data,
            updates={"paused_since": at} if after_appraisal else {},
            now=at,
        )
        if after_appraisal:
            DossierPause.objects.create(
                dossier=dossier, reason=reason[:500], status=Status.SUPPLEMENT_REQUESTED, started_at=at
            )
            outcome = _("Yêu cầu bổ sung, hoàn thiện hồ sơ: %(reason)s") % {"reason": reason}
            for step in steps:
                if step.started_at is not None:
                    step_finish(step=step, at=at, outcome=outcome, by=actor)
        issue_slip(
            dossier=dossier,
            form=Slip.Form.SUPPLEMENT,
            actor=actor,
            content={"items": data["items"], "reason": reason},
            now=at,
        )
    return dossier


def dossier_supplement_submit(
    *,
    dossier: Dossier,
    actor: User,
    note: str = "",
    expected_lock_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """The applicant (or the clerk, for papers brought to the counter) hands in what was asked;
    the dossier goes back to the desk to be received again."""
    at = current_instant(now)
    check_transition(dossier=dossier, action=Action.SUBMIT_SUPPLEMENT, actor=actor)
    request = _last_event(dossier, Action.REQUEST_SUPPLEMENT)
    before = int(request.data.get("files_before", 0)) if request is not None else 0
    new_files = list(
        dossier.files.filter(
            pk__gt=before, kind__in=[DossierFile.Kind.SUPPLEMENT, DossierFile.Kind.COMPONENT]
        ).order_by("id")
    )
    if not new_files:
        raise DossierInvalid(_("Chưa có giấy tờ bổ sung nào được đính kèm."), code="no_supplement")
    asked = {
        item["requirement_id"]: item["name"]
        for item in (request.data.get("item_details", []) if request is not None else [])
        if item.get("requirement_id")
    }
    brought = {item.requirement_id for item in new_files}
    missing = [name for requirement_id, name in asked.items() if requirement_id not in brought]
    if missing:
        raise DossierInvalid(
            _("Còn thiếu giấy tờ được yêu cầu bổ sung: %(names)s.") % {"names": "; ".join(missing)},
            code="missing_components",
        )
    return transition(
        dossier=dossier,
        action=Action.SUBMIT_SUPPLEMENT,
        actor=actor,
        expected_lock_version=expected_lock_version,
        reason=note.strip(),
        files=new_files,
        data={"files": [item.pk for item in new_files]},
        now=at,
    )


def dossier_refuse(
    *,
    dossier: Dossier,
    actor: User,
    reason: str,
    expected_lock_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Refuse the dossier with Mẫu 03 and the reason.

    Before reception, by the desk: the dossier is not accepted (status 3). After reception, by
    the competent agency (Art. 19.8): processing stops (status 8) and the refusal is the
    dossier's result, issued within the time limit (late when after the due time).
    """
    at = current_instant(now)
    _online_draft_guard(dossier)
    reason = _require_reason(reason, _("từ chối"))
    if dossier.received_at is None:
        with transaction.atomic():
            transition(
                dossier=dossier,
                action=Action.REFUSE,
                actor=actor,
                expected_lock_version=expected_lock_version,
                reason=reason,
                data={"stage": "reception"},
                updates={"closed_at": at},
                now=at,
            )
            issue_slip(
                dossier=dossier, form=Slip.Form.REFUSAL, actor=actor, content={"reason": reason}, now=at
            )
        return dossier
    late = dossier.due_at is not None and at > dossier.due_at
    summary = _("Từ chối giải quyết hồ sơ: %(reason)s") % {"reason": reason}
    with transaction.atomic():
        steps = unfinished_steps(dossier)
        transition(
            dossier=dossier,
            action=Action.STOP,
            actor=actor,
            expected_lock_version=expected_lock_version,
            reason=reason,
            data={"stage": "appraisal", "result": "refusal", "late": late},
            updates={"closed_at": at, "finished_late": late, "result_summary": summary, "paused_since": None},
            now=at,
        )
        _close_pause(dossier, at)
        for step in steps:
            if step.started_at is not None:
                step_finish(step=step, at=at, outcome=summary, by=actor)
        issue_slip(
            dossier=dossier,
            form=Slip.Form.REFUSAL,
            actor=actor,
            content={"reason": reason, "result_section": True},
            now=at,
        )
    return dossier
