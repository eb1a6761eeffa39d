"""Slip numbers (Decree 30/2020 Art. 15): per issuing agency, form and year, from 01; never
twice, even when desks issue at the same moment; and the wording of the place-date line."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction

from agencies.tests.factories import AgencyFactory
from dossiers.errors import DossierInvalid
from dossiers.models import DossierStep, Slip, SlipNumberSequence
from dossiers.slips import slip_control_refresh, slip_issue
from dossiers.slips.decree30 import place_date_line, place_for
from dossiers.slips.numbering import allocate_slip_number
from dossiers.tests.test_slips_pdf import RECEIVED, VN, department, desk, make_dossier

__all__ = ["department", "desk"]  # fixtures shared with test_slips_pdf


@pytest.mark.parametrize(
    ("day", "line"),
    [
        (dt.date(2026, 9, 5), "Lạng Sơn, ngày 05 tháng 9 năm 2026"),
        (dt.date(2026, 1, 9), "Lạng Sơn, ngày 09 tháng 01 năm 2026"),
        (dt.date(2026, 2, 28), "Lạng Sơn, ngày 28 tháng 02 năm 2026"),
        (dt.date(2026, 3, 1), "Lạng Sơn, ngày 01 tháng 3 năm 2026"),
        (dt.date(2026, 12, 31), "Lạng Sơn, ngày 31 tháng 12 năm 2026"),
        (dt.date(2026, 10, 10), "Lạng Sơn, ngày 10 tháng 10 năm 2026"),
    ],
)
def test_place_date_line_pads_days_below_10_and_only_january_and_february(day, line):
    assert place_date_line("Lạng Sơn", day) == line


@pytest.mark.django_db
def test_the_place_is_the_commune_for_a_communes_desk_and_the_province_otherwise(desk, department, settings):
    settings.CONGSO_PROVINCE_GSO_CODE = 20
    numbered = AgencyFactory.create(name="Ủy ban nhân dân Phường 1", kind="commune")

    assert place_for(desk) == "Tam Thanh"
    assert place_for(department) == "Lạng Sơn"
    assert place_for(numbered) == "Phường 1"


@pytest.mark.django_db
def test_numbers_run_from_01_per_agency_form_and_year(desk, department, other_agency, clerk):
    other_desk = AgencyFactory(name="Bộ phận một cửa xã Đồng Đăng", kind="one_stop_desk", parent=other_agency)
    september = RECEIVED
    january = dt.datetime(2027, 1, 2, 8, 0, tzinfo=VN)

    def issue(dossier, when):
        return slip_issue(dossier=dossier, form=Slip.Form.RECEIPT, actor=clerk, now=when).number

    first = make_dossier(desk, department, code="000.01.10.H40-260905-0001")
    second = make_dossier(desk, department, code="000.01.10.H40-260905-0002")
    elsewhere = make_dossier(other_desk, department, code="000.02.10.H40-260905-0001")

    assert issue(first, september) == "01/TNHS"
    assert issue(second, september) == "02/TNHS"
    assert issue(elsewhere, september) == "01/TNHS"  # another desk has its own numbers
    supplement = slip_issue(
        dossier=second,
        form=Slip.Form.SUPPLEMENT,
        actor=clerk,
        content={"items": ["x"], "reason": "y"},
        now=september,
    )
    assert supplement.number == "01/PBS"  # another form too
    assert issue(first, january) == "01/TNHS"  # a new year starts again from 01
    assert issue(second, january) == "02/TNHS"


@pytest.mark.django_db
def test_the_year_is_the_provinces_not_utc(desk, department, clerk):
    dossier = make_dossier(desk, department)
    slip_issue(
        dossier=dossier, form=Slip.Form.RECEIPT, actor=clerk, now=dt.datetime(2026, 12, 31, 10, tzinfo=VN)
    )

    # 31/12/2026 23:30 UTC is already 01/01/2027 in Hà Nội time: the 2027 book starts.
    slip = slip_issue(
        dossier=dossier,
        form=Slip.Form.RECEIPT,
        actor=clerk,
        now=dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC),
    )

    assert slip.number == "01/TNHS"


@pytest.mark.django_db
def test_a_province_can_choose_its_own_number_symbols(desk, department, clerk, settings):
    settings.CONGSO_SLIP_NUMBER_SYMBOLS = {"01": "BN-TTPVHCC"}

    slip = slip_issue(
        dossier=make_dossier(desk, department), form=Slip.Form.RECEIPT, actor=clerk, now=RECEIVED
    )

    assert slip.number == "01/BN-TTPVHCC"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("form", "content", "message"),
    [
        (Slip.Form.SUPPLEMENT, {"reason": "Thiếu giấy tờ"}, "liệt kê đầy đủ các nội dung cần bổ sung"),
        (Slip.Form.SUPPLEMENT, {"items": ["Giấy khai sinh"], "reason": "  "}, "Phải nêu rõ lý do."),
        (Slip.Form.REFUSAL, {}, "Phải nêu rõ lý do."),
        (Slip.Form.APOLOGY, {"reason": "Chậm xác minh"}, "ngày hẹn trả kết quả lại"),
    ],
)
def test_a_slip_missing_a_legal_field_is_refused_and_takes_no_number(
    desk, department, clerk, form, content, message
):
    dossier = make_dossier(desk, department)

    with pytest.raises(DossierInvalid) as refused:
        slip_issue(dossier=dossier, form=form, actor=clerk, content=content, now=RECEIVED)

    assert message in refused.value.message
    assert not Slip.objects.exists()
    assert not SlipNumberSequence.objects.exists()


@pytest.mark.django_db
def test_a_receipt_needs_a_dossier_code(desk, department, clerk):
    dossier = make_dossier(desk, department, code=None)

    with pytest.raises(DossierInvalid, match="chưa có mã số hồ sơ"):
        slip_issue(dossier=dossier, form=Slip.Form.RECEIPT, actor=clerk, now=RECEIVED)


@pytest.mark.django_db
def test_a_slip_rolled_back_with_its_dossier_gives_its_number_back(desk, department, clerk):
    dossier = make_dossier(desk, department)

    def reception_that_fails_after_the_slip():
        with transaction.atomic():
            slip_issue(dossier=dossier, form=Slip.Form.RECEIPT, actor=clerk, now=RECEIVED)
            raise RuntimeError("the reception failed after the slip was issued")

    with pytest.raises(RuntimeError):
        reception_that_fails_after_the_slip()

    assert slip_issue(dossier=dossier, form=Slip.Form.RECEIPT, actor=clerk, now=RECEIVED).number == "01/TNHS"


@pytest.mark.django_db
def test_the_control_slip_keeps_its_number_and_gains_the_new_handovers(desk, department, clerk, specialist):
    dossier = make_dossier(desk, department)

    def step(order, name, agency, person, days):
        DossierStep.objects.create(
            dossier=dossier,
            order=order,
            name=name,
            agency=agency,
            role="clerk",
            received_by=person,
            budget_hours=Decimal(8),
            started_at=RECEIVED + dt.timedelta(days=days),
        )

    step(1, "Tiếp nhận hồ sơ", desk, clerk, 0)
    slip = slip_issue(dossier=dossier, form=Slip.Form.CONTROL, actor=clerk, now=RECEIVED)
    step(2, "Thẩm định hồ sơ", department, specialist, 1)

    refreshed = slip_control_refresh(slip=slip)

    assert refreshed.number == slip.number == "01/PKS"
    assert [row["step"] for row in refreshed.content["handovers"]] == ["Tiếp nhận hồ sơ", "Thẩm định hồ sơ"]
    assert "Thẩm định hồ sơ" in refreshed.text
    assert Slip.objects.count() == 1


# --- concurrency (PostgreSQL) ---------------------------------------------------------


def _in_threads(count, work):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(work())
        except Exception as exc:  # collected and re-raised by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_allocations_never_give_a_number_twice(agency):
    def allocate():
        with transaction.atomic():
            return allocate_slip_number(agency=agency, form="01", year=2026)

    numbers = _in_threads(12, allocate)

    assert sorted(numbers) == list(range(1, 13))
    assert SlipNumberSequence.objects.get(agency=agency, form="01", year=2026).last_value == 12


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_desks_issuing_receipts_at_the_same_moment_get_distinct_numbers(desk, department, clerk):
    dossiers = [make_dossier(desk, department, code=f"000.01.10.H40-260905-{n:04d}") for n in range(1, 9)]
    queue = list(dossiers)
    lock = threading.Lock()

    def issue():
        with lock:
            dossier = queue.pop()
        with transaction.atomic():
            return slip_issue(dossier=dossier, form=Slip.Form.RECEIPT, actor=clerk, now=RECEIVED).number

    numbers = _in_threads(len(dossiers), issue)

    assert sorted(numbers) == [f"{n:02d}/TNHS" for n in range(1, 9)]
