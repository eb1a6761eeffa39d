"""Pages of the public service portal: find a procedure and learn what it takes, before going to the desk.

Views stay thin: the catalogue is read through ``catalog.selectors``; the formatting lives in
the templates and ``portal.templatetags.vn_format``.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django_htmx.middleware import HtmxDetails

from agencies.models import Agency
from catalog.models import ProcedureVersion
from catalog.selectors import popular_procedures, procedure_in_force, procedure_search, sectors_with_counts
from portal.forms import ProcedureSearchForm

PAGE_SIZE = 20
POPULAR_ON_HOME = 8
SUGGESTIONS_WHEN_EMPTY = 5


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def home(request: HttpRequest) -> HttpResponse:
    context = {
        "sectors": sectors_with_counts(),
        "popular": popular_procedures(limit=POPULAR_ON_HOME),
    }
    return render(request, "portal/home.html", context)


def procedure_list(request: HtmxHttpRequest) -> HttpResponse:
    form = ProcedureSearchForm(request.GET)
    filters = form.filters()
    results = procedure_search(**filters)
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "suggestions": [] if results else popular_procedures(limit=SUGGESTIONS_WHEN_EMPTY),
    }
    # htmx asks for the results only (typing, filters, pagination); a history restore or a
    # plain browser request gets the whole page.
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    template = "portal/includes/procedure_results.html" if partial else "portal/procedure_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        version = procedure_in_force(code=code)
    except ProcedureVersion.DoesNotExist:
        raise Http404(_("Không có thủ tục đang áp dụng với mã này.")) from None
    # Since Decree 118/2025 any one-stop centre in the province accepts the dossier,
    # whatever the applicant's place of residence.
    points = list(Agency.objects.current().receiving_points().order_by("name"))
    context = {
        "version": version,
        "fees": list(version.fees.all()),
        "components": list(version.components.all()),
        # The provincial centre in plain sight; the commune centres (dozens) folded away.
        "centres": [a for a in points if a.kind == Agency.Kind.SERVICE_CENTER],
        "other_points": [a for a in points if a.kind != Agency.Kind.SERVICE_CENTER],
    }
    return render(request, "portal/procedure_detail.html", context)
