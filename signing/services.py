"""Writes: registering certificates and trust roots, signing PDFs, recording verifications.

``pdf_verify`` (a pure check that writes nothing) lives in ``signing.verification`` and is
re-exported here so callers have one module to import.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from typing import Any, cast

from cryptography import x509
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.fields import SigFieldSpec, SigSeedSubFilter
from pyhanko.sign.signers import Signer
from pyhanko.sign.signers.pdf_signer import PdfSigningSession
from pyhanko.sign.timestamps import HTTPTimeStamper

from accounts.models import User
from agencies.models import Agency
from signing import conf, keystores, pki, selectors
from signing.errors import SigningError
from signing.models import KeyStore, SignatureRecord, SigningCertificate, TrustRoot, VerificationReport
from signing.stamps import Placement, StampSpec, agency_stamp, agency_stamp_alone, person_stamp
from signing.verification import VerificationResult, pdf_verify

__all__ = [
    "SigningError",
    "VerificationResult",
    "certificate_import_pkcs11",
    "certificate_import_pkcs12",
    "certificate_register",
    "pdf_sign",
    "pdf_verify",
    "trust_root_add",
    "verification_report_create",
]


def certificate_register(
    *,
    certificate: x509.Certificate,
    chain: list[x509.Certificate],
    user: User | None = None,
    agency: Agency | None = None,
    key_store: KeyStore,
    key_reference: dict[str, Any],
) -> SigningCertificate:
    """Record a signing certificate for a person or an agency (re-registering updates it)."""
    if (user is None) == (agency is None):
        raise SigningError(_("Chứng thư số phải thuộc về đúng một cán bộ hoặc một cơ quan."))
    record, _created = SigningCertificate.objects.update_or_create(
        fingerprint_sha256=pki.fingerprint(certificate),
        defaults={
            "user": user,
            "agency": agency,
            "certificate_pem": pki.pem(certificate),
            "chain_pem": "".join(pki.pem(c) for c in chain),
            "subject": certificate.subject.rfc4514_string()[:500],
            "issuer": certificate.issuer.rfc4514_string()[:500],
            "serial_number": format(certificate.serial_number, "x"),
            "not_before": certificate.not_valid_before_utc,
            "not_after": certificate.not_valid_after_utc,
            "key_store": key_store,
            "key_reference": key_reference,
            "is_active": True,
        },
    )
    return record


def trust_root_add(*, certificate: x509.Certificate, name: str) -> TrustRoot:
    """Trust a certification authority (idempotent: the same root is stored once)."""
    root, _created = TrustRoot.objects.update_or_create(
        fingerprint_sha256=pki.fingerprint(certificate),
        defaults={
            "name": name,
            "certificate_pem": pki.pem(certificate),
            "subject": certificate.subject.rfc4514_string()[:500],
            "is_active": True,
        },
    )
    return root


class _ClockedPdfSigner(signers.PdfSigner):
    """A PdfSigner whose signing time is the caller's ``now`` (pyHanko reads the wall clock)."""

    def __init__(self, *args: Any, system_time: dt.datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._system_time = system_time

    def init_signing_session(self, pdf_out: Any, existing_fields_only: bool = False) -> PdfSigningSession:
        session = super().init_signing_session(pdf_out, existing_fields_only)
        session.system_time = self._system_time
        return session


def _sign_once(
    pdf: bytes,
    *,
    signer: Signer,
    field_name: str,
    name: str,
    reason: str,
    location: str,
    page: int,
    stamp: StampSpec | None,
    moment: dt.datetime,
) -> bytes:
    tsa = conf.tsa_url()
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        name=name,
        reason=reason or None,
        location=location or None,
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        certify=False,
    )
    pdf_signer = _ClockedPdfSigner(
        meta,
        signer,
        timestamper=HTTPTimeStamper(tsa) if tsa else None,
        stamp_style=stamp.style if stamp else None,
        new_field_spec=SigFieldSpec(
            sig_field_name=field_name, on_page=page, box=stamp.box if stamp else None
        ),
        system_time=moment,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    output = pdf_signer.sign_pdf(writer, appearance_text_params={"text": stamp.text} if stamp else None)
    return bytes(output.getbuffer())


def _document_facts(pdf: bytes, page: int) -> tuple[float, int]:
    """Width of the page that gets the stamp, and how many signature fields exist already."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        if reader.encrypted:
            raise SigningError(_("Không ký được tệp PDF đã đặt mật khẩu."))
        # find_page_for_modification is untyped in pyHanko; it resolves negative indices for us.
        page_ref, _resources = cast(Any, reader).find_page_for_modification(page)
        media_box = page_ref.get_object().get("/MediaBox", None)
        width = float(media_box[2]) - float(media_box[0]) if media_box is not None else 595.0
        existing = len(list(fields.enumerate_sig_fields(reader)))
    except (PdfError, ValueError, KeyError, IndexError) as error:
        raise SigningError(_("Không đọc được tệp PDF cần ký.")) from error
    return width, existing


def _day(instant: dt.datetime) -> str:
    return timezone.localtime(instant).strftime("%d/%m/%Y")


def _no_certificate_message(*, user: User | None, agency: Agency | None, moment: dt.datetime) -> str:
    """Why there is no certificate to sign with: none at all, or one that has expired."""
    expired = selectors.certificate_expired(user=user, agency=agency, at=moment)
    if user is not None:
        if expired is not None:
            return _(
                "Chứng thư số của %(name)s đã hết hạn từ %(date)s: đề nghị gia hạn hoặc đăng ký "
                "chứng thư số mới trước khi ký."
            ) % {
                "name": user.get_full_name(),
                "date": _day(expired.not_after),
            }
        return _("%(name)s chưa có chứng thư số còn hiệu lực để ký.") % {"name": user.get_full_name()}
    assert agency is not None
    if expired is not None:
        return _("Chứng thư số của %(agency)s đã hết hạn từ %(date)s: đề nghị gia hạn trước khi ký.") % {
            "agency": agency.name,
            "date": _day(expired.not_after),
        }
    return _("%(agency)s chưa có chứng thư số cơ quan còn hiệu lực.") % {"agency": agency.name}


@transaction.atomic
def pdf_sign(
    *,
    pdf: bytes,
    signer: User | None,
    agency: Agency | None,
    reason: str,
    location: str,
    visible: bool = True,
    now: dt.datetime | None = None,
    reference: str = "",
    placement: Placement | None = None,
    keep_file: str = "",
) -> bytes:
    """Sign ``pdf`` (PAdES) by the person, then — when ``agency`` is given — by the agency.

    Both are approval signatures: a certification (DocMDP) signature by the person would forbid
    the agency's signature appearance that follows it under pyHanko's diff policy, and approval
    signatures still expose any other later change as tampering. Each carries a visible stamp laid out per
    Decree 30/2020 unless ``visible`` is false. A timestamp token is added when SIGNING_TSA_URL is
    set. The signing is recorded (``reference`` says what was signed, e.g.
    ``"dossier:<code>:result:<file id>"``); ``keep_file`` names the signed PDF to keep with the
    record (documents with no file of their own). ``signer`` None: what the system issues
    without a person is signed by the agency alone. Raises ``SigningError`` with a Vietnamese
    message (no certificate, an expired one, a file that is no PDF).
    """
    moment = now or timezone.now()
    placement = placement or Placement()
    if signer is None and agency is None:
        raise SigningError(_("Phải có người ký hoặc cơ quan ký."))
    personal: SigningCertificate | None = None
    if signer is not None:
        personal = selectors.certificate_for_user(user=signer, at=moment)
        if personal is None:
            raise SigningError(_no_certificate_message(user=signer, agency=None, moment=moment))
    agency_certificate: SigningCertificate | None = None
    title = ""
    if agency is not None:
        if signer is not None:
            membership = selectors.signer_membership(
                user=signer, agency=agency, at=timezone.localtime(moment)
            )
            if membership is None:
                raise SigningError(
                    _("%(name)s không thuộc %(agency)s nên không ký thay cơ quan được.")
                    % {"name": signer.get_full_name(), "agency": agency.name}
                )
            title = membership.title
        agency_certificate = selectors.certificate_for_agency(agency=agency, at=moment)
        if agency_certificate is None:
            raise SigningError(_no_certificate_message(user=None, agency=agency, moment=moment))

    width, existing = _document_facts(pdf, placement.page)
    person_spec = person_stamp(
        page_width=width,
        placement=placement,
        name=signer.get_full_name() if signer is not None else "",
        title=title,
        agency_name=agency.name if agency else "",
        moment=moment,
    )
    output = pdf
    try:
        if signer is not None and personal is not None:
            with keystores.signer_open(personal) as person_signer:
                output = _sign_once(
                    output,
                    signer=person_signer,
                    field_name=f"ChuKyCaNhan{existing + 1}",
                    name=signer.get_full_name(),
                    reason=reason,
                    location=location,
                    page=placement.page,
                    stamp=person_spec if visible else None,
                    moment=moment,
                )
        if agency is not None and agency_certificate is not None:
            if signer is not None:
                agency_spec = agency_stamp(person_box=person_spec.box, agency_name=agency.name, moment=moment)
            else:
                agency_spec = agency_stamp_alone(
                    person_box=person_spec.box, agency_name=agency.name, moment=moment
                )
            with keystores.signer_open(agency_certificate) as agency_signer:
                output = _sign_once(
                    output,
                    signer=agency_signer,
                    field_name=f"ChuKyCoQuan{existing + 2}",
                    name=agency.name,
                    reason=reason,
                    location=location,
                    page=placement.page,
                    stamp=agency_spec if visible else None,
                    moment=moment,
                )
    except SigningError:
        raise
    except Exception as error:  # pyHanko and the token libraries raise many types
        raise SigningError(_("Ký số không thành công: %(detail)s") % {"detail": error}) from error

    record = SignatureRecord(
        reference=reference,
        signed_by=signer,
        agency=agency,
        personal_certificate=personal,
        agency_certificate=agency_certificate,
        reason=reason[:255],
        signed_at=moment,
        timestamped=conf.tsa_url() is not None,
        input_sha256=hashlib.sha256(pdf).hexdigest(),
        sha256=hashlib.sha256(output).hexdigest(),
    )
    if keep_file:
        record.file.save(keep_file, ContentFile(output), save=False)
    try:
        record.save()
    except Exception:
        if record.file:
            record.file.storage.delete(record.file.name)
        raise
    return output


def verification_report_create(
    *, pdf: bytes, reference: str = "", file_name: str = "", checked_by: User | None = None
) -> VerificationReport:
    """Check an uploaded PDF's signatures and keep the result to show on the dossier."""
    result = pdf_verify(pdf=pdf)
    return VerificationReport.objects.create(
        reference=reference,
        file_name=file_name[:255],
        file_sha256=hashlib.sha256(pdf).hexdigest(),
        outcome=result.outcome,
        is_signed=result.is_signed,
        intact=result.intact,
        trusted=result.trusted,
        valid=result.valid,
        signer_name=result.signer_name[:255],
        signing_time=result.signing_time,
        messages=list(result.messages),
        signatures=[check.as_json() for check in result.signatures],
        checked_by=checked_by,
    )


def certificate_import_pkcs12(
    *, data: bytes, passphrase: bytes, user: User | None = None, agency: Agency | None = None
) -> SigningCertificate:
    """Take a certificate and its key from a PKCS#12 file (as a CA delivers them) into the file
    key store, re-encrypted with SIGNING_KEY_PASSPHRASE."""
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12

    from signing.keystores import file as file_store

    try:
        key, certificate, chain = pkcs12.load_key_and_certificates(data, passphrase)
    except ValueError as error:
        raise SigningError(_("Không mở được tệp PKCS#12 (sai mật khẩu hoặc tệp hỏng).")) from error
    if certificate is None or not isinstance(key, rsa.RSAPrivateKey):
        raise SigningError(_("Tệp PKCS#12 phải chứa một chứng thư số và khóa RSA của nó."))
    owner = f"user-{user.pk}" if user is not None else f"agency-{agency.pk if agency else ''}"
    with transaction.atomic():
        reference = file_store.key_write(
            issued=pki.Issued(certificate=certificate, key=key),
            chain=chain,
            name=f"{owner}-{certificate.serial_number:x}"[:80],
        )
        return certificate_register(
            certificate=certificate,
            chain=chain,
            user=user,
            agency=agency,
            key_store=KeyStore.FILE,
            key_reference=reference,
        )


def certificate_import_pkcs11(
    *,
    certificate_pem: str,
    module: str,
    token_label: str,
    key_label: str,
    key_id: str = "",
    pin_env: str = "",
    user: User | None = None,
    agency: Agency | None = None,
) -> SigningCertificate:
    """Register a certificate whose key stays on a token or HSM (the PEM may carry the chain)."""
    try:
        certificates = pki.load_pem_chain(certificate_pem)
    except ValueError as error:
        raise SigningError(_("Tệp chứng thư số (PEM) không hợp lệ.")) from error
    if not certificates:
        raise SigningError(_("Tệp chứng thư số (PEM) không hợp lệ."))
    if key_id and not all(c in "0123456789abcdefABCDEF" for c in key_id):
        raise SigningError(_("Mã khóa (key id) phải viết ở dạng thập lục phân."))
    reference = {"module": module, "token_label": token_label, "key_label": key_label}
    if key_id:
        reference["key_id"] = key_id
    if pin_env:
        reference["pin_env"] = pin_env
    return certificate_register(
        certificate=certificates[0],
        chain=certificates[1:],
        user=user,
        agency=agency,
        key_store=KeyStore.PKCS11,
        key_reference=reference,
    )
