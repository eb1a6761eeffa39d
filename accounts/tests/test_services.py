"""Writes of accounts: civil servants and their roles, integration clients and their keys."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import ApiClient, ApiKey, Membership, Role, User
from accounts.services import (
    api_client_create,
    api_key_issue,
    citizen_register,
    membership_end,
    membership_grant,
    staff_create,
)
from agencies.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def test_staff_create_makes_a_civil_servant_with_a_first_role(agency):
    user = staff_create(
        username="canbo.moi",
        full_name="Lương Văn Bình",
        agency=agency,
        role=Role.SPECIALIST,
        title="Chuyên viên",
    )

    assert user.kind == User.Kind.STAFF
    assert not user.has_usable_password()
    membership = user.memberships.get()
    assert (membership.agency, membership.role, membership.title) == (agency, Role.SPECIALIST, "Chuyên viên")
    assert membership.valid_from == timezone.localdate()


def test_staff_create_refuses_a_weak_password_and_writes_nothing(agency):
    with pytest.raises(ValidationError) as raised:
        staff_create(username="canbo.yeu", full_name="A", agency=agency, role=Role.CLERK, password="12345678")

    assert "password" in raised.value.message_dict
    assert not User.objects.filter(username="canbo.yeu").exists()


def test_granting_province_administration_opens_the_django_admin_and_ending_it_closes_it():
    province = AgencyFactory.create(kind="province")
    user = staff_create(username="qt", full_name="Quản Trị", agency=province, role=Role.SPECIALIST)
    assert not user.is_superuser

    membership = membership_grant(user=user, agency=province, role=Role.PROVINCE_ADMIN)
    user.refresh_from_db()
    assert user.is_staff
    assert user.is_superuser

    membership_end(membership=membership)
    user.refresh_from_db()
    assert not user.is_staff
    assert not user.is_superuser


def test_ending_one_of_two_administrator_roles_keeps_the_admin_open(other_agency):
    province = AgencyFactory.create(kind="province")
    user = staff_create(username="qt2", full_name="Quản Trị Hai", agency=province, role=Role.PROVINCE_ADMIN)
    second = membership_grant(user=user, agency=other_agency, role=Role.PROVINCE_ADMIN)

    membership_end(membership=second)

    user.refresh_from_db()
    assert user.is_superuser


def test_only_civil_servants_hold_roles(citizen, agency):
    with pytest.raises(ValidationError) as raised:
        membership_grant(user=citizen, agency=agency, role=Role.CLERK)

    assert raised.value.messages == ["Chỉ tài khoản cán bộ, công chức mới được giao vai trò tại cơ quan."]
    assert not Membership.objects.filter(user=citizen).exists()


def test_the_same_role_in_the_same_agency_is_not_granted_twice(clerk, agency):
    with pytest.raises(ValidationError) as raised:
        membership_grant(user=clerk, agency=agency, role=Role.CLERK)

    assert raised.value.message_dict["role"] == ["Cán bộ này đang giữ vai trò này tại cơ quan này."]


def test_a_role_ends_today_or_earlier_and_only_once(clerk):
    membership = clerk.memberships.get()
    today = timezone.localdate()

    with pytest.raises(ValidationError, match="không được sau hôm nay"):
        membership_end(membership=membership, on=today + dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="không được trước ngày bắt đầu"):
        membership_end(membership=membership, on=membership.valid_from - dt.timedelta(days=1))
    membership_end(membership=membership)
    with pytest.raises(ValidationError, match="đã kết thúc"):
        membership_end(membership=membership)
    assert Membership.objects.get(pk=membership.pk).valid_to == today


def test_after_a_role_ends_the_same_role_can_be_granted_again(clerk, agency):
    membership_end(membership=clerk.memberships.get())

    again = membership_grant(user=clerk, agency=agency, role=Role.CLERK)

    assert again.valid_to is None
    assert clerk.memberships.count() == 2


def test_an_integration_client_gets_a_service_account_that_cannot_sign_in(agency):
    client = api_client_create(name="Phần mềm một cửa Sở Tư pháp", scopes=["procedures:read"], agency=agency)

    assert client.user.kind == User.Kind.INTEGRATION
    assert client.user.username == "api-phan-mem-mot-cua-so-tu-phap"
    assert not client.user.has_usable_password()
    assert client.scopes == ["procedures:read"]


def test_unknown_scopes_are_refused_and_nothing_is_written():
    with pytest.raises(ValidationError) as raised:
        api_client_create(name="Hệ thống lạ", scopes=["procedures:read", "everything:write"])

    assert raised.value.message_dict["scopes"] == ["Phạm vi không tồn tại: everything:write."]
    assert not ApiClient.objects.exists()
    assert not User.objects.filter(kind=User.Kind.INTEGRATION).exists()


def test_two_clients_with_similar_names_get_distinct_service_accounts():
    first = api_client_create(name="Cổng DVC", scopes=[])
    second = api_client_create(name="Cổng  DVC!", scopes=[])

    assert first.user.username != second.user.username


def test_an_issued_key_has_the_congso_shape(api_client):
    issued = api_key_issue(client=api_client.client, expires_at=timezone.now() + dt.timedelta(days=30))

    assert re.fullmatch(r"congso_[a-z0-9]{8}_[A-Za-z0-9_-]{43}", issued.plain_key)
    assert issued.plain_key.split("_")[1] == issued.api_key.prefix


def test_no_key_for_a_suspended_client_or_already_expired(api_client):
    with pytest.raises(ValidationError, match="Thời điểm hết hạn phải sau"):
        api_key_issue(client=api_client.client, expires_at=timezone.now() - dt.timedelta(minutes=1))
    api_client.client.is_active = False
    api_client.client.save()
    with pytest.raises(ValidationError, match="đã ngừng hoạt động"):
        api_key_issue(client=api_client.client, expires_at=None)
    assert ApiKey.objects.filter(client=api_client.client).count() == 1


def test_citizen_register_names_every_fault_by_argument_and_writes_nothing(citizen):
    with pytest.raises(ValidationError) as raised:
        citizen_register(
            full_name="  ", national_id=citizen.national_id, phone="", email="khong-hop-le", password="123"
        )

    errors = raised.value.message_dict
    assert errors["full_name"] == ["Vui lòng nhập họ và tên."]
    assert errors["national_id"] == ["Số định danh cá nhân này đã có tài khoản. Vui lòng đăng nhập."]
    assert errors["phone"] == ["Vui lòng nhập số điện thoại."]
    assert set(errors) == {"full_name", "national_id", "phone", "email", "password"}
    assert User.objects.count() == 1
