"""The operations centre (IOC) pages for staff, under /can-bo/chi-so/: the province (or a unit)
overview, one indicator, one unit, and the dossiers behind a computed figure.

Pages are rendered whole on the server (phones without JavaScript, printing); on a wall display
(``?kiosk=1``) each tile and the summary refresh themselves from their own fragment URL.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.models import User
from accounts.permissions import staff_required
from agencies.models import Agency
from indicators import dashboard, selectors
from indicators.charts import group_chart, ranking_chart, series_chart
from indicators.models import Indicator, Source
from indicators.permissions import access_indicator_by_code
from indicators.views.filters import IocFilter, access_unit, parse

DRILLDOWN_PARTS = {"numerator", "denominator"}
KIOSK_REFRESH_SECONDS = 300
PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # staff_required let a civil servant in
    return request.user


def _is_fragment(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not getattr(htmx, "history_restore_request", False)


def _context(filters: IocFilter, **extra: Any) -> dict[str, Any]:
    return {
        "filters": filters,
        "query": filters.query(),
        "kiosk": filters.kiosk,
        "refresh_seconds": KIOSK_REFRESH_SECONDS,
        **extra,
    }


@staff_required()
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """Key figures with target, status and trend; counts by status; the lagging list; 766 scores."""
    filters = parse(request, _user(request))
    data = dashboard.overview(period=filters.period, agency=filters.unit)
    template = "indicators/ioc/kiosk.html" if filters.kiosk else "indicators/ioc/overview.html"
    return render(
        request,
        template,
        _context(filters, overview=data, groups_chart=group_chart(data.groups)),
    )


@staff_required()
@require_GET
def tile(request: HttpRequest, code: str) -> HttpResponse:
    """One key figure on its own: the fragment a wall display refreshes, or a small page."""
    user = _user(request)
    indicator = access_indicator_by_code(user, code)
    filters = parse(request, user)
    row = dashboard.tile(indicator=indicator, period=filters.period, agency=filters.unit)
    template = "indicators/ioc/_tile.html" if _is_fragment(request) else "indicators/ioc/tile_page.html"
    return render(request, template, _context(filters, row=row))


@staff_required()
@require_GET
def summary(request: HttpRequest) -> HttpResponse:
    """The counts by status and the lagging list (a wall display's second fragment)."""
    filters = parse(request, _user(request))
    data = dashboard.overview(period=filters.period, agency=filters.unit)
    template = "indicators/ioc/_summary.html" if _is_fragment(request) else "indicators/ioc/summary_page.html"
    return render(request, template, _context(filters, overview=data))


@staff_required()
@require_GET
def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    """An indicator: its figure with comparisons, its series, and the units ranked."""
    user = _user(request)
    indicator = access_indicator_by_code(user, code)
    filters = parse(request, user)
    view = dashboard.indicator_view(
        indicator=indicator, period=filters.period, agency=filters.unit, visible=filters.visible
    )
    return render(
        request,
        "indicators/ioc/indicator.html",
        _context(
            filters,
            view=view,
            indicator=indicator,
            computed=indicator.source == Source.COMPUTED,
            series_chart=series_chart(view),
            ranking_chart=ranking_chart(view),
        ),
    )


@staff_required()
@require_GET
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A commune or department: all its indicators with their comparisons."""
    user = _user(request)
    unit = access_unit(user, pk)
    filters = parse(request, user, unit=unit)
    data = dashboard.overview(period=filters.period, agency=unit)
    return render(
        request,
        "indicators/ioc/unit.html",
        _context(filters, overview=data, unit=unit, groups_chart=group_chart(data.groups)),
    )


def drilldown_scope(request: HttpRequest, code: str) -> tuple[Indicator, IocFilter, str]:
    """The computed indicator, the filter and the part ("numerator"/"denominator") a drill-down
    asks for. The dossiers behind the province figure are for province-level staff; commune staff
    drill into their own commune."""
    user = _user(request)
    indicator = access_indicator_by_code(user, code)
    if indicator.source != Source.COMPUTED:
        raise Http404(_("Chỉ tiêu do đơn vị báo cáo, không có danh sách hồ sơ."))
    data = request.POST if request.method == "POST" else request.GET
    part = data.get("part", "denominator")
    if part not in DRILLDOWN_PARTS:
        raise Http404(_("Không tìm thấy."))
    filters = parse(request, user)
    if filters.unit is None and filters.visible is not None:
        raise Http404(_("Hãy chọn đơn vị của mình để xem danh sách hồ sơ."))
    return indicator, filters, part


@staff_required()
@require_GET
def drilldown(request: HttpRequest, code: str) -> HttpResponse:
    """The dossiers counted in a computed figure's numerator or denominator, with links to each."""
    indicator, filters, part = drilldown_scope(request, code)
    dossiers = (
        selectors.drilldown_dossiers(
            indicator=indicator, period=filters.period, agency=filters.unit, part=part
        )
        .select_related("procedure_version", "receiving_agency", "competent_agency")
        .order_by("-received_at", "-pk")
    )
    page = Paginator(dossiers, PAGE_SIZE).get_page(request.GET.get("page"))
    figure = selectors.figure(indicator=indicator, period=filters.period, agency=filters.unit)
    return render(
        request,
        "indicators/ioc/drilldown.html",
        _context(
            filters,
            indicator=indicator,
            figure=figure,
            part=part,
            part_label=_part_label(indicator, part),
            page=page,
            units_here=_child_units(filters),
        ),
    )


def _part_label(indicator: Indicator, part: str) -> str:
    if part == "numerator":
        return indicator.numerator_label or _("Tử số")
    return indicator.denominator_label or _("Mẫu số")


def _child_units(filters: IocFilter) -> list[Agency]:
    """Where to drill next from the province: the units the person may see."""
    return filters.units if filters.unit is None else []
