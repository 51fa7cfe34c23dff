"""A name index beside the store: which entities have a name containing a given text.

Oxigraph has no text index, so a SPARQL ``FILTER(CONTAINS(LCASE(?name), ...))`` decodes every
name in the store: about 1 s for the 325,000 names of the full CAST system, whatever the answer.
Like the text indexes of other triple stores (Jena's, GraphDB's), this file only narrows the
query: ``entities`` returns every entity having some name that contains the text, and the
query still runs its own FILTER on those. It is a superset by construction (the same lower-case
mapping on both sides), so the answer is the one the query gives without it; a test holds the
two equal.

The file is written by the build with the TriG and Turtle files, from the sorted union: a
header line naming the build (the SHA-256 of its N-Quads), then one line per name, ``name in
lower case <TAB> entity IRI``, in the union's order. Tabs, line breaks and carriage returns in
a name are written as NUL: a text holding one of those is not looked up here (no narrowing).
The search works on the UTF-8 bytes, where a substring of characters is a substring of bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from castgraph.namespaces import CAST, FOAF, SKOS

TYPE_CHECKING = False  # typing itself is not imported on a query's way in (2 ms)
if TYPE_CHECKING:
    from typing import BinaryIO

NAME_INDEX_FILE = "names.tsv"
FORMAT = b"# castgraph name index 1 "
# What a name is: the properties search-by-name looks in (a test holds the query to this list).
NAME_PROPERTIES = frozenset(
    {SKOS.prefLabel, SKOS.altLabel, CAST.acronym, CAST.formerName, FOAF.name}
)
NARROW_AT_MOST = 2000  # entities: the join costs about 0.2 ms each, the full scan about 1 s
_UNSAFE = str.maketrans({"\t": "\0", "\n": "\0", "\r": "\0"})


def tap(triples: Iterable, output: BinaryIO, build: str) -> Iterator:
    """Pass ``triples`` (pyoxigraph Triples, sorted) through, writing the index of their names."""
    from pyoxigraph import Literal

    output.write(FORMAT + build.encode("ascii") + b"\n")
    lines: list[bytes] = []
    for triple in triples:
        if triple.predicate.value in NAME_PROPERTIES and isinstance(triple.object, Literal):
            name = triple.object.value.lower().translate(_UNSAFE)
            lines.append(f"{name}\t{triple.subject.value}\n".encode())
            if len(lines) >= 4096:
                output.write(b"".join(lines))
                lines.clear()
        yield triple
    output.write(b"".join(lines))


def entities(path: Path, build: str, text: str, at_most: int = NARROW_AT_MOST) -> list[str] | None:
    """The IRIs of the entities with a name containing ``text`` (ignoring case), sorted; None
    when the index cannot say: missing, from another build, a text it does not hold, or more
    than ``at_most`` entities (the query then runs without narrowing)."""
    needle_text = text.lower()
    if not needle_text or needle_text != needle_text.translate(_UNSAFE):
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    header_end = data.find(b"\n")
    if data[:header_end] != FORMAT + build.encode("ascii"):
        return None
    needle = needle_text.encode("utf-8")
    found: set[bytes] = set()
    at = data.find(needle, header_end + 1)
    while at >= 0:
        line_start = data.rfind(b"\n", 0, at) + 1
        tab = data.find(b"\t", line_start)
        line_end = data.find(b"\n", at)
        if at + len(needle) <= tab:  # in the name, not in the IRI after it
            found.add(data[tab + 1 : line_end])
            if len(found) > at_most:
                return None
        at = data.find(needle, line_end + 1)
    return sorted(iri.decode("utf-8") for iri in found)
