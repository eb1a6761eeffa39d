"""What the operations centre shows, assembled once from the selectors for the pages, the Excel
sheets and the PDF briefing, so that all three hold the same figures.

Each figure comes with the same figure for the previous period and for the same period last
year (the two comparisons every briefing reads out), the trend between them, and the counts by
status ("9 chỉ tiêu chưa đạt") with the list of the lagging ones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from agencies.models import Agency
from indicators import selectors
from indicators.facts import facts_freshness
from indicators.models import (
    Direction,
    Indicator,
    IndicatorStatus,
    Period,
    Periodicity,
    Source,
)
from indicators.periods import period_previous, period_same_last_year
from indicators.selectors import Figure, GroupScore

# The order periods nest in: a report made quarterly can be read for a quarter, a half, nine
# months or a year, not for a month.
PERIOD_RANK = {
    Periodicity.MONTH: 1,
    Periodicity.QUARTER: 2,
    Periodicity.HALF: 3,
    Periodicity.NINE_MONTHS: 4,
    Periodicity.YEAR: 5,
}
LAGGING = (IndicatorStatus.NOT_ACHIEVED, IndicatorStatus.AT_RISK)
STATUS_ORDER = (
    IndicatorStatus.NOT_ACHIEVED,
    IndicatorStatus.AT_RISK,
    IndicatorStatus.ON_TRACK,
    IndicatorStatus.ACHIEVED,
    IndicatorStatus.NO_TARGET,
    IndicatorStatus.NO_DATA,
)
# "9 chỉ tiêu chưa đạt": how a briefing counts each status.
STATUS_PHRASES = {
    IndicatorStatus.NOT_ACHIEVED: "chỉ tiêu chưa đạt",
    IndicatorStatus.AT_RISK: "chỉ tiêu có nguy cơ không đạt",
    IndicatorStatus.ON_TRACK: "chỉ tiêu đúng tiến độ",
    IndicatorStatus.ACHIEVED: "chỉ tiêu đã đạt",
    IndicatorStatus.NO_TARGET: "chỉ tiêu chưa được giao chỉ tiêu",
    IndicatorStatus.NO_DATA: "chỉ tiêu chưa có số liệu",
}


@dataclass(frozen=True)
class Comparison:
    """A figure beside the same figure one period earlier and one year earlier."""

    current: Figure
    previous: Figure
    last_year: Figure

    @property
    def indicator(self) -> Indicator:
        return self.current.indicator

    @staticmethod
    def _change(now: Decimal | None, then: Decimal | None) -> Decimal | None:
        return None if now is None or then is None else now - then

    @property
    def change_previous(self) -> Decimal | None:
        return self._change(self.current.value, self.previous.value)

    @property
    def change_last_year(self) -> Decimal | None:
        return self._change(self.current.value, self.last_year.value)

    @property
    def trend(self) -> str:
        """ "up", "down" or "flat" against the previous period; "" without both figures."""
        change = self.change_previous
        if change is None:
            return ""
        return "up" if change > 0 else ("down" if change < 0 else "flat")

    @property
    def trend_good(self) -> bool | None:
        """Whether the move is the good way for this indicator (up for "higher is better")."""
        if self.trend in ("", "flat"):
            return None
        return (self.trend == "up") == (self.indicator.direction == Direction.HIGHER)


@dataclass(frozen=True)
class StatusCount:
    status: str
    count: int

    @property
    def phrase(self) -> str:
        return f"{self.count} {STATUS_PHRASES.get(IndicatorStatus(self.status), self.status)}"


@dataclass(frozen=True)
class Overview:
    """The key figures of the province or of one unit for one period."""

    period: Period
    previous: Period
    last_year: Period
    agency: Agency | None
    rows: list[Comparison]
    groups: list[GroupScore]
    as_of: dt.datetime | None

    @property
    def counts(self) -> list[StatusCount]:
        raw = selectors.status_counts(row.current for row in self.rows)
        return [StatusCount(status, raw.get(status, 0)) for status in STATUS_ORDER]

    @property
    def lagging(self) -> list[Comparison]:
        """The indicators that lag (not achieved first, then at risk), in catalogue order."""
        lagging = {id(figure) for figure in selectors.lagging(row.current for row in self.rows)}
        chosen = [row for row in self.rows if id(row.current) in lagging]
        return sorted(chosen, key=lambda row: LAGGING.index(IndicatorStatus(row.current.status)))

    @property
    def lagging_count(self) -> int:
        return len(self.lagging)

    @property
    def rows_with_figures_first(self) -> list[Comparison]:
        """The same rows, those that have a figure first (a wall display shows what it has first)."""
        return sorted(self.rows, key=lambda row: row.current.value is None)


def applicable(indicator: Indicator, kind: str) -> bool:
    """Whether the indicator has a figure for periods of ``kind``: congso computes its own for any
    period; a unit's report is read for its own period or a longer one, never a shorter one."""
    if indicator.source == Source.COMPUTED:
        return True
    return PERIOD_RANK[Periodicity(indicator.periodicity)] <= PERIOD_RANK[Periodicity(kind)]


