"""Generators for the hostile inputs too big (or too odd) to commit: each writes one file.

``make(name, folder)`` writes the input called ``name`` into ``folder`` and returns its path.
Names end in the extension the command needs to pick the format.
"""

from __future__ import annotations

import os
from pathlib import Path

EX = "http://example.org/"


def _nested_bnodes(depth: int) -> bytes:
    return (
        f"<{EX}s> <{EX}p> ".encode()
        + f"[ <{EX}p> ".encode() * depth
        + b"1"
        + b" ]" * depth
        + b" .\n"
    )


def _sources_yaml(body: bytes) -> bytes:
    return b'- key: "000"\n  title: t\n  grade: A\n  kind: seed\n' + body


GENERATORS = {
    "bnodes-300.ttl": lambda: _nested_bnodes(300),
    "bnodes-1000.ttl": lambda: _nested_bnodes(1000),
    "bnodes-10000.ttl": lambda: _nested_bnodes(10_000),
    "bnodes-100000.ttl": lambda: _nested_bnodes(100_000),
    "bnodes-flat-20000.nt": lambda: b"".join(
        f"_:b{i} <{EX}p> _:b{i + 1} .\n".encode() for i in range(20_000)
    ),
    "bnode-chain-500.nt": lambda: b"".join(
        f"_:b{i} <{EX}p> _:b{i + 1} .\n".encode() for i in range(500)
    ),
    "collection-100000.ttl": lambda: (
        f"<{EX}s> <{EX}p> ".encode() + b"(" * 100_000 + b")" * 100_000 + b" .\n"
    ),
    "literal-17MiB.nt": lambda: f'<{EX}s> <{EX}p> "'.encode() + b"a" * (17 * 2**20) + b'" .\n',
    "multiline-literal-2MB.ttl": lambda: (
        f'<{EX}s> <{EX}p> """'.encode() + b"a\n" * 1_000_000 + b'""" .\n'
    ),
    "iri-10MB.nt": lambda: f"<{EX}s> <{EX}p> <{EX}".encode() + b"a" * 10_000_000 + b"> .\n",
    "iri-10MB.trig": lambda: f"<{EX}s> <{EX}p> <{EX}".encode() + b"a" * 10_000_000 + b"> .\n",
    "rdfxml-nested-100000.rdf": lambda: (
        b'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        b' xmlns:ex="http://example.org/">\n<rdf:Description rdf:about="http://example.org/s">\n'
        + b'<ex:p rdf:parseType="Resource">\n' * 100_000
        + b"</ex:p>\n" * 100_000
        + b"</rdf:Description>\n</rdf:RDF>\n"
    ),
    "jsonld-nested-100000.jsonld": lambda: (
        b'{"@id": "http://example.org/s", "http://example.org/p": '
        + b"[" * 100_000
        + b"]" * 100_000
        + b"}"
    ),
    "sources-flow-100000.yaml": lambda: _sources_yaml(
        b"- key: x\n  title: " + b"[" * 100_000 + b"\n"
    ),
    "sources-block-5000.yaml": lambda: _sources_yaml(
        b"- key: x\n  title:\n    " + b"- " * 5000 + b"x\n"
    ),
    "sources-indent-200.yaml": lambda: _sources_yaml(
        b"- key: x\n  title:\n" + b"".join(b"  " * (i + 2) + b"a:\n" for i in range(200))
    ),
    "triples-300.nt": lambda: b"".join(
        f'<{EX}s{i}> <{EX}p> "a{i}" .\n'.encode() for i in range(300)
    ),
    "query-braces-3000.rq": lambda: b"SELECT * WHERE " + b"{" * 3000 + b"}" * 3000 + b"\n",
    "query-parens-10000.rq": lambda: (
        b"SELECT * WHERE { FILTER(" + b"(" * 10_000 + b"1" + b")" * 10_000 + b") }\n"
    ),
    "query-100KB.rq": lambda: b"SELECT * WHERE { ?s ?p ?o }\n" + b"# padding\n" * 10_000,
}


def make(name: str, folder: Path) -> Path:
    """Write the generated input ``name`` into ``folder`` (special files too) and return it."""
    path = folder / name
    if path.exists() or path.is_symlink():
        return path
    if name == "fifo.ttl":
        os.mkfifo(path)
    elif name == "loop.ttl":
        os.symlink(path.name, path)
    elif name == "zero.ttl":
        os.symlink("/dev/zero", path)
    elif name == "sparse-300MB.nt":
        with path.open("wb") as handle:
            handle.truncate(300 * 2**20)
    elif name == "folder.ttl":
        path.mkdir()
    else:
        path.write_bytes(GENERATORS[name]())
    return path
