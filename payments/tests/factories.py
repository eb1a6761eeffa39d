"""Test data for payments: procedures with fees, and the gateway's side of the protocol."""

from __future__ import annotations

from typing import Any

from catalog.models import Fee, ProcedureVersion
from catalog.tests.factories import FeeFactory
from dossiers.tests.factories import commune_procedure
from payments.gateways import vnpay
from payments.models import Payment

ONLINE_FEE = 80_000
COUNTER_FEE = 100_000
SECOND_FEE = 25_000


def fee_procedure(**fields: Any) -> ProcedureVersion:
    """A commune procedure with a charge cheaper online (100.000 đ at the counter, 80.000 đ online)
    and a fee of 25.000 đ either way."""
    version = commune_procedure(**fields)
    FeeFactory(
        version=version,
        kind=Fee.Kind.CHARGE,
        name="Lệ phí cấp giấy chứng nhận",
        counter_amount=COUNTER_FEE,
        online_amount=ONLINE_FEE,
    )
    FeeFactory(
        version=version,
        kind=Fee.Kind.FEE,
        name="Phí thẩm định",
        counter_amount=SECOND_FEE,
        online_amount=None,
    )
    return version


def gateway_reply(
    payment: Payment,
    *,
    secret: str,
    tmn_code: str,
    amount: int | None = None,
    response_code: str = "00",
    transaction_status: str = "00",
    transaction_no: str = "14123456",
    **extra: str,
) -> dict[str, str]:
    """The signed parameters the gateway sends (IPN and return) about ``payment``."""
    params = {
        "vnp_Amount": str((payment.amount if amount is None else amount) * 100),
        "vnp_BankCode": "NCB",
        "vnp_BankTranNo": "VNP" + transaction_no,
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": "Thanh toan phi, le phi ho so",
        "vnp_PayDate": "20250908091500",
        "vnp_ResponseCode": response_code,
        "vnp_TmnCode": tmn_code,
        "vnp_TransactionNo": transaction_no,
        "vnp_TransactionStatus": transaction_status,
        "vnp_TxnRef": str(payment.txn_ref),
        **extra,
    }
    params["vnp_SecureHash"] = vnpay.sign(params, secret)
    return params


def as_query(params: dict[str, str]) -> str:
    return vnpay.query_string(params) + f"&vnp_SecureHash={params['vnp_SecureHash']}"
