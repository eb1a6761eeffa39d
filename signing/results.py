"""A leader signs a dossier's result: the person's and the competent agency's signatures on
the result PDF, kept as a new file that replaces the unsigned one (which is never overwritten),
and a line in the dossier's history (``Action.SIGN_RESULT``, through ``transitions.transition``).

Who signs: a leader (agency leader or department leader) of the dossier's competent agency,
while the dossier is being processed or resolved — not a specialist, not another agency.
A file counts as signed when congso signed exactly these bytes (a ``SignatureRecord`` with its
SHA-256) or when its verification found valid, trusted signatures (another agency's signed result).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import staff_agency_ids
from accounts.selectors import LEADER_ROLES
from dossiers.errors import TransitionNotAllowed
from dossiers.models import Dossier, DossierFile, Status
from dossiers.services.files import PDF, storage_name_for
from dossiers.slips.decree30 import place_for
from dossiers.transitions import Action, check_transition, transition
from signing.dossier_files import file_reference, verification_enqueue
from signing.errors import AlreadySigned, SigningError, SigningNotPermitted
from signing.models import SignatureRecord, VerificationOutcome, VerificationReport
from signing.services import pdf_sign, verification_report_create

logger = logging.getLogger(__name__)

SIGNABLE_STATUSES = frozenset({Status.PROCESSING, Status.RESOLVED})


@dataclass(frozen=True)
class ResultSigned:
    """What one signing of a result wrote."""

    original: DossierFile
    signed: DossierFile
    record: SignatureRecord
    report: VerificationReport | None


def signed_hashes(hashes: set[str]) -> set[str]:
    """Which of the SHA-256 ``hashes`` belong to signed files (congso's own signings, or files
    whose verification found them valid and trusted)."""
    if not hashes:
        return set()
    ours = SignatureRecord.objects.filter(sha256__in=hashes).values_list("sha256", flat=True)
    checked = VerificationReport.objects.filter(
        file_sha256__in=hashes, outcome=VerificationOutcome.VALID
    ).values_list("file_sha256", flat=True)
    return set(ours) | set(checked)


def is_signed(dossier_file: DossierFile) -> bool:
    return bool(signed_hashes({dossier_file.sha256}))


def current_results(dossier: Dossier) -> list[DossierFile]:
    return list(dossier.files.filter(kind=DossierFile.Kind.RESULT, replaced_by__isnull=True).order_by("id"))


def unsigned_results(dossier: Dossier) -> list[DossierFile]:
    """The result files in force that carry no valid signature."""
    results = current_results(dossier)
    signed = signed_hashes({f.sha256 for f in results})
    return [f for f in results if f.sha256 not in signed]


def leads_competent_agency(user: User, dossier: Dossier) -> bool:
    """Whether ``user`` leads (agency or department leader, today) the dossier's competent agency."""
    return dossier.competent_agency_id in staff_agency_ids(user, roles=LEADER_ROLES)


def may_sign_results(user: User, dossier: Dossier) -> bool:
    """Whether the page offers ``user`` to sign the dossier's results now."""
    if dossier.status not in SIGNABLE_STATUSES or not leads_competent_agency(user, dossier):
        return False
    try:
        check_transition(dossier=dossier, action=Action.SIGN_RESULT, actor=user)
    except TransitionNotAllowed:
        return False
    return True


def results_awaiting_signature(user: User) -> QuerySet[DossierFile]:
    """The unsigned result PDFs of the dossiers ``user`` may see and whose competent agency they
    lead, in dossiers still being processed or resolved; the earliest due first."""
    led = staff_agency_ids(user, roles=LEADER_ROLES)
    dossiers = Dossier.objects.restrict(user, "change").filter(
        status__in=SIGNABLE_STATUSES, competent_agency_id__in=led
    )
    return (
        DossierFile.objects.filter(
            dossier__in=dossiers,
            kind=DossierFile.Kind.RESULT,
            replaced_by__isnull=True,
            content_type=PDF,
        )
        .exclude(sha256__in=SignatureRecord.objects.values("sha256"))
        .exclude(
            sha256__in=VerificationReport.objects.filter(outcome=VerificationOutcome.VALID).values(
                "file_sha256"
            )
        )
        .select_related("dossier", "dossier__procedure_version", "dossier__competent_agency")
        .order_by(F("dossier__due_at").asc(nulls_last=True), "id")
    )


def result_file_for(user: User, file_id: int) -> DossierFile | None:
    """A result file of a dossier ``user`` may change (through the access layer), or None."""
    dossiers = Dossier.objects.restrict(user, "change")
    return (
        DossierFile.objects.filter(pk=file_id, kind=DossierFile.Kind.RESULT, dossier__in=dossiers)
        .select_related("dossier")
        .first()
    )


def _already_signed(item: DossierFile) -> AlreadySigned:
    record = SignatureRecord.objects.filter(sha256=item.sha256).select_related("signed_by").first()
    if record is not None and record.signed_by is not None:
        return AlreadySigned(
            _("Kết quả «%(name)s» đã được %(person)s ký số lúc %(when)s; không ký lại.")
            % {
                "name": item.name,
                "person": record.signed_by.get_full_name(),
                "when": timezone.localtime(record.signed_at).strftime("%H:%M %d/%m/%Y"),
            }
        )
    return AlreadySigned(_("Kết quả «%(name)s» đã được ký số; không ký lại.") % {"name": item.name})


