"""Staff pages: the clerk's counter payment (the money is taken at the desk, the receipt issued at
once) and the exemption of a fee line."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import forbidden, staff_required
from dossiers.permissions import access_dossier_by_reference
from payments.errors import PaymentError
from payments.forms import CounterPaymentForm, ExemptionForm
from payments.models import DossierFee
from payments.permissions import can_exempt_fee, can_record_counter_payment
from payments.selectors import amount_due, fee_lines, paid_line_ids
from payments.services import dossier_fee_exempt, dossier_fees_snapshot, payment_counter_record


@staff_required()
@require_http_methods(["GET", "POST"])
def counter_payment(request: HttpRequest, reference: str) -> HttpResponse:
    """Thu phí tại quầy."""
    dossier = access_dossier_by_reference(request.user, reference)
    if not can_record_counter_payment(request.user, dossier):
        return forbidden(request)
    form = CounterPaymentForm(request.POST or None, initial={"payer_name": dossier.applicant_name})
    if request.method == "POST" and form.is_valid():
        try:
            payment = payment_counter_record(
                dossier=dossier,
                clerk=request.user,  # type: ignore[arg-type]
                payer_name=form.cleaned_data["payer_name"],
                note=form.cleaned_data["note"],
            )
        except PaymentError as exc:
            for field, errors in exc.field_errors.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
            if not exc.field_errors:
                form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("Đã thu phí và lập biên lai số %(number)s.") % {"number": payment.ereceipt.number}
            )
            return redirect("payments:dossier_fees", reference=dossier.reference)
    context = {
        "dossier": dossier,
        "form": form,
        "lines": fee_lines(dossier),
        "paid_ids": paid_line_ids(dossier),
        "due": amount_due(dossier),
    }
    return render(request, "payments/counter_payment.html", context, status=400 if form.errors else 200)


@staff_required()
@require_POST
def fee_exempt(request: HttpRequest, reference: str, fee_id: int) -> HttpResponse:
    """Miễn, giảm một khoản thu của hồ sơ (the clerk of the desk or a leader), with its reason."""
    dossier = access_dossier_by_reference(request.user, reference)
    if not can_exempt_fee(request.user, dossier):
        return forbidden(request)
    dossier_fees_snapshot(dossier=dossier)
    line = get_object_or_404(DossierFee, dossier=dossier, fee_id=fee_id)
    form = ExemptionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("payments:dossier_fees", reference=dossier.reference)
    try:
        dossier_fee_exempt(
            line=line,
            actor=request.user,  # type: ignore[arg-type]
            reason=form.cleaned_data["reason"],
            amount=form.cleaned_data["amount"],
        )
    except PaymentError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã ghi nhận miễn, giảm khoản «%(name)s».") % {"name": line.name})
    return redirect("payments:dossier_fees", reference=dossier.reference)
