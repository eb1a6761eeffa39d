"""Checking and storing the files of a dossier.

A file is accepted by what it *is*, not by what it is called: the first bytes are sniffed
(PDF, JPEG, PNG; a Word or Excel file only where the component's template is one), its size is
capped (``CONGSO_UPLOAD_MAX_BYTES``, 10 MB by default), its name is cleaned (no folders, no
control characters, a safe ASCII name on disk with the extension of its real type) and its
SHA-256 is recorded. Files are never deleted; a new version points at the one it replaces.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO, Any

from django.core.files import File
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from unidecode import unidecode

from catalog.models import ComponentRequirement
from dossiers import conf
from dossiers.errors import DossierInvalid

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png", DOCX: ".docx", XLSX: ".xlsx"}
ALWAYS_ALLOWED = frozenset({PDF, JPEG, PNG})
MAX_NAME_LENGTH = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed the checks: what to store and record."""

    name: str  # the name shown to people (cleaned, Vietnamese kept)
    storage_name: str  # the ASCII name on disk
    content_type: str
    size: int
    sha256: str


def _read_head(upload: IO[Any], length: int = 8192) -> bytes:
    upload.seek(0)
    head = upload.read(length)
    upload.seek(0)
    return head if isinstance(head, bytes) else head.encode()


def _office_kind(upload: IO[Any]) -> str | None:
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    if any(name.startswith("word/") for name in names):
        return DOCX
    if any(name.startswith("xl/") for name in names):
        return XLSX
    return None


def sniff_content_type(upload: IO[Any]) -> str | None:
    """The type of the file from its first bytes, or None for a type congso does not take."""
    head = _read_head(upload)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        return _office_kind(upload)
    return None


def _template_types(requirement: ComponentRequirement | None) -> frozenset[str]:
    """Word or Excel are taken for a component whose form (template) is a Word or Excel file."""
    if requirement is None or not requirement.template:
        return frozenset()
    name = requirement.template.name.lower()
    if name.endswith((".docx", ".doc")):
        return frozenset({DOCX})
    if name.endswith((".xlsx", ".xls")):
        return frozenset({XLSX})
    return frozenset()


def clean_display_name(raw: str) -> str:
    """The name people see: no folders, no control characters, at most 200 characters."""
    name = unicodedata.normalize("NFC", raw or "").replace("\\", "/").split("/")[-1]
    name = _CONTROL.sub("", name).strip().lstrip(".").strip()
    if len(name) > MAX_NAME_LENGTH:
        stem, ext = os.path.splitext(name)
        name = stem[: MAX_NAME_LENGTH - len(ext)] + ext
    return name or _("tệp")


def storage_name_for(display_name: str, content_type: str) -> str:
    """A safe ASCII file name whose extension is that of the sniffed type."""
    stem = os.path.splitext(display_name)[0]
    ascii_stem = get_valid_filename(unidecode(stem).replace(" ", "_"))[:80].strip("._") or "tep"
    return ascii_stem + EXTENSIONS[content_type]


def _size(upload: IO[Any]) -> int:
    size = getattr(upload, "size", None)
    if isinstance(size, int):
        return size
    upload.seek(0, os.SEEK_END)
    end = upload.tell()
    upload.seek(0)
    return int(end)


def _sha256(upload: IO[Any]) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    while chunk := upload.read(1024 * 1024):
        digest.update(chunk if isinstance(chunk, bytes) else chunk.encode())
    upload.seek(0)
    return digest.hexdigest()


def size_text(size: int) -> str:
    """A size as people read it: "10 MB", "1,5 MB", "500 KB"."""
    if size >= 1024 * 1024:
        value, unit = size / (1024 * 1024), "MB"
    else:
        value, unit = size / 1024, "KB"
    return f"{round(value, 1):g}".replace(".", ",") + f" {unit}"


def check_upload(upload: File[Any], *, requirement: ComponentRequirement | None = None) -> CheckedFile:
    """Check ``upload`` (type by content, size, name); ``DossierInvalid`` in Vietnamese if wrong."""
    name = clean_display_name(upload.name or "")
    size = _size(upload)
    limit = conf.upload_max_bytes()
    if size == 0:
        raise DossierInvalid(
            _("Tệp «%(name)s» rỗng.") % {"name": name}, field_errors={"file": [_("Tệp rỗng.")]}
        )
    if size > limit:
        message = _("Tệp «%(name)s» vượt quá dung lượng tối đa %(limit)s.") % {
            "name": name,
            "limit": size_text(limit),
        }
        raise DossierInvalid(message, code="too_large", field_errors={"file": [message]})
    content_type = sniff_content_type(upload)
    allowed = ALWAYS_ALLOWED | _template_types(requirement)
    if content_type is None or content_type not in allowed:
        kinds = (
            "PDF, JPEG, PNG" + (", DOCX" if DOCX in allowed else "") + (", XLSX" if XLSX in allowed else "")
        )
        message = _("Tệp «%(name)s» không đúng định dạng cho phép (%(kinds)s).") % {
            "name": name,
            "kinds": kinds,
        }
        raise DossierInvalid(message, code="bad_type", field_errors={"file": [message]})
    return CheckedFile(
        name=name,
        storage_name=storage_name_for(name, content_type),
        content_type=content_type,
        size=size,
        sha256=_sha256(upload),
    )
