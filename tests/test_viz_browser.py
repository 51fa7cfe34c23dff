"""The HTML org chart in a real headless Chromium (Debian `chromium`), driven by Playwright.

No request may leave the page: every URL other than the file itself is aborted and recorded.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def page_file(built_dist, tmp_path_factory):
    from conftest import invoke

    out = tmp_path_factory.mktemp("viz") / "cast.html"
    result = invoke(
        "viz", "--dataset", str(built_dist / "castgraph.trig"), "--kinds", "all", "-o", str(out)
    )
    assert result.exit_code == 0, result.stderr
    return out


@pytest.fixture
def page(browser, page_file):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    page = context.new_page()
    outside: list[str] = []

    def guard(route):
        if route.request.url.startswith(page_file.as_uri()):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(page_file.as_uri())
    page.wait_for_selector("body[data-ready=true]")
    yield page
    assert outside == [], f"the page tried to reach {outside}"
    assert errors == [], f"script errors: {errors}"
    context.close()


CAST = "https://w3id.org/castgraph/id/cast"
SHOTS = None


def shot(page, name: str) -> None:
    """A screenshot of the view for a person to look at; the directory is printed once."""
    global SHOTS
    if SHOTS is None:
        import tempfile

        SHOTS = Path(tempfile.mkdtemp(prefix="castgraph-viz-shots-"))
        print(f"\nscreenshots: {SHOTS}")
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def boxes(page, pane: str = "#pane-a") -> list[dict]:
    """Each drawn box: its id, kind, rectangle and its text lines' rectangles, in page pixels."""
    return page.eval_on_selector_all(
        f"{pane} .box",
        """els => els.map(b => {
            const r = b.querySelector('rect.frame').getBoundingClientRect();
            return {id: b.dataset.id, kind: b.dataset.kind, rect: [r.left, r.top, r.right, r.bottom],
                    texts: [...b.querySelectorAll(':scope > text')].map(t => {
                        const q = t.getBoundingClientRect();
                        return [t.textContent, q.left, q.top, q.right, q.bottom]; })};
        })""",
    )


def clashes(found: list[dict]) -> list:
    out = []
    for i, a in enumerate(found):
        ax1, ay1, ax2, ay2 = a["rect"]
        for text, x1, y1, x2, y2 in a["texts"]:
            if not (ax1 <= x1 and x2 <= ax2 and ay1 <= y1 and y2 <= ay2):
                out.append((a["id"], text))
        for b in found[i + 1 :]:
            bx1, by1, bx2, by2 = b["rect"]
            if ax1 < bx2 and bx1 < ax2 and ay1 < by2 and by1 < ay2:
                out.append((a["id"], b["id"]))
    return out


def test_opens_fast_on_a_top_down_chart_without_overlaps(page, page_file):
    page.goto(page_file.as_uri() + "?again")
    page.wait_for_selector("body[data-ready=true]")
    opened = int(page.get_attribute("body", "data-ready-at"))  # ms from navigation to drawn
    print(f"\ncurated graph, --kinds all: interactive {opened} ms after navigation")
    assert opened < 1000, f"interactive after {opened} ms"
    found = boxes(page)
    assert len(found) > 20
    assert clashes(found) == []
    by_id = {b["id"]: b for b in found}
    cast = by_id[CAST]
    departments = [b for b in found if b["id"].startswith("https://w3id.org/castgraph/id/hq-")]
    assert departments
    assert all(cast["rect"][3] < d["rect"][1] for d in departments)  # CAST above them
    merger = by_id["https://w3id.org/castgraph/id/event-1958-merger"]
    federation = by_id["https://w3id.org/castgraph/id/fed-science-popularization"]
    assert federation["rect"][3] < merger["rect"][1] < merger["rect"][3] < cast["rect"][1]
    dashed = page.eval_on_selector_all(
        "#pane-a .edge[data-kind=guided-by]",
        "els => els.map(e => e.getAttribute('stroke-dasharray'))",
    )
    assert dashed
    assert set(dashed) == {"5 3"}
    shot(page, "1-opening-2007")
    page.click("#expand")  # every group open: still no overlap
    assert clashes(boxes(page)) == []
    shot(page, "2-expanded-all")


