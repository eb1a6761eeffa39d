"""What the handler finds out while appraising (Decree 61/2018 Art. 19.3 and 19.5): verification
visits and consultations of other agencies, recorded in the dossier's history with their details.
Neither changes the status; both are listed by ``dossiers.selectors.dossier_consultations`` and
the history."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence

from django.utils.translation import gettext as _

from accounts.models import User
from agencies.models import Agency
from dossiers.errors import DossierInvalid
from dossiers.models import Dossier, DossierFile
from dossiers.services.clock import current_instant, require_aware
from dossiers.transitions import Action, check_transition, transition


def _files_of(dossier: Dossier, files: Iterable[DossierFile]) -> list[DossierFile]:
    listed = list(files)
    if any(item.dossier_id != dossier.pk for item in listed):
        raise DossierInvalid(_("Tệp đính kèm không thuộc hồ sơ này."))
    return listed


def _text(value: str, field: str, message: str) -> str:
    cleaned = value.strip()
    if not cleaned:
        raise DossierInvalid(message, field_errors={field: [message]})
    return cleaned


def dossier_verification_record(
    *,
    dossier: Dossier,
    actor: User,
    held_at: dt.datetime,
    place: str,
    participants: Sequence[str],
    content: str,
    files: Iterable[DossierFile] = (),
    expected_lock_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Record a verification (thẩm tra, xác minh, Art. 19.3): time, place, participants, content."""
    at = current_instant(now)
    check_transition(dossier=dossier, action=Action.RECORD_VERIFICATION, actor=actor)
    require_aware(held_at, "held_at", _("Thời gian thẩm tra, xác minh không hợp lệ."))
    people = [name.strip() for name in participants if name.strip()]
    if not people:
        message = _("Phải ghi thành phần tham gia.")
        raise DossierInvalid(message, field_errors={"participants": [message]})
    text = _text(content, "content", _("Phải ghi nội dung thẩm tra, xác minh."))
    data = {
        "held_at": held_at.isoformat(),
        "place": _text(place, "place", _("Phải ghi địa điểm thẩm tra, xác minh.")),
        "participants": people,
        "content": text,
    }
    return transition(
        dossier=dossier,
        action=Action.RECORD_VERIFICATION,
        actor=actor,
        expected_lock_version=expected_lock_version,
        reason=text,
        data=data,
        files=_files_of(dossier, files),
        now=at,
    )


def dossier_consultation_request(
    *,
    dossier: Dossier,
    actor: User,
    consulted_agency: Agency,
    question: str,
    deadline: dt.datetime,
    files: Iterable[DossierFile] = (),
    expected_lock_version: int | None = None,
    now: dt.datetime | None = None,
) -> str:
    """Ask another agency's opinion (Art. 19.5): the body, the question and the deadline are
    recorded. Returns the consultation's id, to record the answer against."""
    at = current_instant(now)
    check_transition(dossier=dossier, action=Action.REQUEST_CONSULTATION, actor=actor)
    require_aware(deadline, "deadline", _("Thời hạn trả lời không hợp lệ."))
    if deadline <= at:
        message = _("Thời hạn trả lời phải sau thời điểm gửi.")
        raise DossierInvalid(message, field_errors={"deadline": [message]})
    consultation_id = uuid.uuid4().hex
    text = _text(question, "question", _("Phải ghi nội dung cần lấy ý kiến."))
    transition(
        dossier=dossier,
        action=Action.REQUEST_CONSULTATION,
        actor=actor,
        expected_lock_version=expected_lock_version,
        reason=text,
        data={
            "consultation_id": consultation_id,
            "agency_id": consulted_agency.pk,
            "agency": consulted_agency.name,
            "question": text,
            "deadline": deadline.isoformat(),
        },
        files=_files_of(dossier, files),
        now=at,
    )
    return consultation_id


def dossier_consultation_answer(
    *,
    dossier: Dossier,
    actor: User,
    consultation_id: str,
    answer: str,
    files: Iterable[DossierFile] = (),
    expected_lock_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Record the consulted body's answer; an answer after the deadline is flagged late."""
    at = current_instant(now)
    check_transition(dossier=dossier, action=Action.ANSWER_CONSULTATION, actor=actor)
    request = dossier.events.filter(
        action=Action.REQUEST_CONSULTATION, data__consultation_id=consultation_id
    ).first()
    if request is None:
        raise DossierInvalid(_("Không tìm thấy yêu cầu lấy ý kiến này."))
    if dossier.events.filter(
        action=Action.ANSWER_CONSULTATION, data__consultation_id=consultation_id
    ).exists():
        raise DossierInvalid(_("Ý kiến của cơ quan này đã được ghi nhận."))
    deadline = dt.datetime.fromisoformat(request.data["deadline"])
    text = _text(answer, "answer", _("Phải ghi ý kiến trả lời."))
    return transition(
        dossier=dossier,
        action=Action.ANSWER_CONSULTATION,
        actor=actor,
        expected_lock_version=expected_lock_version,
        reason=text,
        data={
            "consultation_id": consultation_id,
            "agency": request.data.get("agency", ""),
            "answer": text,
            "late": at > deadline,
        },
        files=_files_of(dossier, files),
        now=at,
    )
