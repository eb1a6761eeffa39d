"""Acting on a dossier over HTTP: each action reaches its service, and a refusal answers 409
(not now, or changed meanwhile), 403 (not in this person's capacity), 400 (bad input) or 404
(not visible), always with the engine's Vietnamese message."""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from accounts.scopes import Scope
from accounts.services import api_client_create, api_key_issue
from dossiers.models import Dossier, DossierFile, Rating
from dossiers.services import dossier_forward
from dossiers.tests.factories import (
    PDF_BYTES,
    commune_procedure,
    received_dossier,
    submitted_dossier,
)
from workcalendar.clock import add_working_days

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar")]

LIST = "/api/v1/dossiers/"
PDF = base64.b64encode(PDF_BYTES).decode()


def act(user, key, action, data=None, headers=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.post(
        f"{LIST}{key}/{action}/", data or {}, content_type="application/json", headers=headers or {}
    )


def result_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("ket-qua*") if p.is_file()] if root.exists() else []


def recent() -> dt.datetime:
    """Two working days ago: recent enough for the deadlines the tests meet over HTTP (now)."""
    return add_working_days(timezone.now(), -2)


def test_a_clerk_receives_an_online_dossier(citizen, clerk, agency):
    dossier = submitted_dossier(applicant=citizen, commune=agency)

    response = act(clerk, dossier.reference, "receive")

    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["code"].endswith("-0001")
    assert (data["status"], data["status_code"]) == ("received", 2)
    assert data["due_date"] is not None
    assert data["history"][-1]["action"] == "receive"
    assert data["history"][-1]["actor_name"] == "Vi Thị Hoa"


def test_receiving_twice_is_a_409_in_vietnamese(citizen, clerk, agency):
    dossier = received_dossier(applicant=citizen, clerk=clerk, commune=agency)

    response = act(clerk, dossier.code, "receive")

    assert response.status_code == 409
    assert response.json() == {
        "detail": "Không thể tiếp nhận hồ sơ khi hồ sơ đang ở trạng thái «Được tiếp nhận».",
        "code": "status",
    }


def test_an_action_on_a_version_someone_else_changed_is_a_409(citizen, clerk, specialist, agency):
    dossier = received_dossier(applicant=citizen, clerk=clerk, commune=agency)
    seen = Client()
    seen.force_login(clerk)
    lock_version = seen.get(f"{LIST}{dossier.code}/").json()["lock_version"]
    dossier_forward(dossier=dossier, actor=clerk, to_user=specialist)  # another tab, a moment ago

    response = act(clerk, dossier.code, "forward", {"lock_version": lock_version})

    assert response.status_code == 409
    assert response.json() == {
        "detail": "Hồ sơ vừa được người khác cập nhật, vui lòng tải lại.",
        "code": "concurrent_update",
    }
    assert Dossier.objects.get(pk=dossier.pk).lock_version == lock_version + 1


def test_an_action_outside_the_persons_capacity_is_a_403(citizen, clerk, leader, agency):
    dossier = submitted_dossier(applicant=citizen, commune=agency)

    by_applicant = act(citizen, dossier.reference, "receive")
    by_leader = act(leader, dossier.reference, "receive")

    assert by_applicant.status_code == by_leader.status_code == 403
    assert by_applicant.json()["detail"] == "Bạn không được giao việc «tiếp nhận hồ sơ» đối với hồ sơ này."
    assert Dossier.objects.get(pk=dossier.pk).status == "submitted"


def test_a_dossier_one_may_not_see_is_not_found_for_every_action(
    citizen, other_citizen, clerk, clerk_other_agency, agency
):
    dossier = received_dossier(applicant=citizen, clerk=clerk, commune=agency)

    for user, action in ((clerk_other_agency, "forward"), (other_citizen, "withdraw"), (clerk, "no-such")):
        assert act(user, dossier.code, action).status_code == 404
    assert act(clerk, "000.00.00.H40-990101-0001", "forward").status_code == 404
    assert act(None, dossier.code, "forward").status_code == 401