def test_date_control_switches_the_lists_and_compares_side_by_side(page):
    def units(pane="#pane-a"):
        return {b["texts"][0][0] for b in boxes(page, pane) if b["kind"] == "unit"}

    assert "General Office" in units()
    assert any(t.startswith("Department of International") for t in units())
    page.click("#dates button:text('c.1997')")
    old = units()
    assert "Learned Societies Affairs" in old
    assert not any(t.startswith("Department of International") for t in old)
    assert page.inner_text("#pane-a .caption") == "headquarters as source 001 (1997) lists it"
    shot(page, "3-as-of-c1997")
    page.click("#dates button:text('2007')")
    page.click("#compare")
    assert page.is_visible("#pane-b")
    assert "Learned Societies Affairs" in units("#pane-b")
    assert "Learned Societies Affairs" not in units("#pane-a")
    assert clashes(boxes(page, "#pane-b")) == []
    shot(page, "4-compare-1997-2007")


def test_search_in_chinese_opens_the_path_and_chinese_mode_translates(page):
    page.click("#lang-zh")
    assert page.inner_text("#title").startswith("中国科学技术协会：")
    assert page.inner_text("#compare") == "对比"
    page.fill("#search", "北京市")
    expect(page.locator("#status")).to_have_text("1 个结果")
    match = page.locator("#pane-a .box.match")
    assert match.count() == 1
    assert match.locator("text.label").first.text_content() == "北京市科学技术协会"
    assert clashes(boxes(page)) == []
    greyed = page.eval_on_selector_all(
        "#pane-a text.fallback", "els => els.map(e => e.getAttribute('fill'))"
    )
    assert greyed
    assert set(greyed) == {"#8a949e"}  # names known only in English
    shot(page, "5-zh-search-beijing")
    page.fill("#search", "zhongguo nongxuehui")  # pinyin, without tones
    expect(page.locator("#status")).to_have_text("1 个结果")
    page.click("#lang-en")
    page.fill("#search", "Department of International Affairs")
    expect(page.locator("#status")).to_have_text("1 found")
    panel = page.inner_text("#panel")
    assert "director general\nZhang Jiansheng · in post 2007\nsources: 004" in panel
    assert "Administrative Departments (CAST English site, About us)" in panel
    shot(page, "6-search-department-facts")


def test_groups_open_on_their_members_and_collapse(page):
    group = "#pane-a .box[data-kind=society-group]"
    assert page.locator(group).count() == 0  # the societies category starts closed
    page.focus("#pane-a .box[data-id$='#society']")  # keyboard: Space opens and closes
    page.keyboard.press(" ")
    assert page.locator(group).count() == 5
    page.focus(group)
    page.keyboard.press(" ")
    assert page.locator("#pane-a .box[data-kind=society]").count() > 10
    found = boxes(page)
    assert clashes(found) == []
    lefts = {round(b["rect"][0]) for b in found if b["kind"] == "society"}
    assert len(lefts) > 1  # a large family is a grid of columns, not one tall column
    shot(page, "7-societies-opened")
    page.focus(group)
    page.keyboard.press(" ")
    assert page.locator("#pane-a .box[data-kind=society]").count() == 0


