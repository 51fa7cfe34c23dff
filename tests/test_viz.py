"""castgraph viz: the hierarchy as SVG, HTML, GraphML, DOT, Mermaid and JSON, checked by content."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from castgraph.viz.structure import load_structure
from castgraph.viz.svg import FONT_SIZE, text_width
from castgraph.viz.tree import build_tree, iter_tree

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def structure(store):
    return load_structure(store)


@pytest.fixture(scope="module")
def viz(built_dist):
    from conftest import invoke

    def run(*args: str):
        return invoke("viz", "--dataset", str(built_dist / "castgraph.trig"), *args)

    return run


def labels_of(svg: str) -> list[tuple[str, float, float, float]]:
    """(text, x, y, size) of every text element."""
    root = ET.fromstring(svg.encode("utf-8"))
    out = []
    for el in root.iter(f"{SVG}text"):
        size = float(el.get("font-size", FONT_SIZE))
        out.append((el.text or "", float(el.get("x")), float(el.get("y")), size))
    return out


def test_default_tree_is_the_2007_headquarters_with_heads_and_predecessors(structure):
    tree, snapshot = build_tree(structure)
    assert snapshot.endswith("/graph/004")
    names = {t.node.label_en: t for t in iter_tree(tree)}
    assert tree.node.label_en == "China Association for Science and Technology"
    assert "Department of International Affairs" in names
    assert {c.node.label_en for c in names["Department of International Affairs"].children} == {
        "Division of General Management",
        "Division of International Organizations",
        "Division of Bilateral Cooperation",
        "Division of Hongkong, Macao and Taiwan Exchanges",
        "Office of HOME Program",
    }
    assert names["All-China Federation of Natural Science Societies"].edge == "predecessor-of"
    assert "Learned Societies Affairs" not in names  # the 1990s list is another snapshot


def test_as_of_gives_the_1990s_or_the_2007_departments(viz):
    old = viz("--as-of", "1998", "-f", "json")
    new = viz("--as-of", "2008", "-f", "json")
    assert old.exit_code == new.exit_code == 0

    def units(result) -> set[str]:
        tree = json.loads(result.stdout)["tree"]
        return {c["name"]["en"] for c in tree["children"] if c.get("relation") == "unit-of"}

    assert units(old) == {
        "General Office",
        "Planning and Finance",
        "Personnel Organization",
        "Learned Societies Affairs",
        "Popularization of Science",
        "International Affairs",
        "Publicity Affairs",
    }
    assert "Department of Academic and Societies Affairs" in units(new)
    assert units(old).isdisjoint(units(new) - {"General Office"})
    assert "source 001 (1997)" in json.loads(old.stdout)["title"]
    assert "source 004 (2007)" in json.loads(new.stdout)["title"]
    too_early = viz("--as-of", "1960")
    assert too_early.exit_code == 3
    assert "no source describes the headquarters on or before 1960" in too_early.stderr


def test_svg_parses_and_shows_every_label_and_head(viz, structure):
    result = viz("-f", "svg")
    assert result.exit_code == 0
    texts = [t for t, *_ in labels_of(result.stdout)]
    tree, _ = build_tree(structure)
    for node in iter_tree(tree):
        assert node.node.label("en") in texts
    assert "head: Zhang Jiansheng" in texts
    assert "head: Ren Fujun" in texts
    assert {"unit of", "sub-organization of", "predecessor of"} <= set(texts)  # the legend


def boxes(svg: str):
    for text, x, y, size in labels_of(svg):
        yield text, (x, y - size, x + text_width(text, size), y + 3)


def overlapping(svg: str) -> list[tuple[str, str]]:
    found = list(boxes(svg))
    clashes = []
    for i, (a, (ax1, ay1, ax2, ay2)) in enumerate(found):
        for b, (bx1, by1, bx2, by2) in found[i + 1 :]:
            if ax1 < bx2 and bx1 < ax2 and ay1 < by2 and by1 < ay2:
                clashes.append((a, b))
    return clashes


@pytest.mark.parametrize("kinds", ["units,predecessors", "all"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_label_overlaps_another(viz, kinds, lang):
    result = viz("-f", "svg", "--kinds", kinds, "--lang", lang)
    assert result.exit_code == 0
    assert overlapping(result.stdout) == []


def test_two_hundred_societies_collapse_into_counted_groups(viz):
    collapsed = viz("-f", "svg", "--kinds", "units,societies")
    texts = [t for t, *_ in labels_of(collapsed.stdout)]
    groups = [t for t in texts if re.fullmatch(r"\d+ national societies: .+", t)]
    assert sorted(groups) == sorted(
        [
            "45 national societies: natural sciences",
            "78 national societies: engineering",
            "16 national societies: agriculture",
            "28 national societies: medicine",
            "42 national societies: interdisciplinary",
        ]
    )
    expanded = viz("-f", "json", "--kinds", "societies", "--expand")
    kids = json.loads(expanded.stdout)["tree"]["children"]
    assert sum(1 for c in kids if c["kind"] == "society") == 209


def test_chinese_labels_in_zh(viz):
    result = viz("-f", "svg", "--lang", "zh", "--kinds", "provincial")
    texts = [t for t, *_ in labels_of(result.stdout)]
    assert "中国科学技术协会" in texts
    assert "北京市科学技术协会" in texts
    assert 'font-family="Noto Sans CJK SC' in result.stdout


def test_graphml_reads_back_with_networkx_to_the_same_nodes_and_edges(viz, structure, tmp_path):
    import networkx as nx

    out = tmp_path / "tree.graphml"
    assert viz("-o", str(out), "--kinds", "all").exit_code == 0
    g = nx.read_graphml(out)
    tree, _ = build_tree(
        structure,
        kinds=("units", "societies", "provincial", "predecessors", "programs", "international"),
    )
    nodes = list(iter_tree(tree))
    assert g.number_of_nodes() == len(nodes)
    assert g.number_of_edges() == len(nodes) - 1
    assert {d["iri"] for _, d in g.nodes(data=True)} == {n.node.iri for n in nodes}
    kinds = {d["kind"] for *_, d in g.edges(data=True)}
    assert {
        "unit-of",
        "sub-organization-of",
        "member-of",
        "guided-by",
        "predecessor-of",
        "program-of",
    } <= kinds
    for _, data in g.nodes(data=True):
        assert all(isinstance(v, str) for v in data.values())


def test_dot_is_well_formed(viz):
    dot = viz("-f", "dot").stdout
    assert dot.startswith("digraph castgraph {")
    assert dot.rstrip().endswith("}")
    nodes = re.findall(r"^  (n\d+) \[label=\"((?:[^\"\\]|\\.)*)\"", dot, re.M)
    edges = re.findall(r"^  (n\d+) -> (n\d+) \[label=", dot, re.M)
    ids = {n for n, _ in nodes}
    assert len(edges) == len(ids) - 1
    assert all(a in ids and b in ids for a, b in edges)
    try:
        import pydot
    except ImportError:
        return
    (graph,) = pydot.graph_from_dot_data(dot)
    assert len(graph.get_edges()) == len(edges)


def test_mermaid_is_a_flowchart_with_quoted_labels(viz):
    text = viz("-f", "mermaid").stdout
    lines = text.splitlines()
    assert lines[1] == "flowchart LR"
    node_lines = [line for line in lines if re.fullmatch(r'  n\d+\["[^"]*"\]', line)]
    edge_lines = [line for line in lines if re.fullmatch(r'  n\d+ -->\|"[^"]*"\| n\d+', line)]
    assert len(node_lines) + len(edge_lines) == len(lines) - 2
    assert len(edge_lines) == len(node_lines) - 1


def test_root_and_depth(viz):
    sub = json.loads(viz("-f", "json", "--root", "hq-international-affairs").stdout)["tree"]
    assert sub["name"]["en"] == "Department of International Affairs"
    assert len(sub["children"]) == 5
    assert {"what": "director general", "value": "Zhang Jiansheng", "source": "004"}.items() <= sub[
        "facts"
    ][0].items()
    shallow = json.loads(viz("-f", "json", "--depth", "1").stdout)["tree"]
    assert all("children" not in c for c in shallow["children"])
    unknown = viz("--root", "no-such-body")
    assert unknown.exit_code == 3
    bad_kind = viz("--kinds", "units,planets")
    assert bad_kind.exit_code == 2
    assert "unknown kind 'planets'" in bad_kind.stderr


def test_output_is_deterministic_and_written_atomically(viz, tmp_path):
    first = tmp_path / "a.html"
    assert viz("-o", str(first), "--kinds", "all").exit_code == 0
    second = viz("-f", "html", "--kinds", "all").stdout.encode("utf-8")
    assert first.read_bytes() == second
    assert [p.name for p in tmp_path.iterdir()] == ["a.html"]


def test_html_is_self_contained(viz):
    page = viz("-f", "html", "--kinds", "all").stdout
    assert "<script src" not in page
    assert "<link" not in page
    assert not re.search(
        r"https?://(?!w3id\.org/castgraph/)", page.split('<script type="application/json"')[0]
    )
    data = page.split('<script type="application/json" id="data">', 1)[1].split("</script>", 1)[0]
    tree = json.loads(data)["tree"]
    assert tree["name"]["zh-Hans"] == "中国科学技术协会"
