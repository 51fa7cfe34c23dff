"""Check the built dataset: SHACL shapes (on the store) and the check queries in queries/checks/.

The store engine's results become ``Result`` values with labels and a fixed order, rendered as
text, JSON or Turtle.
Nothing here prints; the CLI decides what to show.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from castgraph.errors import InputError, display_path
from castgraph.namespaces import PREFIXES, SH, shorten
from castgraph.paths import QUERIES_DIR, SHAPES_DIR

SEVERITIES = ("Violation", "Warning", "Info")


@dataclass(frozen=True, order=True)
class Result:
    """One problem: where (focus), what (path, message, value) and which check found it."""

    severity: str
    focus: str
    path: str = ""
    message: str = ""
    value: str = ""
    shape: str = ""
    component: str = ""
    focus_label: str = field(default="", compare=False)

    def as_json(self) -> dict[str, str]:
        return asdict(self)


@dataclass(frozen=True)
class Report:
    results: tuple[Result, ...]
    shapes_checked: int
    checks_run: int

    def count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)

    def fails(self, fail_on: str = "Violation") -> bool:
        """True when any result is at or above ``fail_on`` severity."""
        levels = SEVERITIES[: SEVERITIES.index(fail_on) + 1]
        return any(r.severity in levels for r in self.results)

    @property
    def conforms(self) -> bool:
        return not self.fails("Violation")


def validate(
    dataset,
    *,
    shapes_dir: Path = SHAPES_DIR,
    checks_dir: Path | None = None,
    extra_shapes: Iterable[Path] = (),
) -> Report:
    """Validate a dataset (``castgraph.dataset.store.Dataset``) against every shape and check.

    SHACL runs on the dataset's store (``castgraph.check.store_shacl``: one SPARQL query per
    constraint, fast at any size); pyshacl is the reference the tests compare it with.
    """
    from concurrent.futures import ThreadPoolExecutor

    from pyoxigraph import DefaultGraph

    from castgraph.check.store_shacl import validate_store

    checks_dir = checks_dir if checks_dir is not None else QUERIES_DIR / "checks"
    shape_files = sorted(shapes_dir.glob("*.ttl")) + list(extra_shapes)
    shapes = _read_shapes(shape_files)
    # A store whose default graph holds the distinct union (every store castgraph writes) is
    # validated on that graph alone: the engine's union of all graphs would see it twice over.
    data_graphs = [DefaultGraph()] if dataset.union_default else None
    # The check queries run beside the shapes (the engine works without the interpreter lock):
    # their few seconds at scale fill the gaps of the shapes' threads instead of following them.
    with ThreadPoolExecutor(max_workers=1) as beside:
        checks = beside.submit(_run_checks, dataset, checks_dir)
        try:
            found = validate_store(dataset.store, shapes, data_graphs=data_graphs)
        except ValueError as error:  # ShapesError: a shapes file this engine cannot run
            checks.cancel()
            raise InputError(f"shapes: {error}") from None
        check_results, checks_run = checks.result()
    shacl_results = [_result(r) for r in found]
    labels = _labels(dataset, {r.focus for r in (*shacl_results, *check_results)})
    results = sorted(
        Result(**{**asdict(r), "focus_label": labels.get(r.focus, "")})
        for r in (*shacl_results, *check_results)
    )
    shapes_checked = len(
        {
            q.subject
            for q in shapes
            if q.predicate.value == RDF_TYPE and q.object.value == SH.NodeShape
        }
    )
    return Report(results=tuple(results), shapes_checked=shapes_checked, checks_run=checks_run)


def validate_quads(quads: Sequence, **options) -> Report:
    """Validate quads held in memory (small graphs, tests)."""
    from castgraph.dataset.store import from_nquads
    from castgraph.dataset.writer import to_bytes

    return validate(from_nquads(to_bytes(quads, "nquads")), **options)


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_IRI = re.compile(r"<([^<>\s]*)>")


def _read_shapes(files: Sequence[Path]) -> list:
    from pyoxigraph import RdfFormat, parse

    quads = []
    for path in files:
        try:
            quads.extend(parse(path.read_bytes(), format=RdfFormat.TURTLE))
        except SyntaxError as error:
            line = getattr(error, "lineno", None)
            where = f"{display_path(path)}:{line}" if line else display_path(path)
            raise InputError(f"{where}: {' '.join(str(error).split())}") from None
        except OSError as error:
            raise InputError(f"{display_path(path)}: {error.strerror or error}") from None
    return quads


def _result(found) -> Result:
    """A store-engine result in the report's form: CURIEs, the shape's readable name."""
    shape = found.source_shape or found.targeted_shape
    path = found.path
    if path.startswith("(") and path.endswith(")") and "|" in path:
        path = path[1:-1]
    return Result(
        severity=found.severity.rsplit("#", 1)[-1],
        focus=found.focus[1:-1] if found.focus.startswith("<") else found.focus,
        path=_curies(path).replace(" | ", "|"),
        message=found.message,
        value=_curies(found.value) if found.value.startswith("<") else found.value,
        shape=shorten(shape.strip("<>")) if shape else "",
        component=shorten(found.component.strip("<>")),
    )


def _curies(text: str) -> str:
    return _IRI.sub(lambda m: shorten(m.group(1)), text)


def _run_checks(dataset, checks_dir: Path) -> tuple[list[Result], int]:
    """Each ``*-violation.rq`` must return no rows; each row it returns is a violation.

    A check names the offending node ``?focus`` and may bind ``?message``, ``?path``, ``?value``.
    A check whose header says ``#+ needless-when: default-graph-is-union`` is not run on a
    dataset whose default graph was filled from its named graphs alone (a build's store, or a
    file with nothing in its default graph): it could find nothing there, and it reads the whole
    default graph to say so.
    """
    store = getattr(dataset, "store", dataset)  # a Dataset, or a bare store (the check tests)
    results: list[Result] = []
    files = sorted(checks_dir.glob("*-violation.rq")) if checks_dir.is_dir() else []
    for path in files:
        text = path.read_text(encoding="utf-8")
        if (
            getattr(dataset, "default_is_union", False)
            and _header_value(text, "needless-when") == "default-graph-is-union"
        ):
            continue
        try:
            solutions = store.query(text, prefixes=dict(PREFIXES))
        except SyntaxError as error:
            raise InputError(f"{display_path(path)}: {error}") from None
        name = path.stem
        summary = _header_summary(text) or name
        variables = {v.value for v in solutions.variables}
        for solution in solutions:
            found = {v: solution[v] for v in variables if solution[v] is not None}
            focus = found.get("focus")
            message = found.get("message")
            results.append(
                Result(
                    severity="Violation",
                    focus=focus.value if focus is not None else "",
                    path=_oxi_text(found.get("path")),
                    message=message.value if message is not None else summary,
                    value=_oxi_text(found.get("value")),
                    shape=f"check:{name}",
                    component="castgraph check query",
                )
            )
    return results, len(files)


def _oxi_text(term) -> str:
    from pyoxigraph import Literal, NamedNode

    if isinstance(term, NamedNode):
        return shorten(term.value)
    if isinstance(term, Literal):
        return str(term)
    return "" if term is None else str(term)


def _header_summary(text: str) -> str:
    return _header_value(text, "summary")


def _header_value(text: str, key: str) -> str:
    for line in text.splitlines():
        if line.startswith(f"#+ {key}:"):
            return line.split(":", 1)[1].strip()
    return ""


LABELS = """
SELECT ?node ?label WHERE {
  %s ?node skos:prefLabel|foaf:name|rdfs:label ?label . FILTER(isLiteral(?label))
}
"""
_PLAIN_IRI = re.compile(r"[a-z][a-z0-9+.-]*:[^\s<>\"{}|^`\\]*")
_LABELLED_BY_VALUES = 5000  # more focus nodes than this: one pass over every label instead


def _labels(dataset, focus_nodes: set[str]) -> dict[str, str]:
    """``label (zh / en)`` of the report's focus nodes that have a name."""
    iris = sorted(f for f in focus_nodes if _PLAIN_IRI.fullmatch(f))
    if not iris:
        return {}
    values = ""
    if len(iris) <= _LABELLED_BY_VALUES:
        values = "VALUES ?node { " + " ".join(f"<{iri}>" for iri in iris) + " }"
    names: dict[str, dict[str, str]] = {}
    for row in dataset.query(LABELS % values):
        lang = (row["label"].language or "").split("-")[0] or "en"
        names.setdefault(row["node"].value, {}).setdefault(lang, row["label"].value)
    labels = {}
    for node, by_lang in names.items():
        parts = [by_lang[k] for k in ("zh", "en") if k in by_lang]
        labels[node] = " / ".join(dict.fromkeys(parts))
    return labels


