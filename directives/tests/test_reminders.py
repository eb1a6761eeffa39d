"""Reminders before and after deadlines, escalation to the assigner, recurring tasks."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from directives.models import DeadlineKind, Reminder, Status, Task
from directives.selectors import deadline_state, overdue_task_count
from directives.services import reminders_send, task_report_done
from directives.tests.helpers import assigned_tasks, dated_task
from notifications.models import OutgoingMessage

pytestmark = pytest.mark.django_db


def _emails(kind_word: str) -> set[str]:
    return set(
        OutgoingMessage.objects.filter(subject__contains=kind_word).values_list("recipient", flat=True)
    )


def test_a_task_due_soon_is_reminded_to_the_lead_agency_once(office):
    task = dated_task(office, dt.date(2025, 4, 30))

    first = reminders_send(today=dt.date(2025, 4, 28))
    again = reminders_send(today=dt.date(2025, 4, 29))

    assert [(r.task, r.kind) for r in first.sent] == [(task, Reminder.Kind.DUE_SOON)]
    assert again.sent == []
    assert _emails("sắp đến hạn") == {
        "skhcn@langson.gov.vn",
        "cv.khcn@langson.gov.vn",
        "gd.khcn@langson.gov.vn",
    }
    message = OutgoingMessage.objects.filter(recipient="cv.khcn@langson.gov.vn").get()
    assert "Xây dựng kế hoạch chuyển đổi số năm 2025" in message.body
    assert "Hạn hoàn thành: 30/04/2025" in message.body
    assert task.events.latest("sequence").action == "remind"


def test_an_overdue_task_is_reminded_and_escalated_to_the_assigner(office):
    task = dated_task(office, dt.date(2025, 4, 30))

    run = reminders_send(today=dt.date(2025, 5, 6))

    assert sorted(r.kind for r in run.sent) == [Reminder.Kind.ESCALATION, Reminder.Kind.OVERDUE]
    assert "gd.khcn@langson.gov.vn" in _emails("quá hạn từ")
    assert _emails("[Báo cáo] Nhiệm vụ quá hạn") == {"pct.huyen@langson.gov.vn", "thuky.vp@langson.gov.vn"}
    assert deadline_state(task, today=dt.date(2025, 5, 6)).label == "Quá hạn 6 ngày"
    assert overdue_task_count(on=dt.date(2025, 5, 6)) == 1
    assert overdue_task_count(agency=office.other_department, on=dt.date(2025, 5, 6)) == 0


def test_a_task_reported_done_in_time_is_not_overdue_while_awaiting_confirmation(office):
    task = dated_task(office, dt.date(2025, 4, 30))
    task_report_done(task=task, actor=office.director, text="Xong.", reported_on=dt.date(2025, 4, 29))

    run = reminders_send(today=dt.date(2025, 5, 6))

    assert run.sent == []
    assert overdue_task_count(on=dt.date(2025, 5, 6)) == 0


def test_a_task_counted_in_working_days_is_due_soon_in_working_days(office):
    task = dated_task(office, dt.date(2025, 5, 5), working_days=5)

    # Friday 25/4/2025: 4 working days left (26/4 make-up, 28/4, 29/4, 5/5), 10 calendar days.
    state = deadline_state(task, today=dt.date(2025, 4, 25))

    assert state.days_left == 4
    assert state.code == "on_track"
    assert deadline_state(task, today=dt.date(2025, 4, 29)).code == "due_soon"


def test_regular_tasks_are_never_reminded_and_ended_periods_open_the_next(office):
    tasks = assigned_tasks(office)
    Task.objects.filter(pk=tasks["2.1"].pk).update(deadline_kind=DeadlineKind.REGULAR, due_on=None)

    run = reminders_send(today=dt.date(2025, 4, 2))

    assert [t.occurrence for t in run.occurrences] == [2]
    assert run.occurrences[0].due_on == dt.date(2025, 4, 30)
    assert not Reminder.objects.filter(task=tasks["2.1"]).exists()
    # the monthly report of March is overdue: reminded; the April one is not due yet
    assert {(r.task_id, r.kind) for r in run.sent} >= {(tasks["2.3"].pk, Reminder.Kind.OVERDUE)}
    assert reminders_send(today=dt.date(2025, 4, 3)).occurrences == []


def test_the_management_command_runs_the_reminders(office):
    dated_task(office, dt.date(2025, 4, 30))
    out = StringIO()

    call_command("directives_remind", "--date", "2025-05-02", stdout=out)

    assert "Đã gửi 2 nhắc việc" in out.getvalue()
    assert Task.objects.filter(status=Status.ASSIGNED).count() == 1
