"""The directives API, through HTTP as a partner system or a script would use it."""

from __future__ import annotations

import pytest
from django.test import Client

from directives.models import Directive, Status, Task
from directives.tests.conftest import SEED_004
from directives.tests.helpers import NOTICE, assigned_tasks

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_extract_returns_the_proposed_tasks_of_a_text_and_records_nothing(office):
    response = _client(office.secretary).post(
        "/api/v1/directives/extract/",
        {"text": SEED_004.read_text(encoding="utf-8")},
        content_type="application/json",
    )

    assert response.status_code == 200
    body = response.json()
    assert body["shape"] == "numbered"
    assert body["issued_on"] == "2024-03-19"
    assert len(body["tasks"]) == 17
    dated = [t for t in body["tasks"] if t["deadline"]["due_on"] == "2024-06-30"]
    assert [t["number"] for t in dated] == ["2.3.3", "2.3.4"]
    assert dated[0]["leads"][0]["name"] == "Sở Khoa học và Công nghệ"
    assert "Sở Thông tin và Truyền thông" in dated[0]["agency_note"]
    assert not Directive.objects.exists()


def test_post_directives_records_one_and_returns_its_drafts(office):
    response = _client(office.secretary).post(
        "/api/v1/directives/",
        {
            "owner_agency": office.office.pk,
            "issuer": office.province.pk,
            "number": "45/TB-UBND",
            "assigner": office.vice_chairman.pk,
            "text": NOTICE,
        },
        content_type="application/json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"] == "45/TB-UBND"
    assert body["issued_on"] == "2025-03-10"
    assert [d["number"] for d in body["drafts"]] == ["2.1", "2.2", "2.3"]
    assert body["tasks"] == []
    listed = _client(office.secretary).get("/api/v1/directives/").json()
    assert listed["count"] == 1
    assert _client(office.outsider).get("/api/v1/directives/").json()["count"] == 0


def test_post_directives_with_a_bad_agency_or_no_text_answers_in_vietnamese(office):
    client = _client(office.secretary)

    no_text = client.post(
        "/api/v1/directives/",
        {"owner_agency": office.office.pk, "issuer": office.province.pk},
        content_type="application/json",
    )
    foreign = client.post(
        "/api/v1/directives/",
        {"owner_agency": office.department.pk, "issuer": office.province.pk, "text": NOTICE},
        content_type="application/json",
    )

    assert no_text.status_code == 400
    assert "dán nội dung" in str(no_text.json())
    assert foreign.status_code == 400
    assert "cơ quan mình công tác" in str(foreign.json())


def test_tasks_are_filtered_by_agency_status_and_deadline(office):
    assigned_tasks(office)
    client = _client(office.specialist)

    everything = client.get("/api/v1/tasks/").json()
    by_agency = client.get(f"/api/v1/tasks/?agency={office.other_department.pk}").json()
    due = client.get("/api/v1/tasks/?due_before=2025-05-01&status=assigned").json()
    bad = client.get("/api/v1/tasks/?status=xong")

    assert everything["count"] == 3
    assert [t["number"] for t in by_agency["results"]] == ["2.2"]  # Sở Tài chính coordinates it
    assert sorted(t["number"] for t in due["results"]) == ["2.1", "2.3"]
    assert bad.status_code == 400
    assert _client(office.outsider).get("/api/v1/tasks/").json()["count"] == 1


def test_actions_through_the_api_follow_the_rules(office):
    task = assigned_tasks(office)["2.1"]

    accepted = _client(office.specialist).post(
        f"/api/v1/tasks/{task.pk}/accept/", {}, content_type="application/json"
    )
    progress = _client(office.specialist).post(
        f"/api/v1/tasks/{task.pk}/progress/",
        {"percent": 30, "text": "Đang dự thảo."},
        content_type="application/json",
    )
    forbidden = _client(office.specialist).post(
        f"/api/v1/tasks/{task.pk}/report-done/", {"text": "Xong."}, content_type="application/json"
    )
    done = _client(office.director).post(
        f"/api/v1/tasks/{task.pk}/report_done/", {"text": "Xong."}, content_type="application/json"
    )
    returned = _client(office.secretary).post(
        f"/api/v1/tasks/{task.pk}/return/", {"reason": "Thiếu phụ lục."}, content_type="application/json"
    )
    stranger = _client(office.outsider).post(
        f"/api/v1/tasks/{task.pk}/accept/", {}, content_type="application/json"
    )
    unknown = _client(office.specialist).post(
        f"/api/v1/tasks/{task.pk}/xoa/", {}, content_type="application/json"
    )

    assert accepted.status_code == 200
    assert progress.json()["progress"] == 30
    assert forbidden.status_code == 400
    assert "không có quyền" in str(forbidden.json())
    assert done.json()["status"] == Status.REPORTED_DONE
    assert returned.json()["status"] == Status.IN_PROGRESS
    assert [e["action"] for e in returned.json()["events"]] == [
        "assign",
        "accept",
        "progress",
        "report_done",
        "return",
    ]
    assert stranger.status_code == 404
    assert unknown.status_code == 404
    assert Task.objects.get(pk=task.pk).status == Status.IN_PROGRESS


def test_citizens_and_integration_clients_are_refused(office, citizen, api_client):
    client = Client()
    client.force_login(citizen)

    assert client.get("/api/v1/tasks/").status_code == 403
    assert Client().get("/api/v1/tasks/", headers=api_client.headers).status_code == 403
    assert Client().get("/api/v1/directives/").status_code == 401
