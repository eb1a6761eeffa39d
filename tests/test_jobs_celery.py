"""The Celery backend against real brokers: a Celery worker in its own process, on Redis and
on RabbitMQ, runs jobs sent through the broker, retries a failing one, and runs the tick that
Celery beat sends (periodic jobs, stranded jobs).

Runs in the PostgreSQL suite (the worker process must see the test database, so the data is
committed: ``transaction=True``). Needs Redis at ``REDIS_URL`` (the broker uses the next
database number: REDIS_URL's own is the test cache, flushed by every test) and RabbitMQ at
``CONGSO_TEST_AMQP_URL`` (default amqp://guest:guest@127.0.0.1:5672//); with CI=true a missing
server fails the test instead of skipping it.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone

from congso import celery as celery_module
from congso import jobs
from jobs.models import Job, PeriodicSchedule

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
AMQP_URL = os.environ.get("CONGSO_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672//")
ROOT = Path(__file__).resolve().parent.parent


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: a test that needs a server fails, it does not skip)")
    pytest.skip(reason)


def _reachable(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 0), timeout=2):
            return True
    except OSError:
        return False


def _next_database(redis_url: str) -> str:
    """The same Redis server, the next database number: REDIS_URL's database is the test cache,
    which every test flushes (conftest ``_fresh_cache``), broker messages included."""
    parts = urlsplit(redis_url)
    number = int(parts.path.strip("/") or 0)
    return parts._replace(path=f"/{(number + 1) % 16}").geturl()


@pytest.fixture(params=["redis", "rabbitmq"])
def broker_url(request) -> str:
    if request.param == "redis":
        cache_url = settings.REDIS_URL or ""  # per xdist worker (congso/settings.py)
        if not cache_url:
            _unavailable("REDIS_URL is not set: the Celery test needs Redis")
        url = _next_database(cache_url)
    else:
        url = AMQP_URL
    if not _reachable(url):
        _unavailable(f"no {request.param} broker at {url}")
    return url


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def celery_backend(settings, broker_url, monkeypatch) -> Iterator[str]:
    """This process sends through ``broker_url`` on a queue of its own (deleted afterwards, so
    test runs leave nothing on the broker); returns the queue."""
    queue = f"congso-test-{uuid.uuid4().hex[:10]}"
    settings.JOBS_BACKEND = "celery"
    settings.CELERY_BROKER_URL = broker_url
    settings.JOBS_CELERY_QUEUE = queue
    app = celery_module.make_app(broker_url=broker_url)
    monkeypatch.setattr(celery_module, "app", app)
    yield queue
    if broker_url.startswith("redis"):
        # kombu's Redis channel only forgets the bindings it declared itself: delete the keys.
        redis.Redis.from_url(broker_url).delete(
            queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}"
        )
    else:
        with app.connection_for_write() as conn:
            conn.default_channel.queue_delete(queue)
            conn.default_channel.exchange_delete(queue)  # Celery declares a direct exchange per queue


@pytest.fixture
def celery_worker(celery_backend, broker_url, tmp_path) -> Iterator[subprocess.Popen[str]]:
    """A real ``celery worker`` process on the test database and the test queue."""
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"],
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": broker_url,
        "JOBS_BACKEND": "celery",
        "JOBS_CELERY_QUEUE": celery_backend,
        "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p),
    }
    command = [
        sys.executable, "-m", "celery", "-A", "congso.celery", "-b", broker_url, "worker",
        "-Q", celery_backend, "--pool", "solo", "--concurrency", "1",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
        "--loglevel", "INFO", "--hostname", f"{celery_backend}@%h",
    ]  # fmt: skip
    with log.open("w", encoding="utf-8") as out:
        worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, text=True)
    try:
        yield worker
    finally:
        # A warm shutdown on RabbitMQ takes seconds to close the connection; the jobs under test
        # are finished by now, so do not wait long for it.
        worker.terminate()
        try:
            worker.wait(timeout=3)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=10)
        print(log.read_text(encoding="utf-8")[-4000:])  # shown by pytest when the test fails


def _wait_for(check: Callable[[], bool], worker: subprocess.Popen[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        assert worker.poll() is None, "the Celery worker process exited"
        time.sleep(0.2)
    raise AssertionError("the job did not run through the broker in time")


def _job_status(job_id: int) -> str:
    return Job.objects.values_list("status", flat=True).get(pk=job_id)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_job_sent_through_the_broker_is_run_by_a_celery_worker_process(celery_worker, tmp_path):
    target = tmp_path / "ran.txt"

    job_id = jobs.enqueue("jobs.tests.probes.probe_write", path=str(target), token="Đã chạy qua Celery")

    _wait_for(lambda: _job_status(job_id) == "done", celery_worker)
    token, pid = target.read_text(encoding="utf-8").rsplit(" ", 1)
    assert token == "Đã chạy qua Celery"
    assert int(pid) == celery_worker.pid  # another process ran it, not this one
    job = Job.objects.get(pk=job_id)
    assert job.attempts == 1
    assert job.finished_at is not None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_failing_job_is_retried_through_the_broker_after_its_back_off(celery_worker, tmp_path):
    target = tmp_path / "flaky.txt"

    job_id = jobs.enqueue("jobs.tests.probes.probe_flaky", path=str(target))

    _wait_for(lambda: _job_status(job_id) == "done", celery_worker)
    job = Job.objects.get(pk=job_id)
    assert job.attempts == 2
    assert "RuntimeError: lần đầu lỗi" in job.last_error
    assert target.read_text(encoding="utf-8") == f"ok {celery_worker.pid}"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_beat_tick_fires_periodic_jobs_and_resends_a_job_the_broker_never_got(
    celery_worker, celery_backend, tmp_path
):
    target = tmp_path / "stranded.txt"
    # A job committed while the broker was down: queued, sent long ago, never run.
    job_id = jobs.enqueue("jobs.tests.probes.probe_write", path=str(target), token="gửi lại")
    long_ago = timezone.now() - dt.timedelta(hours=1)
    Job.objects.filter(pk=job_id).update(run_after=long_ago, dispatched_at=long_ago)
    _wait_for(lambda: _job_status(job_id) == "done", celery_worker)  # its first message did arrive
    Job.objects.filter(pk=job_id).update(
        status="queued", attempts=0, run_after=long_ago, dispatched_at=long_ago
    )
    target.unlink()

    celery_module.app.send_task(jobs.TICK_TASK, queue=celery_backend)  # what beat sends

    _wait_for(lambda: _job_status(job_id) == "done" and target.exists(), celery_worker)
    assert target.read_text(encoding="utf-8").startswith("gửi lại ")
    purge = PeriodicSchedule.objects.get(name="jobs.tasks.jobs_purge")
    assert purge.next_run_at > timezone.now()  # the worker's tick registered the schedules


def test_beat_is_configured_to_send_the_tick():
    app = celery_module.make_app(broker_url="redis://127.0.0.1:6379/15")

    entry = app.conf.beat_schedule["congso-jobs-tick"]
    assert entry["task"] == jobs.TICK_TASK
    assert entry["schedule"] == float(jobs.tick_seconds())
    assert app.conf.task_acks_late is True
