"""Fixtures of the payments tests: a commune procedure with fees, a received online dossier,
the sandbox gateway's configuration, and the calendar (resuming a dossier counts working time)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

SECRET = "test-hash-secret-0123456789"
TMN = "CONGSOTS"
GATEWAY = {
    "PAYMENT_GATEWAY": "vnpay",
    "VNPAY_TMN_CODE": TMN,
    "VNPAY_HASH_SECRET": SECRET,
    "VNPAY_PAYMENT_URL": "http://testserver/sandbox-gateway/paymentv2/vpcpay.html",
    "VNPAY_RETURN_URL": "http://testserver/thanh-toan/ket-qua/",
    "VNPAY_IPN_URL": "http://testserver/thanh-toan/ipn/",
}


@pytest.fixture(autouse=True)
def _gateway_settings(settings: Any, tmp_path: Path) -> None:
    for name, value in GATEWAY.items():
        setattr(settings, name, value)
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def calendar(db: None) -> None:
    from workcalendar.services import calendar_seed_year

    for year in (2025, 2026):
        calendar_seed_year(year=year)


@pytest.fixture
def version(db: None) -> Any:
    from payments.tests.factories import fee_procedure

    return fee_procedure()


@pytest.fixture
def dossier(calendar: None, version: Any, citizen: Any, clerk: Any, agency: Any) -> Any:
    from dossiers.tests.factories import received_dossier

    return received_dossier(applicant=citizen, clerk=clerk, commune=agency, version=version)
