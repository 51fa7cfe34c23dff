"""Drawing the structure: a tree from castgraph.viz.tree -> SVG, HTML, GraphML, DOT, Mermaid, JSON, PNG, PDF.

Only drawing happens here; what is in the tree is decided by castgraph.viz.tree.
"""

from __future__ import annotations

from castgraph.viz.facts import head_of
from castgraph.viz.structure import EDGE_KINDS
from castgraph.viz.tree import TreeNode, iter_tree, shown

FORMATS = ("svg", "html", "graphml", "dot", "mermaid", "json", "png", "pdf")
SUFFIXES = {
    ".svg": "svg",
    ".html": "html",
    ".htm": "html",
    ".graphml": "graphml",
    ".dot": "dot",
    ".gv": "dot",
    ".mmd": "mermaid",
    ".mermaid": "mermaid",
    ".json": "json",
    ".png": "png",
    ".pdf": "pdf",
}
EDGE_COLORS = {
    "unit-of": "#1f5f99",
    "sub-organization-of": "#4a90c8",
    "member-of": "#2e8b57",
    "guided-by": "#c77c02",
    "predecessor-of": "#8e44ad",
    "program-of": "#b03a2e",
    "led-by": "#7f8c8d",
}
DASHED = ("guided-by", "led-by", "predecessor-of")  # a second line of authority, not a unit
EDGE_KINDS_ZH = {
    "unit-of": "内设机构",
    "sub-organization-of": "下设机构",
    "member-of": "成员",
    "guided-by": "受业务指导",
    "predecessor-of": "前身",
    "program-of": "主办",
    "led-by": "受领导",
}
HISTORY_LABELS = {"input": ("changed by", "并入"), "result": ("resulting organization", "合并成立")}


def label(tree: TreeNode, lang: str) -> str:
    return tree.node.label(lang)


def edge_label(tree: TreeNode, lang: str = "en") -> str:
    """The relation, read from the edge's subject to its object (see ``edge_ends``)."""
    return (EDGE_KINDS_ZH if lang == "zh" else EDGE_KINDS).get(tree.edge, tree.edge)


def edge_ends(parent_id: str, child: TreeNode, child_id: str) -> tuple[str, str]:
    """(subject, object) of a child's relation: the child is the subject unless ``upward``."""
    return (parent_id, child_id) if child.upward else (child_id, parent_id)


def numbered(tree: TreeNode) -> dict[int, str]:
    """Short, stable node ids n1, n2, ... in tree order (IRIs make poor DOT/GraphML ids)."""
    return {id(t): f"n{i}" for i, t in enumerate(iter_tree(tree), 1)}


def history_rows(tree: TreeNode, lang: str):
    """(event id, event label, [(input id, input label)], result id) for each change event."""
    for i, (event, inputs) in enumerate(tree.history, 1):
        name = event.label_zh if lang == "zh" and event.label_zh else event.label_en
        name = f"{name} ({event.date})" if event.date else name
        rows = [(f"h{i}_{j}", n.label(lang)) for j, n in enumerate(inputs, 1)]
        yield f"h{i}", name, rows


def to_json(tree: TreeNode) -> dict:
    node = tree.node
    out = {
        "id": node.iri,
        "name": {"en": node.label_en, "zh-Hans": node.label_zh},
        "kind": node.kind,
    }
    if tree.edge:
        out["relation"] = tree.edge
        if tree.upward:
            out["relationDirection"] = "the parent is the subject"
    if tree.sources:
        out["sources"] = tree.sources
    if tree.count:
        out["count"] = tree.count
    if tree.folded:
        out["folded"] = True
    name, name_zh, when = head_of(node)
    if name:
        out["head"] = {"en": name, "zh-Hans": name_zh, "when": when}
    if node.facts:
        out["facts"] = node.facts
    if tree.children:
        out["children"] = [to_json(c) for c in tree.children]
    if tree.history:
        out["history"] = [
            {
                "id": event.iri,
                "name": {"en": event.label_en, "zh-Hans": event.label_zh},
                "date": event.date,
                "kind": "merger",
                "inputs": [to_json(TreeNode(n)) for n in inputs],
            }
            for event, inputs in tree.history
        ]
    return out


