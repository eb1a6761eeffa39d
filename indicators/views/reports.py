"""Pages of the unit reports, under /can-bo/chi-so/bao-cao/: a unit's reports period by period,
the report form (with the previous value and the target beside each figure, the Excel template
to download and upload), the reviewer's queue, and the late reports.

Thin: forms carry what was typed, the services check and write, the selectors read.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from accounts.permissions import forbidden, staff_agency_ids, staff_required
from indicators import excel, report_selectors, services
from indicators.formatting import value_text
from indicators.forms import ReportOpenForm, ReportValuesForm, ReviewForm, TemplateUploadForm
from indicators.models import Report, ReportForm, ReportStatus
from indicators.periods import period_from_key
from indicators.permissions import visible_unit_ids
from indicators.report_permissions import (
    access_report_by_id,
    may_report_for,
    may_review,
    reporting_units,
    reviewed_forms,
)


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # staff_required let a civil servant in
    return request.user


def _editable(user: User, report: Report) -> bool:
    return report.status in (ReportStatus.DRAFT, ReportStatus.RETURNED) and may_report_for(
        user, report.agency
    )


@staff_required()
@require_GET
def reports_home(request: HttpRequest) -> HttpResponse:
    """The units the person reports for and, for the chosen one, its reports period by period."""
    user = _user(request)
    units = reporting_units(user)
    chosen = next((u for u in units if str(u.pk) == request.GET.get("don-vi")), units[0] if units else None)
    rows = report_selectors.unit_periods(agency=chosen) if chosen is not None else []
    return render(
        request,
        "indicators/reports/home.html",
        {
            "units": units,
            "chosen": chosen,
            "rows": rows,
            "reviews": bool(reviewed_forms(user)),
            "today": timezone.localdate(),
        },
    )


@staff_required()
@require_POST
def report_open(request: HttpRequest) -> HttpResponse:
    """Make (or find) the report of a unit for a form and a period, then go to it."""
    user = _user(request)
    form = ReportOpenForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "indicators/reports/problem.html",
            {"message": _("Thiếu biểu mẫu, đơn vị hoặc kỳ báo cáo.")},
            status=400,
        )
    data = form.cleaned_data
    unit = next((u for u in reporting_units(user) if u.pk == data["unit"]), None)
    report_form = ReportForm.objects.filter(code=data["form"], is_active=True).first()
    if unit is None or report_form is None:
        raise Http404(_("Không tìm thấy."))
    try:
        period = period_from_key(data["period"])
        report = services.report_open(form=report_form, agency=unit, period=period, user=user)
    except (ValueError, services.ReportError) as error:
        messages.error(request, getattr(error, "message", str(error)))
        return redirect(f"{reverse('indicators:reports')}?don-vi={unit.pk}")
    return redirect("indicators:report", pk=report.pk)


def _latest_texts(report: Report) -> dict[int, str]:
    return {
        row.indicator.pk: value_text(row.indicator, row.stored.value if row.stored else None)
        for row in report_selectors.report_rows(report)
    }


def _page(
    request: HttpRequest,
    report: Report,
    *,
    form: ReportValuesForm | None = None,
    upload: TemplateUploadForm | None = None,
    review: ReviewForm | None = None,
    import_errors: list[excel.RowError] | None = None,
    latest: dict[int, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    rows = report_selectors.report_rows(report)
    editable = _editable(user, report)
    reviewable = may_review(user, report) and report.status == ReportStatus.SUBMITTED
    if editable and form is None:
        form = ReportValuesForm(rows=rows, lock_version=report.lock_version, note=report.comment)
    if editable and upload is None:
        upload = TemplateUploadForm(initial={"lock_version": report.lock_version})
    if reviewable and review is None:
        review = ReviewForm(initial={"lock_version": report.lock_version})
    context: dict[str, Any] = {
        "report": report,
        "rows": rows,
        "form": form,
        "form_rows": form.rows(latest) if form is not None else [],
        "upload": upload,
        "review": review,
        "editable": editable,
        "reviewable": reviewable,
        "import_errors": import_errors or [],
        "history": report_selectors.report_history(report),
        "today": timezone.localdate(),
        "late": report.due_date < timezone.localdate() and report.submitted_at is None,
        "here": "reports" if report.agency_id in staff_agency_ids(user) else "queue",
    }
    return render(request, "indicators/reports/report.html", context, status=status)


@staff_required()
@require_http_methods(["GET", "POST"])
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The report form: save a draft or send it; the figures read-only once sent."""
    user = _user(request)
    report = access_report_by_id(user, pk)
    if request.method == "GET":
        return _page(request, report)
    if not _editable(user, report):
        messages.error(
            request,
            _("Báo cáo đang ở trạng thái “%(status)s”; bạn không sửa được.")
            % {"status": report.get_status_display()},
        )
        return _page(request, report, status=403)
    rows = report_selectors.report_rows(report)
    form = ReportValuesForm(request.POST, rows=rows, lock_version=report.lock_version, note=report.comment)
    if not form.is_valid():
        return _page(request, report, form=form, status=400)
    submit = request.POST.get("action") == "submit"
    try:
        if submit:
            services.report_submit(
                report=report,
                user=user,
                lock_version=form.cleaned_data["lock_version"],
                values=form.values(),
                comment=form.cleaned_data["comment"],
            )
        else:
            services.report_save_values(
                report=report,
                values=form.values(),
                user=user,
                lock_version=form.cleaned_data["lock_version"],
                comment=form.cleaned_data["comment"],
            )
    except services.ReportConflict as error:
        report.refresh_from_db()
        form.set_lock_version(report.lock_version)
        messages.error(request, error.message)
        return _page(request, report, form=form, latest=_latest_texts(report), status=409)
    except services.ReportValidationError as error:
        form.add_service_errors(error.errors)
        messages.error(request, error.message)
        return _page(request, report, form=form, status=400)
    except services.ReportError as error:
        messages.error(request, error.message)
        return _page(request, report, form=form, status=400)
    if submit:
        messages.success(
            request, _("Đã gửi báo cáo đến %(reviewer)s.") % {"reviewer": report.form.reviewer.name}
        )
    else:
        messages.success(request, _("Đã lưu nháp."))
    return redirect("indicators:report", pk=report.pk)


