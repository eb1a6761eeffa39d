"""The catalogue's JSON layout (docs: catalog-contract): ``{"sectors": [...], "procedures": [...]}``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from catalog.importing.rows import ProcedureRow, RowError


def read_json(path: Path) -> tuple[list[dict[str, Any]], list[ProcedureRow], list[RowError]]:
    """Sectors, procedure rows and the problems of the file's shape."""
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        return (
            [],
            [],
            [RowError(row=path.name, message=_("Không đọc được tệp JSON: %(error)s") % {"error": error})],
        )
    if not isinstance(document, dict):
        return [], [], [RowError(row=path.name, message=_("Tệp JSON phải là một đối tượng có “procedures”."))]
    errors: list[RowError] = []
    sectors = document.get("sectors") or []
    procedures = document.get("procedures") or []
    if not isinstance(sectors, list) or not all(isinstance(s, dict) for s in sectors):
        errors.append(RowError(row="sectors", message=_("“sectors” phải là một danh sách các đối tượng.")))
        sectors = []
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
    return sectors, rows, errors
