"""Exports of the operations centre: any view to Excel, the briefing report to PDF, and the list
of dossiers behind a figure as a background export with a progress page."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from accounts.permissions import staff_required
from indicators import dashboard, exports
from indicators.models import ExportJob
from indicators.permissions import access_indicator_by_code
from indicators.views.filters import access_unit, parse
from indicators.views.ioc import drilldown_scope

PROGRESS_POLL_SECONDS = 2


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # staff_required let a civil servant in
    return request.user


def _file(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    response["X-Content-Type-Options"] = "nosniff"
    return response


@staff_required()
@require_GET
def overview_xlsx(request: HttpRequest) -> HttpResponse:
    filters = parse(request, _user(request))
    data = dashboard.overview(period=filters.period, agency=filters.unit)
    return _file(
        exports.overview_xlsx(data),
        content_type=exports.XLSX,
        filename=exports.xlsx_filename("chi-so-dieu-hanh", filters.period, filters.unit),
    )


@staff_required()
@require_GET
def unit_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    unit = access_unit(user, pk)
    filters = parse(request, user, unit=unit)
    data = dashboard.overview(period=filters.period, agency=unit)
    return _file(
        exports.overview_xlsx(data),
        content_type=exports.XLSX,
        filename=exports.xlsx_filename("chi-so-don-vi", filters.period, unit),
    )


@staff_required()
@require_GET
def indicator_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    user = _user(request)
    indicator = access_indicator_by_code(user, code)
    filters = parse(request, user)
    view = dashboard.indicator_view(
        indicator=indicator, period=filters.period, agency=filters.unit, visible=filters.visible
    )
    return _file(
        exports.indicator_xlsx(view),
        content_type=exports.XLSX,
        filename=exports.xlsx_filename(f"chi-tieu-{indicator.code.lower()}", filters.period, filters.unit),
    )


@staff_required()
@require_GET
def briefing_pdf(request: HttpRequest) -> HttpResponse:
    """Báo cáo giao ban: the period and unit of the page it was asked from."""
    user = _user(request)
    filters = parse(request, user)
    data = dashboard.overview(period=filters.period, agency=filters.unit)
    return _file(
        exports.briefing_pdf(data, user=user),
        content_type="application/pdf",
        filename=exports.briefing_filename(filters.period, filters.unit),
    )


@staff_required()
@require_POST
def dossiers_export(request: HttpRequest, code: str) -> HttpResponse:
    """Queue the Excel list of the dossiers behind a figure; then its progress page."""
    indicator, filters, part = drilldown_scope(request, code)
    job = exports.export_job_create(
        user=_user(request),
        export=exports.DossierExport(
            indicator=indicator, period=filters.period, agency=filters.unit, part=part
        ),
    )
    return redirect("indicators:export_job", pk=job.pk)


def access_export_by_id(user: User, pk: int) -> ExportJob:
    """An export the person asked for; 404 for anyone else's and for missing ones."""
    job = ExportJob.objects.filter(pk=pk, requested_by=user).first()
    if job is None:
        raise Http404(_("Không tìm thấy yêu cầu xuất số liệu."))
    return job


@staff_required()
@require_GET
def export_job(request: HttpRequest, pk: int) -> HttpResponse:
    """Progress of an export: htmx polls the fragment; without JavaScript the page refreshes."""
    job = access_export_by_id(_user(request), pk)
    percent = 100 if job.state == ExportJob.State.DONE else (job.done * 100 // job.total if job.total else 0)
    context = {
        "job": job,
        "percent": percent,
        "finished": job.state in (ExportJob.State.DONE, ExportJob.State.FAILED),
        "poll_seconds": PROGRESS_POLL_SECONDS,
    }
    htmx = getattr(request, "htmx", None)
    template = "indicators/exports/_progress.html" if htmx else "indicators/exports/job.html"
    return render(request, template, context)


@staff_required()
@require_GET
def export_file(request: HttpRequest, pk: int) -> HttpResponse:
    job = access_export_by_id(_user(request), pk)
    if job.state != ExportJob.State.DONE or not job.file:
        raise Http404(_("Tệp chưa xuất xong."))
    with job.file.open("rb") as handle:
        content = handle.read()
    return _file(content, content_type=exports.XLSX, filename=job.file.name.rsplit("/", 1)[-1])
