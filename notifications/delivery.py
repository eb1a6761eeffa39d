"""How one message leaves: e-mail through Django's configured e-mail backend (SMTP in
production: ``EMAIL_HOST``, ``EMAIL_PORT``, ``EMAIL_HOST_USER``, ``EMAIL_HOST_PASSWORD``,
``EMAIL_USE_TLS``/``EMAIL_USE_SSL``, ``EMAIL_TIMEOUT``), SMS through ``notifications.sms``."""

from __future__ import annotations

from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.utils import DNS_NAME

from notifications.models import OutgoingMessage
from notifications.sms import sms_backend


def message_id_header(message: OutgoingMessage) -> str:
    """A Message-ID fixed per outbox row: a retry after a lost reply repeats the same id, so the
    receiving side can recognise the duplicate."""
    domain = parseaddr(str(settings.DEFAULT_FROM_EMAIL))[1].rpartition("@")[2] or str(DNS_NAME)
    return f"<congso.outbox.{message.pk}@{domain}>"


def deliver(message: OutgoingMessage) -> str:
    """Send ``message`` now; return the id the other side knows it by. Raises on failure."""
    if message.channel == OutgoingMessage.Channel.EMAIL:
        return _send_email(message)
    return sms_backend().send(phone=message.recipient, text=message.body, reference=message.reference)


def _send_email(message: OutgoingMessage) -> str:
    message_id = message_id_header(message)
    headers = {"Message-ID": message_id, "Auto-Submitted": "auto-generated"}
    if message.reference:
        headers["X-Congso-Reference"] = message.reference
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=str(settings.DEFAULT_FROM_EMAIL),
        to=[message.recipient],
        headers=headers,
        connection=get_connection(fail_silently=False),
    )
    email.send(fail_silently=False)
    return message_id
