"""Background work: one way to ask for it, three ways to run it.

Call sites say *what* to run, never *how*::

    from congso import jobs

    jobs.enqueue("dossiers.tasks.applicant_notify", event_id=event.pk)

and the functions that may be run are declared where they live, in ``<app>/tasks.py``
(found by :func:`autodiscover`)::

    @jobs.job(max_attempts=6)
    def message_send(*, message_id: int) -> None:
        message_deliver(message=OutgoingMessage.objects.get(pk=message_id))

    @jobs.periodic(every=dt.timedelta(minutes=15))
    def reminders_send() -> None: ...

Jobs are thin (STYLE.md): they load by id and call a service. Their keyword arguments must be
plain JSON (ids and strings, never model instances); :func:`enqueue` refuses anything else.

One path for every backend
    :func:`enqueue` writes a ``jobs.Job`` row *in the caller's transaction*: the job exists if
    and only if the change that asked for it was committed (a transactional outbox), and it is
    never lost, whatever happens to a process, a broker or a mail server after that. The backend
    only decides who runs the row and when; the runner (``jobs.services.job_run``) is the same for all,
    so attempts, back-off and errors are recorded alike and shown in the admin (/quan-tri/jobs/).

``settings.JOBS_BACKEND``
    ``"embedded"`` (the default): ``manage.py run_worker`` polls the table, runs due jobs,
    retries failures with exponential back-off, and fires the periodic jobs. Needs no server;
    several workers may run side by side (jobs are claimed with a compare-and-set update,
    periodic runs with a compare-and-set on their next run time).

    ``"inline"``: the job runs in this process when the transaction commits
    (``transaction.on_commit``). For tests and single-process setups; a failed inline job stays
    queued with its back-off, for a worker to retry if one runs.

    ``"celery"`` (default when ``CELERY_BROKER_URL`` is set): on commit the job's id is sent to
    Celery (task ``congso.jobs.run``, queue ``JOBS_CELERY_QUEUE``); a Celery worker runs the
    same runner. Celery beat sends ``congso.jobs.tick`` every ``JOBS_TICK_SECONDS``: it fires
    the periodic jobs that are due and re-sends jobs whose message was lost (broker down at
    commit time). See ``congso/celery.py``.

Why the queue is a small app of its own (``jobs``) and not a model in ``notifications``
    The queue serves every app — slips are rendered, the national portal is synchronised and
    reminders are computed through it — so putting its table in ``notifications`` would make
    all of them depend on the outbox of e-mails, and this module (infrastructure) depend on a
    domain app. ``notifications`` depends on ``jobs``, not the other way round.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar, overload

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils.module_loading import autodiscover_modules, import_string

logger = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

BACKENDS = ("embedded", "inline", "celery")
RUN_TASK = "congso.jobs.run"
TICK_TASK = "congso.jobs.tick"

DEFAULT_MAX_ATTEMPTS = 5
DEFAULT_BACKOFF_SECONDS = 30
DEFAULT_LEASE_SECONDS = 600
MAX_BACKOFF_SECONDS = 6 * 3600


class UnknownJob(LookupError):
    """The dotted path does not name a function declared with ``@job`` or ``@periodic``."""


@dataclass(frozen=True)
class JobSpec:
    """A function that may run in the background, and how hard to try."""

    path: str
    func: Callable[..., object]
    max_attempts: int
    backoff_seconds: int
    lease_seconds: int

    def backoff(self, attempts: int) -> dt.timedelta:
        """Wait before the next try after ``attempts`` failed ones: base × 2^(attempts-1), capped."""
        seconds = self.backoff_seconds * 2 ** max(attempts - 1, 0)
        return dt.timedelta(seconds=min(seconds, MAX_BACKOFF_SECONDS))


@dataclass(frozen=True)
class PeriodicSpec:
    """A job fired on a schedule: every ``every``, or once a day at ``daily_at`` (local time)."""

    path: str
    every: dt.timedelta | None
    daily_at: dt.time | None

    def first_run(self, now: dt.datetime) -> dt.datetime:
        if self.every is not None:
            return now
        return self._next_daily(now, include_now=True)

    def next_after(self, now: dt.datetime) -> dt.datetime:
        if self.every is not None:
            return now + self.every
        return self._next_daily(now, include_now=False)

    def _next_daily(self, now: dt.datetime, *, include_now: bool) -> dt.datetime:
        from django.utils import timezone

        assert self.daily_at is not None
        local = timezone.localtime(now)
        candidate = local.replace(
            hour=self.daily_at.hour, minute=self.daily_at.minute, second=0, microsecond=0
        )
        if candidate < local or (candidate == local and not include_now):
            candidate = (candidate + dt.timedelta(days=1)).replace(
                hour=self.daily_at.hour, minute=self.daily_at.minute
            )
        return candidate


_jobs: dict[str, JobSpec] = {}
_periodic: dict[str, PeriodicSpec] = {}
_discovered = False


def _path_of(func: Callable[..., object]) -> str:
    return f"{func.__module__}.{func.__qualname__}"


@overload
def job(func: Callable[P, R], /) -> Callable[P, R]: ...
@overload
def job(
    *,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    backoff_seconds: int = DEFAULT_BACKOFF_SECONDS,
    lease_seconds: int = DEFAULT_LEASE_SECONDS,
) -> Callable[[Callable[P, R]], Callable[P, R]]: ...
def job(
    func: Callable[P, R] | None = None,
    /,
    *,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    backoff_seconds: int = DEFAULT_BACKOFF_SECONDS,
    lease_seconds: int = DEFAULT_LEASE_SECONDS,
) -> Callable[P, R] | Callable[[Callable[P, R]], Callable[P, R]]:
    """Declare ``func`` as a background job, runnable by its dotted path.

    Only declared functions run: a ``Job`` row can never name an arbitrary importable callable.
    ``max_attempts`` counts the first try; a job that still fails then is marked failed.
    ``lease_seconds`` is how long a run may take before another worker may presume it lost.
    """
    if max_attempts < 1 or backoff_seconds < 0 or lease_seconds < 1:
        raise ValueError("max_attempts >= 1, backoff_seconds >= 0 and lease_seconds >= 1")

    def register(f: Callable[P, R]) -> Callable[P, R]:
        path = _path_of(f)
        _jobs[path] = JobSpec(path, f, max_attempts, backoff_seconds, lease_seconds)
        return f

    return register(func) if func is not None else register


def periodic(
    *,
    every: dt.timedelta | None = None,
    daily_at: dt.time | None = None,
    max_attempts: int = 3,
    backoff_seconds: int = 60,
    lease_seconds: int = DEFAULT_LEASE_SECONDS,
) -> Callable[[Callable[[], R]], Callable[[], R]]:
    """Declare a job with no arguments that runs on a schedule (exactly one of the two)."""
    if (every is None) == (daily_at is None):
        raise ValueError("periodic() needs exactly one of every= or daily_at=")
    if every is not None and every < dt.timedelta(seconds=1):
        raise ValueError("every= must be at least one second")

    def register(f: Callable[[], R]) -> Callable[[], R]:
        job(max_attempts=max_attempts, backoff_seconds=backoff_seconds, lease_seconds=lease_seconds)(f)
        path = _path_of(f)
        _periodic[path] = PeriodicSpec(path, every, daily_at)
        return f

    return register


def autodiscover() -> None:
    """Import every installed app's ``tasks`` module, so that all jobs are declared."""
    global _discovered
    if not _discovered:
        autodiscover_modules("tasks")
        _discovered = True


