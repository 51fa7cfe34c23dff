"""JSON-LD a web developer can use without knowing RDF, read back without any network access.

The tree and flat documents are read here with `json.load` only, as a front-end would.
"""

from __future__ import annotations

import json

import pytest
from pyld import jsonld as pyld_jsonld
from pyoxigraph import Literal, NamedNode, Quad

from castgraph.errors import InputError
from castgraph.export import jsonld, jsonld_read
from castgraph.export.formats import export_bytes, parse_quads
from castgraph.namespaces import ID, RDF
from conftest import REPO_DIR
from test_roundtrip import fixture_dataset

CONTEXT_FILE = REPO_DIR / "ontology" / "context.jsonld"


def tree_of(quads) -> dict:
    return json.loads(export_bytes(quads, "jsonld-tree"))


def flat_of(quads) -> dict:
    return json.loads(export_bytes(quads, "jsonld"))


def by_id(nodes: list[dict]) -> dict[str, dict]:
    return {n["id"]: n for n in nodes}


# ----------------------------------------------------------------------------------------------
# The context


def test_the_context_is_json_ld_1_1_with_short_keys_for_ids_types_and_names():
    context = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]
    assert context["@version"] == 1.1
    assert context["id"] == "@id"
    assert context["type"]["@id"] == "@type"
    assert context["name"] == {"@id": "skos:prefLabel", "@container": "@language"}
    assert context["altName"]["@container"] == ["@language", "@set"]
    assert context["acronym"]["@container"] == ["@language", "@set"]
    for link in (
        "unitOf",
        "hasUnit",
        "subOrganizationOf",
        "memberOf",
        "post",
        "postIn",
        "heldBy",
        "role",
        "classification",
        "about",
        "measure",
    ):
        assert context[link]["@type"] == "@id", link
    # Dates keep their own datatype (gYear, gYearMonth or date); only the xsd:date keys are typed.
    assert context["foundingDate"] == "schema:foundingDate"
    assert context["foundingDateKey"]["@type"] == "xsd:date"


def test_the_context_is_served_locally_under_its_published_url():
    assert jsonld.CONTEXT_URL == "https://w3id.org/castgraph/context.jsonld"
    loader = jsonld.document_loader()
    assert loader(jsonld.CONTEXT_URL, {})["document"] == json.loads(
        CONTEXT_FILE.read_text(encoding="utf-8")
    )
    with pytest.raises(pyld_jsonld.JsonLdError, match="Refusing"):
        loader("https://schema.org/", {})


def test_every_property_and_class_of_the_real_data_has_a_short_key(dataset):
    """A web developer never meets a CURIE as a key: extend the context with each new term."""
    flat = flat_of(dataset.quads)
    keys, types = set(), set()
    for graph in flat["@graph"]:
        for node in graph["@graph"]:
            keys |= set(node)
            types |= set(node.get("type", []))
    assert {k for k in keys if ":" in k} == set()
    assert {t for t in types if ":" in t} == set()


# ----------------------------------------------------------------------------------------------
# The flat form


def test_the_flat_form_keeps_one_graph_object_per_named_graph_sorted_by_id():
    quads = fixture_dataset().quads
    flat = flat_of(quads)
    assert flat["@context"] == jsonld.context_document()["@context"]  # embedded by default
    assert list(flat) == ["@context", "@graph"]
    graph_ids = [g["id"] for g in flat["@graph"]]
    assert graph_ids == sorted(graph_ids)
    assert set(graph_ids) == {"graph:" + q.graph_name.value.rsplit("/", 1)[1] for q in quads}
    for graph in flat["@graph"]:
        assert list(graph) == ["id", "@graph"]
        ids = [n["id"] for n in graph["@graph"]]
        assert ids == sorted(ids)
        assert len(ids) == len(set(ids))


