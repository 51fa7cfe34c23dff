"""What ``castgraph build`` reports: counts by class and by source, and coverage figures.

Coverage sets what the graph lists against what the sources report (for example the national
societies enumerated against the latest reported count), so that users see how complete it is.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from castgraph.namespaces import CONCEPT, shorten

CLASS_COUNTS = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY ?class
"""
GRAPH_COUNTS = """
SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g
"""
# Listed: how many distinct entities the graph enumerates, by a pattern binding ?listed.
LISTED = """
SELECT (COUNT(DISTINCT ?listed) AS ?n) WHERE {{ {pattern} }}
"""
# Which sources list them, and the dates those sources speak for.
LISTING_SOURCES = """
SELECT DISTINCT ?key ?date WHERE {{
  GRAPH ?g {{ {pattern} }}
  GRAPH graph:registry {{ ?g prov:wasDerivedFrom ?doc . ?doc skos:notation ?key
                          OPTIONAL {{ ?doc cast:speaksFor ?date }} }}
}}
"""
# (what, pattern binding ?listed, measure of the reported total or None when no source reports one)
COVERAGE = (
    (
        "national member societies",
        "?m a org:Membership ; org:organization cid:cast ; org:member ?listed ;"
        " org:role concept:national-member-society .",
        "national-societies",
    ),
    (
        "provincial-level associations",
        "?listed org:classification concept:provincial-association .",
        "provincial-associations",
    ),
    (
        "international organizations joined by CAST and its national societies",
        "?m a org:Membership ; org:organization ?listed ;"
        " org:role concept:national-member ."
        " ?listed org:classification concept:international-organization .",
        "international-organizations-joined",
    ),
    # The identifier crosswalk (queries/identifier-crosswalk.rq): no source reports a total.
    (
        "organizations linked to Wikidata",
        "?listed owl:sameAs ?link ."
        ' FILTER(STRSTARTS(STR(?link), "http://www.wikidata.org/entity/"))',
        None,
    ),
    (
        "organizations linked to ROR",
        '?listed owl:sameAs ?link . FILTER(STRSTARTS(STR(?link), "https://ror.org/"))',
        None,
    ),
)
# Reported: the latest dated figure for a measure, with its source.
LATEST_FIGURE = """
SELECT ?value ?date ?source WHERE {{
  ?f a cast:Figure ; cast:about cid:cast ; cast:measure {measure} ;
     sdmx-measure:obsValue ?value ; cast:dateKey ?key ; dct:date ?date ; prov:wasDerivedFrom ?doc .
  ?doc skos:notation ?source .
}} ORDER BY DESC(?key) ?source LIMIT 1
"""


SHOWN_SOURCES = 4


def natural_key(text: str) -> list[str | int]:
    """P2 before P10: digit runs compare as numbers."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


@dataclass(frozen=True)
class Coverage:
    what: str
    listed: int
    reported: int | None
    reported_date: str
    reported_source: str
    listed_by: tuple[str, ...] = ()

    def line(self) -> str:
        by = ""
        if len(self.listed_by) > SHOWN_SOURCES:  # one line stays readable; summary.json has all
            rest = len(self.listed_by) - SHOWN_SOURCES
            shown = ", ".join(self.listed_by[:SHOWN_SOURCES])
            by = f" by {shown} and {rest} more sources (all in summary.json)"
        elif self.listed_by:
            by = f" by {', '.join(self.listed_by)}"
        if self.reported is None:
            return f"{self.what}: {self.listed} listed{by} (no reported total)"
        share = f" ({100 * self.listed / self.reported:.0f}%)" if self.reported else ""
        return (
            f"{self.what}: {self.listed} of {self.reported} listed{share}{by}; "
            f"total as reported by source {self.reported_source} for {self.reported_date}"
        )


@dataclass(frozen=True)
class Summary:
    quads: int
    triples: int
    classes: dict[str, int]
    graphs: dict[str, int]
    coverage: tuple[Coverage, ...]

    def as_json(self) -> str:
        payload = {
            "quads": self.quads,
            "triples": self.triples,
            "classes": self.classes,
            "graphs": self.graphs,
            "coverage": [c.__dict__ for c in self.coverage],
        }
        return json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True) + "\n"

    def as_text(self) -> str:
        lines = [
            f"castgraph: {self.triples} distinct triples in {len(self.graphs)} named graphs ({self.quads} quads)"
        ]
        lines.append("by class:")
        width = max((len(c) for c in self.classes), default=0)
        lines += [f"  {name:<{width}}  {n:>6}" for name, n in self.classes.items()]
        lines.append("by source graph (quads):")
        width = max((len(g) for g in self.graphs), default=0)
        lines += [f"  {name:<{width}}  {n:>6}" for name, n in self.graphs.items()]
        lines.append("coverage:")
        lines += [f"  {c.line()}" for c in self.coverage]
        return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Counted:
    """What a build counts while it sorts: quads, distinct triples, statements by graph IRI."""

    quads: int
    triples: int
    per_graph: dict[str, int]  # graph IRI -> statements, in IRI order (as SPARQL's ORDER BY ?g)

    @classmethod
    def of(cls, built) -> Counted:
        """The counts of a ``castgraph.build.mint.BuiltDataset``."""
        from castgraph.build.mint import triples_per_graph

        by_term = triples_per_graph(built.statements)  # keys in N-Triples form: "<iri>"
        per_graph = {g[1:-1]: by_term[g] for g in sorted(by_term, key=lambda g: g[1:-1])}
        return cls(len(built.statements), len(built.union), per_graph)


QUAD_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
TRIPLE_COUNT = """
SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }
"""


def summarize(dataset, counted: Counted | None = None) -> Summary:
    """The summary of a dataset (``castgraph.dataset.store.Dataset``), by SPARQL on its store.

    A build passes the counts it already has (``Counted.of`` its sorted statements and union),
    which SPARQL would count again.
    """

    def rows(query: str):
        return dataset.query(query)

    def number(query: str) -> int:
        return int(next(iter(rows(query)))["n"].value)

    classes = {shorten(s["class"].value): int(s["n"].value) for s in rows(CLASS_COUNTS)}
    if counted is not None:
        graphs = {shorten(iri): n for iri, n in counted.per_graph.items()}
    else:
        graphs = {shorten(s["g"].value): int(s["n"].value) for s in rows(GRAPH_COUNTS)}

    def latest(measure: str) -> tuple[int | None, str, str]:
        found = list(rows(LATEST_FIGURE.format(measure=f"<{CONCEPT[measure]}>")))
        if not found:
            return None, "", ""
        row = found[0]
        return int(float(row["value"].value)), row["date"].value, row["source"].value

    coverage = []
    for what, pattern, measure in COVERAGE:
        reported, date, source = latest(measure) if measure else (None, "", "")
        listed = number(LISTED.format(pattern=pattern))
        listed_by = sorted(
            {
                f"{s['key'].value} ({s['date'].value})" if s["date"] else s["key"].value
                for s in rows(LISTING_SOURCES.format(pattern=pattern))
            },
            key=natural_key,
        )
        coverage.append(Coverage(what, listed, reported, date, source, tuple(listed_by)))
    return Summary(
        quads=number(QUAD_COUNT) if counted is None else counted.quads,
        triples=number(TRIPLE_COUNT) if counted is None else counted.triples,
        classes=classes,
        graphs=graphs,
        coverage=tuple(coverage),
    )
