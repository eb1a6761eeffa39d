"""Who may open the dossier pages: citizens never (403), a clerk of another agency gets "not
found" for a dossier that is not theirs — the page, its files, its slips and its actions alike —
and the desk's pages are for clerks."""

from __future__ import annotations

import pytest

from backoffice.tests.builders import action_url, desk_url, detail_url, received_now, submitted_now
from dossiers.models import DossierFile, Slip, Status

pytestmark = pytest.mark.django_db

STAFF_PAGES = [
    "/can-bo/ho-so/",
    "/can-bo/ho-so/hang-doi/cho-tiep-nhan/",
    "/can-bo/ho-so/hang-doi/qua-han/",
    "/can-bo/ho-so/tiep-nhan/",
    "/can-bo/ho-so/so-theo-doi/",
]


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_citizens_get_403_on_staff_pages(client, citizen, url):
    client.force_login(citizen)

    response = client.get(url)

    assert response.status_code == 403
    assert "Bạn không có quyền truy cập trang này" in response.content.decode()


def test_citizens_get_403_on_their_own_dossier_in_the_back_office(client, clerk, citizen, agency):
    dossier = received_now(applicant=citizen, clerk=clerk, commune=agency)
    client.force_login(citizen)

    assert client.get(detail_url(dossier)).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, clerk, citizen, agency):
    dossier = received_now(applicant=citizen, clerk=clerk, commune=agency)

    response = client.get(detail_url(dossier))

    assert response.status_code == 302
    assert response.url.startswith("/tai-khoan/dang-nhap/")


def test_a_clerk_of_another_agency_finds_nothing_of_a_dossier_not_theirs(
    client, clerk, clerk_other_agency, citizen, agency
):
    dossier = received_now(applicant=citizen, clerk=clerk, commune=agency)
    record = DossierFile.objects.filter(dossier=dossier)[0]
    slip = Slip.objects.get(dossier=dossier)
    client.force_login(clerk_other_agency)

    assert client.get(detail_url(dossier)).status_code == 404
    assert client.get(f"{detail_url(dossier)}tep/{record.pk}/").status_code == 404
    assert client.get(f"{detail_url(dossier)}phieu/{slip.pk}/").status_code == 404
    assert (
        client.post(action_url(dossier, "chuyen-xu-ly"), {"lock_version": dossier.lock_version}).status_code
        == 404
    )
    assert client.post(f"{detail_url(dossier)}phieu-kiem-soat/").status_code == 404
    assert client.get("/can-bo/ho-so/000.00.99.H99-250101-0001/").status_code == 404
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED


def test_the_desk_page_is_for_clerks_of_that_desk(client, clerk, clerk_other_agency, leader, citizen, agency):
    dossier = submitted_now(applicant=citizen, commune=agency)

    client.force_login(leader)
    assert client.get(desk_url(dossier)).status_code == 403
    client.force_login(clerk_other_agency)
    assert client.get(desk_url(dossier)).status_code == 404
    client.force_login(clerk)
    assert client.get(desk_url(dossier)).status_code == 200


def test_the_leader_and_the_administrator_see_the_dossier(client, clerk, leader, admin, citizen, agency):
    dossier = received_now(applicant=citizen, clerk=clerk, commune=agency)

    for person in (leader, admin):
        client.force_login(person)
        assert client.get(detail_url(dossier)).status_code == 200


def test_a_received_dossier_sends_the_desk_page_back_to_the_dossier(client, clerk, citizen, agency):
    dossier = received_now(applicant=citizen, clerk=clerk, commune=agency)
    client.force_login(clerk)

    response = client.get(desk_url(dossier))

    assert response.status_code == 302
    assert response.url == detail_url(dossier)
