"""Flat JSON-LD at scale: the streaming writer against pyld and against the Turtle export.

On the synthetic data of ``bench_build.py`` (N organizations shaped like CAST), built once in
process, this times on the same sorted quads:

- stream: ``castgraph.export.jsonld_stream.write_flat`` to a temporary file;
- pyld: ``jsonld.dumps(jsonld.flat_document(quads))`` (only up to ``--pyld-max``, default
  20,000 organizations: it is super-linear), and checks that both give the same bytes;
- turtle: ``castgraph.dataset.writer.to_bytes(quads, "turtle")``, the Turtle export (union, sorted,
  serialized by pyoxigraph), and pyoxigraph's own ``serialize`` of the quads as N-Quads.

It prints one row per size with wall seconds, peak RSS growth of the stream step, and the ratios
stream/turtle (wall, and CPU for a shared machine) and pyld/stream. Run: python bench/bench_jsonld.py [N ...] (default 2000 20000).
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from bench_build import synthetic_data

from castgraph.build.mint import build
from castgraph.dataset.writer import to_bytes
from castgraph.export import jsonld
from castgraph.export.jsonld_stream import write_flat
from castgraph.loaders import load_all

CPU: dict[str, float] = {}  # step -> CPU seconds of the last run (the machine may be shared)


def timed(function, step: str = ""):
    start, cpu = time.perf_counter(), time.process_time()
    value = function()
    CPU[step] = time.process_time() - cpu
    return value, time.perf_counter() - start


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(count: int, pyld_max: int) -> dict:
    from pyoxigraph import RdfFormat, serialize

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        synthetic_data(data, count)
        quads = build(load_all(data)).quads
        out = Path(tmp) / "flat.jsonld"
        before = peak_mib()

        def stream():
            with out.open("wb") as handle:
                write_flat(quads, handle)

        _, t_stream = timed(stream, "stream")
        grown = peak_mib() - before
        _, t_turtle = timed(lambda: to_bytes(quads, "turtle"), "turtle")
        _, t_nq = timed(lambda: serialize(quads, format=RdfFormat.N_QUADS))
        t_pyld = None
        if count <= pyld_max:
            reference, t_pyld = timed(lambda: jsonld.dumps(jsonld.flat_document(quads)))
            if reference != out.read_bytes():
                raise SystemExit(f"{count}: the streaming writer and pyld differ")
        return {
            "orgs": count,
            "quads": len(quads),
            "stream": t_stream,
            "turtle": t_turtle,
            "nquads": t_nq,
            "pyld": t_pyld,
            "mib": grown,
            "cpu_ratio": CPU["stream"] / CPU["turtle"],
            "size": out.stat().st_size / 2**20,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[2000, 20000])
    parser.add_argument("--pyld-max", type=int, default=20000)
    args = parser.parse_args()
    header = (
        f"{'orgs':>7} {'quads':>9} {'out MiB':>8} {'stream s':>9} {'turtle s':>9} "
        f"{'nquads s':>9} {'pyld s':>8} {'stream/ttl':>10} {'(cpu)':>6} {'pyld/stream':>11} "
        f"{'+RSS MiB':>9}"
    )
    print(header)
    for size in args.sizes:
        r = run(size, args.pyld_max)
        pyld = f"{r['pyld']:8.2f}" if r["pyld"] is not None else f"{'-':>8}"
        ratio = f"{r['pyld'] / r['stream']:10.1f}x" if r["pyld"] is not None else f"{'-':>11}"
        print(
            f"{r['orgs']:>7} {r['quads']:>9} {r['size']:8.1f} {r['stream']:9.2f} "
            f"{r['turtle']:9.2f} {r['nquads']:9.2f} {pyld} {r['stream'] / r['turtle']:9.2f}x "
            f"{r['cpu_ratio']:5.2f}x "
            f"{ratio} {r['mib']:9.0f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
