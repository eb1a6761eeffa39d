"""A person signs in to the API for a bearer token, uses it, and revokes it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

from accounts.models import AccessToken
from accounts.services import access_token_issue
from accounts.tests.factories import PASSWORD

TOKEN_URL = "/api/v1/auth/token/"
ME_URL = "/api/v1/auth/me/"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.django_db
def test_signing_in_returns_a_bearer_token_that_expires_after_the_configured_hours(citizen):
    before = timezone.now()

    response = APIClient().post(TOKEN_URL, {"username": "congdan", "password": PASSWORD}, format="json")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "token_type", "expires_at"}
    assert body["token_type"] == "Bearer"
    expires_at = parse_datetime(body["expires_at"])
    assert expires_at is not None
    ttl = dt.timedelta(hours=settings.API_TOKEN_TTL_HOURS)
    assert before + ttl <= expires_at <= timezone.now() + ttl
    stored = AccessToken.objects.get(user=citizen)
    assert body["token"] != stored.token_hash
    assert len(stored.token_hash) == 64


@pytest.mark.django_db
def test_the_token_identifies_its_holder(citizen):
    token = access_token_issue(user=citizen).plain_token

    response = APIClient().get(ME_URL, headers=bearer(token))

    assert response.status_code == 200
    assert response.json()["username"] == "congdan"
    assert response.json()["kind"] == "citizen"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "credentials",
    [
        {"username": "congdan", "password": "sai-mat-khau"},
        {"username": "khong-ton-tai", "password": PASSWORD},
    ],
)
def test_wrong_credentials_get_400_in_vietnamese_and_no_token(citizen, credentials):
    response = APIClient().post(TOKEN_URL, credentials, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Tên đăng nhập hoặc mật khẩu không đúng.",
        "code": "invalid_credentials",
    }
    assert not AccessToken.objects.exists()


@pytest.mark.django_db
def test_a_locked_account_cannot_sign_in(citizen):
    citizen.is_active = False
    citizen.save()

    response = APIClient().post(TOKEN_URL, {"username": "congdan", "password": PASSWORD}, format="json")

    assert response.status_code == 400
    assert not AccessToken.objects.exists()


@pytest.mark.django_db
def test_missing_fields_are_named():
    response = APIClient().post(TOKEN_URL, {"username": "congdan"}, format="json")

    assert response.status_code == 400
    assert "password" in response.json()


@pytest.mark.django_db
def test_deleting_revokes_the_presented_token_and_it_stops_working(citizen):
    token = access_token_issue(user=citizen).plain_token
    api = APIClient()

    assert api.delete(TOKEN_URL, headers=bearer(token)).status_code == 204

    response = api.get(ME_URL, headers=bearer(token))
    assert response.status_code == 401
    assert response.json()["detail"] == "Mã truy cập đã bị thu hồi."
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert AccessToken.objects.get(user=citizen).revoked_at is not None


@pytest.mark.django_db
def test_deleting_without_a_bearer_token_is_refused(client, citizen):
    client.force_login(citizen)

    response = client.delete(TOKEN_URL)

    assert response.status_code == 400
    assert response.json()["code"] == "not_a_bearer_token"


@pytest.mark.django_db
def test_deleting_anonymously_asks_for_credentials():
    assert APIClient().delete(TOKEN_URL).status_code == 401


@pytest.mark.django_db
def test_an_expired_token_gets_401_asking_to_sign_in_again(citizen):
    issued = access_token_issue(user=citizen)
    AccessToken.objects.filter(pk=issued.access_token.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )

    response = APIClient().get(ME_URL, headers=bearer(issued.plain_token))

    assert response.status_code == 401
    assert response.json()["detail"] == "Mã truy cập đã hết hạn, vui lòng đăng nhập lại để lấy mã mới."


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("Bearer khong-phai-ma-that", "Mã truy cập không hợp lệ."),
        ("Bearer", "Tiêu đề Authorization phải có dạng: Bearer <mã truy cập>."),
        ("Bearer mot hai", "Tiêu đề Authorization phải có dạng: Bearer <mã truy cập>."),
    ],
)
def test_an_unknown_or_malformed_token_gets_401(header, message):
    response = APIClient().get(ME_URL, headers={"Authorization": header})

    assert response.status_code == 401
    assert response.json()["detail"] == message


@pytest.mark.django_db
def test_a_token_of_a_locked_account_stops_working(citizen):
    token = access_token_issue(user=citizen).plain_token
    citizen.is_active = False
    citizen.save()

    response = APIClient().get(ME_URL, headers=bearer(token))

    assert response.status_code == 401
    assert response.json()["detail"] == "Tài khoản đã bị khóa."


@pytest.mark.django_db
def test_last_use_is_recorded_at_most_once_a_minute(citizen):
    issued = access_token_issue(user=citizen)
    token = issued.access_token
    api = APIClient()

    api.get(ME_URL, headers=bearer(issued.plain_token))
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    api.get(ME_URL, headers=bearer(issued.plain_token))
    token.refresh_from_db()
    assert token.last_used_at == first

    AccessToken.objects.filter(pk=token.pk).update(last_used_at=first - dt.timedelta(seconds=61))
    api.get(ME_URL, headers=bearer(issued.plain_token))
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert token.last_used_at > first


@pytest.mark.django_db
def test_signing_in_too_often_is_throttled_in_vietnamese(citizen):
    api = APIClient()
    rate = int(str(api_settings.DEFAULT_THROTTLE_RATES["auth"]).split("/")[0])
    for _ in range(rate):
        assert (
            api.post(TOKEN_URL, {"username": "congdan", "password": "sai"}, format="json").status_code == 400
        )

    response = api.post(TOKEN_URL, {"username": "congdan", "password": PASSWORD}, format="json")

    assert response.status_code == 429
    assert response.json()["detail"].startswith("Bạn đã thử đăng nhập quá nhiều lần.")
    assert "Retry-After" in response.headers
