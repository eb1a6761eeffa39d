"""The public catalogue of agencies: who exists, under whom, with which codes, on which day."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny

from agencies.api.filters import AgencyFilter
from agencies.api.serializers import AgencyOutputSerializer
from agencies.models import Agency, AgencyQuerySet
from agencies.selectors import agency_for_code


@extend_schema(
    tags=["agencies"],
    summary="Danh mục cơ quan, đơn vị",
    description=(
        "Public list of the province's agencies active on a day (default today): the province, "
        "departments, the Public Administration Service Centres, communes and their one-stop desks. "
        "Each item gives both agency codes (QCVN 102 and Decision 20/2020) and, for a unit that no "
        "longer exists, the Decision-20 codes of its successors."
    ),
)
class AgencyListView(generics.ListAPIView[Agency]):
    permission_classes = (AllowAny,)
    serializer_class = AgencyOutputSerializer
    filterset_class = AgencyFilter
    queryset = Agency.objects.all()


@extend_schema(
    tags=["agencies"],
    summary="Một cơ quan, đơn vị theo mã định danh",
    description=(
        "The unit carrying this Decision-20 code on day `on` (default today); for a code no unit "
        "carries that day, the last unit that carried it (its `valid_to` and `successors` say what "
        "became of it)."
    ),
    parameters=[
        OpenApiParameter("edoc_code", OpenApiTypes.STR, OpenApiParameter.PATH, description="Ví dụ H40.08"),
        OpenApiParameter("on", OpenApiTypes.DATE, OpenApiParameter.QUERY, required=False),
    ],
)
class AgencyDetailView(generics.RetrieveAPIView[Agency]):
    permission_classes = (AllowAny,)
    serializer_class = AgencyOutputSerializer
    queryset = Agency.objects.none()

    def get_object(self) -> Agency:
        code = str(self.kwargs["edoc_code"]).upper()
        agency = agency_for_code(edoc_code=code, on=self._day())
        if agency is None:
            raise NotFound(_("Không tìm thấy cơ quan, đơn vị có mã định danh %(code)s.") % {"code": code})
        return agency

    def _day(self) -> dt.date:
        raw = self.request.query_params.get("on")
        if not raw:
            return timezone.localdate()
        try:
            return dt.date.fromisoformat(raw)
        except ValueError as exc:
            raise ValidationError({"on": [_("Ngày phải có dạng YYYY-MM-DD.")]}) from exc

    def get_queryset(self) -> AgencyQuerySet:  # used by the schema generator only
        return Agency.objects.none()
