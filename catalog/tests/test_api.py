"""The public catalogue API, over HTTP."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from agencies.tests.factories import AgencyFactory
from catalog.api.serializers import ProcedureSummarySerializer, ProcessingTimeSerializer
from catalog.models import ProcedureVersion
from catalog.tests.factories import (
    ComponentRequirementFactory,
    FeeFactory,
    ProcedureFactory,
    ProcedureVersionFactory,
    SectorFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return APIClient()


@pytest.fixture
def postal():
    dost = AgencyFactory.create(
        name="Sở Khoa học và Công nghệ", edoc_code="H40.31", qcvn_code="000.00.31.H40"
    )
    version = ProcedureVersionFactory.create(
        procedure=ProcedureFactory.create(code="1.004471"),
        name="Cấp giấy phép bưu chính",
        sector=SectorFactory.create(code="H40-BCVT", name="Bưu chính"),
        competent_agency=dost,
        service_level="full_online",
        processing_time=Decimal(10),
        decision="1234/QĐ-UBND ngày 20/6/2025",
    )
    FeeFactory.create(
        version=version, kind="fee", name="Phí thẩm định", counter_amount=500_000, online_amount=250_000
    )
    FeeFactory.create(version=version, kind="charge", name="Lệ phí cấp giấy phép", counter_amount=100_000)
    ComponentRequirementFactory.create(
        version=version, order=1, name="Đơn đề nghị", template_name="Mẫu số 01"
    )
    return version


@pytest.fixture
def birth():
    return ProcedureVersionFactory.create(
        procedure=ProcedureFactory.create(code="2.000986.000.00.00.H40"),
        name="Đăng ký khai sinh",
        sector=SectorFactory.create(code="H40-HT", name="Hộ tịch"),
        level="commune",
        processing_time=Decimal("0.5"),
    )


def test_anyone_can_search_the_catalogue(client, postal, birth):
    response = client.get("/api/v1/procedures/", {"search": "giay phep buu chinh"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["results"][0] == {
        "code": "1.004471",
        "name": "Cấp giấy phép bưu chính",
        "level": "province",
        "level_label": "Cấp tỉnh",
        "sector": {"code": "H40-BCVT", "name": "Bưu chính"},
        "service_level": "full_online",
        "service_level_label": "Dịch vụ công trực tuyến toàn trình",
        "processing_time": {
            "value": 10.0,
            "unit": "working_days",
            "text": "10 ngày làm việc",
            "hours": 80.0,
            "note": "",
        },
        "agency": {"code": "H40.31", "qcvn_code": "000.00.31.H40", "name": "Sở Khoa học và Công nghệ"},
        "competent_authority": "Sở Khoa học và Công nghệ",
        "version": 1,
        "effective_from": "2025-07-01",
    }


def test_the_search_results_have_exactly_the_documented_fields(client, postal, birth):
    documented = set(ProcedureSummarySerializer().fields)
    for result in client.get("/api/v1/procedures/").json()["results"]:
        assert set(result) == documented
        assert set(result["processing_time"]) == set(ProcessingTimeSerializer().fields)


def test_a_commune_procedure_has_no_agency_but_its_authority(client, postal, birth):
    result = client.get("/api/v1/procedures/", {"search": "khai sinh"}).json()["results"][0]
    assert result["agency"] is None
    assert result["competent_authority"] == "Ủy ban nhân dân cấp xã"
    assert result["processing_time"]["text"] == "0,5 ngày làm việc"


def test_the_list_is_filtered_and_paginated(client, postal, birth):
    assert client.get("/api/v1/procedures/", {"level": "commune"}).json()["count"] == 1
    assert (
        client.get("/api/v1/procedures/", {"sector": "H40-BCVT"}).json()["results"][0]["code"] == "1.004471"
    )
    assert client.get("/api/v1/procedures/", {"agency": "H40.31"}).json()["count"] == 1
    assert client.get("/api/v1/procedures/", {"service_level": "counter_only"}).json()["count"] == 0
    body = client.get("/api/v1/procedures/", {"page_size": 1}).json()
    assert (body["count"], len(body["results"]), body["previous"]) == (2, 1, None)
    assert "page=2" in body["next"]


def test_a_bad_filter_value_is_refused(client, postal):
    response = client.get("/api/v1/procedures/", {"level": "district"})
    assert response.status_code == 400
    assert "level" in response.json()


def test_the_detail_has_everything_about_the_version_in_force(client, postal):
    response = client.get("/api/v1/procedures/1.004471/")
    assert response.status_code == 200
    body = response.json()
    assert (body["code"], body["version"], body["effective_to"]) == ("1.004471", 1, None)
    assert body["decision"] == "1234/QĐ-UBND ngày 20/6/2025"
    assert [(f["name"], f["counter_amount"], f["online_amount"]) for f in body["fees"]] == [
        ("Phí thẩm định", 500000, 250000),
        ("Lệ phí cấp giấy phép", 100000, 100000),
    ]
    assert body["components"][0]["template_name"] == "Mẫu số 01"
    assert [step["role"] for step in body["workflow"]] == ["clerk", "specialist", "agency_leader", "clerk"]
    assert sum(Decimal(step["budget_hours"]) for step in body["workflow"]) == 80


def test_a_code_with_many_dots_is_accepted(client, birth):
    response = client.get("/api/v1/procedures/2.000986.000.00.00.H40/")
    assert response.status_code == 200
    assert response.json()["name"] == "Đăng ký khai sinh"


def test_an_unknown_or_retired_code_answers_404_in_vietnamese(client, postal):
    response = client.get("/api/v1/procedures/9.999999/")
    assert response.status_code == 404
    assert response.json()["detail"] == "Không có thủ tục đang áp dụng với mã 9.999999."
    ProcedureVersion.objects.filter(pk=postal.pk).update(effective_to=dt.date(2025, 8, 1), status="retired")
    assert client.get("/api/v1/procedures/1.004471/").status_code == 404


def test_sectors_are_listed_with_their_counts(client, postal, birth):
    response = client.get("/api/v1/sectors/")
    assert response.status_code == 200
    assert response.json()["results"] == [
        {"code": "H40-BCVT", "name": "Bưu chính", "procedure_count": 1},
        {"code": "H40-HT", "name": "Hộ tịch", "procedure_count": 1},
    ]


def test_the_schema_documents_the_catalogue(client):
    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/v1/procedures/", "/api/v1/procedures/{code}/", "/api/v1/sectors/"} <= set(paths)
