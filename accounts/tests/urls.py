"""The project's URLs plus two probes of the access layer, for tests marked
``@pytest.mark.urls("accounts.tests.urls")``."""

from __future__ import annotations

from typing import ClassVar

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.permissions import HasScope
from accounts.models import Role
from accounts.permissions import staff_required
from accounts.scopes import Scope


class ScopedProbeApi(APIView):
    permission_classes = (IsAuthenticated, HasScope)
    required_scopes: ClassVar[dict[str, str]] = {"GET": Scope.PROCEDURES_READ, "POST": Scope.DOSSIERS_WRITE}

    def get(self, request: Request) -> Response:
        return Response({"method": "GET"})

    def post(self, request: Request) -> Response:
        return Response({"method": "POST"})

    def put(self, request: Request) -> Response:
        return Response({"method": "PUT"})


@staff_required(roles=[Role.AGENCY_LEADER, Role.DEPARTMENT_LEADER])
def leaders_probe(request: HttpRequest, number: int) -> HttpResponse:
    return HttpResponse(f"leaders {number}")


urlpatterns: list[URLPattern | URLResolver] = [
    path("probe/scoped/", ScopedProbeApi.as_view(), name="scoped_probe"),
    path("probe/leaders/<int:number>/", leaders_probe, name="leaders_probe"),
    path("", include("congso.urls")),
]
