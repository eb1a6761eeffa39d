"""One procedure row (the JSON layout) → the content of a version, with every problem listed."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from agencies.models import Agency
from catalog.content import ComponentContent, FeeContent, StepContent, VersionContent
from catalog.models import DocumentType, ProcedureVersion, Sector, WorkflowStep
from catalog.rules import content_problems, flatten
from catalog.search.text import fold

DEFAULT_COMMUNE_AUTHORITY = "Ủy ban nhân dân cấp xã"
_PROVINCE_SUFFIX = re.compile(r"\s+tinh\s+[a-z ]+$")

LEVEL_WORDS = {"province": ProcedureVersion.Level.PROVINCE, "commune": ProcedureVersion.Level.COMMUNE}
SERVICE_LEVEL_WORDS = {value: value for value in ProcedureVersion.ServiceLevel.values}
UNIT_WORDS = {
    "working_days": ProcedureVersion.TimeUnit.WORKING_DAYS,
    "working_hours": ProcedureVersion.TimeUnit.WORKING_HOURS,
}


@dataclass(frozen=True)
class RowError:
    """A problem found in a file, located as the person who prepared the file would find it."""

    row: str
    message: str

    def __str__(self) -> str:
        return f"{self.row}: {self.message}"


@dataclass
class ProcedureRow:
    """One procedure from a file, in the JSON layout; ``label`` says where it is in the file."""

    label: str
    data: dict[str, Any]


@dataclass
class BuiltRow:
    label: str
    code: str
    content: VersionContent | None
    effective_from: dt.date | None
    decision: str
    needs_workflow: bool
    # Whether the row says which document types its result and components are (the JSON layout
    # may; the national spreadsheet never does): if not, the version in force keeps its own.
    names_document_types: bool = False
    errors: list[str] = field(default_factory=list)


class Lookups:
    """Sectors by code and name, current agencies by name, read once per import."""

    def __init__(self, *, today: dt.date) -> None:
        self.sectors = {s.code: s for s in Sector.objects.all()}
        self.document_types = {t.code: t for t in DocumentType.objects.all()}
        self.sectors_by_name = {fold(s.name): s for s in self.sectors.values()}
        self.agencies: dict[str, list[Agency]] = {}
        for agency in Agency.objects.active_on(today):
            for key in {agency.name, fold(agency.name), _PROVINCE_SUFFIX.sub("", fold(agency.name))}:
                self.agencies.setdefault(key, []).append(agency)

    def document_type(self, code: Any, label: str, errors: list[str]) -> DocumentType | None:
        """The document type with ``code`` (None when the file names none); a problem otherwise."""
        text = "" if code is None else str(code).strip()
        if not text:
            return None
        found = self.document_types.get(text)
        if found is None:
            errors.append(
                _("%(label)s: loại giấy tờ “%(code)s” chưa có trong danh mục loại giấy tờ.")
                % {"label": label, "code": text}
            )
        return found

    def agency(self, name: str) -> Agency | str | None:
        """The current agency called ``name`` (exact, then folded, then without "tỉnh …"), or a message."""
        for key in (name.strip(), fold(name), _PROVINCE_SUFFIX.sub("", fold(name))):
            found = self.agencies.get(key)
            if found and len({a.pk for a in found}) == 1:
                return found[0]
            if found:
                return _("Có nhiều cơ quan đang hoạt động tên “%(name)s”.") % {"name": name}
        return None


def parse_date(value: Any) -> dt.date | None:
    """A date written 2025-07-01, 01/07/2025 or given as a spreadsheet date; raises ValueError."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def _text(data: Mapping[str, Any], key: str, limit: int | None = None) -> str:
    value = data.get(key)
    text = "" if value is None else str(value).strip()
    return text[:limit] if limit else text


def _whole(value: Any, label: str, errors: list[str], *, optional: bool = False) -> int | None:
    if value in (None, "") and optional:
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        number = Decimal("NaN")
    if number.is_nan() or number != number.to_integral_value():
        errors.append(
            _("%(label)s phải là một số nguyên, không phải “%(value)s”.") % {"label": label, "value": value}
        )
        return None
    return int(number)


