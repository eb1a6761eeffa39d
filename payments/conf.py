"""The payments app's settings, read from ``django.conf.settings`` on every use.

Read at call time (not frozen at import) so that ``override_settings`` takes effect. The
settings module fills them from the environment (``congso.env``); the defaults here are the
embedded ones, used when a setting is absent.

``PAYMENT_GATEWAY``
    ``"vnpay"``: online payment through a VNPay-style gateway (tthc-requirements §6.3);
    ``"off"``: no online payment (the counter still records payments).
``VNPAY_TMN_CODE``, ``VNPAY_HASH_SECRET``
    The merchant's terminal code and the shared secret of the HMAC-SHA512 signature.
``VNPAY_PAYMENT_URL``
    The gateway's payment page (``…/paymentv2/vpcpay.html``).
``VNPAY_RETURN_URL``, ``VNPAY_IPN_URL``
    congso's own return page (the citizen's browser comes back there) and IPN endpoint (the
    gateway calls it server to server); both absolute.
``PAYMENT_EXPIRE_MINUTES``
    How long a payment link stays valid at the gateway (``vnp_ExpireDate``; default 15).
``PAYMENT_RECEIPT_PREFIX``, ``PAYMENT_RECEIPT_NUMBER_FORMAT``
    The e-receipt number: ``"{prefix}-{year}-{sequence:06d}"`` by default ("BL-2026-000123");
    ``{agency}`` (the collecting agency's code) may be used too. A series per agency and year.
``PAYMENT_PENDING_STALE_MINUTES``
    Reconciliation reports online payments still pending after this long (default 60).
"""

from __future__ import annotations

from django.conf import settings

GATEWAY_OFF = "off"
GATEWAY_VNPAY = "vnpay"
GATEWAYS = (GATEWAY_OFF, GATEWAY_VNPAY)

DEFAULT_RECEIPT_PREFIX = "BL"
DEFAULT_RECEIPT_NUMBER_FORMAT = "{prefix}-{year}-{sequence:06d}"
DEFAULT_EXPIRE_MINUTES = 15
DEFAULT_STALE_MINUTES = 60


def _production() -> bool:
    return bool(getattr(settings, "PRODUCTION", False))


def gateway_name() -> str:
    default = GATEWAY_OFF if _production() else GATEWAY_VNPAY
    return str(getattr(settings, "PAYMENT_GATEWAY", default)).strip().lower()


def online_payment_enabled() -> bool:
    return gateway_name() == GATEWAY_VNPAY


def expire_minutes() -> int:
    return int(getattr(settings, "PAYMENT_EXPIRE_MINUTES", DEFAULT_EXPIRE_MINUTES))


def receipt_prefix() -> str:
    return str(getattr(settings, "PAYMENT_RECEIPT_PREFIX", DEFAULT_RECEIPT_PREFIX))


def receipt_number_format() -> str:
    return str(getattr(settings, "PAYMENT_RECEIPT_NUMBER_FORMAT", DEFAULT_RECEIPT_NUMBER_FORMAT))


def pending_stale_minutes() -> int:
    return int(getattr(settings, "PAYMENT_PENDING_STALE_MINUTES", DEFAULT_STALE_MINUTES))


def public_url() -> str:
    return str(getattr(settings, "CONGSO_PUBLIC_URL", "http://127.0.0.1:8000")).rstrip("/")
