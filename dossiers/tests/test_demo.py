"""The demo dossiers: every state, lived through the services, reproducible, and loaded once."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from congso import demo as province_demo
from dossiers import demo
from dossiers.models import Dossier, DossierEvent, Rating, Slip, Status

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
FRIDAY = dt.datetime(2026, 3, 20, 16, 30, tzinfo=VN)
"""The demo is placed in the three months before its run; the tests run it at a fixed instant."""


@pytest.fixture
def province(db: None) -> None:
    """The demo province without its dossiers: agencies, calendar, catalogue, accounts."""
    quiet = {"verbosity": 0, "stdout": io.StringIO(), "stderr": io.StringIO()}
    call_command("load_agencies", **quiet)
    call_command("seed_calendar", "2025", "2026", **quiet)
    call_command("import_procedures", str(province_demo.PROCEDURES_FILE), format="json", **quiet)
    province_demo._load_accounts()


@pytest.fixture
def one_of_each(monkeypatch: pytest.MonkeyPatch) -> None:
    """One dossier per scenario instead of the full 300, to keep the test short."""
    monkeypatch.setattr(demo, "SCENARIOS", dict.fromkeys(demo.SCENARIOS, 1))


def test_the_plan_has_three_hundred_dossiers_and_is_the_same_every_time():
    versions = [
        SimpleNamespace(pk=pk, is_online=pk % 3 != 0, level="commune" if pk % 2 else "province")
        for pk in range(1, 40)
    ]

    first = demo._plans(versions, {101: 201, 102: 202}, 300)  # type: ignore[arg-type]
    again = demo._plans(versions, {101: 201, 102: 202}, 300)  # type: ignore[arg-type]

    assert sum(demo.SCENARIOS.values()) == demo.DOSSIER_COUNT == len(first) == 300
    assert first == again
    assert {plan.scenario for plan in first} == set(demo.SCENARIOS)
    assert all(plan.online for plan in first if plan.scenario in demo.ONLINE_ONLY)


@pytest.mark.usefixtures("province", "one_of_each")
def test_the_demo_reaches_every_state_through_the_services_and_loads_once(emitted):
    created = demo.load_demo_dossiers(now=FRIDAY, verbosity=0)

    dossiers = Dossier.objects.filter(notes__startswith="Hồ sơ mẫu ")
    assert created == dossiers.count() == len(demo.SCENARIOS)
    assert set(dossiers.values_list("status", flat=True)) == set(Status.values)
    # Lived, not written: a history row per change, codes and due dates from reception, slips.
    for dossier in dossiers.exclude(status=Status.DRAFT):
        events = list(dossier.events.order_by("sequence"))
        assert events, dossier
        assert events[-1].to_status == dossier.status
        assert all(FRIDAY - dt.timedelta(days=demo.WINDOW_DAYS + 1) <= e.at <= FRIDAY for e in events)
    received = dossiers.exclude(received_at=None)
    assert all(d.code and d.due_at and d.steps.exists() for d in received)
    assert Slip.objects.filter(dossier__in=received, form=Slip.Form.RECEIPT).count() >= received.count()
    assert dossiers.filter(status=Status.RETURNED, finished_late=True).exists()
    assert dossiers.filter(status=Status.RETURNED, finished_late=False).exists()
    assert dossiers.filter(apology_count=1).exists()
    assert Rating.objects.filter(dossier__in=dossiers).exists()
    assert DossierEvent.objects.filter(action="receive", data__restarted=True).exists()
    assert emitted == []  # no notices about past months

    assert demo.load_demo_dossiers(now=FRIDAY, verbosity=0) == 0
    assert Dossier.objects.count() == len(demo.SCENARIOS)


@pytest.mark.usefixtures("province", "one_of_each")
def test_the_command_says_what_it_did():
    out = io.StringIO()

    call_command("demo_dossiers", stdout=out)
    call_command("demo_dossiers", stdout=out)

    assert "Đã tạo 24 hồ sơ mẫu" in out.getvalue()
    assert "Hồ sơ mẫu đã có đủ; không tạo thêm." in out.getvalue()


def test_the_command_needs_the_demo_province(db):
    with pytest.raises(Exception, match=r"hãy chạy manage\.py load_demo trước"):
        call_command("demo_dossiers", stdout=io.StringIO())
