"""Account pages: where to go after sign-in, and a citizen's registration."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.forms import RegistrationForm
from accounts.services import citizen_register


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """After sign-in: staff go to their back-office home, citizens to their dossiers."""
    user = request.user
    if getattr(user, "is_civil_servant", False):
        return redirect("backoffice:home")
    return redirect("portal:my_dossiers")


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """A citizen opens an account with their personal identification number, then is signed in."""
    if request.user.is_authenticated:
        return redirect("accounts:home")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = citizen_register(
                full_name=data["full_name"],
                national_id=data["national_id"],
                phone=data["phone"],
                email=data["email"],
                password=data["password"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Đăng ký tài khoản thành công. Chào mừng %(name)s!") % {"name": user})
            return redirect("accounts:home")
    status = 400 if form.errors else 200
    return render(request, "accounts/register.html", {"form": form}, status=status)
