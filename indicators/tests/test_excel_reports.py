"""The Excel template of a report: generated with the previous value and the target, filled in
offline, read back; a wrong row leaves nothing imported and says which row, column and why."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook, load_workbook

from indicators import excel, services
from indicators.models import Periodicity, ReportEvent, ReportValue
from indicators.periods import period_get
from indicators.tests.report_factories import GOOD, World, build_world

pytestmark = pytest.mark.django_db

FIRST = excel.FIRST_ROW  # HT-01, then HT-03, then XH-01


@pytest.fixture
def world(agency, other_agency, specialist, clerk_other_agency) -> World:
    return build_world(
        agency=agency, other_agency=other_agency, officer=specialist, other_officer=clerk_other_agency
    )


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _download(client: Client, report) -> Workbook:
    response = client.get(f"/can-bo/chi-so/bao-cao/{report.pk}/mau-excel/")
    assert response.status_code == 200
    assert response["Content-Type"] == excel.XLSX_TYPE
    assert "bao-cao-cds-xa-quy-" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(response.content))


def _upload(client: Client, report, book: Workbook, lock_version: int | None = None):
    buffer = io.BytesIO()
    book.save(buffer)
    return client.post(
        f"/can-bo/chi-so/bao-cao/{report.pk}/tai-len/",
        {
            "lock_version": str(report.lock_version if lock_version is None else lock_version),
            "file": SimpleUploadedFile("bao-cao.xlsx", buffer.getvalue()),
        },
    )


def _fill(book: Workbook) -> None:
    sheet = book["Báo cáo"]
    sheet[f"H{FIRST}"], sheet[f"I{FIRST}"] = 3120, 6500
    sheet[f"G{FIRST + 1}"], sheet[f"J{FIRST + 1}"] = 2, "Thôn Khòn Pát, Nà Múc"
    sheet[f"G{FIRST + 2}"] = 24


def test_the_template_shows_each_indicator_with_its_previous_value_and_target_and_round_trips(world, admin):
    q2 = period_get(Periodicity.QUARTER, 2026, 2)
    before = services.report_submit(
        report=world.report(period=q2), user=world.officer, lock_version=0, values=GOOD
    )
    services.report_approve(report=before, user=world.reviewer, lock_version=before.lock_version)
    services.target_set(
        indicator=world.teams,
        agency=world.unit,
        period=period_get(Periodicity.YEAR, 2026),
        value=30,
        user=admin,
    )
    report = world.report()
    officer = _client(world.officer)

    book = _download(officer, report)
    sheet = book["Báo cáo"]
    assert [sheet[f"B{FIRST + i}"].value for i in range(3)] == ["HT-01", "HT-03", "XH-01"]
    assert sheet[f"E{FIRST}"].value == "48,00%"
    assert sheet[f"E{FIRST + 2}"].value == "24"
    assert sheet[f"F{FIRST + 2}"].value == "30"
    assert book["congso"].sheet_state == "hidden"
    assert sheet.data_validations.dataValidation  # numbers are checked in Excel too
    _fill(book)
    response = _upload(officer, report, book)

    assert response.status_code == 302
    stored = {
        v.indicator.code: v for v in ReportValue.objects.filter(report=report).select_related("indicator")
    }
    assert (stored["HT-01"].numerator, stored["HT-01"].denominator, stored["HT-01"].value) == (
        Decimal(3120),
        Decimal(6500),
        Decimal("48.0000"),
    )
    assert stored["HT-03"].comment == "Thôn Khòn Pát, Nà Múc"
    assert stored["XH-01"].value == Decimal(24)
    report.refresh_from_db()
    assert report.source == "excel"
    assert ReportEvent.objects.filter(report=report).last().action == "import"  # type: ignore[union-attr]
    again = _download(officer, report)["Báo cáo"]
    assert (again[f"H{FIRST}"].value, again[f"I{FIRST}"].value, again[f"G{FIRST + 2}"].value) == (
        3120,
        6500,
        24,
    )


def test_a_bad_row_leaves_nothing_imported_and_names_the_row_the_column_and_the_reason(world):
    report = world.report()
    officer = _client(world.officer)
    book = _download(officer, report)
    _fill(book)
    sheet = book["Báo cáo"]
    sheet[f"H{FIRST}"] = 7000  # more fibre households than households
    sheet[f"G{FIRST + 2}"] = "hai mươi tư"

    response = _upload(officer, report, book)

    assert response.status_code == 400
    page = response.content.decode()
    assert "Tệp có 2 lỗi; chưa nhập dòng nào." in page
    assert f"Dòng {FIRST}, cột H (Tử số): Tử số (7.000) không được lớn hơn mẫu số (6.500)." in page
    assert f"Dòng {FIRST + 2}, cột G (Giá trị): “hai mươi tư” không phải là một số." in page
    assert not ReportValue.objects.filter(report=report).exists()


def test_an_unknown_code_or_a_changed_header_is_reported_and_nothing_imported(world):
    report = world.report()
    officer = _client(world.officer)
    book = _download(officer, report)
    _fill(book)
    book["Báo cáo"][f"B{FIRST + 1}"] = "HT-99"

    response = _upload(officer, report, book)

    assert response.status_code == 400
    assert (
        f"Dòng {FIRST + 1}, cột B (Mã chỉ tiêu): Biểu “Báo cáo chỉ tiêu chuyển đổi số hằng quý” "
        "không có chỉ tiêu mã “HT-99”." in response.content.decode()
    )
    book["Báo cáo"][f"B{FIRST + 1}"] = "HT-03"
    book["Báo cáo"]["G6"] = "Số liệu"
    assert "Dòng tiêu đề đã bị sửa" in _upload(officer, report, book).content.decode()
    assert not ReportValue.objects.filter(report=report).exists()


def test_another_units_template_or_a_plain_spreadsheet_is_refused(world):
    mine = world.report()
    theirs = world.report(unit=world.other_unit)
    officer = _client(world.officer)
    their_book = load_workbook(io.BytesIO(excel.report_template(theirs)))
    _fill(their_book)

    response = _upload(officer, mine, their_book)
    assert response.status_code == 400
    assert "không phải của báo cáo đang mở" in response.content.decode()

    plain = Workbook()
    plain.active["A1"] = "Số liệu"  # type: ignore[index]
    assert "Tệp không phải mẫu báo cáo do congso tạo" in _upload(officer, mine, plain).content.decode()
    not_excel = officer.post(
        f"/can-bo/chi-so/bao-cao/{mine.pk}/tai-len/",
        {"lock_version": "0", "file": SimpleUploadedFile("bao-cao.xlsx", b"not a spreadsheet")},
    )
    assert "Tệp không phải là tệp Excel (.xlsx) đọc được." in not_excel.content.decode()
    assert not ReportValue.objects.exists()


def test_a_template_downloaded_before_a_later_save_is_refused(world):
    report = world.report()
    officer = _client(world.officer)
    book = _download(officer, report)
    services.report_save_values(
        report=report, values={"XH-01": {"value": "20"}}, user=world.officer, lock_version=0
    )
    report.refresh_from_db()
    _fill(book)

    response = _upload(officer, report, book)

    assert response.status_code == 409
    assert "Hãy tải mẫu mới" in response.content.decode()
    assert ReportValue.objects.get(report=report).value == Decimal(20)


def test_the_reader_parses_a_template_without_the_page(world):
    report = world.report()
    book = load_workbook(io.BytesIO(excel.report_template(report)))
    _fill(book)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)

    parsed = excel.read_report(buffer, report=report)

    assert parsed.errors == []
    assert parsed.rows == {"HT-01": FIRST, "HT-03": FIRST + 1, "XH-01": FIRST + 2}
    assert parsed.values["HT-01"]["numerator"] == 3120
    assert parsed.lock_version == 0
