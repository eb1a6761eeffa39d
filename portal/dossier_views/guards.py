"""What every page of a citizen's dossiers starts with: who may open it, which dossier it is
about, and how the engine's refusals reach the form."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import render

from accounts.models import User
from dossiers import conf
from dossiers.errors import ConcurrentUpdate, DossierError
from dossiers.models import Dossier
from dossiers.permissions import access_dossier_by_reference
from portal.templatetags.vn_format import file_size

_P = ParamSpec("_P")
_View = Callable[Concatenate[HttpRequest, _P], HttpResponseBase]


def citizen_required(view: _View[_P]) -> _View[_P]:
    """Citizens' pages: anonymous visitors sign in first; civil servants and integration
    accounts get a Vietnamese 403 page that sends them to the back office."""

    @wraps(view)
    def guarded(request: HttpRequest, /, *args: _P.args, **kwargs: _P.kwargs) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if getattr(request.user, "kind", None) != User.Kind.CITIZEN:
            return render(request, "portal/dossiers/citizens_only.html", status=403)
        return view(request, *args, **kwargs)

    return guarded


def citizen(request: HttpRequest) -> User:
    """The signed-in citizen of a page guarded by :func:`citizen_required`."""
    user = request.user
    if not isinstance(user, User):  # pragma: no cover - the guard ran first
        raise TypeError("citizen_required must guard this view")
    return user


def own_dossier(request: HttpRequest, reference: str, action: str = "view") -> Dossier:
    """The dossier ``reference`` if the signed-in person may ``action`` it; 404 otherwise (a
    stranger cannot tell a dossier that exists from one that does not)."""
    return access_dossier_by_reference(request.user, reference, action)


def new_idempotency_key() -> str:
    """A fresh key for a form that must not act twice (32 URL-safe characters)."""
    return secrets.token_urlsafe(24)


def apply_errors(
    form: forms.Form,
    error: DossierError,
    *,
    default_field: str | None = None,
    dossier: Dossier | None = None,
) -> None:
    """Show the engine's refusal on ``form``: next to each field it names (fields the form does
    not have go to ``default_field``), otherwise above the form. When someone else changed
    ``dossier`` meanwhile, the form is drawn again with its current version: the person reads
    the message and what changed, and the next press acts on that."""
    placed: set[str] = set()
    for name, messages in error.field_errors.items():
        if name in form.fields:
            for message in messages:
                form.add_error(name, message)
            placed.add(name)
        elif default_field in form.fields and default_field not in placed:
            # The engine names its own input ("file"); the page's field is the upload it came from.
            form.add_error(default_field, error.message)
            placed.add(default_field)
    if not placed:
        form.add_error(None, error.message)
    if isinstance(error, ConcurrentUpdate) and dossier is not None and "lock_version" in form.fields:
        dossier.refresh_from_db(fields=["lock_version", "status"])
        data: QueryDict | dict[str, Any] = (
            form.data.copy() if isinstance(form.data, QueryDict) else dict(form.data)
        )
        data["lock_version"] = str(dossier.lock_version)
        form.data = data


def upload_limit() -> str:
    """The largest file a person may attach, as people read it ("10 MB")."""
    return file_size(conf.upload_max_bytes())
