"""Integration clients may do only what their scopes allow; people are judged by the access layer."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts.models import ApiClient
from accounts.services import access_token_issue

SCOPED = "/probe/scoped/"

pytestmark = [pytest.mark.django_db, pytest.mark.urls("accounts.tests.urls")]


def test_a_client_with_the_scope_is_let_through(api_client):
    response = APIClient().get(SCOPED, headers=api_client.headers)

    assert response.status_code == 200
    assert response.json() == {"method": "GET"}


def test_head_needs_the_scope_of_get(api_client):
    assert APIClient().head(SCOPED, headers=api_client.headers).status_code == 200


def test_a_client_without_the_scope_gets_403_naming_it(api_client):
    response = APIClient().post(SCOPED, {}, format="json", headers=api_client.headers)

    assert response.status_code == 403
    assert (
        response.json()["detail"]
        == "Hệ thống tích hợp cần phạm vi truy cập “dossiers:write” cho thao tác này."
    )


def test_a_method_the_view_gives_no_scope_is_refused_to_clients(api_client):
    ApiClient.objects.filter(pk=api_client.client.pk).update(
        scopes=["procedures:read", "dossiers:read", "dossiers:write"]
    )

    response = APIClient().put(SCOPED, {}, format="json", headers=api_client.headers)

    assert response.status_code == 403
    assert response.json()["detail"] == "Hệ thống tích hợp không được cấp phạm vi truy cập cho thao tác này."


def test_a_scope_granted_later_takes_effect_at_once(api_client):
    ApiClient.objects.filter(pk=api_client.client.pk).update(scopes=["dossiers:write"])

    assert APIClient().post(SCOPED, {}, format="json", headers=api_client.headers).status_code == 200
    assert APIClient().get(SCOPED, headers=api_client.headers).status_code == 403


@pytest.mark.parametrize("persona", ["citizen", "clerk", "admin"])
def test_people_are_not_asked_for_scopes(request, persona):
    token = access_token_issue(user=request.getfixturevalue(persona)).plain_token
    api = APIClient()

    assert api.get(SCOPED, headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert (
        api.post(SCOPED, {}, format="json", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    )
