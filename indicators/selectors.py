"""Reads of the indicators: figures with target and status, rankings of units, series over periods,
the 766 group scores, and the dossiers behind a computed figure.

Where a figure comes from
    * computed from dossiers (``indicators.formulas.FACT_FORMULAS``): sums of the day facts over
      the unit's agencies (the unit and everything under it) and the period's days — one grouped
      query over ``DossierDayFact`` for every computed indicator at once; numerator and denominator
      are summed first and divided at the end (weighted ratios, never averages of percentages);
    * special computations (``formulas.SPECIAL_FORMULAS``): overdue dossiers and tasks, catalogue
      figures;
    * reported by units: the values of APPROVED reports whose period lies in the figure's period,
      the latest one per unit (the indicators units report are stocks: households on fibre, teams,
      BTS sites …), then aggregated over units by the indicator's rule (sum; weighted ratio of the
      reported numerators and denominators; average; latest). For the whole province only units
      that exist at the end of the period count (a merged commune's last report is superseded by
      its successor's); a unit's own figure always reads its own reports.

Targets: the unit's (the province agency's for province figures) target for the period itself,
else for the period's year; status by ``indicators.status``.

Caching: the figures of one (period, unit) are computed together and kept in the cache under a
version key; the version is bumped when the facts are refreshed with changes, a report is
approved or a target is set (``figures_cache_bump``), and entries expire after
``CACHE_SECONDS`` so live counts (overdue dossiers) are never older than that.

These reads are the system's own: they do not scope by person. Views apply
``indicators.permissions.visible_unit_ids`` before choosing the unit, and restrict drill-down
lists with the access layer.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from agencies.models import Agency
from dossiers.models import Dossier
from indicators import formulas
from indicators.facts import counter_dossiers
from indicators.models import (
    Aggregation,
    DossierDayFact,
    Framework,
    Indicator,
    IndicatorGroup,
    IndicatorStatus,
    Period,
    Periodicity,
    ReportForm,
    ReportStatus,
    ReportValue,
    Source,
    Target,
    Unit,
)
from indicators.periods import (
    period_containing,
    period_last_closed,
    period_previous,
    period_year,
)
from indicators.status import assess, default_baseline, elapsed_fraction

CACHE_SECONDS = 300
_VERSION_KEY = "indicators:figures:version"
UNIT_KINDS = (Agency.Kind.COMMUNE, Agency.Kind.DEPARTMENT)
PROVINCE = None
"""Group key of the whole province."""


@dataclass(frozen=True)
class Figure:
    indicator: Indicator
    agency: Agency | None  # None = the whole province
    period: Period
    value: Decimal | None  # in the indicator's unit (percent 0–100 for ratios)
    numerator: Decimal | None
    denominator: Decimal | None
    target: Decimal | None
    expected: Decimal | None  # where linear progress should be at the period's end
    status: str  # IndicatorStatus value
    units_reported: int | None  # reported indicators: units with an approved value
    units_expected: int | None


@dataclass(frozen=True)
class GroupScore:
    """Points of one 766 group for a unit and period: Σ over its indicators with data of
    (score 0–1 × the indicator's points)."""

    group: IndicatorGroup
    agency: Agency | None
    period: Period
    points: Decimal | None  # None when no indicator of the group has data
    max_points: Decimal | None
    indicators_scored: int
    indicators_total: int
    details: tuple[tuple[Figure, Decimal | None], ...] = ()


# --- Cache --------------------------------------------------------------------------------------------


def figures_cache_version() -> int:
    version = cache.get(_VERSION_KEY)
    if version is None:
        version = int(timezone.now().timestamp() * 1000)
        cache.add(_VERSION_KEY, version, None)
        version = cache.get(_VERSION_KEY, version)
    return int(version)


def figures_cache_bump() -> None:
    """Make every cached figure stale (facts refreshed, report approved, target set)."""
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, int(timezone.now().timestamp() * 1000), None)


# --- The agency tree ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Tree:
    parent: Mapping[int, int | None]
    kind: Mapping[int, str]
    children: Mapping[int, tuple[int, ...]]

    def subtree(self, agency_id: int) -> frozenset[int]:
        found = {agency_id}
        stack = [agency_id]
        while stack:
            for child in self.children.get(stack.pop(), ()):
                if child not in found:
                    found.add(child)
                    stack.append(child)
        return frozenset(found)


