"""A unit report's life: open, save figures, send, approve or return, and the figures a unit's
own system sends through the API.

``report_open`` makes the draft of a unit for a form and a period (once: it is unique per
form, unit and period), due ``form.due_days`` days after the period ends. The unit's staff
save figures (``report_save_values``: from the page, the Excel template or the API, checked by
``indicators.report_values``, all or nothing) and send it (``report_submit``); the reviewer
agency approves it (``report_approve``: its figures then count in the operations centre) or
returns it with a reason (``report_return``); a returned report is corrected and sent again.

Every change of a report — its status, its figures, its note — goes through
:func:`_report_transition`, the one place a report's status is written: it checks the step is
allowed from the current status, takes the optimistic lock (``UPDATE … WHERE lock_version = the
version the person saw``: someone who changed the report meanwhile makes the step fail with
:class:`ReportConflict`, nothing written) and writes one :class:`ReportEvent`, in the caller's
transaction. Who may take which step is written in ``indicators/report_permissions.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from agencies.models import Agency
from indicators.models import Indicator, Period, Report, ReportEvent, ReportForm, ReportStatus, ReportValue
from indicators.report_permissions import may_report_for, may_review
from indicators.report_selectors import due_date_for, form_indicators, period_in_text
from indicators.report_values import EMPTY, CleanValue, FieldErrors, clean_value
from indicators.services.notices import tell_reviewers, tell_unit

S = ReportStatus

# action → (statuses it may start from, status it leads to; None keeps the status)
TRANSITIONS: dict[str, tuple[frozenset[ReportStatus], ReportStatus | None]] = {
    "save": (frozenset({S.DRAFT, S.RETURNED}), None),
    "import": (frozenset({S.DRAFT, S.RETURNED}), None),
    "submit": (frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED),
    # A unit's own system sends its figures again while they wait for review (API only).
    "resubmit": (frozenset({S.SUBMITTED}), S.SUBMITTED),
    "approve": (frozenset({S.SUBMITTED}), S.APPROVED),
    "return": (frozenset({S.SUBMITTED}), S.RETURNED),
}

ACTION_LABELS: dict[str, Promise] = {
    "create": gettext_lazy("Lập báo cáo"),
    "save": gettext_lazy("Lưu nháp"),
    "import": gettext_lazy("Nhập số liệu từ tệp Excel"),
    "submit": gettext_lazy("Gửi báo cáo"),
    "resubmit": gettext_lazy("Gửi lại số liệu"),
    "approve": gettext_lazy("Duyệt báo cáo"),
    "return": gettext_lazy("Trả lại để sửa"),
}

SOURCES = ("form", "excel", "api")
INCOMPLETE_MESSAGE = gettext_lazy("Báo cáo còn chỉ tiêu chưa có số liệu hoặc giải trình; chưa gửi được.")


class ReportError(Exception):
    """A step that cannot be taken; ``message`` says why, in Vietnamese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ReportConflict(ReportError):
    """Someone changed the report since the person loaded it: nothing was written."""


class ApprovedAlready(ReportError):
    """The report was approved: figures sent now are refused (HTTP 409 on the API)."""


class ReportValidationError(ReportError):
    """Figures that cannot be accepted; ``errors[code][field]`` holds the reasons (``""`` as the
    code for the report's own fields). Nothing was written."""

    def __init__(self, errors: Mapping[str, FieldErrors], message: str | None = None) -> None:
        super().__init__(message or _("Số liệu chưa hợp lệ, xem các ô được đánh dấu; chưa có gì được lưu."))
        self.errors: dict[str, FieldErrors] = {code: dict(fields) for code, fields in errors.items()}


def conflict_message() -> str:
    return _(
        "Báo cáo vừa được người khác cập nhật sau khi bạn mở trang; số liệu bạn vừa nhập chưa được "
        "lưu và vẫn còn trên trang. Hãy đối chiếu với số liệu mới nhất rồi lưu lại."
    )


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def _actor_name(actor: User | None) -> str:
    return actor.get_full_name()[:150] if actor is not None else str(_("Hệ thống congso"))


