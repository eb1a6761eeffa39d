"""The financial-obligation panel of the dossier page over HTTP: the step holder (or the desk) asks
for the fees, the dossier pauses and the applicant is told; the applicant pays online and the
gateway's IPN resumes the dossier, or the desk takes the money at the counter; the panel shows the
fees, what is paid and the e-receipts. An obligation paid outside the system is confirmed by its
voucher, never while fees remain unpaid."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from backoffice.tests.builders import at_step_now, detail_url, fresh, key_of
from dossiers.models import DossierEvent, DossierPause, Status
from notifications.models import OutgoingMessage
from payments.models import DossierFee, EReceipt, Payment
from payments.tests.conftest import GATEWAY, SECRET, TMN
from payments.tests.factories import as_query, fee_procedure, gateway_reply

pytestmark = pytest.mark.django_db

REQUEST_TITLE = "Yêu cầu thực hiện nghĩa vụ tài chính"
ASKED = "Nộp phí, lệ phí 105.000 đ: Lệ phí cấp giấy chứng nhận 80.000 đ; Phí thẩm định 25.000 đ."


@pytest.fixture(autouse=True)
def _gateway(settings: Any) -> None:
    for name, value in GATEWAY.items():
        setattr(settings, name, value)


def url(dossier, tail: str) -> str:
    return f"/can-bo/ho-so/{key_of(dossier)}/nghia-vu-tai-chinh/{tail}"


def page_of(client, user, dossier) -> str:
    client.force_login(user)
    response = client.get(detail_url(dossier))
    assert response.status_code == 200
    return str(response.content.decode())


def ask(client, user, dossier, note: str = ""):
    client.force_login(user)
    return client.post(url(dossier, ""), {"lock_version": fresh(dossier).lock_version, "note": note})


def confirm(client, user, dossier, reference: str):
    client.force_login(user)
    return client.post(
        url(dossier, "xac-nhan/"), {"lock_version": fresh(dossier).lock_version, "reference": reference}
    )


@pytest.fixture
def dossier(citizen, clerk, specialist, agency):
    """An online dossier with two fees (80.000 đ online + 25.000 đ), appraised by ``specialist``."""
    return at_step_now(
        2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency, version=fee_procedure()
    )


def test_the_step_holder_asks_for_the_fees_the_dossier_pauses_and_the_applicant_is_told(
    client, dossier, specialist, leader, citizen, django_capture_on_commit_callbacks
):
    before = page_of(client, specialist, dossier)
    assert REQUEST_TITLE in before
    assert "Lệ phí cấp giấy chứng nhận" in before
    assert '<span class="money" id="con-phai-nop">105.000 đ</span>' in before
    assert REQUEST_TITLE not in page_of(client, leader, dossier)  # the leader does not ask

    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, specialist, dossier, "Nộp trước ngày 30/11.")

    assert response.status_code == 302
    assert response["Location"].endswith("#nghia-vu-tai-chinh")
    dossier = fresh(dossier)
    assert dossier.status == Status.AWAITING_PAYMENT
    assert dossier.paused_since is not None
    assert DossierPause.objects.get(dossier=dossier).status == Status.AWAITING_PAYMENT
    assert list(DossierFee.objects.filter(dossier=dossier).values_list("name", "amount")) == [
        ("Lệ phí cấp giấy chứng nhận", 80_000),
        ("Phí thẩm định", 25_000),
    ]
    event = DossierEvent.objects.get(dossier=dossier, action="request_payment")
    assert event.reason == f"{ASKED}\nNộp trước ngày 30/11."
    assert (event.data["amount"], [f["amount"] for f in event.data["fees"]]) == (105_000, [80_000, 25_000])
    notice = OutgoingMessage.objects.get(channel="email", recipient=citizen.email)
    assert "nghĩa vụ tài chính" in notice.subject
    assert ASKED in notice.body

    page = page_of(client, specialist, dossier)
    assert "Đang chờ người nộp thực hiện nghĩa vụ tài chính" in page
    assert ASKED in page
    assert f"<summary>{REQUEST_TITLE}</summary>" not in page  # asked once, until it is fulfilled


def test_the_applicant_pays_online_and_the_ipn_resumes_the_dossier(client, dossier, specialist, citizen):
    ask(client, specialist, dossier)
    due_before = fresh(dossier).due_at
    assert due_before is not None

    # The applicant's dossier page leads to "Thanh toán", which sends them to the gateway.
    client.force_login(citizen)
    portal = client.get(f"/ho-so/{dossier.reference}/").content.decode()
    fees_url = reverse("payments:dossier_fees", kwargs={"reference": dossier.reference})
    assert fees_url in portal
    assert "Chờ thực hiện nghĩa vụ tài chính" in portal
    fees = client.get(fees_url).content.decode()
    assert "Thanh toán trực tuyến" in fees
    assert '<span class="money" id="con-phai-nop">105.000 đ</span>' in fees
    started = client.post(reverse("payments:dossier_pay", kwargs={"reference": dossier.reference}))
    assert started.status_code == 302
    assert started["Location"].startswith(GATEWAY["VNPAY_PAYMENT_URL"])
    payment = Payment.objects.get(dossier=dossier)
    assert (payment.status, payment.amount) == (Payment.Status.PENDING, 105_000)
    assert fresh(dossier).status == Status.AWAITING_PAYMENT  # nothing settles before the IPN

    client.logout()
    reply = client.get(
        f"{reverse('payments:gateway_ipn')}?{as_query(gateway_reply(payment, secret=SECRET, tmn_code=TMN))}"
    )

    assert reply.json()["RspCode"] == "00"
    dossier = fresh(dossier)
    assert dossier.status == Status.PROCESSING
    assert dossier.paused_since is None
    assert dossier.due_at is not None
    assert dossier.due_at >= due_before
    assert DossierPause.objects.get(dossier=dossier).ended_at is not None
    resumed = DossierEvent.objects.filter(dossier=dossier).latest("sequence")
    assert (resumed.action, resumed.actor, resumed.data["reference"]) == (
        "confirm_payment",
        None,
        payment.txn_ref,
    )

    receipt = EReceipt.objects.get(payment=payment)
    page = page_of(client, specialist, dossier)
    assert "Đang chờ người nộp" not in page
    assert page.count(">Đã nộp<") == 2
    assert '<span class="money" id="con-phai-nop">0 đ</span>' in page
    assert f">{receipt.number}</a>" in page
    assert f"mã giao dịch {payment.txn_ref}" in page
    link = (
        f"{reverse('payments:receipt_pdf')}?ma_ho_so={receipt.dossier_code}&amp;so_bien_lai={receipt.number}"
    )
    assert link in page
    pdf = client.get(link.replace("&amp;", "&"))
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")


def test_the_desk_takes_the_fees_at_the_counter_and_the_dossier_resumes(
    client, dossier, specialist, clerk, clerk_other_agency
):
    ask(client, specialist, dossier)
    assert "Thu phí tại quầy" not in page_of(client, specialist, dossier)  # the desk's business
    desk = page_of(client, clerk, dossier)
    assert "<summary>Thu phí tại quầy</summary>" in desk
    assert 'value="Hoàng Thị Lan"' in desk  # the payer, prefilled with the applicant

    nameless = client.post(url(dossier, "thu-tai-quay/"), {"payer_name": " ", "note": ""})
    assert nameless.status_code == 400
    assert not Payment.objects.exists()

    taken = client.post(url(dossier, "thu-tai-quay/"), {"payer_name": "Hoàng Thị Lan", "note": "Tiền mặt"})

    assert taken.status_code == 302
    payment = Payment.objects.get(dossier=dossier)
    assert (payment.method, payment.status, payment.amount, payment.recorded_by) == (
        Payment.Method.COUNTER,
        Payment.Status.PAID,
        105_000,
        clerk,
    )
    receipt = EReceipt.objects.get(payment=payment)
    assert fresh(dossier).status == Status.PROCESSING
    resumed = DossierEvent.objects.filter(dossier=dossier).latest("sequence")
    assert (resumed.action, resumed.actor) == ("confirm_payment", clerk)
    page = page_of(client, clerk, dossier)
    assert f"Đã thu 105.000 đ tại quầy và lập biên lai số {receipt.number}." in page
    assert "<summary>Thu phí tại quầy</summary>" not in page  # nothing left to take
    # Only the receiving desk takes money: another commune's clerk cannot even find the dossier.
    client.force_login(clerk_other_agency)
    assert client.post(url(dossier, "thu-tai-quay/"), {"payer_name": "X"}).status_code == 404


def test_a_voucher_confirms_by_hand_only_what_the_fees_do_not_cover(
    client, citizen, clerk, specialist, agency
):
    dossier = at_step_now(2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)

    nothing_to_ask = ask(client, specialist, dossier)
    assert nothing_to_ask.status_code == 400
    assert "Hồ sơ không còn khoản phí, lệ phí nào phải nộp." in nothing_to_ask.content.decode()
    assert fresh(dossier).status == Status.PROCESSING

    asked = ask(client, specialist, dossier, "Nộp thuế thu nhập cá nhân theo Thông báo số 12/TB-CCT.")
    assert asked.status_code == 302
    assert fresh(dossier).status == Status.AWAITING_PAYMENT
    page = page_of(client, clerk, dossier)
    assert "Nộp thuế thu nhập cá nhân theo Thông báo số 12/TB-CCT." in page
    assert "<summary>Xác nhận đã thực hiện nghĩa vụ tài chính</summary>" in page

    blank = confirm(client, clerk, dossier, "  ")
    assert blank.status_code == 400
    assert "Phải ghi số, ký hiệu chứng từ đã thực hiện nghĩa vụ tài chính." in blank.content.decode()

    done = confirm(client, clerk, dossier, "Giấy nộp tiền vào NSNN số 0012345")

    assert done.status_code == 302
    dossier = fresh(dossier)
    assert dossier.status == Status.PROCESSING
    event = DossierEvent.objects.filter(dossier=dossier).latest("sequence")
    assert (event.action, event.actor, event.data["reference"]) == (
        "confirm_payment",
        clerk,
        "Giấy nộp tiền vào NSNN số 0012345",
    )
    assert "Chứng từ: Giấy nộp tiền vào NSNN số 0012345" in page_of(client, clerk, dossier)  # the history


def test_no_one_confirms_by_hand_while_fees_are_unpaid(client, dossier, specialist, clerk):
    ask(client, specialist, dossier)

    page = page_of(client, clerk, dossier)
    assert "Còn 105.000 đ phí, lệ phí chưa nộp: hồ sơ tự tiếp tục được xử lý" in page
    assert 'action="' + url(dossier, "xac-nhan/") + '"' not in page

    forced = confirm(client, clerk, dossier, "BL-0001")

    assert forced.status_code == 400
    assert "Hồ sơ còn 105.000 đ phí, lệ phí chưa nộp" in forced.content.decode()
    assert fresh(dossier).status == Status.AWAITING_PAYMENT
