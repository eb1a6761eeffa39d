"""Pre-aggregation of dossier figures: ``DossierDayFact``, one row per competent agency and local day.

Why
    The computed indicators (online dossier rate, on-time rate, online payment rate, digitisation,
    satisfaction …) are ratios of dossier counts over a unit and a period. With ten million dossiers
    a raw scan takes seconds; the day facts hold the same counts per (agency, day), so a quarter of
    the whole province is a SUM over a few thousand rows.

What a row counts (per competent agency, per day in Asia/Ho_Chi_Minh)
    * reception counters, on the day the dossier was received (``received_at``): ``received`` and
      those among them that are ``online``, ``online full-process``, ``digitised``, ``reused``,
      ``reused from the national portal``, ``with fees`` and ``paid online``;
    * resolution counters, on the day the dossier was resolved (``resolved_at``): ``resolved``,
      ``early``, ``on time`` (early included), ``late``, ``result digitised``;
    * rating counters, on the day the rating was given: ``ratings``, ``satisfied``.
    The per-dossier definitions are the expressions of :func:`dossier_flags` (one place).

How it is kept current (``facts_refresh``, every minute on the job worker)
    Every change that can alter a counter adds a row to an append-only table: a dossier's history
    (``DossierEvent``: reception, resolution, rating, payment confirmation …), its files
    (``DossierFile``: components digitised or reused, results), its fee lines (``DossierFee``) and
    the e-receipt issued for every paid payment (``EReceipt``). A ``FactWatermark`` per table holds
    the highest id read. A refresh reads the rows above each watermark, finds the dossiers they
    touch and the (agency, day) buckets those dossiers count in (reception day, resolution day,
    rating day), and RECOMPUTES those buckets exactly from the dossiers with one grouped query per
    counter family; rows are upserted (or deleted when all counters are zero), so replaying a
    refresh changes nothing. Ids commit out of order on PostgreSQL (a long transaction can commit a
    lower id after a higher one was read): when the ids read show a gap, the watermark stays before
    the gap until the gap is older than ``GAP_PATIENCE`` (then it was a rollback), so a late commit
    is still read. ``facts_rebuild`` recomputes a whole date range (management command
    ``rebuild_indicator_facts``); a nightly run of ``facts_reconcile`` rebuilds the last
    ``RECONCILE_DAYS`` days, which also catches the one change that leaves no new row (a fee line
    exempted to zero after reception).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from catalog.models import ComponentRequirement, ProcedureVersion
from dossiers.models import Channel, Dossier, DossierEvent, DossierFile, Rating
from indicators.models import DossierDayFact, FactWatermark
from payments.models import DossierFee, EReceipt, Payment

logger = logging.getLogger(__name__)

TZ = ZoneInfo(settings.TIME_ZONE)
GAP_PATIENCE = dt.timedelta(minutes=3)
"""How long a gap in the ids read is waited for before it is taken for a rolled-back insert."""
RECONCILE_DAYS = 35
BATCH_DAYS = 40
"""Day buckets recomputed per grouped query (each bucket is one OR-ed range condition)."""

RECEPTION = (
    "received",
    "received_online",
    "received_online_full",
    "received_digitised",
    "received_reused",
    "received_reused_national",
    "with_fees",
    "paid_online",
)
RESOLUTION = (
    "resolved",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "resolved_result_digitised",
)
RATING = ("ratings", "ratings_satisfied")
COUNTERS = RECEPTION + RESOLUTION + RATING
SATISFIED_SCORES = (Rating.Score.SATISFIED, Rating.Score.VERY_SATISFIED)
"""Domain §1.10: a rating counts as satisfied when it is "hài lòng" or "rất hài lòng"."""


# --- Per-dossier definitions -----------------------------------------------------------------------


def _digitisation_flags() -> dict[str, Q]:
    """The digitisation flags of a dossier, as boolean SQL over ``Dossier`` (outer ref ``pk``).

    The definitions are those of ``datastore.digitisation.digitisation_flags`` (the digitisation
    counters page counts the same thing): components digitised (every mandatory component has a
    file, whatever its origin), components reused (a component file reused from the data store),
    reused from the national portal (a reused document the store got from the DVCQG), result
    digitised (resolved with a result file). Should the data store app not be installed, the
    same definitions are written here without the national-portal source (counted as 0).
    """
    if apps.is_installed("datastore"):
        from datastore.digitisation import digitisation_flags

        found = digitisation_flags()
        return {
            "digitised": Q(found["components_digitised"]),
            "reused": Q(found["components_reused"]),
            "reused_national": Q(found["reused_from_dvcqg"]),
            "result_digitised": Q(found["result_digitised"]),
        }
    kinds = (DossierFile.Kind.COMPONENT, DossierFile.Kind.SUPPLEMENT)
    has_file = DossierFile.objects.filter(
        dossier_id=OuterRef(OuterRef("pk")), requirement_id=OuterRef("pk"), kind__in=kinds
    )
    missing = ComponentRequirement.objects.filter(
        version_id=OuterRef("procedure_version_id"), is_mandatory=True
    ).filter(~Exists(has_file))
    reused = DossierFile.objects.filter(dossier_id=OuterRef("pk"), kind__in=kinds, origin="reused")
    result = DossierFile.objects.filter(dossier_id=OuterRef("pk"), kind=DossierFile.Kind.RESULT)
    return {
        "digitised": Q(~Exists(missing)),
        "reused": Q(Exists(reused)),
        "reused_national": Q(pk__in=[]),
        "result_digitised": Q(resolved_at__isnull=False) & Q(Exists(result)),
    }


def dossier_flags() -> dict[str, Q]:
    """Every per-dossier definition the counters use, as boolean SQL over ``Dossier``.

    * online: submitted online (``channel`` online);
    * online_full: online, and its procedure version is offered full-process online;
    * with_fees: it has a fee line with an amount above zero (an exempted line does not count);
    * paid_online: it has a payment made online that is paid;
    * early: resolved before its due time (``resolved_at`` < ``due_at``, as
      ``dossiers.services.results.dossier_resolve`` flags it);
    * on_time: resolved and not ``finished_late`` (early included; ``finished_late`` is set when
      the result is recorded after the due time);
    * late: ``finished_late``;
    * the digitisation flags of :func:`_digitisation_flags`.
    """
    flags = {
        "online": Q(channel=Channel.ONLINE),
        "online_full": Q(
            channel=Channel.ONLINE, procedure_version__service_level=ProcedureVersion.ServiceLevel.FULL_ONLINE
        ),
        "with_fees": Q(Exists(DossierFee.objects.filter(dossier=OuterRef("pk"), amount__gt=0))),
        "paid_online": Q(
            Exists(
                Payment.objects.filter(
                    dossier=OuterRef("pk"), method=Payment.Method.ONLINE, status=Payment.Status.PAID
                )
            )
        ),
        "early": Q(due_at__isnull=False, resolved_at__lt=models.F("due_at")),
        "on_time": ~Q(finished_late=True),
        "late": Q(finished_late=True),
    }
    flags.update(_digitisation_flags())
    return flags


@dataclass(frozen=True)
class Counter:
    """How one fact field is counted: over which rows, attributed to which instant, which filter."""

    field: str
    family: str  # "reception" | "resolution" | "rating"
    flag: str | None  # a key of dossier_flags(), None for all


COUNTER_DEFS: dict[str, Counter] = {
    "received": Counter("received", "reception", None),
    "received_online": Counter("received_online", "reception", "online"),
    "received_online_full": Counter("received_online_full", "reception", "online_full"),
    "received_digitised": Counter("received_digitised", "reception", "digitised"),
    "received_reused": Counter("received_reused", "reception", "reused"),
    "received_reused_national": Counter("received_reused_national", "reception", "reused_national"),
    "with_fees": Counter("with_fees", "reception", "with_fees"),
    "paid_online": Counter("paid_online", "reception", "paid_online"),
    "resolved": Counter("resolved", "resolution", None),
    "resolved_early": Counter("resolved_early", "resolution", "early"),
    "resolved_on_time": Counter("resolved_on_time", "resolution", "on_time"),
    "resolved_late": Counter("resolved_late", "resolution", "late"),
    "resolved_result_digitised": Counter("resolved_result_digitised", "resolution", "result_digitised"),
    "ratings": Counter("ratings", "rating", None),
    "ratings_satisfied": Counter("ratings_satisfied", "rating", "satisfied"),
}
_INSTANT = {"reception": "received_at", "resolution": "resolved_at", "rating": "rating__rated_at"}


def day_start(day: dt.date) -> dt.datetime:
    """The first instant of a local day."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=TZ)


