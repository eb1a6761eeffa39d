"""Run every benchmark in bench/ on SQLite and on PostgreSQL, printing their figures.

Each ``bench/bench_*.py`` is a script with a ``main()`` that sets Django up,
builds its own throwaway database and prints lines ``name[engine]: value``.
This runner starts each one in its own process, once per engine, so no
benchmark sees another's data or settings.

    make bench                      # all benchmarks, both engines
    BENCH_ONLY=search make bench    # the ones whose file name contains "search"
    BENCH_ENGINES=sqlite make bench # one engine
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/congso_bench")


def postgres_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=3):
            return True
    except Exception:
        return False


def main() -> int:
    only = os.environ.get("BENCH_ONLY", "")
    engines = os.environ.get("BENCH_ENGINES", "sqlite,postgres").split(",")
    scripts = sorted(p for p in HERE.glob("bench_*.py") if only in p.stem)
    if "postgres" in engines and not postgres_reachable():
        print("bench: PostgreSQL not reachable on 127.0.0.1:5432, PostgreSQL runs skipped")
        engines = [e for e in engines if e != "postgres"]
    failures = 0
    for script in scripts:
        for engine in engines:
            env = os.environ.copy()
            env.pop("CONGSO_TESTING", None)
            env["BENCH_ENGINE"] = engine
            env["PYTHONPATH"] = str(ROOT)
            with tempfile.TemporaryDirectory(prefix="congso-bench-") as tmp:
                env["CONGSO_VAR_DIR"] = tmp
                if engine == "postgres":
                    env["DATABASE_URL"] = PG_URL
                else:
                    env["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
                print(f"== {script.stem} [{engine}]", flush=True)
                started = time.perf_counter()
                result = subprocess.run([sys.executable, str(script)], env=env, cwd=ROOT, check=False)
                took = time.perf_counter() - started
                print(
                    f"   ({script.stem} [{engine}] took {took:.1f} s, exit {result.returncode})", flush=True
                )
                failures += result.returncode != 0
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
