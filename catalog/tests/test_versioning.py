"""Versions: drafts are edited, published versions are not, a new decision ends the old text."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from agencies.tests.factories import AgencyFactory
from catalog.content import ComponentContent, FeeContent, StepContent, VersionContent, content_of
from catalog.models import ProcedureVersion
from catalog.selectors import procedure_in_force, procedure_search
from catalog.services import (
    procedure_version_create,
    procedure_version_draft_from,
    procedure_version_publish,
    procedure_version_update,
)
from catalog.tests.factories import SectorFactory

pytestmark = pytest.mark.django_db

JULY_1 = dt.date(2025, 7, 1)


def steps(*hours: int) -> tuple[StepContent, ...]:
    roles = ["clerk", "specialist", "agency_leader", "clerk"]
    return tuple(
        StepContent(
            name=f"Bước {i + 1}", actor="competent_agency", role=roles[i % 4], budget_hours=Decimal(h)
        )
        for i, h in enumerate(hours)
    )


@pytest.fixture
def content():
    agency = AgencyFactory.create(name="Sở Khoa học và Công nghệ")
    return VersionContent(
        name="Cấp giấy phép bưu chính",
        sector=SectorFactory.create(code="H40-BCVT", name="Bưu chính"),
        level="province",
        competent_agency=agency,
        competent_authority=agency.name,
        service_level="full_online",
        processing_time=Decimal(10),
        result="Giấy phép bưu chính",
        fees=(FeeContent(kind="fee", name="Phí thẩm định", counter_amount=500_000, online_amount=250_000),),
        components=(ComponentContent(name="Đơn đề nghị cấp giấy phép bưu chính", template_name="Mẫu số 01"),),
        workflow=steps(4, 68, 4, 4),
    )


def publish(content, *, day=JULY_1, code="1.004471"):
    draft = procedure_version_create(code=code, content=content)
    return procedure_version_publish(version=draft, effective_from=day)


def test_a_published_version_is_in_force_from_its_day(content):
    version = publish(content)
    assert version.status == ProcedureVersion.Status.PUBLISHED
    assert procedure_in_force(code="1.004471", on=JULY_1) == version
    with pytest.raises(ProcedureVersion.DoesNotExist):
        procedure_in_force(code="1.004471", on=JULY_1 - dt.timedelta(days=1))


def test_a_new_version_ends_the_old_one_the_day_it_starts(content):
    first = publish(content)
    second = publish(
        replace(content, processing_time=Decimal(5), workflow=steps(4, 28, 4, 4)), day=dt.date(2026, 1, 1)
    )
    first.refresh_from_db()
    assert (first.status, first.effective_to) == (ProcedureVersion.Status.RETIRED, dt.date(2026, 1, 1))
    assert second.number == 2
    assert procedure_in_force(code="1.004471", on=dt.date(2025, 12, 31)) == first
    assert procedure_in_force(code="1.004471", on=dt.date(2026, 1, 1)) == second


def test_a_dossier_keeps_the_time_limit_of_the_version_it_was_received_under(content):
    received_under = publish(content)  # what a dossier received in 2025 points at
    publish(
        replace(content, processing_time=Decimal(5), workflow=steps(4, 28, 4, 4)), day=dt.date(2026, 1, 1)
    )
    kept = ProcedureVersion.objects.get(pk=received_under.pk)
    assert kept.processing_time == 10
    assert kept.processing_hours == 80
    assert [s.budget_hours for s in kept.workflow.all()] == [4, 68, 4, 4]
    assert procedure_in_force(code="1.004471", on=dt.date(2026, 2, 1)).processing_time == 5


def test_a_published_version_cannot_be_changed(content):
    version = publish(content)
    with pytest.raises(ValidationError, match="đã công bố, không được sửa"):
        procedure_version_update(version=version, content=replace(content, name="Tên khác"))
    with pytest.raises(ValidationError, match="đã công bố"):
        procedure_version_publish(version=version, effective_from=dt.date(2026, 1, 1))
    version.refresh_from_db()
    assert version.name == "Cấp giấy phép bưu chính"


def test_a_draft_copied_from_the_published_version_can_be_amended(content):
    published = publish(content)
    draft = procedure_version_draft_from(version=published)
    assert draft.status == ProcedureVersion.Status.DRAFT
    assert content_of(draft) == content_of(published)
    amended = procedure_version_update(version=draft, content=replace(content, fee_note="Miễn cho hộ nghèo"))
    assert amended.fee_note == "Miễn cho hộ nghèo"
    assert procedure_in_force(code="1.004471", on=JULY_1).fee_note == ""


def test_a_new_version_must_start_after_the_current_one(content):
    publish(content, day=dt.date(2026, 1, 1))
    draft = procedure_version_create(code="1.004471", content=content)
    with pytest.raises(ValidationError, match="01/01/2026"):
        procedure_version_publish(version=draft, effective_from=dt.date(2026, 1, 1))


def test_search_follows_publication(content):
    assert procedure_search(query="bưu chính", on=JULY_1) == []
    publish(content)
    assert [v.name for v in procedure_search(query="bưu chính", on=JULY_1)] == ["Cấp giấy phép bưu chính"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"workflow": steps(4, 60, 4, 4)}, "Tổng thời gian các bước quy trình là 72 giờ làm việc, phải bằng"),
        ({"workflow": ()}, "Quy trình nội bộ phải có ít nhất một bước"),
        ({"competent_agency": None}, "Thủ tục cấp tỉnh phải có cơ quan có thẩm quyền"),
        (
            {"fees": (FeeContent(kind="fee", name="Phí thẩm định", counter_amount=100, online_amount=200),)},
            "không được cao hơn mức nộp trực tiếp",
        ),
        ({"fees": (FeeContent(kind="fee", name="Phí", counter_amount=-1),)}, "không được âm"),
        (
            {"components": (ComponentContent(name="Giấy phép cũ (bản gốc để thu hồi)", paper_only=True),)},
            "toàn trình không được có thành phần chỉ nộp bản giấy",
        ),
        ({"processing_time": Decimal(0)}, "Thời hạn giải quyết phải lớn hơn 0"),
    ],
)
def test_a_version_that_breaks_a_rule_is_refused_with_a_vietnamese_message(content, change, message):
    with pytest.raises(ValidationError) as refused:
        procedure_version_create(code="1.004471", content=replace(content, **change))
    assert any(message in m for m in refused.value.messages)
    assert not ProcedureVersion.objects.exists()


def test_hours_count_eight_per_working_day_and_allow_working_hours(content):
    by_hours = replace(
        content, processing_time=Decimal(8), processing_time_unit="working_hours", workflow=steps(2, 3, 2, 1)
    )
    assert publish(by_hours).processing_hours == 8


def test_a_paper_only_component_is_fine_when_the_service_is_partly_online(content):
    partial = replace(
        content,
        service_level="partial_online",
        components=(ComponentContent(name="Giấy phép cũ (bản gốc để thu hồi)", paper_only=True),),
    )
    assert publish(partial).components.get().paper_only


def test_an_agency_closed_before_the_start_day_cannot_be_competent(content):
    closed = AgencyFactory.create(
        name="Sở Thông tin và Truyền thông", valid_to=dt.date(2025, 3, 1), valid_from=dt.date(2008, 1, 1)
    )
    draft = procedure_version_create(code="1.004471", content=replace(content, competent_agency=closed))
    with pytest.raises(ValidationError, match="không còn hoạt động"):
        procedure_version_publish(version=draft, effective_from=JULY_1)
