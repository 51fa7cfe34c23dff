"""One self-contained HTML page: a collapsible tree with search, an English/Chinese switch and a
panel with each node's facts and their sources.

Plain JavaScript, no library: a collapsible tree of nested lists needs none, so there is nothing
to vendor, nothing to fetch, and the page works from a file:// URL with the network off.
"""

from __future__ import annotations

import json
from xml.sax.saxutils import escape

from castgraph.viz import to_json
from castgraph.viz.structure import EDGE_KINDS
from castgraph.viz.tree import TreeNode

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>__TITLE__</title>
<style>
  body { margin: 0; font: 14px/1.45 "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", system-ui, sans-serif; color: #1f2d3d; }
  header { padding: 10px 16px; border-bottom: 1px solid #d8dee4; display: flex; gap: 12px; align-items: center; flex-wrap: wrap; }
  header h1 { font-size: 16px; margin: 0 12px 0 0; }
  input[type=search] { padding: 5px 8px; width: 22em; border: 1px solid #aab4bf; border-radius: 4px; }
  button { font: inherit; cursor: pointer; }
  .lang button { border: 1px solid #aab4bf; background: #fff; padding: 3px 10px; }
  .lang button[aria-pressed=true] { background: #1f5f99; color: #fff; border-color: #1f5f99; }
  main { display: flex; align-items: flex-start; }
  #tree { flex: 1; padding: 8px 16px 40px; overflow: auto; }
  #panel { width: 380px; min-height: 200px; border-left: 1px solid #d8dee4; padding: 12px 16px; position: sticky; top: 0; }
  ul { list-style: none; margin: 0; padding-left: 20px; }
  #tree > ul { padding-left: 0; }
  li { margin: 2px 0; }
  .toggle { width: 1.6em; border: none; background: none; color: #55616d; }
  .toggle[hidden] { visibility: hidden; display: inline-block; }
  .name { border: none; background: none; padding: 1px 4px; border-radius: 3px; text-align: left; color: inherit; }
  .name:hover, .name:focus { background: #eef3f8; }
  .name.selected { background: #1f5f99; color: #fff; }
  .name.match { outline: 2px solid #c77c02; }
  .rel { font-size: 11px; color: #6b7785; margin-left: 4px; }
  .head { font-size: 12px; color: #55616d; margin-left: 6px; }
  .fallback { font-style: italic; }
  li.collapsed > ul { display: none; }
  #panel h2 { font-size: 15px; margin: 0 0 4px; }
  #panel table { border-collapse: collapse; width: 100%; font-size: 13px; }
  #panel td { border-top: 1px solid #eef0f2; padding: 3px 4px; vertical-align: top; }
  #panel .source { color: #1f5f99; white-space: nowrap; }
  #status { color: #6b7785; font-size: 12px; }
</style>
</head>
<body>
<header>
  <h1 id="title">__TITLE__</h1>
  <input type="search" id="search" placeholder="Search a name in English or Chinese / 搜索" aria-label="Search by name">
  <span id="status" role="status"></span>
  <span class="lang" role="group" aria-label="Language">
    <button type="button" id="lang-en" aria-pressed="true">English</button>
    <button type="button" id="lang-zh" aria-pressed="false">中文</button>
  </span>
</header>
<main>
  <div id="tree" role="tree"></div>
  <aside id="panel" aria-live="polite"><p>Click a name to see its facts and their sources.</p></aside>
</main>
<script type="application/json" id="data">__DATA__</script>
<script>
"use strict";
const data = JSON.parse(document.getElementById("data").textContent);
const RELATIONS = __RELATIONS__;
let lang = "en";
const byId = new Map();

function name(node) {
  const en = node.name.en, zh = node.name["zh-Hans"];
  if (lang === "zh") return zh ? [zh, false] : [en || node.id, true];
  return en ? [en, false] : [zh || node.id, true];
}

function build(node, parentLi) {
  const li = document.createElement("li");
  li.setAttribute("role", "treeitem");
  li.dataset.id = node.id;
  const toggle = document.createElement("button");
  toggle.className = "toggle";
  toggle.type = "button";
  toggle.setAttribute("aria-label", "expand or collapse");
  const kids = node.children || [];
  if (!kids.length) toggle.hidden = true;
  toggle.textContent = "▾";
  toggle.addEventListener("click", () => setCollapsed(li, !li.classList.contains("collapsed")));
  const label = document.createElement("button");
  label.className = "name";
  label.type = "button";
  label.addEventListener("click", () => select(node, label));
  const rel = document.createElement("span");
  rel.className = "rel";
  const head = document.createElement("span");
  head.className = "head";
  li.append(toggle, label, rel, head);
  byId.set(label, { node, li, parentLi });
  if (kids.length) {
    const ul = document.createElement("ul");
    ul.setAttribute("role", "group");
    for (const child of kids) ul.append(build(child, li));
    li.append(ul);
  }
  return li;
}

function setCollapsed(li, collapsed) {
  li.classList.toggle("collapsed", collapsed);
  const t = li.querySelector(":scope > .toggle");
  t.textContent = collapsed ? "▸" : "▾";
  li.setAttribute("aria-expanded", String(!collapsed));
}

function paint() {
  for (const [label, { node }] of byId) {
    const [text, fallback] = name(node);
    label.textContent = text;
    label.classList.toggle("fallback", fallback);
    const li = label.parentElement;
    li.querySelector(":scope > .rel").textContent = node.relation ? "(" + (RELATIONS[node.relation] || node.relation) + ")" : "";
    li.querySelector(":scope > .head").textContent = node.head ? (lang === "zh" ? "负责人：" : "head: ") + node.head : "";
  }
  document.getElementById("lang-en").setAttribute("aria-pressed", String(lang === "en"));
  document.getElementById("lang-zh").setAttribute("aria-pressed", String(lang === "zh"));
  document.documentElement.lang = lang === "zh" ? "zh-Hans" : "en";
}

function select(node, label) {
  document.querySelectorAll(".name.selected").forEach((el) => el.classList.remove("selected"));
  label.classList.add("selected");
  const panel = document.getElementById("panel");
  panel.textContent = "";
  const h = document.createElement("h2");
  h.textContent = node.name.en || node.name["zh-Hans"] || node.id;
  panel.append(h);
  if (node.name.en && node.name["zh-Hans"]) {
    const zh = document.createElement("div");
    zh.textContent = node.name["zh-Hans"];
    panel.append(zh);
  }
  const meta = document.createElement("p");
  meta.textContent = "kind: " + node.kind + (node.count ? " · " + node.count + " listed" : "");
  panel.append(meta);
  const table = document.createElement("table");
  for (const fact of node.facts || []) {
    const tr = table.insertRow();
    tr.insertCell().textContent = fact.what;
    tr.insertCell().textContent = fact.value;
    const src = tr.insertCell();
    src.className = "source";
    src.textContent = "source " + fact.source;
    src.title = fact.title;
    const title = tr.insertCell();
    title.textContent = fact.title;
  }
  if (!(node.facts || []).length) {
    const none = document.createElement("p");
    none.textContent = "No further facts in the graph.";
    panel.append(none);
  } else {
    panel.append(table);
  }
  const iri = document.createElement("p");
  iri.className = "iri";
  iri.textContent = node.id;
  panel.append(iri);
}

function search(text) {
  const query = text.trim().toLowerCase();
  let first = null, count = 0;
  for (const [label, { node, li }] of byId) {
    const hit = query && [node.name.en, node.name["zh-Hans"]].some((n) => n && n.toLowerCase().includes(query));
    label.classList.toggle("match", Boolean(hit));
    if (hit) {
      count += 1;
      let up = byId.get(label).parentLi;
      while (up) { setCollapsed(up, false); up = [...byId.values()].find((v) => v.li === up).parentLi; }
      if (!first) first = label;
    }
  }
  document.getElementById("status").textContent = query ? count + " found" : "";
  if (first) first.scrollIntoView({ block: "center" });
}

const root = document.createElement("ul");
root.append(build(data.tree, null));
document.getElementById("tree").append(root);
for (const { node, li, parentLi } of byId.values()) {
  if (parentLi && node.count === undefined && (node.children || []).length > 12) setCollapsed(li, true);
}
paint();
document.getElementById("search").addEventListener("input", (e) => search(e.target.value));
document.getElementById("lang-en").addEventListener("click", () => { lang = "en"; paint(); });
document.getElementById("lang-zh").addEventListener("click", () => { lang = "zh"; paint(); });
</script>
</body>
</html>
"""


def render_html(tree: TreeNode, lang: str = "en", title: str = "") -> bytes:
    payload = {"title": title, "tree": to_json(tree)}
    # Inside <script> only "</" can end the element early; escape it (and U+2028/9 for old parsers).
    data = json.dumps(payload, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    data = data.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    relations = json.dumps(EDGE_KINDS, sort_keys=True)
    page = (
        PAGE.replace("__TITLE__", escape(title))
        .replace("__RELATIONS__", relations)
        .replace("__DATA__", data)
    )
    if lang == "zh":
        page = page.replace('let lang = "en";', 'let lang = "zh";')
    return page.encode("utf-8")
