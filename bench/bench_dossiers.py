"""Dossiers: reception throughput beside a bare-insert baseline, the public lookup under load
against a running server, and the list and queue pages over 100,000 dossiers.

Builds a throwaway database (SQLite in a temporary folder, or the PostgreSQL database
``congso_bench``) with the demo province (agencies, calendar, catalogue), then:

* ``reception``: counter dossiers created and received one after the other through the services
  (``dossier_counter_create`` + ``dossier_receive``: code, due date, steps, history, Mẫu 01, the
  jobs that render it and notify the applicant — not the rendering itself), for a fixed time.
  Printed beside the rate of the same work done bare on the same database in the same run: per
  dossier, the transactions the two service calls must make (the counter creation's and the
  reception's), each with as many single-row inserts as it writes — ``pgbench`` (one client) on
  PostgreSQL, a ``sqlite3`` loop on SQLite — so the ratio prices the services' reads, Python and
  any commit beyond those two. The rate of one transaction holding every write is printed too
  (``bare_single_transaction_tps``). Target: at least 30 % of the bare rate. Printed too: the
  rate of *the services' own writes* for one dossier (recorded, then replayed bare on the same
  tables with their indexes and foreign keys, by ``pgbench`` or a ``sqlite3`` loop:
  ``bench/replay.py``), which is what the database alone costs per reception, and the services'
  rate as a share of it.
* ``lookup``: ``GET /api/v1/lookup/{code}/`` on gunicorn (``congso.wsgi`` as ``make serve`` starts
  it: ``WORKERS`` × ``THREADS``, 2 × 8) started on a free loopback port against the bench database,
  driven for 15 s from another process by ``wrk`` (Debian package ``wrk``), or by a small multi-
  process Python client when ``wrk`` is missing. Targets on 2 cores: ≥ 1,000 requests/s, p99 ≤ 25
  ms. The server uses the project's settings with the per-address lookup limit lifted
  (``bench/lookup_settings.py``: every request comes from one address) and, on PostgreSQL, the Redis
  cache of a province-scale setup.
* ``list``: 100,000 dossiers generated with raw SQL (``bench/gen_dossiers.py``), then ~200
  requests each through ``django.test.Client`` signed in as the provincial centre's clerk (the
  busiest desk) and as a ward's clerk: the dossier list API (plain, filtered, a work queue) and
  the back office's queue and search pages when they are installed. Target: p95 ≤ 100 ms.

    python bench/bench_dossiers.py                     # SQLite
    BENCH_ONLY=dossiers make bench                     # both engines through bench/run.py
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import benchdb, replay  # noqa: E402
from bench.gen_catalogue import DEMO_FILE  # noqa: E402
from bench.http_load import python_load, wrk_load  # noqa: E402

RECEPTION_SECONDS = float(os.environ.get("BENCH_RECEPTION_SECONDS", "12"))
BASELINE_SECONDS = 10
LOOKUP_SECONDS = int(os.environ.get("BENCH_LOOKUP_SECONDS", "15"))
LIST_DOSSIERS = int(os.environ.get("BENCH_LIST_DOSSIERS", "100000"))
LIST_REQUESTS = 200
BENCH_PROCEDURE = "9.990001"
TARGET_RATIO = 30.0
TARGET_RPS = 1000.0
TARGET_P99_MS = 25.0
TARGET_LIST_P95_MS = 100.0


@dataclass
class World:
    centre_clerk: Any
    ward_clerk: Any
    version: Any
    recorded: tuple[replay.Recorder, str, str] | None = None
    """The writes of one dossier's creation and reception, its reference and code (``replay``)."""


