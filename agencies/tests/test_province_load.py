"""Loading a province's tree from vietnam-provinces and its data file."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from agencies.codes import qcvn102_to_edoc
from agencies.models import Agency
from agencies.selectors import agency_on, current_successors
from agencies.services import province_load
from agencies.structure import DATA_DIR

pytestmark = pytest.mark.django_db

LANG_SON = DATA_DIR / "lang_son.json"
BEFORE_2025 = dt.date(2024, 3, 19)  # the day of the seed conclusion notice
AFTER_2025 = dt.date(2025, 9, 1)


def test_lang_son_gets_its_65_communes_each_with_a_receiving_desk():
    report = province_load(gso_code=20, structure=LANG_SON)

    communes = Agency.objects.active_on(AFTER_2025).filter(kind=Agency.Kind.COMMUNE)
    assert communes.count() == 65
    assert communes.filter(division_type="phường").count() == 4
    dong_dang = communes.get(gso_code=6184)
    assert dong_dang.name == "Ủy ban nhân dân xã Đồng Đăng"
    assert dong_dang.short_name == "UBND xã Đồng Đăng"
    assert dong_dang.parent is not None
    assert dong_dang.parent.kind == Agency.Kind.PROVINCE
    for commune in communes:
        (desk,) = commune.children.all()
        assert desk.kind == Agency.Kind.ONE_STOP_DESK
        assert desk.is_receiving_point
        assert desk.name.startswith("Trung tâm Phục vụ hành chính công ")
        assert desk.edoc_code == f"{commune.edoc_code}.01"
    assert len(report.created) == Agency.objects.count()
    assert report.links_created == 9


def test_the_province_departments_and_the_service_centre_are_current():
    province_load(gso_code=20, structure=LANG_SON)

    province = Agency.objects.get(kind=Agency.Kind.PROVINCE)
    assert (province.name, province.edoc_code, province.qcvn_code) == (
        "Ủy ban nhân dân tỉnh Lạng Sơn",
        "H40",
        "000.00.00.H40",
    )
    departments = Agency.objects.active_on(AFTER_2025).filter(kind=Agency.Kind.DEPARTMENT)
    expected = {
        "Sở Khoa học và Công nghệ",
        "Sở Nông nghiệp và Môi trường",
        "Văn phòng Ủy ban nhân dân tỉnh Lạng Sơn",
    }
    assert expected <= {d.name for d in departments}
    assert departments.get(short_name="Sở KH&CN").name == "Sở Khoa học và Công nghệ"
    assert not departments.filter(name="Sở Thông tin và Truyền thông").exists()
    centre = Agency.objects.get(kind=Agency.Kind.SERVICE_CENTER)
    assert centre.is_receiving_point
    assert centre.parent is not None
    assert centre.parent.name == "Văn phòng Ủy ban nhân dân tỉnh Lạng Sơn"


def test_codes_are_allocated_departments_first_then_communes_by_gso_code():
    province_load(gso_code=20, structure=LANG_SON)

    current = Agency.objects.active_on(AFTER_2025)
    assert current.get(edoc_code="H40.01").name == "Văn phòng Ủy ban nhân dân tỉnh Lạng Sơn"
    communes = list(current.filter(kind=Agency.Kind.COMMUNE).order_by("gso_code"))
    numbers = [int(c.edoc_code.split(".")[1]) for c in communes]
    assert numbers == sorted(numbers)
    assert numbers[0] > current.filter(kind=Agency.Kind.DEPARTMENT, parent__kind="province").count()
    for agency in Agency.objects.all():
        agency.full_clean()  # every stored pair of codes is valid and consistent
        if agency.qcvn_code:
            assert qcvn102_to_edoc(agency.qcvn_code) == agency.edoc_code


def test_a_second_run_creates_and_updates_nothing():
    province_load(gso_code=20, structure=LANG_SON)
    before = {a.pk: (a.edoc_code, a.name, a.valid_to) for a in Agency.objects.all()}

    again = province_load(gso_code=20, structure=LANG_SON)

    assert (again.created, again.updated, again.links_created) == ([], [], 0)
    assert again.unchanged == len(before)
    assert {a.pk: (a.edoc_code, a.name, a.valid_to) for a in Agency.objects.all()} == before


def test_history_is_data_the_former_information_department_led_to_science_and_technology():
    province_load(gso_code=20, structure=LANG_SON)

    tttt = Agency.objects.get(name="Sở Thông tin và Truyền thông")
    assert tttt.valid_to == dt.date(2025, 3, 1)
    assert tttt.is_active_on(BEFORE_2025)
    assert not tttt.is_active_on(dt.date(2025, 3, 1))
    assert [s.name for s in current_successors(tttt)] == ["Sở Khoa học và Công nghệ"]
    assert agency_on(code=tttt.edoc_code, on=BEFORE_2025) == tttt


def test_the_eleven_district_level_units_ended_on_1_july_2025():
    province_load(gso_code=20, structure=LANG_SON)

    districts = Agency.objects.filter(kind=Agency.Kind.DISTRICT)
    assert districts.count() == 11
    assert set(districts.values_list("valid_to", flat=True)) == {dt.date(2025, 7, 1)}
    assert districts.active_on(dt.date(2025, 6, 30)).count() == 11
    assert not districts.active_on(dt.date(2025, 7, 1)).exists()
    loc_binh = districts.get(name="Ủy ban nhân dân huyện Lộc Bình")
    assert sorted(s.name for s in current_successors(loc_binh, on=AFTER_2025)) == [
        "Ủy ban nhân dân xã Lộc Bình",
        "Ủy ban nhân dân xã Mẫu Sơn",
    ]
    assert "CHƯA" in districts.get(name="Ủy ban nhân dân huyện Tràng Định").change_note


def test_a_former_name_keeps_the_code_of_the_unit_it_became():
    province_load(gso_code=20, structure=LANG_SON)

    ban_dan_toc = Agency.objects.get(name="Ban Dân tộc tỉnh Lạng Sơn")
    (successor,) = ban_dan_toc.successors.all()
    assert successor.name == "Sở Dân tộc và Tôn giáo"
    assert (ban_dan_toc.edoc_code, ban_dan_toc.qcvn_code) == (successor.edoc_code, successor.qcvn_code)
    assert agency_on(code=successor.edoc_code, on=BEFORE_2025) == ban_dan_toc
    assert agency_on(code=successor.qcvn_code, on=AFTER_2025) == successor


def test_a_history_change_made_after_loading_survives_a_reload():
    from agencies.services import agency_rename

    province_load(gso_code=20, structure=LANG_SON)
    ngoai_vu = Agency.objects.get(name="Sở Ngoại vụ")
    renamed = agency_rename(agency=ngoai_vu, new_name="Sở Ngoại vụ (tên mới)", effective=dt.date(2026, 1, 1))

    again = province_load(gso_code=20, structure=LANG_SON)

    assert [name for name, _reason in again.skipped] == ["Sở Ngoại vụ"]
    assert again.created == []
    assert again.updated == []
    renamed.refresh_from_db()
    assert renamed.valid_to is None
    assert renamed.name == "Sở Ngoại vụ (tên mới)"


def test_confirmed_numbers_in_the_data_file_renumber_without_duplicates(tmp_path):
    province_load(gso_code=20, structure=LANG_SON)
    data = json.loads(LANG_SON.read_text(encoding="utf-8"))
    data["units"][0]["number"] = 2  # the office takes the number the home-affairs department had
    data["units"][1]["number"] = 1
    changed = tmp_path / "lang_son.json"
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    report = province_load(gso_code=20, structure=changed)

    assert {agency.name for agency, fields in report.updated if "edoc_code" in fields} >= {
        "Văn phòng Ủy ban nhân dân tỉnh Lạng Sơn",
        "Sở Nội vụ",
    }
    assert Agency.objects.current().get(edoc_code="H40.02").name == "Văn phòng Ủy ban nhân dân tỉnh Lạng Sơn"
    assert Agency.objects.current().get(edoc_code="H40.01").name == "Sở Nội vụ"
    # The centre under the office follows its parent's new code.
    assert Agency.objects.get(kind=Agency.Kind.SERVICE_CENTER).edoc_code == "H40.02.01"


def test_a_province_without_a_data_file_still_gets_its_communes():
    report = province_load(gso_code=46, use_default_file=False, level1_code="H33")

    province = Agency.objects.get(kind=Agency.Kind.PROVINCE)
    assert province.name == "Ủy ban nhân dân thành phố Huế"
    assert Agency.objects.filter(kind=Agency.Kind.COMMUNE).count() == 40
    assert Agency.objects.filter(kind=Agency.Kind.ONE_STOP_DESK, is_receiving_point=True).count() == 40
    assert not Agency.objects.filter(kind=Agency.Kind.DEPARTMENT).exists()
    assert report.structure is None


def test_a_province_with_more_than_99_communes_gets_decision20_codes_only_past_99():
    province_load(gso_code=38, use_default_file=False, level1_code="H56")

    communes = Agency.objects.filter(kind=Agency.Kind.COMMUNE)
    assert communes.count() == 166
    assert communes.filter(qcvn_code="").count() == 166 - 99
    assert communes.get(edoc_code="H56.100").qcvn_code == ""


def test_without_a_level1_code_the_load_is_refused_in_vietnamese():
    with pytest.raises(ValidationError, match="Chưa có mã cấp 1 của tỉnh"):
        province_load(gso_code=46, use_default_file=False)
    assert not Agency.objects.exists()


def test_a_broken_data_file_writes_nothing(tmp_path):
    data = json.loads(LANG_SON.read_text(encoding="utf-8"))
    data["former_units"][0]["successors"] = ["so-khong-ton-tai"]
    broken = tmp_path / "lang_son.json"
    broken.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    with pytest.raises(ValidationError, match="đơn vị kế thừa 'so-khong-ton-tai'"):
        province_load(gso_code=20, structure=broken)
    assert not Agency.objects.exists()


def test_the_command_reports_what_it_created_then_that_nothing_changed():
    out = StringIO()
    call_command("load_agencies", "--province", "20", "--file", str(LANG_SON), stdout=out, stderr=StringIO())
    assert "Tạo mới 164, cập nhật 0, giữ nguyên 0" in out.getvalue()

    out = StringIO()
    call_command("load_agencies", stdout=out, stderr=StringIO())  # defaults: settings province, its file
    assert "Tạo mới 0, cập nhật 0, giữ nguyên 164" in out.getvalue()


def test_the_command_dry_run_writes_nothing():
    out = StringIO()
    call_command("load_agencies", "--dry-run", stdout=out, stderr=StringIO())
    assert "Tạo mới 164" in out.getvalue()
    assert not Agency.objects.exists()


def test_the_command_turns_bad_input_into_a_vietnamese_error():
    with pytest.raises(CommandError, match="Không có tỉnh, thành phố mã 99"):
        call_command("load_agencies", "--province", "99", stdout=StringIO(), stderr=StringIO())
