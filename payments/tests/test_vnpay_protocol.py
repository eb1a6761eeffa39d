"""The VNPay-style protocol (tthc-requirements §6.3, checklist 37), without a database."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

import pytest

from payments.gateways import vnpay

# A vector written by hand from the rules (sorted keys, empty values dropped, "+" for spaces,
# %XX for reserved characters); its HMAC-SHA512 was computed outside Python with
#   printf '%s' "$QUERY" | openssl dgst -sha512 -hmac SECRETKEY123
VECTOR_PARAMS = {
    "vnp_Version": "2.1.0",
    "vnp_TmnCode": "CONGSO01",
    "vnp_TxnRef": "ABC123",
    "vnp_Command": "pay",
    "vnp_Amount": "1000000",
    "vnp_CurrCode": "VND",
    "vnp_BankCode": "",
    "vnp_OrderInfo": "Thanh toan le phi ho so 000.00.31.H40-250908-0001",
    "vnp_OrderType": "other",
    "vnp_Locale": "vn",
    "vnp_ReturnUrl": "http://127.0.0.1:8000/thanh-toan/ket-qua/",
    "vnp_IpAddr": "127.0.0.1",
    "vnp_CreateDate": "20250908091500",
}
VECTOR_QUERY = (
    "vnp_Amount=1000000&vnp_Command=pay&vnp_CreateDate=20250908091500&vnp_CurrCode=VND"
    "&vnp_IpAddr=127.0.0.1&vnp_Locale=vn"
    "&vnp_OrderInfo=Thanh+toan+le+phi+ho+so+000.00.31.H40-250908-0001&vnp_OrderType=other"
    "&vnp_ReturnUrl=http%3A%2F%2F127.0.0.1%3A8000%2Fthanh-toan%2Fket-qua%2F&vnp_TmnCode=CONGSO01"
    "&vnp_TxnRef=ABC123&vnp_Version=2.1.0"
)
VECTOR_HASH = (
    "ed6712decbf250807cd6ae7e8d87e15bddf7e1db9a57a128ee7771bd6a0e9ca0"
    "88f3581bfc46395e0f75abe9cb9c2b62c97c566da30970cf88ef24340eceee45"
)
SECRET = "SECRETKEY123"

CFG = vnpay.Config(
    tmn_code="CONGSO01",
    hash_secret=SECRET,
    payment_url="https://sandbox.vnpayment.vn/paymentv2/vpcpay.html",
    return_url="http://127.0.0.1:8000/thanh-toan/ket-qua/",
    ipn_url="http://127.0.0.1:8000/thanh-toan/ipn/",
)


def test_the_signed_query_sorts_keys_drops_empty_values_and_uses_plus_for_spaces():
    assert vnpay.query_string(VECTOR_PARAMS) == VECTOR_QUERY


def test_the_signature_is_the_hmac_sha512_hex_of_the_query():
    assert vnpay.sign(VECTOR_PARAMS, SECRET) == VECTOR_HASH


def test_encoding_matches_urlsearchparams():
    # new URLSearchParams({a: "a*b~c ế/&="}).toString() === "a=a*b%7Ec+%E1%BA%BF%2F%26%3D" (Node 20)
    assert vnpay.query_string({"a": "a*b~c ế/&="}) == "a=a*b%7Ec+%E1%BA%BF%2F%26%3D"


def test_verification_accepts_the_signature_in_any_case_and_ignores_the_hash_type():
    params = {**VECTOR_PARAMS, "vnp_SecureHash": VECTOR_HASH.upper(), "vnp_SecureHashType": "HmacSHA512"}
    assert vnpay.verify(params, SECRET)


@pytest.mark.parametrize(
    "tamper",
    [
        {"vnp_Amount": "100000000"},
        {"vnp_TxnRef": "ABC124"},
        {"vnp_ResponseCode": "00"},  # a parameter added after signing
    ],
)
def test_verification_refuses_a_changed_parameter(tamper):
    params = {**VECTOR_PARAMS, "vnp_SecureHash": VECTOR_HASH, **tamper}
    assert not vnpay.verify(params, SECRET)


def test_verification_refuses_a_wrong_secret_or_a_missing_hash():
    assert not vnpay.verify({**VECTOR_PARAMS, "vnp_SecureHash": VECTOR_HASH}, "another-secret")
    assert not vnpay.verify(VECTOR_PARAMS, SECRET)


def test_instants_are_written_yyyymmddhhmmss_in_gmt_plus_7():
    utc = dt.datetime(2025, 9, 8, 17, 30, 5, tzinfo=dt.UTC)
    assert vnpay.format_time(utc) == "20250909003005"
    assert vnpay.format_time(utc.astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))) == "20250909003005"
    assert vnpay.parse_time("20250909003005") == utc
    with pytest.raises(ValueError, match="aware"):
        vnpay.format_time(dt.datetime(2025, 9, 8, 17, 30))


def test_amounts_travel_as_vnd_times_100():
    assert vnpay.to_gateway_amount(105_000) == "10500000"
    assert vnpay.from_gateway_amount("10500000") == 105_000
    assert vnpay.from_gateway_amount("10500050") is None  # not whole đồng
    assert vnpay.from_gateway_amount("-100") is None
    with pytest.raises(ValueError, match="positive"):
        vnpay.to_gateway_amount(0)


def test_the_payment_url_carries_every_parameter_and_a_valid_signature():
    created = dt.datetime(2025, 9, 8, 9, 15, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    params = vnpay.payment_params(
        cfg=CFG,
        txn_ref="ABC123",
        amount=10_000,
        order_info="Thanh toan le phi ho so 000.00.31.H40-250908-0001",
        ip_address="127.0.0.1",
        created_at=created,
        expire_at=created + dt.timedelta(minutes=15),
    )
    url = vnpay.payment_url(CFG, params)
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == CFG.payment_url
    sent = dict(parse_qsl(parts.query))
    assert sent["vnp_Amount"] == "1000000"
    assert sent["vnp_CreateDate"] == "20250908091500"
    assert sent["vnp_ExpireDate"] == "20250908093000"
    assert (sent["vnp_Version"], sent["vnp_Command"], sent["vnp_CurrCode"]) == ("2.1.0", "pay", "VND")
    assert "vnp_BankCode" not in sent
    assert vnpay.verify(sent, SECRET)
    # Without the expiry date, this is the hand-made vector, signature included.
    del sent["vnp_ExpireDate"]
    assert vnpay.sign(sent, SECRET) == VECTOR_HASH


def test_the_ipn_reply_codes_are_the_protocols():
    assert {code.code: code.message for code in vnpay.IpnCode} == {
        "00": "Confirm Success",
        "01": "Order not found",
        "02": "Order already confirmed",
        "04": "Invalid amount",
        "97": "Fail checksum",
        "99": "Unknown error",
    }
    assert vnpay.IpnCode.INVALID_AMOUNT.reply() == {"RspCode": "04", "Message": "Invalid amount"}


def test_a_callback_succeeds_only_with_response_and_transaction_status_00():
    ok = vnpay.read_callback({"vnp_ResponseCode": "00", "vnp_TransactionStatus": "00", "vnp_Amount": "100"})
    refused = vnpay.read_callback({"vnp_ResponseCode": "00", "vnp_TransactionStatus": "02"})
    cancelled = vnpay.read_callback({"vnp_ResponseCode": "24", "vnp_TransactionStatus": "02"})
    assert (ok.succeeded, ok.amount) == (True, 1)
    assert not refused.succeeded
    assert not cancelled.succeeded