def test_values_read_naturally_in_the_flat_form():
    graphs = by_id(flat_of(fixture_dataset().quads)["@graph"])
    in_000 = by_id(graphs["graph:000"]["@graph"])
    cast = in_000["cid:cast"]
    assert cast["type"] == ["FormalOrganization"]
    assert cast["name"] == {
        "en": "China Association for Science and Technology",
        "zh-Hans": "中国科学技术协会",
    }
    assert cast["acronym"] == {"en": ["CAST"], "zh-Hans": ["中国科协"]}
    assert cast["foundingDate"] == {"@value": "1958-09", "@type": "xsd:gYearMonth"}
    assert cast["foundingDateKey"] == "1958-09-01"
    assert cast["foundingDatePrecision"] == 10
    assert cast["homepage"] == "http://www.cast.org.cn/"
    figure = in_000["cid:obs-000-national-societies"]
    assert figure["value"] == 217
    assert figure["qualifier"] == "Exact"
    assert figure["about"] == "cid:cast"
    assert figure["measure"] == "concept:national-societies"
    assert figure["date"] == {"@value": "2022-12-31", "@type": "xsd:date"}
    assert figure["derivedFrom"] == ["src:000"]
    tenure = in_000["cid:tenure-wang-fang-general-office-ddg"]
    assert tenure["concurrent"] is True
    assert tenure["asOf"] == {"@value": "2022", "@type": "xsd:gYear"}


def test_disagreeing_sources_stay_in_their_own_graphs():
    graphs = by_id(flat_of(fixture_dataset().quads)["@graph"])
    values = {
        g: n["value"]
        for g in ("graph:000", "graph:s02")
        for n in graphs[g]["@graph"]
        if n.get("measure") == "concept:national-societies"
    }
    assert values == {"graph:000": 217, "graph:s02": 210}


@pytest.mark.parametrize(
    ("lexical", "datatype", "expected"),
    [
        ("217", "integer", 217),
        ("9007199254740991", "integer", 9007199254740991),
        # Beyond 2**53 a JavaScript number is inexact: the value stays a typed string.
        ("9007199254740993", "integer", {"@value": "9007199254740993", "@type": "xsd:integer"}),
        ("007", "integer", {"@value": "007", "@type": "xsd:integer"}),
        ("47.10", "decimal", {"@value": "47.10", "@type": "xsd:decimal"}),
    ],
)
def test_numbers_become_json_numbers_only_when_nothing_is_lost(lexical, datatype, expected):
    figure = Quad(
        NamedNode(ID["obs-x"]),
        NamedNode("http://purl.org/linked-data/sdmx/2009/measure#obsValue"),
        Literal(lexical, datatype=NamedNode("http://www.w3.org/2001/XMLSchema#" + datatype)),
        NamedNode("https://w3id.org/castgraph/graph/000"),
    )
    flat = flat_of([figure])
    assert flat["@graph"][0]["@graph"][0]["value"] == expected
    assert parse_quads(export_bytes([figure], "jsonld"), "jsonld") == [figure]


# ----------------------------------------------------------------------------------------------
# The tree


def test_the_tree_reads_with_plain_json_access():
    tree = tree_of(fixture_dataset().quads)
    assert tree["@context"] == jsonld.context_document()["@context"]
    assert tree["id"] == "cid:cast"
    assert tree["name"]["en"] == "China Association for Science and Technology"
    assert tree["name"]["zh-Hans"] == "中国科学技术协会"
    units = {u["name"]["en"]: u for u in tree["hasUnit"]}
    assert list(units) == ["General Office"]
    office = units["General Office"]
    assert office["name"]["zh-Hans"] == "办公厅"
    assert [d["name"]["en"] for d in office["hasSubOrganization"]] == [
        'Secretariat Division (the "Mishuchu")'
    ]
    posts = {p["role"]["name"]["en"]: p for p in office["hasPost"]}
    assert sorted(posts) == ["deputy director general", "director general"]
    deputies = posts["deputy director general"]
    assert [h["name"]["en"] for h in deputies["heldBy"]] == ["Li Ming", "Wang Fang"]
    assert deputies["heldBy"][0]["name"]["zh-Hans"] == "李明"
    assert [t["asOf"]["@value"] for t in deputies["tenures"]] == ["2022", "2022"]
    assert [t.get("concurrent", False) for t in deputies["tenures"]] == [False, True]
    assert "heldBy" not in posts["director general"]  # the unfilled post
    president = tree["hasPost"][0]
    assert president["heldBy"][0]["name"] == {"en": "Zhang Wei", "zh-Hans": "张伟"}
    assert president["tenures"][0]["startDate"] == {"@value": "2016-05", "@type": "xsd:gYearMonth"}


def test_what_the_tree_does_not_show_is_under_included():
    tree = tree_of(fixture_dataset().quads)
    included = by_id(tree["included"])
    assert [n["id"] for n in tree["included"]] == sorted(included)
    figures = [n for n in tree["included"] if "Figure" in n.get("type", [])]
    assert sorted(f["value"] for f in figures if f["measure"] == "concept:national-societies") == [
        165,
        210,
        217,
    ]
    assert included["cid:chinese-chemical-society"]["memberOf"] == ["cid:cast"]


