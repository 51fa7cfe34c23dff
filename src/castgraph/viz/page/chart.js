"use strict";
// The org chart: boxes laid out by d3-hierarchy's tree() (inlined before this script), in the
// same chain transformation and sizes as castgraph.viz.layout, so the page and the SVG agree.
const DATA = window.CASTGRAPH.data;   // read by page/loader.js
let FACTS = null, factsLoading = null;   // read on the first selection: most of the page's data
function loadFacts() { return factsLoading || (factsLoading = window.CASTGRAPH.readFacts().then((f) => { FACTS = f; })); }
function factsOf(id) {
  if (!FACTS) return null;
  const facts = FACTS.facts[id.startsWith(DATA.idPrefix) ? id.slice(DATA.idPrefix.length) : id] || [];
  for (const f of facts) for (const s of f.sources) s.title = FACTS.titles[s.key];
  return facts;
}
const L = DATA.layout, NS = "http://www.w3.org/2000/svg";
const UI = {
  en: { search: "Search: English, 中文 or pinyin", found: " found", compare: "Compare", fit: "Fit", expand: "Expand all", collapse: "Collapse all", head: "head", sources: "sources", none: "No further facts in the graph.", listed: " listed", relation: "relation", stated: "stated by source" },
  zh: { search: "搜索：中文、英文或拼音", found: " 个结果", compare: "对比", fit: "适应窗口", expand: "全部展开", collapse: "全部收起", head: "负责人", sources: "来源", none: "图中没有更多事实。", listed: " 项", relation: "关系", stated: "来源" },
};
let lang = DATA.lang, current = DATA.current, compare = false;
const open = new Set();      // ids of expanded nodes (a node's id is unique per snapshot tree)
const GROUPS = new Set(["category", "society-group", "snapshot"]);
const byId = new Map();      // id -> {node, parent}
const pending = new Set();   // closed families whose members are still in their block (bN)
for (const snap of DATA.snapshots) index(snap.tree, null);
performance.mark("castgraph-indexed");
function index(node, parent) {
  if (!node.id.includes("://")) node.id = DATA.idPrefix + node.id;   // the page leaves the prefix out
  for (const ev of node.history || []) { if (!ev.id.includes("://")) ev.id = DATA.idPrefix + ev.id; ev.inputs.forEach((i) => index(i, null)); }
  if (!byId.has(node.id)) byId.set(node.id, { node, parent });
  if (node.block && !node.children) pending.add(node);
  for (const c of node.children || []) index(c, node);
  // opens on the headquarters: the root, its units and list columns; every other family closed
  if (!parent || node.kind === "unit" || node.kind === "snapshot") open.add(node.id);
}

function attach(node, members) { node.children = members; pending.delete(node); members.forEach((c) => index(c, node)); }
// A closed family's members, read from its own block: at once if the block is plain JSON (then
// null), else a Promise (a deflated block is inflated by the browser, asynchronously).
function load(node) {
  if (node.children || !node.block) return null;
  const id = "b" + node.block, now = window.CASTGRAPH.plain(id);
  if (now !== undefined) { attach(node, now); return null; }
  return node.loading || (node.loading = window.CASTGRAPH.read(id).then((m) => { if (!node.children) attach(node, m); }));
}
let allRead = false;
function loadAll() {   // every block (search, expand all, a deep permalink): null if done at once
  if (pending.size && !allRead) return window.CASTGRAPH.readAll().then(() => { allRead = true; return loadAll(); });
  const waits = [];
  for (let again = true; again;) {
    again = false;
    for (const node of [...pending]) { const p = load(node); if (p) waits.push(p); else again = true; }
  }
  return waits.length ? Promise.all(waits).then(() => loadAll()) : null;
}
function later(p, then) { if (p) p.then(then); else then(); }
function hasMembers(node) { return (node.children || []).length > 0 || node.n > 0; }

