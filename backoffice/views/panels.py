"""The actions of the dossier page's panels (``backoffice.panels``): send a liên thông task, give
it to a civil servant of the participating agency (its leader) and record its result; ask for the
financial obligation, confirm it by its voucher, take the fees at the counter.

Each is a POST that calls one service (``dossiers.services`` or ``payments.services``). As on the
rest of the dossier page, a refusal shows the page again with the Vietnamese reason and the form
as it was typed; of two people acting at once on the same version of the dossier, the second is
told it has just changed, with the form carrying the new version.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import staff_required
from backoffice import panels
from backoffice.dossier_page import DossierPage, local_text
from backoffice.forms.fields import ServiceForm
from backoffice.forms.task_assign import assign_form, assign_slug
from backoffice.views.dossier import FAILED, page_context
from backoffice.views.http import access_dossier, dossier_url, staff_user
from catalog.rules import money
from dossiers.errors import ConcurrentUpdate, DossierError
from dossiers.models import DossierFile
from dossiers.selectors import inter_agency_task
from dossiers.services import (
    dossier_fees_request,
    dossier_file_attach,
    dossier_inter_agency_finish,
    dossier_inter_agency_start,
    dossier_payment_confirm,
)
from dossiers.services.inter_agency import dossier_inter_agency_assign
from dossiers.services.stored_files import StoredFiles
from dossiers.transitions import CONCURRENT_MESSAGE, Action, check_transition
from payments.errors import PaymentError
from payments.services import payment_counter_record

BuildForm = Callable[[DossierPage, Any, Any], forms.Form]
"""Builds the panel's form for the page, bound to the POST's data and uploaded files."""
Run = Callable[[forms.Form, DossierPage], str]
"""Calls the service and returns what the person is told when it succeeded."""


def _show_errors(form: forms.Form, field_errors: dict[str, list[str]]) -> None:
    if isinstance(form, ServiceForm):
        form.add_service_errors(field_errors)
        return
    for name, errors in field_errors.items():
        for error in errors:
            if name in form.fields and not form.has_error(name):
                form.add_error(name, error)


def _panel_action(
    request: HttpRequest, code: str, *, slug: str, build: BuildForm, run: Run, anchor: str
) -> HttpResponse:
    user = staff_user(request)
    dossier = access_dossier(user, code, "change")
    page = DossierPage(user=user, dossier=dossier)
    form = build(page, request.POST, request.FILES)
    status = 400
    if not form.is_valid():
        error = _("%(failed)s: hãy kiểm tra các ô được đánh dấu.") % {"failed": FAILED}
    else:
        try:
            seen = form.cleaned_data.get("lock_version")
            if seen is not None and seen != dossier.lock_version:
                raise ConcurrentUpdate(str(CONCURRENT_MESSAGE))
            done = run(form, page)
        except ConcurrentUpdate as refused:
            error, status = refused.message, 409
        except (DossierError, PaymentError) as refused:
            error = refused.message
            _show_errors(form, refused.field_errors)
        else:
            messages.success(request, done)
            return redirect(f"{dossier_url(dossier)}#{anchor}")
    fresh = DossierPage(user=user, dossier=access_dossier(user, code))
    if status == 409 and "lock_version" in form.fields:
        assert isinstance(form.data, QueryDict)  # a POST
        data = form.data.copy()
        data["lock_version"] = str(fresh.dossier.lock_version)
        form = build(fresh, data, None)
        form.is_valid()
    if request.FILES:
        error += " " + _("Các tệp đã chọn cần chọn lại.")
    context = page_context(fresh, failed=(slug, form), error=error)
    return render(request, "backoffice/dossiers/detail.html", context, status=status)


def _lock(form: forms.Form) -> int:
    return int(form.cleaned_data["lock_version"])


# --- Liên thông ------------------------------------------------------------------------------------


@staff_required()
@require_POST
def inter_agency_send(request: HttpRequest, code: str) -> HttpResponse:
    """Send a liên thông task to another agency, alongside the step in hand."""

    def run(form: forms.Form, page: DossierPage) -> str:
        data = form.cleaned_data
        step = dossier_inter_agency_start(
            dossier=page.dossier,
            actor=page.user,
            agency=data["agency"],
            task=data["task"],
            budget_hours=Decimal(data["budget_hours"]),
            role=data["role"],
            expected_lock_version=_lock(form),
        )
        assert step.due_at is not None
        return _("Đã gửi nhiệm vụ liên thông đến %(agency)s, hạn %(due)s.") % {
            "agency": step.agency.name,
            "due": local_text(step.due_at),
        }

    return _panel_action(
        request,
        code,
        slug=panels.SEND,
        build=lambda page, data, files: panels.send_form(page, data),
        run=run,
        anchor="lien-thong",
    )


@staff_required()
@require_POST
def inter_agency_finish(request: HttpRequest, code: str, step_id: int) -> HttpResponse:
    """The participating agency records its result for its liên thông task and hands it back."""
    dossier = access_dossier(staff_user(request), code, "change")
    step = inter_agency_task(dossier, step_id)
    if step is None:
        raise Http404(_("Không tìm thấy nhiệm vụ liên thông."))

    def run(form: forms.Form, page: DossierPage) -> str:
        uploads = form.cleaned_data["uploads"]
        if uploads:
            # Someone who may not record this result is told so, not that files cannot be attached.
            check_transition(dossier=page.dossier, action=Action.FINISH_INTER_AGENCY, actor=page.user)
        # The answer's documents become working files of the dossier, then go on the result's
        # history row; a refused result rolls them back and leaves none on disk.
        with StoredFiles() as stored, transaction.atomic():
            files = []
            for upload in uploads:
                record = dossier_file_attach(
                    dossier=page.dossier, actor=page.user, upload=upload, kind=DossierFile.Kind.WORKING
                )
                stored.add(record)
                files.append(record)
            finished = dossier_inter_agency_finish(
                dossier=page.dossier,
                actor=page.user,
                step=step,
                outcome=form.cleaned_data["outcome"],
                files=files,
                expected_lock_version=_lock(form),
            )
        return _("Đã ghi kết quả nhiệm vụ liên thông của %(agency)s (%(rating)s).") % {
            "agency": finished.agency.name,
            "rating": finished.get_timeliness_display().lower(),
        }

    return _panel_action(
        request,
        code,
        slug=panels.finish_slug(step.pk),
        build=lambda page, data, files: panels.finish_form(page, data, files, step_id=step.pk),
        run=run,
        anchor="lien-thong",
    )


@staff_required()
@require_POST
def inter_agency_assign(request: HttpRequest, code: str, step_id: int) -> HttpResponse:
    """The participating agency's leader gives its liên thông task to one of its civil servants."""
    dossier = access_dossier(staff_user(request), code, "change")
    step = inter_agency_task(dossier, step_id)
    if step is None:
        raise Http404(_("Không tìm thấy nhiệm vụ liên thông."))

    def run(form: forms.Form, page: DossierPage) -> str:
        assignee = form.cleaned_data["assignee"]
        dossier_inter_agency_assign(
            dossier=page.dossier,
            actor=page.user,
            step=step,
            assignee=assignee,
            expected_lock_version=_lock(form),
        )
        return _("Đã giao nhiệm vụ liên thông «%(task)s» cho %(person)s.") % {
            "task": step.name,
            "person": assignee.get_full_name(),
        }

    return _panel_action(
        request,
        code,
        slug=assign_slug(step.pk),
        build=lambda page, data, files: assign_form(page, step, data),
        run=run,
        anchor="lien-thong",
    )


