"""Agency codes: both written forms, and the check that they name the same unit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from agencies.codes import (
    AgencyCode,
    edoc_to_qcvn102,
    qcvn102_to_edoc,
    validate_code_pair,
    validate_edoc_code,
    validate_level1_code,
    validate_qcvn102_code,
)
from agencies.tests.factories import AgencyFactory


@pytest.mark.parametrize("code", ["000.00.31.H40", "000.05.31.H40", "123.05.31.H40", "000.00.00.H40"])
def test_qcvn102_accepts_the_four_group_form(code):
    validate_qcvn102_code(code)


@pytest.mark.parametrize(
    "code",
    [
        "H40.31",  # Decision-20 form
        "000.00.31.h40",  # lower case
        "00.00.31.H40",  # level-4 group too short
        "000.00.31.Z40",  # Z is not a level-1 letter
        "000.00.31.H40-250424-0001",  # a dossier code, not an agency code
    ],
)
def test_qcvn102_rejects_other_shapes_in_vietnamese(code):
    with pytest.raises(ValidationError) as error:
        validate_qcvn102_code(code)
    assert "Mã QCVN 102 phải có dạng 000.00.31.H40" in error.value.messages[0]


def test_qcvn102_rejects_a_lower_level_under_an_empty_one():
    with pytest.raises(ValidationError) as error:
        validate_qcvn102_code("000.05.00.H40")
    assert "cấp trên của nó để trống" in error.value.messages[0]


@pytest.mark.parametrize("code", ["H40", "H40.31", "H40.31.05", "A01.1.B2", "H40.100"])
def test_edoc_accepts_level1_first_dotted_groups(code):
    validate_edoc_code(code)


@pytest.mark.parametrize(
    "code", ["h40.31", "000.00.31.H40", "H40..31", "H40.31.", "H4.31", "H40." + "1" * 32]
)
def test_edoc_rejects_bad_codes_in_vietnamese(code):
    with pytest.raises(ValidationError) as error:
        validate_edoc_code(code)
    assert "tối đa 35 ký tự" in error.value.messages[0]


def test_level1_code_is_a_letter_and_two_digits():
    validate_level1_code("H40")
    with pytest.raises(ValidationError, match="Mã cấp 1"):
        validate_level1_code("H4")


@pytest.mark.parametrize(
    ("qcvn", "edoc"),
    [
        ("000.00.31.H40", "H40.31"),
        ("000.05.31.H40", "H40.31.05"),
        ("012.05.31.H40", "H40.31.05.012"),
        ("000.00.00.H40", "H40"),
    ],
)
def test_the_two_forms_convert_both_ways(qcvn, edoc):
    assert qcvn102_to_edoc(qcvn) == edoc
    assert edoc_to_qcvn102(edoc) == qcvn


@pytest.mark.parametrize("edoc", ["H40.1", "H40.100", "H40.31.05.012.1", "H40.AB", "H40.00"])
def test_a_decision20_code_without_a_qcvn_form_gives_none(edoc):
    assert edoc_to_qcvn102(edoc) is None


@given(st.integers(1, 99), st.integers(0, 99), st.integers(0, 999))
def test_every_well_formed_qcvn_code_round_trips(level2, level3, level4):
    if level3 == 0:
        level4 = 0
    qcvn = f"{level4:03d}.{level3:02d}.{level2:02d}.H40"
    assert edoc_to_qcvn102(qcvn102_to_edoc(qcvn)) == qcvn


def test_child_codes_keep_both_forms_while_they_fit():
    province = AgencyCode.for_level1("H40")
    department = province.child(8)
    assert department == AgencyCode(edoc="H40.08", qcvn="000.00.08.H40")
    assert department.child(1) == AgencyCode(edoc="H40.08.01", qcvn="000.01.08.H40")
    assert province.child(100) == AgencyCode(edoc="H40.100", qcvn="")


def test_a_mismatched_pair_is_refused_with_the_expected_code():
    validate_code_pair(qcvn_code="000.00.31.H40", edoc_code="H40.31")
    validate_code_pair(qcvn_code="", edoc_code="H40.100")
    with pytest.raises(ValidationError) as error:
        validate_code_pair(qcvn_code="000.00.31.H40", edoc_code="H40.32")
    assert error.value.message_dict["edoc_code"] == [
        "Mã định danh H40.32 không khớp với mã QCVN 102 000.00.31.H40 (phải là H40.31)."
    ]


@pytest.mark.django_db
def test_an_agency_with_inconsistent_codes_does_not_validate():
    agency = AgencyFactory.build(qcvn_code="000.00.31.H40", edoc_code="H40.13")
    with pytest.raises(ValidationError) as error:
        agency.full_clean()
    assert "không khớp với mã QCVN 102" in error.value.message_dict["edoc_code"][0]


@pytest.mark.django_db
def test_two_current_agencies_cannot_share_a_code_but_history_can():
    AgencyFactory.create(qcvn_code="000.00.31.H40", edoc_code="H40.31")
    duplicate = AgencyFactory.build(qcvn_code="000.00.31.H40", edoc_code="H40.31")
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "Mã định danh này đang được một cơ quan khác sử dụng." in error.value.messages
    closed = AgencyFactory.build(
        qcvn_code="000.00.31.H40",
        edoc_code="H40.31",
        valid_from=dt.date(2019, 1, 1),
        valid_to=dt.date(2025, 3, 1),
    )
    closed.full_clean()
