"""A small pool of warm query worker processes, with a deadline per query that really stops it.

pyoxigraph has no per-query timeout and does not look at signals while it evaluates, so (as in
``castgraph query``, ``castgraph.guard.deadline``) a query runs in a process that is killed at
the deadline. Here the processes are started once and kept warm, so a fast query costs one pipe
round trip (~0.1 ms) instead of a fork:

* a job waits for an idle worker no longer than its own deadline (and at most ``max_waiting``
  jobs wait at all): past that the server answers 503 with ``Retry-After``;
* a job still running at the deadline: its worker is killed (SIGKILL) and a new one started;
* a job running longer than ``demote_after`` seconds gets a lower CPU priority (nice 10), so the
  fast queries beside it keep their latency; after that job the worker gets its priority back
  (where the process may raise it) or is replaced;
* a worker that dies (out of memory, a crash) is replaced; the job gets a one-line 500/503.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import struct
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from castgraph.web.worker import READY


class PoolBusy(Exception):
    """Every worker is busy and the queue is full, or stayed so until the deadline (503)."""


class QueryTimedOut(Exception):
    """The job ran past its deadline; its worker was killed (503)."""


class WorkerDied(Exception):
    """The worker ended without an answer (out of memory or a crash)."""


@dataclass
class Reply:
    status: int
    media: str
    body: bytes


class _Process:
    def __init__(self, process: asyncio.subprocess.Process):
        self.process = process
        self.demoted = False

    @property
    def pid(self) -> int:
        return self.process.pid

    async def ask(self, job: bytes) -> Reply:
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.write(struct.pack(">I", len(job)) + job)
        await self.process.stdin.drain()
        line = await self.process.stdout.readline()
        if not line:
            raise WorkerDied
        header = json.loads(line)
        body = await self.process.stdout.readexactly(header["length"])
        return Reply(header["status"], header["type"], body)

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.process.send_signal(signal.SIGKILL)


class WorkerPool:
    def __init__(
        self,
        *,
        dist_dir: Path,
        dataset_file: Path | None,
        size: int,
        timeout: float,
        max_bytes: int,
        memory_bytes: int = 0,
        max_waiting: int = 64,
        demote_after: float = 0.25,
    ):
        self.command = [
            sys.executable,
            "-m",
            "castgraph.web.worker",
            "--dist-dir",
            str(dist_dir),
            "--max-bytes",
            str(max_bytes),
            "--memory-bytes",
            str(memory_bytes),
        ]
        if dataset_file is not None:
            self.command += ["--dataset", str(dataset_file)]
        self.size = size
        self.timeout = timeout
        self.max_waiting = max_waiting
        self.demote_after = demote_after
        self._idle: asyncio.Queue[_Process] = asyncio.Queue()
        self._all: set[_Process] = set()
        self._waiting = 0
        self._closed = False
        self._spawning: set[asyncio.Task] = set()
        self.killed = 0  # workers killed at a deadline (for tests and the log)

    async def start(self) -> None:
        processes = await asyncio.gather(*(self._spawn() for _ in range(self.size)))
        for process in processes:
            self._idle.put_nowait(process)

    async def _spawn(self) -> _Process:
        process = await asyncio.create_subprocess_exec(
            *self.command,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            limit=1 << 20,
        )
        assert process.stdout is not None
        try:
            ready = await asyncio.wait_for(process.stdout.readline(), timeout=120)
        except TimeoutError:
            ready = b""
        if ready != READY:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()
            raise RuntimeError("a query worker did not start (is the dataset readable?)")
        worker = _Process(process)
        self._all.add(worker)
        return worker

    def _replace(self, worker: _Process) -> None:
        worker.kill()
        self._all.discard(worker)
        task = asyncio.ensure_future(self._reap_and_respawn(worker))
        self._spawning.add(task)
        task.add_done_callback(self._spawning.discard)

    async def _reap_and_respawn(self, worker: _Process) -> None:
        with contextlib.suppress(Exception):
            await worker.process.wait()
        if self._closed:
            return
        try:
            fresh = await self._spawn()
        except Exception as error:
            print(f"castgraph serve: {error}", file=sys.stderr)
            return
        if self._closed:
            fresh.kill()
            return
        self._idle.put_nowait(fresh)

    def status(self) -> dict:
        return {
            "workers": self.size,
            "running": len(self._all),
            "idle": self._idle.qsize(),
            "waiting": self._waiting,
            "killed_at_deadline": self.killed,
        }

    @property
    def pids(self) -> set[int]:
        return {w.pid for w in self._all}

    async def run(self, job: dict, timeout: float | None = None, demote: bool = True) -> Reply:
        """Send ``job`` to an idle worker; its answer, or PoolBusy / QueryTimedOut / WorkerDied.
        ``demote``: lower the priority of the job's worker when it runs long (users' queries;
        not our own pages, whose cost is bounded)."""
        limit = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + limit
        if self._waiting >= self.max_waiting:
            raise PoolBusy
        self._waiting += 1
        try:
            worker = await asyncio.wait_for(self._idle.get(), timeout=limit)
        except TimeoutError:
            raise PoolBusy from None
        finally:
            self._waiting -= 1
        data = json.dumps(job).encode("utf-8")
        loop = asyncio.get_running_loop()
        timer = loop.call_later(self.demote_after, self._demote, worker) if demote else None
        healthy = False
        try:
            reply = await asyncio.wait_for(
                worker.ask(data), timeout=max(0.001, deadline - time.monotonic())
            )
            healthy = True
            return reply
        except TimeoutError:
            self.killed += 1
            raise QueryTimedOut from None
        except (asyncio.IncompleteReadError, ConnectionError, WorkerDied, ValueError):
            raise WorkerDied from None
        finally:
            if timer is not None:
                timer.cancel()
            if healthy and worker.demoted:
                self._restore(worker)
            if healthy and not worker.demoted and not self._closed:
                self._idle.put_nowait(worker)
            else:
                self._replace(worker)

    @staticmethod
    def _demote(worker: _Process) -> None:
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, worker.pid, 10)
            worker.demoted = True

    @staticmethod
    def _restore(worker: _Process) -> None:
        """Its normal priority back (allowed to root or with CAP_SYS_NICE; else it is replaced)."""
        try:
            os.setpriority(os.PRIO_PROCESS, worker.pid, 0)
        except OSError:
            return
        worker.demoted = False

    async def close(self) -> None:
        self._closed = True
        for task in list(self._spawning):
            task.cancel()
        for worker in list(self._all):
            worker.kill()
        for worker in list(self._all):
            with contextlib.suppress(Exception):
                await asyncio.wait_for(worker.process.wait(), timeout=5)
        self._all.clear()
