"""One self-contained HTML page: a top-down org chart of boxes with a date control, compare mode,
search, collapsible groups, zoom and pan, a facts panel with sources, permalinks and export.

The layout is d3-hierarchy's ``tree()`` (vendor/d3-hierarchy.min.js, 3.1.3 from npm, ISC licence
in vendor/d3-hierarchy.LICENSE), inlined with the page's own script and style (page/), so the
file needs no network: a Content Security Policy forbids loading anything.
"""

from __future__ import annotations

import re
from importlib.resources import files
from xml.sax.saxutils import escape

from castgraph.viz import DASHED, EDGE_COLORS, EDGE_KINDS_ZH, to_json
from castgraph.viz.blocks import DEFLATE_OVER, DEFLATED, encode, family_scripts, script_text, split
from castgraph.viz.layout import BOX_H, BOX_W, GAP_X, GAP_Y, GRID_OVER, STACK_INDENT
from castgraph.viz.pinyin import pinyin
from castgraph.viz.structure import EDGE_KINDS, ROOT
from castgraph.viz.svg import FONT_SIZE, GROUP_STYLE, PAD, SMALL, STYLE
from castgraph.viz.tree import TreeNode

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data: blob:">
<title>__TITLE__</title>
<style>__CSS__</style>
</head>
<body>
<header>
  <h1 id="title">__TITLE__</h1>
  <input type="search" id="search" aria-label="Search by name">
  <span id="status" role="status"></span>
  <span class="bar" id="dates" role="group" aria-label="Date"></span>
  <span class="bar">
    <button type="button" id="compare" aria-pressed="false"></button>
    <button type="button" id="fit"></button>
    <button type="button" id="expand"></button>
    <button type="button" id="collapse"></button>
    <button type="button" id="export-svg">SVG</button>
    <button type="button" id="export-png">PNG</button>
  </span>
  <span class="bar" role="group" aria-label="Language">
    <button type="button" id="lang-en" aria-pressed="true">English</button>
    <button type="button" id="lang-zh" aria-pressed="false">中文</button>
  </span>
</header>
<main>
  <div id="panes">
    <div class="pane" id="pane-a"><svg role="tree"><g class="view"></g></svg><div class="caption"></div></div>
    <div class="pane" id="pane-b" hidden><svg role="tree"><g class="view"></g></svg><div class="caption"></div></div>
  </div>
  <aside id="panel" aria-live="polite"><p>Click a box to see its facts and their sources. 点击方框查看其事实与来源。</p></aside>
</main>
<div id="popover" role="tooltip" hidden></div>
<script type="__TYPE__" id="data">__DATA__</script>
<script type="__TYPE__" id="facts">__FACTS__</script>
__BLOCKS__
<script>__D3__</script>
<script type="text/plain" id="chart">__JS__</script>
<script>__LOADER__</script>
</body>
</html>
"""


def _resource(name: str) -> str:
    return files("castgraph.viz").joinpath(name).read_text(encoding="utf-8")


def snapshot_entry(key: str, label: tuple[str, str], short: tuple[str, str], tree: TreeNode):
    return {
        "id": key,
        "label": {"en": label[0], "zh": label[1]},
        "short": {"en": short[0], "zh": short[1]},
        "tree": to_json(tree),
    }


def snapshots(structure, tree: TreeNode, snapshot: str | None, build_tree, options: dict) -> list:
    """The page's date control: one tree per headquarters list, oldest first, undated last."""
    graphs = structure.unit_graphs()
    # the lists are lists of CAST's units: below another root there is nothing to switch
    if snapshot is None or len(graphs) < 2 or tree.node.iri != ROOT:
        return [{**snapshot_entry("all", ("", ""), ("", ""), tree), "current": True}]
    out = []
    for graph in sorted(graphs, key=lambda g: (not structure.sources.get(g, None), g)):
        source = structure.sources.get(graph)
        if graph == snapshot:
            this = tree
        else:
            this, _ = build_tree(
                structure,
                options["root"],
                snapshot=graph,
                **{k: options[k] for k in ("depth", "kinds", "expand")},
            )
        if source and source.date:
            year = source.date[:4]
            label = (
                f"headquarters as source {source.key} ({year}) lists it",
                f"来源 {source.key}（{year}）所列机关",
            )
            short = (
                f"c.{year}" if year < "2000" else year,
                f"约{year}年" if year < "2000" else f"{year}年",
            )
        else:
            label = (
                "today's departments, joined by the curators from news pages (undated)",
                "今日机关部门（整理者据新闻页面汇集，无日期）",
            )
            short = ("today (undated)", "今日（无日期）")
        out.append(snapshot_entry(graph.rsplit("/", 1)[-1], label, short, this))
        if graph == snapshot:
            out[-1]["current"] = True
    return out


