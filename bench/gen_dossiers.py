"""Bulk dossiers for the list and queue benchmarks: a province's year, 100,000 dossiers, in seconds.

This is data generation, not a change of state through the application: the rows (dossiers and
their processing steps) are written with raw SQL — ``COPY`` on PostgreSQL, one ``executemany``
transaction on SQLite — so that the benchmark measures reads over a realistic table, not the
time it takes to build it. The application's own writes are measured by
``bench_dossiers.measure_reception`` through the services. The lint that keeps status writes in
``dossiers/transitions.py`` looks for updates of a dossier's status; these are inserts of rows
that never existed.

Shape: a year of dossiers spread over the province's desks (the provincial centre takes a third),
each under a procedure of the demo catalogue and decided by its competent agency (the commune of
the desk for commune-level procedures); statuses as a province sees them (most returned, some in
progress, a few refused, withdrawn, waiting); a code for every received dossier, and the steps of
the procedure's workflow with the current one started.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

STATUS_WEIGHTS = {
    "returned": 58,
    "resolved": 5,
    "processing": 15,
    "received": 3,
    "submitted": 4,
    "supplement_requested": 3,
    "awaiting_payment": 1,
    "not_accepted": 2,
    "withdrawn": 2,
    "stopped": 2,
    "draft": 5,
}
RECEIVED_STATUSES = {"received", "processing", "awaiting_payment", "resolved", "returned", "stopped"}
NAMES = ("Nông Văn", "Hoàng Thị", "Lương Văn", "Vi Thị", "Lục Văn", "Chu Thị", "Hà Văn", "Lành Thị")
GIVEN = ("An", "Bình", "Cường", "Dung", "Hải", "Hoa", "Lan", "Minh", "Nga", "Quang", "Thu", "Tú")


@dataclass(frozen=True)
class Generated:
    dossiers: int
    steps: int
    seconds: float
    by_desk: Counter[int]


def _rows_columns(model: Any) -> list[Any]:
    return list(model._meta.concrete_fields)


def _sqlite_value(value: Any) -> Any:
    """What Django's SQLite backend stores for ``value`` (naive UTC text for instants)."""
    if isinstance(value, dt.datetime):
        return str(value.astimezone(dt.UTC).replace(tzinfo=None))
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bool):
        return int(value)
    return value


