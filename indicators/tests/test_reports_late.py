"""Late reports: units that have not sent a form for a closed period past its due date — with no
report at all, a draft, or a report returned and not sent again — listed and reminded once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from agencies.tests.factories import CommuneFactory
from indicators import services
from indicators.models import Periodicity
from indicators.periods import period_get
from indicators.report_selectors import late_reports
from indicators.tests.report_factories import GOOD, World, build_world, staff
from notifications.models import OutgoingMessage

pytestmark = pytest.mark.django_db

AFTER_Q3_DUE = dt.date(2026, 10, 20)  # Q3/2026 was due on 10/10/2026


@pytest.fixture
def world(agency, other_agency, specialist, clerk_other_agency) -> World:
    return build_world(
        agency=agency, other_agency=other_agency, officer=specialist, other_officer=clerk_other_agency
    )


def _q3(late):
    return {(item.agency.name, item.state_label) for item in late if item.period.key == "2026-Q3"}


def test_units_without_a_sent_report_past_the_due_date_are_late(world):
    silent = CommuneFactory.create(name="UBND xã Cao Lộc (thử)")
    sent = CommuneFactory.create(name="UBND xã Đồng Đăng mới (thử)")
    sender = staff("thongke.dongdang", sent, "specialist")
    services.report_submit(
        report=services.report_open(form=world.form, agency=sent, period=world.period, user=sender),
        user=sender,
        lock_version=0,
        values=GOOD,
    )
    returned = services.report_submit(report=world.report(), user=world.officer, lock_version=0, values=GOOD)
    services.report_return(
        report=returned, user=world.reviewer, lock_version=returned.lock_version, comment="Sửa số hộ."
    )
    world.report(unit=world.other_unit)  # a draft

    late = late_reports(today=AFTER_Q3_DUE, form=world.form, periods_back=1)

    assert _q3(late) == {
        (silent.name, "Chưa lập báo cáo"),
        (world.unit.name, "Trả lại để sửa"),
        (world.other_unit.name, "Đang soạn"),
    }
    assert {item.days_late for item in late} == {10}
    assert late_reports(today=dt.date(2026, 10, 10), form=world.form, periods_back=1) == []  # due today


def test_a_commune_closed_since_is_late_for_the_periods_it_had_to_report(world):
    old = CommuneFactory.create(
        name="UBND xã cũ (đã sáp nhập)", valid_from=dt.date(2019, 1, 1), valid_to=dt.date(2025, 7, 1)
    )

    late = late_reports(today=dt.date(2025, 8, 1), form=world.form, periods_back=1)  # Q2/2025

    assert [item.agency for item in late] == [old]  # the communes of 01/7/2025 did not exist yet
    assert late[0].period == period_get(Periodicity.QUARTER, 2025, 2)


def test_the_late_page_shows_everyone_to_the_province_and_its_own_to_a_commune(world):
    world.report(unit=world.other_unit)
    province_view = Client()
    province_view.force_login(world.reviewer)
    commune_view = Client()
    commune_view.force_login(world.officer)

    everyone = province_view.get("/can-bo/chi-so/bao-cao/cham-nop/").content.decode()
    own = commune_view.get("/can-bo/chi-so/bao-cao/cham-nop/").content.decode()

    assert world.unit.name in everyone
    assert world.other_unit.name in everyone
    assert world.unit.name in own
    assert world.other_unit.name not in own


def test_late_units_are_reminded_once(world):
    world.unit.email = "ubnd.tamthanh@example.vn"
    world.unit.save()

    first = services.reports_remind_late(today=AFTER_Q3_DUE)
    again = services.reports_remind_late(today=AFTER_Q3_DUE)

    messages = OutgoingMessage.objects.filter(recipient__in=["ubnd.tamthanh@example.vn", world.officer.email])
    assert first > 0
    assert again == 0
    q3 = messages.filter(subject__contains="Quý III/2026")
    assert q3.count() == 2
    assert all("quý III/2026; hạn nộp là ngày 10/10/2026 (đã quá 10 ngày)" in m.body for m in q3)
