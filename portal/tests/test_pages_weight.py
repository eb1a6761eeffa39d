"""Pages stay light for a phone on a weak connection: HTML plus the stylesheet under 50 KB."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db

BUDGET = 50 * 1024


def stylesheet_size():
    path = finders.find("css/congso.css")
    assert path
    with open(path, "rb") as css:
        return len(css.read())


@pytest.mark.parametrize(
    "url",
    [
        reverse("portal:home"),
        reverse("portal:procedure_list"),
        reverse("portal:procedure_detail", args=["1.004471"]),
    ],
)
def test_page_and_stylesheet_fit_the_budget(client, catalogue, url):
    response = client.get(url)

    assert response.status_code == 200
    assert len(response.content) + stylesheet_size() < BUDGET
    html = response.content.decode()
    # Nothing from a CDN, no web fonts.
    assert "https://" not in html.replace("https://dichvucong.gov.vn/", "")
    assert "@font-face" not in html
