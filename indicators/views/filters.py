"""The filters of the operations centre's pages and exports: the period (its kind, then which one)
and the unit, read from the query string, checked against what the person may see.

``?period=2026-Q1&unit=12`` — the period by its key (2026-M07, 2026-Q3, 2026-H1, 2026-9M, 2026),
or ``?kind=month`` for the latest closed period of a kind; no unit means the whole province.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency
from congso.access import AnyUser
from indicators.models import Period, Periodicity
from indicators.periods import period_from_key, period_last_closed
from indicators.permissions import visible_unit_ids
from indicators.selectors import units

DEFAULT_KIND = Periodicity.QUARTER
UNIT_KINDS = (Agency.Kind.COMMUNE, Agency.Kind.DEPARTMENT)


@dataclass(frozen=True)
class PeriodOption:
    key: str
    label: str
    in_progress: bool


def _option(kind: str, year: int, number: int, today: dt.date) -> PeriodOption:
    # An unsaved Period gives the label and key without creating a row for every option.
    period = Period(kind=kind, year=year, number=number)
    if kind == Periodicity.MONTH:
        ends = dt.date(year + (number == 12), number % 12 + 1, 1)
    elif kind == Periodicity.QUARTER:
        ends = dt.date(year + (number == 4), (3 * number) % 12 + 1, 1)
    else:
        ends = {
            Periodicity.HALF: dt.date(year, 7, 1),
            Periodicity.NINE_MONTHS: dt.date(year, 10, 1),
            Periodicity.YEAR: dt.date(year + 1, 1, 1),
        }[Periodicity(kind)]
    return PeriodOption(key=period.key, label=period.label, in_progress=today < ends)


def period_options(today: dt.date) -> list[tuple[str, str, list[PeriodOption]]]:
    """The periods offered, newest first, grouped by kind: (kind, kind label, options)."""
    months = []
    year, month = today.year, today.month
    for _step in range(24):
        months.append(_option(Periodicity.MONTH, year, month, today))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    quarters = []
    year, quarter = today.year, (today.month - 1) // 3 + 1
    for _step in range(12):
        quarters.append(_option(Periodicity.QUARTER, year, quarter, today))
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    years = range(today.year, today.year - 4, -1)
    return [
        (Periodicity.MONTH, str(Periodicity.MONTH.label), months),
        (Periodicity.QUARTER, str(Periodicity.QUARTER.label), quarters),
        (
            Periodicity.HALF,
            str(Periodicity.HALF.label),
            [_option(Periodicity.HALF, y, 1, today) for y in years],
        ),
        (
            Periodicity.NINE_MONTHS,
            str(Periodicity.NINE_MONTHS.label),
            [_option(Periodicity.NINE_MONTHS, y, 1, today) for y in years],
        ),
        (
            Periodicity.YEAR,
            str(Periodicity.YEAR.label),
            [_option(Periodicity.YEAR, y, 1, today) for y in years],
        ),
    ]


@dataclass(frozen=True)
class IocFilter:
    """The period and unit a page shows, what may be chosen, and what was refused."""

    period: Period
    unit: Agency | None
    visible: frozenset[int] | None  # None: every unit
    units: list[Agency]
    options: list[tuple[str, str, list[PeriodOption]]]
    errors: list[str] = field(default_factory=list)
    kiosk: bool = False

    @property
    def kinds(self) -> list[tuple[str, str]]:
        return [(str(kind), str(label)) for kind, label in Periodicity.choices]

    def params(self, **changes: str | int | None) -> dict[str, str]:
        values: dict[str, str | int | None] = {
            "period": self.period.key,
            "unit": self.unit.pk if self.unit else None,
        }
        values.update(changes)
        return {key: str(value) for key, value in values.items() if value not in (None, "")}

    def query(self, **changes: str | int | None) -> str:
        """The query string of this filter, with ``changes`` (None drops a parameter)."""
        return urlencode(self.params(**changes))

    @property
    def unit_label(self) -> str:
        return self.unit.name if self.unit else _("Toàn tỉnh")

    @property
    def header(self) -> str:
        """What an export says it holds: "Quý I/2026 — Toàn tỉnh"."""
        return f"{self.period.label} — {self.unit_label}"


def unit_visible(unit: Agency, visible: frozenset[int] | None) -> bool:
    return unit.kind in UNIT_KINDS and (visible is None or unit.pk in visible)


def access_unit(user: AnyUser, unit_id: int | str) -> Agency:
    """A commune or department whose figures ``user`` may see; 404 for missing and forbidden."""
    try:
        pk = int(unit_id)
    except (TypeError, ValueError):
        raise Http404(_("Không tìm thấy đơn vị.")) from None
    unit = Agency.objects.filter(pk=pk).first()
    if unit is None or not unit_visible(unit, visible_unit_ids(user)):
        raise Http404(_("Không tìm thấy đơn vị."))
    return unit


def _period(query: QueryDict, today: dt.date, errors: list[str]) -> Period:
    key = query.get("period", "").strip()
    kind = query.get("kind", "")
    if key:
        try:
            period = period_from_key(key)
        except ValueError as error:
            errors.append(str(error))
        else:
            if period.start <= today:
                return period
            errors.append(
                _("Kỳ %(period)s chưa bắt đầu, chưa có số liệu; đang hiển thị kỳ gần nhất.")
                % {"period": period.label}
            )
    if kind and kind not in Periodicity.values:
        errors.append(_("Loại kỳ “%(kind)s” không hợp lệ.") % {"kind": kind})
        kind = ""
    return period_last_closed(kind or DEFAULT_KIND, today)


def parse(request: HttpRequest, user: AnyUser, *, unit: Agency | None = None) -> IocFilter:
    """The filter a request asks for (its query string; a form's fields when posted). A unit
    outside the person's scope answers 404, as a unit page would; a bad period is reported and
    replaced by the latest closed quarter. ``unit`` fixes the unit (a unit page)."""
    today = timezone.localdate()
    errors: list[str] = []
    data = request.POST if request.method == "POST" else request.GET
    period = _period(data, today, errors)
    visible = visible_unit_ids(user)
    if unit is None and data.get("unit"):
        unit = access_unit(user, data["unit"])
    choices = [item for item in units(period=period, kinds=UNIT_KINDS) if unit_visible(item, visible)]
    if unit is not None and all(item.pk != unit.pk for item in choices):
        choices.append(unit)  # a unit closed since: still shown for the periods it existed in
    return IocFilter(
        period=period,
        unit=unit,
        visible=visible,
        units=choices,
        options=period_options(today),
        errors=errors,
        kiosk=data.get("kiosk") == "1",
    )
