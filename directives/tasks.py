"""Background jobs of directives (thin: they call a service)."""

from __future__ import annotations

import datetime as dt

from congso.jobs import periodic
from directives.services.reminders import reminders_send


@periodic(daily_at=dt.time(7, 0))
def reminders_daily() -> None:
    """Every morning: due-soon and overdue reminders, escalation, next periods of recurring tasks."""
    reminders_send()