function width(text, size) { let w = 0; for (const ch of text) w += ch.codePointAt(0) >= 0x2e80 ? size : size * 0.6; return w; }
function fit(text, size, lines) {   // castgraph.viz.svg.fit, line for line
  const max = L.box_w - 2 * L.pad, out = [];
  let rest = text;
  while (rest && out.length < lines) {
    if (width(rest, size) <= max) { out.push(rest); return out; }
    let cut = rest.length;
    while (cut > 1 && width(rest.slice(0, cut), size) > max) cut--;
    const space = rest.lastIndexOf(" ", cut);
    if (space > 0 && rest.charCodeAt(cut - 1) < 0x2e80) cut = space;
    out.push(rest.slice(0, cut).trimEnd()); rest = rest.slice(cut).trimStart();
  }
  if (rest) { let last = out[out.length - 1]; while (last && width(last + "…", size) > max) last = last.slice(0, -1); out[out.length - 1] = last.trimEnd() + "…"; }
  return out;
}
function name(node, l = lang) {
  const en = node.name.en, zh = node.name["zh-Hans"];
  return l === "zh" ? (zh ? [zh, false] : [en || "", true]) : (en ? [en, false] : [zh || "", true]);
}
function lines(node) {
  const [text, fallback] = name(node), other = name(node, lang === "zh" ? "en" : "zh");
  const head = node.head, count = node.count && !(node.children || []).length ? 0 : node.count;
  const out = fit(text, L.font, head || node.count ? 2 : 3).map((t) => [t, L.font, fallback ? "label fallback" : "label"]);
  if (!other[1] && other[0] && other[0] !== text) out.push(...fit(other[0], L.small, 1).map((t) => [t, L.small, "other"]));
  if (head) {
    const who = lang === "zh" && head["zh-Hans"] ? head["zh-Hans"] : head.en;
    out.push(...fit(`${UI[lang].head}: ${who}${head.when ? ", " + when(head.when) : ""}`, L.small, 5 - out.length).map((t) => [t, L.small, "head"]));
  } else if (node.count) out.push([(count || node.count) + UI[lang].listed, L.small, "head"]);
  return out.slice(0, 5);
}
function when(text) {   // the date phrases of castgraph.viz.facts, in the page's language
  if (lang !== "zh" || !text) return text;
  return text.replace(/^since (.+)$/, "$1起").replace(/^until (.+)$/, "至$1").replace(/^in post (.+)$/, "$1年在任");
}
function sourceKey(key) { return key === "curation" ? (lang === "zh" ? "整理者" : "the curators") : key; }
function kids(node) {   // the members drawn: an open family's (one open in the other pane is read here)
  if (!open.has(node.id)) return [];
  if (!node.children && node.block) { const p = load(node); if (p) { p.then(redraw); return []; } }
  return node.children || [];
}

// The chain transformation of castgraph.viz.layout.chain: leaf-only families become columns
// (chains), a large one a grid of columns side by side, filled column after column.
function columns(n) { return n > L.grid_over ? Math.ceil(Math.sqrt(n / 2)) : 1; }
function chain(node, top = true) {
  const out = { ref: node, stacked: false, children: [] }, cs = kids(node);
  if (!top && cs.length > 1 && !cs.some((c) => kids(c).length)) {
    const cols = columns(cs.length), rows = Math.ceil(cs.length / cols);
    for (let j = 0; j < cols; j++) {
      let above = out;
      for (const c of cs.slice(j * rows, (j + 1) * rows)) { const link = { ref: c, stacked: true, grid: cols > 1, children: [] }; above.children.push(link); above = link; }
    }
  } else out.children = cs.map((c) => chain(c, false));
  return out;
}
function layout(tree) {
  const root = d3.hierarchy(chain(tree), (d) => d.children);
  d3.tree().nodeSize([L.box_w + L.gap_x, L.box_h + L.gap_y])
    .separation((a, b) => (a.parent === b.parent ? 1 : 1.25))(root);
  const placed = [];
  root.each((n) => placed.push({ ref: n.data.ref, stacked: n.data.stacked, grid: n.data.grid, x: n.x - L.box_w / 2 + (n.data.stacked ? L.indent : 0), y: n.y }));
  return placed;
}

