"""The IPN endpoint: only it settles a payment, once, with the protocol's reply codes
(tthc-requirements §6.3, checklist 38), and every callback is kept raw."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse

from dossiers.models import DossierEvent, Status
from dossiers.services import dossier_forward, dossier_payment_request
from dossiers.tests.factories import MONDAY_MORNING
from payments.models import EReceipt, GatewayCallback, Payment
from payments.services import payment_ipn_handle, payment_online_start
from payments.tests.conftest import SECRET, TMN
from payments.tests.factories import as_query, gateway_reply

pytestmark = pytest.mark.django_db


@pytest.fixture
def payment(dossier, citizen):
    return payment_online_start(
        dossier=dossier, payer=citizen, ip_address="10.0.0.7", now=MONDAY_MORNING
    ).payment


def ipn(client, params, method="get"):
    url = reverse("payments:gateway_ipn")
    if method == "get":
        response = client.get(f"{url}?{as_query(params)}")
    else:
        response = client.post(url, data=as_query(params), content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    return response.json()


def test_a_signed_ipn_marks_the_payment_paid_and_issues_its_receipt(client, payment):
    reply = ipn(client, gateway_reply(payment, secret=SECRET, tmn_code=TMN))

    assert reply == {"RspCode": "00", "Message": "Confirm Success"}
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID
    assert (payment.gateway_transaction_no, payment.bank_code) == ("14123456", "NCB")
    assert payment.paid_at == dt.datetime(2025, 9, 8, 2, 15, tzinfo=dt.UTC)  # vnp_PayDate, GMT+7
    receipt = EReceipt.objects.get(payment=payment)
    assert receipt.amount == 105_000
    callback = GatewayCallback.objects.get()
    assert (callback.kind, callback.verified, callback.response_code) == ("ipn", True, "00")
    assert callback.txn_ref == payment.txn_ref
    assert "vnp_SecureHash=" in callback.raw


def test_the_ipn_is_accepted_as_a_form_post_too(client, payment):
    assert ipn(client, gateway_reply(payment, secret=SECRET, tmn_code=TMN), method="post")["RspCode"] == "00"
    assert GatewayCallback.objects.get().method == "POST"


def test_a_replayed_ipn_changes_nothing_and_answers_already_confirmed(client, payment):
    params = gateway_reply(payment, secret=SECRET, tmn_code=TMN)
    replies = [ipn(client, params)["RspCode"] for _ in range(10)]

    assert replies == ["00"] + ["02"] * 9
    assert Payment.objects.filter(status=Payment.Status.PAID).count() == 1
    assert EReceipt.objects.count() == 1
    assert list(GatewayCallback.objects.order_by("id").values_list("response_code", flat=True)) == replies


def test_a_forged_ipn_is_refused_with_97_and_kept_for_audit(client, payment):
    forged = gateway_reply(payment, secret="not-the-secret", tmn_code=TMN)

    assert ipn(client, forged) == {"RspCode": "97", "Message": "Fail checksum"}
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING
    assert not EReceipt.objects.exists()
    callback = GatewayCallback.objects.get()
    assert (callback.verified, callback.response_code) == (False, "97")


def test_an_ipn_whose_parameters_were_changed_after_signing_is_refused(client, payment):
    params = gateway_reply(payment, secret=SECRET, tmn_code=TMN, amount=1)
    params["vnp_Amount"] = str(payment.amount * 100)  # the signature covers the old amount

    assert ipn(client, params)["RspCode"] == "97"


def test_an_unknown_order_answers_01(client, payment):
    payment.txn_ref = "KHONGCO123"
    params = gateway_reply(payment, secret=SECRET, tmn_code=TMN)

    assert ipn(client, params) == {"RspCode": "01", "Message": "Order not found"}


def test_an_order_of_another_terminal_answers_01(client, payment):
    assert ipn(client, gateway_reply(payment, secret=SECRET, tmn_code="OTHER001"))["RspCode"] == "01"


def test_a_wrong_amount_answers_04_and_does_not_settle(client, payment):
    reply = ipn(client, gateway_reply(payment, secret=SECRET, tmn_code=TMN, amount=payment.amount - 1000))

    assert reply == {"RspCode": "04", "Message": "Invalid amount"}
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING


def test_an_unexpected_error_answers_99_and_leaves_nothing_half_written(client, payment, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("payments.services.receipt_issue", broken)

    assert ipn(client, gateway_reply(payment, secret=SECRET, tmn_code=TMN)) == {
        "RspCode": "99",
        "Message": "Unknown error",
    }
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING
    assert GatewayCallback.objects.get().response_code == "99"


def test_a_failed_or_cancelled_transaction_is_closed_without_a_receipt(client, payment):
    reply = ipn(
        client,
        gateway_reply(payment, secret=SECRET, tmn_code=TMN, response_code="24", transaction_status="02"),
    )

    assert reply["RspCode"] == "00"  # the notice was taken into account
    payment.refresh_from_db()
    assert payment.status == Payment.Status.CANCELLED
    assert not EReceipt.objects.exists()


def test_the_return_url_never_marks_a_payment_paid(client, citizen, payment):
    client.force_login(citizen)
    params = gateway_reply(payment, secret=SECRET, tmn_code=TMN)

    response = client.get(f"{reverse('payments:gateway_return')}?{as_query(params)}")

    assert response.status_code == 200
    assert "Đang chờ xác nhận" in response.content.decode()
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING
    callback = GatewayCallback.objects.get()
    assert (callback.kind, callback.verified, callback.response_code) == ("return", True, "")


def test_a_forged_return_is_shown_as_invalid(client, payment):
    params = gateway_reply(payment, secret="forged", tmn_code=TMN)

    response = client.get(f"{reverse('payments:gateway_return')}?{as_query(params)}")

    assert response.status_code == 400
    assert "không hợp lệ" in response.content.decode()


def test_the_return_page_polls_until_the_ipn_settles_then_shows_the_receipt(client, citizen, payment):
    client.force_login(citizen)
    status_url = reverse("payments:payment_status", kwargs={"txn_ref": payment.txn_ref})
    pending = client.get(status_url, headers={"HX-Request": "true"}).content.decode()
    assert "Đang chờ xác nhận" in pending
    assert f'hx-get="{status_url}"' in pending

    ipn(client, gateway_reply(payment, secret=SECRET, tmn_code=TMN))

    settled = client.get(status_url, headers={"HX-Request": "true"}).content.decode()
    assert "Đã thanh toán" in settled
    assert "hx-get" not in settled
    assert EReceipt.objects.get().number in settled


def test_paying_a_dossier_waiting_for_its_fees_resumes_its_processing(
    client, citizen, clerk, specialist, dossier
):
    asked = MONDAY_MORNING + dt.timedelta(hours=1)
    dossier_forward(dossier=dossier, actor=clerk, to_user=specialist, now=asked)
    dossier_payment_request(
        dossier=dossier, actor=specialist, reason="Nộp lệ phí cấp giấy chứng nhận", now=asked
    )
    payment = payment_online_start(dossier=dossier, payer=citizen, ip_address="", now=asked).payment

    assert ipn(client, gateway_reply(payment, secret=SECRET, tmn_code=TMN))["RspCode"] == "00"

    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    event = DossierEvent.objects.filter(dossier=dossier).latest("sequence")
    assert (event.action, event.actor_id, event.data["reference"]) == (
        "confirm_payment",
        None,
        payment.txn_ref,
    )


def test_ten_sequential_replays_through_the_service_leave_one_paid_payment(payment):
    query = as_query(gateway_reply(payment, secret=SECRET, tmn_code=TMN))
    codes = [payment_ipn_handle(raw=query, method="GET", remote_addr="203.0.113.9").code for _ in range(10)]

    assert sorted(codes) == ["00"] + ["02"] * 9
    assert EReceipt.objects.count() == 1


def test_stored_callbacks_cannot_be_rewritten(payment):
    payment_ipn_handle(
        raw=as_query(gateway_reply(payment, secret=SECRET, tmn_code=TMN)), method="GET", remote_addr=""
    )
    callback = GatewayCallback.objects.get()

    with pytest.raises(DatabaseError), transaction.atomic():
        GatewayCallback.objects.filter(pk=callback.pk).update(raw="vnp_ResponseCode=00")
    with pytest.raises(DatabaseError), transaction.atomic():
        GatewayCallback.objects.filter(pk=callback.pk).update(response_code="97")
    callback.refresh_from_db()
    assert (callback.response_code, callback.verified) == ("00", True)
