"""Status of a figure against its target: đạt, đúng tiến độ, có nguy cơ không đạt, chưa đạt.

The rule, per indicator (``Indicator.status_rule``):

* **no data** — the figure has no value for the period → ``no_data``;
* **no target** — no target was set for the unit (or the province) for the period or its year →
  ``no_target``;
* **achieved** — the target is already met: value ≥ target when higher is better, value ≤ target
  when lower is better;
* otherwise an *expected* value at the period's end is worked out:

  - ``linear`` (the default): expected = baseline + (target − baseline) × elapsed, where elapsed
    is the share of the target's period (usually the year) that has passed at the end of the
    figure's period (Q1 → 90/365, H1 → 181/365, the year → 1);
  - ``threshold``: expected = target (compared directly, whatever the time of year);

  and the figure is **on track** when it is at or better than expected (direction-aware),
  **at risk** when it is worse but within ``at_risk_margin`` × |target| of expected, else **not
  achieved**.

The baseline is ``Target.baseline`` when set, else the unit's value for the previous year, else
a documented default (:func:`default_baseline`): 0 for a higher-is-better count (a stock built from
nothing, e.g. community digital technology teams), and the target itself for everything else (a
ratio or a lower-is-better count whose starting point is unknown: without a known start, linear
progress cannot be drawn, so the figure is compared with the target, i.e. the threshold rule).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from indicators.models import Direction, IndicatorStatus, StatusRule, Unit


@dataclass(frozen=True)
class Assessment:
    status: str
    expected: Decimal | None


def elapsed_fraction(*, figure_end: dt.date, target_start: dt.date, target_end: dt.date) -> Decimal:
    """The share of the target's period that has passed at the end of the figure's period (0–1)."""
    if figure_end >= target_end:
        return Decimal(1)
    if figure_end < target_start:
        return Decimal(0)
    total = (target_end - target_start).days + 1
    passed = (figure_end - target_start).days + 1
    return Decimal(passed) / Decimal(total)


def default_baseline(*, unit: str, direction: str, target: Decimal) -> Decimal:
    """The baseline when neither the target nor last year gives one (see the module docstring)."""
    if unit == Unit.COUNT and direction == Direction.HIGHER:
        return Decimal(0)
    return target


def better_or_equal(value: Decimal, reference: Decimal, direction: str) -> bool:
    return value <= reference if direction == Direction.LOWER else value >= reference


def assess(
    *,
    value: Decimal | None,
    target: Decimal | None,
    direction: str,
    rule: str,
    at_risk_margin: Decimal,
    baseline: Decimal | None = None,
    elapsed: Decimal = Decimal(1),
) -> Assessment:
    """The status of ``value`` against ``target`` (see the module docstring for the rule)."""
    if value is None:
        return Assessment(IndicatorStatus.NO_DATA, None)
    if target is None:
        return Assessment(IndicatorStatus.NO_TARGET, None)
    if rule == StatusRule.THRESHOLD:
        expected = target
    else:
        start = target if baseline is None else baseline
        expected = start + (target - start) * elapsed
    if better_or_equal(value, target, direction):
        return Assessment(IndicatorStatus.ACHIEVED, expected)
    if better_or_equal(value, expected, direction):
        return Assessment(IndicatorStatus.ON_TRACK, expected)
    if abs(value - expected) <= at_risk_margin * abs(target):
        return Assessment(IndicatorStatus.AT_RISK, expected)
    return Assessment(IndicatorStatus.NOT_ACHIEVED, expected)
