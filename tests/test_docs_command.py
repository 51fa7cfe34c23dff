"""`castgraph docs`: HTML pages for the ontology and the shapes, offline and deterministic."""

from __future__ import annotations

import html
from html.parser import HTMLParser
from typing import ClassVar

import pytest
import rdflib

from castgraph.docs.render import render_docs
from castgraph.namespaces import OWL, RDF, RDFS, SH, shorten
from castgraph.paths import ONTOLOGY_PATH, SHAPES_DIR

PAGES = ("index.html", "ontology.html", "shapes.html")


class Page(HTMLParser):
    """Ids, links and tags of one page, and whether every element it opens is closed."""

    VOID: ClassVar[set[str]] = {"meta", "br", "hr", "img", "input", "link"}

    def __init__(self, text: str):
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.tags: list[str] = []
        self.open: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if "href" in attributes:
            self.links.append(attributes["href"])
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        assert self.open[-1:] == [tag], f"</{tag}> closes {self.open[-1:]}"
        self.open.pop()


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return {name: data.decode("utf-8") for name, data in render_docs().items()}


@pytest.fixture(scope="module")
def parsed(pages) -> dict[str, Page]:
    return {name: Page(text) for name, text in pages.items()}


def ontology_graph() -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(ONTOLOGY_PATH, format="turtle")
    return graph


def test_the_command_writes_three_pages(cli, tmp_path):
    result = cli("docs", "-o", tmp_path / "docs")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "docs").iterdir()) == sorted(PAGES)
    assert result.stdout == ""


def test_every_term_of_the_ontology_has_its_section_with_both_labels(pages, parsed):
    graph = ontology_graph()
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, RDFS.Datatype)
    terms = {
        s
        for kind in kinds
        for s in graph.subjects(RDF_TYPE, rdflib.URIRef(kind))
        if isinstance(s, rdflib.URIRef)
    }
    assert terms
    page = pages["ontology.html"]
    for term in terms:
        anchor = shorten(str(term)).replace(":", "-")
        assert anchor in parsed["ontology.html"].ids, term
        section = page[page.index(f'id="{anchor}"') :].split("</section>", 1)[0]
        for label in graph.objects(term, rdflib.URIRef(RDFS.label)):
            assert html.escape(str(label)) in section, (term, label)


def test_terms_link_to_the_standard_terms_they_extend(pages):
    page = pages["ontology.html"]
    tenure = page[page.index('id="cast-Tenure"') :].split("</section>", 1)[0]
    assert '<a href="http://www.w3.org/ns/org#Membership"><code>org:Membership</code></a>' in tenure
    assert "任职" in tenure
    assert 'href="shapes.html#shp-TenureShape"' in tenure
    ledby = page[page.index('id="cast-ledBy"') :].split("</section>", 1)[0]
    assert 'href="http://www.w3.org/ns/org#linkedTo"' in ledby


def test_every_shape_and_message_is_documented_with_its_severity(pages, parsed):
    shapes = rdflib.Graph()
    for path in sorted(SHAPES_DIR.glob("*.ttl")):
        shapes.parse(path, format="turtle")
    page = pages["shapes.html"]
    node_shapes = set(shapes.subjects(RDF_TYPE, rdflib.URIRef(SH.NodeShape)))
    assert node_shapes
    for shape in node_shapes:
        assert shorten(str(shape)).replace(":", "-") in parsed["shapes.html"].ids
    for message in shapes.objects(None, rdflib.URIRef(SH.message)):
        assert html.escape(str(message)) in page, message


def test_constraints_are_spelled_out_in_words(pages):
    page = pages["shapes.html"]
    post = page[page.index('id="shp-PostShape"') :].split("</section>", 1)[0]
    assert "every instance of org:Post" in post
    assert "<li>exactly one value</li><li>each value is an IRI</li>" in post
    assert "each value is an instance of skos:Concept" in post
    figure = page[page.index('id="shp-FigureShape"') :].split("</section>", 1)[0]
    assert (
        "each value is a literal of type xsd:date or is a literal of type xsd:gYear "
        "or is a literal of type xsd:gYearMonth"
    ) in figure
    warning_row = figure[figure.index("an undated figure") :].split("</tr>", 1)[0]
    assert 'sev-Warning">Warning' in warning_row
    organization = page[page.index('id="shp-OrganizationShape"') :].split("</section>", 1)[0]
    assert "at least one value that has a language tag in: zh" in organization
    assert 'sev-Info">Info' in organization
    assert "SELECT $this WHERE" in organization  # the SPARQL constraint is shown
    unit = page[page.index('id="shp-UnitShape"') :].split("</section>", 1)[0]
    assert "path: (org:unitOf | org:subOrganizationOf)" in unit


def test_pages_are_self_contained_and_well_formed(pages, parsed):
    for name, text in pages.items():
        page = parsed[name]
        assert page.open == [], name
        assert "style" in page.tags
        assert not {"script", "link", "img", "iframe", "object"} & set(page.tags), name
        assert "url(" not in text, name
        assert "@import" not in text, name
        for link in page.links:
            if link.startswith("#"):
                assert link[1:] in page.ids, (name, link)
            elif link.split("#")[0] in PAGES and "#" in link:
                target, anchor = link.split("#")
                assert anchor in parsed[target].ids, (name, link)


def test_pages_are_identical_from_run_to_run(pages):
    again = {name: data.decode("utf-8") for name, data in render_docs().items()}
    assert again == pages


def test_unreadable_input_is_bad_input(cli, tmp_path):
    missing = cli("docs", "-o", tmp_path / "d", "--ontology", tmp_path / "none.ttl")
    assert missing.exit_code == 3
    assert "none.ttl: file not found" in missing.stderr
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix : <x> .\n:a :b \n")
    bad = cli("docs", "-o", tmp_path / "d", "--ontology", broken)
    assert bad.exit_code == 3
    assert bad.stderr.startswith(str(broken)) or "broken.ttl" in bad.stderr
    empty = tmp_path / "no-shapes"
    empty.mkdir()
    none = cli("docs", "-o", tmp_path / "d", "--shapes-dir", empty)
    assert none.exit_code == 3
    assert "no shapes" in none.stderr
    assert not (tmp_path / "d").exists()


RDF_TYPE = rdflib.URIRef(RDF.type)
