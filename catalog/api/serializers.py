"""Shapes of the procedure catalogue API (read-only, public)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agencies.models import Agency
from catalog.models import ComponentRequirement, Fee, ProcedureVersion, Sector, WorkflowStep


class SearchParamsSerializer(serializers.Serializer[Any]):
    """The query string of GET /procedures/."""

    search = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    sector = serializers.CharField(required=False, allow_blank=True, max_length=24, default="")
    level = serializers.ChoiceField(choices=ProcedureVersion.Level.choices, required=False, allow_blank=True)
    agency = serializers.CharField(required=False, allow_blank=True, max_length=35, default="")
    service_level = serializers.ChoiceField(
        choices=ProcedureVersion.ServiceLevel.choices, required=False, allow_blank=True
    )


class AgencyRefSerializer(serializers.Serializer[Agency]):
    code = serializers.CharField(
        source="edoc_code", help_text="Mã định danh điện tử (Quyết định 20/2020/QĐ-TTg)."
    )
    qcvn_code = serializers.CharField(help_text="Mã QCVN 102:2016/BTTTT, nếu có.")
    name = serializers.CharField()


class SectorRefSerializer(serializers.Serializer[Sector]):
    code = serializers.CharField(help_text="Mã lĩnh vực dạng MX1X2-LV.")
    name = serializers.CharField()


class ProcessingTimeSerializer(serializers.Serializer[ProcedureVersion]):
    value = serializers.DecimalField(
        source="processing_time", max_digits=6, decimal_places=1, coerce_to_string=False
    )
    unit = serializers.CharField(source="processing_time_unit", help_text="working_days hoặc working_hours.")
    text = serializers.CharField(source="processing_time_text", help_text="Ví dụ “10 ngày làm việc”.")
    hours = serializers.DecimalField(
        source="processing_hours",
        max_digits=7,
        decimal_places=1,
        coerce_to_string=False,
        help_text="Thời hạn tính bằng giờ làm việc (1 ngày = 8 giờ).",
    )
    note = serializers.CharField(source="processing_time_note")


class ProcedureSummarySerializer(serializers.Serializer[ProcedureVersion]):
    """Một thủ tục đang áp dụng, tóm tắt."""

    code = serializers.CharField(source="procedure.code", help_text="Mã TTHC trên CSDL quốc gia.")
    name = serializers.CharField()
    level = serializers.CharField(help_text="province hoặc commune.")
    level_label = serializers.CharField(source="get_level_display")
    sector = SectorRefSerializer()
    service_level = serializers.CharField(help_text="full_online, partial_online hoặc counter_only.")
    service_level_label = serializers.CharField(source="get_service_level_display")
    processing_time = serializers.SerializerMethodField()
    agency = AgencyRefSerializer(
        source="competent_agency",
        allow_null=True,
        help_text="Cơ quan có thẩm quyền; null với thủ tục cấp xã.",
    )
    competent_authority = serializers.CharField()
    version = serializers.IntegerField(source="number")
    effective_from = serializers.DateField()

    @extend_schema_field(ProcessingTimeSerializer)
    def get_processing_time(self, version: ProcedureVersion) -> dict[str, Any]:
        return {
            "value": float(version.processing_time),
            "unit": version.processing_time_unit,
            "text": version.processing_time_text,
            "hours": float(version.processing_hours),
            "note": version.processing_time_note,
        }

    def to_representation(self, instance: ProcedureVersion) -> dict[str, Any]:
        """The declared fields, written out by hand: a search page serialises 20 of these per
        request, and DRF's generic path costs more than the search itself. test_api checks that
        the keys match the declared fields."""
        agency = instance.competent_agency
        return {
            "code": instance.procedure.code,
            "name": instance.name,
            "level": instance.level,
            "level_label": str(ProcedureVersion.Level(instance.level).label),
            "sector": {"code": instance.sector.code, "name": instance.sector.name},
            "service_level": instance.service_level,
            "service_level_label": str(ProcedureVersion.ServiceLevel(instance.service_level).label),
            "processing_time": self.get_processing_time(instance),
            "agency": None
            if agency is None
            else {"code": agency.edoc_code, "qcvn_code": agency.qcvn_code, "name": agency.name},
            "competent_authority": instance.competent_authority,
            "version": instance.number,
            "effective_from": instance.effective_from.isoformat() if instance.effective_from else None,
        }


class FeeSerializer(serializers.ModelSerializer[Fee]):
    kind_label = serializers.CharField(source="get_kind_display")
    online_amount = serializers.SerializerMethodField(help_text="Mức thu khi nộp trực tuyến (đồng).")

    class Meta:
        model = Fee
        fields = (
            "kind",
            "kind_label",
            "name",
            "counter_amount",
            "online_amount",
            "exemptions",
            "legal_basis",
        )

    def get_online_amount(self, fee: Fee) -> int:
        return fee.amount_for(online=True)


class ComponentSerializer(serializers.ModelSerializer[ComponentRequirement]):
    template_url = serializers.SerializerMethodField()

    class Meta:
        model = ComponentRequirement
        fields = (
            "order",
            "name",
            "originals",
            "copies",
            "is_mandatory",
            "paper_only",
            "template_name",
            "template_url",
            "note",
        )

    def get_template_url(self, component: ComponentRequirement) -> str | None:
        if not component.template:
            return None
        request = self.context.get("request")
        url = component.template.url
        return str(request.build_absolute_uri(url)) if request else url


class WorkflowStepSerializer(serializers.ModelSerializer[WorkflowStep]):
    agency = AgencyRefSerializer(allow_null=True)

    class Meta:
        model = WorkflowStep
        fields = ("order", "name", "actor", "agency", "role", "budget_hours", "parallel")


class ProcedureDetailSerializer(ProcedureSummarySerializer):
    """Toàn bộ thông tin của phiên bản thủ tục đang áp dụng."""

    effective_to = serializers.DateField(allow_null=True)
    decision = serializers.CharField()
    applicants = serializers.CharField()
    steps = serializers.CharField()
    submission_channels = serializers.CharField()
    conditions = serializers.CharField()
    legal_basis = serializers.CharField()
    result = serializers.CharField()
    fee_note = serializers.CharField()
    fees = FeeSerializer(many=True)
    components = ComponentSerializer(many=True)
    workflow = WorkflowStepSerializer(many=True)

    def to_representation(self, instance: ProcedureVersion) -> dict[str, Any]:
        # One object: DRF's generic path over every declared field.
        return dict(serializers.Serializer.to_representation(self, instance))


class SectorSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()
    procedure_count = serializers.IntegerField(help_text="Số thủ tục đang áp dụng trong lĩnh vực.")
