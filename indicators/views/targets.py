"""The targets page, under /can-bo/chi-so/chi-tieu-giao/: the targets of a year, by indicator and
unit, and for those who set them (the province) a form and the spreadsheet import."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from accounts.permissions import forbidden, staff_required
from agencies.models import Agency
from indicators import excel, services
from indicators.forms import TargetForm, TargetsImportForm
from indicators.models import Indicator, Target
from indicators.periods import period_from_key
from indicators.permissions import visible_unit_ids
from indicators.report_permissions import can_set_targets
from indicators.report_selectors import period_in_text

TARGET_UNIT_KINDS = (Agency.Kind.PROVINCE, Agency.Kind.COMMUNE, Agency.Kind.DEPARTMENT)


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # staff_required let a civil servant in
    return request.user


def _year(request: HttpRequest) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("nam", today.year))
    except ValueError:
        return today.year
    return year if 2000 <= year <= today.year + 5 else today.year


def _units() -> list[Agency]:
    return list(Agency.objects.current().filter(kind__in=TARGET_UNIT_KINDS).order_by("kind", "name"))


def _page(
    request: HttpRequest,
    *,
    form: TargetForm | None = None,
    upload: TargetsImportForm | None = None,
    import_errors: list[excel.RowError] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    year = _year(request)
    code = request.GET.get("chi-tieu", "")
    targets = (
        Target.objects.filter(period__year=year)
        .select_related("indicator", "agency", "period", "set_by")
        .order_by("indicator__order", "indicator__code", "agency__kind", "agency__name", "period__start")
    )
    visible = visible_unit_ids(user)
    if visible is not None:
        targets = targets.filter(Q(agency_id__in=visible) | Q(agency__kind=Agency.Kind.PROVINCE))
    if code:
        targets = targets.filter(indicator__code=code)
    setter = can_set_targets(user)
    units = _units() if setter else []
    if setter and form is None:
        form = TargetForm(units=units, initial={"period": str(year)})
    if setter and upload is None:
        upload = TargetsImportForm()
    context: dict[str, Any] = {
        "year": year,
        "years": list(range(timezone.localdate().year + 1, timezone.localdate().year - 4, -1)),
        "code": code,
        "indicators": Indicator.objects.filter(is_active=True).order_by("order", "code"),
        # The province's own targets first, then the units'.
        "targets": sorted(targets[:2000], key=lambda t: t.agency.kind != Agency.Kind.PROVINCE),
        "setter": setter,
        "form": form,
        "upload": upload,
        "import_errors": import_errors or [],
    }
    return render(request, "indicators/targets/index.html", context, status=status)


@staff_required()
@require_GET
def targets_page(request: HttpRequest) -> HttpResponse:
    return _page(request)


@staff_required()
@require_POST
def target_set(request: HttpRequest) -> HttpResponse:
    """Set one target from the form (replacing the one set before for the same unit and period)."""
    user = _user(request)
    if not can_set_targets(user):
        return forbidden(request)
    form = TargetForm(request.POST, units=_units())
    if not form.is_valid():
        return _page(request, form=form, status=400)
    data = form.cleaned_data
    try:
        period = period_from_key(data["period"])
    except ValueError as error:
        form.add_error("period", str(error))
        return _page(request, form=form, status=400)
    try:
        target = services.target_set(
            indicator=data["indicator"],
            agency=data["agency"],
            period=period,
            value=data["value"],
            baseline=data["baseline"],
            note=data["note"],
            user=user,
        )
    except services.TargetError as error:
        for field, problems in error.errors.items():
            for message in problems:
                form.add_error(field if field in form.fields else None, message)
        return _page(request, form=form, status=400)
    messages.success(
        request,
        _("Đã giao chỉ tiêu %(code)s cho %(unit)s, %(period)s.")
        % {"code": target.indicator.code, "unit": target.agency.name, "period": period_in_text(period)},
    )
    return redirect(f"{reverse('indicators:targets')}?nam={period.year}")


@staff_required()
@require_POST
def targets_import(request: HttpRequest) -> HttpResponse:
    """Set the targets of a spreadsheet: every row, or none when one is wrong."""
    user = _user(request)
    if not can_set_targets(user):
        return forbidden(request)
    upload = TargetsImportForm(request.POST, request.FILES)
    if not upload.is_valid():
        return _page(request, upload=upload, status=400)
    try:
        result = services.targets_import_xlsx(file=upload.cleaned_data["file"], user=user)
    except excel.ImportRowsError as error:
        messages.error(request, str(error))
        return _page(request, upload=upload, import_errors=error.errors, status=400)
    except services.TargetError as error:
        messages.error(request, error.message)
        return _page(request, upload=upload, status=403)
    messages.success(
        request,
        _(
            "Đã nhập bảng chỉ tiêu: %(created)d chỉ tiêu mới, %(updated)d chỉ tiêu sửa, "
            "%(unchanged)d giữ nguyên."
        )
        % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
    )
    return redirect("indicators:targets")


@staff_required()
@require_GET
def targets_template(request: HttpRequest) -> HttpResponse:
    """The targets sheet of a year to fill in (the targets already set filled in)."""
    user = _user(request)
    if not can_set_targets(user):
        return forbidden(request)
    year = _year(request)
    content = excel.targets_template(
        year=year,
        indicators=Indicator.objects.filter(is_active=True).order_by("order", "code"),
        units=_units(),
    )
    response = HttpResponse(content, content_type=excel.XLSX_TYPE)
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=f"chi-tieu-giao-{year}.xlsx") or ""
    )
    return response
