"""Reads of accounts used by several pages and endpoints."""

from __future__ import annotations

from accounts.models import Membership, MembershipQuerySet, Role, User
from accounts.permissions import staff_agency_ids
from congso.access import VIEW, AnyUser

LEADER_ROLES = (Role.AGENCY_LEADER, Role.DEPARTMENT_LEADER)


def current_memberships(user: AnyUser) -> MembershipQuerySet:
    """The roles ``user`` holds today, with their agencies."""
    return (
        Membership.objects.restrict(user, VIEW)
        .held_by(user)
        .current()
        .select_related("agency")
        .order_by("agency__name", "role")
    )


def led_staff(user: User) -> MembershipQuerySet:
    """Today's roles of the other civil servants in the units ``user`` leads."""
    return (
        Membership.objects.restrict(user, VIEW)
        .current()
        .filter(agency_id__in=staff_agency_ids(user, roles=LEADER_ROLES))
        .exclude(user_id=user.pk)
        .select_related("user", "agency")
        .order_by("agency__name", "user__full_name", "role")
    )
