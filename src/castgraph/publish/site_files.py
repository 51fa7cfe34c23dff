"""The site's downloads (full dumps with SHA-256 checksums) and its VoID + DCAT description.

The dumps are the export formats of ``castgraph export``, streamed to their files (the build's
own TriG, N-Quads and Turtle are copied as they are). ``void.ttl`` is the dataset's own
description (graph ``graph:dataset``: title, licence, version, release date, triples per graph)
with what only the site knows added: each dump as a ``dcat:Distribution`` with its size, media
type and SHA-256 (``spdx:checksum``), ``void:dataDump``, and the SPARQL endpoint when one is
given. Dump IRIs are relative (``<dumps/castgraph.nq>``), so they resolve wherever the site is
hosted, a sub-path or a file:// URL included.
"""

from __future__ import annotations

from dataclasses import dataclass

from castgraph.namespaces import DATASET, DATASET_GRAPH, DCAT, PREFIXES, SPDX, VOID

DUMPS = (  # (format, file, what)
    ("trig", "castgraph.trig", "TriG: every named graph (one per source)"),
    ("nquads", "castgraph.nq", "N-Quads: the same, one statement a line"),
    ("turtle", "castgraph.ttl", "Turtle: the union of all graphs, each triple once"),
    ("jsonld", "castgraph.jsonld", "JSON-LD: compact, one @graph per named graph"),
)
MEDIA = {
    "trig": "application/trig",
    "nquads": "application/n-quads",
    "turtle": "text/turtle",
    "jsonld": "application/ld+json",
    "csv": "text/csv",
}


@dataclass(frozen=True)
class Download:
    path: str  # relative to the site root
    media_type: str
    size: int
    sha256: str
    title: str


def write_dumps(dataset, writer) -> list[Download]:
    """Every dump under ``dumps/`` and their ``dumps/SHA256SUMS``; the downloads, in order."""
    from castgraph.dataset.writer import HashingWriter
    from castgraph.export.formats import export_stream
    from castgraph.export.tables import tables

    downloads: list[Download] = []
    for fmt, name, title in DUMPS:
        path = writer.root / "dumps" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            hashing = HashingWriter(handle)
            export_stream(dataset, fmt, hashing)
        writer.report.files += 1
        writer.report.bytes += hashing.size
        downloads.append(
            Download(f"dumps/{name}", MEDIA[fmt], hashing.size, hashing.sha256.hexdigest(), title)
        )
    import hashlib

    for name, data in sorted(tables(dataset.quads()).items()):
        writer.write(f"dumps/csv/{name}", data)
        title = f"CSV: the {name.removesuffix('.csv')} table"
        downloads.append(
            Download(
                f"dumps/csv/{name}",
                MEDIA["csv"],
                len(data),
                hashlib.sha256(data).hexdigest(),
                title,
            )
        )
    sums = "".join(f"{d.sha256}  {d.path.removeprefix('dumps/')}\n" for d in downloads)
    writer.write("dumps/SHA256SUMS", sums)
    return downloads


def void_turtle(dataset, downloads: list[Download], sparql_endpoint: str | None) -> bytes:
    """The dataset's description from its own graph, plus distributions and the endpoint."""
    from castgraph.dataset.writer import triple_sort_key

    triples = sorted(
        dataset.query(
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{DATASET_GRAPH}> {{ ?s ?p ?o }} }}"
        ),
        key=triple_sort_key,
    )
    prefixes = {**PREFIXES, "void": str(VOID), "dcat": str(DCAT), "spdx": str(SPDX)}
    head = turtle(triples, prefixes) if triples else b""
    lines = [
        "",
        "# What only the published site knows: its files (relative IRIs, resolved against this",
        "# file's own location) and the SPARQL endpoint, when one was given.",
        f"<{DATASET}> a void:Dataset, dcat:Dataset .",
    ]
    if not triples:
        lines[0:0] = [f"@prefix {p}: <{iri}> ." for p, iri in prefixes.items()]
    for d in downloads:
        if d.media_type != "text/csv":
            lines.append(f"<{DATASET}> void:dataDump <{d.path}> .")
        lines.append(f"<{DATASET}> dcat:distribution <{d.path}> .")
        lines.append(
            f"<{d.path}> a dcat:Distribution ;\n"
            f"\tdct:title {_string(d.title)}@en ;\n"
            f"\tdcat:downloadURL <{d.path}> ;\n"
            f"\tdcat:mediaType <https://www.iana.org/assignments/media-types/{d.media_type}> ;\n"
            f"\tdcat:byteSize {d.size} ;\n"
            f"\tdct:license <https://creativecommons.org/licenses/by/4.0/> ;\n"
            f"\tspdx:checksum [ a spdx:Checksum ; spdx:algorithm spdx:checksumAlgorithm_sha256 ;\n"
            f'\t\tspdx:checksumValue "{d.sha256}"^^xsd:hexBinary ] .'
        )
    if sparql_endpoint:
        lines.append(f"<{DATASET}> void:sparqlEndpoint <{sparql_endpoint}> .")
        lines.append(
            f"<{DATASET}> dcat:distribution [ a dcat:Distribution ; dcat:accessService "
            f"[ a dcat:DataService ; dcat:endpointURL <{sparql_endpoint}> ; "
            f"dct:conformsTo <https://www.w3.org/TR/sparql11-protocol/> ] ] ."
        )
    return head + ("\n".join(lines) + "\n").encode("utf-8")


def turtle(triples: list, prefixes: dict[str, str]) -> bytes:
    from castgraph.dataset.writer import turtle_bytes

    return turtle_bytes(triples, prefixes)


def write_void(dataset, writer, downloads: list[Download], sparql_endpoint: str | None) -> None:
    writer.write("void.ttl", void_turtle(dataset, downloads, sparql_endpoint))


def _string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