# ---------------------------------------------------------------------------------------------
# Rendering


def render_text(report: Report) -> str:
    lines: list[str] = []
    by_focus: dict[str, list[Result]] = {}
    for result in report.results:
        by_focus.setdefault(result.focus, []).append(result)
    for focus in sorted(
        by_focus, key=lambda f: (min(SEVERITIES.index(r.severity) for r in by_focus[f]), f)
    ):
        first = by_focus[focus][0]
        label = f"{first.focus_label} " if first.focus_label else ""
        lines.append(f"{label}{shorten(focus) if focus else '(no focus node)'}")
        for r in sorted(
            by_focus[focus],
            key=lambda r: (SEVERITIES.index(r.severity), r.path, r.message, r.value),
        ):
            parts = [r.severity, r.path or "-", r.message]
            if r.value:
                parts.append(f"value {r.value}")
            parts.append(f"[{r.shape}]")
            lines.append("    " + " · ".join(parts))
    counts = ", ".join(
        f"{report.count(s)} {s.lower()}{'s' if report.count(s) != 1 else ''}" for s in SEVERITIES
    )
    verdict = "conforms" if report.conforms else "does not conform"
    lines.append(
        f"{verdict}: {counts} ({report.shapes_checked} shapes, {report.checks_run} check queries)"
    )
    return "\n".join(lines) + "\n"


