"""Civil servants warned before a step or a dossier falls due, leaders told what is overdue,
the head of the one-stop desk told of consultations left unanswered (Checklist 18, 26).

:func:`reminders_send` runs every ``CONGSO_REMINDER_EVERY_MINUTES`` (default 15). A step or a
dossier whose due time is within one of ``CONGSO_REMINDER_WORKING_HOURS`` (working hours on
the agency's working-time clock; default ``(8,)``, one working day) is announced to its
handler (the step's assignee, or whoever holds the step's role at its agency) and to the
agency's leaders — once per step (or due time) per threshold per person, the tightest
threshold reached. Paused dossiers (waiting for a supplement or a payment) are not reminded.
:func:`overdue_digest_send` sends each leader, on working days, the list of the agency's
overdue dossiers and steps. ``CONGSO_REMINDER_SMS`` (default False) adds an SMS to each
reminder.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Membership, Role, User
from agencies.models import Agency
from dossiers.models import Dossier, DossierEvent, DossierStep
from dossiers.notifications import backoffice_url, one_line, render_text, when, working_span
from dossiers.selectors import IN_PROGRESS, dossier_consultations
from dossiers.transitions import Action
from notifications.services import notify
from workcalendar.clock import add_working_hours, is_working_day, working_minutes_between

T = TypeVar("T")

LEADER_ROLES = (Role.AGENCY_LEADER, Role.DEPARTMENT_LEADER)


# --- Settings (read at call time, like dossiers.conf) ------------------------------------------


def reminder_thresholds() -> tuple[Decimal, ...]:
    """Working hours before a due time at which reminders go out, largest first."""
    raw: Iterable[Any] = getattr(settings, "CONGSO_REMINDER_WORKING_HOURS", (8,))
    values = sorted({Decimal(str(value)) for value in raw}, reverse=True)
    if not values or values[-1] <= 0:
        raise ValueError("CONGSO_REMINDER_WORKING_HOURS must list positive working hours")
    return tuple(values)


def reminder_by_sms() -> bool:
    """Whether staff reminders also go by SMS (e-mail only by default: SMS cost money)."""
    return bool(getattr(settings, "CONGSO_REMINDER_SMS", False))


# --- Civil servants ------------------------------------------------------------------------------


class _People:
    """Staff by agency and role, read once per run: those who hold the role today (a reminder
    goes to whoever holds the post now, whatever instant the clock is read at)."""

    def __init__(self) -> None:
        self.day = timezone.localdate()
        self._cache: dict[tuple[int, tuple[str, ...]], list[User]] = {}

    def holding(self, agency_id: int | None, roles: Sequence[str]) -> list[User]:
        if agency_id is None:
            return []
        key = (agency_id, tuple(roles))
        if key not in self._cache:
            user_ids = (
                Membership.objects.active_on(self.day)
                .filter(agency_id=agency_id, role__in=list(roles))
                .values("user_id")
            )
            self._cache[key] = list(
                User.objects.filter(pk__in=user_ids, is_active=True, kind=User.Kind.STAFF).order_by("pk")
            )
        return self._cache[key]

    def handlers(self, step: DossierStep) -> list[User]:
        if step.assignee is not None:
            return [step.assignee]
        return self.holding(step.agency_id, [step.role])

    def leaders(self, agency_id: int | None) -> list[User]:
        return self.holding(agency_id, LEADER_ROLES)


def _unique(people: Iterable[User]) -> list[User]:
    seen: dict[int, User] = {}
    for person in people:
        seen.setdefault(int(person.pk), person)
    return list(seen.values())


def _send_to_staff(
    people: Iterable[User], *, subject: str, template: str, context: dict[str, Any], reference: str, key: str
) -> int:
    sent = 0
    for person in _unique(people):
        body = render_text(f"staff/{template}", {**context, "name": person.get_full_name()})
        sent += len(
            notify(
                email=person.email,
                phone=person.phone if reminder_by_sms() else None,
                subject=subject,
                body=body,
                sms_body=one_line(subject),
                reference=reference,
                dedupe_key=f"{key}:{person.pk}",
            )
        )
    return sent


def _within(
    rows: Iterable[T],
    *,
    now: dt.datetime,
    agency_of: Callable[[T], int],
    due_of: Callable[[T], dt.datetime | None],
) -> list[tuple[T, Decimal, int]]:
    """The rows due within a threshold: (row, tightest threshold reached, working minutes left)."""
    thresholds = reminder_thresholds()
    found = []
    for row in rows:
        due = due_of(row)
        if due is None:
            continue
        left = working_minutes_between(now, due, agency=agency_of(row))
        reached = [h for h in thresholds if left <= h * 60]
        if reached:
            found.append((row, reached[-1], left))
    return found


def _horizon_filter(agency_ids: Iterable[int], field: str, now: dt.datetime) -> Q:
    """Due within the largest threshold, on each agency's own working hours."""
    largest = reminder_thresholds()[0]
    rule = Q(pk__in=[])
    for agency_id in set(agency_ids):
        limit = add_working_hours(now, largest, agency=agency_id)
        rule |= Q(**{field: agency_id, "due_at__lte": limit})
    return rule


