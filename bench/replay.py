"""The reception's own writes, replayed bare: what the database alone costs.

The reception bench compares the services with a bare insert loop into a table that has only a
primary key. This module answers the other half of the question — how fast can the database take
*the same rows into the same tables* (their indexes, foreign keys, checks, the trigram index on
the search text) with no application in front of it?

:class:`Recorder` records every write statement of one dossier's creation and reception, with its
parameters and the transaction it ran in. The dossier is given a recognisable id
(:data:`SENTINEL_ID`) first, so that the statements that point at it can be re-pointed at a new
dossier on each replay; the dossier's reference and code (unique columns) are replaced with fresh
values. Then:

* PostgreSQL: the statements become a ``pgbench`` script (literal SQL, the new dossier's id read
  back with ``\\gset``), run with one client for a fixed time, as the bare baseline is;
* SQLite: a ``sqlite3`` loop on the bench database file runs them with their parameters.

Reads are not replayed: what a service reads, and how often, is the application's choice.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

SENTINEL_ID = 7_777_777
"""The id the recorded dossier is given, so that statements pointing at it can be found."""

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
_REF = "BENCH_REPLAY_REFERENCE"
_CODE = "BENCH_REPLAY_CODE"


@dataclass
class Recorder:
    """An execute wrapper that keeps the write statements, grouped by transaction (a write
    outside ``atomic`` commits on its own)."""

    transactions: list[list[tuple[str, Any]]] = field(default_factory=list)
    _block: object = None

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        from django.db import connection

        if WRITE.match(sql) and not many:
            block = connection.atomic_blocks[0] if connection.in_atomic_block else None
            if block is None or block is not self._block or not self.transactions:
                self.transactions.append([])
            self._block = block
            self.transactions[-1].append((sql, list(params) if params is not None else None))
        return execute(sql, params, many, context)

    @property
    def shape(self) -> list[int]:
        return [len(statements) for statements in self.transactions]


def give_next_dossier_the_sentinel_id() -> None:
    """The next dossier created gets :data:`SENTINEL_ID`."""
    from django.db import connection

    from dossiers.models import Dossier

    table = Dossier._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, SENTINEL_ID - 1])
        else:
            cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [SENTINEL_ID - 1, table])


def _marked(params: Any, reference: str, code: str) -> Any:
    if params is None:
        return None
    swap = {reference: _REF, code: _CODE}
    return [swap.get(value, value) if isinstance(value, str) else value for value in params]


def pgbench_script(recorded: Recorder, reference: str, code: str) -> str:
    """The recorded writes as a pgbench script: literal SQL, a fresh reference and code per run,
    the new dossier's id read back from its insert (``\\gset``) and used by the statements after."""
    from django.db import connection

    connection.ensure_connection()
    cursor = connection.connection.cursor()  # a client-side binding cursor: it can mogrify
    lines = ["\\set n random(1, 999999999999)"]
    created = False
    for statements in recorded.transactions:
        lines.append("BEGIN;")
        for sql, params in statements:
            text = cursor.mogrify(sql, _marked(params, reference, code))
            text = text.replace(f"'{_REF}'", "('R' || :n)").replace(f"'{_CODE}'", "('C-' || :n)")
            if created:
                text = text.replace(str(SENTINEL_ID), ":d_id")
            text = " ".join(text.split())
            if not created and text.startswith('INSERT INTO "dossiers_dossier" ('):
                created = True
                lines.append(text + " \\gset d_")
            else:
                lines.append(text + ";")
        lines.append("COMMIT;")
    if not created:
        raise RuntimeError("the recorded writes do not create the dossier")
    return "\n".join(lines) + "\n"


def pgbench_rate(url: str, script: str, seconds: int) -> float | None:
    """Runs per second of ``script`` (pgbench, one client, ``seconds``)."""
    pgbench = shutil.which("pgbench")
    if pgbench is None:
        return None
    path = Path(tempfile.mkdtemp(prefix="congso-replay-")) / "replay.sql"
    path.write_text(script, encoding="utf-8")
    parsed = urlparse(url)
    command = [pgbench, "-n", "-c", "1", "-j", "1", "-T", str(seconds), "-f", str(path)]
    command += ["-h", parsed.hostname or "127.0.0.1", "-p", str(parsed.port or 5432)]
    command += ["-U", parsed.username or "postgres", parsed.path.lstrip("/")]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    shutil.rmtree(path.parent, ignore_errors=True)
    found = re.search(r"tps = ([\d.]+) \(without initial connection time\)", result.stdout)
    if result.returncode != 0 or found is None:
        print(f"   replay failed: {(result.stderr or result.stdout).strip()[:400]}", flush=True)
        return None
    return float(found.group(1))


def sqlite_rate(database: Path, recorded: Recorder, reference: str, code: str, seconds: float) -> float:
    """Runs per second of the recorded writes in a ``sqlite3`` loop on the bench database, with
    the project's pragmas (WAL, synchronous=NORMAL, immediate transactions).

    Each statement's cursor is kept until the next statement runs: dropping the cursor of an
    ``INSERT … RETURNING`` whose rows were not all read made the ``UPDATE`` after it change
    nothing (seen with Python 3.11's sqlite3), which a replay must not hide — an update that
    changes no row stops the run."""
    conn = sqlite3.connect(database, isolation_level=None, timeout=30)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    plan = [
        [(sql.replace("%s", "?").replace("%%", "%"), _marked(params, reference, code)) for sql, params in txn]
        for txn in recorded.transactions
    ]
    done, started = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - started) < seconds:
        swap: dict[Any, Any] = {_REF: f"R{done}-{started}", _CODE: f"C-{done}-{started}"}
        for statements in plan:
            conn.execute("BEGIN IMMEDIATE")
            for sql, params in statements:
                values = [swap.get(v, v) if isinstance(v, (str, int)) else v for v in params or []]
                cursor = conn.execute(sql, values)  # kept until the next one: see the docstring
                row = cursor.fetchone() if "RETURNING" in sql else None
                if sql.startswith("UPDATE") and cursor.rowcount < 1:
                    raise RuntimeError(f"the replayed update changed nothing: {sql[:80]}")
                if SENTINEL_ID not in swap:  # the first write creates the dossier
                    last = conn.execute("SELECT last_insert_rowid()").fetchone()
                    swap[SENTINEL_ID] = row[0] if row else last[0]
            conn.execute("COMMIT")
        done += 1
    conn.close()
    return done / elapsed


def replayed_dossiers(status: str) -> tuple[int, int]:
    """(replayed dossiers, those not in ``status`` — the recorded dossier's): a replay that did
    not bring every dossier where the services brought theirs measured less than their work."""
    from django.db.models import Q

    from dossiers.models import Dossier

    replayed = Dossier.objects.filter(Q(reference__startswith="R") & Q(code__startswith="C-"))
    return replayed.count(), replayed.exclude(status=status).count()
