"""Public API of the working-day calendar."""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework.exceptions import APIException
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from workcalendar.api.serializers import CalendarErrorSerializer, WorkingDaysSerializer
from workcalendar.selectors import working_days_in_range

MAX_RANGE_DAYS = 366
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class BadCalendarQuery(APIException):
    status_code = 400
    default_code = "invalid_query"


def _query_date(request: Request, name: str) -> dt.date:
    raw = request.query_params.get(name, "").strip()
    if not raw:
        raise BadCalendarQuery(_("Thiếu tham số “%(name)s”: một ngày dạng YYYY-MM-DD.") % {"name": name})
    try:
        if not _ISO_DATE.fullmatch(raw):
            raise ValueError(raw)
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise BadCalendarQuery(
            _("Tham số “%(name)s” không phải một ngày hợp lệ dạng YYYY-MM-DD: “%(value)s”.")
            % {"name": name, "value": raw[:40]}
        ) from None


class WorkingDaysView(APIView):
    """Days off, make-up working days and the number of working days between two dates."""

    permission_classes = (AllowAny,)

    @extend_schema(
        operation_id="calendar_working_days",
        summary="Ngày làm việc trong một khoảng thời gian",
        description=(
            "Ngày nghỉ lễ, Tết, nghỉ bù, nghỉ hoán đổi và ngày làm bù theo lịch làm việc của tỉnh, "
            "cùng số ngày làm việc từ `from` đến `to` (tính cả hai đầu). Khoảng tối đa 366 ngày. "
            "Không cần đăng nhập."
        ),
        tags=["calendar"],
        auth=[],
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, required=True, description="Ngày đầu, YYYY-MM-DD."),
            OpenApiParameter("to", OpenApiTypes.DATE, required=True, description="Ngày cuối, YYYY-MM-DD."),
        ],
        responses={200: WorkingDaysSerializer, 400: CalendarErrorSerializer},
        examples=[
            OpenApiExample(
                "Dịp 30/4 – 1/5/2025",
                response_only=True,
                value={
                    "from": "2025-04-24",
                    "to": "2025-05-05",
                    "working_days": 6,
                    "days": [
                        {
                            "date": "2025-04-26",
                            "kind": "makeup_workday",
                            "kind_label": "Ngày làm bù",
                            "name": "Làm bù cho ngày 02/05/2025",
                        },
                        {
                            "date": "2025-04-30",
                            "kind": "holiday",
                            "kind_label": "Nghỉ lễ, Tết",
                            "name": "Ngày Chiến thắng",
                        },
                    ],
                },
            )
        ],
    )
    def get(self, request: Request) -> Response:
        date_from = _query_date(request, "from")
        date_to = _query_date(request, "to")
        if date_to < date_from:
            raise BadCalendarQuery(_("Ngày cuối (to) không được trước ngày đầu (from)."))
        if (date_to - date_from).days + 1 > MAX_RANGE_DAYS:
            raise BadCalendarQuery(
                _("Khoảng thời gian dài quá %(max)s ngày; hãy chia thành nhiều lần tra cứu.")
                % {"max": MAX_RANGE_DAYS}
            )
        summary = working_days_in_range(date_from=date_from, date_to=date_to)
        return Response(WorkingDaysSerializer(summary).data)
