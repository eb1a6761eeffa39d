"""The spreadsheet exported from the national database of administrative procedures.

The export of the Cơ sở dữ liệu quốc gia về TTHC (csdl.dichvucong.gov.vn) has one row per
procedure, in Vietnamese, with free text in several columns. The columns read (header
case, accents, punctuation and the order of columns do not matter; title rows above the
header are skipped) are listed in ``COLUMNS`` and in catalog/IMPORT.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from unidecode import unidecode

from catalog.importing.rows import ProcedureRow, RowError, parse_date
from catalog.search.text import fold


@dataclass(frozen=True)
class Column:
    key: str
    headers: tuple[str, ...]  # folded spellings accepted for the header
    required: bool = False
    title: str = ""


COLUMNS = (
    Column("code", ("ma thu tuc", "ma tthc", "ma so thu tuc", "ma so tthc"), True, "Mã thủ tục"),
    Column("name", ("ten thu tuc", "ten tthc", "ten thu tuc hanh chinh"), True, "Tên thủ tục"),
    Column("level", ("cap thuc hien", "cap giai quyet"), True, "Cấp thực hiện"),
    Column("sector_name", ("linh vuc", "ten linh vuc"), False, "Lĩnh vực"),
    Column("sector", ("ma linh vuc",), False, "Mã lĩnh vực"),
    Column(
        "agency",
        ("co quan thuc hien", "co quan giai quyet", "co quan co tham quyen", "co quan truc tiep thuc hien"),
        True,
        "Cơ quan thực hiện",
    ),
    Column("time", ("thoi han giai quyet", "thoi gian giai quyet"), True, "Thời hạn giải quyết"),
    Column("fees", ("phi le phi", "phi, le phi", "le phi", "phi"), False, "Phí, lệ phí"),
    Column("components", ("thanh phan ho so",), False, "Thành phần hồ sơ"),
    Column(
        "service_level",
        ("muc do", "muc do dvc", "muc do dich vu cong", "dich vu cong truc tuyen", "muc do dvctt"),
        False,
        "Mức độ / Dịch vụ công trực tuyến",
    ),
    Column("applicants", ("doi tuong thuc hien",), False, "Đối tượng thực hiện"),
    Column("steps", ("trinh tu thuc hien",), False, "Trình tự thực hiện"),
    Column("submission_channels", ("cach thuc thuc hien",), False, "Cách thức thực hiện"),
    Column("conditions", ("yeu cau dieu kien", "yeu cau dieu kien thuc hien"), False, "Yêu cầu, điều kiện"),
    Column("legal_basis", ("can cu phap ly",), False, "Căn cứ pháp lý"),
    Column("result", ("ket qua thuc hien", "ket qua"), True, "Kết quả thực hiện"),
    Column("keywords", ("tu khoa",), False, "Từ khóa"),
    Column("decision", ("quyet dinh cong bo", "so quyet dinh cong bo"), False, "Quyết định công bố"),
    Column("effective_from", ("ngay ap dung", "ap dung tu ngay", "ngay hieu luc"), False, "Ngày áp dụng"),
)
HEADER_SEARCH_ROWS = 15
_AMOUNT = re.compile(r"(\d{1,3}(?:[.,]\d{3})+|\d+)\s*(?:dong|d\b|vnd|vn\s*d)")
_BULLET = re.compile(r"^\s*(?:[-+•*–]+|\(?\d+[.)]|\(?[a-zđ][.)])\s*", re.IGNORECASE)
_TEMPLATE = re.compile(r"(M[ẫa]u(?:\s+s[ốo])?\s*[\w/.\-]*\d[\w/.\-]*)", re.IGNORECASE)


def _header_key(cell: Any) -> str | None:
    folded = fold(str(cell or ""))
    for column in COLUMNS:
        if folded in column.headers:
            return column.key
    return None


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip()
    return "" if value is None else value


def read_rows(path: Path, *, fmt: str, sheet: str | None = None) -> list[tuple[int, list[Any]]]:
    """(spreadsheet row number, cells) of every row of the file."""
    if fmt == "xlsx":
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
            return [
                (n, [_cell(v) for v in row]) for n, row in enumerate(worksheet.iter_rows(values_only=True), 1)
            ]
        finally:
            workbook.close()
    text = path.read_bytes().decode("utf-8-sig")
    # Vietnamese spreadsheets are saved with ";" as often as ",": take the delimiter under
    # which the most header cells are recognised (a header such as "Phí, lệ phí" fools sniffing).
    readings = []
    for delimiter in (",", ";", "\t"):
        rows = [
            (n, [_cell(v) for v in row])
            for n, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1)
        ]
        recognised = max(
            (sum(1 for c in cells if _header_key(c)) for _n, cells in rows[:HEADER_SEARCH_ROWS]), default=0
        )
        readings.append((recognised, rows))
    return max(readings, key=lambda reading: reading[0])[1]


def parse_time(text: str) -> tuple[str, str, str] | None:
    """ "10 ngày làm việc kể từ …" → ("10", "working_days", note); "Trong ngày" → ("1", …)."""
    plain = unidecode(text).lower()
    match = re.search(r"(\d+(?:[.,]\d+)?)\s*(ngay|gio)", plain)
    if match:
        number = match.group(1).replace(",", ".")
        unit = "working_hours" if match.group(2) == "gio" else "working_days"
    elif "trong ngay" in plain:
        number, unit = "1", "working_days"
    else:
        return None
    number = f"{Decimal(number).normalize():f}"
    canonical = f"{number.replace('.', ',')} {'giờ' if unit == 'working_hours' else 'ngày'} làm việc"
    note = "" if fold(text) == fold(canonical) else text[:500]
    return number, unit, note


def parse_fees(text: str) -> list[dict[str, Any]]:
    """ "Phí thẩm định: 500.000 đồng; Lệ phí: 100.000 đồng/giấy phép" → two fees."""
    fees: list[dict[str, Any]] = []
    for part in re.split(r"[;\n]+", text):
        part = _BULLET.sub("", part).strip()
        plain = unidecode(part).lower()
        amounts = [int(re.sub(r"[.,]", "", a)) for a in _AMOUNT.findall(plain)]
        if not part or not amounts:
            continue
        if fees and "truc tuyen" in plain and not re.search(r"\bphi\b", plain):
            fees[-1]["online_amount"] = amounts[0]  # "…; nộp trực tuyến: 250.000 đồng"
            continue
        kind = "charge" if "le phi" in plain else "fee"
        name = part.split(":")[0].strip() if ":" in part else ""
        if not name or len(name) > 255 or _AMOUNT.search(unidecode(name).lower()):
            name = "Lệ phí" if kind == "charge" else "Phí"
        counter, online = amounts[0], None
        if "truc tuyen" in plain and len(amounts) >= 2:
            counter, online = max(amounts[:2]), min(amounts[:2])
        fees.append({"kind": kind, "name": name, "counter_amount": counter, "online_amount": online})
    return fees


def parse_components(text: str) -> list[dict[str, Any]]:
    """One component per line; bullets and numbering dropped, "(bản sao)" read as one copy."""
    components: list[dict[str, Any]] = []
    for line in re.split(r"\n+", text):
        name = _BULLET.sub("", line).strip(" ;")
        plain = fold(name)
        if not name or plain.startswith(("so luong", "thanh phan ho so")) or plain.endswith("gom"):
            continue
        copy_only = "ban sao" in plain and "ban chinh" not in plain
        template = _TEMPLATE.search(name)
        components.append(
            {
                "name": name[:1000],
                "originals": 0 if copy_only else 1,
                "copies": 1 if copy_only else 0,
                "template_name": template.group(1).strip(" .,)") if template else "",
            }
        )
    return components


def parse_level(text: str) -> str | tuple[str] | None:
    plain = fold(text)
    province, commune, district = "tinh" in plain.split(), "xa" in plain.split(), "huyen" in plain.split()
    if province and not commune and not district:
        return "province"
    if commune and not province and not district:
        return "commune"
    if district and not (province or commune):
        return (_("Cấp huyện không còn từ 01/07/2025: ghi “Cấp tỉnh” hoặc “Cấp xã”."),)
    return None


def parse_service_level(text: str) -> str:
    plain = fold(text)
    if "toan trinh" in plain or re.search(r"\bmuc(?: do)? 4\b", plain):
        return "full_online"
    if "mot phan" in plain or re.search(r"\bmuc(?: do)? 3\b", plain):
        return "partial_online"
    return "counter_only"


def read_sheet(
    path: Path, *, fmt: str, sheet: str | None = None, effective_from: dt.date | None = None
) -> tuple[list[ProcedureRow], list[RowError]]:
    """The procedure rows of a national-catalogue export, in the JSON layout."""
    try:
        raw = read_rows(path, fmt=fmt, sheet=sheet)
    except (OSError, KeyError, ValueError, UnicodeDecodeError) as error:
        return [], [RowError(row=path.name, message=_("Không đọc được tệp: %(error)s") % {"error": error})]
    header_at, positions = None, {}
    for number, cells in raw[:HEADER_SEARCH_ROWS]:
        found = {key: i for i, cell in enumerate(cells) if (key := _header_key(cell))}
        if "code" in found and "name" in found:
            header_at, positions = number, found
            break
    if header_at is None:
        return [], [
            RowError(
                row=path.name, message=_("Không tìm thấy dòng tiêu đề có cột “Mã thủ tục” và “Tên thủ tục”.")
            )
        ]
    missing = [c.title for c in COLUMNS if c.required and c.key not in positions]
    if "sector" not in positions and "sector_name" not in positions:
        missing.append("Lĩnh vực / Mã lĩnh vực")
    if missing:
        return [], [
            RowError(
                row=_("Dòng %(n)s") % {"n": header_at},
                message=_("Thiếu cột: %(columns)s.") % {"columns": ", ".join(missing)},
            )
        ]
    rows: list[ProcedureRow] = []
    errors: list[RowError] = []
    for number, cells in raw:
        if number <= header_at or not any(str(c).strip() for c in cells):
            continue
        values = {key: cells[i] if i < len(cells) else "" for key, i in positions.items()}
        label = _("Dòng %(n)s") % {"n": number}
        row_errors: list[str] = []
        level = parse_level(str(values.get("level", "")))
        if isinstance(level, tuple):
            row_errors.append(level[0])
        elif level is None:
            row_errors.append(
                _("Cấp thực hiện “%(value)s” phải là “Cấp tỉnh” hoặc “Cấp xã” (một cấp mỗi dòng).")
                % {"value": values.get("level", "")}
            )
        time = parse_time(str(values.get("time", "")))
        if time is None:
            row_errors.append(
                _(
                    "Không đọc được thời hạn giải quyết “%(value)s” "
                    "(cần dạng “10 ngày làm việc” hoặc “8 giờ làm việc”)."
                )
                % {"value": values.get("time", "")}
            )
        date_value = values.get("effective_from") or effective_from
        try:
            day = parse_date(date_value)
        except ValueError:
            row_errors.append(
                _("Ngày áp dụng “%(value)s” không đúng dạng dd/mm/yyyy.") % {"value": date_value}
            )
            day = None
        if row_errors:
            errors.extend(RowError(row=label, message=m) for m in row_errors)
            continue
        assert time is not None
        assert isinstance(level, str)
        fee_text = str(values.get("fees", ""))
        data = {
            "code": str(values.get("code", "")),
            "name": str(values.get("name", "")),
            "sector": str(values.get("sector", "")),
            "sector_name": str(values.get("sector_name", "")),
            "level": level,
            "competent_agency": str(values.get("agency", "")).split(";")[0].split("\n")[0].strip(),
            "competent_authority": str(values.get("agency", ""))[:255],
            "service_level": parse_service_level(str(values.get("service_level", ""))),
            "processing_time": time[0],
            "processing_time_unit": time[1],
            "processing_time_note": time[2],
            "fees": parse_fees(fee_text),
            "fee_note": fee_text[:500],
            "components": parse_components(str(values.get("components", ""))),
            "workflow": None,
            "effective_from": day.isoformat() if day else None,
        }
        for key in (
            "applicants",
            "steps",
            "submission_channels",
            "conditions",
            "legal_basis",
            "result",
            "keywords",
            "decision",
        ):
            data[key] = str(values.get(key, ""))
        rows.append(ProcedureRow(label=label, data=data))
    return rows, errors
