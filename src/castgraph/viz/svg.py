"""A left-to-right tidy tree in SVG, laid out here rather than by Graphviz.

Graphviz is a system program, not a Python package; a layered tree needs only this: every leaf
gets its own row, a parent sits midway between its first and last child, and each depth gets a
column as wide as its longest label, so labels cannot overlap by construction.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from castgraph.viz import EDGE_COLORS, label
from castgraph.viz.structure import EDGE_KINDS, head_of
from castgraph.viz.tree import TreeNode

FONT = "Noto Sans CJK SC, WenQuanYi Micro Hei, Microsoft YaHei, sans-serif"
FONT_SIZE = 13
SMALL = 11
ROW = 44
DOT = 4
MARGIN = 24
HEADER = 70


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """A generous width estimate: CJK glyphs are one em wide, Latin ones about 0.62 em."""
    return sum(size if ord(ch) >= 0x2E80 else size * 0.62 for ch in text)


def layout(tree: TreeNode, lang: str) -> list[tuple[TreeNode, float, float, int]]:
    """(node, x, y, depth) for every node."""
    placed: list[tuple[TreeNode, int, float]] = []
    next_row = [0]

    def place(node: TreeNode, depth: int) -> float:
        if node.children:
            ys = [place(c, depth + 1) for c in node.children]
            y = (ys[0] + ys[-1]) / 2
        else:
            y = next_row[0]
            next_row[0] += 1
        placed.append((node, depth, y))
        return y

    place(tree, 0)
    widths: dict[int, float] = {}
    for node, depth, _ in placed:
        widths[depth] = max(widths.get(depth, 0), node_width(node, lang))
    columns = [MARGIN]
    for depth in range(1, max(widths) + 2):
        columns.append(columns[-1] + widths.get(depth - 1, 0) + 48)
    return [(node, columns[depth], HEADER + MARGIN + y * ROW, depth) for node, depth, y in placed]


def node_width(node: TreeNode, lang: str) -> float:
    head = head_line(node)
    return max(text_width(label(node, lang)), text_width(head, SMALL)) + 2 * DOT + 6


def head_line(node: TreeNode) -> str:
    if node.upward:
        return "the root is a member of it"
    if node.node.kind != "unit":
        return ""
    head = head_of(node.node)
    return f"head: {head}" if head else ""


def render_svg(tree: TreeNode, lang: str = "en", title: str = "") -> bytes:
    nodes = layout(tree, lang)
    where = {id(n): (x, y) for n, x, y, _ in nodes}
    width = max(x + node_width(n, lang) for n, x, _, _ in nodes) + MARGIN
    kinds_used = [k for k in EDGE_KINDS if any(n.edge == k for n, *_ in nodes)]
    legend_width = MARGIN + sum(text_width(EDGE_KINDS[k], SMALL) + 44 for k in kinds_used)
    width = max(width, legend_width, text_width(title, 15) + 2 * MARGIN)
    height = max(y for _, _, y, _ in nodes) + ROW + MARGIN
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-family={quoteattr(FONT)} font-size="{FONT_SIZE}">',
        f"<title>{escape(title)}</title>",
        '<rect width="100%" height="100%" fill="#ffffff"/>',
        f'<text x="{MARGIN}" y="{MARGIN + 6}" font-size="15" font-weight="bold" class="title">{escape(title)}</text>',
    ]
    x = MARGIN
    out.append('<g class="legend">')
    for kind in kinds_used:
        color = EDGE_COLORS[kind]
        dash = (
            ' stroke-dasharray="5 3"' if kind in ("predecessor-of", "led-by", "guided-by") else ""
        )
        out.append(
            f'<line x1="{x}" y1="{MARGIN + 30}" x2="{x + 28}" y2="{MARGIN + 30}" stroke="{color}" stroke-width="2"{dash}/>'
        )
        out.append(
            f'<text x="{x + 34}" y="{MARGIN + 34}" font-size="{SMALL}" fill="#333">{escape(EDGE_KINDS[kind])}</text>'
        )
        x += text_width(EDGE_KINDS[kind], SMALL) + 44
    out.append("</g>")
    out.append('<g class="edges" fill="none" stroke-width="1.5">')
    for node, px, py, _ in nodes:
        for child in node.children:
            cx, cy = where[id(child)]
            spine = cx - 20
            color = EDGE_COLORS.get(child.edge, "#333")
            dash = (
                ' stroke-dasharray="5 3"'
                if child.edge in ("predecessor-of", "led-by", "guided-by")
                else ""
            )
            out.append(
                f'<path d="M{px + DOT:.1f},{py:.1f} H{spine:.1f} V{cy:.1f} H{cx - DOT:.1f}" stroke="{color}"{dash}/>'
            )
    out.append("</g>")
    out.append('<g class="nodes">')
    for node, nx_, ny, _ in nodes:
        fill = "#ffffff" if node.count else "#1f2d3d"
        out.append(
            f'<g class="node" data-iri={quoteattr(node.node.iri)} data-kind={quoteattr(node.node.kind)}>'
        )
        out.append(
            f'<circle cx="{nx_:.1f}" cy="{ny:.1f}" r="{DOT}" fill="{fill}" stroke="#1f2d3d"/>'
        )
        style = ' font-style="italic"' if node.count else ""
        if lang == "zh" and not node.node.label_zh:  # no Chinese name known: English, greyed
            style += ' fill="#6b7785" class="label fallback"'

        cls = "" if "class=" in style else ' class="label"'
        out.append(
            f'<text{cls} x="{nx_ + DOT + 4:.1f}" y="{ny - 5:.1f}"{style}>{escape(label(node, lang))}</text>'
        )
        head = head_line(node)
        if head:
            out.append(
                f'<text class="head" x="{nx_ + DOT + 4:.1f}" y="{ny + 14:.1f}" font-size="{SMALL}" fill="#555">{escape(head)}</text>'
            )
        out.append("</g>")
    out.append("</g>")
    out.append("</svg>")
    return ("\n".join(out) + "\n").encode("utf-8")
