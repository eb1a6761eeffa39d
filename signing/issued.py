"""Signing what the system issues — the slips of the one-stop desk (Mẫu 01–05) and the
e-receipts — when they are rendered, and telling afterwards whether a stored PDF is signed.

A document is signed by the officer who issued it and by the issuing agency when both hold a
valid certificate (and the officer belongs to that agency); by the agency alone when no person
issued it (an e-receipt of an online payment). Otherwise it stays unsigned — never a signature
that did not happen — and the pages say "chưa ký số". ``SIGNING_SIGN_SLIPS`` (default True)
turns this off.

References in the signing register: ``dossier:<reference>:slip:<slip id>`` for a slip,
``receipt:<receipt id>`` for an e-receipt (whose signed PDF the register keeps, since an
e-receipt has no file of its own).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging

from django.utils import timezone

from accounts.models import User
from agencies.models import Agency
from dossiers.slips.decree30 import place_for
from signing import conf, selectors
from signing.errors import SigningError
from signing.models import SignatureRecord
from signing.services import pdf_sign

logger = logging.getLogger(__name__)


def slip_reference(*, dossier_reference: str, slip_id: int) -> str:
    return f"dossier:{dossier_reference}:slip:{slip_id}"


def receipt_reference(receipt_id: int) -> str:
    return f"receipt:{receipt_id}"


def _can_sign(person: User | None, agency: Agency, moment: dt.datetime) -> bool:
    if selectors.certificate_for_agency(agency=agency, at=moment) is None:
        return False
    return person is None or selectors.certificate_for_user(user=person, at=moment) is not None


def issued_pdf_sign(
    *,
    pdf: bytes,
    person: User | None,
    agency: Agency,
    reference: str,
    reason: str,
    keep_as: str = "",
    now: dt.datetime | None = None,
) -> bytes:
    """``pdf`` signed by ``person`` (None: nobody, the system issued it) and ``agency`` when the
    certificates allow it; ``pdf`` unchanged otherwise. ``keep_as`` keeps the signed file with
    the register's row under that name. Never raises for a missing certificate: an unsigned
    document is still a valid document, shown as "chưa ký số"."""
    if not conf.sign_slips():
        return pdf
    moment = now or timezone.now()
    if not _can_sign(person, agency, moment):
        logger.info("%s left unsigned: no valid certificate for %s / %s", reference, person, agency)
        return pdf
    try:
        return pdf_sign(
            pdf=pdf,
            signer=person,
            agency=agency,
            reason=reason,
            location=place_for(agency),
            reference=reference,
            now=moment,
            keep_file=keep_as,
        )
    except SigningError as error:
        logger.warning("%s left unsigned: %s", reference, error)
        return pdf


def kept_signature(*, reference: str) -> SignatureRecord | None:
    """The latest signing of ``reference`` whose signed PDF the register keeps (e-receipts)."""
    return (
        SignatureRecord.objects.filter(reference=reference)
        .exclude(file="")
        .select_related("signed_by", "agency")
        .order_by("-id")
        .first()
    )


def kept_signed_pdf(*, reference: str) -> bytes | None:
    """The signed PDF the register keeps for ``reference`` (the latest), if any."""
    record = kept_signature(reference=reference)
    if record is None:
        return None
    try:
        with record.file.open("rb") as handle:
            content: bytes = handle.read()
    except FileNotFoundError:
        logger.warning("signed copy %s of %s is missing", record.file.name, reference)
        return None
    return content


def signatures_by_reference(references: list[str]) -> dict[str, list[SignatureRecord]]:
    """The register's rows for each reference, the latest first (one query)."""
    found: dict[str, list[SignatureRecord]] = {reference: [] for reference in references}
    rows = (
        SignatureRecord.objects.filter(reference__in=references)
        .select_related("signed_by", "agency")
        .order_by("-signed_at", "-id")
    )
    for record in rows:
        found[record.reference].append(record)
    return found


def stored_sha256(field: object) -> str | None:
    """The SHA-256 of a stored file (a ``FieldFile``), None when there is none or it is gone."""
    name = getattr(field, "name", "")
    if not name:
        return None
    try:
        with field.open("rb") as handle:  # type: ignore[attr-defined]
            digest = hashlib.sha256()
            while chunk := handle.read(1024 * 1024):
                digest.update(chunk)
    except FileNotFoundError:
        return None
    return digest.hexdigest()