def local_day(instant: dt.datetime) -> dt.date:
    return instant.astimezone(TZ).date()


def counter_dossiers(
    field: str, *, start: dt.date, end: dt.date, agency_ids: Iterable[int] | None
) -> models.QuerySet[Dossier]:
    """The dossiers one counter counts for ``agency_ids`` (None: all) from ``start`` to ``end``
    (local days, both included): the rows behind a figure (drill-down)."""
    counter = COUNTER_DEFS[field]
    instant = _INSTANT[counter.family]
    queryset = Dossier.objects.filter(
        **{f"{instant}__gte": day_start(start), f"{instant}__lt": day_start(end + dt.timedelta(days=1))}
    )
    if agency_ids is not None:
        queryset = queryset.filter(competent_agency_id__in=list(agency_ids))
    if counter.flag == "satisfied":
        queryset = queryset.filter(rating__score__in=SATISFIED_SCORES)
    elif counter.flag is not None:
        queryset = queryset.filter(dossier_flags()[counter.flag])
    return queryset


# --- Computing buckets -----------------------------------------------------------------------------

Bucket = tuple[int, dt.date]


def _range_condition(instant: str, agency_field: str, buckets_by_day: Mapping[dt.date, set[int]]) -> Q:
    condition = Q(pk__in=[])
    for day, agencies in buckets_by_day.items():
        condition |= Q(
            **{
                f"{instant}__gte": day_start(day),
                f"{instant}__lt": day_start(day + dt.timedelta(days=1)),
                f"{agency_field}__in": sorted(agencies),
            }
        )
    return condition


