"""The sandbox bank: it checks a signed payment request the way the gateway does, and answers
the merchant (congso) the way the gateway does — the signed IPN server to server, then the
signed return through the browser. It reuses the protocol of ``payments.gateways.vnpay`` and the
merchant's configuration (terminal code, shared secret, IPN address), as a bank would hold them.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from payments.gateways import vnpay

logger = logging.getLogger(__name__)

IPN_TIMEOUT_SECONDS = 5
SANDBOX_BANK = "NCB"


class SandboxError(Exception):
    """The payment request is refused; ``message`` is what the payer reads."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Checkout:
    """A verified payment request."""

    query: str
    params: dict[str, str]
    txn_ref: str
    amount: int
    order_info: str
    return_url: str
    expires_at: dt.datetime | None


def checkout_read(query: str, *, now: dt.datetime | None = None) -> Checkout:
    """The payment request in ``query``, checked: signature, terminal, amount, expiry."""
    cfg = vnpay.config()
    params = vnpay.parse_query(query)
    if not vnpay.verify(params, cfg.hash_secret):
        raise SandboxError(_("Chữ ký của yêu cầu thanh toán không hợp lệ."))
    if params.get("vnp_TmnCode") != cfg.tmn_code:
        raise SandboxError(_("Mã đơn vị (vnp_TmnCode) không đúng."))
    amount = vnpay.from_gateway_amount(params.get("vnp_Amount", ""))
    if not amount:
        raise SandboxError(_("Số tiền không hợp lệ."))
    return_url = params.get("vnp_ReturnUrl", "")
    if not return_url.startswith(("http://", "https://")):
        raise SandboxError(_("Địa chỉ quay về không hợp lệ."))
    expires = vnpay.parse_time(params.get("vnp_ExpireDate", ""))
    if expires is not None and expires < (now or timezone.now()):
        raise SandboxError(_("Giao dịch đã quá thời gian chờ thanh toán."))
    return Checkout(
        query=query,
        params=params,
        txn_ref=params.get("vnp_TxnRef", ""),
        amount=amount,
        order_info=params.get("vnp_OrderInfo", ""),
        return_url=return_url,
        expires_at=expires,
    )


def result_params(checkout: Checkout, *, paid: bool, now: dt.datetime | None = None) -> dict[str, str]:
    """The signed answer of the bank (the same for the IPN and the return)."""
    cfg = vnpay.config()
    params = {
        "vnp_Amount": checkout.params["vnp_Amount"],
        "vnp_BankCode": SANDBOX_BANK,
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": checkout.order_info,
        "vnp_PayDate": vnpay.format_time(now or timezone.now()),
        "vnp_ResponseCode": vnpay.SUCCESS if paid else vnpay.CANCELLED_BY_CUSTOMER,
        "vnp_TmnCode": cfg.tmn_code,
        "vnp_TransactionNo": str(secrets.randbelow(90_000_000) + 10_000_000) if paid else "0",
        "vnp_TransactionStatus": vnpay.SUCCESS if paid else "02",
        "vnp_TxnRef": checkout.txn_ref,
    }
    if paid:
        params["vnp_BankTranNo"] = f"VNP{params['vnp_TransactionNo']}"
    params["vnp_SecureHash"] = vnpay.sign(params, cfg.hash_secret)
    return params


def ipn_deliver_http(url: str, query: str) -> str:
    """GET the merchant's IPN address, as the gateway does; the reply body, or the error."""
    request = urllib.request.Request(f"{url}{'&' if '?' in url else '?'}{query}", method="GET")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=IPN_TIMEOUT_SECONDS) as response:  # noqa: S310
            return str(response.read(2048).decode("utf-8", "replace"))
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        return f"error: {exc}"


IpnTransport = Callable[[str, str], str]
ipn_transport: IpnTransport = ipn_deliver_http
"""How the IPN reaches the merchant (tests route it through Django's test client)."""


def checkout_decide(*, query: str, pay: bool, now: dt.datetime | None = None) -> str:
    """The payer pressed "Thanh toán" (``pay``) or "Hủy giao dịch": on payment, notify the
    merchant server to server (once, synchronously, before the browser goes back — a merchant
    that missed it finds the transaction in its reconciliation); return the signed return URL."""
    checkout = checkout_read(query, now=now)
    params = result_params(checkout, paid=pay, now=now)
    signed = vnpay.query_string(params) + f"&vnp_SecureHash={params['vnp_SecureHash']}"
    if pay:
        reply = ipn_transport(vnpay.config().ipn_url, signed)
        logger.info("sandbox IPN for %s answered %s", checkout.txn_ref, reply[:200])
    separator = "&" if "?" in checkout.return_url else "?"
    return f"{checkout.return_url}{separator}{signed}"
