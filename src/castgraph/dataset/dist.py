"""The build's output folder, replaced as one unit under a lock.

A build writes everything (the TriG, N-Quads and Turtle files, the summary, the store) into a
staging folder beside ``dist/`` and, only when all of it is written and checked, swaps the staging
folder with ``dist/`` in one atomic ``renameat2(RENAME_EXCHANGE)``. A build that fails or is killed
leaves ``dist/`` as it was (the next build removes the stale staging folder). The previous build
stays in ``.dist.previous/`` until the next one, so a command that opened the old store keeps
reading it. A lock file beside ``dist/`` makes a second concurrent build fail at once instead of
interleaving with the first.

Entries of ``dist/`` that the build does not write (a user's own files) are carried over.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
import tempfile
from pathlib import Path
from types import TracebackType

from castgraph.errors import EnvironmentProblem, display_path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


class DistWriter:
    """``with DistWriter(out) as staging: ...; staging.commit()``: all of ``out`` or nothing."""

    def __init__(self, out_dir: Path, owned: frozenset[str], *, durable: bool = True) -> None:
        self.out_dir = out_dir
        self.owned = owned  # the names the build writes; anything else in out_dir is carried over
        # durable: fsync every file before the swap (a build); a static site of thousands of
        # small files, which can be written again, skips it (the swap stays atomic)
        self.durable = durable
        parent = out_dir.resolve().parent
        self._parent = parent
        self._lock_path = parent / f".{out_dir.name}.lock"
        self._previous = parent / f".{out_dir.name}.previous"
        self._lock_handle = None
        self.staging: Path | None = None
        self._committed = False

    def __enter__(self) -> DistWriter:
        self._parent.mkdir(parents=True, exist_ok=True)
        handle = self._lock_path.open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            raise EnvironmentProblem(
                f"{display_path(self.out_dir)}: another `castgraph build` is writing it "
                f"(lock {display_path(self._lock_path)}); wait for it to finish"
            ) from None
        self._lock_handle = handle
        for stale in self._parent.glob(f".{self.out_dir.name}.staging-*"):
            shutil.rmtree(stale, ignore_errors=True)  # left by a build that was killed
        self.staging = Path(
            tempfile.mkdtemp(prefix=f".{self.out_dir.name}.staging-", dir=self._parent)
        )
        os.chmod(self.staging, 0o777 & ~_umask())
        return self

    def path(self, name: str) -> Path:
        assert self.staging is not None
        return self.staging / name

    def commit(self) -> None:
        """Swap the staging folder in as ``out_dir``, atomically."""
        assert self.staging is not None
        if self.durable:
            _fsync_tree(self.staging)
        target = self._parent / self.out_dir.name
        if target.is_symlink() or (target.exists() and not target.is_dir()):
            raise EnvironmentProblem(f"{display_path(self.out_dir)}: exists and is not a folder")
        if not target.exists():
            os.rename(self.staging, target)
        else:
            if self._previous.exists():
                shutil.rmtree(self._previous)
            if _exchange(self.staging, target):
                os.rename(self.staging, self._previous)
            else:  # no RENAME_EXCHANGE here: two renames, under the lock
                os.rename(target, self._previous)
                os.rename(self.staging, target)
            # Only now, with the new build in place, do the user's own files move across: a
            # failure before this point leaves them where they were.
            self._carry_over(self._previous, target)
        _fsync_dir(self._parent)
        self._committed = True

    def _carry_over(self, old: Path, new: Path) -> None:
        for entry in old.iterdir():
            if entry.name not in self.owned and not (new / entry.name).exists():
                os.rename(entry, new / entry.name)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if not self._committed and self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
        if self._lock_handle is not None:
            fcntl.flock(self._lock_handle, fcntl.LOCK_UN)
            self._lock_handle.close()


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2); False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _fsync_tree(folder: Path) -> None:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
