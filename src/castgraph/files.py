"""Atomic file output: write to a temporary file beside the target, then rename over it.

A failed or interrupted write never leaves a half-written file where a good one stood.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


def _umask_mode() -> int:
    """The mode a plainly created file gets (mkstemp would leave it readable by its owner only)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with _temporary_beside(path) as (handle, temp):
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
        os.chmod(temp, _umask_mode())
        os.replace(temp, path)


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator:
    """A binary handle whose content replaces ``path`` only when the block completes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with _temporary_beside(path) as (handle, temp):
        yield handle
        handle.flush()
        os.fsync(handle.fileno())
        os.chmod(temp, _umask_mode())
        os.replace(temp, path)


def write_all_atomic(outputs: dict[Path, bytes]) -> None:
    """Write several files so that either all are replaced or none is.

    Every file is first written to a temporary name; only when all succeeded are they renamed
    into place (renames on one file system do not fail half-way in practice).
    """
    temps: list[tuple[Path, Path]] = []
    try:
        for path, data in outputs.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            temps.append((Path(name), path))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(name, _umask_mode())
        for temp, path in temps:
            os.replace(temp, path)
        temps.clear()
    finally:
        for temp, _ in temps:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()


@contextlib.contextmanager
def _temporary_beside(path: Path) -> Iterator[tuple,]:
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle, temp
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
