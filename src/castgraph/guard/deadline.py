"""Run a callable in a forked child process that is killed at a deadline or on Ctrl-C.

The query engine (pyoxigraph) cannot be cancelled from Python and does not look at signals
while it works, so a runaway query is stopped the only reliable way: it runs in a child process,
which sends its result bytes back through a pipe; at the deadline the parent kills the child
(SIGKILL) and raises ``QueryTimeout``. Ctrl-C in the parent kills the child too and ends the
command with exit code 130 at once. The child may get an address-space cap (RLIMIT_AS) and,
where the kernel allows unprivileged namespaces, a network namespace of its own with no
interfaces up (a second wall behind the SERVICE refusal of ``guard.sparql``).

Exit codes: a timeout, an answer larger than the cap and a child out of memory are limits
reached, and every limit in ``castgraph.limits`` is bad input, exit 3 (the message says which
limit and how to raise it); Ctrl-C is 130 (128 + SIGINT, as shells report it); a child that
crashes is an internal error, exit 5.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import time
from collections.abc import Callable

from castgraph.errors import EXIT_INPUT, EXIT_INTERNAL, CastgraphError, InputError
from castgraph.limits import LIMITS, human_bytes

EXIT_INTERRUPTED = 130


class QueryTimeout(InputError):
    """The query ran longer than --timeout and was stopped (exit 3, like every limit reached)."""

    exit_code = EXIT_INPUT


class Interrupted(CastgraphError):
    """Ctrl-C: the work was stopped (exit 130)."""

    exit_code = EXIT_INTERRUPTED


class ChildCrashed(CastgraphError):
    exit_code = EXIT_INTERNAL


_OK = b"O"
_ERROR = b"E"


def run_with_deadline(
    function: Callable[[], bytes],
    *,
    timeout: float,
    memory_bytes: int | None = None,
    max_bytes: int | None = None,
    block_network: bool = True,
    what: str = "query",
    option: str = "--timeout",
) -> bytes:
    """``function()``'s bytes, computed in a child process killed after ``timeout`` seconds.

    The child dies with its parent (``PR_SET_PDEATHSIG``): a parent killed outright leaves no
    orphan at work.
    """
    cap = max_bytes if max_bytes is not None else LIMITS.result_bytes
    read_end, write_end = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_end)
        die_with(parent)
        _child(function, write_end, memory_bytes, block_network, what)
    os.close(write_end)
    chunks: list[bytes] = []
    total = 0
    stopped = False
    try:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                _kill(pid)
                stopped = True
                raise QueryTimeout(f"{what} stopped after {_seconds(timeout)} s ({option})")
            ready, _, _ = select.select([read_end], [], [], min(remaining, 0.5))
            if not ready:
                continue
            chunk = os.read(read_end, 1 << 20)
            if not chunk:
                break
            total += len(chunk)
            if total > cap + 1:
                _kill(pid)
                stopped = True
                raise InputError(f"{what}: answer larger than {human_bytes(cap)}; narrow the query")
            chunks.append(chunk)
    except KeyboardInterrupt:
        _kill(pid)
        stopped = True
        raise Interrupted(f"{what} interrupted") from None
    finally:
        os.close(read_end)
        if stopped:
            _reap(pid)
    status = _reap(pid)
    data = b"".join(chunks)
    if data[:1] == _OK and status == 0:
        return data[1:]
    if data[:1] == _ERROR:
        problem = json.loads(data[1:].decode("utf-8"))
        if problem["code"] == EXIT_INPUT:
            raise InputError(problem["message"])
        error = CastgraphError(problem["message"])
        error.exit_code = problem["code"]
        raise error
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        if number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):  # Ctrl-C reached it first
            raise Interrupted(f"{what} interrupted")
        if memory_bytes and number in (signal.SIGABRT, signal.SIGSEGV, signal.SIGKILL):
            raise InputError(
                f"{what}: stopped, it needed more than {human_bytes(memory_bytes)} of memory"
            )
        raise ChildCrashed(f"internal error: the {what} process died of signal {number}")
    raise ChildCrashed(f"internal error: the {what} process ended without an answer")


def _seconds(value: float) -> str:
    return f"{value:g}"


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def _reap(pid: int) -> int:
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            return status
        except ChildProcessError:
            return 0
        except InterruptedError:
            continue
        except KeyboardInterrupt:
            _kill(pid)


def _child(
    function, write_end: int, memory_bytes: int | None, block_network: bool, what: str
) -> None:
    code = 0
    try:
        import faulthandler

        faulthandler.disable()  # a crash is reported by the parent, in one line
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends the child at once
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        if block_network:
            _leave_network()
        if memory_bytes:
            import resource

            with contextlib.suppress(ValueError, OSError):
                resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        try:
            payload = _OK + function()
        except CastgraphError as error:
            payload = _ERROR + _problem(str(error), error.exit_code)
        except MemoryError:
            cap = human_bytes(memory_bytes) if memory_bytes else "the available memory"
            payload = _ERROR + _problem(
                f"{what}: stopped, it needed more than {cap} of memory", EXIT_INPUT
            )
        except RecursionError:
            payload = _ERROR + _problem(f"{what}: stopped, it recursed too deeply", EXIT_INPUT)
        except Exception as error:
            payload = _ERROR + _problem(
                f"internal error: {type(error).__name__}: {error} (re-run with --debug)",
                EXIT_INTERNAL,
            )
        view = memoryview(payload)
        while view:
            written = os.write(write_end, view)
            view = view[written:]
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _problem(message: str, code: int) -> bytes:
    return json.dumps({"message": " ".join(message.split()), "code": code}).encode("utf-8")


def die_with(parent: int) -> None:
    """Ask the kernel to kill this process when its parent ends (Linux), then check it has not."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:  # not Linux: Ctrl-C still reaches the child through the process group
        return
    if os.getppid() != parent:  # the parent ended before the request took effect
        os._exit(1)


def _leave_network() -> None:
    """Move this process into new user + network namespaces (no interfaces up), if allowed."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        clone_newuser, clone_newnet = 0x10000000, 0x40000000
        libc.unshare(clone_newuser | clone_newnet)
    except Exception:  # not Linux, or not permitted: the SERVICE refusal still stands
        pass
