"""What a province's administrative tree should contain, read from data, before any write.

Two sources are combined into one ordered plan of units:

* the ``vietnam-provinces`` package (the 2025 two-tier divisions): the
  province and every commune, ward and special zone, each with its Public
  Administration Service Centre;
* an optional province data file (``agencies/data/<codename>.json``): the
  provincial departments as they are now, the units that no longer exist with
  their dates and successors, the level-1 code and any confirmed numbers.

Nothing here touches the database: :func:`province_plan` returns plain data
that :func:`agencies.services.province_load` writes idempotently.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

import vietnam_provinces
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from agencies.codes import AgencyCode, validate_level1_code
from agencies.models import Agency

DATA_DIR = Path(__file__).resolve().parent / "data"
TWO_TIER_DAY = dt.date(2025, 7, 1)
KEY_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
PROVINCE_REF = "province"
GSO_REF_PREFIX = "gso:"

# Sibling groups, numbered in this order under one parent (brief: departments
# first, then communes in GSO order); former units come last so that adding
# one never renumbers a unit that exists today.
_GROUP_CURRENT, _GROUP_COMMUNE, _GROUP_FORMER = 0, 1, 2


@dataclass
class PlannedAgency:
    """One row the province should have, identified by its stable ``source_key``."""

    source_key: str
    name: str
    short_name: str
    kind: str
    parent_key: str | None
    valid_from: dt.date
    valid_to: dt.date | None = None
    gso_code: int | None = None
    division_type: str = ""
    is_receiving_point: bool = False
    address: str = ""
    phone: str = ""
    email: str = ""
    change_note: str = ""
    successor_keys: list[str] = field(default_factory=list)
    code: AgencyCode | None = None
    # Numbering inputs: a confirmed number from the data file, else allocated.
    number: int | None = None
    group: int = _GROUP_CURRENT
    order: int = 0
    # Former names share the code of the unit they became (``code_of``).
    code_of: str | None = None


@dataclass
class ProvincePlan:
    gso_code: int
    province_name: str
    level1_code: str
    units: list[PlannedAgency]
    warnings: list[str]
    structure: Path | None

    def by_key(self) -> dict[str, PlannedAgency]:
        return {unit.source_key: unit for unit in self.units}


def default_structure_path(gso_code: int) -> Path | None:
    """``agencies/data/<codename>.json`` for the province, when that file exists."""
    path = DATA_DIR / f"{_package_province(gso_code)['codename']}.json"
    return path if path.exists() else None


def province_plan(*, gso_code: int, structure: Path | None, level1_code: str = "") -> ProvincePlan:
    """The ordered units of province ``gso_code`` (parents before children), with codes."""
    package = _package_province(gso_code)
    data = _read_structure(structure) if structure is not None else {}
    where = str(structure) if structure is not None else "vietnam-provinces"
    if data and data.get("province_gso_code") != gso_code:
        raise ValidationError(
            _("Tệp %(file)s mô tả tỉnh mã %(other)s, không phải tỉnh mã %(gso)s.")
            % {"file": where, "other": data.get("province_gso_code"), "gso": gso_code}
        )
    level1 = level1_code or _text(data, "level1_code", where)
    if not level1:
        raise ValidationError(
            _(
                "Chưa có mã cấp 1 của tỉnh %(name)s: ghi 'level1_code' trong tệp dữ liệu tỉnh "
                "hoặc truyền --level1-code."
            )
            % {"name": package["name"]}
        )
    validate_level1_code(level1)

    warnings = _warnings(data, level1_code_given=bool(level1_code))
    recorded_since = _date(data, "history_recorded_since", where) or TWO_TIER_DAY
    communes_from = _date(data, "communes_valid_from", where) or TWO_TIER_DAY
    prefix = str(gso_code)
    province_key = f"{prefix}/province"

    province_data = data.get("province") or {}
    bare, division = _bare_province_name(package)
    units = [
        PlannedAgency(
            source_key=province_key,
            name=_text(province_data, "name", where) or f"Ủy ban nhân dân {division} {bare}",
            short_name=_text(province_data, "short_name", where) or f"UBND {division} {bare}",
            kind=Agency.Kind.PROVINCE,
            parent_key=None,
            valid_from=_date(province_data, "valid_from", where) or recorded_since,
            gso_code=gso_code,
            division_type=str(package["division_type"]),
            address=_text(province_data, "address", where),
            phone=_text(province_data, "phone", where),
            email=_text(province_data, "email", where),
            code=AgencyCode.for_level1(level1),
        )
    ]
    file_units = _file_units(data, where, prefix=prefix, recorded_since=recorded_since)
    units.extend(file_units)
    units.extend(
        _commune_units(
            package, prefix=prefix, valid_from=communes_from, numbers=data.get("commune_numbers") or {}
        )
    )
    plan = ProvincePlan(
        gso_code=gso_code,
        province_name=units[0].name,
        level1_code=level1,
        units=_parents_first(units, where),
        warnings=warnings,
        structure=structure,
    )
    _check_references(plan, where)
    _allocate_codes(plan, where)
    return plan


# --- reading ---------------------------------------------------------------------------


def _package_province(gso_code: int) -> dict[str, Any]:
    with open(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH, encoding="utf-8") as handle:
        provinces: list[dict[str, Any]] = json.load(handle)
    for province in provinces:
        if province["code"] == gso_code:
            return province
    raise ValidationError(
        _("Không có tỉnh, thành phố mã %(gso)s trong danh mục đơn vị hành chính 2025.") % {"gso": gso_code}
    )


def _read_structure(path: Path) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError as exc:
        raise ValidationError(_("Không tìm thấy tệp dữ liệu tỉnh %(file)s.") % {"file": path}) from exc
    except json.JSONDecodeError as exc:
        raise ValidationError(
            _("Tệp %(file)s không phải JSON hợp lệ (dòng %(line)s): %(error)s.")
            % {"file": path, "line": exc.lineno, "error": exc.msg}
        ) from exc
    if not isinstance(data, dict):
        raise ValidationError(_("Tệp %(file)s phải là một đối tượng JSON.") % {"file": path})
    return data


def _text(data: dict[str, Any], name: str, where: str) -> str:
    value = data.get(name, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError(
            _("%(where)s: trường '%(field)s' phải là chuỗi ký tự.") % {"where": where, "field": name}
        )
    return value.strip()


def _date(data: dict[str, Any], name: str, where: str) -> dt.date | None:
    value = data.get(name)
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValidationError(
            _("%(where)s: trường '%(field)s' phải là ngày dạng YYYY-MM-DD, nhận được '%(value)s'.")
            % {"where": where, "field": name, "value": value}
        ) from exc


def _optional_int(data: dict[str, Any], name: str, where: str) -> int | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValidationError(
            _("%(where)s: trường '%(field)s' phải là số nguyên dương.") % {"where": where, "field": name}
        )
    return value


def _warnings(data: dict[str, Any], *, level1_code_given: bool) -> list[str]:
    warnings: list[str] = []
    if not level1_code_given and not data.get("level1_code_confirmed", False):
        warnings.append(
            _("Mã cấp 1 %(code)s chưa được xác nhận với Phụ lục I Quyết định 20/2020/QĐ-TTg.")
            % {"code": data.get("level1_code", "")}
        )
    if not data.get("numbers_confirmed", False):
        warnings.append(
            _(
                "Số hiệu cấp 2, cấp 3 của các cơ quan được cấp tự động, chưa phải mã chính thức: "
                "cần đối chiếu danh mục mã định danh của tỉnh."
            )
        )
    unconfirmed = [
        str(entry.get("name", "?"))
        for section in ("units", "former_units")
        for entry in data.get(section) or []
        if isinstance(entry, dict) and entry.get("confirmed") is False
    ]
    if unconfirmed:
        warnings.append(_("Thông tin chưa xác nhận: %(names)s.") % {"names": ", ".join(unconfirmed)})
    return warnings


def _file_units(
    data: dict[str, Any], where: str, *, prefix: str, recorded_since: dt.date
) -> list[PlannedAgency]:
    units: list[PlannedAgency] = []
    seen: set[str] = set()
    for section, group in (("units", _GROUP_CURRENT), ("former_units", _GROUP_FORMER)):
        entries = data.get(section) or []
        if not isinstance(entries, list):
            raise ValidationError(
                _("%(where)s: '%(section)s' phải là một danh sách.") % {"where": where, "section": section}
            )
        for order, entry in enumerate(entries):
            label = f"{where}: {section}[{order}]"
            if not isinstance(entry, dict):
                raise ValidationError(_("%(where)s phải là một đối tượng JSON.") % {"where": label})
            key = _text(entry, "key", label)
            if not KEY_RE.match(key):
                raise ValidationError(
                    _("%(where)s: khóa '%(key)s' chỉ gồm chữ thường không dấu, số và gạch nối (tối đa 40).")
                    % {"where": label, "key": key}
                )
            if key in seen:
                raise ValidationError(_("%(where)s: khóa '%(key)s' bị trùng.") % {"where": label, "key": key})
            seen.add(key)
            units.extend(
                _file_unit(
                    entry, label, prefix=prefix, group=group, order=order, recorded_since=recorded_since
                )
            )
    return units


def _file_unit(
    entry: dict[str, Any], label: str, *, prefix: str, group: int, order: int, recorded_since: dt.date
) -> list[PlannedAgency]:
    key = f"{prefix}/unit/{entry['key']}"
    name = _text(entry, "name", label)
    if not name:
        raise ValidationError(_("%(where)s: thiếu tên cơ quan ('name').") % {"where": label})
    kind = _text(entry, "kind", label) or Agency.Kind.DEPARTMENT
    if kind not in Agency.Kind.values or kind == Agency.Kind.PROVINCE:
        raise ValidationError(
            _("%(where)s: loại '%(kind)s' không hợp lệ; dùng một trong: %(kinds)s.")
            % {
                "where": label,
                "kind": kind,
                "kinds": ", ".join(k for k in Agency.Kind.values if k != Agency.Kind.PROVINCE),
            }
        )
    valid_to = _date(entry, "valid_to", label)
    if group == _GROUP_FORMER and valid_to is None:
        raise ValidationError(
            _("%(where)s: đơn vị đã giải thể phải có ngày hết hiệu lực ('valid_to').") % {"where": label}
        )
    if group == _GROUP_CURRENT and valid_to is not None:
        raise ValidationError(
            _("%(where)s: đơn vị đang hoạt động không có 'valid_to'; hãy chuyển nó vào 'former_units'.")
            % {"where": label}
        )
    parent = _text(entry, "parent", label) or PROVINCE_REF
    successors = entry.get("successors") or []
    if not isinstance(successors, list) or not all(isinstance(s, str) for s in successors):
        raise ValidationError(_("%(where)s: 'successors' phải là danh sách khóa.") % {"where": label})
    number = _optional_int(entry, "number", label)

    former_rows = _former_names(entry, label, key=key, recorded_since=recorded_since)
    valid_from = _date(entry, "valid_from", label) or (
        former_rows[-1].valid_to if former_rows and former_rows[-1].valid_to else recorded_since
    )
    unit = PlannedAgency(
        source_key=key,
        name=name,
        short_name=_text(entry, "short_name", label),
        kind=kind,
        parent_key=_resolve_ref(parent, prefix),
        valid_from=valid_from,
        valid_to=valid_to,
        gso_code=_optional_int(entry, "gso_code", label),
        division_type=_text(entry, "division_type", label),
        is_receiving_point=bool(entry.get("is_receiving_point", False)),
        address=_text(entry, "address", label),
        phone=_text(entry, "phone", label),
        email=_text(entry, "email", label),
        change_note=_text(entry, "change_note", label),
        successor_keys=[_resolve_ref(ref, prefix) for ref in successors],
        number=number,
        group=group,
        order=order,
    )
    for row in former_rows:
        row.kind, row.parent_key = unit.kind, unit.parent_key
        row.division_type, row.gso_code = unit.division_type, unit.gso_code
        row.is_receiving_point = unit.is_receiving_point
    return [*former_rows, unit]


def _former_names(
    entry: dict[str, Any], label: str, *, key: str, recorded_since: dt.date
) -> list[PlannedAgency]:
    """Earlier names of a unit: closed rows with the same code, each succeeded by the next."""
    rows: list[PlannedAgency] = []
    former = entry.get("former_names") or []
    if not isinstance(former, list):
        raise ValidationError(_("%(where)s: 'former_names' phải là một danh sách.") % {"where": label})
    for index, item in enumerate(former):
        where = f"{label}.former_names[{index}]"
        if not isinstance(item, dict):
            raise ValidationError(_("%(where)s phải là một đối tượng JSON.") % {"where": where})
        valid_to = _date(item, "valid_to", where)
        name = _text(item, "name", where)
        if valid_to is None or not name:
            raise ValidationError(_("%(where)s: cần 'name' và 'valid_to'.") % {"where": where})
        rows.append(
            PlannedAgency(
                source_key=f"{key}@{valid_to.isoformat()}",
                name=name,
                short_name=_text(item, "short_name", where),
                kind="",
                parent_key=None,
                valid_from=_date(item, "valid_from", where) or recorded_since,
                valid_to=valid_to,
                change_note=_text(item, "change_note", where),
                code_of=key,
            )
        )
    rows.sort(key=lambda row: row.valid_to or dt.date.max)
    for earlier, later in pairwise(rows):
        earlier.successor_keys.append(later.source_key)
        if later.valid_from < (earlier.valid_to or later.valid_from):
            later.valid_from = earlier.valid_to or later.valid_from
    if rows:
        rows[-1].successor_keys.append(key)
    return rows


def _resolve_ref(ref: str, prefix: str) -> str:
    if ref == PROVINCE_REF:
        return f"{prefix}/province"
    if ref.startswith(GSO_REF_PREFIX):
        return f"{prefix}/gso/{ref.removeprefix(GSO_REF_PREFIX)}"
    return f"{prefix}/unit/{ref}"


def _display_ref(key: str) -> str:
    """The reference as the data file writes it: "so-khcn", "gso:6184" or "province"."""
    local = key.split("/", 1)[1] if "/" in key else key
    if local.startswith("unit/"):
        return local.removeprefix("unit/")
    if local.startswith("gso/"):
        return GSO_REF_PREFIX + local.removeprefix("gso/")
    return local


def _bare_province_name(package: dict[str, Any]) -> tuple[str, str]:
    name = str(package["name"])
    if package["division_type"] == "thành phố trung ương":
        return name.removeprefix("Thành phố").strip(), "thành phố"
    return name, str(package["division_type"])


def _bare_ward_name(ward: dict[str, Any]) -> str:
    name = str(ward["name"])
    division = str(ward["division_type"])
    if name.lower().startswith(division.lower()):
        return name[len(division) :].strip()
    return name


def _commune_units(
    package: dict[str, Any], *, prefix: str, valid_from: dt.date, numbers: dict[str, Any]
) -> Iterable[PlannedAgency]:
    for order, ward in enumerate(sorted(package["wards"], key=lambda w: int(w["code"]))):
        division = str(ward["division_type"])
        bare = _bare_ward_name(ward)
        key = f"{prefix}/gso/{ward['code']}"
        number = numbers.get(str(ward["code"]))
        yield PlannedAgency(
            source_key=key,
            name=f"Ủy ban nhân dân {division} {bare}",
            short_name=f"UBND {division} {bare}",
            kind=Agency.Kind.COMMUNE,
            parent_key=f"{prefix}/province",
            valid_from=valid_from,
            gso_code=int(ward["code"]),
            division_type=division,
            number=int(number) if number is not None else None,
            group=_GROUP_COMMUNE,
            order=order,
        )
        yield PlannedAgency(
            source_key=f"{key}/desk",
            name=f"Trung tâm Phục vụ hành chính công {division} {bare}",
            short_name=f"TTPVHCC {division} {bare}",
            kind=Agency.Kind.ONE_STOP_DESK,
            parent_key=key,
            valid_from=valid_from,
            is_receiving_point=True,
        )


# --- checking and numbering -------------------------------------------------------------------


def _parents_first(units: list[PlannedAgency], where: str) -> list[PlannedAgency]:
    by_key = {unit.source_key: unit for unit in units}
    ordered: list[PlannedAgency] = []
    placed: set[str] = set()
    visiting: set[str] = set()

    def place(unit: PlannedAgency) -> None:
        if unit.source_key in placed:
            return
        if unit.source_key in visiting:
            raise ValidationError(
                _("%(where)s: quan hệ cấp trên của '%(name)s' tạo thành vòng.")
                % {"where": where, "name": unit.name}
            )
        visiting.add(unit.source_key)
        if unit.parent_key is not None:
            parent = by_key.get(unit.parent_key)
            if parent is None:
                raise ValidationError(
                    _("%(where)s: '%(name)s' có cơ quan cấp trên '%(parent)s' không có trong dữ liệu.")
                    % {"where": where, "name": unit.name, "parent": _display_ref(unit.parent_key)}
                )
            place(parent)
        visiting.discard(unit.source_key)
        placed.add(unit.source_key)
        ordered.append(unit)

    for unit in units:
        place(unit)
    return ordered


def _check_references(plan: ProvincePlan, where: str) -> None:
    keys = plan.by_key()
    for unit in plan.units:
        for successor in unit.successor_keys:
            if successor not in keys:
                raise ValidationError(
                    _("%(where)s: đơn vị kế thừa '%(ref)s' của '%(name)s' không có trong dữ liệu.")
                    % {"where": where, "ref": _display_ref(successor), "name": unit.name}
                )
            if successor == unit.source_key:
                raise ValidationError(
                    _("%(where)s: '%(name)s' không thể kế thừa chính nó.")
                    % {"where": where, "name": unit.name}
                )
        if unit.valid_to is not None and unit.valid_to <= unit.valid_from:
            raise ValidationError(
                _("%(where)s: '%(name)s' có ngày hết hiệu lực %(to)s không sau ngày có hiệu lực %(from)s.")
                % {
                    "where": where,
                    "name": unit.name,
                    "to": unit.valid_to.strftime("%d/%m/%Y"),
                    "from": unit.valid_from.strftime("%d/%m/%Y"),
                }
            )


def _allocate_codes(plan: ProvincePlan, where: str) -> None:
    """Give every unit its code: confirmed numbers first, then the next free ones in order."""
    keys = plan.by_key()
    children: dict[str, list[PlannedAgency]] = {}
    for unit in plan.units:
        if unit.parent_key is not None and unit.code_of is None:
            children.setdefault(unit.parent_key, []).append(unit)
    for unit in plan.units:  # parents first, so a unit's code is known before its children's
        if unit.code_of is None and unit.source_key in children:
            _number_siblings(children[unit.source_key], parent=unit, where=where)
    for unit in plan.units:
        if unit.code_of is not None:
            unit.code = keys[unit.code_of].code


def _number_siblings(siblings: list[PlannedAgency], *, parent: PlannedAgency, where: str) -> None:
    if parent.code is None:  # pragma: no cover - parents are placed and numbered first
        raise AssertionError("parent numbered after its child")
    taken: dict[int, str] = {}
    for unit in siblings:
        if unit.number is not None:
            if unit.number in taken:
                raise ValidationError(
                    _("%(where)s: số %(number)s dưới '%(parent)s' được ghi cho cả '%(a)s' và '%(b)s'.")
                    % {
                        "where": where,
                        "number": unit.number,
                        "parent": parent.name,
                        "a": taken[unit.number],
                        "b": unit.name,
                    }
                )
            taken[unit.number] = unit.name
    next_number = 1
    for unit in sorted(siblings, key=lambda u: (u.group, u.order)):
        if unit.number is None:
            while next_number in taken:
                next_number += 1
            unit.number = next_number
            taken[next_number] = unit.name
        unit.code = parent.code.child(unit.number)
