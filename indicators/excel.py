"""Spreadsheets of the unit reports and the targets (openpyxl).

* :func:`report_template` — the template a unit fills in offline for one report: a sheet with
  each indicator's code, name, unit, the previous period's value and the target, and the cells
  to fill (value, or numerator and denominator for a ratio; an explanation), with number
  validation; a hidden sheet names the form, the unit, the period, the report and its version.
* :func:`read_report` — that file read back: the figures by indicator code and the row each came
  from, or what is wrong with the file (another unit's template, a changed column, an unknown
  code). The figures themselves are checked by ``indicators.report_values`` through
  ``services.report_import_xlsx``, which turns every problem into a :class:`RowError`.
* :func:`targets_template` / :func:`read_targets` — the targets of a year, one row per
  indicator, unit and period, with the unit's electronic code (mã định danh) and the period key.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any, Literal

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from agencies.models import Agency
from agencies.selectors import agency_on
from indicators.formatting import value_text
from indicators.models import Indicator, Period, Periodicity, Report, Target, Unit
from indicators.periods import period_from_key, period_get
from indicators.report_selectors import form_indicators, period_in_text, report_rows
from indicators.report_values import bounds, scale

MAGIC = "congso-report-template"
META_SHEET = "congso"
HEADER_ROW = 6
FIRST_ROW = HEADER_ROW + 1
# field → (column, header)
COLUMNS: dict[str, tuple[str, str]] = {
    "index": ("A", "STT"),
    "code": ("B", "Mã chỉ tiêu"),
    "name": ("C", "Tên chỉ tiêu"),
    "unit": ("D", "Đơn vị tính"),
    "previous": ("E", "Kỳ trước"),
    "target": ("F", "Chỉ tiêu giao"),
    "value": ("G", "Giá trị"),
    "numerator": ("H", "Tử số"),
    "denominator": ("I", "Mẫu số"),
    "comment": ("J", "Giải trình"),
}
INPUT_FIELDS = ("value", "numerator", "denominator", "comment")

TARGET_HEADER = "Mã chỉ tiêu"
# field → (column, header)
TARGET_COLUMNS: dict[str, tuple[str, str]] = {
    "indicator": ("A", "Mã chỉ tiêu"),
    "indicator_name": ("B", "Tên chỉ tiêu"),
    "agency": ("C", "Mã đơn vị"),
    "agency_name": ("D", "Tên đơn vị"),
    "period": ("E", "Kỳ"),
    "value": ("F", "Giá trị chỉ tiêu"),
    "baseline": ("G", "Giá trị đầu kỳ"),
    "note": ("H", "Căn cứ giao"),
}

THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
GREY = PatternFill("solid", fgColor="EEEEEE")
INPUT = PatternFill("solid", fgColor="FFF8DC")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True, order=True)
class RowError:
    """One problem of an uploaded sheet: the row (0 for the file itself), the column, the reason."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.row == 0:
            return self.message
        if self.column:
            return _("Dòng %(row)d, cột %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Dòng %(row)d: %(message)s") % {"row": self.row, "message": self.message}


class ImportRowsError(Exception):
    """An upload with problems; nothing was imported. ``errors`` lists them in sheet order."""

    def __init__(self, errors: Iterable[RowError]) -> None:
        self.errors = list(errors)
        super().__init__(
            _("Tệp có %(n)d lỗi; chưa nhập dòng nào. Sửa các lỗi dưới đây rồi tải lên lại.")
            % {"n": len(self.errors)}
        )


def column_title(field_name: str) -> str:
    """ "G (Giá trị)" for a field of the report sheet."""
    if field_name not in COLUMNS:
        return ""
    letter, header = COLUMNS[field_name]
    return f"{letter} ({header})"


def target_column_title(field_name: str) -> str:
    if field_name not in TARGET_COLUMNS:
        return ""
    letter, header = TARGET_COLUMNS[field_name]
    return f"{letter} ({header})"


