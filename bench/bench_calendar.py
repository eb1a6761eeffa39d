"""How fast the working-time clock computes deadlines.

Random instants across 2024–2027 on a calendar seeded from holidays.VN. Each
computation reads the cache version (one cache get, as in a web request);
the ``pinned`` figures hold one version for a batch (``pinned_calendar``), as
an indicator recomputed over many dossiers would.

    python bench/bench_calendar.py        # alone: a throwaway SQLite file under /tmp
    BENCH_ONLY=calendar make bench        # through bench/run.py, SQLite and PostgreSQL
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SECONDS_PER_FIGURE = 1.0
SAMPLES = 5_000


def _django(root: Path) -> str:
    """Set Django up on a throwaway database unless the caller already did; the engine name."""
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from django.apps import apps

    if apps.ready:
        from django.db import connection

        return "postgres" if connection.vendor == "postgresql" else connection.vendor
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congso.settings")
    from bench.benchdb import setup

    return setup()


def _ensure_seeded() -> None:
    from django.db import connection

    from workcalendar.models import CalendarDay
    from workcalendar.services import calendar_seed_year

    if CalendarDay._meta.db_table not in connection.introspection.table_names():
        raise SystemExit("bench_calendar: the database is not migrated (run through bench/benchdb.setup)")
    for year in range(2023, 2029):
        if not CalendarDay.objects.filter(date__year=year).exists():
            calendar_seed_year(year=year)


def _rate(call: Callable[[Any], object], inputs: list[Any]) -> float:
    """Calls per second of ``call`` over ``inputs``, repeated for about SECONDS_PER_FIGURE."""
    for item in inputs[:200]:
        call(item)  # warm: every year loaded
    done, started = 0, time.perf_counter()
    while True:
        for item in inputs:
            call(item)
        done += len(inputs)
        took = time.perf_counter() - started
        if took >= SECONDS_PER_FIGURE:
            return done / took


def main() -> None:
    engine = _django(ROOT)
    _ensure_seeded()

    from workcalendar.clock import (
        add_working_days,
        add_working_hours,
        pinned_calendar,
        reception_start,
        working_minutes_between,
    )

    vn = dt.timezone(dt.timedelta(hours=7))
    rng = random.Random(20250424)
    first = dt.datetime(2024, 1, 1, tzinfo=vn)
    span_minutes = (dt.datetime(2027, 12, 1, tzinfo=vn) - first).days * 24 * 60
    instants = [first + dt.timedelta(minutes=rng.randrange(span_minutes)) for _ in range(SAMPLES)]
    day_jobs = [(t, rng.randint(1, 30)) for t in instants]
    hour_jobs = [(t, rng.randint(1, 80)) for t in instants]
    pairs = [(t, t + dt.timedelta(minutes=rng.randint(-60 * 24 * 60, 60 * 24 * 60))) for t in instants]

    figures: dict[str, tuple[Callable[[Any], object], list[Any]]] = {
        "calendar.add_working_days": (lambda job: add_working_days(*job), day_jobs),
        "calendar.add_working_hours": (lambda job: add_working_hours(*job), hour_jobs),
        "calendar.working_minutes_between": (lambda pair: working_minutes_between(*pair), pairs),
        "calendar.reception_start": (reception_start, instants),
    }
    for name, (call, inputs) in figures.items():
        print(f"{name}[{engine}]: {_rate(call, inputs):.0f}/s", flush=True)
    with pinned_calendar():
        for name in ("calendar.add_working_days", "calendar.working_minutes_between"):
            call, inputs = figures[name]
            print(f"{name}.pinned[{engine}]: {_rate(call, inputs):.0f}/s", flush=True)


if __name__ == "__main__":
    main()
