"""Dossiers in the Django admin: administrators read them and their history; nobody edits or
deletes them there."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dossiers.models import Dossier, DossierEvent
from dossiers.tests.factories import dossier_at_step

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar")]


@pytest.fixture
def dossier(citizen, clerk, specialist, agency):
    return dossier_at_step(2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


def test_the_administrator_reads_the_list_and_the_history(admin_client, dossier):
    listing = admin_client.get(reverse("admin:dossiers_dossier_changelist"))
    assert listing.status_code == 200
    assert dossier.code in listing.content.decode()

    page = admin_client.get(reverse("admin:dossiers_dossier_change", args=[dossier.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "nhật ký hồ sơ" in body.lower()
    for action in ("submit", "receive", "forward"):
        assert action in body
    assert "Thẩm định hồ sơ" in body  # the steps
    assert 'name="_save"' not in body  # read-only: no save button


def test_nothing_can_be_added_changed_or_deleted(admin_client, dossier):
    assert admin_client.get(reverse("admin:dossiers_dossier_add")).status_code == 403
    delete = reverse("admin:dossiers_dossier_delete", args=[dossier.pk])
    assert admin_client.get(delete).status_code == 403
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    change = reverse("admin:dossiers_dossier_change", args=[dossier.pk])
    response = admin_client.post(change, {"status": "returned", "applicant_name": "Người khác"})
    assert response.status_code == 403
    stored = Dossier.objects.get(pk=dossier.pk)
    assert (stored.status, stored.applicant_name) == (dossier.status, dossier.applicant_name)
    listing = admin_client.get(reverse("admin:dossiers_dossier_changelist"))
    assert "delete_selected" not in listing.content.decode()
    assert DossierEvent.objects.filter(dossier=dossier).count() == 3


def test_people_without_the_admin_are_sent_away(client, clerk, dossier):
    client.force_login(clerk)
    response = client.get(reverse("admin:dossiers_dossier_change", args=[dossier.pk]))
    assert response.status_code == 302
