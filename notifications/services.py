"""Writes of the outbox: queue a notice, deliver a message, send a failed one again.

``notify`` only writes rows and queues their sending with the job layer, in the caller's
transaction: a rolled-back change tells nobody, a committed one is never forgotten. Delivery
happens in a background job (``notifications.tasks.message_send``) that retries with back-off
while the mail server or the SMS provider is down; a message that still fails after
``MESSAGE_MAX_ATTEMPTS`` tries, or that the server refuses for good (no such mailbox), is marked
failed with its error, in the admin, where an operator can send it again.
"""

from __future__ import annotations

import logging
import re
import smtplib
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.validators import validate_phone
from congso import jobs
from notifications.delivery import deliver
from notifications.models import OutgoingMessage
from notifications.sms import SmsError

logger = logging.getLogger(__name__)

MESSAGE_MAX_ATTEMPTS = 8
SEND_JOB = "notifications.tasks.message_send"


class MessageNotDelivered(Exception):
    """Delivery failed this time; the job layer tries again after its back-off."""


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _invalid_reason(channel: str, recipient: str) -> str:
    try:
        if channel == OutgoingMessage.Channel.EMAIL:
            validate_email(recipient)
        else:
            validate_phone(recipient)
    except ValidationError:
        if channel == OutgoingMessage.Channel.EMAIL:
            return gettext("Địa chỉ thư điện tử không hợp lệ: %(to)s") % {"to": recipient}
        return gettext("Số điện thoại không hợp lệ: %(to)s") % {"to": recipient}
    return ""


def notify(
    *,
    email: str | None = None,
    phone: str | None = None,
    subject: str,
    body: str,
    reference: str = "",
    sms_body: str | None = None,
    dedupe_key: str = "",
) -> list[OutgoingMessage]:
    """Queue ``body`` to ``email`` and/or ``phone``; send after the transaction commits.

    ``sms_body`` is the short text for SMS (``body`` when omitted). With ``dedupe_key``, a
    recipient who already has a message under that key on that channel gets nothing new (the
    key names the notice: "this event", "this step, this threshold, this person"). An address
    that is not valid is kept as a failed message with the reason, for the operator to see,
    rather than raising in the middle of someone else's action. Returns the new messages.
    """
    if not body.strip():
        raise ValueError("notify() needs a body")
    wanted: list[tuple[str, str, str]] = []
    if email and email.strip():
        wanted.append((OutgoingMessage.Channel.EMAIL, email.strip(), body))
    if phone and phone.strip():
        number = phone.replace(" ", "").replace(".", "").strip()
        wanted.append((OutgoingMessage.Channel.SMS, number, sms_body or body))
    created: list[OutgoingMessage] = []
    with transaction.atomic():
        for channel, recipient, text in wanted:
            if (
                dedupe_key
                and OutgoingMessage.objects.filter(
                    dedupe_key=dedupe_key, channel=channel, recipient=recipient
                ).exists()
            ):
                continue
            invalid = _invalid_reason(channel, recipient)
            try:
                with transaction.atomic():
                    message = OutgoingMessage.objects.create(
                        channel=channel,
                        recipient=recipient,
                        subject=_one_line(subject)[:255],
                        body=text,
                        reference=reference[:64],
                        dedupe_key=dedupe_key[:200],
                        status=OutgoingMessage.Status.FAILED if invalid else OutgoingMessage.Status.QUEUED,
                        last_error=invalid,
                    )
            except IntegrityError:
                continue  # the same notice, queued at this very moment by someone else
            if not invalid:
                jobs.enqueue(SEND_JOB, message_id=message.pk)
            created.append(message)
    return created


def _permanent(exc: BaseException) -> bool:
    """Whether trying again cannot help: the server refused the address for good (5xx)."""
    if isinstance(exc, SmsError):
        return exc.permanent
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException) and not isinstance(
        exc, smtplib.SMTPAuthenticationError | smtplib.SMTPSenderRefused
    ):
        return exc.smtp_code >= 500
    return False


def message_deliver(*, message: OutgoingMessage) -> OutgoingMessage:
    """Try once to deliver a queued message, and record what happened.

    Raises :class:`MessageNotDelivered` after a failure that is worth retrying while attempts
    remain, so that the job runs again after its back-off. A message that is no longer queued
    (sent, failed) is left alone.
    """
    if message.status != OutgoingMessage.Status.QUEUED:
        return message
    attempt = message.attempts + 1
    now = timezone.now()
    try:
        external_id = deliver(message)
    except Exception as exc:
        give_up = attempt >= MESSAGE_MAX_ATTEMPTS or _permanent(exc)
        error = f"{type(exc).__name__}: {exc}"
        OutgoingMessage.objects.filter(pk=message.pk, status=OutgoingMessage.Status.QUEUED).update(
            attempts=attempt,
            last_attempt_at=now,
            last_error=error,
            status=OutgoingMessage.Status.FAILED if give_up else OutgoingMessage.Status.QUEUED,
        )
        message.refresh_from_db()
        if give_up:
            logger.error("message %s to %s failed for good: %s", message.pk, message.recipient, error)
            return message
        raise MessageNotDelivered(f"message {message.pk}: {error}") from exc
    OutgoingMessage.objects.filter(pk=message.pk).update(
        attempts=attempt,
        last_attempt_at=now,
        sent_at=timezone.now(),
        status=OutgoingMessage.Status.SENT,
        external_id=external_id[:200],
    )
    message.refresh_from_db()
    return message


def message_resend(*, messages: Iterable[OutgoingMessage]) -> int:
    """Queue failed messages again with a fresh set of attempts; returns how many."""
    count = 0
    with transaction.atomic():
        for message in messages:
            if message.status != OutgoingMessage.Status.FAILED:
                continue
            if _invalid_reason(message.channel, message.recipient):
                continue
            updated = OutgoingMessage.objects.filter(
                pk=message.pk, status=OutgoingMessage.Status.FAILED
            ).update(status=OutgoingMessage.Status.QUEUED, attempts=0)
            if updated:
                jobs.enqueue(SEND_JOB, message_id=message.pk)
                count += 1
    return count
