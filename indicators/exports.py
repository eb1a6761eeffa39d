"""The operations centre's figures as files: Excel workbooks of any view (openpyxl), the quarterly
briefing report as a Vietnamese PDF (WeasyPrint, through the slips' renderer: Liberation Serif
embedded, Decree 30 header), and the list of dossiers behind a figure as a background export
with progress (``ExportJob``), written row by row in openpyxl's write-only mode.

Every file says which period and unit it holds (a filter header), and takes its figures from
``indicators.dashboard`` — the same objects the pages render — so a page and its export agree.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from accounts.models import User
from accounts.permissions import staff_agency_ids
from agencies.models import Agency
from congso import jobs
from dossiers.models import Dossier
from dossiers.slips.decree30 import agency_header, place_date_line, place_for, province_place
from dossiers.slips.render import render_pdf
from indicators import selectors
from indicators.dashboard import Comparison, IndicatorView, Overview
from indicators.formatting import change_text, decimals_of, rounded, status_label, value_text
from indicators.models import ExportJob, Indicator, Period, Unit
from indicators.periods import period_from_key
from indicators.selectors import Figure

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOSSIERS_KIND = "dossiers"
PROGRESS_EVERY = 1000
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
WRAP = Alignment(wrap_text=True, vertical="top")


def _number(indicator: Indicator, value: Decimal | None) -> float | int | None:
    """The figure as an Excel number, rounded as the page shows it."""
    if value is None:
        return None
    amount = rounded(value, decimals_of(indicator))
    return int(amount) if decimals_of(indicator) == 0 else float(amount)


def _number_format(indicator: Indicator) -> str:
    places = decimals_of(indicator)
    return "#,##0" + ("." + "0" * places if places else "")


def _unit_label(indicator: Indicator) -> str:
    return str(Unit(indicator.unit).label)


def _header(sheet: Worksheet, title: str, lines: Iterable[str]) -> None:
    sheet.append([title])
    sheet.cell(row=sheet.max_row, column=1).font = TITLE
    for line in lines:
        sheet.append([line])
    sheet.append([])


def filter_lines(*, period: Period, agency: Agency | None, as_of: dt.datetime | None = None) -> list[str]:
    """The filter header every export carries."""
    lines = [
        _("Kỳ báo cáo: %(period)s (từ %(start)s đến %(end)s)")
        % {"period": period.label, "start": f"{period.start:%d/%m/%Y}", "end": f"{period.end:%d/%m/%Y}"},
        _("Đơn vị: %(unit)s") % {"unit": agency.name if agency else _("Toàn tỉnh")},
    ]
    if as_of is not None:
        lines.append(
            _("Số liệu hồ sơ cập nhật lúc %(at)s") % {"at": f"{timezone.localtime(as_of):%H:%M %d/%m/%Y}"}
        )
    lines.append(_("Xuất lúc %(at)s") % {"at": f"{timezone.localtime():%H:%M %d/%m/%Y}"})
    return lines


def _table(sheet: Worksheet, headers: list[str], rows: Iterable[tuple[list[Any], Indicator | None]]) -> None:
    """Headers in bold, then rows; the figure columns (Excel numbers) get the indicator's format."""
    sheet.append(headers)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = BOLD
        cell.alignment = WRAP
    for values, indicator in rows:
        sheet.append(values)
        if indicator is None:
            continue
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, float | int) and not isinstance(cell.value, bool):
                cell.number_format = _number_format(indicator)


def _widths(sheet: Worksheet, widths: list[int]) -> None:
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


COMPARISON_HEADERS = [
    "STT",
    "Mã",
    "Chỉ tiêu",
    "Đơn vị tính",
    "Kết quả",
    "Chỉ tiêu giao",
    "Tiến độ cần đạt",
    "Đánh giá",
    "Kỳ trước",
    "Kết quả kỳ trước",
    "Tăng, giảm so với kỳ trước",
    "Cùng kỳ năm trước",
    "Kết quả cùng kỳ năm trước",
    "Tăng, giảm so với cùng kỳ",
    "Tử số",
    "Mẫu số",
]


