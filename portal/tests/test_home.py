"""The home page: search box, sectors, the procedures people use most, how to submit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.tests.html_checks import assert_accessible_page

pytestmark = pytest.mark.django_db


def test_home_offers_search_sectors_and_most_used_procedures(client, catalogue):
    response = client.get(reverse("portal:home"))

    assert response.status_code == 200
    html = response.content.decode()
    assert f'action="{reverse("portal:procedure_list")}"' in html
    assert 'name="q"' in html
    # Sectors with their number of procedures in force, linking to the filtered list.
    assert "Bưu chính" in html
    assert "Hộ tịch" in html
    assert "?sector=H40-BCVT" in html
    assert "1 thủ tục" in html
    # Most used first: birth registration (120) before the postal licence (40).
    assert html.index("Đăng ký khai sinh") < html.index("Cấp giấy phép bưu chính")
    assert reverse("portal:procedure_detail", args=["1.001193"]) in html
    # Online and counter service explained, and the way in for staff.
    assert "Trực tuyến toàn trình" in html
    assert "Trực tuyến một phần" in html
    assert "không phụ thuộc nơi cư trú" in html
    assert reverse("accounts:login") + "?next=" in html


def test_home_works_with_an_empty_catalogue(client):
    response = client.get(reverse("portal:home"))

    assert response.status_code == 200
    assert "Thủ tục được dùng nhiều" not in response.content.decode()


def test_home_page_is_accessible(client, catalogue):
    assert_accessible_page(client.get(reverse("portal:home")).content.decode())


def test_home_needs_few_queries(client, catalogue, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        client.get(reverse("portal:home"))