def _write(model: Any, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (attname → Python value) into ``model``'s table with raw SQL."""
    from django.db import connection

    fields = _rows_columns(model)
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg 3: COPY adapts Python values itself
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([row[f.attname] for f in fields])
        else:
            marks = ", ".join(["%s"] * len(fields))
            values = [[_sqlite_value(row[f.attname]) for f in fields] for row in rows]
            # Table and column names come from the model, never from input.
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", values)  # noqa: S608


def _reset_sequences(*models: Any) -> None:
    from django.core.management.color import no_style
    from django.db import connection

    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def generate(count: int, *, now: dt.datetime, seed: int = 7) -> Generated:
    """Write ``count`` dossiers received over the year before ``now`` and their steps."""
    import time

    from django.db import connection, transaction

    from agencies.models import Agency
    from catalog.models import ProcedureVersion, WorkflowStep
    from catalog.search.text import fold
    from dossiers.models import Dossier, DossierStep

    started = time.perf_counter()
    rng = random.Random(seed)
    current = Agency.objects.current()
    centre = current.get(kind=Agency.Kind.SERVICE_CENTER)
    desks = list(current.filter(kind=Agency.Kind.ONE_STOP_DESK).order_by("pk"))
    desk_weights = [1 / (rank + 1) for rank in range(len(desks))]  # a few busy wards, many quiet ones
    versions = list(
        ProcedureVersion.objects.in_force()
        .filter(workflow__isnull=False)
        .distinct()
        .select_related("procedure")
    )
    province_versions = [v for v in versions if v.level == ProcedureVersion.Level.PROVINCE]
    commune_versions = [v for v in versions if v.level == ProcedureVersion.Level.COMMUNE]
    workflows: dict[int, list[WorkflowStep]] = {}
    for step in WorkflowStep.objects.filter(version__in=versions).order_by("order"):
        workflows.setdefault(step.version_id, []).append(step)
    statuses, weights = zip(*STATUS_WEIGHTS.items(), strict=True)
    first_id = (Dossier.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    year = 365 * 24 * 3600
    sequence: Counter[tuple[int, dt.date]] = Counter()
    by_desk: Counter[int] = Counter()
    dossiers: list[dict[str, Any]] = []
    steps: list[dict[str, Any]] = []
    for offset in range(count):
        pk = first_id + offset
        at_centre = rng.random() < 0.35
        desk = centre if at_centre else rng.choices(desks, desk_weights)[0]
        if at_centre or not commune_versions:
            version = rng.choice(province_versions)
            competent_id = version.competent_agency_id
        else:
            version = rng.choice(commune_versions)
            competent_id = desk.parent_id
        status = rng.choices(statuses, weights)[0]
        created = now - dt.timedelta(seconds=rng.randint(2 * 86400, year))  # before the live codes of today
        received = (
            created + dt.timedelta(minutes=rng.randint(5, 600)) if status in RECEIVED_STATUSES else None
        )
        limit = dt.timedelta(days=float(version.processing_time) * 1.4 + 1)
        due = received + limit if received else None
        resolved = (
            received + limit * rng.uniform(0.3, 1.2)
            if received and status in {"resolved", "returned"}
            else None
        )
        returned = (
            resolved + dt.timedelta(hours=rng.randint(1, 72)) if resolved and status == "returned" else None
        )
        closed = returned or (
            created + dt.timedelta(days=2) if status in {"not_accepted", "withdrawn", "stopped"} else None
        )
        online = rng.random() < 0.55 or status in {"draft", "submitted"}
        code = None
        if received is not None:
            day = received.date()
            sequence[(desk.pk, day)] += 1
            code = f"{desk.qcvn_code}-{day:%y%m%d}-{sequence[(desk.pk, day)]:04d}"
        by_desk[desk.pk] += 1
        applicant_name = f"{rng.choice(NAMES)} {rng.choice(GIVEN)}"
        national_id = f"020{rng.randint(0, 3)}{rng.randint(0, 99999999):08d}"
        phone = f"09{rng.randint(10000000, 99999999)}"
        reference = f"B{pk:011X}"
        found_by = (
            code or "",
            reference,
            applicant_name,
            national_id,
            phone,
            version.name,
            version.procedure.code,
        )
        dossiers.append(
            {
                "id": pk,
                "code": code,
                "reference": reference,
                "procedure_version_id": version.pk,
                "channel": "online" if online else rng.choice(("counter", "counter", "post")),
                "status": status,
                "lock_version": 6 if received else 1,
                "applicant_id": None,
                "applicant_name": applicant_name,
                "applicant_national_id": national_id,
                "applicant_phone": phone,
                "applicant_email": "",
                "applicant_address": "Lạng Sơn",
                "organization_name": "",
                "organization_tax_code": "",
                "submitted_by_id": None,
                "idempotency_key": None,
                "receiving_agency_id": None if status == "draft" else desk.pk,
                "competent_agency_id": competent_id,
                "sets": 1,
                "notes": "",
                "created_at": created,
                "submitted_at": None if status == "draft" else created,
                "received_at": received,
                "clock_started_at": received,
                "due_at": due,
                "original_due_at": due,
                "transferred_at": received + dt.timedelta(minutes=30) if received else None,
                "resolved_at": resolved,
                "returned_at": returned,
                "closed_at": closed,
                "paused_since": None,
                "apology_count": 0,
                "finished_late": (resolved > due) if resolved and due else None,
                "result_summary": "Đã giải quyết." if resolved else "",
                "search_text": fold(" ".join(part for part in found_by if part)),
            }
        )
        if received is None:
            continue
        flow = workflows[version.pk]
        done = len(flow) if status == "returned" else (1 if status == "received" else len(flow) - 1)
        if status in {"processing", "awaiting_payment"}:
            done = rng.randint(1, max(1, len(flow) - 2))
        at = received
        for index, step in enumerate(flow):
            agency_id = desk.pk if step.actor == WorkflowStep.Actor.RECEIVING_DESK else competent_id
            budget = Decimal(step.budget_hours)
            # The step after the last finished one has started, except for a dossier still waiting
            # at the desk to be transferred.
            begun = at if index < done or (index == done and status != "received") else None
            finished = (
                at + dt.timedelta(hours=float(budget) * rng.uniform(0.4, 1.3)) if index < done else None
            )
            steps.append(
                {
                    "id": None,
                    "dossier_id": pk,
                    "order": step.order,
                    "name": step.name,
                    "agency_id": agency_id,
                    "role": step.role,
                    "is_inter_agency": False,
                    "assignee_id": None,
                    "budget_hours": budget,
                    "started_at": begun,
                    "due_at": begun + dt.timedelta(hours=float(budget) * 1.5) if begun else None,
                    "finished_at": finished,
                    "handed_over_by_id": None,
                    "received_by_id": None,
                    "outcome": "",
                    "timeliness": (
                        "early" if finished <= begun + dt.timedelta(hours=float(budget)) else "late"
                    )
                    if finished and begun
                    else "",
                }
            )
            at = finished or at
    first_step = (DossierStep.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    for number, row in enumerate(steps):
        row["id"] = first_step + number
    with transaction.atomic():
        _write(Dossier, dossiers)
        _write(DossierStep, steps)
        _reset_sequences(Dossier, DossierStep)
    if connection.vendor == "postgresql":
        # What autovacuum would do by itself after such a load (statistics, and the visibility map
        # index-only scans need; PostgreSQL ≥ 13 vacuums after inserts too). Not on SQLite: the application
        # never runs ANALYZE there, and its statistics, blind to how many steps are unfinished
        # (``finished_at IS NULL``), send the planner to the wrong indexes.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
    return Generated(len(dossiers), len(steps), time.perf_counter() - started, by_desk)
