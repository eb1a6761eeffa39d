"""The default SMS backend: writes each SMS to the log and sends nothing.

For the embedded setup and for tests; an installation that really sends SMS sets
``SMS_BACKEND`` to a provider adapter (see ``notifications.sms``).
"""

from __future__ import annotations

import logging
import uuid

logger = logging.getLogger("notifications.sms")


class LoggingSmsBackend:
    def send(self, *, phone: str, text: str, reference: str) -> str:
        message_id = f"log-{uuid.uuid4().hex[:16]}"
        logger.info("SMS %s to %s (%s): %s", message_id, phone, reference or "-", text)
        return message_id
