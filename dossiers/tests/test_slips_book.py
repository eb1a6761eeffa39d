"""Mẫu 06, the tracking book of a desk: the dossiers it received in a year or a date range,
numbered from 01, as an A4 landscape PDF and as an Excel workbook."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from agencies.tests.factories import AgencyFactory
from dossiers.errors import DossierInvalid
from dossiers.slips import tracking_book_pdf, tracking_book_rows, tracking_book_xlsx
from dossiers.tests.test_slips_pdf import (
    VN,
    assert_decree30_layout,
    department,
    desk,
    make_dossier,
    pdf_text,
)

__all__ = ["department", "desk"]  # fixtures shared with test_slips_pdf

A4_LANDSCAPE = (841.89, 595.28)
YEAR = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


@pytest.fixture
def book(desk, department, other_agency):
    """Five dossiers around the year 2026 at ``desk``, one at another desk."""
    elsewhere = AgencyFactory(name="Bộ phận một cửa xã Đồng Đăng", kind="one_stop_desk", parent=other_agency)

    def received(code, when, at=desk, **fields):
        return make_dossier(at, department, code=code, received=when, **fields)

    received("000.01.10.H40-251231-0001", dt.datetime(2025, 12, 31, 16, 0, tzinfo=VN))  # last year
    late = received(
        "000.01.10.H40-261231-0001",
        dt.datetime(2026, 12, 31, 23, 0, tzinfo=VN),
        notes="Người nộp xin nhận qua bưu điện",
    )
    first = received(
        "000.01.10.H40-260105-0001",
        dt.datetime(2026, 1, 5, 8, 15, tzinfo=VN),
        transferred_at=dt.datetime(2026, 1, 5, 14, 0, tzinfo=VN),
        returned_at=dt.datetime(2026, 1, 9, 10, 0, tzinfo=VN),
        status="returned",
    )
    march = received(
        "000.01.10.H40-260302-0001",
        dt.datetime(2026, 3, 2, 9, 0, tzinfo=VN),
        apology_count=1,
        finished_late=True,
        sets=2,
        organization_name="Công ty TNHH Hoa Mai",
    )
    received("000.01.10.H40-270101-0001", dt.datetime(2027, 1, 1, 0, 30, tzinfo=VN))  # next year
    received("000.02.10.H40-260105-0001", dt.datetime(2026, 1, 5, 8, 0, tzinfo=VN), at=elsewhere)
    return first, march, late


@pytest.mark.django_db
def test_the_book_lists_the_dossiers_received_in_the_year_in_order_from_01(desk, book):
    first, march, late = book

    rows = tracking_book_rows(agency=desk, start=YEAR[0], end=YEAR[1])

    assert [(row.number, row.code) for row in rows] == [
        ("01", first.code),
        ("02", march.code),
        ("03", late.code),
    ]
    row = rows[0]
    assert row.procedure == "Cấp bản sao trích lục hộ tịch"
    assert row.sets == 1
    assert row.applicant == "Hoàng Thị Lan"
    assert row.contact == "Số 12 đường Lê Lợi, phường Tam Thanh; 0912345678"
    assert row.competent_agency == "Sở Tư pháp"
    assert row.received_at == dt.datetime(2026, 1, 5, 8, 15, tzinfo=VN)
    assert row.due_at == first.due_at
    assert row.transferred_at == dt.datetime(2026, 1, 5, 14, 0, tzinfo=VN)
    assert row.returned_at == dt.datetime(2026, 1, 9, 10, 0, tzinfo=VN)
    assert rows[1].applicant == "Hoàng Thị Lan (Công ty TNHH Hoa Mai)"
    assert rows[1].sets == 2
    assert rows[1].notes == "Đã xin lỗi, hẹn lại ngày trả kết quả; Trả kết quả quá hạn"
    assert rows[2].notes == "Người nộp xin nhận qua bưu điện"


@pytest.mark.django_db
def test_a_date_range_is_numbered_from_01_too(desk, book):
    _first, march, _late = book

    rows = tracking_book_rows(agency=desk, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31))

    assert [(row.number, row.code) for row in rows] == [("01", march.code)]


@pytest.mark.django_db
def test_a_period_that_ends_before_it_starts_is_refused(desk):
    with pytest.raises(DossierInvalid, match="Ngày bắt đầu phải trước"):
        tracking_book_rows(agency=desk, start=dt.date(2026, 3, 31), end=dt.date(2026, 3, 1))


@pytest.mark.django_db
def test_the_book_pdf_is_a4_landscape_with_the_columns_and_the_rows(desk, book):
    first, march, late = book

    pdf = tracking_book_pdf(agency=desk, start=YEAR[0], end=YEAR[1])
    text = pdf_text(pdf)

    assert_decree30_layout(text, pdf, paper=A4_LANDSCAPE)
    assert "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG PHƯỜNG TAM THANH" in text
    assert "SỔ THEO DÕI HỒ SƠ" in text
    assert "Năm 2026" in text
    for column in (
        "STT",
        "Mã hồ sơ",
        "Tên thủ tục hành chính",
        "Số bộ hồ sơ",
        "Tên người nộp hồ sơ",
        "Địa chỉ, số điện thoại",
        "Cơ quan chủ trì giải quyết",
        "Ngày nhận hồ sơ",
        "Ngày hẹn trả kết quả",
        "Ngày chuyển hồ sơ",
        "Ngày trả kết quả và ký nhận",
        "Ghi chú",
    ):
        assert column in text, column
    squeezed = text.replace(" ", "")
    for dossier in (first, march, late):
        assert dossier.code in squeezed
    assert "000.01.10.H40-251231-0001" not in squeezed
    assert "08:15 05/01/2026" in text
    assert "10:00 09/01/2026" in text  # returned
    assert "Trang 1/1" in text  # a register's pages are numbered


@pytest.mark.django_db
def test_the_book_pdf_of_a_range_names_the_range(desk, book):
    text = pdf_text(tracking_book_pdf(agency=desk, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31)))

    assert "Từ ngày 01/03/2026 đến ngày 31/03/2026" in text


@pytest.mark.django_db
def test_the_book_opens_in_excel_with_one_row_per_dossier(desk, book):
    first, march, late = book

    workbook = load_workbook(io.BytesIO(tracking_book_xlsx(agency=desk, start=YEAR[0], end=YEAR[1])))
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)

    assert sheet["A2"].value == "SỔ THEO DÕI HỒ SƠ"
    assert sheet["A3"].value == "Năm 2026"
    header = [cell.value for cell in sheet[5]]
    assert header[:3] == ["STT", "Mã hồ sơ", "Tên thủ tục hành chính"]
    assert "Ngày, giờ trả kết quả" in header
    assert header[-1] == "Ghi chú"
    data = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=6)]
    assert [(row[0], row[1]) for row in data] == [("01", first.code), ("02", march.code), ("03", late.code)]
    assert data[0][7] == dt.datetime(2026, 1, 5, 8, 15)  # a real date-time, local time
    assert sheet.cell(row=6, column=8).number_format == "dd/mm/yyyy hh:mm"
    assert data[0][10] == dt.datetime(2026, 1, 9, 10, 0)
    assert data[1][3] == 2
    assert data[1][12] == "Đã xin lỗi, hẹn lại ngày trả kết quả; Trả kết quả quá hạn"