def _tree() -> _Tree:
    parent: dict[int, int | None] = {}
    kind: dict[int, str] = {}
    children: dict[int, list[int]] = defaultdict(list)
    for pk, parent_id, agency_kind in Agency.objects.values_list("pk", "parent_id", "kind"):
        parent[pk] = parent_id
        kind[pk] = agency_kind
        if parent_id is not None:
            children[parent_id].append(pk)
    return _Tree(parent, kind, {k: tuple(v) for k, v in children.items()})


def _is_province(agency: Agency | None) -> bool:
    return agency is None or agency.kind == Agency.Kind.PROVINCE


def province_agency(on: dt.date | None = None) -> Agency | None:
    """The province's own agency (UBND tỉnh), holder of the province-wide targets."""
    day = on or timezone.localdate()
    return (
        Agency.objects.active_on(day).filter(kind=Agency.Kind.PROVINCE).order_by("pk").first()
        or Agency.objects.filter(kind=Agency.Kind.PROVINCE).order_by("-valid_from", "pk").first()
    )


def units(*, period: Period, kinds: Iterable[str] = UNIT_KINDS) -> list[Agency]:
    """Communes and departments (or ``kinds``) that existed at some time in ``period``."""
    return list(
        Agency.objects.filter(kind__in=list(kinds), valid_from__lte=period.end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=period.start))
        .order_by("kind", "name")
    )


# --- Raw values ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Raw:
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    units_reported: int | None = None
    units_expected: int | None = None


Groups = Mapping[Any, frozenset[int] | None]


def _fact_values(indicators: list[Indicator], period: Period, groups: Groups) -> dict[tuple[int, Any], _Raw]:
    chosen = [(i, formulas.FACT_FORMULAS[i.computation]) for i in indicators]
    fields = sorted({f for _i, formula in chosen for f in (*formula.numerator, *(formula.denominator or ()))})
    if not fields:
        return {}
    facts = DossierDayFact.objects.filter(day__gte=period.start, day__lte=period.end)
    sums = {field: Sum(field) for field in fields}
    by_group: dict[Any, dict[str, int]] = {}
    if all(ids is None for ids in groups.values()):
        total = facts.aggregate(**sums)
        for key in groups:
            by_group[key] = {f: int(total[f] or 0) for f in fields}
    else:
        wanted = set().union(*(ids for ids in groups.values() if ids is not None))
        if any(ids is None for ids in groups.values()):
            rows = list(facts.values("agency_id").annotate(**sums).order_by())
        else:
            rows = list(
                facts.filter(agency_id__in=sorted(wanted)).values("agency_id").annotate(**sums).order_by()
            )
        for key, ids in groups.items():
            acc = dict.fromkeys(fields, 0)
            for row in rows:
                if ids is None or row["agency_id"] in ids:
                    for f in fields:
                        acc[f] += int(row[f] or 0)
            by_group[key] = acc
    out: dict[tuple[int, Any], _Raw] = {}
    for indicator, formula in chosen:
        for key, acc in by_group.items():
            num = Decimal(sum(acc[f] for f in formula.numerator))
            den = None if formula.denominator is None else Decimal(sum(acc[f] for f in formula.denominator))
            scale = None if formula.denominator is None else formula.scale
            out[(indicator.pk, key)] = _Raw(formulas.ratio(num, den, scale), num, den)
    return out


def _special_values(
    indicators: list[Indicator], period: Period, groups: Groups, tree: _Tree, now: dt.datetime
) -> dict[tuple[int, Any], _Raw]:
    ctx = formulas.SpecialContext(period=period, now=now, agency_kinds=tree.kind)
    out: dict[tuple[int, Any], _Raw] = {}
    done: dict[str, formulas.Result] = {}
    for indicator in indicators:
        formula = formulas.SPECIAL_FORMULAS[indicator.computation]
        if formula.key not in done:
            done[formula.key] = formula.compute(ctx, groups)
        for key, (num, den) in done[formula.key].items():
            out[(indicator.pk, key)] = _Raw(formulas.ratio(num, den, formula.scale), num, den)
    return out


def _reported_scale(indicator: Indicator) -> Decimal:
    return Decimal(100) if indicator.unit in (Unit.PERCENT, Unit.PER_100) else Decimal(1)


