"""Every limit castgraph applies to its input, in one place, each with the reason for its value.

A limit reached is bad input: the command stops with exit code 3 and one line on stderr,
``file:line: what`` (see docs/limits.md for the table of messages), before any parser that could
crash, recurse or take quadratic time sees the input. Nothing here imports anything heavy.
"""

from __future__ import annotations

KiB = 1024
MiB = 1024 * KiB
GiB = 1024 * MiB


class Limits:
    """The limits, as class attributes with their reasons; ``LIMITS`` is the one instance.

    A plain class, not a dataclass: this module is on the path of every cold ``castgraph
    query``, and importing ``dataclasses`` costs it about 10 ms. No slot means no attribute
    can be set on the instance: the limits are read-only."""

    __slots__ = ()

    # --- sizes of whole input files (checked while reading: never more than cap + 1 bytes) ---
    csv_bytes: int = 128 * MiB
    """A curated CSV file: names.csv of the full CAST system (150,000 organizations) is ~27 MB."""
    yaml_bytes: int = 1_000_000
    """sources.yaml (42 KB today); YAML parsing is slow in pure Python (~1 MB/s)."""
    rdf_bytes: int = 256 * MiB
    """An RDF file read by export/diff/validate/query; the built TriG is ~2 MB, and parsing
    holds ~2 KB of memory per triple, so 256 MiB of input already means a few GB of memory."""
    query_bytes: int = 64 * KiB
    """A SPARQL query text (the largest library query is 4 KB)."""
    shapes_bytes: int = 16 * MiB
    """A SHACL shapes or ontology file given on the command line (ours are < 100 KB)."""

    # --- nesting depth (checked by a linear pre-scan, castgraph.guard.nesting) ---
    rdf_depth: int = 128
    """Turtle/TriG `[ ( {`, JSON-LD `[ {`, RDF/XML elements; our exports nest < 12 deep; rdflib
    recurses per level, and pyoxigraph's canonicalization of nested blank nodes is superlinear."""
    yaml_depth: int = 32
    """sources.yaml is a list of flat mappings (depth 2); PyYAML's composer recurses per level."""
    sparql_depth: int = 64
    """`{ (` in a query; rdflib's parser recurses ~15 Python frames per level and pyoxigraph's
    parser overflows its stack (segfault) near 3,000; library queries nest at most 6 deep."""

    # --- single terms ---
    iri_bytes: int = 64 * KiB
    """One IRI, prefixed name or blank node label; real IRIs are < 2 KB, and some parsers and
    rdflib's IRI checks are superlinear in the IRI length (a 10 MB IRI took 379 s)."""
    literal_bytes: int = 1 * MiB
    """One literal; the longest curated literal is < 2 KB; rdflib's Turtle reader is quadratic
    on multi-line literals (2 MB: > 60 s)."""

    # --- queries ---
    query_timeout_s: float = 30.0
    """Default for `castgraph query --timeout`; every library query answers in < 1 s."""
    query_memory_bytes: int = 8 * GiB
    """Address-space cap (RLIMIT_AS) of the process that runs a query; a cross join fills
    memory quickly, and the rest of the machine should keep working."""
    result_bytes: int = 512 * MiB
    """The rendered answer of one query, sent back from the query process."""

    # --- canonicalization (castgraph diff) ---
    canonical_blank_nodes: int = 10_000
    """RDFC-1.0 may need exponential work on poison graphs (w3c/rdf-canon#120); castgraph itself
    mints no blank nodes, so two exports that carry more than this many are refused by diff."""
    canonical_timeout_s: float = 10.0
    """Time for RDFC-1.0 in diff, in a killable process: pyoxigraph took 127 s on a chain of 500
    blank nodes (measured), so no node count alone bounds the work."""


LIMITS = Limits()

# The kinds of input files read_input knows, and their size caps.
FILE_BYTES: dict[str, int] = {
    "csv": LIMITS.csv_bytes,
    "yaml": LIMITS.yaml_bytes,
    "rdf": LIMITS.rdf_bytes,
    "query": LIMITS.query_bytes,
    "shapes": LIMITS.shapes_bytes,
}


def human_bytes(n: int) -> str:
    """1048576 -> '1 MiB' (for messages)."""
    for unit, size in (("GiB", GiB), ("MiB", MiB), ("KiB", KiB)):
        if n >= size and n % size == 0:
            return f"{n // size} {unit}"
    return f"{n} bytes"
