"""Submitting a dossier online, in three steps over a draft kept on the server.

1. ``dossier_start`` / ``dossier_applicant``: who applies (from the account) and, for a
   commune-level procedure, which commune decides; the first step creates the draft.
2. ``dossier_files``: one upload per component; good files are kept when another is refused.
3. ``dossier_review``: everything once more, the pledge, and "Nộp hồ sơ" with an idempotency
   key, so that a second press (or a retried request) never makes a second dossier.

The draft is a ``Dossier`` in status draft: closing the browser loses nothing, and "Hồ sơ của
tôi" offers to continue it. ``dossier_submitted`` confirms and says what happens next.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from accounts.models import User
from catalog.models import ProcedureVersion
from catalog.selectors import procedure_in_force
from dossiers.errors import DossierError, TransitionNotAllowed
from dossiers.models import Dossier, DossierFile, Status
from dossiers.services import (
    ApplicantData,
    dossier_draft_create,
    dossier_draft_update,
    dossier_file_attach,
    dossier_submit,
)
from dossiers.services.intake import missing_components
from portal.dossier_forms import ApplicantForm, ComponentFilesForm, SubmitForm
from portal.dossier_views.guards import (
    apply_errors,
    citizen,
    citizen_required,
    new_idempotency_key,
    own_dossier,
    upload_limit,
)
from portal.dossier_views.reuse import reuse_chosen, with_offers
from portal.selectors import component_requirements, current_components, drafts_of_procedure
from portal.templatetags.vn_format import file_size

STEPS = (
    (1, gettext_lazy("Người nộp")),
    (2, gettext_lazy("Giấy tờ")),
    (3, gettext_lazy("Xem lại và nộp")),
)


def _status(form_has_errors: bool) -> int:
    return 400 if form_has_errors else 200


def _applicant(user: User, data: dict[str, Any]) -> ApplicantData:
    return ApplicantData(
        name=user.get_full_name(),
        national_id=user.national_id or "",
        phone=data.get("phone", ""),
        email=data.get("email", ""),
        address=data.get("address", ""),
        organization_name=data.get("organization_name", ""),
        organization_tax_code=data.get("organization_tax_code", ""),
    )


def _wizard_context(dossier: Dossier | None, version: ProcedureVersion, step: int) -> dict[str, Any]:
    return {
        "dossier": dossier,
        "version": version,
        "step": step,
        "steps": [(number, str(label)) for number, label in STEPS],
    }


def _draft(request: HttpRequest, reference: str) -> Dossier | HttpResponse:
    """The applicant's draft, or a redirect to the page of a dossier already submitted."""
    dossier = own_dossier(request, reference, "change")
    if dossier.status != Status.DRAFT:
        return redirect("portal:dossier_detail", reference=dossier.reference)
    return dossier


@citizen_required
@require_http_methods(["GET", "POST"])
def dossier_start(request: HttpRequest, code: str) -> HttpResponse:
    """Step 1 of a new dossier for procedure ``code``; the draft is created when it is sent."""
    user = citizen(request)
    try:
        version = procedure_in_force(code=code)
    except ProcedureVersion.DoesNotExist:
        raise Http404(_("Không có thủ tục đang áp dụng với mã này.")) from None
    if not version.is_online:
        messages.error(
            request, _("Thủ tục này chưa nộp trực tuyến được: hãy nộp trực tiếp hoặc qua bưu chính.")
        )
        return redirect("portal:procedure_detail", code=code)
    if request.method == "POST":
        form = ApplicantForm(request.POST, version=version)
        if form.is_valid():
            data = form.cleaned_data
            try:
                dossier = dossier_draft_create(
                    actor=user,
                    procedure_version=version,
                    commune=data.get("commune"),
                    applicant=_applicant(user, data),
                    idempotency_key=data.get("idempotency_key") or None,
                    notes=data.get("notes", ""),
                )
            except DossierError as error:
                apply_errors(form, error)
            else:
                return redirect("portal:dossier_files", reference=dossier.reference)
    else:
        form = ApplicantForm(
            version=version,
            initial={
                "phone": user.phone,
                "email": user.email,
                "address": user.address,
                "idempotency_key": new_idempotency_key(),
            },
        )
    context = _wizard_context(None, version, 1) | {
        "form": form,
        "drafts": drafts_of_procedure(user, version.procedure_id),
    }
    return render(request, "portal/dossiers/step_applicant.html", context, status=_status(bool(form.errors)))


@citizen_required
@require_http_methods(["GET", "POST"])
def dossier_applicant(request: HttpRequest, reference: str) -> HttpResponse:
    """Step 1 again, for a draft: change the contacts or the commune."""
    user = citizen(request)
    found = _draft(request, reference)
    if isinstance(found, HttpResponse):
        return found
    dossier = found
    version = dossier.procedure_version
    if request.method == "POST":
        form = ApplicantForm(request.POST, version=version)
        if form.is_valid():
            data = form.cleaned_data
            changes: dict[str, Any] = {"applicant": _applicant(user, data), "notes": data.get("notes", "")}
            if "commune" in form.fields:
                changes["commune"] = data["commune"]
            try:
                dossier_draft_update(dossier=dossier, actor=user, **changes)
            except DossierError as error:
                apply_errors(form, error)
            else:
                return redirect("portal:dossier_files", reference=dossier.reference)
    else:
        form = ApplicantForm(
            version=version,
            initial={
                "commune": dossier.competent_agency_id,
                "phone": dossier.applicant_phone,
                "email": dossier.applicant_email,
                "address": dossier.applicant_address,
                "organization_name": dossier.organization_name,
                "organization_tax_code": dossier.organization_tax_code,
                "notes": dossier.notes,
            },
        )
    context = _wizard_context(dossier, version, 1) | {"form": form, "drafts": []}
    return render(request, "portal/dossiers/step_applicant.html", context, status=_status(bool(form.errors)))