@dataclass(frozen=True)
class ReminderCount:
    steps: int
    dossiers: int
    consultations: int


def reminders_send(*, now: dt.datetime | None = None) -> ReminderCount:
    """Warn handlers and leaders of the steps and dossiers about to fall due, and the head of
    the desk of consultations left unanswered; each warning once. Returns messages queued."""
    now = now or timezone.now()
    people = _People()
    with translation.override(settings.LANGUAGE_CODE):
        return ReminderCount(
            steps=_step_reminders(now, people),
            dossiers=_dossier_reminders(now, people),
            consultations=_consultation_reminders(now, people),
        )


def _running_dossiers() -> Q:
    return Q(status__in=IN_PROGRESS, paused_since__isnull=True)


def _step_reminders(now: dt.datetime, people: _People) -> int:
    steps = DossierStep.objects.filter(
        started_at__isnull=False,
        finished_at__isnull=True,
        due_at__gt=now,
        dossier__status__in=IN_PROGRESS,
        dossier__paused_since__isnull=True,
    )
    agency_ids = steps.values_list("agency_id", flat=True).distinct()
    candidates = steps.filter(_horizon_filter(agency_ids, "agency_id", now)).select_related(
        "dossier__procedure_version", "agency", "assignee"
    )
    sent = 0
    for step, threshold, left in _within(
        candidates, now=now, agency_of=lambda s: s.agency_id, due_of=lambda s: s.due_at
    ):
        dossier = step.dossier
        code = dossier.code or dossier.reference
        handlers = people.handlers(step)
        context = {
            "step": step.name,
            "code": code,
            "due_at": when(step.due_at),
            "remaining": working_span(left, agency=step.agency_id),
            "procedure": dossier.procedure_version.name,
            "applicant": dossier.organization_name or dossier.applicant_name,
            "agency": step.agency.name,
            "handler": ", ".join(p.get_full_name() for p in handlers) or _("chưa phân công"),
            "dossier_due_at": when(dossier.due_at),
            "site_name": settings.CONGSO_SITE_NAME,
            "backoffice_url": backoffice_url(code),
        }
        sent += _send_to_staff(
            [*handlers, *people.leaders(step.agency_id)],
            subject=_("Sắp đến hạn: bước «%(step)s» của hồ sơ %(code)s") % {"step": step.name, "code": code},
            template="step_due",
            context=context,
            reference=code,
            key=f"step-due:{step.pk}:{threshold}",
        )
    return sent


def _dossier_reminders(now: dt.datetime, people: _People) -> int:
    dossiers = Dossier.objects.filter(_running_dossiers(), due_at__gt=now)
    agency_ids = dossiers.values_list("competent_agency_id", flat=True).distinct()
    candidates = dossiers.filter(_horizon_filter(agency_ids, "competent_agency_id", now)).select_related(
        "procedure_version", "competent_agency"
    )
    sent = 0
    for dossier, threshold, left in _within(
        candidates, now=now, agency_of=lambda d: d.competent_agency_id, due_of=lambda d: d.due_at
    ):
        code = dossier.code or dossier.reference
        current = list(
            dossier.steps.filter(started_at__isnull=False, finished_at__isnull=True)
            .select_related("assignee")
            .order_by("order")
        )
        handlers = [person for step in current for person in people.handlers(step)]
        context = {
            "code": code,
            "due_at": when(dossier.due_at),
            "remaining": working_span(left, agency=dossier.competent_agency_id),
            "can_apologise": dossier.apology_count == 0,
            "procedure": dossier.procedure_version.name,
            "applicant": dossier.organization_name or dossier.applicant_name,
            "agency": dossier.competent_agency.name,
            "steps": "; ".join(step.name for step in current) or _("không có bước đang xử lý"),
            "site_name": settings.CONGSO_SITE_NAME,
            "backoffice_url": backoffice_url(code),
        }
        stamp = int(dossier.due_at.timestamp()) if dossier.due_at else 0
        sent += _send_to_staff(
            [*handlers, *people.leaders(dossier.competent_agency_id)],
            subject=_("Sắp đến hạn trả kết quả hồ sơ %(code)s") % {"code": code},
            template="dossier_due",
            context=context,
            reference=code,
            key=f"dossier-due:{dossier.pk}:{stamp}:{threshold}",
        )
    return sent


