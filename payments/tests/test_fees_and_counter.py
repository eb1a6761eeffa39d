"""Fee lines per channel with exemptions (checklist 39), the clerk's counter payment and the
citizen's "Thanh toán" page (checklist 36)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import reverse

from dossiers.services import dossier_receive
from dossiers.tests.factories import MONDAY_MORNING, counter_dossier
from payments.errors import PaymentError
from payments.models import DossierFee, EReceipt, Payment
from payments.selectors import amount_due
from payments.services import (
    dossier_fee_exempt,
    dossier_fees_snapshot,
    payment_counter_record,
    payment_online_start,
)
from payments.tests.factories import COUNTER_FEE, ONLINE_FEE, SECOND_FEE

pytestmark = pytest.mark.django_db


def test_an_online_dossier_owes_the_online_amounts(dossier):
    lines = dossier_fees_snapshot(dossier=dossier)

    assert [(line.name, line.amount) for line in lines] == [
        ("Lệ phí cấp giấy chứng nhận", ONLINE_FEE),
        ("Phí thẩm định", SECOND_FEE),
    ]
    assert amount_due(dossier) == ONLINE_FEE + SECOND_FEE
    assert dossier_fees_snapshot(dossier=dossier) == lines  # taken once
    assert DossierFee.objects.count() == 2


def test_a_counter_dossier_owes_the_counter_amounts(calendar, version, clerk, agency):
    dossier = dossier_receive(
        dossier=counter_dossier(clerk=clerk, commune=agency, version=version), actor=clerk, now=MONDAY_MORNING
    )

    assert [line.amount for line in dossier_fees_snapshot(dossier=dossier)] == [COUNTER_FEE, SECOND_FEE]


def test_the_snapshot_does_not_follow_later_catalogue_changes(dossier, version):
    dossier_fees_snapshot(dossier=dossier)
    version.fees.update(counter_amount=999_000, online_amount=999_000)

    assert amount_due(dossier) == ONLINE_FEE + SECOND_FEE


def test_an_exemption_needs_a_reason_and_lowers_what_is_due(dossier, clerk, citizen):
    line = dossier_fees_snapshot(dossier=dossier)[0]
    with pytest.raises(PaymentError, match="lý do"):
        dossier_fee_exempt(line=line, actor=clerk, reason="  ")
    with pytest.raises(PaymentError, match="không được"):
        dossier_fee_exempt(line=line, actor=citizen, reason="Hộ nghèo")

    exempted = dossier_fee_exempt(line=line, actor=clerk, reason="Hộ nghèo (Nghị quyết HĐND tỉnh)")

    assert (exempted.amount, exempted.is_exempted) == (0, True)
    assert amount_due(dossier) == SECOND_FEE


def test_the_clerk_records_a_counter_payment_with_its_receipt(dossier, clerk):
    payment = payment_counter_record(
        dossier=dossier, clerk=clerk, payer_name="Lương Văn Bình", now=MONDAY_MORNING
    )

    assert (payment.method, payment.status, payment.amount) == ("counter", "paid", ONLINE_FEE + SECOND_FEE)
    assert payment.recorded_by == clerk
    assert EReceipt.objects.get(payment=payment).payer_name == "Lương Văn Bình"
    assert amount_due(dossier) == 0
    with pytest.raises(PaymentError, match="không còn khoản"):
        payment_counter_record(dossier=dossier, clerk=clerk, payer_name="Lương Văn Bình")


def test_only_the_receiving_desk_takes_money_at_the_counter(dossier, clerk_other_agency, leader):
    for person in (clerk_other_agency, leader):
        with pytest.raises(PaymentError, match="cán bộ một cửa"):
            payment_counter_record(dossier=dossier, clerk=person, payer_name="Lương Văn Bình")
    assert not Payment.objects.exists()


def test_the_counter_form_records_the_payment(client, dossier, clerk):
    client.force_login(clerk)
    url = reverse("payments_staff:counter_payment", kwargs={"reference": dossier.reference})
    page = client.get(url).content.decode()
    assert "105.000 đ" in page

    missing = client.post(url, {"payer_name": ""})
    assert missing.status_code == 400
    response = client.post(url, {"payer_name": "Lương Văn Bình", "note": "Thu tại quầy số 2"})

    assert response.status_code == 302
    payment = Payment.objects.get()
    assert (payment.status, payment.note) == ("paid", "Thu tại quầy số 2")


def test_the_fees_page_shows_the_lines_and_sends_the_applicant_to_the_gateway(client, dossier, citizen):
    client.force_login(citizen)
    page = client.get(
        reverse("payments:dossier_fees", kwargs={"reference": dossier.reference})
    ).content.decode()
    assert "Lệ phí cấp giấy chứng nhận" in page
    assert "80.000 đ" in page
    assert "105.000 đ" in page
    assert "Thanh toán trực tuyến" in page

    response = client.post(reverse("payments:dossier_pay", kwargs={"reference": dossier.reference}))

    assert response.status_code == 302
    target = urlsplit(response.url)
    assert target.path == "/sandbox-gateway/paymentv2/vpcpay.html"
    params = dict(parse_qsl(target.query))
    payment = Payment.objects.get()
    assert (params["vnp_TxnRef"], params["vnp_Amount"]) == (payment.txn_ref, "10500000")
    assert payment.status == Payment.Status.PENDING


def test_nobody_but_the_applicant_pays_online(dossier, clerk, other_citizen):
    for person in (clerk, other_citizen):
        with pytest.raises(PaymentError):
            payment_online_start(dossier=dossier, payer=person, ip_address="")


def test_no_online_payment_when_the_gateway_is_off(dossier, citizen, settings):
    settings.PAYMENT_GATEWAY = "off"
    with pytest.raises(PaymentError, match="chưa được bật"):
        payment_online_start(dossier=dossier, payer=citizen, ip_address="")


def test_the_clerk_exempts_a_fee_from_the_fees_page(client, dossier, clerk, version):
    client.force_login(clerk)
    page = client.get(
        reverse("payments:dossier_fees", kwargs={"reference": dossier.reference})
    ).content.decode()
    assert "Miễn, giảm khoản này" in page
    fee = version.fees.order_by("id")[0]
    url = reverse("payments_staff:fee_exempt", kwargs={"reference": dossier.reference, "fee_id": fee.pk})

    refused = client.post(url, {"reason": "", "amount": "0"}, follow=True)
    assert [str(m) for m in refused.context["messages"]] == ["Trường này là bắt buộc."]
    assert amount_due(dossier) == ONLINE_FEE + SECOND_FEE

    client.post(url, {"reason": "Người có công với cách mạng", "amount": "0"})

    assert amount_due(dossier) == SECOND_FEE
    line = DossierFee.objects.get(fee=fee)
    assert (line.exemption_reason, line.exempted_by) == ("Người có công với cách mạng", clerk)


def test_a_citizen_cannot_exempt_their_own_fee(client, dossier, citizen, version):
    client.force_login(citizen)
    fee = version.fees.order_by("id")[0]
    url = reverse("payments_staff:fee_exempt", kwargs={"reference": dossier.reference, "fee_id": fee.pk})

    assert client.post(url, {"reason": "Tôi muốn", "amount": "0"}).status_code == 403
    assert (
        "Miễn, giảm khoản này"
        not in client.get(
            reverse("payments:dossier_fees", kwargs={"reference": dossier.reference})
        ).content.decode()
    )
    assert amount_due(dossier) == ONLINE_FEE + SECOND_FEE
