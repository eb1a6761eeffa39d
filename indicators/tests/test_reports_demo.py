"""The demo reports and targets: lived through the services, echoing the seed briefings, with some
reports waiting, some returned, some late; loaded once."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum

from accounts.models import User
from congso import demo as province_demo
from indicators.demo import load_demo_indicators
from indicators.models import Report, ReportStatus, ReportValue, Target
from indicators.report_selectors import late_reports

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def province(db: None) -> None:
    quiet = {"verbosity": 0, "stdout": io.StringIO(), "stderr": io.StringIO()}
    call_command("load_agencies", **quiet)
    province_demo._load_accounts()
    call_command("load_indicators", **quiet)


def _approved_sum(code: str, key: str) -> dict[str, Decimal]:
    year, quarter = int(key[:4]), int(key[-1])
    return ReportValue.objects.filter(
        indicator__code=code,
        report__status=ReportStatus.APPROVED,
        report__period__kind="quarter",
        report__period__year=year,
        report__period__number=quarter,
    ).aggregate(value=Sum("value"), numerator=Sum("numerator"), denominator=Sum("denominator"))


@pytest.mark.usefixtures("province")
def test_the_demo_reports_echo_the_briefings_and_load_once():
    first = load_demo_indicators(today=TODAY)
    again = load_demo_indicators(today=TODAY)

    assert first.reports_created > 300
    assert first.targets_created > 600
    assert (again.reports_created, again.targets_created) == (0, 0)
    latest = Report.objects.filter(period__year=2026, period__number=3, form__code="CDS-XA-QUY")
    statuses = {status: latest.filter(status=status).count() for status in ReportStatus.values}
    assert statuses["submitted"] == 4
    assert statuses["returned"] == 4
    assert statuses["draft"] == 5
    assert statuses["approved"] > 40
    fibre = _approved_sum("HT-01", "2025-Q3")
    assert Decimal(40) < fibre["numerator"] / fibre["denominator"] * 100 < Decimal(50)  # "47,13%"
    assert 1300 < _approved_sum("XH-01", "2025-Q3")["value"] < 1600  # "1.462 tổ công nghệ số"
    assert 5800 < _approved_sum("XH-02", "2025-Q3")["value"] < 7200  # "6.502 thành viên"
    assert 1000 < _approved_sum("HT-04", "2025-Q3")["value"] < 1250  # "1.136 vị trí trạm BTS"
    assert _approved_sum("HT-03", "2026-Q3")["value"] < _approved_sum("HT-03", "2025-Q3")["value"]
    late_communes = {
        item.agency.name
        for item in late_reports(today=TODAY, periods_back=1)
        if item.agency.kind == "commune"
    }
    assert "Ủy ban nhân dân phường Tam Thanh" in late_communes  # its draft waits for thongke.tamthanh
    assert len(late_communes) == 13  # 4 never opened, 5 drafts, 4 returned
    officer = User.objects.get(username="thongke.tamthanh")
    assert officer.check_password(province_demo.DEMO_PASSWORD)
    assert officer.memberships.get().agency.name == "Ủy ban nhân dân phường Tam Thanh"
    assert (
        Target.objects.filter(indicator__code="HT-01", agency__kind="province", period__year=2026).get().value
        == 60
    )
