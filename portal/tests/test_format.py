"""Money, dates and time limits written the way the administration writes them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import timezone

from catalog.models import ProcedureVersion
from portal.templatetags.vn_format import processing_time, vn_date, vnd


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (1_500_000, "1.500.000 đ"),
        (Decimal("250000"), "250.000 đ"),
        (500, "500 đ"),
        (12_345_678_900, "12.345.678.900 đ"),
        (0, "Miễn phí"),
        (None, ""),
    ],
)
def test_vnd_writes_dong_with_dot_thousands_and_zero_as_free(amount, text):
    assert vnd(amount) == text


def test_vn_date_is_day_month_year():
    assert vn_date(dt.date(2025, 7, 1)) == "01/07/2025"
    assert vn_date(None) == ""


def test_vn_date_of_a_moment_is_the_day_in_vietnam():
    # 18:30 UTC on 30 June is already 1 July in Hà Nội.
    moment = dt.datetime(2025, 6, 30, 18, 30, tzinfo=dt.UTC)
    assert vn_date(moment) == "01/07/2025"
    assert timezone.is_aware(moment)


@pytest.mark.parametrize(
    ("amount", "unit", "text"),
    [
        (Decimal("10.0"), "working_days", "10 ngày làm việc"),
        (Decimal("0.5"), "working_days", "0,5 ngày làm việc"),
        (Decimal(4), "working_hours", "4 giờ làm việc"),
    ],
)
def test_processing_time_reads_as_a_citizen_says_it(amount, unit, text):
    version = ProcedureVersion(processing_time=amount, processing_time_unit=unit)
    assert processing_time(version) == text


def test_the_filters_are_usable_in_templates():
    rendered = Template("{% load vn_format %}{{ a|vnd }} / {{ d|vn_date }}").render(
        Context({"a": 2_000_000, "d": dt.date(2025, 12, 31)})
    )
    assert rendered == "2.000.000 đ / 31/12/2025"