def indicators_for(kind: str) -> list[Indicator]:
    chosen = Indicator.objects.filter(is_active=True).select_related("group").order_by("order", "code")
    return [indicator for indicator in chosen if applicable(indicator, kind)]


def facts_as_of() -> dt.datetime | None:
    """When the dossier figures were last brought up to date (the oldest source counts)."""
    return facts_freshness()


def _by_indicator(found: Iterable[Figure]) -> dict[int, Figure]:
    return {item.indicator.pk: item for item in found}


def compare(*, period: Period, agency: Agency | None, indicators: list[Indicator]) -> list[Comparison]:
    """The figures of ``indicators`` for ``period`` with their two comparisons."""
    if not indicators:
        return []
    previous = _by_indicator(
        selectors.figures(period=period_previous(period), agency=agency, indicators=indicators)
    )
    last_year = _by_indicator(
        selectors.figures(period=period_same_last_year(period), agency=agency, indicators=indicators)
    )
    return [
        Comparison(current=item, previous=previous[item.indicator.pk], last_year=last_year[item.indicator.pk])
        for item in selectors.figures(period=period, agency=agency, indicators=indicators)
    ]


def overview(*, period: Period, agency: Agency | None = None) -> Overview:
    return Overview(
        period=period,
        previous=period_previous(period),
        last_year=period_same_last_year(period),
        agency=agency,
        rows=compare(period=period, agency=agency, indicators=indicators_for(period.kind)),
        groups=selectors.group_scores(period=period, agency=agency),
        as_of=facts_as_of(),
    )


def tile(*, indicator: Indicator, period: Period, agency: Agency | None = None) -> Comparison:
    """One tile of the overview on its own (the fragment a wall display refreshes)."""
    return compare(period=period, agency=agency, indicators=[indicator])[0]


@dataclass(frozen=True)
class RankRow:
    rank: int
    figure: Figure
    previous: Figure | None
    last_year: Figure | None

    @property
    def comparison(self) -> Comparison | None:
        if self.previous is None or self.last_year is None:
            return None
        return Comparison(current=self.figure, previous=self.previous, last_year=self.last_year)


@dataclass(frozen=True)
class IndicatorView:
    """An indicator for a period: its figure and comparisons, its series, the units ranked."""

    indicator: Indicator
    period: Period
    agency: Agency | None
    comparison: Comparison
    series: list[Figure]
    ranking: list[RankRow]
    units_total: int
    hidden_units: int


def _unit_key(item: Figure) -> int | None:
    return item.agency.pk if item.agency is not None else None


def indicator_view(
    *,
    indicator: Indicator,
    period: Period,
    agency: Agency | None,
    visible: frozenset[int] | None,
    series_count: int = 8,
) -> IndicatorView:
    """Everything the indicator page shows; units outside ``visible`` (None: all) keep their rank
    among all units but are left out, so a commune sees where it stands and not the others."""
    ranked = selectors.ranking(indicator=indicator, period=period)
    previous = {
        _unit_key(f): f for f in selectors.ranking(indicator=indicator, period=period_previous(period))
    }
    last_year = {
        _unit_key(f): f for f in selectors.ranking(indicator=indicator, period=period_same_last_year(period))
    }
    rows = [
        RankRow(rank, item, previous.get(_unit_key(item)), last_year.get(_unit_key(item)))
        for rank, item in enumerate(ranked, start=1)
    ]
    shown = [row for row in rows if visible is None or _unit_key(row.figure) in visible]
    return IndicatorView(
        indicator=indicator,
        period=period,
        agency=agency,
        comparison=tile(indicator=indicator, period=period, agency=agency),
        series=selectors.series(
            indicator=indicator, agency=agency, kind=period.kind, count=series_count, end=period
        ),
        ranking=shown,
        units_total=len(rows),
        hidden_units=len(rows) - len(shown),
    )


def published(*, today: dt.date | None = None) -> list[Comparison]:
    """The indicators the province publishes, each for its latest closed period, province-wide."""
    from indicators.periods import period_last_closed

    chosen = Indicator.objects.filter(is_active=True, published=True).select_related("group")
    rows = []
    for indicator in chosen.order_by("order", "code"):
        period = period_last_closed(indicator.periodicity, today)
        rows.append(tile(indicator=indicator, period=period, agency=None))
    return rows
