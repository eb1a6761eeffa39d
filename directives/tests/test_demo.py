"""The demo directive loaded for `make run`."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from directives.models import Directive, Status, Task
from directives.selectors import task_report

pytestmark = pytest.mark.django_db


def test_demo_directives_loads_seed_004_with_tasks_in_every_state_once(office):
    out = StringIO()

    call_command("demo_directives", stdout=out)
    call_command("demo_directives", stdout=out)

    assert "Đã nạp văn bản chỉ đạo mẫu" in out.getvalue()
    assert "Đã có sẵn" in out.getvalue()
    directive = Directive.objects.get()
    assert directive.number == "95/TB-UBND"
    assert directive.tasks.count() == 17
    statuses = {task.number: task.status for task in Task.objects.all()}
    assert statuses["2.3.3"] == statuses["2.1"] == Status.DONE
    assert statuses["2.4"] == Status.REPORTED_DONE
    assert statuses["2.2.2"] == Status.IN_PROGRESS
    # As the year 2024 ended: 2.3.3 done on time; 2.1 not yet reported; 2.3.4 (30/6/2024) overdue.
    end_of_2024 = task_report(office.secretary, start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))
    assert end_of_2024.total.values() == [17, 1, 0, 15, 1]
    # A year later: 2.1 done late (reported 10/01/2025); 2.4 reported in time, awaiting confirmation.
    later = task_report(
        office.secretary, start=dt.date(2024, 1, 1), end=dt.date(2025, 12, 31), today=dt.date(2025, 12, 31)
    )
    assert later.total.values() == [17, 1, 1, 1, 14]
