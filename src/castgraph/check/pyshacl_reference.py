"""pyshacl, the reference SHACL engine the store engine is compared with (tests and benchmarks).

One place for how castgraph runs it: inference none, advanced features off, no owl:imports, no
FROM <url> fetched, the ontology beside the data; and for reading its report in the store engine's
spelling (focus, path, component, severity as N-Triples strings). pyshacl is a test dependency
(the ``test`` extra); nothing on a command's path imports this module.
"""

from __future__ import annotations

from castgraph.paths import ONTOLOGY_PATH, SHAPES_DIR

Key = tuple[str, str, str, str]  # focus, path, component, severity


def shapes_graph():
    """The project's shapes as one rdflib graph."""
    import rdflib

    shapes = rdflib.Graph(bind_namespaces="none")
    for path in sorted(SHAPES_DIR.glob("*.ttl")):
        shapes.parse(data=path.read_bytes(), format="turtle")
    return shapes


def data_graph(ntriples: bytes):
    """The union graph (as N-Triples) with the ontology beside it, as pyshacl validates it."""
    import rdflib

    graph = rdflib.Graph(bind_namespaces="none")
    graph.parse(data=ntriples, format="nt")
    graph.parse(data=ONTOLOGY_PATH.read_bytes(), format="turtle")
    return graph


def validate(data, shapes):
    """pyshacl's report graph for ``data`` against ``shapes`` (both rdflib graphs)."""
    import rdflib.plugins.sparql
    from pyshacl import validate as shacl_validate

    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False  # never fetch FROM <url>
    _, report, _ = shacl_validate(
        data,
        shacl_graph=shapes,
        inference="none",
        allow_warnings=True,
        allow_infos=True,
        advanced=False,
        do_owl_imports=False,
    )
    return report


def report_keys(report) -> set[Key]:
    """The results of a pyshacl report, spelled as the store engine spells them."""
    from pyoxigraph import NamedNode, RdfFormat, parse

    from castgraph.check.shacl_paths import SH, ShapesGraph, path_sparql

    graph = ShapesGraph(
        list(parse(report.serialize(format="nt").encode(), format=RdfFormat.N_TRIPLES))
    )
    keys = set()
    for result in graph.subjects(NamedNode(SH + "resultSeverity")):
        path = graph.one(result, NamedNode(SH + "resultPath"))
        keys.add(
            (
                str(graph.one(result, NamedNode(SH + "focusNode"))),
                path_sparql(graph, path) if path is not None else "",
                graph.one(result, NamedNode(SH + "sourceConstraintComponent")).value,
                graph.one(result, NamedNode(SH + "resultSeverity")).value,
            )
        )
    return keys
