"""`castgraph site`: a static website of the graph, crawled for broken links, built twice to the
same bytes, its description checked against its files, and opened in headless Chromium from
file:// and from a static server in a sub-path."""

from __future__ import annotations

import hashlib
import html
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ENDPOINT = "https://query.example.org/castgraph/sparql"
REPO_DIR = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def site(built_dist, tmp_path_factory) -> Path:
    from conftest import invoke

    out = tmp_path_factory.mktemp("site") / "public"
    started = time.perf_counter()
    result = invoke(
        "site", "-o", out, "--dist-dir", built_dist, "--sparql-endpoint", ENDPOINT, "-j", "2"
    )
    seconds = time.perf_counter() - started
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("site: ")
    print(f"castgraph site on the curated graph: {seconds:.1f} s")
    return out


def tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_layout(site):
    for name in (
        "index.html",
        "id/cast/index.html",
        "id/cast.ttl",
        "id/cast.jsonld",
        "id/person-huai-jinpeng/index.html",
        "def/index.html",
        "def/ontology.html",
        "orgchart/index.html",
        "search/index.html",
        "static/castgraph.css",
        "dumps/castgraph.trig",
        "dumps/castgraph.nq",
        "dumps/castgraph.ttl",
        "dumps/castgraph.jsonld",
        "dumps/csv/organizations.csv",
        "dumps/SHA256SUMS",
        "void.ttl",
    ):
        assert (site / name).is_file(), name
    pages = list((site / "id").glob("*/index.html"))
    assert len(pages) > 1000
    assert len(list((site / "id").glob("*.ttl"))) == len(pages)
    assert len(list((site / "id").glob("*.jsonld"))) == len(pages)
    # the entity page is the server's page (same templates), with relative links
    page = (site / "id/hq-international-affairs/index.html").read_text(encoding="utf-8")
    assert '<ol class="up">' in page
    assert 'href="../../id/cast/index.html"' in page
    assert 'href="../../static/castgraph.css"' in page
    assert (
        '<link rel="alternate" type="text/turtle" href="../../id/hq-international-affairs.ttl">'
        in page
    )


_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)\b([^>]*)>")
_ATTRIBUTE = re.compile(r'\b(href|src|action|id)="([^"]*)"')


def page_links(text: str) -> tuple[list[tuple[str, str, str]], set[str]]:
    """(tag, attribute, value) of every href, src and action, and every id, of one page."""
    links, ids = [], set()
    for tag, attributes in _TAG.findall(text):
        for name, value in _ATTRIBUTE.findall(attributes):
            value = html.unescape(value)
            if name == "id":
                ids.add(value)
            else:
                links.append((tag.lower(), name, value))
    return links, ids


def test_every_internal_link_and_asset_resolves_and_nothing_is_fetched_elsewhere(site):
    broken, fetched_elsewhere, absolute_paths = [], [], []
    checked = 0
    for page in sorted(site.rglob("*.html")):
        links, ids = page_links(page.read_text(encoding="utf-8"))
        for tag, _attribute, value in links:
            parts = urlsplit(value)
            if parts.scheme or parts.netloc:
                # a link to another site is fine; loading anything from one is not
                if tag != "a":
                    fetched_elsewhere.append((page, value))
                continue
            if value.startswith("/"):
                absolute_paths.append((page, value))  # would break below a sub-path
                continue
            if not parts.path:
                if parts.fragment and parts.fragment not in ids:
                    broken.append((page, value))
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            checked += 1
            if site.resolve() not in (target, *target.parents):
                broken.append((page, value))
            elif target.is_dir():
                if not (target / "index.html").is_file():
                    broken.append((page, value))
            elif not target.is_file():
                broken.append((page, value))
    assert broken == []
    assert fetched_elsewhere == []
    assert absolute_paths == []
    assert checked > 10000
    css = (site / "static/castgraph.css").read_text(encoding="utf-8")
    assert "url(" not in css
    assert "@import" not in css


def test_the_site_is_byte_identical_from_run_to_run(site, built_dist, tmp_path):
    again = tmp_path / "again"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "castgraph",
            "site",
            "-o",
            str(again),
            "--dist-dir",
            str(built_dist),
            "--sparql-endpoint",
            ENDPOINT,
            "-j",
            "1",  # one process here, two in the fixture: the same bytes
        ],
        check=True,
        env=env,
        capture_output=True,
    )
    first, second = tree_digest(site), tree_digest(again)
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


