"""Figures from the day facts and from approved reports: weighted ratios, units with their
descendants, targets and status, rankings, series, 766 scores, cache."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from agencies.models import Agency
from agencies.tests.factories import AgencyFactory, CommuneFactory, DeskFactory
from indicators import selectors
from indicators.models import (
    Aggregation,
    Direction,
    DossierDayFact,
    Framework,
    Indicator,
    IndicatorGroup,
    IndicatorStatus,
    Periodicity,
    Report,
    ReportForm,
    ReportStatus,
    ReportValue,
    Source,
    Target,
    Unit,
)
from indicators.periods import period_from_key, period_get

pytestmark = pytest.mark.django_db

S = IndicatorStatus
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@pytest.fixture
def province():
    return AgencyFactory.create(
        name="Ủy ban nhân dân tỉnh Lạng Sơn", kind=Agency.Kind.PROVINCE, qcvn_code="", edoc_code="H40"
    )


@pytest.fixture
def communes(province):
    return (
        CommuneFactory.create(name="UBND phường Tam Thanh", parent=province),
        CommuneFactory.create(name="UBND xã Đồng Đăng", parent=province),
    )


def computed(code="DVC-02", computation="dossiers_online_rate", **fields):
    defaults = {
        "name": code,
        "unit": Unit.PERCENT,
        "direction": Direction.HIGHER,
        "source": Source.COMPUTED,
        "computation": computation,
        "periodicity": Periodicity.MONTH,
        "aggregation": Aggregation.RATIO,
    }
    defaults.update(fields)
    return Indicator.objects.create(code=code, **defaults)


def reported(code, aggregation, unit=Unit.COUNT, **fields):
    return Indicator.objects.create(
        code=code,
        name=code,
        unit=unit,
        direction=fields.pop("direction", Direction.HIGHER),
        source=Source.REPORTED,
        periodicity=Periodicity.QUARTER,
        aggregation=aggregation,
        **fields,
    )


def fact(agency, day, **counts):
    return DossierDayFact.objects.create(agency=agency, day=day, refreshed_at=NOW, **counts)


def test_a_province_ratio_is_weighted_never_an_average_of_percentages(communes):
    tam_thanh, dong_dang = communes
    online = computed()
    fact(tam_thanh, dt.date(2026, 2, 3), received=2, received_online=1)
    fact(dong_dang, dt.date(2026, 2, 10), received=100, received_online=99)
    period = period_from_key("2026-M02")

    province = selectors.figure(indicator=online, period=period)
    unit = selectors.figure(indicator=online, period=period, agency=tam_thanh)

    assert (province.numerator, province.denominator) == (D(100), D(102))
    assert province.value == D(100) * 100 / D(102)
    assert round(province.value, 2) == D("98.04")  # not (50 + 99) / 2 = 74.5
    assert (unit.numerator, unit.denominator, unit.value) == (D(1), D(2), D(50))


def test_a_unit_counts_its_desks_and_only_the_period_days(communes):
    tam_thanh, _ = communes
    desk = DeskFactory.create(parent=tam_thanh)
    online = computed()
    fact(tam_thanh, dt.date(2026, 2, 1), received=3, received_online=1)
    fact(desk, dt.date(2026, 2, 28), received=1, received_online=1)
    fact(tam_thanh, dt.date(2026, 3, 1), received=50, received_online=0)  # next month
    fact(tam_thanh, dt.date(2026, 1, 31), received=50, received_online=0)  # previous month

    figure = selectors.figure(indicator=online, period=period_from_key("2026-M02"), agency=tam_thanh)

    assert (figure.numerator, figure.denominator, figure.value) == (D(2), D(4), D(50))


def test_no_dossier_means_no_rate_rather_than_zero(communes):
    figure = selectors.figure(indicator=computed(), period=period_from_key("2026-M02"))

    assert (figure.value, figure.denominator, figure.status) == (None, D(0), S.NO_DATA)


def test_counts_sum_over_units(communes):
    received = computed("HS-TN", "dossiers_received", unit=Unit.COUNT, aggregation=Aggregation.SUM)
    fact(communes[0], dt.date(2026, 2, 3), received=7)
    fact(communes[1], dt.date(2026, 2, 4), received=5)

    figure = selectors.figure(indicator=received, period=period_from_key("2026-Q1"))

    assert (figure.value, figure.numerator, figure.denominator) == (D(12), D(12), None)


def _form(*indicators, kinds=("commune",)):
    reviewer = AgencyFactory.create(name="Sở Khoa học và Công nghệ")
    form = ReportForm.objects.create(
        code="F", name="Biểu", periodicity=Periodicity.QUARTER, reporting_kinds=list(kinds), reviewer=reviewer
    )
    form.indicators.set(indicators)
    return form


def _report(form, agency, key, status=ReportStatus.APPROVED, **values):
    period = period_from_key(key)
    report = Report.objects.create(
        form=form, agency=agency, period=period, status=status, due_date=period.end
    )
    for indicator, (value, numerator, denominator) in values.items():
        ReportValue.objects.create(
            report=report,
            indicator=Indicator.objects.get(code=indicator),
            value=value,
            numerator=numerator,
            denominator=denominator,
        )
    return report


def test_reported_figures_take_each_units_latest_approved_value_and_aggregate_by_rule(communes):
    tam_thanh, dong_dang = communes
    fibre = reported("HT-01", Aggregation.RATIO, Unit.PERCENT)
    teams = reported("XH-01", Aggregation.SUM)
    average = reported("AVG", Aggregation.AVERAGE)
    form = _form(fibre, teams, average)
    _report(
        form,
        tam_thanh,
        "2026-Q1",
        **{"HT-01": (80, 800, 1000), "XH-01": (10, None, None), "AVG": (4, None, None)},
    )
    _report(
        form,
        tam_thanh,
        "2026-Q2",
        **{"HT-01": (85, 850, 1000), "XH-01": (12, None, None), "AVG": (6, None, None)},
    )
    _report(
        form,
        dong_dang,
        "2026-Q1",
        **{"HT-01": (45, 450, 1000), "XH-01": (8, None, None), "AVG": (2, None, None)},
    )
    _report(form, dong_dang, "2026-Q2", status=ReportStatus.SUBMITTED, **{"XH-01": (99, None, None)})

    year = period_from_key("2026")
    by_code = {
        f.indicator.code: f for f in selectors.figures(period=year, indicators=[fibre, teams, average])
    }

    fibre_figure = by_code["HT-01"]
    assert (fibre_figure.numerator, fibre_figure.denominator, fibre_figure.value) == (D(1300), D(2000), D(65))
    assert by_code["XH-01"].value == 20  # 12 (Q2) + 8 (Q1: Q2 not approved yet)
    assert by_code["AVG"].value == 4  # (6 + 2) / 2
    assert (by_code["XH-01"].units_reported, by_code["XH-01"].units_expected) == (2, 2)
    q1 = selectors.figure(indicator=teams, period=period_from_key("2026-Q1"))
    assert (q1.value, q1.units_reported) == (D(18), 2)
    mine = selectors.figure(indicator=fibre, period=year, agency=tam_thanh)
    assert (mine.value, mine.units_reported, mine.units_expected) == (D(85), 1, 1)
    month = selectors.figure(indicator=teams, period=period_from_key("2026-M02"))
    assert (month.value, month.status) == (None, S.NO_DATA)  # no quarterly report fits in a month


def test_a_merged_communes_history_stays_its_own_and_the_province_counts_its_successor(communes):
    tam_thanh, _ = communes
    old = CommuneFactory.create(
        name="UBND xã Hoàng Đồng (cũ)", valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2026, 4, 1)
    )
    teams = reported("XH-01", Aggregation.SUM)
    form = _form(teams)
    _report(form, old, "2026-Q1", **{"XH-01": (5, None, None)})
    _report(form, tam_thanh, "2026-Q1", **{"XH-01": (10, None, None)})
    _report(form, tam_thanh, "2026-Q2", **{"XH-01": (16, None, None)})  # took over Hoàng Đồng's teams

    assert selectors.figure(indicator=teams, period=period_from_key("2026-Q1")).value == 15
    assert selectors.figure(indicator=teams, period=period_from_key("2026-H1")).value == 16
    assert selectors.figure(indicator=teams, period=period_from_key("2026-H1"), agency=old).value == D(5)


def test_targets_of_the_unit_and_of_the_province_with_linear_status(province, communes):
    tam_thanh, dong_dang = communes
    online = computed()
    year = period_get(Periodicity.YEAR, 2026)
    Target.objects.create(indicator=online, agency=province, period=year, value=80, baseline=40)
    Target.objects.create(indicator=online, agency=tam_thanh, period=year, value=60, baseline=20)
    fact(tam_thanh, dt.date(2026, 6, 3), received=10, received_online=5)
    fact(dong_dang, dt.date(2026, 6, 3), received=10, received_online=5)
    h1 = period_from_key("2026-H1")  # 181 of 365 days gone

    whole = selectors.figure(indicator=online, period=h1)
    unit = selectors.figure(indicator=online, period=h1, agency=tam_thanh)
    other = selectors.figure(indicator=online, period=h1, agency=dong_dang)

    assert (whole.value, whole.target) == (D(50), D(80))
    assert whole.expected == 40 + D(40) * D(181) / D(365)  # 59.8: 50 is more than 8 below → not achieved
    assert whole.status == S.NOT_ACHIEVED
    assert (unit.target, unit.status) == (D(60), S.ON_TRACK)  # expected 39.8
    assert (other.target, other.status) == (None, S.NO_TARGET)


def test_last_years_value_is_the_baseline_and_a_periods_own_target_wins(province, communes):
    online = computed()
    Target.objects.create(
        indicator=online, agency=province, period=period_get(Periodicity.YEAR, 2026), value=90
    )
    fact(communes[0], dt.date(2025, 5, 1), received=10, received_online=3)  # 2025: 30%
    fact(communes[0], dt.date(2026, 2, 1), received=10, received_online=5)  # Q1 2026: 50%
    q1 = period_from_key("2026-Q1")

    figure = selectors.figure(indicator=online, period=q1)
    assert figure.expected is not None
    assert round(figure.expected, 6) == round(30 + D(60) * D(90) / D(365), 6)  # 44.8
    assert (figure.target, figure.status) == (D(90), S.ON_TRACK)

    Target.objects.create(indicator=online, agency=province, period=q1, value=55)
    selectors.figures_cache_bump()
    figure = selectors.figure(indicator=online, period=q1)
    assert (figure.target, figure.expected, figure.status) == (D(55), D(55), S.AT_RISK)  # within 5.5 of 55


def test_figures_are_cached_until_the_version_is_bumped(communes):
    online = computed()
    period = period_from_key("2026-M02")
    fact(communes[0], dt.date(2026, 2, 3), received=2, received_online=1)
    assert selectors.figure(indicator=online, period=period).value == 50

    fact(communes[1], dt.date(2026, 2, 3), received=2, received_online=2)
    assert selectors.figure(indicator=online, period=period).value == 50
    selectors.figures_cache_bump()
    assert selectors.figure(indicator=online, period=period).value == 75


def test_ranking_is_best_first_direction_aware_with_no_data_last(province, communes):
    tam_thanh, dong_dang = communes
    empty = CommuneFactory.create(name="UBND xã An Hùng", parent=province)
    online = computed()
    late = computed("TRE", "dossiers_late_rate", direction=Direction.LOWER)
    fact(tam_thanh, dt.date(2026, 2, 3), received=4, received_online=1, resolved=4, resolved_late=1)
    fact(dong_dang, dt.date(2026, 2, 3), received=4, received_online=3, resolved=4, resolved_late=3)
    period = period_from_key("2026-M02")

    by_online = [(f.agency, f.value) for f in selectors.ranking(indicator=online, period=period)]
    by_late = [(f.agency, f.value) for f in selectors.ranking(indicator=late, period=period)]

    assert by_online == [(dong_dang, 75), (tam_thanh, 25), (empty, None)]
    assert by_late == [(tam_thanh, 25), (dong_dang, 75), (empty, None)]


def test_units_are_the_communes_and_departments_of_the_period(province, communes):
    department = AgencyFactory.create(name="Sở Y tế", parent=province)
    closed = CommuneFactory.create(valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2026, 1, 1))
    DeskFactory.create(parent=communes[0])

    assert set(selectors.units(period=period_from_key("2026-Q1"))) == {*communes, department}
    assert closed in selectors.units(period=period_from_key("2025-Q4"))


def test_series_runs_oldest_first_and_lagging_lists_what_lags(province, communes):
    online = computed()
    Target.objects.create(
        indicator=online, agency=province, period=period_get(Periodicity.YEAR, 2026), value=80
    )
    for month, online_count in ((1, 6), (2, 15), (3, 18)):
        fact(communes[0], dt.date(2026, month, 5), received=20, received_online=online_count)

    items = selectors.series(
        indicator=online, agency=None, kind=Periodicity.MONTH, count=3, end=period_from_key("2026-M03")
    )

    assert [(f.period.key, f.value) for f in items] == [
        ("2026-M01", D(30)),
        ("2026-M02", D(75)),
        ("2026-M03", D(90)),
    ]
    # No baseline and no 2025 data: compared with the target (80, at risk from 72).
    assert [f.status for f in items] == [S.NOT_ACHIEVED, S.AT_RISK, S.ACHIEVED]
    assert [f.period.key for f in selectors.lagging(items)] == ["2026-M01", "2026-M02"]
    counts = selectors.status_counts(items)
    assert (counts[S.NOT_ACHIEVED], counts[S.AT_RISK], counts[S.ACHIEVED], counts[S.NO_DATA]) == (1, 1, 1, 0)


def test_766_group_points_are_the_ratio_times_each_indicators_points(communes):
    group = IndicatorGroup.objects.create(
        code="TDGQ", name="Tiến độ giải quyết", framework=Framework.D766, max_points=20
    )
    computed("766-TDGQ-01", "dossiers_on_time_rate", group=group, points=14)
    computed("766-TDGQ-02", "dossiers_late_rate", group=group, points=6, direction=Direction.LOWER)
    fact(communes[0], dt.date(2026, 2, 3), resolved=10, resolved_on_time=8, resolved_late=2)

    [score] = selectors.group_scores(period=period_from_key("2026-M02"))

    assert score.points == D("0.8") * 14 + D("0.8") * 6  # 16 of 20
    assert (score.max_points, score.indicators_scored, score.indicators_total) == (D(20), 2, 2)


def test_drilldown_returns_the_dossiers_behind_numerator_and_denominator(communes):
    from dossiers.models import Channel
    from dossiers.tests.factories import DossierFactory

    tam_thanh, dong_dang = communes
    at = dt.datetime(2026, 2, 3, 9, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    mine_online = DossierFactory.create(competent_agency=tam_thanh, channel=Channel.ONLINE, received_at=at)
    mine_counter = DossierFactory.create(competent_agency=tam_thanh, channel=Channel.COUNTER, received_at=at)
    DossierFactory.create(competent_agency=dong_dang, channel=Channel.ONLINE, received_at=at)
    DossierFactory.create(
        competent_agency=tam_thanh, channel=Channel.ONLINE, received_at=at + dt.timedelta(days=30)
    )
    DossierFactory.create(competent_agency=tam_thanh, channel=Channel.ONLINE)  # never received
    online = computed()
    period = period_from_key("2026-M02")

    numerator = selectors.drilldown_dossiers(
        indicator=online, period=period, agency=tam_thanh, part="numerator"
    )
    denominator = selectors.drilldown_dossiers(
        indicator=online, period=period, agency=tam_thanh, part="denominator"
    )

    assert list(numerator) == [mine_online]
    assert set(denominator) == {mine_online, mine_counter}
    with pytest.raises(ValueError, match="tử số"):
        selectors.drilldown_dossiers(indicator=online, period=period, agency=None, part="value")
