"""The runner behind ``congso.jobs``: create, claim, run, retry, schedule, recover, purge.

Every backend runs a job through :func:`job_run`, so attempts, back-off and errors are
recorded the same way whether the embedded worker, an inline commit hook or a Celery worker
ran it. Claims are compare-and-set ``UPDATE``s, which work alike on SQLite (no row locks) and
PostgreSQL: two workers that reach for the same row cannot both win it.
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from congso.jobs import JobSpec, UnknownJob, backend, dispatch, enqueue, periodic_jobs, resolve
from jobs.models import Job, PeriodicSchedule

logger = logging.getLogger(__name__)

ERROR_MAX_CHARS = 8000


@dataclass(frozen=True)
class RunOutcome:
    """What became of one attempt: ``done``, ``retry`` (in ``retry_in`` seconds), ``failed``, or
    ``skipped`` (someone else holds the job, or it is no longer queued)."""

    status: str
    retry_in: float | None = None


def _now(now: dt.datetime | None) -> dt.datetime:
    return now if now is not None else timezone.now()


def job_create(*, spec: JobSpec, kwargs: dict[str, Any], run_after: dt.datetime | None = None) -> int:
    """Write the queued row, in the caller's transaction (see ``congso.jobs.enqueue``)."""
    now = timezone.now()
    job = Job.objects.create(
        func=spec.path,
        kwargs=kwargs,
        max_attempts=spec.max_attempts,
        run_after=run_after or now,
        dispatched_at=now if backend() == "celery" else None,
    )
    return int(job.pk)


def job_next_due(*, now: dt.datetime | None = None) -> int | None:
    """The id of the queued job that has waited longest among those due, if any."""
    return (
        Job.objects.filter(status=Job.Status.QUEUED, run_after__lte=_now(now))
        .order_by("run_after", "id")
        .values_list("pk", flat=True)
        .first()
    )


def _finish(job_id: int, worker: str, **fields: Any) -> None:
    Job.objects.filter(pk=job_id, status=Job.Status.RUNNING, locked_by=worker).update(
        locked_by="", locked_until=None, **fields
    )


def _error_text() -> str:
    text = traceback.format_exc()
    return text if len(text) <= ERROR_MAX_CHARS else "…" + text[-ERROR_MAX_CHARS:]


def job_run(
    job_id: int, *, worker: str, now: dt.datetime | None = None, due_only: bool = False
) -> RunOutcome:
    """Claim job ``job_id`` for ``worker`` and run it once, recording the outcome.

    ``due_only`` leaves a job whose ``run_after`` is still ahead alone (the embedded worker);
    Celery has already waited the countdown. A failure is retried after the job's back-off
    until ``max_attempts`` tries have been made, then the job is marked failed. The function
    runs outside any transaction of ours: its services hold their own, and what it records
    before raising (a message's failed attempt) stays recorded.
    """
    now = _now(now)
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.status != Job.Status.QUEUED or (due_only and job.run_after > now):
        return RunOutcome("skipped")
    try:
        spec = resolve(job.func)
    except UnknownJob:
        Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
            status=Job.Status.FAILED, finished_at=now, last_error=_error_text()
        )
        logger.error("job %s names no declared job: %s", job_id, job.func)
        return RunOutcome("failed")
    attempt = job.attempts + 1
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED, attempts=job.attempts).update(
        status=Job.Status.RUNNING,
        attempts=attempt,
        locked_by=worker,
        locked_until=now + dt.timedelta(seconds=spec.lease_seconds),
        started_at=now,
    )
    if not claimed:
        return RunOutcome("skipped")
    try:
        spec.func(**job.kwargs)
    except Exception:
        error = _error_text()
        ended = timezone.now()
        if attempt >= job.max_attempts:
            _finish(job_id, worker, status=Job.Status.FAILED, finished_at=ended, last_error=error)
            logger.error("job %s (%s) failed for good after %s attempts", job_id, job.func, attempt)
            return RunOutcome("failed")
        wait = spec.backoff(attempt)
        _finish(
            job_id,
            worker,
            status=Job.Status.QUEUED,
            run_after=ended + wait,
            dispatched_at=ended,
            last_error=error,
        )
        logger.warning("job %s (%s) attempt %s failed; retry in %s", job_id, job.func, attempt, wait)
        return RunOutcome("retry", retry_in=wait.total_seconds())
    _finish(job_id, worker, status=Job.Status.DONE, finished_at=timezone.now())
    return RunOutcome("done")


