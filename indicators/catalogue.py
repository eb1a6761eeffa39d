"""Loading the indicator catalogue (``indicators/data/catalogue.json``) into the database.

The file holds the indicator groups (the six groups of Decision 766 with their points, and the
province's own groups), the indicators with their definition, formula, unit, direction, source,
period, aggregation and points, and the periodic report forms units fill in. Loading is
idempotent: rows are matched by code and updated in place; nothing is deleted (an indicator that
leaves the file stays, so its history keeps its meaning — set ``is_active`` off in the admin).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Q

from agencies.models import Agency
from indicators.formulas import FORMULA_KEYS
from indicators.models import Indicator, IndicatorGroup, ReportForm, Source

CATALOGUE_FILE = Path(__file__).resolve().parent / "data" / "catalogue.json"

_GROUP_FIELDS = ("name", "framework", "max_points", "description", "unconfirmed", "order")
_INDICATOR_FIELDS = (
    "name",
    "short_name",
    "points",
    "unit",
    "direction",
    "definition",
    "formula",
    "numerator_label",
    "denominator_label",
    "source",
    "computation",
    "source_note",
    "periodicity",
    "aggregation",
    "status_rule",
    "at_risk_margin",
    "min_value",
    "max_value",
    "decimals",
    "published",
    "unconfirmed",
    "legal_basis",
    "order",
)
_DECIMALS = {"max_points", "points", "at_risk_margin", "min_value", "max_value"}


class CatalogueError(ValueError):
    """The catalogue file is not usable (message in Vietnamese)."""


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)


def _value(name: str, raw: Any) -> Any:
    if name in _DECIMALS and raw is not None:
        return Decimal(str(raw))
    return raw


def _upsert(model: Any, code: str, values: dict[str, Any], result: LoadResult) -> Any:
    row = model.objects.filter(code=code).first()
    if row is None:
        row = model.objects.create(code=code, **values)
        result.created += 1
        return row
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    if changed:
        for name in changed:
            setattr(row, name, values[name])
        row.save(update_fields=changed)
        result.updated += 1
    else:
        result.unchanged += 1
    return row


def _reviewer(spec: dict[str, Any]) -> Agency | None:
    condition = Q(pk__in=[])
    if spec.get("source_key"):
        condition |= Q(source_key=spec["source_key"])
    if spec.get("edoc_code"):
        condition |= Q(edoc_code=spec["edoc_code"])
    if spec.get("name"):
        condition |= Q(name=spec["name"])
    return Agency.objects.current().filter(condition).order_by("pk").first()


def _check(data: dict[str, Any]) -> None:
    if not isinstance(data, dict) or not isinstance(data.get("indicators"), list):
        raise CatalogueError("Tệp danh mục chỉ tiêu phải có danh sách “indicators”.")
    groups = {g["code"] for g in data.get("groups", [])}
    for item in data["indicators"]:
        code = item.get("code", "?")
        if item.get("group") and item["group"] not in groups:
            raise CatalogueError(f"Chỉ tiêu {code}: nhóm “{item['group']}” không có trong danh mục nhóm.")
        if item.get("source") == Source.COMPUTED and item.get("computation") not in FORMULA_KEYS:
            raise CatalogueError(
                f"Chỉ tiêu {code}: công thức “{item.get('computation')}” "
                "không có trong indicators/formulas.py."
            )


@transaction.atomic
def catalogue_load(*, data: dict[str, Any] | None = None, path: Path = CATALOGUE_FILE) -> LoadResult:
    """Create or update the groups, indicators and report forms of the catalogue (by code)."""
    if data is None:
        data = json.loads(path.read_text(encoding="utf-8"))
    _check(data)
    result = LoadResult()
    groups: dict[str, IndicatorGroup] = {}
    for item in data.get("groups", []):
        values = {name: _value(name, item.get(name)) for name in _GROUP_FIELDS if name in item}
        groups[item["code"]] = _upsert(IndicatorGroup, item["code"], values, result)
    indicators: dict[str, Indicator] = {}
    for item in data["indicators"]:
        values = {name: _value(name, item[name]) for name in _INDICATOR_FIELDS if name in item}
        group_code = item.get("group")
        values["group"] = groups.get(group_code) or (
            IndicatorGroup.objects.get(code=group_code) if group_code else None
        )
        if values.get("computation") is None:
            values["computation"] = ""
        indicators[item["code"]] = _upsert(Indicator, item["code"], values, result)
    for item in data.get("forms", []):
        reviewer = _reviewer(item.get("reviewer") or {})
        if reviewer is None:
            result.warnings.append(
                f"Bỏ qua biểu {item['code']}: không tìm thấy cơ quan thẩm định "
                f"“{(item.get('reviewer') or {}).get('name', '')}” (hãy nạp danh mục cơ quan trước)."
            )
            continue
        values = {
            "name": item["name"],
            "periodicity": item["periodicity"],
            "reporting_kinds": list(item.get("reporting_kinds", [])),
            "reviewer": reviewer,
            "due_days": item.get("due_days", 10),
        }
        form = _upsert(ReportForm, item["code"], values, result)
        wanted = [
            indicators.get(code) or Indicator.objects.get(code=code) for code in item.get("indicators", [])
        ]
        if {i.pk for i in form.indicators.all()} != {i.pk for i in wanted}:
            form.indicators.set(wanted)
    return result
