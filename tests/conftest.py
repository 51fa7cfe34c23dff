"""Shared fixtures: the real dataset built once per session, and an in-process CLI runner."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from castgraph.paths import DATA_DIR, ROOT_DIR

REPO_DIR = ROOT_DIR


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite golden and expected-result files instead of comparing with them.",
    )


@pytest.fixture(scope="session")
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


@pytest.fixture(scope="session")
def records():
    from castgraph.loaders import load_all

    return load_all(DATA_DIR)


@pytest.fixture(scope="session")
def dataset(records):
    """The real graph, built from data/ (a BuiltDataset: sorted quads + sources)."""
    from castgraph.build.mint import build

    return build(records)


@pytest.fixture(scope="session")
def curated(dataset):
    """The real graph as a Dataset, as `castgraph query` reads it (union in the default graph)."""
    from castgraph.dataset.store import from_nquads

    return from_nquads(dataset.nquads())


@pytest.fixture(scope="session")
def store(curated):
    """The store of the real graph (union in the default graph, named graphs as built)."""
    return curated.store


@pytest.fixture(scope="session")
def built_store(dataset):
    """The real graph exactly as built (empty default graph), as the build checks it."""
    from pyoxigraph import RdfFormat, Store

    store = Store()
    store.bulk_load(input=dataset.nquads(), format=RdfFormat.N_QUADS)
    return store


@pytest.fixture(scope="session")
def built_dist(tmp_path_factory, dataset) -> Path:
    """A dist/ folder written by `castgraph build` once per session."""
    dist = tmp_path_factory.mktemp("dist")
    result = invoke("build", "--out", str(dist))
    assert result.exit_code == 0, result.stderr
    return dist


@dataclass(frozen=True)
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


def invoke(*args: str, input: str | bytes | None = None) -> CliResult:
    """Run `castgraph ARGS` in-process with the same exit-code mapping as the real command."""
    from castgraph.cli import run

    runner = CliRunner()
    with runner.isolation(input=input) as streams:
        code = run([str(a) for a in args])
    out, err = streams[0], streams[1]
    return CliResult(code, out.getvalue().decode("utf-8"), err.getvalue().decode("utf-8"))


@pytest.fixture
def cli():
    return invoke


@pytest.fixture(autouse=True)
def _no_network(request, monkeypatch):
    """Tests never reach the network; tests marked `server` or `browser` may use loopback only."""
    real_connect = socket.socket.connect

    def guarded(sock, address, *rest):
        host = address[0] if isinstance(address, tuple) else address
        allowed = isinstance(host, str) and (
            host in ("localhost", "::1") or host.startswith("127.")
        )
        if not allowed and sock.family in (socket.AF_INET, socket.AF_INET6):
            raise OSError(f"network access blocked in tests: {address!r}")
        return real_connect(sock, address, *rest)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium driven by Playwright, one per test module."""
    import shutil

    from castgraph.viz.png import CHROMIUM_FLAGS

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("Debian chromium is not installed (.ci/run installs it)")
    playwright = pytest.importorskip("playwright.sync_api")
    flags = [flag for flag in CHROMIUM_FLAGS if flag != "--headless"]  # Playwright adds its own
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=flags)
        yield browser
        browser.close()
