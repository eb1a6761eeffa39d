"""An integration client calls the API with its key: X-Api-Key: congso_<prefix>_<secret>."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiKey
from accounts.services import api_key_issue, api_key_revoke

ME_URL = "/api/v1/auth/me/"


@pytest.mark.django_db
def test_a_valid_key_acts_as_the_clients_service_account(api_client):
    response = APIClient().get(ME_URL, headers=api_client.headers)

    assert response.status_code == 200
    body = response.json()
    assert body["kind"] == "integration"
    assert body["username"] == api_client.user.username
    assert body["api_client"] == {"name": "Nền tảng tích hợp LGSP tỉnh", "agency": None}
    assert body["scopes"] == ["agencies:read", "calendar:read", "procedures:read"]
    assert body["memberships"] == []


@pytest.mark.django_db
def test_the_key_is_shown_once_and_only_its_hash_is_stored(api_client):
    _, prefix, secret = api_client.key.split("_", 2)
    stored = ApiKey.objects.get(client=api_client.client)

    assert stored.prefix == prefix
    assert stored.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {stored.prefix, stored.secret_hash, str(stored)}


@pytest.mark.django_db
def test_a_revoked_key_gets_401_in_vietnamese(api_client):
    api_key_revoke(api_key=ApiKey.objects.get(client=api_client.client))

    response = APIClient().get(ME_URL, headers=api_client.headers)

    assert response.status_code == 401
    assert response.json() == {"detail": "Khóa API đã bị thu hồi.", "code": "api_key_revoked"}


@pytest.mark.django_db
def test_an_expired_key_gets_401(api_client):
    issued = api_key_issue(client=api_client.client, expires_at=timezone.now() + dt.timedelta(days=1))
    ApiKey.objects.filter(pk=issued.api_key.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))

    response = APIClient().get(ME_URL, headers={"X-Api-Key": issued.plain_key})

    assert response.status_code == 401
    assert response.json()["detail"] == "Khóa API đã hết hạn."


@pytest.mark.django_db
@pytest.mark.parametrize(
    "mangle",
    [
        lambda key: key[:-1] + ("A" if key[-1] != "A" else "B"),  # wrong secret
        lambda key: key.replace("congso_", "congso_x", 1),  # unknown prefix
        lambda key: key.replace("congso_", "khac_", 1),  # not a congso key
        lambda key: "congso_",  # nothing after the marker
        lambda key: "",  # empty header
    ],
    ids=["wrong-secret", "unknown-prefix", "foreign-key", "truncated", "empty"],
)
def test_a_wrong_key_gets_401(api_client, mangle):
    response = APIClient().get(ME_URL, headers={"X-Api-Key": mangle(api_client.key)})

    assert response.status_code == 401
    assert response.json()["detail"] == "Khóa API không hợp lệ."


@pytest.mark.django_db
def test_the_key_of_a_suspended_client_gets_401(api_client):
    api_client.client.is_active = False
    api_client.client.save()

    response = APIClient().get(ME_URL, headers=api_client.headers)

    assert response.status_code == 401
    assert response.json()["detail"] == "Hệ thống tích hợp này đã ngừng hoạt động."


@pytest.mark.django_db
def test_revoking_one_key_leaves_the_others_working(api_client):
    second = api_key_issue(client=api_client.client, expires_at=None)
    api_key_revoke(api_key=second.api_key)

    assert APIClient().get(ME_URL, headers={"X-Api-Key": second.plain_key}).status_code == 401
    assert APIClient().get(ME_URL, headers=api_client.headers).status_code == 200


@pytest.mark.django_db
def test_last_use_is_recorded_at_most_once_a_minute(api_client):
    api = APIClient()
    key = ApiKey.objects.get(client=api_client.client)

    api.get(ME_URL, headers=api_client.headers)
    key.refresh_from_db()
    first = key.last_used_at
    api.get(ME_URL, headers=api_client.headers)
    key.refresh_from_db()
    assert first is not None
    assert key.last_used_at == first

    ApiKey.objects.filter(pk=key.pk).update(last_used_at=first - dt.timedelta(seconds=61))
    api.get(ME_URL, headers=api_client.headers)
    key.refresh_from_db()
    assert key.last_used_at is not None
    assert key.last_used_at > first


@pytest.mark.django_db
def test_no_key_header_falls_back_to_the_session(client, citizen):
    client.force_login(citizen)

    response = client.get(ME_URL)

    assert response.status_code == 200
    assert response.json()["username"] == "congdan"
