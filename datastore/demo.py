"""The demo's data stores: what the demo people hold before their dossiers are lived, and demo
dossiers whose applicants use it.

* ``national_documents_seed``: each demo citizen and walk-in applicant holds their identity card
  (căn cước), and each demo organisation its business registration certificate, as documents
  received from the national portal (DVCQG) — the data a province's store gets from the national
  population and business registers. Idempotent.
* ``ReusingWalk``: the demo walk (``dossiers.demo_walk.Walk``) whose applicant, online or at the
  desk, uses a valid stored document for each component that accepts one, and hands in (uploads or
  has scanned) the rest — so the digitisation counters have reused components, some from DVCQG,
  and results returned earlier in the demo are offered again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from unidecode import unidecode

from accounts.models import User
from catalog.models import DocumentType
from datastore.models import DocumentSource, StoredDocument
from datastore.selectors import reuse_offers
from datastore.services import add_months, stored_document_add, stored_document_reuse
from dossiers.demo_walk import ORGANIZATIONS, WALK_INS, Walk, pdf_upload
from dossiers.models import Channel
from dossiers.services.intake import dossier_file_attach

IDENTITY_CARD = "CCCD"
BUSINESS_REGISTRATION = "GCN_DANG_KY_DOANH_NGHIEP"
ISSUER_IDENTITY = "Cục Cảnh sát quản lý hành chính về trật tự xã hội"
ISSUER_BUSINESS = "Phòng Đăng ký kinh doanh"


def demo_pdf(lines: Iterable[str]) -> bytes:
    """A one-page PDF whose text layer holds ``lines`` (ASCII: the standard PDF fonts have no
    Vietnamese letters; enough for the demo's search)."""
    body = b"BT /F1 12 Tf 50 780 Td 16 TL"
    for line in lines:
        text = unidecode(line).replace("\\", "").replace("(", "[").replace(")", "]")
        body += b" (" + text.encode("ascii", "replace") + b") '"
    body += b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(body) + body + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.7\n"
    offsets = []
    for number, item in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + item + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def _issued(national_id: str) -> dt.date:
    """A plausible issue day, different for each person (the demo needs no real one)."""
    seed = int(national_id[-4:])
    return dt.date(2021, 1 + seed % 12, 1 + seed % 28)


def _identity_card(*, name: str, national_id: str, owner: User | None, at: dt.datetime) -> None:
    card = DocumentType.objects.filter(code=IDENTITY_CARD).first()
    if card is None:
        return
    held = StoredDocument.objects.filter(
        owner_national_id=national_id, document_type=card, source=DocumentSource.DVCQG
    )
    if held.exists():
        return
    issued = _issued(national_id)
    pdf = demo_pdf(["CAN CUOC", f"So dinh danh ca nhan: {national_id}", f"Ho, chu dem va ten: {name}"])
    stored_document_add(
        upload=SimpleUploadedFile(f"can-cuoc-{national_id}.pdf", pdf, content_type="application/pdf"),
        title=card.name,
        source=DocumentSource.DVCQG,
        owner=owner,
        owner_national_id=national_id,
        owner_name=name,
        document_type=card,
        number=national_id,
        issuing_agency_name=ISSUER_IDENTITY,
        issued_on=issued,
        valid_until=add_months(issued, 12 * 15),
        now=at,
    )


def _business_registration(*, name: str, tax_code: str, at: dt.datetime) -> None:
    certificate = DocumentType.objects.filter(code=BUSINESS_REGISTRATION).first()
    if certificate is None:
        return
    held = StoredDocument.objects.filter(owner_tax_code=tax_code, document_type=certificate)
    if held.exists():
        return
    pdf = demo_pdf(["GIAY CHUNG NHAN DANG KY DOANH NGHIEP", f"Ma so doanh nghiep: {tax_code}", name])
    stored_document_add(
        upload=SimpleUploadedFile(f"gcn-dkdn-{tax_code}.pdf", pdf, content_type="application/pdf"),
        title=certificate.name,
        source=DocumentSource.DVCQG,
        owner_tax_code=tax_code,
        owner_name=name,
        document_type=certificate,
        number=tax_code,
        issuing_agency_name=ISSUER_BUSINESS,
        issued_on=_issued(tax_code),
        now=at,
    )


@transaction.atomic
def national_documents_seed(*, citizens: Iterable[User], at: dt.datetime) -> None:
    """The documents the demo people hold from the national portal before the demo's dossiers."""
    for citizen in citizens:
        if citizen.national_id:
            _identity_card(
                name=citizen.get_full_name(), national_id=citizen.national_id, owner=citizen, at=at
            )
    for name, national_id, _phone, _address in WALK_INS:
        _identity_card(name=name, national_id=national_id, owner=None, at=at)
    for name, tax_code in ORGANIZATIONS:
        _business_registration(name=name, tax_code=tax_code, at=at)


class ReusingWalk(Walk):
    """A demo walk whose applicant uses their data store where a component allows it."""

    def _attach_components(self, actor: User, *, some: bool = False) -> None:
        online = self.d.channel == Channel.ONLINE
        wanted = [r for r in self.requirements if r.is_mandatory and (not online or not r.paper_only)]
        if some:
            wanted = wanted[: max(0, len(wanted) - 1)]
        offers = reuse_offers(self.d, day=timezone.localdate(self.t))
        for requirement in wanted:
            usable = offers[requirement.pk].usable if requirement.pk in offers else []
            if usable:
                stored_document_reuse(
                    document=usable[0].document,
                    dossier=self.d,
                    requirement=requirement,
                    actor=actor,
                    now=self.t,
                )
                continue
            dossier_file_attach(
                dossier=self.d,
                actor=actor,
                upload=pdf_upload(f"thanh-phan-{requirement.order}.pdf", f"{self.marker} {requirement.pk}"),
                requirement=requirement,
            )
