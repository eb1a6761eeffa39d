"""Millions of dossiers for the indicators benchmark, generated inside PostgreSQL.

At ten million dossiers a Python loop that builds rows is the bottleneck (≈ 50 µs a row is more
than eight minutes before the first byte reaches the server), so the rows are made by the
server itself: ``INSERT … SELECT`` over ``generate_series`` with ``random()`` after
``setseed()`` (one backend, no parallel workers, so a seed gives the same rows every time),
chunk by chunk. Secondary indexes and constraints of the six tables written are dropped first
and rebuilt at the end from their own definitions (``pg_get_constraintdef`` / ``pg_indexes``),
as any bulk load into PostgreSQL does; the schema afterwards is exactly the migrated one.

This is data generation, not a change of state through the application: the status lint
(``dossiers/tests/test_single_transition_point.py``) looks for updates of a dossier's status;
these are inserts of rows that never existed. The application's writes are measured elsewhere
(``bench_dossiers.measure_reception``; the freshness step of ``bench_indicators``).

What the rows look like (``years`` of activity before ``now``, 3 by default):

* received over the period at the provincial service centre (35 %) or at the one-stop desks of
  the communes (a few busy wards, many quiet communes); province-level procedures at the centre
  (and 8 % of those received at a commune desk), commune-level ones decided by the desk's commune;
  before a unit existed (communes from 01/7/2025, departments merged on 01/3/2025) the dossier
  belongs to the unit of the time — a district, or the department's predecessor — so history
  keeps the units as they were;
* statuses by age: old dossiers are finished (returned, a few refused, withdrawn, stopped,
  abandoned drafts), the last weeks look like a live province (processing, waiting for a
  supplement or a payment …);
* the online share grows over the years and differs by unit (counter-only procedures are never
  online); resolution time is drawn against the time limit with a lateness that differs by
  unit (early, on time, late; an apology for half of the late ones);
* component files for every mandatory component of the version (online: uploaded by the
  applicant; at the counter: scanned at the desk for a share that grows over the years, else no
  file), 12 % of them with one component reused from the data store; a result file for 80 % of
  the resolved dossiers;
* one fee line for dossiers of procedures with a fee (3 % exempted), a paid payment for each
  non-exempted fee, online for a share that grows over the years (mostly online dossiers);
* a satisfaction rating for 35 % of the returned dossiers (very satisfied 55 %, satisfied 38 %,
  not satisfied 7 %).

No processing steps, events or e-receipts are written: the indicators read the dossier, its
files, fees, payments and rating, and ten million dossiers with their steps would be sixty
million more rows for nothing the benchmark measures.

    python manage.py gen_bench_dossiers --count 1000000     # PostgreSQL only
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

CHUNK = 500_000
DESK_SLOTS = 1000
CENTRE_SHARE = 0.35
PROVINCE_AT_COMMUNE_SHARE = 0.08
RECENT_DAYS = 45
NAMES = ("Nông Văn", "Hoàng Thị", "Lương Văn", "Vi Thị", "Lục Văn", "Chu Thị", "Hà Văn", "Lành Thị")
GIVEN = ("An", "Bình", "Cường", "Dung", "Hải", "Hoa", "Lan", "Minh", "Nga", "Quang", "Thu", "Tú")
# Cumulative thresholds (0–1) of the statuses of dossiers older than RECENT_DAYS, and of recent ones
# (the shape of bench/gen_dossiers.py's STATUS_WEIGHTS).
OLD_STATUSES = (
    ("returned", 0.870),
    ("resolved", 0.890),
    ("not_accepted", 0.920),
    ("withdrawn", 0.945),
    ("stopped", 0.965),
    ("draft", 1.000),
)
RECENT_STATUSES = (
    ("returned", 0.58),
    ("resolved", 0.63),
    ("processing", 0.78),
    ("received", 0.81),
    ("submitted", 0.85),
    ("supplement_requested", 0.88),
    ("awaiting_payment", 0.89),
    ("not_accepted", 0.91),
    ("withdrawn", 0.93),
    ("stopped", 0.95),
    ("draft", 1.00),
)
RECEIVED = ("received", "processing", "awaiting_payment", "resolved", "returned", "stopped")

Progress = Callable[[str], None]


@dataclass
class Generated:
    dossiers: int = 0
    files: int = 0
    fees: int = 0
    payments: int = 0
    ratings: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


def _status_case(column: str, table: tuple[tuple[str, float], ...]) -> str:
    branches = " ".join(f"WHEN {column} < {limit} THEN '{name}'" for name, limit in table[:-1])
    return f"CASE {branches} ELSE '{table[-1][0]}' END"


# --- the lookup tables the generating query joins ------------------------------------------------


def _lookups(cursor: Any) -> dict[str, Any]:
    """Desks, procedure versions, mandatory components, fees and the units of earlier times, as
    temporary tables; returns the parameters the chunk query needs."""
    from agencies.models import Agency
    from catalog.models import ComponentRequirement, Fee, ProcedureVersion

    current = Agency.objects.current()
    centre = current.get(kind=Agency.Kind.SERVICE_CENTER)
    desks = list(current.filter(kind=Agency.Kind.ONE_STOP_DESK).order_by("pk"))
    if not desks:
        raise SystemExit("gen_bench_dossiers: no one-stop desks (load_agencies first)")
    versions = list(
        ProcedureVersion.objects.in_force().filter(workflow__isnull=False).distinct().order_by("pk")
    )
    by_level = {
        level: [v for v in versions if v.level == level]
        for level in (ProcedureVersion.Level.PROVINCE, ProcedureVersion.Level.COMMUNE)
    }
    if not all(by_level.values()):
        raise SystemExit("gen_bench_dossiers: the catalogue needs province and commune procedures")
    cursor.execute("DROP TABLE IF EXISTS g_desk, g_version, g_requirement, g_era")

    # Desk slots: a few busy wards, many quiet communes (weight 1/(rank+1)).
    weights = [1 / (rank + 1) for rank in range(len(desks))]
    total = sum(weights)
    slots: list[int] = []
    for index, weight in enumerate(weights, start=1):
        slots.extend([index] * max(1, round(weight / total * DESK_SLOTS)))
    slots = (slots + [len(desks)] * DESK_SLOTS)[:DESK_SLOTS]

    cursor.execute("CREATE TEMP TABLE g_desk (idx int PRIMARY KEY, desk_id int, commune_id int, qcvn text)")
    rows: list[tuple[Any, ...]] = [(0, centre.pk, None, centre.qcvn_code)] + [
        (index, desk.pk, desk.parent_id, desk.qcvn_code) for index, desk in enumerate(desks, start=1)
    ]
    cursor.executemany("INSERT INTO g_desk VALUES (%s, %s, %s, %s)", rows)

    cursor.execute(
        "CREATE TEMP TABLE g_version (level text, idx int, version_id int, competent_id int, "
        "online_ok boolean, limit_days float8, fee_id int, fee_kind text, fee_name text, fee_basis text, "
        "counter_amount bigint, online_amount bigint, PRIMARY KEY (level, idx))"
    )
    fees: dict[int, Fee] = {}
    for fee_row in Fee.objects.filter(version__in=versions).order_by("version_id", "pk"):
        fees.setdefault(fee_row.version_id, fee_row)
    rows = []
    for level, items in by_level.items():
        for index, version in enumerate(items):
            fee = fees.get(version.pk)
            rows.append(
                (
                    level,
                    index,
                    version.pk,
                    version.competent_agency_id,
                    version.is_online,
                    float(version.processing_hours) / 8 * 1.4 + 1,
                    fee.pk if fee else None,
                    fee.kind if fee else None,
                    fee.name if fee else None,
                    fee.legal_basis if fee else None,
                    fee.counter_amount if fee else None,
                    (fee.online_amount if fee.online_amount is not None else fee.counter_amount)
                    if fee
                    else None,
                )
            )
    cursor.executemany("INSERT INTO g_version VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)", rows)

    cursor.execute("CREATE TEMP TABLE g_requirement (version_id int, requirement_id int, n int)")
    rows = []
    numbering: dict[int, int] = {}
    for requirement in ComponentRequirement.objects.filter(version__in=versions, is_mandatory=True).order_by(
        "version_id", "order", "pk"
    ):
        numbering[requirement.version_id] = numbering.get(requirement.version_id, 0) + 1
        rows.append((requirement.version_id, requirement.pk, numbering[requirement.version_id]))
    cursor.executemany("INSERT INTO g_requirement VALUES (%s, %s, %s)", rows)
    cursor.execute("CREATE INDEX ON g_requirement (version_id)")

    # The unit of earlier times: a department's predecessor before a merger; for a commune (and its
    # desk) that did not exist before 01/7/2025, one of the districts of the time.
    cursor.execute(
        "CREATE TEMP TABLE g_era (agency_id int PRIMARY KEY, switch_at timestamptz, before_id int)"
    )
    districts = list(Agency.objects.filter(kind=Agency.Kind.DISTRICT).order_by("pk"))
    era: dict[int, tuple[dt.datetime, int]] = {}
    competent_ids = {v.competent_agency_id for v in versions} | {d.parent_id for d in desks if d.parent_id}
    people = Agency.objects.filter(pk__in=competent_ids | {d.pk for d in desks}).prefetch_related(
        "predecessors"
    )
    parents = {d.pk: d.parent_id for d in desks}
    for agency in people.order_by("pk"):
        switch = dt.datetime.combine(agency.valid_from, dt.time(), tzinfo=dt.UTC) - dt.timedelta(hours=7)
        predecessors = sorted(agency.predecessors.all(), key=lambda a: a.pk)
        if predecessors:
            era[agency.pk] = (switch, predecessors[agency.pk % len(predecessors)].pk)
        elif districts and agency.valid_from > dt.date(2019, 1, 1):
            commune = parents.get(agency.pk) or agency.pk
            era[agency.pk] = (switch, districts[commune % len(districts)].pk)
    cursor.executemany(
        "INSERT INTO g_era VALUES (%s, %s, %s)", [(pk, at, before) for pk, (at, before) in era.items()]
    )
    cursor.execute("ANALYZE g_desk; ANALYZE g_version; ANALYZE g_requirement; ANALYZE g_era")
    return {
        "desk_slots": slots,
        "n_province": len(by_level[ProcedureVersion.Level.PROVINCE]),
        "n_commune": len(by_level[ProcedureVersion.Level.COMMUNE]),
    }


# --- one chunk ------------------------------------------------------------------------------------

# Only constants of this module are formatted in; every value is a bound parameter.
CHUNK_SQL = f"""
CREATE TEMP TABLE g_chunk AS
WITH r AS (
    SELECT g AS id, random() AS u_centre, random() AS u_desk, random() AS u_ver, random() AS u_prov,
           random() AS u_age, random() AS u_status, random() AS u_recv, random() AS u_online,
           random() AS u_post, random() AS u_speed, random() AS u_ret, random() AS u_digit,
           random() AS u_reuse, random() AS u_result, random() AS u_exempt, random() AS u_pay,
           random() AS u_rate, random() AS u_score, random() AS u_rated, random() AS u_name
    FROM generate_series(%(lo)s::bigint, %(hi)s::bigint) AS g
), placed AS (
    SELECT r.*,
           %(now)s::timestamptz - make_interval(secs => 172800 + r.u_age * %(span)s) AS created,
           r.u_age AS age_fraction,
           r.u_centre < {CENTRE_SHARE} AS at_centre
    FROM r
), picked AS (
    SELECT p.*, dk.desk_id, dk.commune_id, dk.qcvn, v.version_id, v.online_ok, v.limit_days, v.fee_id,
           v.fee_kind, v.fee_name, v.fee_basis, v.counter_amount, v.online_amount,
           CASE WHEN v.level = 'province' THEN v.competent_id ELSE dk.commune_id END AS competent_now
    FROM placed p
    JOIN g_desk dk ON dk.idx = CASE WHEN p.at_centre THEN 0
                                    ELSE (%(desk_slots)s::int[])[1 + floor(p.u_desk * {DESK_SLOTS})::int] END
    JOIN g_version v
      ON v.level = CASE WHEN p.at_centre OR p.u_prov < {PROVINCE_AT_COMMUNE_SHARE} THEN 'province'
                        ELSE 'commune' END
     AND v.idx = CASE WHEN p.at_centre OR p.u_prov < {PROVINCE_AT_COMMUNE_SHARE}
                      THEN floor(p.u_ver * %(n_province)s)::int ELSE floor(p.u_ver * %(n_commune)s)::int END
), era AS (
    SELECT k.*,
           CASE WHEN ec.switch_at IS NOT NULL AND k.created < ec.switch_at THEN ec.before_id
                ELSE k.competent_now END AS competent_id,
           CASE WHEN ed.switch_at IS NOT NULL AND k.created < ed.switch_at THEN ed.before_id
                ELSE k.desk_id END AS receiving_id,
           CASE WHEN k.created < %(now)s::timestamptz - interval '{RECENT_DAYS} days'
                THEN {_status_case("k.u_status", OLD_STATUSES)}
                ELSE {_status_case("k.u_status", RECENT_STATUSES)} END AS drawn_status
    FROM picked k
    LEFT JOIN g_era ec ON ec.agency_id = k.competent_now
    LEFT JOIN g_era ed ON ed.agency_id = k.desk_id
), timed AS (
    SELECT e.*,
           -- lateness differs by unit: 0 to 12 %% of the limit beyond it at worst
           make_interval(secs => e.limit_days * 86400) AS limit_span,
           0.2 + e.u_speed * (0.82 + ((e.competent_id * 104729) %% 13) / 100.0) AS speed,
           CASE WHEN e.drawn_status IN {RECEIVED}
                THEN e.created + make_interval(mins => 5 + floor(e.u_recv * 595)::int) END AS received_at
    FROM era e
), shaped AS (
    SELECT t.*,
           t.received_at + t.limit_span AS due_at,
           CASE WHEN t.drawn_status IN ('resolved', 'returned')
                THEN t.received_at + t.limit_span * t.speed END AS resolved_calc
    FROM timed t
), final AS (
    SELECT s.*,
           CASE WHEN s.resolved_calc > %(now)s::timestamptz - interval '2 hours' THEN 'processing'
                ELSE s.drawn_status END AS status
    FROM shaped s
)
SELECT f.id, f.created, f.receiving_id, f.competent_id, f.version_id, f.qcvn, f.status, f.received_at,
       f.due_at, f.u_name, f.u_post, f.u_ret, f.u_reuse, f.u_result, f.u_exempt, f.u_pay, f.u_rate, f.u_score,
       f.u_rated, f.fee_id, f.fee_kind, f.fee_name, f.fee_basis,
       CASE WHEN f.status IN ('resolved', 'returned') THEN f.resolved_calc END AS resolved_at,
       CASE WHEN f.status = 'returned'
            THEN f.resolved_calc + make_interval(hours => 1 + floor(f.u_ret * 71)::int) END AS returned_at,
       -- online share: grows over the years, ± 20 points by unit; counter-only procedures never
       f.online_ok AND (
           f.status IN ('draft', 'submitted')
           OR f.u_online < greatest(0.05, least(0.95,
                0.30 + 0.35 * (1 - f.age_fraction) + (((f.competent_id * 7919) %% 41) - 20) / 100.0))
       ) AS online,
       -- counter dossiers scanned at the desk: a share growing over the years
       f.u_digit < 0.55 + 0.40 * (1 - f.age_fraction) AS scanned,
       f.age_fraction, f.counter_amount, f.online_amount
