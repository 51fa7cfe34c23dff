"""The ontology: metadata, and every own term labelled, defined and anchored in a standard term."""

from __future__ import annotations

import rdflib
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from castgraph.namespaces import CAST
from castgraph.paths import ONTOLOGY_PATH

STANDARD = (
    "http://www.w3.org/ns/org#",
    "http://www.w3.org/2004/02/skos/core#",
    "http://www.w3.org/ns/prov#",
    "http://purl.org/dc/terms/",
    "http://xmlns.com/foaf/0.1/",
    "http://www.w3.org/2006/vcard/ns#",
    "https://schema.org/",
    "http://purl.org/linked-data/cube#",
    "http://purl.org/linked-data/sdmx/2009/",
    "http://www.w3.org/2006/time#",
    "http://wikiba.se/ontology#",
    "http://www.w3.org/2002/07/owl#",
)


def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY_PATH, format="turtle")


def own_terms(graph: rdflib.Graph) -> set[rdflib.URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, RDFS.Datatype)
    return {s for k in kinds for s in graph.subjects(RDF.type, k) if str(s).startswith(str(CAST))}


def test_ontology_metadata():
    graph = ontology()
    (onto,) = list(graph.subjects(RDF.type, OWL.Ontology))
    assert str(onto) == "https://w3id.org/castgraph/def"
    for prop in (
        DCTERMS.title,
        DCTERMS.description,
        OWL.versionInfo,
        DCTERMS.license,
        DCTERMS.creator,
    ):
        assert graph.value(onto, prop) is not None, prop


def test_every_term_is_labelled_and_defined():
    graph = ontology()
    terms = own_terms(graph)
    assert len(terms) > 20
    for term in terms:
        labels = {lit.language for lit in graph.objects(term, RDFS.label)}
        assert "en" in labels, term
        if (term, RDF.type, RDFS.Datatype) not in graph:
            assert "zh-Hans" in labels, term
        assert graph.value(term, SKOS.definition) is not None, term


def is_standard(term: rdflib.URIRef) -> bool:
    return str(term).startswith(STANDARD)


def test_every_class_and_property_extends_a_standard_term():
    graph = ontology()
    for term in own_terms(graph):
        if (term, RDF.type, RDFS.Datatype) in graph:
            continue
        parent_prop = (
            RDFS.subClassOf if (term, RDF.type, OWL.Class) in graph else RDFS.subPropertyOf
        )
        # walk up through our own terms until a standard one is reached
        seen, frontier, reached = set(), [term], False
        while frontier and not reached:
            current = frontier.pop()
            seen.add(current)
            for parent in graph.objects(current, parent_prop):
                if is_standard(parent):
                    reached = True
                elif parent not in seen:
                    frontier.append(parent)
        assert reached, f"{term} does not extend a standard term"


def test_every_cast_term_used_by_the_graph_is_defined(dataset):
    graph = ontology()
    defined = {str(s) for s in graph.subjects() if str(s).startswith(str(CAST))}
    used = set()
    for quad in dataset.quads:
        for term in (quad.predicate, quad.object):
            value = getattr(term, "value", "")
            if isinstance(value, str) and value.startswith(str(CAST)):
                used.add(value)
        datatype = getattr(quad.object, "datatype", None)
        if datatype is not None and datatype.value.startswith(str(CAST)):
            used.add(datatype.value)
    assert used - defined == set()
