"""Public API of the procedure catalogue: search, one procedure in force, sectors."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from catalog.api.serializers import (
    ProcedureDetailSerializer,
    ProcedureSummarySerializer,
    SearchParamsSerializer,
    SectorSerializer,
)
from catalog.models import ProcedureVersion
from catalog.selectors import procedure_in_force, procedure_search, sectors_with_counts

SUMMARY_EXAMPLE = {
    "code": "1.004471",
    "name": "Cấp giấy phép bưu chính",
    "level": "province",
    "level_label": "Cấp tỉnh",
    "sector": {"code": "H40-BCVT", "name": "Bưu chính"},
    "service_level": "full_online",
    "service_level_label": "Dịch vụ công trực tuyến toàn trình",
    "processing_time": {
        "value": 10,
        "unit": "working_days",
        "text": "10 ngày làm việc",
        "hours": 80,
        "note": "",
    },
    "agency": {"code": "H40.31", "qcvn_code": "000.00.31.H40", "name": "Sở Khoa học và Công nghệ"},
    "competent_authority": "Sở Khoa học và Công nghệ",
    "version": 1,
    "effective_from": "2025-07-01",
}
DETAIL_EXAMPLE = {
    **SUMMARY_EXAMPLE,
    "effective_to": None,
    "decision": "1234/QĐ-UBND ngày 20/6/2025",
    "applicants": "Doanh nghiệp",
    "steps": "Bước 1: Nộp hồ sơ …",
    "submission_channels": "Trực tuyến trên Cổng Dịch vụ công quốc gia; qua bưu chính; trực tiếp",
    "conditions": "",
    "legal_basis": "Luật Bưu chính 2010; Nghị định 47/2011/NĐ-CP",
    "result": "Giấy phép bưu chính",
    "fee_note": "",
    "fees": [
        {
            "kind": "fee",
            "kind_label": "Phí",
            "name": "Phí thẩm định điều kiện hoạt động bưu chính",
            "counter_amount": 500000,
            "online_amount": 250000,
            "exemptions": "",
            "legal_basis": "Thông tư 291/2016/TT-BTC",
        }
    ],
    "components": [
        {
            "order": 1,
            "name": "Đơn đề nghị cấp giấy phép bưu chính",
            "originals": 1,
            "copies": 0,
            "is_mandatory": True,
            "paper_only": False,
            "template_name": "Mẫu số 01",
            "template_url": None,
            "note": "",
        }
    ],
    "workflow": [
        {
            "order": 1,
            "name": "Tiếp nhận hồ sơ",
            "actor": "receiving_desk",
            "agency": None,
            "role": "clerk",
            "budget_hours": "4.0",
            "parallel": False,
        },
        {
            "order": 2,
            "name": "Thẩm định hồ sơ",
            "actor": "competent_agency",
            "agency": None,
            "role": "specialist",
            "budget_hours": "68.0",
            "parallel": False,
        },
        {
            "order": 3,
            "name": "Phê duyệt",
            "actor": "competent_agency",
            "agency": None,
            "role": "agency_leader",
            "budget_hours": "4.0",
            "parallel": False,
        },
        {
            "order": 4,
            "name": "Trả kết quả",
            "actor": "receiving_desk",
            "agency": None,
            "role": "clerk",
            "budget_hours": "4.0",
            "parallel": False,
        },
    ],
}


class ProcedureListView(GenericAPIView[ProcedureVersion]):
    """Search the procedures in force."""

    permission_classes = (AllowAny,)
    serializer_class = ProcedureSummarySerializer

    @extend_schema(
        operation_id="procedures_list",
        summary="Tìm thủ tục hành chính đang áp dụng",
        description=(
            "Tìm theo tên, mã, từ khóa, có dấu hay không dấu, chấp nhận lỗi gõ nhỏ và chữ viết tắt "
            "thông dụng (gpkd, đkkd, cccd …). Kết quả xếp theo mức phù hợp; không có `search` thì thủ tục "
            "được dùng nhiều nhất đứng trước. Không cần đăng nhập: thông tin thủ tục là công khai."
        ),
        tags=["catalog"],
        auth=[],
        parameters=[
            OpenApiParameter(
                "search", str, description="Điều cần tìm, ví dụ “dang ky khai sinh”, “gpkd”, “1.004471”."
            ),
            OpenApiParameter("sector", str, description="Mã lĩnh vực, ví dụ H40-BCVT."),
            OpenApiParameter("level", str, enum=ProcedureVersion.Level.values, description="Cấp thực hiện."),
            OpenApiParameter(
                "agency",
                str,
                description=(
                    "Mã định danh cơ quan, ví dụ H40.31. Mã của một xã, phường chọn cả các thủ tục cấp xã."
                ),
            ),
            OpenApiParameter(
                "service_level",
                str,
                enum=ProcedureVersion.ServiceLevel.values,
                description="Mức độ dịch vụ công.",
            ),
        ],
        examples=[OpenApiExample("Cấp giấy phép bưu chính", value=SUMMARY_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request) -> Response:
        params = SearchParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data: dict[str, Any] = params.validated_data
        results = procedure_search(
            query=data.get("search") or "",
            sector=data.get("sector") or None,
            level=data.get("level") or None,
            agency=data.get("agency") or None,
            service_level=data.get("service_level") or None,
        )
        page = self.paginate_queryset(results)  # type: ignore[arg-type]
        serializer = self.get_serializer(page if page is not None else results, many=True)
        return self.get_paginated_response(serializer.data) if page is not None else Response(serializer.data)


class ProcedureDetailView(GenericAPIView[ProcedureVersion]):
    """One procedure as it applies today."""

    permission_classes = (AllowAny,)
    serializer_class = ProcedureDetailSerializer

    @extend_schema(
        operation_id="procedures_retrieve",
        summary="Thông tin đầy đủ của một thủ tục đang áp dụng",
        description=(
            "Phiên bản đang áp dụng hôm nay của thủ tục có mã `code` (mã TTHC, có thể chứa dấu chấm): "
            "thành phần hồ sơ, thời hạn, phí và lệ phí (mức nộp trực tiếp và trực tuyến), quy trình nội bộ, "
            "căn cứ pháp lý, số phiên bản và ngày áp dụng."
        ),
        tags=["catalog"],
        auth=[],
        examples=[OpenApiExample("Cấp giấy phép bưu chính", value=DETAIL_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request, code: str) -> Response:
        try:
            version = procedure_in_force(code=code)
        except ProcedureVersion.DoesNotExist:
            raise NotFound(_("Không có thủ tục đang áp dụng với mã %(code)s.") % {"code": code}) from None
        return Response(self.get_serializer(version).data)


class SectorListView(GenericAPIView[Any]):
    """Sectors with the number of their procedures in force."""

    permission_classes = (AllowAny,)
    serializer_class = SectorSerializer

    @extend_schema(
        operation_id="sectors_list",
        summary="Lĩnh vực thủ tục hành chính",
        description=(
            "Các lĩnh vực có thủ tục đang áp dụng, xếp theo tên, kèm số thủ tục. Không cần đăng nhập."
        ),
        tags=["catalog"],
        auth=[],
        examples=[
            OpenApiExample(
                "Bưu chính",
                value={"code": "H40-BCVT", "name": "Bưu chính", "procedure_count": 6},
                response_only=True,
            )
        ],
    )
    def get(self, request: Request) -> Response:
        sectors = sectors_with_counts()
        page = self.paginate_queryset(sectors)  # type: ignore[arg-type]
        serializer = self.get_serializer(page if page is not None else sectors, many=True)
        return self.get_paginated_response(serializer.data) if page is not None else Response(serializer.data)
