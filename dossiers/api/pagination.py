"""Pages of dossiers over a large table: one narrow query per page, its count included.

A dossier list is the union of what a person may see (their desk's, their agency's, their steps'
dossiers); to sort it the database must gather that union whatever the page. A separate
``COUNT(*)`` gathers it a second time, so the page's ids are read together with the total
(``COUNT(*) OVER ()``) in one query, and only then are the twenty rows read with what a row joins
(``DossierListCreateApi.get``). The answer keeps the project's shape,
``{count, next, previous, results}``, with an exact count.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet, Window
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
        rows = list(
            ordered.annotate(_total=Window(Count("*"))).values_list("pk", "_total")[offset : offset + size]
        )
        if rows:
            self.count = int(rows[0][1])
        else:
            self.count = queryset.count()
            if number > 1:
                raise NotFound(_("Trang không hợp lệ."))
        self.number, self.size = number, size
        return [int(pk) for pk, _total in rows]

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
