"""The data of the operations centre's charts, as plain JSON for Chart.js
(``indicators/static/indicators/ioc-charts.js`` draws it). Every chart's data is also printed as
an HTML table beside it, so nothing depends on the chart being drawn."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from indicators.dashboard import IndicatorView
from indicators.formatting import decimals_of, rounded
from indicators.models import Indicator
from indicators.selectors import GroupScore

RANKING_CHART_LIMIT = 40


def _number(indicator: Indicator, value: Decimal | None) -> float | None:
    return None if value is None else float(rounded(value, decimals_of(indicator)))


def series_chart(view: IndicatorView) -> dict[str, Any]:
    """The figure period after period, with the target where one is set."""
    indicator = view.indicator
    points = view.series
    datasets: list[dict[str, Any]] = [
        {
            "label": indicator.short_name or indicator.name,
            "data": [_number(indicator, p.value) for p in points],
        }
    ]
    if any(p.target is not None for p in points):
        datasets.append(
            {"label": "Chỉ tiêu", "data": [_number(indicator, p.target) for p in points], "kind": "target"}
        )
    return {
        "type": "line",
        "labels": [p.period.label for p in points],
        "datasets": datasets,
        "unit": indicator.unit,
        "decimals": decimals_of(indicator),
    }


def ranking_chart(view: IndicatorView) -> dict[str, Any]:
    """The units the person may see, best first (bars), at most ``RANKING_CHART_LIMIT``."""
    indicator = view.indicator
    rows = [row for row in view.ranking if row.figure.value is not None][:RANKING_CHART_LIMIT]
    return {
        "type": "bar",
        "horizontal": True,
        "labels": [row.figure.agency.name if row.figure.agency else "" for row in rows],
        "datasets": [
            {
                "label": indicator.short_name or indicator.name,
                "data": [_number(indicator, row.figure.value) for row in rows],
                "statuses": [row.figure.status for row in rows],
            }
        ],
        "unit": indicator.unit,
        "decimals": decimals_of(indicator),
        # one bar per unit: the drawing grows with the list instead of stretching a few bars
        "height": 90 + 28 * len(rows),
    }


def group_chart(groups: list[GroupScore]) -> dict[str, Any]:
    """Decision 766: points earned against the maximum, group by group."""
    return {
        "type": "bar",
        "labels": [group.group.code for group in groups],
        "datasets": [
            {
                "label": "Điểm đạt",
                "data": [None if g.points is None else float(rounded(g.points, 2)) for g in groups],
            },
            {
                "label": "Điểm tối đa",
                "data": [None if g.max_points is None else float(rounded(g.max_points, 2)) for g in groups],
                "kind": "target",
            },
        ],
        "unit": "points",
        "decimals": 2,
    }