def _check_step(report: Report, action: str, lock_version: int) -> ReportStatus:
    """The report's stored status, if ``action`` may start from it and the report is still at
    ``lock_version``; raises otherwise."""
    if action not in TRANSITIONS:
        raise ReportError(_("Thao tác “%(action)s” không tồn tại.") % {"action": action})
    stored = Report.objects.filter(pk=report.pk).values_list("status", "lock_version").first()
    if stored is None:
        raise ReportError(_("Không tìm thấy báo cáo."))
    current, version = ReportStatus(stored[0]), stored[1]
    if version != lock_version:
        raise ReportConflict(conflict_message())
    if current not in TRANSITIONS[action][0]:
        raise ReportError(
            _("Không thể “%(action)s” khi báo cáo đang ở trạng thái “%(status)s”.")
            % {"action": action_label(action), "status": current.label}
        )
    return current


def _report_transition(
    *,
    report: Report,
    action: str,
    actor: User | None,
    lock_version: int,
    updates: Mapping[str, Any] | None = None,
    comment: str = "",
    data: Mapping[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> Report:
    """Take step ``action`` on ``report`` seen at ``lock_version``; write its history row.

    The ONLY place a report's status is written (checked by
    ``indicators/tests/test_reports_single_transition_point.py``). Must run in a transaction.
    """
    current = _check_step(report, action, lock_version)
    new_status = TRANSITIONS[action][1] or current
    at = now or timezone.now()
    fields = dict(updates or {})
    written = Report.objects.filter(pk=report.pk, lock_version=lock_version, status=current).update(
        status=new_status, lock_version=F("lock_version") + 1, **fields
    )
    if written != 1:
        raise ReportConflict(conflict_message())
    ReportEvent.objects.create(
        report_id=report.pk,
        action=action,
        from_status=current,
        to_status=new_status,
        actor=actor,
        actor_name=_actor_name(actor),
        at=at,
        comment=comment,
        data=dict(data or {}),
    )
    for name, value in fields.items():
        setattr(report, name, value)
    report.status = new_status
    report.lock_version = lock_version + 1
    return report


# --- opening a report ----------------------------------------------------------------------------


def report_open(
    *, form: ReportForm, agency: Agency, period: Period, user: User, now: dt.datetime | None = None
) -> Report:
    """The report of ``agency`` for ``form`` and ``period``, made as a draft if there is none."""
    return report_open_or_create(form=form, agency=agency, period=period, user=user, now=now)[0]


def report_open_or_create(
    *, form: ReportForm, agency: Agency, period: Period, user: User, now: dt.datetime | None = None
) -> tuple[Report, bool]:
    """As :func:`report_open`, also saying whether the report was made now."""
    if not may_report_for(user, agency):
        raise ReportError(_("Bạn không được lập báo cáo của %(unit)s.") % {"unit": agency.name})
    existing = Report.objects.filter(form=form, agency=agency, period=period).first()
    if existing is not None:
        return existing, False
    _check_can_open(form=form, agency=agency, period=period, now=now)
    at = now or timezone.now()
    try:
        with transaction.atomic():
            report = Report.objects.create(
                form=form,
                agency=agency,
                period=period,
                due_date=due_date_for(form, period),
                created_by=user,
            )
            ReportEvent.objects.create(
                report=report,
                action="create",
                from_status="",
                to_status=report.status,
                actor=user,
                actor_name=_actor_name(user),
                at=at,
            )
    except IntegrityError:
        # Someone opened the same report between our read and our insert.
        return Report.objects.get(form=form, agency=agency, period=period), False
    return report, True


def _check_can_open(*, form: ReportForm, agency: Agency, period: Period, now: dt.datetime | None) -> None:
    today = timezone.localdate(now) if now is not None else timezone.localdate()
    if not form.is_active:
        raise ReportError(_("Biểu mẫu “%(form)s” không còn áp dụng.") % {"form": form.name})
    if period.kind != form.periodicity:
        raise ReportError(
            _("Biểu “%(form)s” báo cáo theo kỳ %(kind)s, không lập cho %(period)s.")
            % {"form": form.name, "kind": form.get_periodicity_display().lower(), "period": period.label}
        )
    if period.start > today:
        raise ReportError(_("%(period)s chưa bắt đầu, chưa lập báo cáo được.") % {"period": period.label})
    if agency.kind not in (form.reporting_kinds or []):
        raise ReportError(
            _("%(unit)s không thuộc diện báo cáo theo biểu “%(form)s”.")
            % {"unit": agency.name, "form": form.name}
        )
    if not agency.is_active_on(period.end):
        raise ReportError(
            _(
                "%(unit)s không hoạt động vào cuối %(period)s: báo cáo của kỳ này thuộc về đơn vị "
                "hoạt động lúc đó."
            )
            % {"unit": agency.name, "period": period_in_text(period)}
        )


# --- figures ---------------------------------------------------------------------------------------


def report_clean_values(
    *, report: Report, values: Mapping[str, Mapping[str, object]]
) -> tuple[dict[int, CleanValue], dict[str, FieldErrors]]:
    """Check ``values`` (by indicator code) against ``report``'s form; nothing is written."""
    by_code = {indicator.code: indicator for indicator in form_indicators(report.form)}
    cleaned: dict[int, CleanValue] = {}
    errors: dict[str, FieldErrors] = {}
    for code, raw in values.items():
        indicator = by_code.get(str(code).strip())
        if indicator is None:
            errors[str(code)] = {
                "indicator": [
                    _("Biểu “%(form)s” không có chỉ tiêu mã “%(code)s”.")
                    % {"form": report.form.name, "code": code}
                ]
            }
            continue
        if not isinstance(raw, Mapping):
            errors[indicator.code] = {
                "value": [_("Số liệu của chỉ tiêu phải gồm giá trị, tử số, mẫu số, giải trình.")]
            }
            continue
        clean, field_errors = clean_value(indicator, raw)
        if field_errors:
            errors[indicator.code] = field_errors
        else:
            cleaned[indicator.pk] = clean
    return cleaned, errors


def _stored(report: Report) -> dict[int, ReportValue]:
    return {row.indicator_id: row for row in ReportValue.objects.filter(report=report)}


def _as_clean(row: ReportValue | None) -> CleanValue:
    if row is None:
        return EMPTY
    return CleanValue(row.value, row.numerator, row.denominator, row.comment)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def _changes(report: Report, cleaned: Mapping[int, CleanValue], *, replace: bool) -> dict[int, CleanValue]:
    """The indicators whose stored figures differ from ``cleaned`` (absent ones are cleared when
    ``replace``)."""
    stored = _stored(report)
    wanted = dict(cleaned)
    if replace:
        for indicator in form_indicators(report.form):
            wanted.setdefault(indicator.pk, EMPTY)
    return {pk: clean for pk, clean in wanted.items() if _as_clean(stored.get(pk)) != clean}


def _write_values(report: Report, changes: Mapping[int, CleanValue]) -> None:
    for indicator_id, clean in changes.items():
        if clean.is_empty:
            ReportValue.objects.filter(report=report, indicator_id=indicator_id).delete()
            continue
        ReportValue.objects.update_or_create(
            report=report,
            indicator_id=indicator_id,
            defaults={
                "value": clean.value,
                "numerator": clean.numerator,
                "denominator": clean.denominator,
                "comment": clean.comment,
            },
        )


def _change_log(report: Report, changes: Mapping[int, CleanValue]) -> dict[str, Any]:
    codes = dict(Indicator.objects.filter(pk__in=list(changes)).values_list("pk", "code"))
    stored = _stored(report)
    log: dict[str, Any] = {}
    for pk, clean in changes.items():
        before = _as_clean(stored.get(pk))
        log[codes[pk]] = {
            "before": [_text(before.value), _text(before.numerator), _text(before.denominator)],
            "after": [_text(clean.value), _text(clean.numerator), _text(clean.denominator)],
        }
    return {"changed": log}


@transaction.atomic
def report_save_values(
    *,
    report: Report,
    values: Mapping[str, Mapping[str, object]],
    user: User,
    lock_version: int,
    comment: str | None = None,
    replace: bool = False,
    source: str = "form",
    action: str = "save",
    now: dt.datetime | None = None,
) -> Report:
    """Check and store ``values`` = ``{code: {value, numerator, denominator, comment}}``.

    All or nothing: any error raises :class:`ReportValidationError` and nothing is written.
    Indicators not in ``values`` keep their figures unless ``replace`` (then they are cleared).
    ``comment`` is the unit's note on the whole report (kept when None).
    """
    if not may_report_for(user, report.agency):
        raise ReportError(_("Bạn không được sửa báo cáo của %(unit)s.") % {"unit": report.agency.name})
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}")
    cleaned, errors = report_clean_values(report=report, values=values)
    note = None if comment is None else comment.strip()
    if note is not None and len(note) > 4000:
        errors[""] = {"comment": [_("Ghi chú dài tối đa 4.000 ký tự.")]}
    if errors:
        raise ReportValidationError(errors)
    changes = _changes(report, cleaned, replace=replace)
    if not changes and (note is None or note == report.comment):
        # Nothing to write (a "save" of an unchanged page, a send without edits): no history row,
        # but a stale page is still told so.
        _check_step(report, action, lock_version)
        return report
    updates: dict[str, Any] = {"source": source}
    if note is not None:
        updates["comment"] = note
    report = _report_transition(
        report=report,
        action=action,
        actor=user,
        lock_version=lock_version,
        updates=updates,
        data=_change_log(report, changes),
        now=now,
    )
    _write_values(report, changes)
    return report


def _incomplete(report: Report, changes: Mapping[int, CleanValue] | None = None) -> dict[str, FieldErrors]:
    """The indicators that have (or, once ``changes`` are applied, would have) neither a figure
    nor an explanation why there is none."""
    stored = {pk: _as_clean(row) for pk, row in _stored(report).items()}
    stored.update(changes or {})
    missing: dict[str, FieldErrors] = {}
    for indicator in form_indicators(report.form):
        clean = stored.get(indicator.pk, EMPTY)
        if clean.value is None and not clean.comment:
            field = "numerator" if indicator.is_ratio else "value"
            missing[indicator.code] = {
                field: [_("Chưa có số liệu: nhập số liệu, hoặc ghi giải trình vì sao chưa có.")]
            }
    return missing


@transaction.atomic
def report_submit(
    *,
    report: Report,
    user: User,
    lock_version: int,
    values: Mapping[str, Mapping[str, object]] | None = None,
    comment: str | None = None,
    replace: bool = False,
    source: str = "form",
    now: dt.datetime | None = None,
) -> Report:
    """Send ``report`` for review, after saving ``values`` when given (one transaction: a
    refusal leaves nothing saved). Every indicator needs a figure or an explanation."""
    if not may_report_for(user, report.agency):
        raise ReportError(_("Bạn không được gửi báo cáo của %(unit)s.") % {"unit": report.agency.name})
    if values is not None or comment is not None:
        report = report_save_values(
            report=report,
            values=values or {},
            user=user,
            lock_version=lock_version,
            comment=comment,
            replace=replace,
            source=source,
            now=now,
        )
        lock_version = report.lock_version
    missing = _incomplete(report)
    if missing:
        raise ReportValidationError(missing, str(INCOMPLETE_MESSAGE))
    at = now or timezone.now()
    report = _report_transition(
        report=report,
        action="submit",
        actor=user,
        lock_version=lock_version,
        updates={"submitted_at": at, "submitted_by": user},
        now=at,
    )
    tell_reviewers(report)
    return report


def _check_reviewer(report: Report, user: User) -> None:
    if not may_review(user, report):
        raise ReportError(_("Bạn không có quyền thẩm định báo cáo này."))


@transaction.atomic
def report_approve(
    *, report: Report, user: User, lock_version: int, comment: str = "", now: dt.datetime | None = None
) -> Report:
    """Approve ``report``: its figures count in the operations centre from now on."""
    from indicators.selectors import figures_cache_bump

    _check_reviewer(report, user)
    at = now or timezone.now()
    report = _report_transition(
        report=report,
        action="approve",
        actor=user,
        lock_version=lock_version,
        updates={"reviewed_at": at, "reviewed_by": user, "review_comment": comment.strip()},
        comment=comment.strip(),
        now=at,
    )
    transaction.on_commit(figures_cache_bump)
    tell_unit(report, _("Báo cáo đã được duyệt"), comment.strip())
    return report


@transaction.atomic
def report_return(
    *, report: Report, user: User, lock_version: int, comment: str, now: dt.datetime | None = None
) -> Report:
    """Return ``report`` to its unit for correction; the reason is required."""
    _check_reviewer(report, user)
    reason = comment.strip()
    if not reason:
        raise ReportValidationError(
            {"": {"comment": [_("Nhập lý do trả lại để đơn vị biết cần sửa gì.")]}},
            _("Nhập lý do trả lại để đơn vị biết cần sửa gì."),
        )
    at = now or timezone.now()
    report = _report_transition(
        report=report,
        action="return",
        actor=user,
        lock_version=lock_version,
        updates={"reviewed_at": at, "reviewed_by": user, "review_comment": reason},
        comment=reason,
        now=at,
    )
    tell_unit(report, _("Báo cáo bị trả lại để sửa"), reason)
    return report


@dataclass(frozen=True)
class Received:
    """What a unit's system got for its figures: the report, whether it was made now, whether
    anything changed (an identical resend changes nothing)."""

    report: Report
    created: bool
    changed: bool


@transaction.atomic
def report_receive(
    *,
    form: ReportForm,
    agency: Agency,
    period: Period,
    values: Mapping[str, Mapping[str, object]],
    user: User,
    comment: str | None = None,
    now: dt.datetime | None = None,
) -> Received:
    """A unit's figures sent by its own system (the API): stored and sent for review in one go.

    Idempotent per (form, unit, period) until the report is approved: the figures sent replace
    the stored ones; sending the same figures again changes nothing. An approved report is
    refused with :class:`ApprovedAlready`.
    """
    report, created = report_open_or_create(form=form, agency=agency, period=period, user=user, now=now)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status == ReportStatus.APPROVED:
        raise ApprovedAlready(
            _(
                "Báo cáo của %(unit)s, %(period)s đã được duyệt; không gửi lại được. Liên hệ cơ quan "
                "thẩm định nếu cần sửa."
            )
            % {"unit": agency.name, "period": period_in_text(period)}
        )
    cleaned, errors = report_clean_values(report=report, values=values)
    if errors:
        raise ReportValidationError(errors)
    changes = _changes(report, cleaned, replace=True)
    note_changed = comment is not None and comment.strip() != report.comment
    if report.status == ReportStatus.SUBMITTED:
        if not changes and not note_changed:
            return Received(report, created, False)
        missing = _incomplete(report, changes)
        if missing:
            raise ReportValidationError(missing, str(INCOMPLETE_MESSAGE))
        updates: dict[str, Any] = {
            "source": "api",
            "submitted_at": now or timezone.now(),
            "submitted_by": user,
        }
        if comment is not None:
            updates["comment"] = comment.strip()
        report = _report_transition(
            report=report,
            action="resubmit",
            actor=user,
            lock_version=report.lock_version,
            updates=updates,
            data=_change_log(report, changes),
            now=now,
        )
        _write_values(report, changes)
        tell_reviewers(report)
        return Received(report, created, True)
    report = report_submit(
        report=report,
        user=user,
        lock_version=report.lock_version,
        values=values,
        comment=comment,
        replace=True,
        source="api",
        now=now,
    )
    return Received(report, created, True)
