"""The hostile-input corpus (tests/hostile/cases.yaml) through the real command line.

Each case runs `python -m castgraph ...` in a subprocess (a crash, a hang or a segfault must show
as such), killed at 3x its time budget. Checked for each: the exit code, one line on stderr
matching the expected message and no traceback, the wall time, that no output was written
when the command failed (no half-written file, no temporary file left), and, by an address-space
cap on each process (3 GiB), that no case needs much memory. A loopback listener
stands in for every URL a query or document names; it must see no request at all.
"""

from __future__ import annotations

import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from castgraph.paths import DATA_DIR

HOSTILE = Path(__file__).parent / "hostile"
CASES = yaml.safe_load((HOSTILE / "cases.yaml").read_text(encoding="utf-8"))
sys.path.insert(0, str(HOSTILE))
from generate import make  # noqa: E402

_PLACEHOLDER = re.compile(r"\{(file|gen|text):([^}]+)\}|\{(dist|out|data|canary)\}")


class Canary:
    """An HTTP listener on 127.0.0.1 that answers everything and counts the requests."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        canary = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                canary.requests.append(f"{self.command} {self.path}")
                body = b'{"head":{"vars":["x"]},"results":{"bindings":[]}}'
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_HEAD = _answer

            def log_message(self, *args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="session")
def canary():
    listener = Canary()
    yield listener
    listener.close()


MEMORY_CAP = 3 * 2**30  # address space of each case's process: hostile input stays cheap


def _memory_cap() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


@dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    stderr: str
    seconds: float
    leftovers: tuple[str, ...]


def _run_case(case: dict, root: Path, dist: Path, canary_url: str) -> Outcome:
    folder = root / re.sub(r"\W+", "-", case["id"]).strip("-")[:60]
    folder.mkdir(parents=True)
    gen = root.parent / "generated"
    out = folder / "out"
    out.mkdir()
    data = folder / "data"

    def substitute(text: str) -> str:
        def one(match: re.Match) -> str:
            kind, name, simple = match.groups()
            if simple == "dist":
                return str(dist)
            if simple == "out":
                return str(out)
            if simple == "data":
                return str(data)
            if simple == "canary":
                return canary_url
            if kind == "file":
                return str(HOSTILE / "files" / name)
            if kind == "text":
                return make(name, gen).read_text(encoding="utf-8")
            return str(make(name, gen))

        return _PLACEHOLDER.sub(one, text)

    if "data" in case:
        shutil.copytree(DATA_DIR, data)
        target = data / case["data"]["file"]
        source = substitute(case["data"].get("from", ""))
        if "append" in case["data"]:
            with target.open("ab") as handle:
                handle.write(case["data"]["append"].encode("utf-8"))
            source = None
        else:
            target.unlink()
        if source is None:
            pass
        elif source.startswith("/dev/") or not Path(source).is_file():
            os.symlink(source, target)  # special files keep their nature through a link
        else:
            shutil.copyfile(source, target)
    args = [substitute(str(a)) for a in case["args"]]
    stdin = substitute(case["stdin"]).encode("utf-8") if "stdin" in case else None
    started = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "castgraph", *args],
            input=stdin,
            stdin=None if stdin is not None else subprocess.DEVNULL,
            capture_output=True,
            timeout=3 * case["seconds"] + 5,
            cwd=folder,
            preexec_fn=_memory_cap,
        )
        code, stdout, stderr = done.returncode, done.stdout, done.stderr
    except subprocess.TimeoutExpired as expired:
        code, stdout, stderr = -999, expired.stdout or b"", b"killed: no answer in time"
    seconds = time.monotonic() - started
    leftovers = tuple(sorted(str(p.relative_to(out)) for p in out.rglob("*")))
    return Outcome(
        code,
        stdout.decode("utf-8", "replace"),
        stderr.decode("utf-8", "replace"),
        seconds,
        leftovers,
    )


@pytest.fixture(scope="session")
def outcomes(tmp_path_factory, built_dist, canary) -> dict[str, Outcome]:
    """Every case, run two at a time (the machine has two cores)."""
    root = tmp_path_factory.mktemp("hostile") / "cases"
    (root.parent / "generated").mkdir()
    for case in CASES:  # generate the big inputs once, before the clock of any case starts
        for match in _PLACEHOLDER.finditer(str(case)):
            if match.group(1) in ("gen", "text"):
                make(match.group(2), root.parent / "generated")
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {
            case["id"]: pool.submit(_run_case, case, root, built_dist, canary.url) for case in CASES
        }
        results = {key: future.result() for key, future in futures.items()}
    report = os.environ.get("CASTGRAPH_HOSTILE_REPORT")
    if report:  # a table of what each case did, for reviews: id, exit, seconds, stderr
        import json

        rows = [
            {"id": k, "exit": o.code, "seconds": round(o.seconds, 2), "stderr": o.stderr.strip()}
            for k, o in results.items()
        ]
        Path(report).write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return results


def test_the_corpus_lists_every_row_of_issue_12():
    rows = {int(m) for case in CASES for m in re.findall(r"\[(\d+)\]", case["id"])}
    assert rows >= {1, 2, 3, 5, 6, 7, 8, 9, 10, 11}  # 4 and 12: the maintainer's build rewrite
    assert len({c["id"] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_hostile_case(case, outcomes):
    outcome = outcomes[case["id"]]
    expected = case["exit"] if isinstance(case["exit"], list) else [case["exit"]]
    detail = f"exit {outcome.code} in {outcome.seconds:.1f} s, stderr: {outcome.stderr[-600:]!r}"
    assert outcome.code in expected, detail
    assert "Traceback" not in outcome.stderr, detail
    assert outcome.seconds <= case["seconds"], detail
    if outcome.code >= 2:  # an error: one line (a warning may precede it); click's usage text
        lines = [
            line
            for line in outcome.stderr.splitlines()
            if line.strip() and not line.startswith("warning: ")
        ]
        if outcome.code == 2:
            assert any(re.search(case["message"], line) for line in lines), detail
        else:
            assert len(lines) == 1, detail
            assert re.search(case["message"], lines[0]), detail
        assert outcome.leftovers == (), f"output written by a failed command: {outcome.leftovers}"
    if "stdout" in case:
        assert re.search(case["stdout"], outcome.stdout), outcome.stdout[:500]


def test_no_case_reached_the_network(outcomes, canary):
    assert outcomes  # every case has run
    assert canary.requests == []
