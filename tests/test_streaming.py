"""The build's files are read while a thread writes them: the reader sees exactly the bytes
written, in order, waits at the end of what is written, and stops when the writer fails."""

from __future__ import annotations

import hashlib
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from castgraph.dataset import streaming
from castgraph.dataset.streaming import Following, Progress, WritingFailed, write_files

lines = st.lists(st.text(alphabet='ab<>"é中 .', max_size=30).map(lambda t: t + "\n"), max_size=60)


def _read_all(reader: Following, size: int = 7) -> bytes:
    parts = []
    buffer = bytearray(size)
    while count := reader.readinto(buffer):
        parts.append(bytes(buffer[:count]))
    return b"".join(parts)


@settings(max_examples=40, deadline=None)
@given(first=lines, second=lines)
def test_the_reader_gets_both_files_whole_and_in_order(tmp_path_factory, first, second):
    folder = tmp_path_factory.mktemp("streams")
    paths = [folder / "a.nq", folder / "b.nt"]
    for path in paths:
        path.touch()
    progress = Progress(2)
    with ThreadPoolExecutor(max_workers=2) as threads:
        reading = threads.submit(_read_all, Following(paths, progress))
        digest = write_files(list(zip(paths, (first, second), strict=True)), progress)
        got = reading.result(timeout=30)
    expected = ("".join(first) + "".join(second)).encode()
    assert got == expected
    assert paths[0].read_bytes() + paths[1].read_bytes() == expected
    assert digest == hashlib.sha256("".join(first).encode()).hexdigest()


def test_the_reader_waits_for_lines_not_yet_written(tmp_path, monkeypatch):
    monkeypatch.setattr(streaming, "_BATCH", 1)  # each line flushed on its own
    paths = [tmp_path / "a.nq", tmp_path / "b.nt"]
    for path in paths:
        path.touch()
    progress = Progress(2)
    release = threading.Event()
    first, second = b"<s> <p> <o> <g> .\n", b"<s> <p> <o2> <g> .\n"

    def slow_lines():
        yield first.decode()
        release.wait(timeout=30)
        yield second.decode()

    reader = Following(paths, progress)
    buffer = bytearray(4096)
    with ThreadPoolExecutor(max_workers=2) as threads:
        writing = threads.submit(write_files, [(paths[0], slow_lines()), (paths[1], [])], progress)
        count = reader.readinto(buffer)  # returns once the first line is flushed
        assert bytes(buffer[:count]) == first
        waiting = threads.submit(reader.readinto, buffer)
        with pytest.raises(TimeoutError):
            waiting.result(timeout=0.3)  # at the end of what is written: it waits
        release.set()
        count = waiting.result(timeout=30)
        assert bytes(buffer[:count]) == second
        writing.result(timeout=30)
    assert reader.readinto(buffer) == 0  # both files complete and read


def test_a_failed_writer_stops_the_reader_instead_of_leaving_it_waiting(tmp_path):
    paths = [tmp_path / "a.nq", tmp_path / "b.nt"]
    for path in paths:
        path.touch()
    progress = Progress(2)

    def broken_lines():
        yield "<s> <p> <o> <g> .\n"
        raise OSError("No space left on device")

    with ThreadPoolExecutor(max_workers=2) as threads:
        reading = threads.submit(_read_all, Following(paths, progress))
        with pytest.raises(OSError, match="No space left"):
            write_files([(paths[0], broken_lines()), (paths[1], [])], progress)
        with pytest.raises(WritingFailed, match=r"writing a\.nq failed"):
            reading.result(timeout=30)
