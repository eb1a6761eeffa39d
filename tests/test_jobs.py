"""The job layer on the embedded and inline backends: enqueue after commit, run, retry with
back-off, record errors, fire periodic jobs once, recover from a dead worker."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from congso import jobs
from jobs.models import Job, PeriodicSchedule
from jobs.services import job_run, jobs_purge, periodic_tick
from jobs.tests import probes
from jobs.worker import Worker

pytestmark = pytest.mark.django_db

RECORD = "jobs.tests.probes.probe_record"
BROKEN = "jobs.tests.probes.probe_broken"


@pytest.fixture(autouse=True)
def _embedded(settings, only_periodic) -> Iterator[None]:
    settings.JOBS_BACKEND = "embedded"
    settings.CELERY_BROKER_URL = None
    probes.CALLS.clear()
    yield
    probes.CALLS.clear()


@pytest.fixture
def only_periodic() -> Iterator[dict[str, jobs.PeriodicSpec]]:
    """Isolate the periodic registry: the apps' schedules (reminders …) stay out of these tests,
    which declare their own."""
    saved = dict(jobs._periodic)
    saved_discovered = jobs._discovered
    jobs._periodic.clear()
    jobs._discovered = True
    yield jobs._periodic
    jobs._periodic.clear()
    jobs._periodic.update(saved)
    jobs._discovered = saved_discovered


def test_an_enqueued_job_waits_in_the_table_until_the_worker_runs_it():
    job_id = jobs.enqueue(RECORD, token="hồ sơ", n=3)

    job = Job.objects.get(pk=job_id)
    assert (job.func, job.kwargs, job.status, job.attempts) == (
        RECORD,
        {"token": "hồ sơ", "n": 3},
        "queued",
        0,
    )
    assert probes.CALLS == []

    assert Worker(name="w1").run(until_idle=True) == 1

    job.refresh_from_db()
    assert probes.CALLS == [{"token": "hồ sơ", "n": 3}]
    assert (job.status, job.attempts, job.locked_by) == ("done", 1, "")
    assert job.finished_at is not None


def test_a_job_asked_for_in_a_rolled_back_transaction_never_exists():
    class Boom(Exception):
        pass

    def change_that_fails() -> None:
        with transaction.atomic():
            jobs.enqueue(RECORD, token="x")
            raise Boom

    with pytest.raises(Boom):
        change_that_fails()

    assert not Job.objects.exists()


def test_only_declared_functions_with_plain_json_arguments_can_be_queued():
    with pytest.raises(jobs.UnknownJob):
        jobs.enqueue("jobs.tests.probes.not_a_job")
    with pytest.raises(jobs.UnknownJob):
        jobs.enqueue("os.system", command="true")
    with pytest.raises(jobs.UnknownJob):
        jobs.enqueue("jobs.tests.probes.no_such_function")
    with pytest.raises(TypeError, match="plain JSON"):
        jobs.enqueue(RECORD, token=timezone.now())
    with pytest.raises(TypeError, match="JSON"):
        jobs.enqueue(RECORD, token=("a", "b"))
    assert not Job.objects.exists()


def test_a_failing_job_is_retried_by_the_worker_until_it_succeeds(tmp_path):
    target = tmp_path / "out.txt"
    job_id = jobs.enqueue("jobs.tests.probes.probe_flaky", path=str(target))
    now = timezone.now()

    first = job_run(job_id, worker="w1", now=now, due_only=True)

    job = Job.objects.get(pk=job_id)
    assert first.status == "retry"
    assert first.retry_in == 1.0
    assert job.status == "queued"
    assert job.attempts == 1
    assert "RuntimeError: lần đầu lỗi" in job.last_error
    assert job.run_after >= now + dt.timedelta(seconds=1)
    assert job_run(job_id, worker="w1", now=now, due_only=True).status == "skipped"  # not due yet

    second = job_run(job_id, worker="w1", now=job.run_after, due_only=True)

    job.refresh_from_db()
    assert second.status == "done"
    assert (job.status, job.attempts) == ("done", 2)
    assert target.read_text(encoding="utf-8").startswith("ok ")


def test_the_worker_loop_itself_retries_a_failed_job_when_its_back_off_is_over(tmp_path):
    @jobs.job(max_attempts=3, backoff_seconds=0)
    def flaky_now() -> None:
        probes.CALLS.append({"try": len(probes.CALLS)})
        if len(probes.CALLS) == 1:
            raise ValueError("tạm thời")

    job_id = jobs.enqueue(f"{__name__}.{flaky_now.__qualname__}")

    assert Worker(name="w1").run(until_idle=True) == 2

    job = Job.objects.get(pk=job_id)
    assert (job.status, job.attempts) == ("done", 2)
    assert "ValueError: tạm thời" in job.last_error  # the earlier failure stays visible


def test_back_off_doubles_and_a_job_out_of_attempts_is_failed_with_its_error():
    job_id = jobs.enqueue(BROKEN)
    now = timezone.now()

    assert job_run(job_id, worker="w", now=now).retry_in == 5.0
    job = Job.objects.get(pk=job_id)
    assert job_run(job_id, worker="w", now=job.run_after).status == "failed"

    job.refresh_from_db()
    assert (job.status, job.attempts) == ("failed", 2)
    assert "máy chủ không trả lời" in job.last_error
    assert job.finished_at is not None
    assert jobs.resolve(BROKEN).backoff(1) == dt.timedelta(seconds=5)
    assert jobs.resolve(BROKEN).backoff(3) == dt.timedelta(seconds=20)
    assert jobs.resolve(BROKEN).backoff(30) == dt.timedelta(hours=6)


def test_a_job_already_run_is_not_run_again():
    job_id = jobs.enqueue(RECORD, token="một lần")

    assert job_run(job_id, worker="w2").status == "done"
    assert job_run(job_id, worker="w3").status == "skipped"
    assert probes.CALLS == [{"token": "một lần", "n": 0}]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_workers_running_side_by_side_run_each_job_exactly_once():
    ids = [jobs.enqueue(RECORD, token=f"t{i}", n=i) for i in range(40)]
    workers = [Worker(name=f"w{i}", poll_seconds=0) for i in range(3)]
    errors: list[BaseException] = []

    def drain(worker: Worker) -> None:
        try:
            worker.run(until_idle=True)
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=drain, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(int(str(call["n"])) for call in probes.CALLS) == list(range(40))
    assert set(Job.objects.filter(pk__in=ids).values_list("status", "attempts")) == {("done", 1)}
    assert len(set(Job.objects.values_list("locked_by", flat=True))) == 1  # cleared after each run


def test_inline_jobs_run_when_the_transaction_commits(settings, django_capture_on_commit_callbacks):
    settings.JOBS_BACKEND = "inline"

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job_id = jobs.enqueue(RECORD, token="ngay")
        assert probes.CALLS == []

    assert len(callbacks) == 1
    assert probes.CALLS == [{"token": "ngay", "n": 0}]
    assert Job.objects.get(pk=job_id).status == "done"


def test_a_failing_inline_job_does_not_break_the_caller_and_stays_queued_for_a_worker(
    settings, django_capture_on_commit_callbacks
):
    settings.JOBS_BACKEND = "inline"

    with django_capture_on_commit_callbacks(execute=True):
        job_id = jobs.enqueue(BROKEN)

    job = Job.objects.get(pk=job_id)
    assert (job.status, job.attempts) == ("queued", 1)
    assert "máy chủ không trả lời" in job.last_error
    assert job.run_after > timezone.now()


def test_a_periodic_job_fires_once_per_period_however_many_workers_tick(only_periodic):
    @jobs.periodic(every=dt.timedelta(minutes=15))
    def every_quarter() -> None:
        probes.CALLS.append({"tick": True})

    path = f"{__name__}.{every_quarter.__qualname__}"
    now = timezone.now()

    fired = periodic_tick(now=now)
    assert len(fired) == 1
    assert Job.objects.get(pk=fired[0]).func == path
    assert periodic_tick(now=now) == []  # a second worker, same moment
    assert periodic_tick(now=now + dt.timedelta(minutes=14)) == []
    assert len(periodic_tick(now=now + dt.timedelta(minutes=15))) == 1

    schedule = PeriodicSchedule.objects.get(name=path)
    assert schedule.next_run_at == now + dt.timedelta(minutes=30)
    assert Job.objects.filter(func=path).count() == 2

    Worker(name="w").run(until_idle=True)
    assert probes.CALLS.count({"tick": True}) == 2


def test_a_daily_job_runs_at_its_local_time(only_periodic):
    spec = jobs.PeriodicSpec("x", every=None, daily_at=dt.time(7, 30))
    tz = timezone.get_current_timezone()
    early = dt.datetime(2025, 4, 24, 6, 0, tzinfo=tz)
    late = dt.datetime(2025, 4, 24, 9, 0, tzinfo=tz)

    assert spec.first_run(early) == dt.datetime(2025, 4, 24, 7, 30, tzinfo=tz)
    assert spec.first_run(late) == dt.datetime(2025, 4, 25, 7, 30, tzinfo=tz)
    assert spec.next_after(dt.datetime(2025, 4, 24, 7, 30, tzinfo=tz)) == dt.datetime(
        2025, 4, 25, 7, 30, tzinfo=tz
    )


def test_a_job_whose_worker_died_is_put_back_and_then_run():
    job_id = jobs.enqueue(RECORD, token="mồ côi")
    past = timezone.now() - dt.timedelta(hours=1)
    Job.objects.filter(pk=job_id).update(status="running", attempts=1, locked_by="dead", locked_until=past)

    periodic_tick()

    job = Job.objects.get(pk=job_id)
    assert (job.status, job.locked_by) == ("queued", "")
    assert "dừng giữa chừng" in job.last_error
    Worker(name="w").run(until_idle=True)
    assert Job.objects.get(pk=job_id).status == "done"


def test_run_worker_once_runs_what_is_due(capsys):
    jobs.enqueue(RECORD, token="lệnh")

    call_command("run_worker", "--once", "--name", "cron")

    assert probes.CALLS == [{"token": "lệnh", "n": 0}]
    assert "cron: 1 job(s) run" in capsys.readouterr().out
    assert Job.objects.get().locked_by == ""


def test_done_jobs_are_purged_after_the_keeping_period_failed_ones_stay(settings):
    settings.JOBS_KEEP_DAYS = 14
    done = jobs.enqueue(RECORD, token="a")
    failed = jobs.enqueue(BROKEN)
    old = timezone.now() - dt.timedelta(days=15)
    Job.objects.filter(pk=done).update(status="done", finished_at=old)
    Job.objects.filter(pk=failed).update(status="failed", finished_at=old)

    assert jobs_purge() == 1
    assert list(Job.objects.values_list("pk", flat=True)) == [failed]


def test_the_backend_must_be_known_and_celery_needs_a_broker(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.JOBS_BACKEND = "rabbit"
    with pytest.raises(ImproperlyConfigured, match="JOBS_BACKEND"):
        jobs.backend()
    settings.JOBS_BACKEND = "celery"
    with pytest.raises(ImproperlyConfigured, match="CELERY_BROKER_URL"):
        jobs.backend()
    settings.JOBS_BACKEND = None
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/15"
    assert jobs.backend() == "celery"


def test_the_operator_sees_a_failed_job_with_its_error_and_can_run_it_again(client, admin):
    job_id = jobs.enqueue(BROKEN)
    Job.objects.filter(pk=job_id).update(status="failed", attempts=2, last_error="RuntimeError: hỏng")
    client.force_login(admin)

    page = client.get("/quan-tri/jobs/job/")
    assert page.status_code == 200
    assert "RuntimeError: hỏng" in page.content.decode()

    response = client.post(
        "/quan-tri/jobs/job/", {"action": "run_again", "_selected_action": [job_id]}, follow=True
    )

    assert "Đã xếp lại 1 việc để chạy." in response.content.decode()
    job = Job.objects.get(pk=job_id)
    assert (job.status, job.attempts) == ("queued", 0)
    assert client.get(f"/quan-tri/jobs/job/{job_id}/change/").status_code == 200
    assert client.get("/quan-tri/jobs/job/add/").status_code == 403
