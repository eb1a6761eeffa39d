"""WSGI entry point: gunicorn congso.wsgi.

Once Django is set up, the URL map is loaded (importing every app's views now rather than on the
first request) and everything allocated so far is moved out of the garbage collector's reach
with :func:`gc.freeze`: those objects live as long as the process, and without the freeze every
full collection walks all of them again — pauses of several milliseconds, in the middle of
whichever requests are running (the tail of the public lookup's latency). The collector still
runs for what requests allocate.

Django's application is wrapped in :class:`dossiers.api.lookup.LookupFrontend`, which answers
the plain public lookups of codes the process holds without building a Django request (the
middleware stack and URL resolution are most of such a lookup's cost); everything else goes to
Django untouched.

The interpreter's thread switch interval is lowered from 5 ms to ``SWITCH_INTERVAL_SECONDS``:
the server's threads share one GIL per process, and a thread coming back from the network (a
request read, a response sent, a database or cache answer) waits for a thread that is computing
— a PDF slip, a report — to be told to let go, up to one interval each time. A short request
does several such round trips: with 5 ms, a lookup beside a rendering took 6–10 ms at the
99th percentile in a two-thread test (1.6–3.8 ms with 1 ms); the computing thread loses a
context switch per millisecond.
"""

import gc
import os
import sys

from django.core.wsgi import get_wsgi_application
from django.urls import NoReverseMatch, get_resolver, reverse

SWITCH_INTERVAL_SECONDS = 0.001

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congso.settings")
sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)
django_application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 -- the import of every URL module and view, done now


def _lookup_prefix() -> str | None:
    """``/api/v1/lookup/`` — where the lookup is routed, if it is."""
    try:
        path = reverse("dossiers_api:lookup", kwargs={"code": "CODE"})
    except NoReverseMatch:
        return None
    return path.removesuffix("CODE/") if path.endswith("/CODE/") else None


def _build() -> object:
    from dossiers.api.lookup import LookupFrontend

    prefix = _lookup_prefix()
    return LookupFrontend(django_application, prefix) if prefix else django_application


application = _build()
gc.collect()
gc.freeze()
