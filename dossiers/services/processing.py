"""Processing a received dossier (Decree 61/2018 Art. 18–19): transfer from the desk, hand-over
between steps (Mẫu 05), assignment, liên thông tasks, the financial-obligation pause, and the
apology with a new due date (Mẫu 04). Verification and consultation records: ``inquiries``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Membership, Role, User
from agencies.models import Agency
from catalog.rules import money
from dossiers import conf
from dossiers.errors import DossierInvalid, TransitionNotAllowed
from dossiers.models import Dossier, DossierFile, DossierPause, DossierStep, Slip, Status
from dossiers.permissions import acting_steps, holds_step
from dossiers.services.clock import (
    current_instant,
    local_day,
    require_aware,
    step_due,
    step_timeliness,
    transfer_due,
)
from dossiers.services.issuing import issue_slip
from dossiers.services.steps import (
    is_return_step,
    open_parallel_steps,
    siblings_of,
    step_finish,
    step_start,
    unfinished_steps,
    workflow_of,
)
from dossiers.transitions import Action, check_transition, record_refused_attempt, transition
from workcalendar.clock import TZ, add_working_days, add_working_minutes, working_minutes_between


def _check_holder(user: User, step: DossierStep, day: dt.date) -> None:
    """``user`` must hold ``step``'s role at ``step``'s agency."""
    held = Membership.objects.held_by(user).current().filter(agency_id=step.agency_id, role=step.role)
    if not held.exists():
        message = _("%(person)s không giữ vai trò «%(role)s» tại %(agency)s.") % {
            "person": user.get_full_name(),
            "role": Role(step.role).label,
            "agency": step.agency.name,
        }
        raise DossierInvalid(message, field_errors={"assignee": [message]})


def dossier_forward(
    *,
    dossier: Dossier,
    actor: User,
    to_user: User | None = None,
    outcome: str = "",
    expected_lock_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Hand the dossier over to the next step (from, to, when, who: Mẫu 05).

    From the desk (received → processing): the transfer to the competent agency, on time when
    the same working day, or at the start of the next working day for a dossier received after
    the cut-off (Art. 18); a late transfer is flagged in the history. Between steps: the current
    step is finished and rated (early / on time / late against its hour budget) and the next one
    starts with its own due time — not while a liên thông task runs beside the current step.
    The parallel steps of the process that run beside the step reached (another agency's
    liên thông, Art. 19.6) start at the same instant, each with its own due time, and are named
    in the history row; the participating agency hands each back with
    ``dossier_inter_agency_finish``. The last step (handing back the result) starts with
    ``dossier_resolve``, not here.
    """
    at = current_instant(now)
    check_transition(dossier=dossier, action=Action.FORWARD, actor=actor)
    steps = unfinished_steps(dossier)
    workflow = workflow_of(dossier)
    if not steps:
        raise TransitionNotAllowed(_("Hồ sơ đã qua hết các bước của quy trình."))
    current = steps[0]
    day = local_day(at)
    data: dict[str, Any] = {}
    updates: dict[str, Any] = {}
    if dossier.status == Status.RECEIVED:
        target = current
        assert dossier.received_at is not None
        due = transfer_due(received_at=dossier.received_at, agency=dossier.receiving_agency_id)
        updates["transferred_at"] = at
        data.update(
            {
                "transfer_due_at": due.isoformat(),
                "late_transfer": at > due,
                "to_agency": target.agency.name,
                "to_step": target.name,
            }
        )
        finishing: DossierStep | None = None
    else:
        if current.started_at is None:
            raise TransitionNotAllowed(_("Bước hiện tại chưa được bắt đầu."))
        if open_parallel_steps(dossier, current, steps=steps):
            raise TransitionNotAllowed(_("Còn nhiệm vụ liên thông chưa hoàn thành; chưa thể chuyển bước."))
        following = [step for step in steps if step.order > current.order]
        if not following or is_return_step(following[0], workflow):
            raise TransitionNotAllowed(
                _("Đây là bước cuối của khâu giải quyết: hãy hoàn thành giải quyết hồ sơ.")
            )
        target, finishing = following[0], current
        timeliness = step_timeliness(
            started_at=current.started_at,
            finished_at=at,
            budget_hours=current.budget_hours,
            agency=current.agency_id,
        )
        data.update(
            {
                "from_step": current.name,
                "from_agency": current.agency.name,
                "timeliness": str(timeliness),
                "to_step": target.name,
                "to_agency": target.agency.name,
            }
        )
    if to_user is not None:
        _check_holder(to_user, target, day)
        data["to_user"] = to_user.get_full_name()
    siblings = siblings_of(target, steps) if target.started_at is None else []
    for sibling in siblings:  # their due times go into the history row: set before it is written
        step_start(step=sibling, at=at, handed_over_by=actor, save=False)
    if siblings:
        data["inter_agency"] = [_sibling_data(sibling) for sibling in siblings]
    with transaction.atomic():
        transition(
            dossier=dossier,
            action=Action.FORWARD,
            actor=actor,
            expected_lock_version=expected_lock_version,
            reason=outcome.strip(),
            updates=updates,
            data=data,
            now=at,
        )
        if finishing is not None:
            step_finish(step=finishing, at=at, outcome=outcome.strip(), by=actor)
        if target.started_at is None:
            step_start(step=target, at=at, handed_over_by=actor, received_by=to_user)
        elif to_user is not None:
            target.assignee = to_user
            target.received_by = to_user
            target.save(update_fields=["assignee", "received_by"])
        for sibling in siblings:
            sibling.save(update_fields=["started_at", "due_at", "handed_over_by"])
    return dossier


