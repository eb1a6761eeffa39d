"""A citizen pays a dossier's fees through the sandbox gateway, in Debian's chromium: the IPN goes
over HTTP from the sandbox bank to congso (the same live server), and the dossier shows the fees
paid with the e-receipt."""

from __future__ import annotations

import pytest

from accounts.tests.factories import PASSWORD
from dossiers.tests.factories import received_dossier
from payments.models import EReceipt, GatewayCallback, Payment
from payments.tests.factories import fee_procedure

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db, settings, live_server, citizen, clerk, agency):
    settings.VNPAY_PAYMENT_URL = f"{live_server.url}/sandbox-gateway/paymentv2/vpcpay.html"
    settings.VNPAY_RETURN_URL = f"{live_server.url}/thanh-toan/ket-qua/"
    settings.VNPAY_IPN_URL = f"{live_server.url}/thanh-toan/ipn/"
    settings.SANDBOX_GATEWAY_ENABLED = True
    return received_dossier(applicant=citizen, clerk=clerk, commune=agency, version=fee_procedure())


def test_a_citizen_pays_a_fee_through_the_sandbox_gateway(page, world, citizen):
    dossier = world
    page.goto(f"{page.base_url}/thanh-toan/ho-so/{dossier.reference}/")
    page.get_by_label("Tên đăng nhập").fill(citizen.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    page.get_by_role("heading", name="Thanh toán phí, lệ phí").wait_for()
    assert page.locator("#con-phai-nop").inner_text() == "105.000 đ"
    page.get_by_role("button", name="Thanh toán trực tuyến").click()

    page.get_by_role("heading", name="Cổng thanh toán thử nghiệm").wait_for()
    assert page.locator("#so-tien").inner_text() == "105.000 đ"
    page.get_by_role("button", name="Thanh toán", exact=True).click()

    page.get_by_role("heading", name="Kết quả thanh toán").wait_for()
    page.get_by_text("Đã thanh toán").wait_for()
    receipt = EReceipt.objects.get()
    page.get_by_text(receipt.number).wait_for()
    assert Payment.objects.get().status == Payment.Status.PAID
    assert GatewayCallback.objects.filter(kind="ipn", response_code="00").count() == 1

    page.get_by_role("link", name="Về trang thanh toán của hồ sơ").click()
    page.get_by_role("heading", name="Thanh toán phí, lệ phí").wait_for()
    assert page.locator("#con-phai-nop").inner_text() == "0 đ"
    assert page.get_by_role("link", name=receipt.number).is_visible()
