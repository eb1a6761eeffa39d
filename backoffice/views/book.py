"""The tracking book of a desk (Sổ theo dõi hồ sơ, Mẫu 06) for a period, as PDF or Excel."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.models import Role
from accounts.permissions import staff_required
from agencies.models import Agency
from backoffice.forms.queues import TrackingBookForm
from backoffice.selectors import desks_of
from backoffice.views.http import file_response, staff_user
from dossiers.errors import DossierError
from dossiers.slips import tracking_book_pdf, tracking_book_xlsx

BOOK_ROLES = [Role.CLERK, Role.AGENCY_LEADER, Role.DEPARTMENT_LEADER, Role.PROVINCE_ADMIN]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _form(request: HttpRequest) -> tuple[TrackingBookForm, list[Agency]]:
    """The form bound to the request, or — without parameters — to the first desk and the
    current month, what a clerk asks most."""
    desks = desks_of(staff_user(request))
    if request.GET:
        return TrackingBookForm(request.GET, desks=desks), desks
    blank = TrackingBookForm(desks=desks)
    defaults = {name: blank.fields[name].initial or "" for name in ("desk", "start", "end")}
    return TrackingBookForm(defaults, desks=desks), desks


@staff_required(roles=BOOK_ROLES)
@require_GET
def tracking_book(request: HttpRequest) -> HttpResponse:
    """Choose the desk and the period, then download."""
    desks = desks_of(staff_user(request))
    form = TrackingBookForm(request.GET or None, desks=desks)
    return render(request, "backoffice/book.html", {"form": form, "desks": desks})


def _download(
    request: HttpRequest, render_book: Callable[..., bytes], content_type: str, ext: str
) -> HttpResponse:
    form, desks = _form(request)
    if not form.is_valid():
        return render(request, "backoffice/book.html", {"form": form, "desks": desks}, status=400)
    desk, start, end = form.cleaned_data["desk"], form.cleaned_data["start"], form.cleaned_data["end"]
    try:
        content = render_book(agency=desk, start=start, end=end)
    except DossierError as refused:
        form.add_error(None, refused.message)
        return render(request, "backoffice/book.html", {"form": form, "desks": desks}, status=400)
    name = _("so-theo-doi-ho-so") + f"-{desk.edoc_code}-{start:%Y%m%d}-{end:%Y%m%d}.{ext}"
    return file_response(content, content_type=content_type, filename=name, inline=ext == "pdf")


@staff_required(roles=BOOK_ROLES)
@require_GET
def tracking_book_pdf_download(request: HttpRequest) -> HttpResponse:
    return _download(request, tracking_book_pdf, "application/pdf", "pdf")


@staff_required(roles=BOOK_ROLES)
@require_GET
def tracking_book_xlsx_download(request: HttpRequest) -> HttpResponse:
    return _download(request, tracking_book_xlsx, XLSX, "xlsx")
