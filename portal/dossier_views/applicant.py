"""The applicant's own pages: "Hồ sơ của tôi", one dossier (history, requests, results, slips),
the downloads, and what the applicant may do — hand in a supplement, withdraw, rate."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from dossiers import services
from dossiers.errors import DossierError
from dossiers.models import Dossier, DossierFile, Rating, Status
from dossiers.permissions import can_act
from dossiers.slips import slip_pdf_bytes
from dossiers.transitions import Action
from portal.dossier_forms import RatingForm, SupplementForm, WithdrawForm
from portal.dossier_views.guards import apply_errors, citizen, citizen_required, own_dossier, upload_limit
from portal.selectors import (
    SupplementRequest,
    applicant_dossier,
    applicant_file,
    applicant_slip,
    latest_supplement_requests,
    my_dossier_overview,
    supplement_files,
    supplement_requirements,
)


def _supplement_form(
    dossier: Dossier, request_: SupplementRequest, data: Any = None, files: Any = None
) -> SupplementForm:
    return SupplementForm(
        data,
        files,
        items=request_.raw_items,
        requirements=supplement_requirements([request_]),
        initial={"lock_version": dossier.lock_version},
        # Several supplement forms may share "Hồ sơ của tôi": ids stay unique per dossier.
        auto_id=f"bs-{dossier.reference}-%s",
    )


@citizen_required
@require_safe
def my_dossiers(request: HttpRequest) -> HttpResponse:
    """Hồ sơ của tôi: drafts, dossiers waiting for a supplement (with the form to send it), in
    progress and finished — each with its stage and due date."""
    overview = my_dossier_overview(citizen(request), page=request.GET.get("trang"))
    supplement_rows = []
    for card in overview.supplement:
        form = None
        if card.supplement is not None:
            form = SupplementForm(
                items=card.supplement.raw_items,
                requirements=overview.requirements,
                initial={"lock_version": card.dossier.lock_version},
                auto_id=f"bs-{card.dossier.reference}-%s",
            )
        supplement_rows.append((card, form))
    context = {"overview": overview, "supplement_rows": supplement_rows, "max_size": upload_limit()}
    return render(request, "portal/dossiers/mine.html", context)


@citizen_required
@require_safe
def dossier_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """The applicant's page of one dossier; a draft goes back to the wizard."""
    user = citizen(request)
    dossier = own_dossier(request, reference)
    if dossier.status == Status.DRAFT:
        return redirect("portal:dossier_files", reference=dossier.reference)
    page = applicant_dossier(user, dossier)
    form = None
    current = page.current_supplement
    if page.can_supplement and current is not None:
        form = _supplement_form(dossier, current)
    context = {"page": page, "dossier": dossier, "form": form, "max_size": upload_limit()}
    return render(request, "portal/dossiers/detail.html", context)


@citizen_required
@require_safe
def dossier_file(request: HttpRequest, reference: str, file_id: int) -> HttpResponseBase:
    """Download a file of the applicant's dossier (what they sent; the result once resolved)."""
    dossier = own_dossier(request, reference)
    item = applicant_file(dossier, file_id)
    if item is None:
        raise Http404(_("Không tìm thấy tệp."))
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("Không tìm thấy tệp.")) from None
    return FileResponse(handle, as_attachment=True, filename=item.name, content_type=item.content_type)


@citizen_required
@require_safe
def dossier_slip(request: HttpRequest, reference: str, slip_id: int) -> HttpResponse:
    """The PDF of a slip addressed to the applicant (Mẫu 01–04)."""
    dossier = own_dossier(request, reference)
    slip = applicant_slip(dossier, slip_id)
    if slip is None:
        raise Http404(_("Không tìm thấy phiếu."))
    pdf = slip_pdf_bytes(slip)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"mau{slip.form}-{dossier.code or dossier.reference}.pdf"
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=name) or "attachment"
    )
    return response


