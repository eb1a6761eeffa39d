"""Reads: a dossier's fees and what is still owed, its payments, receipt lookup, reconciliation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from dossiers.models import OPEN_STATUSES, Channel, Dossier, Status
from payments import conf
from payments.models import DossierFee, EReceipt, GatewayCallback, Payment

PAYABLE_STATUSES = OPEN_STATUSES
"""A dossier's fees may be paid while it is open (submitted … resolved, not yet returned)."""


def fees_from_catalog(dossier: Dossier) -> list[DossierFee]:
    """The fee lines the procedure version asks of this dossier, unsaved, at its channel's rate."""
    online = dossier.channel == Channel.ONLINE
    return [
        DossierFee(
            dossier=dossier,
            fee=fee,
            kind=fee.kind,
            name=fee.name,
            legal_basis=fee.legal_basis,
            base_amount=fee.amount_for(online=online),
            amount=fee.amount_for(online=online),
        )
        for fee in dossier.procedure_version.fees.order_by("id")
    ]


def fee_lines(dossier: Dossier) -> list[DossierFee]:
    """The dossier's fee lines: the saved snapshot, or (none yet) what the catalogue says."""
    saved = list(DossierFee.objects.filter(dossier=dossier).order_by("id"))
    return saved if saved else fees_from_catalog(dossier)


def _settled() -> Exists:
    return Exists(Payment.objects.filter(fees=OuterRef("pk"), status=Payment.Status.PAID))


def outstanding_lines(dossier: Dossier) -> QuerySet[DossierFee]:
    """Saved lines with something to pay that no paid payment covers."""
    return DossierFee.objects.filter(dossier=dossier, amount__gt=0).exclude(_settled()).order_by("id")


def paid_line_ids(dossier: Dossier) -> set[int]:
    return set(DossierFee.objects.filter(dossier=dossier).filter(_settled()).values_list("pk", flat=True))


def amount_due(dossier: Dossier) -> int:
    """What is still to pay (from the catalogue when no line has been saved yet)."""
    if not DossierFee.objects.filter(dossier=dossier).exists():
        return sum(line.amount for line in fees_from_catalog(dossier))
    return sum(line.amount for line in outstanding_lines(dossier))


def dossier_payments(dossier: Dossier) -> QuerySet[Payment]:
    return Payment.objects.filter(dossier=dossier).select_related("ereceipt").order_by("-created_at", "-id")


def receipt_lookup(*, dossier_code: str, number: str) -> EReceipt | None:
    """The e-receipt with this number for this dossier code (both must match)."""
    code, number = dossier_code.strip(), number.strip().upper()
    if not code or not number:
        return None
    return (
        EReceipt.objects.select_related("payment", "dossier", "agency")
        .filter(dossier_code__iexact=code, number=number)
        .first()
    )


# --- Reconciliation --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unrecorded:
    """The gateway confirmed a payment (a signed IPN with code 00) that congso does not hold paid."""

    txn_ref: str
    callback: GatewayCallback
    payment: Payment | None


@dataclass(frozen=True)
class Reconciliation:
    unrecorded: list[Unrecorded]
    stale_pending: list[Payment]
    paid_but_awaiting: list[Dossier]

    @property
    def clean(self) -> bool:
        return not (self.unrecorded or self.stale_pending or self.paid_but_awaiting)


def reconciliation(
    *, now: dt.datetime | None = None, stale_after: dt.timedelta | None = None
) -> Reconciliation:
    """What the payment records and the gateway's callbacks disagree on:

    * transactions the gateway confirmed (verified IPN, response and transaction status 00) whose
      payment is unknown or not paid here (one row per transaction, the latest callback);
    * online payments still pending after ``stale_after`` (default ``PAYMENT_PENDING_STALE_MINUTES``);
    * dossiers still waiting for payment (status 6) that owe nothing any more.
    """
    at = now or timezone.now()
    stale = stale_after if stale_after is not None else dt.timedelta(minutes=conf.pending_stale_minutes())
    confirmed = GatewayCallback.objects.filter(
        kind=GatewayCallback.Kind.IPN, verified=True, gateway_response_code="00"
    ).filter(Q(gateway_transaction_status="00") | Q(gateway_transaction_status=""))
    paid_refs = set(
        Payment.objects.filter(
            txn_ref__in=confirmed.values("txn_ref"), status=Payment.Status.PAID
        ).values_list("txn_ref", flat=True)
    )
    payments = {p.txn_ref: p for p in Payment.objects.filter(txn_ref__in=confirmed.values("txn_ref"))}
    unrecorded: dict[str, Unrecorded] = {}
    for callback in confirmed.exclude(txn_ref__in=paid_refs).order_by("received_at", "id"):
        unrecorded[callback.txn_ref] = Unrecorded(callback.txn_ref, callback, payments.get(callback.txn_ref))
    stale_pending = list(
        Payment.objects.filter(
            method=Payment.Method.ONLINE, status=Payment.Status.PENDING, created_at__lt=at - stale
        )
        .select_related("dossier")
        .order_by("created_at", "id")
    )
    owing = DossierFee.objects.filter(dossier=OuterRef("pk"), amount__gt=0).exclude(_settled())
    paid_but_awaiting = list(
        Dossier.objects.filter(status=Status.AWAITING_PAYMENT)
        .filter(Exists(Payment.objects.filter(dossier=OuterRef("pk"), status=Payment.Status.PAID)))
        .exclude(Exists(owing))
        .order_by("pk")
    )
    return Reconciliation(
        sorted(unrecorded.values(), key=lambda u: u.txn_ref), stale_pending, paid_but_awaiting
    )
