"""The demo dossiers: every state, lived through the services, reproducible, and loaded once."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from accounts.models import User
from congso import demo as province_demo
from dossiers import demo
from dossiers.models import Dossier, DossierEvent, DossierStep, Rating, Slip, Status
from dossiers.selectors import queue_to_assign

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


def test_the_plan_has_about_three_hundred_dossiers_and_is_the_same_every_time():
    versions = [
        SimpleNamespace(pk=pk, is_online=pk % 3 != 0, level="commune" if pk % 2 else "province")
        for pk in range(1, 40)
    ]

    first = demo._plans(versions, {101: 201, 102: 202}, 300)  # type: ignore[arg-type]
    again = demo._plans(versions, {101: 201, 102: 202}, 300)  # type: ignore[arg-type]

    assert sum(demo.SCENARIOS.values()) == demo.DOSSIER_COUNT == len(first) == 306
    assert first == again
    assert {plan.scenario for plan in first} == set(demo.SCENARIOS)
    assert all(plan.online for plan in first if plan.scenario in demo.ONLINE_ONLY)
    # The showcase comes last, under the procedures that show it, and leaves the others as they were.
    showing = demo._plans(versions, {101: 201, 102: 202}, 300, frozenset({7, 8}))  # type: ignore[arg-type]
    assert [plan.scenario for plan in first[300:]] == ["inter_agency"] * 6
    assert {plan.version_id for plan in showing[300:]} <= {7, 8}
    assert showing[:300] == first[:300]


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

    assert f"Đã tạo {len(demo.SCENARIOS)} hồ sơ mẫu" in out.getvalue()
    assert "Hồ sơ mẫu đã có đủ; không tạo thêm." in out.getvalue()


def _parallel_siblings() -> list[DossierStep]:
    """The demo's liên thông steps started by the process beside another step: same order as a
    step of the competent agency's own, started at the same instant."""
    return [
        step
        for step in DossierStep.objects.filter(
            dossier__notes__startswith="Hồ sơ mẫu ", is_inter_agency=True, started_at__isnull=False
        ).select_related("agency", "dossier")
        if step.dossier.steps.filter(
            order=step.order, is_inter_agency=False, started_at=step.started_at
        ).exists()
    ]


@pytest.fixture
def building_permits_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every planned dossier under the building permit (1.013221), whose process has Sở Nông
    nghiệp và Môi trường give its opinion in parallel with the appraisal."""
    plans = demo._plans

    def only_permits(versions, *args):
        return plans([v for v in versions if v.procedure.code == "1.013221"], *args)

    monkeypatch.setattr(demo, "_plans", only_permits)
    monkeypatch.setattr(
        demo, "SCENARIOS", {"inter_agency": 6, "processing": 2, "returned_early": 2, "returned_late": 2}
    )


@pytest.mark.usefixtures("province", "building_permits_only")
def test_the_demo_shows_parallel_lien_thong_steps_running_and_handed_back():
    assert demo.load_demo_dossiers(now=FRIDAY, verbosity=0) == 12

    siblings = _parallel_siblings()
    assert siblings
    assert {step.agency.name for step in siblings} == {"Sở Nông nghiệp và Môi trường"}
    handed_back = [step for step in siblings if step.finished_at is not None]
    assert handed_back
    finish_events = DossierEvent.objects.filter(
        action="finish_inter_agency", data__step_id__in=[s.pk for s in handed_back]
    )
    assert finish_events.count() == len(handed_back)
    # The dossier moved on only once its liên thông step was handed back.
    moved_on = 0
    for step in handed_back:
        assert step.finished_at is not None
        for later in step.dossier.steps.filter(order__gt=step.order, started_at__isnull=False):
            assert later.started_at is not None
            assert later.started_at >= step.finished_at
            moved_on += 1
    assert moved_on
    # Some are still with the participating agency, waiting for its leader to give them out.
    running = [step for step in siblings if step.finished_at is None]
    assert running
    leader = User.objects.get(username="truongphong.nnmt")
    waiting = set(queue_to_assign(leader).values_list("pk", flat=True))
    assert waiting == {step.dossier_id for step in running if step.assignee_id is None}
    assert waiting


def test_the_command_needs_the_demo_province(db):
    with pytest.raises(Exception, match=r"hãy chạy manage\.py load_demo trước"):
        call_command("demo_dossiers", stdout=io.StringIO())
