"""Query parameters of GET /api/v1/agencies/."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from agencies.models import Agency, AgencyQuerySet
from agencies.selectors import agency_public_list


class AgencyFilter(filters.FilterSet):
    on = filters.DateFilter(
        label=_("Ngày (YYYY-MM-DD): các đơn vị hoạt động vào ngày đó; mặc định hôm nay"),
        # ISO only: the locale's fallback formats would read 03/04/2025 as 4 March.
        input_formats=["%Y-%m-%d"],
    )
    kind = filters.ChoiceFilter(choices=Agency.Kind.choices, label=_("Loại cơ quan"))
    parent = filters.CharFilter(
        field_name="parent__edoc_code", label=_("Mã định danh (Quyết định 20/2020) của cơ quan cấp trên")
    )
    receiving_point = filters.BooleanFilter(
        field_name="is_receiving_point", label=_("Chỉ điểm tiếp nhận hồ sơ")
    )
    search = filters.CharFilter(
        field_name="search_text",
        label=_('Tìm theo tên, không phân biệt dấu ("dong dang" tìm thấy "Đồng Đăng") hoặc theo mã'),
    )

    class Meta:
        model = Agency
        fields: tuple[str, ...] = ()

    def filter_queryset(self, queryset: Any) -> AgencyQuerySet:
        # The declarations above validate and document the parameters; the selector
        # applies them together (the day, the accent-free search, the prefetching).
        data = self.form.cleaned_data
        return agency_public_list(
            on=data.get("on") or timezone.localdate(),
            kind=data.get("kind") or "",
            parent_edoc_code=data.get("parent") or "",
            receiving_point=data.get("receiving_point"),
            search=data.get("search") or "",
        )
