"""Reads of the unit reports: a report's rows with the previous value and the target beside each
figure, a unit's reports period by period, the reviewer's queue, and the late reports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from agencies.models import Agency
from congso.access import AnyUser
from indicators.models import Indicator, Period, Report, ReportForm, ReportStatus, ReportValue, Target
from indicators.periods import period_containing, period_last_closed, period_previous, period_year
from indicators.report_permissions import reviewed_forms


def due_date_for(form: ReportForm, period: Period) -> dt.date:
    """The last day a unit may send ``form`` for ``period``: ``due_days`` after the period ends."""
    return period.end + dt.timedelta(days=form.due_days)


def period_in_text(period: Period) -> str:
    """A period's label inside a sentence: "quý III/2026", "năm 2026", "6 tháng đầu năm 2026"."""
    label = period.label
    return label[:1].lower() + label[1:]


def form_indicators(form: ReportForm) -> list[Indicator]:
    """The indicators of ``form`` in the order the form shows them."""
    return list(form.indicators.filter(is_active=True).order_by("order", "code"))


@dataclass(frozen=True)
class ReportRow:
    """One line of a report: the indicator, the stored figures, and what the unit sees beside them."""

    indicator: Indicator
    stored: ReportValue | None
    previous: Decimal | None  # the unit's approved value for the previous period
    target: Target | None  # the target for the period, else for its year


def previous_values(*, agency: Agency, period: Period, indicators: Iterable[Indicator]) -> dict[int, Decimal]:
    """The unit's approved values of the period before ``period`` (any form)."""
    before = period_previous(period)
    rows = ReportValue.objects.filter(
        report__agency=agency,
        report__period=before,
        report__status=ReportStatus.APPROVED,
        indicator__in=list(indicators),
        value__isnull=False,
    ).values_list("indicator_id", "value")
    return {indicator_id: value for indicator_id, value in rows if value is not None}


def targets_for(*, agency: Agency, period: Period, indicators: Iterable[Indicator]) -> dict[int, Target]:
    """The targets of ``agency`` for ``period`` itself, else for the year that contains it."""
    year = period_year(period)
    found: dict[int, Target] = {}
    rows = Target.objects.filter(
        agency=agency, period__in={period.pk, year.pk}, indicator__in=list(indicators)
    ).select_related("period")
    for target in sorted(rows, key=lambda t: t.period_id == period.pk):
        found[target.indicator_id] = target  # the period's own target, sorted last, wins
    return found


def report_rows(report: Report) -> list[ReportRow]:
    indicators = form_indicators(report.form)
    stored = {row.indicator_id: row for row in ReportValue.objects.filter(report=report)}
    previous = previous_values(agency=report.agency, period=report.period, indicators=indicators)
    targets = targets_for(agency=report.agency, period=report.period, indicators=indicators)
    return [
        ReportRow(
            indicator=indicator,
            stored=stored.get(indicator.pk),
            previous=previous.get(indicator.pk),
            target=targets.get(indicator.pk),
        )
        for indicator in indicators
    ]


def report_history(report: Report) -> list[dict[str, object]]:
    from indicators.services import action_label

    return [
        {"event": event, "label": action_label(event.action)} for event in report.events.order_by("at", "pk")
    ]


@dataclass(frozen=True)
class UnitPeriod:
    """A period a unit reports for with a form: its report if made, the due date, lateness."""

    form: ReportForm
    agency: Agency
    period: Period
    report: Report | None
    due_date: dt.date
    closed: bool  # the period has ended

    @property
    def late(self) -> bool:
        today = timezone.localdate()
        if self.report is not None and self.report.submitted_at is not None:
            return timezone.localdate(self.report.submitted_at) > self.due_date
        return today > self.due_date

    @property
    def sent(self) -> bool:
        return self.report is not None and self.report.status in (
            ReportStatus.SUBMITTED,
            ReportStatus.APPROVED,
        )


def forms_for(agency: Agency) -> list[ReportForm]:
    """The active forms ``agency`` reports with."""
    return [
        form
        for form in ReportForm.objects.filter(is_active=True).select_related("reviewer")
        if agency.kind in (form.reporting_kinds or [])
    ]


