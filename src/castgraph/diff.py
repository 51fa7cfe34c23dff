"""Differences between two versions of the dataset, graph by graph.

``diff_datasets(old, new)`` compares two lists of quads statement by statement (named graphs
kept: a statement moved from one source's graph to another's is a removal and an addition).
castgraph mints no blank nodes, so plain set difference is exact; if either side has blank
nodes, both are first relabelled with RDFC-1.0 (pyoxigraph), which makes identical datasets
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


def diff_datasets(old: Iterable, new: Iterable) -> DatasetDiff:
    old_set = set(_canonical(list(old)))
    new_set = set(_canonical(list(new)))
    return DatasetDiff(
        removed=tuple(sorted(old_set - new_set, key=_sort_key)),
        added=tuple(sorted(new_set - old_set, key=_sort_key)),
        labels=_labels(new_set, old_set),
        old_subjects=frozenset((str(q.graph_name), str(q.subject)) for q in old_set),
        new_subjects=frozenset((str(q.graph_name), str(q.subject)) for q in new_set),
    )


def _labels(*datasets: Iterable) -> dict[str, str]:
    """A label per subject: English preferred label first, then rdfs:label, foaf:name, title."""
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
