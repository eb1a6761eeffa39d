"""Every civil servant's home at /can-bo/: their roles, today, and what each role opens now."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin as django_admin
from django.test import Client
from django.utils import timezone

from accounts.models import Role, User
from accounts.tests.factories import MembershipFactory, StaffFactory
from agencies.tests.factories import AgencyFactory
from workcalendar.clock import is_working_day

URL = "/can-bo/"

pytestmark = pytest.mark.django_db


def home_of(client: Client, user: User) -> str:
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url == "/tai-khoan/dang-nhap/?next=/can-bo/"


def test_citizens_never_see_it(client, citizen):
    client.force_login(citizen)

    response = client.get(URL)

    assert response.status_code == 403
    assert "Bạn không có quyền truy cập trang này" in response.content.decode()


def test_staff_whose_roles_have_all_ended_never_see_it(client):
    user = StaffFactory.create()
    MembershipFactory(
        user=user, valid_from=timezone.localdate().replace(year=2024), valid_to=timezone.localdate()
    )
    client.force_login(user)

    assert client.get(URL).status_code == 403


def test_the_clerk_sees_their_desk_today_and_the_catalogue(client, clerk):
    page = home_of(client, clerk)
    today = timezone.localdate()

    assert "Xin chào, Vi Thị Hoa" in page
    assert "Cán bộ tiếp nhận một cửa" in page
    assert "UBND phường Tam Thanh" in page
    assert today.strftime("%d/%m/%Y") in page
    assert ("Ngày làm việc" if is_working_day(today) else "Ngày nghỉ") in page
    assert 'href="/thu-tuc/"' in page
    assert "/quan-tri/" not in page
    assert "Cán bộ trong đơn vị" not in page


def test_a_day_off_is_shown_as_such(client, clerk, monkeypatch):
    monkeypatch.setattr("backoffice.selectors.is_working_day", lambda day, agency=None: False)

    page = home_of(client, clerk)

    assert "Ngày nghỉ" in page
    assert "Ngày làm việc" not in page


def test_the_specialist_sees_their_processing_role(client, specialist):
    page = home_of(client, specialist)

    assert "Chuyên viên xử lý" in page
    assert "Thẩm định, xử lý hồ sơ" in page
    assert "/quan-tri/" not in page


def test_the_agency_leader_sees_the_staff_of_their_agency_only(
    client, leader, clerk, specialist, clerk_other_agency
):
    page = home_of(client, leader)

    assert "Lãnh đạo cơ quan" in page
    assert "Cán bộ trong đơn vị" in page
    assert "Vi Thị Hoa" in page
    assert "Đinh Thị Mai" in page
    assert "Nông Văn Tú" not in page
    assert "/quan-tri/" not in page


def test_the_department_leader_sees_the_staff_of_their_division(client, agency):
    division = AgencyFactory(name="Phòng Văn hóa - Xã hội", kind="division", parent=agency)
    head = StaffFactory.create(full_name="Mã Thị Thu")
    MembershipFactory(user=head, agency=division, role=Role.DEPARTMENT_LEADER)
    MembershipFactory(
        user=StaffFactory.create(full_name="Hoàng Văn Khải"), agency=division, role=Role.SPECIALIST
    )

    page = home_of(client, head)

    assert "Lãnh đạo phòng" in page
    assert "Phòng Văn hóa - Xã hội" in page
    assert "Hoàng Văn Khải" in page


def test_the_province_administrator_gets_the_administration_that_exists(client, admin):
    page = home_of(client, admin)

    assert "Quản trị hệ thống cấp tỉnh" in page
    assert 'href="/quan-tri/accounts/"' in page
    assert 'href="/api/v1/docs/"' in page
    for app_label in ("catalog", "workcalendar", "agencies"):
        registered = any(
            django_admin.site.is_registered(m) for m in apps.get_app_config(app_label).get_models()
        )
        assert (f'href="/quan-tri/{app_label}/"' in page) == registered


def test_a_person_with_two_roles_sees_both(client, clerk, other_agency):
    MembershipFactory(user=clerk, agency=other_agency, role=Role.SPECIALIST)

    page = home_of(client, clerk)

    assert "Cán bộ tiếp nhận một cửa" in page
    assert "Chuyên viên xử lý" in page
    assert "UBND xã Đồng Đăng" in page
