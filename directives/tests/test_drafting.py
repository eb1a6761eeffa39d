"""From a notice to assigned tasks: proposals, review (edit, merge, drop), nothing assigned unreviewed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from directives.models import DeadlineKind, Status, Task, TaskDraft
from directives.services import DraftReview, directive_assign, directive_review
from directives.tests.helpers import NOTICE, make_directive, review_all

pytestmark = pytest.mark.django_db


def test_recording_a_notice_proposes_its_tasks_with_agencies_and_deadlines(office):
    directive = make_directive(office)

    assert directive.issued_on == dt.date(2025, 3, 10)
    assert directive.assigner_name == "Dương Xuân Huyền, Phó Chủ tịch Thường trực UBND tỉnh"
    drafts = list(directive.drafts.order_by("order"))
    assert [d.number for d in drafts] == ["2.1", "2.2", "2.3"]
    assert all(d.state == TaskDraft.State.PROPOSED for d in drafts)
    assert [a.name for a in drafts[0].lead_agencies.all()] == ["Sở Khoa học và Công nghệ"]
    assert drafts[0].due_on == dt.date(2025, 4, 30)
    assert [a.name for a in drafts[1].coordinating_agencies.all()] == ["Sở Tài chính"]
    assert drafts[1].due_on == dt.date(2025, 6, 30)
    assert drafts[2].deadline_kind == DeadlineKind.RECURRING
    assert drafts[2].recurrence == "monthly"


def test_nothing_is_assigned_before_every_proposal_is_reviewed(office):
    directive = make_directive(office)

    with pytest.raises(ValidationError, match="chưa được rà soát"):
        directive_assign(directive=directive, actor=office.secretary)
    assert not Task.objects.exists()


def test_a_reviewed_directive_is_assigned_with_its_history_started(office):
    directive = make_directive(office)
    review_all(directive, office)

    tasks = directive_assign(directive=directive, actor=office.secretary, assigned_on=dt.date(2025, 3, 12))

    assert len(tasks) == 3
    first = tasks[0]
    assert first.status == Status.ASSIGNED
    assert first.assigner == office.vice_chairman
    assert first.owner_agency == office.office
    assert first.original_due_on == dt.date(2025, 4, 30)
    (event,) = first.events.all()
    assert (event.action, event.to_status, event.actor) == ("assign", Status.ASSIGNED, office.secretary)
    assert tasks[2].series == tasks[2]
    assert set(directive.drafts.values_list("state", flat=True)) == {TaskDraft.State.ASSIGNED}


def test_the_reviewer_merges_drops_and_splits_a_task_between_agencies(office):
    directive = make_directive(office)
    first, second, third = directive.drafts.order_by("order")
    reviews = [
        DraftReview(
            draft=first,
            content="Xây dựng kế hoạch chuyển đổi số năm 2025",
            lead_agencies=[office.department, office.other_department],
            deadline_kind=DeadlineKind.DATE,
            due_on=dt.date(2025, 5, 15),
        ),
        DraftReview(draft=second, merge_into_previous=True, content=second.content),
        DraftReview(draft=third, keep=False),
    ]
    directive_review(directive=directive, actor=office.secretary, reviews=reviews)
    tasks = directive_assign(directive=directive, actor=office.secretary)

    assert sorted(t.lead_agency.name for t in tasks) == ["Sở Khoa học và Công nghệ", "Sở Tài chính"]
    assert all(t.due_on == dt.date(2025, 5, 15) for t in tasks)
    assert all("Phối hợp với Sở Tài chính rà soát" in t.content for t in tasks)
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.state, second.merged_into) == (TaskDraft.State.MERGED, first)
    assert third.state == TaskDraft.State.DROPPED


def test_a_review_without_a_lead_agency_or_a_date_is_refused_whole(office):
    directive = make_directive(office)
    first, second, third = directive.drafts.order_by("order")
    reviews = [
        DraftReview(draft=first, content=first.content, lead_agencies=[], deadline_kind=DeadlineKind.REGULAR),
        DraftReview(
            draft=second,
            content=second.content,
            lead_agencies=[office.department],
            deadline_kind=DeadlineKind.DATE,
        ),
        DraftReview(draft=third, keep=False),
    ]

    with pytest.raises(ValidationError) as raised:
        directive_review(directive=directive, actor=office.secretary, reviews=reviews)

    assert "Nhiệm vụ 2.1: hãy chọn đơn vị chủ trì." in raised.value.messages
    assert any(m.startswith("Nhiệm vụ 2.2: Nhiệm vụ có thời hạn cần ngày") for m in raised.value.messages)
    assert set(directive.drafts.values_list("state", flat=True)) == {TaskDraft.State.PROPOSED}


def test_a_task_counted_in_working_days_gets_its_deadline_from_the_calendar(office):
    directive = make_directive(office)
    review_all(directive, office)
    draft = directive.drafts.get(number="2.1")
    draft.deadline_kind, draft.due_on, draft.working_days = DeadlineKind.DATE, None, 5
    draft.save()

    tasks = directive_assign(directive=directive, actor=office.secretary, assigned_on=dt.date(2025, 4, 24))

    task = next(t for t in tasks if t.number == "2.1")
    # Thursday 24/4/2025 + 5 working days: 25/4, make-up Saturday 26/4, 28/4, 29/4, then 30/4–4/5 off.
    assert task.due_on == dt.date(2025, 5, 5)


def test_an_unreadable_or_empty_upload_is_refused_in_vietnamese(office):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from directives.services import DirectiveInput, directive_create

    scan = SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    with pytest.raises(ValidationError) as raised:
        directive_create(
            actor=office.secretary,
            data=DirectiveInput(owner_agency=office.office, issuer=office.province),
            document=scan,
        )
    assert "PDF" in " ".join(raised.value.messages)
    with pytest.raises(ValidationError, match="dán nội dung"):
        directive_create(
            actor=office.secretary, data=DirectiveInput(owner_agency=office.office, issuer=office.province)
        )


def test_a_person_records_directives_only_for_their_own_agency(office):
    from directives.services import DirectiveInput, directive_create

    with pytest.raises(ValidationError, match="cơ quan mình công tác"):
        directive_create(
            actor=office.outsider,
            data=DirectiveInput(owner_agency=office.office, issuer=office.province, text=NOTICE),
        )