@staff_required()
@require_POST
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve or return a sent report (the reviewer agency)."""
    user = _user(request)
    report = access_report_by_id(user, pk)
    if not may_review(user, report):
        return forbidden(request)
    review = ReviewForm(request.POST)
    if not review.is_valid():
        messages.error(request, _("Chọn duyệt hoặc trả lại."))
        return _page(request, report, review=review, status=400)
    data = review.cleaned_data
    try:
        if data["decision"] == "approve":
            services.report_approve(
                report=report, user=user, lock_version=data["lock_version"], comment=data["comment"]
            )
            messages.success(request, _("Đã duyệt báo cáo của %(unit)s.") % {"unit": report.agency.name})
        else:
            services.report_return(
                report=report, user=user, lock_version=data["lock_version"], comment=data["comment"]
            )
            messages.success(request, _("Đã trả lại báo cáo cho %(unit)s.") % {"unit": report.agency.name})
    except services.ReportValidationError as error:
        for message in error.errors.get("", {}).get("comment", []):
            review.add_error("comment", message)
        return _page(request, report, review=review, status=400)
    except services.ReportError as error:
        messages.error(request, error.message)
        report.refresh_from_db()
        return _page(request, report, status=409 if isinstance(error, services.ReportConflict) else 400)
    return redirect("indicators:report", pk=report.pk)


@staff_required()
@require_GET
def report_template(request: HttpRequest, pk: int) -> HttpResponse:
    """The Excel template of the report, its figures so far filled in."""
    report = access_report_by_id(_user(request), pk)
    response = HttpResponse(excel.report_template(report), content_type=excel.XLSX_TYPE)
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=excel.template_filename(report)) or ""
    )
    return response


@staff_required()
@require_POST
def report_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Read a filled template into the report: all rows or none."""
    user = _user(request)
    report = access_report_by_id(user, pk)
    if not _editable(user, report):
        return forbidden(request)
    upload = TemplateUploadForm(request.POST, request.FILES)
    if not upload.is_valid():
        return _page(request, report, upload=upload, status=400)
    try:
        services.report_import_xlsx(
            report=report,
            file=upload.cleaned_data["file"],
            user=user,
            lock_version=upload.cleaned_data["lock_version"],
        )
    except excel.ImportRowsError as error:
        messages.error(request, str(error))
        return _page(request, report, upload=upload, import_errors=error.errors, status=400)
    except services.ReportValidationError as error:
        messages.error(request, error.message)
        return _page(request, report, upload=upload, status=400)
    except services.ReportError as error:
        messages.error(request, error.message)
        report.refresh_from_db()
        return _page(request, report, status=409 if isinstance(error, services.ReportConflict) else 400)
    messages.success(request, _("Đã nhập số liệu từ tệp Excel. Kiểm tra lại rồi bấm “Gửi báo cáo”."))
    return redirect("indicators:report", pk=report.pk)


@staff_required()
@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    """Báo cáo chờ thẩm định: the reports sent to the person's agency, oldest first."""
    user = _user(request)
    reports = list(report_selectors.review_queue(user))
    return render(
        request,
        "indicators/reports/queue.html",
        {"reports": reports, "reviewer": bool(reviewed_forms(user)), "today": timezone.localdate()},
    )


@staff_required()
@require_GET
def late_list(request: HttpRequest) -> HttpResponse:
    """The units late with a report (none opened, a draft, or returned and not sent again)."""
    user = _user(request)
    forms = list(ReportForm.objects.filter(is_active=True).order_by("code"))
    chosen = next((f for f in forms if f.code == request.GET.get("bieu")), None)
    late = report_selectors.late_reports(form=chosen, unit_ids=visible_unit_ids(user))
    return render(
        request,
        "indicators/reports/late.html",
        {"late": late, "forms": forms, "chosen": chosen, "today": timezone.localdate()},
    )
