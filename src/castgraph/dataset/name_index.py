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


def write(union: Path, output: BinaryIO, build: str) -> None:
    """Write the index of the names in ``union``, the sorted N-Triples file of this build.

    The name lines are found in the file's bytes (a name property in the predicate place, a
    literal after it) and only those lines are parsed, to undo N-Triples escapes: a pass over
    every triple in Python cost 1.5 s of the 8 s that the TriG, Turtle and this file take at
    150,000 organizations; this costs 0.3 s. The lines keep the union's order.
    """
    import mmap

    from pyoxigraph import RdfFormat, parse

    output.write(FORMAT + build.encode("ascii") + b"\n")
    if union.stat().st_size == 0:
        return
    with union.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        starts: list[int] = []
        for prop in sorted(NAME_PROPERTIES):
            needle = f' <{prop}> "'.encode()
            at = data.find(needle)
            while at >= 0:
                line_start = data.rfind(b"\n", 0, at) + 1
                # The subject holds no space (an IRI or a blank node): the line's first space
                # is the one before its predicate; a later one is inside a literal.
                if data.find(b" ", line_start, at + 1) == at:
                    starts.append(line_start)
                at = data.find(needle, at + 1)
        starts.sort()
        lines = b"".join(data[start : data.find(b"\n", start) + 1] for start in starts)
    names = []
    for triple in parse(lines, format=RdfFormat.N_TRIPLES, lenient=True):  # our own file
        name = triple.object.value.lower().translate(_UNSAFE)
        names.append(f"{name}\t{triple.subject.value}\n")
    output.write("".join(names).encode())


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
