"""Turning a slip's frozen content into a PDF page with WeasyPrint.

The font is Liberation Serif (metric-compatible with Times New Roman, the font Decree
30/2020 prescribes), embedded through ``@font-face`` from Debian's files: version 2
(``fonts-liberation2``) covers every Vietnamese letter; the older ``fonts-liberation`` (1.07)
lacks the letters with two diacritics (ộ, ự …), which would then come from another font.
"""

from __future__ import annotations

import base64
import functools
import io
import logging
from pathlib import Path
from typing import Any

import qrcode  # type: ignore[import-untyped]
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from weasyprint import HTML  # type: ignore[import-untyped]
from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]

from dossiers.slips.decree30 import date_line_parts, date_text, local, moment_text
from dossiers.slips.forms import FormSpec, PaperSize

logger = logging.getLogger(__name__)

FONT_DIRS = ("/usr/share/fonts/truetype/liberation2", "/usr/share/fonts/truetype/liberation")
FONT_FILES = {
    "regular": "LiberationSerif-Regular.ttf",
    "bold": "LiberationSerif-Bold.ttf",
    "italic": "LiberationSerif-Italic.ttf",
    "bold_italic": "LiberationSerif-BoldItalic.ttf",
}

# Decree 30/2020 margins are given for A4 (top/bottom 20–25 mm, left 30–35, right 15–20);
# the A5 slips keep the proportions on the smaller page ([U]).
PAGES: dict[PaperSize, dict[str, str]] = {
    "A5": {"size": "A5 portrait", "margin": "12mm 10mm 12mm 20mm"},
    "A4": {"size": "A4 portrait", "margin": "20mm 15mm 20mm 30mm"},
    "A4 landscape": {"size": "A4 landscape", "margin": "20mm 15mm 15mm 20mm"},
}


@functools.cache
def font_files() -> dict[str, str]:
    """file:// URIs of the four Liberation Serif faces, from the first folder that has them."""
    configured: str = getattr(settings, "CONGSO_SLIP_FONT_DIR", "")
    folders = (configured,) if configured else FONT_DIRS
    for folder in folders:
        paths = {face: Path(folder) / name for face, name in FONT_FILES.items()}
        if all(path.is_file() for path in paths.values()):
            if folder.rstrip("/").endswith("/liberation"):
                logger.warning(
                    "Liberation Serif 1.x in %s lacks some Vietnamese letters: install fonts-liberation2",
                    folder,
                )
            return {face: path.as_uri() for face, path in paths.items()}
    raise ImproperlyConfigured(
        "Liberation Serif not found in " + ", ".join(folders) + ": run scripts/system-deps.sh "
        "(Debian package fonts-liberation2) or set CONGSO_SLIP_FONT_DIR"
    )


def qr_data_uri(text: str) -> str:
    """A QR code of ``text`` as a PNG data: URI, one pixel per module.

    The page scales it up with ``image-rendering: pixelated``, so it prints sharp; one pixel
    per module also lets a test read the modules back out of the PDF.
    """
    image = qrcode.make(text, box_size=1, border=1)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _date_line(place: str, issued_at: str) -> dict[str, str]:
    moment = local(issued_at)
    assert moment is not None
    dd, mm, yyyy = date_line_parts(moment.date())
    return {"place": place, "day": dd, "month": mm, "year": yyyy}


def slip_context(*, spec: FormSpec, number: str, issued_at: str, content: dict[str, Any]) -> dict[str, Any]:
    """What the templates print: the content, with its instants written the slips' way."""
    dossier = content["dossier"]
    context: dict[str, Any] = {
        "c": content,
        "spec": spec,
        "number": number,
        "date_line": _date_line(content["place"], issued_at),
        "received_text": moment_text(dossier.get("received_at")),
        "received_date": date_text(dossier.get("received_at")),
        "due_text": moment_text(dossier.get("due_at")),
        "original_due_text": moment_text(content.get("original_due_at")),
        "new_due_text": moment_text(content.get("new_due_at")),
        "handovers": [
            {
                **row,
                "handed_over_text": moment_text(row.get("handed_over_at")),
                "finished_text": moment_text(row.get("finished_at")),
            }
            for row in content.get("handovers", [])
        ],
    }
    if content.get("lookup_url"):
        context["qr"] = qr_data_uri(content["lookup_url"])
    return context


class _FontsAndDataOnly(URLFetcher):
    """Loads the font files and data: URIs, nothing else (no file or host a text could name)."""

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:
        if not url.startswith("data:") and url not in font_files().values():
            raise ValueError(f"slips load no resource but their fonts: {url[:80]}")
        return super().fetch(url, headers)


def render_pdf(*, template: str, paper: PaperSize, context: dict[str, Any]) -> bytes:
    """The PDF of ``template`` on ``paper``."""
    html = render_to_string(template, {**context, "fonts": font_files(), "page": PAGES[paper]})
    fetcher = _FontsAndDataOnly(allowed_protocols={"file", "data"})
    pdf: bytes = HTML(string=html, url_fetcher=fetcher).write_pdf()
    return pdf
