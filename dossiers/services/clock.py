"""The dossier's deadlines, on the working-time clock of ``workcalendar.clock``.

* the time limit of a dossier: from the clock start (``reception_start``), the version's
  processing time in working days (the same position in the day, N working days later) or in
  working hours, on the competent agency's calendar;
* the transfer deadline of Decree 61/2018 Art. 18: the same working day, or the start of the
  next working day for a dossier received after the afternoon cut-off (15:00);
* the timeliness of a step (Mẫu 05): working minutes used against the step's hour budget.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

from django.utils import timezone

from agencies.models import Agency
from catalog.models import ProcedureVersion
from dossiers import conf
from dossiers.errors import DossierInvalid
from dossiers.models import DossierStep
from workcalendar.clock import (
    TZ,
    add_working_days,
    add_working_hours,
    add_working_minutes,
    reception_start,
    working_minutes_between,
)

BUDGET_GRANULARITY_MINUTES = 30
"""Step budgets are set in half-hours; the time used is counted in the same unit."""


def current_instant(now: dt.datetime | None) -> dt.datetime:
    """``now`` if given (it must be aware), else the current time."""
    if now is None:
        return timezone.now()
    if timezone.is_naive(now):
        raise ValueError("now must be timezone-aware")
    return now


def local_day(instant: dt.datetime) -> dt.date:
    return instant.astimezone(TZ).date()


def processing_due(
    *, version: ProcedureVersion, start: dt.datetime, agency: Agency | int | None
) -> dt.datetime:
    """The due instant of a dossier whose clock starts at ``start`` under ``version``."""
    amount = Decimal(version.processing_time)
    if (
        version.processing_time_unit == ProcedureVersion.TimeUnit.WORKING_DAYS
        and amount == amount.to_integral()
    ):
        return add_working_days(start, int(amount), agency=agency)
    return add_working_hours(start, version.processing_hours, agency=agency)


def next_working_day_start(instant: dt.datetime, *, agency: Agency | int | None) -> dt.datetime:
    """The opening of the first working day after the local day of ``instant``."""
    local = instant.astimezone(TZ)
    late_evening = dt.datetime(local.year, local.month, local.day, 23, 59, tzinfo=TZ)
    return reception_start(late_evening, agency=agency)


def transfer_due(*, received_at: dt.datetime, agency: Agency | int | None) -> dt.datetime:
    """When a dossier received at ``received_at`` must have been transferred (Art. 18).

    Received in working time up to the cut-off: by the close of that working day. Received after
    the cut-off or outside working time: at the start of the next working day, within
    ``CONGSO_TRANSFER_GRACE_MINUTES`` working minutes.
    """
    clock_start = reception_start(received_at, agency=agency)
    if local_day(clock_start) == local_day(received_at):
        following = next_working_day_start(received_at, agency=agency)
        # The last working instant before the next opening is the close of the reception day.
        return add_working_minutes(add_working_minutes(following, -1, agency=agency), 1, agency=agency)
    return add_working_minutes(clock_start, conf.transfer_grace_minutes(), agency=agency)


def step_due(*, started_at: dt.datetime, budget_hours: Decimal, agency: Agency | int | None) -> dt.datetime:
    return add_working_hours(started_at, budget_hours, agency=agency)


def step_timeliness(
    *, started_at: dt.datetime, finished_at: dt.datetime, budget_hours: Decimal, agency: Agency | int | None
) -> str:
    """Trước hạn / Đúng hạn / Quá hạn of a step, comparing working minutes used with its budget.

    Late when more working minutes were used than the budget; otherwise the time used, rounded
    up to the half-hours budgets are set in, is compared with the budget: less is early, equal
    is on time.
    """
    used = working_minutes_between(started_at, finished_at, agency=agency)
    budget = int(Decimal(budget_hours) * 60)
    if used > budget:
        return DossierStep.Timeliness.LATE
    rounded = math.ceil(max(used, 0) / BUDGET_GRANULARITY_MINUTES) * BUDGET_GRANULARITY_MINUTES
    return DossierStep.Timeliness.EARLY if rounded < budget else DossierStep.Timeliness.ON_TIME


def require_aware(value: dt.datetime, field: str, message: str) -> None:
    if timezone.is_naive(value):
        raise DossierInvalid(message, field_errors={field: [message]})
