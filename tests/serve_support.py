"""Start the real `castgraph serve` (uvicorn, worker processes) on a free loopback port."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Served:
    base: str
    process: subprocess.Popen
    log: list[str] = field(default_factory=list)  # stderr lines (the access log)


def wait_for_idle_workers(base: str, timeout: float = 30) -> None:
    """Until every worker of the pool is started and idle (after one was killed, say)."""
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pool = httpx.get(base + "/status").json()["pool"]
        if pool["idle"] == pool["workers"]:
            return
        time.sleep(0.05)
    raise TimeoutError("the worker pool did not come back")


@contextmanager
def running_server(dist: Path, *extra: str, timeout: float = 60) -> Iterator[Served]:
    command = [sys.executable, "-m", "castgraph", "serve", "--port", "0", "--dist-dir", str(dist)]
    process = subprocess.Popen(
        [*command, *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    log: list[str] = []
    threading.Thread(target=lambda: log.extend(process.stderr), daemon=True).start()
    line = ""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if "listening on" in line or not line:
            break
    match = re.search(r"listening on (http://\S+?)/? ", line)
    if match is None:
        process.kill()
        raise RuntimeError(f"castgraph serve did not start: {line!r} {log!r}")
    served = Served(match.group(1).rstrip("/"), process, log)
    wait_for_idle_workers(served.base)
    try:
        yield served
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
