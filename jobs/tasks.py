"""Housekeeping of the queue itself."""

from __future__ import annotations

import datetime as dt

from congso.jobs import periodic
from jobs.services import jobs_purge as purge_done_jobs


@periodic(daily_at=dt.time(2, 30))
def jobs_purge() -> None:
    """Forget jobs done more than JOBS_KEEP_DAYS ago (failed ones stay for the operator)."""
    purge_done_jobs()
