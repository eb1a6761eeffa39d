"""Background work of signing: thin, load by id and call the service."""

from __future__ import annotations

from congso import jobs
from dossiers.models import DossierFile
from payments.models import EReceipt
from payments.receipts import receipt_pdf
from signing import dossier_files


@jobs.job(max_attempts=3, backoff_seconds=60)
def dossier_file_verify(*, file_id: int) -> None:
    """Check the signatures of a PDF just uploaded to a dossier (a file gone since is ignored)."""
    item = DossierFile.objects.select_related("dossier").filter(pk=file_id).first()
    if item is not None:
        dossier_files.dossier_file_verify(dossier_file=item)


@jobs.job(max_attempts=3, backoff_seconds=300)
def receipt_sign(*, receipt_id: int) -> None:
    """Render and sign an e-receipt just issued, so that its signed copy exists before anyone
    downloads it (``payments.receipts.receipt_pdf`` keeps it; unsigned without certificates)."""
    receipt = EReceipt.objects.select_related("payment__recorded_by", "agency").filter(pk=receipt_id).first()
    if receipt is not None:
        receipt_pdf(receipt)
