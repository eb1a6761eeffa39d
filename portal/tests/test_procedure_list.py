"""Finding a procedure: search as you type, filters, pages, and help when nothing matches."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.tests.factories import ProcedureVersionFactory, SectorFactory
from portal.tests.html_checks import assert_accessible_page

pytestmark = pytest.mark.django_db

URL = reverse("portal:procedure_list")


def get(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def test_search_without_accents_finds_the_procedure(client, catalogue):
    html = get(client, q="dang ky khai sinh")

    assert "Đăng ký khai sinh" in html
    assert "Cấp giấy phép bưu chính" not in html
    assert "Tìm thấy 1 thủ tục cho “dang ky khai sinh”." in html


def test_a_result_shows_code_service_level_time_and_authority(client, catalogue):
    html = get(client, q="giay phep buu chinh")

    assert reverse("portal:procedure_detail", args=["1.004471"]) in html
    assert "Mã 1.004471" in html
    assert '<span class="badge full">Trực tuyến toàn trình</span>' in html
    assert "10 ngày làm việc" in html
    assert "Sở Khoa học và Công nghệ" in html


def test_without_a_query_every_procedure_is_listed_most_used_first(client, catalogue):
    html = get(client)

    assert "Có 2 thủ tục." in html
    assert html.index("Đăng ký khai sinh") < html.index("Cấp giấy phép bưu chính")


@pytest.mark.parametrize(
    ("params", "shown", "hidden"),
    [
        ({"sector": "H40-BCVT"}, "Cấp giấy phép bưu chính", "Đăng ký khai sinh"),
        ({"level": "commune"}, "Đăng ký khai sinh", "Cấp giấy phép bưu chính"),
        ({"service_level": "full_online"}, "Cấp giấy phép bưu chính", "Đăng ký khai sinh"),
        ({"service_level": "partial_online"}, "Đăng ký khai sinh", "Cấp giấy phép bưu chính"),
        ({"agency": "H40.31"}, "Cấp giấy phép bưu chính", "Đăng ký khai sinh"),
        ({"agency": "H40.01.02"}, "Đăng ký khai sinh", "Cấp giấy phép bưu chính"),
    ],
)
def test_filters_narrow_the_list(client, catalogue, params, shown, hidden):
    html = get(client, **params)

    results = html[html.index('id="ket-qua"') :]
    assert shown in results
    assert hidden not in results
    assert "Có 1 thủ tục." in html


def test_the_filter_form_offers_sectors_with_counts_and_deciding_agencies(client, catalogue):
    html = get(client)

    assert '<option value="H40-BCVT">Bưu chính (1)</option>' in html
    assert '<option value="H40.31">Sở Khoa học và Công nghệ</option>' in html
    assert '<option value="H40.01.02">UBND phường Tam Thanh</option>' in html
    # A unit that no longer exists is not offered.
    assert "UBND huyện Cao Lộc" not in html


def test_an_unknown_filter_value_is_ignored_with_a_message(client, catalogue):
    html = get(client, sector="H40-KHONGCO", q="khai sinh")

    assert "Giá trị lọc không hợp lệ, đã bỏ qua." in html
    assert 'aria-invalid="true"' in html
    assert "Đăng ký khai sinh" in html


def test_nothing_found_gives_help_and_suggestions(client, catalogue):
    html = get(client, q="xyzzy qwerty")

    assert "Không tìm thấy thủ tục phù hợp" in html
    assert "Gõ không dấu cũng được" in html
    # The most used procedures are suggested instead.
    assert reverse("portal:procedure_detail", args=["1.001193"]) in html


def test_nothing_found_with_filters_offers_to_drop_them(client, catalogue):
    html = get(client, q="khai sinh", level="province")

    assert "Bỏ các bộ lọc và tìm lại" in html
    assert f'href="{URL}?q=khai%20sinh"' in html


@pytest.fixture
def many_procedures(db):
    sector = SectorFactory(code="H40-XD", name="Xây dựng")
    return ProcedureVersionFactory.create_batch(25, sector=sector, workflow=False)


def test_results_come_twenty_to_a_page_and_keep_the_filters(client, many_procedures):
    first = get(client, sector="H40-XD")

    assert first.count('class="proc"') == 20
    assert "Trang 1/2" in first
    assert 'href="?sector=H40-XD&amp;page=2"' in first
    assert 'rel="prev"' not in first

    second = get(client, sector="H40-XD", page=2)
    assert second.count('class="proc"') == 5
    assert 'href="?sector=H40-XD&amp;page=1"' in second

    # A page past the end shows the last page rather than an error.
    assert get(client, sector="H40-XD", page=99).count('class="proc"') == 5


def test_htmx_gets_only_the_results(client, catalogue):
    response = client.get(URL, {"q": "khai sinh"}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert "<form" not in html
    assert html.lstrip().startswith('<p class="result-count" role="status">')
    assert "Đăng ký khai sinh" in html
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restore_gets_the_whole_page(client, catalogue):
    response = client.get(
        URL, {"q": "khai sinh"}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )

    assert "<html" in response.content.decode()


def test_the_form_works_without_javascript_and_with_htmx(client, catalogue):
    html = get(client, q="khai sinh")

    assert f'<form method="get" action="{URL}" role="search"' in html
    assert f'hx-get="{URL}"' in html
    assert 'hx-trigger="input changed delay:300ms' in html
    assert 'value="khai sinh"' in html


def test_list_page_is_accessible(client, catalogue):
    assert_accessible_page(get(client, q="khai sinh"))
    assert_accessible_page(get(client, q="xyzzy"))


def queries_for(client, params):
    client.get(URL, params)  # the first request builds the in-memory search index
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, params).status_code == 200
    return len(queries)


def test_list_page_queries_do_not_grow_with_the_results(client, catalogue, many_procedures):
    # A page of 20 results costs what a page of one result costs: no query per row.
    assert queries_for(client, {"sector": "H40-XD"}) == queries_for(client, {"sector": "H40-HT"})


def test_list_page_has_a_bounded_number_of_queries(
    client, catalogue, many_procedures, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        get(client)
    with django_assert_max_num_queries(6):
        get(client, q="khai sinh", sector="H40-HT", agency="H40.01.02")
