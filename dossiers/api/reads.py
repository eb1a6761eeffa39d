"""The reads behind the dossier API: the scoped list (few columns, no N+1) and one dossier with its
steps, files, history and what the caller may do to it now.

Both start from the access layer (``Dossier.objects.restrict`` / ``access_dossier_by_*``), so the
API never shows a dossier the caller may not see.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet

from congso.access import AnyUser
from dossiers.api.actions import API_ACTIONS
from dossiers.models import Dossier, DossierEvent, DossierFile, DossierStep
from dossiers.permissions import access_dossier_by_code, access_dossier_by_reference, actor_kinds
from dossiers.selectors import queue_due_soon, queue_overdue, queue_to_process, queue_to_receive
from dossiers.transitions import transition_for

REFERENCE = re.compile(r"^[0-9A-Fa-f]{12}$")

SUMMARY_COLUMNS = (
    "id",
    "code",
    "reference",
    "status",
    "channel",
    "applicant_name",
    "submitted_at",
    "received_at",
    "due_at",
    "resolved_at",
    "finished_late",
    "lock_version",
    "created_at",
    "procedure_version__id",
    "procedure_version__name",
    "procedure_version__number",
    "procedure_version__procedure__id",
    "procedure_version__procedure__code",
    "receiving_agency__id",
    "receiving_agency__edoc_code",
    "receiving_agency__name",
    "competent_agency__id",
    "competent_agency__edoc_code",
    "competent_agency__name",
)
"""What a list row shows: the procedure version's long texts are never read for a list."""

Queue = Callable[[AnyUser], QuerySet[Dossier]]

QUEUES: dict[str, Queue] = {
    "to_receive": queue_to_receive,
    "to_process": queue_to_process,
    "due_soon": queue_due_soon,
    "overdue": queue_overdue,
}


def dossier_list(user: AnyUser, *, queue: str = "") -> QuerySet[Dossier]:
    """The dossiers ``user`` may see (one of their work queues when ``queue`` is given), with the
    columns of a list row and its related rows joined in the same query."""
    rows = QUEUES[queue](user) if queue else Dossier.objects.restrict(user, "view").order_by("-id")
    return rows.select_related("procedure_version__procedure", "receiving_agency", "competent_agency").only(
        *SUMMARY_COLUMNS
    )


def access_dossier_by_key(user: AnyUser, key: str, action: str = "view") -> Dossier:
    """The dossier whose code — or, for one not received yet, submission reference — is ``key``;
    ``Http404`` for missing and forbidden alike."""
    if REFERENCE.match(key):
        return access_dossier_by_reference(user, key.upper(), action)
    return access_dossier_by_code(user, key, action)


@dataclass(frozen=True)
class DossierDetail:
    """One dossier with what its detail shows, each read once."""

    dossier: Dossier
    steps: list[DossierStep]
    files: list[DossierFile]
    history: list[DossierEvent]
    allowed_actions: list[str]


def allowed_api_actions(user: AnyUser, dossier: Dossier) -> list[str]:
    """The API actions the transition table lets ``user`` take on ``dossier`` now (the services
    may still refuse for reasons of content: a missing component, a deadline passed)."""
    kinds = actor_kinds(user, dossier)
    allowed = []
    for spec in API_ACTIONS:
        for action in spec.actions:
            row = transition_for(action, dossier.status)
            if row is not None and kinds & row.actors:
                allowed.append(spec.slug)
                break
    return allowed


def dossier_detail(user: AnyUser, dossier: Dossier) -> DossierDetail:
    steps = list(
        DossierStep.objects.filter(dossier=dossier)
        .select_related("agency", "assignee")
        .order_by("order", "id")
    )
    files = list(DossierFile.objects.filter(dossier=dossier).select_related("requirement").order_by("id"))
    history = list(DossierEvent.objects.filter(dossier=dossier).select_related("agency").order_by("sequence"))
    return DossierDetail(
        dossier=dossier,
        steps=steps,
        files=files,
        history=history,
        allowed_actions=allowed_api_actions(user, dossier),
    )
