"""The W3C RDF 1.1 and SPARQL 1.1 syntax suites (../shared/w3c-tests) through castgraph's commands.

- every negative syntax test (Turtle, TriG, N-Triples, N-Quads) is refused by every command that
  reads RDF (export, diff, validate, query --dataset) with exit 3 and one line ``file:line:``;
- every positive syntax and evaluation test is accepted by export and diff, and through query
  --dataset; the evaluation tests give the expected triples (relative IRIs resolved against the
  file, so compared after mapping the file's folder to the suite's base IRI); the tests with
  relative IRIs or non-ASCII blank node labels also go through validate;
- SPARQL: every negative syntax query is refused with ``file:line:col:``; every positive one is
  accepted by the guard (or refused as SERVICE / FROM / update, never as a syntax error).

Runs in-process (the CLI runner) to stay fast; the subprocess corpus is tests/test_hostile.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from castgraph.paths import ROOT_DIR
from conftest import invoke

SUITES = ROOT_DIR.parent / "shared" / "w3c-tests"
if not SUITES.is_dir():  # a worktree sits beside /work/shared; a clone may not
    SUITES = Path("/work/shared/w3c-tests")
RDF = SUITES / "rdf" / "rdf11"
SPARQL = SUITES / "sparql" / "sparql11" / "syntax-query"

pytestmark = pytest.mark.skipif(not RDF.is_dir(), reason="W3C suites not found")

MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
RDFT = "http://www.w3.org/ns/rdftest#"


def _manifest(folder: Path) -> list[tuple[str, str, Path, Path | None, str]]:
    """(name, type, action, result, base) for each test of a manifest."""
    if not (folder / "manifest.ttl").is_file():
        return []
    from pyoxigraph import RdfFormat, Store, parse

    store = Store()
    base = folder.as_uri() + "/"
    store.bulk_extend(
        parse(path=str(folder / "manifest.ttl"), format=RdfFormat.TURTLE, base_iri=base)
    )
    assumed = next(iter(store.query(f"SELECT ?b WHERE {{ ?m <{MF}assumedTestBase> ?b }}")), None)
    suite_base = assumed["b"].value if assumed else base
    rows = store.query(
        f"""SELECT ?name ?type ?action ?result WHERE {{
              ?t a ?type ; <{MF}name> ?name ; <{MF}action> ?action .
              OPTIONAL {{ ?t <{MF}result> ?result }} }}"""
    )
    tests = []
    for row in rows:
        action = Path(row["action"].value.removeprefix("file://"))
        result = row["result"]
        tests.append(
            (
                row["name"].value,
                row["type"].value.rsplit("#", 1)[-1],
                action,
                Path(result.value.removeprefix("file://")) if result is not None else None,
                suite_base,
            )
        )
    return sorted(tests)


RDF_TESTS = [
    t for folder in sorted(RDF.glob("rdf-*")) if folder.is_dir() for t in _manifest(folder)
]
NEGATIVE = [t for t in RDF_TESTS if "Negative" in t[1]]
POSITIVE = [t for t in RDF_TESTS if "Positive" in t[1] or t[1].endswith("Eval")]
SPARQL_TESTS = _manifest(SPARQL)


def _ids(tests):
    return [f"{t[2].parent.name}/{t[0]}" for t in tests]


def _relative_or_unicode(path: Path) -> bool:
    """Relative IRIs without a base in the file, or a blank node label that is not ASCII."""
    text = path.read_text(encoding="utf-8", errors="replace")
    relative_iri = re.search(r"<(?![a-zA-Z][a-zA-Z0-9+.-]*:)[^>\s]*>", text) is not None
    has_base = re.search(r"@base|\bBASE\b", text) is not None
    unicode_label = re.search(r"_:[^\s.;,]*[^\s\x00-\x7f]", text) is not None
    return (relative_iri and not has_base) or unicode_label


def test_the_suites_are_all_there():
    assert len(NEGATIVE) == 272
    assert len(POSITIVE) >= 500
    assert sum("Negative" in t[1] for t in SPARQL_TESTS) == 31


def _one_line_at(result, path: Path) -> None:
    assert result.exit_code == 3, (result.exit_code, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert re.search(rf"{re.escape(path.name)}:\d+:", lines[0]), lines[0]


@pytest.mark.parametrize("test", NEGATIVE, ids=_ids(NEGATIVE))
def test_negative_syntax_is_refused_by_every_command(test, tmp_path):
    path = test[2]
    _one_line_at(invoke("export", "--dataset", path, "-f", "nt"), path)
    _one_line_at(invoke("diff", path, path), path)
    _one_line_at(invoke("validate", path), path)
    _one_line_at(invoke("query", "-e", "ASK {}", "--dataset", path, "--dist-dir", tmp_path), path)


def _canonical_lines(nquads: str, folder_iri: str, base: str) -> set[str]:
    from pyoxigraph import CanonicalizationAlgorithm, Dataset, RdfFormat, parse

    text = nquads.replace(folder_iri, base)
    dataset = Dataset(parse(text.encode("utf-8"), format=RdfFormat.N_QUADS))
    dataset.canonicalize(CanonicalizationAlgorithm.RDFC_1_0)
    return {str(q) for q in dataset}


@pytest.mark.parametrize("test", POSITIVE, ids=_ids(POSITIVE))
def test_positive_syntax_is_accepted(test, tmp_path):
    _, _, path, result_path, base = test
    exported = invoke("export", "--dataset", path, "-f", "nq")
    assert exported.exit_code == 0, exported.stderr
    same = invoke("diff", path, path)
    assert same.exit_code == 0, same.stderr
    if result_path is not None:
        expected = invoke("export", "--dataset", result_path, "-f", "nq")
        assert expected.exit_code == 0, expected.stderr
        folder_iri = path.parent.as_uri() + "/"
        assert _canonical_lines(exported.stdout, folder_iri, base) == _canonical_lines(
            expected.stdout, folder_iri, base
        )


VALIDATED = [t for t in POSITIVE if _relative_or_unicode(t[2])]


@pytest.mark.parametrize("test", VALIDATED, ids=_ids(VALIDATED))
def test_positive_tests_with_relative_iris_or_unicode_labels_pass_validate_and_query(
    test, tmp_path
):
    result = invoke("validate", test[2], "--format", "json")
    assert result.exit_code in (0, 1), result.stderr  # 1: shapes found problems, not a failure
    assert result.stderr == ""
    asked = invoke("query", "-e", "ASK {}", "--dataset", test[2], "--dist-dir", tmp_path)
    assert (asked.exit_code, asked.stdout) == (0, "true\n"), asked.stderr


SPARQL_NEGATIVE = [t for t in SPARQL_TESTS if "Negative" in t[1]]
SPARQL_POSITIVE = [t for t in SPARQL_TESTS if "Positive" in t[1]]


@pytest.fixture(scope="module")
def tiny_dataset(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("tiny") / "tiny.nt"
    path.write_text('<http://example.org/s> <http://example.org/p> "1" .\n', encoding="utf-8")
    return path


@pytest.mark.parametrize("test", SPARQL_NEGATIVE, ids=_ids(SPARQL_NEGATIVE))
def test_negative_sparql_is_refused_with_its_position(test, tiny_dataset):
    """Refused by the guard's parse, or (scope rules rdflib's grammar leaves to its algebra)
    by pyoxigraph's parser, which then runs safely: the guard has checked the text's shape."""
    path = test[2]
    result = invoke("query", "--file", path, "--dataset", tiny_dataset, "--timeout", "10")
    assert result.exit_code == 3, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert re.search(rf"{re.escape(path.name)}:\d+:\d+: ", lines[0]), lines[0]


@pytest.mark.parametrize("test", SPARQL_POSITIVE, ids=_ids(SPARQL_POSITIVE))
def test_positive_sparql_is_accepted_or_refused_for_a_reason(test):
    from castgraph.guard.sparql import QueryRefused, classify

    path = test[2]
    try:
        classified = classify(path.read_text(encoding="utf-8"), path.name)
    except QueryRefused:
        return  # SERVICE, FROM or an update: refused on purpose
    assert classified.form in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
