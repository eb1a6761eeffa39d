"""Pages of dossiers over a large table: a narrow query for the page's ids, a count, then the rows.

The page's ids come from the list's order (newest first: the primary key read backwards, the
scope tested on the way), which stops after the page — a handful of index entries for the first
pages. The total is a plain ``COUNT(*)``, which the scope's indexed conditions
(``dossiers.permissions.dossier_rule``) let the database answer from its indexes rather than by
reading every dossier in order (``COUNT(*) OVER ()`` on the page query would); it is skipped when
the first page is not full. Only then are the page's rows read with what a row joins
(``DossierListCreateApi.get``). The answer keeps the project's shape,
``{count, next, previous, results}``, with an exact count.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from congso.api.pagination import StandardPagination


class DossierPagination(StandardPagination):
    display_page_controls = False

    def paginate_queryset(  # type: ignore[override]
        self, queryset: Any, request: Request, view: APIView | None = None
    ) -> list[int]:
        """The ids of the requested page of ``queryset`` (ordered), and its total in ``self.count``."""
        assert isinstance(queryset, QuerySet)
        self.request = request
        size = self.get_page_size(request) or self.page_size
        raw = request.query_params.get(self.page_query_param) or "1"
        try:
            number = int(raw)
        except ValueError:
            number = 0
        if number < 1:
            raise NotFound(_("Trang không hợp lệ."))
        offset = (number - 1) * size
        ordered = queryset.order_by(*queryset.query.order_by, "-pk")  # a stable order across pages
        ids = [int(pk) for pk in ordered.values_list("pk", flat=True)[offset : offset + size]]
        if number == 1 and len(ids) < size:
            self.count = len(ids)
        else:
            self.count = queryset.order_by().count()
        if not ids and number > 1:
            raise NotFound(_("Trang không hợp lệ."))
        self.number, self.size = number, size
        return ids

    def _url(self) -> str:
        assert self.request is not None  # set by paginate_queryset
        return str(self.request.build_absolute_uri())

    def get_next_link(self) -> str | None:
        if self.number * self.size >= self.count:
            return None
        return replace_query_param(self._url(), self.page_query_param, self.number + 1)

    def get_previous_link(self) -> str | None:
        if self.number <= 1:
            return None
        url = self._url()
        if self.number == 2:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, self.number - 1)

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            {
                "count": self.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )
