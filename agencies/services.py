"""Writes to the administrative tree: loading a province, and changes that keep history.

A unit is never edited into another one. Renaming, merging and closing set
``valid_to`` on the old row and link it to the unit that carries on its work
(``successors``); records made under the old unit keep pointing at the old
row, which is never deleted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agencies.models import Agency, AgencySuccession
from agencies.structure import PlannedAgency, default_structure_path, province_plan

# Fields the province loader keeps equal to the data. Contact details are only
# written when the data gives them, so that an address typed in the admin is
# not wiped by a data file that leaves it empty.
_SYNCED_FIELDS = (
    "name",
    "short_name",
    "kind",
    "parent",
    "qcvn_code",
    "edoc_code",
    "gso_code",
    "division_type",
    "is_receiving_point",
    "valid_from",
    "valid_to",
    "change_note",
)
_CONTACT_FIELDS = ("address", "phone", "email")


@dataclass
class ProvinceLoadReport:
    """What one run of :func:`province_load` did, for the command's output and for tests."""

    province: str
    structure: Path | None
    created: list[Agency] = field(default_factory=list)
    updated: list[tuple[Agency, list[str]]] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    links_created: int = 0
    warnings: list[str] = field(default_factory=list)


def province_load(
    *, gso_code: int, structure: Path | None = None, level1_code: str = "", use_default_file: bool = True
) -> ProvinceLoadReport:
    """Create or update province ``gso_code``'s tree from vietnam-provinces and its data file.

    ``structure`` defaults to ``agencies/data/<codename>.json`` when that file
    exists (``use_default_file=False`` loads the package data alone, which then
    needs ``level1_code``). Idempotent: a second run with the same inputs
    writes nothing. Rows are matched by their ``source_key``; a row that a
    later change closed (a rename or merger done through this module) is left
    as history and reported as skipped. All or nothing: one transaction.
    """
    if structure is None and use_default_file:
        structure = default_structure_path(gso_code)
    plan = province_plan(gso_code=gso_code, structure=structure, level1_code=level1_code)
    report = ProvinceLoadReport(province=plan.province_name, structure=structure, warnings=plan.warnings)
    with transaction.atomic():
        existing = {
            agency.source_key: agency
            for agency in Agency.objects.select_for_update().filter(
                source_key__in=[unit.source_key for unit in plan.units]
            )
        }
        released = _release_changing_codes(plan.units, existing)
        rows: dict[str, Agency] = {}
        for unit in plan.units:
            row = _sync_unit(unit, existing.get(unit.source_key), rows, report)
            if row is not None:
                rows[unit.source_key] = row
        for pk, code in released.items():  # rows released but then skipped get their code back
            Agency.objects.filter(pk=pk, edoc_code=f"~{pk}").update(edoc_code=code)
        for unit in plan.units:
            source = rows.get(unit.source_key)
            for successor_key in unit.successor_keys:
                successor = rows.get(successor_key)
                if source is None or successor is None:
                    continue
                _, created = AgencySuccession.objects.get_or_create(from_agency=source, to_agency=successor)
                report.links_created += int(created)
    return report


def _planned_values(unit: PlannedAgency, parent: Agency | None) -> dict[str, object]:
    assert unit.code is not None, "codes are allocated by province_plan"
    return {
        "name": unit.name,
        "short_name": unit.short_name,
        "kind": unit.kind,
        "parent": parent,
        "qcvn_code": unit.code.qcvn,
        "edoc_code": unit.code.edoc,
        "gso_code": unit.gso_code,
        "division_type": unit.division_type,
        "is_receiving_point": unit.is_receiving_point,
        "valid_from": unit.valid_from,
        "valid_to": unit.valid_to,
        "change_note": unit.change_note,
    }


def _release_changing_codes(units: Sequence[PlannedAgency], existing: dict[str, Agency]) -> dict[int, str]:
    """Move current rows whose code changes out of the way first.

    Renumbering (say, once the official numbers are written in the data file)
    can swap codes between two units; the unique index on current codes would
    reject the first of the two saves otherwise. Returns the released codes by row.
    """
    released: dict[int, str] = {}
    for unit in units:
        row = existing.get(unit.source_key)
        if row is None or unit.code is None or row.edoc_code == unit.code.edoc:
            continue
        if row.valid_to is None and unit.valid_to is None:
            released[row.pk] = row.edoc_code
            Agency.objects.filter(pk=row.pk).update(edoc_code=f"~{row.pk}")
            row.edoc_code = f"~{row.pk}"
    return released


