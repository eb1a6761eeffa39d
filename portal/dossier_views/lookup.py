"""The public lookup of a dossier by its code (Circular 01/2018 Art. 16.2: without signing in,
the code and the stage; Checklist 30).

``/tra-cuu/`` is the form (``?ma=<code>`` shows the result too); ``/tra-cuu/<code>/`` is where
the QR code of the receipt (Mẫu 01) points. Anyone sees the code, the procedure, the stage and
the due date — nothing about the person (``dossiers.selectors.public_lookup``). The signed-in
applicant also gets a link to their full page. Every lookup is counted per client address
(``portal.ratelimit``), so codes cannot be walked through.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_safe

from accounts.models import User
from dossiers.selectors import public_lookup
from portal.dossier_forms import LookupForm
from portal.ratelimit import client_address, hit, lookup_limit
from portal.selectors import own_reference_for_code

MAX_CODE_LENGTH = 48


def _too_many(request: HttpRequest) -> HttpResponse | None:
    """The 429 page when this address has looked up too often, else None (and the hit counted)."""
    limit = lookup_limit()
    wait = hit(scope="dossier-lookup", key=client_address(request), limit=limit)
    if wait is None:
        return None
    minutes = max(1, -(-wait // 60))
    response = render(request, "portal/dossiers/lookup_limited.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(wait)
    return response


def _result(request: HttpRequest, code: str, form: LookupForm) -> HttpResponse:
    found = public_lookup(code) if len(code) <= MAX_CODE_LENGTH else None
    reference = None
    user = request.user
    if found is not None and isinstance(user, User) and user.kind == User.Kind.CITIZEN:
        reference = own_reference_for_code(user, found.code)
    context: dict[str, Any] = {"form": form, "code": code, "result": found, "reference": reference}
    response = render(request, "portal/dossiers/lookup.html", context, status=200 if found else 404)
    # The answer depends on who asks (the applicant's link) and must not sit in shared caches.
    patch_cache_control(response, private=True, no_store=True)
    patch_vary_headers(response, ("Cookie",))
    return response


@require_safe
def dossier_lookup_form(request: HttpRequest) -> HttpResponse:
    """The lookup form; with ``?ma=<code>`` the result below it."""
    if "ma" not in request.GET:
        return render(request, "portal/dossiers/lookup.html", {"form": LookupForm()})
    limited = _too_many(request)
    if limited is not None:
        return limited
    form = LookupForm(request.GET)
    if not form.is_valid():
        return render(request, "portal/dossiers/lookup.html", {"form": form}, status=400)
    return _result(request, form.cleaned_data["ma"], form)


@require_safe
def dossier_lookup(request: HttpRequest, code: str) -> HttpResponse:
    """The result for ``code`` (the address printed as a QR code on the receipt)."""
    limited = _too_many(request)
    if limited is not None:
        return limited
    cleaned = code.strip().upper()
    return _result(request, cleaned, LookupForm(initial={"ma": cleaned}))
