"""Checking the signatures of any PDF (a citizen's signed application, another agency's result)
with pyHanko's validator, against the trust roots the province configured."""

from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESIndeterminate
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from signing import pki, selectors
from signing.models import VerificationOutcome

logger = logging.getLogger(__name__)

# Worst first: the outcome of a file is the worst outcome among its signatures.
SEVERITY = [
    VerificationOutcome.UNREADABLE,
    VerificationOutcome.TAMPERED,
    VerificationOutcome.INVALID,
    VerificationOutcome.UNTRUSTED,
    VerificationOutcome.VALID,
]


def message_for(outcome: VerificationOutcome) -> str:
    return {
        VerificationOutcome.VALID: _("Chữ ký số hợp lệ, tệp còn nguyên vẹn từ khi ký."),
        VerificationOutcome.TAMPERED: _("Tệp đã bị sửa đổi sau khi ký: không được dùng tệp này."),
        VerificationOutcome.INVALID: _("Chữ ký số không hợp lệ."),
        VerificationOutcome.UNTRUSTED: _("Chứng thư số không do tổ chức được tin cậy cấp."),
        VerificationOutcome.UNSIGNED: _("Tệp chưa được ký số."),
        VerificationOutcome.UNREADABLE: _("Không đọc được tệp PDF: tệp hỏng hoặc không phải PDF."),
    }[outcome]


@dataclass(frozen=True)
class SignatureCheck:
    """What one signature in the file says, as a dossier page shows it."""

    field_name: str
    signer_name: str
    signer_subject: str
    issuer: str
    signing_time: dt.datetime | None
    timestamped: bool
    intact: bool
    valid: bool
    trusted: bool
    covers_whole_file: bool
    outcome: VerificationOutcome
    messages: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "field_name": self.field_name,
            "signer_name": self.signer_name,
            "signer_subject": self.signer_subject,
            "issuer": self.issuer,
            "signing_time": self.signing_time.isoformat() if self.signing_time else None,
            "timestamped": self.timestamped,
            "intact": self.intact,
            "valid": self.valid,
            "trusted": self.trusted,
            "covers_whole_file": self.covers_whole_file,
            "outcome": str(self.outcome),
            "messages": list(self.messages),
        }


@dataclass(frozen=True)
class VerificationResult:
    """The verdict on a whole file: its outcome, one line per problem, and each signature."""

    outcome: VerificationOutcome
    signatures: tuple[SignatureCheck, ...]
    messages: tuple[str, ...]

    @property
    def is_signed(self) -> bool:
        return bool(self.signatures)

    @property
    def intact(self) -> bool:
        return self.is_signed and all(s.intact for s in self.signatures)

    @property
    def valid(self) -> bool:
        return self.outcome == VerificationOutcome.VALID

    @property
    def trusted(self) -> bool:
        return self.is_signed and all(s.trusted for s in self.signatures)

    @property
    def signer_name(self) -> str:
        return self.signatures[0].signer_name if self.signatures else ""

    @property
    def signing_time(self) -> dt.datetime | None:
        return self.signatures[0].signing_time if self.signatures else None


def _worst(outcomes: list[VerificationOutcome]) -> VerificationOutcome:
    return min(outcomes, key=SEVERITY.index)


def _untrusted_message(status: PdfSignatureStatus) -> str:
    indication = status.trust_problem_indic
    if status.revoked:
        return _("Chứng thư số của người ký đã bị thu hồi.")
    if indication in (AdESIndeterminate.OUT_OF_BOUNDS_NO_POE, AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED):
        return _("Chứng thư số đã hết hạn hoặc chưa có hiệu lực tại thời điểm ký.")
    return message_for(VerificationOutcome.UNTRUSTED)


def _check(embedded: EmbeddedPdfSignature, context: ValidationContext) -> SignatureCheck:
    field_name = str(embedded.field_name)
    certificate = embedded.signer_cert
    signer_subject = certificate.subject.human_friendly if certificate else ""
    signer_name = str(certificate.subject.native.get("common_name", "")) if certificate else ""
    issuer = certificate.issuer.human_friendly if certificate else ""
    try:
        status = validate_pdf_signature(embedded, signer_validation_context=context)
    except SignatureValidationError as error:
        logger.info("signature %s could not be validated: %s", field_name, error)
        return SignatureCheck(
            field_name=field_name,
            signer_name=signer_name,
            signer_subject=signer_subject,
            issuer=issuer,
            signing_time=None,
            timestamped=False,
            intact=False,
            valid=False,
            trusted=False,
            covers_whole_file=False,
            outcome=VerificationOutcome.INVALID,
            messages=(message_for(VerificationOutcome.INVALID),),
        )
    # Later revisions are fine only if they add nothing but form filling and signatures.
    untouched = status.coverage == SignatureCoverageLevel.ENTIRE_FILE or (
        status.coverage == SignatureCoverageLevel.ENTIRE_REVISION and bool(status.docmdp_ok)
    )
    intact = bool(status.intact) and untouched
    if not intact:
        outcome = VerificationOutcome.TAMPERED
        messages: tuple[str, ...] = (message_for(outcome),)
    elif not status.valid:
        outcome = VerificationOutcome.INVALID
        messages = (message_for(outcome),)
    elif not status.trusted:
        outcome = VerificationOutcome.UNTRUSTED
        messages = (_untrusted_message(status),)
    else:
        outcome = VerificationOutcome.VALID
        messages = ()
    timestamp = status.timestamp_validity
    return SignatureCheck(
        field_name=field_name,
        signer_name=signer_name,
        signer_subject=signer_subject,
        issuer=issuer,
        signing_time=timestamp.timestamp if timestamp else status.signer_reported_dt,
        timestamped=timestamp is not None,
        intact=intact,
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        outcome=outcome,
        messages=messages,
    )


def pdf_verify(*, pdf: bytes) -> VerificationResult:
    """Check every signature in ``pdf``: signer, time, integrity, trust. Writes nothing."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = list(reader.embedded_signatures)
    except (PdfError, ValueError, KeyError, IndexError, TypeError) as error:
        logger.info("unreadable PDF: %s", error)
        outcome = VerificationOutcome.UNREADABLE
        return VerificationResult(outcome=outcome, signatures=(), messages=(message_for(outcome),))
    if not embedded:
        outcome = VerificationOutcome.UNSIGNED
        return VerificationResult(outcome=outcome, signatures=(), messages=(message_for(outcome),))
    context = ValidationContext(
        trust_roots=[pki.asn1(root) for root in selectors.trust_root_certificates()],
        allow_fetching=False,
    )
    checks = tuple(_check(signature, context) for signature in embedded)
    outcome = _worst([check.outcome for check in checks])
    messages: list[str] = []
    for check in checks:
        messages.extend(m for m in check.messages if m not in messages)
    if outcome == VerificationOutcome.VALID:
        messages.append(message_for(outcome))
    return VerificationResult(outcome=outcome, signatures=checks, messages=tuple(messages))