def _isolate_environment() -> tuple[Path, str | None]:
    """Throwaway folder for files and cache (bench/run.py's, or one of ours removed at the end);
    PostgreSQL always on ``congso_bench``."""
    given = os.environ.get("CONGSO_VAR_DIR")
    tmp = Path(given) if given else Path(tempfile.mkdtemp(prefix="congso-bench-dossiers-"))
    os.environ["BENCH_OWN_TMP"] = "" if given else str(tmp)
    os.environ["CONGSO_VAR_DIR"] = str(tmp)
    os.environ["MEDIA_ROOT"] = str(tmp / "media")
    os.environ.setdefault("CACHE_KEY_PREFIX", f"congso-bench-{os.getpid()}")
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


def _quiet() -> dict[str, Any]:
    return {"verbosity": 0, "stdout": io.StringIO(), "stderr": io.StringIO()}


def build_world(tmp: Path) -> World:
    """The demo province, a copy of a provincial procedure whose components are optional (the
    reception figure leaves file storage out), and two clerks."""
    import datetime as dt

    from django.core.management import call_command

    from accounts.models import Role
    from accounts.services import staff_create
    from agencies.models import Agency
    from catalog.selectors import procedure_in_force

    call_command("collectstatic", interactive=False, **_quiet())  # pages render with the manifest
    call_command("load_agencies", **_quiet())
    year = dt.date.today().year
    call_command("seed_calendar", str(year - 1), str(year), str(year + 1), **_quiet())
    call_command("import_procedures", str(DEMO_FILE), format="json", **_quiet())
    demo = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    original = next(p for p in demo["procedures"] if p["code"] == "1.004471")
    variant = {
        **original,
        "code": BENCH_PROCEDURE,
        "name": original["name"] + " (thủ tục đo hiệu năng)",
        "components": [{**c, "is_mandatory": False} for c in original["components"]],
    }
    path = tmp / "bench_procedure.json"
    path.write_text(json.dumps({"sectors": demo["sectors"], "procedures": [variant]}, ensure_ascii=False))
    call_command("import_procedures", str(path), format="json", **_quiet())
    current = Agency.objects.current()
    centre = current.get(kind=Agency.Kind.SERVICE_CENTER)
    ward_desk = current.get(name="Trung tâm Phục vụ hành chính công phường Tam Thanh")
    return World(
        centre_clerk=staff_create(
            username="bench.motcua", full_name="Vi Thị Hoa", agency=centre, role=Role.CLERK
        ),
        ward_clerk=staff_create(
            username="bench.motcua.phuong", full_name="Nông Văn Tú", agency=ward_desk, role=Role.CLERK
        ),
        version=procedure_in_force(code=BENCH_PROCEDURE),
    )


# --- reception -----------------------------------------------------------------------------------


def _create_one(world: World, number: int) -> Any:
    from dossiers.services import ApplicantData, dossier_counter_create

    return dossier_counter_create(
        actor=world.centre_clerk,
        procedure_version=world.version,
        applicant=ApplicantData(
            name="Công ty TNHH Chuyển phát Xứ Lạng",
            phone="0205387012",
            email=f"hoso{number}@example.vn",
            organization_name="Công ty TNHH Chuyển phát Xứ Lạng",
            organization_tax_code="4900876543",
        ),
    )


def _receive_one(world: World, number: int) -> Any:
    from dossiers.services import dossier_receive

    return dossier_receive(dossier=_create_one(world, number), actor=world.centre_clerk)


