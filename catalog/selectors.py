"""Reads of the procedure catalogue: search, the version in force, the figures for the portal."""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Max, Prefetch
from django.utils import timezone

from agencies.models import Agency
from catalog.models import (
    CatalogueRevision,
    ComponentRequirement,
    Fee,
    Procedure,
    ProcedureVersion,
    Sector,
    WorkflowStep,
)
from catalog.search.index import MAX_QUERY_LENGTH, SearchIndex
from catalog.search.text import fold
from catalog.search.trigram import trigram_available, trigram_matches

# Weight of a trigram-only match relative to the in-memory ranking's scores (coverage 0–1).
TRIGRAM_SCORE_FACTOR = 0.8
_INDEX_CACHE_SIZE = 4
_index_cache: OrderedDict[tuple[str, str, dt.date], SearchIndex] = OrderedDict()
_index_lock = threading.Lock()


def catalogue_revision() -> str:
    """The current revision token of the catalogue ("" before the first write)."""
    token = CatalogueRevision.objects.filter(pk=1).values_list("token", flat=True).first()
    return str(token) if token else ""


def search_index(*, on: dt.date | None = None) -> SearchIndex:
    """The in-memory index of the versions in force on ``on``, rebuilt when the catalogue changes.

    The cache is per process and keyed by the revision token that every catalogue write
    changes (``catalog.services.catalogue_touch``), so all processes see a write at once.
    """
    day = on or timezone.localdate()
    key = (str(connection.settings_dict.get("NAME")), catalogue_revision(), day)
    with _index_lock:
        index = _index_cache.get(key)
        if index is not None:
            _index_cache.move_to_end(key)
            return index
        versions = (
            ProcedureVersion.objects.in_force_on(day)
            .select_related("procedure", "sector", "competent_agency")
            .order_by("procedure__code")
        )
        index = SearchIndex(list(versions))
        _index_cache[key] = index
        while len(_index_cache) > _INDEX_CACHE_SIZE:
            _index_cache.popitem(last=False)
        return index


def _allowed(
    index: SearchIndex,
    *,
    sector: str | None,
    level: str | None,
    agency: str | None,
    service_level: str | None,
) -> set[int] | None:
    if not (sector or level or agency or service_level):
        return None
    commune_agency = (
        bool(agency) and Agency.objects.filter(edoc_code=agency, kind=Agency.Kind.COMMUNE).exists()
    )
    allowed: set[int] = set()
    for position, entry in enumerate(index.entries):
        if sector and entry.sector_code != sector:
            continue
        if level and entry.level != level:
            continue
        if service_level and entry.service_level != service_level:
            continue
        # A commune settles the commune-level procedures that name no agency.
        settled_by_commune = (
            commune_agency and entry.level == ProcedureVersion.Level.COMMUNE and not entry.agency_code
        )
        if agency and entry.agency_code != agency and not settled_by_commune:
            continue
        allowed.add(position)
    return allowed


def procedure_search(
    *,
    query: str = "",
    sector: str | None = None,
    level: str | None = None,
    agency: str | None = None,
    service_level: str | None = None,
    on: dt.date | None = None,
) -> list[ProcedureVersion]:
    """The versions in force that answer ``query``, best first; without a query, most used first.

    ``sector`` is a sector code (H40-BCVT), ``agency`` an agency's e-ID code (H40.31): a
    commune's code also selects the commune-level procedures, which every commune settles.
    The versions returned are shared, read-only objects from the search index (procedure,
    sector and competent agency loaded): do not modify them.
    """
    day = on or timezone.localdate()
    index = search_index(on=day)
    allowed = _allowed(index, sector=sector, level=level, agency=agency, service_level=service_level)
    if not query.strip():
        # Popularity changes with every dossier received, not with the catalogue: read it fresh.
        used = dict(Procedure.objects.filter(popularity__gt=0).values_list("id", "popularity"))
        positions = [p for p in range(len(index.entries)) if allowed is None or p in allowed]
        positions.sort(
            key=lambda p: (-used.get(index.entries[p].version.procedure_id, 0), index.entries[p].folded_name)
        )
        return [index.entries[p].version for p in positions]
    ranking = index.rank(query, allowed)
    scores = dict(ranking.hits)
    if (ranking.unresolved or not scores) and trigram_available():
        for pk, similarity in trigram_matches(fold(query[:MAX_QUERY_LENGTH]), day=day):
            position = index.by_id.get(pk)
            if position is None or (allowed is not None and position not in allowed):
                continue
            scores[position] = max(scores.get(position, 0.0), similarity * TRIGRAM_SCORE_FACTOR)
    ordered = sorted(scores, key=lambda p: (-scores[p], -index.entries[p].popularity, p))
    return [index.entries[p].version for p in ordered]


def procedure_in_force(*, code: str, on: dt.date | None = None) -> ProcedureVersion:
    """The version of procedure ``code`` in force on ``on`` (today by default), with its fees,
    components and workflow prefetched. Raises ``ProcedureVersion.DoesNotExist``.
    """
    day = on or timezone.localdate()
    return (
        ProcedureVersion.objects.in_force_on(day)
        .filter(procedure__code=code)
        .select_related("procedure", "sector", "competent_agency")
        .prefetch_related(
            Prefetch("fees", queryset=Fee.objects.order_by("id")),
            Prefetch("components", queryset=ComponentRequirement.objects.order_by("order", "id")),
            Prefetch("workflow", queryset=WorkflowStep.objects.select_related("agency").order_by("order")),
        )
        .get()
    )


def procedure_version_next_number(*, procedure: Procedure) -> int:
    """The number the next version of ``procedure`` will carry."""
    latest = procedure.versions.aggregate(n=Max("number"))["n"]
    return int(latest or 0) + 1


def popular_procedures(*, limit: int = 8) -> list[ProcedureVersion]:
    """The most used procedures in force (by dossiers received), then by name."""
    return list(
        ProcedureVersion.objects.in_force()
        .select_related("procedure", "sector", "competent_agency")
        .order_by("-procedure__popularity", "name")[:limit]
    )


@dataclass(frozen=True)
class SectorCount:
    """A sector with the number of its procedures in force."""

    code: str
    name: str
    procedure_count: int


def sectors_with_counts(*, include_empty: bool = False, on: dt.date | None = None) -> list[SectorCount]:
    """Sectors by name with how many procedures are in force in each (empty sectors left out by default)."""
    day = on or timezone.localdate()
    in_force = ProcedureVersion.objects.in_force_on(day)
    counts = dict(
        in_force.order_by().values_list("sector_id").annotate(n=Count("id")).values_list("sector_id", "n")
    )
    sectors = Sector.objects.order_by("name", "code")
    return [
        SectorCount(code=s.code, name=s.name, procedure_count=counts.get(s.pk, 0))
        for s in sectors
        if include_empty or counts.get(s.pk, 0)
    ]


__all__ = [
    "SectorCount",
    "catalogue_revision",
    "popular_procedures",
    "procedure_in_force",
    "procedure_search",
    "procedure_version_next_number",
    "search_index",
    "sectors_with_counts",
]
