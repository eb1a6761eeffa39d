"""WSGI entry point: gunicorn congso.wsgi.

Once Django is set up, the URL map is loaded (importing every app's views now rather than on the
first request) and everything allocated so far is moved out of the garbage collector's reach
with :func:`gc.freeze`: those objects live as long as the process, and without the freeze every
full collection walks all of them again — pauses of several milliseconds, in the middle of
whichever requests are running (the tail of the public lookup's latency). The collector still
runs for what requests allocate.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congso.settings")
application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 -- the import of every URL module and view, done now
gc.collect()
gc.freeze()
