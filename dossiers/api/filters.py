"""Query parameters of ``GET /api/v1/dossiers/``.

Every filter lands on an indexed column of the dossier table: the status (``status, due_at``),
the agencies (``receiving_agency, status`` / ``competent_agency, status``), the procedure version
(its foreign key) and the reception instant (``received_at``). Codes are resolved to ids first so
that no filter joins another table.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from agencies.models import Agency
from catalog.models import ProcedureVersion
from dossiers.models import NATIONAL_STATUS_CODE, Channel, Dossier, Status
from workcalendar.clock import TZ

STATUS_BY_NATIONAL_CODE = {str(code): status for status, code in NATIONAL_STATUS_CODE.items() if code}


class StatusListField(forms.CharField):
    """``received,processing`` or national codes ``2,4``: a list of statuses."""

    def clean(self, value: Any) -> list[str]:
        text = super().clean(value) or ""
        statuses: list[str] = []
        for item in (part.strip() for part in text.split(",")):
            if not item:
                continue
            status = STATUS_BY_NATIONAL_CODE.get(item, item)
            if status not in Status.values:
                raise forms.ValidationError(
                    _("Trạng thái «%(value)s» không tồn tại.") % {"value": item}, code="invalid_status"
                )
            statuses.append(status)
        return statuses


class AgencyIdsField(forms.CharField):
    """An agency code (Decision 20 or QCVN 102), resolved to the ids of every row that carried it
    (a merged commune's old dossiers stay findable)."""

    def clean(self, value: Any) -> list[int] | None:
        code = (super().clean(value) or "").strip()
        if not code:
            return None
        ids = list(Agency.objects.filter(Q(edoc_code=code) | Q(qcvn_code=code)).values_list("pk", flat=True))
        if not ids:
            raise forms.ValidationError(
                _("Không có cơ quan, đơn vị với mã «%(code)s».") % {"code": code}, code="unknown_agency"
            )
        return ids


class ProcedureVersionIdsField(forms.CharField):
    """A procedure code, resolved to the ids of all its versions."""

    def clean(self, value: Any) -> list[int] | None:
        code = (super().clean(value) or "").strip()
        if not code:
            return None
        ids = list(ProcedureVersion.objects.filter(procedure__code=code).values_list("pk", flat=True))
        if not ids:
            raise forms.ValidationError(
                _("Không có thủ tục với mã «%(code)s».") % {"code": code}, code="unknown_procedure"
            )
        return ids


@extend_schema_field(OpenApiTypes.STR)
class StatusFilter(filters.Filter):
    field_class = StatusListField

    def filter(self, qs: QuerySet[Dossier], value: list[str]) -> QuerySet[Dossier]:
        return qs.filter(status__in=value) if value else qs


@extend_schema_field(OpenApiTypes.STR)
class AgencyFilter(filters.Filter):
    field_class = AgencyIdsField

    def filter(self, qs: QuerySet[Dossier], value: list[int] | None) -> QuerySet[Dossier]:
        if not value:
            return qs
        return qs.filter(Q(receiving_agency_id__in=value) | Q(competent_agency_id__in=value))


@extend_schema_field(OpenApiTypes.STR)
class ProcedureFilter(filters.Filter):
    field_class = ProcedureVersionIdsField

    def filter(self, qs: QuerySet[Dossier], value: list[int] | None) -> QuerySet[Dossier]:
        return qs.filter(procedure_version_id__in=value) if value else qs


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=TZ)


class DossierFilter(filters.FilterSet):
    status = StatusFilter(
        label=gettext_lazy(
            "Trạng thái, nhiều giá trị cách nhau dấu phẩy: tên (received, processing …) hoặc mã quốc gia 1–10"
        )
    )
    agency = AgencyFilter(
        label=gettext_lazy("Mã cơ quan (tiếp nhận hoặc giải quyết), dạng H40.31 hoặc 000.00.31.H40")
    )
    procedure = ProcedureFilter(label=gettext_lazy("Mã thủ tục, ví dụ 1.004471"))
    channel = filters.ChoiceFilter(choices=Channel.choices, label=gettext_lazy("Hình thức nộp"))
    received_from = filters.DateFilter(
        method="filter_received_from",
        input_formats=["%Y-%m-%d"],
        label=gettext_lazy("Tiếp nhận từ ngày (YYYY-MM-DD, tính cả ngày đó)"),
    )
    received_to = filters.DateFilter(
        method="filter_received_to",
        input_formats=["%Y-%m-%d"],
        label=gettext_lazy("Tiếp nhận đến ngày (YYYY-MM-DD, tính cả ngày đó)"),
    )

    class Meta:
        model = Dossier
        fields: tuple[str, ...] = ()

    def filter_received_from(self, qs: QuerySet[Dossier], name: str, value: dt.date) -> QuerySet[Dossier]:
        return qs.filter(received_at__gte=_day_start(value))

    def filter_received_to(self, qs: QuerySet[Dossier], name: str, value: dt.date) -> QuerySet[Dossier]:
        return qs.filter(received_at__lt=_day_start(value + dt.timedelta(days=1)))
