"""The HTML org chart in a real headless Chromium (Debian `chromium`), driven by Playwright.

No request may leave the page: every URL other than the file itself is aborted and recorded.
"""

from __future__ import annotations

import shutil
import zlib

import pytest

from castgraph.viz.png import CHROMIUM_FLAGS

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [flag for flag in CHROMIUM_FLAGS if flag != "--headless"]  # Playwright adds its own


@pytest.fixture(scope="module")
def page_file(built_dist, tmp_path_factory):
    from conftest import invoke

    out = tmp_path_factory.mktemp("viz") / "cast.html"
    result = invoke(
        "viz", "--dataset", str(built_dist / "castgraph.trig"), "--kinds", "all", "-o", str(out)
    )
    assert result.exit_code == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("Debian chromium is not installed (.ci/run installs it)")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, page_file):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
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
    yield page
    assert outside == [], f"the page tried to reach {outside}"
    assert errors == [], f"script errors: {errors}"
    context.close()


def test_search_finds_the_department_and_a_click_shows_its_head_and_source(page):
    page.fill("#search", "Department of International Affairs")
    assert page.inner_text("#status") == "1 found"
    match = page.locator(".name.match")
    assert match.count() == 1
    assert match.inner_text() == "Department of International Affairs"
    match.click()
    panel = page.inner_text("#panel")
    assert "Department of International Affairs" in panel
    assert "director general\tZhang Jiansheng\tsource 004" in panel
    assert "Administrative Departments (CAST English site, About us)" in panel


def test_search_in_chinese_and_switch_language(page):
    page.click("#lang-zh")
    root = page.locator(".name").first
    assert root.inner_text() == "中国科学技术协会"
    page.fill("#search", "北京市")
    assert page.locator(".name.match").inner_text() == "北京市科学技术协会"
    page.click("#lang-en")
    assert (
        page.locator(".name").first.inner_text() == "China Association for Science and Technology"
    )


def test_tree_collapses_and_expands(page):
    item = page.locator("li[data-id='https://w3id.org/castgraph/id/hq-international-affairs']")
    toggle = item.locator(":scope > .toggle")
    division = item.locator("li").first
    assert division.is_visible()
    toggle.click()
    assert not division.is_visible()
    toggle.click()
    assert division.is_visible()


def test_screenshot_is_not_blank(page, tmp_path):
    shot = page.screenshot(full_page=False)
    pixels = decode_png(shot)
    distinct = len(set(pixels))
    non_white = sum(1 for p in pixels if p != (255, 255, 255))
    assert distinct > 20
    assert non_white > len(pixels) // 100


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
