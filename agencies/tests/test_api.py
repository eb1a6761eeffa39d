"""GET /api/v1/agencies/: the public catalogue of units, over HTTP, without logging in."""

from __future__ import annotations

import pytest

from agencies.models import Agency
from agencies.services import province_load
from agencies.structure import DATA_DIR

pytestmark = pytest.mark.django_db

LIST = "/api/v1/agencies/"


@pytest.fixture
def lang_son():
    province_load(gso_code=20, structure=DATA_DIR / "lang_son.json")
    return Agency.objects.get(kind=Agency.Kind.PROVINCE)


def _names(response):
    return [item["name"] for item in response.json()["results"]]


def test_anyone_can_list_todays_units_paginated(client, lang_son):
    response = client.get(LIST)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == Agency.objects.current().count()
    assert len(body["results"]) == 20
    assert body["results"][0]["name"] == "Ủy ban nhân dân tỉnh Lạng Sơn"  # ordered by code: H40 first


def test_each_item_gives_both_codes_the_parent_and_dates(client, lang_son):
    khcn = Agency.objects.get(short_name="Sở KH&CN")

    (item,) = client.get(LIST, {"search": "khoa hoc va cong nghe"}).json()["results"]

    assert item == {
        "code": khcn.qcvn_code,
        "edoc_code": khcn.edoc_code,
        "qcvn_code": khcn.qcvn_code,
        "name": "Sở Khoa học và Công nghệ",
        "short_name": "Sở KH&CN",
        "kind": "department",
        "kind_label": "Sở, ban, ngành cấp tỉnh",
        "parent": "H40",
        "gso_code": None,
        "division_type": "",
        "is_receiving_point": False,
        "address": "",
        "phone": "",
        "email": "",
        "valid_from": "2019-01-01",
        "valid_to": None,
        "successors": [],
        "change_note": "",
    }


def test_search_ignores_accents_and_case(client, lang_son):
    names = _names(client.get(LIST, {"search": "dong dang"}))
    assert names == ["Ủy ban nhân dân xã Đồng Đăng", "Trung tâm Phục vụ hành chính công xã Đồng Đăng"]
    assert _names(client.get(LIST, {"search": "ĐỒNG ĐĂNG"})) == names
    assert _names(client.get(LIST, {"search": "Sở KH&CN"})) == ["Sở Khoa học và Công nghệ"]


def test_search_finds_a_unit_by_its_code(client, lang_son):
    commune = Agency.objects.get(gso_code=6184, kind=Agency.Kind.COMMUNE)
    assert _names(client.get(LIST, {"search": commune.edoc_code.lower()})) == [commune.name]
    assert _names(client.get(LIST, {"search": commune.qcvn_code})) == [commune.name]


def test_filters_by_kind_parent_and_receiving_point(client, lang_son):
    assert client.get(LIST, {"kind": "commune"}).json()["count"] == 65
    departments = client.get(LIST, {"kind": "department", "parent": "H40", "page_size": 100}).json()
    assert "Sở Nông nghiệp và Môi trường" in [item["name"] for item in departments["results"]]
    points = client.get(LIST, {"receiving_point": "true", "page_size": 100}).json()
    assert points["count"] == 66  # 65 commune centres and the provincial one
    assert {item["kind"] for item in points["results"]} == {"one_stop_desk", "service_center"}
    commune = Agency.objects.get(gso_code=6184, kind=Agency.Kind.COMMUNE)
    under = client.get(LIST, {"parent": commune.edoc_code}).json()["results"]
    assert [item["name"] for item in under] == ["Trung tâm Phục vụ hành chính công xã Đồng Đăng"]


def test_the_on_parameter_shows_the_tree_of_another_day(client, lang_son):
    before = client.get(LIST, {"on": "2024-03-19", "search": "thong tin va truyen thong"}).json()
    (tttt,) = before["results"]
    assert tttt["valid_to"] == "2025-03-01"
    assert tttt["successors"] == [Agency.objects.get(short_name="Sở KH&CN").edoc_code]
    assert client.get(LIST, {"search": "thong tin va truyen thong"}).json()["count"] == 0
    assert client.get(LIST, {"on": "2024-03-19", "kind": "district"}).json()["count"] == 11
    assert client.get(LIST, {"on": "2025-07-01", "kind": "district"}).json()["count"] == 0
    assert client.get(LIST, {"on": "2024-03-19", "kind": "commune"}).json()["count"] == 0


def test_a_bad_filter_value_is_a_400_in_vietnamese(client, lang_son):
    response = client.get(LIST, {"on": "03/04/2025"})  # ambiguous: only YYYY-MM-DD is accepted
    assert response.status_code == 400
    assert response.json()["on"] == ["Nhập một ngày hợp lệ."]
    response = client.get(LIST, {"kind": "huyen"})
    assert response.status_code == 400
    assert "Hãy chọn một lựa chọn hợp lệ" in response.json()["kind"][0]


def test_the_list_costs_a_fixed_number_of_queries(client, lang_son, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = client.get(LIST, {"page_size": 200})
    assert len(response.json()["results"]) == Agency.objects.current().count()


def test_detail_by_edoc_code(client, lang_son):
    khcn = Agency.objects.get(short_name="Sở KH&CN")

    response = client.get(f"{LIST}{khcn.edoc_code}/")

    assert response.status_code == 200
    assert response.json()["name"] == "Sở Khoa học và Công nghệ"


def test_detail_of_a_code_no_longer_in_use_shows_its_last_unit_and_successors(client, lang_son):
    tttt = Agency.objects.get(short_name="Sở TT&TT")

    body = client.get(f"{LIST}{tttt.edoc_code}/").json()

    assert body["name"] == "Sở Thông tin và Truyền thông"
    assert body["valid_to"] == "2025-03-01"
    assert body["successors"] == [Agency.objects.get(short_name="Sở KH&CN").edoc_code]


def test_detail_follows_the_day_when_a_code_changed_hands(client, lang_son):
    code = Agency.objects.get(short_name="Sở DT&TG").edoc_code
    assert client.get(f"{LIST}{code}/", {"on": "2024-03-19"}).json()["name"] == "Ban Dân tộc tỉnh Lạng Sơn"
    assert client.get(f"{LIST}{code}/").json()["name"] == "Sở Dân tộc và Tôn giáo"


def test_unknown_code_is_a_404_in_vietnamese(client, lang_son):
    response = client.get(f"{LIST}H40.999/")
    assert response.status_code == 404
    assert response.json()["detail"] == "Không tìm thấy cơ quan, đơn vị có mã định danh H40.999."


def test_the_endpoints_are_in_the_openapi_schema(client):
    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    list_params = {p["name"] for p in paths["/api/v1/agencies/"]["get"]["parameters"]}
    assert {"on", "kind", "parent", "receiving_point", "search", "page"} <= list_params
    assert "/api/v1/agencies/{edoc_code}/" in paths


def test_detail_with_a_bad_day_is_a_400_in_vietnamese(client, lang_son):
    response = client.get(f"{LIST}H40/", {"on": "01/07/2025"})
    assert response.status_code == 400
    assert response.json()["on"] == ["Ngày phải có dạng YYYY-MM-DD."]
