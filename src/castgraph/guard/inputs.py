"""Read an input file only when it is a regular file, never more than its size cap + 1 bytes.

Special files are refused before a byte is read: a folder, a FIFO (which would block for ever),
a device such as /dev/zero (which never ends), a socket, a symlink loop. The file is opened with
O_NONBLOCK (so opening a FIFO cannot block) and checked with fstat on the open descriptor (so it
cannot be swapped between the check and the read). The size cap is applied while reading.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from castgraph.errors import InputError, display_path
from castgraph.limits import FILE_BYTES, human_bytes

TYPE_CHECKING = False  # typing itself is not imported on a query's way in (2 ms)
if TYPE_CHECKING:
    from typing import BinaryIO

_CHUNK = 1 << 20


def _kind_of_mode(mode: int) -> str | None:
    """What a non-regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "is a FIFO (named pipe), not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a regular file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a regular file"
    return "is not a regular file"


def _os_message(error: OSError) -> str:
    return {
        errno.ENOENT: "file not found",
        errno.ENOTDIR: "file not found (a part of the path is not a folder)",
        errno.ELOOP: "too many levels of symbolic links (a symlink loop?)",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.ENXIO: "is a socket or a device without a reader, not a regular file",
        errno.EISDIR: "is a folder, not a file",
        errno.ENAMETOOLONG: "file name too long",
    }.get(error.errno or 0, (error.strerror or type(error).__name__).lower())


def check_regular(path: Path, *, missing_hint: str = "") -> None:
    """InputError unless ``path`` is (or links to) a regular file; nothing is opened."""
    shown = display_path(path)
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        message = _os_message(error)
        if error.errno == errno.ENOENT and missing_hint:
            message += f" ({missing_hint})"
        raise InputError(f"{shown}: {message}") from None
    except ValueError:  # a NUL in the path
        raise InputError(f"{shown!r}: not a valid path") from None
    what = _kind_of_mode(mode)
    if what:
        raise InputError(f"{shown}: {what}")


def read_input(
    path: Path, *, kind: str, max_bytes: int | None = None, missing_hint: str = ""
) -> bytes:
    """The bytes of the regular file ``path``; InputError ``path: what is wrong`` otherwise.

    ``kind`` names the limit (``csv``, ``yaml``, ``rdf``, ``query``, ``shapes``, see
    ``castgraph.limits.FILE_BYTES``); ``max_bytes`` overrides it.
    """
    cap = max_bytes if max_bytes is not None else FILE_BYTES[kind]
    shown = display_path(path)
    check_regular(path, missing_hint=missing_hint)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    flags |= getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        raise InputError(f"{shown}: {_os_message(error)}") from None
    try:
        info = os.fstat(fd)
        what = _kind_of_mode(info.st_mode)
        if what:  # swapped for a special file after the check above
            raise InputError(f"{shown}: {what}")
        if info.st_size > cap:
            raise _too_large(shown, kind, cap)
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(_CHUNK, cap + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > cap:  # the file grew while being read
                raise _too_large(shown, kind, cap)
        return b"".join(chunks)
    except OSError as error:
        raise InputError(f"{shown}: {_os_message(error)}") from None
    finally:
        os.close(fd)


def read_stream(stream: BinaryIO, *, kind: str, name: str = "-", max_bytes: int | None = None):
    """Read at most the cap + 1 bytes of a stream (standard input); InputError beyond the cap."""
    cap = max_bytes if max_bytes is not None else FILE_BYTES[kind]
    data = stream.read(cap + 1)
    if len(data) > cap:
        raise _too_large(name, kind, cap)
    return data


def _too_large(shown: str, kind: str, cap: int) -> InputError:
    return InputError(f"{shown}: larger than {human_bytes(cap)} (the limit for {kind} input)")
