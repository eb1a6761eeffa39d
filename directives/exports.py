"""The task report as the files a provincial office sends: Excel (openpyxl) and a Vietnamese PDF
(WeasyPrint, Liberation Serif embedded as in the dossier slips, A4 landscape)."""

from __future__ import annotations

import functools
import io
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from directives.selectors import REPORT_COLUMNS, TaskReport

FONT_DIRS = ("/usr/share/fonts/truetype/liberation2", "/usr/share/fonts/truetype/liberation")
FONT_FILES = {
    "regular": "LiberationSerif-Regular.ttf",
    "bold": "LiberationSerif-Bold.ttf",
    "italic": "LiberationSerif-Italic.ttf",
}


def _period(report: TaskReport) -> str:
    return _("Từ ngày %(start)s đến ngày %(end)s (số liệu tính đến ngày %(as_of)s)") % {
        "start": report.start.strftime("%d/%m/%Y"),
        "end": report.end.strftime("%d/%m/%Y"),
        "as_of": report.as_of.strftime("%d/%m/%Y"),
    }


def report_xlsx(report: TaskReport) -> bytes:
    """One sheet: STT, agency, the five figures, the on-time rate; a total row; then the overdue tasks."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Tổng hợp")
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    headers = [
        _("STT"),
        _("Cơ quan, đơn vị"),
        *[str(label) for _key, label in REPORT_COLUMNS],
        _("Tỷ lệ đúng hạn (%)"),
    ]
    sheet.append([_("TÌNH HÌNH THỰC HIỆN NHIỆM VỤ ĐƯỢC GIAO")])
    sheet.append([_period(report)])
    sheet.append([])
    sheet.append(headers)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border = border
    for index, row in enumerate(report.rows, start=1):
        sheet.append([index, row.label, *row.values(), row.on_time_rate])
    sheet.append(["", report.total.label, *report.total.values(), report.total.on_time_rate])
    for row_cells in sheet.iter_rows(min_row=5, max_row=sheet.max_row):
        for cell in row_cells:
            cell.border = border
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    widths = [6, 42, 16, 16, 16, 16, 16, 14]
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    overdue = book.create_sheet(_("Nhiệm vụ quá hạn"))
    overdue.append([_("Cơ quan chủ trì"), _("Mục"), _("Nội dung"), _("Hạn"), _("Văn bản chỉ đạo")])
    for row in report.rows:
        for task in row.overdue_tasks:
            overdue.append(
                [
                    row.label,
                    task.number,
                    task.content,
                    task.due_on.strftime("%d/%m/%Y") if task.due_on else "",
                    str(task.directive),
                ]
            )
    for cell in overdue[1]:
        cell.font = Font(bold=True)
    for column, width in enumerate([36, 8, 80, 12, 50], start=1):
        overdue.column_dimensions[get_column_letter(column)].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@functools.cache
def _fonts() -> dict[str, str]:
    configured: str = getattr(settings, "CONGSO_SLIP_FONT_DIR", "")
    for folder in (configured,) if configured else FONT_DIRS:
        paths = {face: Path(folder) / name for face, name in FONT_FILES.items()}
        if all(path.is_file() for path in paths.values()):
            return {face: path.as_uri() for face, path in paths.items()}
    raise ImproperlyConfigured(
        "Liberation Serif not found: install the Debian package fonts-liberation2 or set CONGSO_SLIP_FONT_DIR"
    )


def report_html(report: TaskReport, *, issuer: str) -> str:
    context: dict[str, Any] = {
        "report": report,
        "columns": [label for _key, label in REPORT_COLUMNS],
        "period": _period(report),
        "issuer": issuer,
        "fonts": _fonts(),
    }
    return render_to_string("directives/report_pdf.html", context)


def report_pdf(report: TaskReport, *, issuer: str) -> bytes:
    from weasyprint import HTML  # type: ignore[import-untyped]

    document = HTML(
        string=report_html(report, issuer=issuer), base_url=str(getattr(settings, "BASE_DIR", "."))
    )
    return bytes(document.write_pdf())