FROM final f
"""  # noqa: S608


def _insert(cursor: Any, model: Any, given: dict[str, str], source: str, params: dict[str, Any]) -> int:
    """``INSERT INTO <model> (…) SELECT … <source>``: the columns in ``given`` (attname → SQL with
    named parameters), then a bound default for every other NOT NULL column (so that a field added
    by a later migration does not break the generator); nullable ones are left NULL."""
    from django.db import connection

    columns: list[str] = []
    expressions: list[str] = []
    bound = dict(params)
    for f in model._meta.concrete_fields:
        if f.attname in given:
            expression = given[f.attname]
        elif f.primary_key or f.null:
            continue
        elif f.has_default():
            expression = f"%(default_{f.attname})s"
            bound[f"default_{f.attname}"] = f.get_db_prep_save(f.get_default(), connection)
        else:
            raise SystemExit(
                f"gen_bench_dossiers: {model.__name__}.{f.attname} is required and has no value here"
            )
        columns.append(connection.ops.quote_name(f.column))
        expressions.append(expression)
    table = connection.ops.quote_name(model._meta.db_table)
    # Table and column names come from the models, never from input; values are bound.
    sql = f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(expressions)} {source}"
    cursor.execute(sql, bound)
    return int(cursor.rowcount)


def _write_chunk(cursor: Any, now: dt.datetime) -> tuple[int, int, int, int, int]:
    """The rows of the chunk in ``g_chunk``: dossiers, files, fee lines, payments, ratings."""
    from dossiers.models import Dossier, DossierFile, Rating
    from payments.models import DossierFee, Payment

    params: dict[str, Any] = {"names": list(NAMES), "given": list(GIVEN), "now": now}
    received = f"c.status IN {RECEIVED}"
    local = "AT TIME ZONE 'Asia/Ho_Chi_Minh'"
    dossiers = _insert(
        cursor,
        Dossier,
        {
            "id": "c.id",
            "code": f"CASE WHEN {received} THEN c.qcvn || '-' || to_char(c.received_at {local}, 'YYMMDD') "
            "|| '-' || lpad(c.id::text, 8, '0') END",
            "reference": "'X' || lpad(upper(to_hex(c.id)), 11, '0')",
            "procedure_version_id": "c.version_id",
            "channel": "CASE WHEN c.online THEN 'online' WHEN c.u_post < 0.15 THEN 'post' ELSE 'counter' END",
            "status": "c.status",
            "lock_version": f"CASE WHEN {received} THEN 6 ELSE 1 END",
            "applicant_name": f"(%(names)s::text[])[1 + floor(c.u_name * {len(NAMES)})::int] || ' ' || "
            f"(%(given)s::text[])[1 + floor(c.u_name * {len(NAMES) * len(GIVEN)})::int %% {len(GIVEN)}]",
            "applicant_national_id": "'020' || lpad((floor(c.u_name * 1e9))::bigint::text, 9, '0')",
            "applicant_phone": "'09' || lpad(((c.id * 7919) %% 100000000)::text, 8, '0')",
            "applicant_email": "''",
            "applicant_address": "'Lạng Sơn'",
            "organization_name": "''",
            "organization_tax_code": "''",
            "receiving_agency_id": "CASE WHEN c.status = 'draft' THEN NULL ELSE c.receiving_id END",
            "competent_agency_id": "c.competent_id",
            "sets": "1",
            "notes": "''",
            "created_at": "c.created",
            "submitted_at": "CASE WHEN c.status = 'draft' THEN NULL ELSE c.created END",
            "received_at": "c.received_at",
            "clock_started_at": "c.received_at",
            "due_at": "c.due_at",
            "original_due_at": "c.due_at",
            "transferred_at": "c.received_at + interval '30 minutes'",
            "resolved_at": "c.resolved_at",
            "returned_at": "c.returned_at",
            "closed_at": "COALESCE(c.returned_at, CASE WHEN c.status IN ('not_accepted', 'withdrawn', "
            "'stopped') THEN c.created + interval '2 days' END)",
            "apology_count": "CASE WHEN c.resolved_at > c.due_at AND c.u_ret < 0.5 THEN 1 ELSE 0 END",
            "finished_late": "CASE WHEN c.resolved_at IS NOT NULL THEN c.resolved_at > c.due_at END",
            "result_summary": "CASE WHEN c.resolved_at IS NOT NULL THEN 'Đã giải quyết.' ELSE '' END",
        },
        "FROM g_chunk c",
        params,
    )
    path = "'bench/' || c.id || '/'"
    files = _insert(
        cursor,
        DossierFile,
        {
            "dossier_id": "c.id",
            "kind": "'component'",
            "requirement_id": "q.requirement_id",
            "origin": "CASE WHEN q.n = 1 AND c.u_reuse < 0.12 THEN 'reused' "
            "WHEN c.online THEN 'uploaded' ELSE 'digitised' END",
            "file": f"{path} || q.n || '.pdf'",
            "name": "'thanh-phan-' || q.n || '.pdf'",
            "content_type": "'application/pdf'",
            "size": "120000 + (c.id %% 900000)",
            "sha256": "md5(c.id::text || '-' || q.n) || md5(q.n::text || '-' || c.id)",
            "uploaded_at": "c.created + interval '3 minutes'",
        },
        f"FROM g_chunk c JOIN g_requirement q ON q.version_id = c.version_id "
        f"WHERE {received} AND (c.online OR c.scanned)",
        params,
    )
    files += _insert(
        cursor,
        DossierFile,
        {
            "dossier_id": "c.id",
            "kind": "'result'",
            "origin": "'uploaded'",
            "file": f"{path} || 'ket-qua.pdf'",
            "name": "'ket-qua.pdf'",
            "content_type": "'application/pdf'",
            "size": "200000 + (c.id %% 500000)",
            "sha256": "md5(c.id::text || '-kq') || md5('kq-' || c.id)",
            "uploaded_at": "c.resolved_at",
        },
        "FROM g_chunk c WHERE c.resolved_at IS NOT NULL AND c.u_result < 0.8",
        params,
    )
    amount = "CASE WHEN c.online THEN c.online_amount ELSE c.counter_amount END"
    with_fee = f"c.fee_id IS NOT NULL AND {received}"
    fees = _insert(
        cursor,
        DossierFee,
        {
            "id": "c.id",
            "dossier_id": "c.id",
            "fee_id": "c.fee_id",
            "kind": "c.fee_kind",
            "name": "c.fee_name",
            "legal_basis": "left(c.fee_basis, 500)",
            "base_amount": amount,
            "amount": f"CASE WHEN c.u_exempt < 0.03 THEN 0 ELSE {amount} END",
            "exemption_reason": "CASE WHEN c.u_exempt < 0.03 THEN 'Đối tượng được miễn theo quy định' "
            "ELSE '' END",
            "created_at": "c.received_at",
        },
        f"FROM g_chunk c WHERE {with_fee}",
        params,
    )
    # Paid online: most online dossiers, a few counter ones, a share growing over the years.
    online = "(c.u_pay < CASE WHEN c.online THEN 0.30 + 0.55 * (1 - c.age_fraction) ELSE 0.04 END)"
    paid = f"FROM g_chunk c WHERE {with_fee} AND c.u_exempt >= 0.03 AND {amount} > 0"
    payments = _insert(
        cursor,
        Payment,
        {
            "id": "c.id",
            "dossier_id": "c.id",
            "amount": amount,
            "method": f"CASE WHEN {online} THEN 'online' ELSE 'counter' END",
            "status": "'paid'",
            "gateway": f"CASE WHEN {online} THEN 'vnpay' ELSE '' END",
            "txn_ref": f"CASE WHEN {online} THEN 'BENCH' || c.id END",
            "gateway_transaction_no": f"CASE WHEN {online} THEN (14000000 + c.id)::text ELSE '' END",
            "bank_code": f"CASE WHEN {online} THEN 'NCB' ELSE '' END",
            "gateway_response_code": f"CASE WHEN {online} THEN '00' ELSE '' END",
            "payer_name": "'Người nộp hồ sơ'",
            "note": "''",
            "created_at": "c.received_at + interval '20 minutes'",
            "paid_at": "c.received_at + interval '25 minutes'",
            "closed_at": "c.received_at + interval '25 minutes'",
        },
        paid,
        params,
    )
    through: Any = Payment._meta.get_field("fees").remote_field.through
    _insert(cursor, through, {"payment_id": "c.id", "dossierfee_id": "c.id"}, paid, params)
    ratings = _insert(
        cursor,
        Rating,
        {
            "dossier_id": "c.id",
            "score": "CASE WHEN c.u_score < 0.55 THEN 3 WHEN c.u_score < 0.93 THEN 2 ELSE 1 END",
            "comment": "''",
            "source": "CASE WHEN c.online THEN 'online' ELSE 'counter_device' END",
            "rated_at": "least(c.returned_at + make_interval(hours => 1 + floor(c.u_rated * 47)::int), "
            "%(now)s::timestamptz)",
        },
        "FROM g_chunk c WHERE c.status = 'returned' AND c.u_rate < 0.35",
        params,
    )
    return dossiers, files, fees, payments, ratings


# --- bulk-load housekeeping -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Dropped:
    table: str
    name: str
    definition: str
    is_constraint: bool


def _bulk_tables() -> list[str]:
    from dossiers.models import Dossier, DossierFile, Rating
    from payments.models import DossierFee, Payment

    through: Any = Payment._meta.get_field("fees").remote_field.through
    return [m._meta.db_table for m in (Dossier, DossierFile, DossierFee, Payment, through, Rating)]


def _drop_secondary(cursor: Any, tables: list[str]) -> list[_Dropped]:
    """Drop the constraints (except primary keys) and secondary indexes of ``tables``; return what
    is needed to create them again."""
    dropped: list[_Dropped] = []
    for table in tables:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype <> 'p' ORDER BY contype DESC, conname",
            [table],
        )
        for name, definition in cursor.fetchall():
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
            dropped.append(_Dropped(table, name, definition, True))
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s AND i.schemaname = "
            "current_schema() AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = "
            "(quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)",
            [table],
        )
        for name, definition in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')
            dropped.append(_Dropped(table, name, definition, False))
    return dropped


def _restore_secondary(cursor: Any, dropped: list[_Dropped], progress: Progress) -> None:
    """Indexes first (unique ones included), then the constraints (their checks read the table
    once each, with the indexes there to help)."""
    for item in [d for d in dropped if not d.is_constraint] + [d for d in dropped if d.is_constraint]:
        started = time.perf_counter()
        if item.is_constraint:
            cursor.execute(f'ALTER TABLE "{item.table}" ADD CONSTRAINT "{item.name}" {item.definition}')
        else:
            cursor.execute(item.definition)
        progress(f"  {item.table}.{item.name}: {time.perf_counter() - started:.1f} s")


def _session(cursor: Any) -> None:
    cursor.execute("SET synchronous_commit = off")
    cursor.execute("SET work_mem = '256MB'")
    cursor.execute("SET maintenance_work_mem = '1GB'")


def _chunk_seed(seed: int, number: int) -> float:
    """A seed in [-1, 1] for chunk ``number``: each chunk is the same whichever worker writes it."""
    return ((seed * 1_000_003 + number * 7_919) % 2_000_000) / 1_000_000 - 1


def _worker(
    chunks: list[tuple[int, int, int]], *, now: dt.datetime, years: float, seed: int, done: Any
) -> None:
    """Write ``chunks`` (number, first id, last id) on this thread's own connection."""
    from django.db import connection, transaction

    try:
        with connection.cursor() as cursor:
            _session(cursor)
            lookups = _lookups(cursor)
            for number, lo, hi in chunks:
                with transaction.atomic():
                    cursor.execute("SELECT setseed(%s)", [_chunk_seed(seed, number)])
                    params = {"lo": lo, "hi": hi, "now": now, "span": years * 365.25 * 86400, **lookups}
                    cursor.execute(CHUNK_SQL, params)
                    written = _write_chunk(cursor, now)
                    cursor.execute("DROP TABLE g_chunk")
                done(written)
    finally:
        connection.close()


