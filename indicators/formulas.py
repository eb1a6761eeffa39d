"""The formulas of the computed indicators: ``Indicator.computation`` → how congso computes it.

Two kinds:

* :class:`FactFormula`: a ratio (or a count) of dossier counters summed over the unit's agencies and
  the period's days in the day facts (``indicators.facts``). Numerator and denominator are summed
  first and divided at the end, so a province figure is Σ numerators ÷ Σ denominators over its
  units — a true weighted ratio, never an average of percentages.
* :class:`SpecialFormula`: a figure that is not a sum of day counts — the dossiers overdue now (a
  live, indexed count), the tasks overdue (``directives.selectors``), and the catalogue figures
  (procedures offered full-process online …) read from the procedure versions in force.

Each formula's docstring (``doc``) is the text shown beside the indicator's own ``formula`` field;
``tests/test_formulas.py`` checks each one on hand-made data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from catalog.models import ComponentRequirement, Fee, ProcedureVersion
from dossiers.models import Dossier
from dossiers.selectors import IN_PROGRESS
from indicators.facts import day_start
from indicators.models import Period

K = TypeVar("K")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class FactFormula:
    """value = Σ numerator fields ÷ Σ denominator fields × scale (a count when no denominator)."""

    key: str
    numerator: tuple[str, ...]
    denominator: tuple[str, ...] | None
    doc: str
    scale: Decimal = HUNDRED


@dataclass(frozen=True)
class SpecialContext:
    """What a special formula needs: the period, the clock, and the kind of every agency."""

    period: Period
    now: dt.datetime
    agency_kinds: Mapping[int, str]

    @property
    def is_current(self) -> bool:
        """The period has not ended yet: "now" figures are live."""
        return timezone.localdate(self.now) <= self.period.end

    @property
    def as_of(self) -> dt.datetime:
        """The instant the figure describes: now for a running period, else the period's end."""
        end = day_start(self.period.end + dt.timedelta(days=1))
        return min(self.now, end)


Groups = Mapping[Any, frozenset[int] | None]
"""Keyed sets of agency ids (None: the whole province) to compute a figure for."""
Result = dict[Any, tuple[Decimal | None, Decimal | None]]


@dataclass(frozen=True)
class SpecialFormula:
    key: str
    doc: str
    compute: Callable[[SpecialContext, Groups], Result]
    scale: Decimal | None = None  # None: a count (value = numerator)
    drilldown: Callable[[SpecialContext, frozenset[int] | None, str], QuerySet[Dossier]] | None = None


# --- Fact-based formulas -----------------------------------------------------------------------------

FACT_FORMULAS: dict[str, FactFormula] = {
    f.key: f
    for f in (
        FactFormula(
            "dossiers_online_rate",
            ("received_online",),
            ("received",),
            "Số hồ sơ tiếp nhận trực tuyến ÷ tổng số hồ sơ tiếp nhận trong kỳ × 100%.",
        ),
        FactFormula(
            "dossiers_online_full_rate",
            ("received_online_full",),
            ("received",),
            "Số hồ sơ tiếp nhận trực tuyến của thủ tục cung cấp dịch vụ công trực tuyến toàn trình ÷ "
            "tổng số hồ sơ tiếp nhận trong kỳ × 100%.",
        ),
        FactFormula(
            "dossiers_on_time_rate",
            ("resolved_on_time",),
            ("resolved",),
            "Số hồ sơ giải quyết trước hạn và đúng hạn ÷ tổng số hồ sơ đã giải quyết trong kỳ × 100%.",
        ),
        FactFormula(
            "dossiers_early_rate",
            ("resolved_early",),
            ("resolved",),
            "Số hồ sơ giải quyết trước hạn ÷ tổng số hồ sơ đã giải quyết trong kỳ × 100%.",
        ),
        FactFormula(
            "dossiers_late_rate",
            ("resolved_late",),
            ("resolved",),
            "Số hồ sơ giải quyết quá hạn ÷ tổng số hồ sơ đã giải quyết trong kỳ × 100%.",
        ),
        FactFormula(
            "payments_online_rate",
            ("paid_online",),
            ("with_fees",),
            "Số hồ sơ có phí, lệ phí đã thanh toán trực tuyến ÷ số hồ sơ tiếp nhận trong kỳ phải nộp "
            "phí, lệ phí (khoản thu lớn hơn 0 đồng) × 100%.",
        ),
        FactFormula(
            "dossiers_digitised_rate",
            ("received_digitised",),
            ("received",),
            "Số hồ sơ tiếp nhận có đủ thành phần hồ sơ bắt buộc ở dạng điện tử (nộp trực tuyến, số hóa "
            "tại một cửa hoặc tái sử dụng) ÷ tổng số hồ sơ tiếp nhận trong kỳ × 100%.",
        ),
        FactFormula(
            "dossiers_reused_rate",
            ("received_reused",),
            ("received",),
            "Số hồ sơ tiếp nhận có tái sử dụng dữ liệu đã số hóa ÷ tổng số hồ sơ tiếp nhận × 100%.",
        ),
        FactFormula(
            "results_digitised_rate",
            ("resolved_result_digitised",),
            ("resolved",),
            "Số hồ sơ đã giải quyết có kết quả điện tử ÷ tổng số hồ sơ đã giải quyết trong kỳ × 100%.",
        ),
        FactFormula(
            "satisfaction_rate",
            ("ratings_satisfied",),
            ("ratings",),
            "Số lượt đánh giá “hài lòng” và “rất hài lòng” ÷ tổng số lượt đánh giá trong kỳ × 100%.",
        ),
        FactFormula(
            "dossiers_received",
            ("received",),
            None,
            "Tổng số hồ sơ được tiếp nhận trong kỳ (theo ngày tiếp nhận).",
            Decimal(1),
        ),
        FactFormula(
            "dossiers_resolved",
            ("resolved",),
            None,
            "Tổng số hồ sơ đã có kết quả giải quyết trong kỳ (theo ngày có kết quả).",
            Decimal(1),
        ),
    )
}


