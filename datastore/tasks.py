"""Background jobs of the data store: thin, they load by id and call ``datastore.services``.

``text_extract`` reads the text of one stored document or scan (queued in the transaction that
stored it); ``scans_index`` sweeps the papers digitised at desks that have no text yet, every
``DATASTORE_SCAN_SWEEP_MINUTES`` (default 10).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from congso.jobs import job, periodic
from datastore import services
from datastore.models import ExtractedText


def _sweep_every() -> dt.timedelta:
    return dt.timedelta(minutes=int(getattr(settings, "DATASTORE_SCAN_SWEEP_MINUTES", 10)))


# OCR of a long scan takes a while: a generous lease, few retries (a file that cannot be read is
# recorded as failed by the service, not retried).
@job(max_attempts=3, backoff_seconds=120, lease_seconds=1800)
def text_extract(*, text_id: int) -> None:
    """Read the words of one stored document or desk scan."""
    text = ExtractedText.objects.select_related("stored_document", "dossier_file").filter(pk=text_id).first()
    if text is not None:
        services.extracted_text_fill(text=text)


@periodic(every=_sweep_every())
def scans_index() -> None:
    """Queue the text of the desk scans that have none yet."""
    services.dossier_scans_queue()
