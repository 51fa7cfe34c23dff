"""SPARQL 1.1 Protocol details with no web framework: result formats by Accept, the service
description, and reading a request's query and dataset parameters.

Content negotiation follows RFC 9110: the Accept header's media ranges with their q-values,
``*/*`` and ``type/*`` wildcards; the first supported type of the highest q wins, and among equals
the order of our own list (SPARQL JSON for SELECT/ASK, Turtle for CONSTRUCT/DESCRIBE). A
``format=`` parameter (json, xml, csv, tsv, ttl, nt, jsonld, rdfxml) overrides Accept, as Oxigraph
and Fuseki allow, for browsers and curl. Nothing acceptable: 406 listing what is offered.
"""

from __future__ import annotations

from dataclasses import dataclass

# key -> media type, in order of preference
RESULT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_TYPES = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
ALIASES = {  # media types clients also send, and format= words
    "application/json": "json",
    "application/sparql-results+json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
    "application/x-turtle": "turtle",
    "text/plain": "ntriples",
    "json": "json",
    "srj": "json",
    "xml": "xml",
    "srx": "xml",
    "csv": "csv",
    "tsv": "tsv",
    "ttl": "turtle",
    "turtle": "turtle",
    "nt": "ntriples",
    "ntriples": "ntriples",
    "n-triples": "ntriples",
    "jsonld": "jsonld",
    "json-ld": "jsonld",
    "rdfxml": "rdfxml",
    "rdf": "rdfxml",
    "owl": "rdfxml",
}
CHARSET_TYPES = ("text/", "application/sparql-results+json", "application/ld+json")


class NotAcceptable(Exception):
    """No offered type fits the Accept header (406)."""

    def __init__(self, offered: dict[str, str]):
        self.offered = list(offered.values())
        super().__init__("not acceptable: this answer is available as " + ", ".join(self.offered))


def offered_for(form: str) -> dict[str, str]:
    return GRAPH_TYPES if form in ("CONSTRUCT", "DESCRIBE") else RESULT_TYPES


def content_type(media: str) -> str:
    return f"{media}; charset=utf-8" if media.startswith(CHARSET_TYPES) else media


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """``[(media range, q)]`` in header order; an empty or missing header is ``*/*``."""
    ranges: list[tuple[str, float]] = []
    for part in (header or "*/*").split(","):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if not media:
            continue
        q = 1.0
        for parameter in pieces[1:]:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((media, q))
    return ranges or [("*/*", 1.0)]


def negotiate(accept: str | None, offered: dict[str, str], override: str | None = None) -> str:
    """The key (``json``, ``turtle``, ...) of the representation to send; NotAcceptable if none."""
    if override:
        key = ALIASES.get(override.strip().lower()) or _key_of(override.strip().lower(), offered)
        if key in offered:
            return key
        raise NotAcceptable(offered)
    best: tuple[float, int] | None = None
    chosen = None
    for index, key in enumerate(offered):
        media = offered[key]
        q = _quality(media, key, accept)
        if q <= 0:
            continue
        rank = (q, -index)
        if best is None or rank > best:
            best, chosen = rank, key
    if chosen is None:
        raise NotAcceptable(offered)
    return chosen


def _key_of(media: str, offered: dict[str, str]) -> str | None:
    for key, value in offered.items():
        if value == media:
            return key
    return ALIASES.get(media)


def _quality(media: str, key: str, accept: str | None) -> float:
    """The q the Accept header gives ``media`` (most specific range wins)."""
    kind = media.split("/")[0]
    best_specificity, q = -1, 0.0
    for rng, rq in parse_accept(accept):
        if rng == media or (ALIASES.get(rng) == key and "/" in rng):
            specificity = 3
        elif rng == f"{kind}/*":
            specificity = 2
        elif rng == "*/*":
            specificity = 1
        else:
            continue
        if specificity > best_specificity:
            best_specificity, q = specificity, rq
    return q


def wants_html(accept: str | None) -> bool:
    """True when a browser asks (text/html preferred to every RDF and results type)."""
    ranges = parse_accept(accept)
    html = max((q for m, q in ranges if m in ("text/html", "application/xhtml+xml")), default=0.0)
    other = max(
        (
            q
            for m, q in ranges
            if m in RESULT_TYPES.values() or m in GRAPH_TYPES.values() or m in ALIASES
        ),
        default=0.0,
    )
    return html > 0 and html >= other


# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DatasetSpec:
    """``default-graph-uri`` and ``named-graph-uri`` of a request (empty: the union, as built)."""

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()

    @property
    def given(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)

    def as_json(self) -> dict:
        return {"default": list(self.default_graphs), "named": list(self.named_graphs)}


def service_description(endpoint: str, graphs: list[str]) -> bytes:
    """The SPARQL 1.1 Service Description of the endpoint, in Turtle."""
    lines = [
        "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .",
        "@prefix formats: <http://www.w3.org/ns/formats/> .",
        "",
        "[] a sd:Service ;",
        f"  sd:endpoint <{endpoint}> ;",
        "  sd:supportedLanguage sd:SPARQL11Query ;",
        "  sd:feature sd:UnionDefaultGraph ;",
        "  sd:resultFormat formats:SPARQL_Results_JSON, formats:SPARQL_Results_XML, "
        "formats:SPARQL_Results_CSV, formats:SPARQL_Results_TSV, formats:Turtle, "
        "formats:N-Triples, formats:JSON-LD, formats:RDF_XML ;",
        "  sd:defaultDataset [",
        "    a sd:Dataset ;",
        "    sd:defaultGraph [ a sd:Graph ] ;  # the union of the source graphs",
    ]
    for graph in graphs:
        lines.append(f"    sd:namedGraph [ a sd:NamedGraph ; sd:name <{graph}> ] ;")
    lines.append("  ] .")
    return ("\n".join(lines) + "\n").encode("utf-8")
