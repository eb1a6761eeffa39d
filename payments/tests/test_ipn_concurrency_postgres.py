"""Ten copies of the same IPN delivered at once leave one paid payment and one receipt."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from dossiers.tests.factories import MONDAY_MORNING
from payments.models import EReceipt, GatewayCallback, Payment
from payments.services import payment_ipn_handle, payment_online_start
from payments.tests.conftest import SECRET, TMN
from payments.tests.factories import as_query, gateway_reply

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_ten_parallel_replays_of_the_ipn_leave_one_paid_payment(dossier, citizen):
    payment = payment_online_start(dossier=dossier, payer=citizen, ip_address="", now=MONDAY_MORNING).payment
    query = as_query(gateway_reply(payment, secret=SECRET, tmn_code=TMN))
    start = threading.Barrier(10)
    codes: list[str] = []
    errors: list[BaseException] = []

    def deliver() -> None:
        try:
            start.wait()
            codes.append(payment_ipn_handle(raw=query, method="GET", remote_addr="203.0.113.9").code)
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors
    assert sorted(codes) == ["00"] + ["02"] * 9
    assert Payment.objects.filter(status=Payment.Status.PAID).count() == 1
    assert EReceipt.objects.count() == 1
    assert GatewayCallback.objects.filter(kind="ipn").count() == 10
