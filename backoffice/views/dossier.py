"""The dossier page: what the dossier is and where it stands, and the actions allowed now.

Every action is a POST with the dossier's ``lock_version``; the service it calls decides. A
refusal is shown in Vietnamese with the form as it was typed; of two people acting at once on
the same version, the second is told that the dossier has just changed.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import staff_required
from backoffice.actions import ACTIONS, DossierAction, Place, new_form, offers
from backoffice.dossier_page import DossierPage
from backoffice.forms.fields import LockedForm
from backoffice.forms.task_assign import task_assignments
from backoffice.panels import dossier_panels
from backoffice.views.http import access_dossier, dossier_url, file_response, staff_user
from dossiers.errors import ConcurrentUpdate, DossierError
from dossiers.models import Dossier, Slip
from dossiers.permissions import facts_read_once
from dossiers.slips import slip_control_refresh, slip_issue, slip_pdf_bytes
from dossiers.transitions import CONCURRENT_MESSAGE

FAILED = gettext_lazy("Chưa thực hiện được")


def page_context(
    page: DossierPage,
    *,
    place: Place = "page",
    failed: tuple[str, forms.Form] | None = None,
    error: str = "",
    slip_id: str | None = None,
) -> dict[str, Any]:
    """What the dossier page (``place="page"``) or the desk (``"desk"``) shows of ``page``."""
    shown = offers(page, place, failed)
    highlight = None
    if slip_id and slip_id.isdigit():
        highlight = next((slip for slip in page.slips if slip.pk == int(slip_id)), None)
    return {
        "page": page,
        "dossier": page.dossier,
        "offers": shown,
        "primary": next((o.spec.slug for o in shown if o.spec.tone == "primary"), ""),
        "error": error,
        "failed_slug": failed[0] if failed else "",
        "highlight": highlight,
        "desk_url": dossier_url(page.dossier, "dossier_reception")
        if page.at_desk and page.is_clerk_here
        else "",
        "place": place,
        "panels": dossier_panels(page, failed) if place == "page" else None,
        "task_assignments": task_assignments(page, failed) if place == "page" else [],
    }


@staff_required()
@require_GET
def dossier_detail(request: HttpRequest, code: str) -> HttpResponse:
    """The dossier, its steps (Mẫu 05), files, slips and history, and what this person may do."""
    user = staff_user(request)
    with facts_read_once():  # the person's roles and the dossier's step: read once for every button
        page = DossierPage(user=user, dossier=access_dossier(user, code))
        context = page_context(page, slip_id=request.GET.get("phieu"))
        return render(request, "backoffice/dossiers/detail.html", context)


def _last_slip_id(dossier: Dossier) -> int:
    return int(dossier.slips.aggregate(last=Max("id"))["last"] or 0)


def _after(dossier: Dossier, *, new_slip: int | None, page: DossierPage) -> HttpResponseRedirect:
    fresh = DossierPage(user=page.user, dossier=dossier)
    name = "dossier_reception" if fresh.at_desk and fresh.is_clerk_here else "dossier_detail"
    url = dossier_url(dossier, name)
    if new_slip:
        url += f"?phieu={new_slip}"
    return redirect(url)


def _refreshed(form: forms.Form, spec: DossierAction, page: DossierPage) -> forms.Form:
    """``form`` as typed, but carrying the dossier's current version (after a concurrent change
    the person sees the new state and decides again)."""
    assert isinstance(form.data, QueryDict)  # a POST
    data = form.data.copy()
    data["lock_version"] = str(page.dossier.lock_version)
    again = new_form(spec, page, data)
    again.is_valid()
    return again


@staff_required()
@require_POST
def dossier_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    """Take ``action`` on the dossier through its service; show the refusal if it refuses."""
    user = staff_user(request)
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404(_("Không có thao tác này."))
    dossier = access_dossier(user, code, "change")
    page = DossierPage(user=user, dossier=dossier)
    form = new_form(spec, page, request.POST, request.FILES)
    status = 400
    if not form.is_valid():
        error = _("%(failed)s: hãy kiểm tra các ô được đánh dấu.") % {"failed": FAILED}
    else:
        before = _last_slip_id(dossier)
        try:
            if form.cleaned_data["lock_version"] != dossier.lock_version:
                raise ConcurrentUpdate(str(CONCURRENT_MESSAGE))
            spec.run(form, page)
        except ConcurrentUpdate as refused:
            error, status = refused.message, 409
        except DossierError as refused:
            error = refused.message
            if isinstance(form, LockedForm):
                form.add_service_errors(refused.field_errors)
        else:
            messages.success(request, str(spec.done))
            after = _last_slip_id(dossier)
            return _after(dossier, new_slip=after if after > before else None, page=page)
    fresh = DossierPage(user=user, dossier=access_dossier(user, code))
    if status == 409:
        form = _refreshed(form, spec, fresh)
    if request.FILES:
        error += " " + _("Các tệp đã chọn cần chọn lại.")
    place: Place = "desk" if fresh.at_desk and fresh.is_clerk_here and spec.desk(fresh) else "page"
    context = page_context(fresh, place=place, failed=(spec.slug, form), error=error)
    template = "backoffice/dossiers/reception.html" if place == "desk" else "backoffice/dossiers/detail.html"
    return render(request, template, context, status=status)


@staff_required()
@require_GET
def dossier_file(request: HttpRequest, code: str, file_id: int) -> HttpResponse:
    """A file of the dossier (a scan, an upload, a result), opened in the browser."""
    dossier = access_dossier(staff_user(request), code)
    record = dossier.files.filter(pk=file_id).first()
    if record is None:
        raise Http404(_("Không tìm thấy tệp."))
    try:
        with record.file.open("rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        raise Http404(_("Tệp không còn trên máy chủ lưu trữ; đề nghị liên hệ quản trị.")) from None
    return file_response(content, content_type=record.content_type, filename=record.name)


@staff_required()
@require_GET
def dossier_slip(request: HttpRequest, code: str, slip_id: int) -> HttpResponse:
    """A slip of the dossier (Mẫu 01–05) as PDF, to print."""
    dossier = access_dossier(staff_user(request), code)
    slip = dossier.slips.filter(pk=slip_id).first()
    if slip is None:
        raise Http404(_("Không tìm thấy phiếu."))
    name = f"mau{slip.form}-{slip.number.replace('/', '-')}-{dossier.code or dossier.reference}.pdf"
    return file_response(slip_pdf_bytes(slip), content_type="application/pdf", filename=name)


@staff_required()
@require_POST
def dossier_control_slip(request: HttpRequest, code: str) -> HttpResponse:
    """Print the control slip (Mẫu 05) as it stands: issued the first time, brought up to date
    with the hand-overs made since afterwards; then its PDF opens."""
    user = staff_user(request)
    dossier = access_dossier(user, code, "change")
    slip = dossier.slips.filter(form=Slip.Form.CONTROL).order_by("-issued_at").first()
    try:
        if slip is None:
            slip = slip_issue(dossier=dossier, form=Slip.Form.CONTROL, actor=user)
        else:
            slip = slip_control_refresh(slip=slip)
    except DossierError as refused:
        messages.error(request, refused.message)
        return redirect(dossier_url(dossier))
    return redirect("backoffice:dossier_slip", code=code, slip_id=slip.pk)
