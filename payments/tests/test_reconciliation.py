"""Reconciliation: confirmed by the gateway but not by congso, and payments pending too long."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dossiers.tests.factories import MONDAY_MORNING
from payments.selectors import reconciliation
from payments.services import payment_ipn_handle, payment_online_start
from payments.tests.conftest import SECRET, TMN
from payments.tests.factories import as_query, gateway_reply

pytestmark = pytest.mark.django_db


@pytest.fixture
def payment(dossier, citizen):
    return payment_online_start(dossier=dossier, payer=citizen, ip_address="", now=MONDAY_MORNING).payment


def test_a_settled_payment_leaves_nothing_to_reconcile(payment):
    payment_ipn_handle(
        raw=as_query(gateway_reply(payment, secret=SECRET, tmn_code=TMN)), method="GET", remote_addr=""
    )

    assert reconciliation(now=MONDAY_MORNING + dt.timedelta(days=1)).clean


def test_a_confirmation_that_failed_here_is_listed(payment, monkeypatch):
    monkeypatch.setattr("payments.services.receipt_issue", lambda **kw: 1 / 0)
    query = as_query(gateway_reply(payment, secret=SECRET, tmn_code=TMN))
    assert payment_ipn_handle(raw=query, method="GET", remote_addr="").code == "99"

    report = reconciliation(now=MONDAY_MORNING)

    assert [(row.txn_ref, row.payment) for row in report.unrecorded] == [(payment.txn_ref, payment)]


def test_a_forged_or_refused_confirmation_is_not_listed_as_confirmed(payment):
    payment_ipn_handle(
        raw=as_query(gateway_reply(payment, secret="forged", tmn_code=TMN)), method="GET", remote_addr=""
    )
    payment_ipn_handle(
        raw=as_query(
            gateway_reply(payment, secret=SECRET, tmn_code=TMN, response_code="51", transaction_status="02")
        ),
        method="GET",
        remote_addr="",
    )

    assert reconciliation(now=MONDAY_MORNING).unrecorded == []


def test_pending_payments_older_than_the_threshold_are_listed(payment, settings):
    settings.PAYMENT_PENDING_STALE_MINUTES = 30

    assert reconciliation(now=MONDAY_MORNING + dt.timedelta(minutes=29)).stale_pending == []
    assert reconciliation(now=MONDAY_MORNING + dt.timedelta(minutes=31)).stale_pending == [payment]


def test_the_command_prints_the_findings_and_can_fail_on_them(payment):
    out = io.StringIO()
    call_command("payments_reconcile", "--stale-minutes", "1", stdout=out)
    assert payment.txn_ref in out.getvalue()
    assert "Đang chờ xác nhận quá hạn: 1" in out.getvalue()

    with pytest.raises(CommandError) as failure:
        call_command("payments_reconcile", "--stale-minutes", "1", "--fail-on-findings", stdout=io.StringIO())
    assert failure.value.returncode == 1


def test_the_hourly_job_warns_the_operators_of_findings(payment, caplog):
    from congso import jobs
    from payments.tasks import payments_reconcile_hourly

    assert "payments.tasks.payments_reconcile_hourly" in {spec.path for spec in jobs.periodic_jobs()}
    with caplog.at_level("WARNING", logger="payments.tasks"):
        payments_reconcile_hourly()

    assert payment.txn_ref in caplog.text
    assert "1 pending too long" in caplog.text
