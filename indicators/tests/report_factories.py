"""Test data of the unit reports: a quarterly form of three indicators (fibre households, a
ratio; villages without signal and community digital technology teams, counts) sent by the
communes of the root conftest's personas and reviewed by Sở Khoa học và Công nghệ."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from accounts.models import Role, User
from accounts.services import membership_grant
from accounts.tests.factories import StaffFactory
from agencies.models import Agency
from agencies.tests.factories import AgencyFactory
from indicators.models import (
    Aggregation,
    Direction,
    Indicator,
    Period,
    Periodicity,
    Report,
    ReportForm,
    Source,
    Unit,
)
from indicators.periods import period_get


def staff(username: str, agency: Agency, role: str, email: str = "") -> User:
    user = StaffFactory.create(
        username=username, full_name=username.title(), email=email or f"{username}@example.vn"
    )
    membership_grant(user=user, agency=agency, role=Role(role), valid_from=dt.date(2025, 1, 1))
    return user


def indicator(code: str, **fields: Any) -> Indicator:
    defaults: dict[str, Any] = {
        "name": f"Chỉ tiêu {code}",
        "unit": Unit.COUNT,
        "direction": Direction.HIGHER,
        "source": Source.REPORTED,
        "periodicity": Periodicity.QUARTER,
        "aggregation": Aggregation.SUM,
        "min_value": Decimal(0),
        "decimals": 0,
    }
    defaults.update(fields)
    return Indicator.objects.create(code=code, **defaults)


@dataclass
class World:
    province: Agency
    reviewer_agency: Agency
    unit: Agency  # the ``agency`` persona: UBND phường Tam Thanh
    other_unit: Agency  # the ``other_agency`` persona: UBND xã Đồng Đăng
    officer: User  # the unit's statistics officer (specialist)
    other_officer: User  # the other commune's clerk
    reviewer: User  # a specialist of Sở KH&CN
    reviewer_leader: User
    fibre: Indicator
    villages: Indicator
    teams: Indicator
    form: ReportForm
    period: Period  # Q3/2026

    def report(self, *, unit: Agency | None = None, period: Period | None = None) -> Report:
        from indicators.services import report_open

        owner = unit or self.unit
        user = self.officer if owner == self.unit else self.other_officer
        return report_open(form=self.form, agency=owner, period=period or self.period, user=user)


GOOD = {
    "HT-01": {"numerator": "3120", "denominator": "6500"},
    "HT-03": {"value": "2", "comment": "Thôn Khòn Pát, Nà Múc"},
    "XH-01": {"value": "24"},
}


def build_world(*, agency: Agency, other_agency: Agency, officer: User, other_officer: User) -> World:
    province = AgencyFactory.create(name="UBND tỉnh Lạng Sơn (thử)", kind=Agency.Kind.PROVINCE)
    khcn = AgencyFactory.create(name="Sở Khoa học và Công nghệ", email="skhcn@example.vn", parent=province)
    for commune in (agency, other_agency):  # communes sit under the province, as in the real tree
        commune.parent = province
        commune.save(update_fields=["parent"])
    fibre = indicator(
        "HT-01",
        name="Tỷ lệ hộ gia đình có kết nối internet băng rộng cáp quang",
        unit=Unit.PERCENT,
        aggregation=Aggregation.RATIO,
        max_value=Decimal(100),
        decimals=2,
        numerator_label="Số hộ có cáp quang",
        denominator_label="Tổng số hộ",
        order=1,
    )
    villages = indicator(
        "HT-03", name="Số thôn, bản chưa có sóng di động", direction=Direction.LOWER, order=2
    )
    teams = indicator("XH-01", name="Số Tổ công nghệ số cộng đồng", order=3)
    form = ReportForm.objects.create(
        code="CDS-XA-QUY",
        name="Báo cáo chỉ tiêu chuyển đổi số hằng quý",
        periodicity=Periodicity.QUARTER,
        reporting_kinds=["commune"],
        reviewer=khcn,
        due_days=10,
    )
    form.indicators.set([fibre, villages, teams])
    return World(
        province=province,
        reviewer_agency=khcn,
        unit=agency,
        other_unit=other_agency,
        officer=officer,
        other_officer=other_officer,
        reviewer=staff("chuyenvien.khcn.t", khcn, Role.SPECIALIST),
        reviewer_leader=staff("truongphong.khcn.t", khcn, Role.DEPARTMENT_LEADER),
        fibre=fibre,
        villages=villages,
        teams=teams,
        form=form,
        period=period_get(Periodicity.QUARTER, 2026, 3),
    )
