"""`castgraph export`: golden files per format, format choice, streams, atomic writes, determinism.

The golden files in tests/golden/ are exports of the small fixture data set (tests/fixtures/data),
so they change only when the export code or the fixture changes, not when data/ grows. Each is
compared as a graph first (a readable statement diff) and then as bytes. Rewrite them with
`pytest --update-golden` and review the diff.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad

from castgraph.dataset.writer import to_bytes
from castgraph.export.formats import FORMATS, export_bytes, parse_quads
from castgraph.export.tables import tables
from conftest import REPO_DIR
from test_roundtrip import FIXTURE_DATA_DIR, RDF_FORMATS, assert_round_trips, fixture_dataset

GOLDEN_DIR = REPO_DIR / "tests" / "golden"
GOLDEN_FILES = {
    "turtle": "castgraph.ttl",
    "ntriples": "castgraph.nt",
    "nquads": "castgraph.nq",
    "trig": "castgraph.trig",
    "jsonld": "castgraph.jsonld",
    "jsonld-tree": "castgraph.tree.jsonld",
    "rdfxml": "castgraph.rdf",
}
FROM_FIXTURE = ("--from-data", "--data-dir", str(FIXTURE_DATA_DIR))


def check_golden(path: Path, data: bytes, update: bool) -> None:
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return
    assert path.is_file(), f"missing golden file {path}: run `pytest --update-golden`"
    expected = path.read_bytes()
    assert data.decode("utf-8").splitlines() == expected.decode("utf-8").splitlines(), (
        f"{path.name} differs: if the change is intended, run `pytest --update-golden`"
    )
    assert data == expected


def test_golden_files_cover_every_format():
    assert set(GOLDEN_FILES) | {"csv"} == set(FORMATS)


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_export_matches_its_golden_file_as_a_graph_and_as_bytes(fmt, update_golden):
    quads = list(fixture_dataset().quads)
    data = export_bytes(quads, fmt)
    path = GOLDEN_DIR / GOLDEN_FILES[fmt]
    if not update_golden:
        # As a graph first: a statement-level diff says what changed.
        assert path.is_file(), f"missing golden file {path}: run `pytest --update-golden`"
        assert_round_trips(quads, fmt, data=path.read_bytes())
    check_golden(path, data, update_golden)


@pytest.mark.parametrize("name", sorted(tables([])))
def test_csv_tables_match_their_golden_files(name, update_golden):
    data = tables(fixture_dataset().quads)[name]
    check_golden(GOLDEN_DIR / "csv" / name, data, update_golden)


# ----------------------------------------------------------------------------------------------
# The command line


def test_export_writes_the_format_to_stdout_and_nothing_else(cli):
    result = cli("export", *FROM_FIXTURE, "--format", "ntriples")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    triples = {(q.subject, q.predicate, q.object) for q in fixture_dataset().quads}
    assert len(result.stdout.splitlines()) == len(triples)
    assert result.stdout.encode("utf-8") == export_bytes(fixture_dataset().quads, "ntriples")


def test_default_format_on_stdout_is_turtle(cli):
    result = cli("export", *FROM_FIXTURE, "-o", "-")
    assert result.exit_code == 0
    assert result.stdout.encode("utf-8") == export_bytes(fixture_dataset().quads, "turtle")


@pytest.mark.parametrize(
    ("alias", "fmt"),
    [
        ("ttl", "turtle"),
        ("nt", "ntriples"),
        ("nq", "nquads"),
        ("application/trig", "trig"),
        ("application/ld+json", "jsonld"),
        ("XML", "rdfxml"),
    ],
)
def test_short_names_and_media_types_are_accepted(cli, alias, fmt):
    result = cli("export", *FROM_FIXTURE, "-f", alias)
    assert result.exit_code == 0
    assert result.stdout.encode("utf-8") == export_bytes(fixture_dataset().quads, fmt)


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("out.ttl", "turtle"),
        ("out.nt", "ntriples"),
        ("out.nq", "nquads"),
        ("out.trig", "trig"),
        ("out.jsonld", "jsonld"),
        ("out.rdf", "rdfxml"),
        ("out.owl", "rdfxml"),
    ],
)
def test_the_format_follows_the_output_extension(cli, tmp_path, name, fmt):
    result = cli("export", *FROM_FIXTURE, "-o", tmp_path / name)
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / name).read_bytes() == export_bytes(fixture_dataset().quads, fmt)
    assert result.stdout == ""
    assert f"({fmt})" in result.stderr


def test_an_explicit_format_wins_over_the_extension_with_a_warning(cli, tmp_path):
    out = tmp_path / "out.ttl"
    result = cli("export", *FROM_FIXTURE, "-f", "nquads", "-o", out)
    assert result.exit_code == 0
    assert out.read_bytes() == export_bytes(fixture_dataset().quads, "nquads")
    assert "warning: writing nquads to" in result.stderr
    assert "suggests turtle" in result.stderr


def test_a_tree_written_to_a_jsonld_file_needs_no_warning(cli, tmp_path):
    result = cli("export", *FROM_FIXTURE, "-f", "jsonld-tree", "-o", tmp_path / "tree.jsonld")
    assert result.exit_code == 0
    assert "warning" not in result.stderr


def test_usage_errors_exit_2_and_name_the_choices(cli, tmp_path):
    unknown = cli("export", *FROM_FIXTURE, "-f", "yaml")
    assert unknown.exit_code == 2
    assert "turtle, ntriples, nquads, trig, jsonld, jsonld-tree, rdfxml, csv" in unknown.stderr
    csv_to_stdout = cli("export", *FROM_FIXTURE, "-f", "csv")
    assert csv_to_stdout.exit_code == 2
    assert "give -o FOLDER" in csv_to_stdout.stderr
    no_format = cli("export", *FROM_FIXTURE, "-o", tmp_path / "out.txt")
    assert no_format.exit_code == 2
    assert "cannot tell the format" in no_format.stderr
    both = cli("export", *FROM_FIXTURE, "--dataset", tmp_path / "x.trig")
    assert both.exit_code == 2


def test_a_missing_dataset_is_bad_input_with_a_hint(cli, tmp_path):
    result = cli("export", "--dist-dir", tmp_path / "nowhere")
    assert result.exit_code == 3
    assert result.stderr.count("\n") == 1
    assert "run `castgraph build` first" in result.stderr


def test_a_malformed_dataset_is_reported_at_its_line(cli, tmp_path):
    bad = tmp_path / "bad.nt"
    bad.write_text("<https://e/s> <https://e/p> <https://e/o> .\n<https://e/s> oops .\n")
    result = cli("export", "--dataset", bad)
    assert result.exit_code == 3
    assert result.stderr.startswith(f"{bad}:2:15: ")


def test_export_reads_the_built_dataset_by_default(cli, built_dist):
    result = cli("export", "--dist-dir", built_dist, "-f", "nquads")
    assert result.exit_code == 0
    assert result.stdout.encode("utf-8") == (built_dist / "castgraph.nq").read_bytes()


def test_any_readable_format_can_be_exported_again(cli, tmp_path):
    source = tmp_path / "in.jsonld"
    source.write_bytes(export_bytes(fixture_dataset().quads, "jsonld"))
    result = cli("export", "--dataset", source, "-f", "trig")
    assert result.exit_code == 0
    assert result.stdout.encode("utf-8") == export_bytes(fixture_dataset().quads, "trig")


def test_inline_context_embeds_the_context_file(cli):
    result = cli("export", *FROM_FIXTURE, "-f", "jsonld", "--inline-context")
    document = json.loads(result.stdout)
    context = json.loads((REPO_DIR / "ontology" / "context.jsonld").read_text(encoding="utf-8"))
    assert document["@context"] == context["@context"]
    # Nothing to substitute before parsing: the document stands alone.
    import rdflib

    parsed = rdflib.Dataset()
    parsed.parse(data=result.stdout, format="json-ld")
    assert len(set(parsed.quads())) == len(fixture_dataset().quads)


def test_the_tree_can_start_at_another_root(cli):
    result = cli("export", *FROM_FIXTURE, "-f", "jsonld-tree", "--root", "hq-general-office")
    tree = json.loads(result.stdout)
    assert tree["id"] == "cid:hq-general-office"
    assert [d["id"] for d in tree["hasSubOrganization"]] == ["cid:hq-general-office-secretariat"]


# ----------------------------------------------------------------------------------------------
# Failures leave earlier output alone


def test_a_failed_export_leaves_the_earlier_file_intact(cli, tmp_path):
    out = tmp_path / "cast.rdf"
    assert cli("export", *FROM_FIXTURE, "-o", out).exit_code == 0
    before = out.read_bytes()
    # RDF/XML cannot carry a control character: this export fails during serialization.
    odd = tmp_path / "odd.nq"
    odd.write_bytes(
        to_bytes(
            [
                Quad(
                    NamedNode("https://w3id.org/castgraph/id/x"),
                    NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                    Literal("bell\x07"),
                    NamedNode("https://w3id.org/castgraph/graph/000"),
                )
            ],
            "nquads",
        )
    )
    result = cli("export", "--dataset", odd, "-o", out)
    assert result.exit_code == 3
    assert "U+0007" in result.stderr
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cast.rdf", "odd.nq"]


def test_a_write_that_fails_midway_leaves_the_earlier_file_intact(cli, tmp_path, monkeypatch):
    out = tmp_path / "cast.ttl"
    out.write_bytes(b"earlier export\n")

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)  # after the bytes went to the temporary file
    result = cli("export", *FROM_FIXTURE, "-o", out)
    assert result.exit_code == 5
    assert "No space left on device" in result.stderr
    assert out.read_bytes() == b"earlier export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["cast.ttl"]  # no temporary file left


@pytest.mark.slow
def test_a_closed_pipe_ends_the_export_quietly():
    """`castgraph export | head -1`: the reader goes away; no traceback, exit 0."""
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "castgraph"), "export", "--from-data", "-f", "nquads"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    process.stdout.close()  # nobody will read: the first write hits a broken pipe
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 0
    assert stderr == b""


# ----------------------------------------------------------------------------------------------
# Determinism across processes and hash seeds

SCRIPT = """
import sys
from pathlib import Path
from castgraph.cli import run

