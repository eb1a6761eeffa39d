"""Settings of the server that ``bench_dossiers`` drives: the project's own (or those named by
``BENCH_BASE_SETTINGS``), with the per-address limit of the public lookup lifted — every request
of the load test comes from one loopback address, where real traffic comes from many. The
throttle still runs (one cache increment per request); it just never refuses."""

import os
from importlib import import_module

_base = import_module(os.environ.get("BENCH_BASE_SETTINGS", "congso.settings"))
globals().update({name: value for name, value in vars(_base).items() if name.isupper()})

REST_FRAMEWORK = {
    **_base.REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {
        **_base.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
        "dossier_lookup": "100000000/min",
    },
}
