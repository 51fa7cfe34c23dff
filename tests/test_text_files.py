"""The TriG and Turtle files and the name index of a build: written by a child process for a
large dataset, in process for a small one, byte-identical either way; a failing child is one
clear error."""

from __future__ import annotations

import pytest

from castgraph.dataset import text_files
from castgraph.dataset.text_files import TextFiles, write_text_files

BUILD = "0" * 64


def _outputs(nquads, union, folder, stem):
    return nquads, union, *(folder / f"{stem}.{suffix}" for suffix in ("trig", "ttl", "tsv"))


@pytest.fixture
def sources(dataset, tmp_path):
    nquads, union = tmp_path / "in.nq", tmp_path / "in.nt"
    nquads.write_bytes(dataset.nquads())
    union.write_bytes("".join(dataset.union_lines()).encode("utf-8"))
    return nquads, union


def test_the_child_writes_what_the_process_writes(sources, tmp_path, monkeypatch):
    nquads, union = sources
    here = write_text_files(*_outputs(nquads, union, tmp_path, "a"), BUILD)
    monkeypatch.setattr(text_files, "IN_PROCESS_BELOW", 0)  # every dataset counts as large
    job = TextFiles(*_outputs(nquads, union, tmp_path, "b"), BUILD)
    with job:
        assert job._child is not None
    assert job.hashes == here
    assert set(here) == {"trig", "turtle", "names"}
    for suffix in ("trig", "ttl", "tsv"):
        assert (tmp_path / f"a.{suffix}").read_bytes() == (tmp_path / f"b.{suffix}").read_bytes()
    assert (tmp_path / "a.trig").read_bytes().startswith(b"@prefix")
    assert (
        (tmp_path / "a.tsv").read_bytes().startswith(b"# castgraph name index 1 " + BUILD.encode())
    )


def test_a_failing_child_is_one_line(sources, tmp_path, monkeypatch):
    nquads, _ = sources
    monkeypatch.setattr(text_files, "IN_PROCESS_BELOW", 0)
    job = TextFiles(*_outputs(nquads, tmp_path / "missing.nt", tmp_path, "c"), BUILD)
    failed = r"^writing the TriG, Turtle and name index files failed: \S"
    with pytest.raises(RuntimeError, match=failed), job:
        pass


def test_an_error_in_the_block_stops_the_child(sources, tmp_path, monkeypatch):
    nquads, union = sources
    monkeypatch.setattr(text_files, "IN_PROCESS_BELOW", 0)
    job = TextFiles(*_outputs(nquads, union, tmp_path, "d"), BUILD)
    with pytest.raises(KeyError), job:
        raise KeyError("the check failed")
    assert job._child.returncode is not None  # waited for: nothing writes into the folder later
    assert job.hashes == {}
