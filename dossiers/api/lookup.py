"""The public lookup of a dossier by its code: cheap enough to be hammered, minimal by design.

The answer (``dossiers.selectors.public_lookup``: code, procedure, stage, due date — nothing
personal) is cached at two levels:

* in the shared cache for ``LOOKUP_CACHE_SECONDS`` (an unknown code for ``MISS_CACHE_SECONDS``),
  so a code costs the database one query per half minute whatever the traffic;
* in the serving process for ``LOCAL_SECONDS``, already rendered as the JSON body, so a popular
  code costs no round trip at all.

A citizen therefore sees a change at most ``LOOKUP_CACHE_SECONDS + LOCAL_SECONDS`` late;
:func:`forget_lookup`, registered as a ``dossiers.events`` listener, drops the shared entry when
the dossier changes (the process-local one still lives its few seconds).

:func:`fast_lookup` serves a code held in the process straight from its stored body, past Django
REST framework's content negotiation, rendering and exception handling (the same bytes and
headers, counted by the same throttle); anything else — a code not held, a refusal, a client
asking for another format — goes through the API view itself.

:class:`LookupThrottle` limits each client address to ``DEFAULT_THROTTLE_RATES["dossier_lookup"]``
(default 60 per minute) in fixed windows. Each process counts locally and adds its count to the
shared counter in batches of ``limit // 50`` (every lookup under the usual small limits), so a
client may overshoot by at most one batch per process, and an address's lookups cost the shared
cache one increment per batch instead of two round trips each.
"""

from __future__ import annotations

import functools
import random
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from dossiers.events import DossierChanged
from dossiers.selectors import public_lookup

LOOKUP_CACHE_SECONDS = 30
MISS_CACHE_SECONDS = 5
LOCAL_SECONDS = 10.0
LOCAL_MAX_ENTRIES = 20_000
MAX_CODE_LENGTH = 48
THROTTLE_SCOPE = "dossier_lookup"
DEFAULT_RATE = "60/min"
BATCHES_PER_LIMIT = 50
_MISSING = "-"
_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

_local: dict[str, tuple[float, dict[str, Any] | None, bytes]] = {}
"""code → (expiry, answer or None for no such dossier, the answer's JSON body)."""


def _cache_key(code: str) -> str:
    return f"dossier-lookup:{code}"


def _remember(code: str, answer: dict[str, Any] | None) -> None:
    if len(_local) >= LOCAL_MAX_ENTRIES:
        _local.clear()  # a crude bound: a few seconds of entries, rebuilt from the shared cache
    body = JSONRenderer().render(answer) if answer is not None else b""
    # Spread over the second half of the lifetime, so codes read together are not all refreshed together.
    expiry = time.monotonic() + LOCAL_SECONDS * (0.5 + random.random() / 2)  # noqa: S311
    _local[code] = (expiry, answer, body)


def local_body(code: str) -> bytes | None:
    """The JSON body of the answer for ``code`` if this process holds one, fresh, of a dossier."""
    held = _local.get(code.strip())
    if held is None or held[1] is None or held[0] <= time.monotonic():
        return None
    return held[2]


def cached_public_lookup(code: str) -> dict[str, Any] | None:
    """The public answer for ``code`` as JSON-ready data, or None when there is no such dossier."""
    code = code.strip()
    if not code or len(code) > MAX_CODE_LENGTH:
        return None
    held = _local.get(code)
    if held is not None and held[0] > time.monotonic():
        return held[1]
    key = _cache_key(code)
    found = cache.get(key)
    if found == _MISSING:
        _remember(code, None)
        return None
    if isinstance(found, dict):
        _remember(code, found)
        return found
    status = public_lookup(code)
    if status is None:
        cache.set(key, _MISSING, MISS_CACHE_SECONDS)
        return None
    data = {
        "code": status.code,
        "procedure": status.procedure_name,
        "stage": status.stage,
        "due_date": status.due_date.isoformat() if status.due_date else None,
    }
    cache.set(key, data, LOOKUP_CACHE_SECONDS)
    _remember(code, data)
    return data


def forget_local() -> None:
    """Drop this process's copies (tests, whose databases reuse the same codes)."""
    _local.clear()
    with _windows_lock:
        _windows.clear()


