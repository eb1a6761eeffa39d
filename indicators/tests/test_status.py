"""Status against target: each branch of the documented rule, both directions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from indicators.models import Direction, IndicatorStatus, StatusRule, Unit
from indicators.status import assess, default_baseline, elapsed_fraction

S = IndicatorStatus
HIGHER, LOWER = Direction.HIGHER, Direction.LOWER
MARGIN = D("0.1")


def linear(value, target, direction, baseline, elapsed):
    return assess(
        value=None if value is None else D(value),
        target=None if target is None else D(target),
        direction=direction,
        rule=StatusRule.LINEAR,
        at_risk_margin=MARGIN,
        baseline=None if baseline is None else D(baseline),
        elapsed=D(elapsed),
    )


def threshold(value, target, direction):
    return assess(
        value=D(value),
        target=D(target),
        direction=direction,
        rule=StatusRule.THRESHOLD,
        at_risk_margin=MARGIN,
    )


def test_no_data_wins_over_everything():
    assert linear(None, 80, HIGHER, 40, "0.5").status == S.NO_DATA
    assert linear(None, None, HIGHER, None, 1).status == S.NO_DATA


def test_no_target():
    verdict = linear(50, None, HIGHER, None, "0.5")
    assert (verdict.status, verdict.expected) == (S.NO_TARGET, None)


# Higher is better: target 80 for the year, baseline 40, half the year gone → expected 60;
# at risk down to 60 − 0.1 × 80 = 52.
@pytest.mark.parametrize(
    ("value", "status"),
    [
        ("85", S.ACHIEVED),
        ("80", S.ACHIEVED),
        ("60", S.ON_TRACK),
        ("70", S.ON_TRACK),
        ("59", S.AT_RISK),
        ("52", S.AT_RISK),
        ("51.9", S.NOT_ACHIEVED),
        ("10", S.NOT_ACHIEVED),
    ],
)
def test_linear_progress_higher_is_better(value, status):
    verdict = linear(value, 80, HIGHER, 40, "0.5")
    assert (verdict.status, verdict.expected) == (status, D(60))


# Lower is better: overdue dossiers, target 10 (from 50), a quarter gone → expected 40;
# at risk up to 40 + 0.1 × 10 = 41.
@pytest.mark.parametrize(
    ("value", "status"),
    [
        ("8", S.ACHIEVED),
        ("10", S.ACHIEVED),
        ("40", S.ON_TRACK),
        ("25", S.ON_TRACK),
        ("41", S.AT_RISK),
        ("40.5", S.AT_RISK),
        ("41.1", S.NOT_ACHIEVED),
        ("60", S.NOT_ACHIEVED),
    ],
)
def test_linear_progress_lower_is_better(value, status):
    verdict = linear(value, 10, LOWER, 50, "0.25")
    assert (verdict.status, verdict.expected) == (status, D(40))


# Threshold: higher is better, target 80 (at risk from 72); lower is better, target 5 villages
# without signal (at risk up to 5.5).
@pytest.mark.parametrize(
    ("value", "direction", "target", "status"),
    [
        ("90", HIGHER, "80", S.ACHIEVED),
        ("75", HIGHER, "80", S.AT_RISK),
        ("60", HIGHER, "80", S.NOT_ACHIEVED),
        ("3", LOWER, "5", S.ACHIEVED),
        ("5.5", LOWER, "5", S.AT_RISK),
        ("7", LOWER, "5", S.NOT_ACHIEVED),
    ],
)
def test_threshold_compares_with_the_target_whatever_the_time_of_year(value, direction, target, status):
    verdict = threshold(value, target, direction)
    assert (verdict.status, verdict.expected) == (status, D(target))


def test_without_a_baseline_linear_progress_compares_with_the_target():
    verdict = linear(75, 80, HIGHER, None, "0.25")
    assert (verdict.status, verdict.expected) == (S.AT_RISK, D(80))


def test_default_baseline_is_zero_only_for_counts_that_grow():
    assert default_baseline(unit=Unit.COUNT, direction=HIGHER, target=D(1500)) == 0
    assert default_baseline(unit=Unit.COUNT, direction=LOWER, target=D(0)) == 0
    assert default_baseline(unit=Unit.COUNT, direction=LOWER, target=D(5)) == 5
    assert default_baseline(unit=Unit.PERCENT, direction=HIGHER, target=D(80)) == 80


def test_elapsed_fraction_of_the_year():
    year = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert elapsed_fraction(figure_end=dt.date(2026, 3, 31), target_start=year[0], target_end=year[1]) == D(
        90
    ) / D(365)
    assert elapsed_fraction(figure_end=dt.date(2026, 12, 31), target_start=year[0], target_end=year[1]) == 1
    assert elapsed_fraction(figure_end=dt.date(2027, 3, 31), target_start=year[0], target_end=year[1]) == 1
    assert elapsed_fraction(figure_end=dt.date(2025, 12, 31), target_start=year[0], target_end=year[1]) == 0
