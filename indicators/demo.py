"""The demo reports and targets of the indicators, lived through the services.

What a briefing reads out: the province's targets for this year and last (and each commune's),
and the quarterly digital-transformation reports of the communes for the last five closed
quarters — fibre households around 47 % rising, about 1,460 community digital technology teams
with some 6,500 members, about 1,140 BTS sites, a few villages still without mobile signal —
most approved by Sở Khoa học và Công nghệ, some waiting for review, some returned, some late.
The figures are drawn from a generator seeded by each commune's code, so two runs on the same day
make the same demo; a report that already exists is left alone (running twice changes nothing).

People: ``thongke.tamthanh`` (statistics officer of UBND phường Tam Thanh, whose latest report is
left as a draft to finish and send), the reviewers of Sở KH&CN from the demo accounts
(``chuyenvien.khcn`` returns, ``truongphong.khcn`` approves), and the province's reporting
platform, an integration client through which the other communes' systems send their figures.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from accounts.models import ApiClient, Role, User
from accounts.scopes import Scope
from accounts.services import api_client_create, membership_grant
from agencies.models import Agency
from indicators import services
from indicators.models import Indicator, Period, Periodicity, Report, ReportForm, Target
from indicators.periods import period_get, period_last_closed, period_previous

VN = ZoneInfo("Asia/Ho_Chi_Minh")
COMMUNE_FORM = "CDS-XA-QUY"
BUSINESS_FORM = "KTS-SO-QUY"
OFFICER = "thongke.tamthanh"
OFFICER_UNIT = "Ủy ban nhân dân phường Tam Thanh"
FINANCE = "Sở Tài chính"
PLATFORM = "Nền tảng tổng hợp báo cáo cấp xã (dữ liệu mẫu)"
QUARTERS = 5

RETURN_REASON = (
    "Số hộ có kết nối cáp quang tăng bất thường so với quý trước; đề nghị rà soát lại với số liệu "
    "của doanh nghiệp viễn thông trên địa bàn rồi gửi lại."
)

# Province-wide targets (UBND tỉnh) by year offset: 0 = this year, -1 = last year.
PROVINCE_TARGETS: dict[str, tuple[str, str]] = {
    # code: (last year, this year)
    "HT-01": ("50", "60"),
    "HT-02": ("65", "72"),
    "HT-03": ("20", "0"),
    "HT-04": ("1150", "1250"),
    "XH-01": ("1462", "1500"),
    "XH-02": ("6502", "7000"),
    "KT-01": ("97", "98"),
    "KT-02": ("85", "90"),
    "DVC-02": ("60", "70"),
    "DVC-03": ("30", "40"),
    "DVC-04": ("95", "98"),
    "DVC-05": ("40", "50"),
    "DVC-06": ("80", "100"),
    "DVC-07": ("90", "95"),
}
COMMUNE_TARGETS = ("HT-01", "HT-03", "XH-01", "DVC-02", "DVC-04")


@dataclass(frozen=True)
class Summary:
    reports_created: int
    targets_created: int


def _rng(unit: Agency, salt: str = "") -> random.Random:
    digest = hashlib.sha256(f"{unit.edoc_code}|{unit.name}|{salt}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))  # noqa: S311 - demo figures, not secrets


@dataclass(frozen=True)
class Profile:
    """What a commune looks like, fixed by its code: households, people, teams, sites."""

    households: int
    fibre_share: float  # share of households on fibre at the first demo quarter
    people_per_household: float
    mobile_share: float  # broadband subscriptions with traffic per person at the first quarter
    villages: int  # thôn, bản: one community digital technology team each
    members_per_team: float
    bts: int
    dead_zones: int  # villages without mobile signal at the first quarter


def profile(unit: Agency) -> Profile:
    rng = _rng(unit, "profile")
    ward = "phường" in unit.name
    return Profile(
        households=rng.randint(5200, 9800) if ward else rng.randint(1600, 4800),
        fibre_share=rng.uniform(0.62, 0.78) if ward else rng.uniform(0.30, 0.52),
        people_per_household=rng.uniform(3.6, 4.2),
        mobile_share=rng.uniform(0.68, 0.80) if ward else rng.uniform(0.50, 0.66),
        villages=rng.randint(16, 30) if ward else rng.randint(12, 32),
        members_per_team=rng.uniform(4.0, 4.9),
        bts=rng.randint(22, 34) if ward else rng.randint(10, 22),
        dead_zones=0 if ward or rng.random() < 0.78 else rng.randint(1, 4),
    )


def commune_values(unit: Agency, step: int) -> dict[str, dict[str, object]]:
    """The figures of ``unit`` at demo quarter ``step`` (0 = the oldest of the five)."""
    p = profile(unit)
    rng = _rng(unit, f"q{step}")
    fibre = min(p.fibre_share + 0.012 * step + rng.uniform(-0.004, 0.006), 0.97)
    people = round(p.households * p.people_per_household)
    subscriptions = round(people * (p.mobile_share + 0.008 * step + rng.uniform(-0.003, 0.004)))
    teams = p.villages
    values: dict[str, dict[str, object]] = {
        "HT-01": {"numerator": round(p.households * fibre), "denominator": p.households},
        "HT-02": {"numerator": subscriptions, "denominator": people},
        "HT-03": {"value": max(p.dead_zones - step // 2, 0)},
        "HT-04": {"value": p.bts + step // 2 + (1 if rng.random() < 0.2 else 0)},
        "XH-01": {"value": teams},
        "XH-02": {"value": round(teams * (p.members_per_team + 0.03 * step))},
    }
    if values["HT-03"]["value"]:
        values["HT-03"]["comment"] = (
            "Các thôn vùng cao chưa có trạm phát sóng; đã đề nghị doanh nghiệp viễn thông phủ sóng."
        )
    return values


def business_values(step: int) -> dict[str, dict[str, object]]:
    """Province-wide e-tax and e-invoice figures, sent by Sở Tài chính (seed 001: 96,63 %, 83,2 %)."""
    businesses = 2480 + 25 * step
    return {
        "KT-01": {"numerator": round(businesses * (0.9663 + 0.002 * step)), "denominator": businesses},
        "KT-02": {"numerator": round(businesses * (0.832 + 0.008 * step)), "denominator": businesses},
    }


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=VN)


def _person(username: str, full_name: str, agency: Agency, role: Role, title: str) -> User:
    from congso.demo import DEMO_PASSWORD

    user, created = User.objects.get_or_create(
        username=username,
        defaults={"full_name": full_name, "kind": User.Kind.STAFF, "email": f"{username}@langson.gov.vn"},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    if not user.memberships.filter(agency=agency, role=role, valid_to__isnull=True).exists():
        membership_grant(user=user, agency=agency, role=role, title=title, valid_from=dt.date(2025, 7, 1))
    return user


def _demo_user(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise RuntimeError(f"the demo account {username} is missing: run load_demo first")
    return user


def _platform(province: Agency) -> User:
    client = ApiClient.objects.filter(name=PLATFORM).first()
    if client is None:
        client = api_client_create(
            name=PLATFORM,
            scopes=[str(Scope.INDICATORS_WRITE)],
            agency=province,
            description="Tài khoản mẫu: phần mềm của các xã gửi báo cáo chỉ tiêu qua API.",
        )
    return client.user


def _quarters(today: dt.date) -> list[Period]:
    latest = period_last_closed(Periodicity.QUARTER, today)
    found = [latest]
    for _ in range(QUARTERS - 1):
        found.append(period_previous(found[-1]))
    return list(reversed(found))


def _fate(index: int, step: int, last: int) -> str:
    """What became of commune number ``index``'s report at quarter ``step``."""
    if step == last:
        return {3: "submitted", 7: "returned", 11: "missing", 14: "draft"}.get(index % 16, "approved")
    if step == last - 1 and index % 29 == 5:
        return "missing"
    return "approved"


