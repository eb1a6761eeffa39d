"""Dossiers with a real result PDF, for the tests of signing in the dossier flow (built through
the dossier services, as ``dossiers.tests.factories`` does)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from dossiers.models import Dossier, DossierFile
from dossiers.services import dossier_resolve
from dossiers.tests.factories import dossier_at_step, pdf_upload
from signing.tests.pdfs import tiny_pdf


def resolved_with_pdf(
    *,
    applicant: Any,
    clerk: Any,
    specialist: Any,
    leader: Any,
    commune: Any,
    result: bytes | None = None,
    name: str = "ket-qua.pdf",
) -> Dossier:
    """Through the four-step process to the leader's resolution, the result a real (unsigned) PDF.
    Acted at the real instant, a few minutes ago, so that the pages' "now" follows it."""
    start = timezone.now() - dt.timedelta(minutes=10)
    dossier = dossier_at_step(
        3,
        applicant=applicant,
        clerk=clerk,
        specialist=specialist,
        commune=commune,
        now=start,
        step_minutes=1,
    )
    return dossier_resolve(
        dossier=dossier,
        actor=leader,
        summary="Cấp trích lục khai sinh",
        uploads=[pdf_upload(name, result if result is not None else tiny_pdf())],
        now=start + dt.timedelta(minutes=5),
    )


def result_of(dossier: Dossier) -> DossierFile:
    return dossier.files.get(kind=DossierFile.Kind.RESULT, replaced_by__isnull=True)


def content_of(item: DossierFile) -> bytes:
    with item.file.open("rb") as handle:
        data: bytes = handle.read()
    return data