@dataclass(frozen=True)
class _Entry:
    agency_id: int
    period_end: dt.date
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None


def _aggregate_reported(indicator: Indicator, entries: list[_Entry]) -> _Raw:
    valued = [e for e in entries if e.value is not None or (e.numerator is not None and e.denominator)]
    if not valued:
        return _Raw(None, None, None, 0)
    count = len(valued)
    rule = indicator.aggregation
    if len(valued) == 1 and rule != Aggregation.SUM:
        e = valued[0]
        value = e.value
        if value is None and e.numerator is not None and e.denominator:
            value = e.numerator * _reported_scale(indicator) / e.denominator
        return _Raw(value, e.numerator, e.denominator, count)
    if rule == Aggregation.SUM:
        values = [e.value for e in valued if e.value is not None]
        return _Raw(sum(values, Decimal(0)) if values else None, None, None, count)
    if rule == Aggregation.RATIO:
        pairs = [
            (e.numerator, e.denominator)
            for e in valued
            if e.numerator is not None and e.denominator is not None
        ]
        if not pairs:
            return _Raw(None, None, None, count)
        num = sum((n for n, _d in pairs if n is not None), Decimal(0))
        den = sum((d for _n, d in pairs if d is not None), Decimal(0))
        return _Raw(formulas.ratio(num, den, _reported_scale(indicator)), num, den, count)
    if rule == Aggregation.AVERAGE:
        values = [e.value for e in valued if e.value is not None]
        return _Raw(sum(values, Decimal(0)) / len(values) if values else None, None, None, count)
    latest = max(valued, key=lambda e: (e.period_end, e.agency_id))
    return _Raw(latest.value, latest.numerator, latest.denominator, count)


def _reporting_kinds(indicators: list[Indicator]) -> dict[int, set[str]]:
    kinds: dict[int, set[str]] = defaultdict(set)
    through = ReportForm.indicators.through
    rows = through.objects.filter(indicator_id__in=[i.pk for i in indicators], reportform__is_active=True)
    for indicator_id, reporting in rows.values_list("indicator_id", "reportform__reporting_kinds"):
        kinds[indicator_id].update(reporting or [])
    return kinds


def _reported_values(
    indicators: list[Indicator], period: Period, groups: Groups, tree: _Tree
) -> dict[tuple[int, Any], _Raw]:
    if not indicators:
        return {}
    rows = (
        ReportValue.objects.filter(
            indicator__in=indicators,
            report__status=ReportStatus.APPROVED,
            report__period__start__gte=period.start,
            report__period__end__lte=period.end,
        )
        .values_list(
            "indicator_id",
            "report__agency_id",
            "report__period__end",
            "report__period__kind",
            "value",
            "numerator",
            "denominator",
        )
        .order_by()
    )
    latest: dict[tuple[int, int], tuple[tuple[dt.date, bool], _Entry]] = {}
    for indicator_id, agency_id, end, kind, value, num, den in rows:
        rank = (end, kind == period.kind)
        current = latest.get((indicator_id, agency_id))
        if current is None or rank > current[0]:
            latest[(indicator_id, agency_id)] = (rank, _Entry(agency_id, end, value, num, den))
    existing = {unit.pk: unit for unit in units(period=period)}
    alive = {pk for pk, unit in existing.items() if unit.is_active_on(period.end)}
    kinds = _reporting_kinds(indicators)
    out: dict[tuple[int, Any], _Raw] = {}
    for indicator in indicators:
        mine = [entry for (ind, _a), (_r, entry) in latest.items() if ind == indicator.pk]
        for key, ids in groups.items():
            if ids is None:
                chosen = [e for e in mine if e.agency_id in alive]
                expected = sum(1 for pk in alive if tree.kind.get(pk) in kinds[indicator.pk])
            else:
                chosen = [e for e in mine if e.agency_id in ids]
                expected = sum(1 for pk in ids if pk in existing and tree.kind.get(pk) in kinds[indicator.pk])
            raw = _aggregate_reported(indicator, chosen)
            out[(indicator.pk, key)] = _Raw(
                raw.value, raw.numerator, raw.denominator, raw.units_reported, expected
            )
    return out


