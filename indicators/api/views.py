"""GET /api/v1/indicators/ (the catalogue) and GET /api/v1/indicators/{code}/values/ (figures with
target and status).

Who sees what
    * everyone, signed in or not: the indicators the province publishes, for the province and any
      unit (public data);
    * civil servants with a role today: every active indicator, for the units their scope allows
      (``indicators.permissions.visible_unit_ids``: province-level staff all units and the
      province, commune staff their own commune);
    * integration clients holding the ``indicators:read`` scope: every active indicator, every unit.
    Anything else is answered as if it did not exist (404), with a Vietnamese message.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.permissions import integration_client
from agencies.models import Agency
from agencies.selectors import agency_on
from congso.access import AnyUser
from indicators import selectors
from indicators.api.serializers import IndicatorSerializer, ValuesSerializer
from indicators.models import Indicator, Period, Periodicity, Source
from indicators.periods import period_from_key, period_last_closed, period_next
from indicators.permissions import can_view_ioc, visible_unit_ids

READ_SCOPE = "indicators:read"
"""The scope an integration client needs to read unpublished indicators (accounts.scopes)."""
MAX_PERIODS = 60


def _client_reads_all(user: AnyUser) -> bool:
    client = integration_client(user)
    return client is not None and READ_SCOPE in (client.scopes or [])


def _sees_all_indicators(user: AnyUser) -> bool:
    return can_view_ioc(user) or _client_reads_all(user)


def _indicator(user: AnyUser, code: str) -> Indicator:
    queryset = Indicator.objects.filter(is_active=True).select_related("group")
    if not _sees_all_indicators(user):
        queryset = queryset.filter(published=True)
    found = queryset.filter(code=code).first()
    if found is None:
        raise NotFound(_("Không tìm thấy chỉ tiêu “%(code)s”.") % {"code": code})
    return found


class IndicatorListApi(GenericAPIView[Indicator]):
    """The indicator catalogue: published indicators for everyone, every active one for civil
    servants and for integration clients with the ``indicators:read`` scope."""

    permission_classes = (AllowAny,)
    serializer_class = IndicatorSerializer

    def get_queryset(self) -> Any:
        queryset = Indicator.objects.filter(is_active=True).select_related("group").order_by("order", "code")
        if not _sees_all_indicators(self.request.user):
            queryset = queryset.filter(published=True)
        params = self.request.query_params
        if params.get("group"):
            queryset = queryset.filter(group__code=params["group"])
        if params.get("source"):
            if params["source"] not in Source.values:
                raise ValidationError(
                    {"source": [_("Nguồn số liệu phải là “computed” (tự tính) hoặc “reported” (báo cáo).")]}
                )
            queryset = queryset.filter(source=params["source"])
        return queryset

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "group", str, description="Mã nhóm chỉ số, ví dụ CQS, HTS, TDGQ (Bộ chỉ số 766)."
            ),
            OpenApiParameter("source", str, enum=Source.values, description="Nguồn số liệu."),
        ],
        responses=IndicatorSerializer(many=True),
        description=(
            "Danh mục chỉ tiêu: mã, tên, đơn vị tính, chiều tốt, định nghĩa, công thức, nguồn số liệu, "
            "kỳ báo cáo, cách tổng hợp từ xã lên tỉnh, điểm (Bộ chỉ số 766). Người dân thấy các chỉ tiêu "
            "tỉnh công khai; cán bộ và hệ thống tích hợp có phạm vi `indicators:read` thấy tất cả."
        ),
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(IndicatorSerializer(page, many=True).data)


def _periods(params: Any, indicator: Indicator) -> list[Period]:
    key, kind = params.get("period"), params.get("period_kind")
    start, end = params.get("from"), params.get("to")
    if key and (kind or start or end):
        raise ValidationError(
            {"period": [_("Dùng “period” cho một kỳ, hoặc “period_kind”, “from”, “to” cho nhiều kỳ.")]}
        )
    try:
        if key:
            return [period_from_key(key)]
        if not (kind or start or end):
            return [period_last_closed(indicator.periodicity)]
        if kind not in Periodicity.values:
            raise ValidationError(
                {"period_kind": [_("Loại kỳ phải là month, quarter, half, nine_months hoặc year.")]}
            )
        if not start or not end:
            raise ValidationError({"from": [_("Phải có cả kỳ bắt đầu (from) và kỳ kết thúc (to).")]})
        first, last = period_from_key(start), period_from_key(end)
    except ValueError as error:
        raise ValidationError({"period": [str(error)]}) from error
    if first.kind != kind or last.kind != kind:
        raise ValidationError({"from": [_("Kỳ bắt đầu và kỳ kết thúc phải cùng loại kỳ “period_kind”.")]})
    if first.start > last.start:
        raise ValidationError({"from": [_("Kỳ bắt đầu phải trước hoặc trùng kỳ kết thúc.")]})
    periods = [first]
    while periods[-1].pk != last.pk:
        if len(periods) >= MAX_PERIODS:
            raise ValidationError({"to": [_("Tối đa %(n)d kỳ trong một lần hỏi.") % {"n": MAX_PERIODS}]})
        periods.append(period_next(periods[-1]))
    return periods


def _unit(user: AnyUser, indicator: Indicator, code: str | None, period: Period) -> Agency | None:
    """The unit asked for (None: the province), as it was at the end of ``period``; 404 when it does
    not exist or is out of the person's scope."""
    unit = None
    if code:
        unit = agency_on(code=code, on=period.end) or agency_on(code=code)
        if unit is None:
            raise NotFound(_("Không tìm thấy đơn vị có mã “%(code)s”.") % {"code": code})
    if indicator.published or _client_reads_all(user):
        return unit
    allowed = visible_unit_ids(user)
    if allowed is None:
        return unit
    if unit is not None and unit.pk in allowed:
        return unit
    raise NotFound(
        _("Không tìm thấy số liệu của đơn vị này.")
        if unit is not None
        else _("Bạn chỉ xem được số liệu của đơn vị mình; hãy ghi mã đơn vị (unit).")
    )


