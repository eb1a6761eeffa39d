"""Paying online: the dossier's "Thanh toán" page, the redirect to the gateway, the return page
(which waits, polling with htmx, until the IPN has settled the payment) and the IPN endpoint."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dossiers.permissions import access_dossier_by_reference
from payments import conf
from payments.errors import PaymentError
from payments.forms import ExemptionForm
from payments.gateways import vnpay
from payments.permissions import (
    access_payment_by_txn_ref,
    can_exempt_fee,
    can_pay_online,
    can_record_counter_payment,
)
from payments.selectors import PAYABLE_STATUSES, amount_due, dossier_payments, fee_lines, paid_line_ids
from payments.services import payment_ipn_handle, payment_online_start, payment_return_record


def _client_ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


@login_required
@require_GET
def dossier_fees(request: HttpRequest, reference: str) -> HttpResponse:
    """Thanh toán: the dossier's fees (exemptions shown), what is still due, the payments made
    with their e-receipts, and the button that sends the applicant to the gateway."""
    dossier = access_dossier_by_reference(request.user, reference)
    due = amount_due(dossier)
    payable = dossier.status in PAYABLE_STATUSES and due > 0
    context = {
        "dossier": dossier,
        "lines": fee_lines(dossier),
        "paid_ids": paid_line_ids(dossier),
        "due": due,
        "payments": dossier_payments(dossier),
        "can_pay": payable and conf.online_payment_enabled() and can_pay_online(request.user, dossier),
        "can_record_counter": payable and can_record_counter_payment(request.user, dossier),
        "exemption_form": ExemptionForm() if payable and can_exempt_fee(request.user, dossier) else None,
    }
    return render(request, "payments/dossier_fees.html", context)


@login_required
@require_POST
def dossier_pay(request: HttpRequest, reference: str) -> HttpResponse:
    """Open an online payment and send the browser to the gateway."""
    dossier = access_dossier_by_reference(request.user, reference)
    try:
        start = payment_online_start(dossier=dossier, payer=request.user, ip_address=_client_ip(request))  # type: ignore[arg-type]
    except PaymentError as exc:
        messages.error(request, exc.message)
        return redirect("payments:dossier_fees", reference=reference)
    return HttpResponseRedirect(start.redirect_url)


@require_GET
def gateway_return(request: HttpRequest) -> HttpResponse:
    """Where the gateway sends the browser back. It shows what the gateway says, and waits for
    the IPN: this page never marks anything paid."""
    outcome = payment_return_record(raw=request.META.get("QUERY_STRING", ""), remote_addr=_client_ip(request))
    payment = outcome.payment
    watch = payment is not None and request.user.is_authenticated
    context = {
        "outcome": outcome,
        "payment": payment,
        "succeeded": outcome.verified and outcome.data.succeeded,
        "cancelled": outcome.verified and outcome.data.response_code == vnpay.CANCELLED_BY_CUSTOMER,
        "watch": watch,
    }
    return render(request, "payments/return.html", context, status=200 if outcome.verified else 400)


@login_required
@require_GET
def payment_status(request: HttpRequest, txn_ref: str) -> HttpResponse:
    """The payment's state, as an htmx fragment that polls itself until it is settled."""
    payment = access_payment_by_txn_ref(request.user, txn_ref)
    return render(request, "payments/includes/payment_status.html", {"payment": payment})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def gateway_ipn(request: HttpRequest) -> JsonResponse:
    """The gateway's server-to-server notification (GET, as VNPay sends it, or a form POST)."""
    raw = (
        request.META.get("QUERY_STRING", "")
        if request.method == "GET"
        else request.body.decode("utf-8", "replace")
    )
    code = payment_ipn_handle(raw=raw, method=str(request.method), remote_addr=_client_ip(request))
    return JsonResponse(code.reply())