function el(tag, attrs, parent) {
  const e = document.createElementNS(NS, tag);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  if (parent) parent.append(e);
  return e;
}
function drawBox(g, node, x, y, kind) {
  const box = el("g", { class: "box", "data-id": node.id, "data-kind": kind, tabindex: 0, role: "treeitem" }, g);
  const [fill, stroke, ink] = DATA.styles[GROUPS.has(kind) ? "group" : kind] || DATA.styles.unit;
  const dashed = GROUPS.has(kind) || kind === "merger" || kind === "predecessor";
  el("rect", { class: "frame", x, y, width: L.box_w, height: L.box_h, rx: 6, fill, stroke, "stroke-width": 1.4, ...(dashed ? { "stroke-dasharray": "5 3" } : {}) }, box);
  let ty = y + L.pad;
  for (const [text, size, cls] of lines(node)) {
    ty += size + 3;
    const colour = cls === "label fallback" ? "#8a949e" : cls === "label" ? ink : kind === "cast" ? ink : "#5b6672";
    const t = el("text", { class: cls, x: x + L.pad, y: ty, "font-size": size, fill: colour, ...(cls.startsWith("label") ? { "font-weight": 600 } : {}), ...(cls === "label fallback" ? { "font-style": "italic" } : {}) }, box);
    t.textContent = text;
  }
  if (hasMembers(node)) {
    const shut = !open.has(node.id);
    const t = el("g", { class: "toggle", "aria-label": shut ? "expand" : "collapse" }, box);
    el("circle", { cx: x + L.box_w / 2, cy: y + L.box_h, r: 8, fill: "#fff", stroke: stroke }, t);
    el("text", { x: x + L.box_w / 2, y: y + L.box_h + 4, "text-anchor": "middle", "font-size": 12, fill: "#1f2d3d" }, t).textContent = shut ? "+" : "−";
    box.setAttribute("aria-expanded", String(!shut));
  }
  if (node.relation) {   // hovering a box names its relation and the sources stating it
    const rel = DATA.relations[node.relation] ? DATA.relations[node.relation][lang] : node.relation;
    el("title", {}, box).textContent = `${name(node)[0]} — ${rel} · ${UI[lang].stated} ${(node.sources || []).map(sourceKey).join(", ")}`;
  }
  box._node = node;
  return box;
}
function path(g, d, kind, dashed, sources, parent, child) {
  const p = el("path", { class: "edge", d, fill: "none", stroke: DATA.colors[kind] || "#333", "stroke-width": 1.5, "data-kind": kind, ...(dashed ? { "stroke-dasharray": "5 3" } : {}) }, g);
  p._edge = { kind, sources: sources || [], parent, child };
}

function draw(pane, snap) {
  const svg = pane.querySelector("svg"), view = svg.querySelector(".view");
  view.textContent = "";
  const edges = el("g", { class: "edges" }, view), boxes = el("g", { class: "boxes" }, view);
  const placed = layout(snap.tree), at = new Map(placed.map((p) => [p.ref.id, p]));
  for (const p of placed) for (const c of kids(p.ref)) {
    const q = at.get(c.id), dashed = DATA.dashed.includes(c.relation);
    const d = q.grid ? `M${p.x + L.box_w / 2},${p.y + L.box_h} V${p.y + L.box_h + L.gap_y / 2} H${q.x - 7} V${q.y + L.box_h / 2} H${q.x}`
      : q.stacked ? `M${p.x + 7},${p.y + L.box_h} V${q.y + L.box_h / 2} H${q.x}`
      : `M${p.x + L.box_w / 2},${p.y + L.box_h} V${q.y - L.gap_y / 2} H${q.x + L.box_w / 2} V${q.y}`;
    path(edges, d, c.relation, dashed, c.sources, p.ref, c);
  }
  const root = placed[0];
  for (const ev of snap.tree.history || []) {   // the merger above the root, its inputs above it
    const ey = root.y - L.box_h - L.gap_y, iy = ey - L.box_h - L.gap_y, n = ev.inputs.length;
    const first = root.x + L.box_w / 2 - (n * (L.box_w + L.gap_x) - L.gap_x) / 2;
    path(edges, `M${root.x + L.box_w / 2},${ey + L.box_h} V${root.y}`, "predecessor-of", true, ev.sources, ev, snap.tree);
    ev.inputs.forEach((inp, i) => {
      const ix = first + i * (L.box_w + L.gap_x);
      path(edges, `M${ix + L.box_w / 2},${iy + L.box_h} V${ey - L.gap_y / 2} H${root.x + L.box_w / 2} V${ey}`, "predecessor-of", true, ev.sources, inp, ev);
      drawBox(boxes, inp, ix, iy, "predecessor");
    });
    const date = ev.date ? ` (${ev.date})` : "";
    drawBox(boxes, { ...ev, name: { en: ev.name.en && ev.name.en + date, "zh-Hans": ev.name["zh-Hans"] && ev.name["zh-Hans"] + date } }, root.x, ey, "merger");
  }
  for (const p of placed) drawBox(boxes, p.ref, p.x, p.y, p.ref.kind);
  boxes.querySelector(`.box[data-id="${CSS.escape(root.ref.id)}"]:not([data-kind=predecessor])`).classList.add("root");
  pane.dataset.snapshot = snap.id;
  pane.querySelector(".caption").textContent = snap.label[lang === "zh" ? "zh" : "en"];
}

