"""Who may see a dossier and in what capacity a person acts on one.

* :func:`dossier_rule` is the row-level rule behind ``Dossier.objects.restrict(user, action)``:
  a citizen sees their own dossiers; a civil servant those whose receiving desk, competent
  agency or one of whose steps' agency is theirs (not other people's unsent online drafts);
  the province administrator all; an integration client those it submitted or of its agency.
* :func:`access_dossier_by_code` / :func:`access_dossier_by_reference` fetch one dossier for a
  person, answering 404 for missing and forbidden alike.
* :func:`actor_kinds` says in which capacities (``ActorKind``) a person acts on one dossier;
  the transition table (``dossiers.transitions.TRANSITIONS``) says which capacities may take
  which action, and :func:`can_act` combines the two for pages ("show this button?").
* :func:`facts_read_once` is a block within which a person's roles, and the step a dossier is at,
  are each read once, however many times the rules above ask.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from accounts.models import Membership, Role, User
from accounts.permissions import integration_client
from congso.access import EVERYTHING, NOTHING, AnyUser, access_object
from dossiers.models import Channel, Dossier, DossierStep, Status
from dossiers.transitions import ActorKind, transition_for

if TYPE_CHECKING:
    from agencies.models import Agency

LEADER_ROLES: frozenset[str] = frozenset({Role.AGENCY_LEADER, Role.DEPARTMENT_LEADER})
ALL_KINDS: frozenset[ActorKind] = frozenset(ActorKind)
_STEP_KINDS: frozenset[ActorKind] = frozenset(
    {ActorKind.STEP_HOLDER, ActorKind.TASK_HOLDER, ActorKind.TASK_LEADER, ActorKind.LEADER}
)

Acting = tuple[DossierStep | None, list[DossierStep]]


@dataclass
class _Facts:
    roles: dict[int, dict[int, set[str]]] = field(default_factory=dict)
    """user id → agency id → the roles held there today."""
    acting: dict[tuple[int, int, str], Acting] = field(default_factory=dict)
    """(dossier id, lock_version, status) → its current step and parallel tasks."""
    inter_agency: dict[tuple[int, ...], list[int] | QuerySet[DossierStep, int]] = field(default_factory=dict)
    """agency ids → the dossiers with a liên thông step there."""


_facts: ContextVar[_Facts | None] = ContextVar("dossiers_permission_facts", default=None)


@contextmanager
def facts_read_once() -> Iterator[None]:
    """Within the block, a person's current roles are read once, so are the dossiers with a liên
    thông step at their agencies (their scope), and so is the step a dossier is at for each
    version of it (``lock_version`` — every change of a dossier goes through
    ``dossiers.transitions.transition``, which raises it).

    For a page that asks about many actions ("show this button?"), and for a service between its
    checks and its transition. Not around code that changes a dossier's steps and then asks again
    about the same version of it. Blocks nest (the outer one keeps the facts).
    """
    if _facts.get() is not None:
        yield
        return
    token = _facts.set(_Facts())
    try:
        yield
    finally:
        _facts.reset(token)


def dossier_rule(user: AnyUser, action: str) -> Q:
    """The dossiers ``user`` may ``action`` ("view" or "change"; the same scope for both — what a
    person may *do* to one dossier is decided by the transition table)."""
    if not user.is_authenticated or not isinstance(user, User):
        return NOTHING
    roles = roles_by_agency(user)  # none but for civil servants (Membership.objects.held_by)
    if any(Role.PROVINCE_ADMIN in held for held in roles.values()):
        return EVERYTHING
    if user.kind == User.Kind.CITIZEN:
        return Q(applicant_id=user.pk)
    if user.kind == User.Kind.INTEGRATION:
        client = integration_client(user)
        if client is None:
            return NOTHING
        rule = Q(submitted_by_id=user.pk)
        if client.agency_id is not None:
            rule |= Q(receiving_agency_id=client.agency_id) | Q(competent_agency_id=client.agency_id)
        return rule
    if not roles:
        return NOTHING
    ids = sorted(roles)
    in_scope = Q(receiving_agency_id__in=ids) | Q(competent_agency_id__in=ids)
    inter_agency = _inter_agency_dossiers(ids)
    if inter_agency:
        in_scope |= Q(pk__in=inter_agency)
    # An online draft is the applicant's business until it is submitted.
    return in_scope & (~Q(status=Status.DRAFT) | ~Q(channel=Channel.ONLINE))


INTER_AGENCY_INLINE_MAX = 1000
"""Up to this many dossiers with a liên thông step at a person's agencies are named by id in
their scope; beyond, the scope asks the steps table in a subquery."""


def _inter_agency_dossiers(agency_ids: list[int]) -> list[int] | QuerySet[DossierStep, int]:
    """The dossiers with a liên thông step at one of ``agency_ids``.

    Only such a step can sit at an agency other than the receiving desk or the competent agency
    (dossiers/services/steps.py), so only those are read, from the partial index
    ``dossierstep_inter_agency``: usually a handful. Named by id, they keep the whole scope an
    ``OR`` of indexed conditions (receiving desk, competent agency, primary key) that the
    database answers from its indexes; a subquery there would make it test every dossier of the
    province instead. An agency that takes part in very many gets the subquery.
    """
    steps = (
        DossierStep.objects.filter(agency_id__in=agency_ids, is_inter_agency=True)
        .order_by()
        .values_list("dossier_id", flat=True)
    )
    facts = _facts.get()
    key = tuple(agency_ids)
    if facts is not None and key in facts.inter_agency:
        return facts.inter_agency[key]
    found: list[int] | QuerySet[DossierStep, int] = sorted(set(steps[: INTER_AGENCY_INLINE_MAX + 1]))
    if len(found) > INTER_AGENCY_INLINE_MAX:
        found = steps
    if facts is not None:
        facts.inter_agency[key] = found
    return found


def access_dossier_by_code(user: AnyUser, code: str, action: str = "view") -> Dossier:
    """The dossier with ``code`` if ``user`` may ``action`` it; ``Http404`` otherwise."""
    queryset = Dossier.objects.select_related("procedure_version", "receiving_agency", "competent_agency")
    return access_object(queryset, user, action, code=code)


def access_dossier_by_reference(user: AnyUser, reference: str, action: str = "view") -> Dossier:
    """Like :func:`access_dossier_by_code`, by the submission reference (drafts have no code)."""
    queryset = Dossier.objects.select_related("procedure_version", "receiving_agency", "competent_agency")
    return access_object(queryset, user, action, reference=reference)


def roles_by_agency(user: User) -> dict[int, set[str]]:
    """agency id → the roles ``user`` holds there today (empty but for civil servants); read once
    per :func:`facts_read_once` block."""
    facts = _facts.get()
    if facts is not None and user.pk in facts.roles:
        return facts.roles[user.pk]
    roles: dict[int, set[str]] = {}
    for agency_id, role in Membership.objects.held_by(user).current().values_list("agency_id", "role"):
        roles.setdefault(agency_id, set()).add(role)
    if facts is not None and user.pk is not None:
        facts.roles[user.pk] = roles
    return roles


def current_and_tasks(dossier: Dossier) -> tuple[DossierStep | None, list[DossierStep]]:
    """The step the dossier is at (the first unfinished one in the process's order) and the
    liên thông tasks running in parallel with it (started, unfinished, sent to other agencies)."""
    facts = _facts.get()
    key = (int(dossier.pk), dossier.lock_version, dossier.status)
    if facts is not None and key in facts.acting:
        return facts.acting[key]
    found = _current_and_tasks(dossier)
    if facts is not None:
        facts.acting[key] = found
    return found


def _current_and_tasks(dossier: Dossier) -> Acting:
    unfinished = list(dossier.steps.filter(finished_at__isnull=True).order_by("order", "id"))
    if not unfinished:
        return None, []
    current = unfinished[0]
    tasks = [
        s
        for s in unfinished[1:]
        if s.is_inter_agency and s.started_at is not None and s.order <= current.order
    ]
    return current, tasks


def acting_steps(dossier: Dossier) -> list[DossierStep]:
    """The current step followed by the parallel liên thông tasks."""
    current, tasks = current_and_tasks(dossier)
    return ([current] if current is not None else []) + tasks


def holds_step(user: User, step: DossierStep, roles: dict[int, set[str]] | None = None) -> bool:
    """Whether ``user`` may work on ``step``: its assignee, or (unassigned) a holder of its role
    at its agency."""
    if step.assignee_id is not None:
        return bool(step.assignee_id == user.pk)
    held = (roles if roles is not None else roles_by_agency(user)).get(step.agency_id, set())
    return step.role in held


def actor_kinds(
    user: AnyUser | None, dossier: Dossier, among: frozenset[ActorKind] = ALL_KINDS
) -> frozenset[ActorKind]:
    """The capacities in which ``user`` (None: the system) acts on ``dossier``, looked for
    ``among`` the given ones only (all by default): a desk clerk's capacity needs no look at the
    dossier's steps, so asking only about it reads none."""
    if user is None:
        return frozenset({ActorKind.SYSTEM}) & among
    if not isinstance(user, User) or not user.is_active:
        return frozenset()
    kinds: set[ActorKind] = set()
    if user.kind == User.Kind.CITIZEN:
        if dossier.applicant_id == user.pk:
            kinds.add(ActorKind.APPLICANT)
        return frozenset(kinds) & among
    if user.kind == User.Kind.INTEGRATION:
        if (
            ActorKind.INTEGRATION in among
            and dossier.submitted_by_id == user.pk
            and integration_client(user) is not None
        ):
            kinds.add(ActorKind.INTEGRATION)
        return frozenset(kinds)
    roles = roles_by_agency(user)
    if not roles:
        return frozenset()
    if Role.PROVINCE_ADMIN in set().union(*roles.values()):
        kinds.add(ActorKind.PROVINCE_ADMIN)
    if dossier.receiving_agency_id is not None and Role.CLERK in roles.get(dossier.receiving_agency_id, ()):
        kinds.add(ActorKind.DESK_CLERK)
    if not _STEP_KINDS & among:
        return frozenset(kinds) & among
    current, tasks = current_and_tasks(dossier) if dossier.pk is not None else (None, [])
    if current is not None and holds_step(user, current, roles):
        kinds.add(ActorKind.STEP_HOLDER)
    if any(holds_step(user, task, roles) for task in tasks):
        kinds.add(ActorKind.TASK_HOLDER)
    if any(LEADER_ROLES & roles.get(task.agency_id, set()) for task in tasks):
        kinds.add(ActorKind.TASK_LEADER)
    led_agencies = {dossier.competent_agency_id} | ({current.agency_id} if current is not None else set())
    if any(LEADER_ROLES & roles.get(agency_id, set()) for agency_id in led_agencies):
        kinds.add(ActorKind.LEADER)
    return frozenset(kinds) & among


def can_act(user: AnyUser | None, dossier: Dossier, action: str) -> bool:
    """Whether the table lets ``user`` take ``action`` on ``dossier`` in its current status.

    The services may still refuse for reasons of content (a missing component, a deadline
    passed); pages use this to decide which buttons to show.
    """
    row = transition_for(action, dossier.status)
    return row is not None and bool(actor_kinds(user, dossier, among=row.actors))


def acting_agency(user: AnyUser | None, dossier: Dossier) -> Agency | None:
    """The agency on whose behalf ``user`` acts on ``dossier`` (recorded in its history)."""
    if not isinstance(user, User) or user.kind != User.Kind.STAFF:
        return None
    roles = roles_by_agency(user)
    if dossier.receiving_agency_id in roles:
        return dossier.receiving_agency
    for step in acting_steps(dossier) if dossier.pk is not None else []:
        if step.agency_id in roles:
            return step.agency
    if dossier.competent_agency_id in roles:
        return dossier.competent_agency
    return None
