"""The sandbox bank plays the gateway end to end: the signed request is checked and shown, "Thanh
toán" sends the signed IPN server to server and then the signed return; "Hủy giao dịch" returns
with code 24 and no IPN."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.core.checks import Error
from django.test import Client
from django.urls import reverse

from payments.checks import payment_gateway_configured
from payments.models import EReceipt, GatewayCallback, Payment
from sandbox_gateway import services
from sandbox_gateway.checks import sandbox_off_in_production

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivered(monkeypatch):
    """IPNs the bank sends, routed to congso through Django's test client (no server here)."""
    sent: list[tuple[str, str]] = []

    def transport(url: str, query: str) -> str:
        sent.append((url, query))
        response = Client().get(f"{urlsplit(url).path}?{query}")
        return response.content.decode()

    monkeypatch.setattr(services, "ipn_transport", transport)
    return sent


@pytest.fixture
def gateway_url(client, citizen, dossier):
    client.force_login(citizen)
    response = client.post(reverse("payments:dossier_pay", kwargs={"reference": dossier.reference}))
    assert response.status_code == 302
    return response.url


def _path_and_query(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.path, parts.query


def test_the_bank_shows_a_signed_request_with_its_amount(client, gateway_url):
    path, query = _path_and_query(gateway_url)
    page = client.get(f"{path}?{query}")

    assert page.status_code == 200
    html = page.content.decode()
    assert "105.000 đ" in html
    assert "Thanh toán" in html
    assert "Hủy giao dịch" in html


def test_the_bank_refuses_a_tampered_request(client, gateway_url):
    path, query = _path_and_query(gateway_url)
    tampered = query.replace("vnp_Amount=10500000", "vnp_Amount=100")

    response = client.get(f"{path}?{tampered}")

    assert response.status_code == 400
    assert "Chữ ký" in response.content.decode()


def test_paying_notifies_congso_then_returns_the_citizen_to_a_paid_dossier(
    client, gateway_url, delivered, dossier
):
    path, query = _path_and_query(gateway_url)

    back = client.post(path, {"q": query, "decision": "pay"})

    assert len(delivered) == 1  # the IPN went before the browser came back
    assert delivered[0][0] == "http://testserver/thanh-toan/ipn/"
    payment = Payment.objects.get()
    assert payment.status == Payment.Status.PAID
    assert back.status_code == 302
    return_path, return_query = _path_and_query(back.url)
    assert return_path == reverse("payments:gateway_return")
    page = client.get(f"{return_path}?{return_query}").content.decode()
    assert "Đã thanh toán" in page
    receipt = EReceipt.objects.get()
    assert receipt.number in page
    fees_page = client.get(
        reverse("payments:dossier_fees", kwargs={"reference": dossier.reference})
    ).content.decode()
    assert receipt.number in fees_page
    assert list(GatewayCallback.objects.order_by("id").values_list("kind", "verified", "response_code")) == [
        ("ipn", True, "00"),
        ("return", True, ""),
    ]


def test_cancelling_returns_with_code_24_and_sends_no_ipn(client, gateway_url, delivered):
    path, query = _path_and_query(gateway_url)

    back = client.post(path, {"q": query, "decision": "cancel"})

    assert delivered == []
    assert "vnp_ResponseCode=24" in back.url
    return_path, return_query = _path_and_query(back.url)
    page = client.get(f"{return_path}?{return_query}").content.decode()
    assert "hủy giao dịch" in page
    assert Payment.objects.get().status == Payment.Status.PENDING


def test_the_bank_is_closed_when_switched_off(client, gateway_url, settings):
    settings.SANDBOX_GATEWAY_ENABLED = False
    path, query = _path_and_query(gateway_url)

    assert client.get(f"{path}?{query}").status_code == 404


def test_the_sandbox_refuses_to_run_in_production(settings):
    settings.PRODUCTION = True
    settings.SANDBOX_GATEWAY_ENABLED = True
    assert [e.id for e in sandbox_off_in_production()] == ["sandbox_gateway.E001"]
    settings.SANDBOX_GATEWAY_ENABLED = False
    assert sandbox_off_in_production() == []


def test_an_unconfigured_gateway_stops_the_start_up(settings):
    settings.PRODUCTION = True
    settings.VNPAY_HASH_SECRET = ""
    settings.VNPAY_TMN_CODE = ""
    errors = payment_gateway_configured()
    assert [e.id for e in errors] == ["payments.E001"]
    assert isinstance(errors[0], Error)
    assert "VNPAY_TMN_CODE, VNPAY_HASH_SECRET" in errors[0].msg
    settings.PAYMENT_GATEWAY = "off"
    assert payment_gateway_configured() == []
    settings.PAYMENT_GATEWAY = "paypal"
    assert [e.id for e in payment_gateway_configured()] == ["payments.E002"]
