"""Procedure search: latency through the HTTP API and the selector, and quality on the gold set.

Builds a throwaway database (a temporary SQLite file, or the PostgreSQL database
``congso_bench`` when DATABASE_URL names a PostgreSQL server; it is created and dropped here),
loads the agencies, the demo catalogue and synthetic distractors up to 2,000 procedures in
force, then:

* latency: ``GET /api/v1/procedures/?search=…`` through ``django.test.Client`` over the gold
  queries, repeated to at least 500 requests, and the same for ``procedure_search`` alone;
* quality: the share of gold queries (bench/search_gold.json) whose expected procedure is in
  the first 5 results, and first, with every miss listed.

Targets: p95 ≤ 20 ms through the API, top-5 ≥ 95 %.

    python bench/bench_search.py                      # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/congso python bench/bench_search.py
    BENCH_ONLY=search make bench                      # both engines through bench/run.py
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import benchdb  # noqa: E402
from bench.gen_catalogue import DEMO_FILE, synthetic_catalogue  # noqa: E402

GOLD_FILE = Path(__file__).with_name("search_gold.json")
CATALOGUE_SIZE = 2000
MIN_REQUESTS = 500
TOP = 5
TARGET_P95_MS = 20.0
TARGET_TOP5 = 95.0


@dataclass(frozen=True)
class GoldQuery:
    q: str
    code: str
    kind: str


def _isolate_environment() -> tuple[Path, str | None]:
    """Point the database, files and cache at throwaway places; return the temp dir and the PG URL.

    SQLite always gets a fresh temporary file, whatever DATABASE_URL says, so a developer's
    var/congso.sqlite3 is never written; PostgreSQL always gets the database congso_bench.
    """
    tmp = Path(tempfile.mkdtemp(prefix="congso-bench-search-"))
    (tmp / "staticfiles").mkdir()
    os.environ["CONGSO_VAR_DIR"] = str(tmp)
    os.environ["MEDIA_ROOT"] = str(tmp / "media")
    os.environ["CACHE_KEY_PREFIX"] = f"congso-bench-{os.getpid()}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congso.settings")
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parsed = urlparse(url)
        if not parsed.path.lstrip("/").startswith("congso_bench"):
            url = urlunparse(parsed._replace(path="/congso_bench"))
        os.environ["DATABASE_URL"] = url
        return tmp, url
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    return tmp, None


def _drop_postgres(url: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    name = urlparse(url).path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def load_gold() -> list[GoldQuery]:
    data = json.loads(GOLD_FILE.read_text(encoding="utf-8"))
    return [GoldQuery(q=item["q"], code=item["code"], kind=item["kind"]) for item in data["queries"]]


def _import(path: Path) -> None:
    from django.core.management import call_command

    call_command(
        "import_procedures", str(path), format="json", verbosity=0, stdout=io.StringIO(), stderr=io.StringIO()
    )


def build_catalogue(tmp: Path) -> tuple[int, float]:
    """Agencies, the demo catalogue and synthetic distractors; return (procedures in force, seconds)."""
    from django.core.management import call_command

    from catalog.models import ProcedureVersion

    started = time.perf_counter()
    call_command("load_agencies", verbosity=0, stdout=io.StringIO(), stderr=io.StringIO())
    _import(DEMO_FILE)
    demo = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    missing = CATALOGUE_SIZE - ProcedureVersion.objects.in_force().count()
    if missing > 0:
        synthetic = synthetic_catalogue(
            missing, taken={p["name"] for p in demo["procedures"]}, base_sectors=demo["sectors"]
        )
        synthetic_file = tmp / "synthetic_procedures.json"
        synthetic_file.write_text(json.dumps(synthetic, ensure_ascii=False), encoding="utf-8")
        _import(synthetic_file)
    return ProcedureVersion.objects.in_force().count(), time.perf_counter() - started


def _codes(results: list[Any]) -> list[str]:
    return [version.procedure.code for version in results[:TOP]]


def measure_selector(gold: list[GoldQuery]) -> list[float]:
    from catalog.selectors import procedure_search

    samples: list[float] = []
    while len(samples) < MIN_REQUESTS:
        for item in gold:
            started = time.perf_counter()
            _codes(procedure_search(query=item.q))
            samples.append((time.perf_counter() - started) * 1000)
    return samples


def measure_api(gold: list[GoldQuery]) -> tuple[list[float], dict[str, list[str]]]:
    """Latencies of the search endpoint, and the first codes it answered for each query."""
    from django.test import Client

    client = Client()
    for item in gold[:20]:  # the first requests import and resolve what the view needs
        client.get("/api/v1/procedures/", {"search": item.q})
    samples: list[float] = []
    answers: dict[str, list[str]] = {}
    while len(samples) < MIN_REQUESTS:
        for item in gold:
            started = time.perf_counter()
            response = client.get("/api/v1/procedures/", {"search": item.q})
            samples.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"GET /api/v1/procedures/?search={item.q!r} answered {response.status_code}")
            answers.setdefault(item.q, [row["code"] for row in response.json()["results"][:TOP]])
    return samples, answers


def _percent(hits: int, total: int) -> str:
    return f"{100 * hits / total:.1f}% ({hits}/{total})" if total else "n/a"


def report_quality(engine: str, gold: list[GoldQuery], api_answers: dict[str, list[str]]) -> float:
    """Print top-1 / top-5 (overall and by kind of query) and every miss; return the top-5 rate."""
    from catalog.models import ProcedureVersion
    from catalog.selectors import procedure_search

    names = dict(ProcedureVersion.objects.in_force().values_list("procedure__code", "name"))
    top1 = top5 = disagreements = 0
    by_kind: Counter[str] = Counter()
    hits_by_kind: Counter[str] = Counter()
    misses: list[str] = []
    not_first: list[str] = []
    for item in gold:
        codes = _codes(procedure_search(query=item.q))
        by_kind[item.kind] += 1
        top1 += bool(codes) and codes[0] == item.code
        if item.code in codes:
            top5 += 1
            hits_by_kind[item.kind] += 1
            if codes[0] != item.code:
                first = f"{codes[0]} {names.get(codes[0], '?')[:60]}"
                rank = codes.index(item.code) + 1
                not_first.append(f"  rank {rank}: {item.q!r} ({item.kind}) → {item.code}; first was {first}")
        else:
            got = "; ".join(f"{code} {names.get(code, '?')[:60]}" for code in codes[:3]) or "nothing"
            expected = f"{item.code} {names.get(item.code, '?')[:60]}"
            misses.append(f"  miss: {item.q!r} ({item.kind}) → expected {expected}; got {got}")
        if api_answers.get(item.q) != codes:
            disagreements += 1
    total = len(gold)
    benchdb.report("search.gold.queries", engine, f"{total} over {len({g.code for g in gold})} procedures")
    benchdb.report("search.gold.top1", engine, _percent(top1, total))
    benchdb.report("search.gold.top5", engine, _percent(top5, total))
    for kind in sorted(by_kind):
        benchdb.report(f"search.gold.top5.{kind}", engine, _percent(hits_by_kind[kind], by_kind[kind]))
    if disagreements:
        benchdb.report("search.gold.api_selector_disagreements", engine, str(disagreements))
    for line in misses + not_first:
        print(line, flush=True)
    return 100 * top5 / total if total else 0.0


def main() -> None:
    tmp, pg_url = _isolate_environment()
    engine = benchdb.setup()
    try:
        gold = load_gold()
        count, seconds = build_catalogue(tmp)
        benchdb.report("search.catalogue.procedures", engine, str(count))
        benchdb.report("search.catalogue.load_s", engine, seconds)

        from catalog.selectors import procedure_search

        started = time.perf_counter()
        procedure_search(query="khai sinh")  # the first search builds the in-memory index
        benchdb.report("search.first_query_ms", engine, (time.perf_counter() - started) * 1000)
        for item in gold:  # warm every code path once before timing
            procedure_search(query=item.q)

        api_samples, api_answers = measure_api(gold)
        selector_samples = measure_selector(gold)
        for name, samples in (("api", api_samples), ("selector", selector_samples)):
            benchdb.report(f"search.{name}.requests", engine, str(len(samples)))
            benchdb.report(f"search.{name}.p50_ms", engine, benchdb.percentile(samples, 50))
            benchdb.report(f"search.{name}.p95_ms", engine, benchdb.percentile(samples, 95))
            benchdb.report(f"search.{name}.max_ms", engine, max(samples))

        top5 = report_quality(engine, gold, api_answers)
        p95 = benchdb.percentile(api_samples, 95)
        met = p95 <= TARGET_P95_MS and top5 >= TARGET_TOP5
        benchdb.report(
            "search.targets_met",
            engine,
            f"{'yes' if met else 'no'} (api p95 ≤ {TARGET_P95_MS:g} ms, top-5 ≥ {TARGET_TOP5:g}%)",
        )
    finally:
        from django.db import connections

        connections.close_all()
        if pg_url:
            _drop_postgres(pg_url)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
