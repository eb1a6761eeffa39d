"""Reads behind a citizen's dossier pages, always through the access layer.

A citizen's dossiers come from ``dossiers.selectors.my_dossiers`` (``Dossier.objects.restrict``);
one dossier from ``dossiers.permissions.access_dossier_by_reference`` in the views. What an
applicant is shown of a dossier is decided here: the history without the refused attempts and
without the internal notes of hand-overs and consultations; result files once there is a result;
the slips addressed to the applicant (Mẫu 01–04), never the internal control slip (Mẫu 05).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.text import capfirst

from accounts.models import User
from catalog.models import ComponentRequirement
from dossiers.models import CLOSED_STATUSES, Dossier, DossierEvent, DossierFile, Rating, Slip, Status
from dossiers.permissions import can_act
from dossiers.selectors import PUBLIC_STAGES, dossier_timeline, my_dossiers
from dossiers.transitions import REFUSED_SUFFIX, Action
from workcalendar.clock import due_date

FINISHED_PER_PAGE = 20

APPLICANT_SLIP_FORMS = (Slip.Form.RECEIPT, Slip.Form.SUPPLEMENT, Slip.Form.REFUSAL, Slip.Form.APOLOGY)
"""The slips addressed to the applicant; Mẫu 05 (control) is the agencies' own record."""

RESULT_VISIBLE = frozenset({Status.RESOLVED, Status.RETURNED})
"""Result files reach the applicant once the competent agency has resolved the dossier."""

APPLICANT_FILE_KINDS = (DossierFile.Kind.COMPONENT, DossierFile.Kind.SUPPLEMENT, DossierFile.Kind.RESULT)

REASON_SHOWN = frozenset(
    {
        Action.SUBMIT,
        Action.RECEIVE,
        Action.REQUEST_SUPPLEMENT,
        Action.SUBMIT_SUPPLEMENT,
        Action.REFUSE,
        Action.STOP,
        Action.APOLOGISE,
        Action.REQUEST_PAYMENT,
        Action.CONFIRM_PAYMENT,
        Action.RESOLVE,
        Action.RETURN_RESULT,
        Action.WITHDRAW,
        Action.RATE,
    }
)
"""History rows whose reason is addressed to the applicant; the notes of hand-overs,
assignments, consultations and verifications are the agencies' working notes."""


def stage_label(status: str) -> str:
    """What the applicant reads for a status: the public stage, or the status for a draft."""
    if status in PUBLIC_STAGES:
        return str(PUBLIC_STAGES[status])
    return str(Status(status).label)


def applicant_due_date(dossier: Dossier) -> dt.date | None:
    return due_date(dossier.due_at) if dossier.due_at is not None else None


def _instant(value: Any) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None


# --- supplement requests -----------------------------------------------------------------------


@dataclass(frozen=True)
class SupplementItem:
    """One thing asked for: its number in the notice, its text, the component it names (if any)."""

    number: int
    text: str
    requirement_id: int | None


@dataclass(frozen=True)
class SupplementRequest:
    """A supplement request as the applicant reads it (Mẫu 02): when, why, what."""

    requested_at: dt.datetime
    reason: str
    items: list[SupplementItem]
    files_before: int

    @property
    def raw_items(self) -> list[dict[str, Any]]:
        return [{"text": i.text, "requirement_id": i.requirement_id} for i in self.items]


def supplement_request_from(event: DossierEvent) -> SupplementRequest:
    details = event.data.get("item_details") or [{"text": text} for text in event.data.get("items", [])]
    items = [
        SupplementItem(
            number=number,
            text=str(item.get("text") or item.get("name") or ""),
            requirement_id=int(item["requirement_id"]) if item.get("requirement_id") else None,
        )
        for number, item in enumerate(details, start=1)
    ]
    return SupplementRequest(
        requested_at=event.at,
        reason=event.reason,
        items=items,
        files_before=int(event.data.get("files_before") or 0),
    )


def latest_supplement_requests(dossier_ids: Sequence[int]) -> dict[int, SupplementRequest]:
    """The last supplement request of each dossier in ``dossier_ids`` (one query)."""
    if not dossier_ids:
        return {}
    found: dict[int, SupplementRequest] = {}
    rows = DossierEvent.objects.filter(dossier_id__in=dossier_ids, action=Action.REQUEST_SUPPLEMENT).order_by(
        "dossier_id", "-sequence"
    )
    for event in rows:
        if event.dossier_id not in found:
            found[event.dossier_id] = supplement_request_from(event)
    return found


