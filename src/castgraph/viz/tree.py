"""Trees cut from the structure: what a picture shows, from a root, for a date. No drawing here.

``build_tree`` keeps the headquarters structure that the sources of a date describe, puts the
organizations a change event merged into the root *above* it (``TreeNode.history``), gathers
each kind of relation other than the headquarters' own into a labelled group with a count
(national societies, provincial associations, programs, international bodies) and folds long
runs of national societies into one counted group per discipline that still holds its members.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field

from castgraph.viz.structure import (
    DEFAULT_KINDS,
    EDGE_KINDS,
    ROOT,
    Event,
    Node,
    Structure,
    edge_kinds_for,
)

COLLAPSE_OVER = 30  # more national societies than this are folded into counted groups
STRUCTURAL = {"unit-of", "sub-organization-of", "led-by"}


@dataclass(eq=False)  # nodes are compared by identity: a tree may hold equal-looking ones
class TreeNode:
    node: Node
    edge: str = ""  # the relation to the parent in the tree, "" for the root
    upward: bool = False  # the root is the subject of that relation (CAST member of ISC)
    children: list[TreeNode] = field(default_factory=list)
    count: int = 0  # for a group: how many it holds
    group: str = ""  # for a group: what it groups
    folded: bool = False  # a group whose members static pictures leave out (they are counted)
    sources: list[str] = field(default_factory=list)  # keys of the sources stating the edge
    history: list[tuple[Event, list[Node]]] = field(default_factory=list)  # events making it


def node_allowed(node: Node, kinds: set[str]) -> bool:
    return {
        "unit": "units",
        "society": "societies",
        "provincial": "provincial",
        "predecessor": "predecessors",
        "program": "programs",
        "international": "international",
    }.get(node.kind, "") in kinds or node.kind in ("cast", "organization")


def build_tree(
    structure: Structure,
    root: str = ROOT,
    *,
    depth: int | None = None,
    kinds: Iterable[str] = DEFAULT_KINDS,
    as_of: str | None = None,
    expand: bool = False,
    snapshot: str | None = None,
) -> tuple[TreeNode, str | None]:
    """A tree rooted at ``root``; returns it and the graph of the headquarters snapshot used.

    ``snapshot`` names that graph directly (the page's date control); ``as_of="all"`` puts
    every list's units side by side, one labelled column per source.
    """
    if root not in structure.nodes:
        raise KeyError(root)
    kinds = set(kinds)
    if as_of == "all" and snapshot is None and len(structure.unit_graphs()) > 1:
        return _side_by_side(structure, root, depth, kinds, expand), None
    if snapshot is None:
        snapshot = structure.snapshot_graph(as_of)
    children = _children(structure, kinds, snapshot)
    placed = {root}
    top = TreeNode(structure.nodes[root])
    frontier = deque([(top, 0)])  # breadth first: each node under its nearest parent
    while frontier:
        current, level = frontier.popleft()
        if depth is not None and level >= depth:
            continue
        best: dict[str, tuple[int, str, str, bool, list[str]]] = {}
        for item in sorted(children.get(current.node.iri, [])):
            best.setdefault(item[1], item)
        for _, iri, kind, upward, graphs in sorted(
            best.values(), key=lambda c: (c[0], structure.nodes[c[1]].label(), c[1])
        ):
            if iri in placed:
                continue
            placed.add(iri)
            keys = sorted({structure.source_key(g) for g in graphs})
            child = TreeNode(structure.nodes[iri], edge=kind, upward=upward, sources=keys)
            current.children.append(child)
            frontier.append((child, level + 1))
    if "predecessors" in kinds:
        top.history = [
            (e, [structure.nodes[i] for i in e.inputs if i in structure.nodes])
            for e in structure.events
            if e.result == root
        ]
    _group(top, expand)
    return top, snapshot


def _children(structure: Structure, kinds: set[str], snapshot: str | None) -> dict:
    """parent -> [(priority, child, kind, upward, graphs)] for the edges the picture draws."""
    wanted = edge_kinds_for(kinds) - {"predecessor-of"}  # history is drawn above the root
    priority = {k: i for i, k in enumerate(EDGE_KINDS)}
    graphs: dict[tuple[str, str, str, bool], list[str]] = {}
    for child, kind, parent, graph in structure.edges:
        if kind not in wanted or child not in structure.nodes or parent not in structure.nodes:
            continue
        if kind in STRUCTURAL and snapshot is not None and graph != snapshot:
            continue
        if not node_allowed(structure.nodes[child], kinds) and kind != "member-of":
            continue
        if kind == "member-of" and structure.nodes[parent].kind == "international":
            if "international" in kinds:  # CAST is the member: show the body below it
                graphs.setdefault((child, parent, kind, True), []).append(graph)
            continue
        if kind == "member-of" and "societies" not in kinds:
            continue
        graphs.setdefault((parent, child, kind, False), []).append(graph)
    children: dict[str, list] = {}
    for (parent, child, kind, upward), gs in sorted(graphs.items()):
        children.setdefault(parent, []).append((priority[kind], child, kind, upward, sorted(gs)))
    return children


def _side_by_side(structure, root, depth, kinds, expand) -> TreeNode:
    """Every dated list of the root's units in its own column, the rest of the tree once."""
    columns = []
    latest = None
    for graph in structure.unit_graphs():
        source = structure.sources.get(graph)
        if source is None or not source.date:
            continue  # units no dated list names are in no dated view
        tree, _ = build_tree(
            structure, root, depth=depth, kinds=kinds, expand=expand, snapshot=graph
        )
        latest = tree
        units = [c for c in tree.children if c.edge in STRUCTURAL]
        year = source.date[:4]
        node = Node(
            f"{root}#as-of-{source.key}",
            f"Headquarters as source {source.key} ({year}) lists it",
            f"来源 {source.key}（{year}）所列机关部门",
            kind="snapshot",
        )
        columns.append(TreeNode(node, edge="unit-of", children=units, count=len(units)))
        columns[-1].sources = [source.key]
    latest.children = columns + [c for c in latest.children if c.edge not in STRUCTURAL]
    return latest


GROUP_LABELS = {
    "discipline-science": ("natural sciences", "理科"),
    "discipline-engineering": ("engineering", "工科"),
    "discipline-agriculture": ("agriculture", "农科"),
    "discipline-medicine": ("medicine", "医科"),
    "discipline-interdisciplinary": ("interdisciplinary", "交叉学科"),
}
# kind of child -> (group label, Chinese label); a node's children of two or more of these
# kinds are gathered per kind, so the headquarters stay the chart and the rest are counted
CATEGORIES = {
    "society": ("national societies", "全国学会"),
    "provincial": ("provincial associations", "省级科协"),
    "program": ("programs, prizes and periodicals", "项目、奖项与期刊"),
    "international": ("international organizations joined", "加入的国际组织"),
}
FOLD_OVER = 12  # a group of more than this many is drawn as one counted box unless expanded


def _group(tree: TreeNode, expand: bool) -> None:
    if tree.node.kind == "society-group":
        return  # its members are the group
    kinds = {c.node.kind for c in tree.children}
    if len(kinds) > 1 and (kinds & set(CATEGORIES)):
        keep = [c for c in tree.children if c.node.kind not in CATEGORIES]
        for kind, (en, zh) in CATEGORIES.items():
            members = [c for c in tree.children if c.node.kind == kind]
            if not members:
                continue
            node = Node(
                f"{tree.node.iri}#{kind}", f"{en} ({len(members)})", f"{zh}（{len(members)}）"
            )
            node.kind = "category"
            edges = sorted({m.edge for m in members})
            group = TreeNode(
                node,
                edge=edges[0],
                children=members,
                count=len(members),
                group=en,
                folded=len(members) > FOLD_OVER and not expand and kind != "society",
            )
            group.upward = all(m.upward for m in members)
            keep.append(group)
        tree.children = keep
    societies = [c for c in tree.children if c.node.kind == "society"]
    if len(societies) > COLLAPSE_OVER:
        keep = [c for c in tree.children if c not in societies]
        groups: dict[str, list[TreeNode]] = {}
        for c in societies:
            groups.setdefault(c.node.discipline, []).append(c)
        for discipline, members in sorted(groups.items()):
            en, zh = GROUP_LABELS.get(discipline, ("other", "其他"))
            count = len(members)
            node = Node(
                f"{tree.node.iri}#group-{discipline or 'other'}",
                f"{count} national societies: {en}",
                f"{count} 个全国学会：{zh}",
                kind="society-group",
            )
            keep.append(
                TreeNode(
                    node,
                    edge="member-of",
                    children=members,
                    count=count,
                    group=en,
                    folded=not expand,
                )
            )
        tree.children = keep
    for child in tree.children:
        _group(child, expand)


def iter_tree(tree: TreeNode, *, folded: bool = False):
    """Every node a static picture draws (with ``folded``: the members of folded groups too)."""
    yield tree
    if tree.folded and not folded:
        return
    for child in tree.children:
        yield from iter_tree(child, folded=folded)


def shown(tree: TreeNode) -> list[TreeNode]:
    """The children a static picture draws."""
    return [] if tree.folded else tree.children
