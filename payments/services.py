"""Writes: a dossier's fee lines, online payments and the gateway's callbacks, counter payments,
e-receipts.

A payment is marked paid in two places only: :func:`payment_ipn_handle` (the gateway's signed
server-to-server notification, tthc-requirements §6.3: never the browser's return) and
:func:`payment_counter_record`. Both lock the payment (or the dossier) row, so that a notification
delivered ten times at once leaves one paid payment and one receipt. Each issues the e-receipt and,
when the dossier was waiting for its fees (status 6) and owes nothing more, resumes its processing
through ``dossiers.services.dossier_payment_confirm``.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from unidecode import unidecode

from accounts.models import User
from congso import jobs
from dossiers.errors import DossierError
from dossiers.models import Dossier, Status
from payments import conf, receipts
from payments.errors import PaymentError
from payments.gateways import vnpay
from payments.models import DossierFee, EReceipt, GatewayCallback, Payment
from payments.permissions import can_exempt_fee, can_pay_online, can_record_counter_payment
from payments.selectors import PAYABLE_STATUSES, fees_from_catalog, outstanding_lines

logger = logging.getLogger(__name__)


def _now(now: dt.datetime | None) -> dt.datetime:
    if now is None:
        return timezone.now()
    if timezone.is_naive(now):
        raise ValueError("now must be timezone-aware")
    return now


# --- Fee lines -------------------------------------------------------------------------------------


def dossier_fees_snapshot(*, dossier: Dossier) -> list[DossierFee]:
    """Save the dossier's fee lines from its procedure version, once (later calls return them).

    The amounts are frozen: a later change of the catalogue does not alter what this dossier owes.
    """
    with transaction.atomic():
        Dossier.objects.select_for_update().filter(pk=dossier.pk).values_list("pk", flat=True).first()
        saved = list(DossierFee.objects.filter(dossier=dossier).order_by("id"))
        if saved:
            return saved
        lines = fees_from_catalog(dossier)
        for line in lines:
            line.save()
        return lines


def dossier_fee_exempt(*, line: DossierFee, actor: User, reason: str, amount: int = 0) -> DossierFee:
    """Exempt (``amount=0``) or reduce a fee line, with the reason; not once it is paid."""
    reason = reason.strip()
    if not can_exempt_fee(actor, line.dossier):
        raise PaymentError(_("Bạn không được quyết định miễn, giảm phí cho hồ sơ này."), code="forbidden")
    if not reason:
        message = _("Phải ghi rõ lý do miễn, giảm.")
        raise PaymentError(message, code="invalid", field_errors={"reason": [message]})
    if amount < 0 or amount > line.base_amount:
        message = _("Số phải nộp sau miễn, giảm phải từ 0 đến mức thu.")
        raise PaymentError(message, code="invalid", field_errors={"amount": [message]})
    with transaction.atomic():
        locked = DossierFee.objects.select_for_update().get(pk=line.pk)
        if locked.payments.filter(status=Payment.Status.PAID).exists():
            raise PaymentError(_("Khoản thu này đã được nộp, không thể miễn, giảm."), code="already_paid")
        locked.amount = amount
        locked.exemption_reason = reason[:500]
        locked.exempted_by = actor
        locked.save(update_fields=["amount", "exemption_reason", "exempted_by"])
    return locked


def _payable_lines(dossier: Dossier) -> list[DossierFee]:
    if dossier.status not in PAYABLE_STATUSES:
        raise PaymentError(
            _("Hồ sơ đang ở trạng thái «%(status)s», không thu phí.")
            % {"status": dossier.get_status_display()},
            code="status",
        )
    dossier_fees_snapshot(dossier=dossier)
    lines = list(outstanding_lines(dossier))
    if not lines:
        raise PaymentError(_("Hồ sơ không còn khoản phí, lệ phí nào phải nộp."), code="nothing_due")
    return lines


# --- Online payment --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentStart:
    payment: Payment
    redirect_url: str


def _new_txn_ref(dossier: Dossier) -> str:
    return f"{dossier.reference}{secrets.token_hex(4).upper()}"


def _order_info(dossier: Dossier) -> str:
    # Gateways of this family refuse diacritics in vnp_OrderInfo.
    return unidecode(f"Thanh toan phi, le phi ho so {dossier.code or dossier.reference}")[:255]


def payment_online_start(
    *, dossier: Dossier, payer: User, ip_address: str, now: dt.datetime | None = None
) -> PaymentStart:
    """Open an online payment of everything the dossier still owes and the gateway URL to send
    the payer to. The payment stays pending until the gateway's IPN says otherwise."""
    at = _now(now)
    if not conf.online_payment_enabled():
        raise PaymentError(_("Thanh toán trực tuyến chưa được bật."), code="gateway_off")
    if not can_pay_online(payer, dossier):
        raise PaymentError(_("Chỉ người nộp hồ sơ được thanh toán trực tuyến."), code="forbidden")
    cfg = vnpay.config()
    with transaction.atomic():
        lines = _payable_lines(dossier)
        amount = sum(int(line.amount) for line in lines)
        payment = Payment.objects.create(
            dossier=dossier,
            amount=amount,
            method=Payment.Method.ONLINE,
            gateway=conf.GATEWAY_VNPAY,
            txn_ref=_new_txn_ref(dossier),
            payer=payer,
            payer_name=payer.get_full_name()[:150] or dossier.applicant_name,
            created_at=at,
        )
        payment.fees.set(lines)
    params = vnpay.payment_params(
        cfg=cfg,
        txn_ref=str(payment.txn_ref),
        amount=amount,
        order_info=_order_info(dossier),
        ip_address=ip_address or "127.0.0.1",
        created_at=at,
        expire_at=at + dt.timedelta(minutes=conf.expire_minutes()),
    )
    return PaymentStart(payment=payment, redirect_url=vnpay.payment_url(cfg, params))