def test_a_supplement_is_asked_in_one_notice_and_handed_in_online(citizen, clerk, agency):
    dossier = submitted_dossier(applicant=citizen, commune=agency)

    without_reason = act(clerk, dossier.reference, "request-supplement", {"items": [{"component": 1}]})
    asked = act(
        clerk,
        dossier.reference,
        "request-supplement",
        {"items": [{"component": 1, "note": "bản có chứng thực"}], "reason": "Bản sao chưa chứng thực."},
    )
    empty = act(citizen, dossier.reference, "submit-supplement", {"files": []})
    handed_in = act(
        citizen,
        dossier.reference,
        "submit-supplement",
        {"files": [{"component": 1, "name": "ban-chung-thuc.pdf", "content": PDF}], "note": "Đã bổ sung."},
    )

    assert without_reason.status_code == 400
    assert without_reason.json() == {"reason": ["Trường này là bắt buộc."]}
    assert asked.status_code == 200
    assert (asked.json()["status"], asked.json()["status_code"]) == ("supplement_requested", 5)
    assert empty.status_code == 400
    assert handed_in.status_code == 200, handed_in.json()
    assert handed_in.json()["status"] == "submitted"
    supplement = DossierFile.objects.get(dossier=dossier, kind=DossierFile.Kind.SUPPLEMENT)
    assert supplement.requirement is not None
    assert supplement.requirement.order == 1


def test_a_supplement_for_a_component_the_procedure_does_not_have_is_refused(citizen, clerk, agency):
    dossier = submitted_dossier(applicant=citizen, commune=agency)

    response = act(
        clerk, dossier.reference, "request-supplement", {"items": [{"component": 7}], "reason": "Thiếu."}
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"items[0].component": ["Thủ tục không có thành phần hồ sơ số 7."]}


def test_a_refusal_at_reception_needs_a_reason_and_closes_the_dossier(citizen, clerk, agency):
    dossier = submitted_dossier(applicant=citizen, commune=agency)

    blank = act(clerk, dossier.reference, "refuse", {"reason": "   "})
    refused = act(clerk, dossier.reference, "refuse", {"reason": "Không thuộc thẩm quyền của phường."})
    again = act(clerk, dossier.reference, "refuse", {"reason": "Lần nữa."})

    assert blank.status_code == 400
    assert refused.status_code == 200
    assert (refused.json()["status"], refused.json()["status_code"]) == ("not_accepted", 3)
    assert again.status_code == 409


def test_a_whole_dossier_over_http(citizen, clerk, specialist, leader, agency):
    dossier = submitted_dossier(applicant=citizen, commune=agency, now=recent())

    received = act(clerk, dossier.reference, "receive").json()
    code = received["code"]
    transferred = act(clerk, code, "forward", {"to_user": specialist.username})
    appraised = act(specialist, code, "forward", {"outcome": "Đủ điều kiện."})
    resolved = act(
        leader,
        code,
        "resolve",
        {"summary": "Đã cấp trích lục.", "files": [{"name": "ket-qua.pdf", "content": PDF}]},
    )
    returned = act(clerk, code, "return-result", {"note": "Người nộp nhận trực tiếp."})
    rated = act(citizen, code, "rate", {"score": 3, "criteria": {"staff_attitude": 3}, "comment": "Nhanh."})

    steps = [
        (r.status_code, r.json()["status_code"]) for r in (transferred, appraised, resolved, returned, rated)
    ]
    assert steps == [(200, 4), (200, 4), (200, 9), (200, 10), (200, 10)]
    assert transferred.json()["steps"][1]["assignee"] == specialist.get_full_name()
    assert resolved.json()["resolved_at"] is not None
    assert [f["kind"] for f in resolved.json()["files"]].count("result") == 1
    assert Rating.objects.get(dossier__code=code).score == 3
    assert [e["action"] for e in rated.json()["history"]] == [
        "submit",
        "receive",
        "forward",
        "forward",
        "resolve",
        "return_result",
        "rate",
    ]
    twice = act(citizen, code, "rate", {"score": 2})
    assert (twice.status_code, twice.json()["code"]) == (400, "already_rated")


def test_a_resolution_refused_leaves_no_result_file_behind(citizen, clerk, specialist, agency):
    dossier = received_dossier(applicant=citizen, clerk=clerk, commune=agency)
    act(clerk, dossier.code, "forward", {"to_user": specialist.username})

    early = act(
        specialist,
        dossier.code,
        "resolve",
        {"summary": "Xong.", "files": [{"name": "ket-qua.pdf", "content": PDF}]},
    )
    no_file = act(specialist, dossier.code, "resolve", {"summary": "Xong."})

    assert early.status_code == 409  # the approval step is still to come
    assert "chưa qua đủ các bước" in early.json()["detail"]
    assert no_file.status_code in (400, 409)
    assert not DossierFile.objects.filter(kind=DossierFile.Kind.RESULT).exists()
    assert result_files() == []


