"""Mẫu 06, the tracking book of a receiving point (Sổ theo dõi hồ sơ), as PDF (A4 landscape)
and as an Excel workbook, for a year or any date range.

The columns are those of checklist 35 (tthc-requirements.md §2, [U] for their exact
wording): STT, mã hồ sơ, TTHC, số bộ, người nộp, địa chỉ/số điện thoại, cơ quan chủ trì giải
quyết, ngày nhận, ngày hẹn trả, ngày chuyển, ngày trả kết quả và ký nhận, ghi chú. The rows
are the dossiers the agency received in the period, in the order received, numbered from 01.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from agencies.models import Agency
from dossiers.errors import DossierInvalid
from dossiers.models import Dossier, Status
from dossiers.slips.decree30 import agency_header, date_text, local
from dossiers.slips.forms import TRACKING_BOOK, form_spec
from dossiers.slips.render import render_pdf

BOOK_LANGUAGE = "vi"


@dataclass(frozen=True)
class TrackingBookRow:
    """One line of the tracking book."""

    number: str
    code: str
    procedure: str
    sets: int
    applicant: str
    contact: str
    competent_agency: str
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    transferred_at: dt.datetime | None
    returned_at: dt.datetime | None
    notes: str


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _notes(dossier: Dossier) -> str:
    notes = [dossier.notes.strip()] if dossier.notes.strip() else []
    if dossier.apology_count:
        notes.append(_("Đã xin lỗi, hẹn lại ngày trả kết quả"))
    if dossier.finished_late:
        notes.append(_("Trả kết quả quá hạn"))
    if dossier.status in {Status.WITHDRAWN, Status.STOPPED, Status.NOT_ACCEPTED}:
        notes.append(str(dossier.get_status_display()))
    return "; ".join(notes)


def _check_period(start: dt.date, end: dt.date) -> None:
    if start > end:
        raise DossierInvalid(_("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc của kỳ theo dõi."))


def tracking_book_rows(*, agency: Agency, start: dt.date, end: dt.date) -> list[TrackingBookRow]:
    """The dossiers ``agency`` received from ``start`` to ``end`` (both included, local days)."""
    _check_period(start, end)
    dossiers = (
        Dossier.objects.filter(
            receiving_agency=agency,
            code__isnull=False,
            received_at__gte=_day_start(start),
            received_at__lt=_day_start(end + dt.timedelta(days=1)),
        )
        .select_related("procedure_version", "competent_agency")
        .order_by("received_at", "id")
    )
    rows = []
    for n, dossier in enumerate(dossiers, start=1):
        name = dossier.applicant_name
        if dossier.organization_name:
            name = f"{name} ({dossier.organization_name})"
        contact = "; ".join(part for part in (dossier.applicant_address, dossier.applicant_phone) if part)
        rows.append(
            TrackingBookRow(
                number=f"{n:02d}",
                code=dossier.code or "",
                procedure=dossier.procedure_version.name,
                sets=dossier.sets,
                applicant=name,
                contact=contact,
                competent_agency=dossier.competent_agency.name,
                received_at=dossier.received_at,
                due_at=dossier.due_at,
                transferred_at=dossier.transferred_at,
                returned_at=dossier.returned_at,
                notes=_notes(dossier),
            )
        )
    return rows


def period_text(start: dt.date, end: dt.date) -> str:
    """ "Năm 2026" for a calendar year, otherwise "Từ ngày 01/03/2026 đến ngày 31/03/2026"."""
    if start == dt.date(start.year, 1, 1) and end == dt.date(start.year, 12, 31):
        return _("Năm %(year)s") % {"year": start.year}
    return _("Từ ngày %(start)s đến ngày %(end)s") % {
        "start": start.strftime("%d/%m/%Y"),
        "end": end.strftime("%d/%m/%Y"),
    }


def _when(instant: dt.datetime | None) -> str:
    moment = local(instant)
    return f"{moment:%H:%M} {date_text(moment)}" if moment else ""


def tracking_book_pdf(*, agency: Agency, start: dt.date, end: dt.date) -> bytes:
    """Mẫu 06 for ``agency`` and the period, A4 landscape."""
    spec = form_spec(TRACKING_BOOK)
    with translation.override(BOOK_LANGUAGE):
        rows = tracking_book_rows(agency=agency, start=start, end=end)
        header = agency_header(agency)
        context = {
            "c": {"header": {"parent": header.parent, "issuer": header.issuer}, "title": str(spec.title)},
            "period": period_text(start, end),
            "rows": [
                {
                    "row": row,
                    "received": _when(row.received_at),
                    "due": _when(row.due_at),
                    "transferred": _when(row.transferred_at),
                    "returned": _when(row.returned_at),
                }
                for row in rows
            ],
        }
        return render_pdf(template=spec.template, paper=spec.paper, context=context)


COLUMNS: tuple[tuple[str, int], ...] = (
    (gettext_noop("STT"), 6),
    (gettext_noop("Mã hồ sơ"), 26),
    (gettext_noop("Tên thủ tục hành chính"), 40),
    (gettext_noop("Số lượng hồ sơ (bộ)"), 9),
    (gettext_noop("Tên người nộp hồ sơ"), 24),
    (gettext_noop("Địa chỉ, số điện thoại"), 30),
    (gettext_noop("Cơ quan chủ trì giải quyết"), 28),
    (gettext_noop("Ngày, giờ nhận hồ sơ"), 17),
    (gettext_noop("Ngày, giờ hẹn trả kết quả"), 17),
    (gettext_noop("Ngày, giờ chuyển hồ sơ đến cơ quan giải quyết"), 17),
    (gettext_noop("Ngày, giờ trả kết quả"), 17),
    (gettext_noop("Ký nhận kết quả"), 14),
    (gettext_noop("Ghi chú"), 24),
)


def _naive_local(instant: dt.datetime | None) -> dt.datetime | None:
    moment = local(instant)
    return moment.replace(tzinfo=None) if moment else None


def tracking_book_xlsx(*, agency: Agency, start: dt.date, end: dt.date) -> bytes:
    """Mẫu 06 as an Excel workbook: the same rows, dates as real date-times (dd/mm/yyyy hh:mm)."""
    with translation.override(BOOK_LANGUAGE):
        rows = tracking_book_rows(agency=agency, start=start, end=end)
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = _("Sổ theo dõi hồ sơ")[:31]
        bold = Font(name="Times New Roman", size=12, bold=True)
        plain = Font(name="Times New Roman", size=11)
        thin = Side(style="thin")
        box = Border(left=thin, right=thin, top=thin, bottom=thin)
        wrap = Alignment(wrap_text=True, vertical="top")
        last = get_column_letter(len(COLUMNS))
        for line, text in enumerate(
            (agency.name.upper(), _("Sổ theo dõi hồ sơ").upper(), period_text(start, end)), start=1
        ):
            sheet.merge_cells(f"A{line}:{last}{line}")
            cell = sheet.cell(row=line, column=1, value=text)
            cell.font = bold
            cell.alignment = Alignment(horizontal="center")
        head = 5
        for column, (title, width) in enumerate(COLUMNS, start=1):
            cell = sheet.cell(row=head, column=column, value=_(title))
            cell.font = bold
            cell.border = box
            cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
            sheet.column_dimensions[get_column_letter(column)].width = width
        for offset, row in enumerate(rows, start=1):
            values: list[str | int | dt.datetime | None] = [
                row.number,
                row.code,
                row.procedure,
                row.sets,
                row.applicant,
                row.contact,
                row.competent_agency,
                _naive_local(row.received_at),
                _naive_local(row.due_at),
                _naive_local(row.transferred_at),
                _naive_local(row.returned_at),
                "",
                row.notes,
            ]
            for column, value in enumerate(values, start=1):
                cell = sheet.cell(row=head + offset, column=column, value=value)
                cell.font = plain
                cell.border = box
                cell.alignment = wrap
                if isinstance(value, dt.datetime):
                    cell.number_format = "dd/mm/yyyy hh:mm"
        sheet.freeze_panes = f"A{head + 1}"
        sheet.print_title_rows = f"{head}:{head}"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
