"""A task's life: accept, progress, completion, confirm or return, extensions, cancellation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from directives.models import ExtensionRequest, Status, Task, TaskEvent
from directives.permissions import available_actions
from directives.services import (
    task_accept,
    task_cancel,
    task_confirm,
    task_extension_decide,
    task_extension_request,
    task_next_occurrence,
    task_report_done,
    task_report_progress,
    task_return,
)
from directives.tests.helpers import assigned_tasks

pytestmark = pytest.mark.django_db


def test_the_department_accepts_reports_progress_with_files_and_completes(office):
    task = assigned_tasks(office)["2.1"]

    task_accept(task=task, actor=office.specialist)
    report = SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4 ke hoach", content_type="application/pdf")
    task_report_progress(
        task=task, actor=office.specialist, percent=40, text="Đã có dự thảo.", files=[report]
    )
    task_report_done(
        task=task, actor=office.director, text="Đã trình UBND tỉnh.", reported_on=dt.date(2025, 4, 28)
    )
    confirmed = task_confirm(task=task, actor=office.secretary, note="Đúng hạn.")

    assert confirmed.status == Status.DONE
    assert (confirmed.completed_on, confirmed.finished_late, confirmed.progress) == (
        dt.date(2025, 4, 28),
        False,
        100,
    )
    events = list(task.events.order_by("sequence"))
    assert [e.action for e in events] == ["assign", "accept", "progress", "report_done", "confirm"]
    assert [e.sequence for e in events] == [1, 2, 3, 4, 5]
    assert events[2].data == {"percent": 40}
    assert [a.name for a in events[2].attachments.all()] == ["ke-hoach.pdf"]
    assert events[2].attachments.get().size == len(b"%PDF-1.4 ke hoach")


def test_a_completion_reported_after_the_deadline_is_confirmed_as_late(office):
    task = assigned_tasks(office)["2.1"]
    task_report_done(task=task, actor=office.director, text="Xong.", reported_on=dt.date(2025, 5, 6))

    confirmed = task_confirm(task=task, actor=office.vice_chairman)

    assert confirmed.finished_late is True


def test_the_assigner_returns_a_report_and_the_task_goes_back_in_progress(office):
    task = assigned_tasks(office)["2.1"]
    task_report_done(task=task, actor=office.director, text="Xong.")

    with pytest.raises(ValidationError, match="lý do"):
        task_return(task=task, actor=office.secretary, reason=" ")
    returned = task_return(task=task, actor=office.secretary, reason="Chưa kèm dự thảo kế hoạch.")

    assert returned.status == Status.IN_PROGRESS
    assert returned.reported_done_on is None
    assert task.events.latest("sequence").note == "Chưa kèm dự thảo kế hoạch."


def test_who_may_take_which_step(office):
    task = assigned_tasks(office)["2.1"]

    with pytest.raises(ValidationError, match="không có quyền"):
        task_accept(task=task, actor=office.outsider)
    with pytest.raises(ValidationError, match="không có quyền"):
        task_accept(task=task, actor=office.secretary)  # the assigner does not accept for the department
    with pytest.raises(ValidationError, match="không có quyền"):
        task_report_done(task=task, actor=office.specialist, text="Xong.")  # the leader sends it
    assert available_actions(office.specialist, task) == ["accept", "progress", "request_extension"]
    assert available_actions(office.director, task) == [
        "accept",
        "progress",
        "report_done",
        "request_extension",
    ]
    assert available_actions(office.secretary, task) == ["cancel"]
    assert available_actions(office.outsider, task) == []
    with pytest.raises(ValidationError, match="Không thể “Xác nhận hoàn thành”"):
        task_confirm(task=task, actor=office.secretary)


def test_an_extension_granted_moves_the_deadline_and_keeps_the_original(office):
    task = assigned_tasks(office)["2.1"]

    with pytest.raises(ValidationError, match="sau hạn hiện tại"):
        task_extension_request(
            task=task, actor=office.specialist, requested_due_on=dt.date(2025, 4, 1), reason="x"
        )
    task_extension_request(
        task=task, actor=office.specialist, requested_due_on=dt.date(2025, 5, 31), reason="Chờ ý kiến các sở."
    )
    with pytest.raises(ValidationError, match="đang có một đề nghị"):
        task_extension_request(
            task=task, actor=office.specialist, requested_due_on=dt.date(2025, 6, 1), reason="y"
        )
    task_extension_decide(task=task, actor=office.vice_chairman, grant=True, note="Đồng ý.")

    task.refresh_from_db()
    assert (task.due_on, task.original_due_on) == (dt.date(2025, 5, 31), dt.date(2025, 4, 30))
    assert ExtensionRequest.objects.get(task=task).state == ExtensionRequest.State.GRANTED
    assert [e.action for e in task.events.order_by("sequence")][-2:] == [
        "request_extension",
        "grant_extension",
    ]


def test_an_extension_refused_needs_a_reason_and_changes_no_deadline(office):
    task = assigned_tasks(office)["2.1"]
    task_extension_request(
        task=task, actor=office.director, requested_due_on=dt.date(2025, 5, 31), reason="Lý do."
    )

    with pytest.raises(ValidationError, match="lý do không đồng ý"):
        task_extension_decide(task=task, actor=office.secretary, grant=False)
    task_extension_decide(task=task, actor=office.secretary, grant=False, note="Nhiệm vụ cấp bách.")

    task.refresh_from_db()
    assert task.due_on == dt.date(2025, 4, 30)
    assert ExtensionRequest.objects.get(task=task).decision_note == "Nhiệm vụ cấp bách."


def test_cancellation_needs_a_reason_and_ends_the_task(office):
    task = assigned_tasks(office)["2.2"]

    with pytest.raises(ValidationError, match="lý do hủy"):
        task_cancel(task=task, actor=office.secretary, reason="")
    cancelled = task_cancel(task=task, actor=office.secretary, reason="Đã giao tại văn bản khác.")

    assert cancelled.status == Status.CANCELLED
    with pytest.raises(ValidationError, match="Không thể"):
        task_accept(task=cancelled, actor=office.specialist)


def test_a_recurring_task_opens_its_next_period_once(office):
    task = assigned_tasks(office)["2.3"]
    assert (task.recurrence, task.due_on) == ("monthly", dt.date(2025, 3, 31))
    task_report_done(
        task=task, actor=office.director, text="Báo cáo tháng 3.", reported_on=dt.date(2025, 3, 28)
    )

    task_confirm(task=task, actor=office.secretary)

    following = Task.objects.get(series=task, occurrence=2)
    assert following.due_on == dt.date(2025, 4, 30)
    assert following.status == Status.ASSIGNED
    assert task_next_occurrence(task=task) == following
    assert Task.objects.filter(series=task).count() == 2


def test_the_history_is_append_only_and_numbered_without_gaps(office):
    task = assigned_tasks(office)["2.1"]
    task_accept(task=task, actor=office.specialist)
    task_report_progress(task=task, actor=office.specialist, percent=10, text="Bắt đầu.")

    sequences = list(
        TaskEvent.objects.filter(task=task).order_by("sequence").values_list("sequence", flat=True)
    )
    assert sequences == [1, 2, 3]
    with pytest.raises(ValidationError, match="0 đến 99"):
        task_report_progress(task=task, actor=office.specialist, percent=100, text="Xong?")
    assert TaskEvent.objects.filter(task=task).count() == 3


def test_the_status_is_written_only_in_transitions():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        and "migrations" not in path.parts
        and path.name != "transitions.py"
        and (
            ("status=Status." in path.read_text() and ".update(" in path.read_text())
            or ".status = " in path.read_text()
        )
    ]
    assert offenders == []
