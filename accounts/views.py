"""Account pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """After sign-in: staff go to their back-office home, citizens to the portal."""
    user = request.user
    if getattr(user, "is_civil_servant", False):
        return redirect("backoffice:home")
    return redirect("portal:home")
