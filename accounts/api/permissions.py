"""What an integration client's key allows on the API: its scopes.

A view declares the scope each HTTP method needs::

    class ProcedureListApi(ListAPIView):
        permission_classes = (AllowAny, HasScope)
        required_scopes: ClassVar[dict[str, str]] = {"GET": Scope.PROCEDURES_READ}

Integration clients need the scope (HEAD and OPTIONS need the scope of GET; a method the view
does not list is refused). People pass this check: what they may see is decided by the access
layer (``Model.objects.restrict(user, action)``, see ``congso/access.py``). ``HasScope`` does not
authenticate anyone: add ``IsAuthenticated`` when the endpoint is not public.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.models import User
from accounts.permissions import integration_client


def required_scope(view: APIView, method: str) -> str | None:
    """The scope ``view`` asks of an integration client for ``method``."""
    scopes: Mapping[str, str] = getattr(view, "required_scopes", {})
    if method in ("HEAD", "OPTIONS") and method not in scopes:
        method = "GET"
    return scopes.get(method)


class HasScope(BasePermission):
    """Integration clients must hold the scope the view requires for the request's method."""

    message: str | Promise = gettext_lazy(
        "Hệ thống tích hợp không được cấp phạm vi truy cập cho thao tác này."
    )

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        if not isinstance(user, User) or user.kind != User.Kind.INTEGRATION:
            return True
        scope = required_scope(view, request.method or "GET")
        if scope is None:
            return False
        client = integration_client(user)
        if client is not None and scope in client.scopes:
            return True
        self.message = gettext("Hệ thống tích hợp cần phạm vi truy cập “%(scope)s” cho thao tác này.") % {
            "scope": scope
        }
        return False
