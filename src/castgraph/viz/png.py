"""PNG by rasterizing our SVG in headless Chromium (Debian `chromium`), with a CJK font installed."""

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


def render_png(svg: bytes) -> bytes:
    browser = find_chromium()
    if browser is None:
        raise EnvironmentProblem(
            "png needs headless Chromium: install it (Debian: apt-get install chromium fonts-wqy-microhei)"
        )
    match = re.search(rb'width="(\d+)" height="(\d+)"', svg)
    width, height = (int(match.group(1)), int(match.group(2))) if match else (1600, 1200)
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "tree.svg"
        page.write_bytes(svg)
        out = Path(tmp) / "tree.png"
        done = subprocess.run(
            [
                browser,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={tmp}/profile",
                f"--screenshot={out}",
                f"--window-size={width},{height}",
                page.as_uri(),
            ],
            capture_output=True,
            timeout=120,
            check=False,
        )
        if not out.exists():
            raise EnvironmentProblem(
                f"chromium did not write a PNG: {done.stderr.decode(errors='replace').strip()[-200:]}"
            )
        return out.read_bytes()
