"""Who sees and who acts on which dossier, the work queues of each role, and the public lookup."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from django.http import Http404

from accounts.models import ApiClient, Role
from accounts.services import api_client_create
from accounts.tests.factories import MembershipFactory, StaffFactory
from agencies.tests.factories import AgencyFactory
from dossiers.errors import TransitionNotAllowed
from dossiers.models import Dossier, Status
from dossiers.permissions import access_dossier_by_code, access_dossier_by_reference, actor_kinds, can_act
from dossiers.selectors import (
    dossier_timeline,
    public_lookup,
    queue_due_soon,
    queue_overdue,
    queue_to_assign,
    queue_to_process,
    queue_to_receive,
)
from dossiers.services import (
    dossier_forward,
    dossier_inter_agency_start,
    dossier_receive,
    dossier_refuse,
    dossier_withdraw,
)
from dossiers.tests.factories import (
    MONDAY_MORNING,
    counter_dossier,
    dossier_at_step,
    online_draft,
    received_dossier,
    submitted_dossier,
)
from dossiers.transitions import Action, ActorKind

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar")]


def visible(user):
    return set(Dossier.objects.restrict(user, "view").values_list("pk", flat=True))


def test_a_clerk_of_another_agency_neither_sees_nor_acts(citizen, clerk, clerk_other_agency, agency):
    dossier = submitted_dossier(applicant=citizen, commune=agency)
    assert dossier.pk in visible(clerk)
    assert dossier.pk not in visible(clerk_other_agency)
    with pytest.raises(Http404):
        access_dossier_by_reference(clerk_other_agency, dossier.reference)
    assert not can_act(clerk_other_agency, dossier, Action.RECEIVE)
    for act in (
        lambda: dossier_receive(dossier=dossier, actor=clerk_other_agency),
        lambda: dossier_refuse(dossier=dossier, actor=clerk_other_agency, reason="Không thuộc thẩm quyền"),
        lambda: dossier_withdraw(dossier=dossier, actor=clerk_other_agency, reason="Đơn rút"),
    ):
        with pytest.raises(TransitionNotAllowed, match="không được giao việc"):
            act()
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED

    dossier_receive(dossier=dossier, actor=clerk, now=MONDAY_MORNING)
    assert dossier.code is not None
    assert access_dossier_by_code(clerk, dossier.code) == dossier
    with pytest.raises(Http404):
        access_dossier_by_code(clerk_other_agency, dossier.code)
    with pytest.raises(Http404):
        access_dossier_by_code(clerk, "000.00.00.H40-250908-9999")  # missing answers the same


def test_citizens_see_their_own_dossiers_drafts_included(citizen, other_citizen, agency):
    draft = online_draft(applicant=citizen, commune=agency, attach=False)
    assert visible(citizen) == {draft.pk}
    assert visible(other_citizen) == set()
    with pytest.raises(Http404):
        access_dossier_by_reference(other_citizen, draft.reference)
    assert actor_kinds(citizen, draft) == {ActorKind.APPLICANT}
    assert actor_kinds(other_citizen, draft) == frozenset()


def test_staff_do_not_see_an_online_draft_but_see_the_counter_drafts_of_their_desk(citizen, clerk, agency):
    online = online_draft(applicant=citizen, commune=agency, attach=False)
    counter = counter_dossier(clerk=clerk, commune=agency, attach=False)
    assert visible(clerk) == {counter.pk}
    assert online.pk not in visible(clerk)


def test_the_province_admin_sees_every_dossier_and_anonymous_none(citizen, clerk, agency, admin):
    from django.contrib.auth.models import AnonymousUser

    dossier = received_dossier(applicant=citizen, clerk=clerk, commune=agency)
    assert dossier.pk in visible(admin)
    assert visible(AnonymousUser()) == set()
    assert ActorKind.PROVINCE_ADMIN in actor_kinds(admin, dossier)
    assert not can_act(admin, dossier, Action.FORWARD)  # sees, but does not do the desk's work


def test_an_integration_client_sees_what_it_submitted(api_client, citizen, clerk, agency):
    own = received_dossier(applicant=citizen, clerk=clerk, commune=agency)
    assert own.pk not in visible(api_client.user)
    Dossier.objects.filter(pk=own.pk).update(submitted_by=api_client.user)
    assert own.pk in visible(api_client.user)
    desk_client = api_client_create(name="Phần mềm một cửa xã", scopes=[])
    ApiClient.objects.filter(pk=desk_client.pk).update(agency=agency)
    assert own.pk in visible(desk_client.user)


def test_the_agency_of_a_lien_thong_task_sees_the_dossier(citizen, clerk, specialist, agency):
    dossier = dossier_at_step(2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)
    registry = AgencyFactory.create(name="Văn phòng đăng ký đất đai", kind="other")
    registrar = StaffFactory.create()
    MembershipFactory.create(user=registrar, agency=registry, role=Role.SPECIALIST)
    assert dossier.pk not in visible(registrar)
    dossier_inter_agency_start(
        dossier=dossier,
        actor=specialist,
        agency=registry,
        task="Trích lục thửa đất",
        budget_hours=4,
        now=MONDAY_MORNING + dt.timedelta(hours=2),
    )
    assert dossier.pk in visible(registrar)
    assert actor_kinds(registrar, dossier) == {ActorKind.TASK_HOLDER}
    assert can_act(registrar, dossier, Action.FINISH_INTER_AGENCY)
    for action in (Action.FORWARD, Action.RESOLVE, Action.STOP, Action.REQUEST_SUPPLEMENT, Action.APOLOGISE):
        assert not can_act(registrar, dossier, action), action
    with pytest.raises(TransitionNotAllowed):
        dossier_forward(dossier=dossier, actor=registrar, now=MONDAY_MORNING + dt.timedelta(hours=3))
    assert not can_act(specialist, dossier, Action.FINISH_INTER_AGENCY)


def test_the_queues_of_each_role(citizen, clerk, specialist, leader, agency, clerk_other_agency):
    waiting = submitted_dossier(applicant=citizen, commune=agency)
    counter = counter_dossier(clerk=clerk, commune=agency)
    received = received_dossier(applicant=citizen, clerk=clerk, commune=agency)
    appraising = dossier_at_step(2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)
    unassigned = received_dossier(applicant=citizen, clerk=clerk, commune=agency)
    dossier_forward(dossier=unassigned, actor=clerk, now=MONDAY_MORNING + dt.timedelta(hours=1))

    assert set(queue_to_receive(clerk)) == {waiting, counter}
    assert set(queue_to_receive(clerk_other_agency)) == set()
    assert set(queue_to_process(clerk)) == {received}
    assert set(queue_to_process(specialist)) == {appraising, unassigned}
    assert set(queue_to_process(leader)) == set()
    assert set(queue_to_assign(leader)) == {unassigned}
    assert set(queue_to_assign(specialist)) == set()
    assert set(queue_to_process(citizen)) == set()

    due = appraising.due_at
    assert due is not None
    assert set(queue_overdue(specialist, now=due - dt.timedelta(minutes=1))) == set()
    assert appraising in set(queue_overdue(specialist, now=due + dt.timedelta(minutes=1)))
    soon = set(queue_due_soon(specialist, within_hours=Decimal(8), now=due - dt.timedelta(hours=2)))
    assert appraising in soon
    assert set(queue_due_soon(specialist, within_hours=Decimal(1), now=due - dt.timedelta(days=3))) == set()
    assert set(queue_overdue(clerk_other_agency, now=due + dt.timedelta(days=30))) == set()


def test_the_timeline_lists_the_history_in_order(citizen, clerk, specialist, agency):
    dossier = dossier_at_step(2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)
    rows = dossier_timeline(dossier)
    assert [row.action for row in rows] == ["submit", "receive", "forward"]
    assert [row.sequence for row in rows] == [1, 2, 3]


def test_the_public_lookup_tells_the_stage_and_nothing_personal(citizen, clerk, specialist, agency):
    citizen.phone = "0912000111"
    citizen.address = "Số 5 đường Lê Lợi, phường Tam Thanh"
    citizen.save()
    dossier = dossier_at_step(2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)
    found = public_lookup(f"  {dossier.code} ")
    assert found is not None
    assert {f.name for f in dataclasses.fields(found)} == {"code", "procedure_name", "stage", "due_date"}
    assert (found.code, found.procedure_name, found.stage, found.due_date) == (
        dossier.code,
        dossier.procedure_version.name,
        "Đang giải quyết",
        dt.date(2025, 9, 15),
    )
    text = repr(dataclasses.asdict(found))
    for personal in (
        dossier.applicant_name,
        dossier.applicant_national_id,
        dossier.applicant_phone,
        dossier.applicant_email,
        dossier.applicant_address,
        specialist.get_full_name(),
        dossier.reference,
    ):
        assert personal
        assert personal not in text
    assert public_lookup("000.00.00.H40-250908-9999") is None


def test_a_draft_or_unknown_reference_is_not_found_publicly(citizen, agency):
    draft = online_draft(applicant=citizen, commune=agency, attach=False)
    assert public_lookup(draft.reference) is None
