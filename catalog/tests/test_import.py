"""import_procedures: the contract's JSON and the national spreadsheet, all or nothing, idempotent."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import json
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from agencies.tests.factories import AgencyFactory
from catalog.models import Procedure, ProcedureVersion, Sector
from catalog.selectors import procedure_in_force
from catalog.tests.factories import SectorFactory

pytestmark = pytest.mark.django_db

POSTAL: dict[str, Any] = {
    "code": "1.004471",
    "name": "Cấp giấy phép bưu chính",
    "sector": "H40-BCVT",
    "level": "province",
    "competent_agency": "Sở Khoa học và Công nghệ",
    "competent_authority": "Sở Khoa học và Công nghệ",
    "service_level": "full_online",
    "processing_time": 10,
    "processing_time_unit": "working_days",
    "applicants": "Doanh nghiệp",
    "result": "Giấy phép bưu chính",
    "keywords": "giấy phép bưu chính, chuyển phát",
    "decision": "1234/QĐ-UBND ngày 20/6/2025",
    "effective_from": "2025-07-01",
    "fees": [
        {"kind": "fee", "name": "Phí thẩm định", "counter_amount": 500000, "online_amount": 250000},
    ],
    "components": [
        {
            "name": "Đơn đề nghị cấp giấy phép bưu chính",
            "originals": 1,
            "copies": 0,
            "template_name": "Mẫu số 01",
        }
    ],
    "workflow": [
        {"name": "Tiếp nhận hồ sơ", "actor": "receiving_desk", "role": "clerk", "budget_hours": 4},
        {"name": "Thẩm định hồ sơ", "actor": "competent_agency", "role": "specialist", "budget_hours": 68},
        {"name": "Phê duyệt", "actor": "competent_agency", "role": "agency_leader", "budget_hours": 4},
        {"name": "Trả kết quả", "actor": "receiving_desk", "role": "clerk", "budget_hours": 4},
    ],
}
BIRTH: dict[str, Any] = {
    "code": "1.001193",
    "name": "Đăng ký khai sinh",
    "sector": "H40-HT",
    "level": "commune",
    "competent_agency": None,
    "competent_authority": "Ủy ban nhân dân cấp xã",
    "service_level": "partial_online",
    "processing_time": 1,
    "result": "Giấy khai sinh",
    "effective_from": "2025-07-01",
    "fees": [],
    "components": [{"name": "Tờ khai đăng ký khai sinh"}],
    "workflow": [
        {"name": "Tiếp nhận", "actor": "receiving_desk", "role": "clerk", "budget_hours": 2},
        {"name": "Giải quyết", "actor": "competent_agency", "role": "specialist", "budget_hours": 6},
    ],
}


@pytest.fixture
def dost(db):
    return AgencyFactory.create(name="Sở Khoa học và Công nghệ")


def document(*procedures):
    return {
        "sectors": [
            {"code": "H40-BCVT", "name": "Bưu chính", "managing_agency": "Sở Khoa học và Công nghệ"},
            {"code": "H40-HT", "name": "Hộ tịch"},
        ],
        "procedures": list(procedures),
    }


def run(path, *args):
    out, err = StringIO(), StringIO()
    try:
        call_command("import_procedures", str(path), *args, stdout=out, stderr=err)
    except CommandError as error:
        return False, out.getvalue(), err.getvalue() + str(error)
    return True, out.getvalue(), err.getvalue()


def write_json(tmp_path, data, name="catalogue.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_json_import_publishes_every_procedure(tmp_path, dost):
    ok, out, _ = run(write_json(tmp_path, document(POSTAL, BIRTH)), "--format", "json")
    assert ok, out
    assert "Thủ tục mới: 2" in out
    postal = procedure_in_force(code="1.004471", on=dt.date(2025, 7, 1))
    assert postal.competent_agency == dost
    assert postal.sector.managing_agency == dost
    assert postal.fees.get().amount_for(online=True) == 250000
    assert [s.budget_hours for s in postal.workflow.all()] == [4, 68, 4, 4]
    assert "buu chinh" in postal.search_text
    birth = procedure_in_force(code="1.001193", on=dt.date(2025, 7, 1))
    assert birth.competent_agency is None


def test_importing_the_same_file_again_changes_nothing(tmp_path, dost):
    path = write_json(tmp_path, document(POSTAL, BIRTH))
    run(path)
    ok, out, _ = run(path)
    assert ok
    assert "Thủ tục mới: 0; phiên bản mới: 0; không đổi: 2" in out
    assert ProcedureVersion.objects.count() == 2


def test_changed_content_becomes_a_new_version_and_ends_the_old_one(tmp_path, dost):
    run(write_json(tmp_path, document(POSTAL)))
    changed = copy.deepcopy(POSTAL)
    changed["fees"][0]["counter_amount"] = 600000
    changed["effective_from"] = "2026-01-01"
    ok, out, _ = run(write_json(tmp_path, document(changed), "v2.json"))
    assert ok, out
    assert "phiên bản mới: 1" in out
    old, new = ProcedureVersion.objects.order_by("number")
    assert (old.status, old.effective_to) == ("retired", dt.date(2026, 1, 1))
    assert (new.status, new.number, new.fees.get().counter_amount) == ("published", 2, 600000)


def test_changed_content_without_a_later_date_is_refused(tmp_path, dost):
    run(write_json(tmp_path, document(POSTAL)))
    changed = dict(POSTAL, name="Cấp giấy phép bưu chính (sửa đổi)")
    ok, _, err = run(write_json(tmp_path, document(changed), "v2.json"))
    assert not ok
    assert "cần ngày áp dụng mới sau ngày đó" in err
    assert ProcedureVersion.objects.count() == 1


def test_one_bad_row_imports_nothing_and_every_error_is_listed(tmp_path, dost):
    bad_hours = dict(POSTAL, code="1.000001", processing_time=5)
    bad_agency = dict(POSTAL, code="1.000002", competent_agency="Sở Thông tin và Truyền thông")
    bad_fee = copy.deepcopy(POSTAL)
    bad_fee["code"] = "1.000003"
    bad_fee["fees"][0]["online_amount"] = 900000
    ok, _, err = run(write_json(tmp_path, document(POSTAL, bad_hours, bad_agency, bad_fee, BIRTH)))
    assert not ok
    assert "Thủ tục thứ 2 (mã 1.000001): Tổng thời gian các bước quy trình là 80 giờ làm việc" in err
    assert "Thủ tục thứ 3 (mã 1.000002): Không tìm thấy cơ quan “Sở Thông tin và Truyền thông”" in err
    assert "Thủ tục thứ 4 (mã 1.000003): Mức thu nộp trực tuyến của “Phí thẩm định” (900.000 đ)" in err
    assert "3 lỗi; không có thay đổi nào được ghi" in err
    assert not Procedure.objects.exists()
    assert not Sector.objects.exists()


def test_duplicate_codes_in_a_file_are_reported(tmp_path, dost):
    ok, _, err = run(write_json(tmp_path, document(POSTAL, POSTAL)))
    assert not ok
    assert "Mã thủ tục 1.004471 đã có ở Thủ tục thứ 1" in err


def test_dry_run_reports_without_writing(tmp_path, dost):
    ok, out, _ = run(write_json(tmp_path, document(POSTAL, BIRTH)), "--dry-run")
    assert ok
    assert "[Chạy thử, không ghi gì] Thủ tục mới: 2" in out
    assert not Procedure.objects.exists()


def test_a_file_that_is_not_json_is_reported(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    ok, _, err = run(path)
    assert not ok
    assert "Không đọc được tệp JSON" in err


# -- the national catalogue's spreadsheet ------------------------------------------------

HEADER = [
    "STT",
    "Mã thủ tục",
    "Tên thủ tục",
    "Cấp thực hiện",
    "Lĩnh vực",
    "Cơ quan thực hiện",
    "Thời hạn giải quyết",
    "Phí, lệ phí",
    "Thành phần hồ sơ",
    "Mức độ",
    "Kết quả thực hiện",
]
SHEET_ROWS = [
    [
        1,
        "1.004471",
        "Cấp giấy phép bưu chính",
        "Cấp Tỉnh",
        "Bưu chính",
        "Sở Khoa học và Công nghệ tỉnh Lạng Sơn",
        "10 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ",
        "Phí thẩm định: 500.000 đồng; nộp trực tuyến: 250.000 đồng",
        "- Đơn đề nghị cấp giấy phép bưu chính (Mẫu số 01)\n- Bản sao Giấy chứng nhận đăng ký doanh nghiệp",
        "Dịch vụ công trực tuyến toàn trình",
        "Giấy phép bưu chính",
    ],
    [
        2,
        "1.001193",
        "Đăng ký khai sinh",
        "Cấp Xã",
        "Hộ tịch",
        "Ủy ban nhân dân cấp xã",
        "Ngay trong ngày làm việc",
        "Miễn lệ phí",
        "Tờ khai đăng ký khai sinh",
        "Dịch vụ công trực tuyến một phần",
        "Giấy khai sinh",
    ],
]


@pytest.fixture
def sectors(dost):
    SectorFactory.create(code="H40-BCVT", name="Bưu chính")
    SectorFactory.create(code="H40-HT", name="Hộ tịch")


def write_xlsx(tmp_path, rows, header=HEADER):
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["DANH SÁCH THỦ TỤC HÀNH CHÍNH"])  # a title row above the header
    sheet.append([h.upper() for h in header])
    for row in rows:
        sheet.append(row)
    path = tmp_path / "tthc.xlsx"
    workbook.save(path)
    return path


def write_csv(tmp_path, rows, header=HEADER):
    path = tmp_path / "tthc.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.mark.parametrize("writer", [write_xlsx, write_csv])
def test_the_national_spreadsheet_is_read(tmp_path, sectors, dost, writer):
    ok, out, err = run(writer(tmp_path, SHEET_ROWS), "--effective-from", "01/07/2025")
    assert ok, err
    assert "Thủ tục mới: 2" in out
    postal = procedure_in_force(code="1.004471", on=dt.date(2025, 7, 1))
    assert postal.competent_agency == dost
    assert postal.service_level == "full_online"
    assert (postal.processing_time, postal.processing_time_unit) == (Decimal(10), "working_days")
    assert postal.processing_time_note.startswith("10 ngày làm việc kể từ")
    fee = postal.fees.get()
    assert (fee.kind, fee.name, fee.counter_amount, fee.online_amount) == (
        "fee",
        "Phí thẩm định",
        500000,
        250000,
    )
    first, second = postal.components.all()
    assert (first.name, first.template_name) == (
        "Đơn đề nghị cấp giấy phép bưu chính (Mẫu số 01)",
        "Mẫu số 01",
    )
    assert (second.originals, second.copies) == (0, 1)
    assert sum(s.budget_hours for s in postal.workflow.all()) == 80  # the default four steps
    birth = procedure_in_force(code="1.001193", on=dt.date(2025, 7, 1))
    assert (birth.level, birth.competent_agency, birth.processing_time) == ("commune", None, Decimal(1))
    assert not birth.fees.exists()
    assert birth.fee_note == "Miễn lệ phí"


@pytest.mark.parametrize("writer", [write_xlsx, write_csv])
def test_a_spreadsheet_imported_twice_changes_nothing(tmp_path, sectors, writer):
    path = writer(tmp_path, SHEET_ROWS)
    run(path, "--effective-from", "2025-07-01")
    ok, out, _ = run(path, "--effective-from", "2025-08-01")
    assert ok
    assert "không đổi: 2" in out
    assert ProcedureVersion.objects.count() == 2


@pytest.mark.parametrize("writer", [write_xlsx, write_csv])
def test_bad_spreadsheet_rows_are_listed_by_row_number_and_nothing_is_imported(tmp_path, sectors, writer):
    rows = copy.deepcopy(SHEET_ROWS)
    rows.append(
        [3, "1.000003", "Thủ tục cấp huyện", "Cấp Huyện", "Hộ tịch", "UBND huyện", "5 ngày", "", "", "", "X"]
    )
    rows.append(
        [
            4,
            "1.000004",
            "Thủ tục lạ",
            "Cấp Tỉnh",
            "Lĩnh vực lạ",
            "Sở Khoa học và Công nghệ",
            "sớm",
            "",
            "",
            "",
            "X",
        ]
    )
    ok, _, err = run(writer(tmp_path, rows), "--effective-from", "2025-07-01")
    assert not ok
    first = 5 if writer is write_xlsx else 4  # the xlsx has a title row above the header
    assert f"Dòng {first}: Cấp huyện không còn từ 01/07/2025" in err
    assert f"Dòng {first + 1}: Không đọc được thời hạn giải quyết “sớm”" in err
    assert not Procedure.objects.exists()


def test_a_sector_unknown_by_name_is_reported(tmp_path, sectors):
    rows = [[*SHEET_ROWS[0][:4], "Viễn thông", *SHEET_ROWS[0][5:]]]
    ok, _, err = run(write_csv(tmp_path, rows))
    assert not ok
    assert "Dòng 2: Lĩnh vực “Viễn thông” chưa có trong danh mục" in err


def test_missing_columns_are_named(tmp_path, sectors):
    header = [h for h in HEADER if h != "Thời hạn giải quyết"]
    ok, _, err = run(write_csv(tmp_path, [], header=header))
    assert not ok
    assert "Thiếu cột: Thời hạn giải quyết" in err
