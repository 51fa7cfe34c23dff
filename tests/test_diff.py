"""`castgraph diff OLD NEW`: changes per graph and entity with labels, or an RDF Patch."""

from __future__ import annotations

import dataclasses
from functools import cache

import pytest
import rdflib
from pyoxigraph import BlankNode, DefaultGraph, NamedNode, Quad

from castgraph.build.mint import build
from castgraph.dates import parse_date
from castgraph.diff import diff_datasets, render_patch
from castgraph.export.formats import export_bytes
from castgraph.loaders import load_all
from castgraph.loaders.records import Name
from test_roundtrip import FIXTURE_DATA_DIR, fixture_dataset, graphs_by_name, normalized


@cache
def changed_dataset():
    """The fixture with four edits: a founding date corrected, a tenure dropped, a name added,
    and the president's post moved from source S02 to source 000."""
    records = load_all(FIXTURE_DATA_DIR)
    facts = tuple(
        dataclasses.replace(f, value="1958-09-23")
        if (f.id, f.property) == ("cast", "founded")
        else f
        for f in records.facts
    )
    tenures = tuple(t for t in records.tenures if t.person != "person-wang-fang")
    names = (*records.names, Name("person-wang-fang", "王芳", "zh-Hans", "preferred", "000"))
    posts = tuple(
        dataclasses.replace(p, source="000") if p.id == "post-cast-president" else p
        for p in records.posts
    )
    assert parse_date("1958-09-23").precision == 11
    return build(
        dataclasses.replace(records, facts=facts, tenures=tenures, names=names, posts=posts)
    )


@pytest.fixture
def old_and_new(tmp_path):
    old, new = tmp_path / "old.trig", tmp_path / "new.nq"
    old.write_bytes(export_bytes(fixture_dataset().quads, "trig"))
    new.write_bytes(export_bytes(changed_dataset().quads, "nquads"))
    return old, new


def test_the_same_dataset_in_any_two_formats_is_equal(cli, tmp_path):
    quads = fixture_dataset().quads
    paths = []
    for name, fmt in (("a.trig", "trig"), ("b.nq", "nquads"), ("c.jsonld", "jsonld")):
        paths.append(tmp_path / name)
        paths[-1].write_bytes(export_bytes(quads, fmt))
    for old, new in ((paths[0], paths[1]), (paths[1], paths[2])):
        result = cli("diff", old, new)
        assert result.exit_code == 0
        assert result.stdout == f"no difference: {old} and {new} hold the same statements\n"


def test_the_summary_groups_changes_by_graph_and_entity_with_labels(cli, old_and_new):
    old, new = old_and_new
    result = cli("diff", old, new)
    assert result.exit_code == 1
    text = result.stdout
    assert text.startswith(f"{old} -> {new}\n")
    section_000 = text[text.index("\ngraph:000 ") :].split("\n\n")[0]
    assert section_000.startswith("\ngraph:000 (statements of source 000):")
    assert "  cid:cast “China Association for Science and Technology”" in section_000
    assert (
        '    ~ schema:foundingDate: "1958-09"^^xsd:gYearMonth -> "1958-09-23"^^xsd:date'
        in section_000
    )
    assert "    ~ cast:foundingDatePrecision: 10 -> 11" in section_000
    assert "  cid:person-wang-fang “Wang Fang”" in section_000
    assert '    + skos:prefLabel: "王芳"@zh-Hans' in section_000
    assert "    - org:holds: cid:post-general-office-ddg" in section_000
    assert "  cid:tenure-wang-fang-general-office-ddg" in section_000
    assert "(entity gone)" in section_000
    assert (
        "  cid:post-cast-president “president, China Association for Science and Technology” (new entity)"
        in section_000
    )
    section_s02 = text[text.index("\ngraph:s02 ") :].split("\n\n")[0]
    assert "    - org:postIn: cid:cast" in section_s02  # moved out of S02's graph
    assert text.rstrip().splitlines()[-1].endswith("graphs changed")


def test_the_patch_applied_to_old_gives_new(cli, old_and_new):
    old, new = old_and_new
    result = cli("diff", "--format", "patch", old, new)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "TX ."
    assert lines[-1] == "TC ."
    ops = [line[0] for line in lines[1:-1]]
    assert ops == sorted(ops, reverse=True)  # every D before every A
    assert all(line.endswith(" .") for line in lines)
    # rdflib's own RDF Patch parser applies it: an independent check of the format.
    dataset = rdflib.Dataset()
    dataset.parse(data=export_bytes(fixture_dataset().quads, "nquads"), format="nquads")
    dataset.parse(data=result.stdout, format="patch")
    expected = graphs_by_name(changed_dataset().quads)
    for name, graph in expected.items():
        assert rdflib.compare.isomorphic(normalized(dataset.graph(rdflib.URIRef(name))), graph)
    got = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert got == set(expected)


