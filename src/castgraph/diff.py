"""Differences between two versions of the dataset, graph by graph.

``diff_datasets(old, new)`` compares two datasets statement by statement (named graphs kept: a
statement moved from one source's graph to another's is a removal and an addition), streaming
each side and keeping a digest per statement. castgraph mints no blank nodes, so set difference
is exact; if either side has blank nodes, both are first relabelled with RDFC-1.0 (pyoxigraph), which makes identical datasets
compare equal (any change then may relabel many blank nodes: such diffs are coarse).

Two renderings:

- ``render_summary``: for humans, grouped by named graph and entity, each entity with its label,
  each property as added, removed or changed (old values -> new values);
- ``render_patch``: RDF Patch (https://afs.github.io/rdf-patch/), one ``D`` line per removed and
  one ``A`` line per added quad inside ``TX .`` / ``TC .``, deletions first, each block sorted.
  Written by hand: the format is one line per quad, and rdflib's patch writer does not sort.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from hashlib import blake2b

from castgraph.export.jsonld import bcp47_case
from castgraph.namespaces import DCT, FOAF, RDFS, SKOS, XSD, shorten

LABEL_PREDICATES = (SKOS.prefLabel, RDFS.label, FOAF.name, DCT.title)
MAX_LITERAL = 100  # characters of a literal shown in the summary (the patch is always exact)


@dataclass(frozen=True)
class DatasetDiff:
    removed: tuple  # sorted quads only in the old dataset
    added: tuple  # sorted quads only in the new dataset
    labels: dict[str, str]  # subject IRI -> label (new dataset first, then old)
    old_subjects: frozenset  # (graph, subject) pairs present in the old dataset
    new_subjects: frozenset

    @property
    def equal(self) -> bool:
        return not self.removed and not self.added


def _sort_key(quad) -> tuple[str, str, str, str]:
    from castgraph.dataset.writer import quad_sort_key

    return quad_sort_key(quad)


def _canonical(quads: Sequence) -> list:
    from pyoxigraph import BlankNode

    if not any(
        isinstance(t, BlankNode) for q in quads for t in (q.subject, q.object, q.graph_name)
    ):
        return list(quads)
    from castgraph.guard.rdf_input import canonical_quads  # hardening: RDFC-1.0 under a deadline

    return canonical_quads(quads)


def diff_datasets(old, new) -> DatasetDiff:
    """The difference of ``old`` and ``new``: lists of quads, or callables giving them afresh.

    Without blank nodes each side is streamed three times and never held: once to keep a
    128-bit digest of each statement's N-Quads line (about 100 bytes a statement, whatever its
    length), once to pick the statements whose digest the other side lacks, once for the labels
    and the entities of what differs. With blank nodes, both sides are relabelled with RDFC-1.0
    first, which needs them whole (under the limits of ``castgraph.guard.rdf_input``).
    """
    old_read, new_read = _reader(old), _reader(new)
    old_digests, old_blank = _digests(old_read)
    new_digests, new_blank = _digests(new_read)
    if old_blank or new_blank:
        del old_digests, new_digests
        return _diff_whole(list(old_read()), list(new_read()))
    removed = _picked(old_read, old_digests - new_digests)
    added = _picked(new_read, new_digests - old_digests)
    del old_digests, new_digests
    touched = {(str(q.graph_name), str(q.subject)) for q in (*removed, *added)}
    named = {s for _, s in touched} | {g for g, _ in touched}
    return DatasetDiff(
        removed=tuple(sorted(removed, key=_sort_key)),
        added=tuple(sorted(added, key=_sort_key)),
        labels=_labels(new_read(), old_read(), only=named),
        old_subjects=_present(old_read(), touched),
        new_subjects=_present(new_read(), touched),
    )


def _reader(side):
    return side if callable(side) else (lambda: iter(side))


def _digest(quad) -> bytes:
    return blake2b(str(quad).encode("utf-8"), digest_size=16).digest()


def _digests(read) -> tuple[set[bytes], bool]:
    from pyoxigraph import BlankNode

    digests: set[bytes] = set()
    for q in read():
        if (
            isinstance(q.subject, BlankNode)
            or isinstance(q.object, BlankNode)
            or isinstance(q.graph_name, BlankNode)
        ):
            return set(), True
        digests.add(_digest(q))
    return digests, False


def _picked(read, wanted: set[bytes]) -> list:
    if not wanted:
        return []
    picked, seen = [], set()
    for q in read():
        digest = _digest(q)
        if digest in wanted and digest not in seen:  # a file may state a statement twice
            seen.add(digest)
            picked.append(q)
    return picked


def _present(quads: Iterable, pairs: set[tuple[str, str]]) -> frozenset:
    """The (graph, subject) pairs of ``pairs`` that ``quads`` have statements for."""
    if not pairs:
        return frozenset()
    subjects = {s for _, s in pairs}
    found = set()
    for q in quads:
        subject = str(q.subject)
        if subject in subjects:
            pair = (str(q.graph_name), subject)
            if pair in pairs:
                found.add(pair)
    return frozenset(found)


def _diff_whole(old: list, new: list) -> DatasetDiff:
    old_set = set(_canonical(old))
    new_set = set(_canonical(new))
    return DatasetDiff(
        removed=tuple(sorted(old_set - new_set, key=_sort_key)),
        added=tuple(sorted(new_set - old_set, key=_sort_key)),
        labels=_labels(new_set, old_set),
        old_subjects=frozenset((str(q.graph_name), str(q.subject)) for q in old_set),
        new_subjects=frozenset((str(q.graph_name), str(q.subject)) for q in new_set),
    )


def _labels(*datasets: Iterable, only: set[str] | None = None) -> dict[str, str]:
    """A label per subject (of ``only``, when given): English preferred label first, then
    rdfs:label, foaf:name, title."""
    ranked: dict[str, tuple] = {}
    rank = {p: i for i, p in enumerate(LABEL_PREDICATES)}
    for order, quads in enumerate(datasets):
        for q in quads:
            predicate = q.predicate.value
            if predicate not in rank:
                continue
            language = (getattr(q.object, "language", None) or "").lower()
            key = (order, rank[predicate], language != "en", q.object.value)
            subject = str(q.subject)
            if only is not None and subject not in only:
                continue
            if subject not in ranked or key < ranked[subject][0]:
                ranked[subject] = (key, q.object.value)
    return {subject: value for subject, (_, value) in ranked.items()}


# ----------------------------------------------------------------------------------------------
# Rendering


def term_text(term, *, limit: int | None = MAX_LITERAL) -> str:
    """A term as a reader wants it: CURIEs, bare numbers, literals cut at ``limit`` characters."""
    from pyoxigraph import BlankNode, DefaultGraph, Literal

    if isinstance(term, DefaultGraph):
        return "the default graph"
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if not isinstance(term, Literal):
        return shorten(term.value)
    value = term.value
    if limit is not None and len(value) > limit:
        value = value[: limit - 1] + "…"
    quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if term.language:
        return f"{quoted}@{bcp47_case(term.language)}"
    datatype = term.datatype.value
    if datatype == XSD.string:
        return quoted
    if datatype in (XSD.integer, XSD.decimal, XSD.boolean) and value == term.value:
        return value
    return f"{quoted}^^{shorten(datatype)}"


def render_patch(diff: DatasetDiff) -> str:
    """RDF Patch: deletions then additions, each sorted, in one transaction."""
    from pyoxigraph import DefaultGraph

    def line(op: str, quad) -> str:
        graph = "" if isinstance(quad.graph_name, DefaultGraph) else f" {quad.graph_name}"
        return f"{op} {quad.subject} {quad.predicate} {quad.object}{graph} .\n"

    body = [line("D", q) for q in diff.removed] + [line("A", q) for q in diff.added]
    return "TX .\n" + "".join(body) + "TC .\n"


def render_summary(diff: DatasetDiff, old_name: str = "OLD", new_name: str = "NEW") -> str:
    """Changes grouped by named graph, then entity (with its label), then property."""
    if diff.equal:
        return f"no difference: {old_name} and {new_name} hold the same statements\n"
    # graph -> subject -> predicate -> (removed objects, added objects)
    changes: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(lambda: ([], []))))
    graphs: dict[str, object] = {}
    subjects: dict[str, object] = {}
    for side, quads in ((0, diff.removed), (1, diff.added)):
        for q in quads:
            g, s = str(q.graph_name), str(q.subject)
            graphs[g], subjects[s] = q.graph_name, q.subject
            changes[g][s][q.predicate.value][side].append(q.object)

    lines = [f"{old_name} -> {new_name}"]
    old_graphs = {g for g, _ in diff.old_subjects}
    new_graphs = {g for g, _ in diff.new_subjects}
    for g in sorted(changes, key=lambda k: (k != "DEFAULT", k)):
        removed = sum(len(r) for s in changes[g].values() for r, _ in s.values())
        added = sum(len(a) for s in changes[g].values() for _, a in s.values())
        state = _state(g in old_graphs, g in new_graphs, "graph")
        graph_label = diff.labels.get(g)
        title = term_text(graphs[g]) + (f" ({graph_label})" if graph_label else "")
        lines.append(f"\n{title}{state}: +{added} -{removed}")
        for s in sorted(changes[g]):
            label = diff.labels.get(s)
            entity_state = _state(
                (g, s) in diff.old_subjects, (g, s) in diff.new_subjects, "entity"
            )
            head = term_text(subjects[s]) + (f" “{label}”" if label else "") + entity_state
            lines.append(f"  {head}")
            for p in sorted(changes[g][s]):
                gone, new = changes[g][s][p]
                prop = shorten(p)
                gone_text = "; ".join(term_text(o) for o in gone)
                new_text = "; ".join(term_text(o) for o in new)
                if gone and new:
                    lines.append(f"    ~ {prop}: {gone_text} -> {new_text}")
                elif new:
                    lines.append(f"    + {prop}: {new_text}")
                else:
                    lines.append(f"    - {prop}: {gone_text}")
    entities = {(g, s) for g in changes for s in changes[g]}
    lines.append(
        f"\n{len(diff.added)} statements added, {len(diff.removed)} removed, "
        f"{len(entities)} entities in {len(changes)} graphs changed"
    )
    return "\n".join(lines) + "\n"


def _state(before: bool, after: bool, what: str) -> str:
    if not before:
        return f" (new {what})"
    if not after:
        return f" ({what} gone)"
    return ""
