"""Fixtures of the outbox tests: a real SMTP server, and Django's SMTP backend pointed at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from notifications.tests.smtp import SmtpSink, smtp_server


def use_smtp(settings, sink: SmtpSink, *, user: str = "", password: str = "") -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = sink.host
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_HOST_USER = user
    settings.EMAIL_HOST_PASSWORD = password
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    settings.DEFAULT_FROM_EMAIL = "Cổng dịch vụ công tỉnh Lạng Sơn <khongtraloi@dichvucong.langson.gov.vn>"


@pytest.fixture
def smtp(settings) -> Iterator[SmtpSink]:
    """A real SMTP server on loopback; Django sends mail to it."""
    with smtp_server() as sink:
        use_smtp(settings, sink)
        yield sink


@pytest.fixture(autouse=True)
def _embedded_jobs(settings) -> None:
    """Jobs wait in the table until the test runs the worker, as in production."""
    settings.JOBS_BACKEND = "embedded"
    settings.CELERY_BROKER_URL = None
