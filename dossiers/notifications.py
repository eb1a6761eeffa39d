"""What the applicant hears about their dossier, and the text helpers of every dossier notice.

The applicant (Decree 61/2018 Art. 17.1, 19.4, 19.8, 19.9, 20; Checklist 13, 22, 32)
    :func:`on_dossier_changed` is a ``dossiers.events`` listener (``EVENT_HANDLERS`` in
    ``dossiers/apps.py``). It runs inside the change's transaction and only queues
    ``dossiers.tasks.applicant_notify`` (the job row commits with the change, or not at all), so
    composing the message never slows down or breaks the person who acted.
    :func:`applicant_notify` writes one notice per history row (e-mail
    and SMS to the contact given with the dossier): received (code, procedure, due date
    dd/mm/yyyy HH:MM, lookup link), supplement requested (every item and the reason, in one
    notice), refused (at reception or after appraisal) or stopped (reason), apology (reason,
    new date), financial obligation, result ready (early results announced as such), result
    returned, withdrawn.

Civil servants are warned by ``dossiers.reminders``. Texts are templates in
``dossiers/templates/dossiers/notifications/``; subjects are here and there.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agencies.models import Agency
from congso import jobs
from dossiers.events import DossierChanged, in_transaction
from dossiers.models import DossierEvent
from dossiers.slips.content import lookup_url
from dossiers.transitions import Action
from notifications.models import OutgoingMessage
from notifications.services import notify
from workcalendar.clock import working_day_minutes

APPLICANT_JOB = "dossiers.tasks.applicant_notify"
TEMPLATES = "dossiers/notifications"

# action → template of the notice to the applicant (None: the action does not concern them).
APPLICANT_NOTICES: dict[str, str] = {
    Action.RECEIVE: "received",
    Action.REQUEST_SUPPLEMENT: "supplement",
    Action.REFUSE: "refused",
    Action.STOP: "stopped",
    Action.APOLOGISE: "apology",
    Action.REQUEST_PAYMENT: "payment",
    Action.RESOLVE: "resolved",
    Action.RETURN_RESULT: "returned",
    Action.WITHDRAW: "withdrawn",
}


# --- Formatting -----------------------------------------------------------------------------------


def when(instant: dt.datetime | None) -> str:
    """dd/mm/yyyy HH:MM in Vietnam's time."""
    return timezone.localtime(instant).strftime("%d/%m/%Y %H:%M") if instant is not None else ""


def working_span(minutes: int, *, agency: Agency | int | None) -> str:
    """A working-time amount in words: "1 ngày 2 giờ 30 phút làm việc"."""
    day = working_day_minutes(agency=agency)
    days, rest = divmod(max(minutes, 0), day)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(_("%(n)d ngày") % {"n": days})
    if hours:
        parts.append(_("%(n)d giờ") % {"n": hours})
    if mins or not parts:
        parts.append(_("%(n)d phút") % {"n": mins})
    return _("%(span)s làm việc") % {"span": " ".join(parts)}


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


def render_text(name: str, context: dict[str, Any]) -> str:
    """A plain-text notice from ``dossiers/notifications/<name>.txt``, blank lines tidied."""
    return _tidy(render_to_string(f"{TEMPLATES}/{name}.txt", context))


def one_line(text: str) -> str:
    return " ".join(text.split())


def backoffice_url(code: str | None = None) -> str:
    """The staff page of dossier ``code`` (the back office's home until that page exists)."""
    try:
        if code is None:
            raise NoReverseMatch
        path = reverse("backoffice:dossier_detail", kwargs={"code": code})
    except NoReverseMatch:
        path = reverse("backoffice:home")
    return str(getattr(settings, "CONGSO_PUBLIC_URL", "")).rstrip("/") + path


# --- The applicant --------------------------------------------------------------------------------


@in_transaction
def on_dossier_changed(event: DossierChanged) -> None:
    """Listener of ``dossiers.events``, inside the change's transaction: queue the notice to the
    applicant, if the action concerns them. Only an insert here; the message is composed and sent
    in the background, after the commit."""
    if event.action in APPLICANT_NOTICES:
        jobs.enqueue(APPLICANT_JOB, event_id=event.event_id)