def _check_not_signed(original: DossierFile) -> None:
    """``AlreadySigned`` when the file, or the file that replaced it, carries a signature."""
    newer = original.replaced_by.order_by("-id").first()
    if newer is not None:
        if is_signed(newer):
            raise _already_signed(newer)
        raise SigningError(
            _("Tệp kết quả «%(name)s» đã được thay bằng tệp khác; hãy ký tệp kết quả mới.")
            % {"name": original.name}
        )
    if is_signed(original):
        raise _already_signed(original)


def _check_signer(actor: User, dossier: Dossier) -> None:
    if not leads_competent_agency(actor, dossier):
        raise SigningNotPermitted(
            _("Chỉ lãnh đạo %(agency)s được ký số kết quả giải quyết của hồ sơ này.")
            % {"agency": dossier.competent_agency.name}
        )


def _check_status(actor: User, dossier: Dossier) -> None:
    try:
        check_transition(dossier=dossier, action=Action.SIGN_RESULT, actor=actor)
    except TransitionNotAllowed as refused:
        raise SigningError(refused.message) from refused


def dossier_result_sign(
    *, dossier_file: DossierFile, actor: User, now: dt.datetime | None = None
) -> ResultSigned:
    """Sign the result file ``dossier_file`` as ``actor`` and as the dossier's competent agency.

    The signed PDF is stored as a new result file that ``replaces`` the original; the history
    row says who signed which file. Repeating it (a double click, a batch posted twice) raises
    ``AlreadySigned`` and writes nothing. Raises ``SigningNotPermitted`` for someone who does not
    lead the competent agency and ``SigningError`` (Vietnamese) for a file that is not a PDF, a
    missing or expired certificate, or a dossier no longer being processed.
    """
    at = now or timezone.now()
    signed: DossierFile | None = None
    try:
        with transaction.atomic():
            original = (
                DossierFile.objects.select_for_update(of=("self",))
                .select_related("dossier", "dossier__competent_agency")
                .get(pk=dossier_file.pk)
            )
            dossier = (
                Dossier.objects.select_for_update(of=("self",))
                .select_related("competent_agency")
                .get(pk=original.dossier_id)
            )
            _check_signer(actor, dossier)
            if original.kind != DossierFile.Kind.RESULT:
                raise SigningError(_("Chỉ ký số tệp kết quả giải quyết."))
            _check_not_signed(original)
            _check_status(actor, dossier)
            content = _pdf_content(original)
            agency = dossier.competent_agency
            signed_pdf = pdf_sign(
                pdf=content,
                signer=actor,
                agency=agency,
                reason=_("Ký số kết quả giải quyết hồ sơ %(code)s")
                % {"code": dossier.code or dossier.reference},
                location=place_for(agency),
                now=at,
                reference=f"dossier:{dossier.reference}:result:{original.pk}",
            )
            sha256 = hashlib.sha256(signed_pdf).hexdigest()
            signature = SignatureRecord.objects.filter(sha256=sha256).latest("id")
            signed = DossierFile(
                dossier=dossier,
                kind=DossierFile.Kind.RESULT,
                requirement=original.requirement,
                origin=original.origin,
                name=original.name,
                content_type=PDF,
                size=len(signed_pdf),
                sha256=sha256,
                replaces=original,
                uploaded_by=actor,
            )
            signed.file.save(storage_name_for(original.name, PDF), ContentFile(signed_pdf), save=False)
            signed.save()
            transition(
                dossier=dossier,
                action=Action.SIGN_RESULT,
                actor=actor,
                reason=original.name,
                data={
                    "file": original.pk,
                    "signed_file": signed.pk,
                    "signature": signature.pk,
                    "signer": actor.get_full_name(),
                    "agency": agency.name,
                    "signed_at": at.isoformat(),
                },
                files=[signed],
                now=at,
            )
    except Exception:
        if signed is not None and signed.file:
            signed.file.storage.delete(signed.file.name)
        raise
    return ResultSigned(
        original=original, signed=signed, record=signature, report=_report(signed, signed_pdf, actor)
    )


def _pdf_content(original: DossierFile) -> bytes:
    if original.content_type != PDF:
        raise SigningError(
            _(
                "Tệp kết quả «%(name)s» không phải tệp PDF nên không ký số được: đề nghị đính kèm "
                "kết quả dạng PDF."
            )
            % {"name": original.name}
        )
    try:
        with original.file.open("rb") as handle:
            content: bytes = handle.read()
    except FileNotFoundError:
        raise SigningError(
            _("Tệp kết quả «%(name)s» không còn trên máy chủ lưu trữ; đề nghị liên hệ quản trị.")
            % {"name": original.name}
        ) from None
    return content


def _report(signed: DossierFile, content: bytes, actor: User) -> VerificationReport | None:
    """Check the freshly signed file at once, so that the dossier page shows its signatures now;
    should the check fail, it is queued as for an upload."""
    try:
        return verification_report_create(
            pdf=content, reference=file_reference(signed), file_name=signed.name, checked_by=actor
        )
    except Exception:
        logger.exception("signed result %s could not be verified now; queued", signed.pk)
        with transaction.atomic():
            verification_enqueue(dossier_file=signed)
        return None