def _comparison_row(index: int, row: Comparison) -> list[Any]:
    f, ind = row.current, row.indicator
    return [
        index,
        ind.code,
        ind.name,
        _unit_label(ind),
        _number(ind, f.value),
        _number(ind, f.target),
        _number(ind, f.expected),
        status_label(f.status),
        row.previous.period.label,
        _number(ind, row.previous.value),
        change_text(ind, row.change_previous),
        row.last_year.period.label,
        _number(ind, row.last_year.value),
        change_text(ind, row.change_last_year),
        None if f.numerator is None else float(f.numerator),
        None if f.denominator is None else float(f.denominator),
    ]


def _save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def overview_xlsx(data: Overview) -> bytes:
    """The overview (province or unit): all figures with comparisons; the lagging ones; 766."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Chỉ tiêu")
    lines = filter_lines(period=data.period, agency=data.agency, as_of=data.as_of)
    _header(sheet, _("KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU"), [*lines, "; ".join(c.phrase for c in data.counts)])
    _table(
        sheet,
        COMPARISON_HEADERS,
        ((_comparison_row(i, row), row.indicator) for i, row in enumerate(data.rows, start=1)),
    )
    _widths(sheet, [6, 10, 60, 12, 14, 14, 14, 22, 16, 14, 22, 16, 14, 22, 14, 14])

    lagging = book.create_sheet(_("Chỉ tiêu chậm"))
    _header(lagging, _("CÁC CHỈ TIÊU CHƯA ĐẠT, CÓ NGUY CƠ KHÔNG ĐẠT"), lines)
    _table(
        lagging,
        COMPARISON_HEADERS,
        ((_comparison_row(i, row), row.indicator) for i, row in enumerate(data.lagging, start=1)),
    )
    _widths(lagging, [6, 10, 60, 12, 14, 14, 14, 22, 16, 14, 22, 16, 14, 22, 14, 14])

    if data.groups:
        groups = book.create_sheet(_("Bộ chỉ số 766"))
        _header(groups, _("BỘ CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP (QUYẾT ĐỊNH 766/QĐ-TTg)"), lines)
        _table(
            groups,
            ["Mã nhóm", "Nhóm chỉ số", "Điểm đạt", "Điểm tối đa", "Chỉ số có số liệu", "Tổng số chỉ số"],
            (
                (
                    [
                        g.group.code,
                        g.group.name,
                        None if g.points is None else float(rounded(g.points, 2)),
                        None if g.max_points is None else float(rounded(g.max_points, 2)),
                        g.indicators_scored,
                        g.indicators_total,
                    ],
                    None,
                )
                for g in data.groups
            ),
        )
        _widths(groups, [10, 60, 12, 12, 16, 14])
    return _save(book)


def indicator_xlsx(view: IndicatorView) -> bytes:
    """One indicator: its series, then the units ranked with their comparisons."""
    ind = view.indicator
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Diễn biến")
    lines = [
        f"{ind.code} — {ind.name} ({_unit_label(ind)})",
        *filter_lines(period=view.period, agency=view.agency),
    ]
    _header(sheet, _("DIỄN BIẾN CHỈ TIÊU QUA CÁC KỲ"), lines)
    _table(
        sheet,
        ["Kỳ", "Kết quả", "Chỉ tiêu giao", "Đánh giá", "Tử số", "Mẫu số"],
        (([f.period.label, *_figure_cells(f)], ind) for f in view.series),
    )
    _widths(sheet, [22, 14, 14, 22, 14, 14])
    ranking = book.create_sheet(_("Xếp hạng đơn vị"))
    _header(ranking, _("XẾP HẠNG CÁC ĐƠN VỊ"), lines)
    _table(
        ranking,
        [
            "Hạng",
            "Đơn vị",
            "Kết quả",
            "Chỉ tiêu giao",
            "Đánh giá",
            "Tử số",
            "Mẫu số",
            "Kỳ trước",
            "Cùng kỳ năm trước",
        ],
        (
            (
                [
                    r.rank if r.figure.value is not None else None,
                    r.figure.agency.name if r.figure.agency else "",
                    *_figure_cells(r.figure),
                    _number(ind, r.previous.value) if r.previous else None,
                    _number(ind, r.last_year.value) if r.last_year else None,
                ],
                ind,
            )
            for r in view.ranking
        ),
    )
    _widths(ranking, [8, 44, 14, 14, 22, 14, 14, 14, 16])
    return _save(book)


def _figure_cells(f: Figure) -> list[Any]:
    return [
        _number(f.indicator, f.value),
        _number(f.indicator, f.target),
        status_label(f.status),
        None if f.numerator is None else float(f.numerator),
        None if f.denominator is None else float(f.denominator),
    ]


# --- The briefing report (PDF) ------------------------------------------------------------------


def _issuer(user: User) -> Agency | None:
    """The agency named at the head of the briefing: one of the person's (first by kind, then name)."""
    return (
        Agency.objects.filter(pk__in=staff_agency_ids(user))
        .select_related("parent")
        .order_by("kind", "name")
        .first()
    )