def _component_rows(dossier: Dossier, form: ComponentFilesForm) -> list[dict[str, Any]]:
    current = current_components(dossier)
    rows = []
    for requirement in component_requirements(dossier):
        name = f"requirement_{requirement.pk}"
        bound = form[name] if name in form.fields else None
        kept = current.get(requirement.pk)
        if bound is not None and kept is not None:
            # Read with the field (aria-describedby): what is already there, after this request.
            bound.help_text = _("Đã tải lên «%(name)s» (%(size)s). Chọn tệp khác nếu muốn thay thế.") % {
                "name": kept.name,
                "size": file_size(kept.size),
            }
        rows.append({"requirement": requirement, "field": bound, "file": kept})
    return rows


@citizen_required
@require_http_methods(["GET", "POST"])
def dossier_files(request: HttpRequest, reference: str) -> HttpResponse:
    """Step 2: upload the components. Each upload is checked by the engine on its own: a file
    of the wrong type or too big is refused with its reason, the others are kept."""
    user = citizen(request)
    found = _draft(request, reference)
    if isinstance(found, HttpResponse):
        return found
    dossier = found
    requirements = component_requirements(dossier)
    if request.method == "POST":
        form = ComponentFilesForm(request.POST, request.FILES, requirements=requirements)
        form.is_valid()
        current = current_components(dossier)
        saved = 0
        for requirement in requirements:
            name = f"requirement_{requirement.pk}"
            upload = form.cleaned_data.get(name) if name in form.fields else None
            if not upload:
                continue
            try:
                dossier_file_attach(
                    dossier=dossier,
                    actor=user,
                    upload=upload,
                    kind=DossierFile.Kind.COMPONENT,
                    requirement=requirement,
                    replaces=current.get(requirement.pk),
                )
            except DossierError as error:
                apply_errors(form, error, default_field=name)
            else:
                saved += 1
        reuse_chosen(request, dossier=dossier, user=user, form=form, requirements=requirements)
        if not form.errors:
            if request.POST.get("action") == "next":
                return redirect("portal:dossier_review", reference=dossier.reference)
            if saved:
                messages.success(request, _("Đã lưu giấy tờ vào bản nháp hồ sơ."))
            return redirect("portal:dossier_files", reference=dossier.reference)
        if saved:
            messages.success(request, _("Đã lưu các tệp hợp lệ; hãy chọn lại tệp bị từ chối."))
    else:
        form = ComponentFilesForm(requirements=requirements)
    context = _wizard_context(dossier, dossier.procedure_version, 2) | {
        "form": form,
        "rows": with_offers(dossier, _component_rows(dossier, form)),
        "max_size": upload_limit(),
    }
    return render(request, "portal/dossiers/step_files.html", context, status=_status(bool(form.errors)))


@citizen_required
@require_http_methods(["GET", "POST"])
def dossier_review(request: HttpRequest, reference: str) -> HttpResponse:
    """Step 3: review and submit. The hidden key is generated when the page is drawn; the same
    key sent twice returns the dossier the first press submitted."""
    user = citizen(request)
    dossier = own_dossier(request, reference, "change")
    if request.method == "POST":
        form = SubmitForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                submitted = dossier_submit(
                    dossier=dossier,
                    actor=user,
                    idempotency_key=data["idempotency_key"],
                    expected_lock_version=data["lock_version"],
                )
            except TransitionNotAllowed as error:
                if dossier.status != Status.DRAFT:
                    messages.info(request, _("Hồ sơ này đã được nộp."))
                    return redirect("portal:dossier_detail", reference=dossier.reference)
                apply_errors(form, error)
            except DossierError as error:
                apply_errors(form, error, dossier=dossier)
            else:
                return redirect("portal:dossier_submitted", reference=submitted.reference)
        elif dossier.status != Status.DRAFT:
            return redirect("portal:dossier_detail", reference=dossier.reference)
    elif dossier.status != Status.DRAFT:
        return redirect("portal:dossier_detail", reference=dossier.reference)
    else:
        form = SubmitForm(
            initial={"idempotency_key": new_idempotency_key(), "lock_version": dossier.lock_version}
        )
    version = dossier.procedure_version
    files = current_components(dossier)
    requirements = component_requirements(dossier)
    context = _wizard_context(dossier, version, 3) | {
        "form": form,
        "rows": [{"requirement": r, "file": files.get(r.pk)} for r in requirements],
        "missing": missing_components(dossier, include_paper_only=False)
        if dossier.status == Status.DRAFT
        else [],
        "fees": [(fee, fee.amount_for(online=True)) for fee in version.fees.all()],
    }
    return render(request, "portal/dossiers/step_review.html", context, status=_status(bool(form.errors)))


@citizen_required
@require_safe
def dossier_submitted(request: HttpRequest, reference: str) -> HttpResponse:
    """The confirmation: the submission reference and what happens next."""
    dossier = own_dossier(request, reference)
    if dossier.status == Status.DRAFT:
        return redirect("portal:dossier_review", reference=dossier.reference)
    return render(request, "portal/dossiers/submitted.html", {"dossier": dossier})
