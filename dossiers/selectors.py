"""Reads of dossiers: the work queues of each role, a dossier's timeline, the public lookup.

Every queue starts from ``Dossier.objects.restrict(user)``, so a queue never shows a dossier
the person may not see.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Role, User
from congso.access import AnyUser
from dossiers.models import Dossier, DossierEvent, DossierFile, DossierStep, Status
from workcalendar.clock import add_working_hours, due_date

IN_PROGRESS = (Status.RECEIVED, Status.PROCESSING, Status.AWAITING_PAYMENT)
"""Statuses in which the time limit runs (a supplement request pauses or restarts it)."""

DEFAULT_DUE_SOON_HOURS = Decimal(8)


def _memberships(user: AnyUser) -> list[tuple[int, str]]:
    return list(Membership.objects.held_by(user).current().values_list("agency_id", "role"))


def _base(user: AnyUser) -> QuerySet[Dossier]:
    return Dossier.objects.restrict(user, "view").select_related(
        "procedure_version", "receiving_agency", "competent_agency"
    )


def _held_steps(user: AnyUser, pairs: list[tuple[int, str]]) -> list[QuerySet[DossierStep, Any]]:
    """The dossiers of the started, unfinished steps ``user`` works on — assigned to them, or
    unassigned and of a role they hold (``pairs``: their memberships) at the step's agency — as
    one query of dossier ids per alternative, to be put together with ``UNION``: each is then
    answered from its own index (the unassigned ones from ``dossierstep_open_unassigned`` alone),
    where an ``OR`` of them would read the steps' rows."""
    under_way = Q(started_at__isnull=False, finished_at__isnull=True)
    alternatives = [Q(assignee_id=user.pk)] + [
        Q(assignee__isnull=True, agency_id=agency_id, role=role) for agency_id, role in pairs
    ]
    return [
        DossierStep.objects.filter(rule & under_way).order_by().values("dossier_id") for rule in alternatives
    ]


def queue_to_receive(user: AnyUser) -> QuerySet[Dossier]:
    """Dossiers waiting at the desks where ``user`` is a clerk: submitted online (or handed in
    again after a supplement) and counter dossiers being typed in."""
    desks = [agency_id for agency_id, role in _memberships(user) if role == Role.CLERK]
    return (
        _base(user)
        .filter(receiving_agency_id__in=desks)
        .filter(Q(status=Status.SUBMITTED) | Q(status=Status.DRAFT, submitted_by_id=user.pk))
        .order_by("submitted_at", "created_at")
    )


def queue_to_process(user: AnyUser) -> QuerySet[Dossier]:
    """Dossiers on which ``user`` has work now: a step they hold, or — for a desk clerk —
    received dossiers to transfer.

    The two kinds are gathered as one set of ids (a ``UNION``, each part from its own index) and
    the dossiers fetched by primary key: an ``OR`` of them would make the database read every
    open dossier of the province to test it. A received dossier is open, so the status condition
    of held steps' dossiers covers every part."""
    pairs = _memberships(user)
    desks = [agency_id for agency_id, role in pairs if role == Role.CLERK]
    first, *others = _held_steps(user, pairs)
    to_transfer = Dossier.objects.filter(status=Status.RECEIVED, receiving_agency_id__in=desks)
    ids = first.union(*others, to_transfer.order_by().values("pk"))
    return (
        _base(user)
        .filter(pk__in=ids, status__in=[*IN_PROGRESS, Status.RESOLVED])
        .order_by("due_at", "received_at")
    )


def queue_to_assign(user: AnyUser) -> QuerySet[Dossier]:
    """Dossiers with a started step nobody is assigned to, at an agency ``user`` leads."""
    led = [a for a, role in _memberships(user) if role in {Role.AGENCY_LEADER, Role.DEPARTMENT_LEADER}]
    steps = DossierStep.objects.filter(
        agency_id__in=led, assignee__isnull=True, started_at__isnull=False, finished_at__isnull=True
    ).exclude(role__in=[Role.AGENCY_LEADER, Role.DEPARTMENT_LEADER, Role.CLERK])
    return _base(user).filter(pk__in=steps.values("dossier_id"), status__in=IN_PROGRESS).order_by("due_at")


def queue_due_soon(
    user: AnyUser, *, within_hours: Decimal = DEFAULT_DUE_SOON_HOURS, now: dt.datetime | None = None
) -> QuerySet[Dossier]:
    """Dossiers ``user`` sees whose time limit runs out within ``within_hours`` working hours."""
    at = now or timezone.now()
    horizon = add_working_hours(at, within_hours)
    return _base(user).filter(status__in=IN_PROGRESS, due_at__gte=at, due_at__lte=horizon).order_by("due_at")


