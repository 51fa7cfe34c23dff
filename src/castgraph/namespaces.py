"""Every namespace and prefix castgraph uses, defined once, as plain strings.

Plain strings keep this module free of heavy imports; the RDF libraries wrap them as they need.
"""

from __future__ import annotations

import re

BASE = "https://w3id.org/castgraph/"


class Namespace:
    """An IRI prefix; ``NS.term`` and ``NS["term"]`` give full IRIs as ``str``.

    Not a ``str`` subclass, so that terms named like string methods (``dct:title``,
    ``dct:format``) resolve to IRIs rather than to methods.
    """

    __slots__ = ("_base",)

    def __init__(self, base: str):
        self._base = base

    def __getattr__(self, name: str) -> str:
        if name.startswith("__"):
            raise AttributeError(name)
        return self._base + name

    def __getitem__(self, name: str) -> str:
        return self._base + name

    def __add__(self, name: str) -> str:
        return self._base + name

    def __str__(self) -> str:
        return self._base

    def __repr__(self) -> str:
        return f"Namespace({self._base!r})"


CAST = Namespace(BASE + "def#")  # the castgraph ontology (our own terms)
ID = Namespace(BASE + "id/")  # entities: organizations, units, persons, posts, tenures, figures
CONCEPT = Namespace(BASE + "concept/")  # SKOS concepts: kinds, roles, measures, discipline groups
SCHEME = Namespace(BASE + "concept/scheme/")
SOURCE = Namespace(BASE + "source/")  # source documents
GRAPH = Namespace(BASE + "graph/")  # named graphs, one per source document
SHAPES = Namespace(BASE + "shapes#")

ORG = Namespace("http://www.w3.org/ns/org#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
PROV = Namespace("http://www.w3.org/ns/prov#")
DCT = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SDO = Namespace("https://schema.org/")
QB = Namespace("http://purl.org/linked-data/cube#")
SDMX_MEASURE = Namespace("http://purl.org/linked-data/sdmx/2009/measure#")
SDMX_ATTRIBUTE = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")
TIME = Namespace("http://www.w3.org/2006/time#")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
SH = Namespace("http://www.w3.org/ns/shacl#")
WD = Namespace("http://www.wikidata.org/entity/")
# Used only by the dataset's own description (graph:dataset); not in the prefix table, so that
# the prefix block of every serialization stays as it was.
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SPDX = Namespace("http://spdx.org/rdf/terms#")

REGISTRY_GRAPH = GRAPH + "registry"  # describes every source and every named graph
VOCABULARY_GRAPH = GRAPH + "vocabulary"  # the SKOS concept schemes of data/concepts.csv
DATASET_GRAPH = GRAPH + "dataset"  # our description of the dataset: VoID + DCAT, the release
DATASET = BASE + "dataset"  # the dataset itself (void:Dataset, dcat:Dataset)
LICENSE = "https://creativecommons.org/licenses/by/4.0/"

# Fixed prefix table for every serialization (order matters for byte-stable output).
PREFIXES: dict[str, str] = {
    "cast": str(CAST),
    "cid": str(ID),
    "concept": str(CONCEPT),
    "scheme": str(SCHEME),
    "src": str(SOURCE),
    "graph": str(GRAPH),
    "shp": str(SHAPES),
    "org": str(ORG),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dct": str(DCT),
    "foaf": str(FOAF),
    "vcard": str(VCARD),
    "schema": str(SDO),
    "qb": str(QB),
    "sdmx-measure": str(SDMX_MEASURE),
    "sdmx-attribute": str(SDMX_ATTRIBUTE),
    "time": str(TIME),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "sh": str(SH),
    "wd": str(WD),
}


def sparql_prefixes() -> str:
    """The PREFIX block for SPARQL text."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def shorten(iri: str) -> str:
    """A CURIE for ``iri`` when a known prefix covers it, else ``<iri>``."""
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            best = prefix
    if best:
        local = iri[len(PREFIXES[best]) :]
        if local and all(c.isalnum() or c in "-_." for c in local) and not local.endswith("."):
            return f"{best}:{local}"
    return f"<{iri}>"


_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def expand_iri(value: str) -> str | None:
    """A full IRI from a full IRI, a CURIE over the project prefixes, or a bare ``cid:`` slug."""
    value = value.strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    prefix, colon, local = value.partition(":")
    if colon and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    if _SLUG.fullmatch(value):
        return ID[value]
    if colon and re.fullmatch(r"[A-Za-z][A-Za-z0-9+.\-]*", prefix):
        return value
    return None
