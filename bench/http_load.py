"""Drive a running HTTP server on loopback for a fixed time: ``wrk`` when installed, else a small
multi-process Python client (keep-alive connections, one request at a time each).

Both return the same :class:`LoadResult`: requests done, failures (a transport error or a status
other than 200), requests per second and latency percentiles.
"""

from __future__ import annotations

import http.client
import multiprocessing
import re
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

WRK_THREADS = 2
WRK_CONNECTIONS = 8
PYTHON_CLIENTS = 4


@dataclass(frozen=True)
class LoadResult:
    requests: int
    errors: int
    rps: float
    p50_ms: float
    p99_ms: float


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    found = re.fullmatch(r"([\d.]+)(us|ms|s)", text.strip())
    if found is None:
        raise ValueError(f"unreadable wrk latency {text!r}")
    return float(found.group(1)) * _UNITS[found.group(2)]


def wrk_load(port: int, paths: list[str], *, seconds: int) -> LoadResult:
    """``wrk`` with a Lua script that walks through ``paths`` in turn."""
    script = Path(tempfile.mkdtemp(prefix="congso-wrk-")) / "paths.lua"
    listed = ",\n".join(f'  "{path}"' for path in paths)
    script.write_text(
        "local paths = {\n" + listed + "\n}\n"
        "local i = 0\n"
        "request = function()\n"
        "  i = i % #paths + 1\n"
        '  return wrk.format("GET", paths[i])\n'
        "end\n"
    )
    command = [
        "wrk",
        f"-t{WRK_THREADS}",
        f"-c{WRK_CONNECTIONS}",
        f"-d{seconds}s",
        "--latency",
        "-s",
        str(script),
        f"http://127.0.0.1:{port}",
    ]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    percentiles = {int(p): _ms(v) for p, v in re.findall(r"^\s+(50|99)%\s+(\S+)", out, re.MULTILINE)}
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = int(bad.group(1)) if bad else 0
    if socket:
        errors += sum(int(n) for n in socket.groups())
    return LoadResult(total, errors, rps, percentiles[50], percentiles[99])


def _client(port: int, paths: list[str], seconds: float, offset: int) -> tuple[list[float], int]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    latencies: list[float] = []
    errors = 0
    i = offset
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        path = paths[i % len(paths)]
        i += 1
        started = time.perf_counter()
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                errors += 1
        except (OSError, http.client.HTTPException):
            errors += 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        latencies.append((time.perf_counter() - started) * 1000)
    conn.close()
    return latencies, errors


def python_load(port: int, paths: list[str], *, seconds: int) -> LoadResult:
    """``PYTHON_CLIENTS`` processes, each with one keep-alive connection."""
    with multiprocessing.get_context("spawn").Pool(PYTHON_CLIENTS) as pool:
        parts = pool.starmap(_client, [(port, paths, seconds, n * 97) for n in range(PYTHON_CLIENTS)])
    elapsed = float(seconds)  # each client ran for that long (process start-up excluded)
    latencies = sorted(lat for part, _ in parts for lat in part)
    errors = sum(e for _, e in parts)

    def pct(p: float) -> float:
        return (
            latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] if latencies else float("nan")
        )

    return LoadResult(len(latencies), errors, len(latencies) / elapsed, pct(50), pct(99))