@transaction.atomic
def load_demo_indicators(*, today: dt.date | None = None) -> Summary:
    """Make the demo targets and reports once (see the module docstring)."""
    day = today or timezone.localdate()
    current = Agency.objects.active_on(day)
    province = current.filter(kind=Agency.Kind.PROVINCE).first()
    tam_thanh = current.filter(name=OFFICER_UNIT).first()
    commune_form = ReportForm.objects.filter(code=COMMUNE_FORM).first()
    if province is None or tam_thanh is None:
        raise RuntimeError("the demo province is not loaded: run load_demo first")
    if commune_form is None:
        raise RuntimeError(f"the report form {COMMUNE_FORM} is missing: run load_indicators first")
    admin = _demo_user("quantri")
    approver = _demo_user("truongphong.khcn")
    returner = _demo_user("chuyenvien.khcn")
    officer = _person(OFFICER, "Hoàng Thị Thu", tam_thanh, Role.SPECIALIST, "Công chức Văn hóa - Xã hội")
    platform = _platform(province)
    quarters = _quarters(day)
    targets = _targets(admin=admin, province=province, year=day.year)
    created = 0
    communes = sorted(
        (c for c in current.filter(kind=Agency.Kind.COMMUNE) if c.pk != tam_thanh.pk), key=lambda c: c.name
    )
    for step, quarter in enumerate(quarters):
        last = len(quarters) - 1
        for index, commune in enumerate(communes):
            fate = _fate(index, step, last)
            created += _commune_report(
                form=commune_form,
                unit=commune,
                quarter=quarter,
                step=step,
                fate=fate,
                sender=platform,
                approver=approver,
                returner=returner,
                late=index % 10 == 0,
                today=day,
            )
        created += _commune_report(
            form=commune_form,
            unit=tam_thanh,
            quarter=quarter,
            step=step,
            fate="draft" if step == last else "approved",
            sender=officer,
            approver=approver,
            returner=returner,
            late=False,
            today=day,
        )
    business_form = ReportForm.objects.filter(code=BUSINESS_FORM).first()
    finance = current.filter(name=FINANCE).first()
    if business_form is not None and finance is not None:
        finance_officer = _person("thongke.taichinh", "Lộc Văn Minh", finance, Role.SPECIALIST, "Chuyên viên")
        for step, quarter in enumerate(quarters):
            created += _report(
                form=business_form,
                unit=finance,
                quarter=quarter,
                values=business_values(step),
                fate="approved",
                sender=finance_officer,
                approver=approver,
                returner=returner,
                late=False,
                today=day,
            )
    return Summary(reports_created=created, targets_created=targets)


