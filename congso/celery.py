"""The Celery application, for the province-scale setup (``JOBS_BACKEND=celery``).

Celery only carries job ids: every job is a ``jobs.Job`` row written in the transaction that
asked for it (see ``congso.jobs``), and a Celery worker runs it with the same runner as the
embedded worker, so attempts, back-off and errors are recorded in the database either way.

Two tasks:

``congso.jobs.run(job_id)``
    Runs one job. On a failure worth retrying it sends itself again with the job's back-off as
    countdown (the row says when; if that message is lost, the next tick re-sends the job).
``congso.jobs.tick()``
    Sent by Celery beat every ``JOBS_TICK_SECONDS``: fires the periodic jobs that are due (each
    once even if two beats run), puts back jobs whose worker died, re-sends stranded jobs.

Start them (the broker is ``CELERY_BROKER_URL``, Redis or RabbitMQ)::

    celery -A congso.celery worker -Q congso --loglevel INFO
    celery -A congso.celery beat --loglevel INFO --schedule var/celerybeat-schedule

Celery reads every ``CELERY_*`` Django setting (``CELERY_BROKER_URL`` → ``broker_url``); the
choices below that the job layer relies on (late acknowledgement, no result backend, one
message prefetched) are fixed here, not settings.
"""

from __future__ import annotations

import os

from celery import Celery, Task

from congso.jobs import RUN_TASK, TICK_TASK, celery_queue, tick_seconds

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congso.settings")


def _run(task: Task, job_id: int) -> str:
    from jobs.services import job_run

    hostname = getattr(task.request, "hostname", None) or "celery"
    outcome = job_run(job_id, worker=f"celery:{hostname}:{task.request.id}")
    if outcome.retry_in is not None:
        # Back to the queue it came from, after the back-off (the row holds the same time).
        delivery = getattr(task.request, "delivery_info", None) or {}
        queue = delivery.get("routing_key") or celery_queue()
        task.app.send_task(RUN_TASK, args=[job_id], countdown=outcome.retry_in, queue=queue)
    return outcome.status


def _tick() -> list[int]:
    from jobs.services import periodic_tick

    return periodic_tick()


def make_app(*, broker_url: str | None = None) -> Celery:
    """A configured Celery app (``broker_url`` overrides the setting; tests use it)."""
    from django.conf import settings

    app = Celery("congso")
    app.config_from_object("django.conf:settings", namespace="CELERY")
    queue = celery_queue()
    app.conf.update(
        task_default_queue=queue,
        task_ignore_result=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        timezone=settings.TIME_ZONE,
        enable_utc=True,
        beat_schedule={
            "congso-jobs-tick": {
                "task": TICK_TASK,
                "schedule": float(tick_seconds()),
                "options": {"queue": queue},
            }
        },
    )
    if broker_url:
        app.conf.broker_url = broker_url
    app.task(name=RUN_TASK, bind=True)(_run)
    app.task(name=TICK_TASK)(_tick)
    return app


app = make_app()
