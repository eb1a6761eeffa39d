"""Who sees the operations centre and which units, with the personas of the root conftest."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from accounts.models import Role
from accounts.tests.factories import MembershipFactory, StaffFactory
from agencies.models import Agency
from agencies.tests.factories import AgencyFactory, DeskFactory
from indicators.models import Aggregation, Indicator, Periodicity, ReportForm, Source, Unit
from indicators.permissions import access_indicator_by_code, can_review, can_view_ioc, visible_unit_ids

pytestmark = pytest.mark.django_db


def staff(agency, role=Role.SPECIALIST, username=None):
    user = StaffFactory(username=username or f"u{agency.pk}{role}")
    MembershipFactory(user=user, agency=agency, role=role)
    return user


@pytest.fixture
def department(db):
    return AgencyFactory(name="Sở Khoa học và Công nghệ", kind=Agency.Kind.DEPARTMENT)


def test_any_civil_servant_with_a_role_sees_the_ioc_others_do_not(clerk, leader, admin, citizen, api_client):
    assert can_view_ioc(clerk)
    assert can_view_ioc(leader)
    assert can_view_ioc(admin)
    assert not can_view_ioc(citizen)
    assert not can_view_ioc(api_client.user)
    assert not can_view_ioc(AnonymousUser())


def test_commune_staff_see_their_commune_province_staff_see_every_unit(
    agency, other_agency, clerk, specialist, clerk_other_agency, admin, department, citizen
):
    desk = DeskFactory(parent=agency)
    desk_clerk = staff(desk, Role.CLERK)
    division = AgencyFactory(name="Phòng Bưu chính, Viễn thông", kind=Agency.Kind.DIVISION, parent=department)
    centre = AgencyFactory(name="Trung tâm Phục vụ hành chính công tỉnh", kind=Agency.Kind.SERVICE_CENTER)

    assert visible_unit_ids(clerk) == visible_unit_ids(specialist) == frozenset({agency.pk})
    assert visible_unit_ids(desk_clerk) == frozenset({agency.pk})
    assert visible_unit_ids(clerk_other_agency) == frozenset({other_agency.pk})
    assert visible_unit_ids(admin) is None
    assert visible_unit_ids(staff(department)) is None
    assert visible_unit_ids(staff(division, Role.DEPARTMENT_LEADER)) is None
    assert visible_unit_ids(staff(centre, Role.CLERK)) is None
    assert visible_unit_ids(citizen) == frozenset()
    assert visible_unit_ids(AnonymousUser()) == frozenset()


def test_someone_with_roles_in_two_communes_sees_both(agency, other_agency, clerk):
    MembershipFactory(user=clerk, agency=other_agency, role=Role.CLERK)

    assert visible_unit_ids(clerk) == frozenset({agency.pk, other_agency.pk})


def _indicator(code, **fields):
    defaults = {
        "name": code,
        "unit": Unit.PERCENT,
        "source": Source.REPORTED,
        "periodicity": Periodicity.QUARTER,
        "aggregation": Aggregation.RATIO,
    }
    defaults.update(fields)
    return Indicator.objects.create(code=code, **defaults)


def test_an_indicator_by_code_is_not_found_when_unknown_inactive_or_unpublished_for_the_public(
    clerk, citizen
):
    public = _indicator("HT-01", published=True)
    internal = _indicator("HT-09")
    _indicator("OLD", is_active=False, published=True)

    assert access_indicator_by_code(clerk, "HT-01") == public
    assert access_indicator_by_code(clerk, "HT-09") == internal
    assert access_indicator_by_code(citizen, "HT-01") == public
    assert access_indicator_by_code(AnonymousUser(), "HT-01") == public
    for user, code in ((citizen, "HT-09"), (AnonymousUser(), "HT-09"), (clerk, "OLD"), (clerk, "NONE")):
        with pytest.raises(Http404):
            access_indicator_by_code(user, code)


def test_reviewers_are_specialists_and_leaders_of_the_reviewer_agency(department, leader, clerk, admin):
    form = ReportForm.objects.create(
        code="F",
        name="Biểu",
        periodicity=Periodicity.QUARTER,
        reporting_kinds=["commune"],
        reviewer=department,
    )
    division = AgencyFactory(kind=Agency.Kind.DIVISION, parent=department)

    assert can_review(staff(department, Role.SPECIALIST), form)
    assert can_review(staff(department, Role.AGENCY_LEADER), form)
    assert can_review(staff(division, Role.DEPARTMENT_LEADER), form)
    assert can_review(admin, form)
    assert not can_review(staff(department, Role.CLERK), form)
    assert not can_review(leader, form)  # a leader of a commune
    assert not can_review(clerk, form)
