"""Drawing the structure: a tree from castgraph.viz.hierarchy -> SVG, HTML, GraphML, DOT, Mermaid, JSON, PNG.

Only drawing happens here; what is in the tree is decided by castgraph.viz.tree.
"""

from __future__ import annotations

from castgraph.viz.structure import EDGE_KINDS, head_of
from castgraph.viz.tree import TreeNode, iter_tree

FORMATS = ("svg", "html", "graphml", "dot", "mermaid", "json", "png")
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


def label(tree: TreeNode, lang: str) -> str:
    return tree.node.label(lang)


def edge_label(tree: TreeNode) -> str:
    text = EDGE_KINDS.get(tree.edge, tree.edge)
    return f"has as {text.replace(' of', '')}" if tree.upward and tree.edge == "member-of" else text


def numbered(tree: TreeNode) -> dict[int, str]:
    """Short, stable node ids n1, n2, ... in tree order (IRIs make poor DOT/GraphML ids)."""
    return {id(t): f"n{i}" for i, t in enumerate(iter_tree(tree), 1)}


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
    if tree.count:
        out["count"] = tree.count
    head = head_of(node) if node.kind == "unit" else ""
    if head:
        out["head"] = head
    if node.facts:
        out["facts"] = node.facts
    if tree.children:
        out["children"] = [to_json(c) for c in tree.children]
    return out


def render_json(tree: TreeNode, lang: str = "en", title: str = "") -> bytes:
    import json

    payload = {"title": title, "tree": to_json(tree)}
    return (json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode(
        "utf-8"
    )


def render_dot(tree: TreeNode, lang: str = "en", title: str = "") -> bytes:
    ids = numbered(tree)

    def q(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = [
        "digraph castgraph {",
        "  rankdir=LR;",
        f"  label={q(title)};",
        '  node [shape=box, style=rounded, fontname="Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif"];',
    ]
    for t in iter_tree(tree):
        lines.append(f"  {ids[id(t)]} [label={q(label(t, lang))}, tooltip={q(t.node.iri)}];")
    for t in iter_tree(tree):
        for c in t.children:
            color = EDGE_COLORS.get(c.edge, "#333333")
            lines.append(
                f"  {ids[id(t)]} -> {ids[id(c)]} [label={q(edge_label(c))}, color={q(color)}];"
            )
    lines.append("}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def render_mermaid(tree: TreeNode, lang: str = "en", title: str = "") -> bytes:
    ids = numbered(tree)

    def q(text: str) -> str:  # Mermaid labels: quotes become an entity, no line breaks
        return '"' + text.replace('"', "#quot;").replace("\n", " ") + '"'

    lines = [f"%% {title}" if title else "%% castgraph", "flowchart LR"]
    for t in iter_tree(tree):
        lines.append(f"  {ids[id(t)]}[{q(label(t, lang))}]")
    for t in iter_tree(tree):
        for c in t.children:
            lines.append(f"  {ids[id(t)]} -->|{q(edge_label(c))}| {ids[id(c)]}")
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
            head=head_of(t.node) if t.node.kind == "unit" else "",
            count=str(t.count) if t.count else "",
        )
    for t in iter_tree(tree):
        for c in t.children:
            g.add_edge(
                ids[id(c)],
                ids[id(t)],
                kind=c.edge,
                label=edge_label(c),
                direction="up" if c.upward else "down",
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
    if fmt == "png":
        from castgraph.viz.png import render_png
        from castgraph.viz.svg import render_svg

        return render_png(render_svg(tree, lang, title))
    return {
        "json": render_json,
        "dot": render_dot,
        "mermaid": render_mermaid,
        "graphml": render_graphml,
    }[fmt](tree, lang, title)
