"""Long native calls run beside the main thread, so Ctrl-C ends a command at once.

Python handles SIGINT only in the main thread and only between bytecodes: while the main thread
is inside one long pyoxigraph call (a SPARQL query of the validation, a bulk load), Ctrl-C waits
for the call to return, tens of seconds at scale. Run in a daemon thread, the call releases the
GIL and the main thread waits in an interruptible ``join``: KeyboardInterrupt arrives at once,
the command exits 130, and the worker dies with the process. What the worker was writing is
in a build's staging folder, never in ``dist/`` (the next build removes a stale staging folder).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def run_interruptibly(function: Callable[[], T]) -> T:
    """``function()``, computed in a daemon thread while the main thread waits for it."""
    if threading.current_thread() is not threading.main_thread():
        return function()  # only the main thread receives signals: nothing to gain
    outcome: dict[str, object] = {}

    def work() -> None:
        try:
            outcome["value"] = function()
        except BaseException as error:  # handed to the waiting thread
            outcome["error"] = error

    worker = threading.Thread(target=work, name="castgraph-work", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(0.25)  # a timed wait: a signal handler runs between the waits
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]
