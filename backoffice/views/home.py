"""The home of every civil servant: their roles, today, and their work queues with counts."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import User
from accounts.permissions import staff_required
from backoffice.selectors import staff_home


@staff_required()
def home(request: HttpRequest) -> HttpResponse:
    """Their agencies and roles, today's date and whether it is a working day, and what they can open."""
    assert isinstance(request.user, User)  # staff_required let a civil servant in
    return render(request, "backoffice/home.html", {"home": staff_home(request.user)})