def render_json(tree: TreeNode, lang: str = "en", title: str = "") -> bytes:
    import json

    payload = {"title": title, "tree": to_json(tree)}
    return (json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode(
        "utf-8"
    )


def render_dot(tree: TreeNode, lang: str = "en", title: str = "") -> bytes:
    """Top-down (rankdir=BT puts the object of each arrow above): arrows read as their labels."""
    ids = numbered(tree)

    def q(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = [
        "digraph castgraph {",
        "  rankdir=BT;",
        f"  label={q(title)};",
        '  node [shape=box, style=rounded, fontname="Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif"];',
    ]
    for t in iter_tree(tree):
        lines.append(f"  {ids[id(t)]} [label={q(label(t, lang))}, tooltip={q(t.node.iri)}];")
    root = ids[id(tree)]
    for event_id, name, inputs in history_rows(tree, lang):
        lines.append(f"  {event_id} [label={q(name)}, shape=hexagon, style=dashed];")
        result_label = HISTORY_LABELS["result"][lang == "zh"]
        lines.append(
            f"  {event_id} -> {root} [label={q(result_label)}, style=dashed, dir=back, color={q(EDGE_COLORS['predecessor-of'])}];"
        )
        for input_id, text in inputs:
            lines.append(f"  {input_id} [label={q(text)}];")
            changed = HISTORY_LABELS["input"][lang == "zh"]
            lines.append(
                f"  {input_id} -> {event_id} [label={q(changed)}, style=dashed, dir=back, color={q(EDGE_COLORS['predecessor-of'])}];"
            )
    for t in iter_tree(tree):
        for c in shown(t):
            color = EDGE_COLORS.get(c.edge, "#333333")
            style = ", style=dashed" if c.edge in DASHED else ""
            a, b = edge_ends(ids[id(t)], c, ids[id(c)])
            lines.append(f"  {a} -> {b} [label={q(edge_label(c, lang))}, color={q(color)}{style}];")
    lines.append("}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def render_mermaid(tree: TreeNode, lang: str = "en", title: str = "") -> bytes:
    """``flowchart BT``: every arrow points from the subject of its label to the object."""
    ids = numbered(tree)

    def q(text: str) -> str:  # Mermaid labels: quotes become an entity, no line breaks
        return '"' + text.replace('"', "#quot;").replace("\n", " ") + '"'

    lines = [f"%% {title}" if title else "%% castgraph", "flowchart BT"]
    for t in iter_tree(tree):
        lines.append(f"  {ids[id(t)]}[{q(label(t, lang))}]")
    root = ids[id(tree)]
    for event_id, name, inputs in history_rows(tree, lang):
        lines.append(f"  {event_id}{{{{{q(name)}}}}}")
        for input_id, text in inputs:
            lines.append(f"  {input_id}[{q(text)}]")
            lines.append(
                f"  {input_id} -.->|{q(HISTORY_LABELS['input'][lang == 'zh'])}| {event_id}"
            )
        lines.append(f"  {event_id} -.->|{q(HISTORY_LABELS['result'][lang == 'zh'])}| {root}")
    for t in iter_tree(tree):
        for c in shown(t):
            a, b = edge_ends(ids[id(t)], c, ids[id(c)])
            arrow = "-.->" if c.edge in DASHED else "-->"
            lines.append(f"  {a} {arrow}|{q(edge_label(c, lang))}| {b}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def render_graphml(tree: TreeNode, lang: str = "en", title: str = "") -> bytes:
    """GraphML for yEd and Gephi: string attributes only (GraphML cannot hold lists)."""
    import io

    import networkx as nx

    ids = numbered(tree)
    g = nx.DiGraph(name=title)
    for t in iter_tree(tree):
        g.add_node(
            ids[id(t)],
            iri=t.node.iri,
            label=label(t, lang),
            label_en=t.node.label_en,
            label_zh=t.node.label_zh,
            kind=t.node.kind,
            head=head_of(t.node)[0],
            count=str(t.count) if t.count else "",
        )
    for t in iter_tree(tree):
        for c in shown(t):
            a, b = edge_ends(ids[id(t)], c, ids[id(c)])
            g.add_edge(
                a,
                b,
                kind=c.edge,
                label=edge_label(c),
                direction="parent is the subject" if c.upward else "child is the subject",
            )
    for (event, inputs), (event_id, name, rows) in zip(
        tree.history, history_rows(tree, lang), strict=True
    ):
        g.add_node(
            event_id,
            iri=event.iri,
            label=name,
            label_en=event.label_en,
            label_zh=event.label_zh,
            kind="merger",
            head="",
            count="",
        )
        g.add_edge(
            event_id,
            ids[id(tree)],
            kind="predecessor-of",
            label=HISTORY_LABELS["result"][0],
            direction="child is the subject",
        )
        for node, (input_id, text) in zip(inputs, rows, strict=True):
            g.add_node(
                input_id,
                iri=node.iri,
                label=text,
                label_en=node.label_en,
                label_zh=node.label_zh,
                kind="predecessor",
                head="",
                count="",
            )
            g.add_edge(
                input_id,
                event_id,
                kind="predecessor-of",
                label=HISTORY_LABELS["input"][0],
                direction="child is the subject",
            )
    buffer = io.BytesIO()
    nx.write_graphml_xml(g, buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue()


def render(fmt: str, tree: TreeNode, lang: str = "en", title: str = "") -> bytes:
    if fmt == "svg":
        from castgraph.viz.svg import render_svg

        return render_svg(tree, lang, title)
    if fmt == "html":
        from castgraph.viz.html import render_html

        return render_html(tree, lang, title)
    if fmt in ("png", "pdf"):
        from castgraph.viz.png import render_pdf, render_png
        from castgraph.viz.svg import render_svg

        return (render_png if fmt == "png" else render_pdf)(render_svg(tree, lang, title))
    return {
        "json": render_json,
        "dot": render_dot,
        "mermaid": render_mermaid,
        "graphml": render_graphml,
    }[fmt](tree, lang, title)
