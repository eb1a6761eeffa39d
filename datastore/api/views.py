"""GET /api/v1/digitisation/counters/: the digitisation counters per competent agency for a period.

Civil servants and the province administrator count the dossiers they may see (the access layer);
an integration client needs the ``dossiers:read`` scope and counts the dossiers of its agency and
those it submitted. Citizens are refused: the counters are the administration's report.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.permissions import HasScope
from accounts.models import User
from accounts.scopes import Scope
from datastore.api.serializers import CounterReportSerializer, report_data
from datastore.digitisation import counter_agencies, digitisation_counters
from datastore.forms import CounterFilterForm
from dossiers.models import Dossier


class NotCitizen(BasePermission):
    message = _("Số liệu số hóa dành cho cán bộ, công chức và hệ thống tích hợp được cấp phạm vi.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return isinstance(request.user, User) and request.user.kind != User.Kind.CITIZEN


class DigitisationCountersApi(APIView):
    permission_classes = (IsAuthenticated, HasScope, NotCitizen)
    required_scopes: ClassVar[dict[str, str]] = {"GET": Scope.DOSSIERS_READ}

    @extend_schema(
        operation_id="digitisation_counters",
        summary="Số liệu số hóa hồ sơ, kết quả theo cơ quan và kỳ",
        description=(
            "Theo Quyết định 766/QĐ-TTg (nhóm chỉ số MDSH): hồ sơ tiếp nhận (`tiepNhan`), trong đó "
            "chưa/đã số hóa đủ thành phần (`chuaSoHoaTPHS`, `coSoHoaTPHS`), có tái sử dụng thành phần "
            "đã số hóa (`coTaiSuDungTPHS`), từ Cổng DVC quốc gia (`coTaiSuDungTPHSTuDvcQg`); hồ sơ đã "
            "giải quyết (`daGiaiQuyet`), kết quả chưa/đã số hóa (`daGiaiQuyetChuaSoHoa`, "
            "`daGiaiQuyetDaSoHoa`). Một dòng cho mỗi cơ quan giải quyết, trong phạm vi hồ sơ người gọi "
            "được xem; kèm dòng tổng. Mặc định: từ đầu tháng đến hôm nay."
        ),
        tags=["digitisation"],
        parameters=[
            OpenApiParameter(
                "agency", OpenApiTypes.INT, description="Mã số (id) cơ quan giải quyết; bỏ trống: tất cả."
            ),
            OpenApiParameter("from", OpenApiTypes.DATE, description="Từ ngày, yyyy-mm-dd (hoặc dd/mm/yyyy)."),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Đến ngày, yyyy-mm-dd (hoặc dd/mm/yyyy)."),
        ],
        responses={
            200: CounterReportSerializer,
            400: OpenApiResponse(
                description="Tham số không hợp lệ (ngày sai dạng, kỳ ngược, cơ quan không có)."
            ),
            401: OpenApiResponse(description="Chưa xác thực."),
            403: OpenApiResponse(
                description="Người dân, hoặc hệ thống tích hợp thiếu phạm vi dossiers:read."
            ),
        },
    )
    def get(self, request: Request) -> Response:
        dossiers = Dossier.objects.restrict(request.user, "view")
        params: dict[str, Any] = {**CounterFilterForm.defaults()}
        for name, field in (("agency", "agency"), ("from", "start"), ("to", "end")):
            if request.query_params.get(name):
                params[field] = request.query_params[name]
        form = CounterFilterForm(params, agencies=counter_agencies(dossiers))
        if not form.is_valid():
            renamed = {"start": "from", "end": "to"}
            errors = {renamed.get(k, k): [str(m) for m in v] for k, v in form.errors.items()}
            raise ValidationError(errors)
        data = form.cleaned_data
        report = digitisation_counters(
            dossiers=dossiers, start=data["start"], end=data["end"], agency=data.get("agency")
        )
        return Response(CounterReportSerializer(report_data(report)).data)