def _number(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _validation(indicator: Indicator, *, part: str) -> DataValidation:
    """Excel's own check of a cell: a number within the indicator's range."""
    whole = indicator.unit == Unit.COUNT and part == "value"
    lower, upper = bounds(indicator) if part == "value" else (Decimal(0), None)
    kind: Literal["whole", "decimal"] = "whole" if whole else "decimal"
    if upper is not None:
        rule = DataValidation(
            type=kind, operator="between", formula1=str(lower or 0), formula2=str(upper), allow_blank=True
        )
        message = _("Nhập một số từ %(min)s đến %(max)s.") % {"min": lower or 0, "max": upper}
    else:
        rule = DataValidation(
            type=kind, operator="greaterThanOrEqual", formula1=str(lower or 0), allow_blank=True
        )
        message = _("Nhập một số không nhỏ hơn %(min)s.") % {"min": lower or 0}
    if whole:
        message += " " + _("Số lượng là số nguyên.")
    rule.error = message
    rule.errorTitle = _("Số liệu không hợp lệ")
    rule.showErrorMessage = True
    return rule


def report_template(report: Report) -> bytes:
    """The Excel template of ``report`` (its figures so far filled in)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Báo cáo")
    form, agency, period = report.form, report.agency, report.period
    sheet["A1"] = form.name.upper()
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = _("Đơn vị báo cáo: %(unit)s") % {"unit": agency.name}
    sheet["A3"] = _("Kỳ báo cáo: %(period)s — hạn nộp ngày %(due)s") % {
        "period": period.label,
        "due": report.due_date.strftime("%d/%m/%Y"),
    }
    sheet["A4"] = _(
        "Nhập số liệu vào các ô màu vàng: chỉ tiêu tỷ lệ nhập tử số và mẫu số (congso tự tính tỷ lệ), "
        "chỉ tiêu khác nhập giá trị; chưa có số liệu thì ghi giải trình. Không sửa mã chỉ tiêu, "
        "không thêm, xóa dòng hay cột; giữ nguyên trang ẩn “congso”."
    )
    sheet["A4"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells("A4:J4")
    sheet.row_dimensions[4].height = 45
    for name, (letter, header) in COLUMNS.items():
        cell = sheet[f"{letter}{HEADER_ROW}"]
        cell.value = header if name != "target" else _("Chỉ tiêu giao")
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        cell.border = BORDER
    validations: dict[tuple[int, str], DataValidation] = {}
    for index, row in enumerate(report_rows(report), start=1):
        excel_row = FIRST_ROW + index - 1
        indicator = row.indicator
        stored = row.stored
        cells: dict[str, Any] = {
            "index": index,
            "code": indicator.code,
            "name": indicator.name,
            "unit": indicator.get_unit_display(),
            "previous": value_text(indicator, row.previous) if row.previous is not None else "",
            "target": value_text(indicator, row.target.value) if row.target is not None else "",
            "value": _number(stored.value) if stored is not None and not indicator.is_ratio else None,
            "numerator": _number(stored.numerator) if stored is not None else None,
            "denominator": _number(stored.denominator) if stored is not None else None,
            "comment": stored.comment if stored is not None else "",
        }
        if indicator.is_ratio:
            h, i = COLUMNS["numerator"][0], COLUMNS["denominator"][0]
            factor = scale(indicator)
            cells["value"] = (
                f"=IF(AND(ISNUMBER({h}{excel_row}),ISNUMBER({i}{excel_row}),{i}{excel_row}>0),"
                f'ROUND({h}{excel_row}/{i}{excel_row}*{factor},4),"")'
            )
        for name, (letter, _header) in COLUMNS.items():
            cell = sheet[f"{letter}{excel_row}"]
            cell.value = cells[name]
            cell.border = BORDER
            cell.alignment = Alignment(wrap_text=name in ("name", "comment"), vertical="top")
            editable = name == "comment" or (
                name in ("numerator", "denominator") if indicator.is_ratio else name == "value"
            )
            cell.fill = INPUT if editable else GREY
            if editable and name != "comment":
                key = (indicator.pk, name)
                if key not in validations:
                    validations[key] = _validation(indicator, part=name)
                validations[key].add(cell)
    for rule in validations.values():
        sheet.add_data_validation(rule)
    for letter, width in zip("ABCDEFGHIJ", (5, 12, 48, 12, 13, 13, 13, 13, 13, 40), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = f"D{FIRST_ROW}"
    meta = book.create_sheet(META_SHEET)
    metadata: tuple[tuple[str, str | int], ...] = (
        ("magic", MAGIC),
        ("form", form.code),
        ("unit", agency.edoc_code),
        ("unit_id", agency.pk),
        ("period", period.key),
        ("report", report.pk),
        ("lock_version", report.lock_version),
    )
    for name, value in metadata:
        meta.append([name, value])
    meta.sheet_state = "hidden"
    return _save(book)


def template_filename(report: Report) -> str:
    return f"bao-cao-{report.form.code}-{report.agency.edoc_code}-{report.period.key}.xlsx".lower()


@dataclass
class ParsedReport:
    """An uploaded template: figures by indicator code, the row of each, problems of the file."""

    values: dict[str, dict[str, object]] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    lock_version: int | None = None


def _open(file: IO[bytes]) -> Any:
    try:
        return load_workbook(file, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        return None


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _meta(book: Any) -> dict[str, str] | None:
    if META_SHEET not in book.sheetnames:
        return None
    sheet = book[META_SHEET]
    return {
        _text(row[0]): _text(row[1])
        for row in sheet.iter_rows(min_row=1, max_col=2, values_only=True)
        if row[0]
    }


def read_report(file: IO[bytes], *, report: Report) -> ParsedReport:
    """The figures of a filled template of ``report``, or the problems of the file."""
    parsed = ParsedReport()
    book = _open(file)
    if book is None:
        parsed.errors.append(RowError(0, "", _("Tệp không phải là tệp Excel (.xlsx) đọc được.")))
        return parsed
    meta = _meta(book)
    if meta is None or meta.get("magic") != MAGIC:
        parsed.errors.append(
            RowError(
                0,
                "",
                _(
                    "Tệp không phải mẫu báo cáo do congso tạo (thiếu trang ẩn “congso”). Hãy tải mẫu "
                    "Excel từ trang báo cáo rồi điền vào đó."
                ),
            )
        )
        return parsed
    expected = {"form": report.form.code, "unit_id": str(report.agency_id), "period": report.period.key}
    if any(meta.get(key) != value for key, value in expected.items()):
        parsed.errors.append(
            RowError(
                0,
                "",
                _(
                    "Tệp này là mẫu của biểu “%(form)s”, đơn vị mã %(unit)s, kỳ %(period)s — không phải của "
                    "báo cáo đang mở (%(here)s, %(here_period)s)."
                )
                % {
                    "form": meta.get("form", "?"),
                    "unit": meta.get("unit", "?"),
                    "period": meta.get("period", "?"),
                    "here": report.agency.name,
                    "here_period": report.period.label,
                },
            )
        )
        return parsed
    try:
        parsed.lock_version = int(meta.get("lock_version", ""))
    except ValueError:
        parsed.lock_version = None
    sheet = next((ws for ws in book.worksheets if ws.title != META_SHEET), None)
    if sheet is None or not _headers_match(sheet):
        parsed.errors.append(
            RowError(
                HEADER_ROW,
                "",
                _("Dòng tiêu đề đã bị sửa hoặc cột đã bị di chuyển; hãy dùng đúng mẫu tải từ congso."),
            )
        )
        return parsed
    known = {indicator.code for indicator in form_indicators(report.form)}
    columns = {name: COLUMNS[name][0] for name in ("code", *INPUT_FIELDS)}
    for number in range(FIRST_ROW, sheet.max_row + 1):
        cells = {name: sheet[f"{letter}{number}"].value for name, letter in columns.items()}
        code = _text(cells["code"])
        inputs = {name: cells[name] for name in INPUT_FIELDS}
        if not code:
            if any(_text(v) for v in inputs.values()):
                parsed.errors.append(RowError(number, column_title("code"), _("Thiếu mã chỉ tiêu.")))
            continue
        if code not in known:
            parsed.errors.append(
                RowError(
                    number,
                    column_title("code"),
                    _("Biểu “%(form)s” không có chỉ tiêu mã “%(code)s”.")
                    % {"form": report.form.name, "code": code},
                )
            )
            continue
        if code in parsed.rows:
            parsed.errors.append(
                RowError(
                    number,
                    column_title("code"),
                    _("Chỉ tiêu “%(code)s” đã có ở dòng %(row)d.") % {"code": code, "row": parsed.rows[code]},
                )
            )
            continue
        parsed.rows[code] = number
        parsed.values[code] = {
            name: (v if not isinstance(v, str) else v.strip()) for name, v in inputs.items()
        }
    return parsed


def _headers_match(sheet: Worksheet) -> bool:
    wanted = {name: COLUMNS[name] for name in ("code", *INPUT_FIELDS)}
    return all(_text(sheet[f"{letter}{HEADER_ROW}"].value) == header for letter, header in wanted.values())


# --- targets -----------------------------------------------------------------------------------


def targets_template(*, year: int, indicators: Iterable[Indicator], units: Iterable[Agency]) -> bytes:
    """The targets sheet of ``year``: one row per indicator for the province (every unit in
    ``units`` too for the indicators units report), the targets already set filled in."""
    year_period = period_get(Periodicity.YEAR, year)
    chosen = list(indicators)
    unit_list = list(units)
    existing = {
        (t.indicator_id, t.agency_id): t
        for t in Target.objects.filter(period=year_period, indicator__in=chosen)
    }
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Chỉ tiêu giao")
    sheet.append([_("CHỈ TIÊU GIAO NĂM %(year)d") % {"year": year}])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(
        [
            _(
                "Mỗi dòng: một chỉ tiêu giao cho một đơn vị trong một kỳ. Mã đơn vị là mã định danh điện tử "
                "(H40 là toàn tỉnh); kỳ ghi 2026 (năm), 2026-Q3 (quý), 2026-H1 (6 tháng), 2026-9M (9 tháng), "
                "2026-M07 (tháng). Cột tên chỉ để đọc. Dòng để trống giá trị thì bị bỏ qua."
            )
        ]
    )
    sheet.append([])
    headers = [header for _letter, header in TARGET_COLUMNS.values()]
    sheet.append(headers)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
        cell.border = BORDER
    reported_by: dict[int, set[str]] = {}
    for indicator in chosen:
        for kinds in indicator.report_forms.filter(is_active=True).values_list("reporting_kinds", flat=True):
            reported_by.setdefault(indicator.pk, set()).update(kinds or [])
    for indicator in chosen:
        for unit in unit_list:
            if unit.kind != Agency.Kind.PROVINCE and unit.kind not in reported_by.get(indicator.pk, set()):
                continue
            target = existing.get((indicator.pk, unit.pk))
            sheet.append(
                [
                    indicator.code,
                    indicator.name,
                    unit.edoc_code,
                    unit.name,
                    year_period.key,
                    _number(target.value) if target else None,
                    _number(target.baseline) if target and target.baseline is not None else None,
                    target.note if target else "",
                ]
            )
    for letter, width in zip("ABCDEFGH", (12, 48, 12, 36, 10, 14, 14, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A5"
    return _save(book)


@dataclass(frozen=True)
class TargetRow:
    row: int
    indicator: Indicator
    agency: Agency
    period: Period
    value: object
    baseline: object
    note: str


def _header_row(sheet: Worksheet) -> int | None:
    for number in range(1, min(sheet.max_row, 15) + 1):
        if _text(sheet[f"A{number}"].value) == TARGET_HEADER:
            return number
    return None


def read_targets(file: IO[bytes]) -> tuple[list[TargetRow], list[RowError]]:
    """The rows of a targets sheet, each resolved to its indicator, unit and period, and the
    problems found (unknown code, unit not active in the period, bad period)."""
    book = _open(file)
    if book is None:
        return [], [RowError(0, "", _("Tệp không phải là tệp Excel (.xlsx) đọc được."))]
    sheet = next((ws for ws in book.worksheets if ws.sheet_state == "visible"), None)
    header = _header_row(sheet) if sheet is not None else None
    if sheet is None or header is None:
        return [], [
            RowError(
                0,
                "",
                _("Không thấy dòng tiêu đề có cột “%(h)s”; hãy dùng mẫu tải từ congso.")
                % {"h": TARGET_HEADER},
            )
        ]
    indicators = {i.code: i for i in Indicator.objects.all()}
    rows: list[TargetRow] = []
    errors: list[RowError] = []
    letters = {name: letter for name, (letter, _h) in TARGET_COLUMNS.items()}
    for number in range(header + 1, sheet.max_row + 1):
        cells = {name: sheet[f"{letter}{number}"].value for name, letter in letters.items()}
        if not any(_text(cells[n]) for n in ("indicator", "agency", "period", "value", "baseline")):
            continue
        if not _text(cells["value"]) and not _text(cells["baseline"]):
            continue  # a row of the template left blank: no target to set
        problems: list[RowError] = []
        code = _text(cells["indicator"])
        indicator = indicators.get(code)
        if indicator is None:
            problems.append(
                RowError(
                    number,
                    target_column_title("indicator"),
                    _("Không có chỉ tiêu mã “%(code)s”.") % {"code": code},
                )
                if code
                else RowError(number, target_column_title("indicator"), _("Thiếu mã chỉ tiêu."))
            )
        period: Period | None = None
        try:
            period = period_from_key(_text(cells["period"]))
        except ValueError as error:
            problems.append(RowError(number, target_column_title("period"), str(error)))
        unit_code = _text(cells["agency"])
        agency: Agency | None = None
        if not unit_code:
            problems.append(RowError(number, target_column_title("agency"), _("Thiếu mã đơn vị.")))
        elif period is not None:
            agency = agency_on(code=unit_code, on=period.end)
            if agency is None:
                problems.append(
                    RowError(
                        number,
                        target_column_title("agency"),
                        _("Không có đơn vị mã “%(code)s” hoạt động vào cuối kỳ %(period)s.")
                        % {"code": unit_code, "period": period_in_text(period)},
                    )
                )
        note = _text(cells["note"])
        if problems or indicator is None or agency is None or period is None:
            errors.extend(problems)
            continue
        rows.append(
            TargetRow(
                row=number,
                indicator=indicator,
                agency=agency,
                period=period,
                value=cells["value"],
                baseline=cells["baseline"],
                note=note,
            )
        )
    return rows, errors
