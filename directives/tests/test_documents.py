"""Reading uploaded notices: DOCX, PDF with a text layer, plain text."""

from __future__ import annotations

import io

import pytest

from directives.extraction.documents import DocumentUnreadable, read_document
from directives.tests.conftest import SEED_004


def _docx(text: str) -> bytes:
    from docx import Document

    document = Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_docx_notice_is_read_paragraph_by_paragraph():
    text = SEED_004.read_text(encoding="utf-8")

    read = read_document(name="thong-bao.docx", data=_docx(text))

    assert read.kind == "docx"
    assert "trình UBND tỉnh xem xét trước ngày 30/6/2024" in read.text
    assert "Hoàng Xuân Đồng" in read.text


def test_a_pdf_with_a_text_layer_is_read():
    from weasyprint import HTML  # type: ignore[import-untyped]

    html = (
        "<html><body style='font-family: Liberation Serif'>"
        + "".join(f"<p>{line}</p>" for line in SEED_004.read_text(encoding="utf-8").split("\n") if line)
        + "</body></html>"
    )
    pdf = HTML(string=html).write_pdf()

    read = read_document(name="thong-bao.pdf", data=pdf)

    assert read.kind == "pdf"
    assert "30/6/2024" in read.text
    assert "Sở Thông tin và Truyền thông" in read.text


def test_plain_text_in_utf8_is_read_and_other_files_are_refused():
    assert read_document(name="tb.txt", data="Nội dung".encode()).text == "Nội dung"
    with pytest.raises(DocumentUnreadable, match="UTF-8"):
        read_document(name="tb.txt", data="Nội dung".encode("cp1258", errors="replace") + b"\xff\xfe\xfd")
    with pytest.raises(DocumentUnreadable, match="DOCX, PDF"):
        read_document(name="anh.png", data=b"\x89PNG....")
    with pytest.raises(DocumentUnreadable, match="rỗng"):
        read_document(name="tb.txt", data=b"")
    with pytest.raises(DocumentUnreadable, match="Word"):
        read_document(name="hong.docx", data=b"PK\x03\x04 not a zip")