// zoom and pan: one transform per pane, kept across redraws
function zoomable(pane) {
  const svg = pane.querySelector("svg"), view = svg.querySelector(".view");
  pane._t = { x: 0, y: 0, k: 1 };
  const apply = () => view.setAttribute("transform", `translate(${pane._t.x},${pane._t.y}) scale(${pane._t.k})`);
  pane._apply = apply;
  svg.addEventListener("wheel", (e) => {
    e.preventDefault();
    const t = pane._t, r = svg.getBoundingClientRect(), k = Math.min(3, Math.max(0.1, t.k * Math.exp(-e.deltaY / 400)));
    const mx = e.clientX - r.left, my = e.clientY - r.top;
    t.x = mx - ((mx - t.x) * k) / t.k; t.y = my - ((my - t.y) * k) / t.k; t.k = k; apply();
  }, { passive: false });
  let drag = null;
  svg.addEventListener("pointerdown", (e) => { if (e.target === svg) { drag = [e.clientX - pane._t.x, e.clientY - pane._t.y]; svg.setPointerCapture(e.pointerId); } });
  svg.addEventListener("pointermove", (e) => { if (drag) { pane._t.x = e.clientX - drag[0]; pane._t.y = e.clientY - drag[1]; apply(); } });
  svg.addEventListener("pointerup", () => { drag = null; });
}
function fitView(pane, readable = false) {
  // the whole chart, or (on opening) no smaller than readable, the top of it centred
  const svg = pane.querySelector("svg"), box = svg.querySelector(".view").getBBox(), r = svg.getBoundingClientRect();
  let k = Math.min(1, (r.width - 40) / box.width, (r.height - 40) / box.height);
  if (readable) k = Math.max(k, 0.7);
  const root = pane.querySelector(".box.root rect");
  const cx = k * box.width > r.width && root ? (+root.getAttribute("x") + L.box_w / 2) : box.x + box.width / 2;
  pane._t = { k, x: r.width / 2 - cx * k, y: 30 - box.y * k };
  if (readable === "left" && k * box.width > r.width) pane._t.x = 10 - box.x * k;   // lists start left
  pane._apply();
}
function center(pane, id) {
  const b = pane.querySelector(`.box[data-id="${CSS.escape(id)}"]`); if (!b) return;
  const f = b.querySelector("rect").getBBox(), r = pane.querySelector("svg").getBoundingClientRect(), t = pane._t;
  t.x = r.width / 2 - (f.x + f.width / 2) * t.k; t.y = r.height / 3 - (f.y + f.height / 2) * t.k; pane._apply();
}

const panes = [...document.querySelectorAll(".pane")];
function redraw() {
  draw(panes[0], DATA.snapshots[current]);
  panes[1].hidden = !compare;
  if (compare) draw(panes[1], DATA.snapshots[current === 0 ? 1 : current - 1]);   // the one before
  document.querySelectorAll("#dates button").forEach((b, i) => b.setAttribute("aria-pressed", String(i === current)));
  document.getElementById("compare").setAttribute("aria-pressed", String(compare));
}
function toggle(node) {   // opening a family reads its block first
  const id = node.id, shut = open.has(id);
  later(shut ? null : load(node), () => { if (shut) open.delete(id); else open.add(id); redraw(); focusBox(id); center(panes[0], id); });
}
function openFamily(id) { const node = byId.get(id).node; return Promise.resolve(load(node)).then(() => { open.add(id); redraw(); }); }
function openPath(id) { let e = byId.get(id); while (e && e.parent) { open.add(e.parent.id); e = byId.get(e.parent.id); } }
function focusBox(id) { const b = panes[0].querySelector(`.box[data-id="${CSS.escape(id)}"]`); if (b) b.focus({ preventScroll: true }); return b; }