class IndicatorValuesApi(GenericAPIView[Indicator]):
    """An indicator's figure for a unit (or the province) and one or several periods."""

    permission_classes = (AllowAny,)
    serializer_class = ValuesSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "unit", str, description="Mã định danh điện tử (hoặc QCVN 102) của đơn vị; trống: toàn tỉnh."
            ),
            OpenApiParameter(
                "period",
                str,
                description=(
                    "Một kỳ: 2026-Q3, 2026-M07, 2026-H1, 2026-9M, 2026. Mặc định: kỳ gần nhất đã kết thúc."
                ),
            ),
            OpenApiParameter(
                "period_kind", str, enum=Periodicity.values, description="Loại kỳ khi hỏi nhiều kỳ."
            ),
            OpenApiParameter("from", str, description="Kỳ bắt đầu (cùng loại period_kind), ví dụ 2025-Q1."),
            OpenApiParameter("to", str, description="Kỳ kết thúc, ví dụ 2026-Q2 (tối đa 60 kỳ)."),
        ],
        responses=ValuesSerializer,
        examples=[
            OpenApiExample(
                "Tỷ lệ hồ sơ trực tuyến toàn tỉnh, quý III/2026",
                value={
                    "indicator": {
                        "code": "DVC-02",
                        "name": "Tỷ lệ hồ sơ tiếp nhận trực tuyến",
                        "unit": "percent",
                    },
                    "unit": None,
                    "values": [
                        {
                            "period": "2026-Q3",
                            "period_label": "Quý III/2026",
                            "value": "56.22",
                            "numerator": "140",
                            "denominator": "249",
                            "target": "60",
                            "expected": "60",
                            "status": "at_risk",
                            "status_label": "Có nguy cơ không đạt",
                            "units_reported": None,
                            "units_expected": None,
                        }
                    ],
                },
                response_only=True,
            )
        ],
        description=(
            "Giá trị, tử số, mẫu số, chỉ tiêu được giao, giá trị kỳ vọng theo tiến độ và đánh giá (đạt, đúng "
            "tiến độ, có nguy cơ không đạt, chưa đạt, chưa giao chỉ tiêu, chưa có số liệu) của một chỉ tiêu "
            "cho một đơn vị hoặc toàn tỉnh, một kỳ (`period`) hoặc nhiều kỳ (`period_kind`, `from`, `to`)."
        ),
    )
    def get(self, request: Request, code: str) -> Response:
        indicator = _indicator(request.user, code)
        periods = _periods(request.query_params, indicator)
        try:
            unit = _unit(request.user, indicator, request.query_params.get("unit"), periods[-1])
        except Http404 as error:
            raise NotFound(str(error)) from error
        figures = [selectors.figure(indicator=indicator, period=period, agency=unit) for period in periods]
        return Response(ValuesSerializer({"indicator": indicator, "unit": unit, "values": figures}).data)
