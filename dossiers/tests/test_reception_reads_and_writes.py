"""What a reception reads and writes, and in how many transactions: the clerk's roles read once,
the notices queued with the reception itself, the text the back office finds the dossier by; and
the scope of a civil servant whose agency takes part in very many liên thông dossiers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from accounts.tests.factories import MembershipFactory, StaffFactory
from agencies.tests.factories import AgencyFactory
from dossiers import permissions
from dossiers.models import Dossier, DossierStep
from dossiers.services import ApplicantData, dossier_draft_update, dossier_inter_agency_start, dossier_receive
from dossiers.tests.factories import MONDAY_MORNING, counter_dossier, dossier_at_step, online_draft
from dossiers.transitions import record_refused_attempt
from jobs.models import Job

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar")]

NOTIFY = "dossiers.tasks.applicant_notify"
RENDER = "dossiers.slips.tasks.render_slip_pdf"


def test_the_clerks_roles_are_read_once_per_reception(clerk, agency):
    dossier = counter_dossier(clerk=clerk, commune=agency)

    with CaptureQueriesContext(connection) as queries:
        dossier_receive(dossier=dossier, actor=clerk, now=MONDAY_MORNING)

    memberships = [q for q in queries.captured_queries if '"accounts_membership"' in q["sql"]]
    assert len(memberships) == 1


def test_the_notice_and_the_slip_are_queued_in_the_receptions_own_transaction(clerk, agency):
    dossier = counter_dossier(clerk=clerk, commune=agency)
    before = set(Job.objects.values_list("pk", flat=True))

    dossier_receive(dossier=dossier, actor=clerk, now=MONDAY_MORNING)  # the test's transaction: no commit

    queued = Job.objects.exclude(pk__in=before)
    assert sorted(queued.values_list("func", flat=True)) == sorted([NOTIFY, RENDER])


def test_a_reception_rolled_back_leaves_no_notice_behind(clerk, agency):
    dossier = counter_dossier(clerk=clerk, commune=agency)
    before = set(Job.objects.values_list("pk", flat=True))

    def receive_then_fail() -> None:
        with transaction.atomic():
            dossier_receive(dossier=dossier, actor=clerk, now=MONDAY_MORNING)
            raise RuntimeError("lỗi xảy ra sau khi tiếp nhận, trong cùng yêu cầu")

    with pytest.raises(RuntimeError, match="sau khi tiếp nhận"):
        receive_then_fail()

    dossier.refresh_from_db()
    assert dossier.code is None
    assert not Job.objects.exclude(pk__in=before).exists()


def test_the_dossier_is_found_by_what_it_says_folded_and_by_its_code_once_received(clerk, citizen, agency):
    counter = counter_dossier(
        clerk=clerk,
        commune=agency,
        applicant=ApplicantData(name="Hoàng Văn Đức", phone="0987654321", organization_name="HTX Mẫu Sơn"),
    )
    draft = online_draft(applicant=citizen, commune=agency, attach=False)
    assert "hoang van duc" in counter.search_text
    assert "htx mau son" in counter.search_text
    assert "0987654321" in counter.search_text
    assert counter.reference.lower() in counter.search_text

    dossier_draft_update(
        dossier=counter, actor=clerk, applicant=ApplicantData(name="Hoàng Thị Lụa"), now=MONDAY_MORNING
    )
    dossier_receive(dossier=counter, actor=clerk, now=MONDAY_MORNING)
    stored = Dossier.objects.get(pk=counter.pk)

    assert "hoang thi lua" in stored.search_text
    assert "hoang van duc" not in stored.search_text
    assert stored.code is not None
    assert stored.code.replace(".", " ").replace("-", " ").lower() in stored.search_text
    assert citizen.get_full_name().split()[-1].lower() in Dossier.objects.get(pk=draft.pk).search_text


def test_an_agency_in_very_many_lien_thong_dossiers_still_sees_exactly_them(
    monkeypatch, citizen, clerk, specialist, agency
):
    registry = AgencyFactory.create(name="Văn phòng đăng ký đất đai", kind="other")
    registrar = StaffFactory.create()
    MembershipFactory.create(user=registrar, agency=registry, role=Role.SPECIALIST)
    dossiers = [
        dossier_at_step(2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)
        for _ in range(3)
    ]
    for number, dossier in enumerate(dossiers[:2]):
        dossier_inter_agency_start(
            dossier=dossier,
            actor=specialist,
            agency=registry,
            role=Role.SPECIALIST,
            task=f"Trích lục thửa đất số {number}",
            budget_hours=4,
            now=MONDAY_MORNING + dt.timedelta(hours=2),
        )
    expected = {d.pk for d in dossiers[:2]}
    assert DossierStep.objects.filter(agency=registry, is_inter_agency=True).count() == 2

    named = set(Dossier.objects.restrict(registrar, "view").values_list("pk", flat=True))
    monkeypatch.setattr(permissions, "INTER_AGENCY_INLINE_MAX", 1)  # more than that: a subquery
    asked = set(Dossier.objects.restrict(registrar, "view").values_list("pk", flat=True))

    assert named == asked == expected


def test_a_reception_makes_no_savepoint_and_numbers_its_history_in_the_insert(clerk, agency):
    dossier = counter_dossier(clerk=clerk, commune=agency)

    with CaptureQueriesContext(connection) as queries:
        dossier_receive(dossier=dossier, actor=clerk, now=MONDAY_MORNING)

    statements = [q["sql"] for q in queries.captured_queries]
    # The test's transaction wraps the call, so the reception's own block is a savepoint; the
    # transition and the slip inside it add none.
    assert len([sql for sql in statements if sql.upper().startswith("SAVEPOINT")]) == 1
    assert not [sql for sql in statements if sql.lstrip().upper().startswith("SELECT MAX")]
    assert list(dossier.events.order_by("sequence").values_list("sequence", flat=True)) == [1]


def test_history_numbers_follow_on_without_gaps_across_changes(clerk, agency):
    dossier = counter_dossier(clerk=clerk, commune=agency)
    dossier_receive(dossier=dossier, actor=clerk, now=MONDAY_MORNING)

    record_refused_attempt(dossier=dossier, action="apologise", actor=clerk, message="thử lại")
    assert list(dossier.events.order_by("sequence").values_list("sequence", flat=True)) == [1, 2]
