"""Reading the words of a file without touching it: the text layer of a PDF (pypdf), or, for a
scan, optical character recognition with Tesseract's Vietnamese model.

Everything here works on a copy of the bytes (in memory, or written to a temporary folder for the
command-line programs); the stored file is opened read-only by the caller and never written, so a
digitally signed PDF keeps valid signatures.

The programs are Debian's: ``tesseract`` (packages tesseract-ocr, tesseract-ocr-vie) and
``pdftoppm`` (poppler-utils), configured in ``datastore.conf``. A missing program is an
``ExtractionFailed`` with a Vietnamese message, recorded on the text row, not a crash.
"""

from __future__ import annotations

import io
import logging
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from datastore import conf
from datastore.models import TextSource

logger = logging.getLogger(__name__)

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
READABLE = frozenset({PDF, JPEG, PNG})

MIN_LAYER_CHARACTERS = 20
"""A PDF whose text layer has fewer letters and digits than this is treated as a scan."""

_WORDY = re.compile(r"\w", re.UNICODE)
_BLANK_LINES = re.compile(r"\n{3,}")


class ExtractionFailed(Exception):
    """The text could not be read; ``message`` says why, in Vietnamese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Extraction:
    text: str
    source: str  # a TextSource value
    pages: int


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\r", "").split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _wordy_characters(text: str) -> int:
    return len(_WORDY.findall(text))


def pdf_text_layer(data: bytes, *, max_pages: int) -> tuple[str, int]:
    """The text layer of the first ``max_pages`` pages and the number of pages read ("" when the
    file has none or pypdf cannot read it)."""
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = reader.pages[:max_pages]
        texts = [page.extract_text() or "" for page in pages]
    except (PyPdfError, ValueError, KeyError, TypeError, OSError):
        logger.info("no readable text layer", exc_info=True)
        return "", 0
    return _tidy("\n\n".join(texts)), len(texts)


def _run(command: list[str], *, what: str, stdin: bytes | None = None) -> bytes:
    try:
        completed = subprocess.run(  # noqa: S603 - a configured program, arguments are ours
            command, input=stdin, capture_output=True, timeout=conf.ocr_timeout(), check=False
        )
    except FileNotFoundError:
        raise ExtractionFailed(
            _("Máy chủ chưa cài chương trình %(what)s (%(cmd)s); đề nghị quản trị cài đặt.")
            % {"what": what, "cmd": command[0]}
        ) from None
    except subprocess.TimeoutExpired:
        raise ExtractionFailed(
            _("Chương trình %(what)s chạy quá %(seconds)s giây; tệp quá lớn hoặc quá phức tạp.")
            % {"what": what, "seconds": conf.ocr_timeout()}
        ) from None
    if completed.returncode != 0:
        detail = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ExtractionFailed(
            _("Chương trình %(what)s báo lỗi: %(detail)s")
            % {"what": what, "detail": (detail[-1] if detail else str(completed.returncode))[:300]}
        )
    return completed.stdout


def ocr_image(image: bytes | Path) -> str:
    """The words Tesseract recognises in one image (bytes of a JPEG or PNG, or a file)."""
    source = str(image) if isinstance(image, Path) else "stdin"
    command = [conf.tesseract_cmd(), source, "stdout", "-l", conf.ocr_languages()]
    out = _run(command, what="nhận dạng ký tự Tesseract", stdin=None if isinstance(image, Path) else image)
    return _tidy(out.decode("utf-8", "replace"))


def ocr_pdf(data: bytes, *, max_pages: int) -> tuple[str, int]:
    """Render the first ``max_pages`` pages of a scanned PDF to images (a copy, in a temporary
    folder) and recognise each."""
    with tempfile.TemporaryDirectory(prefix="congso-ocr-") as folder:
        work = Path(folder)
        copy = work / "ban-sao.pdf"
        copy.write_bytes(data)
        _run(
            [
                conf.pdftoppm_cmd(),
                "-r",
                str(conf.ocr_dpi()),
                "-gray",
                "-png",
                "-l",
                str(max_pages),
                str(copy),
                str(work / "trang"),
            ],
            what="kết xuất trang PDF (pdftoppm)",
        )
        images = sorted(work.glob("trang*.png"))
        if not images:
            raise ExtractionFailed(_("Tệp PDF không có trang nào đọc được."))
        texts = [ocr_image(image) for image in images]
    return _tidy("\n\n".join(texts)), len(images)


def extract_text(data: bytes, content_type: str) -> Extraction:
    """The text of a file: a PDF's own text layer when it has one, otherwise recognised (OCR).
    ``ExtractionFailed`` when it cannot be read."""
    max_pages = conf.ocr_max_pages()
    if content_type == PDF:
        layer, pages = pdf_text_layer(data, max_pages=max_pages)
        if _wordy_characters(layer) >= MIN_LAYER_CHARACTERS:
            return Extraction(text=layer, source=TextSource.TEXT_LAYER, pages=pages)
        text, pages = ocr_pdf(data, max_pages=max_pages)
        return Extraction(text=text, source=TextSource.OCR, pages=pages)
    if content_type in (JPEG, PNG):
        return Extraction(text=ocr_image(data), source=TextSource.OCR, pages=1)
    raise ExtractionFailed(_("Không trích xuất nội dung với loại tệp %(type)s.") % {"type": content_type})