def generate(
    *,
    count: int,
    now: dt.datetime,
    years: float = 3,
    seed: int = 42,
    chunk: int = CHUNK,
    workers: int = 2,
    progress: Progress = print,
) -> Generated:
    """Write ``count`` dossiers created over the ``years`` before ``now`` (and their files, fees,
    payments and ratings) into the database of ``django.db.connection`` (PostgreSQL), ``workers``
    connections writing chunks side by side."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from django.core.management.color import no_style
    from django.db import connection

    from dossiers.models import Dossier, DossierFile, Rating
    from payments.models import DossierFee, Payment

    if connection.vendor != "postgresql":
        raise SystemExit("gen_bench_dossiers: PostgreSQL only (DATABASE_URL=postgres://…)")
    result = Generated()
    tables = _bulk_tables()
    lock = threading.Lock()
    with connection.cursor() as cursor:
        _session(cursor)
        started = time.perf_counter()
        cursor.execute("SELECT COALESCE(max(id), 0) + 1 FROM dossiers_dossier")
        first = int(cursor.fetchone()[0])
        dropped = _drop_secondary(cursor, tables)
        result.seconds["prepare"] = time.perf_counter() - started
        try:
            started = time.perf_counter()

            def done(written: tuple[int, int, int, int, int]) -> None:
                with lock:
                    result.dossiers += written[0]
                    result.files += written[1]
                    result.fees += written[2]
                    result.payments += written[3]
                    result.ratings += written[4]
                    progress(
                        f"  {result.dossiers:,} dossiers ({result.files:,} files, {result.payments:,} "
                        f"payments, {result.ratings:,} ratings) in {time.perf_counter() - started:.0f} s"
                    )

            last = first + count - 1
            chunks = [
                (number, lo, min(lo + chunk - 1, last))
                for number, lo in enumerate(range(first, last + 1, chunk))
            ]
            workers = max(1, min(workers, len(chunks)))
            with ThreadPoolExecutor(max_workers=workers) as pool:
                futures = [
                    pool.submit(_worker, chunks[n::workers], now=now, years=years, seed=seed, done=done)
                    for n in range(workers)
                ]
                for future in futures:
                    future.result()
            result.seconds["rows"] = time.perf_counter() - started
        finally:
            started = time.perf_counter()
            progress("  rebuilding indexes and constraints …")
            _restore_secondary(cursor, dropped, progress)
            result.seconds["indexes"] = time.perf_counter() - started
        for statement in connection.ops.sequence_reset_sql(
            no_style(), [Dossier, DossierFile, DossierFee, Payment, Rating]
        ):
            cursor.execute(statement)
        started = time.perf_counter()
        for table in tables:
            cursor.execute(f'VACUUM (ANALYZE) "{table}"')
        result.seconds["vacuum_analyze"] = time.perf_counter() - started
        cursor.execute("RESET ALL")
    return result
