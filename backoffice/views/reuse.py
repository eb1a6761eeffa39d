"""Reuse at the desk: while the clerk scans a paper dossier, the applicant's data store (found by
the personal identification number or tax code typed in) offers the valid documents each
component accepts; one press attaches a copy (origin "reused") instead of a scan. A scan of a
component with a document type may also be kept in the applicant's store for next time."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import staff_required
from backoffice.dossier_page import DossierPage
from backoffice.views.dossier import page_context
from backoffice.views.http import access_dossier, dossier_url, partial, staff_user
from catalog.models import ComponentRequirement
from datastore.services import owned_by_applicant, stored_document_from_scan, stored_document_reuse
from dossiers.errors import DossierError

CLERK = [Role.CLERK]


def _after(request: HttpRequest, page: DossierPage, *, notice: str = "", error: str = "") -> HttpResponse:
    fresh = DossierPage(user=page.user, dossier=access_dossier(page.user, page.key, "change"))
    if partial(request):
        context = {
            **page_context(fresh, place="desk"),
            "attach_errors": [error] if error else [],
            "attach_notice": notice,
        }
        return render(request, "backoffice/dossiers/_attached.html", context)
    if error:
        context = {**page_context(fresh, place="desk"), "attach_errors": [error]}
        return render(request, "backoffice/dossiers/reception.html", context, status=400)
    messages.success(request, notice)
    return redirect(dossier_url(fresh.dossier, "dossier_reception"))


@staff_required(roles=CLERK)
@require_POST
def dossier_reuse(request: HttpRequest, code: str) -> HttpResponse:
    """Use one of the applicant's stored documents as a component of the dossier at the desk."""
    user = staff_user(request)
    dossier = access_dossier(user, code, "change")
    page = DossierPage(user=user, dossier=dossier)
    requirement_id, document_id = request.POST.get("requirement", ""), request.POST.get("document", "")
    requirement = (
        ComponentRequirement.objects.filter(
            pk=requirement_id, version_id=dossier.procedure_version_id
        ).first()
        if requirement_id.isdigit()
        else None
    )
    document = owned_by_applicant(dossier).filter(pk=document_id).first() if document_id.isdigit() else None
    if requirement is None or document is None:
        return _after(request, page, error=_("Không tìm thấy giấy tờ này trong kho dữ liệu của người nộp."))
    try:
        stored_document_reuse(document=document, dossier=dossier, requirement=requirement, actor=user)
    except DossierError as refused:
        return _after(request, page, error=refused.message)
    notice = _("Đã dùng «%(title)s» trong kho dữ liệu của người nộp cho thành phần «%(name)s».") % {
        "title": document.title,
        "name": requirement.name,
    }
    return _after(request, page, notice=notice)


@staff_required(roles=CLERK)
@require_POST
def dossier_keep_scan(request: HttpRequest, code: str, file_id: int) -> HttpResponse:
    """Keep a scanned component in the applicant's data store, so that the next dossier reuses it."""
    user = staff_user(request)
    dossier = access_dossier(user, code, "change")
    page = DossierPage(user=user, dossier=dossier)
    scan = dossier.files.select_related("requirement__document_type").filter(pk=file_id).first()
    if scan is None:
        raise Http404(_("Không tìm thấy tệp."))
    try:
        document = stored_document_from_scan(dossier_file=scan, actor=user)
    except DossierError as refused:
        return _after(request, page, error=refused.message)
    notice = _("Đã lưu «%(name)s» vào kho dữ liệu của %(owner)s.") % {
        "name": document.title,
        "owner": document.owner_name,
    }
    return _after(request, page, notice=notice)
