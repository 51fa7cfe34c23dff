"""The build's N-Quads and union files, written by one thread while the store's loader reads them.

Writing the two files of the full CAST system takes 3 to 4 s of the interpreter (2.3 million
lines each, and the SHA-256 of the N-Quads); the store's bulk loader then reads them for about
20 s. Done one after the other, the loader's second core waits through the writing. Here a thread
writes the files and ``Following`` reads them behind it: at the end of what is written so far it
waits for more, until the writer says the file is complete. The loader therefore starts at once,
and the files are whole on disk (for the TriG/Turtle child) a few seconds into the load.

Nothing is held in memory twice: the reader takes the bytes back from the files (the page cache),
not from a queue that a slower reader would let grow.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from castgraph.dataset.writer import HashingWriter

_BATCH = 4096  # lines per write


class WritingFailed(OSError):
    """The writer stopped before the end; the reader stops too instead of waiting."""


class Progress:
    """How far the writer has got in each file, under one condition the reader waits on."""

    def __init__(self, count: int) -> None:
        self.changed = threading.Condition()
        self.written = [0] * count  # bytes written and flushed, per file
        self.complete = [False] * count
        self.error: BaseException | None = None


def write_files(outputs: list[tuple[Path, Iterable[str]]], progress: Progress) -> str:
    """Write each file's lines in order, reporting each flushed batch; the first file's SHA-256.

    The reader opens a file only once some of it is flushed, so it never finds one missing.
    """
    first_hash = ""
    try:
        for index, (path, lines) in enumerate(outputs):
            with path.open("wb") as handle:
                hashing = HashingWriter(handle)
                for data in _batches(lines):
                    hashing.write(data)
                    handle.flush()
                    with progress.changed:
                        progress.written[index] += len(data)
                        progress.changed.notify_all()
            if index == 0:
                first_hash = hashing.sha256.hexdigest()
            with progress.changed:
                progress.complete[index] = True
                progress.changed.notify_all()
    except BaseException as error:
        with progress.changed:
            progress.error = error
            progress.changed.notify_all()
        raise
    return first_hash


class Following(io.RawIOBase):
    """The files of ``progress``, read one after the other as one binary stream, each as far as
    the writer has flushed it; at the end of the written part the reader waits for more."""

    def __init__(self, paths: list[Path], progress: Progress) -> None:
        self._paths = paths
        self._progress = progress
        self._index = 0
        self._position = 0
        self._handle: io.BufferedReader | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        progress = self._progress
        while self._index < len(self._paths):
            index = self._index
            with progress.changed:
                while (
                    progress.error is None
                    and not progress.complete[index]
                    and progress.written[index] <= self._position
                ):
                    progress.changed.wait()
                if progress.error is not None:
                    raise WritingFailed(f"writing {self._paths[index].name} failed") from None
                available = progress.written[index] - self._position
            if available <= 0:  # complete, and all of it read: the next file
                self._close_handle()
                self._index += 1
                self._position = 0
                continue
            if self._handle is None:
                self._handle = self._paths[index].open("rb", buffering=0)
            view = memoryview(buffer)[: min(len(buffer), available)]
            count = self._handle.readinto(view)
            if not count:  # flushed bytes are on disk: only a truncated file reads short
                raise WritingFailed(f"{self._paths[index].name} ended before its written size")
            self._position += count
            return count
        return 0

    def _close_handle(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def close(self) -> None:
        self._close_handle()
        super().close()


def _batches(lines: Iterable[str]) -> Iterator[bytes]:
    chunk: list[str] = []
    for line in lines:
        chunk.append(line)
        if len(chunk) >= _BATCH:
            yield "".join(chunk).encode("utf-8")
            chunk.clear()
    if chunk:
        yield "".join(chunk).encode("utf-8")
