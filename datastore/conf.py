"""The data store's settings, read from ``django.conf.settings`` on every use (so that
``override_settings`` takes effect). Each has a working default on a Debian machine with
``tesseract-ocr``, ``tesseract-ocr-vie`` and ``poppler-utils`` installed.

``DATASTORE_TESSERACT_CMD``
    The Tesseract program (default ``tesseract``).
``DATASTORE_OCR_LANGUAGES``
    Tesseract's language models, ``+``-separated (default ``vie``: Debian's tesseract-ocr-vie).
``DATASTORE_PDFTOPPM_CMD``
    Poppler's page renderer, for scanned PDFs without a text layer (default ``pdftoppm``).
``DATASTORE_OCR_DPI``
    Resolution at which scanned PDF pages are rendered for recognition (default 300).
``DATASTORE_OCR_MAX_PAGES``
    Pages read from one file at most (default 30); a longer file gets the text of its first pages.
``DATASTORE_OCR_TIMEOUT_SECONDS``
    Time allowed to one run of a program on one page (default 120).
``DATASTORE_SCAN_BATCH``
    Desk scans queued for text extraction per run of the periodic sweep (default 200).
"""

from __future__ import annotations

from django.conf import settings


def tesseract_cmd() -> str:
    return str(getattr(settings, "DATASTORE_TESSERACT_CMD", "tesseract"))


def ocr_languages() -> str:
    return str(getattr(settings, "DATASTORE_OCR_LANGUAGES", "vie"))


def pdftoppm_cmd() -> str:
    return str(getattr(settings, "DATASTORE_PDFTOPPM_CMD", "pdftoppm"))


def ocr_dpi() -> int:
    return int(getattr(settings, "DATASTORE_OCR_DPI", 300))


def ocr_max_pages() -> int:
    return int(getattr(settings, "DATASTORE_OCR_MAX_PAGES", 30))


def ocr_timeout() -> int:
    return int(getattr(settings, "DATASTORE_OCR_TIMEOUT_SECONDS", 120))


def scan_batch() -> int:
    return int(getattr(settings, "DATASTORE_SCAN_BATCH", 200))
