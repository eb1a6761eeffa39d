"""Sending SMS: one interface, one module per provider.

A provider adapter is a class with the shape of :class:`SmsBackend`, in its own module here
(``notifications/sms/<provider>.py``), chosen with ``settings.SMS_BACKEND`` (a dotted path; the
default ``notifications.sms.logging.LoggingSmsBackend`` only writes the text to the log). An
adapter reads its own settings in ``__init__`` and raises ``ImproperlyConfigured`` when one is
missing: the system check in ``notifications.checks`` instantiates the configured backend, so a
provider that is switched on but not configured stops ``manage.py check`` at start-up.

An adapter raises :class:`SmsError` when the provider refuses or cannot be reached, with
``permanent=True`` when trying again cannot help (an invalid number, a blocked subscriber), so
that the outbox stops retrying at once.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_SMS_BACKEND = "notifications.sms.logging.LoggingSmsBackend"


class SmsError(Exception):
    """The provider did not accept the message."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class SmsBackend(Protocol):
    """What the outbox needs from an SMS provider."""

    def send(self, *, phone: str, text: str, reference: str) -> str:
        """Send ``text`` to ``phone`` (``0…`` or ``+84…``); return the provider's message id."""
        ...


def sms_backend() -> SmsBackend:
    """An instance of the configured ``SMS_BACKEND``."""
    return _load(str(getattr(settings, "SMS_BACKEND", "") or DEFAULT_SMS_BACKEND))


@lru_cache(maxsize=4)
def _load(path: str) -> SmsBackend:
    backend: SmsBackend = import_string(path)()
    return backend