# --- Special formulas -----------------------------------------------------------------------------


def _by_group(counts: Mapping[int, int], groups: Groups) -> Result:
    out: Result = {}
    for key, ids in groups.items():
        total = sum(n for agency_id, n in counts.items() if ids is None or agency_id in ids)
        out[key] = (Decimal(total), None)
    return out


def overdue_dossiers_queryset(ctx: SpecialContext, agency_ids: frozenset[int] | None) -> QuerySet[Dossier]:
    """Dossiers overdue at ``ctx.as_of``.

    For a running period this is the live list the back office shows (status received, processing
    or awaiting payment, due time passed: ``dossiers.selectors.queue_overdue``), read through the
    (status, due_at) index. For a closed period it is reconstructed as of the period's end from the
    dossier's instants: received, due time passed, not yet resolved nor closed then (a supplement
    pause in progress at that instant is not known, so it is counted).
    """
    if ctx.is_current:
        queryset = Dossier.objects.filter(status__in=IN_PROGRESS, due_at__lt=ctx.now)
    else:
        at = ctx.as_of
        queryset = Dossier.objects.filter(received_at__lte=at, due_at__lt=at).filter(
            Q(resolved_at__isnull=True) | Q(resolved_at__gt=at),
            Q(closed_at__isnull=True) | Q(closed_at__gt=at),
        )
    if agency_ids is not None:
        queryset = queryset.filter(competent_agency_id__in=sorted(agency_ids))
    return queryset


PAST_OVERDUE_CACHE_SECONDS = 6 * 3600


def _overdue_counts(ctx: SpecialContext) -> dict[int, int]:
    rows = (
        overdue_dossiers_queryset(ctx, None).values("competent_agency_id").annotate(n=Count("pk")).order_by()
    )
    return {row["competent_agency_id"]: row["n"] for row in rows}


def _overdue_dossiers(ctx: SpecialContext, groups: Groups) -> Result:
    if ctx.is_current:
        counts = _overdue_counts(ctx)
    else:
        # Reconstructing a past instant scans every dossier due before it; the answer does not
        # change as time goes on (a dossier resolved later was still open then), so it is kept for
        # hours, whatever the figures' cache version.
        key = f"indicators:overdue-as-of:{ctx.as_of.isoformat()}"
        counts = cache.get(key)
        if counts is None:
            counts = _overdue_counts(ctx)
            cache.set(key, counts, PAST_OVERDUE_CACHE_SECONDS)
    return _by_group(counts, groups)


def _overdue_dossiers_drilldown(
    ctx: SpecialContext, agency_ids: frozenset[int] | None, part: str
) -> QuerySet[Dossier]:
    if part != "numerator":
        return Dossier.objects.none()
    return overdue_dossiers_queryset(ctx, agency_ids)


def _overdue_tasks(ctx: SpecialContext, groups: Groups) -> Result:
    from directives.models import Task
    from directives.selectors import overdue_task_count

    on = timezone.localdate(ctx.now) if ctx.is_current else ctx.period.end + dt.timedelta(days=1)
    if all(ids is None for ids in groups.values()):
        total = Decimal(overdue_task_count(agency=None, on=on))
        return dict.fromkeys(groups, (total, None))
    rows = Task.objects.overdue_on(on).values("lead_agency_id").annotate(n=Count("pk")).order_by()
    return _by_group({row["lead_agency_id"]: row["n"] for row in rows}, groups)


@dataclass(frozen=True)
class _Version:
    competent_agency_id: int | None
    level: str
    service_level: str
    paper_only: bool
    has_fees: bool


def _versions_in_force(ctx: SpecialContext) -> list[_Version]:
    paper_only = ComponentRequirement.objects.filter(
        version=OuterRef("pk"), is_mandatory=True, paper_only=True
    )
    fees = Fee.objects.filter(version=OuterRef("pk"), counter_amount__gt=0)
    rows = (
        ProcedureVersion.objects.in_force_on(min(ctx.period.end, timezone.localdate(ctx.now)))
        .annotate(paper_only=Exists(paper_only), has_fees=Exists(fees))
        .values_list("competent_agency_id", "level", "service_level", "paper_only", "has_fees")
    )
    return [_Version(*row) for row in rows]