function select(node) {
  document.querySelectorAll(".box.selected").forEach((b) => b.classList.remove("selected"));
  document.querySelectorAll(`.box[data-id="${CSS.escape(node.id)}"]`).forEach((b) => b.classList.add("selected"));
  const panel = document.getElementById("panel"); panel.textContent = "";
  const add = (tag, cls, text, parent = panel) => { const e = document.createElement(tag); if (cls) e.className = cls; e.textContent = text; parent.append(e); return e; };
  const [text, fallback] = name(node), other = name(node, lang === "zh" ? "en" : "zh");
  add("h2", fallback ? "fallback" : "", text);
  if (!other[1] && other[0] !== text) add("div", "other", other[0]);
  if (node.count) add("div", "other", node.count + UI[lang].listed);
  const facts = factsOf(node.id);
  if (facts === null) {   // not read yet: read them, then show this box again if still chosen
    add("p", "", "…");
    loadFacts().then(() => { if (document.querySelector(`.box.selected[data-id="${CSS.escape(node.id)}"]`)) select(node); });
    return;
  }
  for (const f of facts) {
    const row = add("div", "fact", "");
    add("div", "what", lang === "zh" && f.what_zh ? f.what_zh : f.what, row);
    add("div", "value", (lang === "zh" && f.value_zh ? f.value_zh : f.value) + (f.when ? " · " + when(f.when) : ""), row);
    const keys = f.sources.map((s) => s.key + (s.when && s.when !== f.when ? ` (${when(s.when)})` : ""));
    const src = add("div", "src", `${UI[lang].sources}: ${keys.join(", ")}`, row);
    src.title = f.sources.map((s) => `${s.key}: ${s.title}`).join("\n");
    const titles = new Map(f.sources.map((s) => [s.key, s.title]));   // each source once
    for (const [key, title] of titles) add("div", "what", `${key} — ${title}`, row);
  }
  if (!facts.length) add("p", "", UI[lang].none);
  if (node.sources) add("div", "src", `${UI[lang].relation}: ${DATA.relations[node.relation][lang]} · ${UI[lang].stated} ${node.sources.map(sourceKey).join(", ")}`);
  add("p", "iri", node.id);
  if (byId.has(node.id) && location.hash !== "#" + node.id) history.replaceState(null, "", "#" + node.id);
}
function popover(edge, x, y) {
  const p = document.getElementById("popover");
  const rel = DATA.relations[edge.kind] ? DATA.relations[edge.kind][lang] : edge.kind;
  p.textContent = `${name(edge.child)[0]} — ${rel} — ${name(edge.parent)[0]}. ${UI[lang].stated} ${edge.sources.map(sourceKey).join(", ")}`;
  p.style.left = x + 8 + "px"; p.style.top = y + 8 + "px"; p.hidden = false;
}

function search(text) {   // reads every family first (once)
  const reading = text.trim() ? loadAll() : null;
  if (reading) { document.getElementById("status").textContent = "…"; reading.then(() => search(document.getElementById("search").value)); return; }
  const q = text.trim().toLowerCase(), flat = q.replace(/\s+/g, ""), hits = [];
  if (q) for (const [id, { node }] of byId) {   // English, Chinese, or pinyin without tones or spaces
    const names = [node.name.en, node.name["zh-Hans"]].filter(Boolean).map((s) => s.toLowerCase());
    if (names.some((s) => s.includes(q)) || (node.pinyin && flat && node.pinyin.includes(flat))) hits.push(id);
  }
  const inView = new Set(); (function walk(n) { inView.add(n.id); (n.children || []).forEach(walk); })(DATA.snapshots[current].tree);
  const shown = hits.filter((id) => inView.has(id));
  shown.slice(0, 50).forEach(openPath);
  redraw();
  for (const id of shown) document.querySelectorAll(`.box[data-id="${CSS.escape(id)}"]`).forEach((b) => b.classList.add("match"));
  document.getElementById("status").textContent = q ? shown.length + UI[lang].found : "";
  if (shown.length) { center(panes[0], shown[0]); select(byId.get(shown[0]).node); }
}

function exportSvg() {
  const svg = panes[0].querySelector("svg").cloneNode(true), box = panes[0].querySelector(".view").getBBox();
  svg.querySelector(".view").setAttribute("transform", `translate(${20 - box.x},${20 - box.y})`);
  svg.setAttribute("xmlns", NS); svg.setAttribute("width", box.width + 40); svg.setAttribute("height", box.height + 40);
  svg.setAttribute("font-family", "Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif");
  svg.insertBefore(el("rect", { width: "100%", height: "100%", fill: "#fff" }), svg.firstChild);
  return [new XMLSerializer().serializeToString(svg), box.width + 40, box.height + 40];
}
function download(blob, file) { const a = document.createElement("a"); a.href = URL.createObjectURL(blob); a.download = file; a.click(); }
function exportPng() {
  const [text, w, h] = exportSvg(), img = new Image();
  img.onload = () => { const c = document.createElement("canvas"); c.width = w; c.height = h; c.getContext("2d").drawImage(img, 0, 0); c.toBlob((b) => download(b, "castgraph-orgchart.png")); };
  img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(text);
}