def _desk_heads(dossier: Dossier, people: _People) -> list[User]:
    """The head of the one-stop desk that received ``dossier`` (its parent's leaders if the desk
    itself has none on record)."""
    desk = dossier.receiving_agency
    if desk is None:
        return []
    return people.leaders(desk.pk) or people.leaders(desk.parent_id)


def _consultation_reminders(now: dt.datetime, people: _People) -> int:
    asked = DossierEvent.objects.filter(action=Action.REQUEST_CONSULTATION).filter(
        dossier__status__in=IN_PROGRESS
    )
    dossiers = Dossier.objects.filter(pk__in=asked.values("dossier_id")).select_related(
        "procedure_version", "competent_agency", "receiving_agency"
    )
    sent = 0
    for dossier in dossiers:
        code = dossier.code or dossier.reference
        requesters = {
            e.data.get("consultation_id"): e.actor
            for e in dossier.events.filter(action=Action.REQUEST_CONSULTATION).select_related("actor")
        }
        for row in dossier_consultations(dossier, now=now):
            if not row["overdue"]:
                continue
            requester = requesters.get(row["consultation_id"])
            deadline = row["deadline"]
            assert isinstance(deadline, dt.datetime)
            sent += _send_to_staff(
                [*_desk_heads(dossier, people), *([requester] if requester is not None else [])],
                subject=_("Quá hạn trả lời ý kiến về hồ sơ %(code)s") % {"code": code},
                template="consultation_overdue",
                context={
                    "consulted": row["agency"],
                    "code": code,
                    "deadline": when(deadline),
                    "question": row["question"],
                    "procedure": dossier.procedure_version.name,
                    "agency": dossier.competent_agency.name,
                    "site_name": settings.CONGSO_SITE_NAME,
                    "backoffice_url": backoffice_url(code),
                },
                reference=code,
                key=f"consultation-overdue:{dossier.pk}:{row['consultation_id']}",
            )
    return sent


def overdue_digest_send(*, now: dt.datetime | None = None) -> int:
    """Send each leader the overdue dossiers and steps of their agency (working days only)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if not is_working_day(today):
        return 0
    people = _People()
    dossiers: dict[int, list[dict[str, str]]] = defaultdict(list)
    steps: dict[int, list[dict[str, str]]] = defaultdict(list)
    with translation.override(settings.LANGUAGE_CODE):
        for dossier in (
            Dossier.objects.filter(_running_dossiers(), due_at__lt=now)
            .select_related("procedure_version")
            .order_by("due_at")
        ):
            assert dossier.due_at is not None
            late = working_minutes_between(dossier.due_at, now, agency=dossier.competent_agency_id)
            dossiers[dossier.competent_agency_id].append(
                {
                    "code": dossier.code or dossier.reference,
                    "procedure": dossier.procedure_version.name,
                    "due_at": when(dossier.due_at),
                    "late": working_span(late, agency=dossier.competent_agency_id),
                }
            )
        for step in (
            DossierStep.objects.filter(
                started_at__isnull=False,
                finished_at__isnull=True,
                due_at__lt=now,
                dossier__status__in=IN_PROGRESS,
                dossier__paused_since__isnull=True,
            )
            .select_related("dossier", "assignee")
            .order_by("due_at")
        ):
            assert step.due_at is not None
            late = working_minutes_between(step.due_at, now, agency=step.agency_id)
            steps[step.agency_id].append(
                {
                    "code": step.dossier.code or step.dossier.reference,
                    "step": step.name,
                    "handler": ", ".join(p.get_full_name() for p in people.handlers(step))
                    or _("chưa phân công"),
                    "due_at": when(step.due_at),
                    "late": working_span(late, agency=step.agency_id),
                }
            )
        sent = 0
        agencies = Agency.objects.in_bulk(set(dossiers) | set(steps))
        for agency_id, agency in agencies.items():
            sent += _send_to_staff(
                people.leaders(agency_id),
                subject=_("Hồ sơ quá hạn của %(agency)s ngày %(day)s")
                % {"agency": agency.name, "day": today.strftime("%d/%m/%Y")},
                template="overdue_digest",
                context={
                    "agency": agency.name,
                    "now": when(now),
                    "dossiers": dossiers.get(agency_id, []),
                    "steps": steps.get(agency_id, []),
                    "site_name": settings.CONGSO_SITE_NAME,
                    "backoffice_url": backoffice_url(),
                },
                reference="",
                key=f"overdue-digest:{agency_id}:{today.isoformat()}",
            )
    return sent