def resolve(path: str) -> JobSpec:
    """The declared job at ``path``; importing its module declares it if it was not yet."""
    spec = _jobs.get(path)
    if spec is None:
        try:
            import_string(path)
        except ImportError as exc:
            raise UnknownJob(f"no job at {path!r}: {exc}") from exc
        spec = _jobs.get(path)
    if spec is None:
        raise UnknownJob(f"{path!r} is not declared with @congso.jobs.job")
    return spec


def periodic_jobs() -> tuple[PeriodicSpec, ...]:
    autodiscover()
    return tuple(_periodic.values())


def backend() -> str:
    """The configured backend: ``JOBS_BACKEND``, else celery when a broker is set, else embedded."""
    configured = getattr(settings, "JOBS_BACKEND", None) or (
        "celery" if getattr(settings, "CELERY_BROKER_URL", None) else "embedded"
    )
    if configured not in BACKENDS:
        raise ImproperlyConfigured(f"JOBS_BACKEND must be one of {', '.join(BACKENDS)}, got {configured!r}")
    if configured == "celery" and not getattr(settings, "CELERY_BROKER_URL", None):
        raise ImproperlyConfigured("JOBS_BACKEND=celery needs CELERY_BROKER_URL")
    return configured


def _plain_json(kwargs: dict[str, Any], path: str) -> dict[str, Any]:
    try:
        encoded = json.dumps(kwargs, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"arguments of job {path} must be plain JSON (ids, strings): {exc}") from exc
    decoded: dict[str, Any] = json.loads(encoded)
    if decoded != kwargs:
        raise TypeError(f"arguments of job {path} do not survive JSON unchanged (tuples? int keys?)")
    return decoded


def enqueue(func_path: str, /, **kwargs: Any) -> int:
    """Run the job at ``func_path`` with ``kwargs`` once the current transaction commits.

    Returns the id of the ``Job`` row. Raises :class:`UnknownJob` for an undeclared path and
    ``TypeError`` for arguments that are not plain JSON, at once, in the caller.
    """
    from jobs.services import job_create

    spec = resolve(func_path)
    chosen = backend()
    job_id = job_create(spec=spec, kwargs=_plain_json(kwargs, func_path))
    if chosen != "embedded":
        # robust: the change is committed whatever happens here; the row is still queued.
        transaction.on_commit(lambda: dispatch(job_id), robust=True)
    return job_id


def dispatch(job_id: int, *, countdown: float = 0) -> None:
    """Hand a committed job to the backend that runs it now (inline) or soon (Celery).

    A Celery publish that fails is logged, not raised: the row is still queued and the next
    tick re-sends it.
    """
    chosen = backend()
    if chosen == "inline":
        from jobs.services import job_run

        if countdown <= 0:
            job_run(job_id, worker="inline")
        return
    if chosen == "celery":
        from congso import celery as celery_module

        try:
            celery_module.app.send_task(
                RUN_TASK, args=[job_id], countdown=countdown or None, queue=celery_queue()
            )
        except Exception:
            logger.exception("could not send job %s to the broker; the next tick re-sends it", job_id)


def celery_queue() -> str:
    return str(getattr(settings, "JOBS_CELERY_QUEUE", "congso"))


def tick_seconds() -> int:
    return int(getattr(settings, "JOBS_TICK_SECONDS", 60))
