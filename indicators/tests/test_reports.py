"""The life of a unit report through the services: open, save, send, return, send again, approve;
the checks of the figures; the optimistic lock; who may take which step; a merged commune's past."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from agencies.models import Agency, AgencySuccession
from agencies.tests.factories import CommuneFactory
from indicators import services
from indicators.models import Periodicity, Report, ReportEvent, ReportStatus, ReportValue
from indicators.periods import period_get
from indicators.report_selectors import report_rows
from indicators.tests.report_factories import GOOD, World, build_world, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(agency, other_agency, specialist, clerk_other_agency) -> World:
    return build_world(
        agency=agency, other_agency=other_agency, officer=specialist, other_officer=clerk_other_agency
    )


def _values(report: Report) -> dict[str, tuple[Decimal | None, Decimal | None, Decimal | None, str]]:
    return {
        row.indicator.code: (row.value, row.numerator, row.denominator, row.comment)
        for row in ReportValue.objects.filter(report=report).select_related("indicator")
    }


def test_a_report_is_drafted_sent_returned_corrected_and_approved(world):
    report = world.report()
    assert report.status == ReportStatus.DRAFT
    assert report.due_date == dt.date(2026, 10, 10)  # 30/9 + 10 days

    report = services.report_save_values(report=report, values=GOOD, user=world.officer, lock_version=0)
    report = services.report_submit(report=report, user=world.officer, lock_version=report.lock_version)
    assert report.status == ReportStatus.SUBMITTED
    assert report.submitted_by == world.officer

    report = services.report_return(
        report=report,
        user=world.reviewer,
        lock_version=report.lock_version,
        comment="Số hộ chưa khớp số liệu điều tra.",
    )
    assert report.status == ReportStatus.RETURNED
    assert report.review_comment == "Số hộ chưa khớp số liệu điều tra."

    report = services.report_submit(
        report=report,
        user=world.officer,
        lock_version=report.lock_version,
        values={"HT-01": {"numerator": "3150", "denominator": "6480"}},
    )
    report = services.report_approve(
        report=report, user=world.reviewer_leader, lock_version=report.lock_version
    )

    stored = Report.objects.get(pk=report.pk)
    assert stored.status == ReportStatus.APPROVED
    assert stored.reviewed_by == world.reviewer_leader
    assert _values(stored)["HT-01"] == (Decimal("48.6111"), Decimal("3150"), Decimal("6480"), "")
    assert list(ReportEvent.objects.filter(report=report).values_list("action", "to_status")) == [
        ("create", "draft"),
        ("save", "draft"),
        ("submit", "submitted"),
        ("return", "returned"),
        ("save", "returned"),
        ("submit", "submitted"),
        ("approve", "approved"),
    ]
    assert stored.lock_version == 6


def test_a_ratio_is_derived_from_its_numerator_and_denominator(world):
    report = services.report_save_values(
        report=world.report(),
        values={"HT-01": {"value": "99", "numerator": "47,13", "denominator": "100"}},
        user=world.officer,
        lock_version=0,
    )

    assert _values(report)["HT-01"][0] == Decimal("47.1300")


@pytest.mark.parametrize(
    ("values", "code", "field", "message"),
    [
        (
            {"HT-01": {"numerator": "7000", "denominator": "6500"}},
            "HT-01",
            "numerator",
            "không được lớn hơn mẫu số",
        ),
        (
            {"HT-01": {"numerator": "10", "denominator": "0"}},
            "HT-01",
            "denominator",
            "Mẫu số phải lớn hơn 0.",
        ),
        ({"HT-01": {"numerator": "10"}}, "HT-01", "denominator", "Nhập mẫu số"),
        ({"HT-01": {"value": "47"}}, "HT-01", "numerator", "cần tử số và mẫu số"),
        ({"XH-01": {"value": "2,5"}}, "XH-01", "value", "Số lượng phải là số nguyên."),
        ({"XH-01": {"value": "-3"}}, "XH-01", "value", "Không được là số âm."),
        ({"XH-01": {"value": "hai mươi"}}, "XH-01", "value", "“hai mươi” không phải là một số."),
        ({"XH-01": {"value": "1,23456"}}, "XH-01", "value", "tối đa 4 chữ số thập phân"),
        ({"XX-99": {"value": "1"}}, "XX-99", "indicator", "không có chỉ tiêu mã “XX-99”"),
    ],
)
def test_wrong_figures_are_refused_per_field_in_vietnamese(world, values, code, field, message):
    with pytest.raises(services.ReportValidationError) as refused:
        services.report_save_values(report=world.report(), values=values, user=world.officer, lock_version=0)

    assert any(message in text for text in refused.value.errors[code][field])


def test_a_percentage_above_100_is_refused_against_the_indicator_range(world):
    world.teams.max_value = Decimal(50)
    world.teams.save()

    with pytest.raises(services.ReportValidationError) as refused:
        services.report_save_values(
            report=world.report(), values={"XH-01": {"value": "60"}}, user=world.officer, lock_version=0
        )

    assert refused.value.errors["XH-01"]["value"] == ["Không được lớn hơn 50."]


def test_nothing_is_half_saved_when_one_figure_is_wrong(world):
    report = world.report()

    with pytest.raises(services.ReportValidationError):
        services.report_save_values(
            report=report,
            values={"XH-01": {"value": "24"}, "HT-03": {"value": "-1"}},
            user=world.officer,
            lock_version=0,
        )

    assert not ReportValue.objects.filter(report=report).exists()
    assert Report.objects.get(pk=report.pk).lock_version == 0
    assert ReportEvent.objects.filter(report=report).count() == 1  # the creation only


def test_a_report_cannot_be_sent_with_an_indicator_left_blank_and_unexplained(world):
    report = world.report()

    with pytest.raises(services.ReportValidationError) as refused:
        services.report_submit(
            report=report,
            user=world.officer,
            lock_version=0,
            values={"HT-01": GOOD["HT-01"], "HT-03": {"comment": "Chưa có số liệu của nhà mạng."}},
        )

    assert set(refused.value.errors) == {"XH-01"}
    assert "giải trình" in refused.value.errors["XH-01"]["value"][0]
    assert not ReportValue.objects.filter(report=report).exists()  # the save went with the refusal


def test_someone_elses_change_makes_a_stale_save_fail_and_writes_nothing(world):
    report = world.report()
    seen = report.lock_version
    services.report_save_values(
        report=report, values={"XH-01": {"value": "24"}}, user=world.officer, lock_version=seen
    )

    with pytest.raises(services.ReportConflict) as refused:
        services.report_save_values(
            report=Report.objects.get(pk=report.pk),
            values={"XH-01": {"value": "30"}},
            user=world.officer,
            lock_version=seen,
        )

    assert "vừa được người khác cập nhật" in refused.value.message
    assert _values(report)["XH-01"][0] == Decimal("24")


def test_only_the_units_staff_fill_in_and_only_the_reviewer_agency_reviews(world):
    report = world.report()
    with pytest.raises(services.ReportError):
        services.report_save_values(report=report, values=GOOD, user=world.other_officer, lock_version=0)
    with pytest.raises(services.ReportError):
        services.report_save_values(report=report, values=GOOD, user=world.reviewer, lock_version=0)
    with pytest.raises(services.ReportError):
        services.report_open(
            form=world.form, agency=world.unit, period=world.period, user=world.other_officer
        )
    report = services.report_submit(report=report, user=world.officer, lock_version=0, values=GOOD)

    with pytest.raises(services.ReportError, match="không có quyền thẩm định"):
        services.report_approve(report=report, user=world.officer, lock_version=report.lock_version)
    clerk_of_khcn = staff("vanthu.khcn", world.reviewer_agency, "clerk")
    with pytest.raises(services.ReportError, match="không có quyền thẩm định"):
        services.report_approve(report=report, user=clerk_of_khcn, lock_version=report.lock_version)


def test_a_return_needs_a_reason(world):
    report = services.report_submit(report=world.report(), user=world.officer, lock_version=0, values=GOOD)

    with pytest.raises(services.ReportValidationError, match="lý do trả lại"):
        services.report_return(
            report=report, user=world.reviewer, lock_version=report.lock_version, comment="  "
        )

    assert Report.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def test_a_sent_or_approved_report_can_no_longer_be_edited(world):
    report = services.report_submit(report=world.report(), user=world.officer, lock_version=0, values=GOOD)

    with pytest.raises(services.ReportError, match="Đã gửi, chờ thẩm định"):
        services.report_save_values(
            report=report, values=GOOD, user=world.officer, lock_version=report.lock_version
        )


def test_a_report_is_opened_once_per_form_unit_and_period(world):
    first = world.report()
    again = world.report()

    assert first.pk == again.pk
    assert Report.objects.count() == 1


def test_a_report_cannot_be_opened_for_a_period_not_begun_or_a_unit_of_another_kind(world):
    with pytest.raises(services.ReportError, match="chưa bắt đầu"):
        services.report_open(
            form=world.form,
            agency=world.unit,
            period=period_get(Periodicity.QUARTER, 2099, 1),
            user=world.officer,
        )
    with pytest.raises(services.ReportError, match="không lập cho"):
        services.report_open(
            form=world.form,
            agency=world.unit,
            period=period_get(Periodicity.MONTH, 2026, 8),
            user=world.officer,
        )
    department = world.reviewer_agency
    with pytest.raises(services.ReportError, match="không thuộc diện báo cáo"):
        services.report_open(form=world.form, agency=department, period=world.period, user=world.reviewer)


def test_a_merged_commune_keeps_its_past_report_and_its_successor_reports_from_the_merger(world):
    old = CommuneFactory.create(
        name="UBND xã Hoàng Đồng (cũ)", valid_from=dt.date(2019, 1, 1), valid_to=dt.date(2025, 7, 1)
    )
    new = world.unit  # UBND phường Tam Thanh, from 01/7/2025
    AgencySuccession.objects.create(from_agency=old, to_agency=new)
    old_officer = staff("thongke.hoangdong", old, "specialist")
    q2 = period_get(Periodicity.QUARTER, 2025, 2)
    q3 = period_get(Periodicity.QUARTER, 2025, 3)

    past = services.report_open(form=world.form, agency=old, period=q2, user=old_officer)
    past = services.report_submit(report=past, user=old_officer, lock_version=0, values=GOOD)
    services.report_approve(report=past, user=world.reviewer, lock_version=past.lock_version)
    with pytest.raises(services.ReportError, match="không hoạt động vào cuối quý II/2025"):
        services.report_open(form=world.form, agency=new, period=q2, user=world.officer)
    with pytest.raises(services.ReportError, match="không hoạt động"):
        services.report_open(form=world.form, agency=old, period=q3, user=old_officer)
    current = services.report_open(form=world.form, agency=new, period=q3, user=world.officer)

    assert Report.objects.get(pk=past.pk).agency == old
    assert Agency.objects.get(pk=old.pk).valid_to == dt.date(2025, 7, 1)
    assert current.agency == new
    assert [r.previous for r in report_rows(current)] == [
        None,
        None,
        None,
    ]  # nothing borrowed from the old unit


def test_the_previous_approved_value_and_the_target_stand_beside_each_figure(world, admin):
    q2 = period_get(Periodicity.QUARTER, 2026, 2)
    before = world.report(period=q2)
    before = services.report_submit(report=before, user=world.officer, lock_version=0, values=GOOD)
    services.report_approve(report=before, user=world.reviewer, lock_version=before.lock_version)
    services.target_set(
        indicator=world.fibre,
        agency=world.unit,
        period=period_get(Periodicity.YEAR, 2026),
        value="55",
        user=admin,
    )

    rows = {row.indicator.code: row for row in report_rows(world.report())}

    assert rows["HT-01"].previous == Decimal("48.0000")
    assert rows["HT-01"].target is not None
    assert rows["HT-01"].target.value == Decimal("55")
    assert rows["XH-01"].previous == Decimal("24")
    assert rows["XH-01"].target is None


def test_an_approved_report_shows_at_once_in_the_figures_the_operations_centre_reads(
    world, django_capture_on_commit_callbacks
):
    from indicators import selectors

    report = services.report_submit(report=world.report(), user=world.officer, lock_version=0, values=GOOD)
    before = selectors.figure(indicator=world.fibre, period=world.period, agency=world.unit)  # now cached
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.report_approve(report=report, user=world.reviewer, lock_version=report.lock_version)

    after = selectors.figure(indicator=world.fibre, period=world.period, agency=world.unit)
    assert callbacks  # the figures' cache version was bumped after the commit
    assert before.value is None
    assert after.value == Decimal("48")
    assert (after.numerator, after.denominator) == (Decimal(3120), Decimal(6500))
