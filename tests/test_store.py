"""The built dataset as a persistent store: read by every command, never read stale, replaced whole.

`castgraph build` writes dist/store/ (pyoxigraph, RocksDB) beside the text files; commands open it
read-only. A store that no longer matches its TriG is not used (the TriG is read, with a notice); a
build swaps the whole of dist/ in at once, under a lock, or leaves it as it was.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from castgraph.dataset.store import open_dataset, store_problem

CASTGRAPH = Path(sys.executable).parent / "castgraph"
COUNT_CAST_NAMES = (
    "SELECT (COUNT(*) AS ?n) WHERE { cid:cast skos:prefLabel ?name }"  # union: each name once
)


@pytest.fixture
def dist(tmp_path, built_dist) -> Path:
    """A private copy of a built dist/ (tests here change it)."""
    import shutil

    target = tmp_path / "dist"
    shutil.copytree(built_dist, target)
    return target


def test_build_writes_a_store_and_a_manifest_of_its_trig(built_dist):
    manifest = json.loads((built_dist / "store.json").read_text())
    assert manifest["trig"]["size"] == (built_dist / "castgraph.trig").stat().st_size
    assert manifest["quads"] > manifest["triples"] > 10_000
    assert store_problem(built_dist) is None


def test_commands_read_the_store_read_only(dist):
    dataset = open_dataset(dist)
    assert dataset.sorted_nquads == dist / "castgraph.nq"
    with pytest.raises(RuntimeError, match="read-write"):
        dataset.store.update("INSERT DATA { <urn:x> <urn:y> <urn:z> }")


def test_the_default_graph_is_the_union_each_triple_once(dist):
    dataset = open_dataset(dist)
    rows = list(dataset.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
    manifest = json.loads((dist / "store.json").read_text())
    assert int(rows[0]["n"].value) == manifest["triples"]


def test_a_store_older_than_its_trig_is_not_read(dist, cli):
    with (dist / "castgraph.trig").open("a", encoding="utf-8") as handle:
        handle.write('\n<urn:g> { <https://w3id.org/castgraph/id/cast> skos:prefLabel "X"@en . }\n')
    assert "older than castgraph.trig" in store_problem(dist)
    result = cli("query", "-e", COUNT_CAST_NAMES, "--dist-dir", str(dist), "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert "older than castgraph.trig" in result.stderr
    assert "castgraph build" in result.stderr
    fresh = cli("query", "-e", COUNT_CAST_NAMES, "--dist-dir", str(dist.parent / "none"))
    assert fresh.exit_code == 3
    # the answer includes the statement only the TriG has
    counted = int(result.stdout.splitlines()[1])
    before = int(
        cli(
            "query", "-e", COUNT_CAST_NAMES, "--dataset", str(dist / "castgraph.nq"), "-f", "csv"
        ).stdout.splitlines()[1]
    )
    assert counted == before + 1


def test_a_corrupt_store_is_not_read(dist, cli):
    for path in (dist / "store").iterdir():
        if path.is_file():
            path.write_bytes(b"\0garbage\0" * 10)
    result = cli("query", "-e", COUNT_CAST_NAMES, "--dist-dir", str(dist), "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert "cannot be opened" in result.stderr
    assert int(result.stdout.splitlines()[1]) > 0
    assert "Traceback" not in result.stderr


def test_a_missing_manifest_means_the_trig_is_read(dist, cli):
    (dist / "store.json").unlink()
    result = cli("query", "-e", COUNT_CAST_NAMES, "--dist-dir", str(dist), "--format", "csv")
    assert result.exit_code == 0
    assert "manifest" in result.stderr


@pytest.mark.parametrize("record", ["x", 5, None, [1, 2]])
def test_a_manifest_whose_trig_record_is_not_an_object_means_the_trig_is_read(dist, cli, record):
    manifest = json.loads((dist / "store.json").read_text())
    (dist / "store.json").write_text(json.dumps({**manifest, "trig": record}))
    result = cli("query", "-e", COUNT_CAST_NAMES, "--dist-dir", str(dist), "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert "manifest" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_second_build_while_one_holds_the_lock_fails_at_once(dist, cli):
    lock = dist.parent / ".dist.lock"
    with lock.open("a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        started = time.monotonic()
        result = cli("build", "--out", str(dist), "--no-validate")
    assert result.exit_code == 4
    assert "another `castgraph build` is writing it" in result.stderr
    assert time.monotonic() - started < 30
    assert store_problem(dist) is None


def test_a_build_carries_over_files_it_does_not_own(dist, cli):
    (dist / "notes.txt").write_text("mine")
    result = cli("build", "--out", str(dist), "--no-validate")
    assert result.exit_code == 0, result.stderr
    assert (dist / "notes.txt").read_text() == "mine"
    assert store_problem(dist) is None


@pytest.mark.slow
def test_a_killed_build_leaves_the_previous_dist_whole(dist):
    before = {p.name: p.read_bytes() for p in dist.iterdir() if p.is_file()}
    process = subprocess.Popen(
        [str(CASTGRAPH), "build", "--out", str(dist)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # kill it once its staging folder exists, in the middle of the work
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list(dist.parent.glob(".dist.staging-*")):
        time.sleep(0.01)
    time.sleep(0.3)
    process.send_signal(signal.SIGKILL)
    process.wait()
    after = {p.name: p.read_bytes() for p in dist.iterdir() if p.is_file()}
    assert after == before
    assert store_problem(dist) is None
    # the next build removes what the killed one left
    done = subprocess.run(
        [str(CASTGRAPH), "build", "--out", str(dist), "--no-validate"],
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert not list(dist.parent.glob(".dist.staging-*"))


@pytest.mark.parametrize("stage", ["loading", "writing"])
def test_ctrl_c_ends_a_build_within_a_second_and_leaves_dist_whole(dist, stage):
    before = {p.name: p.read_bytes() for p in dist.iterdir() if p.is_file()}
    process = subprocess.Popen(
        [str(CASTGRAPH), "build", "--out", str(dist)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    if stage == "writing":  # once the staging folder exists: the store is being written
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not list(dist.parent.glob(".dist.staging-*")):
            time.sleep(0.01)
    else:
        time.sleep(0.5)
    started = time.monotonic()
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert time.monotonic() - started < 1.0
    assert process.returncode == 130, err.decode()
    assert err.decode().strip().splitlines()[-1] in ("build interrupted", "interrupted")
    after = {p.name: p.read_bytes() for p in dist.iterdir() if p.is_file()}
    assert after == before


@pytest.mark.slow
def test_a_reader_keeps_answering_while_a_build_replaces_the_store(dist):
    reader = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from pathlib import Path\n"
            "from castgraph.dataset.store import open_dataset\n"
            f"d = open_dataset(Path({str(dist)!r}))\n"
            "print('open', flush=True)\n"
            "sys.stdin.readline()\n"
            "n = list(d.query('SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'))[0]['n'].value\n"
            "print(n, flush=True)\n",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ},
    )
    assert reader.stdout.readline().strip() == "open"
    done = subprocess.run(
        [str(CASTGRAPH), "build", "--out", str(dist), "--no-validate"],
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    out, _ = reader.communicate("go\n", timeout=60)
    assert int(out.strip()) > 10_000


def test_a_store_damaged_after_opening_gives_one_line_and_exit_3(dist, cli):
    tables = sorted((dist / "store").glob("*.sst"))
    assert tables, "the store has table files"
    for path in tables:
        size = path.stat().st_size
        path.write_bytes(b"\xff" * size)
    result = cli("query", "organizations-by-kind", "--dist-dir", str(dist), "--format", "csv")
    assert "Traceback" not in result.stderr
    assert result.exit_code in (0, 3), result.stderr
    if result.exit_code == 3:
        assert "store is damaged" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_a_builds_store_is_validated_without_reading_its_whole_default_graph(dist):
    """The default-graph check can find nothing in a store whose default graph is the union."""
    from castgraph.check.validate import validate

    dataset = open_dataset(dist)
    assert dataset.default_is_union
    report = validate(dataset)
    assert report.conforms
    assert not [
        r for r in report.results if r.shape == "check:statement-in-default-graph-violation"
    ]


def test_a_file_with_a_statement_outside_its_named_graphs_is_still_caught(tmp_path):
    from castgraph.check.validate import _run_checks
    from castgraph.dataset.store import load_file
    from castgraph.paths import QUERIES_DIR

    trig = tmp_path / "loose.trig"
    trig.write_text(
        "<https://w3id.org/castgraph/id/x> <http://www.w3.org/2000/01/rdf-schema#label> 'x' .\n",
        encoding="utf-8",
    )
    dataset = load_file(trig)
    assert not dataset.default_is_union
    results, _ = _run_checks(dataset, QUERIES_DIR / "checks")
    assert {r.shape for r in results} >= {"check:statement-in-default-graph-violation"}


def test_a_file_is_loaded_by_the_bulk_loader_and_read_back_as_spelled(tmp_path):
    """``--dataset`` files go into the store natively; writers still see the file's own forms."""
    from castgraph.dataset.store import load_file

    trig = tmp_path / "small.trig"
    trig.write_text(
        "<http://e/g> { <http://e/s> <http://e/p> "
        '"007"^^<http://www.w3.org/2001/XMLSchema#integer>, <rel> . }\n',
        encoding="utf-8",
    )
    dataset = load_file(trig)
    assert len(dataset.store) == 4  # two quads, and the union of them in the default graph
    spelled = sorted(str(q.object) for q in dataset.exact())
    assert '"007"^^<http://www.w3.org/2001/XMLSchema#integer>' in spelled
    assert f"<{(tmp_path / 'rel').as_uri()}>" in spelled  # relative IRIs against the file


def _swap_an_iri(path: Path) -> None:
    """Replace the first object IRI of ``path`` with a non-IRI as long, keeping the mtime."""
    import re

    before = path.stat()
    data = path.read_bytes()
    found = re.search(rb"^<[^>]*> <[^>]*> (<[^>]*>) <", data, re.MULTILINE)
    bad = b"<" + b"{" * (len(found.group(1)) - 2) + b">"
    path.write_bytes(data[: found.start(1)] + bad + data[found.end(1) :])
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def test_the_builds_own_sorted_files_are_parsed_without_revalidating_and_others_strictly(dist):
    nquads = dist / "castgraph.nq"
    assert open_dataset(dist).own_files
    _swap_an_iri(nquads)
    # Same size and mtime as the build recorded: read as the build's own, IRIs not checked.
    own = open_dataset(dist)
    assert own.own_files
    assert any("{{" in getattr(q.object, "value", "") for q in own.quads())
    # Touched since: parsed strictly, and the bad IRI is a syntax error.
    os.utime(nquads, ns=(time.time_ns(), time.time_ns()))
    touched = open_dataset(dist)
    assert not touched.own_files
    with pytest.raises(SyntaxError):
        list(touched.quads())
