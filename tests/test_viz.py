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


def box_texts(svg: str) -> list[dict]:
    """Each box: its rectangle and the lines of each class (label, other, head) joined."""
    root = ET.fromstring(svg.encode("utf-8"))
    out = []
    for g in root.iter(f"{SVG}g"):
        if g.get("class") != "box":
            continue
        rect = g.find(f"{SVG}rect")
        x, y = float(rect.get("x")), float(rect.get("y"))
        box = {"rect": (x, y, x + float(rect.get("width")), y + float(rect.get("height")))}
        box["iri"], box["texts"] = g.get("data-iri"), []
        for el in g.iter(f"{SVG}text"):
            cls = el.get("class").split()[0]
            box[cls] = (box.get(cls, "") + " " + (el.text or "")).strip()
            size = float(el.get("font-size"))
            box["texts"].append((el.text, float(el.get("x")), float(el.get("y")), size))
        out.append(box)
    return out


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
    assert "Learned Societies Affairs" not in names  # the 1990s list is another snapshot


def test_the_1950_federations_are_merged_into_cast_above_it_not_its_children(structure):
    tree, _ = build_tree(structure)
    names = {t.node.label_en for t in iter_tree(tree)}
    assert "All-China Federation of Natural Science Societies" not in names
    ((event, inputs),) = tree.history
    assert event.iri.endswith("/id/event-1958-merger")
    assert event.result == tree.node.iri
    assert event.date == "1958-09-23"  # the most precise date a source gives
    assert {n.label_en for n in inputs} == {
        "All-China Federation of Natural Science Societies",
        "All-China Federation for Science Popularization",
    }


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
    found = box_texts(result.stdout)
    labels = {b["label"] for b in found}
    tree, _ = build_tree(structure)
    for node in iter_tree(tree):
        assert node.node.label("en") in labels
    heads = {b.get("head", "") for b in found}
    assert "head: Zhang Jiansheng, in post 2007" in heads
    assert "head: Ren Fujun, in post 2007" in heads
    assert {"unit of", "sub-organization of", "predecessor of"} <= set(texts)  # the legend
    merged = [b for b in found if b["iri"].endswith("/id/event-1958-merger")]
    assert merged[0]["label"].endswith("(1958-09-23)")
    federation = next(b for b in found if b["iri"].endswith("/id/fed-science-popularization"))
    cast = next(b for b in found if b["iri"].endswith("/id/cast"))
    assert federation["rect"][3] < merged[0]["rect"][1] < merged[0]["rect"][3] < cast["rect"][1]


def overlapping(svg: str) -> list[tuple[str, str]]:
    """Boxes that overlap another, and text lines that leave their box."""
    found = box_texts(svg)
    clashes = []
    for i, a in enumerate(found):
        ax1, ay1, ax2, ay2 = a["rect"]
        for text, x, y, size in a["texts"]:
            if not (ax1 < x and x + text_width(text, size) < ax2 and ay1 < y - size and y < ay2):
                clashes.append((a["iri"], text))
        for b in found[i + 1 :]:
            bx1, by1, bx2, by2 = b["rect"]
            if ax1 < bx2 and bx1 < ax2 and ay1 < by2 and by1 < ay2:
                clashes.append((a["iri"], b["iri"]))
    return clashes


