"""The access layer: facts about people, restrict(), and access_object's "not found" for both
missing and forbidden objects."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone

from accounts.models import Membership, Role
from accounts.permissions import has_role, integration_client, is_province_admin, staff_agency_ids
from accounts.tests.factories import MembershipFactory
from congso.access import access_object

pytestmark = pytest.mark.django_db


def test_staff_agency_ids_are_the_agencies_of_current_roles(clerk, agency, other_agency):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    MembershipFactory(
        user=clerk,
        agency=other_agency,
        role=Role.SPECIALIST,
        valid_from=yesterday - dt.timedelta(days=30),
        valid_to=yesterday,
    )

    assert staff_agency_ids(clerk) == {agency.pk}
    assert staff_agency_ids(clerk, roles=[Role.SPECIALIST]) == set()
    assert staff_agency_ids(clerk, roles=[Role.SPECIALIST], on=yesterday - dt.timedelta(days=1)) == {
        other_agency.pk
    }


def test_people_without_roles_have_no_staff_agencies(citizen, api_client):
    for user in (citizen, AnonymousUser(), api_client.user):
        assert staff_agency_ids(user) == frozenset()
        assert not is_province_admin(user)


def test_a_locked_civil_servant_holds_no_role(clerk, agency):
    clerk.is_active = False
    clerk.save()

    assert staff_agency_ids(clerk) == frozenset()
    assert not has_role(clerk, Role.CLERK, agency)


def test_has_role_is_per_agency_when_asked(clerk, agency, other_agency):
    assert has_role(clerk, Role.CLERK)
    assert has_role(clerk, Role.CLERK, agency)
    assert not has_role(clerk, Role.CLERK, other_agency)
    assert not has_role(clerk, Role.AGENCY_LEADER)


def test_the_province_administrator_is_recognised_by_role_not_by_flags(admin, clerk):
    clerk.is_superuser = True
    clerk.save()

    assert is_province_admin(admin)
    assert not is_province_admin(clerk)


def test_integration_client_is_the_active_client_of_a_service_account(api_client, citizen):
    assert integration_client(api_client.user) == api_client.client
    assert integration_client(citizen) is None
    api_client.client.is_active = False
    api_client.client.save()
    assert integration_client(api_client.user) is None


# --- restrict() on the roles themselves ------------------------------------------------------


def test_everyone_sees_their_own_roles_only(clerk, clerk_other_agency, citizen):
    own = Membership.objects.restrict(clerk, "view")

    assert [m.user for m in own] == [clerk]
    assert not Membership.objects.restrict(citizen, "view").exists()
    assert not Membership.objects.restrict(AnonymousUser(), "view").exists()


def test_a_leader_sees_the_roles_held_in_their_agency_and_not_elsewhere(
    leader, clerk, specialist, clerk_other_agency
):
    seen = {m.user for m in Membership.objects.restrict(leader, "view")}

    assert seen == {leader, clerk, specialist}


def test_the_province_administrator_sees_and_changes_every_role(admin, clerk, clerk_other_agency):
    assert Membership.objects.restrict(admin, "view").count() == 3
    assert Membership.objects.restrict(admin, "change").count() == 3


def test_nobody_else_may_change_roles_even_their_own(clerk, leader):
    assert not Membership.objects.restrict(clerk, "change").exists()
    assert not Membership.objects.restrict(leader, "delete").exists()


def test_an_inactive_account_sees_nothing(admin):
    admin.is_active = False
    admin.save()

    assert not Membership.objects.restrict(admin, "view").exists()


def test_an_undeclared_action_is_a_programming_error(clerk):
    with pytest.raises(ValueError, match="does not know the action 'approve'"):
        Membership.objects.restrict(clerk, "approve")


# --- access_object: 404 for missing and forbidden alike -----------------------------------------


def test_access_object_returns_what_the_user_may_act_on(leader, clerk):
    membership = clerk.memberships.get()

    assert access_object(Membership.objects.all(), leader, "view", pk=membership.pk) == membership


def test_forbidden_and_missing_objects_answer_the_same_404(clerk_other_agency, clerk):
    membership = clerk.memberships.get()

    with pytest.raises(Http404) as forbidden:
        access_object(Membership.objects.all(), clerk_other_agency, "view", pk=membership.pk)
    with pytest.raises(Http404) as missing:
        access_object(Membership.objects.all(), clerk_other_agency, "view", pk=membership.pk + 1000)
    with pytest.raises(Http404) as malformed:
        access_object(Membership.objects.all(), clerk_other_agency, "view", pk="không-phải-số")

    assert str(forbidden.value) == str(missing.value) == str(malformed.value) == "Không tìm thấy."


def test_access_object_checks_the_action_not_just_visibility(leader, clerk):
    membership = clerk.memberships.get()

    with pytest.raises(Http404):
        access_object(Membership.objects.all(), leader, "change", pk=membership.pk)