def _raw_values(
    indicators: list[Indicator], period: Period, groups: Groups, tree: _Tree, now: dt.datetime
) -> dict[tuple[int, Any], _Raw]:
    fact = [i for i in indicators if i.source == Source.COMPUTED and i.computation in formulas.FACT_FORMULAS]
    special = [
        i for i in indicators if i.source == Source.COMPUTED and i.computation in formulas.SPECIAL_FORMULAS
    ]
    reported = [i for i in indicators if i.source == Source.REPORTED]
    out = _fact_values(fact, period, groups)
    out.update(_special_values(special, period, groups, tree, now))
    out.update(_reported_values(reported, period, groups, tree))
    return out


# --- Targets and status -------------------------------------------------------------------------------


def _targets(
    indicators: list[Indicator], period: Period, target_agencies: Mapping[Any, int | None]
) -> dict[tuple[int, Any], Target]:
    year = period_year(period)
    agency_ids = {a for a in target_agencies.values() if a is not None}
    if not agency_ids or not indicators:
        return {}
    rows = Target.objects.filter(
        indicator__in=indicators, agency_id__in=agency_ids, period__in={period.pk, year.pk}
    ).select_related("period")
    found: dict[tuple[int, int], Target] = {}
    for target in rows:
        key = (target.indicator_id, target.agency_id)
        # The period's own target wins over the year's.
        if key not in found or target.period_id == period.pk:
            found[key] = target
    out: dict[tuple[int, Any], Target] = {}
    for indicator in indicators:
        for key, agency_id in target_agencies.items():
            if agency_id is not None and (indicator.pk, agency_id) in found:
                out[(indicator.pk, key)] = found[(indicator.pk, agency_id)]
    return out


def _figures(
    *,
    indicators: list[Indicator],
    period: Period,
    groups: Groups,
    agencies: Mapping[Any, Agency | None],
    now: dt.datetime,
) -> dict[tuple[int, Any], Figure]:
    """Figures of ``indicators`` for every group (the core every public selector calls)."""
    tree = _tree()
    raws = _raw_values(indicators, period, groups, tree, now)
    province = province_agency(period.end)
    target_agencies: dict[Any, int | None] = {}
    for key, agency in agencies.items():
        if agency is None or _is_province(agency):
            target_agencies[key] = province.pk if province is not None else None
        else:
            target_agencies[key] = agency.pk
    targets = _targets(indicators, period, target_agencies)
    # Baselines from last year, only where a target has none.
    need = [
        i
        for i in indicators
        if any((i.pk, k) in targets and targets[(i.pk, k)].baseline is None for k in groups)
    ]
    last_year: dict[tuple[int, Any], _Raw] = {}
    if need:
        from indicators.periods import period_get

        last_year = _raw_values(need, period_get(Periodicity.YEAR, period.year - 1), groups, tree, now)
    figure_end = min(period.end, timezone.localdate(now))
    out: dict[tuple[int, Any], Figure] = {}
    for indicator in indicators:
        for key in groups:
            raw = raws.get((indicator.pk, key), _Raw(None, None, None))
            target = targets.get((indicator.pk, key))
            target_value = target.value if target else None
            baseline = None
            elapsed = Decimal(1)
            if target is not None:
                baseline = target.baseline
                if baseline is None:
                    previous = last_year.get((indicator.pk, key))
                    baseline = previous.value if previous is not None else None
                if baseline is None:
                    baseline = default_baseline(
                        unit=indicator.unit, direction=indicator.direction, target=target.value
                    )
                elapsed = elapsed_fraction(
                    figure_end=figure_end, target_start=target.period.start, target_end=target.period.end
                )
            verdict = assess(
                value=raw.value,
                target=target_value,
                direction=indicator.direction,
                rule=indicator.status_rule,
                at_risk_margin=indicator.at_risk_margin,
                baseline=baseline,
                elapsed=elapsed,
            )
            out[(indicator.pk, key)] = Figure(
                indicator=indicator,
                agency=agencies[key],
                period=period,
                value=raw.value,
                numerator=raw.numerator,
                denominator=raw.denominator,
                target=target_value,
                expected=verdict.expected,
                status=verdict.status,
                units_reported=raw.units_reported,
                units_expected=raw.units_expected,
            )
    return out


# --- Public reads -------------------------------------------------------------------------------------


