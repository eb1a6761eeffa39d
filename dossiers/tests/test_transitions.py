"""The transition table: what may happen from which status, by whom; one history row and one
event per change; the optimistic lock."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import transaction

from dossiers.errors import ConcurrentUpdate, DossierError, TransitionNotAllowed
from dossiers.models import Dossier, DossierEvent, Status
from dossiers.permissions import can_act
from dossiers.services import dossier_forward, dossier_receive
from dossiers.tests.factories import MONDAY_MORNING, DossierFactory, received_dossier, submitted_dossier
from dossiers.transitions import TRANSITIONS, Action, ActorKind, allowed_actions, transition, transition_for

pytestmark = pytest.mark.usefixtures("calendar")

FORBIDDEN_PAIRS = [
    (action, status)
    for action, status in itertools.product(Action.values, Status.values)
    if transition_for(action, status) is None
]


def test_the_table_covers_every_action_and_only_known_statuses():
    assert {row.action for row in TRANSITIONS} == set(Action.values)
    for row in TRANSITIONS:
        assert row.sources <= set(Status.values)
        assert row.actors
    # Closed dossiers go nowhere, except that a returned one may be rated.
    assert allowed_actions(Status.NOT_ACCEPTED) == []
    assert allowed_actions(Status.WITHDRAWN) == []
    assert allowed_actions(Status.STOPPED) == []
    assert allowed_actions(Status.RETURNED) == [Action.RATE]


def test_there_are_many_forbidden_pairs_to_check():
    assert len(FORBIDDEN_PAIRS) > 150


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "status"), FORBIDDEN_PAIRS)
def test_every_action_outside_the_table_is_refused_in_vietnamese(action, status, admin):
    dossier = DossierFactory.create(status=status)
    before = dossier.lock_version
    for actor in (None, admin, dossier.applicant):
        with pytest.raises(TransitionNotAllowed) as caught:
            transition(dossier=dossier, action=action, actor=actor)
        assert caught.value.message.startswith("Không thể ")
        assert str(Status(status).label) in caught.value.message
        assert not can_act(actor, dossier, action)
    dossier.refresh_from_db()
    assert dossier.status == status
    assert dossier.lock_version == before
    assert not DossierEvent.objects.filter(dossier=dossier).exists()


@pytest.mark.django_db
def test_a_person_outside_the_row_is_refused_even_from_the_right_status(
    citizen, clerk_other_agency, specialist
):
    dossier = DossierFactory.create(status=Status.SUBMITTED, applicant=citizen)
    for actor in (citizen, clerk_other_agency, specialist, None):
        with pytest.raises(TransitionNotAllowed) as caught:
            transition(dossier=dossier, action=Action.RECEIVE, actor=actor)
        assert caught.value.message == "Bạn không được giao việc «tiếp nhận hồ sơ» đối với hồ sơ này."
    assert DossierEvent.objects.filter(dossier=dossier).count() == 0


@pytest.mark.django_db
def test_a_change_writes_status_history_row_and_bumps_the_lock(citizen, clerk, agency):
    dossier = submitted_dossier(applicant=citizen, commune=agency)
    assert dossier.lock_version == 1
    dossier_receive(dossier=dossier, actor=clerk, now=MONDAY_MORNING)
    stored = Dossier.objects.get(pk=dossier.pk)
    assert (stored.status, stored.lock_version) == (Status.RECEIVED, 2)
    rows = list(DossierEvent.objects.filter(dossier=dossier).order_by("sequence"))
    assert [(r.sequence, r.action, r.from_status, r.to_status) for r in rows] == [
        (1, "submit", Status.DRAFT, Status.SUBMITTED),
        (2, "receive", Status.SUBMITTED, Status.RECEIVED),
    ]
    assert rows[1].actor == clerk
    assert rows[1].actor_name == "Vi Thị Hoa"
    assert rows[1].agency == agency
    assert rows[1].at == MONDAY_MORNING


@pytest.mark.django_db
def test_the_event_is_emitted_after_commit_only(
    citizen, clerk, agency, emitted, django_capture_on_commit_callbacks
):
    dossier = submitted_dossier(applicant=citizen, commune=agency)
    with django_capture_on_commit_callbacks(execute=True):
        dossier_receive(dossier=dossier, actor=clerk, now=MONDAY_MORNING)
    [event] = [e for e in emitted if e.action == "receive"]
    assert event.dossier_id == dossier.pk
    assert event.code == dossier.code
    assert (event.from_status, event.to_status) == (Status.SUBMITTED, Status.RECEIVED)
    assert event.event_id == DossierEvent.objects.get(dossier=dossier, action="receive").pk

    emitted.clear()
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                dossier_forward(dossier=dossier, actor=clerk, now=MONDAY_MORNING + dt.timedelta(hours=1))
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert emitted == []
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED
    assert DossierEvent.objects.filter(dossier=dossier).count() == 2


@pytest.mark.django_db
def test_a_stale_copy_gets_concurrent_update(citizen, clerk, agency):
    first = received_dossier(applicant=citizen, clerk=clerk, commune=agency)
    second = Dossier.objects.get(pk=first.pk)
    dossier_forward(dossier=first, actor=clerk, now=MONDAY_MORNING + dt.timedelta(hours=1))
    with pytest.raises(ConcurrentUpdate) as caught:
        dossier_forward(dossier=second, actor=clerk, now=MONDAY_MORNING + dt.timedelta(hours=1))
    assert caught.value.message == "Hồ sơ vừa được người khác cập nhật, vui lòng tải lại."
    assert DossierEvent.objects.filter(dossier=first, action="forward").count() == 1


@pytest.mark.django_db
def test_a_form_with_an_old_lock_version_is_refused(citizen, clerk, agency):
    dossier = received_dossier(applicant=citizen, clerk=clerk, commune=agency)
    seen = dossier.lock_version - 1
    with pytest.raises(ConcurrentUpdate):
        dossier_forward(dossier=dossier, actor=clerk, expected_lock_version=seen, now=MONDAY_MORNING)
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED


@pytest.mark.django_db
def test_transition_never_takes_status_or_lock_from_its_caller(citizen, clerk, agency):
    dossier = submitted_dossier(applicant=citizen, commune=agency)
    for field in ("status", "lock_version"):
        with pytest.raises(ValueError, match="writes"):
            transition(dossier=dossier, action=Action.RECEIVE, actor=clerk, updates={field: "x"})


def test_errors_carry_their_vietnamese_message_and_a_stable_code():
    error = TransitionNotAllowed("Không thể nộp hồ sơ.", field_errors={"reason": ["Phải nêu rõ lý do."]})
    assert isinstance(error, DossierError)
    assert str(error) == error.message == "Không thể nộp hồ sơ."
    assert error.code == "transition_not_allowed"
    assert error.field_errors == {"reason": ["Phải nêu rõ lý do."]}
    assert issubclass(ConcurrentUpdate, DossierError)


def test_actor_kinds_of_the_rows_are_the_documented_ones():
    receive = transition_for(Action.RECEIVE, Status.SUBMITTED)
    assert receive is not None
    assert receive.actors == {ActorKind.DESK_CLERK}
    submit = transition_for(Action.SUBMIT, Status.DRAFT)
    assert submit is not None
    assert submit.actors == {ActorKind.APPLICANT, ActorKind.INTEGRATION}


@pytest.mark.django_db
def test_the_history_cannot_be_rewritten_even_in_the_database(citizen, clerk, agency):
    from django.db import DatabaseError

    dossier = received_dossier(applicant=citizen, clerk=clerk, commune=agency)
    event = DossierEvent.objects.filter(dossier=dossier).first()
    assert event is not None
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        DossierEvent.objects.filter(pk=event.pk).update(reason="sửa lịch sử")
    event.refresh_from_db()
    assert event.reason == ""


def test_the_notification_handler_is_registered_at_start_up():
    from dossiers import events
    from dossiers.notifications import on_dossier_changed

    assert on_dossier_changed in events.handlers()