def _family_counts(family: str, condition: Q) -> dict[Bucket, dict[str, int]]:
    """Counters of one family grouped by (competent agency, local day) for the rows in ``condition``."""
    flags = dossier_flags()
    fields = {"reception": RECEPTION, "resolution": RESOLUTION}.get(family, ())
    out: dict[Bucket, dict[str, int]] = {}
    if family == "rating":
        rows: Any = (
            Rating.objects.filter(condition)
            .annotate(day=TruncDate("rated_at", tzinfo=TZ))
            .values("dossier__competent_agency_id", "day")
            .annotate(
                ratings=Count("pk"),
                ratings_satisfied=Count("pk", filter=Q(score__in=SATISFIED_SCORES)),
            )
            .order_by()
        )
        for row in rows:
            out[(row["dossier__competent_agency_id"], row["day"])] = {
                "ratings": row["ratings"],
                "ratings_satisfied": row["ratings_satisfied"],
            }
        return out
    instant = _INSTANT[family]
    aggregates: dict[str, Count] = {}
    for name in fields:
        flag = COUNTER_DEFS[name].flag
        aggregates[name] = Count("pk") if flag is None else Count("pk", filter=flags[flag])
    rows = (
        Dossier.objects.filter(condition)
        .annotate(day=TruncDate(instant, tzinfo=TZ))
        .values("competent_agency_id", "day")
        .annotate(**aggregates)
        .order_by()
    )
    for row in rows:
        out[(row["competent_agency_id"], row["day"])] = {name: row[name] for name in fields}
    return out


def _compute_buckets(buckets: set[Bucket]) -> dict[Bucket, dict[str, int]]:
    """Exact counters of ``buckets`` from the raw rows (absent bucket: all zero)."""
    result: dict[Bucket, dict[str, int]] = {}
    by_day: dict[dt.date, set[int]] = defaultdict(set)
    for agency_id, day in buckets:
        by_day[day].add(agency_id)
    days = sorted(by_day)
    for offset in range(0, len(days), BATCH_DAYS):
        chunk = {day: by_day[day] for day in days[offset : offset + BATCH_DAYS]}
        parts = (
            _family_counts("reception", _range_condition("received_at", "competent_agency_id", chunk)),
            _family_counts("resolution", _range_condition("resolved_at", "competent_agency_id", chunk)),
            _family_counts("rating", _range_condition("rated_at", "dossier__competent_agency_id", chunk)),
        )
        for part in parts:
            for bucket, counts in part.items():
                if bucket in buckets:
                    result.setdefault(bucket, {}).update(counts)
    return result


def _compute_range(start: dt.date, end: dt.date) -> dict[Bucket, dict[str, int]]:
    """Exact counters of every bucket from ``start`` to ``end`` (local days, both included)."""
    lo, hi = day_start(start), day_start(end + dt.timedelta(days=1))
    result: dict[Bucket, dict[str, int]] = {}
    parts = (
        _family_counts("reception", Q(received_at__gte=lo, received_at__lt=hi)),
        _family_counts("resolution", Q(resolved_at__gte=lo, resolved_at__lt=hi)),
        _family_counts("rating", Q(rated_at__gte=lo, rated_at__lt=hi)),
    )
    for part in parts:
        for bucket, counts in part.items():
            result.setdefault(bucket, {}).update(counts)
    return result


