"""A throwaway database for one benchmark process.

``bench/run.py`` sets DATABASE_URL to a temporary SQLite file or to the
PostgreSQL database ``congso_bench``; ``setup()`` (re)creates that database,
sets Django up and migrates it, so every benchmark starts from empty tables.
Run a benchmark alone with ``python bench/bench_x.py`` and it uses a temporary
SQLite file.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent


def _recreate_postgres(url: str) -> None:
    import psycopg

    name = urlparse(url).path.lstrip("/")
    if not name.startswith("congso_bench"):
        raise SystemExit(f"refusing to drop {name!r}: benchmark databases are named congso_bench*")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup() -> str:
    """Prepare the database, set Django up, migrate; return the engine name."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        tmp = tempfile.mkdtemp(prefix="congso-bench-")
        os.environ.setdefault("CONGSO_VAR_DIR", tmp)
        url = f"sqlite:///{tmp}/bench.sqlite3"
        os.environ["DATABASE_URL"] = url
    if url.startswith(("postgres://", "postgresql://")):
        _recreate_postgres(url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congso.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return "postgres" if url.startswith("postgres") else "sqlite"


def percentile(samples: Sequence[float], pct: float) -> float:
    """The pct-th percentile (0–100) by nearest rank."""
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def report(name: str, engine: str, value: float | str, unit: str = "") -> None:
    text = f"{value:.2f}" if isinstance(value, float) else str(value)
    print(f"{name}[{engine}]: {text}{(' ' + unit) if unit else ''}", flush=True)


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples) if samples else float("nan")