def measure_reception(engine: str, world: World) -> tuple[float, list[int], list[str]]:
    """Dossiers created and received per second; the writes of each service call (the counter
    creation, the reception); the codes given."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dossiers.services import dossier_receive

    codes = [str(_receive_one(world, n).code) for n in range(5)]  # warm every path
    created, received = replay.Recorder(), replay.Recorder()  # the writes of each service call
    replay.give_next_dossier_the_sentinel_id()
    with CaptureQueriesContext(connection) as captured:
        with connection.execute_wrapper(created):
            dossier = _create_one(world, 5)
        with connection.execute_wrapper(received):
            codes.append(str(dossier_receive(dossier=dossier, actor=world.centre_clerk).code))
    if dossier.pk != replay.SENTINEL_ID:
        raise SystemExit(f"the recorded dossier has id {dossier.pk}, not {replay.SENTINEL_ID}")
    recorded = replay.Recorder(transactions=created.transactions + received.transactions)
    world.recorded = (recorded, dossier.reference, str(dossier.code))
    structure = recorded.shape
    benchdb.report("dossiers.reception.queries_per_dossier", engine, str(len(captured.captured_queries)))
    benchdb.report("dossiers.reception.writes_per_dossier", engine, str(sum(structure)))
    benchdb.report(
        "dossiers.reception.transactions_per_dossier",
        engine,
        f"{len(structure)} ({' + '.join(map(str, structure))} writes)",
    )
    done, started, cpu = 0, time.perf_counter(), time.process_time()
    while (elapsed := time.perf_counter() - started) < RECEPTION_SECONDS:
        codes.append(str(_receive_one(world, 100 + done).code))
        done += 1
    rate = done / elapsed
    python_ms = 1000 * (time.process_time() - cpu) / done
    benchdb.report("dossiers.reception.dossiers", engine, str(done))
    benchdb.report("dossiers.reception.per_s", engine, rate, "dossiers/s")
    # Where a dossier's time goes: this process's CPU (Python, the driver) and the rest (waiting
    # for the database, or for the CPU the database is using).
    benchdb.report("dossiers.reception.python_cpu_ms_per_dossier", engine, python_ms, "ms")
    benchdb.report("dossiers.reception.other_ms_per_dossier", engine, 1000 / rate - python_ms, "ms")
    return rate, [sum(created.shape), sum(received.shape)], codes


def _pgbench_rate(url: str, transactions: list[int]) -> float | None:
    """Runs per second of a script of ``transactions`` (each a number of single-row inserts in
    one transaction; pgbench, one client), on a scratch table of the bench database."""
    pgbench = shutil.which("pgbench")
    if pgbench is None:
        print("   pgbench not found (Debian: postgresql-client / postgresql-contrib)", flush=True)
        return None
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS bench_bare_write (id bigserial PRIMARY KEY, dossier bigint NOT NULL, "
            "kind text NOT NULL, at timestamptz NOT NULL, data jsonb NOT NULL)"
        )
    script = Path(tempfile.mkdtemp(prefix="congso-pgbench-")) / "bare.sql"
    insert = (
        "INSERT INTO bench_bare_write (dossier, kind, at, data) VALUES (:id, 'event', now(), '{\"a\": 1}');"
    )
    body = "".join("BEGIN;\n" + "\n".join([insert] * writes) + "\nCOMMIT;\n" for writes in transactions)
    script.write_text("\\set id random(1, 1000000000)\n" + body)
    parsed = urlparse(url)
    command = [
        pgbench,
        "-n",
        "-c",
        "1",
        "-j",
        "1",
        "-T",
        str(BASELINE_SECONDS),
        "-f",
        str(script),
        "-h",
        parsed.hostname or "127.0.0.1",
        "-p",
        str(parsed.port or 5432),
        "-U",
        parsed.username or "postgres",
        parsed.path.lstrip("/"),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    found = re.search(r"tps = ([\d.]+) \(without initial connection time\)", result.stdout)
    if result.returncode != 0 or found is None:
        print(f"   pgbench failed: {result.stderr.strip()[:300]}", flush=True)
        return None
    return float(found.group(1))


BARE_SQLITE_INSERT = "INSERT INTO bare (dossier, kind, at, data) VALUES (?, 'event', datetime('now'), '{}')"


def _sqlite_rate(folder: Path, transactions: list[int]) -> float:
    """The same bare transactions in a sqlite3 loop (runs per second), on a file beside the bench
    database, with the project's pragmas (WAL, synchronous=NORMAL, immediate transactions)."""
    path = folder / f"bare-{'-'.join(map(str, transactions))}.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(
        "CREATE TABLE bare (id INTEGER PRIMARY KEY AUTOINCREMENT, "
        "dossier INTEGER, kind TEXT, at TEXT, data TEXT)"
    )
    done, started = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - started) < BASELINE_SECONDS:
        for writes in transactions:
            conn.execute("BEGIN IMMEDIATE")
            for _ in range(writes):
                conn.execute(BARE_SQLITE_INSERT, (done,))
            conn.execute("COMMIT")
        done += 1
    conn.close()
    return done / elapsed


