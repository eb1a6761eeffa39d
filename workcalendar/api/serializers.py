"""Shapes of the calendar API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from workcalendar.models import DayKind
from workcalendar.snapshot import CalendarEntry


class CalendarEntrySerializer(serializers.Serializer[CalendarEntry]):
    """Một ngày nghỉ hoặc ngày làm bù."""

    date = serializers.DateField(help_text="Ngày (YYYY-MM-DD).")
    kind = serializers.ChoiceField(choices=DayKind.choices, help_text="Loại ngày.")
    kind_label = serializers.SerializerMethodField(help_text="Tên loại ngày, tiếng Việt.")
    name = serializers.CharField(help_text="Tên ngày, ví dụ “Tết Nguyên Đán”.")

    def get_kind_label(self, entry: CalendarEntry) -> str:
        return str(DayKind(entry.kind).label)


class WorkingDaysSerializer(serializers.Serializer[Any]):
    """Số ngày làm việc, các ngày nghỉ và ngày làm bù trong một khoảng ngày."""

    # "from" is a Python keyword, so the fields are declared here rather than as attributes.
    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        return {
            "from": serializers.DateField(source="date_from", help_text="Ngày đầu (tính cả ngày này)."),
            "to": serializers.DateField(source="date_to", help_text="Ngày cuối (tính cả ngày này)."),
            "working_days": serializers.IntegerField(help_text="Số ngày làm việc trong khoảng."),
            "days": CalendarEntrySerializer(
                many=True, help_text="Ngày nghỉ (lễ, Tết, nghỉ bù, hoán đổi) và ngày làm bù trong khoảng."
            ),
        }


class CalendarErrorSerializer(serializers.Serializer[Any]):
    """Lỗi của yêu cầu: thông báo tiếng Việt và mã lỗi."""

    detail = serializers.CharField(help_text="Thông báo lỗi, tiếng Việt.")
    code = serializers.CharField(help_text="Mã lỗi.")
