"""build: small hand-written records and the exact statements they must give, graph by graph."""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode, Quad

from castgraph.build.mint import build
from castgraph.dates import parse_date
from castgraph.loaders.problems import Location
from castgraph.loaders.records import (
    Concept,
    Event,
    Fact,
    Name,
    Observation,
    Organization,
    Person,
    Post,
    Records,
    Relation,
    Source,
    Tenure,
)

ID = "https://w3id.org/castgraph/id/"
CAST = "https://w3id.org/castgraph/def#"
G = "https://w3id.org/castgraph/graph/"
XSD = "http://www.w3.org/2001/XMLSchema#"
ORG = "http://www.w3.org/ns/org#"
SKOS = "http://www.w3.org/2004/02/skos/core#"

SOURCES = (
    Source("000", "About Us", "seed", "A", speaks_for=parse_date("2022-12-31")),
    Source("001", "S&T Governing Bodies", "seed", "B", speaks_for=parse_date("1997~")),
)
CONCEPTS = (
    Concept("role", "director-general", "director general", "部长"),
    Concept("measure", "national-societies", "national member societies"),
)


def records(**parts) -> Records:
    return Records(sources=SOURCES, concepts=CONCEPTS, **parts)


def quads_of(rs: Records) -> set[tuple[str, str, str, str]]:
    return {
        (q.subject.value, q.predicate.value, str(q.object), q.graph_name.value)
        for q in build(rs).quads
    }


def n(iri: str) -> str:
    return str(NamedNode(iri))


def test_the_same_statement_from_two_sources_is_in_both_graphs():
    """One row per source: two rows saying the same thing put it in each source's graph."""
    name = "China Association for Science and Technology"
    rs = records(
        organizations=(
            Organization("cast", "formal-organization", (), "000"),
            Organization("cast", "formal-organization", (), "001"),
        ),
        names=(
            Name("cast", name, "en", "preferred", "000"),
            Name("cast", name, "en", "preferred", "001"),
        ),
    )
    got = quads_of(rs)
    label = str(Literal(name, language="en"))
    for key in ("000", "001"):
        assert (ID + "cast", SKOS + "prefLabel", label, G + key) in got
        assert (
            ID + "cast",
            "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
            n(ORG + "FormalOrganization"),
            G + key,
        ) in got


def test_a_partial_date_is_kept_as_given_with_a_key_and_a_precision():
    rs = records(
        organizations=(Organization("cast", "formal-organization", (), "000"),),
        facts=(Fact("cast", "founded", "1958-09", "000"),),
    )
    got = quads_of(rs)
    assert (
        ID + "cast",
        "https://schema.org/foundingDate",
        str(Literal("1958-09", datatype=NamedNode(XSD + "gYearMonth"))),
        G + "000",
    ) in got
    assert (
        ID + "cast",
        CAST + "foundingDateKey",
        str(Literal("1958-09-01", datatype=NamedNode(XSD + "date"))),
        G + "000",
    ) in got
    assert (
        ID + "cast",
        CAST + "foundingDatePrecision",
        str(Literal("10", datatype=NamedNode(XSD + "integer"))),
        G + "000",
    ) in got


