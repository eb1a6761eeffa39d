"""The dossier code (Circular 01/2018 Art. 19): receiving agency + reception date + the day's
sequence, unique and gap-free per receiving agency per day."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import transaction

from agencies.tests.factories import AgencyFactory
from dossiers.codes import (
    CODE_FORMATS,
    DECISION20_CODE_RE,
    QCVN102_CODE_RE,
    allocate_dossier_code,
    format_qcvn102,
    register_code_format,
)
from dossiers.models import DossierCodeSequence
from dossiers.services import dossier_receive
from dossiers.tests.factories import MONDAY_MORNING, submitted_dossier

DOMAIN_REGEX = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Y]\d{2}-\d{6}-\d{4}$")  # tthc-requirements.md §4.2
DAY = dt.date(2025, 4, 24)


@pytest.fixture
def desk(db):
    return AgencyFactory.create(
        name="Sở Thông tin", qcvn_code="000.00.31.H40", edoc_code="H40.31", is_receiving_point=True
    )


def _allocate(agency, day=DAY):
    with transaction.atomic():
        return allocate_dossier_code(agency=agency, day=day)


@pytest.mark.django_db
def test_the_first_code_of_the_day_is_the_circulars_example(desk):
    code = _allocate(desk)
    assert code == "000.00.31.H40-250424-0001"
    assert DOMAIN_REGEX.match(code)
    assert QCVN102_CODE_RE.match(code)


@pytest.mark.django_db
def test_the_sequence_counts_per_agency_and_restarts_each_day(desk):
    other = AgencyFactory.create(qcvn_code="000.00.32.H40", edoc_code="H40.32")
    codes = [_allocate(desk), _allocate(desk), _allocate(other), _allocate(desk, DAY + dt.timedelta(days=1))]
    assert codes == [
        "000.00.31.H40-250424-0001",
        "000.00.31.H40-250424-0002",
        "000.00.32.H40-250424-0001",
        "000.00.31.H40-250425-0001",
    ]


@pytest.mark.django_db
def test_decision_20_form(desk, settings):
    settings.CONGSO_DOSSIER_CODE_FORMAT = "decision20"
    code = _allocate(desk)
    assert code == "H40.31-250424-0001"
    assert DECISION20_CODE_RE.match(code)
    assert not DOMAIN_REGEX.match(code)  # the legacy validator rejects the new form


def test_the_domain_regex_accepts_only_the_legacy_form():
    assert DOMAIN_REGEX.match("000.00.31.H40-250424-0001")
    for wrong in (
        "H40.31-250424-0001",
        "000.00.31.H40-25042-0001",
        "000.00.31.Z40-250424-0001",
        "000.00.31.H40-250424-001",
    ):
        assert not DOMAIN_REGEX.match(wrong), wrong
        assert not QCVN102_CODE_RE.match(wrong), wrong


@pytest.mark.django_db
def test_an_agency_without_a_qcvn_code_uses_its_e_id(db):
    commune = AgencyFactory.create(qcvn_code="", edoc_code="H40.05.07")
    assert _allocate(commune) == "H40.05.07-250424-0001"


@pytest.mark.django_db
def test_above_9999_a_day_the_sequence_widens_and_stays_unique(desk):
    DossierCodeSequence.objects.create(agency=desk, day=DAY, last_value=9998)
    assert _allocate(desk) == "000.00.31.H40-250424-9999"
    assert _allocate(desk) == "000.00.31.H40-250424-10000"
    assert _allocate(desk) == "000.00.31.H40-250424-10001"


@pytest.mark.django_db
def test_a_rolled_back_reception_gives_its_number_back(desk):
    assert _allocate(desk).endswith("-0001")
    try:
        with transaction.atomic():
            assert allocate_dossier_code(agency=desk, day=DAY).endswith("-0002")
            raise RuntimeError("reception failed")
    except RuntimeError:
        pass
    assert _allocate(desk).endswith("-0002")


@pytest.mark.django_db(transaction=True)
def test_allocation_outside_a_transaction_is_refused(desk):
    with pytest.raises(RuntimeError, match="inside the reception's transaction"):
        allocate_dossier_code(agency=desk, day=DAY)
    assert not DossierCodeSequence.objects.exists()


@pytest.mark.django_db
def test_format_is_pluggable_and_unknown_formats_fail_loudly(desk, settings):
    register_code_format("test-slash", lambda agency, day, value: f"{agency.edoc_code}/{day:%Y%m%d}/{value}")
    settings.CONGSO_DOSSIER_CODE_FORMAT = "test-slash"
    assert _allocate(desk) == "H40.31/20250424/1"
    CODE_FORMATS.pop("test-slash")
    settings.CONGSO_DOSSIER_CODE_FORMAT = "qcvn999"
    with pytest.raises(RuntimeError, match="qcvn999"):
        _allocate(desk)


def test_format_function_pads_to_four_digits():
    agency = AgencyFactory.build(qcvn_code="000.00.31.H40", edoc_code="H40.31")
    assert format_qcvn102(agency, DAY, 7) == "000.00.31.H40-250424-0007"


@pytest.mark.django_db
@pytest.mark.usefixtures("calendar")
def test_reception_gives_the_code_of_the_receiving_desk_and_day(citizen, clerk, agency):
    first = submitted_dossier(applicant=citizen, commune=agency)
    second = submitted_dossier(applicant=citizen, commune=agency)
    dossier_receive(dossier=first, actor=clerk, now=MONDAY_MORNING)
    dossier_receive(dossier=second, actor=clerk, now=MONDAY_MORNING + dt.timedelta(minutes=5))
    assert first.code == f"{agency.qcvn_code}-250908-0001"
    assert second.code == f"{agency.qcvn_code}-250908-0002"
    first.refresh_from_db()
    assert first.code == f"{agency.qcvn_code}-250908-0001"
