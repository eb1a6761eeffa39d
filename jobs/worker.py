"""The embedded worker: ``manage.py run_worker`` runs this loop.

It needs no server: it polls the ``Job`` table every ``JOBS_POLL_SECONDS`` (default 2), runs
due jobs one at a time, and every ``JOBS_TICK_SECONDS`` (default 60) fires the periodic jobs
that are due (``jobs.services.periodic_tick``). SIGTERM or SIGINT lets the running job finish,
then stops the loop. Run several for more throughput: claims never hand a job to two of them.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time
from types import FrameType

from django.conf import settings
from django.db import close_old_connections, connection

from congso.jobs import autodiscover, tick_seconds
from jobs.services import job_next_due, job_run, periodic_tick

logger = logging.getLogger(__name__)


def default_name() -> str:
    return f"worker@{socket.gethostname()}:{os.getpid()}"


class Worker:
    """One polling loop. ``run(until_idle=True)`` drains what is due and returns (tests, cron);
    ``periodic=False`` leaves the periodic schedule to other workers."""

    def __init__(
        self,
        *,
        name: str | None = None,
        poll_seconds: float | None = None,
        tick_every: float | None = None,
        periodic: bool = True,
    ) -> None:
        self.name = name or default_name()
        self.poll_seconds = (
            poll_seconds if poll_seconds is not None else float(getattr(settings, "JOBS_POLL_SECONDS", 2))
        )
        self.tick_every = tick_every if tick_every is not None else float(tick_seconds())
        self.periodic = periodic
        self._stop = threading.Event()
        self._last_tick = float("-inf")

    def stop(self, *_: object) -> None:
        self._stop.set()

    def install_signal_handlers(self) -> None:
        def handler(signum: int, frame: FrameType | None) -> None:
            logger.info("%s: signal %s, stopping after the current job", self.name, signum)
            self.stop()

        signal.signal(signal.SIGTERM, handler)
        signal.signal(signal.SIGINT, handler)

    def tick_if_due(self) -> None:
        if not self.periodic:
            return
        if time.monotonic() - self._last_tick >= self.tick_every:
            self._last_tick = time.monotonic()
            fired = periodic_tick()
            if fired:
                logger.info("%s: periodic jobs queued: %s", self.name, fired)

    def run_one(self) -> bool:
        """Run the next due job, if any; True when one was found (whatever its outcome)."""
        job_id = job_next_due()
        if job_id is None:
            return False
        outcome = job_run(job_id, worker=self.name, due_only=True)
        logger.info("%s: job %s %s", self.name, job_id, outcome.status)
        return True

    @staticmethod
    def _refresh_connections() -> None:
        """Drop broken or expired connections between jobs, as a request cycle does. Never
        inside a transaction someone else holds (a test's): that would close it under them."""
        if not connection.in_atomic_block:
            close_old_connections()

    def run(self, *, until_idle: bool = False, max_jobs: int | None = None) -> int:
        """Loop until stopped (or, with ``until_idle``, until nothing is due); return jobs run."""
        autodiscover()
        ran = 0
        while not self._stop.is_set():
            self._refresh_connections()
            try:
                self.tick_if_due()
                found = self.run_one()
            except Exception:
                # A database hiccup must not kill the worker: log, wait, try again.
                logger.exception("%s: loop error", self.name)
                found = False
                if until_idle:
                    raise
            finally:
                self._refresh_connections()
            if found:
                ran += 1
                if max_jobs is not None and ran >= max_jobs:
                    break
                continue
            if until_idle:
                break
            self._stop.wait(self.poll_seconds)
        return ran
