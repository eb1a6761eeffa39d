"""What every back-office view needs from the request and gives back: the civil servant, the
dossier through the access layer, files and PDFs as responses."""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django_htmx.middleware import HtmxDetails

from accounts.models import User
from dossiers.models import Dossier
from dossiers.permissions import access_dossier_by_code, access_dossier_by_reference

REFERENCE = re.compile(r"^[0-9A-F]{12}$")


def staff_user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # staff_required let a civil servant in
    return request.user


def partial(request: HttpRequest) -> bool:
    """Whether htmx asks for a fragment (not a history restore, which wants the whole page)."""
    htmx: HtmxDetails | None = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request


def access_dossier(user: User, key: str, action: str = "view") -> Dossier:
    """The dossier ``key`` names — its code, or its submission reference before it has one — if
    ``user`` may ``action`` it; 404 otherwise (missing and forbidden alike)."""
    if REFERENCE.match(key):
        return access_dossier_by_reference(user, key, action)
    return access_dossier_by_code(user, key, action)


def dossier_key(dossier: Dossier) -> str:
    return dossier.code or dossier.reference


def dossier_url(dossier: Dossier, name: str = "dossier_detail") -> str:
    return reverse(f"backoffice:{name}", kwargs={"code": dossier_key(dossier)})


def file_response(content: bytes, *, content_type: str, filename: str, inline: bool = True) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, filename) or ""
    response["X-Content-Type-Options"] = "nosniff"
    return response
