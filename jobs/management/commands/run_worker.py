"""``manage.py run_worker``: the embedded background worker (see ``jobs.worker``)."""

from __future__ import annotations

import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from congso.jobs import backend
from jobs.worker import Worker

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Run background jobs from the database queue (the embedded backend) and fire the periodic "
        "ones. Stops after the current job on SIGTERM/SIGINT."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="run what is due now, then exit")
        parser.add_argument(
            "--poll", type=float, default=None, help="seconds between polls (JOBS_POLL_SECONDS)"
        )
        parser.add_argument("--name", default=None, help="worker name recorded on the jobs it runs")

    def handle(self, *args: Any, once: bool, poll: float | None, name: str | None, **options: Any) -> None:
        chosen = backend()
        if chosen == "celery":
            logger.warning(
                "JOBS_BACKEND is celery: run Celery workers and beat instead; draining the table anyway"
            )
        worker = Worker(name=name, poll_seconds=poll)
        if not once:
            worker.install_signal_handlers()
            self.stdout.write(f"{worker.name}: running jobs ({chosen} backend), Ctrl-C to stop")
        ran = worker.run(until_idle=once)
        self.stdout.write(f"{worker.name}: {ran} job(s) run")