@citizen_required
@require_http_methods(["GET", "POST"])
def dossier_supplement(request: HttpRequest, reference: str) -> HttpResponse:
    """Hand in what a supplement request asks for: one upload per item. Good files are kept
    when another is refused; "Nộp hồ sơ bổ sung" sends the dossier back to the desk."""
    user = citizen(request)
    dossier = own_dossier(request, reference, "change")
    asked = latest_supplement_requests([dossier.pk]).get(dossier.pk)
    if dossier.status != Status.SUPPLEMENT_REQUESTED or asked is None:
        messages.info(request, _("Hồ sơ này không ở trạng thái chờ bổ sung."))
        return redirect("portal:dossier_detail", reference=dossier.reference)
    if request.method == "POST":
        form = _supplement_form(dossier, asked, request.POST, request.FILES)
        if form.is_valid():
            requirements = supplement_requirements([asked])
            earlier = {f.requirement_id: f for f in supplement_files(dossier, asked) if f.requirement_id}
            for item in asked.items:
                name = f"item_{item.number}"
                upload = form.cleaned_data.get(name)
                if not upload:
                    continue
                try:
                    services.dossier_file_attach(
                        dossier=dossier,
                        actor=user,
                        upload=upload,
                        kind=DossierFile.Kind.SUPPLEMENT,
                        requirement=requirements.get(item.requirement_id or 0),
                        replaces=earlier.get(item.requirement_id) if item.requirement_id else None,
                    )
                except DossierError as error:
                    apply_errors(form, error, default_field=name)
        if not form.errors:
            if request.POST.get("action") == "save":
                messages.success(request, _("Đã lưu giấy tờ bổ sung; hồ sơ chưa được nộp lại."))
                return redirect("portal:dossier_supplement", reference=dossier.reference)
            try:
                services.dossier_supplement_submit(
                    dossier=dossier,
                    actor=user,
                    note=form.cleaned_data.get("note", ""),
                    expected_lock_version=form.cleaned_data["lock_version"],
                )
            except DossierError as error:
                apply_errors(form, error, dossier=dossier)
            else:
                messages.success(
                    request, _("Đã nộp hồ sơ bổ sung. Bộ phận một cửa sẽ kiểm tra và tiếp nhận lại hồ sơ.")
                )
                return redirect("portal:dossier_detail", reference=dossier.reference)
    else:
        form = _supplement_form(dossier, asked)
    context = {
        "dossier": dossier,
        "asked": asked,
        "form": form,
        "sent": supplement_files(dossier, asked),
        "max_size": upload_limit(),
    }
    return render(request, "portal/dossiers/supplement.html", context, status=400 if form.errors else 200)


@citizen_required
@require_http_methods(["GET", "POST"])
def dossier_withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    """Withdraw the dossier: a confirmation page with the reason."""
    user = citizen(request)
    dossier = own_dossier(request, reference, "change")
    if not can_act(user, dossier, Action.WITHDRAW):
        messages.error(
            request,
            _("Hồ sơ ở trạng thái «%(stage)s» không rút được.") % {"stage": dossier.get_status_display()},
        )
        return redirect("portal:dossier_detail", reference=dossier.reference)
    if request.method == "POST":
        form = WithdrawForm(request.POST)
        if form.is_valid():
            try:
                services.dossier_withdraw(
                    dossier=dossier,
                    actor=user,
                    reason=form.cleaned_data["reason"],
                    expected_lock_version=form.cleaned_data["lock_version"],
                )
            except DossierError as error:
                apply_errors(form, error, dossier=dossier)
            else:
                messages.success(request, _("Đã rút hồ sơ. Cơ quan giải quyết sẽ dừng xử lý hồ sơ này."))
                return redirect("portal:dossier_detail", reference=dossier.reference)
    else:
        form = WithdrawForm(initial={"lock_version": dossier.lock_version})
    return render(
        request,
        "portal/dossiers/withdraw.html",
        {"dossier": dossier, "form": form},
        status=400 if form.errors else 200,
    )


@citizen_required
@require_http_methods(["GET", "POST"])
def dossier_rate(request: HttpRequest, reference: str) -> HttpResponse:
    """Rate the service once the result is returned — once only."""
    user = citizen(request)
    dossier = own_dossier(request, reference, "change")
    if Rating.objects.filter(dossier=dossier).exists():
        messages.info(request, _("Bạn đã đánh giá hồ sơ này. Cảm ơn bạn!"))
        return redirect("portal:dossier_detail", reference=dossier.reference)
    if not can_act(user, dossier, Action.RATE):
        messages.info(request, _("Bạn có thể đánh giá sau khi nhận kết quả giải quyết hồ sơ."))
        return redirect("portal:dossier_detail", reference=dossier.reference)
    form = RatingForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            services.dossier_rate(
                dossier=dossier,
                actor=user,
                score=form.cleaned_data["score"],
                criteria=form.criteria(),
                comment=form.cleaned_data.get("comment", ""),
                source=Rating.Source.ONLINE,
            )
        except DossierError as error:
            if error.code == "already_rated":
                messages.info(request, error.message)
                return redirect("portal:dossier_detail", reference=dossier.reference)
            apply_errors(form, error)
        else:
            messages.success(request, _("Cảm ơn bạn đã đánh giá việc giải quyết hồ sơ."))
            return redirect("portal:dossier_detail", reference=dossier.reference)
    return render(
        request,
        "portal/dossiers/rate.html",
        {"dossier": dossier, "form": form},
        status=400 if form.errors else 200,
    )
