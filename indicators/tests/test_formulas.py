"""Every formula of indicators/formulas.py on dossiers made by hand through the services.

The commune (the personas' ``agency``) receives, on Monday 08/09/2025 (quarter III/2025):

    d1  online, full-process procedure, resolved early, returned, rated "very satisfied"
    d2  online, partial procedure, resolved late (after its 5 working days), returned, rated
        "not satisfied" at the counter device (ratings count on the day they are given,
        ``Rating.rated_at``)
    d3  at the counter, forwarded, still being processed: overdue at the end of the quarter
    d4  at the counter, with fees, paid at the desk
    d5  online, with fees, paid online through the gateway
    d6  online, submitted but never received: counts nowhere

and another commune receives one online dossier (so unit and province figures differ).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.utils import timezone

from catalog.models import ProcedureVersion
from catalog.tests.factories import ComponentRequirementFactory
from directives.tests.factories import TaskFactory
from dossiers.tests.factories import MONDAY_MORNING, commune_procedure, submitted_dossier
from indicators import formulas, selectors
from indicators.facts import facts_rebuild
from indicators.models import Aggregation, Indicator, Periodicity, Source, Unit
from indicators.periods import period_containing, period_from_key
from indicators.tests import dossier_ops as ops
from indicators.tests.dossier_ops import calendar, media  # noqa: F401 - fixtures
from payments.tests.factories import fee_procedure

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar", "media")]

H = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


@pytest.fixture
def world(citizen, other_citizen, clerk, clerk_other_agency, specialist, leader, agency, other_agency):
    partial = commune_procedure()
    full = commune_procedure(service_level=ProcedureVersion.ServiceLevel.FULL_ONLINE)
    fees = fee_procedure()
    counter_only = commune_procedure(service_level=ProcedureVersion.ServiceLevel.COUNTER_ONLY, components=0)
    ComponentRequirementFactory(version=counter_only, order=1, name="Bản chính giấy phép cũ", paper_only=True)
    at = MONDAY_MORNING
    people = {"clerk": clerk, "specialist": specialist, "leader": leader}

    d1 = ops.online(citizen=citizen, clerk=clerk, commune=agency, version=full, at=at)
    ops.resolve(d1, **people, at=at + 5 * H)
    ops.give_back(d1, clerk=clerk, at=at + 6 * H)
    ops.rate(d1, citizen=citizen, score=3, at=at + 7 * H)

    d2 = ops.online(citizen=citizen, clerk=clerk, commune=agency, version=partial, at=at + H)
    ops.resolve(d2, **people, at=at + 10 * DAY)
    ops.give_back(d2, clerk=clerk, at=at + 10 * DAY + H)
    ops.rate(d2, score=1, at=at + 10 * DAY + 2 * H)

    d3 = ops.counter(clerk=clerk, commune=agency, version=partial, at=at + 2 * H)
    from dossiers.services import dossier_forward

    dossier_forward(dossier=d3, actor=clerk, to_user=specialist, now=at + 3 * H)

    d4 = ops.counter(clerk=clerk, commune=agency, version=fees, at=at + 3 * H)
    ops.pay_at_counter(d4, clerk=clerk, at=at + 3 * H)

    d5 = ops.online(citizen=citizen, clerk=clerk, commune=agency, version=fees, at=at + 4 * H)
    ops.pay_online(d5, citizen=citizen, at=at + 5 * H)

    submitted_dossier(applicant=citizen, commune=agency, version=partial, now=at)  # d6

    ops.online(citizen=other_citizen, clerk=clerk_other_agency, commune=other_agency, version=partial, at=at)
    TaskFactory(lead_agency=agency, due_on=dt.date(2025, 9, 20))  # overdue by the end of the quarter
    TaskFactory(lead_agency=agency, due_on=dt.date(2025, 10, 20))  # not yet
    facts_rebuild()
    return {"agency": agency, "other": other_agency}


def indicator(key: str) -> Indicator:
    fact = formulas.FACT_FORMULAS.get(key)
    is_count = (fact is not None and fact.denominator is None) or (
        key in formulas.SPECIAL_FORMULAS and formulas.SPECIAL_FORMULAS[key].scale is None
    )
    return Indicator.objects.create(
        code=key[:32],
        name=key,
        unit=Unit.COUNT if is_count else Unit.PERCENT,
        source=Source.COMPUTED,
        computation=key,
        periodicity=Periodicity.QUARTER,
        aggregation=Aggregation.SUM if is_count else Aggregation.RATIO,
    )


EXPECTED = {
    # key: (numerator, denominator) for the commune in quarter III/2025
    "dossiers_online_rate": (3, 5),
    "dossiers_online_full_rate": (1, 5),
    "dossiers_on_time_rate": (1, 2),
    "dossiers_early_rate": (1, 2),
    "dossiers_late_rate": (1, 2),
    "payments_online_rate": (1, 2),
    "dossiers_digitised_rate": (5, 5),
    "dossiers_reused_rate": (0, 5),
    "results_digitised_rate": (2, 2),
    "satisfaction_rate": (1, 2),  # both ratings given in the quarter
    "dossiers_received": (5, None),
    "dossiers_resolved": (2, None),
    "dossiers_overdue": (3, None),  # d3, d4, d5: received, due 15/9, not resolved by 30/9
    "tasks_overdue": (1, None),
    "procedures_full_online_rate": (1, 3),  # the counter-only one has a paper-only component
    "procedures_online_rate": (3, 4),
    "procedures_online_payment_rate": (1, 1),
    "services_full_online": (1, None),
    "services_partial_online": (2, None),
}


def test_every_formula_is_tested_here():
    assert set(EXPECTED) == formulas.FORMULA_KEYS


def test_each_formula_on_hand_made_dossiers(world):
    """One world, every formula: the assertion shows each formula whose figures differ."""
    quarter = period_from_key("2025-Q3")
    found, values = {}, {}
    for key, (numerator, denominator) in EXPECTED.items():
        figure = selectors.figure(indicator=indicator(key), period=quarter, agency=world["agency"])
        found[key] = (figure.numerator, figure.denominator)
        num, den = D(numerator), None if denominator is None else D(denominator)
        values[key] = (figure.value, formulas.ratio(num, den, D(100)))
        assert formulas.formula_doc(key), key

    assert found == {key: (D(n), None if d is None else D(d)) for key, (n, d) in EXPECTED.items()}
    assert {key: got for key, (got, _want) in values.items()} == {
        key: want for key, (_got, want) in values.items()
    }
    assert values["dossiers_online_rate"][0] == 60
    assert values["payments_online_rate"][0] == 50


def test_the_other_commune_and_the_province(world):
    online = indicator("dossiers_online_rate")
    q3 = period_from_key("2025-Q3")

    other = selectors.figure(indicator=online, period=q3, agency=world["other"])
    province = selectors.figure(indicator=online, period=q3)

    assert (other.numerator, other.denominator, other.value) == (D(1), D(1), D(100))
    assert (province.numerator, province.denominator, province.value) == (D(4), D(6), D(4) * 100 / D(6))


def test_nothing_counts_outside_the_period(world):
    online = indicator("dossiers_online_rate")

    figure = selectors.figure(indicator=online, period=period_from_key("2025-Q4"), agency=world["agency"])

    assert (figure.numerator, figure.denominator, figure.value) == (D(0), D(0), None)


def test_overdue_dossiers_of_a_running_period_are_counted_live(world):
    overdue = indicator("dossiers_overdue")
    today = period_containing(Periodicity.YEAR, timezone.localdate())

    figure = selectors.figure(indicator=overdue, period=today, agency=world["agency"])
    assert figure.value == 3  # still open and long past their due date
    drill = selectors.drilldown_dossiers(
        indicator=overdue, period=today, agency=world["agency"], part="numerator"
    )
    assert drill.count() == 3