def _applies(version: _Version, ids: frozenset[int] | None, kinds: Mapping[int, str]) -> bool:
    """A version counts for a unit when its competent agency is in the unit; a commune-level version
    without a named agency is offered by every commune."""
    if ids is None:
        return True
    if version.competent_agency_id is not None:
        return version.competent_agency_id in ids
    return version.level == ProcedureVersion.Level.COMMUNE and any(
        kinds.get(agency_id) == "commune" for agency_id in ids
    )


def _catalogue(
    numerator: Callable[[_Version], bool], denominator: Callable[[_Version], bool] | None
) -> Callable[[SpecialContext, Groups], Result]:
    def compute(ctx: SpecialContext, groups: Groups) -> Result:
        versions = _versions_in_force(ctx)
        out: Result = {}
        for key, ids in groups.items():
            mine = [v for v in versions if _applies(v, ids, ctx.agency_kinds)]
            num = Decimal(sum(1 for v in mine if numerator(v)))
            den = None if denominator is None else Decimal(sum(1 for v in mine if denominator(v)))
            out[key] = (num, den)
        return out

    return compute


def _full(v: _Version) -> bool:
    return v.service_level == ProcedureVersion.ServiceLevel.FULL_ONLINE


def _partial(v: _Version) -> bool:
    return v.service_level == ProcedureVersion.ServiceLevel.PARTIAL_ONLINE


def _eligible(v: _Version) -> bool:
    return not v.paper_only


SPECIAL_FORMULAS: dict[str, SpecialFormula] = {
    f.key: f
    for f in (
        SpecialFormula(
            "dossiers_overdue",
            "Số hồ sơ đang giải quyết đã quá hạn hẹn trả kết quả: tại thời điểm xem với kỳ đang diễn "
            "ra; tại ngày cuối kỳ với kỳ đã qua.",
            _overdue_dossiers,
            drilldown=_overdue_dossiers_drilldown,
        ),
        SpecialFormula(
            "tasks_overdue",
            "Số nhiệm vụ được giao chưa hoàn thành đã quá thời hạn (đơn vị chủ trì), tại thời điểm xem "
            "hoặc ngày cuối kỳ.",
            _overdue_tasks,
        ),
        SpecialFormula(
            "procedures_full_online_rate",
            "Số thủ tục hành chính đang có hiệu lực được cung cấp dịch vụ công trực tuyến toàn trình ÷ "
            "số thủ tục đủ điều kiện (không có thành phần bắt buộc chỉ nộp bản giấy) × 100%.",
            _catalogue(lambda v: _eligible(v) and _full(v), _eligible),
            scale=HUNDRED,
        ),
        SpecialFormula(
            "procedures_online_rate",
            "Số thủ tục hành chính đang có hiệu lực được cung cấp dịch vụ công trực tuyến (toàn trình "
            "hoặc một phần) ÷ tổng số thủ tục đang có hiệu lực × 100%.",
            _catalogue(lambda v: _full(v) or _partial(v), lambda v: True),
            scale=HUNDRED,
        ),
        SpecialFormula(
            "procedures_online_payment_rate",
            "Số thủ tục có phí, lệ phí được cung cấp trực tuyến (thanh toán được trực tuyến) ÷ số thủ "
            "tục có phí, lệ phí đang có hiệu lực × 100%.",
            _catalogue(lambda v: v.has_fees and (_full(v) or _partial(v)), lambda v: v.has_fees),
            scale=HUNDRED,
        ),
        SpecialFormula(
            "services_full_online",
            "Số dịch vụ công trực tuyến toàn trình đang cung cấp (phiên bản thủ tục đang có hiệu lực).",
            _catalogue(_full, None),
        ),
        SpecialFormula(
            "services_partial_online",
            "Số dịch vụ công trực tuyến một phần đang cung cấp (phiên bản thủ tục đang có hiệu lực).",
            _catalogue(_partial, None),
        ),
    )
}

FORMULA_KEYS = frozenset(FACT_FORMULAS) | frozenset(SPECIAL_FORMULAS)


def formula_doc(key: str) -> str:
    """The documented text of a computation key (empty for an unknown key)."""
    found = FACT_FORMULAS.get(key) or SPECIAL_FORMULAS.get(key)
    return found.doc if found is not None else ""


def ratio(numerator: Decimal | None, denominator: Decimal | None, scale: Decimal | None) -> Decimal | None:
    """numerator ÷ denominator × scale; a count when ``scale`` or ``denominator`` is None; None
    when the denominator is zero (no dossier: no rate, rather than 0%)."""
    if numerator is None:
        return None
    if scale is None or denominator is None:
        return numerator
    if denominator == 0:
        return None
    return numerator * scale / denominator