def _callback_store(
    *, kind: str, raw: str, method: str, remote_addr: str, now: dt.datetime
) -> tuple[GatewayCallback, vnpay.Callback]:
    params = vnpay.parse_query(raw)
    cfg = vnpay.config()
    verified = vnpay.verify(params, cfg.hash_secret)
    data = vnpay.read_callback(params)
    callback = GatewayCallback.objects.create(
        kind=kind,
        gateway=conf.GATEWAY_VNPAY,
        method=method[:8],
        raw=raw,
        remote_addr=remote_addr[:64],
        received_at=now,
        verified=verified,
        txn_ref=data.txn_ref[:64],
        gateway_response_code=data.response_code[:8],
        gateway_transaction_status=data.transaction_status[:8],
    )
    return callback, data


def payment_ipn_handle(
    *, raw: str, method: str, remote_addr: str, now: dt.datetime | None = None
) -> vnpay.IpnCode:
    """Answer the gateway's IPN: store it raw (committed first, whatever follows), then check the
    signature (97), the order (01), the amount (04), whether it was already settled (02), and
    settle it (00). ``raw`` is the query string (GET) or the form body (POST)."""
    at = _now(now)
    callback, data = _callback_store(
        kind=GatewayCallback.Kind.IPN, raw=raw, method=method, remote_addr=remote_addr, now=at
    )
    try:
        code = _ipn_apply(callback=callback, data=data, now=at)
    except Exception:
        logger.exception("IPN %s (callback %s) failed", data.txn_ref, callback.pk)
        code = vnpay.IpnCode.UNKNOWN_ERROR
    GatewayCallback.objects.filter(pk=callback.pk, response_code="").update(response_code=code.code)
    return code


def _ipn_apply(*, callback: GatewayCallback, data: vnpay.Callback, now: dt.datetime) -> vnpay.IpnCode:
    if not callback.verified:
        return vnpay.IpnCode.INVALID_CHECKSUM
    if data.tmn_code and data.tmn_code != vnpay.config().tmn_code:
        return vnpay.IpnCode.ORDER_NOT_FOUND
    with transaction.atomic():
        payment = (
            Payment.objects.select_for_update()
            .filter(txn_ref=data.txn_ref, method=Payment.Method.ONLINE)
            .select_related("dossier")
            .first()
        )
        if payment is None or not data.txn_ref:
            return vnpay.IpnCode.ORDER_NOT_FOUND
        if data.amount is None or data.amount != payment.amount:
            return vnpay.IpnCode.INVALID_AMOUNT
        if payment.status != Payment.Status.PENDING:
            return vnpay.IpnCode.ALREADY_CONFIRMED
        payment.gateway_transaction_no = data.transaction_no[:64]
        payment.bank_code = data.bank_code[:32]
        payment.gateway_response_code = data.response_code[:8]
        if data.succeeded:
            payment.status = Payment.Status.PAID
            payment.paid_at = data.pay_date or now
            payment.save()
            _settle(payment=payment, actor=None, now=now)
        else:
            cancelled = data.response_code == vnpay.CANCELLED_BY_CUSTOMER
            payment.status = Payment.Status.CANCELLED if cancelled else Payment.Status.FAILED
            payment.closed_at = now
            payment.save()
    return vnpay.IpnCode.CONFIRMED


@dataclass(frozen=True)
class ReturnOutcome:
    """What the browser's return says (for display only: it never changes a payment)."""

    verified: bool
    data: vnpay.Callback
    payment: Payment | None


def payment_return_record(*, raw: str, remote_addr: str, now: dt.datetime | None = None) -> ReturnOutcome:
    """Store the browser's return from the gateway and say what it claims. Nothing is marked paid
    here: a return URL can be replayed or forged by the browser; only the IPN settles."""
    callback, data = _callback_store(
        kind=GatewayCallback.Kind.RETURN, raw=raw, method="GET", remote_addr=remote_addr, now=_now(now)
    )
    payment = None
    if callback.verified and data.txn_ref:
        payment = Payment.objects.filter(txn_ref=data.txn_ref).select_related("dossier").first()
    return ReturnOutcome(verified=callback.verified, data=data, payment=payment)


