"""Targets set by the province: one by one on the page, or a whole year from a spreadsheet; a
wrong row leaves nothing imported; commune staff read them and set none."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook, load_workbook

from indicators import excel, services
from indicators.models import Periodicity, Target
from indicators.periods import period_get
from indicators.tests.report_factories import World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(agency, other_agency, specialist, clerk_other_agency) -> World:
    return build_world(
        agency=agency, other_agency=other_agency, officer=specialist, other_officer=clerk_other_agency
    )


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _sheet(rows: list[list[object]]) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["CHỈ TIÊU GIAO NĂM 2026"])
    sheet.append([])
    sheet.append([header for _letter, header in excel.TARGET_COLUMNS.values()])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("chi-tieu.xlsx", buffer.getvalue())


def test_the_department_sets_a_target_on_the_page_and_the_commune_reads_it(world):
    page = _client(world.reviewer).post(
        "/can-bo/chi-so/chi-tieu-giao/giao/",
        {
            "indicator": world.fibre.pk,
            "agency": world.unit.pk,
            "period": "2026",
            "value": "55,5",
            "baseline": "44",
            "note": "Quyết định 12/QĐ-UBND",
        },
    )

    assert page.status_code == 302
    target = Target.objects.get()
    assert (target.value, target.baseline, target.period.key, target.set_by) == (
        Decimal("55.5"),
        Decimal(44),
        "2026",
        world.reviewer,
    )
    listing = _client(world.officer).get("/can-bo/chi-so/chi-tieu-giao/?nam=2026").content.decode()
    assert "55,50%" in listing
    assert "Giao một chỉ tiêu" not in listing  # a commune officer reads, sets nothing


def test_a_target_out_of_range_is_refused_with_the_reason(world):
    response = _client(world.reviewer).post(
        "/can-bo/chi-so/chi-tieu-giao/giao/",
        {"indicator": world.fibre.pk, "agency": world.unit.pk, "period": "2026", "value": "120"},
    )

    assert response.status_code == 400
    assert "Không được lớn hơn 100%." in response.content.decode()
    assert not Target.objects.exists()


def test_commune_staff_cannot_set_or_import_targets(world):
    officer = _client(world.officer)

    assert officer.post("/can-bo/chi-so/chi-tieu-giao/giao/", {}).status_code == 403
    assert officer.post("/can-bo/chi-so/chi-tieu-giao/nhap-excel/", {"file": _sheet([])}).status_code == 403
    assert officer.get("/can-bo/chi-so/chi-tieu-giao/mau-excel/").status_code == 403
    with pytest.raises(services.TargetError):
        services.target_set(
            indicator=world.fibre,
            agency=world.unit,
            period=period_get(Periodicity.YEAR, 2026),
            value=50,
            user=world.officer,
        )


def test_a_year_of_targets_is_imported_from_the_template(world, admin):
    services.target_set(
        indicator=world.teams,
        agency=world.province,
        period=period_get(Periodicity.YEAR, 2026),
        value=1400,
        user=admin,
    )
    province_code = world.province.edoc_code
    response = _client(admin).get("/can-bo/chi-so/chi-tieu-giao/mau-excel/?nam=2026")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Chỉ tiêu giao"]
    rows = {(r[0], r[2]): r for r in sheet.iter_rows(min_row=5, values_only=True)}
    assert rows[("XH-01", province_code)][5] == 1400  # what is already set is filled in
    assert ("XH-01", world.unit.edoc_code) in rows  # communes report it: a row each
    for number, row in enumerate(sheet.iter_rows(min_row=5), start=5):
        code, unit = row[0].value, row[2].value
        if (code, unit) == ("HT-01", province_code):
            sheet[f"F{number}"], sheet[f"G{number}"] = 60, 47.13
        if (code, unit) == ("HT-01", world.unit.edoc_code):
            sheet[f"F{number}"], sheet[f"H{number}"] = 58, "Kế hoạch 45/KH-UBND"
    buffer = io.BytesIO()
    book.save(buffer)

    setter = _client(admin)
    imported = setter.post(
        "/can-bo/chi-so/chi-tieu-giao/nhap-excel/", {"file": SimpleUploadedFile("t.xlsx", buffer.getvalue())}
    )

    assert imported.status_code == 302
    page = setter.get("/can-bo/chi-so/chi-tieu-giao/?nam=2026").content.decode()
    assert "Đã nhập bảng chỉ tiêu: 2 chỉ tiêu mới, 0 chỉ tiêu sửa, 1 giữ nguyên." in page
    province = Target.objects.get(indicator=world.fibre, agency=world.province)
    assert (province.value, province.baseline) == (Decimal(60), Decimal("47.13"))
    assert Target.objects.get(indicator=world.fibre, agency=world.unit).note == "Kế hoạch 45/KH-UBND"


def test_a_wrong_row_leaves_no_target_imported_and_says_where(world, admin):
    upload = _sheet(
        [
            ["HT-01", "", world.province.edoc_code, "", "2026", 60, None, ""],
            ["HT-01", "", "H40.999", "", "2026", 55, None, ""],
            ["XX-01", "", world.unit.edoc_code, "", "2026", 5, None, ""],
            ["XH-01", "", world.unit.edoc_code, "", "2026-Q5", 5, None, ""],
            ["XH-01", "", world.unit.edoc_code, "", "2026", "nhiều", None, ""],
            ["HT-01", "", world.province.edoc_code, "", "2026", 61, None, ""],
        ]
    )

    response = _client(admin).post("/can-bo/chi-so/chi-tieu-giao/nhap-excel/", {"file": upload})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Tệp có 5 lỗi; chưa nhập dòng nào." in page
    assert "Dòng 5, cột C (Mã đơn vị): Không có đơn vị mã “H40.999” hoạt động vào cuối kỳ năm 2026." in page
    assert "Dòng 6, cột A (Mã chỉ tiêu): Không có chỉ tiêu mã “XX-01”." in page
    assert "Dòng 7, cột E (Kỳ): Kỳ “2026-Q5” không hợp lệ." in page
    assert "Dòng 8, cột F (Giá trị chỉ tiêu): “nhiều” không phải là một số." in page
    assert "Dòng 9, cột A (Mã chỉ tiêu): Trùng với dòng 4 (cùng chỉ tiêu, đơn vị, kỳ)." in page
    assert not Target.objects.exists()


def test_an_empty_sheet_is_refused(world, admin):
    with pytest.raises(excel.ImportRowsError) as refused:
        services.targets_import_xlsx(file=_sheet([]), user=admin)

    assert [str(e) for e in refused.value.errors] == ["Tệp không có dòng chỉ tiêu nào."]