def _bare_rate(tmp: Path, pg_url: str | None, transactions: list[int]) -> float | None:
    return _pgbench_rate(pg_url, transactions) if pg_url else _sqlite_rate(tmp, transactions)


def report_baseline(
    engine: str, tmp: Path, pg_url: str | None, rate: float, calls: list[int]
) -> float | None:
    """The bare rate of the two service calls' transactions (the comparable one, the target's:
    ``calls`` is the writes of each), and of one transaction holding all their writes. A commit a
    service makes beyond its own transaction is its cost: the bare run has none."""
    tool = "pgbench, 1 client" if pg_url else "sqlite3 loop"
    comparable = [writes for writes in calls if writes]
    single = _bare_rate(tmp, pg_url, [sum(comparable)])
    if single is not None:
        benchdb.report(
            "dossiers.reception.bare_single_transaction_tps",
            engine,
            single,
            f"transactions/s ({tool}, {sum(comparable)} inserts in one transaction)",
        )
    bare = _bare_rate(tmp, pg_url, comparable)
    if bare is None:
        return None
    shape = " + ".join(map(str, comparable))
    label = f"{tool}, per dossier {len(comparable)} transactions of {shape} inserts"
    benchdb.report("dossiers.reception.bare_tps", engine, bare, f"dossiers/s ({label})")
    ratio = 100 * rate / bare
    met = "yes" if ratio >= TARGET_RATIO else "no"
    benchdb.report(
        "dossiers.reception.ratio", engine, f"{ratio:.1f}% of bare (target ≥ {TARGET_RATIO:g}%: {met})"
    )
    return bare


def report_replay(
    engine: str, tmp: Path, pg_url: str | None, rate: float, bare: float | None, world: World
) -> None:
    """The same writes the services made for one dossier, replayed bare on the same tables
    (``bench/replay.py``): the database's own price for a reception, and the services' rate as a
    share of it."""
    if world.recorded is None:
        return
    recorded, reference, code = world.recorded
    if pg_url:
        tool = "pgbench, 1 client"
        same = replay.pgbench_rate(pg_url, replay.pgbench_script(recorded, reference, code), BASELINE_SECONDS)
    else:
        tool = "sqlite3 loop"
        same = replay.sqlite_rate(tmp / "bench.sqlite3", recorded, reference, code, BASELINE_SECONDS)
    if same is None:
        return
    from dossiers.models import Dossier

    status = Dossier.objects.get(pk=replay.SENTINEL_ID).status
    count, astray = replay.replayed_dossiers(status)
    if astray or not count:
        raise SystemExit(f"the replay left {astray} of {count} dossiers out of status {status}")
    shape = " + ".join(map(str, recorded.shape))
    label = f"{tool}, the services' own {shape} writes replayed on the same tables"
    benchdb.report("dossiers.reception.same_writes_bare_tps", engine, same, f"dossiers/s ({label})")
    benchdb.report("dossiers.reception.ratio_to_same_writes", engine, f"{100 * rate / same:.1f}%")
    if bare:
        # No application can receive faster than its own writes go in: the ceiling of ``ratio``.
        benchdb.report(
            "dossiers.reception.same_writes_share_of_bare",
            engine,
            f"{100 * same / bare:.1f}% (the highest ratio any code writing these rows could reach)",
        )


# --- lookup --------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_ready(port: int, server: subprocess.Popen[bytes], timeout: float = 30) -> None:
    import http.client

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/v1/lookup/warm-up/")
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer within 30 s")