def test_void_describes_the_release_the_dumps_and_their_checksums(site):
    from pyoxigraph import RdfFormat, Store

    store = Store()
    void = site / "void.ttl"
    store.load(path=str(void), format=RdfFormat.TURTLE, base_iri=void.as_uri())
    dcat, spdx = "http://www.w3.org/ns/dcat#", "http://spdx.org/rdf/terms#"
    rows = list(
        store.query(
            f"""SELECT ?url ?sum ?size WHERE {{
              <https://w3id.org/castgraph/dataset> <{dcat}distribution> ?d .
              ?d <{dcat}downloadURL> ?url ; <{dcat}byteSize> ?size ;
                 <{spdx}checksum>/<{spdx}checksumValue> ?sum }}"""
        )
    )
    names = set()
    for row in rows:
        path = Path(unquote(urlsplit(row["url"].value).path))
        assert path.is_file()
        assert hashlib.sha256(path.read_bytes()).hexdigest() == row["sum"].value
        assert path.stat().st_size == int(row["size"].value)
        names.add(path.name)
    assert {"castgraph.trig", "castgraph.nq", "castgraph.ttl", "castgraph.jsonld"} <= names
    assert "organizations.csv" in names
    (meta,) = list(
        store.query(
            """SELECT ?v ?d ?e WHERE { <https://w3id.org/castgraph/dataset>
              <http://www.w3.org/2002/07/owl#versionInfo> ?v ; <http://purl.org/dc/terms/issued> ?d ;
              <http://rdfs.org/ns/void#sparqlEndpoint> ?e }"""
        )
    )
    assert meta["e"].value == ENDPOINT
    graphs = list(
        store.query(
            "SELECT ?g ?n WHERE { <https://w3id.org/castgraph/dataset> "
            "<http://rdfs.org/ns/void#subset> ?g . ?g <http://rdfs.org/ns/void#triples> ?n }"
        )
    )
    assert len(graphs) > 190
    sums = (site / "dumps/SHA256SUMS").read_text(encoding="utf-8").splitlines()
    for line in sums:
        digest, name = line.split("  ")
        assert hashlib.sha256((site / "dumps" / name).read_bytes()).hexdigest() == digest
    home = (site / "index.html").read_text(encoding="utf-8")
    assert meta["v"].value in home
    assert meta["d"].value in home


def test_entity_rdf_beside_the_page(site):
    from pyoxigraph import RdfFormat, parse

    from castgraph.export.jsonld import CONTEXT_URL
    from castgraph.export.jsonld_read import to_quads

    triples = list(parse(path=str(site / "id/cast.ttl"), format=RdfFormat.TURTLE))
    assert any(t.subject.value == "https://w3id.org/castgraph/id/cast" for t in triples)
    # compact JSON-LD whose context is the site's own copy, beside the id/ folder
    data = (site / "id/cast.jsonld").read_bytes()
    assert b'"@context": "../context.jsonld"' in data
    assert (site / "context.jsonld").read_bytes() == (
        REPO_DIR / "ontology/context.jsonld"
    ).read_bytes()
    quads = to_quads(data.replace(b"../context.jsonld", CONTEXT_URL.encode()))
    assert {str(q.triple) for q in quads} == {str(t) for t in triples}


def test_search_index_has_english_chinese_acronyms_and_people(site):
    import json
    import re

    page = (site / "search/index.html").read_text(encoding="utf-8")
    data = json.loads(
        re.search(r'<script type="application/json" id="index">(.*?)</script>', page, re.S).group(1)
    )
    names = {row[0] for row in data["n"]}
    assert "China Association for Science and Technology" in names
    assert "中国科学技术协会" in names
    assert "CAST" in names
    slugs = {row[0] for row in data["e"]}
    assert "person-huai-jinpeng" in slugs


# ---------------------------------------------------------------------------------------------
# In a real browser