def forget_lookup(event: DossierChanged) -> None:
    """A ``dossiers.events`` listener: the next lookup of this dossier reads the database."""
    if event.code:
        cache.delete(_cache_key(event.code))
        _local.pop(event.code, None)


def parse_rate(rate: str) -> tuple[int, int]:
    """``"120/min"`` → (120, 60)."""
    count, _, period = rate.partition("/")
    return int(count), _PERIODS[period.strip()[:1].lower()]


class _Window:
    """One address's lookups in one window, as this process knows them."""

    __slots__ = ("shared", "unsent")

    def __init__(self) -> None:
        self.shared = 0  # the shared counter when last read
        self.unsent = 0  # lookups counted here and not yet added to it


_windows: dict[str, _Window] = {}
_windows_lock = threading.Lock()


class LookupThrottle(BaseThrottle):
    """At most N lookups per client address per fixed window (``"120/min"``, ``"10/s"`` …)."""

    def __init__(self) -> None:
        rates: dict[str, str] = getattr(settings, "REST_FRAMEWORK", {}).get("DEFAULT_THROTTLE_RATES", {})
        self.limit, self.period = parse_rate(rates.get(THROTTLE_SCOPE) or DEFAULT_RATE)
        self.batch = max(1, self.limit // BATCHES_PER_LIMIT)
        self.remaining = 0.0

    def allow_request(self, request: Request, view: APIView) -> bool:
        counted: tuple[bool, float] | None = getattr(request._request, COUNTED, None)
        if counted is not None:  # counted already by fast_lookup, which then passed it on
            self.remaining = counted[1]
            return counted[0]
        return self.count(request)

    def count(self, request: Request | HttpRequest) -> bool:
        """Count one lookup of ``request``'s address; whether it is within the limit."""
        now = time.time()
        window = int(now // self.period)
        # get_ident reads only the headers and META, which a Django request has as well.
        key = f"throttle:{THROTTLE_SCOPE}:{self.get_ident(request)}:{window}"  # type: ignore[arg-type]
        self.remaining = (window + 1) * self.period - now
        with _windows_lock:
            if len(_windows) > LOCAL_MAX_ENTRIES:
                _windows.clear()
            counted = _windows.setdefault(key, _Window())
            counted.unsent += 1
            send = counted.unsent if counted.unsent >= self.batch else 0
            counted.unsent -= send
        if send:
            total = self._add(key, send)
            with _windows_lock:
                counted.shared = max(counted.shared, total)
        return counted.shared + counted.unsent <= self.limit

    def _add(self, key: str, amount: int) -> int:
        try:
            return int(cache.incr(key, amount))
        except ValueError:  # the first lookups of this window
            if cache.add(key, amount, self.period + 1):
                return amount
            return int(cache.incr(key, amount))

    def wait(self) -> float | None:
        return self.remaining


COUNTED = "congso_lookup_counted"
"""The attribute of a request whose lookup :func:`fast_lookup` counted: (allowed, wait)."""
_JSON_ACCEPTS = frozenset({"", "*/*", "application/json"})


def fast_lookup(api_view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """``api_view`` (``DossierLookupApi.as_view()``) with a short way for the usual request: a GET
    for JSON of a code this process holds. It is counted by the throttle and answered with the
    body and headers the view gives; everything else is the view's. The result keeps the view's
    attributes (``cls``, ``csrf_exempt`` …), so the API schema still documents the view."""

    @functools.wraps(api_view)
    def view(request: HttpRequest, code: str) -> HttpResponseBase:
        if (
            request.method == "GET"
            and not request.GET
            and request.headers.get("Accept", "").strip() in _JSON_ACCEPTS
        ):
            body = local_body(code)
            if body is not None:
                throttle = LookupThrottle()
                allowed = throttle.count(request)
                if allowed:
                    response = HttpResponse(body, content_type="application/json")
                    response["Vary"] = "Accept"
                    response["Allow"] = "GET, HEAD, OPTIONS"
                    return response
                setattr(request, COUNTED, (False, throttle.remaining))
        return api_view(request, code=code)

    return view
