"""The report pages through HTTP: a commune officer drafts and sends, the department returns then
approves; a stale form is refused with the typed figures kept; strangers get "not found"."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client

from indicators import services
from indicators.models import Report, ReportStatus, ReportValue
from indicators.tests.report_factories import GOOD, World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(agency, other_agency, specialist, clerk_other_agency) -> World:
    return build_world(
        agency=agency, other_agency=other_agency, officer=specialist, other_officer=clerk_other_agency
    )


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _form_data(lock_version: int, action: str = "save", **overrides: str) -> dict[str, str]:
    data = {
        "lock_version": str(lock_version),
        "action": action,
        "comment": "",
        "HT-01__numerator": "3120",
        "HT-01__denominator": "6500",
        "HT-01__comment": "",
        "HT-03__value": "2",
        "HT-03__comment": "Thôn Khòn Pát, Nà Múc",
        "XH-01__value": "24",
        "XH-01__comment": "",
    }
    data.update(overrides)
    return data


def _text(response) -> str:
    return str(response.content.decode())


def test_the_officer_opens_fills_and_sends_and_the_department_returns_then_approves(world):
    officer = _client(world.officer)
    home = officer.get("/can-bo/chi-so/bao-cao/")
    assert home.status_code == 200
    assert "Quý III/2026" in _text(home)
    assert "Lập báo cáo" in _text(home)

    opened = officer.post(
        "/can-bo/chi-so/bao-cao/lap/", {"form": "CDS-XA-QUY", "unit": world.unit.pk, "period": "2026-Q3"}
    )
    report = Report.objects.get()
    assert opened.status_code == 302
    assert opened["Location"] == f"/can-bo/chi-so/bao-cao/{report.pk}/"
    url = opened["Location"]
    page = officer.get(url)
    assert "Lưu nháp" in _text(page)
    assert "Gửi báo cáo" in _text(page)
    assert 'name="HT-01__numerator"' in _text(page)
    assert '<label for="id_HT-01__numerator">Số hộ có cáp quang:</label>' in _text(page)

    saved = officer.post(url, _form_data(0))
    assert saved.status_code == 302
    assert "Đã lưu nháp." in _text(officer.get(url))
    sent = officer.post(url, _form_data(1, action="submit"))
    assert sent.status_code == 302
    assert Report.objects.get().status == ReportStatus.SUBMITTED

    reviewer = _client(world.reviewer)
    queue = reviewer.get("/can-bo/chi-so/bao-cao/cho-tham-dinh/")
    assert world.unit.name in _text(queue)
    returned = reviewer.post(f"{url}tham-dinh/", {"lock_version": "2", "decision": "return", "comment": ""})
    assert returned.status_code == 400
    assert "Nhập lý do trả lại để đơn vị biết cần sửa gì." in _text(returned)
    returned = reviewer.post(
        f"{url}tham-dinh/",
        {"lock_version": "2", "decision": "return", "comment": "Số hộ chưa khớp điều tra."},
    )
    assert returned.status_code == 302
    page = officer.get(url)
    assert "Số hộ chưa khớp điều tra." in _text(page)
    assert "Trả lại để sửa" in _text(page)

    officer.post(
        url, _form_data(3, action="submit", **{"HT-01__numerator": "3150", "HT-01__denominator": "6480"})
    )
    approved = reviewer.post(f"{url}tham-dinh/", {"lock_version": "5", "decision": "approve", "comment": ""})

    assert approved.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    assert ReportValue.objects.get(report=report, indicator=world.fibre).value == Decimal("48.6111")
    final = _text(officer.get(url))
    assert "Đã duyệt" in final
    assert "48,61%" in final
    assert 'name="HT-01__numerator"' not in final  # read-only once approved


def test_wrong_figures_come_back_with_the_reason_beside_the_field_and_nothing_saved(world):
    report = world.report()

    response = _client(world.officer).post(
        f"/can-bo/chi-so/bao-cao/{report.pk}/",
        _form_data(0, **{"HT-01__numerator": "7000", "XH-01__value": "hai"}),
    )

    assert response.status_code == 400
    page = _text(response)
    assert "Tử số (7.000) không được lớn hơn mẫu số (6.500)." in page
    assert "“hai” không phải là một số." in page
    assert 'value="7000"' in page  # what was typed is still there
    assert not ReportValue.objects.filter(report=report).exists()


def test_a_stale_form_is_refused_and_keeps_what_was_typed_beside_the_latest_figures(world):
    report = world.report()
    url = f"/can-bo/chi-so/bao-cao/{report.pk}/"
    first, second = _client(world.officer), _client(world.officer)
    first.post(url, _form_data(0, **{"XH-01__value": "24"}))

    stale = second.post(url, _form_data(0, **{"XH-01__value": "31"}))

    assert stale.status_code == 409
    page = _text(stale)
    assert "vừa được người khác cập nhật" in page
    assert 'value="31"' in page
    assert "Số liệu mới nhất do người khác lưu" in page
    assert re.search(r'name="lock_version" value="1"', page)
    assert ReportValue.objects.get(report=report, indicator=world.teams).value == Decimal(24)
    again = second.post(url, _form_data(1, **{"XH-01__value": "31"}))
    assert again.status_code == 302
    assert ReportValue.objects.get(report=report, indicator=world.teams).value == Decimal(31)


def test_another_communes_officer_finds_nothing(world):
    report = world.report()
    stranger = _client(world.other_officer)

    assert stranger.get(f"/can-bo/chi-so/bao-cao/{report.pk}/").status_code == 404
    assert stranger.post(f"/can-bo/chi-so/bao-cao/{report.pk}/", _form_data(0)).status_code == 404
    assert stranger.get(f"/can-bo/chi-so/bao-cao/{report.pk}/mau-excel/").status_code == 404
    assert (
        stranger.post(
            "/can-bo/chi-so/bao-cao/lap/", {"form": "CDS-XA-QUY", "unit": world.unit.pk, "period": "2026-Q3"}
        ).status_code
        == 404
    )
    assert not ReportValue.objects.exists()


def test_the_reviewer_sees_a_report_once_sent_and_cannot_fill_it_in(world):
    report = world.report()
    reviewer = _client(world.reviewer)
    assert reviewer.get(f"/can-bo/chi-so/bao-cao/{report.pk}/").status_code == 404  # a draft is the unit's

    report = services.report_submit(report=report, user=world.officer, lock_version=0, values=GOOD)
    page = reviewer.get(f"/can-bo/chi-so/bao-cao/{report.pk}/")
    assert page.status_code == 200
    assert "Thẩm định báo cáo" in _text(page)
    assert '<input type="radio" name="decision" value="approve"' in _text(page)
    assert '<input type="radio" name="decision" value="return"' in _text(page)
    assert 'name="XH-01__value"' not in _text(page)
    assert reviewer.post(f"/can-bo/chi-so/bao-cao/{report.pk}/", _form_data(2)).status_code == 403


def test_the_unit_cannot_review_its_own_report(world):
    report = services.report_submit(report=world.report(), user=world.officer, lock_version=0, values=GOOD)

    response = _client(world.officer).post(
        f"/can-bo/chi-so/bao-cao/{report.pk}/tham-dinh/", {"lock_version": "2", "decision": "approve"}
    )

    assert response.status_code == 403
    assert Report.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
    assert "Thẩm định báo cáo" not in _text(
        _client(world.officer).get(f"/can-bo/chi-so/bao-cao/{report.pk}/")
    )


def test_pages_are_for_civil_servants(world, citizen):
    assert _client(citizen).get("/can-bo/chi-so/bao-cao/").status_code == 403
    assert Client().get("/can-bo/chi-so/bao-cao/").status_code == 302