def _sync_unit(
    unit: PlannedAgency, row: Agency | None, rows: dict[str, Agency], report: ProvinceLoadReport
) -> Agency | None:
    parent = rows.get(unit.parent_key) if unit.parent_key else None
    if unit.parent_key and parent is None:
        report.skipped.append((unit.name, _("cơ quan cấp trên không được nạp")))
        return row
    if row is not None and row.valid_to is not None and unit.valid_to is None:
        # Closed after loading by a rename, merger or closure: history wins.
        report.skipped.append(
            (unit.name, _("đã hết hiệu lực từ %(day)s") % {"day": row.valid_to.strftime("%d/%m/%Y")})
        )
        return row
    values = _planned_values(unit, parent)
    contacts = {name: getattr(unit, name) for name in _CONTACT_FIELDS if getattr(unit, name)}
    if row is None:
        row = Agency(source_key=unit.source_key, **values, **contacts)
        row.full_clean()
        row.save()
        report.created.append(row)
        return row
    desired = {**values, **contacts}
    changed: list[str] = []
    for name, value in desired.items():
        if name == "parent":
            if row.parent_id != (parent.pk if parent is not None else None):
                changed.append(name)
        elif getattr(row, name) != value:
            changed.append(name)
    if not changed:
        report.unchanged += 1
        return row
    for name in changed:
        setattr(row, name, desired[name])
    row.full_clean()
    row.save()
    report.updated.append((row, changed))
    return row


# --- changes with history ------------------------------------------------------------------


def _check_changeable(agency: Agency, effective: dt.date) -> None:
    if agency.valid_to is not None:
        raise ValidationError(
            _(
                "%(name)s đã hết hiệu lực (hoặc đã có thay đổi ghi nhận) từ %(day)s nên không thể "
                "thay đổi nữa; hãy thay đổi đơn vị kế thừa của nó."
            )
            % {"name": agency.name, "day": agency.valid_to.strftime("%d/%m/%Y")}
        )
    if effective <= agency.valid_from:
        raise ValidationError(
            _("Ngày hiệu lực phải sau ngày %(day)s, ngày %(name)s bắt đầu hoạt động.")
            % {"day": agency.valid_from.strftime("%d/%m/%Y"), "name": agency.name}
        )


def _locked(agency: Agency) -> Agency:
    return Agency.objects.select_for_update().get(pk=agency.pk)


def _close(agency: Agency, *, effective: dt.date, note: str) -> None:
    agency.valid_to = effective
    if note:
        agency.change_note = note[:255]
    agency.full_clean()
    agency.save(update_fields=["valid_to", "change_note"])


def _open_children(agency: Agency, effective: dt.date) -> list[Agency]:
    children = list(
        Agency.objects.select_for_update()
        .filter(parent=agency)
        .exclude(valid_to__lte=effective)
        .order_by("pk")
    )
    late = [child for child in children if child.valid_from >= effective]
    if late:
        raise ValidationError(
            _(
                "%(name)s có đơn vị trực thuộc bắt đầu hoạt động từ ngày thay đổi trở đi "
                "(%(children)s): hãy xử lý các đơn vị đó trước."
            )
            % {"name": agency.name, "children": ", ".join(child.name for child in late)}
        )
    return children


def _close_subtree(agency: Agency, *, effective: dt.date, note: str) -> None:
    for child in _open_children(agency, effective):
        _close_subtree(child, effective=effective, note=note)
    _close(agency, effective=effective, note=note)


def _reopen_copy(
    agency: Agency, *, parent: Agency | None, effective: dt.date, note: str, name: str, short_name: str
) -> Agency:
    """A new row for the same unit from ``effective``: same codes, linked from the old row."""
    copy = Agency(
        name=name,
        short_name=short_name,
        kind=agency.kind,
        parent=parent,
        qcvn_code=agency.qcvn_code,
        edoc_code=agency.edoc_code,
        gso_code=agency.gso_code,
        division_type=agency.division_type,
        is_receiving_point=agency.is_receiving_point,
        address=agency.address,
        phone=agency.phone,
        email=agency.email,
        valid_from=effective,
        change_note=note[:255],
    )
    copy.full_clean()
    copy.save()
    AgencySuccession.objects.create(from_agency=agency, to_agency=copy)
    return copy


def _carry_over_children(old: Agency, new: Agency, *, effective: dt.date, note: str) -> None:
    """Children of a renamed unit continue under its new row (closed and reopened, same codes)."""
    for child in _open_children(old, effective):
        _close(child, effective=effective, note=note)
        copy = _reopen_copy(
            child, parent=new, effective=effective, note=note, name=child.name, short_name=child.short_name
        )
        _carry_over_children(child, copy, effective=effective, note=note)


