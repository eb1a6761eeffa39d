"""A small province for the operations centre's tests, with figures one can work out by hand.

Two communes (the personas' ``agency``, UBND phường Tam Thanh, and ``other_agency``, UBND xã Đồng
Đăng) and Sở Khoa học và Công nghệ under the province of the ``admin`` persona. The period is the
latest closed quarter (so the public page, which shows the latest closed period, shows it too).

Dossiers received in the quarter (computed DVC-02, online dossier rate):
    Tam Thanh: 4 received, 3 online → 75%      Đồng Đăng: 4 received, 1 online → 25%
    province: 8 received, 4 online → 50% (a weighted ratio; the average of 75 and 25 is also 50,
    so the previous quarter, where they differ, tells them apart):
previous quarter: Tam Thanh 1 online of 1 → 100%; Đồng Đăng 0 of 3 → 0%; province 1 of 4 → 25%
same quarter last year: Tam Thanh 2 online of 2 → 100%; province 100%.

Approved quarterly reports (reported HT-01 fibre households, weighted ratio; XH-01 teams, sum):
    Tam Thanh: 800 of 1,000 households (80%), 12 teams; Đồng Đăng: 450 of 1,000 (45%), 8 teams
    province: 1,250 of 2,000 = 62.5% (target 85: lagging); 20 teams (target 20: achieved).
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import Role, User
from accounts.services import membership_grant
from accounts.tests.factories import StaffFactory
from agencies.models import Agency
from agencies.tests.factories import AgencyFactory
from catalog.tests.factories import ProcedureVersionFactory
from dossiers.models import Channel, Dossier, Status
from dossiers.tests.factories import DossierFactory
from indicators.facts import facts_rebuild
from indicators.models import (
    Aggregation,
    Direction,
    Framework,
    Indicator,
    IndicatorGroup,
    Period,
    Periodicity,
    Report,
    ReportForm,
    ReportStatus,
    ReportValue,
    Source,
    Target,
    Unit,
)
from indicators.periods import period_get, period_last_closed, period_previous, period_same_last_year

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
_codes = itertools.count(1)


@dataclass
class World:
    province: Agency
    commune: Agency
    other: Agency
    department: Agency
    reviewer: User
    online: Indicator
    fibre: Indicator
    teams: Indicator
    hidden: Indicator
    form: ReportForm
    period: Period
    previous: Period
    last_year: Period
    dossiers: dict[str, list[Dossier]]


def _province(admin: User) -> Agency:
    return Agency.objects.get(kind=Agency.Kind.PROVINCE, memberships__user=admin)


def _dossiers(agency: Agency, version: object, period: Period, online: int, total: int) -> list[Dossier]:
    made = []
    for index in range(total):
        received = dt.datetime.combine(period.start + dt.timedelta(days=5 + index), dt.time(9, 0), tzinfo=TZ)
        made.append(
            DossierFactory.create(
                procedure_version=version,
                competent_agency=agency,
                receiving_agency=agency,
                channel=Channel.ONLINE if index < online else Channel.COUNTER,
                status=Status.RECEIVED,
                code=f"000.00.31.H40-{received:%y%m%d}-{next(_codes):04d}",
                submitted_at=received,
                received_at=received,
                due_at=received + dt.timedelta(days=10),
            )
        )
    return made


def _indicator(code: str, **fields: object) -> Indicator:
    defaults: dict[str, object] = {
        "name": code,
        "unit": Unit.PERCENT,
        "direction": Direction.HIGHER,
        "periodicity": Periodicity.QUARTER,
        "aggregation": Aggregation.RATIO,
        "decimals": 2,
    }
    defaults.update(fields)
    return Indicator.objects.create(code=code, **defaults)


def _report(
    world_form: ReportForm, agency: Agency, period: Period, values: dict[Indicator, dict[str, int]]
) -> None:
    report = Report.objects.create(
        form=world_form,
        agency=agency,
        period=period,
        status=ReportStatus.APPROVED,
        due_date=period.end + dt.timedelta(days=10),
        submitted_at=timezone.now(),
        reviewed_at=timezone.now(),
    )
    for indicator, numbers in values.items():
        ReportValue.objects.create(
            report=report, indicator=indicator, **{k: Decimal(v) for k, v in numbers.items()}
        )


def build(*, admin: User, commune: Agency, other: Agency) -> World:
    province = _province(admin)
    for unit in (commune, other):
        unit.parent = province
        unit.save(update_fields=["parent"])
    department = AgencyFactory.create(
        name="Sở Khoa học và Công nghệ", kind=Agency.Kind.DEPARTMENT, parent=province
    )
    reviewer = StaffFactory.create(username="chuyenvien.khcn", full_name="Đinh Thị Mai")
    membership_grant(user=reviewer, agency=department, role=Role.SPECIALIST)

    group = IndicatorGroup.objects.create(
        code="TDGQ", name="Tiến độ giải quyết", framework=Framework.D766, max_points=Decimal(20)
    )
    online = _indicator(
        "DVC-02",
        name="Tỷ lệ hồ sơ tiếp nhận trực tuyến",
        short_name="Hồ sơ trực tuyến",
        source=Source.COMPUTED,
        computation="dossiers_online_rate",
        numerator_label="Hồ sơ tiếp nhận trực tuyến",
        denominator_label="Hồ sơ tiếp nhận",
        periodicity=Periodicity.MONTH,
        group=group,
        points=Decimal(20),
        published=True,
        order=1,
    )
    fibre = _indicator(
        "HT-01",
        name="Tỷ lệ hộ gia đình có cáp quang",
        short_name="Hộ có cáp quang",
        source=Source.REPORTED,
        numerator_label="Hộ có cáp quang",
        denominator_label="Tổng số hộ",
        published=True,
        order=2,
    )
    teams = _indicator(
        "XH-01",
        name="Số tổ công nghệ số cộng đồng",
        short_name="Tổ CNSCĐ",
        source=Source.REPORTED,
        unit=Unit.COUNT,
        aggregation=Aggregation.SUM,
        decimals=0,
        order=3,
    )
    hidden = _indicator(
        "KT-01",
        name="Tỷ lệ doanh nghiệp dùng hóa đơn điện tử",
        source=Source.REPORTED,
        periodicity=Periodicity.YEAR,
        order=4,
    )
    form = ReportForm.objects.create(
        code="CDS-QUY",
        name="Báo cáo chuyển đổi số hằng quý",
        periodicity=Periodicity.QUARTER,
        reporting_kinds=[Agency.Kind.COMMUNE],
        reviewer=department,
    )
    form.indicators.set([fibre, teams])

    period = period_last_closed(Periodicity.QUARTER)
    previous = period_previous(period)
    last_year = period_same_last_year(period)
    year = period_get(Periodicity.YEAR, period.year)
    for indicator, value in ((online, 60), (fibre, 85), (teams, 20)):
        Target.objects.create(indicator=indicator, agency=province, period=year, value=Decimal(value))

    version = ProcedureVersionFactory.create(competent_agency=commune)
    dossiers = {
        "commune": _dossiers(commune, version, period, online=3, total=4),
        "other": _dossiers(other, version, period, online=1, total=4),
        "commune_previous": _dossiers(commune, version, previous, online=1, total=1),
        "other_previous": _dossiers(other, version, previous, online=0, total=3),
        "commune_last_year": _dossiers(commune, version, last_year, online=2, total=2),
    }
    facts_rebuild(start=last_year.start, end=period.end)

    _report(
        form,
        commune,
        period,
        {fibre: {"value": 80, "numerator": 800, "denominator": 1000}, teams: {"value": 12}},
    )
    _report(
        form,
        other,
        period,
        {fibre: {"value": 45, "numerator": 450, "denominator": 1000}, teams: {"value": 8}},
    )
    return World(
        province=province,
        commune=commune,
        other=other,
        department=department,
        reviewer=reviewer,
        online=online,
        fibre=fibre,
        teams=teams,
        hidden=hidden,
        form=form,
        period=period,
        previous=previous,
        last_year=last_year,
        dossiers=dossiers,
    )