def supplement_requirements(requests: Iterable[SupplementRequest]) -> dict[int, ComponentRequirement]:
    """The components named in ``requests``, by id (one query)."""
    ids = {item.requirement_id for request in requests for item in request.items if item.requirement_id}
    if not ids:
        return {}
    return {r.pk: r for r in ComponentRequirement.objects.filter(pk__in=ids)}


def supplement_files(dossier: Dossier, request: SupplementRequest) -> list[DossierFile]:
    """The files the applicant has added since ``request`` (in force, not replaced)."""
    return list(
        dossier.files.filter(
            pk__gt=request.files_before,
            kind__in=[DossierFile.Kind.SUPPLEMENT, DossierFile.Kind.COMPONENT],
            replaced_by__isnull=True,
        )
        .select_related("requirement")
        .order_by("id")
    )


# --- "Hồ sơ của tôi" -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DossierCard:
    """One dossier in the applicant's list."""

    dossier: Dossier
    stage: str
    due_date: dt.date | None
    supplement: SupplementRequest | None = None


@dataclass
class MyDossiers:
    drafts: list[DossierCard] = field(default_factory=list)
    supplement: list[DossierCard] = field(default_factory=list)
    in_progress: list[DossierCard] = field(default_factory=list)
    finished: list[DossierCard] = field(default_factory=list)
    finished_page: Page[Dossier] | None = None
    requirements: dict[int, ComponentRequirement] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not (self.drafts or self.supplement or self.in_progress or self.finished)


def _card(dossier: Dossier, supplement: SupplementRequest | None = None) -> DossierCard:
    return DossierCard(
        dossier=dossier,
        stage=stage_label(dossier.status),
        due_date=applicant_due_date(dossier),
        supplement=supplement,
    )


def my_dossier_overview(user: User, *, page: str | int | None = None) -> MyDossiers:
    """The applicant's dossiers in four groups; the finished ones paginated. A fixed number of
    queries whatever the number of dossiers."""
    mine: QuerySet[Dossier] = my_dossiers(user)
    open_rows = list(mine.exclude(status__in=CLOSED_STATUSES))
    asking = [d.pk for d in open_rows if d.status == Status.SUPPLEMENT_REQUESTED]
    requests = latest_supplement_requests(asking)
    overview = MyDossiers(requirements=supplement_requirements(requests.values()))
    for dossier in open_rows:
        if dossier.status == Status.DRAFT:
            overview.drafts.append(_card(dossier))
        elif dossier.status == Status.SUPPLEMENT_REQUESTED:
            overview.supplement.append(_card(dossier, requests.get(dossier.pk)))
        else:
            overview.in_progress.append(_card(dossier))
    finished = mine.filter(status__in=CLOSED_STATUSES).order_by("-closed_at", "-created_at")
    overview.finished_page = Paginator(finished, FINISHED_PER_PAGE).get_page(page)
    overview.finished = [_card(d) for d in overview.finished_page.object_list]
    return overview


# --- one dossier ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    """One row of the history as the applicant reads it."""

    at: dt.datetime
    title: str
    agency: str
    by_applicant: bool
    reason: str
    items: list[str]
    new_due_at: dt.datetime | None


@dataclass(frozen=True)
class Apology:
    at: dt.datetime
    reason: str
    previous_due_at: dt.datetime | None
    new_due_at: dt.datetime | None


@dataclass
class ApplicantDossier:
    """Everything the applicant's page of one dossier shows, and which buttons it offers."""

    dossier: Dossier
    stage: str
    due_date: dt.date | None
    original_due_date: dt.date | None
    timeline: list[TimelineEntry]
    supplement_requests: list[SupplementRequest]
    apologies: list[Apology]
    components: list[DossierFile]
    supplements: list[DossierFile]
    results: list[DossierFile]
    slips: list[Slip]
    rating: Rating | None
    can_withdraw: bool
    can_rate: bool
    can_supplement: bool

    @property
    def current_supplement(self) -> SupplementRequest | None:
        if self.dossier.status != Status.SUPPLEMENT_REQUESTED or not self.supplement_requests:
            return None
        return self.supplement_requests[-1]

    @property
    def earlier_supplements(self) -> list[SupplementRequest]:
        """The requests already answered (the open one is shown with its form)."""
        if self.current_supplement is not None:
            return self.supplement_requests[:-1]
        return self.supplement_requests


def _title(action: str) -> str:
    return str(capfirst(Action(action).label)) if action in Action.values else action


