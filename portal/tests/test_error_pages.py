"""The error pages speak Vietnamese; the 500 page works with the database down."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def test_500_page_is_vietnamese_and_touches_no_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/thu-tuc/"))

    html = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="vi">' in html
    assert "Hệ thống đang gặp sự cố" in html
    assert 'href="/"' in html


def test_404_page_offers_a_search(client):
    response = client.get("/khong-co-trang-nay/")

    html = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="vi">' in html
    assert 'name="q"' in html
    assert "Về trang chủ" in html
