"""The reception desk: a paper dossier typed in (procedure, applicant, competent commune), its
papers scanned and attached, then one outcome — received (Mẫu 01), supplement requested
(Mẫu 02) or refused (Mẫu 03). Online submissions come to the same desk page from the queue."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Role, User
from accounts.permissions import staff_required
from agencies.models import Agency
from backoffice.dossier_page import DossierPage
from backoffice.forms.reception import AttachForm, DeskIntakeForm
from backoffice.selectors import citizen_by_national_id, clerk_desks
from backoffice.views.dossier import page_context
from backoffice.views.http import access_dossier, dossier_url, partial, staff_user
from catalog.models import ProcedureVersion
from catalog.selectors import procedure_search
from dossiers.errors import DossierError
from dossiers.models import DossierFile, Status
from dossiers.services import dossier_counter_create, dossier_file_attach

PROCEDURE_CHOICES = 12
CLERK = [Role.CLERK]


def _default_commune(desks: list[Agency]) -> int | None:
    """The commune a desk belongs to (itself, or its parent): the usual competent commune."""
    for desk in desks:
        if desk.kind == Agency.Kind.COMMUNE:
            return desk.pk
        if desk.parent_id is not None and desk.kind == Agency.Kind.ONE_STOP_DESK:
            return desk.parent_id
    return None


def _procedure_choices(query: str, chosen: ProcedureVersion | None) -> list[ProcedureVersion]:
    found = [
        v for v in procedure_search(query=query)[:PROCEDURE_CHOICES] if chosen is None or v.pk != chosen.pk
    ]
    return ([chosen] if chosen is not None else []) + found


def _intake_context(form: DeskIntakeForm, query: str) -> dict[str, Any]:
    chosen = form.chosen_procedure()
    return {
        "form": form,
        "query": query,
        "chosen": chosen,
        "procedures": _procedure_choices(query, chosen),
        "components": list(chosen.components.order_by("order", "id")) if chosen else [],
    }


@staff_required(roles=CLERK)
@require_http_methods(["GET", "POST"])
def reception_new(request: HttpRequest) -> HttpResponse:
    """Open a dossier brought to the counter; its papers are scanned on the next page."""
    user = staff_user(request)
    desks = clerk_desks(user)
    if not desks:
        return render(request, "backoffice/reception/no_desk.html", status=403)
    query = request.GET.get("tim_thu_tuc", "")
    if request.method == "POST":
        form = DeskIntakeForm(request.POST, desks=desks)
        if form.is_valid():
            data = form.cleaned_data
            try:
                dossier = dossier_counter_create(
                    actor=user,
                    procedure_version=data["procedure"],
                    applicant=form.applicant(),
                    commune=data["commune"],
                    desk=data["desk"],
                    channel=data["channel"],
                    sets=data["sets"],
                    notes=data["notes"],
                )
            except DossierError as refused:
                form.add_error(None, refused.message)
                form.add_service_errors(refused.field_errors)
            else:
                messages.success(
                    request, _("Đã tạo hồ sơ. Quét và đính kèm giấy tờ, rồi chọn kết quả tiếp nhận.")
                )
                return redirect(dossier_url(dossier, "dossier_reception"))
        return render(request, "backoffice/reception/new.html", _intake_context(form, query), status=400)
    initial: dict[str, Any] = {"commune": _default_commune(desks), "channel": "counter", "sets": 1}
    initial.update({key: value for key, value in request.GET.items() if value and key != "tim_thu_tuc"})
    form = DeskIntakeForm(initial=initial, desks=desks)
    return render(request, "backoffice/reception/new.html", _intake_context(form, query))


@staff_required(roles=CLERK)
@require_GET
def reception_procedures(request: HttpRequest) -> HttpResponse:
    """The procedures matching what the clerk types (the list the desk picks from)."""
    form = DeskIntakeForm(initial={"procedure": request.GET.get("procedure")}, desks=[])
    context = _intake_context(form, request.GET.get("tim_thu_tuc", ""))
    return render(request, "backoffice/reception/_procedure_choices.html", context)


@staff_required(roles=CLERK)
@require_GET
def reception_procedure(request: HttpRequest) -> HttpResponse:
    """The chosen procedure: its time limit and components, and the commune for a commune-level one."""
    desks = clerk_desks(staff_user(request))
    initial = {"procedure": request.GET.get("procedure"), "commune": _default_commune(desks)}
    form = DeskIntakeForm(initial=initial, desks=desks)
    return render(request, "backoffice/reception/_procedure_chosen.html", _intake_context(form, ""))


@staff_required(roles=CLERK)
@require_GET
def reception_applicant(request: HttpRequest) -> HttpResponse:
    """The applicant's fields, prefilled from the citizen account with this identity number."""
    typed = {key: request.GET.get(key, "") for key in ("name", "phone", "email", "address")}
    card = citizen_by_national_id(request.GET.get("national_id", ""))
    if card is not None:
        typed.update(name=card.name, phone=card.phone, email=card.email, address=card.address)
    form = DeskIntakeForm(initial=typed, desks=[])
    return render(
        request, "backoffice/reception/_applicant.html", {"form": form, "card": card, "looked_up": True}
    )


