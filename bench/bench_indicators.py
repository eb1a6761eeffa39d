"""Indicators at province scale: ten million dossiers on PostgreSQL, the operations centre's pages
over them, how fresh the figures stay, DuckDB's raw scan of the same rows as the reference, and
the 100,000-row Excel export.

PostgreSQL only (on SQLite it prints that it is skipped: the point is the scale). Builds the
database ``congso_bench_indicators`` (its own, so another benchmark's ``congso_bench`` is never
dropped under it) with the demo province (agencies, calendar, catalogue, the indicator catalogue),
then:

* ``generate``: ``BENCH_INDICATOR_DOSSIERS`` dossiers (10,000,000 by default) over three years with
  their component and result files, fees, payments and ratings, written inside PostgreSQL by
  ``manage.py gen_bench_dossiers`` (``bench/gen_indicator_dossiers.py``). Target ≤ 15 min.
* ``facts``: ``indicators.facts.facts_rebuild`` over all of it (the pre-aggregation: one row per
  competent agency and local day), then freshness: ``BENCH_INDICATOR_CHANGES`` (1,000) dossiers
  received at the counter through the dossier services, and the time ``facts_refresh`` (run by the
  job worker every minute) takes to fold them in, checked against the fact table. Target: figures
  ≤ 5 min old, i.e. the refresh interval plus one refresh well under that.
* ``http``: through ``django.test.Client`` signed in as a specialist of the Department of Science
  and Technology (province-level scope), for the last closed quarter, ``BENCH_INDICATOR_REQUESTS``
  (50) requests each — fewer when a URL uses up ``BENCH_INDICATOR_URL_BUDGET_S`` (30 s; at least
  3; the count is printed) — of: every tile of the overview (its fragment URL, as the wall display
  loads it), the whole overview page, an indicator page and drill-down pages (province, busiest
  unit; first page and page 3). "cold" = the figures'
  cache made stale before every request (what a facts refresh does every minute on a busy day:
  figures recomputed from the facts), "warm" = served from the cache. Targets: every tile
  p95 ≤ 300 ms and the page ≤ 1.5 s, cold.
* ``duckdb``: the dossier-based counters of the quarter (received, online, full-process online,
  digitised, reused, with fees, paid online; resolved, early, on time, late, result digitised;
  ratings, satisfied), per competent unit and for the province, computed by DuckDB by a raw scan
  of the same rows (exported from PostgreSQL with ``COPY … TO STDOUT`` into a temporary folder and
  loaded into DuckDB in memory; the load is not timed as a query). Printed beside congso's time
  for the same figures (the selectors over the pre-aggregated facts, cold) and the ratio; the
  counts of both are compared, so the reference also checks the pre-aggregation.
* ``export``: the Excel export job of the dossiers behind a figure (``indicators.export_tasks``),
  run directly, for the figure whose dossier count is closest to 100,000. Target ≤ 20 s.

The database is dropped at the end (``BENCH_KEEP_DB=1`` keeps it to iterate; then
``BENCH_REUSE_DB=1`` skips the generation and the rebuild on the next run, and
``BENCH_INDICATOR_STEPS=http,duckdb`` runs only some of freshness, http, duckdb, export).

    BENCH_ONLY=indicators BENCH_ENGINES=postgres make bench
    BENCH_INDICATOR_DOSSIERS=1000000 BENCH_ONLY=indicators BENCH_ENGINES=postgres make bench
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import benchdb  # noqa: E402

DOSSIERS = int(os.environ.get("BENCH_INDICATOR_DOSSIERS", "10000000"))
WORKERS = int(os.environ.get("BENCH_GEN_WORKERS", "2"))
CHANGES = int(os.environ.get("BENCH_INDICATOR_CHANGES", "1000"))
REQUESTS = int(os.environ.get("BENCH_INDICATOR_REQUESTS", "50"))
URL_BUDGET_S = float(os.environ.get("BENCH_INDICATOR_URL_BUDGET_S", "30"))
STEPS = set(os.environ.get("BENCH_INDICATOR_STEPS", "freshness,http,duckdb,export").split(","))
EXPORT_ROWS = 100_000
DB_NAME = "congso_bench_indicators"
TARGET_TILE_P95_MS = 300.0
TARGET_PAGE_MS = 1500.0
TARGET_FRESH_S = 300.0
TARGET_EXPORT_S = 20.0
TARGET_GENERATE_S = 15 * 60.0


@dataclass(frozen=True)
class World:
    clerk: Any
    version: Any
    viewer: Any


def _isolate_environment() -> tuple[Path, str | None]:
    """Throwaway folder for files (bench/run.py's, or ours removed at the end); PostgreSQL on
    ``congso_bench_indicators``; on PostgreSQL the Redis cache of a province-scale setup."""
    given = os.environ.get("CONGSO_VAR_DIR")
    tmp = Path(given) if given else Path(tempfile.mkdtemp(prefix="congso-bench-indicators-"))
    os.environ["BENCH_OWN_TMP"] = "" if given else str(tmp)
    os.environ["CONGSO_VAR_DIR"] = str(tmp)
    os.environ["MEDIA_ROOT"] = str(tmp / "media")
    os.environ.setdefault("CACHE_KEY_PREFIX", f"congso-bench-indicators-{os.getpid()}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congso.settings")
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return tmp, None
    parsed = urlparse(url)
    url = urlunparse(parsed._replace(path=f"/{DB_NAME}"))
    os.environ["DATABASE_URL"] = url
    if "REDIS_URL" not in os.environ and shutil.which("redis-cli"):
        os.environ["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
        os.environ["BENCH_OWN_REDIS"] = "1"
    return tmp, url


def _quiet() -> dict[str, Any]:
    return {"verbosity": 0, "stdout": io.StringIO(), "stderr": io.StringIO()}


def _timed(action: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = action()
    return result, time.perf_counter() - started


def build_world(tmp: Path) -> World:
    """The demo province (bench_dossiers' world: agencies, calendar, catalogue, a procedure whose
    components are optional and a centre clerk), the indicator catalogue, and the IOC viewer."""
    from django.core.management import call_command

    from accounts.models import Role
    from accounts.services import staff_create
    from agencies.models import Agency
    from bench.bench_dossiers import build_world as dossiers_world

    base = dossiers_world(tmp)
    call_command("load_indicators", **_quiet())
    department = Agency.objects.current().get(name="Sở Khoa học và Công nghệ")
    viewer = staff_create(
        username="bench.ioc", full_name="Hoàng Thị Lan", agency=department, role=Role.SPECIALIST
    )
    return World(clerk=base.centre_clerk, version=base.version, viewer=viewer)


# --- generation and facts ------------------------------------------------------------------------


def generate(engine: str) -> None:
    from django.core.management import call_command

    out = io.StringIO()
    _, took = _timed(
        lambda: call_command(
            "gen_bench_dossiers", count=DOSSIERS, workers=WORKERS, stdout=out, stderr=io.StringIO()
        )
    )
    for line in out.getvalue().splitlines():
        # The summary, and the indexes and constraints that took 10 s or more to rebuild.
        seconds = line.rsplit(": ", 1)[-1].removesuffix(" s") if line.endswith(" s") else ""
        if line.startswith("gen_bench_dossiers:") or (seconds[:1].isdigit() and float(seconds) >= 10):
            print(f"   {line.strip()}", flush=True)
    benchdb.report("indicators.generate.dossiers", engine, f"{DOSSIERS:,}")
    benchdb.report("indicators.generate_s", engine, took, "s")
    benchdb.report("indicators.generate.target_met", engine, "yes" if took <= TARGET_GENERATE_S else "no")


def _table_sizes(engine: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples::bigint, pg_total_relation_size(oid) FROM pg_class "
            "WHERE relname IN ('dossiers_dossier', 'dossiers_dossierfile', 'payments_payment', "
            "'dossiers_rating', 'indicators_dossierdayfact') ORDER BY relname"
        )
        for name, rows, size in cursor.fetchall():
            counted = f"{rows:,} rows" if rows >= 0 else "not analysed yet"
            benchdb.report(f"indicators.table.{name}", engine, f"{counted}, {size / 2**30:.2f} GiB")
        cursor.execute("SELECT pg_database_size(current_database())")
        benchdb.report("indicators.database_gib", engine, cursor.fetchone()[0] / 2**30, "GiB")


def rebuild_facts(engine: str) -> None:
    from indicators.facts import facts_rebuild
    from indicators.models import DossierDayFact

    written, took = _timed(facts_rebuild)
    benchdb.report("indicators.facts.rebuild_s", engine, took, "s")
    benchdb.report(
        "indicators.facts.rows", engine, f"{DossierDayFact.objects.count():,} ({written:,} written)"
    )


def _receive(world: World, number: int) -> Any:
    from dossiers.services import ApplicantData, dossier_counter_create, dossier_receive

    dossier = dossier_counter_create(
        actor=world.clerk,
        procedure_version=world.version,
        applicant=ApplicantData(name=f"Lục Văn Hải {number}", phone="0205387012"),
    )
    return dossier_receive(dossier=dossier, actor=world.clerk)


def measure_freshness(engine: str, world: World) -> None:
    """Changes through the services, then one refresh: how long it takes, and that the facts of
    today moved by exactly the dossiers received."""
    from django.db.models import Sum
    from django.utils import timezone

    from indicators.facts import facts_refresh
    from indicators.models import DossierDayFact

    competent = world.version.competent_agency_id
    today = timezone.localdate()

    def received_today() -> int:
        found = DossierDayFact.objects.filter(agency_id=competent, day=today).aggregate(n=Sum("received"))
        return int(found["n"] or 0)

    from indicators.facts import facts_reconcile

    _, nightly = _timed(facts_reconcile)
    benchdb.report("indicators.facts.reconcile_s", engine, nightly, "s (the nightly rebuild of 35 days)")
    _, idle = _timed(facts_refresh)  # nothing new since the rebuild
    benchdb.report("indicators.facts.refresh_idle_ms", engine, idle * 1000, "ms")
    before = received_today()
    _, took = _timed(lambda: [_receive(world, n) for n in range(CHANGES)])
    benchdb.report(
        "indicators.freshness.changes", engine, f"{CHANGES} dossiers received through the services"
    )
    benchdb.report("indicators.freshness.changes_s", engine, took, "s")
    buckets, refresh = _timed(facts_refresh)
    moved = received_today() - before
    benchdb.report("indicators.facts.refresh_s", engine, refresh, "s")
    benchdb.report("indicators.facts.refresh_buckets", engine, str(buckets))
    benchdb.report(
        "indicators.facts.refresh_correct",
        engine,
        f"{'yes' if moved == CHANGES else 'NO'} (received today +{moved}, expected +{CHANGES})",
    )
    from indicators.tasks import _every

    every = _every().total_seconds()
    worst = every + refresh
    benchdb.report(
        "indicators.freshness.worst_age_s", engine, worst, f"s (refresh every {every:.0f} s + one refresh)"
    )
    benchdb.report("indicators.freshness.target_met", engine, "yes" if worst <= TARGET_FRESH_S else "no")


# --- the pages over HTTP --------------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    p50_ms: float
    p95_ms: float
    max_ms: float
    status: int
    samples: int


def _measure(
    client: Any, url: str, *, cold: bool, count: int, headers: dict[str, str] | None = None
) -> Timing:
    """``count`` requests (fewer if they use up ``URL_BUDGET_S``, at least 3)."""
    from indicators.selectors import figures_cache_bump

    samples: list[float] = []
    status = 200
    client.get(url, headers=headers or {})  # first hit: templates, agency tree, period rows
    budget_end = time.perf_counter() + URL_BUDGET_S
    while len(samples) < count and (len(samples) < 3 or time.perf_counter() < budget_end):
        if cold:
            figures_cache_bump()
        started = time.perf_counter()
        response = client.get(url, headers=headers or {})
        samples.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            status = response.status_code
    return Timing(
        benchdb.percentile(samples, 50), benchdb.percentile(samples, 95), max(samples), status, len(samples)
    )


def _report_timing(engine: str, name: str, timing: Timing, target_ms: float | None = None) -> bool:
    met = target_ms is None or timing.p95_ms <= target_ms
    tail = f" (HTTP {timing.status})" if timing.status != 200 else ""
    benchdb.report(
        name,
        engine,
        f"p50 {timing.p50_ms:.1f} ms, p95 {timing.p95_ms:.1f} ms, max {timing.max_ms:.1f} ms "
        f"({timing.samples} requests){tail}",
    )
    return met and timing.status == 200


def _ratio_indicator(computation: str) -> Any:
    from indicators.models import Indicator

    return Indicator.objects.filter(computation=computation, is_active=True).order_by("order", "code").first()


def measure_http(engine: str, world: World, period: Any) -> float:
    """Every tile, the overview, an indicator page, drill-downs; returns the median cold tile (ms)."""
    from django.db.models import Sum
    from django.test import Client
    from django.urls import reverse

    from indicators.dashboard import indicators_for
    from indicators.models import DossierDayFact

    client = Client()
    client.force_login(world.viewer)
    query = f"?period={period.key}"
    fragment = {"HX-Request": "true"}
    # The very first request, on an empty cache (this process's own cache prefix): it also
    # computes what is cached for hours whatever the facts do (the overdue dossiers at the end of
    # past periods), which every later cold request reuses.
    _, first = _timed(lambda: client.get(reverse("indicators:overview") + query))
    benchdb.report("indicators.overview.empty_cache_ms", engine, first * 1000, "ms (first request ever)")
    ok = True
    tile_p50s: list[float] = []
    worst = 0.0
    for indicator in indicators_for(period.kind):
        url = reverse("indicators:tile", kwargs={"code": indicator.code}) + query
        cold = _measure(client, url, cold=True, count=REQUESTS, headers=fragment)
        ok &= _report_timing(engine, f"indicators.tile.{indicator.code}.cold", cold, TARGET_TILE_P95_MS)
        tile_p50s.append(cold.p50_ms)
        worst = max(worst, cold.p95_ms)
    benchdb.report("indicators.tiles", engine, f"{len(tile_p50s)} tiles, {REQUESTS} requests each")
    benchdb.report("indicators.tiles.worst_cold_p95_ms", engine, worst, "ms")
    benchdb.report("indicators.tiles.target_met", engine, "yes" if ok else "no")

    overview = reverse("indicators:overview") + query
    page_ok = _report_timing(
        engine,
        "indicators.overview.cold",
        _measure(client, overview, cold=True, count=REQUESTS),
        TARGET_PAGE_MS,
    )
    _report_timing(engine, "indicators.overview.warm", _measure(client, overview, cold=False, count=REQUESTS))
    benchdb.report("indicators.overview.target_met", engine, "yes" if page_ok else "no")

    online = _ratio_indicator("dossiers_online_rate")
    detail = reverse("indicators:indicator", kwargs={"code": online.code}) + query
    _report_timing(
        engine, "indicators.indicator_page.cold", _measure(client, detail, cold=True, count=REQUESTS)
    )
    _report_timing(
        engine, "indicators.indicator_page.warm", _measure(client, detail, cold=False, count=REQUESTS)
    )

    drill = reverse("indicators:drilldown", kwargs={"code": online.code})
    # The busiest unit of the quarter, and the province.
    busiest = (
        DossierDayFact.objects.filter(day__gte=period.start, day__lte=period.end)
        .values("agency_id")
        .order_by()
        .annotate(n=Sum("received"))
        .order_by("-n")
        .first()
    )
    for label, extra in (("province", ""), ("unit", f"&unit={busiest['agency_id']}" if busiest else "")):
        url = f"{drill}{query}&part=numerator{extra}"
        timing = _measure(client, url, cold=True, count=max(10, REQUESTS // 5))
        _report_timing(engine, f"indicators.drilldown.{label}.cold", timing)
        timing = _measure(client, url + "&page=3", cold=False, count=max(10, REQUESTS // 5))
        _report_timing(engine, f"indicators.drilldown.{label}.page3", timing)
    return benchdb.median(tile_p50s)


# --- DuckDB: the same counters by a raw scan of the same rows --------------------------------------

EXPORTS = {
    "dossiers": (
        "SELECT id, competent_agency_id, procedure_version_id, channel, "
        "extract(epoch FROM received_at)::bigint, extract(epoch FROM resolved_at)::bigint, "
        "extract(epoch FROM due_at)::bigint, finished_late FROM dossiers_dossier",
        "id BIGINT, agency BIGINT, version BIGINT, channel VARCHAR, received BIGINT, resolved BIGINT, "
        "due BIGINT, late BOOLEAN",
    ),
    "versions": (
        "SELECT id, service_level FROM catalog_procedureversion",
        "id BIGINT, service_level VARCHAR",
    ),
    "requirements": (
        "SELECT id, version_id FROM catalog_componentrequirement WHERE is_mandatory",
        "id BIGINT, version BIGINT",
    ),
    "files": (
        "SELECT dossier_id, kind, origin, requirement_id FROM dossiers_dossierfile",
        "dossier BIGINT, kind VARCHAR, origin VARCHAR, requirement BIGINT",
    ),
    "fees": ("SELECT dossier_id, amount FROM payments_dossierfee", "dossier BIGINT, amount BIGINT"),
    "payments": (
        "SELECT dossier_id, method, status FROM payments_payment",
        "dossier BIGINT, method VARCHAR, status VARCHAR",
    ),
    "ratings": (
        "SELECT dossier_id, score, extract(epoch FROM rated_at)::bigint FROM dossiers_rating",
        "dossier BIGINT, score INTEGER, rated BIGINT",
    ),
}

# The definitions of indicators.facts.dossier_flags, written again for DuckDB over the exported rows.
DUCKDB_RECEPTION = """
WITH d AS (SELECT * FROM dossiers WHERE received >= $lo AND received < $hi),
need AS (SELECT version, count(*) AS n FROM requirements GROUP BY version),
have AS (
    SELECT f.dossier, count(DISTINCT f.requirement) AS n
    FROM files f JOIN requirements r ON r.id = f.requirement
    WHERE f.kind = 'component' AND f.dossier IN (SELECT id FROM d)
    GROUP BY f.dossier
),
reused AS (SELECT DISTINCT dossier FROM files WHERE kind = 'component' AND origin = 'reused'),
fee AS (SELECT DISTINCT dossier FROM fees WHERE amount > 0),
paid AS (SELECT DISTINCT dossier FROM payments WHERE method = 'online' AND status = 'paid')
SELECT d.agency,
       count(*) AS received,
       count(*) FILTER (WHERE d.channel = 'online') AS received_online,
       count(*) FILTER (WHERE d.channel = 'online' AND v.service_level = 'full_online')
           AS received_online_full,
       count(*) FILTER (WHERE coalesce(have.n, 0) >= coalesce(need.n, 0)) AS received_digitised,
       count(*) FILTER (WHERE reused.dossier IS NOT NULL) AS received_reused,
       count(*) FILTER (WHERE fee.dossier IS NOT NULL) AS with_fees,
       count(*) FILTER (WHERE paid.dossier IS NOT NULL) AS paid_online
FROM d
JOIN versions v ON v.id = d.version
LEFT JOIN need ON need.version = d.version
LEFT JOIN have ON have.dossier = d.id
LEFT JOIN reused ON reused.dossier = d.id
LEFT JOIN fee ON fee.dossier = d.id
LEFT JOIN paid ON paid.dossier = d.id
GROUP BY d.agency
"""
DUCKDB_RESOLUTION = """
WITH result AS (SELECT DISTINCT dossier FROM files WHERE kind = 'result')
SELECT d.agency,
       count(*) AS resolved,
       count(*) FILTER (WHERE d.due IS NOT NULL AND d.resolved < d.due) AS resolved_early,
       count(*) FILTER (WHERE d.late IS DISTINCT FROM true) AS resolved_on_time,
       count(*) FILTER (WHERE d.late) AS resolved_late,
       count(*) FILTER (WHERE result.dossier IS NOT NULL) AS resolved_result_digitised
FROM dossiers d LEFT JOIN result ON result.dossier = d.id
WHERE d.resolved >= $lo AND d.resolved < $hi
GROUP BY d.agency
"""
DUCKDB_RATING = """
SELECT d.agency, count(*) AS ratings, count(*) FILTER (WHERE r.score IN (2, 3)) AS ratings_satisfied
FROM ratings r JOIN dossiers d ON d.id = r.dossier
WHERE r.rated >= $lo AND r.rated < $hi
GROUP BY d.agency
"""


def _export_for_duckdb(folder: Path) -> dict[str, Path]:
    from django.db import connection

    paths: dict[str, Path] = {}
    with connection.cursor() as cursor:
        raw = cursor.cursor
        for name, (select, _columns) in EXPORTS.items():
            path = folder / f"{name}.csv"
            with path.open("wb") as out, raw.copy(f"COPY ({select}) TO STDOUT (FORMAT csv)") as copy:
                for data in copy:
                    out.write(data)
            paths[name] = path
    return paths


def _duckdb_counts(con: Any, lo: int, hi: int) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = {}
    for sql in (DUCKDB_RECEPTION, DUCKDB_RESOLUTION, DUCKDB_RATING):
        cursor = con.execute(sql, {"lo": lo, "hi": hi})
        names = [d[0] for d in cursor.description]
        for row in cursor.fetchall():
            counts.setdefault(int(row[0]), {}).update(zip(names[1:], (int(v) for v in row[1:]), strict=True))
    return counts


def _facts_counts(period: Any) -> dict[int, dict[str, int]]:
    from django.db.models import Sum

    from indicators.facts import COUNTERS
    from indicators.models import DossierDayFact

    rows = (
        DossierDayFact.objects.filter(day__gte=period.start, day__lte=period.end)
        .values("agency_id")
        .order_by()
        .annotate(**{name: Sum(name) for name in COUNTERS})
    )
    return {row["agency_id"]: {name: int(row[name] or 0) for name in COUNTERS} for row in rows}


def _congso_figures(period: Any) -> None:
    """What congso does for the same figures: the province and every unit, cold (from the facts)."""
    from indicators import formulas, selectors
    from indicators.models import Indicator

    chosen = [i for i in Indicator.objects.filter(is_active=True) if i.computation in formulas.FACT_FORMULAS]
    selectors.figures_cache_bump()
    selectors.figures(period=period, agency=None, indicators=chosen)
    for indicator in chosen:
        selectors.ranking(indicator=indicator, period=period)


def measure_duckdb(engine: str, period: Any, tmp: Path, tile_p50_ms: float) -> None:
    import duckdb

    from indicators.facts import day_start

    folder = Path(tempfile.mkdtemp(prefix="duckdb-", dir=tmp))
    try:
        paths, took = _timed(lambda: _export_for_duckdb(folder))
        size = sum(p.stat().st_size for p in paths.values())
        benchdb.report("indicators.duckdb.export_s", engine, took, f"s ({size / 2**30:.2f} GiB of CSV)")
        con = duckdb.connect()
        started = time.perf_counter()
        for name, path in paths.items():
            columns = EXPORTS[name][1]
            spec = "{" + ", ".join(f"'{c.split()[0]}': '{c.split()[1]}'" for c in columns.split(", ")) + "}"
            # Names and column types are this module's constants; the path is our own temp file.
            sql = f"CREATE TABLE {name} AS SELECT * FROM read_csv('{path}', header=false, columns={spec})"  # noqa: S608
            con.execute(sql)
            path.unlink()
        benchdb.report("indicators.duckdb.load_s", engine, time.perf_counter() - started, "s")
        lo = int(day_start(period.start).timestamp())
        hi = int(day_start(period.end + dt.timedelta(days=1)).timestamp())
        runs = []
        for _ in range(3):
            counts, took = _timed(lambda: _duckdb_counts(con, lo, hi))
            runs.append(took)
        con.close()
        duck_ms = benchdb.median(runs) * 1000
        congso_runs = [_timed(lambda: _congso_figures(period))[1] for _ in range(3)]
        congso_ms = benchdb.median(congso_runs) * 1000
        facts = _facts_counts(period)
        mismatched = [
            (agency, name)
            for agency in set(counts) | set(facts)
            for name in counts.get(agency, facts.get(agency, {}))
            if counts.get(agency, {}).get(name, 0) != facts.get(agency, {}).get(name, 0)
        ]
        compared = sum(len(v) for v in counts.values())
        benchdb.report("indicators.duckdb.period", engine, f"{period.label} ({len(counts)} competent units)")
        benchdb.report("indicators.duckdb.raw_scan_ms", engine, duck_ms, "ms (median of 3)")
        benchdb.report("indicators.congso.figures_cold_ms", engine, congso_ms, "ms (province + every unit)")
        benchdb.report("indicators.congso.tile_cold_p50_ms", engine, tile_p50_ms, "ms (median tile, HTTP)")
        benchdb.report("indicators.ratio.duckdb_over_congso", engine, duck_ms / congso_ms, "× (figures)")
        benchdb.report(
            "indicators.ratio.duckdb_over_tile", engine, duck_ms / tile_p50_ms, "× (one tile over HTTP)"
        )
        benchdb.report(
            "indicators.duckdb.matches_facts",
            engine,
            "yes" if not mismatched else f"NO: {sorted(mismatched)[:10]}",
            f"({compared} unit counters compared)",
        )
        benchdb.report("indicators.duckdb.target_met", engine, "yes" if duck_ms > congso_ms else "no")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# --- the 100,000-row export -------------------------------------------------------------------------


def _export_candidate(today: dt.date) -> tuple[Any, str, Any, Any, int]:
    """The (indicator, part, period, unit or None, rows) whose dossier count is closest to 100,000,
    among the fact-based figures of the months and quarters of the last year."""
    from django.db.models import Sum

    from agencies.models import Agency
    from indicators import formulas
    from indicators.facts import COUNTERS
    from indicators.models import DossierDayFact, Indicator
    from indicators.periods import period_get

    candidates = []
    for back in range(1, 13):
        month = (today.replace(day=1) - dt.timedelta(days=28 * back)).replace(day=1)
        candidates.append(period_get("month", month.year, month.month))
        candidates.append(period_get("quarter", month.year, (month.month - 1) // 3 + 1))
    indicators = [
        i for i in Indicator.objects.filter(is_active=True) if i.computation in formulas.FACT_FORMULAS
    ]
    best: tuple[Any, str, Any, Any, int] | None = None
    units = {a.pk: a for a in Agency.objects.filter(kind__in=("commune", "department"))}
    for period in {p.pk: p for p in candidates}.values():
        rows = (
            DossierDayFact.objects.filter(day__gte=period.start, day__lte=period.end)
            .values("agency_id")
            .order_by()
            .annotate(**{name: Sum(name) for name in COUNTERS})
        )
        by_agency = {row["agency_id"]: row for row in rows}
        for indicator in indicators:
            formula = formulas.FACT_FORMULAS[indicator.computation]
            for part, fields in (("numerator", formula.numerator), ("denominator", formula.denominator)):
                if not fields or len(fields) != 1:
                    continue
                scopes: list[tuple[Any, int]] = [
                    (None, sum(int(r[fields[0]] or 0) for r in by_agency.values()))
                ] + [(units[a], int(r[fields[0]] or 0)) for a, r in by_agency.items() if a in units]
                for unit, rows_count in scopes:
                    if best is None or abs(rows_count - EXPORT_ROWS) < abs(best[4] - EXPORT_ROWS):
                        best = (indicator, part, period, unit, rows_count)
    if best is None:
        raise SystemExit("bench_indicators: no fact-based indicator to export")
    return best


def measure_export(engine: str, world: World) -> None:
    from django.utils import timezone

    from indicators.export_tasks import export_dossiers
    from indicators.exports import DossierExport, export_job_create
    from indicators.models import ExportJob

    indicator, part, period, unit, expected = _export_candidate(timezone.localdate())
    job = export_job_create(
        user=world.viewer, export=DossierExport(indicator=indicator, period=period, agency=unit, part=part)
    )
    _, took = _timed(lambda: export_dossiers(export_id=job.pk))
    job = ExportJob.objects.get(pk=job.pk)
    size = job.file.size if job.file else 0
    benchdb.report(
        "indicators.export.what",
        engine,
        f"{indicator.code} {part}, {period.label}, {unit.name if unit else 'toàn tỉnh'}",
    )
    benchdb.report(
        "indicators.export.rows",
        engine,
        f"{job.done:,} of {job.total:,} (facts say {expected:,}), {job.state}",
    )
    benchdb.report("indicators.export_s", engine, took, f"s ({size / 2**20:.1f} MiB .xlsx)")
    benchdb.report("indicators.export.rows_per_s", engine, job.done / took if took else 0.0, "rows/s")
    benchdb.report(
        "indicators.export.target_met",
        engine,
        "yes" if took * EXPORT_ROWS / max(job.done, 1) <= TARGET_EXPORT_S and job.state == "done" else "no",
        "(time scaled to 100,000 rows)",
    )


# --- main -------------------------------------------------------------------------------------------


def _drop_database(url: str) -> None:
    import psycopg

    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


def _forget_redis_keys() -> None:
    if not os.environ.get("BENCH_OWN_REDIS"):
        return
    import redis

    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    keys = list(client.scan_iter(f"{os.environ['CACHE_KEY_PREFIX']}:*"))
    if keys:
        client.delete(*keys)


def _setup_reused() -> str:
    """Django on the kept database, without recreating it (``BENCH_REUSE_DB=1``)."""
    import django

    django.setup()
    return "postgres"


def main() -> None:
    tmp, pg_url = _isolate_environment()
    if pg_url is None:
        print("indicators[sqlite]: skipped (ten million dossiers: PostgreSQL only)", flush=True)
        if os.environ.get("BENCH_OWN_TMP"):
            shutil.rmtree(tmp, ignore_errors=True)
        return
    reuse = os.environ.get("BENCH_REUSE_DB") == "1"
    keep = os.environ.get("BENCH_KEEP_DB") == "1"
    engine = _setup_reused() if reuse else benchdb.setup()
    started = time.perf_counter()
    try:
        from accounts.models import User
        from catalog.selectors import procedure_in_force
        from indicators.periods import period_last_closed

        if reuse:
            from django.core.management import call_command

            from bench.bench_dossiers import BENCH_PROCEDURE

            call_command("collectstatic", interactive=False, **_quiet())  # pages render with the manifest

            world = World(
                clerk=User.objects.get(username="bench.motcua"),
                version=procedure_in_force(code=BENCH_PROCEDURE),
                viewer=User.objects.get(username="bench.ioc"),
            )
        else:
            world = build_world(tmp)
            benchdb.report("indicators.setup_s", engine, time.perf_counter() - started, "s")
            generate(engine)
            rebuild_facts(engine)
        _table_sizes(engine)
        if "freshness" in STEPS:
            measure_freshness(engine, world)
        period = period_last_closed("quarter")
        benchdb.report("indicators.period", engine, f"{period.label} ({period.key})")
        tile_p50 = measure_http(engine, world, period) if "http" in STEPS else float("nan")
        if "duckdb" in STEPS:
            measure_duckdb(engine, period, tmp, tile_p50)
        if "export" in STEPS:
            measure_export(engine, world)
        benchdb.report("indicators.total_s", engine, time.perf_counter() - started, "s")
        benchdb.report(
            "indicators.host.loadavg", engine, " ".join(f"{x:.1f}" for x in os.getloadavg()), "(1/5/15 min)"
        )
    finally:
        from django.db import connections

        connections.close_all()
        with contextlib.suppress(Exception):
            _forget_redis_keys()
        if not keep:
            _drop_database(pg_url)
        if os.environ.get("BENCH_OWN_TMP"):
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
