"""The framed tree built from the part it draws gives the bytes of pyld over the whole union."""

from __future__ import annotations

import json

from pyoxigraph import DefaultGraph, Quad

from castgraph.export import jsonld, jsonld_read
from castgraph.export.formats import export_bytes
from castgraph.export.jsonld_tree import drawn_quads, tree_bytes
from conftest import REPO_DIR
from test_roundtrip import fixture_dataset

GOLDEN = REPO_DIR / "tests" / "golden" / "castgraph.tree.jsonld"


def union_of(quads) -> list:
    return sorted({Quad(q.subject, q.predicate, q.object, DefaultGraph()) for q in quads}, key=str)


def test_the_fixture_tree_is_its_golden_file():
    assert export_bytes(fixture_dataset().quads, "jsonld-tree") == GOLDEN.read_bytes()
    assert tree_bytes(fixture_dataset().quads, inline_context=True) == GOLDEN.read_bytes()


def test_the_curated_tree_is_pyld_over_the_whole_union(dataset):
    expected = jsonld.dumps(jsonld.tree_document(dataset.quads))
    assert tree_bytes(dataset.quads) == expected


def test_another_root_and_a_missing_root_give_pyld_bytes():
    quads = fixture_dataset().quads
    for root in (jsonld.ID["hq-general-office"], jsonld.ID["no-such-organization"]):
        assert tree_bytes(quads, root=root) == jsonld.dumps(jsonld.tree_document(quads, root=root))


def test_only_the_drawn_part_is_framed(dataset):
    union = union_of(dataset.quads)
    drawn = drawn_quads(union, jsonld.DEFAULT_ROOT)
    assert 0 < len(drawn) < len(union) / 3
    # Every statement the tree shows (all but included) is among the drawn ones.
    tree = json.loads(export_bytes(dataset.quads, "jsonld-tree"))
    del tree["included"]
    assert set(jsonld_read.to_quads_from_json(tree)) <= set(drawn)