@pytest.mark.parametrize("kinds", ["units,predecessors", "all"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_label_overlaps_another(viz, kinds, lang):
    result = viz("-f", "svg", "--kinds", kinds, "--lang", lang)
    assert result.exit_code == 0
    assert overlapping(result.stdout) == []


def test_two_hundred_societies_collapse_into_counted_groups(viz):
    collapsed = viz("-f", "svg", "--kinds", "units,societies")
    texts = [b["label"] for b in box_texts(collapsed.stdout)]
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
    members = [m for c in kids for m in c.get("children", [])]
    assert sum(1 for c in members if c["kind"] == "society") == 209
    # a folded group still holds its members, for the page to open on
    folded = json.loads(viz("-f", "json", "--kinds", "societies").stdout)["tree"]["children"]
    assert all(g["folded"] and len(g["children"]) == g["count"] for g in folded)


def test_chinese_labels_in_zh(viz):
    result = viz("-f", "svg", "--lang", "zh", "--kinds", "provincial", "--expand")
    found = box_texts(result.stdout)
    texts = {b["label"] for b in found}
    assert "中国科学技术协会" in texts
    assert "北京市科学技术协会" in texts
    assert "<title>中国科学技术协会：" in result.stdout  # the title too
    # names known only in English are drawn greyed, in italics
    units = viz("-f", "svg", "--lang", "zh").stdout
    fallback = ET.fromstring(units.encode()).findall(f".//{SVG}text[@class='label fallback']")
    assert fallback
    assert all(el.get("fill") == "#8a949e" for el in fallback)
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
    history = {tree.history[0][0].iri} | {n.iri for n in tree.history[0][1]}
    assert g.number_of_nodes() == len(nodes) + 3  # the 1958 merger and the two federations
    assert g.number_of_edges() == len(nodes) - 1 + 3
    assert {d["iri"] for _, d in g.nodes(data=True)} == {n.node.iri for n in nodes} | history
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
    # every arrow reads as its label: subject -label-> object
    names = dict(nodes)
    assert "rankdir=BT;" in dot
    for a, b, text in re.findall(r"^  (n\d+) -> (n\d+) \[label=\"([^\"]*)\"", dot, re.M):
        assert text in ("unit of", "sub-organization of")
        assert names[b] == "China Association for Science and Technology" or names[b].startswith(
            "Department"
        ), (names[a], text, names[b])
    assert re.search(r'^  h1_1 -> h1 \[label="changed by"', dot, re.M)
    assert re.search(r'^  h1 -> n1 \[label="resulting organization"', dot, re.M)
    try:
        import pydot
    except ImportError:
        return
    (graph,) = pydot.graph_from_dot_data(dot)
    assert len(graph.get_edges()) == len(edges)


def test_mermaid_is_a_flowchart_with_quoted_labels(viz):
    text = viz("-f", "mermaid").stdout
    lines = text.splitlines()
    assert lines[1] == "flowchart BT"
    node_lines = [line for line in lines if re.fullmatch(r'  n\d+\["[^"]*"\]', line)]
    edge_lines = [line for line in lines if re.fullmatch(r'  n\d+ -->\|"[^"]*"\| n\d+', line)]
    history = [line for line in lines if line.startswith("  h")]
    assert len(node_lines) + len(edge_lines) + len(history) == len(lines) - 2
    assert len(edge_lines) == len(node_lines) - 1
    assert '  n2 -->|"unit of"| n1' in lines  # a department is a unit of CAST, n1
    assert '  h1 -.->|"resulting organization"| n1' in lines


def test_root_and_depth(viz):
    sub = json.loads(viz("-f", "json", "--root", "hq-international-affairs").stdout)["tree"]
    assert sub["name"]["en"] == "Department of International Affairs"
    assert len(sub["children"]) == 5
    head = sub["facts"][0]
    assert (head["what"], head["what_zh"], head["value"]) == (
        "director general",
        "部长",
        "Zhang Jiansheng",
    )
    assert [s["key"] for s in head["sources"]] == ["004"]
    assert sub["head"] == {"en": "Zhang Jiansheng", "zh-Hans": "", "when": "in post 2007"}
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
    payload = json.loads(data)
    tree = payload["snapshots"][payload["current"]]["tree"]
    assert tree["name"]["zh-Hans"] == "中国科学技术协会"
    # the date control: the c.1997 and 2007 lists (and today's undated one), oldest first
    assert [s["short"]["en"] for s in payload["snapshots"]][:2] == ["c.1997", "2007"]
    # the layout library is inlined with its licence named
    assert "d3-hierarchy/ v3.1.3" in page


def test_as_of_all_shows_every_list_side_by_side(viz):
    tree = json.loads(viz("--as-of", "all", "-f", "json").stdout)["tree"]
    columns = [c for c in tree["children"] if c["kind"] == "snapshot"]
    assert [c["name"]["en"] for c in columns] == [
        "Headquarters as source 001 (1997) lists it",
        "Headquarters as source 004 (2007) lists it",
    ]
    old, new = ({u["name"]["en"] for u in c["children"]} for c in columns)
    assert "Learned Societies Affairs" in old
    assert "Learned Societies Affairs" not in new
    assert "Department of International Affairs" in new
    assert not any(c["kind"] == "unit" for c in tree["children"])  # no interleaved column


def test_facts_are_grouped_dated_with_units_and_no_slugs(structure):
    slug = re.compile(r"^[a-z]+(-[a-z0-9]+){2,}$")  # director-general-x, not vice-president
    for node in structure.nodes.values():
        seen = set()
        for fact in node.facts:
            assert (fact["what"], fact["value"]) not in seen  # each fact once
            seen.add((fact["what"], fact["value"]))
            assert not slug.match(fact["what"])
            assert not slug.match(fact["value"])
            assert fact["sources"]
    cast = structure.nodes["https://w3id.org/castgraph/id/cast"]
    facts = {(f["what"], f["value"]): f for f in cast.facts}
    assert ("income of the national societies", "3,630,000,000 yuan") in facts
    assert ("growth of individual members over ten years", "47.1%") in facts
    qian = facts[("president", "Qian Xuesen")]
    assert qian["when"] == "1986-06–1991-05"
    assert [s["key"] for s in qian["sources"]] == ["N1", "S02", "S10"]  # one fact, three sources


def test_pdf_is_a_pdf_and_unknown_extensions_are_refused(viz, tmp_path):
    from castgraph.viz.png import find_chromium

    refused = viz("-o", str(tmp_path / "x.xyz"))
    assert refused.exit_code == 2
    assert refused.stderr.count("\n") == 1
    assert "-o: cannot write .xyz" in refused.stderr
    assert not (tmp_path / "x.xyz").exists()
    if find_chromium() is None:
        pytest.skip("PDF needs Debian chromium")
    out = tmp_path / "x.pdf"
    assert viz("-o", str(out)).exit_code == 0
    assert out.read_bytes().startswith(b"%PDF-")


def test_output_is_byte_identical_whatever_the_hash_seed(built_dist, tmp_path):
    import os
    import subprocess
    import sys

    outputs = []
    for seed in ("1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        for fmt in ("html", "svg"):
            out = tmp_path / f"{seed}.{fmt}"
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "castgraph",
                    "viz",
                    "--dataset",
                    str(built_dist / "castgraph.trig"),
                    "--kinds",
                    "all",
                    "-o",
                    str(out),
                ],
                env=env,
                check=True,
                capture_output=True,
            )
            outputs.append(out.read_bytes())
    assert outputs[0] == outputs[2]
    assert outputs[1] == outputs[3]


def test_python_layout_is_d3_hierarchy_tree(tmp_path):
    """The SVG's tidy tree is d3-hierarchy's: the vendored build, run by node, agrees."""
    import shutil
    import subprocess
    from importlib.resources import files

    from castgraph.viz.layout import Placed, tidy_x

    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    shape = [[[], [[], []]], [], [[[], [], []], []], [[]], [], [[], [[[]], []]]]

    def placed(kids, parent=None):
        p = Placed(None, parent=parent)
        p.children = [placed(k, p) for k in kids]
        return p

    root = placed(shape)
    tidy_x(root)
    ours = []
    stack = [root]
    while stack:
        n = stack.pop()
        ours.append((round(n.x, 6), n.depth))
        stack.extend(reversed(n.children))
    d3 = files("castgraph.viz").joinpath("vendor/d3-hierarchy.min.js").read_text()
    (tmp_path / "d3.js").write_text(d3)
    script = tmp_path / "layout.js"
    script.write_text(  # the UMD build sets globalThis.d3 where there is no module system
        f"new Function(require('fs').readFileSync({json.dumps(str(tmp_path / 'd3.js'))}, 'utf8'))();"
        + f"\nconst root = d3.hierarchy({json.dumps(shape)}, (d) => d);"
        + "\nd3.tree().nodeSize([1, 1]).separation((a, b) => a.parent === b.parent ? 1 : 1.25)(root);"
        + "\nconst out = []; root.eachBefore((n) => out.push([Math.round(n.x * 1e6) / 1e6, n.depth]));"
        + "\nconsole.log(JSON.stringify(out));"
    )
    theirs = json.loads(
        subprocess.run([node, str(script)], capture_output=True, text=True, check=True).stdout
    )
    assert [tuple(t) for t in theirs] == ours


def test_large_leaf_families_are_grids_without_overlaps(viz):
    """The 209 societies, every group open: each group of more than GRID_OVER is several columns."""
    from castgraph.viz.layout import GRID_OVER, columns

    result = viz("-f", "svg", "--kinds", "units,societies", "--expand")
    assert result.exit_code == 0
    assert overlapping(result.stdout) == []
    found = box_texts(result.stdout)
    societies = [b for b in found if "/id/society-" in b["iri"] or "/id/soc-" in b["iri"]]
    lefts = {b["rect"][0] for b in societies}
    assert len(lefts) > 5  # side by side, not one column of 209
    assert columns(GRID_OVER) == 1
    assert columns(78) == 7  # the engineering group: 7 columns of 12
    height = max(b["rect"][3] for b in found) - min(b["rect"][1] for b in found)
    assert height < 30 * 130  # one column of 78 would be 78 boxes tall


def test_closed_families_are_their_own_blocks(viz):
    """The page's data holds the headquarters; each closed family's members are a block."""
    page = viz("-f", "html", "--kinds", "all").stdout
    data = page.split('<script type="application/json" id="data">', 1)[1].split("</script>", 1)[0]
    payload = json.loads(data)
    tree = payload["snapshots"][payload["current"]]["tree"]
    closed = [c for c in tree["children"] if c["kind"] == "category"]
    assert closed
    for group in closed:
        assert "children" not in group
        text = page.split(f'id="b{group["block"]}">', 1)[1].split("</script>", 1)[0]
        members = json.loads(text)
        assert len(members) == group["n"]
    units = [c for c in tree["children"] if c["kind"] == "unit"]
    assert units
    assert all("block" not in u for u in units)  # the headquarters are read on opening
    names = re.findall(r'id="b(\d+)"', page)
    assert names == [str(i) for i in range(1, len(names) + 1)]  # each block once, numbered


def test_remembered_pinyin_is_pypinyins(structure):
    """castgraph.viz.pinyin gives lazy_pinyin's letters, for every name and some harder ones."""
    from pypinyin import lazy_pinyin

    from castgraph.viz.pinyin import pinyin

    names = [n.label_zh for n in structure.nodes.values() if n.label_zh]
    names += [
        "银行行长",
        "重庆市重要",
        "长江大学",
        "中国-东盟 Science 协会（CAST）",
        "〇一",
        "№5 ½",
    ]
    for name in names * 2:  # the second time from what it remembers
        assert pinyin(name) == "".join(lazy_pinyin(name)), name
