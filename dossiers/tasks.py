"""Background jobs of dossiers: thin, they load by id and call the services of
``dossiers.notifications`` (the applicant) and ``dossiers.reminders`` (civil servants).

Schedules come from settings read when the jobs are declared (at worker start-up):
``CONGSO_REMINDER_EVERY_MINUTES`` (default 15) and ``CONGSO_OVERDUE_DIGEST_AT`` ("HH:MM",
default "07:30", Vietnam time).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from congso.jobs import job, periodic
from dossiers import notifications, reminders
from dossiers.models import DossierEvent


def _every() -> dt.timedelta:
    return dt.timedelta(minutes=int(getattr(settings, "CONGSO_REMINDER_EVERY_MINUTES", 15)))


def _digest_at() -> dt.time:
    return dt.time.fromisoformat(str(getattr(settings, "CONGSO_OVERDUE_DIGEST_AT", "07:30")))


@job(max_attempts=6, backoff_seconds=60)
def applicant_notify(*, event_id: int) -> None:
    """Tell the applicant about one history row of their dossier."""
    event = (
        DossierEvent.objects.select_related(
            "dossier__procedure_version",
            "dossier__competent_agency",
            "dossier__receiving_agency",
            "dossier__applicant",
        )
        .filter(pk=event_id)
        .first()
    )
    if event is not None:
        notifications.applicant_notify(event=event)


@periodic(every=_every())
def reminders_send() -> None:
    """Warn handlers and leaders before steps and dossiers fall due."""
    reminders.reminders_send()


@periodic(daily_at=_digest_at())
def overdue_digest_send() -> None:
    """Each working morning, the overdue dossiers and steps of each agency to its leaders."""
    reminders.overdue_digest_send()
