"""The public lookup of a dossier by its code: cheap enough to be hammered, minimal by design.

The answer (``dossiers.selectors.public_lookup``: code, procedure, stage, due date — nothing
personal) is cached at two levels:

* in the shared cache for ``LOOKUP_CACHE_SECONDS`` (an unknown code for ``MISS_CACHE_SECONDS``),
  so a code costs the database one query per half minute whatever the traffic;
* in the serving process for ``LOCAL_SECONDS``, already rendered as the JSON body, so a popular
  code costs no round trip at all: from half to three quarters of that lifetime, the next lookup
  asks the process's refresh thread to read it again (shared cache, else database) and is
  answered from the held copy meanwhile — no request waits on that read while the code keeps
  being asked, and none is answered from a copy older than ``LOCAL_SECONDS``.

A citizen therefore sees a change at most ``LOOKUP_CACHE_SECONDS + LOCAL_SECONDS`` late;
:func:`forget_lookup`, registered as a ``dossiers.events`` listener, drops the shared entry when
the dossier changes (the process-local one still lives its few seconds).

:func:`fast_lookup` serves a code held in the process straight from its stored body, past Django
REST framework's content negotiation, rendering and exception handling (the same bytes and
headers, counted by the same throttle); anything else — a code not held, a refusal, a client
asking for another format — goes through the API view itself.

:class:`LookupFrontend` (``congso.wsgi`` wraps the application in it) goes one step further for
the plain requests of API clients — no cookie, no query, a JSON ``Accept``, only the usual
headers: it answers a held code before Django builds a request, with the headers Django's
whole stack (the middleware, the view) gave the last such request that reached it — recorded
per host, scheme, forwarding headers and ``Accept-Language``, and never one that set a cookie.
Until Django has answered one such request, and for everything else, Django answers. The
middleware stack, URL resolution and the request signals are most of a held lookup's cost
(bench/bench_dossiers.py), and under load that cost is the queue that makes the latency's tail.

:class:`LookupThrottle` limits each client address to ``DEFAULT_THROTTLE_RATES["dossier_lookup"]``
(default 60 per minute) in fixed windows. Each process counts locally and adds its count to the
shared counter in batches of ``limit // 50`` (every lookup under the usual small limits), so a
client may overshoot by at most one batch per process, and an address's lookups cost the shared
cache one increment per batch instead of two round trips each.
"""

from __future__ import annotations

import functools
import logging
import queue
import random
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections
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
logger = logging.getLogger(__name__)
_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

_local: dict[str, tuple[float, float, dict[str, Any] | None, bytes]] = {}
"""code → (when to refresh, when to drop, answer or None for no such dossier, its JSON body)."""
_refreshing: set[str] = set()
_refresh_queue: queue.SimpleQueue[str] = queue.SimpleQueue()
_refresh_lock = threading.Lock()
_refresher: threading.Thread | None = None


def _cache_key(code: str) -> str:
    return f"dossier-lookup:{code}"


def _remember(code: str, answer: dict[str, Any] | None) -> None:
    if len(_local) >= LOCAL_MAX_ENTRIES:
        _local.clear()  # a crude bound: a few seconds of entries, rebuilt from the shared cache
    body = JSONRenderer().render(answer) if answer is not None else b""
    now = time.monotonic()
    # Refreshed from half to three quarters of the lifetime, spread so that codes read together
    # are not all refreshed together; dropped at its end whatever happens.
    refresh = now + LOCAL_SECONDS * (0.5 + random.random() / 4)  # noqa: S311
    _local[code] = (refresh, now + LOCAL_SECONDS, answer, body)


def _held(code: str) -> tuple[float, float, dict[str, Any] | None, bytes] | None:
    """The entry of ``code`` while it may be served; past its refresh time, a refresh is asked of
    the background thread (once), and the entry served meanwhile."""
    held = _local.get(code)
    if held is None:
        return None
    now = time.monotonic()
    if held[1] <= now:
        return None
    if held[0] <= now:
        _start_refresh(code)
    return held


def _start_refresh(code: str) -> None:
    """Have this process's refresh thread read ``code`` again (shared cache, else database), so no
    request waits for that read while the entry still may be served."""
    global _refresher
    with _refresh_lock:
        if code in _refreshing:
            return
        _refreshing.add(code)
        if _refresher is None or not _refresher.is_alive():  # none yet, or a forked process
            _refresher = threading.Thread(target=_refresh_forever, name="lookup-refresh", daemon=True)
            _refresher.start()
    _refresh_queue.put(code)


def _refresh_forever() -> None:
    while True:
        code = _refresh_queue.get()
        try:
            close_old_connections()  # as around a request: the thread's connection may have aged
            refresh(code)
        except Exception:
            logger.exception("Làm mới kết quả tra cứu hồ sơ %s không thành công", code)
        finally:
            with _refresh_lock:
                _refreshing.discard(code)


def refresh(code: str) -> None:
    """Read ``code``'s answer again from the shared cache or the database into this process."""
    _fetch(code)


def local_body(code: str) -> bytes | None:
    """The JSON body of the answer for ``code`` if this process holds one, fresh, of a dossier."""
    held = _held(code.strip())
    if held is None or held[2] is None:
        return None
    return held[3]


def cached_public_lookup(code: str) -> dict[str, Any] | None:
    """The public answer for ``code`` as JSON-ready data, or None when there is no such dossier."""
    code = code.strip()
    if not code or len(code) > MAX_CODE_LENGTH:
        return None
    held = _held(code)
    if held is not None:
        return held[2]
    return _fetch(code)