def _forget_redis_keys(url: str, prefix: str) -> None:
    """The server's keys (the calendar's version key has no expiry) go with the run."""
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)


def _cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) of process ``pid`` and its children so far; None off Linux."""
    tick = os.sysconf("SC_CLK_TCK")
    try:
        pids = [pid, *map(int, Path(f"/proc/{pid}/task/{pid}/children").read_text().split())]
        total = 0
        for one in pids:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
    except (OSError, ValueError):
        return None
    return total / tick


def measure_lookup(engine: str, tmp: Path, codes: list[str], pg_url: str | None) -> None:
    """The lookup on gunicorn as ``make serve`` starts it (``WORKERS`` × ``THREADS``, default
    2 × 8, the README's production figures), driven by ``wrk`` (8 connections) or the Python
    client. Also printed: the server's CPU time per request, a figure other work on the host
    does not inflate the way it inflates the latency."""
    from django.db import connections
    from django.urls import NoReverseMatch, reverse

    try:
        reverse("dossiers_api:lookup", kwargs={"code": codes[0]})
    except NoReverseMatch:
        print("   lookup skipped: the dossier API is not routed (congso/api/urls.py)", flush=True)
        return
    connections.close_all()
    port = _free_port()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")])),
        "BENCH_BASE_SETTINGS": os.environ.get("DJANGO_SETTINGS_MODULE", "congso.settings"),
        "DJANGO_SETTINGS_MODULE": "bench.lookup_settings",
    }
    if pg_url and shutil.which("redis-cli") and "REDIS_URL" not in env:
        env["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
    cache = "Redis" if env.get("REDIS_URL") else "file-based"
    workers, threads = int(os.environ.get("WORKERS", "2")), int(os.environ.get("THREADS", "8"))
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "congso.wsgi:application",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_ready(port, server)
        paths = [f"/api/v1/lookup/{code}/" for code in codes[:500]]
        tool = "wrk" if shutil.which("wrk") else "python"
        load = wrk_load if tool == "wrk" else python_load
        load(port, paths, seconds=3)  # warm: every code read once and cached
        cpu_before = _cpu_seconds(server.pid)
        result = load(port, paths, seconds=LOOKUP_SECONDS)
        cpu_after = _cpu_seconds(server.pid)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        if env.get("REDIS_URL") and "REDIS_URL" not in os.environ:
            _forget_redis_keys(env["REDIS_URL"], env["CACHE_KEY_PREFIX"])
    label = f"gunicorn {workers}×{threads} threads, {tool}, {cache} cache, {LOOKUP_SECONDS} s"
    benchdb.report("dossiers.lookup.requests", engine, f"{result.requests} ({label})")
    benchdb.report("dossiers.lookup.errors", engine, str(result.errors))
    benchdb.report("dossiers.lookup.rps", engine, result.rps, "requests/s")
    benchdb.report("dossiers.lookup.p50_ms", engine, result.p50_ms, "ms")
    benchdb.report("dossiers.lookup.p99_ms", engine, result.p99_ms, "ms")
    if cpu_before is not None and cpu_after is not None and result.requests:
        per_request = (cpu_after - cpu_before) / result.requests * 1e6
        benchdb.report("dossiers.lookup.server_cpu_us_per_request", engine, per_request, "µs")
    benchdb.report(
        "dossiers.lookup.host_loadavg", engine, f"{os.getloadavg()[0]:.1f}", f"(1 min, {os.cpu_count()} CPUs)"
    )
    met = result.rps >= TARGET_RPS and result.p99_ms <= TARGET_P99_MS and result.errors == 0
    benchdb.report(
        "dossiers.lookup.targets_met",
        engine,
        f"{'yes' if met else 'no'} (≥ {TARGET_RPS:g} req/s, p99 ≤ {TARGET_P99_MS:g} ms, no errors)",
    )


# --- lists ---------------------------------------------------------------------------------------


def _pages(world: World) -> list[tuple[str, Any, str, int]]:
    """(name, clerk, path, requests): the list and the queue page as each clerk opens them most,
    ``LIST_REQUESTS`` times; filtered lists and the search page fewer times."""
    from django.urls import NoReverseMatch, reverse

    pages: list[tuple[str, Any, str, int]] = []
    try:
        api = reverse("dossiers_api:dossier-list")
    except NoReverseMatch:
        api = ""
    for who, clerk in (("centre", world.centre_clerk), ("ward", world.ward_clerk)):
        if api:
            pages += [
                (f"api.list.{who}", clerk, api, LIST_REQUESTS),
                (f"api.processing.{who}", clerk, f"{api}?status=processing,4", LIST_REQUESTS // 4),
                (f"api.queue_to_process.{who}", clerk, f"{api}?queue=to_process", LIST_REQUESTS // 4),
            ]
        for name, kwargs, times in (
            ("dossier_queue", {"queue": "can-xu-ly"}, LIST_REQUESTS),
            ("dossier_search", {}, LIST_REQUESTS // 4),
        ):
            with contextlib.suppress(NoReverseMatch):
                path = reverse(f"backoffice:{name}", kwargs=kwargs)
                pages.append((f"backoffice.{name}.{who}", clerk, path, times))
    return pages


def measure_lists(engine: str, world: World) -> None:
    from django.test import Client
    from django.utils import timezone

    from bench.gen_dossiers import generate

    made = generate(LIST_DOSSIERS, now=timezone.now())
    benchdb.report("dossiers.list.generated", engine, f"{made.dossiers} dossiers, {made.steps} steps")
    benchdb.report("dossiers.list.generate_s", engine, made.seconds, "s")
    worst = 0.0
    pages = _pages(world)
    if not pages:
        print("   lists skipped: neither the dossier API nor the back-office queues are routed", flush=True)
        return
    for name, clerk, path, times in pages:
        client = Client()
        client.force_login(clerk)
        for _ in range(5):
            response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"GET {path} as {clerk.username} answered {response.status_code}")
        samples = []
        for _ in range(times):
            started = time.perf_counter()
            client.get(path)
            samples.append((time.perf_counter() - started) * 1000)
        p95 = benchdb.percentile(samples, 95)
        if times == LIST_REQUESTS:  # the pages the target is about
            worst = max(worst, p95)
        count = ""
        if path.startswith("/api/"):
            count = f" ({client.get(path).json()['count']} rows)"
        benchdb.report(f"dossiers.{name}.p50_ms", engine, benchdb.percentile(samples, 50), "ms")
        benchdb.report(f"dossiers.{name}.p95_ms", engine, p95, f"ms over {times} requests{count}")
    met = "yes" if worst <= TARGET_LIST_P95_MS else "no"
    benchdb.report(
        "dossiers.list.targets_met", engine, f"{met} (worst p95 {worst:.1f} ms ≤ {TARGET_LIST_P95_MS:g} ms)"
    )


def _drop_postgres(url: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    name = urlparse(url).path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    tmp, pg_url = _isolate_environment()
    engine = benchdb.setup()
    started = time.perf_counter()
    try:
        world = build_world(tmp)
        benchdb.report("dossiers.setup_s", engine, time.perf_counter() - started, "s")
        rate, calls, codes = measure_reception(engine, world)
        bare = report_baseline(engine, tmp, pg_url, rate, calls)
        report_replay(engine, tmp, pg_url, rate, bare, world)
        measure_lookup(engine, tmp, codes, pg_url)
        measure_lists(engine, world)
        benchdb.report("dossiers.total_s", engine, time.perf_counter() - started, "s")
        benchdb.report(
            "dossiers.host.loadavg", engine, " ".join(f"{x:.1f}" for x in os.getloadavg()), "(1/5/15 min)"
        )
    finally:
        from django.db import connections

        connections.close_all()
        if pg_url:
            _drop_postgres(pg_url)
        if os.environ.get("BENCH_OWN_TMP"):
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
