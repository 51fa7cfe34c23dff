"""Dataset -> the structure of CAST: nodes, typed edges and change events, as a picture needs them.

Edges point from the child to the parent (a unit *to* the organization it is a unit of), each
relation its own edge kind. ``as_of`` keeps the headquarters structure that the sources of a date
describe: the 1990s department list of source 001 and the 2007 list of source 004 are never
merged, because no source says their units are the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from castgraph.namespaces import CAST as CAST_NS
from castgraph.namespaces import CONCEPT, ID

# Edge kinds, in the order a tree prefers them when a node has several parents.
EDGE_KINDS = {
    "sub-organization-of": "sub-organization of",
    "unit-of": "unit of",
    "member-of": "member of",
    "guided-by": "guided by",
    "predecessor-of": "predecessor of",
    "program-of": "program of",
    "led-by": "led by",
}
# --kinds values -> the node kinds they add to a picture
KIND_OPTIONS = ("units", "societies", "provincial", "predecessors", "programs", "international")
DEFAULT_KINDS = ("units", "predecessors")

ROOT = ID["cast"]

# The reached nodes are described by three plain queries (classes, labels, kinds), filtered here:
# with 20,000 nodes Oxigraph took 39 s for one query with OPTIONALs and 1.4 s for three queries
# with a VALUES block of the nodes; at 150,000 those took 29 s (these, about 2 s at 50,000). They
# read the union default graph, each statement once (scanning quads reads every copy of it).
_CLASSES = "SELECT ?node ?class WHERE { VALUES ?class { %s } ?node a ?class }"
_ANY_CLASS = "SELECT ?node ?class WHERE { ?node a ?class }"  # two VALUES blocks are slow
_LABELS = "SELECT ?node ?label WHERE { ?node skos:prefLabel ?label }"
_KINDS = "SELECT ?node ?kind WHERE { ?node org:classification ?kind }"
# the classes of what a picture draws (two VALUES blocks in one query took Oxigraph 34 s)
DRAWN_CLASSES = {
    "http://www.w3.org/ns/org#" + c
    for c in ("FormalOrganization", "OrganizationalUnit", "OrganizationalCollaboration")
} | {"https://schema.org/" + c for c in ("Project", "Periodical", "EventSeries", "WebSite")}
# One UNION branch per edge kind; a picture asks only for the kinds it draws.
_EDGE_PATTERNS = {
    "unit-of": '?child org:unitOf ?parent . BIND("unit-of" AS ?kind)',
    "sub-organization-of": (
        '?child org:subOrganizationOf ?parent . BIND("sub-organization-of" AS ?kind)'
    ),
    "led-by": '?child cast:ledBy ?parent . BIND("led-by" AS ?kind)',
    "guided-by": '?child cast:guidedBy ?parent . BIND("guided-by" AS ?kind)',
    "member-of": (
        "?m a org:Membership ; org:member ?child ; org:organization ?parent ."
        ' FILTER NOT EXISTS { ?m a cast:Tenure } BIND("member-of" AS ?kind)'
    ),
    "predecessor-of": (
        "?e org:originalOrganization ?child ; org:resultingOrganization ?parent ."
        ' BIND("predecessor-of" AS ?kind)'
    ),
    "program-of": (
        '?child schema:founder|schema:organizer|schema:publisher ?parent . BIND("program-of" AS ?kind)'
    ),
}
_EDGES = """
SELECT DISTINCT ?child ?kind ?parent ?g WHERE {
  GRAPH ?g { %s }
}
"""
_SOURCES = """
SELECT ?g ?key ?title ?date WHERE { GRAPH graph:registry {
  ?g prov:wasDerivedFrom ?doc . ?doc skos:notation ?key ; dct:title ?title .
  OPTIONAL { ?doc cast:speaksForKey ?date } } }
"""
_EVENTS = """
SELECT DISTINCT ?e ?en ?zh ?date WHERE { VALUES ?e { %s }
  OPTIONAL { ?e skos:prefLabel ?en . FILTER(langMatches(lang(?en), "en")) }
  OPTIONAL { ?e skos:prefLabel ?zh . FILTER(langMatches(lang(?zh), "zh-Hans")) }
  OPTIONAL { ?e dct:date ?date }
}
"""
_EVENT_EDGES = """
SELECT DISTINCT ?e ?child ?parent ?g WHERE { VALUES ?parent { %s } GRAPH ?g {
  ?e org:originalOrganization ?child ; org:resultingOrganization ?parent } }