def _fetch(code: str) -> dict[str, Any] | None:
    """``code``'s answer from the shared cache, else the database; now held by this process."""
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
        counted: tuple[bool, float] | None = request._request.META.get(COUNTED)
        if counted is not None:  # counted already by a short way, which then passed it on
            self.remaining = counted[1]
            return counted[0]
        return self.count(request)

    def count(self, request: Request | HttpRequest | _Environ) -> bool:
        """Count one lookup of ``request``'s address; whether it is within the limit."""
        now = time.time()
        window = int(now // self.period)
        # get_ident reads only META and headers, which a Django request and _Environ have as well.
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


COUNTED = "congso.lookup_counted"
"""The ``META`` (WSGI environ) key of a request whose lookup a short way counted and then passed
on to the view, refused: (False, wait)."""
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
            and COUNTED not in request.META  # counted and refused in front of Django already
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
                request.META[COUNTED] = (False, throttle.remaining)
        return api_view(request, code=code)

    return view


class _Environ:
    """What :meth:`BaseThrottle.get_ident` reads of a request — ``META`` (the WSGI environ) and
    ``headers`` — without building one."""

    __slots__ = ("META",)

    def __init__(self, environ: dict[str, Any]) -> None:
        self.META = environ

    @property
    def headers(self) -> _Environ:
        return self

    def get(self, name: str, default: str | None = None) -> str | None:
        """A request header by its HTTP name, as ``HttpRequest.headers.get``."""
        value: str | None = self.META.get("HTTP_" + name.upper().replace("-", "_"), default)
        return value


_PLAIN_HEADERS = frozenset(
    {
        "HTTP_HOST",
        "HTTP_ACCEPT",
        "HTTP_ACCEPT_ENCODING",
        "HTTP_ACCEPT_LANGUAGE",
        "HTTP_CONNECTION",
        "HTTP_USER_AGENT",
        "HTTP_X_FORWARDED_FOR",
        "HTTP_X_FORWARDED_PROTO",
        "HTTP_X_FORWARDED_HOST",
        "HTTP_X_FORWARDED_PORT",
        "HTTP_X_REAL_IP",
        "HTTP_X_REQUEST_ID",
    }
)
"""The request headers a plain lookup may carry; any other (a cookie, a condition, credentials)
sends it through Django."""
_SHAPING = (
    "wsgi.url_scheme",
    "SCRIPT_NAME",
    "SERVER_NAME",
    "SERVER_PORT",
    "HTTP_HOST",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_ACCEPT_LANGUAGE",
)
"""What of a plain request may change the headers of Django's answer (the allowed hosts, the
HTTPS settings, the language): the key of the recorded headers."""
_CODE_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_")
MAX_RECORDED_HEADERS = 256

StartResponse = Callable[..., Any]
WSGIApplication = Callable[[dict[str, Any], StartResponse], Any]


class LookupFrontend:
    """A WSGI application in front of Django's: a plain ``GET`` of the lookup for a code this
    process holds is answered from the stored body with the headers recorded from Django's last
    answer to a plain lookup of the same shape (host, scheme, language …), counted by
    :class:`LookupThrottle`; everything else is Django's. A refused lookup is passed on with its
    count (``COUNTED``) for the API view to refuse in its own words."""

    def __init__(self, application: WSGIApplication, prefix: str) -> None:
        self.application = application
        self.prefix = prefix  # "/api/v1/lookup/"
        self.headers: dict[tuple[Any, ...], list[tuple[str, str]]] = {}
        self.disallowed_agents = bool(getattr(settings, "DISALLOWED_USER_AGENTS", ()))

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Any:
        code = self._plain_lookup(environ)
        if code is None:
            return self.application(environ, start_response)
        key = tuple(environ.get(name) for name in _SHAPING)
        headers = self.headers.get(key)
        if headers is not None:
            body = local_body(code)
            if body is not None:
                throttle = LookupThrottle()
                if throttle.count(_Environ(environ)):
                    start_response("200 OK", [*headers, ("Content-Length", str(len(body)))])
                    return [body]
                environ[COUNTED] = (False, throttle.remaining)
                return self.application(environ, start_response)

        def recording(status: str, response_headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            self._record(key, status, response_headers)
            return start_response(status, response_headers, exc_info)

        return self.application(environ, recording)

    def _plain_lookup(self, environ: dict[str, Any]) -> str | None:
        """The code of a plain lookup request (see the class), or None."""
        path: str = environ.get("PATH_INFO", "")
        if (
            environ.get("REQUEST_METHOD") != "GET"
            or not path.startswith(self.prefix)
            or not path.endswith("/")
            or environ.get("QUERY_STRING")
            or environ.get("HTTP_ACCEPT", "").strip() not in _JSON_ACCEPTS
        ):
            return None
        code = path[len(self.prefix) : -1]
        if not code or len(code) > MAX_CODE_LENGTH or not _CODE_CHARACTERS.issuperset(code):
            return None
        for name in environ:
            if name.startswith("HTTP_") and name not in _PLAIN_HEADERS:
                return None
        if self.disallowed_agents and "HTTP_USER_AGENT" in environ:
            return None  # CommonMiddleware judges the agent
        return code

    def _record(self, key: tuple[Any, ...], status: str, response_headers: list[tuple[str, str]]) -> None:
        """Keep the headers of Django's successful JSON answer, its length aside, for ``key``."""
        if not status.startswith("200 "):
            return
        kept: list[tuple[str, str]] = []
        json_body = False
        for name, value in response_headers:
            lowered = name.lower()
            if lowered == "set-cookie":
                return  # someone's cookie: never repeated to another client
            if lowered == "content-type":
                json_body = value == "application/json"
            if lowered != "content-length":
                kept.append((name, value))
        if json_body:
            if len(self.headers) >= MAX_RECORDED_HEADERS:
                self.headers.clear()
            self.headers[key] = kept
