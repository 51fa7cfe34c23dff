"""The TriG and Turtle files of a build, re-serialized from its sorted N-Quads and union N-Triples.

Re-serializing two million statements costs about 16 s of CPU, all of it with the interpreter
lock held (pyoxigraph's serializer pulls Python quad objects from its parser). For a large
dataset the two files are written by a child process (``python -m
castgraph.dataset.text_files``), on the other core, while the build loads the store and
validates it; a small one is written in-process, where a process would cost more than it saves.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from pyoxigraph import RdfFormat

from castgraph.dataset.writer import HashingWriter, reserialize

IN_PROCESS_BELOW = 16 * 1024 * 1024  # bytes of N-Quads: smaller datasets are written in-process


def write_text_files(nquads: Path, union: Path, trig: Path, turtle: Path) -> dict[str, str]:
    """Write ``trig`` from ``nquads`` and ``turtle`` from ``union``; their SHA-256 by name."""
    return {
        "trig": _reserialize(nquads, RdfFormat.N_QUADS, "trig", trig),
        "turtle": _reserialize(union, RdfFormat.N_TRIPLES, "turtle", turtle),
    }


class TextFiles:
    """``with TextFiles(nquads, union, trig, turtle) as job:`` writes the two files during the
    block (in a child process when the dataset is large); ``job.hashes`` after it.

    Leaving the block waits for the child; leaving it on an error kills the child first, so
    nothing writes into a staging folder being removed.
    """

    def __init__(self, nquads: Path, union: Path, trig: Path, turtle: Path) -> None:
        self.paths = (nquads, union, trig, turtle)
        self.hashes: dict[str, str] = {}
        self._child: subprocess.Popen | None = None

    def __enter__(self) -> TextFiles:
        if self.paths[0].stat().st_size < IN_PROCESS_BELOW:
            self.hashes = write_text_files(*self.paths)
            return self
        env = {**os.environ, _PARENT: str(os.getpid())}
        self._child = subprocess.Popen(
            [sys.executable, "-m", __name__, *map(str, self.paths)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        return self

    def __exit__(self, kind, error, traceback) -> None:
        child = self._child
        if child is None:
            return
        if kind is not None:
            child.kill()
            child.wait()
            return
        out, err = child.communicate()
        if child.returncode != 0:
            last = err.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
            raise RuntimeError(f"writing the TriG and Turtle files failed: {last[0]}")
        self.hashes = json.loads(out)


_PARENT = "CASTGRAPH_TEXT_FILES_PARENT"


def _reserialize(source: Path, source_format: RdfFormat, fmt: str, target: Path) -> str:
    with source.open("rb") as inp, target.open("wb") as out:
        hashing = HashingWriter(out)
        reserialize(inp, source_format, fmt, hashing)
    return hashing.sha256.hexdigest()


def _main(arguments: list[str]) -> None:
    from castgraph.guard.deadline import die_with

    parent = os.environ.get(_PARENT)
    if parent:
        die_with(int(parent))
    nquads, union, trig, turtle = map(Path, arguments)
    sys.stdout.write(json.dumps(write_text_files(nquads, union, trig, turtle)))


if __name__ == "__main__":
    _main(sys.argv[1:])
