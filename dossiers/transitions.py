"""The only place a dossier's status changes.

:data:`TRANSITIONS` is the table of what may happen to a dossier: each row is an action, the
statuses it may be taken from, the status it leads to (the same one for actions that only
record something, like an apology or a hand-over between steps) and who may take it.
:func:`transition` checks a request against the table, writes the new status with an
optimistic lock (``UPDATE … WHERE id = … AND lock_version = …``), writes exactly one history row
(``DossierEvent``) and, once the transaction commits, tells the listeners
(``dossiers.events``; those that only queue a job are told inside the transaction, so the job
commits with the change). Services decide *when* an action makes sense (deadlines, attachments,
channel) and call :func:`transition`; they never write ``status`` themselves. The test
``dossiers/tests/test_single_transition_point.py`` fails on a status written anywhere else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db import transaction as db_transaction
from django.db.models import F, Max, Subquery, Value
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dossiers.errors import ConcurrentUpdate, TransitionNotAllowed
from dossiers.events import DossierChanged, emit, emit_in_transaction
from dossiers.models import Dossier, DossierEvent, DossierFile, Status

if TYPE_CHECKING:
    from accounts.models import User
    from agencies.models import Agency


class Action(models.TextChoices):
    """What can be done to a dossier (the ``action`` of its history rows)."""

    SUBMIT = "submit", _("nộp hồ sơ")
    RECEIVE = "receive", _("tiếp nhận hồ sơ")
    REQUEST_SUPPLEMENT = "request_supplement", _("yêu cầu bổ sung, hoàn thiện hồ sơ")
    SUBMIT_SUPPLEMENT = "submit_supplement", _("nộp hồ sơ bổ sung")
    REFUSE = "refuse", _("từ chối tiếp nhận hồ sơ")
    STOP = "stop", _("từ chối giải quyết, dừng xử lý hồ sơ")
    FORWARD = "forward", _("chuyển xử lý")
    ASSIGN = "assign", _("phân công xử lý")
    START_INTER_AGENCY = "start_inter_agency", _("chuyển xử lý liên thông")
    FINISH_INTER_AGENCY = "finish_inter_agency", _("hoàn thành xử lý liên thông")
    ASSIGN_INTER_AGENCY = "assign_inter_agency", _("phân công thực hiện nhiệm vụ liên thông")
    APOLOGISE = "apologise", _("xin lỗi và hẹn lại ngày trả kết quả")
    REQUEST_PAYMENT = "request_payment", _("yêu cầu thực hiện nghĩa vụ tài chính")
    CONFIRM_PAYMENT = "confirm_payment", _("xác nhận đã thực hiện nghĩa vụ tài chính")
    RESOLVE = "resolve", _("hoàn thành giải quyết, có kết quả")
    RETURN_RESULT = "return_result", _("trả kết quả")
    WITHDRAW = "withdraw", _("rút hồ sơ")
    RECORD_VERIFICATION = "record_verification", _("ghi nhận thẩm tra, xác minh")
    REQUEST_CONSULTATION = "request_consultation", _("lấy ý kiến cơ quan liên quan")
    ANSWER_CONSULTATION = "answer_consultation", _("ghi nhận ý kiến được lấy")
    RATE = "rate", _("đánh giá mức độ hài lòng")
    SIGN_RESULT = "sign_result", _("ký số kết quả giải quyết")


REFUSED_SUFFIX = "_refused"
"""Suffix of the ``action`` of a history row that records an attempt that was refused."""


class ActorKind(models.TextChoices):
    """In what capacity a person acts on one dossier (see ``dossiers.permissions.actor_kinds``)."""

    APPLICANT = "applicant", _("người nộp hồ sơ")
    INTEGRATION = "integration", _("hệ thống tích hợp nộp thay người nộp")
    DESK_CLERK = "desk_clerk", _("cán bộ bộ phận một cửa tiếp nhận hồ sơ")
    STEP_HOLDER = "step_holder", _("người xử lý bước hiện tại")
    TASK_HOLDER = "task_holder", _("người thực hiện nhiệm vụ liên thông song song")
    TASK_LEADER = "task_leader", _("lãnh đạo cơ quan phối hợp thực hiện nhiệm vụ liên thông")
    LEADER = "leader", _("lãnh đạo cơ quan giải quyết")
    PROVINCE_ADMIN = "province_admin", _("quản trị hệ thống cấp tỉnh")
    SYSTEM = "system", _("hệ thống")


@dataclass(frozen=True)
class Transition:
    """One row of the table: ``action`` from any of ``sources`` to ``target``, by ``actors``."""

    action: Action
    sources: frozenset[Status]
    target: Status | None  # None: the status does not change (a recorded act)
    actors: frozenset[ActorKind]

    def target_from(self, source: str) -> Status:
        return self.target if self.target is not None else Status(source)


def _row(action: Action, sources: Iterable[Status], target: Status | None, *actors: ActorKind) -> Transition:
    return Transition(action, frozenset(sources), target, frozenset(actors))


S = Status
A = ActorKind
_APPLICANT = (A.APPLICANT, A.INTEGRATION)
_OPEN_UNRESOLVED = (S.SUBMITTED, S.RECEIVED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.AWAITING_PAYMENT)

TRANSITIONS: tuple[Transition, ...] = (
    _row(Action.SUBMIT, [S.DRAFT], S.SUBMITTED, *_APPLICANT),
    # Counter dossiers are received from the draft the clerk typed in; online ones once submitted.
    _row(Action.RECEIVE, [S.DRAFT, S.SUBMITTED], S.RECEIVED, A.DESK_CLERK),
    # At reception (Art. 17.1a) by the desk; after appraisal (Art. 19.4) by the competent agency.
    _row(Action.REQUEST_SUPPLEMENT, [S.DRAFT, S.SUBMITTED], S.SUPPLEMENT_REQUESTED, A.DESK_CLERK),
    _row(Action.REQUEST_SUPPLEMENT, [S.PROCESSING], S.SUPPLEMENT_REQUESTED, A.STEP_HOLDER, A.LEADER),
    _row(Action.SUBMIT_SUPPLEMENT, [S.SUPPLEMENT_REQUESTED], S.SUBMITTED, *_APPLICANT, A.DESK_CLERK),
    _row(Action.REFUSE, [S.DRAFT, S.SUBMITTED, S.SUPPLEMENT_REQUESTED], S.NOT_ACCEPTED, A.DESK_CLERK),
    _row(
        Action.STOP,
        [S.RECEIVED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.AWAITING_PAYMENT],
        S.STOPPED,
        A.STEP_HOLDER,
        A.LEADER,
    ),
    _row(Action.FORWARD, [S.RECEIVED], S.PROCESSING, A.DESK_CLERK),
    _row(Action.FORWARD, [S.PROCESSING], None, A.STEP_HOLDER),
    _row(Action.ASSIGN, [S.RECEIVED, S.PROCESSING], None, A.LEADER, A.PROVINCE_ADMIN),
    _row(Action.START_INTER_AGENCY, [S.PROCESSING], None, A.STEP_HOLDER, A.LEADER),
    _row(Action.FINISH_INTER_AGENCY, [S.PROCESSING], None, A.TASK_HOLDER),
    _row(Action.ASSIGN_INTER_AGENCY, [S.PROCESSING], None, A.TASK_LEADER),
    _row(Action.APOLOGISE, [S.RECEIVED, S.PROCESSING, S.AWAITING_PAYMENT], None, A.LEADER, A.STEP_HOLDER),
    _row(Action.REQUEST_PAYMENT, [S.RECEIVED, S.PROCESSING], S.AWAITING_PAYMENT, A.STEP_HOLDER, A.DESK_CLERK),
    _row(Action.CONFIRM_PAYMENT, [S.AWAITING_PAYMENT], S.PROCESSING, A.SYSTEM, A.DESK_CLERK, A.STEP_HOLDER),
    _row(Action.RESOLVE, [S.PROCESSING], S.RESOLVED, A.STEP_HOLDER, A.LEADER),
    _row(Action.RETURN_RESULT, [S.RESOLVED], S.RETURNED, A.DESK_CLERK, A.SYSTEM),
    _row(Action.WITHDRAW, _OPEN_UNRESOLVED, S.WITHDRAWN, *_APPLICANT, A.DESK_CLERK),
    _row(Action.RECORD_VERIFICATION, [S.RECEIVED, S.PROCESSING], None, A.STEP_HOLDER, A.LEADER),
    _row(Action.REQUEST_CONSULTATION, [S.RECEIVED, S.PROCESSING], None, A.STEP_HOLDER, A.LEADER),
    _row(Action.ANSWER_CONSULTATION, [S.RECEIVED, S.PROCESSING], None, A.STEP_HOLDER, A.LEADER),
    _row(Action.RATE, [S.RETURNED], None, *_APPLICANT, A.SYSTEM),
    # The leader signs the result file (signing.results): recorded, the status does not change.
    _row(Action.SIGN_RESULT, [S.PROCESSING, S.RESOLVED], None, A.LEADER),
)
del S, A

_BY_KEY: dict[tuple[str, str], Transition] = {}
for _t in TRANSITIONS:
    for _source in _t.sources:
        if (_t.action, _source) in _BY_KEY:  # pragma: no cover - a table error, caught at import
            raise RuntimeError(f"two rows for {_t.action} from {_source}")
        _BY_KEY[(_t.action, _source)] = _t


def transition_for(action: str, status: str) -> Transition | None:
    """The row of ``action`` from ``status``, or None when the table has none."""
    return _BY_KEY.get((action, status))


def allowed_actions(status: str) -> list[Action]:
    """The actions the table allows from ``status`` (to anyone)."""
    return [Action(action) for (action, source) in _BY_KEY if source == status]


def _status_label(status: str) -> str:
    return str(Status(status).label) if status in Status.values else status


def _action_label(action: str) -> str:
    return str(Action(action).label) if action in Action.values else action


def not_allowed_message(action: str, status: str) -> str:
    return gettext("Không thể %(action)s khi hồ sơ đang ở trạng thái «%(status)s».") % {
        "action": _action_label(action),
        "status": _status_label(status),
    }


def not_permitted_message(action: str) -> str:
    return gettext("Bạn không được giao việc «%(action)s» đối với hồ sơ này.") % {
        "action": _action_label(action)
    }


CONCURRENT_MESSAGE = _("Hồ sơ vừa được người khác cập nhật, vui lòng tải lại.")

_PROTECTED_FIELDS = frozenset({"id", "pk", "status", "lock_version"})


def _actor_name(actor: User | None) -> str:
    if actor is None:
        return str(_("Hệ thống"))
    return actor.get_full_name()[:150]


def check_transition(*, dossier: Dossier, action: str, actor: User | None) -> Transition:
    """The table row for ``action`` on ``dossier`` by ``actor``, or ``TransitionNotAllowed``."""
    from dossiers.permissions import actor_kinds

    row = transition_for(action, dossier.status)
    if row is None:
        raise TransitionNotAllowed(not_allowed_message(action, dossier.status), code="status")
    if not actor_kinds(actor, dossier, among=row.actors):
        raise TransitionNotAllowed(not_permitted_message(action), code="actor")
    return row


def _next_sequence(dossier_id: int) -> CombinedExpression:
    """The next history number of the dossier, computed by the database inside the insert (one
    round trip fewer). Safe because the dossier row is written first in the same transaction:
    a second writer waits on that row lock until this history row is committed (a refused
    attempt locks the row before its insert)."""
    last = (
        DossierEvent.objects.filter(dossier_id=dossier_id)
        .values("dossier_id")
        .annotate(last=Max("sequence"))
        .values("last")
    )
    return Coalesce(Subquery(last), Value(0)) + Value(1)


def _event_agency(actor: User | None, dossier: Dossier) -> Agency | None:
    from dossiers.permissions import acting_agency

    return acting_agency(actor, dossier)


def transition(
    *,
    dossier: Dossier,
    action: str,
    actor: User | None,
    expected_lock_version: int | None = None,
    reason: str = "",
    data: Mapping[str, Any] | None = None,
    files: Iterable[DossierFile] = (),
    updates: Mapping[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Take ``action`` on ``dossier`` for ``actor`` (None: the system itself) and return it updated.

    ``expected_lock_version`` is the version the person saw (a form's hidden field); by default
    the version of the ``dossier`` object passed in. ``updates`` are other fields written in the
    same ``UPDATE`` (``code``, ``due_at`` …), never ``status`` or ``lock_version``. ``data`` and
    ``files`` go into the history row. Raises ``TransitionNotAllowed`` (not from this status, or
    not by this person) and ``ConcurrentUpdate`` (someone changed the dossier meanwhile).
    """
    at = now or timezone.now()
    fields = dict(updates or {})
    if _PROTECTED_FIELDS & fields.keys():
        raise ValueError(f"transition() writes {sorted(_PROTECTED_FIELDS & fields.keys())} itself")
    seen_version = dossier.lock_version if expected_lock_version is None else expected_lock_version
    if seen_version != dossier.lock_version:
        raise ConcurrentUpdate(str(CONCURRENT_MESSAGE))
    row = check_transition(dossier=dossier, action=action, actor=actor)
    source = dossier.status
    target = row.target_from(source)

    # No savepoint of its own inside a caller's transaction: a failure here rolls the caller's
    # block back (to its savepoint, if it made one), which is what every caller wants.
    with db_transaction.atomic(savepoint=False):
        written = Dossier.objects.filter(pk=dossier.pk, lock_version=seen_version, status=source).update(
            status=target, lock_version=F("lock_version") + 1, **fields
        )
        if written != 1:
            raise ConcurrentUpdate(str(CONCURRENT_MESSAGE))
        event = DossierEvent.objects.create(
            dossier_id=dossier.pk,
            sequence=_next_sequence(dossier.pk),
            action=str(action),
            from_status=source,
            to_status=target,
            actor=actor,
            actor_name=_actor_name(actor),
            agency=_event_agency(actor, dossier),
            at=at,
            reason=reason,
            data=dict(data or {}),
        )
        del event.sequence  # the database's number, read back only if someone asks for it
        file_list = list(files)
        if file_list:
            event.files.set(file_list)
        for name, value in fields.items():
            setattr(dossier, name, value)
        dossier.status = target  # the in-memory copy mirrors the row written above
        dossier.lock_version = seen_version + 1
        changed = DossierChanged(
            dossier_id=dossier.pk,
            code=dossier.code,
            action=str(action),
            from_status=source,
            to_status=target,
            event_id=event.pk,
        )
        emit_in_transaction(changed)  # listeners that queue jobs: the job rows commit with the change
        db_transaction.on_commit(lambda: emit(changed))
    return dossier


def record_refused_attempt(
    *, dossier: Dossier, action: str, actor: User | None, message: str, now: dt.datetime | None = None
) -> DossierEvent:
    """Write a history row for an attempt that the rules refused (no status change, no event).

    The row's ``action`` is ``<action>_refused`` and its reason the message the person got, so
    the audit shows who tried what (e.g. a second reschedule, Checklist 21). The dossier row is
    locked while the sequence is taken; its ``lock_version`` is not changed, so forms open
    elsewhere stay valid.
    """
    with db_transaction.atomic():
        Dossier.objects.select_for_update().filter(pk=dossier.pk).values_list("pk", flat=True).first()
        event = DossierEvent.objects.create(
            dossier_id=dossier.pk,
            sequence=_next_sequence(dossier.pk),
            action=f"{action}{REFUSED_SUFFIX}",
            from_status=dossier.status,
            to_status=dossier.status,
            actor=actor,
            actor_name=_actor_name(actor),
            agency=_event_agency(actor, dossier),
            at=now or timezone.now(),
            reason=message,
            data={"refused": True},
        )
    del event.sequence  # the database's number, read back when asked for
    return event
