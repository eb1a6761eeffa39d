"""The day facts kept current incrementally equal a full rebuild; a replayed refresh changes
nothing; the watermarks wait for ids that may still commit."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone

from catalog.models import ProcedureVersion
from dossiers.models import Dossier, Status
from dossiers.tests.factories import MONDAY_MORNING, commune_procedure
from indicators import facts
from indicators.facts import COUNTERS, facts_rebuild, facts_refresh
from indicators.models import DossierDayFact, FactWatermark
from indicators.tests import dossier_ops as ops
from indicators.tests.dossier_ops import calendar, media  # noqa: F401 - fixtures
from payments.models import Payment
from payments.tests.factories import fee_procedure

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar", "media")]

H = dt.timedelta(hours=1)


def snapshot() -> dict[tuple[int, dt.date], tuple[int, ...]]:
    return {
        (row["agency_id"], row["day"]): tuple(row[name] for name in COUNTERS)
        for row in DossierDayFact.objects.values("agency_id", "day", *COUNTERS)
    }


def _random_life(rng, people, communes, versions, steps):
    """``steps`` random actions through the services, refreshing the facts now and then."""
    citizen, clerk, specialist, leader = (
        people["citizen"],
        people["clerk"],
        people["specialist"],
        people["leader"],
    )
    at = MONDAY_MORNING
    made: list[Dossier] = []
    refreshes = 0
    for _ in range(steps):
        at += dt.timedelta(hours=rng.choice([3, 5, 20, 26, 70]))
        for dossier in made:
            dossier.refresh_from_db()
        received = [d for d in made if d.status == Status.RECEIVED]
        resolved = [d for d in made if d.status == Status.RESOLVED]
        returned = [d for d in made if d.status == Status.RETURNED and not hasattr(d, "rating")]
        unpaid = [
            d
            for d in made
            if d.procedure_version_id == versions["fees"].pk
            and d.status in (Status.RECEIVED, Status.PROCESSING)
            and not Payment.objects.filter(dossier=d, status=Payment.Status.PAID).exists()
        ]
        choice = rng.choice(["online", "counter", "resolve", "resolve", "return", "rate", "pay", "pay"])
        if choice == "online" or not made:
            version = versions[rng.choice(["partial", "full", "fees"])]
            commune = rng.choice(communes)
            made.append(
                ops.online(
                    citizen=citizen,
                    clerk=people["clerks"][commune.pk],
                    commune=commune,
                    version=version,
                    at=at,
                )
            )
        elif choice == "counter":
            commune = rng.choice(communes)
            version = versions[rng.choice(["partial", "fees"])]
            made.append(
                ops.counter(clerk=people["clerks"][commune.pk], commune=commune, version=version, at=at)
            )
        elif choice == "resolve" and received:
            dossier = rng.choice(received)
            if dossier.competent_agency_id == communes[0].pk:
                ops.resolve(dossier, clerk=clerk, specialist=specialist, leader=leader, at=at)
        elif choice == "return" and resolved:
            dossier = rng.choice(resolved)
            ops.give_back(dossier, clerk=people["clerks"][dossier.competent_agency_id], at=at)
        elif choice == "rate" and returned:
            ops.rate(rng.choice(returned), score=rng.choice([1, 2, 3]), at=at)
        elif choice == "pay" and unpaid:
            dossier = rng.choice(unpaid)
            if dossier.channel == "online" and rng.random() < 0.7:
                ops.pay_online(dossier, citizen=citizen, at=at)
            else:
                ops.pay_at_counter(dossier, clerk=people["clerks"][dossier.receiving_agency_id], at=at)
        if rng.random() < 0.3:
            facts_refresh()
            refreshes += 1
    return made, refreshes


@pytest.fixture
def people(citizen, clerk, clerk_other_agency, specialist, leader, agency, other_agency):
    return {
        "citizen": citizen,
        "clerk": clerk,
        "specialist": specialist,
        "leader": leader,
        "clerks": {agency.pk: clerk, other_agency.pk: clerk_other_agency},
    }


@pytest.mark.parametrize("seed", [7, 2025])
def test_incremental_facts_equal_a_full_rebuild_and_a_replay_changes_nothing(
    seed, people, agency, other_agency
):
    rng = random.Random(seed)
    versions = {
        "partial": commune_procedure(),
        "full": commune_procedure(service_level=ProcedureVersion.ServiceLevel.FULL_ONLINE),
        "fees": fee_procedure(),
    }

    made, refreshes = _random_life(rng, people, [agency, other_agency], versions, steps=45)
    facts_refresh()
    incremental = snapshot()
    marks = dict(FactWatermark.objects.values_list("source", "last_id"))

    assert facts_refresh() == 0
    assert snapshot() == incremental
    assert dict(FactWatermark.objects.values_list("source", "last_id")) == marks

    facts_rebuild()
    assert snapshot() == incremental
    # The life was eventful enough to mean something.
    assert refreshes >= 3
    assert len(made) >= 8
    totals = [sum(values[i] for values in incremental.values()) for i in range(len(COUNTERS))]
    by_name = dict(zip(COUNTERS, totals, strict=True))
    assert by_name["received"] == len(made)
    assert by_name["resolved"] > 0
    assert by_name["with_fees"] > 0
    assert len({day for _agency, day in incremental}) > 3


def test_a_refresh_reads_only_what_is_new_and_replaying_it_writes_nothing(people, agency):
    version = commune_procedure()
    first = ops.online(
        citizen=people["citizen"], clerk=people["clerk"], commune=agency, version=version, at=MONDAY_MORNING
    )
    assert facts_refresh() == 1
    day = MONDAY_MORNING.date()
    row = DossierDayFact.objects.get(agency=agency, day=day)
    assert (row.received, row.received_online) == (1, 1)
    assert facts_refresh() == 0

    ops.counter(clerk=people["clerk"], commune=agency, version=version, at=MONDAY_MORNING + H)
    ops.resolve(first, **{k: people[k] for k in ("clerk", "specialist", "leader")}, at=MONDAY_MORNING + 5 * H)
    assert facts_refresh() == 1  # one bucket: the day both were received and one resolved
    row.refresh_from_db()
    assert (row.received, row.received_online, row.resolved, row.resolved_early) == (2, 1, 1, 1)


def test_rebuild_of_a_range_leaves_other_days_and_the_watermarks(people, agency):
    version = commune_procedure()
    ops.online(
        citizen=people["citizen"], clerk=people["clerk"], commune=agency, version=version, at=MONDAY_MORNING
    )
    ops.online(
        citizen=people["citizen"],
        clerk=people["clerk"],
        commune=agency,
        version=version,
        at=MONDAY_MORNING + 24 * H,
    )
    facts_rebuild()
    marks = dict(FactWatermark.objects.values_list("source", "last_id"))
    assert marks["dossier_event"] > 0
    DossierDayFact.objects.update(received=99)

    facts_rebuild(start=MONDAY_MORNING.date(), end=MONDAY_MORNING.date())

    assert dict(DossierDayFact.objects.values_list("day", "received")) == {
        MONDAY_MORNING.date(): 1,
        MONDAY_MORNING.date() + dt.timedelta(days=1): 99,
    }
    assert dict(FactWatermark.objects.values_list("source", "last_id")) == marks


def test_local_days_follow_vietnam_time(people, agency):
    late_evening = dt.datetime(2025, 9, 8, 23, 30, tzinfo=ops_tz())  # 16:30 UTC, still the 8th here
    version = commune_procedure()
    ops.online(
        citizen=people["citizen"], clerk=people["clerk"], commune=agency, version=version, at=late_evening
    )
    facts_rebuild()

    assert list(DossierDayFact.objects.values_list("day", flat=True)) == [dt.date(2025, 9, 8)]


def ops_tz():
    from zoneinfo import ZoneInfo

    return ZoneInfo("Asia/Ho_Chi_Minh")


def test_the_watermark_stops_before_a_gap_until_it_has_waited_long_enough():
    now = timezone.now()
    mark = FactWatermark(source="x", last_id=10)

    assert facts._next_watermark(mark, [11, 12, 13], now=now) == (13, None)
    assert facts._next_watermark(mark, [], now=now) == (10, None)
    # 14 missing: maybe a transaction that has not committed yet.
    assert facts._next_watermark(mark, [11, 12, 13, 15], now=now) == (13, now)
    assert facts._next_watermark(mark, [12], now=now) == (10, now)
    waiting = FactWatermark(source="x", last_id=13, last_at=now - dt.timedelta(minutes=1))
    assert facts._next_watermark(waiting, [15], now=now) == (13, now - dt.timedelta(minutes=1))
    assert facts._next_watermark(waiting, [14, 15], now=now) == (15, None)  # it came
    long_ago = FactWatermark(source="x", last_id=13, last_at=now - facts.GAP_PATIENCE)
    assert facts._next_watermark(long_ago, [15, 16], now=now) == (16, None)  # rolled back


def test_a_row_committed_late_below_the_watermark_is_still_read(people, agency):
    """Ids commit out of order: a fee line with the lower id is hidden at the first refresh (as if
    its transaction had not committed), then appears; the held watermark makes the next refresh
    read it and count the dossier's fees."""
    from payments.models import DossierFee
    from payments.services import dossier_fees_snapshot

    dossier = ops.online(
        citizen=people["citizen"],
        clerk=people["clerk"],
        commune=agency,
        version=fee_procedure(),
        at=MONDAY_MORNING,
    )
    facts_rebuild()
    first, second = dossier_fees_snapshot(dossier=dossier)
    assert second.pk == first.pk + 1
    FactWatermark.objects.filter(source="dossier_fee").update(last_id=first.pk - 1)
    saved = {f.attname: getattr(first, f.attname) for f in DossierFee._meta.concrete_fields}
    DossierFee.objects.filter(pk=first.pk).delete()
    DossierFee.objects.filter(pk=second.pk).update(amount=0, exemption_reason="Hộ nghèo")  # exempted

    facts_refresh()
    mark = FactWatermark.objects.get(source="dossier_fee")
    assert (mark.last_id, mark.last_at is not None) == (first.pk - 1, True)
    assert DossierDayFact.objects.get(agency=agency).with_fees == 0

    DossierFee.objects.create(**saved)  # the late transaction commits
    facts_refresh()

    mark.refresh_from_db()
    assert (mark.last_id, mark.last_at) == (second.pk, None)
    assert DossierDayFact.objects.get(agency=agency).with_fees == 1
