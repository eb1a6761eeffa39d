"""The per-agency report, its Excel and PDF files, and the overdue count."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from directives.exports import report_pdf, report_xlsx
from directives.models import Task
from directives.selectors import task_report
from directives.services import task_cancel, task_confirm, task_report_done, task_report_progress
from directives.tests.helpers import assigned_tasks

pytestmark = pytest.mark.django_db


def _descriptor(font: Any) -> Any:
    return font["/DescendantFonts"][0].get_object()["/FontDescriptor"]


AS_OF = dt.date(2025, 5, 10)


@pytest.fixture
def played(office):
    tasks = assigned_tasks(office)
    task_report_done(task=tasks["2.1"], actor=office.director, text="Xong.", reported_on=dt.date(2025, 4, 25))
    task_confirm(task=tasks["2.1"], actor=office.secretary)
    task_report_progress(task=tasks["2.2"], actor=office.specialist, percent=50, text="Đang làm.")
    # 2.3 (monthly, due 31/3/2025) is left overdue
    late = assigned_tasks(office)
    task_report_done(task=late["2.1"], actor=office.director, text="Xong.", reported_on=dt.date(2025, 5, 5))
    task_confirm(task=late["2.1"], actor=office.secretary)
    task_cancel(task=late["2.2"], actor=office.secretary, reason="Trùng nhiệm vụ.")
    task_cancel(task=late["2.3"], actor=office.secretary, reason="Trùng nhiệm vụ.")
    return tasks


def test_the_report_counts_assigned_done_on_time_late_in_progress_and_overdue(office, played):
    report = task_report(office.secretary, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31), today=AS_OF)

    (row,) = report.rows
    assert row.label == "Sở Khoa học và Công nghệ"
    assert row.values() == [4, 1, 1, 1, 1]
    assert [t.number for t in row.overdue_tasks] == ["2.3"]
    assert report.total.values() == [4, 1, 1, 1, 1]
    assert row.on_time_rate == "50,0"


def test_the_report_shows_each_person_only_the_tasks_they_may_see(office, played):
    # Sở Tài chính coordinates 2.2 only: its staff see that task, not the others.
    assert task_report(office.outsider, start=dt.date(2025, 1, 1), end=AS_OF, today=AS_OF).total.assigned == 1
    assert task_report(office.director, start=dt.date(2025, 1, 1), end=AS_OF, today=AS_OF).total.assigned == 4


def test_the_excel_file_has_the_table_and_the_overdue_tasks(office, played):
    report = task_report(office.secretary, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31), today=AS_OF)

    book = load_workbook(io.BytesIO(report_xlsx(report)))

    sheet = book["Tổng hợp"]
    assert sheet["A1"].value == "TÌNH HÌNH THỰC HIỆN NHIỆM VỤ ĐƯỢC GIAO"
    assert [c.value for c in sheet[4]][:3] == ["STT", "Cơ quan, đơn vị", "Tổng số nhiệm vụ được giao"]
    assert [c.value for c in sheet[5]] == [1, "Sở Khoa học và Công nghệ", 4, 1, 1, 1, 1, "50,0"]
    overdue = book["Nhiệm vụ quá hạn"]
    assert overdue["C2"].value == Task.objects.get(number="2.3", status="assigned").content
    assert overdue["D2"].value == "31/03/2025"


def test_the_pdf_is_in_vietnamese_with_the_font_embedded(office, played):
    report = task_report(office.secretary, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31), today=AS_OF)

    pdf = PdfReader(io.BytesIO(report_pdf(report, issuer="Văn phòng Ủy ban nhân dân tỉnh Lạng Sơn")))

    text = pdf.pages[0].extract_text()
    assert "TÌNH HÌNH THỰC HIỆN NHIỆM VỤ ĐƯỢC GIAO" in text
    assert "Sở Khoa học và Công nghệ" in text
    assert "Quá hạn chưa hoàn thành" in text
    resources: list[Any] = [page["/Resources"] for page in pdf.pages]
    fonts = [font.get_object() for found in resources for font in found["/Font"].values()]
    names = {str(font["/BaseFont"]) for font in fonts}
    assert all("+Congso-Serif" in name for name in names), names  # the @font-face of Liberation Serif
    embedded = [font for font in fonts if "/FontFile2" in _descriptor(font)]
    assert embedded == fonts
