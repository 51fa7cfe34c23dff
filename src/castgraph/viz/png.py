"""PNG and PDF from our SVG by headless Chromium (Debian `chromium`), with a CJK font installed.

PDF: Chromium's own ``--print-to-pdf`` on a page whose ``@page`` size is the SVG's, so the text
stays vector text; no Python PDF library is needed (cairosvg would need libcairo and fonts too).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from castgraph.errors import EnvironmentProblem

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _size(svg: bytes) -> tuple[int, int]:
    match = re.search(rb'width="(\d+)" height="(\d+)"', svg)
    return (int(match.group(1)), int(match.group(2))) if match else (1600, 1200)


def render_pdf(svg: bytes) -> bytes:
    """One page exactly the size of the picture."""
    width, height = _size(svg)
    body = svg.split(b"?>", 1)[1] if svg.startswith(b"<?xml") else svg
    page = (
        b"<!DOCTYPE html><html><head><meta charset='utf-8'><style>"
        b"@page { size: %dpx %dpx; margin: 0 } html, body { margin: 0 } svg { display: block }"
        b"</style></head><body>%s</body></html>" % (width, height + 1, body)
    )
    return _chromium(page, "pdf", ["--no-pdf-header-footer", "--print-to-pdf={out}"], width, height)


def render_png(svg: bytes) -> bytes:
    width, height = _size(svg)
    return _chromium(
        svg, "png", ["--screenshot={out}", f"--window-size={width},{height}"], width, height
    )


def _chromium(page_bytes: bytes, kind: str, flags: list[str], width: int, height: int) -> bytes:
    browser = find_chromium()
    if browser is None:
        raise EnvironmentProblem(
            f"{kind} needs headless Chromium: install it (Debian: apt-get install chromium fonts-wqy-microhei)"
        )
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / ("tree.svg" if kind == "png" else "tree.html")
        page.write_bytes(page_bytes)
        out = Path(tmp) / f"tree.{kind}"
        done = subprocess.run(
            [
                browser,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={tmp}/profile",
                *(flag.format(out=out) for flag in flags),
                page.as_uri(),
            ],
            capture_output=True,
            timeout=120,
            check=False,
        )
        if not out.exists():
            raise EnvironmentProblem(
                f"chromium did not write a {kind.upper()}: {done.stderr.decode(errors='replace').strip()[-200:]}"
            )
        return out.read_bytes()
