"""The framed tree from the part it draws: the same bytes as ``jsonld.tree_document``.

``jsonld.tree_document`` frames the union of all graphs with pyld and compacts every statement
the tree does not show into ``included``, both with pyld, both over the whole graph. Here pyld
frames only the statements of the nodes the frame (``jsonld._frame``) can reach from the root:
the root, its units and sub-organizations to the frame's depth, their posts, each post's role,
holders and tenures (``cast:post`` read backwards). Framing only ever looks at those nodes, so
the tree is the same. Everything else goes to ``included`` through ``jsonld_stream``, whose
nodes are byte-identical to pyld's compaction (tests/test_jsonld_stream.py) and sit at the same
depth, so its node list is spliced in as text.
"""

from __future__ import annotations

from collections.abc import Iterable

from castgraph.export import jsonld, jsonld_read
from castgraph.export.jsonld_stream import _term_iri as _id
from castgraph.export.jsonld_stream import flat_bytes
from castgraph.namespaces import CAST, ORG

_UNIT_LINKS = (ORG.hasUnit, ORG.hasSubOrganization)
_POST_LINKS = (ORG.role, ORG.heldBy)
_DEPTH = 3  # root -> unit -> division -> division (see jsonld._frame)


def drawn_quads(union: list, root: str) -> list:
    """The statements of every node the tree frame can reach from ``root``."""
    links: dict[str, list[tuple[str, str]]] = {}
    tenures: dict[str, list[str]] = {}  # post -> tenures pointing at it
    wanted = {*_UNIT_LINKS, *_POST_LINKS, ORG.hasPost}
    for quad in union:
        predicate = quad.predicate.value
        if predicate in wanted:
            links.setdefault(_id(quad.subject), []).append((predicate, _id(quad.object)))
        elif predicate == CAST.post:
            tenures.setdefault(_id(quad.object), []).append(_id(quad.subject))

    reached = {root}
    level = {root}
    for depth in range(_DEPTH + 1):
        posts = {o for s in level for p, o in links.get(s, ()) if p == ORG.hasPost}
        for post in posts:
            reached.add(post)
            reached.update(o for p, o in links.get(post, ()) if p in _POST_LINKS)
            reached.update(tenures.get(post, ()))
        units = (ORG.hasUnit, ORG.hasSubOrganization) if depth == 0 else (ORG.hasSubOrganization,)
        level = {o for s in level for p, o in links.get(s, ()) if p in units}
        if depth < _DEPTH:
            reached |= level
    return [q for q in union if _id(q.subject) in reached]


def tree_bytes(
    quads: Iterable, *, root: str = jsonld.DEFAULT_ROOT, inline_context: bool = False
) -> bytes:
    """``jsonld.dumps(jsonld.tree_document(quads, root=..., inline_context=...))``."""
    from pyld import jsonld as pyld
    from pyoxigraph import DefaultGraph, NamedNode, Quad

    union = sorted({Quad(q.subject, q.predicate, q.object, DefaultGraph()) for q in quads}, key=str)
    if not any(q.subject == NamedNode(root) for q in union):
        return flat_bytes(union, inline_context=inline_context)
    framed = pyld.frame(
        jsonld._expanded(drawn_quads(union, root)),
        jsonld._frame(root),
        jsonld._options(embed="@never", omitDefault=True, omitGraph=True),
    )
    shown = {(q.subject, q.predicate, q.object) for q in jsonld_read.to_quads_from_json(framed)}
    rest = [q for q in union if (q.subject, q.predicate, q.object) not in shown]
    text = jsonld.dumps(jsonld._finish(framed, inline_context))
    if not rest:
        return text
    flat = flat_bytes(rest)  # {"@context": URL, "@graph": [nodes at the depth of included]}
    start = flat.index(b'"@graph": [') + len(b'"@graph": [')
    nodes = flat[start : -len(b"\n  ]\n}\n")]
    assert text.endswith(b"\n}\n")
    return text[: -len(b"\n}\n")] + b',\n  "included": [' + nodes + b"\n  ]\n}\n"
