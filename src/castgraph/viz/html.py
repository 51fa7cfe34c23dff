"""One self-contained HTML page: a top-down org chart of boxes with a date control, compare mode,
search, collapsible groups, zoom and pan, a facts panel with sources, permalinks and export.

The layout is d3-hierarchy's ``tree()`` (vendor/d3-hierarchy.min.js, 3.1.3 from npm, ISC licence
in vendor/d3-hierarchy.LICENSE), inlined with the page's own script and style (page/), so the
file needs no network: a Content Security Policy forbids loading anything.
"""

from __future__ import annotations

import base64
import json
import zlib
from importlib.resources import files
from xml.sax.saxutils import escape

from castgraph.viz import DASHED, EDGE_COLORS, EDGE_KINDS_ZH, to_json
from castgraph.viz.layout import BOX_H, BOX_W, GAP_X, GAP_Y, STACK_INDENT
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
<script>__D3__</script>
<script type="text/plain" id="chart">__JS__</script>
<script>__LOADER__</script>
</body>
</html>
"""


DEFLATE_OVER = 2_000_000  # characters of page data above which its blocks are deflated
DEFLATED = "application/x-castgraph-deflate-base64"


def _script_json(value, deflate: bool) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if deflate:  # zlib at a fixed level: the same bytes for the same data
        return base64.b64encode(zlib.compress(text.encode("utf-8"), 6)).decode("ascii")
    # Inside <script> only "</" can end the element early; escape it (and U+2028/9 for old parsers).
    text = text.replace("</", "<\\/")
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


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
        return [snapshot_entry("all", ("", ""), ("", ""), tree)]
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
    return out


ID_PREFIX = "https://w3id.org/castgraph/id/"


def prepare(node: dict, facts: dict, titles: dict) -> None:
    """Pinyin of each Chinese name (pypinyin, offline), so the page's search takes "beijing";
    facts moved out of the tree into ``facts`` (by id), which the page parses only when asked,
    each source's title given once in ``titles``, and the common prefix of ids left out: at
    150,000 organizations the page is parsed before anything is drawn, so every byte counts."""
    from pypinyin import lazy_pinyin

    stack = [node]
    while stack:
        n = stack.pop()
        n["id"] = n["id"].removeprefix(ID_PREFIX)
        for fact in n.get("facts", []):
            for source in fact["sources"]:
                titles[source["key"]] = source.pop("title")
        zh = n.get("name", {}).get("zh-Hans", "")
        if zh:
            n["pinyin"] = "".join(lazy_pinyin(zh))
        if "facts" in n:
            facts[n["id"]] = n.pop("facts")
        for event in n.get("history", []):
            event["id"] = event["id"].removeprefix(ID_PREFIX)
        stack.extend(n.get("children", []))
        for event in n.get("history", []):
            stack.extend(event["inputs"])


def render_html(
    tree: TreeNode,
    lang: str = "en",
    title: str = "",
    *,
    snapshots: list | None = None,
    title_zh: str = "",
    deflate: bool | None = None,
) -> bytes:
    """The page; ``deflate`` packs its data blocks (default: when they are large, so that a page
    of 150,000 organizations is read in a fraction of the time its plain JSON takes)."""
    entries = snapshots or [snapshot_entry("all", ("", ""), ("", ""), tree)]
    current = next(
        (
            i
            for i, s in enumerate(entries)
            if s["tree"]["id"] == tree.node.iri and s["tree"] == to_json(tree)
        ),
        len(entries) - 1,
    )
    facts: dict = {}
    titles: dict = {}
    entries = json.loads(json.dumps(entries))  # prepare() edits: never the caller's copy
    for entry in entries:
        prepare(entry["tree"], facts, titles)
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
            "pad": PAD,
            "font": FONT_SIZE,
            "small": SMALL,
        },
    }
    payload["idPrefix"] = ID_PREFIX
    facts_payload = {"facts": facts, "titles": titles}
    if deflate is None:
        deflate = len(json.dumps(payload)) + len(json.dumps(facts_payload)) > DEFLATE_OVER
    data, facts_data = _script_json(payload, deflate), _script_json(facts_payload, deflate)
    page = (
        PAGE.replace("__TITLE__", escape(title_zh if lang == "zh" and title_zh else title))
        .replace("__CSS__", _resource("page/chart.css"))
        .replace("__D3__", _resource("vendor/d3-hierarchy.min.js").replace("</", "<\\/"))
        .replace("__LOADER__", _resource("page/loader.js"))
        .replace("__TYPE__", DEFLATED if deflate else "application/json")
        .replace("__JS__", _resource("page/chart.js"))
        .replace("__FACTS__", facts_data)
        .replace("__DATA__", data)
    )
    return page.encode("utf-8")