def _stored(buckets: Iterable[Bucket]) -> dict[Bucket, tuple[int, ...]]:
    """The counters stored now for ``buckets`` (absent buckets left out)."""
    by_day: dict[dt.date, set[int]] = defaultdict(set)
    for agency_id, day in buckets:
        by_day[day].add(agency_id)
    stored: dict[Bucket, tuple[int, ...]] = {}
    days = sorted(by_day)
    for offset in range(0, len(days), BATCH_DAYS):
        condition = Q(pk__in=[])
        for day in days[offset : offset + BATCH_DAYS]:
            condition |= Q(day=day, agency_id__in=sorted(by_day[day]))
        for row in DossierDayFact.objects.filter(condition).values("agency_id", "day", *COUNTERS):
            stored[(row["agency_id"], row["day"])] = tuple(row[name] for name in COUNTERS)
    return stored


def _write(
    computed: Mapping[Bucket, Mapping[str, int]],
    *,
    clear: Iterable[Bucket] = (),
    now: dt.datetime,
    compare: bool = False,
) -> int:
    """Upsert the computed buckets and delete the ``clear`` buckets that came out empty; with
    ``compare``, only the buckets whose counters differ from the stored ones. Returns how many
    buckets were written or deleted."""
    clear = list(clear)
    stored = _stored([*computed, *clear]) if compare else {}
    rows = []
    for (agency_id, day), counts in computed.items():
        values = tuple(int(counts.get(name, 0)) for name in COUNTERS)
        if any(values) and (not compare or stored.get((agency_id, day)) != values):
            rows.append(
                DossierDayFact(
                    agency_id=agency_id, day=day, refreshed_at=now, **dict(zip(COUNTERS, values, strict=True))
                )
            )
    empty = [
        bucket
        for bucket in clear
        if not any(computed.get(bucket, {}).values()) and (not compare or bucket in stored)
    ]
    by_day: dict[dt.date, list[int]] = defaultdict(list)
    for agency_id, day in empty:
        by_day[day].append(agency_id)
    for day, agencies in by_day.items():
        DossierDayFact.objects.filter(day=day, agency_id__in=agencies).delete()
    for offset in range(0, len(rows), 2000):
        DossierDayFact.objects.bulk_create(
            rows[offset : offset + 2000],
            update_conflicts=True,
            unique_fields=["agency", "day"],
            update_fields=[*COUNTERS, "refreshed_at"],
        )
    return len(rows) + len(empty)


# --- Watermarks ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """An append-only table whose new rows mark changed dossiers."""

    name: str
    model: type[models.Model]
    dossier_field: str


SOURCES = (
    Source("dossier_event", DossierEvent, "dossier_id"),
    Source("dossier_file", DossierFile, "dossier_id"),
    Source("dossier_fee", DossierFee, "dossier_id"),
    Source("payment_receipt", EReceipt, "dossier_id"),
)


def _next_watermark(
    mark: FactWatermark, ids: list[int], *, now: dt.datetime
) -> tuple[int, dt.datetime | None]:
    """Where the watermark goes after reading ``ids`` (sorted, all above ``mark.last_id``).

    Up to the first gap in the ids; if a gap has lasted ``GAP_PATIENCE`` (``last_at`` records when
    the watermark was first held), past it: the missing id was rolled back, not late.
    """
    if not ids:
        return mark.last_id, None
    expected = mark.last_id + 1
    for value in ids:
        if value != expected:
            held_since = mark.last_at or now
            if now - held_since >= GAP_PATIENCE:
                return ids[-1], None
            return expected - 1, held_since
        expected = value + 1
    return ids[-1], None


def _touched_dossiers(
    marks: dict[str, FactWatermark], *, now: dt.datetime
) -> tuple[set[int], dict[str, Any]]:
    touched: set[int] = set()
    advance: dict[str, Any] = {}
    for source in SOURCES:
        mark = marks[source.name]
        rows = list(
            source.model._default_manager.filter(pk__gt=mark.last_id)
            .order_by("pk")
            .values_list("pk", source.dossier_field)
        )
        touched.update(dossier_id for _pk, dossier_id in rows)
        advance[source.name] = _next_watermark(mark, [pk for pk, _d in rows], now=now)
    return touched, advance


def _watermarks(*, lock: bool) -> dict[str, FactWatermark]:
    for source in SOURCES:
        FactWatermark.objects.get_or_create(source=source.name)
    queryset = FactWatermark.objects.filter(source__in=[s.name for s in SOURCES])
    if lock:
        queryset = queryset.select_for_update()
    return {mark.source: mark for mark in queryset}


