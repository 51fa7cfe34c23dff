"""Time the HTML org chart in headless Chromium: opening, and opening a family of boxes.

    castgraph viz --dist-dir DIST --kinds all -o page.html
    python bench/bench_viz_page.py page.html [--family 3000] [--screenshot out.png]

Prints the milliseconds from navigation to the drawn, interactive chart (the page records it in
``body[data-ready-at]``), then the time to open the largest closed family the data has, and the
time to open a family of ``--family`` leaves added to the page's data under the root (the
synthetic data has no family of 3,000: a county has about 50 members), in a deflated block of
its own that is inflated when it is opened, as the page's large families are. Debian ``chromium``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from pathlib import Path

# time from the click to the boxes in the DOM (reading and inflating the family's block,
# indexing, laying out, drawing), and to the next frame painted
OPEN = """async (id) => { openPath(id); const t = performance.now(); await openFamily(id);
  const drawn = performance.now() - t;
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r)));
  return [drawn, performance.now() - t, document.querySelectorAll('#pane-a .box').length]; }"""
LARGEST = """() => { let best = null; for (const [id, {node}] of byId) {
  const n = node.n || (node.children || []).length;
  if (!open.has(id) && n && (!best || n > best[1])) best = [id, n]; } return best; }"""
# the added family gets its own deflated block, as the page writes a large family
ADD_FAMILY = """async (n) => { const root = DATA.snapshots[current].tree, members = [];
  for (let i = 0; i < n; i++) members.push({id: root.id + '#bench-' + i, kind: 'organization',
    relation: 'member-of', sources: ['003'], pinyin: 'jizhunzuzhi' + i,
    name: {en: 'Benchmark organization ' + i, 'zh-Hans': '基准组织' + i}});
  const stream = new Blob([JSON.stringify(members)]).stream().pipeThrough(new CompressionStream('deflate'));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  let bin = ''; for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  const block = document.createElement('script'); block.type = 'application/x-castgraph-deflate-base64';
  block.id = 'b-bench'; block.textContent = btoa(bin); document.body.append(block);
  const group = {id: root.id + '#bench', kind: 'category', relation: 'member-of', count: n, n,
    block: '-bench', name: {en: n + ' benchmark leaves', 'zh-Hans': ''}};
  open.delete(group.id); root.children = [...(root.children || []), group];
  index(group, root); redraw(); return group.id; }"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", type=Path)
    parser.add_argument("--family", type=int, default=3000)
    parser.add_argument("--screenshot", type=Path)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    browser_path = shutil.which("chromium") or shutil.which("chromium-browser")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=browser_path, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        started = time.perf_counter()
        page.goto(args.page.resolve().as_uri(), timeout=300_000)
        page.wait_for_selector("body[data-ready=true]", timeout=300_000)
        row = {
            "page_mb": round(args.page.stat().st_size / 1e6, 1),
            "ready_ms": int(page.get_attribute("body", "data-ready-at")),
            "wall_s": round(time.perf_counter() - started, 2),
            "boxes": page.locator("#pane-a .box").count(),
            "marks_ms": page.evaluate(
                "() => Object.fromEntries(performance.getEntriesByType('mark')"
                ".map((m) => [m.name.replace('castgraph-', ''), Math.round(m.startTime)]))"
            ),
        }
        largest = page.evaluate(LARGEST)
        if largest:
            ms, frame, boxes = page.evaluate(OPEN, largest[0])
            row["largest_family"] = {
                "size": largest[1],
                "open_ms": round(ms),
                "painted_ms": round(frame),
                "boxes": boxes,
            }
        group = page.evaluate(ADD_FAMILY, args.family)
        ms, frame, boxes = page.evaluate(OPEN, group)
        row["added_family"] = {
            "size": args.family,
            "open_ms": round(ms),
            "painted_ms": round(frame),
            "boxes": boxes,
        }
        if args.screenshot:
            page.screenshot(path=str(args.screenshot))
        browser.close()
    print(json.dumps(row))


if __name__ == "__main__":
    main()