out, fixture = Path(sys.argv[1]), sys.argv[2]
names = {names!r}
for tag, extra in (("fixture", ["--data-dir", fixture]), ("real", [])):
    for fmt, name in names.items():
        code = run(["export", "--from-data", *extra, "-f", fmt, "-o", str(out / tag / name)])
        assert code == 0, (tag, fmt)
    assert run(["export", "--from-data", *extra, "-f", "csv", "-o", str(out / tag / "csv")]) == 0
assert run(["docs", "-o", str(out / "docs")]) == 0
"""


@pytest.mark.slow
def test_every_output_is_byte_identical_under_two_hash_seeds(tmp_path):
    outputs = []
    for seed in ("1", "2024"):
        out = tmp_path / seed
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT.format(names=GOLDEN_FILES), str(out), FIXTURE_DATA_DIR],
            capture_output=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=False,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr.decode()
        outputs.append({str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*.*"))})
    assert len(outputs[0]) == 2 * (len(GOLDEN_FILES) + 5) + 3
    assert outputs[0] == outputs[1]


def test_parse_back_of_every_golden_file_gives_the_fixture_quads():
    """The golden files themselves are readable by `castgraph diff` and `export --dataset`."""
    want = set(fixture_dataset().quads)
    for fmt, name in GOLDEN_FILES.items():
        got = set(parse_quads((GOLDEN_DIR / name).read_bytes(), fmt))
        if FORMATS[fmt].keeps_graphs:
            assert got == want, fmt
        else:
            assert {(q.subject, q.predicate, q.object) for q in got} == {
                (q.subject, q.predicate, q.object) for q in want
            }, fmt
