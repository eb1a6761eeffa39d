"""Drafting tasks from notices: seed 004 in full, and precision/recall over the five seeds."""

from __future__ import annotations

import datetime as dt

import pytest

from agencies.models import Agency
from directives.extraction import extract
from directives.models import DeadlineKind, Priority
from directives.tests.conftest import SEED_004
from directives.tests.scoring import score_all

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 9, 1)  # after the 2025 reorganisation: Sở TT&TT is closed


def test_seed_004_gives_its_sixteen_numbered_tasks_to_the_successor_of_the_department(lang_son):
    found = extract(SEED_004.read_text(encoding="utf-8"), today=TODAY)

    assert found.shape == "numbered"
    assert found.day == dt.date(2024, 3, 19)
    assert [task.number for task in found.tasks] == [
        "2.1",
        *[f"2.2.{n}" for n in range(1, 9)],
        *[f"2.3.{n}" for n in range(1, 6)],
        "2.4",
        "2.5",
        "2.6",
    ]
    khcn = Agency.objects.get(name="Sở Khoa học và Công nghệ", valid_to__isnull=True)
    for task in found.tasks:
        assert task.leads == [khcn]
        assert task.named_lead == "Sở Thông tin và Truyền thông"
        assert "đã chấm dứt hoạt động từ 01/03/2025" in task.agency_note
        assert "Sở Khoa học và Công nghệ" in task.agency_note
    assert found.tasks[0].content.startswith("Rà soát lại các văn bản chỉ đạo của Chính phủ")
    assert "toàn, an ninh mạng" in found.tasks[7].content  # the line broken across pages is joined


def test_seed_004_both_deadlines_of_30_june_2024_are_found_on_the_right_tasks(lang_son):
    found = extract(SEED_004.read_text(encoding="utf-8"), today=TODAY)

    dated = {task.number: task for task in found.tasks if task.deadline.due_on == dt.date(2024, 6, 30)}
    assert set(dated) == {"2.3.3", "2.3.4"}
    assert dated["2.3.3"].content.startswith(
        "Nghiên cứu, tham mưu UBND tỉnh ban hành Chiến lược truyền thông"
    )
    assert dated["2.3.4"].content.startswith("Khẩn trương nghiên cứu, chủ trì")
    for task in dated.values():
        assert task.deadline.kind == DeadlineKind.DATE
        assert task.deadline.text == "trước ngày 30/6/2024"
        assert "trình UBND tỉnh xem xét trước ngày 30/6/2024" in task.source_paragraph
    assert dated["2.3.4"].priority == Priority.HIGH  # "Khẩn trương"


def test_the_notice_facts_are_read_from_the_text(lang_son):
    facts = extract(SEED_004.read_text(encoding="utf-8"), today=TODAY).facts

    assert facts.kind == "conclusion"
    assert facts.subject.startswith("Kết luận của đồng chí Dương Xuân Huyền")
    assert facts.assigner_name == "Dương Xuân Huyền, Phó Chủ tịch Thường trực UBND tỉnh"
    assert facts.signer_name == "Hoàng Xuân Đồng"


def test_a_notice_naming_a_unit_that_still_exists_proposes_it_without_a_note(lang_son):
    text = (
        "2. Nhiệm vụ thời gian tới\n"
        "Yêu cầu Sở Tài chính thực hiện tốt các nội dung sau:\n"
        "2.1. Tham mưu bố trí kinh phí chuyển đổi số năm 2025; báo cáo trong quý II/2025.\n"
        "2.2. Sở Xây dựng chủ trì, phối hợp với Sở KH&CN rà soát hạ tầng trạm BTS; "
        "hoàn thành trước ngày 15/8/2025.\n"
    )
    found = extract(text, on=dt.date(2025, 4, 2), today=TODAY)

    first, second = found.tasks
    assert [a.name for a in first.leads] == ["Sở Tài chính"]
    assert first.agency_note == ""
    assert first.deadline.due_on == dt.date(2025, 6, 30)
    assert [a.name for a in second.leads] == ["Sở Xây dựng"]
    assert [a.name for a in second.coordinating] == ["Sở Khoa học và Công nghệ"]
    assert second.deadline.due_on == dt.date(2025, 8, 15)


def test_ubnd_cac_huyen_is_proposed_as_a_group_for_the_reviewer_to_choose_from(lang_son):
    text = (
        "3. Giao nhiệm vụ\n"
        "- UBND các huyện, thành phố rà soát, báo cáo số thôn, bản chưa có sóng di động hằng tháng.\n"
        "- Sở TT&TT hướng dẫn các địa phương triển khai Tổ công nghệ số cộng đồng trong năm 2024.\n"
    )
    found = extract(text, on=dt.date(2024, 5, 6), today=TODAY)

    districts, department = found.tasks
    assert districts.leads == []
    assert districts.named_lead == "UBND các huyện, thành phố"
    assert "11 đơn vị khi ban hành văn bản" in districts.agency_note
    assert districts.deadline.kind == DeadlineKind.RECURRING
    assert districts.deadline.recurrence == "monthly"
    assert districts.deadline.due_on == dt.date(2024, 5, 31)
    assert [a.name for a in department.leads] == ["Sở Khoa học và Công nghệ"]
    assert department.deadline.due_on == dt.date(2024, 12, 31)


def test_precision_and_recall_on_the_five_seeds_stay_above_their_floor(lang_son):
    total, per_seed = score_all(today=TODAY)

    for name, score in per_seed.items():
        print(score.summary(name))
    print(total.summary("ALL"))
    for line in total.details:
        print("  ", line)
    assert total.gold_tasks == 41
    assert total.gold_deadlines == 3
    assert total.task_precision >= 0.9
    assert total.task_recall >= 0.9
    assert total.deadline_precision >= 0.9
    assert total.deadline_recall >= 0.9
    assert total.lead_accuracy >= 0.9
