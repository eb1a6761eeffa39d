"""The calendar in the Django admin, over HTTP, as the province administrator persona."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from accounts.models import User
from agencies.models import Agency
from workcalendar.clock import add_working_days, is_working_day
from workcalendar.models import CalendarDay, CalendarDayChange, WorkingHours
from workcalendar.services import calendar_seed_year
from workcalendar.tests.conftest import at

pytestmark = pytest.mark.django_db

DAYS = "/quan-tri/workcalendar/calendarday/"
AUDIT = "/quan-tri/workcalendar/calendardaychange/"
HOURS = "/quan-tri/workcalendar/workinghours/"


@pytest.fixture
def admin_client(admin: User) -> Client:
    """The persona as it is: a province_admin role granted through accounts.services, which opens
    the Django admin to them."""
    client = Client()
    client.force_login(admin)
    return client


@pytest.fixture
def year_2025(db: None) -> None:
    calendar_seed_year(year=2025)


def _pk(day: dt.date) -> int:
    return CalendarDay.objects.get(date=day).pk


@pytest.mark.usefixtures("year_2025")
def test_the_administrator_lists_the_days_of_a_year(admin_client: Client) -> None:
    response = admin_client.get(DAYS, {"nam": "2025"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "30/04/2025" in page
    assert "Ngày Chiến thắng" in page
    assert "Thứ Bảy" in page  # the make-up Saturday 26/4


@pytest.mark.usefixtures("year_2025")
def test_adding_a_day_through_the_admin_is_audited_and_changes_the_next_deadline(
    admin_client: Client, admin: User
) -> None:
    assert add_working_days(at(2025, 4, 24, 10), 5) == at(2025, 5, 5, 10)

    response = admin_client.post(
        f"{DAYS}add/",
        {
            "date": "25/04/2025",
            "kind": "day_off",
            "name": "Nghỉ theo quyết định của tỉnh",
            "note": "",
            "reason": "Quyết định số 99/QĐ-UBND",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert add_working_days(at(2025, 4, 24, 10), 5) == at(2025, 5, 6, 10)
    entry = CalendarDayChange.objects.get(date=dt.date(2025, 4, 25))
    assert (entry.action, entry.via, entry.actor, entry.reason) == (
        "add",
        "admin",
        admin,
        "Quyết định số 99/QĐ-UBND",
    )


@pytest.mark.usefixtures("year_2025")
def test_the_add_form_refuses_a_weekday_make_up_day_and_a_missing_reason(admin_client: Client) -> None:
    response = admin_client.post(
        f"{DAYS}add/",
        {"date": "04/06/2025", "kind": "makeup_workday", "name": "Làm bù", "note": "", "reason": ""},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Ngày làm bù phải là thứ Bảy hoặc Chủ nhật" in page
    assert not CalendarDay.objects.filter(date=dt.date(2025, 6, 4)).exists()


@pytest.mark.usefixtures("year_2025")
def test_changing_a_day_through_the_admin_is_audited(admin_client: Client, admin: User) -> None:
    url = f"{DAYS}{_pk(dt.date(2025, 4, 26))}/change/"
    form = admin_client.get(url)
    assert form.status_code == 200
    assert "26/04/2025" in form.content.decode()

    response = admin_client.post(
        url,
        {"kind": "day_off", "name": "Không làm bù", "note": "", "reason": "Công văn số 5/UBND-KGVX"},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert not is_working_day(dt.date(2025, 4, 26))
    entry = CalendarDayChange.objects.get(date=dt.date(2025, 4, 26), action="change")
    assert entry.actor == admin
    assert entry.before is not None
    assert entry.before["kind"] == "makeup_workday"
    assert entry.after is not None
    assert entry.after["kind"] == "day_off"


@pytest.mark.usefixtures("year_2025")
def test_deleting_a_day_needs_a_reason_and_is_audited(admin_client: Client, admin: User) -> None:
    url = f"{DAYS}{_pk(dt.date(2025, 5, 2))}/delete/"
    page = admin_client.get(url)
    assert page.status_code == 200
    assert 'name="reason"' in page.content.decode()

    refused = admin_client.post(url, {"post": "yes", "reason": "  "}, follow=True)
    assert "Phải nêu lý do" in refused.content.decode()
    assert CalendarDay.objects.filter(date=dt.date(2025, 5, 2)).exists()

    done = admin_client.post(url, {"post": "yes", "reason": "Tỉnh không hoán đổi"})
    assert done.status_code == 302
    assert is_working_day(dt.date(2025, 5, 2))
    entry = CalendarDayChange.objects.get(date=dt.date(2025, 5, 2), action="remove")
    assert (entry.actor, entry.reason) == (admin, "Tỉnh không hoán đổi")


@pytest.mark.usefixtures("year_2025")
def test_bulk_delete_is_not_offered(admin_client: Client) -> None:
    response = admin_client.post(
        DAYS, {"action": "delete_selected", "_selected_action": [_pk(dt.date(2025, 5, 2))], "post": "yes"}
    )
    assert CalendarDay.objects.filter(date=dt.date(2025, 5, 2)).exists()
    assert response.status_code in {200, 302}


@pytest.mark.usefixtures("year_2025")
def test_the_audit_is_read_only_in_the_admin(admin_client: Client) -> None:
    entry = CalendarDayChange.objects.get(date=dt.date(2025, 4, 30))

    assert admin_client.get(AUDIT).status_code == 200
    assert admin_client.get(f"{AUDIT}{entry.pk}/change/").status_code == 200
    assert admin_client.get(f"{AUDIT}add/").status_code == 403
    assert admin_client.post(f"{AUDIT}{entry.pk}/change/", {"reason": "sửa lén"}).status_code == 403
    assert admin_client.post(f"{AUDIT}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert entry.reason != "sửa lén"


def test_the_administrator_sets_an_agency_cut_off(admin_client: Client, agency: Agency) -> None:
    response = admin_client.post(
        f"{HOURS}add/",
        {
            "agency": agency.pk,
            "morning_start": "07:30",
            "morning_end": "11:30",
            "afternoon_start": "13:00",
            "afternoon_end": "17:00",
            "reception_cutoff": "16:00",
            "basis": "Quyết định số 1/QĐ-UBND",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert WorkingHours.objects.get(agency=agency).reception_cutoff == dt.time(16, 0)


@pytest.mark.parametrize("persona", ["clerk", "leader"])
@pytest.mark.usefixtures("year_2025")
def test_other_staff_cannot_touch_the_calendar_even_as_django_staff(
    persona: str, request: pytest.FixtureRequest
) -> None:
    user: User = request.getfixturevalue(persona)
    user.is_staff = True
    user.save()
    client = Client()
    client.force_login(user)

    assert client.get(DAYS).status_code == 403
    assert client.get(AUDIT).status_code == 403
    assert (
        client.post(f"{DAYS}{_pk(dt.date(2025, 5, 2))}/delete/", {"post": "yes", "reason": "x"}).status_code
        == 403
    )
    assert CalendarDay.objects.filter(date=dt.date(2025, 5, 2)).exists()


def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get(DAYS)
    assert response.status_code == 302
    assert "login" in response["Location"]
