"""E-receipts (biên lai điện tử): their number series and their PDF.

The number series runs per collecting agency (the competent agency, into whose account fees
are paid, Decree 61/2018 Art. 22) and per year, from 1, without gaps: the sequence row is
incremented in the issuing transaction. The format is ``PAYMENT_RECEIPT_NUMBER_FORMAT``
(default ``"{prefix}-{year}-{sequence:06d}"`` → "BL-2026-000123").

The PDF is the slips' layout (Decree 30/2020 header, Liberation Serif embedded) rendered by
``dossiers.slips.render.render_pdf`` from the receipt's frozen content; it is rendered on demand.
[U] The legal form of a fee receipt (Decree 123/2020/NĐ-CP, Circular 78/2021/TT-BTC) has fields
(form symbol, tax authority code) this layout does not claim to reproduce.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F
from django.utils import timezone, translation

from agencies.models import Agency
from dossiers.slips.decree30 import agency_header, date_line_parts, place_for
from dossiers.slips.render import render_pdf
from payments import conf
from payments.models import EReceipt, ReceiptSequence
from signing.issued import issued_pdf_sign, kept_signed_pdf, receipt_reference


def receipt_number_allocate(*, agency: Agency, year: int) -> tuple[int, str]:
    """The next (sequence, number) of ``agency``'s series for ``year``; call inside a transaction."""
    row, _created = ReceiptSequence.objects.select_for_update().get_or_create(agency=agency, year=year)
    ReceiptSequence.objects.filter(pk=row.pk).update(last=F("last") + 1)
    row.refresh_from_db(fields=["last"])
    sequence = int(row.last)
    number = conf.receipt_number_format().format(
        prefix=conf.receipt_prefix(), year=year, sequence=sequence, agency=agency.edoc_code or agency.pk
    )
    return sequence, number.upper()


def vnd_text(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đ"


def receipt_context(receipt: EReceipt) -> dict[str, Any]:
    content = receipt.content
    issued = timezone.localtime(receipt.issued_at)
    dd, mm, yyyy = date_line_parts(issued.date())
    return {
        "c": {**content, "title": "BIÊN LAI THU PHÍ, LỆ PHÍ ĐIỆN TỬ"},
        "receipt": receipt,
        "number": receipt.number,
        "date_line": {"place": content.get("place", ""), "day": dd, "month": mm, "year": yyyy},
        "amount_text": vnd_text(receipt.amount),
        "lines": [
            {**line, "amount_text": vnd_text(int(line["amount"]))} for line in content.get("lines", [])
        ],
        "issued_text": issued.strftime("%H:%M ngày %d/%m/%Y"),
    }


def receipt_pdf(receipt: EReceipt) -> bytes:
    """The receipt as a one-page A5 PDF (always in Vietnamese, like the slips).

    Signed the first time it is rendered with a valid certificate (``signing.issued``): by the
    clerk who recorded a counter payment and the collecting agency, by the agency alone for an
    online payment; the signed copy is kept and served from then on. Unsigned (and rendered
    again on each request, to be signed once a certificate exists) otherwise.
    """
    reference = receipt_reference(receipt.pk)
    kept = kept_signed_pdf(reference=reference)
    if kept is not None:
        return kept
    with translation.override("vi"):
        pdf: bytes = render_pdf(
            template="payments/receipt_pdf.html", paper="A5", context=receipt_context(receipt)
        )
    return issued_pdf_sign(
        pdf=pdf,
        person=receipt.payment.recorded_by,
        agency=receipt.agency,
        reference=reference,
        reason=f"Biên lai thu phí, lệ phí điện tử số {receipt.number}",
        keep_as=f"bien-lai-{receipt.pk}.pdf",
    )


def receipt_header(agency: Agency) -> dict[str, str]:
    header = agency_header(agency)
    return {"parent": header.parent, "issuer": header.issuer}


def receipt_place(agency: Agency) -> str:
    return place_for(agency)


def local_year(instant: dt.datetime) -> int:
    return timezone.localtime(instant).year
