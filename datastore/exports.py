"""The digitisation counters as the Excel file a provincial office sends on."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from datastore.digitisation import COUNTERS, CounterReport, CounterRow


def period_text(report: CounterReport) -> str:
    return _("Từ ngày %(start)s đến ngày %(end)s") % {
        "start": report.start.strftime("%d/%m/%Y"),
        "end": report.end.strftime("%d/%m/%Y"),
    }


def _rates(row: CounterRow) -> list[float | str]:
    return [("" if rate is None else rate) for rate in (row.digitised_rate, row.reuse_rate, row.result_rate)]


def counters_xlsx(report: CounterReport) -> bytes:
    """One sheet: STT, agency, the eight counters (their API names under the Vietnamese headers),
    the three rates, and a total row."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Số hóa")
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    sheet.append([_("THEO DÕI MỨC ĐỘ SỐ HÓA HỒ SƠ, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH")])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([period_text(report) + (f" — {report.agency.name}" if report.agency else "")])
    sheet.append([])
    headers = [
        _("STT"),
        _("Cơ quan giải quyết"),
        *[str(label) for _key, label in COUNTERS],
        _("Tỷ lệ số hóa thành phần (%)"),
        _("Tỷ lệ tái sử dụng (%)"),
        _("Tỷ lệ kết quả số hóa (%)"),
    ]
    sheet.append(headers)
    sheet.append(["", "", *[key for key, _label in COUNTERS], "", "", ""])
    for row_cells in (sheet[4], sheet[5]):
        for cell in row_cells:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
            cell.border = border
    for index, row in enumerate(report.rows, start=1):
        sheet.append([index, row.agency.name if row.agency else "", *row.in_order, *_rates(row)])
    sheet.append(["", _("Tổng cộng"), *report.total.in_order, *_rates(report.total)])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for data_row in sheet.iter_rows(min_row=6, max_row=sheet.max_row):
        for cell in data_row:
            cell.border = border
    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 40
    for column in range(3, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 16
    sheet.freeze_panes = "C6"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
