"""Unit tests of castgraph.guard: the deadline process, the input reader and the limits."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from castgraph.errors import EXIT_INPUT, EXIT_INTERNAL, CastgraphError, InputError
from castgraph.guard.deadline import ChildCrashed, QueryTimeout, run_with_deadline
from castgraph.guard.inputs import read_input, read_stream
from castgraph.limits import FILE_BYTES, LIMITS

# ---------------------------------------------------------------------------------------------
# deadline


def test_the_child_answer_comes_back_whole():
    data = os.urandom(3 * 2**20)  # larger than a pipe buffer: the parent reads while waiting
    assert run_with_deadline(lambda: data, timeout=20) == data


def test_a_runaway_child_is_killed_at_the_deadline():
    def spin() -> bytes:
        while True:
            pass

    started = time.monotonic()
    with pytest.raises(QueryTimeout, match=r"^query stopped after 0\.5 s \(--timeout\)$") as stop:
        run_with_deadline(spin, timeout=0.5)
    assert time.monotonic() - started < 3
    assert stop.value.exit_code == EXIT_INPUT


def test_an_error_in_the_child_keeps_its_message_and_code():
    def bad() -> bytes:
        raise InputError("q.rq:3:4: expected something")

    with pytest.raises(CastgraphError, match=r"^q\.rq:3:4: expected something$") as error:
        run_with_deadline(bad, timeout=10)
    assert error.value.exit_code == EXIT_INPUT


def test_a_crashing_child_is_an_internal_error_not_a_dead_parent():
    def crash() -> bytes:
        os.kill(os.getpid(), signal.SIGSEGV)
        return b""

    with pytest.raises(ChildCrashed, match="signal 11") as error:
        run_with_deadline(crash, timeout=10)
    assert error.value.exit_code == EXIT_INTERNAL


def test_the_memory_cap_stops_a_greedy_child():
    def greedy() -> bytes:
        hoard = [bytearray(2**26) for _ in range(64)]  # 4 GiB
        return bytes(len(hoard))

    with pytest.raises(InputError, match="memory"):
        run_with_deadline(greedy, timeout=20, memory_bytes=2 * 2**30)


def test_an_answer_over_the_cap_is_refused():
    with pytest.raises(InputError, match="answer larger than"):
        run_with_deadline(lambda: b"x" * 5000, timeout=10, max_bytes=1000)


def test_the_child_has_no_network_where_the_kernel_allows_it():
    import socket

    def connect() -> bytes:
        try:
            socket.create_connection(("127.0.0.1", 9), timeout=1).close()
        except OSError as error:
            return str(error.errno).encode()
        return b"connected"

    assert run_with_deadline(connect, timeout=10) != b"connected"


QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.mark.slow
@pytest.mark.parametrize("target", ["parent", "group"])
def test_ctrl_c_ends_a_running_query_within_a_second(tmp_path, target):
    """SIGINT to the command (or its whole process group, as a terminal sends it)."""
    dataset = tmp_path / "d.nt"
    dataset.write_text(
        "".join(f'<http://e/s{i}> <http://e/p> "{i}" .\n' for i in range(300)), encoding="utf-8"
    )
    ready = tmp_path / "ready"
    code = (
        "import sys, pathlib, castgraph.guard.deadline as d\n"
        "real = d.run_with_deadline\n"
        "def marked(*a, **k):\n"
        f"    pathlib.Path({str(ready)!r}).touch()\n"
        "    return real(*a, **k)\n"
        "d.run_with_deadline = marked\n"
        "from castgraph.cli import main\n"
        "sys.argv = ['castgraph'] + sys.argv[1:]\n"
        "main()\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code, "query", "-e", QUERY, "--dataset", str(dataset)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not ready.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ready.exists(), process.stderr.read() if process.poll() is not None else ""
        time.sleep(0.5)  # the query process is running
        started = time.monotonic()
        if target == "parent":
            process.send_signal(signal.SIGINT)
        else:
            os.killpg(process.pid, signal.SIGINT)
        _, err = process.communicate(timeout=10)
        elapsed = time.monotonic() - started
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 130, err
    assert err.decode().strip() == "query interrupted"
    assert elapsed < 1.5, elapsed  # "within a second" plus slack for a loaded CI box
    left = subprocess.run(["pgrep", "-f", "COUNT\\(\\*\\) AS \\?n"], capture_output=True)
    assert left.stdout.strip() == b"", "a query process was left running"


# ---------------------------------------------------------------------------------------------
# inputs


def test_the_cap_is_applied_while_reading(tmp_path, monkeypatch):
    """A file that grows after the size check is still read only up to cap + 1 bytes."""
    path = tmp_path / "big.ttl"
    path.write_bytes(b"x" * 100)
    real_fstat = os.fstat
    read = []
    real_read = os.read

    def small_fstat(fd):
        result = real_fstat(fd)
        return os.stat_result((*result[:6], 10, *result[7:]))  # claims 10 bytes

    def counting_read(fd, n):
        chunk = real_read(fd, n)
        read.append(len(chunk))
        return chunk

    monkeypatch.setattr(os, "fstat", small_fstat)
    monkeypatch.setattr(os, "read", counting_read)
    with pytest.raises(InputError, match="larger than 50 bytes"):
        read_input(path, kind="rdf", max_bytes=50)
    assert sum(read) == 51


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.mkdir(), "is a folder, not a file"),
        (lambda p: os.mkfifo(p), "is a FIFO"),
        (lambda p: os.symlink("/dev/zero", p), "is a device"),
        (lambda p: os.symlink(p.name, p), "symlink loop"),
        (lambda p: None, "file not found"),
    ],
)
def test_special_files_are_refused_before_reading(tmp_path, make, message):
    path = tmp_path / "input.ttl"
    make(path)
    started = time.monotonic()
    with pytest.raises(InputError, match=message) as refused:
        read_input(path, kind="rdf")
    assert time.monotonic() - started < 1
    assert "\n" not in str(refused.value)


def test_a_socket_is_refused(tmp_path):
    import socket

    path = tmp_path / "s.sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    try:
        with pytest.raises(InputError, match="socket"):
            read_input(path, kind="rdf")
    finally:
        server.close()


def test_standard_input_is_capped():
    import io

    with pytest.raises(InputError, match="<stdin>: larger than 10 bytes"):
        read_stream(io.BytesIO(b"x" * 100), kind="query", name="<stdin>", max_bytes=10)


def test_every_kind_of_input_has_a_limit():
    assert set(FILE_BYTES) == {"csv", "yaml", "rdf", "query", "shapes"}
    assert Path(__file__).parent.joinpath("hostile", "cases.yaml").is_file()


@pytest.mark.parametrize(
    "fmt", ["turtle", "ntriples", "nquads", "trig", "jsonld", "jsonld-tree", "rdfxml"]
)
def test_our_own_exports_stay_well_inside_the_limits(dataset, fmt):
    """Every export of the real graph passes the pre-scan with room to spare (and reads back)."""
    from castgraph.export.formats import export_bytes
    from castgraph.guard.nesting import check
    from castgraph.guard.rdf_input import parse_rdf_bytes

    data = export_bytes(dataset.quads, fmt)
    depth = check(data, fmt, where=fmt)
    assert depth <= LIMITS.rdf_depth // 4, depth
    assert len(list(parse_rdf_bytes(data, fmt, where=fmt))) > 1000


def test_library_queries_and_data_stay_well_inside_the_limits():
    from castgraph.guard.nesting import check
    from castgraph.paths import DATA_DIR
    from castgraph.query.library import check_files, query_files

    for path in [*query_files(), *check_files()]:
        assert check(path.read_bytes(), "sparql", where=path.name) <= LIMITS.sparql_depth // 4
        assert path.stat().st_size <= LIMITS.query_bytes // 4
    sources = (DATA_DIR / "sources.yaml").read_bytes()
    assert check(sources, "yaml", where="sources.yaml") <= LIMITS.yaml_depth // 4
    assert len(sources) <= LIMITS.yaml_bytes // 4


def test_every_library_query_passes_the_sparql_guard():
    """`castgraph query NAME` skips the guard's rdflib parse for the package's own queries (0.7 s
    of a cold start): this test is what makes that safe."""
    from castgraph.guard.sparql import classify
    from castgraph.query.library import check_files, query_files

    for path in [*query_files(), *check_files()]:
        classify(path.read_text(encoding="utf-8"), path.name)


def test_line_based_rdf_skips_the_token_scan_only_when_it_cannot_nest_or_overflow():
    from castgraph.guard.nesting import check

    plain = b'<http://e/s> <http://e/p> "o" <http://e/g> .\n' * 1000
    assert check(plain, "nquads", where="x.nq") == 0
    quoted = b"<< " * 200 + b"<http://e/s> <http://e/p> <http://e/o>" + b" >>" * 200
    with pytest.raises(InputError, match=r"x\.nt:1: nesting deeper than"):
        check(quoted + b" <http://e/p> <http://e/o> .\n", "ntriples", where="x.nt")
    long_iri = b"<http://e/" + b"a" * (LIMITS.iri_bytes + 10) + b"> <http://e/p> <http://e/o> .\n"
    with pytest.raises(InputError, match=r"x\.nt:1: IRI longer than"):
        check(long_iri, "ntriples", where="x.nt")


def test_ctrl_c_reaches_the_main_thread_while_a_long_call_runs_beside_it():
    """A long call (here a sleep, like a native query it releases the GIL) does not hold Ctrl-C."""
    import threading

    from castgraph.guard.interruptible import run_interruptibly

    timer = threading.Timer(0.3, signal.raise_signal, args=(signal.SIGINT,))
    started = time.monotonic()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        run_interruptibly(lambda: time.sleep(30))
    assert time.monotonic() - started < 2


def test_a_long_call_beside_the_main_thread_returns_its_value_and_raises_its_errors():
    from castgraph.guard.interruptible import run_interruptibly

    assert run_interruptibly(lambda: 42) == 42
    with pytest.raises(InputError, match="bad row"):
        run_interruptibly(lambda: (_ for _ in ()).throw(InputError("bad row")))


def test_a_child_dies_with_its_parent(tmp_path):
    """A build or query child never outlives a parent killed outright (kill -9)."""
    marker = tmp_path / "child-pid"
    script = (
        "import os, time\n"
        "from castgraph.guard.deadline import run_with_deadline\n"
        f"def work():\n    open({str(marker)!r}, 'w').write(str(os.getpid())); time.sleep(60); return b''\n"
        "run_with_deadline(work, timeout=120, block_network=False)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script])
    deadline = time.monotonic() + 20
    while not (marker.exists() and marker.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    child = int(marker.read_text())
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    os.kill(child, signal.SIGKILL)
    pytest.fail("the child outlived its parent")
