"""Portal pages (being built: see the catalogue work)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


def procedure_list(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")