def active_indicators() -> list[Indicator]:
    return list(Indicator.objects.filter(is_active=True).select_related("group").order_by("order", "code"))


def _cached(key: str, compute: Callable[[], Any]) -> Any:
    full_key = f"indicators:v{figures_cache_version()}:{key}"
    found = cache.get(full_key)
    if found is None:
        found = compute()
        cache.set(full_key, found, CACHE_SECONDS)
    return found


def figures(
    *, period: Period, agency: Agency | None = None, indicators: Iterable[Indicator] | None = None
) -> list[Figure]:
    """The figures of ``indicators`` (every active one by default) for a unit (None or the province
    agency: the whole province) and period, in catalogue order."""
    province = _is_province(agency)
    agency_key = "all" if agency is None else agency.pk
    shown_agency = agency

    def compute() -> list[Figure]:
        chosen = active_indicators()
        group = None if province else _tree().subtree(agency.pk)  # type: ignore[union-attr]
        found = _figures(
            indicators=chosen,
            period=period,
            groups={PROVINCE: group},
            agencies={PROVINCE: shown_agency},
            now=timezone.now(),
        )
        return [found[(i.pk, PROVINCE)] for i in chosen]

    every: list[Figure] = _cached(f"figures:{period.pk}:{agency_key}", compute)
    if indicators is None:
        return every
    wanted = list(indicators)
    by_id = {f.indicator.pk: f for f in every}
    missing = [i for i in wanted if i.pk not in by_id]
    if missing:
        group = None if province else _tree().subtree(agency.pk)  # type: ignore[union-attr]
        extra = _figures(
            indicators=missing,
            period=period,
            groups={PROVINCE: group},
            agencies={PROVINCE: shown_agency},
            now=timezone.now(),
        )
        by_id.update({i.pk: extra[(i.pk, PROVINCE)] for i in missing})
    return [by_id[i.pk] for i in wanted]


def figure(*, indicator: Indicator, period: Period, agency: Agency | None = None) -> Figure:
    return figures(period=period, agency=agency, indicators=[indicator])[0]


def _rank_key(item: Figure) -> tuple[int, Decimal]:
    if item.value is None:
        return (1, Decimal(0))
    return (0, item.value if item.indicator.direction == "lower" else -item.value)


def ranking(*, indicator: Indicator, period: Period) -> list[Figure]:
    """One figure per unit (communes and departments valid in the period; for a reported indicator
    the kinds of unit that report it), best first; units without data last."""

    def compute() -> list[Figure]:
        kinds: Iterable[str] = UNIT_KINDS
        if indicator.source == Source.REPORTED:
            kinds = _reporting_kinds([indicator]).get(indicator.pk) or UNIT_KINDS
        chosen = units(period=period, kinds=kinds)
        tree = _tree()
        found = _figures(
            indicators=[indicator],
            period=period,
            groups={u.pk: tree.subtree(u.pk) for u in chosen},
            agencies={u.pk: u for u in chosen},
            now=timezone.now(),
        )
        items = [found[(indicator.pk, u.pk)] for u in chosen]
        return sorted(items, key=lambda f: (_rank_key(f), f.agency.name if f.agency else ""))

    result: list[Figure] = _cached(f"ranking:{indicator.pk}:{period.pk}", compute)
    return result


def _default_end(kind: str) -> Period:
    try:
        return period_containing(kind, timezone.localdate())
    except ValueError:
        return period_last_closed(kind)


def series(
    *, indicator: Indicator, agency: Agency | None, kind: str, count: int = 8, end: Period | None = None
) -> list[Figure]:
    """The figure over ``count`` periods of ``kind`` ending with ``end`` (default: the running
    period), oldest first."""
    current = end or _default_end(kind)
    periods = [current]
    for _ in range(max(count, 1) - 1):
        periods.append(period_previous(periods[-1]))
    return [figure(indicator=indicator, period=p, agency=agency) for p in reversed(periods)]


LAGGING = (IndicatorStatus.AT_RISK, IndicatorStatus.NOT_ACHIEVED)


def lagging(figures: Iterable[Figure]) -> list[Figure]:
    """The figures that lag: at risk or not achieved (not-achieved first)."""
    chosen = [f for f in figures if f.status in LAGGING]
    return sorted(
        chosen, key=lambda f: (f.status != IndicatorStatus.NOT_ACHIEVED, f.indicator.order, f.indicator.code)
    )


