"""Digitisation for the staff: the counters per competent agency and period (Decision 766, group
MDSH) on a page and in Excel, and the search over the text of digitised documents and scans.

What is counted and found is what the person may see (``Dossier.objects.restrict``): a desk its
own dossiers, a department those it decides, the province administrator all of them.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.permissions import staff_required
from backoffice.views.http import file_response, staff_user
from datastore import exports
from datastore.digitisation import COUNTERS, CounterReport, counter_agencies, digitisation_counters
from datastore.forms import CounterFilterForm
from datastore.selectors import text_search
from dossiers.models import Dossier

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _report(request: HttpRequest) -> tuple[CounterFilterForm, CounterReport | None]:
    dossiers = Dossier.objects.restrict(staff_user(request), "view")
    data = request.GET if request.GET.get("start") or request.GET.get("end") else None
    form = CounterFilterForm(
        data or {**CounterFilterForm.defaults(), "agency": request.GET.get("agency", "")},
        agencies=counter_agencies(dossiers),
    )
    if not form.is_valid():
        return form, None
    cleaned = form.cleaned_data
    report = digitisation_counters(
        dossiers=dossiers, start=cleaned["start"], end=cleaned["end"], agency=cleaned.get("agency")
    )
    return form, report


@staff_required()
@require_GET
def counters(request: HttpRequest) -> HttpResponse:
    """The counters of the chosen agency (or all) and period; this month by default."""
    form, report = _report(request)
    context = {
        "form": form,
        "report": report,
        "labels": COUNTERS,
        "period": exports.period_text(report) if report else "",
    }
    return render(request, "backoffice/digitisation/counters.html", context, status=200 if report else 400)


@staff_required()
@require_GET
def counters_xlsx(request: HttpRequest) -> HttpResponse:
    """The same counters as an Excel file."""
    form, report = _report(request)
    if report is None:
        context = {"form": form, "report": None, "labels": COUNTERS, "period": ""}
        return render(request, "backoffice/digitisation/counters.html", context, status=400)
    name = _("so-lieu-so-hoa") + f"-{report.start:%Y%m%d}-{report.end:%Y%m%d}.xlsx"
    return file_response(exports.counters_xlsx(report), content_type=XLSX, filename=name, inline=False)


@staff_required()
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Find digitised documents and scans by their words, with or without accents."""
    query = request.GET.get("q", "").strip()[:200]
    hits = text_search(staff_user(request), query) if query else []
    return render(request, "backoffice/digitisation/search.html", {"query": query, "hits": hits})