@pytest.fixture(scope="module")
def static_server(site):
    """python's http.server in a thread, serving the site below /mirror/castgraph/."""
    import functools
    import http.server
    import threading

    top = site.parent / "served"
    (top / "mirror").mkdir(parents=True, exist_ok=True)
    link = top / "mirror" / "castgraph"
    if not link.exists():
        link.symlink_to(site, target_is_directory=True)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(top))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/mirror/castgraph/"
    server.shutdown()
    server.server_close()


def _open(browser, allowed: str):
    context = browser.new_context()
    page = context.new_page()
    outside: list[str] = []
    errors: list[str] = []

    def guard(route):
        if route.request.url.startswith(allowed):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return context, page, outside, errors


@pytest.mark.browser
@pytest.mark.parametrize("where", ["file", "http"])
def test_entity_page_and_search_in_chromium(browser, site, static_server, where):
    base = site.as_uri() + "/" if where == "file" else static_server
    context, page, outside, errors = _open(browser, base)
    try:
        page.goto(base + "id/hq-international-affairs/index.html")
        assert page.inner_text("#name-en") == "Department of International Affairs"
        css = page.evaluate("getComputedStyle(document.querySelector('header.top')).display")
        assert css == "flex"  # the stylesheet was loaded through its relative href
        page.click("ol.up a >> text=China Association for Science and Technology")
        page.wait_for_url("**/id/cast/index.html")
        assert "中国科学技术协会" in page.inner_text("h1")

        # the header's search box leads to the search page, which answers in the browser
        page.fill("header.top input[name=q]", "国际")
        page.press("header.top input[name=q]", "Enter")
        page.wait_for_url("**/search/index.html?q=*")
        page.wait_for_selector("#results li")
        assert "result" in page.inner_text("#count")
        page.fill("#q", "Huai Jinpeng")
        first = page.locator("#results li a").first
        assert first.inner_text() == "Huai Jinpeng"
        first.click()
        page.wait_for_url("**/id/person-huai-jinpeng/index.html")
        assert '<section id="held">' in page.content()

        page.goto(base + "search/index.html?q=" + "中国科学技术协会")
        assert page.locator("#results li a").first.inner_text() == (
            "China Association for Science and Technology"
        )
        page.goto(base + "search/index.html?q=CAST")
        hrefs = page.eval_on_selector_all("#results li a", "els => els.map(e => e.href)")
        assert base + "id/cast/index.html" in hrefs
    finally:
        context.close()
    assert outside == [], f"the site tried to reach {outside}"
    assert errors == [], f"script errors: {errors}"


def test_odd_slugs_get_no_page_and_no_link(tmp_path, cli):
    """An IRI below id/ whose slug could leave id/ or collide with a SLUG.ttl file: no page."""
    from castgraph.publish.site import SiteLinks, site_slug

    assert site_slug("https://w3id.org/castgraph/id/cast") == "cast"
    for odd in ("..", ".", "cast.ttl", "a b", "x%2F..", ""):
        assert site_slug("https://w3id.org/castgraph/id/" + odd) is None
    assert SiteLinks().entity("https://w3id.org/castgraph/id/..") is None
    assert SiteLinks().alternate("https://w3id.org/castgraph/id/cast", "nt") is None


def test_a_dataset_file_with_odd_slugs_builds_a_site_that_resolves(tmp_path, cli):
    data = tmp_path / "small.nq"
    g = "<https://w3id.org/castgraph/graph/000>"
    data.write_text(
        f'<https://w3id.org/castgraph/id/cast> <http://www.w3.org/2004/02/skos/core#prefLabel> "CAST"@en {g} .\n'
        f"<https://w3id.org/castgraph/id/cast> <http://www.w3.org/ns/org#hasUnit> <https://w3id.org/castgraph/id/cast.ttl> {g} .\n"
        f'<https://w3id.org/castgraph/id/cast.ttl> <http://www.w3.org/2004/02/skos/core#prefLabel> "dot"@en {g} .\n',
        encoding="utf-8",
    )
    out = tmp_path / "site"
    result = cli("site", "-o", out, "--dataset", data)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("site: 1 entity pages")
    assert (out / "id/cast/index.html").is_file()
    assert (out / "id/cast.ttl").is_file()
    assert not (out / "id/cast.ttl/index.html").exists()