def _desk_page(user: User, code: str) -> DossierPage:
    return DossierPage(user=user, dossier=access_dossier(user, code, "change"))


@staff_required(roles=CLERK)
@require_GET
def dossier_reception(request: HttpRequest, code: str) -> HttpResponse:
    """The desk's page of a dossier being received: its papers, what is missing, the outcomes."""
    page = _desk_page(staff_user(request), code)
    if not (page.at_desk and page.is_clerk_here):
        messages.info(request, _("Hồ sơ không còn chờ tiếp nhận tại bộ phận một cửa của bạn."))
        return redirect(dossier_url(page.dossier))
    context = page_context(page, place="desk", slip_id=request.GET.get("phieu"))
    return render(request, "backoffice/dossiers/reception.html", context)


def _attach_kind(status: str) -> str:
    return (
        DossierFile.Kind.SUPPLEMENT if status == Status.SUPPLEMENT_REQUESTED else DossierFile.Kind.COMPONENT
    )


@staff_required(roles=CLERK)
@require_POST
def dossier_attach(request: HttpRequest, code: str) -> HttpResponse:
    """Attach the scans of one component (several files at once); each file is checked and
    stored on its own, so one bad file does not lose the others."""
    user = staff_user(request)
    page = _desk_page(user, code)
    dossier = page.dossier
    form = AttachForm(request.POST, request.FILES, version_id=dossier.procedure_version_id)
    errors: list[str] = []
    attached: list[DossierFile] = []
    if form.is_valid():
        for upload in form.cleaned_data["scans"]:
            try:
                attached.append(
                    dossier_file_attach(
                        dossier=dossier,
                        actor=user,
                        upload=upload,
                        kind=_attach_kind(dossier.status),
                        requirement=form.cleaned_data["requirement"],
                    )
                )
            except DossierError as refused:
                errors.append(refused.message)
    else:
        errors.extend(str(message) for messages_ in form.errors.values() for message in messages_)
    notice = (
        _("Đã đính kèm %(n)s tệp: %(names)s.")
        % {"n": len(attached), "names": ", ".join(f.name for f in attached)}
        if attached
        else ""
    )
    page = _desk_page(user, code)
    if partial(request):
        context = {**page_context(page, place="desk"), "attach_errors": errors, "attach_notice": notice}
        return render(request, "backoffice/dossiers/_attached.html", context)
    if errors:
        context = {**page_context(page, place="desk"), "attach_errors": errors, "attach_notice": notice}
        return render(request, "backoffice/dossiers/reception.html", context, status=400)
    messages.success(request, notice)
    return redirect(dossier_url(dossier, "dossier_reception"))