def _buckets_of(dossier_ids: set[int]) -> set[Bucket]:
    buckets: set[Bucket] = set()
    ids = sorted(dossier_ids)
    for offset in range(0, len(ids), 5000):
        rows = Dossier.objects.filter(pk__in=ids[offset : offset + 5000]).values_list(
            "competent_agency_id", "received_at", "resolved_at", "rating__rated_at"
        )
        for agency_id, received_at, resolved_at, rated_at in rows:
            for instant in (received_at, resolved_at, rated_at):
                if instant is not None:
                    buckets.add((agency_id, local_day(instant)))
    return buckets


# --- Entry points ----------------------------------------------------------------------------------


def facts_refresh(*, now: dt.datetime | None = None) -> int:
    """Recompute the (agency, day) buckets touched since the watermarks; returns how many buckets
    changed (written or cleared). Idempotent: a replay reads the same rows, finds the same counts
    and writes nothing."""
    at = now or timezone.now()
    with transaction.atomic():
        marks = _watermarks(lock=True)
        touched, advance = _touched_dossiers(marks, now=at)
        buckets = _buckets_of(touched)
        written = _write(_compute_buckets(buckets), clear=buckets, now=at, compare=True) if buckets else 0
        for name, (last_id, held_since) in advance.items():
            mark = marks[name]
            mark.last_id = last_id
            mark.last_at = held_since
            mark.refreshed_at = at
            mark.save(update_fields=["last_id", "last_at", "refreshed_at"])
        if written:
            transaction.on_commit(figures_cache_bump)
    return written


def facts_rebuild(
    *, start: dt.date | None = None, end: dt.date | None = None, now: dt.datetime | None = None
) -> int:
    """Recompute every bucket from ``start`` to ``end`` (local days; default: all the data), a month
    per transaction. Without bounds the watermarks are also moved to the ids present when the
    rebuild started, so the next refresh reads only what came after. Returns the rows written."""
    at = now or timezone.now()
    full = start is None and end is None
    heads = {
        source.name: source.model._default_manager.aggregate(m=models.Max("pk"))["m"] or 0
        for source in SOURCES
    }
    first, last = start, end
    if first is None or last is None:
        bounds = [
            Dossier.objects.aggregate(lo=models.Min("received_at"), hi=models.Max("received_at")),
            Dossier.objects.aggregate(lo=models.Min("resolved_at"), hi=models.Max("resolved_at")),
            Rating.objects.aggregate(lo=models.Min("rated_at"), hi=models.Max("rated_at")),
        ]
        lows = [local_day(b["lo"]) for b in bounds if b["lo"] is not None]
        highs = [local_day(b["hi"]) for b in bounds if b["hi"] is not None]
        first = first or (min(lows) if lows else timezone.localdate())
        last = last or (max(highs) if highs else timezone.localdate())
    written = 0
    month_start = first
    while month_start <= last:
        following = (month_start.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        month_end = min(last, following - dt.timedelta(days=1))
        with transaction.atomic():
            DossierDayFact.objects.filter(day__gte=month_start, day__lte=month_end).delete()
            written += _write(_compute_range(month_start, month_end), now=at)
        month_start = following
    if full:
        with transaction.atomic():
            DossierDayFact.objects.filter(Q(day__lt=first) | Q(day__gt=last)).delete()
            marks = _watermarks(lock=True)
            for name, head in heads.items():
                mark = marks[name]
                mark.last_id, mark.last_at, mark.refreshed_at = head, None, at
                mark.save(update_fields=["last_id", "last_at", "refreshed_at"])
    figures_cache_bump()
    return written


def facts_reconcile(*, days: int = RECONCILE_DAYS, now: dt.datetime | None = None) -> int:
    """Rebuild the last ``days`` days (the nightly safety net; see the module docstring)."""
    today = local_day(now or timezone.now())
    return facts_rebuild(start=today - dt.timedelta(days=days), end=today, now=now)


def facts_freshness() -> dt.datetime | None:
    """When the facts were last refreshed (the oldest watermark's refresh time)."""
    times = list(
        FactWatermark.objects.filter(source__in=[s.name for s in SOURCES]).values_list(
            "refreshed_at", flat=True
        )
    )
    if not times or any(t is None for t in times):
        return None
    return min(t for t in times if t is not None)


def figures_cache_bump() -> None:
    """Invalidate every cached figure (facts refreshed, a report approved, a target set)."""
    from indicators.selectors import figures_cache_bump as bump

    bump()
