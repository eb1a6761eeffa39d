"""The indicators API over HTTP: the catalogue, figures with target and status, scopes, errors."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.models import ApiClient, Role
from accounts.tests.factories import MembershipFactory, StaffFactory
from agencies.models import Agency
from agencies.tests.factories import AgencyFactory
from indicators.models import (
    Aggregation,
    Direction,
    DossierDayFact,
    Indicator,
    IndicatorGroup,
    Periodicity,
    Source,
    Target,
    Unit,
)
from indicators.periods import period_get

pytestmark = pytest.mark.django_db

LIST = "/api/v1/indicators/"


def values_url(code: str) -> str:
    return f"/api/v1/indicators/{code}/values/"


@pytest.fixture
def catalogue(agency, other_agency, admin):
    """Two indicators (one published), figures in two communes, a province target; the ``admin``
    persona brings the province agency."""
    group = IndicatorGroup.objects.create(code="CQS", name="Chính quyền số", framework="local")
    online = Indicator.objects.create(
        code="DVC-02",
        name="Tỷ lệ hồ sơ tiếp nhận trực tuyến",
        group=group,
        unit=Unit.PERCENT,
        direction=Direction.HIGHER,
        source=Source.COMPUTED,
        computation="dossiers_online_rate",
        periodicity=Periodicity.QUARTER,
        aggregation=Aggregation.RATIO,
        published=True,
        order=1,
    )
    overdue = Indicator.objects.create(
        code="DVC-04A",
        name="Số hồ sơ quá hạn",
        group=group,
        unit=Unit.COUNT,
        direction=Direction.LOWER,
        source=Source.COMPUTED,
        computation="dossiers_received",
        periodicity=Periodicity.QUARTER,
        aggregation=Aggregation.SUM,
        decimals=0,
        order=2,
    )
    Indicator.objects.create(
        code="OLD",
        name="Chỉ tiêu cũ",
        unit=Unit.COUNT,
        source=Source.REPORTED,
        periodicity=Periodicity.YEAR,
        aggregation=Aggregation.SUM,
        published=True,
        is_active=False,
    )
    province = Agency.objects.get(kind=Agency.Kind.PROVINCE)
    Agency.objects.filter(pk__in=[agency.pk, other_agency.pk]).update(parent=province)
    at = dt.datetime.now(dt.UTC)
    DossierDayFact.objects.create(
        agency=agency, day=dt.date(2026, 2, 3), received=3, received_online=1, refreshed_at=at
    )
    DossierDayFact.objects.create(
        agency=other_agency, day=dt.date(2026, 5, 3), received=6, received_online=5, refreshed_at=at
    )
    Target.objects.create(
        indicator=online, agency=province, period=period_get(Periodicity.YEAR, 2026), value=50
    )
    return {"online": online, "overdue": overdue, "province": province}


def test_the_public_sees_the_published_catalogue_staff_see_every_active_indicator(client, clerk, catalogue):
    public = client.get(LIST).json()
    client.force_login(clerk)
    staff = client.get(LIST).json()

    assert [i["code"] for i in public["results"]] == ["DVC-02"]
    assert [i["code"] for i in staff["results"]] == ["DVC-02", "DVC-04A"]
    first = public["results"][0]
    assert first["group"] == {
        "code": "CQS",
        "name": "Chính quyền số",
        "framework": "local",
        "max_points": None,
    }
    assert (first["unit"], first["unit_label"], first["direction_label"]) == (
        "percent",
        "%",
        "Càng cao càng tốt",
    )
    assert first["aggregation_label"] == "Tỷ lệ gộp: tổng tử số ÷ tổng mẫu số"


def test_an_integration_client_needs_the_read_scope_for_unpublished_indicators(client, api_client, catalogue):
    without = client.get(LIST, headers=api_client.headers).json()
    ApiClient.objects.filter(pk=api_client.client.pk).update(
        scopes=[*api_client.client.scopes, "indicators:read"]
    )
    with_scope = client.get(LIST, headers=api_client.headers).json()

    assert [i["code"] for i in without["results"]] == ["DVC-02"]
    assert [i["code"] for i in with_scope["results"]] == ["DVC-02", "DVC-04A"]


def test_the_catalogue_filters_by_group_and_source_and_explains_a_bad_source(client, admin, catalogue):
    client.force_login(admin)

    assert client.get(LIST, {"group": "CQS"}).json()["count"] == 2
    assert client.get(LIST, {"group": "HTS"}).json()["count"] == 0
    assert client.get(LIST, {"source": "reported"}).json()["count"] == 0
    response = client.get(LIST, {"source": "khac"})
    assert response.status_code == 400
    assert "Nguồn số liệu phải là" in response.json()["source"][0]


def test_a_published_figure_for_the_province_and_a_unit(client, agency, catalogue):
    province = client.get(values_url("DVC-02"), {"period": "2026-H1"}).json()
    unit = client.get(values_url("DVC-02"), {"period": "2026-Q1", "unit": agency.edoc_code}).json()

    assert province["unit"] is None
    assert province["indicator"]["code"] == "DVC-02"
    [value] = province["values"]
    assert value == {
        "period": "2026-H1",
        "period_label": "6 tháng đầu năm 2026",
        "value": "66.67",
        "numerator": "6",
        "denominator": "9",
        "target": "50",
        "expected": "50.00",
        "status": "achieved",
        "status_label": "Đạt",
        "units_reported": None,
        "units_expected": None,
    }
    assert unit["unit"]["name"] == agency.name
    assert (unit["values"][0]["value"], unit["values"][0]["status"]) == ("33.33", "no_target")


def test_several_periods_with_period_kind_from_and_to(client, catalogue):
    response = client.get(
        values_url("DVC-02"), {"period_kind": "quarter", "from": "2025-Q4", "to": "2026-Q2"}
    )

    assert response.status_code == 200
    assert [(v["period"], v["value"]) for v in response.json()["values"]] == [
        ("2025-Q4", None),
        ("2026-Q1", "33.33"),
        ("2026-Q2", "83.33"),
    ]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"period": "2026-Q5"}, "period", "không hợp lệ"),
        ({"period": "2026", "period_kind": "year"}, "period", "Dùng “period” cho một kỳ"),
        ({"period_kind": "week", "from": "2026", "to": "2026"}, "period_kind", "Loại kỳ phải là"),
        ({"period_kind": "quarter", "from": "2026-Q1"}, "from", "Phải có cả kỳ bắt đầu"),
        ({"period_kind": "quarter", "from": "2026-Q3", "to": "2026-Q1"}, "from", "phải trước"),
        ({"period_kind": "quarter", "from": "2026", "to": "2026-Q1"}, "from", "cùng loại kỳ"),
        ({"period_kind": "month", "from": "2020-M01", "to": "2026-M01"}, "to", "Tối đa 60 kỳ"),
    ],
)
def test_bad_periods_are_refused_with_a_vietnamese_message(client, catalogue, params, field, message):
    response = client.get(values_url("DVC-02"), params)

    assert response.status_code == 400
    assert message in response.json()[field][0]


def test_unknown_inactive_and_unpublished_indicators_are_not_found_for_the_public(client, citizen, catalogue):
    for code in ("NOPE", "OLD", "DVC-04A"):
        response = client.get(values_url(code), {"period": "2026-Q1"})
        assert response.status_code == 404
        assert response.json()["detail"] == f"Không tìm thấy chỉ tiêu “{code}”."
    client.force_login(citizen)
    assert client.get(values_url("DVC-04A"), {"period": "2026-Q1"}).status_code == 404


def test_an_unknown_unit_is_not_found(client, catalogue):
    response = client.get(values_url("DVC-02"), {"period": "2026-Q1", "unit": "H40.99.99"})

    assert response.status_code == 404
    assert response.json()["detail"] == "Không tìm thấy đơn vị có mã “H40.99.99”."


def test_commune_staff_read_unpublished_figures_of_their_own_commune_only(
    client, clerk, agency, other_agency, admin, catalogue
):
    client.force_login(clerk)
    own = client.get(values_url("DVC-04A"), {"period": "2026-Q1", "unit": agency.edoc_code})
    other = client.get(values_url("DVC-04A"), {"period": "2026-Q1", "unit": other_agency.edoc_code})
    whole = client.get(values_url("DVC-04A"), {"period": "2026-Q1"})

    assert own.status_code == 200
    assert own.json()["values"][0]["value"] == "3"
    assert other.status_code == 404
    assert other.json()["detail"] == "Không tìm thấy số liệu của đơn vị này."
    assert whole.status_code == 404
    assert "hãy ghi mã đơn vị" in whole.json()["detail"]

    client.force_login(admin)
    assert client.get(values_url("DVC-04A"), {"period": "2026-Q1"}).json()["values"][0]["value"] == "3"
    department = AgencyFactory(name="Sở Y tế")
    health = StaffFactory(username="soyte")
    MembershipFactory(user=health, agency=department, role=Role.SPECIALIST)
    client.force_login(health)
    response = client.get(values_url("DVC-04A"), {"period": "2026-Q1", "unit": other_agency.edoc_code})
    assert (response.status_code, response.json()["values"][0]["value"]) == (200, "0")


def test_without_a_period_the_last_closed_one_is_given(client, catalogue):
    from indicators.periods import period_last_closed

    response = client.get(values_url("DVC-02"))

    assert [v["period"] for v in response.json()["values"]] == [period_last_closed(Periodicity.QUARTER).key]


def test_the_schema_documents_both_endpoints(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    if schema.status_code != 200:
        pytest.skip("no schema endpoint")
    text = schema.content.decode()
    assert "/api/v1/indicators/{code}/values/" in text
    assert "period_kind" in text
