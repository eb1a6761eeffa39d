"""Jobs used by the job-layer tests, importable by a worker in another process."""

from __future__ import annotations

import os
from pathlib import Path

from congso.jobs import job

CALLS: list[dict[str, object]] = []


@job(max_attempts=3, backoff_seconds=0)
def probe_record(*, token: str, n: int = 0) -> None:
    """Remember the call, in this process."""
    CALLS.append({"token": token, "n": n})


@job(max_attempts=3, backoff_seconds=1)
def probe_write(*, path: str, token: str) -> None:
    """Write the token and the id of the process that ran the job."""
    Path(path).write_text(f"{token} {os.getpid()}", encoding="utf-8")


@job(max_attempts=3, backoff_seconds=1)
def probe_flaky(*, path: str) -> None:
    """Fail the first time (leaving a mark), succeed the second."""
    mark = Path(path + ".first")
    if not mark.exists():
        mark.write_text("x", encoding="utf-8")
        raise RuntimeError("lần đầu lỗi")
    Path(path).write_text(f"ok {os.getpid()}", encoding="utf-8")


@job(max_attempts=2, backoff_seconds=5)
def probe_broken() -> None:
    raise RuntimeError("máy chủ không trả lời")


def not_a_job() -> None:
    """Importable, but not declared: must never run from a queue row."""