def job_requeue(*, job: Job) -> bool:
    """Give a failed job a fresh set of attempts (the admin's "run again"); False if not failed."""
    with transaction.atomic():
        requeued = Job.objects.filter(pk=job.pk, status=Job.Status.FAILED).update(
            status=Job.Status.QUEUED,
            attempts=0,
            run_after=timezone.now(),
            dispatched_at=timezone.now(),
            finished_at=None,
        )
        if requeued and backend() != "embedded":
            job_id = int(job.pk)
            transaction.on_commit(lambda: dispatch(job_id), robust=True)
    return bool(requeued)


def periodic_tick(*, now: dt.datetime | None = None) -> list[int]:
    """Fire the periodic jobs that are due (each once, whoever else ticks); return the new jobs.

    Also puts back jobs whose worker vanished (lease expired) and, on Celery, re-sends jobs
    whose message never arrived. Called by the embedded worker and by Celery beat.
    """
    now = _now(now)
    specs = {spec.path: spec for spec in periodic_jobs()}
    known = set(PeriodicSchedule.objects.filter(name__in=specs).values_list("name", flat=True))
    PeriodicSchedule.objects.bulk_create(
        [
            PeriodicSchedule(name=path, next_run_at=spec.first_run(now))
            for path, spec in specs.items()
            if path not in known
        ],
        ignore_conflicts=True,
    )
    fired: list[int] = []
    for row in PeriodicSchedule.objects.filter(name__in=specs, next_run_at__lte=now):
        spec = specs[row.name]
        with transaction.atomic():
            won = PeriodicSchedule.objects.filter(pk=row.pk, next_run_at=row.next_run_at).update(
                next_run_at=spec.next_after(now), last_run_at=now
            )
            if won:
                job_id = enqueue(spec.path)
                PeriodicSchedule.objects.filter(pk=row.pk).update(last_job_id=job_id)
                fired.append(job_id)
    jobs_recover_stale(now=now)
    if backend() == "celery":
        jobs_redispatch_stranded(now=now)
    return fired


def jobs_recover_stale(*, now: dt.datetime | None = None) -> int:
    """Running jobs whose lease ran out (the worker died): queue them again, or fail them when
    their attempts are spent. Returns how many were recovered."""
    now = _now(now)
    count = 0
    note = "Tiến trình chạy việc đã dừng giữa chừng (hết thời hạn giữ việc)."
    for job in Job.objects.filter(status=Job.Status.RUNNING, locked_until__lt=now):
        spent = job.attempts >= job.max_attempts
        count += Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, locked_by=job.locked_by).update(
            status=Job.Status.FAILED if spent else Job.Status.QUEUED,
            finished_at=now if spent else None,
            run_after=now,
            locked_by="",
            locked_until=None,
            last_error=note,
        )
    return count


def jobs_redispatch_stranded(*, now: dt.datetime | None = None) -> list[int]:
    """Celery: re-send due jobs that have waited ``JOBS_REDISPATCH_AFTER_SECONDS`` since their
    last sending (the broker was down at commit, or a message was lost). Running them twice
    is harmless: the second claim finds the job no longer queued."""
    now = _now(now)
    grace = dt.timedelta(seconds=int(getattr(settings, "JOBS_REDISPATCH_AFTER_SECONDS", 300)))
    stranded = list(
        Job.objects.filter(
            status=Job.Status.QUEUED, run_after__lte=now - grace, dispatched_at__lte=now - grace
        )
        .order_by("run_after")
        .values_list("pk", flat=True)[:500]
    )
    Job.objects.filter(pk__in=stranded).update(dispatched_at=now)
    for job_id in stranded:
        dispatch(job_id)
    return stranded


def jobs_purge(*, now: dt.datetime | None = None) -> int:
    """Delete jobs done more than ``JOBS_KEEP_DAYS`` (default 14) ago; failed ones stay."""
    keep = dt.timedelta(days=int(getattr(settings, "JOBS_KEEP_DAYS", 14)))
    deleted, _ = Job.objects.filter(status=Job.Status.DONE, finished_at__lt=_now(now) - keep).delete()
    return deleted
