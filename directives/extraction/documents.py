"""The text of an uploaded notice: DOCX (python-docx), PDF with a text layer (pypdf), plain text.

A scanned PDF has no text layer: it is refused with a message that says so, rather than read as
an empty notice.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
ACCEPTED = (".docx", ".pdf", ".txt")


class DocumentUnreadable(ValueError):
    """The file is not a notice congso can read; ``message`` says why, in Vietnamese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class DocumentText:
    text: str
    kind: str  # "docx", "pdf" or "txt"


def _docx_text(data: bytes) -> str:
    from docx import Document

    try:
        document = Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise DocumentUnreadable(_("Tệp DOCX bị hỏng hoặc không phải tệp Word.")) from error
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError) as error:
        raise DocumentUnreadable(_("Tệp PDF bị hỏng hoặc được bảo vệ, không đọc được.")) from error
    text = "\n".join(pages)
    if len(text.split()) < 20:
        raise DocumentUnreadable(
            _(
                "Tệp PDF không có lớp chữ (bản quét ảnh). Hãy tải lên bản PDF có lớp chữ, tệp DOCX "
                "hoặc dán nội dung văn bản."
            )
        )
    return text


def _plain_text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DocumentUnreadable(_("Tệp văn bản không ở bảng mã UTF-8."))


def read_document(*, name: str, data: bytes) -> DocumentText:
    """The text of the file ``name`` with content ``data``; :class:`DocumentUnreadable` otherwise."""
    if not data:
        raise DocumentUnreadable(_("Tệp tải lên rỗng."))
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DocumentUnreadable(_("Tệp lớn hơn 10 MB."))
    lowered = name.lower()
    if data.startswith(b"%PDF") or lowered.endswith(".pdf"):
        return DocumentText(_pdf_text(data), "pdf")
    if data.startswith(b"PK") or lowered.endswith(".docx"):
        return DocumentText(_docx_text(data), "docx")
    if lowered.endswith(".txt") or not lowered.rsplit(".", 1)[-1:] or "." not in lowered:
        return DocumentText(_plain_text(data), "txt")
    raise DocumentUnreadable(
        _("Chỉ nhận tệp DOCX, PDF có lớp chữ hoặc văn bản thuần (.txt); tệp “%(name)s” không thuộc loại này.")
        % {"name": name}
    )