def briefing_title(period: Period) -> str:
    """ "BÁO CÁO GIAO BAN QUÝ I/2026", "… 6 THÁNG ĐẦU NĂM 2026"."""
    return _("Báo cáo giao ban %(period)s") % {"period": period.label[0].lower() + period.label[1:]}


def briefing_pdf(data: Overview, *, user: User) -> bytes:
    """The quarterly "giao ban" report: the figures with targets and status, the lagging ones, the
    comparison with the previous period and the same period last year, the 766 scores."""
    issuer = _issuer(user)
    header = agency_header(issuer) if issuer is not None else None
    place = place_for(issuer) if issuer is not None else province_place()
    rows: list[dict[str, Any]] = [
        {
            "row": row,
            "value": value_text(row.indicator, row.current.value),
            "target": value_text(row.indicator, row.current.target),
            "status": status_label(row.current.status),
            "previous": value_text(row.indicator, row.previous.value),
            "change_previous": change_text(row.indicator, row.change_previous),
            "last_year": value_text(row.indicator, row.last_year.value),
            "change_last_year": change_text(row.indicator, row.change_last_year),
        }
        for row in data.rows
    ]
    lagging_codes = {row.indicator.code for row in data.lagging}
    context = {
        "o": data,
        "title": briefing_title(data.period),
        "header": header,
        "date_line": place_date_line(place, timezone.localdate()),
        "filters": filter_lines(period=data.period, agency=data.agency, as_of=data.as_of),
        "rows": rows,
        "lagging": [r for r in rows if r["row"].indicator.code in lagging_codes],
        "counts": [c for c in data.counts if c.count],
    }
    return render_pdf(template="indicators/exports/briefing_pdf.html", paper="A4 landscape", context=context)


def briefing_filename(period: Period, agency: Agency | None) -> str:
    suffix = f"-{agency.edoc_code}" if agency is not None and agency.edoc_code else ""
    return f"bao-cao-giao-ban-{period.key}{suffix}.pdf"


def xlsx_filename(stem: str, period: Period, agency: Agency | None) -> str:
    suffix = f"-{agency.edoc_code}" if agency is not None and agency.edoc_code else ""
    return f"{stem}-{period.key}{suffix}.xlsx"


# --- The dossiers behind a figure: a background export with progress ----------------------------

DOSSIER_HEADERS = [
    "STT",
    "Mã hồ sơ",
    "Thủ tục",
    "Nơi tiếp nhận",
    "Cơ quan giải quyết",
    "Hình thức nộp",
    "Tiếp nhận lúc",
    "Hẹn trả",
    "Có kết quả lúc",
    "Trả kết quả quá hạn",
    "Trạng thái",
]


@dataclass(frozen=True)
class DossierExport:
    """What an export of the dossiers behind a figure is about (kept in ``ExportJob.params``)."""

    indicator: Indicator
    period: Period
    agency: Agency | None
    part: str

    def params(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator.code,
            "period": self.period.key,
            "unit": self.agency.pk if self.agency else None,
            "part": self.part,
        }

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> DossierExport:
        unit = params.get("unit")
        return cls(
            indicator=Indicator.objects.get(code=params["indicator"]),
            period=period_from_key(params["period"]),
            agency=Agency.objects.get(pk=unit) if unit else None,
            part=params["part"],
        )

    def dossiers(self) -> Any:
        return selectors.drilldown_dossiers(
            indicator=self.indicator, period=self.period, agency=self.agency, part=self.part
        )


