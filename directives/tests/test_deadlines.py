"""Deadlines as notices write them, normalised."""

from __future__ import annotations

import datetime as dt

import pytest

from directives.extraction.deadlines import next_occurrence, parse_deadline
from directives.models import DeadlineKind

REF = dt.date(2024, 3, 19)


@pytest.mark.parametrize(
    ("text", "due_on"),
    [
        ("trình UBND tỉnh xem xét trước ngày 30/6/2024", dt.date(2024, 6, 30)),
        ("hoàn thành trước ngày 15 tháng 7 năm 2024", dt.date(2024, 7, 15)),
        ("chậm nhất ngày 05/4", dt.date(2024, 4, 5)),
        ("báo cáo trước ngày 10/01", dt.date(2025, 1, 10)),  # already past this year: next year
        ("hoàn thành trong tháng 9/2024", dt.date(2024, 9, 30)),
        ("triển khai trong quý II/2024", dt.date(2024, 6, 30)),
        ("hoàn thành trong quý IV năm 2024", dt.date(2024, 12, 31)),
        ("trong 6 tháng đầu năm 2024", dt.date(2024, 6, 30)),
        ("tổ chức thực hiện trong năm 2024", dt.date(2024, 12, 31)),
    ],
)
def test_a_stated_deadline_becomes_a_day(text, due_on):
    deadline = parse_deadline(text, reference=REF)

    assert deadline.kind == DeadlineKind.DATE
    assert deadline.due_on == due_on


def test_the_most_precise_deadline_wins():
    deadline = parse_deadline("trong năm 2024, trình UBND tỉnh trước ngày 30/6/2024", reference=REF)

    assert deadline.due_on == dt.date(2024, 6, 30)


@pytest.mark.parametrize(
    ("text", "recurrence", "first"),
    [
        ("báo cáo kết quả hằng tháng", "monthly", dt.date(2024, 3, 31)),
        ("báo cáo trước ngày 20 hàng tháng", "monthly", dt.date(2024, 3, 20)),
        ("tổng hợp, báo cáo hằng quý", "quarterly", dt.date(2024, 3, 31)),
        ("báo cáo 6 tháng một lần", "half_yearly", dt.date(2024, 6, 30)),
        ("đánh giá hằng năm", "yearly", dt.date(2024, 12, 31)),
    ],
)
def test_a_schedule_is_recurring_with_its_first_due_day(text, recurrence, first):
    deadline = parse_deadline(text, reference=REF)

    assert deadline.kind == DeadlineKind.RECURRING
    assert deadline.recurrence == recurrence
    assert deadline.due_on == first


def test_working_days_regular_and_no_deadline():
    working = parse_deadline("báo cáo trong 10 ngày làm việc", reference=REF)
    assert (working.kind, working.working_days, working.due_on) == (DeadlineKind.DATE, 10, None)
    regular = parse_deadline("theo dõi thường xuyên thông tin trên mạng", reference=REF)
    assert (regular.kind, regular.stated, regular.text) == (DeadlineKind.REGULAR, False, "thường xuyên")
    kind_of_task = parse_deadline("triển khai các nhiệm vụ thường xuyên của Sở", reference=REF)
    assert kind_of_task.text == ""
    assert parse_deadline("Bước vào năm 2021, rà soát các kế hoạch", reference=REF).stated is False


def test_the_next_occurrence_follows_the_period():
    assert next_occurrence("monthly", dt.date(2024, 1, 31)) == dt.date(2024, 2, 29)
    assert next_occurrence("monthly", dt.date(2024, 1, 20), day=20) == dt.date(2024, 2, 20)
    assert next_occurrence("quarterly", dt.date(2024, 12, 31)) == dt.date(2025, 3, 31)
    assert next_occurrence("yearly", dt.date(2024, 12, 31)) == dt.date(2025, 12, 31)
    assert next_occurrence("weekly", dt.date(2024, 3, 22)) == dt.date(2024, 3, 29)