def _commune_report(
    *,
    form: ReportForm,
    unit: Agency,
    quarter: Period,
    step: int,
    fate: str,
    sender: User,
    approver: User,
    returner: User,
    late: bool,
    today: dt.date,
) -> int:
    if not unit.is_active_on(quarter.end):
        return 0
    codes = set(form.indicators.values_list("code", flat=True))
    values = {code: raw for code, raw in commune_values(unit, step).items() if code in codes}
    if fate == "returned":
        households = int(str(values["HT-01"]["denominator"]))
        inflated = round(int(str(values["HT-01"]["numerator"])) * 1.35)
        values["HT-01"] = {"numerator": min(inflated, round(households * 0.98)), "denominator": households}
    if fate == "draft" and unit.name == OFFICER_UNIT:
        values = {code: raw for code, raw in values.items() if code in ("HT-01", "XH-01")}
    return _report(
        form=form,
        unit=unit,
        quarter=quarter,
        values=values,
        fate=fate,
        sender=sender,
        approver=approver,
        returner=returner,
        late=late,
        today=today,
    )


def _report(
    *,
    form: ReportForm,
    unit: Agency,
    quarter: Period,
    values: dict[str, dict[str, object]],
    fate: str,
    sender: User,
    approver: User,
    returner: User,
    late: bool,
    today: dt.date,
) -> int:
    if fate == "missing" or Report.objects.filter(form=form, agency=unit, period=quarter).exists():
        return 0
    rng = _rng(unit, quarter.key)
    due = quarter.end + dt.timedelta(days=form.due_days)
    sent_on = (
        due + dt.timedelta(days=rng.randint(1, 6))
        if late
        else quarter.end + dt.timedelta(days=rng.randint(2, 9))
    )
    sent_on = max(min(sent_on, today - dt.timedelta(days=1)), quarter.end)  # nothing in the future
    opened = _at(quarter.end, 8)
    if fate == "draft":
        report = services.report_open(form=form, agency=unit, period=quarter, user=sender, now=opened)
        services.report_save_values(
            report=report, values=values, user=sender, lock_version=report.lock_version, now=_at(sent_on, 15)
        )
        return 1
    received = (
        services.report_receive(
            form=form, agency=unit, period=quarter, values=values, user=sender, now=_at(sent_on, 10)
        )
        if sender.kind == User.Kind.INTEGRATION
        else None
    )
    if received is not None:
        report = received.report
    else:
        report = services.report_open(form=form, agency=unit, period=quarter, user=sender, now=opened)
        report = services.report_submit(
            report=report, user=sender, lock_version=report.lock_version, values=values, now=_at(sent_on, 10)
        )
    reviewed = min(_at(sent_on + dt.timedelta(days=rng.randint(2, 6)), 14), timezone.now())
    if fate == "approved":
        services.report_approve(report=report, user=approver, lock_version=report.lock_version, now=reviewed)
    elif fate == "returned":
        services.report_return(
            report=report,
            user=returner,
            lock_version=report.lock_version,
            comment=RETURN_REASON,
            now=reviewed,
        )
    return 1


def _targets(*, admin: User, province: Agency, year: int) -> int:
    indicators = {i.code: i for i in Indicator.objects.filter(is_active=True)}
    created = 0
    communes = list(Agency.objects.active_on(dt.date(year, 12, 31)).filter(kind=Agency.Kind.COMMUNE))
    for offset, which in ((-1, 0), (0, 1)):
        period = period_get(Periodicity.YEAR, year + offset)
        for code, values in PROVINCE_TARGETS.items():
            if code in indicators:
                created += _target(indicators[code], province, period, Decimal(values[which]), admin)
        for commune in communes:
            if not commune.is_active_on(period.end):
                continue
            p = profile(commune)
            commune_target = {
                "HT-01": Decimal(round(min(p.fibre_share * 100 + 8 + 8 * which, 95))),
                "HT-03": Decimal(max(p.dead_zones - 1, 0) if which == 0 else 0),
                "XH-01": Decimal(p.villages),
                "DVC-02": Decimal(60 + 10 * which),
                "DVC-04": Decimal(95 + 3 * which),
            }
            for code in COMMUNE_TARGETS:
                if code in indicators:
                    created += _target(indicators[code], commune, period, commune_target[code], admin)
    return created


def _target(indicator: Indicator, agency: Agency, period: Period, value: Decimal, admin: User) -> int:
    if Target.objects.filter(indicator=indicator, agency=agency, period=period).exists():
        return 0
    services.target_set(
        indicator=indicator,
        agency=agency,
        period=period,
        value=value,
        user=admin,
        note="Kế hoạch chuyển đổi số năm của UBND tỉnh (dữ liệu mẫu)",
    )
    return 1
