"""Dossiers lived through the services for the indicator tests: received online or at the counter,
resolved early or late, returned, rated, paid online (through the gateway's IPN) or at the desk.

Import the fixtures into a test module: ``from indicators.tests.dossier_ops import calendar, media``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from accounts.models import User
from agencies.models import Agency
from catalog.models import ProcedureVersion
from dossiers.models import Dossier
from dossiers.services import (
    dossier_forward,
    dossier_rate,
    dossier_receive,
    dossier_resolve,
    dossier_return_result,
)
from dossiers.tests.factories import counter_dossier, pdf_upload, received_dossier
from payments.models import Payment
from payments.services import payment_counter_record, payment_ipn_handle, payment_online_start
from payments.tests.conftest import GATEWAY, SECRET, TMN
from payments.tests.factories import as_query, gateway_reply

H = dt.timedelta(hours=1)


@pytest.fixture
def calendar(db: None) -> None:
    from workcalendar.services import calendar_seed_year

    for year in (2025, 2026):
        calendar_seed_year(year=year)


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    for name, value in GATEWAY.items():
        setattr(settings, name, value)


def online(
    *, citizen: User, clerk: User, commune: Agency, version: ProcedureVersion, at: dt.datetime
) -> Dossier:
    return received_dossier(applicant=citizen, clerk=clerk, commune=commune, version=version, now=at)


def counter(*, clerk: User, commune: Agency, version: ProcedureVersion, at: dt.datetime) -> Dossier:
    dossier = counter_dossier(clerk=clerk, commune=commune, version=version, now=at)
    return dossier_receive(dossier=dossier, actor=clerk, now=at)


def resolve(dossier: Dossier, *, clerk: User, specialist: User, leader: User, at: dt.datetime) -> Dossier:
    """Forward to the specialist, then to the leader, who resolves at ``at``."""
    dossier_forward(dossier=dossier, actor=clerk, to_user=specialist, now=at - 2 * H)
    dossier_forward(dossier=dossier, actor=specialist, outcome="Đủ điều kiện", now=at - H)
    return dossier_resolve(
        dossier=dossier, actor=leader, summary="Cấp giấy xác nhận", uploads=[pdf_upload("kq.pdf")], now=at
    )


def give_back(dossier: Dossier, *, clerk: User, at: dt.datetime) -> Dossier:
    return dossier_return_result(dossier=dossier, actor=clerk, now=at)


def rate(dossier: Dossier, *, score: int, at: dt.datetime, citizen: User | None = None) -> None:
    dossier_rate(
        dossier=dossier, actor=citizen, score=score, source="online" if citizen else "counter_device", now=at
    )


def pay_online(dossier: Dossier, *, citizen: User, at: dt.datetime) -> Payment:
    payment = payment_online_start(dossier=dossier, payer=citizen, ip_address="10.0.0.7", now=at).payment
    outcome = payment_ipn_handle(
        raw=as_query(gateway_reply(payment, secret=SECRET, tmn_code=TMN)),
        method="GET",
        remote_addr="203.0.113.9",
        now=at,
    )
    assert outcome.code == "00"
    payment.refresh_from_db()
    return payment


def pay_at_counter(dossier: Dossier, *, clerk: User, at: dt.datetime) -> Payment:
    return payment_counter_record(dossier=dossier, clerk=clerk, payer_name="Lương Văn Bình", now=at)
