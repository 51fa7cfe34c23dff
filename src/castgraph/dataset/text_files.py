"""The TriG and Turtle files of a build, re-serialized from its sorted N-Quads and union N-Triples,
and the name index (``name_index``) taken from the union.

Re-serializing two million statements costs about 6 s of CPU, all of it with the interpreter
lock held (pyoxigraph's serializer pulls Python quad objects from its parser). For a large
dataset the two files are written by a child process (``python -m
castgraph.dataset.text_files``), on the other core, while the build compacts the store (which
keeps one core busy) and validates it; a small one is written in-process, where a process would
cost more than it saves. Beside the bulk load, which keeps both cores busy, the child made the
build slower: 3 builds at 150,000 organizations, in turn, medians 57.2 s -> 55.1 s.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from pyoxigraph import RdfFormat

from castgraph.dataset import name_index
from castgraph.dataset.writer import HashingWriter, reserialize

IN_PROCESS_BELOW = 16 * 1024 * 1024  # bytes of N-Quads: smaller datasets are written in-process


def write_text_files(
    nquads: Path, union: Path, trig: Path, turtle: Path, names: Path, build: str
) -> dict[str, str]:
    """Write ``trig`` from ``nquads``, ``turtle`` and the name index ``names`` of ``build`` (the
    N-Quads' SHA-256) from ``union``; the SHA-256 of each file by its kind."""
    hashes = {"trig": _reserialize(nquads, RdfFormat.N_QUADS, "trig", trig)}
    hashes["turtle"] = _reserialize(union, RdfFormat.N_TRIPLES, "turtle", turtle)
    with names.open("wb") as index:
        names_hash = HashingWriter(index)
        name_index.write(union, names_hash, build)
    hashes["names"] = names_hash.sha256.hexdigest()
    return hashes


class TextFiles:
    """``with TextFiles(nquads, union, trig, turtle, names, build) as job:`` writes the three
    files during the block (in a child process when the dataset is large); ``job.hashes`` after.

    Leaving the block waits for the child; leaving it on an error kills the child first, so
    nothing writes into a staging folder being removed.
    """

    def __init__(
        self, nquads: Path, union: Path, trig: Path, turtle: Path, names: Path, build: str
    ) -> None:
        self.paths = (nquads, union, trig, turtle, names)
        self.build = build
        self.hashes: dict[str, str] = {}
        self._child: subprocess.Popen | None = None

    def __enter__(self) -> TextFiles:
        if self.paths[0].stat().st_size < IN_PROCESS_BELOW:
            self.hashes = write_text_files(*self.paths, self.build)
            return self
        env = {**os.environ, _PARENT: str(os.getpid())}
        self._child = subprocess.Popen(
            [sys.executable, "-m", __name__, *map(str, self.paths), self.build],
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
            raise RuntimeError(f"writing the TriG, Turtle and name index files failed: {last[0]}")
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
    *paths, build = arguments
    sys.stdout.write(json.dumps(write_text_files(*map(Path, paths), build)))


if __name__ == "__main__":
    _main(sys.argv[1:])
