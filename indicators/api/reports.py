"""POST /api/v1/indicators/reports/: a unit's figures for a form and a period, sent by the unit's
own system (an integration client with the ``indicators:write`` scope, acting for its agency or a
unit under it) or by a civil servant of the unit with a bearer token.

Idempotent per (form, unit, period) until the report is approved: the figures sent replace the
stored ones and the report goes (again) to review; sending the same figures again changes
nothing. 201 when the report is made by this call, 200 otherwise, with the report's status; 400
with per-field Vietnamese errors (``errors[code][field]``), nothing stored; 409 once approved.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework import status as http
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.permissions import HasScope
from accounts.models import User
from accounts.permissions import staff_agency_ids
from accounts.scopes import Scope
from agencies.selectors import agency_on
from indicators import services
from indicators.models import Report, ReportForm, ReportValue
from indicators.periods import period_from_key
from indicators.report_permissions import may_report_for
from indicators.report_selectors import period_in_text
from indicators.report_values import COMMENT_MAX


class ValueInputSerializer(serializers.Serializer[Any]):
    value = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=40)
    numerator = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=40)
    denominator = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=40)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=COMMENT_MAX)


class ReportInputSerializer(serializers.Serializer[Any]):
    form = serializers.CharField(max_length=32, help_text="Mã biểu mẫu báo cáo.")
    unit = serializers.CharField(
        max_length=35, help_text="Mã định danh điện tử (hoặc mã QCVN 102) của đơn vị báo cáo trong kỳ đó."
    )
    period = serializers.CharField(
        max_length=16, help_text="Kỳ báo cáo: 2026-Q3, 2026-M07, 2026-H1, 2026-9M, 2026."
    )
    values = serializers.DictField(
        child=ValueInputSerializer(),
        allow_empty=False,
        help_text=(
            "Số liệu theo mã chỉ tiêu: value (chỉ tiêu không phải tỷ lệ), numerator và denominator (chỉ tiêu "
            "tỷ lệ: congso tự tính tỷ lệ), comment (giải trình; bắt buộc khi chưa có số liệu)."
        ),
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class ValueOutputSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(source="indicator.code")
    value = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    numerator = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    denominator = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    comment = serializers.CharField()


class ReportOutputSerializer(serializers.Serializer[Report]):
    id = serializers.IntegerField()
    form = serializers.CharField(source="form.code")
    unit = serializers.CharField(source="agency.edoc_code")
    unit_name = serializers.CharField(source="agency.name")
    period = serializers.CharField(source="period.key")
    period_label = serializers.CharField(source="period.label")
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    due_date = serializers.DateField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    lock_version = serializers.IntegerField()
    values = serializers.SerializerMethodField()

    def get_values(self, report: Report) -> list[dict[str, Any]]:
        rows = (
            ReportValue.objects.filter(report=report).select_related("indicator").order_by("indicator__code")
        )
        return list(ValueOutputSerializer(rows, many=True).data)


def _error(detail: str, code: str, status: int, errors: Mapping[str, Any] | None = None) -> Response:
    body: dict[str, Any] = {"detail": detail, "code": code}
    if errors:
        body["errors"] = dict(errors)
    return Response(body, status=status)


EXAMPLE = OpenApiExample(
    "Báo cáo quý của một phường",
    request_only=True,
    value={
        "form": "CDS-XA-QUY",
        "unit": "H40.17",
        "period": "2026-Q3",
        "values": {
            "HT-01": {"numerator": 6120, "denominator": 12800},
            "XH-02": {"value": 24},
            "HT-03": {"value": 0, "comment": "Đã phủ sóng toàn bộ thôn, khối phố."},
        },
        "comment": "Số liệu do phòng Văn hóa - Xã hội tổng hợp.",
    },
)


class ReportSubmitApi(APIView):
    """A unit's figures for a form and a period, stored and sent for review."""

    permission_classes = (IsAuthenticated, HasScope)
    required_scopes: ClassVar[dict[str, str]] = {"POST": Scope.INDICATORS_WRITE}

    @extend_schema(
        operation_id="indicator_reports_submit",
        summary="Gửi báo cáo chỉ tiêu của một đơn vị",
        description=(
            "Hệ thống của đơn vị (phạm vi `indicators:write`, gắn với đơn vị hoặc cơ quan cấp trên của đơn "
            "vị) hoặc cán bộ của đơn vị gửi số liệu của một biểu cho một kỳ. Số liệu được kiểm tra như trên "
            "biểu nhập tay (khoảng giá trị, tử số không lớn hơn mẫu số với tỷ lệ phần trăm, chỉ tiêu tỷ lệ "
            "cần tử số và mẫu số); có lỗi thì không lưu gì (400, `errors[mã chỉ tiêu][trường]`). Gửi lại "
            "cùng biểu, đơn vị, kỳ khi báo cáo chưa được duyệt sẽ thay số liệu cũ; gửi lại y hệt không "
            "thay đổi gì. 201 khi báo cáo được tạo mới, 200 khi đã có; 409 khi báo cáo đã được duyệt."
        ),
        tags=["indicators"],
        request=ReportInputSerializer,
        examples=[EXAMPLE],
        responses={
            200: ReportOutputSerializer,
            201: ReportOutputSerializer,
            400: OpenApiResponse(description="Số liệu hoặc biểu, đơn vị, kỳ không hợp lệ; không lưu gì."),
            403: OpenApiResponse(description="Không được gửi báo cáo của đơn vị này."),
            409: OpenApiResponse(description="Báo cáo đã được duyệt."),
        },
    )
    def post(self, request: Request) -> Response:
        user = request.user
        assert isinstance(user, User)  # IsAuthenticated let the request in
        if user.kind == User.Kind.CITIZEN or (user.kind == User.Kind.STAFF and not staff_agency_ids(user)):
            return _error(
                _("Chỉ cán bộ của đơn vị báo cáo hoặc hệ thống tích hợp được gửi báo cáo chỉ tiêu."),
                "permission_denied",
                http.HTTP_403_FORBIDDEN,
            )
        params = ReportInputSerializer(data=request.data)
        if not params.is_valid():
            return _error(
                _("Dữ liệu gửi lên không hợp lệ."), "invalid", http.HTTP_400_BAD_REQUEST, params.errors
            )
        data = params.validated_data
        form = ReportForm.objects.filter(code=data["form"].strip(), is_active=True).first()
        if form is None:
            message = _("Không có biểu báo cáo đang áp dụng mã “%(code)s”.") % {"code": data["form"]}
            return _error(message, "invalid", http.HTTP_400_BAD_REQUEST, {"form": [message]})
        try:
            period = period_from_key(data["period"])
        except ValueError as error:
            return _error(str(error), "invalid", http.HTTP_400_BAD_REQUEST, {"period": [str(error)]})
        agency = agency_on(code=data["unit"].strip(), on=period.end)
        if agency is None:
            message = _("Không có đơn vị mã “%(code)s” hoạt động vào cuối kỳ %(period)s.") % {
                "code": data["unit"],
                "period": period_in_text(period),
            }
            return _error(message, "invalid", http.HTTP_400_BAD_REQUEST, {"unit": [message]})
        if not may_report_for(user, agency):
            return _error(
                _("Bạn không được gửi báo cáo của %(unit)s.") % {"unit": agency.name},
                "permission_denied",
                http.HTTP_403_FORBIDDEN,
            )
        try:
            received = services.report_receive(
                form=form,
                agency=agency,
                period=period,
                values={code: dict(raw) for code, raw in data["values"].items()},
                comment=data.get("comment"),
                user=user,
            )
        except services.ApprovedAlready as error:
            return _error(error.message, "approved", http.HTTP_409_CONFLICT)
        except services.ReportConflict as error:
            return _error(error.message, "conflict", http.HTTP_409_CONFLICT)
        except services.ReportValidationError as error:
            errors = {code or "report": fields for code, fields in error.errors.items()}
            return _error(error.message, "invalid", http.HTTP_400_BAD_REQUEST, errors)
        except services.ReportError as error:
            return _error(error.message, "invalid", http.HTTP_400_BAD_REQUEST)
        status = http.HTTP_201_CREATED if received.created else http.HTTP_200_OK
        return Response(ReportOutputSerializer(received.report).data, status=status)