def test_an_unfilled_post_has_no_holder_and_a_held_post_links_both_ways():
    rs = records(
        organizations=(Organization("unit", "unit", (), "000"),),
        persons=(Person("person-a", "000"),),
        names=(
            Name("unit", "General Office", "en", "preferred", "000"),
            Name("person-a", "Ren Fujun", "en", "preferred", "000"),
        ),
        posts=(
            Post("post-held", "unit", "director-general", "000"),
            Post(
                "post-blank",
                "unit",
                "director-general",
                "000",
                note="the source leaves the holder blank",
            ),
        ),
        tenures=(
            Tenure(
                "tenure-a", "person-a", "post-held", None, None, parse_date("2007"), True, "000"
            ),
        ),
    )
    got = quads_of(rs)
    assert (ID + "post-held", ORG + "heldBy", n(ID + "person-a"), G + "000") in got
    assert (ID + "person-a", ORG + "holds", n(ID + "post-held"), G + "000") in got
    assert not any(s == ID + "post-blank" and p == ORG + "heldBy" for s, p, _, _ in got)
    assert (
        ID + "post-held",
        "http://www.w3.org/2000/01/rdf-schema#label",
        str(Literal("director general, General Office", language="en")),
        G + "000",
    ) in got
    tenure = {(p, o) for s, p, o, _ in got if s == ID + "tenure-a"}
    assert (CAST + "post", n(ID + "post-held")) in tenure
    assert (ORG + "organization", n(ID + "unit")) in tenure
    assert (CAST + "asOf", str(Literal("2007", datatype=NamedNode(XSD + "gYear")))) in tenure
    assert (
        CAST + "concurrent",
        str(Literal("true", datatype=NamedNode(XSD + "boolean"))),
    ) in tenure
    assert (
        "http://www.w3.org/ns/prov#wasDerivedFrom",
        n("https://w3id.org/castgraph/source/000"),
    ) in tenure


def test_a_dated_tenure_gets_an_owl_time_interval_with_minted_iris():
    rs = records(
        organizations=(Organization("cast", "formal-organization", (), "000"),),
        persons=(Person("person-w", "000"),),
        posts=(Post("post-p", "cast", "director-general", "000"),),
        tenures=(
            Tenure(
                "tenure-w",
                "person-w",
                "post-p",
                parse_date("2016-06-02"),
                parse_date("2021-05"),
                None,
                False,
                "000",
            ),
        ),
    )
    got = quads_of(rs)
    assert (ID + "tenure-w", ORG + "memberDuring", n(ID + "tenure-w-during"), G + "000") in got
    assert (
        ID + "tenure-w-beginning",
        "http://www.w3.org/2006/time#inXSDDate",
        str(Literal("2016-06-02", datatype=NamedNode(XSD + "date"))),
        G + "000",
    ) in got
    assert (
        ID + "tenure-w",
        CAST + "endDate",
        str(Literal("2021-05-01", datatype=NamedNode(XSD + "date"))),
        G + "000",
    ) in got
    assert (
        ID + "tenure-w",
        CAST + "endPrecision",
        str(Literal("10", datatype=NamedNode(XSD + "integer"))),
        G + "000",
    ) in got


def test_a_figure_is_one_node_with_value_qualifier_date_and_source():
    rs = records(
        organizations=(Organization("cast", "formal-organization", (), "001"),),
        observations=(
            Observation(
                "obs-x", "cast", "national-societies", "165", "exact", parse_date("1997~"), "001"
            ),
        ),
    )
    got = {(p, o) for s, p, o, g in quads_of(rs) if s == ID + "obs-x" and g == G + "001"}
    assert (
        "http://purl.org/linked-data/sdmx/2009/measure#obsValue",
        str(Literal("165", datatype=NamedNode(XSD + "integer"))),
    ) in got
    assert (CAST + "qualifier", n(CAST + "Exact")) in got
    assert (
        CAST + "approximateDate",
        str(Literal("true", datatype=NamedNode(XSD + "boolean"))),
    ) in got
    assert (CAST + "dateKey", str(Literal("1997-01-01", datatype=NamedNode(XSD + "date")))) in got


