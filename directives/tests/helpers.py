"""Building directives and tasks the way people do: through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from directives.models import DeadlineKind, Directive, Task
from directives.services import (
    DirectiveInput,
    DraftReview,
    directive_assign,
    directive_create,
    directive_review,
)
from directives.tests.conftest import Office

NOTICE = """THÔNG BÁO
Kết luận của đồng chí Dương Xuân Huyền, Phó Chủ tịch Thường trực UBND tỉnh tại buổi làm việc \
với Sở Khoa học và Công nghệ
Ngày 10/3/2025, đồng chí Phó Chủ tịch Thường trực UBND tỉnh đã làm việc với Sở Khoa học và Công nghệ.
2. Nhiệm vụ trong thời gian tới
Yêu cầu Sở Khoa học và Công nghệ thực hiện tốt các nội dung sau:
2.1. Xây dựng kế hoạch chuyển đổi số năm 2025; trình UBND tỉnh trước ngày 30/4/2025.
2.2. Phối hợp với Sở Tài chính rà soát các dự án công nghệ thông tin; báo cáo trong quý II/2025.
2.3. Báo cáo tiến độ phủ sóng di động hằng tháng.
"""


def make_directive(office: Office, text: str = NOTICE, **overrides: Any) -> Directive:
    data = DirectiveInput(
        owner_agency=office.office,
        issuer=office.province,
        assigner=office.vice_chairman,
        text=text,
        **overrides,
    )
    return directive_create(actor=office.secretary, data=data)


def review_all(directive: Directive, office: Office, **changes: Any) -> None:
    reviews = []
    for draft in directive.drafts.order_by("order"):
        reviews.append(
            DraftReview(
                draft=draft,
                number=draft.number,
                content=draft.content,
                lead_agencies=list(draft.lead_agencies.all()) or [office.department],
                coordinating_agencies=list(draft.coordinating_agencies.all()),
                deadline_kind=draft.deadline_kind,
                due_on=draft.due_on,
                recurrence=draft.recurrence,
                recurrence_day=draft.recurrence_day,
                working_days=draft.working_days,
                priority=draft.priority,
                **changes,
            )
        )
    directive_review(directive=directive, actor=office.secretary, reviews=reviews)


def assigned_tasks(office: Office, *, on: dt.date = dt.date(2025, 3, 12)) -> dict[str, Task]:
    directive = make_directive(office)
    review_all(directive, office)
    directive_assign(directive=directive, actor=office.secretary, assigned_on=on)
    return {task.number: task for task in Task.objects.filter(directive=directive)}


def dated_task(office: Office, due_on: dt.date, **fields: Any) -> Task:
    """Task 2.1 of the notice alone (the others cancelled), due on ``due_on``."""
    from directives.services import task_cancel

    tasks = assigned_tasks(office)
    for other in ("2.2", "2.3"):
        task_cancel(task=tasks[other], actor=office.secretary, reason="Không thuộc phạm vi kiểm thử.")
    task = tasks["2.1"]
    Task.objects.filter(pk=task.pk).update(
        due_on=due_on, original_due_on=due_on, deadline_kind=DeadlineKind.DATE, **fields
    )
    task.refresh_from_db()
    return task