@transaction.atomic
def agency_rename(
    *, agency: Agency, new_name: str, effective: dt.date, note: str = "", new_short_name: str = ""
) -> Agency:
    """Đổi tên: close ``agency`` on ``effective`` and open its successor with the same codes.

    The units under it carry over to the new row (each closed and reopened
    with its own codes), so the tree of any day shows who was under whom.
    """
    given, agency = agency, _locked(agency)
    new_name = new_name.strip()
    if not new_name:
        raise ValidationError(_("Cần nhập tên mới của cơ quan."))
    if new_name == agency.name and new_short_name.strip() == agency.short_name:
        raise ValidationError(_("Tên mới trùng với tên hiện tại của %(name)s.") % {"name": agency.name})
    _check_changeable(agency, effective)
    _close(agency, effective=effective, note=note)
    renamed = _reopen_copy(
        agency,
        parent=agency.parent,
        effective=effective,
        note=note,
        name=new_name,
        short_name=new_short_name.strip(),
    )
    _carry_over_children(agency, renamed, effective=effective, note=note)
    given.refresh_from_db()  # the caller's instance tells the truth afterwards
    return renamed


@transaction.atomic
def agency_merge(
    *,
    sources: Sequence[Agency],
    effective: dt.date,
    note: str = "",
    into: Agency | None = None,
    into_name: str = "",
    into_short_name: str = "",
    edoc_code: str = "",
    qcvn_code: str = "",
) -> Agency:
    """Sáp nhập, hợp nhất: close every source on ``effective`` and link it to the target.

    Either ``into`` names an existing unit that absorbs the sources (Sở TT&TT
    into Sở KH&CN), or ``into_name`` creates a new unit of the same kind and
    parent as the sources, with the codes given, else those of the first
    source. Units under a source end with it and are linked to the target too.
    """
    if (into is None) == (not into_name.strip()):
        raise ValidationError(
            _("Chọn đơn vị tiếp nhận (into) hoặc nhập tên đơn vị mới (into_name), không cả hai.")
        )
    if not sources:
        raise ValidationError(_("Cần ít nhất một đơn vị bị sáp nhập."))
    locked = [_locked(source) for source in sources]
    if len({source.pk for source in locked}) != len(locked):
        raise ValidationError(_("Một đơn vị được nêu hai lần trong danh sách sáp nhập."))
    for source in locked:
        _check_changeable(source, effective)
    if into is not None:
        target = _locked(into)
        if target.pk in {source.pk for source in locked}:
            raise ValidationError(_("Đơn vị tiếp nhận không thể đồng thời là đơn vị bị sáp nhập."))
        if not target.is_active_on(effective):
            raise ValidationError(
                _("%(name)s không hoạt động vào ngày %(day)s nên không thể tiếp nhận.")
                % {"name": target.name, "day": effective.strftime("%d/%m/%Y")}
            )
    else:
        first = locked[0]
        if any(s.kind != first.kind or s.parent_id != first.parent_id for s in locked):
            raise ValidationError(
                _(
                    "Các đơn vị hợp nhất thành đơn vị mới phải cùng loại và cùng cơ quan cấp trên; "
                    "nếu không, hãy tạo đơn vị mới trước rồi sáp nhập vào đó."
                )
            )
        target = None
    for source in locked:
        _close_subtree(source, effective=effective, note=note)
    if target is None:
        first = locked[0]
        target = Agency(
            name=into_name.strip(),
            short_name=into_short_name.strip(),
            kind=first.kind,
            parent=first.parent,
            qcvn_code=qcvn_code if edoc_code else first.qcvn_code,
            edoc_code=edoc_code or first.edoc_code,
            division_type=first.division_type,
            is_receiving_point=any(source.is_receiving_point for source in locked),
            valid_from=effective,
            change_note=note[:255],
        )
        target.full_clean()
        target.save()
    for source in locked:
        _link_subtree(source, target, effective=effective)
    for given in sources:  # the caller's instances tell the truth afterwards
        given.refresh_from_db()
    return target


def _link_subtree(agency: Agency, target: Agency, *, effective: dt.date) -> None:
    AgencySuccession.objects.get_or_create(from_agency=agency, to_agency=target)
    for child in Agency.objects.filter(parent=agency, valid_to=effective):
        _link_subtree(child, target, effective=effective)


@transaction.atomic
def agency_close(
    *, agency: Agency, effective: dt.date, note: str = "", successors: Sequence[Agency] = ()
) -> Agency:
    """Giải thể, chấm dứt hoạt động: close ``agency`` and the units under it on ``effective``.

    ``successors`` are the units that take over its work (each must be active
    on ``effective``); the units under it are linked to them as well.
    """
    given, agency = agency, _locked(agency)
    _check_changeable(agency, effective)
    for successor in successors:
        if successor.pk == agency.pk:
            raise ValidationError(_("Một đơn vị không thể kế thừa chính nó."))
        if not successor.is_active_on(effective):
            raise ValidationError(
                _("%(name)s không hoạt động vào ngày %(day)s nên không thể là đơn vị kế thừa.")
                % {"name": successor.name, "day": effective.strftime("%d/%m/%Y")}
            )
    _close_subtree(agency, effective=effective, note=note)
    for successor in successors:
        _link_subtree(agency, successor, effective=effective)
    given.refresh_from_db()  # the caller's instance tells the truth afterwards
    return given