# --- Counter payment -------------------------------------------------------------------------------


def payment_counter_record(
    *, dossier: Dossier, clerk: User, payer_name: str, note: str = "", now: dt.datetime | None = None
) -> Payment:
    """A clerk of the receiving desk took the money of everything still owed: the payment is paid
    at once and its e-receipt issued."""
    at = _now(now)
    payer_name = payer_name.strip()
    if not can_record_counter_payment(clerk, dossier):
        raise PaymentError(
            _("Chỉ cán bộ một cửa nơi tiếp nhận hồ sơ được thu phí tại quầy."), code="forbidden"
        )
    if not payer_name:
        message = _("Phải ghi họ tên người nộp tiền.")
        raise PaymentError(message, code="invalid", field_errors={"payer_name": [message]})
    with transaction.atomic():
        lines = _payable_lines(dossier)
        payment = Payment.objects.create(
            dossier=dossier,
            amount=sum(int(line.amount) for line in lines),
            method=Payment.Method.COUNTER,
            status=Payment.Status.PAID,
            payer_name=payer_name[:150],
            recorded_by=clerk,
            note=note.strip()[:500],
            created_at=at,
            paid_at=at,
        )
        payment.fees.set(lines)
        _settle(payment=payment, actor=clerk, now=at)
    return payment


# --- Settling: receipt and the dossier -------------------------------------------------------------


def _settle(*, payment: Payment, actor: User | None, now: dt.datetime) -> None:
    receipt_issue(payment=payment, now=now)
    dossier = Dossier.objects.select_related("competent_agency").get(pk=payment.dossier_id)
    if dossier.status != Status.AWAITING_PAYMENT or outstanding_lines(dossier).exists():
        return
    from dossiers.services import dossier_payment_confirm

    try:
        # A savepoint: if the dossier cannot move on now (changed meanwhile), the payment stays
        # recorded and reconciliation lists the dossier for a clerk to confirm by hand.
        with transaction.atomic():
            dossier_payment_confirm(
                dossier=dossier, actor=actor, reference=str(payment.txn_ref or payment.pk), now=now
            )
    except DossierError as exc:
        logger.warning("payment %s settled but dossier %s not confirmed: %s", payment.pk, dossier.pk, exc)


def receipt_issue(*, payment: Payment, now: dt.datetime | None = None) -> EReceipt:
    """Issue the e-receipt of a paid payment (once: a second call returns the first receipt)."""
    at = _now(now)
    if payment.status != Payment.Status.PAID:
        raise PaymentError(_("Chỉ lập biên lai cho khoản đã thanh toán."), code="not_paid")
    with transaction.atomic():
        existing = EReceipt.objects.filter(payment=payment).first()
        if existing is not None:
            return existing
        dossier = Dossier.objects.select_related("competent_agency", "procedure_version").get(
            pk=payment.dossier_id
        )
        agency = dossier.competent_agency
        year = receipts.local_year(at)
        sequence, number = receipts.receipt_number_allocate(agency=agency, year=year)
        lines = [
            {
                "name": line.name,
                "kind": line.kind,
                "base_amount": int(line.base_amount),
                "amount": int(line.amount),
                "exemption_reason": line.exemption_reason,
            }
            for line in payment.fees.order_by("id")
        ]
        dossier_code = dossier.code or dossier.reference
        content = {
            "header": receipts.receipt_header(agency),
            "place": receipts.receipt_place(agency),
            "agency_name": agency.name,
            "dossier_code": dossier_code,
            "procedure_name": dossier.procedure_version.name,
            "applicant_name": dossier.applicant_name,
            "payer_name": payment.payer_name,
            "method": payment.get_method_display(),
            "txn_ref": payment.txn_ref or "",
            "gateway_transaction_no": payment.gateway_transaction_no,
            "bank_code": payment.bank_code,
            "paid_at": (payment.paid_at or at).isoformat(),
            "lines": lines,
            "total": int(payment.amount),
        }
        receipt = EReceipt.objects.create(
            payment=payment,
            dossier=dossier,
            agency=agency,
            year=year,
            sequence=sequence,
            number=number,
            dossier_code=dossier_code,
            payer_name=payment.payer_name,
            amount=payment.amount,
            content=content,
            issued_at=at,
        )
        # Signed (officer or agency certificate) by a job queued with the receipt itself.
        jobs.enqueue("signing.tasks.receipt_sign", receipt_id=receipt.pk)
        return receipt


def paid_total(dossier: Dossier) -> int:
    total = Payment.objects.filter(dossier=dossier, status=Payment.Status.PAID).aggregate(s=Sum("amount"))[
        "s"
    ]
    return int(total or 0)
