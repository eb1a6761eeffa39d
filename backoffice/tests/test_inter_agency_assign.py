"""The participating agency's leader gives its liên thông task to one of its specialists from the
dossier page's liên thông panel; the specialist then has the dossier in their queue and records the
result. Nobody else is offered the form, and a refusal is shown in Vietnamese."""

from __future__ import annotations

import pytest

from accounts.models import Role
from accounts.tests.factories import MembershipFactory, StaffFactory
from agencies.tests.factories import AgencyFactory
from backoffice.tests.builders import at_step_now, detail_url, fresh, key_of
from dossiers.models import DossierEvent
from dossiers.services import dossier_inter_agency_start

pytestmark = pytest.mark.django_db

FORM_TITLE = "Phân công nhiệm vụ «Xác định nghĩa vụ thuế»"


def assign_url(dossier, step) -> str:
    return f"/can-bo/ho-so/{key_of(dossier)}/lien-thong/{step.pk}/phan-cong/"


def page_of(client, user, dossier) -> str:
    client.force_login(user)
    response = client.get(detail_url(dossier))
    assert response.status_code == 200
    return str(response.content.decode())


def assign(client, user, dossier, step, assignee):
    client.force_login(user)
    return client.post(
        assign_url(dossier, step),
        {"lock_version": fresh(dossier).lock_version, "assignee": "" if assignee is None else assignee.pk},
    )


def _staff(username, name, agency, role):
    user = StaffFactory(username=username, full_name=name)
    MembershipFactory(user=user, agency=agency, role=role)
    return user


@pytest.fixture
def tax_office():
    return AgencyFactory(name="Chi cục Thuế khu vực Lạng Sơn", kind="other")


@pytest.fixture
def tax_head(tax_office):
    return _staff("thue.truong", "Hoàng Văn Trưởng", tax_office, Role.AGENCY_LEADER)


@pytest.fixture
def tax_officer(tax_office):
    return _staff("thue.loc", "Lộc Văn Thuế", tax_office, Role.SPECIALIST)


@pytest.fixture
def tax_officer_two(tax_office):
    return _staff("thue.be", "Bế Thị Hai", tax_office, Role.SPECIALIST)


@pytest.fixture
def dossier(citizen, clerk, specialist, agency):
    return at_step_now(2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)


@pytest.fixture
def task(dossier, specialist, tax_office, tax_officer, tax_officer_two):
    return dossier_inter_agency_start(
        dossier=dossier, actor=specialist, agency=tax_office, task="Xác định nghĩa vụ thuế", budget_hours=8
    )


def test_the_participating_leader_assigns_the_task_and_the_specialist_answers(
    client, dossier, task, tax_head, tax_officer, tax_officer_two
):
    client.force_login(tax_head)
    assert dossier.code in client.get("/can-bo/ho-so/hang-doi/cho-phan-cong/").content.decode()
    page = page_of(client, tax_head, dossier)
    assert FORM_TITLE in page
    assert "Lộc Văn Thuế (thue.loc)" in page
    assert "Bế Thị Hai (thue.be)" in page
    assert f'id="lien-thong-phan-cong-{task.pk}-assignee"' in page

    response = assign(client, tax_head, dossier, task, tax_officer)

    assert response.status_code == 302
    assert response["Location"].endswith("#lien-thong")
    task.refresh_from_db()
    assert (task.assignee, task.received_by) == (tax_officer, tax_officer)
    event = DossierEvent.objects.get(dossier=dossier, action="assign_inter_agency")
    assert (event.actor, event.data["assignee"], event.data["task"]) == (
        tax_head,
        "Lộc Văn Thuế",
        "Xác định nghĩa vụ thuế",
    )
    after = page_of(client, tax_head, dossier)
    assert "Đã giao nhiệm vụ liên thông «Xác định nghĩa vụ thuế» cho Lộc Văn Thuế." in after
    assert "đang giao cho Lộc Văn Thuế" in after  # the form stays, to give it to someone else
    # The timeline says who gave the task to whom.
    assert "phân công Lộc Văn Thuế thực hiện nhiệm vụ liên thông «Xác định nghĩa vụ thuế»" in after
    assert dossier.code not in client.get("/can-bo/ho-so/hang-doi/cho-phan-cong/").content.decode()
    # The queue of the assignee holds the dossier; the other specialist's no longer does.
    client.force_login(tax_officer)
    assert dossier.code in client.get("/can-bo/ho-so/hang-doi/can-xu-ly/").content.decode()
    client.force_login(tax_officer_two)
    assert dossier.code not in client.get("/can-bo/ho-so/hang-doi/can-xu-ly/").content.decode()
    assert "Ghi kết quả nhiệm vụ «Xác định nghĩa vụ thuế»" in page_of(client, tax_officer, dossier)
    assert "Ghi kết quả nhiệm vụ" not in page_of(client, tax_officer_two, dossier)


def test_only_the_leader_of_the_tasks_agency_is_offered_the_form(
    client, dossier, task, specialist, leader, tax_officer
):
    for user in (specialist, leader, tax_officer):
        assert FORM_TITLE not in page_of(client, user, dossier)

    refused = assign(client, tax_officer, dossier, task, tax_officer)

    assert refused.status_code == 400
    assert "Bạn không được giao việc «phân công thực hiện nhiệm vụ liên thông»" in refused.content.decode()
    task.refresh_from_db()
    assert task.assignee is None


def test_an_assignment_without_a_person_or_to_someone_else_is_refused(
    client, dossier, task, tax_head, specialist
):
    empty = assign(client, tax_head, dossier, task, None)
    stranger = assign(client, tax_head, dossier, task, specialist)

    assert empty.status_code == stranger.status_code == 400
    assert "Phải chọn cán bộ thực hiện nhiệm vụ liên thông." in empty.content.decode()
    assert "Cán bộ đã chọn không còn giữ vai trò của nhiệm vụ; hãy chọn lại." in stranger.content.decode()
    task.refresh_from_db()
    assert task.assignee is None