def test_a_tree_without_its_root_is_the_flat_union():
    quad = Quad(
        NamedNode(ID["other"]),
        NamedNode(RDF.type),
        NamedNode("http://www.w3.org/ns/org#FormalOrganization"),
        NamedNode("https://w3id.org/castgraph/graph/000"),
    )
    tree = tree_of([quad])
    assert tree["@graph"] == [{"id": "cid:other", "type": ["FormalOrganization"]}]


# ----------------------------------------------------------------------------------------------
# Reading back offline


def test_json_ld_is_read_back_without_the_network_even_when_pyld_would_fetch(monkeypatch):
    """Our calls always pass the frozen loader: pyld's default (which could fetch) is never used."""

    def no_fetch(url, options=None):
        raise AssertionError(f"pyld's default loader was asked for {url}")

    monkeypatch.setattr(pyld_jsonld, "_default_document_loader", no_fetch)
    data = export_bytes(fixture_dataset().quads, "jsonld-tree")
    assert len(parse_quads(data, "jsonld-tree")) > 0


@pytest.mark.parametrize(
    "context",
    ["https://example.org/context.jsonld", "file:///etc/passwd", "context.jsonld"],
)
def test_other_contexts_are_refused_before_any_parser_sees_them(context):
    document = json.dumps({"@context": context, "@id": "https://e/x", "https://e/p": "v"})
    with pytest.raises(InputError, match="refusing to load remote context"):
        jsonld_read.for_rdflib(document)
    with pytest.raises(InputError, match=r"^JSON-LD: (Refusing to load document|Found invalid)"):
        jsonld_read.to_quads(document.encode())


def test_an_import_inside_a_context_is_refused():
    document = json.dumps({"@context": {"@import": "https://e/ctx"}, "@id": "https://e/x"})
    with pytest.raises(InputError, match="@import"):
        jsonld_read.for_rdflib(document)
    with pytest.raises(InputError, match="Refusing to load document"):
        jsonld_read.to_quads(document.encode())


def test_malformed_json_is_bad_input():
    with pytest.raises(InputError, match="bad JSON"):
        jsonld_read.to_quads(b'{"@id": ')
    with pytest.raises(InputError, match="nested too deeply"):
        jsonld_read.to_quads(b"[" * 100_000 + b"]" * 100_000)


def test_language_tags_take_their_bcp47_case():
    assert jsonld.bcp47_case("zh-hans") == "zh-Hans"
    assert jsonld.bcp47_case("zh-latn-pinyin") == "zh-Latn-pinyin"
    assert jsonld.bcp47_case("en-gb") == "en-GB"
    assert jsonld.bcp47_case("EN") == "en"


def test_a_front_end_reads_the_real_tree_file_with_json_load_only(cli, tmp_path, records):
    """Every department's posts, and who holds them, straight from the file."""
    out = tmp_path / "tree.jsonld"
    assert cli("export", "--from-data", "-f", "jsonld-tree", "-o", out).exit_code == 0
    with out.open(encoding="utf-8") as handle:
        doc = json.load(handle)

    def texts(value) -> set[str]:  # one name per language, or a list when sources differ
        return {value} if isinstance(value, str) else set(value)

    english: dict[str, set[str]] = {}
    for n in records.names:
        if n.type == "preferred" and n.lang == "en":
            english.setdefault(n.id, set()).add(n.name)
    holders: dict[str, set[str]] = {}
    for tenure in records.tenures:
        holders.setdefault(tenure.post, set()).update(english.get(tenure.person, set()))
    units_of_cast = {
        r.subject for r in records.relations if (r.relation, r.object) == ("unit-of", "cast")
    }

    assert {u["id"].removeprefix("cid:") for u in doc["hasUnit"]} == units_of_cast
    for unit in doc["hasUnit"]:
        # a unit a source names only in Chinese (hq2024-general-office) has no English name
        assert texts(unit["name"].get("en", [])) == english.get(
            unit["id"].removeprefix("cid:"), set()
        )
        for post in unit.get("hasPost", []):
            post_id = post["id"].removeprefix("cid:")
            held_by = post.get("heldBy", [])
            names = set().union(*(texts(p["name"]["en"]) for p in held_by if "en" in p["name"]))
            assert names == holders.get(post_id, set()), post_id