def export_job_create(*, user: User, export: DossierExport) -> ExportJob:
    """Queue the export; the job row and the export row commit together."""
    with transaction.atomic():
        job = ExportJob.objects.create(kind=DOSSIERS_KIND, params=export.params(), requested_by=user)
        jobs.enqueue("indicators.export_tasks.export_dossiers", export_id=job.pk)
    return job


def _local(instant: dt.datetime | None) -> str:
    return f"{timezone.localtime(instant):%H:%M %d/%m/%Y}" if instant else ""


def _dossier_rows(export: DossierExport) -> Iterator[list[Any]]:
    rows = (
        export.dossiers()
        .order_by("-received_at", "-pk")
        .values_list(
            "code",
            "reference",
            "procedure_version__name",
            "receiving_agency__name",
            "competent_agency__name",
            "channel",
            "received_at",
            "due_at",
            "resolved_at",
            "finished_late",
            "status",
        )
    )
    channels = dict(Dossier._meta.get_field("channel").flatchoices)
    statuses = dict(Dossier._meta.get_field("status").flatchoices)
    # A server-side cursor is planned for its first rows unless told otherwise; the export reads
    # them all, and the fast-start plan (a backward scan of the whole date index) was 5x slower.
    tuned = _cursor_reads_everything(True)
    try:
        for index, row in enumerate(rows.iterator(chunk_size=2000), start=1):
            (code, reference, procedure, receiving, competent, channel) = row[:6]
            (received, due, resolved, late, status) = row[6:]
            yield [
                index,
                code or reference,
                procedure,
                receiving,
                competent,
                str(channels.get(channel, channel)),
                _local(received),
                _local(due),
                _local(resolved),
                _("Có") if late else ("" if late is None else _("Không")),
                str(statuses.get(status, status)),
            ]
    finally:
        if tuned:
            _cursor_reads_everything(False)


def _cursor_reads_everything(on: bool) -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SET cursor_tuple_fraction = 1.0" if on else "RESET cursor_tuple_fraction")
    return True


def export_run(*, job: ExportJob) -> None:
    """Write the workbook row by row (write-only: memory stays flat at 100,000 rows), recording
    progress every ``PROGRESS_EVERY`` rows so that the progress page can show it."""
    export = DossierExport.from_params(job.params)
    total = export.dossiers().count()
    ExportJob.objects.filter(pk=job.pk).update(state=ExportJob.State.RUNNING, total=total, done=0, error="")
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Hồ sơ"))
    ind = export.indicator
    part = ind.numerator_label if export.part == "numerator" else ind.denominator_label
    sheet.append([f"{ind.code} — {ind.name}"])
    sheet.append([_("Danh sách hồ sơ: %(part)s") % {"part": part or export.part}])
    for line in filter_lines(period=export.period, agency=export.agency):
        sheet.append([line])
    sheet.append([])
    sheet.append(DOSSIER_HEADERS)
    done = 0
    for done, values in enumerate(_dossier_rows(export), start=1):
        sheet.append(values)
        if done % PROGRESS_EVERY == 0:
            ExportJob.objects.filter(pk=job.pk).update(done=done)
    buffer = io.BytesIO()
    book.save(buffer)
    name = xlsx_filename(f"ho-so-{ind.code.lower()}-{export.part}", export.period, export.agency)
    job.file.save(name, ContentFile(buffer.getvalue()), save=False)
    ExportJob.objects.filter(pk=job.pk).update(
        state=ExportJob.State.DONE,
        done=done,
        total=max(total, done),
        file=job.file.name,
        finished_at=timezone.now(),
    )


def export_fail(*, job: ExportJob, error: str) -> None:
    ExportJob.objects.filter(pk=job.pk).update(
        state=ExportJob.State.FAILED, error=error[:2000], finished_at=timezone.now()
    )
