"""The catalogue's JSON layout (docs: catalog-contract):
``{"sectors": [...], "document_types": [...], "procedures": [...]}``."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from catalog.importing.rows import ProcedureRow, RowError


@dataclass
class CatalogueFile:
    """What a catalogue file holds: sectors, document types, procedure rows, and the problems of
    its shape."""

    sectors: list[dict[str, Any]] = field(default_factory=list)
    document_types: list[dict[str, Any]] = field(default_factory=list)
    rows: list[ProcedureRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _objects(document: dict[str, Any], key: str, errors: list[RowError]) -> list[dict[str, Any]]:
    items = document.get(key) or []
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        message = _("“%(key)s” phải là một danh sách các đối tượng.") % {"key": key}
        errors.append(RowError(row=key, message=message))
        return []
    return items


def read_json(path: Path) -> CatalogueFile:
    """Sectors, document types, procedure rows and the problems of the file's shape."""
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        message = _("Không đọc được tệp JSON: %(error)s") % {"error": error}
        return CatalogueFile(errors=[RowError(row=path.name, message=message)])
    if not isinstance(document, dict):
        message = _("Tệp JSON phải là một đối tượng có “procedures”.")
        return CatalogueFile(errors=[RowError(row=path.name, message=message)])
    errors: list[RowError] = []
    sectors = _objects(document, "sectors", errors)
    document_types = _objects(document, "document_types", errors)
    procedures = document.get("procedures") or []
    if not isinstance(procedures, list):
        errors.append(RowError(row="procedures", message=_("“procedures” phải là một danh sách.")))
        procedures = []
    rows: list[ProcedureRow] = []
    for number, item in enumerate(procedures, start=1):
        code = item.get("code", "") if isinstance(item, dict) else ""
        label = _("Thủ tục thứ %(n)s (mã %(code)s)") % {"n": number, "code": code or "?"}
        if not isinstance(item, dict):
            errors.append(RowError(row=label, message=_("Mỗi thủ tục phải là một đối tượng JSON.")))
            continue
        rows.append(ProcedureRow(label=label, data=item))
    return CatalogueFile(sectors=sectors, document_types=document_types, rows=rows, errors=errors)
