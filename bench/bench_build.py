"""Build at scale: synthetic data of N organizations through loaders -> build -> TriG.

The full CAST system has about 150,000 organizations (some 2 million triples). This benchmark
writes a synthetic data/ of that shape (each organization with English and Chinese names, a
kind, a founding date, a membership of CAST), then times, in one run:

- castgraph: load_all + build + serialize TriG and N-Quads (pyoxigraph), without validation;
- baseline: rdflib parsing the same N-Quads into a Dataset (what an rdflib-only build costs
  just to hold the graph, before any serialization).

It prints the times and the ratio. Run: python bench/bench_build.py [N ...] (default 2000 20000).
"""

from __future__ import annotations

import csv
import shutil
import sys
import tempfile
import time
from pathlib import Path

from castgraph.build.mint import build
from castgraph.dataset.writer import to_bytes
from castgraph.loaders import load_all
from castgraph.paths import DATA_DIR


def synthetic_data(target: Path, count: int) -> None:
    shutil.copytree(DATA_DIR, target)

    def append(name: str, rows: list[list[str]]) -> None:
        with (target / name).open("a", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(rows)

    ids = [f"bench-org-{i:06d}" for i in range(count)]
    append(
        "organizations.csv",
        [[i, "formal-organization", "national-society", "000", ""] for i in ids],
    )
    append(
        "names.csv",
        [[i, f"Benchmark Society {n}", "en", "preferred", "000", ""] for n, i in enumerate(ids)]
        + [[i, f"测试学会{n}", "zh-Hans", "preferred", "000", ""] for n, i in enumerate(ids)],
    )
    append(
        "facts.csv",
        [
            [i, "founded", f"{1900 + n % 120}-{1 + n % 12:02d}", "000", ""]
            for n, i in enumerate(ids)
        ],
    )
    append(
        "memberships.csv",
        [[f"{i}-membership", i, "cast", "national-member-society", "", "", "000", ""] for i in ids],
    )


def timed(function):
    start = time.perf_counter()
    value = function()
    return value, time.perf_counter() - start


def run(count: int) -> None:
    import rdflib

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        synthetic_data(data, count)
        records, t_load = timed(lambda: load_all(data))
        dataset, t_build = timed(lambda: build(records))
        _trig, t_trig = timed(lambda: to_bytes(dataset.quads, "trig"))
        nquads, t_nq = timed(lambda: to_bytes(dataset.quads, "nquads"))
        ours = t_load + t_build + t_trig + t_nq

        def rdflib_load():
            graph = rdflib.Dataset()
            graph.parse(data=nquads, format="nquads")
            return graph

        _, t_rdflib = timed(rdflib_load)
    print(
        f"{count:>7} organizations, {len(dataset.quads):>9} quads: "
        f"castgraph load {t_load:.2f}s + build {t_build:.2f}s + TriG {t_trig:.2f}s + N-Quads {t_nq:.2f}s "
        f"= {ours:.2f}s; rdflib parse of the same N-Quads {t_rdflib:.2f}s; "
        f"ratio rdflib/castgraph {t_rdflib / ours:.1f}x"
    )


if __name__ == "__main__":
    sizes = [int(a) for a in sys.argv[1:]] or [2000, 20000]
    for size in sizes:
        run(size)
