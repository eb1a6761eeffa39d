"""The public page of the indicators the province publishes (/chi-so/): province-wide figures for
each indicator's latest closed period, no personal data, the same for every visitor — so it is
cached here and may be cached by any proxy for five minutes."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import cache_control, cache_page
from django.views.decorators.http import require_GET

from indicators import dashboard

PUBLIC_CACHE_SECONDS = 300


@require_GET
@cache_control(public=True, max_age=PUBLIC_CACHE_SECONDS)
@cache_page(PUBLIC_CACHE_SECONDS)
def published_indicators(request: HttpRequest) -> HttpResponse:
    rows = dashboard.published()
    return render(
        request,
        "indicators/public/index.html",
        {"rows": rows, "generated_at": timezone.now()},
    )
