"""POST /api/v1/indicators/reports/: a unit's system (or its officer with a token) sends figures;
the same figures again change nothing; new ones replace them until approved; then 409."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from accounts.scopes import Scope
from accounts.services import access_token_issue, api_client_create, api_key_issue
from indicators import services
from indicators.models import Report, ReportEvent, ReportStatus, ReportValue
from indicators.tests.report_factories import World, build_world

pytestmark = pytest.mark.django_db

URL = "/api/v1/indicators/reports/"
BODY = {
    "form": "CDS-XA-QUY",
    "period": "2026-Q3",
    "values": {
        "HT-01": {"numerator": 3120, "denominator": 6500},
        "HT-03": {"value": 2, "comment": "Thôn Khòn Pát, Nà Múc"},
        "XH-01": {"value": "24"},
    },
    "comment": "Số liệu của phòng Văn hóa - Xã hội.",
}


@pytest.fixture
def world(agency, other_agency, specialist, clerk_other_agency) -> World:
    return build_world(
        agency=agency, other_agency=other_agency, officer=specialist, other_officer=clerk_other_agency
    )


def _system(
    agency, scopes=(Scope.INDICATORS_WRITE,), name="Phần mềm thống kê phường Tam Thanh"
) -> dict[str, str]:
    client = api_client_create(name=name, scopes=[str(s) for s in scopes], agency=agency)
    return {"X-Api-Key": api_key_issue(client=client, expires_at=None).plain_key}


def _post(headers: dict[str, str], body: dict[str, Any]) -> Any:
    return Client().post(URL, body, content_type="application/json", headers=headers)


def _body(world: World, **changes: Any) -> dict[str, Any]:
    return {**BODY, "unit": world.unit.edoc_code, **changes}


def test_a_units_system_sends_its_figures_and_an_identical_resend_changes_nothing(world):
    headers = _system(world.unit)

    created = _post(headers, _body(world))
    again = _post(headers, _body(world))

    assert created.status_code == 201
    data = created.json()
    assert (data["status"], data["unit"], data["period"], data["period_label"]) == (
        "submitted",
        world.unit.edoc_code,
        "2026-Q3",
        "Quý III/2026",
    )
    assert {v["code"]: v["value"] for v in data["values"]} == {
        "HT-01": "48.0000",
        "HT-03": "2.0000",
        "XH-01": "24.0000",
    }
    assert again.status_code == 200
    assert again.json()["lock_version"] == data["lock_version"]
    report = Report.objects.get()
    assert report.source == "api"
    assert list(ReportEvent.objects.filter(report=report).values_list("action", flat=True)) == [
        "create",
        "save",
        "submit",
    ]


def test_new_figures_replace_the_waiting_ones_and_after_approval_are_refused(world):
    headers = _system(world.unit)
    _post(headers, _body(world))

    replaced = _post(
        headers,
        _body(
            world,
            values={
                "HT-01": {"numerator": 3200, "denominator": 6500},
                "HT-03": {"value": 1},
                "XH-01": {"value": 25},
            },
        ),
    )

    assert replaced.status_code == 200
    report = Report.objects.get()
    assert report.status == ReportStatus.SUBMITTED
    assert ReportEvent.objects.filter(report=report).last().action == "resubmit"  # type: ignore[union-attr]
    assert ReportValue.objects.get(report=report, indicator=world.villages).comment == ""  # replaced whole
    services.report_approve(report=report, user=world.reviewer, lock_version=report.lock_version)
    refused = _post(headers, _body(world))
    assert refused.status_code == 409
    assert refused.json()["code"] == "approved"
    assert "đã được duyệt" in refused.json()["detail"]
    assert ReportValue.objects.get(report=report, indicator=world.teams).value == Decimal(25)


def test_wrong_figures_get_per_field_vietnamese_errors_and_nothing_is_stored(world):
    response = _post(
        _system(world.unit),
        _body(
            world,
            values={
                "HT-01": {"numerator": 7000, "denominator": 6500},
                "XH-01": {"value": -1},
                "ZZ-1": {"value": 1},
            },
        ),
    )

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["HT-01"]["numerator"] == ["Tử số (7.000) không được lớn hơn mẫu số (6.500)."]
    assert errors["XH-01"]["value"] == ["Không được là số âm."]
    assert "ZZ-1" in errors
    assert not ReportValue.objects.exists()


def test_a_missing_figure_without_explanation_is_refused(world):
    response = _post(_system(world.unit), _body(world, values={"XH-01": {"value": 24}}))

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"HT-01", "HT-03"}
    assert not ReportValue.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [({"form": "KHONG-CO"}, "form"), ({"period": "2026-Q9"}, "period"), ({"unit": "H40.999"}, "unit")],
)
def test_an_unknown_form_period_or_unit_is_a_400_naming_the_field(world, change, field):
    response = _post(_system(world.unit), _body(world, **change))

    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_systems_and_people_are_held_to_their_unit_and_scope(world, citizen):
    other_system = _system(world.other_unit, name="Phần mềm xã Đồng Đăng")
    no_scope = _system(world.unit, scopes=(Scope.AGENCIES_READ,), name="Phần mềm không có phạm vi")

    assert _post(other_system, _body(world)).status_code == 403
    assert _post(no_scope, _body(world)).status_code == 403
    assert _post({}, _body(world)).status_code == 401
    citizen_token = {"Authorization": f"Bearer {access_token_issue(user=citizen).plain_token}"}
    assert _post(citizen_token, _body(world)).status_code == 403
    stranger = {"Authorization": f"Bearer {access_token_issue(user=world.other_officer).plain_token}"}
    assert _post(stranger, _body(world)).status_code == 403
    assert not Report.objects.exists()


def test_the_units_officer_sends_with_a_token_and_the_province_platform_for_any_commune(world):
    officer = {"Authorization": f"Bearer {access_token_issue(user=world.officer).plain_token}"}
    assert _post(officer, _body(world)).status_code == 201

    platform = _system(world.province, name="Nền tảng LGSP tỉnh (thử)")
    assert _post(platform, {**BODY, "unit": world.other_unit.edoc_code}).status_code == 201
    assert Report.objects.filter(agency=world.other_unit, status=ReportStatus.SUBMITTED).exists()
