"""A top-down org chart of boxes in SVG, in the same layout as the HTML page (castgraph.viz.layout).

Each box holds the name in the chosen language (two lines at most), the other language beneath
and the head with the date the source gives. Text is wrapped and cut to the box by a generous
width estimate, so no label leaves its box. A change event that made the root (the 1958 merger)
is drawn above it, with the organizations it merged above that.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from castgraph.viz import DASHED, EDGE_COLORS, EDGE_KINDS_ZH, history_rows
from castgraph.viz.facts import head_of
from castgraph.viz.layout import BOX_H, BOX_W, GAP_Y, chain, place
from castgraph.viz.structure import EDGE_KINDS, Node
from castgraph.viz.tree import TreeNode, shown

FONT = "Noto Sans CJK SC, WenQuanYi Micro Hei, Microsoft YaHei, sans-serif"
FONT_SIZE = 12.5
SMALL = 10.5
MARGIN = 24
HEADER = 64
PAD = 8
STYLE = {  # kind -> (fill, stroke, text colour)
    "cast": ("#1f3b5c", "#1f3b5c", "#ffffff"),
    "unit": ("#ffffff", "#1f5f99", "#1f2d3d"),
    "society": ("#ffffff", "#2e8b57", "#1f2d3d"),
    "provincial": ("#ffffff", "#c77c02", "#1f2d3d"),
    "program": ("#ffffff", "#b03a2e", "#1f2d3d"),
    "international": ("#ffffff", "#2e8b57", "#1f2d3d"),
    "predecessor": ("#f6f0fa", "#8e44ad", "#1f2d3d"),
    "merger": ("#f6f0fa", "#8e44ad", "#1f2d3d"),
}
GROUP_STYLE = ("#f3f5f7", "#7a8794", "#1f2d3d")


def when_zh(when: str) -> str:
    """The date phrases of castgraph.viz.facts in Chinese (the page's ``when`` does the same)."""
    for en, zh in (("since ", "{}起"), ("until ", "至{}"), ("in post ", "{}年在任")):
        if when.startswith(en):
            return zh.format(when.removeprefix(en))
    return when


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """A generous width estimate: CJK glyphs are one em wide, Latin ones about 0.62 em."""
    return sum(size if ord(ch) >= 0x2E80 else size * 0.6 for ch in text)


def fit(text: str, size: float, lines: int, width: float = BOX_W - 2 * PAD) -> list[str]:
    """Wrap at spaces (or between CJK characters) into at most ``lines`` lines, the last cut with …"""
    out: list[str] = []
    rest = text
    while rest and len(out) < lines:
        if text_width(rest, size) <= width:
            out.append(rest)
            return out
        cut = len(rest)
        while cut > 1 and text_width(rest[:cut], size) > width:
            cut -= 1
        space = rest.rfind(" ", 0, cut + 1)
        if space > 0 and ord(rest[cut - 1]) < 0x2E80:
            cut = space
        out.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        last = out[-1]
        while last and text_width(last + "…", size) > width:
            last = last[:-1]
        out[-1] = last.rstrip() + "…"
    return out


def box_lines(node, lang: str, count: int = 0) -> list[tuple[str, float, str]]:
    """(text, size, class) of each line a box shows: name, other language, head."""
    other = "en" if lang == "zh" else "zh"
    mine = node.label_zh if lang == "zh" else node.label_en
    name = node.label(lang)
    head, head_zh, when = head_of(node)
    room = 2 if head or count else 3
    lines = [
        (t, FONT_SIZE, "label" if mine else "label fallback") for t in fit(name, FONT_SIZE, room)
    ]
    second = node.label_en if other == "en" else node.label_zh
    if second and second != name:
        lines += [(t, SMALL, "other") for t in fit(second, SMALL, 1)]
    if head:
        shown_name = head_zh if lang == "zh" and head_zh else head
        text = f"{'负责人' if lang == 'zh' else 'head'}: {shown_name}" + (
            f", {when}" if when else ""
        )
        lines += [(t, SMALL, "head") for t in fit(text, SMALL, 5 - len(lines))]
    elif count:
        text = f"{count} 项" if lang == "zh" else f"{count} listed"
        lines += [(text, SMALL, "head")]
    return lines[:5]


def _box(out: list[str], x: float, y: float, node, kind: str, lang: str, tree=None) -> None:
    group = kind in ("category", "society-group", "snapshot")
    fill, stroke, ink = GROUP_STYLE if group else STYLE.get(kind, STYLE["unit"])
    dash = ' stroke-dasharray="5 3"' if group or kind in ("predecessor", "merger") else ""
    out.append(
        f'<g class="box" data-iri={quoteattr(node.iri)} data-kind={quoteattr(kind)}>'
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{BOX_W}" height="{BOX_H}" rx="6" fill="{fill}" '
        f'stroke="{stroke}" stroke-width="1.4"{dash}/>'
    )
    if tree is not None and tree.sources:  # shown on hover: the relation and its sources
        relation = (EDGE_KINDS_ZH if lang == "zh" else EDGE_KINDS).get(tree.edge, tree.edge)
        stated = "来源" if lang == "zh" else "stated by source"
        out.append(
            f"<title>{escape(relation)} · {stated} {escape(', '.join(tree.sources))}</title>"
        )
    lines = box_lines(node, lang, tree.count if tree else 0)
    ty = y + PAD
    for text, size, cls in lines:
        ty += size + 3
        colour = "#8a949e" if "fallback" in cls else ink if cls == "label" else "#5b6672"
        if kind == "cast" and cls != "fallback":
            colour = ink
        style = ' font-style="italic"' if "fallback" in cls else ""
        weight = ' font-weight="600"' if cls.startswith("label") else ""
        out.append(
            f'<text class="{cls}" x="{x + PAD:.1f}" y="{ty:.1f}" font-size="{size}" '
            f'fill="{colour}"{style}{weight}>{escape(text)}</text>'
        )
    out.append("</g>")


def event_node(event) -> Node:
    """A change event as a box: its name with the date the sources give."""
    date = f" ({event.date})" if event.date else ""
    return Node(
        event.iri,
        event.label_en + date if event.label_en else "",
        event.label_zh + date if event.label_zh else "",
        kind="merger",
    )


def render_svg(tree: TreeNode, lang: str = "en", title: str = "") -> bytes:
    placed = place(chain(tree, shown))
    history = list(history_rows(tree, lang))
    rows = 2 if history else 0  # the merged organizations, then the event, above the root
    top = MARGIN + HEADER + rows * (BOX_H + GAP_Y)
    left = min(p.x for p in placed)
    width_needed = max(p.x for p in placed) + BOX_W - left
    inputs = max((len(i) for *_, i in history), default=0)
    width_needed = max(width_needed, inputs * (BOX_W + 28) - 28)
    shift = MARGIN - left + max(0.0, (width_needed - (max(p.x for p in placed) + BOX_W - left)) / 2)
    where = {id(p.ref): (p.x + shift, p.y + top, p) for p in placed}
    kinds_used = [k for k in EDGE_KINDS if any(p.ref.edge == k for p in placed)]
    legend = EDGE_KINDS_ZH if lang == "zh" else EDGE_KINDS
    width = max(width_needed + 2 * MARGIN, text_width(title, 15) + 2 * MARGIN, 400)
    height = max(y for _, y, _ in where.values()) + BOX_H + MARGIN
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-family={quoteattr(FONT)} font-size="{FONT_SIZE}">',
        f"<title>{escape(title)}</title>",
        '<rect width="100%" height="100%" fill="#ffffff"/>',
        f'<text x="{MARGIN}" y="{MARGIN + 6}" font-size="15" font-weight="bold" class="title">{escape(title)}</text>',
        '<g class="legend">',
    ]
    x = MARGIN
    for kind in kinds_used + (["predecessor-of"] if history else []):
        dash = ' stroke-dasharray="5 3"' if kind in DASHED else ""
        out.append(
            f'<line x1="{x}" y1="{MARGIN + 30}" x2="{x + 28}" y2="{MARGIN + 30}" stroke="{EDGE_COLORS[kind]}" stroke-width="2"{dash}/>'
            f'<text x="{x + 34}" y="{MARGIN + 34}" font-size="{SMALL}" fill="#333">{escape(legend[kind])}</text>'
        )
        x += text_width(legend[kind], SMALL) + 44
    out.append('</g>\n<g class="edges" fill="none" stroke-width="1.5">')
    for p in placed:
        px, py, _ = where[id(p.ref)]
        for child in shown(p.ref):
            cx, cy, link = where[id(child)]
            colour = EDGE_COLORS.get(child.edge, "#333")
            dash = ' stroke-dasharray="5 3"' if child.edge in DASHED else ""
            if link.grid:  # to a bus below the box, down the left of the column, into the box
                d = (
                    f"M{px + BOX_W / 2:.1f},{py + BOX_H:.1f} V{py + BOX_H + GAP_Y / 2:.1f} "
                    f"H{cx - 7:.1f} V{cy + BOX_H / 2:.1f} H{cx:.1f}"
                )
            elif link.stacked:  # down the left of the column, then into the box
                d = f"M{px + 7:.1f},{py + BOX_H:.1f} V{cy + BOX_H / 2:.1f} H{cx:.1f}"
            else:
                mid = cy - GAP_Y / 2
                d = f"M{px + BOX_W / 2:.1f},{py + BOX_H:.1f} V{mid:.1f} H{cx + BOX_W / 2:.1f} V{cy:.1f}"
            out.append(
                f'<path class="edge" data-kind="{child.edge}" d="{d}" stroke="{colour}"{dash}/>'
            )
    rx, ry, _ = where[id(tree)]
    boxes: list[str] = []
    if history:
        colour = EDGE_COLORS["predecessor-of"]
        (*_, inputs), ey = history[0], ry - BOX_H - GAP_Y
        iy = ey - BOX_H - GAP_Y
        first = rx + BOX_W / 2 - (len(inputs) * (BOX_W + 28) - 28) / 2
        out.append(
            f'<path class="edge history" d="M{rx + BOX_W / 2:.1f},{ey + BOX_H:.1f} V{ry:.1f}" stroke="{colour}" stroke-dasharray="5 3"/>'
        )
        event, nodes = tree.history[0]
        for i, node in enumerate(nodes):
            ix = first + i * (BOX_W + 28)
            out.append(
                f'<path class="edge history" d="M{ix + BOX_W / 2:.1f},{iy + BOX_H:.1f} V{ey - GAP_Y / 2:.1f} H{rx + BOX_W / 2:.1f} V{ey:.1f}" stroke="{colour}" stroke-dasharray="5 3"/>'
            )
            _box(boxes, ix, iy, node, "predecessor", lang)
        _box(boxes, rx, ey, event_node(event), "merger", lang)
    out.append('</g>\n<g class="boxes">')
    out.extend(boxes)
    for p in placed:
        bx, by, _ = where[id(p.ref)]
        _box(out, bx, by, p.ref.node, p.ref.node.kind, lang, p.ref)
    out.append("</g>\n</svg>")
    return ("\n".join(out) + "\n").encode("utf-8")