def test_permalink_keyboard_popover_and_export(page, page_file):
    target = "https://w3id.org/castgraph/id/hq-international-affairs"
    page.goto(page_file.as_uri() + "#" + target)
    page.wait_for_selector("body[data-ready=true]")
    assert page.locator("#pane-a .box.selected").get_attribute("data-id") == target
    page.focus(f"#pane-a .box[data-id='{CAST}']")
    page.keyboard.press("ArrowDown")
    first = page.evaluate("document.activeElement.dataset.id")
    assert first.startswith("https://w3id.org/castgraph/id/hq-")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.dataset.id") == CAST
    page.locator("#pane-a .edge[data-kind=unit-of]").first.click(force=True)
    assert "unit of" in page.inner_text("#popover")
    assert "004" in page.inner_text("#popover")
    with page.expect_download() as svg_download:
        page.click("#export-svg")
    svg = Path(svg_download.value.path()).read_text(encoding="utf-8")
    assert svg.startswith("<svg")
    assert ">China Association for<" in svg  # wrapped: the first line of its name
    with page.expect_download() as png_download:
        page.click("#export-png")
    png = Path(png_download.value.path()).read_bytes()
    assert len(set(decode_png(png))) > 5


def test_screenshot_is_not_blank(page):
    pixels = decode_png(page.screenshot(full_page=False))
    assert len(set(pixels)) > 20
    assert sum(1 for p in pixels if p != (255, 255, 255)) > len(pixels) // 100


def decode_png(data: bytes) -> list[tuple[int, int, int]]:
    """RGB pixels of an 8-bit RGB or RGBA PNG (what Chromium writes), without extra libraries."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks, width = 8, b"", 0
    while pos < len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = (
                int.from_bytes(body[:4], "big"),
                int.from_bytes(body[4:8], "big"),
                body[8],
                body[9],
            )
            assert depth == 8
            assert color in (2, 6)
            channels = 3 if color == 2 else 4
        elif kind == b"IDAT":
            chunks += body
        pos += 12 + length
    raw = zlib.decompress(chunks)
    stride = width * channels
    pixels, previous = [], bytearray(stride)
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (
                    line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)
                ) & 255
        pixels.extend(
            tuple(line[i : i + 3]) for i in range(0, stride, channels * 7)
        )  # every 7th pixel
        previous = line
    return pixels


def test_facts_panel_fits_a_narrow_screen(page):
    page.set_viewport_size({"width": 480, "height": 900})
    page.fill("#search", "Department of International Affairs")
    fits = page.evaluate(
        """() => { const p = document.getElementById('panel');
        return [document.documentElement.scrollWidth, p.scrollWidth, p.clientWidth]; }"""
    )
    assert fits[0] <= 480, f"the page is {fits[0]} px wide"
    assert fits[1] <= fits[2], f"the panel overflows: {fits}"
    assert "Zhang Jiansheng" in page.inner_text("#panel")
    shot(page, "8-narrow-screen")


def test_a_deflated_page_reads_and_shows_facts(browser, store, tmp_path):
    """Large graphs get their data deflated; the page inflates it natively and works the same."""
    from castgraph.viz.html import render_html
    from castgraph.viz.structure import load_structure
    from castgraph.viz.tree import build_tree

    tree, _ = build_tree(load_structure(store), kinds=("units", "societies"))
    out = tmp_path / "deflated.html"
    out.write_bytes(render_html(tree, "en", "deflated", deflate=True))
    assert b'type="application/x-castgraph-deflate-base64"' in out.read_bytes()
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(out.as_uri())
    page.wait_for_selector("body[data-ready=true]")
    assert page.locator("#pane-a .box[data-kind=society]").count() == 0  # not read yet
    page.focus("#pane-a .box[data-id$='#society']")  # a deflated family is inflated when opened
    page.keyboard.press(" ")
    page.wait_for_selector("#pane-a .box[data-kind=society-group]")
    page.focus("#pane-a .box[data-kind=society-group]")
    page.keyboard.press(" ")
    page.wait_for_selector("#pane-a .box[data-kind=society]")
    assert clashes(boxes(page)) == []
    page.fill("#search", "Department of International Affairs")
    expect(page.locator("#status")).to_have_text("1 found")
    expect(page.locator("#panel")).to_contain_text("Zhang Jiansheng")
    assert errors == []
    context.close()