def unit_periods(*, agency: Agency, today: dt.date | None = None, count: int = 6) -> list[UnitPeriod]:
    """For each form the unit reports with: the current period (if begun) and the last ``count``
    closed ones in which the unit existed, newest first."""
    day = today or timezone.localdate()
    found: list[UnitPeriod] = []
    for form in forms_for(agency):
        periods: list[Period] = []
        try:
            current = period_containing(form.periodicity, day)
        except ValueError:
            current = None
        if current is not None and current.end >= day:
            periods.append(current)
        last = period_last_closed(form.periodicity, day)
        for _ in range(count):
            if not agency.is_active_on(last.end):
                break
            periods.append(last)
            last = period_previous(last)
        periods = [p for p in periods if agency.is_active_on(p.end) or p.end >= day]
        reports = {
            r.period_id: r
            for r in Report.objects.filter(form=form, agency=agency, period__in=[p.pk for p in periods])
        }
        for period in periods:
            report = reports.get(period.pk)
            found.append(
                UnitPeriod(
                    form=form,
                    agency=agency,
                    period=period,
                    report=report,
                    due_date=report.due_date if report is not None else due_date_for(form, period),
                    closed=period.end < day,
                )
            )
    return found


def review_queue(user: AnyUser) -> QuerySet[Report]:
    """The reports waiting for ``user``'s review (sent, not yet approved or returned), oldest first."""
    forms = reviewed_forms(user)
    return (
        Report.objects.filter(form__in=forms, status=ReportStatus.SUBMITTED)
        .select_related("form", "agency", "period", "submitted_by")
        .order_by("submitted_at", "pk")
    )


@dataclass(frozen=True)
class LateReport:
    """A unit that has not sent a form for a closed period whose due date has passed."""

    form: ReportForm
    agency: Agency
    period: Period
    report: Report | None  # None: the unit has not even opened it
    due_date: dt.date
    days_late: int

    @property
    def state_label(self) -> str:
        if self.report is None:
            return str(_not_opened())
        return str(ReportStatus(self.report.status).label)


def _not_opened() -> str:
    from django.utils.translation import gettext

    return gettext("Chưa lập báo cáo")


def late_reports(
    *,
    today: dt.date | None = None,
    form: ReportForm | None = None,
    periods_back: int = 4,
    unit_ids: frozenset[int] | None = None,
) -> list[LateReport]:
    """Units expected to send a form for one of its last ``periods_back`` closed periods, past
    the due date, that have not sent it (no report at all, a draft, or a report returned and not
    sent again). Units are those of the form's kinds that existed at the period's end; a unit
    closed since (merged) is still listed for the periods it had to report. ``unit_ids`` narrows
    to some units (None: all)."""
    day = today or timezone.localdate()
    forms = [form] if form is not None else list(ReportForm.objects.filter(is_active=True))
    found: list[LateReport] = []
    for each in forms:
        period = period_last_closed(each.periodicity, day)
        for _ in range(periods_back):
            found.extend(_late_in(each, period, day, unit_ids))
            period = period_previous(period)
    found.sort(key=lambda late: (-late.period.end.toordinal(), late.agency.name))
    return found


def _late_in(
    form: ReportForm, period: Period, day: dt.date, unit_ids: frozenset[int] | None
) -> list[LateReport]:
    units = Agency.objects.active_on(period.end).filter(kind__in=list(form.reporting_kinds or []))
    if unit_ids is not None:
        units = units.filter(pk__in=unit_ids)
    reports = {r.agency_id: r for r in Report.objects.filter(form=form, period=period, agency__in=units)}
    late: list[LateReport] = []
    for unit in units.order_by("name"):
        report = reports.get(unit.pk)
        if report is not None and report.status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED):
            continue
        due = report.due_date if report is not None else due_date_for(form, period)
        if due >= day:
            continue
        late.append(
            LateReport(
                form=form, agency=unit, period=period, report=report, due_date=due, days_late=(day - due).days
            )
        )
    return late


def visible_reports(user: AnyUser, *, unit_ids: frozenset[int] | None) -> QuerySet[Report]:
    """Reports ``user`` may see, narrowed to ``unit_ids`` (None: all they may see)."""
    found = Report.objects.restrict(user).select_related("form", "agency", "period")
    if unit_ids is not None:
        found = found.filter(Q(agency_id__in=unit_ids))
    return found
