"""The computed figures match a hand computation on the demo data.

The demo province is loaded (agencies, calendar, catalogue, accounts, three of each demo dossier
scenario placed in the three months before Friday 20/03/2026, the indicator catalogue); a few
demo dossiers with fees are then paid, online through the gateway and at the desk. The facts are
built by the incremental refresh (the first one reads every history row), refreshed again after
the payments, and the online dossier rate (DVC-02), on-time rate (DVC-04) and online payment rate
(DVC-05) of a commune and of the province are compared with counts made here by plain Python
loops over the dossier rows — not with the SQL the facts use.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from accounts.models import Membership, Role
from agencies.models import Agency
from congso import demo as province_demo
from dossiers import demo
from dossiers.models import Channel, Dossier, Status
from indicators import selectors
from indicators.facts import facts_refresh
from indicators.models import Indicator
from indicators.periods import period_from_key
from indicators.tests import dossier_ops as ops
from indicators.tests.dossier_ops import media  # noqa: F401 - fixture
from payments.models import Payment
from payments.selectors import PAYABLE_STATUSES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

VN = ZoneInfo("Asia/Ho_Chi_Minh")
FRIDAY = dt.datetime(2026, 3, 20, 16, 30, tzinfo=VN)
COMMUNE = "Ủy ban nhân dân phường Tam Thanh"


@pytest.fixture
def demo_province(db, monkeypatch):
    quiet = {"verbosity": 0, "stdout": io.StringIO(), "stderr": io.StringIO()}
    call_command("load_agencies", **quiet)
    call_command("seed_calendar", "2025", "2026", **quiet)
    call_command("import_procedures", str(province_demo.PROCEDURES_FILE), format="json", **quiet)
    province_demo._load_accounts()
    monkeypatch.setattr(demo, "SCENARIOS", dict.fromkeys(demo.SCENARIOS, 3))
    demo.load_demo_dossiers(now=FRIDAY, verbosity=0)
    call_command("load_indicators", **quiet)


def _pay_some(count: int) -> int:
    """Pay ``count`` open demo dossiers with fees: online ones online, the others at the desk."""
    paid = online = 0
    candidates = (
        Dossier.objects.filter(status__in=PAYABLE_STATUSES, procedure_version__fees__counter_amount__gt=0)
        .exclude(received_at=None)
        .select_related("applicant")
        .distinct()
        .order_by("-channel", "pk")
    )
    for dossier in candidates:
        if paid >= count:
            break
        if dossier.channel == Channel.ONLINE and dossier.applicant is not None and online < count // 2:
            ops.pay_online(dossier, citizen=dossier.applicant, at=FRIDAY)
            online += 1
        else:
            clerk = (
                Membership.objects.filter(agency=dossier.receiving_agency, role=Role.CLERK)
                .select_related("user")
                .first()
            )
            if clerk is None:
                continue
            ops.pay_at_counter(dossier, clerk=clerk.user, at=FRIDAY)
        paid += 1
    return paid


def _subtree(root: Agency) -> set[int]:
    found, frontier = {root.pk}, [root.pk]
    while frontier:
        children = list(Agency.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        frontier = [pk for pk in children if pk not in found]
        found.update(frontier)
    return found


def _in(instant: dt.datetime | None, start: dt.date, end: dt.date) -> bool:
    return instant is not None and start <= instant.astimezone(VN).date() <= end


def by_hand(start: dt.date, end: dt.date, agencies: set[int] | None) -> dict[str, tuple[int, int]]:
    """Numerator and denominator of the three rates, counted row by row."""
    received = online = resolved = on_time = with_fees = paid_online = 0
    for dossier in Dossier.objects.prefetch_related("fee_lines", "payments"):
        if agencies is not None and dossier.competent_agency_id not in agencies:
            continue
        if _in(dossier.received_at, start, end):
            received += 1
            online += dossier.channel == Channel.ONLINE
            if any(line.amount > 0 for line in dossier.fee_lines.all()):
                with_fees += 1
                paid_online += any(
                    p.method == Payment.Method.ONLINE and p.status == Payment.Status.PAID
                    for p in dossier.payments.all()
                )
        if _in(dossier.resolved_at, start, end):
            resolved += 1
            on_time += dossier.finished_late is not True
    return {
        "DVC-02": (online, received),
        "DVC-04": (on_time, resolved),
        "DVC-05": (paid_online, with_fees),
    }


def test_computed_figures_match_a_hand_computation_on_the_demo_data(demo_province):
    facts_refresh()
    assert _pay_some(6) == 6
    assert facts_refresh() > 0  # the payments touched their reception days
    commune = Agency.objects.current().get(name=COMMUNE)
    checked = 0
    for key in ("2025-Q4", "2026-Q1", "2026-M03"):
        period = period_from_key(key)
        for agency, ids in ((None, None), (commune, _subtree(commune))):
            expected = by_hand(period.start, period.end, ids)
            for code, (numerator, denominator) in expected.items():
                figure = selectors.figure(
                    indicator=Indicator.objects.get(code=code), period=period, agency=agency
                )
                where = f"{code} {key} {agency or 'toàn tỉnh'}"
                assert (figure.numerator, figure.denominator) == (Decimal(numerator), Decimal(denominator)), (
                    where
                )
                value = None if denominator == 0 else Decimal(numerator) * 100 / Decimal(denominator)
                assert figure.value == value, where
                checked += denominator > 0
    # The demo gives each rate something to count, for the commune and the province.
    assert checked >= 10
    whole_q1 = by_hand(dt.date(2026, 1, 1), dt.date(2026, 3, 31), None)
    assert all(den > 0 for _num, den in whole_q1.values()), whole_q1
    assert 0 < whole_q1["DVC-05"][0] < whole_q1["DVC-05"][1]
    assert Dossier.objects.filter(status=Status.RETURNED, finished_late=True).exists()