def queue_overdue(user: AnyUser, *, now: dt.datetime | None = None) -> QuerySet[Dossier]:
    """Dossiers ``user`` sees whose time limit has run out while they are still open."""
    at = now or timezone.now()
    return _base(user).filter(status__in=IN_PROGRESS, due_at__lt=at).order_by("due_at")


def my_dossiers(user: User) -> QuerySet[Dossier]:
    """A citizen's own dossiers, newest first (drafts included)."""
    return _base(user).filter(applicant_id=user.pk).order_by("-created_at")


def dossier_timeline(dossier: Dossier) -> list[DossierEvent]:
    """The history of ``dossier``, oldest first, with the people, agencies and files of each row."""
    return list(
        DossierEvent.objects.filter(dossier=dossier)
        .select_related("actor", "agency")
        .prefetch_related(Prefetch("files", queryset=DossierFile.objects.order_by("id")))
        .order_by("sequence")
    )


def dossier_steps(dossier: Dossier) -> list[DossierStep]:
    """The steps of ``dossier`` in order (Mẫu 05), with their agencies and people."""
    return list(
        DossierStep.objects.filter(dossier=dossier)
        .select_related("agency", "assignee", "handed_over_by", "received_by")
        .order_by("order", "id")
    )


def dossier_consultations(dossier: Dossier, *, now: dt.datetime | None = None) -> list[dict[str, object]]:
    """The consultations asked on ``dossier`` (Art. 19.5): body, question, deadline, answer, and
    whether one is overdue (unanswered after its deadline)."""
    at = now or timezone.now()
    events = list(
        dossier.events.filter(action__in=["request_consultation", "answer_consultation"]).order_by("sequence")
    )
    answers = {e.data.get("consultation_id"): e for e in events if e.action == "answer_consultation"}
    rows: list[dict[str, object]] = []
    for event in events:
        if event.action != "request_consultation":
            continue
        answer = answers.get(event.data.get("consultation_id"))
        deadline = dt.datetime.fromisoformat(event.data["deadline"])
        rows.append(
            {
                "consultation_id": event.data.get("consultation_id"),
                "agency": event.data.get("agency", ""),
                "question": event.data.get("question", ""),
                "deadline": deadline,
                "answer": answer.data.get("answer", "") if answer else "",
                "answered_at": answer.at if answer else None,
                "overdue": answer is None and at > deadline,
            }
        )
    return rows


PUBLIC_STAGES: dict[str, Promise] = {
    Status.SUBMITTED: _("Đã nộp, chờ tiếp nhận"),
    Status.RECEIVED: _("Đã tiếp nhận"),
    Status.NOT_ACCEPTED: _("Không được tiếp nhận"),
    Status.PROCESSING: _("Đang giải quyết"),
    Status.SUPPLEMENT_REQUESTED: _("Chờ bổ sung hồ sơ"),
    Status.AWAITING_PAYMENT: _("Chờ thực hiện nghĩa vụ tài chính"),
    Status.WITHDRAWN: _("Đã rút hồ sơ"),
    Status.STOPPED: _("Dừng giải quyết"),
    Status.RESOLVED: _("Đã có kết quả, chờ trả"),
    Status.RETURNED: _("Đã trả kết quả"),
}


@dataclass(frozen=True)
class PublicDossierStatus:
    """What anyone may learn from a dossier code without signing in (Checklist 30)."""

    code: str
    procedure_name: str
    stage: str
    due_date: dt.date | None


def public_lookup(code: str) -> PublicDossierStatus | None:
    """The public status of the dossier with ``code``: code, procedure, stage and due date — no
    name, identity number, phone, e-mail or address. None when there is no such dossier."""
    row = (
        Dossier.objects.filter(code=code.strip())
        .exclude(status=Status.DRAFT)
        .values("code", "procedure_version__name", "status", "due_at")
        .first()
    )
    if row is None:
        return None
    return PublicDossierStatus(
        code=str(row["code"]),
        procedure_name=row["procedure_version__name"],
        stage=str(PUBLIC_STAGES.get(row["status"], "")),
        due_date=due_date(row["due_at"]) if row["due_at"] else None,
    )


def inter_agency_task(dossier: Dossier, step_id: int) -> DossierStep | None:
    """The liên thông task ``step_id`` of ``dossier`` (with its agency and assignee), if it has one."""
    return (
        DossierStep.objects.filter(dossier=dossier, pk=step_id, is_inter_agency=True)
        .select_related("agency", "assignee")
        .first()
    )
