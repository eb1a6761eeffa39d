"""Test data of the data store: document types, stored documents made through the services, and
small PDFs and images with Vietnamese text to read."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

from catalog.models import DocumentType
from catalog.services import document_type_upsert
from datastore.models import DocumentSource, StoredDocument
from datastore.services import stored_document_add

DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def document_type(code: str = "GCN_KET_HON", name: str = "Giấy chứng nhận kết hôn") -> DocumentType:
    found, _changed = document_type_upsert(code=code, name=name)
    return found


def text_pdf(text: str = "GIAY CHUNG NHAN KET HON so 12/2025") -> bytes:
    """A one-page PDF with a text layer (ASCII, the standard fonts)."""
    from datastore.demo import demo_pdf

    return demo_pdf(text.splitlines())


def text_image(lines: list[str], *, fmt: str = "PNG", size: int = 40) -> bytes:
    """A picture of ``lines`` written in DejaVu Sans (full Vietnamese), as a scan would be."""
    font = ImageFont.truetype(DEJAVU, size)
    image = Image.new("L", (60 + 28 * max(len(line) for line in lines), 80 + 90 * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text((40, 40 + 90 * number), line, font=font, fill=0)
    out = io.BytesIO()
    image.convert("RGB").save(out, fmt, **({"resolution": 150} if fmt == "PDF" else {}))
    return out.getvalue()


def stored_document(
    *,
    owner: Any = None,
    national_id: str = "",
    tax_code: str = "",
    kind: DocumentType | None = None,
    title: str = "Giấy chứng nhận kết hôn",
    number: str = "12/2025",
    issued_on: dt.date | None = dt.date(2025, 1, 10),
    valid_until: dt.date | None = None,
    source: str = DocumentSource.UPLOADED,
    content: bytes | None = None,
    name: str = "giay-to.pdf",
    content_type: str = "application/pdf",
) -> StoredDocument:
    return stored_document_add(
        upload=SimpleUploadedFile(name, content or text_pdf(), content_type=content_type),
        title=title,
        source=source,
        owner=owner,
        owner_national_id=national_id,
        owner_tax_code=tax_code,
        document_type=kind if kind is not None else document_type(),
        number=number,
        issuing_agency_name="UBND phường Tam Thanh",
        issued_on=issued_on,
        valid_until=valid_until,
    )
