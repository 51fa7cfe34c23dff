"""How fast the query library answers: castgraph (pyoxigraph) against rdflib, measured in one run.

(a) cold: a whole `castgraph query heads-of-departments` process (start Python, read
    dist/castgraph.trig, run, print CSV) against a fresh Python process that parses the same TriG
    with rdflib and runs the same query. Goal (issue 10): castgraph within 0.1 s wall and at least 5x faster.
(b) warm: every library query in one process, the dataset already loaded, pyoxigraph against
    rdflib. Goal: each query under 10 ms on pyoxigraph.

It builds the graph into a temporary folder first. Medians of N runs (default 7 cold, 15 warm).
Run: python bench/bench_query.py [N]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from castgraph.query import library as queries

QUERY = "heads-of-departments"
COLD_GOAL_S = 0.1
COLD_GOAL_RATIO = 5
WARM_GOAL_MS = 10.0

# The baseline process: what answering the same question with rdflib alone costs.
RDFLIB_SCRIPT = """
import sys, rdflib
dataset = rdflib.Dataset(default_union=True)
dataset.parse(sys.argv[1], format="trig")
text = open(sys.argv[2], encoding="utf-8").read()
sys.stdout.write(dataset.query(text).serialize(format="csv").decode("utf-8"))
"""


def castgraph_command() -> list[str]:
    script = Path(sys.executable).with_name("castgraph")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "castgraph"]


def wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def median_time(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cold(dist: Path, runs: int) -> None:
    trig = dist / "castgraph.trig"
    query_file = queries.by_name(QUERY).path
    ours = [*castgraph_command(), "query", QUERY, "--dist-dir", str(dist), "--format", "csv"]
    theirs = [sys.executable, "-c", RDFLIB_SCRIPT, str(trig), str(query_file)]
    wall(ours), wall(theirs)  # warm the file-system cache, not the processes
    ours_s = statistics.median(wall(ours) for _ in range(runs))
    theirs_s = statistics.median(wall(theirs) for _ in range(runs))
    verdict = "meets" if ours_s < COLD_GOAL_S and theirs_s / ours_s >= COLD_GOAL_RATIO else "MISSES"
    print(f"(a) cold `castgraph query {QUERY}`, median of {runs} processes")
    print(f"    castgraph (pyoxigraph): {ours_s * 1000:7.1f} ms")
    print(f"    rdflib parse + query:   {theirs_s * 1000:7.1f} ms")
    print(
        f"    ratio {theirs_s / ours_s:.1f}x faster; goal < {COLD_GOAL_S * 1000:.0f} ms "
        f"and >= {COLD_GOAL_RATIO}x: {verdict}"
    )


def warm(dist: Path, runs: int) -> None:
    import rdflib

    from castgraph.dataset.engine import load_store

    store = load_store(dist / "castgraph.trig")
    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(dist / "castgraph.nq", format="nquads")
    print(f"(b) warm, every library query with its defaults, median of {runs} runs")
    print(f"    {'query':<58} {'pyoxigraph':>11} {'rdflib':>9} {'ratio':>7}")
    slow = []
    ratios = []
    for definition in queries.library():
        ours = median_time(lambda d=definition: list(queries.run(store, d)), runs)
        theirs = median_time(lambda d=definition: list(queries.rdflib_run(dataset, d)), runs)
        ratios.append(theirs / ours)
        if ours * 1000 >= WARM_GOAL_MS:
            slow.append(definition.name)
        print(
            f"    {definition.name:<58} {ours * 1000:8.2f} ms {theirs * 1000:6.1f} ms "
            f"{theirs / ours:6.0f}x"
        )
    print(
        f"    median ratio {statistics.median(ratios):.0f}x; goal each < {WARM_GOAL_MS:.0f} ms: "
        + ("meets" if not slow else f"MISSES ({', '.join(slow)})")
    )


def main(argv: list[str]) -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("runs", nargs="?", type=int, default=7, help="cold runs (default 7)")
    runs = parser.parse_args(argv).runs
    with tempfile.TemporaryDirectory() as tmp:
        dist = Path(tmp) / "dist"
        subprocess.run(
            [*castgraph_command(), "build", "--out", str(dist), "--no-validate"],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        cold(dist, runs)
        warm(dist, max(runs, 15))


if __name__ == "__main__":
    main(sys.argv[1:])
