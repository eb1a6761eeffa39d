"""Output serializers of the indicators API (the catalogue and the figures)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from indicators.models import Indicator, IndicatorStatus
from indicators.selectors import Figure


class GroupSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()
    framework = serializers.CharField()
    max_points = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)


class IndicatorSerializer(serializers.ModelSerializer[Indicator]):
    group = GroupSerializer(allow_null=True)
    unit_label = serializers.CharField(source="get_unit_display")
    direction_label = serializers.CharField(source="get_direction_display")
    source_label = serializers.CharField(source="get_source_display")
    periodicity_label = serializers.CharField(source="get_periodicity_display")
    aggregation_label = serializers.CharField(source="get_aggregation_display")

    class Meta:
        model = Indicator
        fields = (
            "code",
            "name",
            "short_name",
            "group",
            "points",
            "unit",
            "unit_label",
            "direction",
            "direction_label",
            "definition",
            "formula",
            "numerator_label",
            "denominator_label",
            "source",
            "source_label",
            "source_note",
            "periodicity",
            "periodicity_label",
            "aggregation",
            "aggregation_label",
            "status_rule",
            "decimals",
            "min_value",
            "max_value",
            "published",
            "unconfirmed",
            "legal_basis",
        )


class IndicatorBriefSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    direction = serializers.CharField()
    decimals = serializers.IntegerField()


class UnitSerializer(serializers.Serializer[Any]):
    edoc_code = serializers.CharField()
    qcvn_code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()


def _text(value: Decimal | None, places: int | None = None) -> str | None:
    if value is None:
        return None
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places))
    text = f"{value.normalize():f}" if places is None else f"{value:f}"
    return text


class FigureSerializer(serializers.Serializer[Figure]):
    period = serializers.SerializerMethodField(help_text="Khóa kỳ, ví dụ 2026-Q3.")
    period_label = serializers.SerializerMethodField()
    value = serializers.SerializerMethodField(
        method_name="value_text", help_text="Giá trị theo đơn vị tính, làm tròn theo số chữ số thập phân."
    )
    numerator = serializers.SerializerMethodField()
    denominator = serializers.SerializerMethodField()
    target = serializers.SerializerMethodField()
    expected = serializers.SerializerMethodField(help_text="Giá trị cần đạt ở cuối kỳ theo tiến độ.")
    status = serializers.CharField()
    status_label = serializers.SerializerMethodField()
    units_reported = serializers.IntegerField(allow_null=True)
    units_expected = serializers.IntegerField(allow_null=True)

    def get_period(self, item: Figure) -> str:
        return item.period.key

    def get_period_label(self, item: Figure) -> str:
        return item.period.label

    def value_text(self, item: Figure) -> str | None:
        return _text(item.value, item.indicator.decimals)

    def get_numerator(self, item: Figure) -> str | None:
        return _text(item.numerator)

    def get_denominator(self, item: Figure) -> str | None:
        return _text(item.denominator)

    def get_target(self, item: Figure) -> str | None:
        return _text(item.target)

    def get_expected(self, item: Figure) -> str | None:
        return _text(item.expected, item.indicator.decimals)

    def get_status_label(self, item: Figure) -> str:
        return str(IndicatorStatus(item.status).label)


class ValuesSerializer(serializers.Serializer[Any]):
    indicator = IndicatorBriefSerializer()
    unit = UnitSerializer(allow_null=True, help_text="Trống: toàn tỉnh.")
    values = FigureSerializer(many=True)
