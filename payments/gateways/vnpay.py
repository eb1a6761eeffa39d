"""The VNPay-style payment protocol (tthc-requirements §6.3; checklist 37–38).

Pure functions, no database: building the signed payment URL, verifying the signature of the
return and IPN callbacks, reading an IPN and the IPN reply codes.

Signature (what both sides compute over the parameters):

1. drop the parameters whose value is empty, and ``vnp_SecureHash`` / ``vnp_SecureHashType``;
2. sort the keys in ascending (code-point) order;
3. encode as a query string the way ``URLSearchParams`` does (application/x-www-form-urlencoded:
   a space becomes ``+``; letters, digits and ``*-._`` stay; every other byte of the UTF-8 text
   is ``%XX`` in upper case);
4. ``HMAC-SHA512(hash_secret, query)`` as hex, appended as ``vnp_SecureHash``.

Amounts travel as VND × 100 (``vnp_Amount``); instants as ``yyyyMMddHHmmss`` in GMT+7.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote_plus

from django.conf import settings

from payments import conf

VERSION = "2.1.0"
HASH_KEYS = frozenset({"vnp_SecureHash", "vnp_SecureHashType"})
GMT7 = dt.timezone(dt.timedelta(hours=7), "GMT+7")
TIME_FORMAT = "%Y%m%d%H%M%S"

SUCCESS = "00"
"""``vnp_ResponseCode`` / ``vnp_TransactionStatus`` of a successful payment."""
CANCELLED_BY_CUSTOMER = "24"
"""``vnp_ResponseCode`` when the customer cancels on the gateway's page."""


class IpnCode(enum.Enum):
    """The IPN reply ``{RspCode, Message}`` the gateway expects (§6.3)."""

    CONFIRMED = ("00", "Confirm Success")
    ORDER_NOT_FOUND = ("01", "Order not found")
    ALREADY_CONFIRMED = ("02", "Order already confirmed")
    INVALID_AMOUNT = ("04", "Invalid amount")
    INVALID_CHECKSUM = ("97", "Fail checksum")
    UNKNOWN_ERROR = ("99", "Unknown error")

    @property
    def code(self) -> str:
        return self.value[0]

    @property
    def message(self) -> str:
        return self.value[1]

    def reply(self) -> dict[str, str]:
        return {"RspCode": self.code, "Message": self.message}


@dataclass(frozen=True)
class Config:
    """The merchant's account at the gateway and congso's callback addresses."""

    tmn_code: str
    hash_secret: str
    payment_url: str
    return_url: str
    ipn_url: str

    def missing(self) -> list[str]:
        names = {
            "VNPAY_TMN_CODE": self.tmn_code,
            "VNPAY_HASH_SECRET": self.hash_secret,
            "VNPAY_PAYMENT_URL": self.payment_url,
            "VNPAY_RETURN_URL": self.return_url,
            "VNPAY_IPN_URL": self.ipn_url,
        }
        return [name for name, value in names.items() if not value]


def config() -> Config:
    """The configuration from the settings. Outside production, absent settings default to the
    sandbox gateway served by congso itself (``make run``); in production they stay empty and the
    system check ``payments.E001`` stops the start-up."""
    dev = not bool(getattr(settings, "PRODUCTION", False))
    base = conf.public_url()

    def read(name: str, default: str) -> str:
        return str(getattr(settings, name, "") or (default if dev else "")).strip()

    return Config(
        tmn_code=read("VNPAY_TMN_CODE", "CONGSO01"),
        hash_secret=read("VNPAY_HASH_SECRET", "congso-sandbox-secret"),
        payment_url=read("VNPAY_PAYMENT_URL", f"{base}/sandbox-gateway/paymentv2/vpcpay.html"),
        return_url=read("VNPAY_RETURN_URL", f"{base}/thanh-toan/ket-qua/"),
        ipn_url=read("VNPAY_IPN_URL", f"{base}/thanh-toan/ipn/"),
    )


# --- Signing -------------------------------------------------------------------------------------


def _encode(text: str) -> str:
    # URLSearchParams keeps "*" and escapes "~"; Python's quote_plus does the opposite.
    return quote_plus(text, safe="*").replace("~", "%7E")


def query_string(params: Mapping[str, str] | Iterable[tuple[str, str]]) -> str:
    """The sorted, empty-free, ``URLSearchParams``-encoded query that is signed."""
    items = params.items() if isinstance(params, Mapping) else params
    kept = sorted((str(k), str(v)) for k, v in items if k not in HASH_KEYS and v is not None and str(v) != "")
    return "&".join(f"{_encode(key)}={_encode(value)}" for key, value in kept)


