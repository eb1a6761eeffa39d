"""Who a person is, for the access layer; and the guard of the staff pages.

The access layer is described once, in ``congso/access.py``: lists come from
``Model.objects.restrict(user, action)``, single objects from ``access_<thing>_by_<key>``
functions built on ``congso.access.access_object`` (404 for missing and forbidden alike), and
API clients are held to their scopes by ``accounts.api.permissions.HasScope``.

This module holds the facts every app's rules are written with — which agencies a civil
servant works in and in which role, whether they administer the province, which integration
client a service account belongs to — and ``staff_required``, the decorator of every
back-office page. Facts are read from current ``Membership`` rows, never from Django's
``is_staff``/``is_superuser`` flags, which only open the Django admin.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from functools import update_wrapper
from typing import Concatenate, ParamSpec

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.models import ApiClient, Membership, Role, User
from agencies.models import Agency
from congso.access import AnyUser

_P = ParamSpec("_P")
_View = Callable[Concatenate[HttpRequest, _P], HttpResponse]


def staff_agency_ids(
    user: AnyUser, roles: Iterable[str] | None = None, on: dt.date | None = None
) -> frozenset[int]:
    """The agencies where ``user`` holds one of ``roles`` (any role when None) on day ``on``."""
    memberships = Membership.objects.held_by(user).active_on(on or timezone.localdate())
    if roles is not None:
        memberships = memberships.filter(role__in=list(roles))
    return frozenset(memberships.values_list("agency_id", flat=True))


def has_role(user: AnyUser, role: str, agency: Agency | None = None) -> bool:
    """Whether ``user`` holds ``role`` today, in ``agency`` when given, anywhere otherwise."""
    memberships = Membership.objects.held_by(user).current().filter(role=role)
    if agency is not None:
        memberships = memberships.filter(agency=agency)
    return memberships.exists()


def is_province_admin(user: AnyUser) -> bool:
    return has_role(user, Role.PROVINCE_ADMIN)


def integration_client(user: AnyUser) -> ApiClient | None:
    """The active integration client a service account acts for; None for people."""
    if not isinstance(user, User) or user.kind != User.Kind.INTEGRATION or not user.is_active:
        return None
    return ApiClient.objects.filter(user_id=user.pk, is_active=True).select_related("agency").first()


def staff_required(
    roles: Iterable[str] | None = None,
) -> Callable[[_View[_P]], _View[_P]]:
    """Guard a back-office page: civil servants holding one of ``roles`` today (any role when None).

    Anonymous visitors are sent to sign in; citizens, integration accounts and staff without
    the role get a 403 page in Vietnamese that says who the page is for.
    """
    wanted = None if roles is None else frozenset(roles)

    def decorator(view: _View[_P]) -> _View[_P]:
        def guarded(request: HttpRequest, /, *args: _P.args, **kwargs: _P.kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not staff_agency_ids(request.user, roles=wanted):
                return forbidden(request, roles=wanted)
            return view(request, *args, **kwargs)

        update_wrapper(guarded, view)
        return guarded

    return decorator


def forbidden(request: HttpRequest, *, roles: Iterable[str] | None = None) -> HttpResponse:
    """The 403 page of the staff pages, naming the roles the page is for."""
    wanted = set(roles or ())
    labels = [role.label for role in Role if role in wanted]
    return render(request, "accounts/forbidden.html", {"role_labels": labels}, status=403)