ID_PREFIX = "https://w3id.org/castgraph/id/"


def prepare(node: dict, facts: dict, titles: dict) -> None:
    """Pinyin of each Chinese name (pypinyin, offline), so the page's search takes "beijing";
    facts moved out of the tree into ``facts`` (by id), which the page parses only when asked,
    each source's title given once in ``titles``, and the common prefix of ids left out: at
    150,000 organizations the page is parsed before anything is drawn, so every byte counts."""
    stack = [node]
    while stack:
        n = stack.pop()
        n["id"] = n["id"].removeprefix(ID_PREFIX)
        zh = n.get("name", {}).get("zh-Hans", "")
        if zh:
            n["pinyin"] = pinyin(zh)
        if "facts" in n:  # copied: the trees of the date control share their facts
            facts[n["id"]] = [
                {**fact, "sources": [untitled(s, titles) for s in fact["sources"]]}
                for fact in n.pop("facts")
            ]
        for event in n.get("history", []):
            event["id"] = event["id"].removeprefix(ID_PREFIX)
        stack.extend(n.get("children", []))
        for event in n.get("history", []):
            stack.extend(event["inputs"])


def untitled(source: dict, titles: dict) -> dict:
    titles[source["key"]] = source["title"]
    return {k: v for k, v in source.items() if k != "title"}


def render_html(
    tree: TreeNode,
    lang: str = "en",
    title: str = "",
    *,
    snapshots: list | None = None,
    title_zh: str = "",
    deflate: bool | None = None,
) -> bytes:
    """The page; ``deflate`` packs its large data blocks (default: when the data is large, so
    that a family of thousands is read in a fraction of the time its plain JSON takes).

    The entries of ``snapshots`` (from ``snapshots()``) are edited: make new ones for each page.
    """
    if snapshots:  # the one of ``tree``: marked by snapshots(), else found by its content
        marked = [i for i, s in enumerate(snapshots) if s.pop("current", False)]
        if not marked:
            mine = to_json(tree)
            marked = [i for i, s in enumerate(snapshots) if s["tree"] == mine]
        current = marked[0] if marked else len(snapshots) - 1
        entries = snapshots
    else:
        current, entries = 0, [snapshot_entry("all", ("", ""), ("", ""), tree)]
    facts: dict = {}
    titles: dict = {}
    blocks: dict[str, int] = {}
    for entry in entries:
        prepare(entry["tree"], facts, titles)
        split(entry["tree"], blocks)
    payload = {
        "title": {"en": title, "zh": title_zh or title},
        "lang": lang,
        "current": current,
        "snapshots": entries,
        "relations": {k: {"en": v, "zh": EDGE_KINDS_ZH[k]} for k, v in EDGE_KINDS.items()},
        "colors": EDGE_COLORS,
        "dashed": list(DASHED),
        "styles": {**STYLE, "group": GROUP_STYLE},
        "layout": {
            "box_w": BOX_W,
            "box_h": BOX_H,
            "gap_x": GAP_X,
            "gap_y": GAP_Y,
            "indent": STACK_INDENT,
            "grid_over": GRID_OVER,
            "pad": PAD,
            "font": FONT_SIZE,
            "small": SMALL,
        },
    }
    payload["idPrefix"] = ID_PREFIX
    data, facts_data = encode(payload), encode({"facts": facts, "titles": titles})
    if deflate is None:
        deflate = len(data) + len(facts_data) + sum(map(len, blocks)) > DEFLATE_OVER
    parts = {
        "TITLE": escape(title_zh if lang == "zh" and title_zh else title),
        "CSS": _resource("page/chart.css"),
        "D3": _resource("vendor/d3-hierarchy.min.js").replace("</", "<\\/"),
        "LOADER": _resource("page/loader.js"),
        "TYPE": DEFLATED if deflate else "application/json",
        "JS": _resource("page/chart.js"),
        "DATA": script_text(data, deflate),
        "FACTS": script_text(facts_data, deflate),
        "BLOCKS": family_scripts(blocks, deflate),
    }
    # one pass over the template: no inserted text is searched for placeholders
    page = re.sub(r"__([A-Z0-9]+)__", lambda m: parts[m.group(1)], PAGE)
    return page.encode("utf-8")