def test_an_apology_is_made_once_and_in_time(citizen, clerk, specialist, leader, agency):
    version = commune_procedure(processing_time=10)
    dossier = received_dossier(applicant=citizen, clerk=clerk, commune=agency, version=version, now=recent())
    act(clerk, dossier.code, "forward", {"to_user": specialist.username})
    old = received_dossier(applicant=citizen, clerk=clerk, commune=agency)  # due in September 2025
    dossier.refresh_from_db()
    assert dossier.due_at is not None
    new_due = add_working_days(dossier.due_at, 3).isoformat()
    reason = "Cần lấy ý kiến cơ quan liên quan."

    first = act(leader, dossier.code, "apologise", {"reason": reason, "new_due_at": new_due})
    second = act(leader, dossier.code, "apologise", {"reason": reason, "new_due_at": new_due})
    late = act(leader, old.code, "apologise", {"reason": reason, "new_due_at": new_due})

    assert first.status_code == 200, first.json()
    assert first.json()["apology_count"] == 1
    assert dt.datetime.fromisoformat(first.json()["due_at"]) == dt.datetime.fromisoformat(new_due)
    assert second.status_code == 409
    assert second.json()["code"] == "apology_once"
    assert "không được hẹn lại lần thứ hai" in second.json()["detail"]
    assert late.status_code == 409
    assert late.json()["code"] == "apology_too_late"


def test_the_head_assigns_a_handler_by_user_name(citizen, clerk, specialist, leader, agency):
    dossier = received_dossier(applicant=citizen, clerk=clerk, commune=agency)
    act(clerk, dossier.code, "forward")

    unknown = act(leader, dossier.code, "assign", {"assignee": "khong.co.ai"})
    assigned = act(leader, dossier.code, "assign", {"assignee": specialist.username})
    by_clerk = act(clerk, dossier.code, "assign", {"assignee": specialist.username})

    assert unknown.status_code == 400
    assert unknown.json() == {"assignee": ["Không có cán bộ với tên đăng nhập “khong.co.ai”."]}
    assert assigned.status_code == 200
    assert assigned.json()["steps"][1]["assignee"] == "Đinh Thị Mai"
    assert by_clerk.status_code == 403


def test_a_financial_obligation_pauses_and_resumes(citizen, clerk, specialist, agency):
    dossier = received_dossier(applicant=citizen, clerk=clerk, commune=agency)
    act(clerk, dossier.code, "forward", {"to_user": specialist.username})

    asked = act(specialist, dossier.code, "request-payment", {"note": "Nộp lệ phí 8.000 đ."})
    paid = act(clerk, dossier.code, "confirm-payment", {"reference": "BL-0001"})

    assert (asked.status_code, asked.json()["status_code"]) == (200, 6)
    assert asked.json()["paused_since"] is not None
    assert (paid.status_code, paid.json()["status"]) == (200, "processing")


def test_the_applicant_withdraws_and_cannot_withdraw_twice(citizen, agency):
    dossier = submitted_dossier(applicant=citizen, commune=agency)

    first = act(citizen, dossier.reference, "withdraw", {"reason": "Nộp nhầm thủ tục."})
    second = act(citizen, dossier.reference, "withdraw")

    assert (first.status_code, first.json()["status_code"]) == (200, 7)
    assert second.status_code == 409


def test_an_integration_client_acts_only_on_what_it_submitted_and_with_the_write_scope(agency):
    version = commune_procedure(components=0)
    keys = {}
    for name, scopes in (
        ("lgsp", [Scope.DOSSIERS_READ, Scope.DOSSIERS_WRITE]),
        ("other", [Scope.DOSSIERS_WRITE]),
    ):
        client = api_client_create(name=f"Hệ thống {name}", scopes=[str(s) for s in scopes])
        keys[name] = {"X-Api-Key": api_key_issue(client=client, expires_at=None).plain_key}
    created = Client().post(
        LIST,
        {
            "procedure": version.procedure.code,
            "commune": agency.edoc_code,
            "applicant": {"name": "Lý Thị Hoa"},
        },
        content_type="application/json",
        headers=keys["lgsp"],
    )
    reference = created.json()["reference"]

    stranger = act(None, reference, "withdraw", headers=keys["other"])
    owner = act(None, reference, "withdraw", headers=keys["lgsp"])

    assert created.status_code == 201
    assert stranger.status_code == 404
    assert (owner.status_code, owner.json()["status"]) == (200, "withdrawn")
