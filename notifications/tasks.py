"""Background jobs of the outbox (thin: load by id, call the service)."""

from __future__ import annotations

from congso.jobs import job
from notifications.models import OutgoingMessage
from notifications.services import MESSAGE_MAX_ATTEMPTS, message_deliver


@job(max_attempts=MESSAGE_MAX_ATTEMPTS, backoff_seconds=60)
def message_send(*, message_id: int) -> None:
    """Deliver one message; a failure worth retrying raises, so the job layer tries again."""
    message = OutgoingMessage.objects.filter(pk=message_id).first()
    if message is not None:
        message_deliver(message=message)
