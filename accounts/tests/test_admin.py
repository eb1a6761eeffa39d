"""The province administrator manages accounts in /quan-tri/; roles and keys go through services."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts.models import AccessToken, ApiClient, ApiKey, Membership, Role, User
from accounts.services import access_token_issue, membership_grant, staff_create
from agencies.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def province_admin():
    """A province administrator made the way production makes one: through the services."""
    province = AgencyFactory.create(name="UBND tỉnh", kind="province")
    user = staff_create(
        username="quantri.tinh", full_name="Quản Trị Tỉnh", agency=province, role=Role.PROVINCE_ADMIN
    )
    return user


@pytest.fixture
def admin_client(client, province_admin):
    client.force_login(province_admin)
    return client


@pytest.mark.parametrize("model", ["user", "membership", "apiclient", "apikey", "accesstoken"])
def test_the_lists_open_for_the_province_administrator(admin_client, api_client, clerk, model):
    access_token_issue(user=clerk)

    assert admin_client.get(f"/quan-tri/accounts/{model}/").status_code == 200


def test_a_role_given_on_the_persons_page_goes_through_membership_grant(admin_client, agency):
    page = admin_client.get("/quan-tri/accounts/user/add/")
    current, new = (formset.formset.prefix for formset in page.context["inline_admin_formsets"])
    data = {
        "username": "canbo.moi",
        "kind": "staff",
        "full_name": "Triệu Thị Hằng",
        "usable_password": "false",
        f"{current}-TOTAL_FORMS": "0",
        f"{current}-INITIAL_FORMS": "0",
        f"{new}-TOTAL_FORMS": "1",
        f"{new}-INITIAL_FORMS": "0",
        f"{new}-0-agency": str(agency.pk),
        f"{new}-0-role": Role.PROVINCE_ADMIN,
        f"{new}-0-title": "Chuyên viên quản trị",
        f"{new}-0-valid_from": "2025-07-01",
    }

    response = admin_client.post("/quan-tri/accounts/user/add/", data)

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    user = User.objects.get(username="canbo.moi")
    membership = user.memberships.get()
    assert (membership.role, membership.agency, membership.title) == (
        Role.PROVINCE_ADMIN,
        agency,
        "Chuyên viên quản trị",
    )
    assert user.is_staff
    assert user.is_superuser


def test_a_role_cannot_be_given_to_a_citizen_from_the_admin(admin_client, citizen, agency):
    page = admin_client.get(f"/quan-tri/accounts/user/{citizen.pk}/change/")
    form = page.context["adminform"].form
    current, new = (formset.formset.prefix for formset in page.context["inline_admin_formsets"])
    data = {
        "username": citizen.username,
        "kind": "citizen",
        "full_name": citizen.full_name,
        "national_id": citizen.national_id,
        "is_active": "on",
        "date_joined_0": form.initial["date_joined"].strftime("%Y-%m-%d"),
        "date_joined_1": form.initial["date_joined"].strftime("%H:%M:%S"),
        f"{current}-TOTAL_FORMS": "0",
        f"{current}-INITIAL_FORMS": "0",
        f"{new}-TOTAL_FORMS": "1",
        f"{new}-INITIAL_FORMS": "0",
        f"{new}-0-agency": str(agency.pk),
        f"{new}-0-role": Role.CLERK,
        f"{new}-0-valid_from": "2025-07-01",
    }

    response = admin_client.post(f"/quan-tri/accounts/user/{citizen.pk}/change/", data)

    assert response.status_code == 200
    assert "Chỉ tài khoản cán bộ, công chức mới được giao vai trò tại cơ quan." in response.content.decode()
    assert not Membership.objects.filter(user=citizen).exists()


def test_ending_roles_from_the_list(admin_client, clerk):
    membership = clerk.memberships.get()

    admin_client.post(
        "/quan-tri/accounts/membership/", {"action": "end_today", "_selected_action": [membership.pk]}
    )

    membership.refresh_from_db()
    assert membership.valid_to is not None


def test_adding_a_client_creates_its_service_account(admin_client, agency):
    response = admin_client.post(
        "/quan-tri/accounts/apiclient/add/",
        {
            "name": "Hệ thống quản lý văn bản",
            "agency": str(agency.pk),
            "scopes": ["agencies:read"],
            "keys-TOTAL_FORMS": "0",
            "keys-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    client = ApiClient.objects.get(name="Hệ thống quản lý văn bản")
    assert client.user.kind == User.Kind.INTEGRATION
    assert client.scopes == ["agencies:read"]


def test_issuing_a_key_shows_it_once_and_it_works(admin_client, api_client):
    response = admin_client.post(
        "/quan-tri/accounts/apiclient/", {"action": "issue_key", "_selected_action": [api_client.client.pk]}
    )

    assert response.status_code == 200
    assert "congso chỉ lưu mã băm, không thể hiển thị lại khóa" in response.content.decode()
    ((issued_client, issued),) = response.context["issued"]
    assert issued_client == api_client.client
    assert issued.plain_key in response.content.decode()
    assert APIClient().get("/api/v1/auth/me/", headers={"X-Api-Key": issued.plain_key}).status_code == 200
    assert (
        issued.plain_key
        not in admin_client.get(
            f"/quan-tri/accounts/apiclient/{api_client.client.pk}/change/"
        ).content.decode()
    )


def test_revoking_keys_and_tokens_from_the_lists(admin_client, api_client, citizen):
    token = access_token_issue(user=citizen)
    key = ApiKey.objects.get(client=api_client.client)

    admin_client.post("/quan-tri/accounts/apikey/", {"action": "revoke", "_selected_action": [key.pk]})
    admin_client.post(
        "/quan-tri/accounts/accesstoken/", {"action": "revoke", "_selected_action": [token.access_token.pk]}
    )

    assert ApiKey.objects.get(pk=key.pk).revoked_at is not None
    assert AccessToken.objects.get(pk=token.access_token.pk).revoked_at is not None
    assert APIClient().get("/api/v1/auth/me/", headers=api_client.headers).status_code == 401


@pytest.mark.parametrize("persona", ["clerk", "leader", "citizen"])
def test_other_people_do_not_reach_the_administration(client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.get("/quan-tri/accounts/user/")

    assert response.status_code == 302
    assert response.url.startswith("/quan-tri/login/")


def test_a_new_province_administrator_is_granted_through_the_service(province_admin, clerk, agency):
    membership_grant(user=clerk, agency=agency, role=Role.PROVINCE_ADMIN)
    clerk.refresh_from_db()

    assert clerk.is_superuser
