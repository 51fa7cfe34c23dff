"""The top-down org-chart layout, shared by the static SVG and the HTML page.

The HTML page lays its boxes out with d3-hierarchy's ``tree()`` (vendored in ``vendor/``). No
maintained Python package offers the same tidy-tree algorithm without a drawing toolkit around
it (Graphviz is a system program and lays trees out differently), so ``tidy_x`` is a line-by-line
port of d3-hierarchy 3.1.3's ``tree()`` (Buchheim, Jünger and Leipert's linear-time
Reingold-Tilford/Walker algorithm): the SVG and the page put every box in the same place.

Both apply one transformation first (``chain``): the children of a box (not the root) that are
all leaves are stacked in one column below it, as hand-drawn org charts do, instead of a row as
wide as the page; for the tidy-tree algorithm the column is a chain, each leaf the single child of
the one above. More than ``GRID_OVER`` leaves make a grid instead: ``columns(n)`` chains side by
side (about twice as many rows as columns, so the block is roughly square on screen), filled
column after column, their line running along the left of each column from a bus below the box.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

BOX_W = 224  # every box has one size: the tidy tree then needs only its node size
BOX_H = 90
GAP_X = 28
GAP_Y = 40
STACK_INDENT = 14  # the column of stacked leaves hangs this far right of its parent's left edge
GRID_OVER = 8  # a family of more leaves than this is a grid of columns, not one column


def columns(n: int) -> int:
    """Columns of a family of ``n`` leaves (the page's ``columns`` computes the same)."""
    return math.ceil(math.sqrt(n / 2)) if n > GRID_OVER else 1


def separation(same_parent: bool) -> float:
    """Siblings one box apart, cousins a little more, as in the page's ``separation``."""
    return 1.0 if same_parent else 1.25


@dataclass(eq=False)
class Placed:
    """One box of a layout: ``ref`` is the caller's node; ``x``, ``y`` its top-left corner."""

    ref: object
    depth: int = 0
    stacked: bool = False  # drawn in a column of stacked leaves below its parent
    grid: bool = False  # that column is one of several side by side (a large family)
    parent: Placed | None = None
    children: list[Placed] = field(default_factory=list)  # in the chain, not the org
    x: float = 0.0
    y: float = 0.0


def chain(ref, kids: Callable[[object], Sequence[object]], parent: Placed | None = None) -> Placed:
    """The layout tree of ``ref``: leaf-only families become columns (chains)."""
    top = Placed(ref, parent=parent)
    children = list(kids(ref))
    # the root's own row stays a row: it is the top of the chart, not a list under a box
    if parent is not None and len(children) > 1 and not any(kids(c) for c in children):
        cols = columns(len(children))
        rows = -(-len(children) // cols)
        for j in range(cols):
            above = top
            for child in children[j * rows : (j + 1) * rows]:
                link = Placed(child, stacked=True, grid=cols > 1, parent=above)
                above.children.append(link)
                above = link
    else:
        top.children = [chain(c, kids, top) for c in children]
    return top


class _W:
    """Working record of the algorithm (d3's TreeNode): prelim z, mod m, change c, shift s."""

    __slots__ = ("A", "_", "a", "c", "children", "i", "m", "parent", "s", "t", "z")

    def __init__(self, node: Placed | None, i: int) -> None:
        self._ = node
        self.parent: _W | None = None
        self.children: list[_W] | None = None
        self.A: _W | None = None
        self.a: _W = self
        self.z = self.m = self.c = self.s = 0.0
        self.t: _W | None = None
        self.i = i


def _next_left(v: _W) -> _W | None:
    return v.children[0] if v.children else v.t


def _next_right(v: _W) -> _W | None:
    return v.children[-1] if v.children else v.t


def _move_subtree(wm: _W, wp: _W, shift: float) -> None:
    change = shift / (wp.i - wm.i)
    wp.c -= change
    wp.s += shift
    wm.c += change
    wp.z += shift
    wp.m += shift


def _execute_shifts(v: _W) -> None:
    shift = change = 0.0
    for w in reversed(v.children):
        w.z += shift
        w.m += shift
        change += w.c
        shift += w.s + change


def _sep(a: _W, b: _W) -> float:
    return separation(a._.parent is b._.parent)


def _apportion(v: _W, w: _W | None, ancestor: _W) -> _W:
    if w is None:
        return ancestor
    vip = vop = v
    vim = w
    vom = v.parent.children[0]
    sip, sop, sim, som = vip.m, vop.m, vim.m, vom.m
    while True:
        vim, vip = _next_right(vim), _next_left(vip)
        if vim is None or vip is None:
            break
        vom = _next_left(vom)
        vop = _next_right(vop)
        vop.a = v
        shift = vim.z + sim - vip.z - sip + _sep(vim, vip)
        if shift > 0:
            _move_subtree(vim.a if vim.a.parent is v.parent else ancestor, v, shift)
            sip += shift
            sop += shift
        sim += vim.m
        sip += vip.m
        som += vom.m
        sop += vop.m
    if vim is not None and _next_right(vop) is None:
        vop.t = vim
        vop.m += sim - sop
    if vip is not None and _next_left(vom) is None:
        vom.t = vip
        vom.m += sip - som
        ancestor = v
    return ancestor


def _post_order(top: _W) -> list[_W]:
    out: list[_W] = []
    stack: list[tuple[_W, bool]] = [(top, False)]
    while stack:
        node, done = stack.pop()
        if done or not node.children:
            out.append(node)
            continue
        stack.append((node, True))
        stack.extend((c, False) for c in reversed(node.children))
    return out


def tidy_x(root: Placed) -> None:
    """Set ``x`` (in box units) and ``depth`` of every node, as d3-hierarchy's ``tree()`` does."""
    top = _W(root, 0)
    stack = [top]
    order: list[_W] = []  # pre-order
    while stack:
        node = stack.pop()
        order.append(node)
        if node._.children:
            node.children = [_W(c, i) for i, c in enumerate(node._.children)]
            for child in node.children:
                child.parent = node
            stack.extend(reversed(node.children))
    top.parent = _W(None, 0)
    top.parent.children = [top]
    for v in _post_order(top):  # children, left to right, before parents: d3's eachAfter
        siblings = v.parent.children
        w = siblings[v.i - 1] if v.i else None
        if v.children:
            _execute_shifts(v)
            midpoint = (v.children[0].z + v.children[-1].z) / 2
            if w is not None:
                v.z = w.z + _sep(v, w)
                v.m = v.z - midpoint
            else:
                v.z = midpoint
        elif w is not None:
            v.z = w.z + _sep(v, w)
        v.parent.A = _apportion(v, w, v.parent.A or siblings[0])
    top.parent.m = -top.z
    for v in order:
        v._.x = v.z + v.parent.m
        v.m += v.parent.m
        v._.depth = v.parent._.depth + 1 if v.parent._ is not None else 0


def place(root: Placed) -> list[Placed]:
    """Lay out the chain tree; returns every node with its box's top-left corner in pixels."""
    tidy_x(root)
    out: list[Placed] = []
    stack = [root]
    while stack:
        node = stack.pop()
        node.x = node.x * (BOX_W + GAP_X) - BOX_W / 2 + (STACK_INDENT if node.stacked else 0)
        node.y = node.depth * (BOX_H + GAP_Y)
        out.append(node)
        stack.extend(reversed(node.children))
    return out
