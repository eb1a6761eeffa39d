"""SMS go through the adapter named by SMS_BACKEND; the default one writes to the log."""

from __future__ import annotations

import logging

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from jobs.models import Job
from jobs.worker import Worker
from notifications.services import notify
from notifications.sms import SmsError, sms_backend
from notifications.sms.logging import LoggingSmsBackend

pytestmark = pytest.mark.django_db

SENT: list[tuple[str, str, str]] = []


class RecordingSmsBackend:
    """An adapter of the interface's shape (not a provider): remembers what it was given."""

    def send(self, *, phone: str, text: str, reference: str) -> str:
        SENT.append((phone, text, reference))
        return f"rec-{len(SENT)}"


class RefusingSmsBackend:
    def send(self, *, phone: str, text: str, reference: str) -> str:
        raise SmsError("Thuê bao không tồn tại", permanent=True)


class UnreachableSmsBackend:
    def send(self, *, phone: str, text: str, reference: str) -> str:
        raise SmsError("Không kết nối được tổng đài")


class UnconfiguredSmsBackend:
    def __init__(self) -> None:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("SMS_PROVIDER_KEY must be set")


def _backend(settings, name: str) -> None:
    settings.SMS_BACKEND = f"{__name__}.{name}"


def test_the_default_backend_writes_the_sms_to_the_log(caplog):
    assert isinstance(sms_backend(), LoggingSmsBackend)
    (message,) = notify(
        phone="0912345678", subject="", body="Hồ sơ H40-0001 đã có kết quả", reference="H40-0001"
    )

    with caplog.at_level(logging.INFO, logger="notifications.sms"):
        Worker(name="t", periodic=False).run(until_idle=True)

    message.refresh_from_db()
    assert message.status == "sent"
    assert message.external_id.startswith("log-")
    assert "0912345678" in caplog.text
    assert "Hồ sơ H40-0001 đã có kết quả" in caplog.text


def test_the_configured_adapter_receives_the_number_text_and_reference(settings):
    _backend(settings, "RecordingSmsBackend")
    SENT.clear()
    (message,) = notify(
        phone="+84912345678", subject="", body="Nội dung dài", sms_body="Ngắn", reference="R1"
    )

    Worker(name="t", periodic=False).run(until_idle=True)

    assert SENT == [("+84912345678", "Ngắn", "R1")]
    message.refresh_from_db()
    assert (message.status, message.external_id) == ("sent", "rec-1")


def test_a_number_the_provider_refuses_for_good_fails_at_once(settings):
    _backend(settings, "RefusingSmsBackend")
    (message,) = notify(phone="0912345678", subject="", body="x")

    Worker(name="t", periodic=False).run(until_idle=True)

    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", 1)
    assert message.last_error == "SmsError: Thuê bao không tồn tại"


def test_an_unreachable_provider_is_retried(settings):
    _backend(settings, "UnreachableSmsBackend")
    (message,) = notify(phone="0912345678", subject="", body="x")

    Worker(name="t", periodic=False).run(until_idle=True)

    message.refresh_from_db()
    assert (message.status, message.attempts) == ("queued", 1)
    assert Job.objects.get().status == "queued"


def test_a_provider_switched_on_but_not_configured_stops_the_start_up_check(settings):
    _backend(settings, "UnconfiguredSmsBackend")

    with pytest.raises(SystemCheckError, match="SMS_PROVIDER_KEY must be set"):
        call_command("check")
