"""Background jobs of the indicators: keep the daily dossier facts current.

* ``facts_refresh_job`` every minute (``INDICATORS_FACTS_EVERY_SECONDS``, default 60): reads what
  changed since the watermarks and recomputes the touched (agency, day) buckets, so computed
  figures are at most a couple of minutes old (the figures cache expires after five);
* ``facts_reconcile_job`` nightly (``INDICATORS_FACTS_RECONCILE_AT``, default "02:30", Vietnam
  time): rebuilds the last 35 days from the dossiers, the safety net described in
  ``indicators/facts.py``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from congso.jobs import periodic
from indicators import facts


def _every() -> dt.timedelta:
    return dt.timedelta(seconds=int(getattr(settings, "INDICATORS_FACTS_EVERY_SECONDS", 60)))


def _reconcile_at() -> dt.time:
    return dt.time.fromisoformat(str(getattr(settings, "INDICATORS_FACTS_RECONCILE_AT", "02:30")))


@periodic(every=_every(), max_attempts=1)
def facts_refresh_job() -> None:
    facts.facts_refresh()


@periodic(daily_at=_reconcile_at(), max_attempts=2)
def facts_reconcile_job() -> None:
    facts.facts_reconcile()


@periodic(daily_at=dt.time(8, 0), max_attempts=2)
def reports_remind_late_job() -> None:
    """Each morning, remind units whose report for a closed period is past its due date."""
    from indicators.services import reports_remind_late

    reports_remind_late()
