"""What happens when people act at the same moment, on PostgreSQL with real connections.

Each worker is a thread with its own database connection and its own transactions.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction

from accounts.models import Role
from accounts.tests.factories import MembershipFactory, StaffFactory
from agencies.tests.factories import AgencyFactory
from dossiers.codes import QCVN102_CODE_RE
from dossiers.errors import ConcurrentUpdate
from dossiers.models import Dossier, DossierEvent, Status
from dossiers.services import dossier_forward, dossier_receive, dossier_submit
from dossiers.tests.factories import (
    MONDAY_MORNING,
    commune_procedure,
    counter_dossier,
    online_draft,
    received_dossier,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("calendar"),
]


def _in_threads(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run ``work(i)`` in ``count`` threads started together; the results (or exceptions) in order."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as error:  # collected for the assertions
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_two_clerks_transferring_the_same_dossier_one_wins_one_is_told_to_reload(citizen, clerk, agency):
    second_clerk = StaffFactory.create(full_name="Hoàng Văn Dũng")
    MembershipFactory.create(user=second_clerk, agency=agency, role=Role.CLERK)
    for round_ in range(5):
        dossier = received_dossier(applicant=citizen, clerk=clerk, commune=agency)
        copies = [Dossier.objects.get(pk=dossier.pk), Dossier.objects.get(pk=dossier.pk)]
        actors = [clerk, second_clerk]
        at = MONDAY_MORNING + dt.timedelta(hours=1, minutes=round_)

        def forward(
            i: int, copies: list[Dossier] = copies, actors: list[Any] = actors, at: dt.datetime = at
        ) -> Any:
            return dossier_forward(dossier=copies[i], actor=actors[i], now=at)

        outcomes = _in_threads(2, forward)

        kinds = Counter(type(outcome).__name__ for outcome in outcomes)
        assert kinds == Counter({"Dossier": 1, "ConcurrentUpdate": 1}), outcomes
        loser = next(o for o in outcomes if isinstance(o, ConcurrentUpdate))
        assert loser.message == "Hồ sơ vừa được người khác cập nhật, vui lòng tải lại."
        stored = Dossier.objects.get(pk=dossier.pk)
        assert stored.status == Status.PROCESSING
        assert stored.lock_version == dossier.lock_version + 1
        assert DossierEvent.objects.filter(dossier=dossier, action="forward").count() == 1
        assert stored.steps.filter(started_at__isnull=False, finished_at__isnull=True).count() == 1


def test_a_double_click_on_submit_makes_one_submission(citizen, agency):
    draft = online_draft(applicant=citizen, commune=agency)
    copies = [Dossier.objects.get(pk=draft.pk), Dossier.objects.get(pk=draft.pk)]

    def submit(i: int) -> Any:
        return dossier_submit(
            dossier=copies[i], actor=citizen, idempotency_key="bam-nop-1", now=MONDAY_MORNING
        )

    outcomes = _in_threads(2, submit)
    assert [type(o).__name__ for o in outcomes] == ["Dossier", "Dossier"], outcomes
    assert {o.pk for o in outcomes} == {draft.pk}
    assert DossierEvent.objects.filter(dossier=draft, action="submit").count() == 1
    assert Dossier.objects.get(pk=draft.pk).status == Status.SUBMITTED


def test_parallel_receptions_get_unique_gap_free_codes_per_desk_per_day(clerk, agency):
    """8 workers × 25 receptions over two desks and two days: every (desk, day) numbering is
    1, 2, 3 … without a gap or a repeat, even with receptions that fail and roll back."""
    other_desk = AgencyFactory.create(name="UBND xã Hữu Lũng", kind="commune", is_receiving_point=True)
    other_clerk = StaffFactory.create(full_name="Lăng Thị Thu")
    MembershipFactory.create(user=other_clerk, agency=other_desk, role=Role.CLERK)
    version = commune_procedure(components=0)
    days = [MONDAY_MORNING, MONDAY_MORNING + dt.timedelta(days=1)]
    workers, per_worker = 8, 25
    plan: list[list[tuple[Dossier, Any, dt.datetime]]] = [[] for _ in range(workers)]
    for w in range(workers):
        for i in range(per_worker):
            desk_clerk = clerk if (w + i) % 2 == 0 else other_clerk
            commune = agency if desk_clerk is clerk else other_desk
            dossier = counter_dossier(clerk=desk_clerk, commune=commune, version=version, attach=False)
            plan[w].append((dossier, desk_clerk, days[i % 2] + dt.timedelta(minutes=w)))

    def work(w: int) -> list[str]:
        codes = []
        for i, (dossier, desk_clerk, at) in enumerate(plan[w]):
            if i % 10 == 9:  # a reception that fails after taking its number
                try:
                    with transaction.atomic():
                        dossier_receive(dossier=Dossier.objects.get(pk=dossier.pk), actor=desk_clerk, now=at)
                        raise RuntimeError("printer jammed")
                except RuntimeError:
                    pass
            received = dossier_receive(dossier=Dossier.objects.get(pk=dossier.pk), actor=desk_clerk, now=at)
            assert received.code is not None
            codes.append(received.code)
        return codes

    results = _in_threads(workers, work)
    errors = [r for r in results if isinstance(r, Exception)]
    assert errors == []
    codes = [code for result in results for code in result]
    assert len(codes) == workers * per_worker
    assert len(set(codes)) == len(codes)
    assert all(QCVN102_CODE_RE.match(code) for code in codes)
    numbering: dict[tuple[str, str], list[int]] = defaultdict(list)
    for code in codes:
        prefix, day, sequence = code.rsplit("-", 2)
        numbering[(prefix, day)].append(int(sequence))
    assert set(numbering) == {
        (agency.qcvn_code, "250908"),
        (agency.qcvn_code, "250909"),
        (other_desk.qcvn_code, "250908"),
        (other_desk.qcvn_code, "250909"),
    }
    for numbers in numbering.values():
        assert sorted(numbers) == list(range(1, len(numbers) + 1))
    assert sum(len(n) for n in numbering.values()) == 200
    assert Dossier.objects.filter(status=Status.RECEIVED).count() == 200