def _timeline(events: Iterable[DossierEvent], user: User) -> list[TimelineEntry]:
    entries = []
    for event in events:
        if event.action.endswith(REFUSED_SUFFIX):
            continue
        shown = event.action in REASON_SHOWN
        entries.append(
            TimelineEntry(
                at=event.at,
                title=_title(event.action),
                agency=event.agency.name if event.agency is not None else "",
                by_applicant=event.actor_id is not None and event.actor_id == user.pk,
                reason=event.reason if shown else "",
                items=[str(i) for i in event.data.get("items", [])] if shown else [],
                new_due_at=_instant(event.data.get("new_due_at"))
                if event.action == Action.APOLOGISE
                else None,
            )
        )
    return entries


def applicant_dossier(user: User, dossier: Dossier) -> ApplicantDossier:
    """The applicant's view of ``dossier`` (already fetched through the access layer)."""
    events = dossier_timeline(dossier)
    files = list(
        dossier.files.filter(kind__in=APPLICANT_FILE_KINDS, replaced_by__isnull=True)
        .select_related("requirement")
        .order_by("kind", "requirement__order", "id")
    )
    show_results = dossier.status in RESULT_VISIBLE
    rating = Rating.objects.filter(dossier=dossier).first()
    original = dossier.original_due_at if dossier.apology_count else None
    return ApplicantDossier(
        dossier=dossier,
        stage=stage_label(dossier.status),
        due_date=applicant_due_date(dossier),
        original_due_date=due_date(original) if original is not None else None,
        timeline=_timeline(events, user),
        supplement_requests=[
            supplement_request_from(e) for e in events if e.action == Action.REQUEST_SUPPLEMENT
        ],
        apologies=[
            Apology(
                at=e.at,
                reason=e.reason,
                previous_due_at=_instant(e.data.get("previous_due_at")),
                new_due_at=_instant(e.data.get("new_due_at")),
            )
            for e in events
            if e.action == Action.APOLOGISE
        ],
        components=[f for f in files if f.kind == DossierFile.Kind.COMPONENT],
        supplements=[f for f in files if f.kind == DossierFile.Kind.SUPPLEMENT],
        results=[f for f in files if f.kind == DossierFile.Kind.RESULT] if show_results else [],
        slips=list(dossier.slips.filter(form__in=APPLICANT_SLIP_FORMS).order_by("issued_at", "id")),
        rating=rating,
        can_withdraw=can_act(user, dossier, Action.WITHDRAW),
        can_rate=rating is None and can_act(user, dossier, Action.RATE),
        can_supplement=can_act(user, dossier, Action.SUBMIT_SUPPLEMENT),
    )


def applicant_file(dossier: Dossier, file_id: int) -> DossierFile | None:
    """A file of ``dossier`` the applicant may download: what they sent, and the result once
    there is one; never the agencies' working files."""
    kinds = APPLICANT_FILE_KINDS if dossier.status in RESULT_VISIBLE else APPLICANT_FILE_KINDS[:2]
    return dossier.files.filter(pk=file_id, kind__in=kinds).first()


def applicant_slip(dossier: Dossier, slip_id: int) -> Slip | None:
    return dossier.slips.filter(pk=slip_id, form__in=APPLICANT_SLIP_FORMS).first()


def component_requirements(dossier: Dossier) -> list[ComponentRequirement]:
    return list(
        ComponentRequirement.objects.filter(version_id=dossier.procedure_version_id).order_by("order", "id")
    )


def current_components(dossier: Dossier) -> dict[int, DossierFile]:
    """The component file in force for each requirement of a draft, by requirement id."""
    found: dict[int, DossierFile] = {}
    rows = dossier.files.filter(
        kind=DossierFile.Kind.COMPONENT, replaced_by__isnull=True, requirement__isnull=False
    ).order_by("id")
    for item in rows:
        if item.requirement_id is not None:
            found[item.requirement_id] = item
    return found


def drafts_of_procedure(user: User, procedure_id: int) -> list[Dossier]:
    """The applicant's unfinished drafts of one procedure (offered again on the start page)."""
    return list(
        my_dossiers(user).filter(status=Status.DRAFT, procedure_version__procedure_id=procedure_id)[:5]
    )


def own_reference_for_code(user: User, code: str) -> str | None:
    """The reference of the dossier ``code`` when ``user`` may see it (their own), else None."""
    found = Dossier.objects.restrict(user, "view").filter(code=code, applicant_id=user.pk)
    return found.values_list("reference", flat=True).first()