function paintUi() {
  document.documentElement.lang = lang === "zh" ? "zh-Hans" : "en";
  document.getElementById("title").textContent = DATA.title[lang];
  document.title = DATA.title[lang];
  document.getElementById("search").placeholder = UI[lang].search;
  for (const id of ["compare", "fit", "expand", "collapse"]) document.getElementById(id).textContent = UI[lang][id];
  document.querySelectorAll("#dates button").forEach((b, i) => { b.textContent = DATA.snapshots[i].short[lang]; b.title = DATA.snapshots[i].label[lang]; });
  document.getElementById("lang-en").setAttribute("aria-pressed", String(lang === "en"));
  document.getElementById("lang-zh").setAttribute("aria-pressed", String(lang === "zh"));
}

// wiring
const dates = document.getElementById("dates");
DATA.snapshots.forEach((s, i) => { const b = document.createElement("button"); b.type = "button"; b.addEventListener("click", () => { current = i; redraw(); panes.forEach((p) => !p.hidden && fitView(p, compare ? "left" : true)); }); dates.append(b); });
dates.hidden = DATA.snapshots.length < 2;
document.getElementById("compare").hidden = DATA.snapshots.length < 2;
document.getElementById("compare").addEventListener("click", () => { compare = !compare; redraw(); panes.forEach((p) => !p.hidden && fitView(p, compare ? "left" : true)); });
document.getElementById("fit").addEventListener("click", () => panes.forEach((p) => !p.hidden && fitView(p)));
document.getElementById("expand").addEventListener("click", () => later(loadAll(), () => { for (const id of byId.keys()) open.add(id); redraw(); }));
document.getElementById("collapse").addEventListener("click", () => { open.clear(); for (const s of DATA.snapshots) open.add(s.tree.id); redraw(); fitView(panes[0]); });
document.getElementById("export-svg").addEventListener("click", () => download(new Blob([exportSvg()[0]], { type: "image/svg+xml" }), "castgraph-orgchart.svg"));
document.getElementById("export-png").addEventListener("click", exportPng);
document.getElementById("search").addEventListener("input", (e) => search(e.target.value));
for (const l of ["en", "zh"]) document.getElementById("lang-" + l).addEventListener("click", () => { lang = l; paintUi(); redraw(); });
for (const pane of panes) {
  zoomable(pane);
  pane.addEventListener("click", (e) => {
    const box = e.target.closest(".box"), edge = e.target.closest(".edge");
    document.getElementById("popover").hidden = !edge;
    if (edge) popover(edge._edge, e.clientX, e.clientY);
    if (!box) return;
    if (e.target.closest(".toggle")) toggle(box._node); else select(box._node);
  });
  pane.addEventListener("keydown", (e) => {   // arrows walk the tree, Enter selects, Space folds
    const box = e.target.closest(".box"); if (!box) return;
    const id = box._node.id, entry = byId.get(id), node = box._node;
    const sibs = entry && entry.parent ? kids(entry.parent) : [], i = sibs.findIndex((s) => s.id === id);
    let to = null;
    if (e.key === "ArrowUp" && entry && entry.parent) to = entry.parent.id;
    else if (e.key === "ArrowDown" && kids(node).length) to = kids(node)[0].id;
    else if (e.key === "ArrowLeft" && i > 0) to = sibs[i - 1].id;
    else if (e.key === "ArrowRight" && i >= 0 && i < sibs.length - 1) to = sibs[i + 1].id;
    else if (e.key === "Enter") select(node);
    else if (e.key === " ") toggle(node);
    else return;
    e.preventDefault();
    if (to) { focusBox(to); center(pane, to); }
  });
}
function goTo(id) {   // a permalink: #id opens the path to the node and selects it
  if (!id) return false;
  if (!byId.has(id)) {   // in a closed family: read them all, then go
    const reading = loadAll();
    if (reading) { reading.then(() => goTo(id)); return true; }
    if (!byId.has(id)) return false;
  }
  openPath(id); redraw(); center(panes[0], id); select(byId.get(id).node);
  return true;
}
window.addEventListener("hashchange", () => goTo(decodeURIComponent(location.hash.slice(1))));
paintUi();
redraw();
fitView(panes[0], true);
if (!goTo(decodeURIComponent(location.hash.slice(1))) && !window.CASTGRAPH.deflated) select(DATA.snapshots[current].tree);
document.body.dataset.readyAt = performance.now().toFixed(0);   // ms since navigation began
document.body.dataset.ready = "true";