def _sibling_data(step: DossierStep) -> dict[str, Any]:
    """A parallel step started by a hand-over, as the history row of a liên thông task sent by
    hand records it (``dossier_inter_agency_start``)."""
    assert step.due_at is not None
    return {
        "step_id": step.pk,
        "agency_id": step.agency_id,
        "agency": step.agency.name,
        "role": step.role,
        "task": step.name,
        "budget_hours": str(step.budget_hours),
        "due_at": step.due_at.isoformat(),
    }


def dossier_assign(
    *,
    dossier: Dossier,
    actor: User,
    assignee: User,
    step: DossierStep | None = None,
    expected_lock_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """The head of the agency names the handler of a step (the current one by default)."""
    at = current_instant(now)
    check_transition(dossier=dossier, action=Action.ASSIGN, actor=actor)
    if step is None:
        candidates = acting_steps(dossier)
        if not candidates:
            raise TransitionNotAllowed(_("Hồ sơ không còn bước nào để phân công."))
        step = candidates[0]
    elif step.dossier_id != dossier.pk or step.finished_at is not None:
        raise DossierInvalid(_("Bước được phân công không thuộc hồ sơ hoặc đã hoàn thành."))
    _check_holder(assignee, step, local_day(at))
    with transaction.atomic():
        transition(
            dossier=dossier,
            action=Action.ASSIGN,
            actor=actor,
            expected_lock_version=expected_lock_version,
            data={
                "step_id": step.pk,
                "step": step.name,
                "assignee_id": assignee.pk,
                "assignee": assignee.get_full_name(),
            },
            now=at,
        )
        step.assignee = assignee
        fields = ["assignee"]
        if step.started_at is not None:
            step.received_by = assignee
            fields.append("received_by")
        step.save(update_fields=fields)
    return dossier


def _budget(value: Decimal | int | str) -> Decimal:
    try:
        budget = Decimal(str(value))
    except InvalidOperation:
        budget = Decimal(0)
    if not budget.is_finite() or budget < Decimal("0.5"):
        message = _("Thời gian được giao phải từ 0,5 giờ làm việc trở lên.")
        raise DossierInvalid(message, field_errors={"budget_hours": [message]})
    return budget


def dossier_inter_agency_start(
    *,
    dossier: Dossier,
    actor: User,
    agency: Agency,
    task: str,
    budget_hours: Decimal | int | str,
    role: str = Role.SPECIALIST,
    expected_lock_version: int | None = None,
    now: dt.datetime | None = None,
) -> DossierStep:
    """Send a liên thông task to another agency, in parallel with the current step (Art. 19.6):
    the agency, its task and its deadline (from its hour budget) are recorded."""
    at = current_instant(now)
    check_transition(dossier=dossier, action=Action.START_INTER_AGENCY, actor=actor)
    task = task.strip()
    if not task:
        message = _("Phải ghi rõ nhiệm vụ của cơ quan phối hợp.")
        raise DossierInvalid(message, field_errors={"task": [message]})
    if not agency.is_active_on(local_day(at)):
        raise DossierInvalid(_("Cơ quan phối hợp không còn hoạt động."))
    if role not in Role.values or role == Role.PROVINCE_ADMIN:
        raise DossierInvalid(_("Vai trò thực hiện không hợp lệ."))
    # Roles are held "now" (as for assignment), whatever instant the task is dated.
    holders = Membership.objects.current().filter(
        agency=agency, role=role, user__is_active=True, user__kind=User.Kind.STAFF
    )
    if not holders.exists():
        message = _("%(agency)s chưa có cán bộ giữ vai trò «%(role)s» để nhận nhiệm vụ liên thông.") % {
            "agency": agency.name,
            "role": Role(role).label,
        }
        raise DossierInvalid(message, field_errors={"role": [message]})
    budget = _budget(budget_hours)
    steps = unfinished_steps(dossier)
    order = steps[0].order if steps else 1
    due = step_due(started_at=at, budget_hours=budget, agency=agency)
    with transaction.atomic():
        step = DossierStep.objects.create(
            dossier=dossier,
            order=order,
            name=task[:255],
            agency=agency,
            role=role,
            is_inter_agency=True,
            budget_hours=budget,
            started_at=at,
            due_at=due,
            handed_over_by=actor,
        )
        transition(
            dossier=dossier,
            action=Action.START_INTER_AGENCY,
            actor=actor,
            expected_lock_version=expected_lock_version,
            reason=task,
            data={
                "step_id": step.pk,
                "agency_id": agency.pk,
                "agency": agency.name,
                "role": role,
                "task": task,
                "budget_hours": str(budget),
                "due_at": due.isoformat(),
            },
            now=at,
        )
        return step


def dossier_inter_agency_finish(
    *,
    dossier: Dossier,
    actor: User,
    step: DossierStep,
    outcome: str,
    files: Sequence[DossierFile] = (),
    expected_lock_version: int | None = None,
    now: dt.datetime | None = None,
) -> DossierStep:
    """The coordinating agency records its result for its liên thông task; its lateness is rated.

    ``files`` are the documents of its answer (a tax notice, an opinion letter): working files of
    this dossier in force, attached beforehand in the caller's transaction; they go on the
    history row."""
    at = current_instant(now)
    check_transition(dossier=dossier, action=Action.FINISH_INTER_AGENCY, actor=actor)
    current = unfinished_steps(dossier)[:1]
    if (
        step.dossier_id != dossier.pk
        or not step.is_inter_agency
        or step.started_at is None
        or step.finished_at is not None
        or (current and current[0].pk == step.pk)
    ):
        raise TransitionNotAllowed(_("Đây không phải nhiệm vụ liên thông đang thực hiện của hồ sơ."))
    if not holds_step(actor, step):
        raise TransitionNotAllowed(_("Bạn không phải người thực hiện nhiệm vụ liên thông này."))
    outcome = outcome.strip()
    if not outcome:
        message = _("Phải ghi kết quả thực hiện nhiệm vụ liên thông.")
        raise DossierInvalid(message, field_errors={"outcome": [message]})
    attached = list({f.pk: f for f in files}.values())
    in_force = set(
        DossierFile.objects.filter(
            pk__in=[f.pk for f in attached if f.pk is not None],
            dossier_id=dossier.pk,
            kind=DossierFile.Kind.WORKING,
            replaced_by__isnull=True,
        ).values_list("pk", flat=True)
    )
    for record in attached:
        if record.pk not in in_force:
            message = _("Tệp «%(name)s» không phải tài liệu xử lý hiện hành của hồ sơ này.") % {
                "name": record.name
            }
            raise DossierInvalid(message, field_errors={"files": [message]})
    timeliness = step_timeliness(
        started_at=step.started_at, finished_at=at, budget_hours=step.budget_hours, agency=step.agency_id
    )
    with transaction.atomic():
        transition(
            dossier=dossier,
            action=Action.FINISH_INTER_AGENCY,
            actor=actor,
            expected_lock_version=expected_lock_version,
            reason=outcome,
            data={
                "step_id": step.pk,
                "agency": step.agency.name,
                "timeliness": str(timeliness),
                "late": timeliness == DossierStep.Timeliness.LATE,
                "files": [f.pk for f in attached],
            },
            files=attached,
            now=at,
        )
        return step_finish(step=step, at=at, outcome=outcome, by=actor)


def apology_deadline(dossier: Dossier) -> dt.datetime | None:
    """The last instant an apology may be issued: N working days before the due time."""
    if dossier.due_at is None:
        return None
    return add_working_days(dossier.due_at, -conf.apology_lead_days(), agency=dossier.competent_agency_id)


def dossier_apologise(
    *,
    dossier: Dossier,
    actor: User,
    reason: str,
    new_due_at: dt.datetime,
    expected_lock_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Apologise and set a new due date (Mẫu 04, Art. 19.9): at the latest one working day
    before the due time, once only. A second attempt is refused and recorded in the history."""
    at = current_instant(now)
    check_transition(dossier=dossier, action=Action.APOLOGISE, actor=actor)
    if dossier.apology_count >= 1:
        message = _("Hồ sơ đã được hẹn lại ngày trả kết quả một lần; không được hẹn lại lần thứ hai.")
        record_refused_attempt(dossier=dossier, action=Action.APOLOGISE, actor=actor, message=message, now=at)
        raise TransitionNotAllowed(message, code="apology_once")
    reason = reason.strip()
    if not reason:
        message = _("Phải nêu rõ lý do chậm trả kết quả.")
        raise DossierInvalid(message, field_errors={"reason": [message]})
    require_aware(new_due_at, "new_due_at", _("Ngày hẹn trả kết quả lại không hợp lệ."))
    latest = apology_deadline(dossier)
    assert latest is not None
    assert dossier.due_at is not None
    if at > latest:
        raise TransitionNotAllowed(
            _("Phải xin lỗi và hẹn lại chậm nhất %(days)s ngày làm việc trước hạn trả kết quả (%(when)s).")
            % {"days": conf.apology_lead_days(), "when": f"{latest.astimezone(TZ):%H:%M %d/%m/%Y}"},
            code="apology_too_late",
        )
    if new_due_at <= dossier.due_at:
        message = _("Ngày hẹn trả kết quả lại phải sau ngày hẹn hiện tại.")
        raise DossierInvalid(message, field_errors={"new_due_at": [message]})
    with transaction.atomic():
        previous = dossier.due_at
        transition(
            dossier=dossier,
            action=Action.APOLOGISE,
            actor=actor,
            expected_lock_version=expected_lock_version,
            reason=reason,
            updates={"due_at": new_due_at, "apology_count": dossier.apology_count + 1},
            data={
                "previous_due_at": previous.isoformat(),
                "original_due_at": (dossier.original_due_at or previous).isoformat(),
                "new_due_at": new_due_at.isoformat(),
            },
            now=at,
        )
        issue_slip(dossier=dossier, form=Slip.Form.APOLOGY, actor=actor, content={"reason": reason}, now=at)
    return dossier


def dossier_payment_request(
    *,
    dossier: Dossier,
    actor: User,
    reason: str,
    data: dict[str, Any] | None = None,
    expected_lock_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Ask the applicant to fulfil a financial obligation (status 6); the clock pauses meanwhile.
    What is owed and how it is paid belongs to the payments app (``data`` is recorded as is)."""
    at = current_instant(now)
    check_transition(dossier=dossier, action=Action.REQUEST_PAYMENT, actor=actor)
    reason = reason.strip()
    if not reason:
        message = _("Phải ghi rõ nghĩa vụ tài chính cần thực hiện.")
        raise DossierInvalid(message, field_errors={"reason": [message]})
    with transaction.atomic():
        transition(
            dossier=dossier,
            action=Action.REQUEST_PAYMENT,
            actor=actor,
            expected_lock_version=expected_lock_version,
            reason=reason,
            data=dict(data or {}),
            updates={"paused_since": at},
            now=at,
        )
        DossierPause.objects.create(
            dossier=dossier, reason=reason[:500], status=Status.AWAITING_PAYMENT, started_at=at
        )
    return dossier


def dossier_fees_request(
    *,
    dossier: Dossier,
    actor: User,
    note: str = "",
    expected_lock_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Ask the applicant to pay what the dossier owes (status 6; the clock pauses): the fee lines
    not paid yet (frozen from the procedure version by the payments app, exemptions applied), their
    total and the note of the person asking. With no fee left to pay, the note must describe the
    other obligation (a tax, a land-use levy …), which the desk then confirms by its voucher.

    The applicant is told by e-mail and SMS (``dossiers.notifications``, with this text) and pays
    on the dossier's "Thanh toán" page; the gateway's IPN or the clerk's counter payment resumes
    the processing (``payments.services``), as does ``dossier_payment_confirm`` by hand.
    """
    # payments builds on dossiers (it resumes a dossier through this module): imported here.
    from payments.selectors import outstanding_lines
    from payments.services import dossier_fees_snapshot

    at = current_instant(now)
    check_transition(dossier=dossier, action=Action.REQUEST_PAYMENT, actor=actor)
    note = note.strip()
    with transaction.atomic():
        dossier_fees_snapshot(dossier=dossier)
        lines = list(outstanding_lines(dossier))
        if not lines and not note:
            message = _(
                "Hồ sơ không còn khoản phí, lệ phí nào phải nộp. Nếu người nộp phải thực hiện nghĩa vụ "
                "tài chính khác (thuế, tiền sử dụng đất …), hãy ghi rõ nội dung."
            )
            raise DossierInvalid(message, field_errors={"note": [message]})
        total = sum(int(line.amount) for line in lines)
        parts = []
        if lines:
            parts.append(
                _("Nộp phí, lệ phí %(total)s: %(lines)s.")
                % {
                    "total": money(total),
                    "lines": "; ".join(f"{line.name} {money(int(line.amount))}" for line in lines),
                }
            )
        if note:
            parts.append(note)
        return dossier_payment_request(
            dossier=dossier,
            actor=actor,
            reason="\n".join(parts),
            data={
                "fees": [{"id": line.pk, "name": line.name, "amount": int(line.amount)} for line in lines],
                "amount": total,
                "note": note,
            },
            expected_lock_version=expected_lock_version,
            now=at,
        )


def dossier_payment_confirm(
    *,
    dossier: Dossier,
    actor: User | None,
    reference: str = "",
    expected_lock_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """The obligation is fulfilled (``actor`` None: confirmed by the payment system): processing
    resumes and the due time moves by the working time spent waiting.

    A person confirming names the voucher (receipt, treasury slip …) and cannot confirm while fees
    of the dossier remain unpaid: those are settled through the payments app (online, or at the
    counter), which confirms by itself, or exempted with a reason."""
    from payments.selectors import outstanding_lines  # payments builds on dossiers

    at = current_instant(now)
    check_transition(dossier=dossier, action=Action.CONFIRM_PAYMENT, actor=actor)
    reference = reference.strip()
    if actor is not None:
        if not reference:
            message = _("Phải ghi số, ký hiệu chứng từ đã thực hiện nghĩa vụ tài chính.")
            raise DossierInvalid(message, field_errors={"reference": [message]})
        owed = sum(int(line.amount) for line in outstanding_lines(dossier))
        if owed:
            raise TransitionNotAllowed(
                _(
                    "Hồ sơ còn %(amount)s phí, lệ phí chưa nộp: thu tại quầy, chờ người nộp thanh toán "
                    "trực tuyến hoặc ghi nhận miễn, giảm trước khi xác nhận."
                )
                % {"amount": money(owed)},
                code="fees_outstanding",
            )
    pause = (
        DossierPause.objects.filter(dossier=dossier, ended_at__isnull=True).order_by("-started_at").first()
    )
    agency = dossier.competent_agency_id
    paused = working_minutes_between(pause.started_at, at, agency=agency) if pause is not None else 0
    updates: dict[str, Any] = {"paused_since": None}
    if paused > 0 and dossier.due_at is not None:
        updates["due_at"] = add_working_minutes(dossier.due_at, paused, agency=agency)
        if dossier.original_due_at is not None and dossier.apology_count == 0:
            updates["original_due_at"] = add_working_minutes(dossier.original_due_at, paused, agency=agency)
    with transaction.atomic():
        transition(
            dossier=dossier,
            action=Action.CONFIRM_PAYMENT,
            actor=actor,
            expected_lock_version=expected_lock_version,
            data={"reference": reference, "paused_working_minutes": paused},
            updates=updates,
            now=at,
        )
        if pause is not None:
            DossierPause.objects.filter(pk=pause.pk).update(ended_at=at)
    return dossier