"""


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    date: str  # xsd:date key of the date the source speaks for, "" when undated


@dataclass
class Node:
    iri: str
    label_en: str = ""
    label_zh: str = ""
    kind: str = (
        "organization"  # cast, unit, society, provincial, predecessor, program, international, ...
    )
    discipline: str = ""
    facts: list[dict] = field(default_factory=list)  # see castgraph.viz.facts

    @property
    def slug(self) -> str:
        return self.iri.removeprefix(ID[""])

    def label(self, lang: str = "en") -> str:
        if lang == "zh":
            return self.label_zh or self.label_en or self.slug
        return self.label_en or self.label_zh or self.slug


@dataclass
class Event:
    """A change event (the 1958 merger): the organizations it took in and the one it made."""

    iri: str
    label_en: str = ""
    label_zh: str = ""
    date: str = ""  # the most precise date a source gives, as given
    inputs: list[str] = field(default_factory=list)
    result: str = ""
    graphs: list[str] = field(default_factory=list)  # the graphs stating it


@dataclass
class Structure:
    """The whole structure: nodes, typed edges (child -> parent) with the graph stating each."""

    nodes: dict[str, Node]
    edges: list[tuple[str, str, str, str]]  # (child, kind, parent, graph)
    sources: dict[str, Source]
    events: list[Event] = field(default_factory=list)

    def graph(self, kinds: Iterable[str] = EDGE_KINDS):
        """A networkx MultiDiGraph child -> parent, one edge per relation kind and graph."""
        import networkx as nx

        wanted = set(kinds)
        g = nx.MultiDiGraph()
        for iri in sorted(self.nodes):
            n = self.nodes[iri]
            g.add_node(iri, label_en=n.label_en, label_zh=n.label_zh, kind=n.kind)
        for child, kind, parent, graph in sorted(self.edges):
            if kind in wanted and child in self.nodes and parent in self.nodes:
                g.add_edge(
                    child, parent, key=f"{kind} {graph}", kind=kind, source=self.source_key(graph)
                )
        return g

    def source_key(self, graph: str) -> str:
        return self.sources[graph].key if graph in self.sources else graph

    def unit_graphs(self) -> list[str]:
        """Graphs that list headquarters units of CAST, oldest first."""
        graphs = {g for c, k, p, g in self.edges if k == "unit-of" and p == ROOT}
        return sorted(graphs, key=lambda g: (self.sources[g].date if g in self.sources else "", g))

    def snapshot_graph(self, as_of: str | None) -> str | None:
        """The graph whose headquarters structure a date's sources describe.

        The latest dated source on or before ``as_of`` that lists units of CAST (the rule of
        ``castgraph.dataset.as_of``); ``None`` for ``as_of == "all"`` (every source's units
        together). Without ``as_of``: the latest.
        """
        from castgraph.dataset.as_of import parse_as_of, snapshot_of_units
        from castgraph.errors import InputError

        dated = {
            g: self.sources[g].date
            for g in self.unit_graphs()
            if g in self.sources and self.sources[g].date
        }
        if as_of == "all" or not dated:
            return None
        try:
            return snapshot_of_units(dated, parse_as_of(as_of) if as_of else None)
        except InputError as error:
            raise ValueError(str(error).removeprefix("--as-of: ")) from None


def load_structure(
    store, *, root: str = ROOT, kinds: Iterable[str] | None = None, depth: int | None = None
) -> Structure:
    """The part of the structure a picture draws, read by SPARQL from a dataset's store.

    Only edges of the relation kinds that ``kinds`` draws are read, and only the nodes those
    edges connect to ``root`` (within ``depth`` steps) are described: the headquarters of one
    date needs a few hundred statements, whatever the size of the graph. ``kinds=None`` reads
    every kind.
    """
    from castgraph.dataset.engine import select

    edge_kinds = set(EDGE_KINDS) if kinds is None else edge_kinds_for(kinds)
    sources = {}
    for s in select(store, _SOURCES, union=False):
        date = s["date"].value if s["date"] is not None else ""
        sources[s["g"].value] = Source(s["key"].value, s["title"].value, date)

    edges = []
    branches = " } UNION { ".join(_EDGE_PATTERNS[k] for k in EDGE_KINDS if k in edge_kinds)
    if branches:
        for s in select(store, _EDGES % ("{ " + branches + " }"), union=False):
            edges.append((s["child"].value, s["kind"].value, s["parent"].value, s["g"].value))
    edges = sorted(set(edges))
    reached = _reachable(root, edges, depth)
    nodes = _read_nodes(store, reached)
    edges = [e for e in edges if e[0] in nodes and e[2] in nodes]
    structure = Structure(nodes=nodes, edges=edges, sources=sources)
    for child, kind, _parent, _ in structure.edges:
        if kind == "predecessor-of" and child in nodes:
            nodes[child].kind = "predecessor"
    from castgraph.viz.facts import read_facts

    if "predecessor-of" in edge_kinds:
        structure.events = _read_events(store, [root])
    read_facts(store, structure)
    return structure


def _read_events(store, results: list[str]) -> list[Event]:
    """The change events that made ``results``, with their inputs, labels and dates."""
    from castgraph.dataset.engine import select

    events: dict[str, Event] = {}
    for s in select(store, _EVENT_EDGES % iri_list(results), union=False):
        event = events.setdefault(s["e"].value, Event(s["e"].value, result=s["parent"].value))
        if s["child"].value not in event.inputs:
            event.inputs.append(s["child"].value)
        if s["g"].value not in event.graphs:
            event.graphs.append(s["g"].value)
    if not events:
        return []
    for s in select(store, _EVENTS % iri_list(events)):
        event = events[s["e"].value]
        if s["en"] is not None and not event.label_en:
            event.label_en = s["en"].value
        if s["zh"] is not None and not event.label_zh:
            event.label_zh = s["zh"].value
        if s["date"] is not None and len(s["date"].value) > len(event.date):
            event.date = s["date"].value  # the most precise the sources give
    for event in events.values():
        event.inputs.sort()
        event.graphs.sort()
    return [events[k] for k in sorted(events)]


def _read_nodes(store, reached: set[str]) -> dict[str, Node]:
    """The reached nodes that are organizations, units or programs, with labels and kinds."""
    from castgraph.dataset.engine import select

    classes: dict[str, set[str]] = {}
    drawn = DRAWN_CLASSES | {CAST_NS + "Prize"}
    query = _CLASSES % iri_list(drawn) if len(reached) > FEW else only(_ANY_CLASS, "node", reached)
    for s in select(store, query):
        if s["node"].value in reached and s["class"].value in drawn:
            classes.setdefault(s["node"].value, set()).add(s["class"].value)
    nodes = {iri: Node(iri) for iri in sorted(classes)}
    labels: dict[str, dict[str, str]] = {}
    for s in select(store, only(_LABELS, "node", nodes)):
        lang = (s["label"].language or "").lower()
        if s["node"].value in nodes and lang in ("en", "zh-hans"):
            labels.setdefault(s["node"].value, {}).setdefault(lang, set()).add(s["label"].value)
    kinds: dict[str, set[str]] = {}
    for s in select(store, only(_KINDS, "node", nodes)):
        if s["node"].value in nodes:
            kinds.setdefault(s["node"].value, set()).add(s["kind"].value.removeprefix(CONCEPT[""]))
    for iri, node in nodes.items():
        found = labels.get(iri, {})
        node.label_en = min(found.get("en", [""]))  # one label per language; the least if several
        node.label_zh = min(found.get("zh-hans", [""]))
        for cls in sorted(classes[iri]):
            for kind in sorted(kinds.get(iri, [""])):
                _classify(node, cls, kind)
    return nodes


def _reachable(root: str, edges: list[tuple[str, str, str, str]], depth: int | None) -> set[str]:
    """The nodes joined to ``root`` by the edges, in either direction, within ``depth`` steps."""
    neighbours: dict[str, set[str]] = {}
    for child, _kind, parent, _graph in edges:
        neighbours.setdefault(parent, set()).add(child)
        neighbours.setdefault(child, set()).add(parent)
    reached = {root}
    frontier = [root]
    level = 0
    while frontier and (depth is None or level < depth):
        level += 1
        # each node once per level (a set: the order of what is reached does not matter)
        frontier = list({n for f in frontier for n in neighbours.get(f, ()) if n not in reached})
        reached.update(frontier)
    return reached


def iri_list(iris: Iterable[str]) -> str:
    """IRIs in sorted order, as the body of a VALUES block."""
    return " ".join(f"<{iri}>" for iri in sorted(iris))


FEW = 2000  # nodes: up to this many, a query names them; above, it scans and Python filters


def only(query: str, variable: str, iris: Iterable[str]) -> str:
    """``query`` restricted to ``?variable`` in ``iris`` when they are few.

    A picture of a few hundred nodes (the headquarters) then reads a few hundred statements,
    not the whole store; for tens of thousands of nodes a VALUES block makes Oxigraph's joins
    slow (minutes at 20,000), so the query scans and the caller filters in either case.
    """
    iris = list(iris)
    if len(iris) > FEW:
        return query
    # inside the GRAPH block where there is one: outside it, Oxigraph joins the whole block
    # with the VALUES (60x slower for the tenures of the headquarters at 150,000 organizations)
    opening = "GRAPH ?g {" if "GRAPH ?g {" in query else "WHERE {"
    head, brace, body = query.partition(opening)
    return f"{head}{brace} VALUES ?{variable} {{ {iri_list(iris)} }} {body}"


def _classify(node: Node, cls: str, kind: str) -> None:
    order = ["organization", "unit", "international", "provincial", "society", "program", "cast"]
    mapped = {
        "association-for-science-and-technology": "cast",
        "national-society": "society",
        "provincial-association": "provincial",
        "international-organization": "international",
        "headquarters-department": "unit",
        "division": "unit",
        "work-body": "unit",
    }.get(kind, "")
    if kind.startswith("discipline-"):
        node.discipline = kind
    if cls.endswith("OrganizationalUnit") and not mapped:
        mapped = "unit"
    if not cls.startswith("http://www.w3.org/ns/org#") and not mapped:
        mapped = "program"
    if mapped and order.index(mapped) > order.index(
        node.kind if node.kind in order else "organization"
    ):
        node.kind = mapped


def edge_kinds_for(kinds: Iterable[str]) -> set[str]:
    chosen = set(kinds)
    edges = set()
    if "units" in chosen:
        edges |= {"unit-of", "sub-organization-of", "led-by"}
    if "societies" in chosen or "international" in chosen:
        edges.add("member-of")
    if "provincial" in chosen:
        edges.add("guided-by")
    if "predecessors" in chosen:
        edges.add("predecessor-of")
    if "programs" in chosen:
        edges.add("program-of")
    return edges
