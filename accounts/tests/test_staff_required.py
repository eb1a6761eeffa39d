"""staff_required: back-office pages are for civil servants holding a role today."""

from __future__ import annotations

import pytest
from django.utils import timezone

from accounts.services import membership_end

URL = "/probe/leaders/7/"

pytestmark = [pytest.mark.django_db, pytest.mark.urls("accounts.tests.urls")]


def test_anonymous_visitors_are_sent_to_sign_in_and_back(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url == "/tai-khoan/dang-nhap/?next=/probe/leaders/7/"


@pytest.mark.parametrize("persona", ["citizen", "api_client"])
def test_citizens_and_service_accounts_get_a_vietnamese_403(client, request, persona):
    user = request.getfixturevalue(persona)
    client.force_login(getattr(user, "user", user))

    response = client.get(URL)

    assert response.status_code == 403
    page = response.content.decode()
    assert "Bạn không có quyền truy cập trang này" in page
    assert "Lãnh đạo phòng" in page
    assert "Lãnh đạo cơ quan" in page


def test_staff_without_the_role_get_403(client, clerk):
    client.force_login(clerk)

    response = client.get(URL)

    assert response.status_code == 403
    assert "Bạn không có quyền truy cập trang này" in response.content.decode()


def test_staff_with_the_role_get_the_page(client, leader):
    client.force_login(leader)

    response = client.get(URL)

    assert response.status_code == 200
    assert response.content == b"leaders 7"


def test_a_role_that_has_ended_opens_nothing(client, leader):
    membership_end(membership=leader.memberships.get(), on=timezone.localdate())
    client.force_login(leader)

    assert client.get(URL).status_code == 403
