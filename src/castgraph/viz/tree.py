"""Trees cut from the structure: what a picture shows, from a root, for a date. No drawing here.

``build_tree`` keeps the headquarters structure that the sources of a date describe and groups
long runs of national societies into counted nodes that open on their members.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from castgraph.viz.structure import (
    DEFAULT_KINDS,
    EDGE_KINDS,
    ROOT,
    Node,
    Structure,
    edge_kinds_for,
)

COLLAPSE_OVER = 30  # more children of one kind than this are shown as counted groups


@dataclass
class TreeNode:
    node: Node
    edge: str = ""  # the relation to the parent in the tree, "" for the root
    upward: bool = False  # the root is the subject of that relation (CAST member of ISC)
    children: list[TreeNode] = field(default_factory=list)
    count: int = 0  # for a collapsed group: how many it stands for
    group: str = ""  # for a collapsed group: what it groups


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
) -> tuple[TreeNode, str | None]:
    """A tree rooted at ``root``; returns it and the graph of the headquarters snapshot used."""
    if root not in structure.nodes:
        raise KeyError(root)
    kinds = set(kinds)
    wanted = edge_kinds_for(kinds)
    snapshot = structure.snapshot_graph(as_of)
    structural = {"unit-of", "sub-organization-of", "led-by"}
    children: dict[str, list[tuple[int, str, str, bool]]] = {}
    priority = {k: i for i, k in enumerate(EDGE_KINDS)}
    for child, kind, parent, graph in structure.edges:
        if kind not in wanted or child not in structure.nodes or parent not in structure.nodes:
            continue
        if kind in structural and snapshot is not None and graph != snapshot:
            continue
        if not node_allowed(structure.nodes[child], kinds) and kind != "member-of":
            continue
        if kind == "member-of" and structure.nodes[parent].kind == "international":
            if "international" in kinds:  # CAST is the member: show the body below it
                children.setdefault(child, []).append((priority[kind], parent, kind, True))
            continue
        if kind == "member-of" and "societies" not in kinds:
            continue
        children.setdefault(parent, []).append((priority[kind], child, kind, False))

    placed = {root}
    top = TreeNode(structure.nodes[root])
    frontier = [(top, 0)]
    while frontier:
        current, level = frontier.pop(0)
        if depth is not None and level >= depth:
            continue
        found = sorted(
            set(children.get(current.node.iri, [])),
            key=lambda c: (c[0], structure.nodes[c[1]].label(), c[1]),
        )
        best: dict[str, tuple[int, str, str, bool]] = {}
        for item in found:
            best.setdefault(item[1], item)
        for _, iri, kind, upward in sorted(
            best.values(), key=lambda c: (c[0], structure.nodes[c[1]].label(), c[1])
        ):
            if iri in placed:
                continue
            placed.add(iri)
            child = TreeNode(structure.nodes[iri], edge=kind, upward=upward)
            current.children.append(child)
            frontier.append((child, level + 1))
    if not expand:
        _collapse(top)
    return top, snapshot


GROUP_LABELS = {
    "discipline-science": ("natural sciences", "理科"),
    "discipline-engineering": ("engineering", "工科"),
    "discipline-agriculture": ("agriculture", "农科"),
    "discipline-medicine": ("medicine", "医科"),
    "discipline-interdisciplinary": ("interdisciplinary", "交叉学科"),
}


def _collapse(tree: TreeNode) -> None:
    """Replace long runs of national societies by one counted node per discipline group."""
    societies = [c for c in tree.children if c.node.kind == "society"]
    if len(societies) > COLLAPSE_OVER:
        keep = [c for c in tree.children if c not in societies]
        groups: dict[str, int] = {}
        for c in societies:
            groups[c.node.discipline] = groups.get(c.node.discipline, 0) + 1
        for discipline, count in sorted(groups.items()):
            en, zh = GROUP_LABELS.get(discipline, ("other", "其他"))
            node = Node(
                f"{tree.node.iri}#group-{discipline or 'other'}",
                f"{count} national societies: {en}",
                f"{count} 个全国学会：{zh}",
                kind="society-group",
            )
            keep.append(TreeNode(node, edge="member-of", count=count, group=en))
        tree.children = keep
    for child in tree.children:
        _collapse(child)


def iter_tree(tree: TreeNode):
    yield tree
    for child in tree.children:
        yield from iter_tree(child)