_TRUE_WORDS = {"true", "1", "x", "co", "yes"}
_FALSE_WORDS = {"false", "0", "khong", "no", ""}


def _flag(value: Any, label: str, errors: list[str]) -> bool:
    """A yes/no cell: JSON true/false (absent: false), or a word a spreadsheet holds."""
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    word = fold(str(value)).strip()
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    errors.append(
        _("%(label)s phải là true (có) hoặc false (không), không phải “%(value)s”.")
        % {"label": label, "value": value}
    )
    return False


def _choice(value: str, table: Mapping[str, str], label: str, errors: list[str]) -> str:
    if value in table:
        return table[value]
    errors.append(
        _("%(label)s “%(value)s” không hợp lệ; dùng một trong: %(choices)s.")
        % {"label": label, "value": value, "choices": ", ".join(sorted(set(table)))}
    )
    return value


def build_row(row: ProcedureRow, lookups: Lookups) -> BuiltRow:
    """Turn a row into version content; every problem is collected, nothing is raised."""
    data = row.data
    errors: list[str] = []
    code = _text(data, "code")
    if not code:
        errors.append(_("Thiếu mã thủ tục."))
    elif len(code) > 64:
        errors.append(_("Mã thủ tục dài quá 64 ký tự."))
    name = _text(data, "name")

    sector: Sector | None = None
    sector_code = _text(data, "sector")
    sector_name = _text(data, "sector_name")
    if sector_code:
        sector = lookups.sectors.get(sector_code)
        if sector is None:
            errors.append(_("Lĩnh vực “%(code)s” chưa có trong danh mục lĩnh vực.") % {"code": sector_code})
    elif sector_name:
        sector = lookups.sectors_by_name.get(fold(sector_name))
        if sector is None:
            errors.append(
                _("Lĩnh vực “%(name)s” chưa có trong danh mục; thêm lĩnh vực hoặc ghi cột “Mã lĩnh vực”.")
                % {"name": sector_name}
            )
    else:
        errors.append(_("Thiếu lĩnh vực."))

    level = _choice(_text(data, "level"), LEVEL_WORDS, _("Cấp thực hiện"), errors)
    agency: Agency | None = None
    agency_name = _text(data, "competent_agency")
    if agency_name:
        found = lookups.agency(agency_name)
        if isinstance(found, Agency):
            agency = found
        elif isinstance(found, str):
            errors.append(found)
        elif level == ProcedureVersion.Level.PROVINCE:
            errors.append(
                _("Không tìm thấy cơ quan “%(name)s” đang hoạt động trong danh mục cơ quan.")
                % {"name": agency_name}
            )
    if level == ProcedureVersion.Level.COMMUNE:
        agency = None  # the commune where the dossier is filed settles it
    authority = _text(data, "competent_authority", 255) or (
        agency.name
        if agency
        else DEFAULT_COMMUNE_AUTHORITY
        if level == ProcedureVersion.Level.COMMUNE
        else ""
    )
    service_level = _choice(
        _text(data, "service_level"), SERVICE_LEVEL_WORDS, _("Mức độ dịch vụ công"), errors
    )
    unit = _choice(
        _text(data, "processing_time_unit") or "working_days", UNIT_WORDS, _("Đơn vị thời hạn"), errors
    )
    try:
        processing_time = Decimal(str(data.get("processing_time", "")).strip().replace(",", "."))
        if not processing_time.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        errors.append(
            _("Thời hạn giải quyết phải là một số, không phải “%(value)s”.")
            % {"value": data.get("processing_time")}
        )
        processing_time = Decimal(0)

    fees = []
    for item in data.get("fees") or []:
        counter = _whole(item.get("counter_amount"), _("Mức thu nộp trực tiếp"), errors)
        online = _whole(item.get("online_amount"), _("Mức thu nộp trực tuyến"), errors, optional=True)
        fees.append(
            FeeContent(
                kind=_choice(
                    str(item.get("kind", "")), {"fee": "fee", "charge": "charge"}, _("Loại khoản thu"), errors
                ),
                name=str(item.get("name", "")).strip()[:255],
                counter_amount=counter or 0,
                online_amount=online,
                exemptions=str(item.get("exemptions", "") or "").strip(),
                legal_basis=str(item.get("legal_basis", "") or "").strip()[:500],
            )
        )
    components = []
    for item in data.get("components") or []:
        components.append(
            ComponentContent(
                name=str(item.get("name", "")).strip()[:1000],
                originals=_whole(item.get("originals", 1), _("Số bản chính"), errors) or 0,
                copies=_whole(item.get("copies", 0), _("Số bản sao"), errors) or 0,
                is_mandatory=bool(item.get("is_mandatory", True)),
                paper_only=bool(item.get("paper_only", False)),
                template_name=str(item.get("template_name", "") or "").strip()[:255],
                note=str(item.get("note", "") or "").strip()[:1000],
                document_type=lookups.document_type(
                    item.get("document_type"),
                    _("Thành phần “%(name)s”") % {"name": item.get("name", "")},
                    errors,
                ),
            )
        )
    raw_workflow = data.get("workflow")
    workflow = []
    for item in raw_workflow or []:
        step_agency: Agency | None = None
        if item.get("agency"):
            found = lookups.agency(str(item["agency"]))
            if isinstance(found, Agency):
                step_agency = found
            else:
                errors.append(
                    found or _("Không tìm thấy cơ quan phối hợp “%(name)s”.") % {"name": item["agency"]}
                )
        try:
            budget = Decimal(str(item.get("budget_hours", "")).replace(",", "."))
        except InvalidOperation:
            errors.append(_("Thời gian của bước “%(name)s” phải là số giờ.") % {"name": item.get("name", "")})
            budget = Decimal(0)
        workflow.append(
            StepContent(
                name=str(item.get("name", "")).strip()[:255],
                actor=str(item.get("actor", WorkflowStep.Actor.COMPETENT_AGENCY)),
                role=str(item.get("role", "")),
                budget_hours=budget,
                agency=step_agency,
                parallel=_flag(
                    item.get("parallel"),
                    _("“parallel” của bước “%(name)s”") % {"name": item.get("name", "")},
                    errors,
                ),
            )
        )
    try:
        effective_from = parse_date(data.get("effective_from"))
    except ValueError:
        errors.append(
            _("Ngày áp dụng “%(value)s” không đúng dạng dd/mm/yyyy.") % {"value": data.get("effective_from")}
        )
        effective_from = None

    content = None
    if sector is not None:
        content = VersionContent(
            name=name[:500],
            sector=sector,
            level=level,
            competent_agency=agency,
            competent_authority=authority,
            service_level=service_level,
            processing_time=processing_time,
            processing_time_unit=unit,
            processing_time_note=_text(data, "processing_time_note", 500),
            applicants=_text(data, "applicants"),
            steps=_text(data, "steps"),
            submission_channels=_text(data, "submission_channels"),
            conditions=_text(data, "conditions"),
            legal_basis=_text(data, "legal_basis"),
            result=_text(data, "result", 500),
            fee_note=_text(data, "fee_note", 500),
            keywords=_text(data, "keywords", 500),
            fees=tuple(fees),
            components=tuple(components),
            workflow=tuple(workflow),
            result_document_type=lookups.document_type(
                data.get("result_document_type"), _("Kết quả thực hiện"), errors
            ),
            result_validity_months=_whole(
                data.get("result_validity_months"), _("Thời hạn sử dụng của kết quả"), errors, optional=True
            ),
        )
        problems = content_problems(content)
        if agency_name and agency is None and level == ProcedureVersion.Level.PROVINCE:
            problems.pop("competent_agency", None)  # the lookup already said why
        if raw_workflow is None:
            problems.pop("workflow", None)  # the importer gives it a workflow (see procedure_import)
        for message in flatten(problems):
            if message not in errors:
                errors.append(message)
    return BuiltRow(
        label=row.label,
        code=code,
        content=content,
        effective_from=effective_from,
        decision=_text(data, "decision", 255),
        needs_workflow=raw_workflow is None,
        names_document_types="result_document_type" in data
        or any(isinstance(item, dict) and "document_type" in item for item in data.get("components") or []),
        errors=errors,
    )