def render_json(report: Report) -> str:
    payload = {
        "conforms": report.conforms,
        "counts": {s.lower(): report.count(s) for s in SEVERITIES},
        "results": [r.as_json() for r in report.results],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def render_turtle(report: Report) -> str:
    """The standard sh:ValidationReport, written in a fixed order."""
    from pyoxigraph import Literal

    def lit(text: str) -> str:
        return str(Literal(text))

    # Results hold IRIs as CURIEs over the project prefixes (or <iri>) and literals in N-Triples
    # syntax, so declaring the same prefixes makes them valid Turtle as they are.
    out = [f"@prefix {p}: <{iri}> ." for p, iri in PREFIXES.items()] + [""]
    out.append("[] a sh:ValidationReport ;")
    out.append(
        f'    sh:conforms "{str(report.conforms).lower()}"^^xsd:boolean'
        + (" ;" if report.results else " .")
    )
    for i, r in enumerate(report.results):
        props = ["a sh:ValidationResult", f"sh:resultSeverity sh:{r.severity}"]
        if r.focus:
            props.append(f"sh:focusNode <{r.focus}>")
        if r.path and not r.path.startswith("("):
            props.append(
                "sh:resultPath "
                + (
                    r.path
                    if "|" not in r.path
                    else f"[ sh:alternativePath ( {' '.join(r.path.split('|'))} ) ]"
                )
            )
        if r.message:
            props.append(f"sh:resultMessage {lit(r.message)}")
        if r.value:
            props.append(f"sh:value {r.value}")
        if r.shape and not r.shape.startswith("check:"):
            props.append(f"sh:sourceShape {r.shape}")
        if r.component.startswith("sh:"):
            props.append(f"sh:sourceConstraintComponent {r.component}")
        end = " ." if i == len(report.results) - 1 else " ,"
        prefix = "    sh:result " if i == 0 else "        "
        out.append(prefix + "[ " + " ; ".join(props) + " ]" + end)
    return "\n".join(out) + "\n"
