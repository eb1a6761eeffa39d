"""Reads of the administrative tree that depend on a day: which unit, which successors, which tree."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.utils import timezone

from agencies.models import Agency, AgencyQuerySet, fold_for_search


def agency_on(*, code: str, on: dt.date | None = None) -> Agency | None:
    """The unit that carried ``code`` (either written form) on day ``on`` (default today)."""
    day = on or timezone.localdate()
    return (
        Agency.objects.active_on(day)
        .filter(Q(edoc_code=code) | Q(qcvn_code=code))
        .order_by("-valid_from", "-pk")
        .first()
    )


def agency_for_code(*, edoc_code: str, on: dt.date | None = None) -> Agency | None:
    """The row behind a Decision-20 code: the one active on ``on``, else the latest that carried it."""
    rows = Agency.objects.filter(edoc_code=edoc_code).select_related("parent")
    day = on or timezone.localdate()
    return (
        rows.active_on(day).order_by("-valid_from", "-pk").first()
        or rows.order_by("-valid_from", "-pk").first()
    )


def current_successors(agency: Agency, *, on: dt.date | None = None) -> list[Agency]:
    """The units that carry on ``agency``'s work on day ``on`` (default today).

    Follows successor links through every intermediate change (a renamed unit
    later merged, say) and stops at units active that day. An active unit is
    its own answer; a unit closed without successors has none.
    """
    day = on or timezone.localdate()
    if agency.is_active_on(day):
        return [agency]
    found: dict[int, Agency] = {}
    seen = {agency.pk}
    frontier = [agency]
    while frontier:
        successors = list(
            Agency.objects.filter(predecessors__in=[node.pk for node in frontier]).distinct().order_by("pk")
        )
        frontier = []
        for successor in successors:
            if successor.pk in seen:
                continue
            seen.add(successor.pk)
            if successor.is_active_on(day):
                found[successor.pk] = successor
            else:
                frontier.append(successor)
    return sorted(found.values(), key=lambda unit: (unit.edoc_code, unit.pk))


@dataclass
class AgencyNode:
    """One unit in the tree of a given day, with the units under it."""

    agency: Agency
    children: list[AgencyNode] = field(default_factory=list)

    def walk(self) -> list[AgencyNode]:
        nodes = [self]
        for child in self.children:
            nodes.extend(child.walk())
        return nodes


def agency_tree(*, on: dt.date | None = None) -> list[AgencyNode]:
    """The tree of the units active on ``on``: roots are units whose parent was not active then."""
    day = on or timezone.localdate()
    agencies = list(Agency.objects.active_on(day).order_by("edoc_code", "pk"))
    nodes = {agency.pk: AgencyNode(agency) for agency in agencies}
    roots: list[AgencyNode] = []
    for agency in agencies:
        parent = nodes.get(agency.parent_id) if agency.parent_id is not None else None
        if parent is None:
            roots.append(nodes[agency.pk])
        else:
            parent.children.append(nodes[agency.pk])
    return roots


def receiving_points(*, on: dt.date | None = None) -> AgencyQuerySet:
    """Where dossiers could be handed in on ``on``: one-stop desks and service centres."""
    day = on or timezone.localdate()
    return Agency.objects.active_on(day).receiving_points().select_related("parent").order_by("edoc_code")


def agency_public_list(
    *,
    on: dt.date | None = None,
    kind: str = "",
    parent_edoc_code: str = "",
    receiving_point: bool | None = None,
    search: str = "",
) -> AgencyQuerySet:
    """The public catalogue of units active on ``on``, filtered; ``search`` ignores accents."""
    day = on or timezone.localdate()
    rows = Agency.objects.active_on(day)
    if kind:
        rows = rows.filter(kind=kind)
    if parent_edoc_code:
        rows = rows.filter(parent__edoc_code=parent_edoc_code)
    if receiving_point is not None:
        rows = rows.filter(is_receiving_point=receiving_point)
    rows = agency_search(rows, search)
    return (
        rows.select_related("parent")
        .prefetch_related(
            Prefetch("successors", queryset=Agency.objects.only("pk", "edoc_code").order_by("edoc_code"))
        )
        .order_by("edoc_code", "valid_from", "pk")
    )


def agency_search(rows: AgencyQuerySet, text: str) -> AgencyQuerySet:
    """Every word of ``text`` in the folded name ("dong dang" finds "Đồng Đăng"), or a code."""
    words = fold_for_search(text).split()
    if not words:
        return rows
    code = text.strip().upper()
    by_name = Q()
    for word in words:
        by_name &= Q(search_text__contains=word)
    return rows.filter(by_name | Q(edoc_code=code) | Q(qcvn_code=code))
