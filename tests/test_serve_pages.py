"""The entity page, rendered without a server: what the server and the static site both show."""

from __future__ import annotations

import re

import pytest

from castgraph.namespaces import ID
from castgraph.web.entity import entity_rdf, gather
from castgraph.web.pages import ServerLinks, StaticLinks, render_entity_page, static_assets


@pytest.fixture(scope="module")
def cast_page(curated) -> str:
    return render_entity_page(curated, ID["cast"], ServerLinks())


def test_cast_page_names_kind_and_sources(cast_page):
    assert "China Association for Science and Technology" in cast_page
    assert "中国科学技术协会" in cast_page
    assert "FormalOrganization" in cast_page or "formal organization" in cast_page.lower()
    # every statement carries its source key and the date the source speaks for
    assert re.search(r'class="src"[^>]*>000 <span class="date">2022-12-31</span>', cast_page)


def test_cast_page_figures_posts_and_disagreements(cast_page):
    assert '<section id="figures">' in cast_page
    assert "national member societies" in cast_page
    assert "217" in cast_page
    assert '<section id="posts">' in cast_page
    assert '<a href="/id/person-huai-jinpeng">' in cast_page
    assert '<section id="disagreements">' in cast_page
    assert '<div class="side-by-side">' in cast_page


def test_unit_page_hierarchy_up_to_cast_and_one_level_down(curated):
    entity = gather(curated, ID["hq-international-affairs"])
    assert [t.value for _, t in entity.up][-1] == ID["cast"]
    assert ID["hq-intl-bilateral-cooperation"] in {t.value for _, t in entity.down}
    html = render_entity_page(curated, ID["hq-international-affairs"])
    assert '<ol class="up">' in html
    assert 'href="/id/cast"' in html


def test_person_page_lists_posts_held_with_dates(curated):
    entity = gather(curated, ID["person-huai-jinpeng"])
    held = {post.value: holder for post, holder in entity.held}
    assert held[ID["post-cast-party-secretary"]].start == "2017-08"
    assert held[ID["post-cast-party-secretary"]].end == "2021-07"


def test_static_links_are_relative(curated):
    html = render_entity_page(curated, ID["hq-international-affairs"], StaticLinks())
    assert 'href="../../id/cast/index.html"' in html
    assert 'href="../../static/castgraph.css"' in html
    assert 'href="../../id/hq-international-affairs/index.ttl"' in html
    assert 'href="/' not in html  # no server path leaks into a static page
    assert "castgraph.css" in static_assets()


def test_unknown_entity_is_a_key_error(curated):
    with pytest.raises(KeyError):
        render_entity_page(curated, ID["no-such-thing"])


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "jsonld"])
def test_entity_rdf(curated, fmt):
    data = entity_rdf(curated, ID["cast"], fmt)
    assert b"w3id.org/castgraph/id/cast" in data or b"cid:cast" in data


@pytest.mark.parametrize(
    ("text", "fast"),
    [
        ("ASK { ?s ?p ?o }", True),
        ("SELECT ?name WHERE { ?x <http://e/p> '中国科协' }", True),
        ("SELECT * WHERE { SERVICE <http://e/> { ?s ?p ?o } }", False),
        ("select * where { sErViCe <http://e/> { ?s ?p ?o } }", False),
        ("SELECT * WHERE { ſervice <http://e/> { ?s ?p ?o } }", False),  # long s folds to s
        ("SELECT * WHERE { ＳＥＲＶＩＣＥ <http://e/> { ?s ?p ?o } }", False),  # fullwidth
        (r"SELECT * WHERE { \u0053ERVICE <http://e/> { ?s ?p ?o } }", False),
        ("SELECT * FROM <http://e/x> WHERE { ?s ?p ?o }", False),
        ("LOAD <http://e/x>", False),
        ("ASK { ?s ?p 'nothing from here' }", False),  # the word anywhere: the full guard
    ],
)
def test_only_texts_without_egress_words_skip_the_rdflib_parse(text, fast):
    from castgraph.web.worker import cannot_leave

    assert cannot_leave(text) is fast


def test_the_fast_path_still_checks_nesting():
    from castgraph.web.worker import Problem, cannot_leave

    with pytest.raises(Problem, match="nesting"):
        cannot_leave("ASK " + "{" * 5000 + "}" * 5000)


def test_an_iri_that_would_close_its_brackets_is_refused(curated):
    hostile = ID["x> ?p ?o } SERVICE <http://127.0.0.1:9/> { ?a ?b ?c } #"]
    with pytest.raises(KeyError):
        render_entity_page(curated, hostile)
    with pytest.raises(ValueError, match="not an IRI"):
        entity_rdf(curated, hostile, "turtle")


def test_the_page_modules_need_no_web_framework():
    """`castgraph site` renders the same pages without starlette or uvicorn."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import castgraph.web.pages, castgraph.web.entity\n"
        "print(sorted(m for m in ('starlette', 'uvicorn') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_entity_turtle_lists_its_prefixes_in_the_projects_order(curated):
    """pyoxigraph writes @prefix lines in hash-map order; the page's Turtle must not vary."""
    from castgraph.namespaces import PREFIXES

    text = entity_rdf(curated, str(ID["cast"]), "turtle").decode("utf-8")
    names = [line.split()[1][:-1] for line in text.splitlines() if line.startswith("@prefix ")]
    order = list(PREFIXES)
    assert names == sorted(names, key=order.index)


def test_partial_dates_that_contain_each_other_do_not_disagree(curated):
    """1958-09 (most sources) and 1958-09-23 (S02) are one founding, as where-sources-differ says;
    two different home pages are a disagreement."""
    entity = gather(curated, str(ID["cast"]))
    disputed = {d.predicate_label for d in entity.disagreements}
    assert "schema:foundingDate" not in disputed
    assert "foaf:homepage" in disputed
