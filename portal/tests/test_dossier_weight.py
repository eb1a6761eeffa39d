"""The dossier pages stay light for a phone on a weak connection: the HTML and both stylesheets
under 50 KB, nothing fetched from elsewhere, no web fonts."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from dossiers.models import Dossier
from dossiers.tests.factories import commune_procedure, online_draft
from portal.tests.dossier_states import returned, supplement_requested

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("dossier_world")]

BUDGET = 50 * 1024


def stylesheets_size() -> int:
    total = 0
    for name in ("css/congso.css", "portal/dossiers.css"):
        path = finders.find(name)
        assert path, name
        with open(path, "rb") as css:
            total += len(css.read())
    return total


def test_every_dossier_page_fits_the_budget(client, citizen, clerk, specialist, leader, agency):
    version = commune_procedure(components=6)
    draft: Dossier = online_draft(applicant=citizen, commune=agency, version=version)
    asked = supplement_requested(applicant=citizen, clerk=clerk, commune=agency)
    done = returned(applicant=citizen, clerk=clerk, specialist=specialist, leader=leader, commune=agency)
    client.force_login(citizen)
    pages = [
        reverse("portal:dossier_start", args=[version.procedure.code]),
        reverse("portal:dossier_files", args=[draft.reference]),
        reverse("portal:dossier_review", args=[draft.reference]),
        reverse("portal:my_dossiers"),
        reverse("portal:dossier_detail", args=[asked.reference]),
        reverse("portal:dossier_detail", args=[done.reference]),
        reverse("portal:dossier_rate", args=[done.reference]),
        reverse("portal:dossier_lookup", args=[done.code]),
    ]

    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert len(response.content) + stylesheets_size() < BUDGET, url
        assert "https://" not in html, url
        assert "@font-face" not in html, url