# --- Nghĩa vụ tài chính ---------------------------------------------------------------------------


@staff_required()
@require_POST
def obligation_request(request: HttpRequest, code: str) -> HttpResponse:
    """Ask the applicant to pay the fees still owed (and any other obligation): the dossier pauses."""

    def run(form: forms.Form, page: DossierPage) -> str:
        dossier_fees_request(
            dossier=page.dossier,
            actor=page.user,
            note=form.cleaned_data["note"],
            expected_lock_version=_lock(form),
        )
        return _(
            "Đã yêu cầu người nộp thực hiện nghĩa vụ tài chính; thời hạn giải quyết tạm dừng và người "
            "nộp được thông báo."
        )

    return _panel_action(
        request,
        code,
        slug=panels.REQUEST,
        build=lambda page, data, files: panels.request_form(page, data),
        run=run,
        anchor="nghia-vu-tai-chinh",
    )


@staff_required()
@require_POST
def obligation_confirm(request: HttpRequest, code: str) -> HttpResponse:
    """Confirm by its voucher that the obligation is fulfilled: processing resumes."""

    def run(form: forms.Form, page: DossierPage) -> str:
        dossier_payment_confirm(
            dossier=page.dossier,
            actor=page.user,
            reference=form.cleaned_data["reference"],
            expected_lock_version=_lock(form),
        )
        return _("Đã xác nhận người nộp hoàn thành nghĩa vụ tài chính; hồ sơ tiếp tục được xử lý.")

    return _panel_action(
        request,
        code,
        slug=panels.CONFIRM,
        build=lambda page, data, files: panels.confirm_form(page, data),
        run=run,
        anchor="nghia-vu-tai-chinh",
    )


@staff_required()
@require_POST
def obligation_counter(request: HttpRequest, code: str) -> HttpResponse:
    """The desk takes the fees still owed at the counter: the receipt is issued and a dossier
    waiting for them resumes."""

    def run(form: forms.Form, page: DossierPage) -> str:
        payment = payment_counter_record(
            dossier=page.dossier,
            clerk=page.user,
            payer_name=form.cleaned_data["payer_name"],
            note=form.cleaned_data["note"],
        )
        return _("Đã thu %(amount)s tại quầy và lập biên lai số %(number)s.") % {
            "amount": money(int(payment.amount)),
            "number": payment.ereceipt.number,
        }

    return _panel_action(
        request,
        code,
        slug=panels.COUNTER,
        build=lambda page, data, files: panels.counter_form(page, data),
        run=run,
        anchor="nghia-vu-tai-chinh",
    )
