"""GET /api/v1/calendar/working-days/: public, over HTTP."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from accounts.models import User
from workcalendar.services import calendar_day_remove, calendar_seed_year

URL = "/api/v1/calendar/working-days/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_2025(db: None) -> None:
    calendar_seed_year(year=2025)


@pytest.mark.usefixtures("year_2025")
def test_anyone_reads_the_days_off_and_working_days_around_30_april(client: Client) -> None:
    response = client.get(URL, {"from": "2025-04-24", "to": "2025-05-05"})

    assert response.status_code == 200
    body = response.json()
    assert body["from"] == "2025-04-24"
    assert body["to"] == "2025-05-05"
    # 24, 25, 26 (make-up Saturday), 28, 29 April and 5 May.
    assert body["working_days"] == 6
    assert body["days"] == [
        {
            "date": "2025-04-26",
            "kind": "makeup_workday",
            "kind_label": "Ngày làm bù",
            "name": "Làm bù cho ngày 02/05/2025",
        },
        {"date": "2025-04-30", "kind": "holiday", "kind_label": "Nghỉ lễ, Tết", "name": "Ngày Chiến thắng"},
        {
            "date": "2025-05-01",
            "kind": "holiday",
            "kind_label": "Nghỉ lễ, Tết",
            "name": "Ngày Quốc tế Lao động",
        },
        {
            "date": "2025-05-02",
            "kind": "swap",
            "kind_label": "Nghỉ hoán đổi",
            "name": "Ngày nghỉ (thay cho ngày 26/04/2025)",
        },
    ]


@pytest.mark.usefixtures("year_2025")
def test_a_whole_year_counts_its_working_days(client: Client) -> None:
    body = client.get(URL, {"from": "2025-01-01", "to": "2025-12-31"}).json()

    # 261 weekdays, 12 of them off (1/2 is a Saturday), plus the make-up Saturday.
    assert body["working_days"] == 261 - 12 + 1
    assert len(body["days"]) == 14


@pytest.mark.usefixtures("year_2025")
def test_an_administrator_edit_shows_at_once(client: Client, admin: User) -> None:
    calendar_day_remove(day=dt.date(2025, 5, 2), reason="Không hoán đổi", actor=admin)

    body = client.get(URL, {"from": "2025-05-01", "to": "2025-05-02"}).json()

    assert body["working_days"] == 1
    assert [d["date"] for d in body["days"]] == ["2025-05-01"]


def test_a_range_across_two_years_with_one_unseeded_uses_holidays_vn(client: Client) -> None:
    calendar_seed_year(year=2025)

    body = client.get(URL, {"from": "2025-12-31", "to": "2026-01-02"}).json()

    assert body["working_days"] == 2  # 31/12 and 2/1; 1/1/2026 is New Year's Day
    assert [d["date"] for d in body["days"]] == ["2026-01-01"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({}, "Thiếu tham số “from”"),
        ({"from": "2025-04-24"}, "Thiếu tham số “to”"),
        ({"from": "24/04/2025", "to": "2025-05-05"}, "không phải một ngày hợp lệ"),
        ({"from": "2025-02-30", "to": "2025-05-05"}, "không phải một ngày hợp lệ"),
        ({"from": "2025-04-24", "to": "20250505"}, "không phải một ngày hợp lệ"),
        ({"from": "2025-05-05", "to": "2025-04-24"}, "không được trước ngày đầu"),
        ({"from": "2024-01-01", "to": "2025-01-01"}, "dài quá 366 ngày"),
    ],
)
def test_bad_queries_get_a_400_in_vietnamese(client: Client, query: dict[str, str], message: str) -> None:
    response = client.get(URL, query)

    assert response.status_code == 400
    body = response.json()
    assert message in body["detail"]
    assert body["code"] == "invalid_query"


def test_366_days_is_the_longest_range(client: Client) -> None:
    assert client.get(URL, {"from": "2024-01-01", "to": "2024-12-31"}).status_code == 200


def test_the_endpoint_is_in_the_openapi_schema(client: Client) -> None:
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    operation = response.json()["paths"]["/api/v1/calendar/working-days/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"from", "to"}
    assert set(operation["responses"]) == {"200", "400"}