def status_counts(figures: Iterable[Figure]) -> dict[str, int]:
    counts = dict.fromkeys(IndicatorStatus.values, 0)
    for item in figures:
        counts[item.status] += 1
    return counts


# --- 766 scores ---------------------------------------------------------------------------------------

Scorer = Callable[[Figure], Decimal | None]


def score_ratio(item: Figure) -> Decimal | None:
    """The default 766 score of a figure, 0–1 (the working hypothesis of tthc-requirements §5:
    points = ratio × the indicator's points): a percentage read as a share, inverted when lower
    is better; figures that are not percentages score by their status (achieved 1, on track 1,
    at risk 0.5, else 0) when they have a target, and are left out otherwise."""
    if item.value is None:
        return None
    if item.indicator.unit == Unit.PERCENT:
        share = item.value / Decimal(100)
        if item.indicator.direction == "lower":
            share = 1 - share
        return min(max(share, Decimal(0)), Decimal(1))
    by_status = {
        IndicatorStatus.ACHIEVED: Decimal(1),
        IndicatorStatus.ON_TRACK: Decimal(1),
        IndicatorStatus.AT_RISK: Decimal("0.5"),
        IndicatorStatus.NOT_ACHIEVED: Decimal(0),
    }
    return by_status.get(IndicatorStatus(item.status))


def group_scores(
    *,
    period: Period,
    agency: Agency | None = None,
    scorer: Scorer = score_ratio,
    framework: str = Framework.D766,
) -> list[GroupScore]:
    """Points per group of ``framework`` (766 by default) for a unit and period: Σ score × points
    over the group's indicators that have data. The scorer is configurable (``scorer``); the
    points of each indicator and group are data (catalogue)."""
    groups = list(IndicatorGroup.objects.filter(framework=framework).order_by("order", "code"))
    members = [
        f for f in figures(period=period, agency=agency) if f.indicator.group_id in {g.pk for g in groups}
    ]
    out: list[GroupScore] = []
    for group in groups:
        mine = [f for f in members if f.indicator.group_id == group.pk and f.indicator.points is not None]
        details: list[tuple[Figure, Decimal | None]] = []
        total = Decimal(0)
        scored = 0
        for item in mine:
            share = scorer(item)
            points = None if share is None else share * Decimal(item.indicator.points or 0)
            details.append((item, points))
            if points is not None:
                total += points
                scored += 1
        out.append(
            GroupScore(
                group=group,
                agency=agency,
                period=period,
                points=total if scored else None,
                max_points=group.max_points,
                indicators_scored=scored,
                indicators_total=len(mine),
                details=tuple(details),
            )
        )
    return out


# --- Drill-down ---------------------------------------------------------------------------------------

PARTS = ("numerator", "denominator")


def drilldown_dossiers(
    *, indicator: Indicator, period: Period, agency: Agency | None, part: str
) -> QuerySet[Dossier]:
    """The dossiers counted in a computed figure's ``part`` ("numerator" or "denominator") for a unit
    (None: the province) and period. Not scoped: the caller intersects with
    ``Dossier.objects.restrict(user, "view")`` or checks ``visible_unit_ids`` first."""
    if part not in PARTS:
        raise ValueError("Phần cần xem phải là “numerator” (tử số) hoặc “denominator” (mẫu số).")
    ids = None if _is_province(agency) else _tree().subtree(agency.pk)  # type: ignore[union-attr]
    if indicator.source != Source.COMPUTED:
        return Dossier.objects.none()
    fact = formulas.FACT_FORMULAS.get(indicator.computation)
    if fact is not None:
        fields = fact.numerator if part == "numerator" else fact.denominator
        if not fields:
            return Dossier.objects.none()
        queryset = counter_dossiers(fields[0], start=period.start, end=period.end, agency_ids=ids)
        for field in fields[1:]:
            queryset = queryset | counter_dossiers(field, start=period.start, end=period.end, agency_ids=ids)
        return queryset
    special = formulas.SPECIAL_FORMULAS.get(indicator.computation)
    if special is None or special.drilldown is None:
        return Dossier.objects.none()
    ctx = formulas.SpecialContext(period=period, now=timezone.now(), agency_kinds=_tree().kind)
    return special.drilldown(ctx, ids, part)
