"""What a dossier's pages show about digital signatures (``_signatures.html``): for each PDF of
the dossier, who signed it, when, whether it is intact and trusted, and the Vietnamese message
of its verification; for the slips and e-receipts issued, whether they are signed; and, for a
leader of the competent agency, which results wait for their signature.

A fixed number of queries whatever the number of files (the stored slip PDFs are read to match
their hash against the signing register).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from accounts.models import User
from dossiers.models import Dossier, DossierFile, Slip
from dossiers.services.files import PDF
from signing.dossier_files import reports_for
from signing.issued import receipt_reference, signatures_by_reference, slip_reference, stored_sha256
from signing.models import SignatureRecord, VerificationReport
from signing.results import may_sign_results, signed_hashes


@dataclass(frozen=True)
class SignatureLine:
    """One signature found in a file, as its verification described it."""

    signer_name: str
    issuer: str
    signing_time: dt.datetime | None
    timestamped: bool
    intact: bool
    trusted: bool
    valid: bool
    messages: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class FileRow:
    file: DossierFile
    report: VerificationReport | None
    lines: list[SignatureLine]
    can_sign: bool

    @property
    def is_pdf(self) -> bool:
        return self.file.content_type == PDF

    @property
    def is_result(self) -> bool:
        return self.file.kind == DossierFile.Kind.RESULT


@dataclass(frozen=True)
class IssuedRow:
    """A slip or an e-receipt issued for the dossier, and the signature of its stored PDF."""

    label: str
    pending: bool
    record: SignatureRecord | None


@dataclass(frozen=True)
class SignaturePanel:
    rows: list[FileRow]
    issued: list[IssuedRow]
    awaiting: int

    @property
    def empty(self) -> bool:
        return not self.rows and not self.issued


def _instant(value: object) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        return None


def signature_lines(report: VerificationReport | None) -> list[SignatureLine]:
    if report is None or not isinstance(report.signatures, list):
        return []
    return [
        SignatureLine(
            signer_name=str(item.get("signer_name", "")),
            issuer=str(item.get("issuer", "")),
            signing_time=_instant(item.get("signing_time")),
            timestamped=bool(item.get("timestamped")),
            intact=bool(item.get("intact")),
            trusted=bool(item.get("trusted")),
            valid=bool(item.get("valid")),
            messages=[str(m) for m in item.get("messages", [])],
        )
        for item in report.signatures
        if isinstance(item, dict)
    ]


def _slip_rows(dossier: Dossier, slips: Sequence[Slip]) -> list[IssuedRow]:
    references = {
        slip.pk: slip_reference(dossier_reference=dossier.reference, slip_id=slip.pk) for slip in slips
    }
    records = signatures_by_reference(list(references.values()))
    rows = []
    for slip in slips:
        label = _("%(form)s, số %(number)s") % {"form": slip.get_form_display(), "number": slip.number}
        digest = stored_sha256(slip.pdf)
        if digest is None:
            rows.append(IssuedRow(label=label, pending=True, record=None))
            continue
        record = next((r for r in records[references[slip.pk]] if r.sha256 == digest), None)
        rows.append(IssuedRow(label=label, pending=False, record=record))
    return rows


def _receipt_rows(dossier: Dossier) -> list[IssuedRow]:
    receipts = list(dossier.receipts.order_by("issued_at", "id"))
    records = signatures_by_reference([receipt_reference(r.pk) for r in receipts])
    rows = []
    for receipt in receipts:
        kept = [r for r in records[receipt_reference(receipt.pk)] if r.file]
        label = _("Biên lai điện tử số %(number)s") % {"number": receipt.number}
        rows.append(IssuedRow(label=label, pending=False, record=kept[0] if kept else None))
    return rows


def signature_panel(
    *, dossier: Dossier, files: Iterable[DossierFile], slips: Sequence[Slip], user: User | None
) -> SignaturePanel:
    """The panel of ``dossier`` for ``user`` (None: the applicant's page, which offers nothing
    to sign). ``files`` are the files the page shows (those in force); PDFs and results are kept."""
    shown = [f for f in files if f.content_type == PDF or f.kind == DossierFile.Kind.RESULT]
    reports = reports_for([f for f in shown if f.content_type == PDF])
    signer = user is not None and may_sign_results(user, dossier)
    results = [f for f in shown if f.kind == DossierFile.Kind.RESULT and f.content_type == PDF]
    signed = signed_hashes({f.sha256 for f in results}) if signer else set()
    rows = [
        FileRow(
            file=item,
            report=reports.get(item.pk),
            lines=signature_lines(reports.get(item.pk)),
            can_sign=signer and item in results and item.sha256 not in signed,
        )
        for item in shown
    ]
    issued = _slip_rows(dossier, slips) + _receipt_rows(dossier)
    return SignaturePanel(rows=rows, issued=issued, awaiting=sum(row.can_sign for row in rows))
