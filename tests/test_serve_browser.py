"""The server's pages in a real headless Chromium (Debian `chromium`), driven by Playwright:
the entity page, search, the query page running a library query with a parameter, and the org
chart's date control. No request may leave the server: anything else is aborted and recorded."""

from __future__ import annotations

import pytest

from serve_support import running_server

pytestmark = [pytest.mark.browser, pytest.mark.server]


@pytest.fixture(scope="module")
def server(built_dist):
    with running_server(built_dist, "--workers", "2") as served:
        yield served


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    page = context.new_page()
    outside: list[str] = []
    errors: list[str] = []

    def guard(route):
        if route.request.url.startswith(server.base + "/"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert outside == []
    assert errors == []


def test_entity_page_shows_names_hierarchy_sources_and_links(page, server):
    page.goto(server.base + "/id/hq-international-affairs")
    assert page.locator("#name-en").inner_text() == "Department of International Affairs"
    assert page.locator("ol.up a").first.inner_text() == (
        "China Association for Science and Technology"
    )
    assert page.locator("#statements .src").count() > 3
    assert page.locator("#posts tbody tr").count() >= 1
    # stylesheet served from the package
    color = page.evaluate("getComputedStyle(document.querySelector('header.top')).display")
    assert color == "flex"
    page.locator("ol.up a").first.click()
    page.wait_for_url("**/id/cast")
    assert "中国科学技术协会" in page.locator("h1").inner_text()
    assert page.locator("#figures tbody tr").count() > 10
    assert page.locator("#disagreements .side-by-side").count() >= 1


def test_search_finds_names_in_chinese_and_people(page, server):
    page.goto(server.base + "/")
    page.fill("form.search input[name=q]", "怀进鹏")
    page.press("form.search input[name=q]", "Enter")
    page.wait_for_selector("ol.results li a")
    first = page.locator("ol.results li a").first
    assert first.inner_text() == "Huai Jinpeng"
    first.click()
    page.wait_for_url("**/id/person-huai-jinpeng")
    assert page.locator("#held tbody tr").count() >= 1


def test_query_page_runs_a_library_query_with_a_parameter(page, server):
    page.goto(server.base + "/query?name=who-held-which-post-at-a-date")
    page.wait_for_selector("form#query-form[data-ready=true]")
    date = page.locator("input[data-param=date]")
    assert date.count() == 1
    date.fill("1985-01-01")
    page.click("#run")
    page.wait_for_selector("#result-table tbody tr")
    assert "Zhou Peiyuan" in page.locator("#result-table").inner_text()
    assert "rows in" in page.locator("#status").inner_text()
    csv_link = page.locator("#dl-csv").get_attribute("href")
    assert csv_link.startswith("/queries/who-held-which-post-at-a-date?")
    assert "date=1985-01-01" in csv_link
    assert "format=csv" in csv_link
    # own SPARQL and an error
    page.select_option("#library", "")
    page.fill("#query", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    page.click("#run")
    page.wait_for_selector("#error:not([hidden])")
    assert "400" in page.locator("#error").inner_text()


def test_orgchart_date_control(page, server):
    page.goto(server.base + "/orgchart")
    frame = page.frame_locator("#chart")
    latest = frame.locator("#title").inner_text()
    page.fill("#as-of", "1998")
    page.click("#orgchart-form button")
    page.wait_for_url("**/orgchart?as_of=1998*")
    frame = page.frame_locator("#chart")
    title = frame.locator("#title").inner_text()
    assert "001" in title
    assert title != latest
