"""The public page of the indicators (/chi-so/): only what the province publishes, province-wide,
the latest closed period, no personal data, the same page for everyone (cacheable)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from indicators.periods import period_last_closed
from indicators.tests.ioc_world import World, build

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(admin, agency, other_agency) -> World:
    return build(admin=admin, commune=agency, other=other_agency)


def row(html: str, code: str) -> str:
    found = html.split('id="public-table"')[1].split(f'data-indicator="{code}"')[1].split("</tr>")[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found))


def test_anyone_sees_the_published_indicators_for_the_latest_closed_period(world):
    response = Client().get(reverse("indicators_public:index"))
    assert response.status_code == 200
    html = response.content.decode()
    shown = set(re.findall(r'<tr data-indicator="([^"]+)"', html))
    assert shown == {"DVC-02", "HT-01"}  # XH-01 and KT-01 are not published
    online = row(html, "DVC-02")
    assert period_last_closed("month").label in online  # DVC-02 is monthly: its latest closed month
    fibre = row(html, "HT-01")
    assert world.period.label in fibre
    assert "62,50%" in fibre
    assert "85,00%" in fibre
    for dossier in world.dossiers["commune"]:
        assert dossier.code not in html
        assert dossier.applicant_name not in html


def test_the_page_is_the_same_for_everyone_and_may_be_cached(world, citizen, clerk):
    anonymous = Client().get(reverse("indicators_public:index"))
    assert "public" in anonymous["Cache-Control"]
    assert "max-age=300" in anonymous["Cache-Control"]
    assert not anonymous.cookies  # no session, no CSRF cookie: nothing tied to a visitor
    assert "Cookie" not in anonymous.get("Vary", "")
    signed = Client()
    signed.force_login(citizen)
    page = signed.get(reverse("indicators_public:index")).content.decode()
    assert citizen.get_full_name() not in page
    assert "csrf" not in page.lower()


def test_a_second_visit_is_served_from_the_cache(world, django_assert_num_queries):
    Client().get(reverse("indicators_public:index"))
    with django_assert_num_queries(0):
        again = Client().get(reverse("indicators_public:index"))
    assert again.status_code == 200
    assert "62,50%" in again.content.decode()


def test_nothing_published_says_so(db):
    response = Client().get(reverse("indicators_public:index"))
    assert "Tỉnh chưa công bố chỉ tiêu nào." in response.content.decode()