def test_the_patch_is_sorted_and_deterministic():
    diff = diff_datasets(fixture_dataset().quads, changed_dataset().quads)
    patch = render_patch(diff)
    assert patch == render_patch(diff_datasets(fixture_dataset().quads, changed_dataset().quads))
    deletes = [line for line in patch.splitlines() if line.startswith("D ")]
    adds = [line for line in patch.splitlines() if line.startswith("A ")]
    assert len(deletes) == len(diff.removed)
    assert len(adds) == len(diff.added)
    assert [q.graph_name.value for q in diff.removed] == sorted(
        q.graph_name.value for q in diff.removed
    )


def test_an_equal_pair_gives_an_empty_patch(cli, tmp_path):
    path = tmp_path / "a.nq"
    path.write_bytes(export_bytes(fixture_dataset().quads, "nquads"))
    result = cli("diff", "-f", "patch", path, path)
    assert (result.exit_code, result.stdout) == (0, "TX .\nTC .\n")


def test_blank_nodes_are_compared_up_to_renaming():
    p = NamedNode("http://example.org/p")

    def dataset(a: str, b: str):
        return [
            Quad(BlankNode(a), p, BlankNode(b), DefaultGraph()),
            Quad(NamedNode("http://example.org/s"), p, BlankNode(a), DefaultGraph()),
        ]

    assert diff_datasets(dataset("x", "y"), dataset("m", "n")).equal
    assert not diff_datasets(dataset("x", "y"), dataset("m", "m")).equal


def test_stdin_needs_an_input_format(cli, tmp_path):
    path = tmp_path / "a.nq"
    data = export_bytes(fixture_dataset().quads, "nquads")
    path.write_bytes(data)
    same = cli("diff", "--input-format", "nq", path, "-", input=data)
    assert same.exit_code == 0
    unknown = cli("diff", path, "-", input=data)
    assert unknown.exit_code == 3
    assert "--input-format" in unknown.stderr


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.nq", None, "missing.nq: file not found"),
        ("broken.nt", b"<https://e/s> <https://e/p> .\n", "broken.nt:1:29: "),
        ("data.txt", b"", "cannot tell the RDF format"),
        ("bad.jsonld", b'{"@context": "https://example.org/ctx"}', "Refusing to load document"),
        ("entity.rdf", b'<!DOCTYPE x [<!ENTITY a "b">]><rdf:RDF/>', "DOCTYPE"),
    ],
)
def test_unreadable_input_exits_3_with_one_line(cli, tmp_path, name, content, message):
    good = tmp_path / "good.nq"
    good.write_bytes(export_bytes(fixture_dataset().quads, "nquads"))
    bad = tmp_path / name
    if content is not None:
        bad.write_bytes(content)
    result = cli("diff", good, bad)
    assert result.exit_code == 3
    assert result.stderr.count("\n") == 1
    assert message in result.stderr


def test_diff_streams_each_side_and_keeps_a_digest_per_statement(tmp_path):
    """Callables giving the quads afresh: what differs is found without holding either side."""
    from pyoxigraph import RdfFormat, parse

    from castgraph.diff import diff_datasets

    old = b"".join(
        f'<https://e/s{i}> <http://www.w3.org/2000/01/rdf-schema#label> "n{i}" <https://e/g> .\n'.encode()
        for i in range(2000)
    )
    new = old.replace(b'"n7"', b'"seven"') + b"".join(
        old.splitlines(True)[:2]
    )  # one changed, and repeated lines
    calls = {"old": 0, "new": 0}

    def reader(side: str, data: bytes):
        def read():
            calls[side] += 1
            return parse(data, format=RdfFormat.N_QUADS)

        return read

    result = diff_datasets(reader("old", old), reader("new", new))
    assert [str(q.object) for q in result.removed] == ['"n7"']
    assert [str(q.object) for q in result.added] == ['"seven"']
    assert result.labels == {"<https://e/s7>": "seven"}
    assert ("<https://e/g>", "<https://e/s7>") in result.old_subjects
    assert len(result.old_subjects) == len(result.new_subjects) == 1  # only what differs
    assert calls == {"old": 4, "new": 4}  # digests, picks, labels, entities: never held
