"""The access layer's mechanism: permission-aware querysets and "not found" for forbidden objects.

The rule
--------
Code that acts for a person or an API client (a view, an API endpoint, a task started by a
user) never reads a protected model through an unrestricted queryset such as
``Dossier.objects.all()`` or ``get_object_or_404(Dossier, ...)``. It asks the access layer:

* for lists: ``Model.objects.restrict(user, action)`` (NetBox), then filters further;
* for one object: an ``access_<thing>_by_<key>(user, key, action)`` function in the app's
  ``permissions.py`` (Zulip), written with :func:`access_object`. It raises ``Http404`` both
  when the object does not exist and when the user may not do ``action`` to it, so a URL never
  tells a stranger that a record exists. DRF turns the ``Http404`` into a 404 response.

Only the Django admin (superusers, with Django's own model permissions), management commands
and services acting for the system itself read unrestricted querysets.

Where the pieces live
---------------------
* here: :class:`RestrictedQuerySet`, :data:`NOTHING`, :data:`EVERYTHING`, :func:`access_object`.
  This module knows nothing about people, so every app's ``models.py`` may import it.
* ``accounts.permissions``: facts about a person (``staff_agency_ids``, ``is_province_admin``,
  ``has_role``, ``integration_client``) that rules are written with, and the
  ``staff_required`` guard for back-office pages.
* ``accounts.api.permissions.HasScope``: the scopes an integration client's key grants on the
  API (``required_scopes = {"GET": "procedures:read"}`` on a view). People are not judged by
  scopes but by the rules below.
* each model's rule: ``_restrict_rule`` on its queryset, in the app's ``models.py``.
* ``tests/test_access_matrix.py``: the table of every URL and the status each persona gets.

Adding a rule
-------------
::

    class DossierQuerySet(RestrictedQuerySet["Dossier"]):
        actions = frozenset({VIEW, CHANGE, "receive"})

        def _restrict_rule(self, user: AnyUser, action: str) -> Q:
            if is_province_admin(user):
                return EVERYTHING
            if not user.is_authenticated:
                return NOTHING
            if action == VIEW:
                return Q(applicant_id=user.pk) | Q(agency_id__in=staff_agency_ids(user))
            return Q(agency_id__in=staff_agency_ids(user, roles=[Role.SPECIALIST]))

Write rules with ``__in`` on ids (as above) rather than joins through memberships, so a
restricted queryset never repeats a row. ``restrict()`` already answers "nothing" for
inactive accounts and rejects an action the queryset does not declare in ``actions``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Self, TypeAlias, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from accounts.models import User

AnyUser: TypeAlias = "User | AnonymousUser"

VIEW = "view"
ADD = "add"
CHANGE = "change"
DELETE = "delete"

EVERYTHING = Q()
"""A rule that lets every row through."""
NOTHING = Q(pk__in=[])
"""A rule that lets no row through (Django answers it without querying the database)."""

_M = TypeVar("_M", bound=models.Model)


class RestrictedQuerySet(models.QuerySet[_M]):
    """A queryset that can narrow itself to what one user may do: ``.restrict(user, action)``.

    Subclasses declare the actions they understand and implement ``_restrict_rule``.
    """

    actions: ClassVar[frozenset[str]] = frozenset({VIEW, CHANGE, DELETE})

    def restrict(self, user: AnyUser, action: str = VIEW) -> Self:
        """The rows ``user`` may ``action``; none at all for an inactive account."""
        if action not in self.actions:
            raise ValueError(
                f"{type(self).__name__}.restrict() does not know the action {action!r}; "
                f"known: {sorted(self.actions)}"
            )
        if user.is_authenticated and not user.is_active:
            return self.none()
        return self.filter(self._restrict_rule(user, action))

    def _restrict_rule(self, user: AnyUser, action: str) -> Q:
        """The condition a row must meet for ``user`` to ``action`` it."""
        raise NotImplementedError(f"{type(self).__name__} must define _restrict_rule(user, action)")


def access_object(queryset: RestrictedQuerySet[_M], user: AnyUser, action: str, **lookup: Any) -> _M:
    """The one object ``lookup`` finds among those ``user`` may ``action``, or ``Http404``.

    Missing and forbidden answer the same, on purpose. A malformed key (``pk="abc"``) is
    "not found" too.
    """
    try:
        return queryset.restrict(user, action).get(**lookup)
    except (ObjectDoesNotExist, ValueError, ValidationError):
        raise Http404(_("Không tìm thấy.")) from None
