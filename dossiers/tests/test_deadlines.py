"""Due dates on the working-day calendar (Tết, the make-up Saturday 26/4/2025, the 15:00
cut-off), the transfer deadline of Decree 61/2018 Art. 18, and step timeliness (Mẫu 05)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from accounts.models import Role
from accounts.tests.factories import MembershipFactory, StaffFactory
from agencies.tests.factories import AgencyFactory
from catalog.models import ProcedureVersion
from catalog.tests.factories import ProcedureVersionFactory
from dossiers.models import DossierEvent, DossierStep
from dossiers.services import ApplicantData, dossier_counter_create, dossier_forward, dossier_receive
from dossiers.services.clock import step_timeliness, transfer_due
from dossiers.tests.factories import VN, commune_procedure, received_dossier

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar")]


def at(year, month, day, hour=0, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=VN)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # Tết 2026 is Mon 16/2 – Fri 20/2: five working days from Friday 13/2 end on Friday 27/2.
        (at(2026, 2, 13, 10), at(2026, 2, 27, 10)),
        # After the 15:00 cut-off the clock starts the next working day — here after Tết.
        (at(2026, 2, 13, 16), at(2026, 3, 2, 7, 30)),
        # Received on the eve of Tết (a day off): the clock starts on the first day back.
        (at(2026, 2, 16, 9), at(2026, 3, 2, 7, 30)),
        # An ordinary week.
        (at(2025, 9, 8, 9), at(2025, 9, 15, 9)),
    ],
)
def test_due_dates_across_tet(received, due, citizen, clerk, agency):
    dossier = received_dossier(applicant=citizen, clerk=clerk, commune=agency, now=received)
    assert dossier.due_at == due
    assert dossier.original_due_at == due


@pytest.fixture
def old_commune(db):
    """A commune that existed in April 2025, with its clerk, and a procedure in force then."""
    commune = AgencyFactory.create(
        name="UBND xã Chi Lăng", kind="commune", is_receiving_point=True, valid_from=dt.date(2025, 1, 1)
    )
    clerk = StaffFactory.create(full_name="Mã Thị Hằng")
    MembershipFactory.create(user=clerk, agency=commune, role=Role.CLERK)
    version = ProcedureVersionFactory.create(
        level=ProcedureVersion.Level.COMMUNE, effective_from=dt.date(2025, 1, 1), processing_time=Decimal(5)
    )
    return commune, clerk, version


def _counter_received(commune, clerk, version, when):
    dossier = dossier_counter_create(
        actor=clerk,
        procedure_version=version,
        applicant=ApplicantData(name="Hà Văn Sơn"),
        commune=commune,
        now=when,
    )
    return dossier_receive(dossier=dossier, actor=clerk, now=when)


def test_the_make_up_saturday_26_4_2025_counts_and_30_4_to_2_5_do_not(old_commune):
    commune, clerk, version = old_commune
    dossier = _counter_received(commune, clerk, version, at(2025, 4, 24, 10))
    # Fri 25/4, Sat 26/4 (worked), Mon 28/4, Tue 29/4, then 30/4–4/5 off: Monday 05/5/2025.
    assert dossier.due_at == at(2025, 5, 5, 10)
    assert dossier.code.endswith("-250424-0001")


def test_a_dossier_received_on_the_make_up_saturday_starts_at_once(old_commune):
    commune, clerk, version = old_commune
    dossier = _counter_received(commune, clerk, version, at(2025, 4, 26, 9))
    assert dossier.clock_started_at == at(2025, 4, 26, 9)
    assert dossier.due_at == at(2025, 5, 7, 9)  # 28/4, 29/4, 5/5, 6/5, 7/5
    assert dossier.code.endswith("-250426-0001")


def test_a_time_limit_in_hours(citizen, clerk, agency):
    version = commune_procedure(processing_time=4, unit=ProcedureVersion.TimeUnit.WORKING_HOURS)
    dossier = received_dossier(
        applicant=citizen, clerk=clerk, commune=agency, version=version, now=at(2025, 9, 8, 10)
    )
    assert dossier.due_at == at(2025, 9, 8, 15, 30)  # 10:00–11:30, then 13:00 + 2.5 h


def test_half_a_working_day_is_four_working_hours(citizen, clerk, agency):
    version = commune_procedure(processing_time=Decimal("0.5"))
    dossier = received_dossier(
        applicant=citizen, clerk=clerk, commune=agency, version=version, now=at(2025, 9, 8, 14)
    )
    assert dossier.due_at == at(2025, 9, 9, 8, 30)  # 14:00–17:00 is 3 h; the fourth runs 07:30–08:30


def test_received_in_the_morning_the_transfer_is_due_the_same_day(citizen, clerk, agency):
    dossier = received_dossier(applicant=citizen, clerk=clerk, commune=agency, now=at(2025, 9, 8, 10))
    assert dossier.received_at is not None
    assert transfer_due(received_at=dossier.received_at, agency=agency) == at(2025, 9, 8, 17)
    dossier_forward(dossier=dossier, actor=clerk, now=at(2025, 9, 9, 8))
    event = DossierEvent.objects.get(dossier=dossier, action="forward")
    assert event.data["late_transfer"] is True
    assert event.data["transfer_due_at"] == at(2025, 9, 8, 17).isoformat()
    assert dossier.transferred_at == at(2025, 9, 9, 8)


@pytest.mark.parametrize(
    ("transferred", "late"), [(at(2025, 9, 9, 8, 15), False), (at(2025, 9, 9, 10), True)]
)
def test_received_after_15h_the_transfer_is_due_at_the_start_of_the_next_day(
    transferred, late, citizen, clerk, agency
):
    dossier = received_dossier(applicant=citizen, clerk=clerk, commune=agency, now=at(2025, 9, 8, 15, 30))
    assert dossier.clock_started_at == at(2025, 9, 9, 7, 30)
    dossier_forward(dossier=dossier, actor=clerk, now=transferred)
    event = DossierEvent.objects.get(dossier=dossier, action="forward")
    assert event.data["transfer_due_at"] == at(2025, 9, 9, 8, 30).isoformat()
    assert event.data["late_transfer"] is late


@pytest.mark.parametrize(
    ("finished", "expected"),
    [
        (at(2025, 9, 8, 9), DossierStep.Timeliness.EARLY),  # 1 h of 2
        (at(2025, 9, 8, 9, 45), DossierStep.Timeliness.ON_TIME),  # 1 h 45, counted in half-hours: 2 h
        (at(2025, 9, 8, 10), DossierStep.Timeliness.ON_TIME),  # exactly 2 h
        (at(2025, 9, 8, 10, 1), DossierStep.Timeliness.LATE),
        (at(2025, 9, 9, 8), DossierStep.Timeliness.LATE),
    ],
)
def test_step_timeliness_compares_working_minutes_with_the_budget(finished, expected, agency):
    started = at(2025, 9, 8, 8)
    assert (
        step_timeliness(started_at=started, finished_at=finished, budget_hours=Decimal(2), agency=agency)
        == expected
    )


def test_a_step_across_lunch_and_a_weekend_counts_only_working_time(agency):
    started = at(2025, 9, 12, 16)  # Friday 16:00
    finished = at(2025, 9, 15, 8, 30)  # Monday 08:30: 1 h + 1 h of working time
    assert (
        step_timeliness(started_at=started, finished_at=finished, budget_hours=Decimal(2), agency=agency)
        == DossierStep.Timeliness.ON_TIME
    )
