"""Checking the signatures of the PDFs uploaded to a dossier (a citizen's signed application, a
supplement, another agency's result) in the background, and finding what was found.

``verification_enqueue`` is called by ``dossiers.services.intake.dossier_file_attach`` inside
the upload's transaction: the job row commits with the file. The job
(``signing.tasks.dossier_file_verify``) keeps a ``VerificationReport`` whose ``reference`` is
``dossier:<reference>:file:<id>`` and whose ``file_sha256`` is the file's.
"""

from __future__ import annotations

from django.db.models import QuerySet

from congso import jobs
from dossiers.models import DossierFile
from dossiers.services.files import PDF
from signing.models import VerificationReport
from signing.services import verification_report_create

VERIFY_JOB = "signing.tasks.dossier_file_verify"


def file_reference(dossier_file: DossierFile) -> str:
    return f"dossier:{dossier_file.dossier.reference}:file:{dossier_file.pk}"


def verification_enqueue(*, dossier_file: DossierFile) -> int | None:
    """Ask for the file's signatures to be checked once the upload commits (PDFs only)."""
    if dossier_file.content_type != PDF:
        return None
    return jobs.enqueue(VERIFY_JOB, file_id=dossier_file.pk)


def dossier_file_verify(*, dossier_file: DossierFile) -> VerificationReport:
    """Check the file's signatures now and keep the report for the dossier's pages."""
    with dossier_file.file.open("rb") as handle:
        content: bytes = handle.read()
    return verification_report_create(
        pdf=content, reference=file_reference(dossier_file), file_name=dossier_file.name
    )


def reports_for(files: list[DossierFile]) -> dict[int, VerificationReport]:
    """The latest report of each file that has one, for the file as it is (same SHA-256)."""
    if not files:
        return {}
    by_reference = {file_reference(f): f for f in files}
    found: dict[int, VerificationReport] = {}
    rows: QuerySet[VerificationReport] = VerificationReport.objects.filter(
        reference__in=list(by_reference)
    ).order_by("checked_at", "id")
    for report in rows:
        item = by_reference[report.reference]
        if report.file_sha256 == item.sha256:
            found[item.pk] = report
    return found