def test_relations_state_both_directions_and_contacts_become_iris():
    rs = records(
        organizations=(
            Organization("cast", "formal-organization", (), "000"),
            Organization("dept", "unit", (), "000"),
        ),
        relations=(Relation("dept", "unit-of", "cast", "000"),),
        facts=(
            Fact("dept", "telephone", "86-10-68571878", "000"),
            Fact("cast", "email", "a@b.cn", "000"),
        ),
    )
    got = quads_of(rs)
    assert (ID + "dept", ORG + "unitOf", n(ID + "cast"), G + "000") in got
    assert (ID + "cast", ORG + "hasUnit", n(ID + "dept"), G + "000") in got
    assert (
        ID + "dept",
        "http://www.w3.org/2006/vcard/ns#hasTelephone",
        n("tel:+86-10-68571878"),
        G + "000",
    ) in got
    assert (
        ID + "cast",
        "http://www.w3.org/2006/vcard/ns#hasEmail",
        n("mailto:a@b.cn"),
        G + "000",
    ) in got


def test_a_merger_links_originals_and_result_both_ways():
    rs = records(
        organizations=tuple(
            Organization(i, "formal-organization", (), "000") for i in ("a", "b", "c")
        ),
        events=(Event("m", "merger", parse_date("1958-09"), "", ("a", "b"), "c", "000"),),
    )
    got = quads_of(rs)
    assert (ID + "m", ORG + "originalOrganization", n(ID + "a"), G + "000") in got
    assert (ID + "a", ORG + "changedBy", n(ID + "m"), G + "000") in got
    assert (ID + "c", ORG + "resultedFrom", n(ID + "m"), G + "000") in got


def test_the_registry_describes_every_source_and_graph():
    got = quads_of(records())
    registry = G + "registry"
    assert (
        G + "000",
        "http://www.w3.org/ns/prov#wasDerivedFrom",
        n("https://w3id.org/castgraph/source/000"),
        registry,
    ) in got
    assert (
        "https://w3id.org/castgraph/source/001",
        CAST + "speaksFor",
        str(Literal("1997", datatype=NamedNode(XSD + "gYear"))),
        registry,
    ) in got
    assert (
        "https://w3id.org/castgraph/source/001",
        CAST + "approximateDate",
        str(Literal("true", datatype=NamedNode(XSD + "boolean"))),
        registry,
    ) in got


def test_output_is_sorted_and_free_of_duplicates():
    rs = records(
        organizations=(
            Organization("cast", "formal-organization", (), "000"),
            Organization("cast", "formal-organization", (), "001"),
        ),
        names=(
            Name("cast", "CAST", "en", "acronym", "000"),
            Name("cast", "CAST", "en", "acronym", "001"),
        ),
    )
    quads = build(rs).quads
    assert len(set(quads)) == len(quads)
    keys = [(str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)) for q in quads]
    assert keys == sorted(keys)
    assert all(isinstance(q, Quad) for q in quads)
    assert Location("x", 3).__str__() == "x:3"


def test_minting_on_several_cores_gives_the_statements_one_core_gives():
    """Forked workers (``build.parallel``) each mint a share; merged, they are the same list.
    Run in a fresh process: forking the test process, with its threads, is not what a build does."""
    import subprocess
    import sys

    code = (
        "import hashlib, sys\n"
        "from castgraph.build import mint\n"
        "from castgraph.loaders import load_all\n"
        "from castgraph.paths import DATA_DIR\n"
        "records = load_all(DATA_DIR)\n"
        "for workers in (1, 2, 3):\n"
        "    built = mint.build(records, workers=workers)\n"
        "    text = built.nquads() + ''.join(built.union_lines()).encode()\n"
        "    print(len(built.statements), hashlib.sha256(text).hexdigest())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.split("\n")[:3]
    assert len(set(lines)) == 1
    assert int(lines[0].split()[0]) > 10_000


def test_a_build_collects_garbage_less_often_and_restores_the_collector_after():
    import gc

    from castgraph.build.collector import BUILD_THRESHOLDS, fewer_collections

    before, enabled = gc.get_threshold(), gc.isenabled()
    with fewer_collections():
        assert gc.get_threshold() == BUILD_THRESHOLDS
        assert gc.isenabled() == enabled  # not switched off: a cycle made by mistake is freed
    assert gc.get_threshold() == before