def sign(params: Mapping[str, str] | Iterable[tuple[str, str]], secret: str) -> str:
    """``HMAC-SHA512(secret, query_string(params))`` as lower-case hex."""
    return hmac.new(secret.encode(), query_string(params).encode(), hashlib.sha512).hexdigest()


def signed_query(params: Mapping[str, str], secret: str) -> str:
    """The query string with ``vnp_SecureHash`` appended."""
    query = query_string(params)
    return f"{query}&vnp_SecureHash={sign(params, secret)}"


def verify(params: Mapping[str, str], secret: str) -> bool:
    """Whether ``vnp_SecureHash`` is the signature of the other parameters (case-insensitive hex)."""
    given = str(params.get("vnp_SecureHash", "")).strip().lower()
    if not given:
        return False
    return hmac.compare_digest(sign(params, secret), given)


def parse_query(raw: str) -> dict[str, str]:
    """The parameters of a callback's query string or form body (last value wins)."""
    return dict(parse_qsl(raw, keep_blank_values=True))


# --- Formats -------------------------------------------------------------------------------------


def format_time(instant: dt.datetime) -> str:
    """``yyyyMMddHHmmss`` in GMT+7."""
    if instant.tzinfo is None:
        raise ValueError("an aware datetime is required")
    return instant.astimezone(GMT7).strftime(TIME_FORMAT)


def parse_time(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(text, TIME_FORMAT).replace(tzinfo=GMT7)
    except (TypeError, ValueError):
        return None


def to_gateway_amount(vnd: int) -> str:
    """VND × 100, as the gateway counts."""
    if vnd <= 0:
        raise ValueError("a payment amount must be positive")
    return str(int(vnd) * 100)


def from_gateway_amount(text: str) -> int | None:
    """The VND amount of ``vnp_Amount``, or None when it is not a whole number of đồng."""
    if not text.isdigit():
        return None
    value = int(text)
    if value % 100:
        return None
    return value // 100


# --- The payment request -------------------------------------------------------------------------


def payment_params(
    *,
    cfg: Config,
    txn_ref: str,
    amount: int,
    order_info: str,
    ip_address: str,
    created_at: dt.datetime,
    expire_at: dt.datetime | None = None,
    locale: str = "vn",
    order_type: str = "other",
    bank_code: str = "",
) -> dict[str, str]:
    """The unsigned parameters of a payment request."""
    params = {
        "vnp_Version": VERSION,
        "vnp_Command": "pay",
        "vnp_TmnCode": cfg.tmn_code,
        "vnp_Amount": to_gateway_amount(amount),
        "vnp_CurrCode": "VND",
        "vnp_TxnRef": txn_ref,
        "vnp_OrderInfo": order_info,
        "vnp_OrderType": order_type,
        "vnp_Locale": locale,
        "vnp_ReturnUrl": cfg.return_url,
        "vnp_IpAddr": ip_address,
        "vnp_CreateDate": format_time(created_at),
        "vnp_ExpireDate": format_time(expire_at) if expire_at is not None else "",
        "vnp_BankCode": bank_code,
    }
    return {key: value for key, value in params.items() if value}


def payment_url(cfg: Config, params: Mapping[str, str]) -> str:
    """The gateway's address the citizen's browser is sent to."""
    separator = "&" if "?" in cfg.payment_url else "?"
    return f"{cfg.payment_url}{separator}{signed_query(params, cfg.hash_secret)}"


# --- Callbacks -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Callback:
    """What a return or IPN callback says about one transaction."""

    txn_ref: str
    amount: int | None  # VND; None when vnp_Amount is missing or not whole đồng
    response_code: str
    transaction_status: str
    transaction_no: str
    bank_code: str
    pay_date: dt.datetime | None
    tmn_code: str

    @property
    def succeeded(self) -> bool:
        """The gateway says the money was taken (response code and, when sent, status 00)."""
        return self.response_code == SUCCESS and self.transaction_status in {SUCCESS, ""}


def read_callback(params: Mapping[str, str]) -> Callback:
    return Callback(
        txn_ref=params.get("vnp_TxnRef", "").strip(),
        amount=from_gateway_amount(params.get("vnp_Amount", "").strip()),
        response_code=params.get("vnp_ResponseCode", "").strip(),
        transaction_status=params.get("vnp_TransactionStatus", "").strip(),
        transaction_no=params.get("vnp_TransactionNo", "").strip(),
        bank_code=params.get("vnp_BankCode", "").strip(),
        pay_date=parse_time(params.get("vnp_PayDate", "")),
        tmn_code=params.get("vnp_TmnCode", "").strip(),
    )