def _notice_kind(event: DossierEvent) -> str | None:
    """The template of the notice of ``event``; a refusal after appraisal is a refusal too."""
    if event.action == Action.STOP and event.data.get("result") == "refusal":
        return "refused"
    return APPLICANT_NOTICES.get(event.action)


def _applicant_subject(kind: str, event: DossierEvent, code: str) -> str:
    refused_after_appraisal = event.data.get("stage") == "appraisal"
    early = bool(event.data.get("early"))
    subjects = {
        "received": _("Hồ sơ %(code)s đã được tiếp nhận"),
        "supplement": _("Hồ sơ %(code)s cần bổ sung, hoàn thiện"),
        "refused": _("Hồ sơ %(code)s bị từ chối giải quyết")
        if refused_after_appraisal
        else _("Hồ sơ %(code)s không được tiếp nhận"),
        "stopped": _("Hồ sơ %(code)s đã dừng giải quyết"),
        "apology": _("Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ %(code)s"),
        "payment": _("Hồ sơ %(code)s: đề nghị thực hiện nghĩa vụ tài chính"),
        "resolved": _("Hồ sơ %(code)s đã có kết quả sớm hơn ngày hẹn")
        if early
        else _("Hồ sơ %(code)s đã có kết quả"),
        "returned": _("Hồ sơ %(code)s đã được trả kết quả"),
        "withdrawn": _("Hồ sơ %(code)s đã được rút"),
    }
    return subjects[kind] % {"code": code}


def _instant(value: object) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if isinstance(value, str) and value else None


def applicant_context(event: DossierEvent) -> dict[str, Any]:
    """What the notice of ``event`` says, from the history row and the dossier as it is now."""
    dossier = event.dossier
    desk = dossier.receiving_agency
    code = dossier.code or dossier.reference
    data = event.data
    items = [str(item) for item in data.get("items", [])]
    return {
        "addressee": dossier.organization_name or _("Ông/Bà %(name)s") % {"name": dossier.applicant_name},
        "code": code,
        "has_code": bool(dossier.code),
        "procedure": dossier.procedure_version.name,
        "agency": dossier.competent_agency.name,
        "desk": desk.name if desk is not None else dossier.competent_agency.name,
        "desk_address": getattr(desk, "address", "") or "",
        "desk_phone": getattr(desk, "phone", "") or "",
        "site_name": settings.CONGSO_SITE_NAME,
        "lookup_url": lookup_url(code),
        "pay_url": str(getattr(settings, "CONGSO_PUBLIC_URL", "")).rstrip("/")
        + reverse("payments:dossier_fees", kwargs={"reference": dossier.reference}),
        "at": when(event.at),
        "received_at": when(dossier.received_at),
        "due_at": when(_instant(data.get("due_at")) or dossier.due_at),
        "restarted": bool(data.get("restarted")),
        "reason": event.reason.strip(),
        "items": items,
        "items_line": "; ".join(items),
        "stage": data.get("stage", ""),
        "previous_due_at": when(_instant(data.get("previous_due_at"))),
        "new_due_at": when(_instant(data.get("new_due_at")) or dossier.due_at),
        "early": bool(data.get("early")),
        "late": bool(data.get("late")),
        "resolved_at": when(dossier.resolved_at or event.at),
        "returned_at": when(dossier.returned_at or event.at),
    }


def applicant_notify(*, event: DossierEvent) -> list[OutgoingMessage]:
    """Tell the applicant what ``event`` means for them, by e-mail and SMS, once per event."""
    kind = _notice_kind(event)
    dossier = event.dossier
    applicant = dossier.applicant
    email = dossier.applicant_email or (applicant.email if applicant is not None else "")
    phone = dossier.applicant_phone or (applicant.phone if applicant is not None else "")
    if kind is None or not (email or phone):
        return []
    with translation.override(settings.LANGUAGE_CODE):
        context = applicant_context(event)
        return notify(
            email=email,
            phone=phone,
            subject=_applicant_subject(kind, event, context["code"]),
            body=render_text(f"applicant/{kind}", context),
            sms_body=one_line(render_text(f"applicant/{kind}_sms", context)),
            reference=context["code"],
            dedupe_key=f"dossier-event:{event.pk}",
        )
