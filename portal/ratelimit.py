"""A cache-based request counter: how often one address may do something in a time window.

The public dossier lookup is counted per client address so that nobody can walk through the
dossier codes (they are sequential: ``…-250424-0001``, ``-0002`` …). A fixed window per
address is enough for that; it lives in the shared cache (Redis at province scale), so every
app process counts together.

Settings (read on every call, so ``override_settings`` works):

``CONGSO_LOOKUP_LIMIT``
    Lookups one address may make per window (default 30).
``CONGSO_LOOKUP_WINDOW_SECONDS``
    The window (default 600 s).

The address is ``REMOTE_ADDR``: behind a reverse proxy, the proxy must pass the client's
address there (e.g. gunicorn ``--forwarded-allow-ips`` with a proxy that sets it); a header
the client could write itself (``X-Forwarded-For``) is never trusted here.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

DEFAULT_LOOKUP_LIMIT = 30
DEFAULT_LOOKUP_WINDOW_SECONDS = 600


@dataclass(frozen=True)
class Limit:
    """At most ``count`` hits per ``window_seconds``."""

    count: int
    window_seconds: int


def lookup_limit() -> Limit:
    return Limit(
        count=int(getattr(settings, "CONGSO_LOOKUP_LIMIT", DEFAULT_LOOKUP_LIMIT)),
        window_seconds=int(getattr(settings, "CONGSO_LOOKUP_WINDOW_SECONDS", DEFAULT_LOOKUP_WINDOW_SECONDS)),
    )


def client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def hit(*, scope: str, key: str, limit: Limit, now: float | None = None) -> int | None:
    """Count one hit of ``key`` in ``scope``; the seconds to wait when it is over ``limit``,
    None while it is within."""
    at = time.time() if now is None else now
    window = max(1, limit.window_seconds)
    bucket = int(at // window)
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = f"ratelimit:{scope}:{digest}:{bucket}"
    if cache.add(cache_key, 1, timeout=window + 5):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr: this hit opens a new window
            cache.set(cache_key, 1, timeout=window + 5)
            count = 1
    if count <= limit.count:
        return None
    return max(1, int((bucket + 1) * window - at))
