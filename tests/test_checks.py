"""The data-quality checks in queries/checks/: silent on the real data, loud on data built to break them.

Each check ``queries/checks/NAME-violation.rq`` has a fixture ``tests/checks/NAME-violation.trig``
whose ``# expect focus: IRI`` lines name exactly the nodes the check must report. The checks run
the way ``castgraph validate`` runs them (``validate._run_checks``: the store's own default graph,
so every pattern names its graph).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from castgraph.query.library import check_files, load_file

FIXTURES = Path(__file__).parent / "checks"
CHECKS = check_files()


def expected_focus(fixture: Path) -> set[str]:
    prefix = "# expect focus:"
    lines = fixture.read_text(encoding="utf-8").splitlines()
    return {line[len(prefix) :].strip() for line in lines if line.startswith(prefix)}


def run_check(store, check: Path):
    """The check's findings as validate reports them (Result values), for this one check."""
    from castgraph.check.validate import _run_checks

    directory = check.parent
    results, _ = _run_checks(store, directory)
    return [r for r in results if r.shape == f"check:{check.stem}"]


@pytest.fixture(scope="module")
def fixture_store():
    from castgraph.dataset.engine import load_store

    return load_store


def test_there_are_checks_for_every_kind_the_project_needs():
    names = {path.stem for path in CHECKS}
    assert {
        "statement-in-default-graph-violation",
        "graph-not-in-registry-violation",
        "organization-without-a-name-violation",
        "post-without-role-or-organization-violation",
        "post-without-holder-or-note-violation",
        "tenure-without-named-person-violation",
        "figure-without-described-source-violation",
        "national-society-without-chinese-name-violation",
        "fact-without-source-violation",
    } <= names


@pytest.mark.parametrize("check", CHECKS, ids=lambda p: p.stem)
def test_check_has_a_header_and_selects_focus(check):
    definition = load_file(check)
    assert definition.summary, f"{check.name}: no #+ summary"
    assert definition.form == "SELECT"
    assert "focus" in definition.lexed.variables
    assert not definition.parameters, "checks take no parameters"


@pytest.mark.parametrize("check", CHECKS, ids=lambda p: p.stem)
def test_check_finds_nothing_in_the_real_data(built_store, check):
    found = run_check(built_store, check)
    assert found == [], "\n".join(f"{r.focus} {r.message} {r.value}" for r in found)


@pytest.mark.parametrize("check", CHECKS, ids=lambda p: p.stem)
def test_check_reports_exactly_the_broken_nodes_of_its_fixture(fixture_store, check):
    fixture = FIXTURES / f"{check.stem}.trig"
    if not fixture.is_file():
        pytest.fail(f"no fixture for {check.name}: write {fixture} with data that breaks the check")
    expected = expected_focus(fixture)
    assert expected, f"{fixture.name}: add `# expect focus: IRI` lines"
    found = run_check(fixture_store(fixture), check)
    assert found, f"{check.name} found nothing in {fixture.name}"
    assert {r.focus for r in found} == expected
    assert all(r.message and r.severity == "Violation" for r in found)


def test_every_fixture_belongs_to_a_check():
    names = {path.stem for path in CHECKS}
    orphans = [p.name for p in FIXTURES.glob("*.trig") if p.stem not in names]
    assert not orphans


def test_the_blank_director_general_is_an_honest_blank_not_a_violation(built_store):
    """Research and Publicity's director general is unfilled in source 004, with a note saying so."""
    check = next(p for p in CHECKS if p.stem == "post-without-holder-or-note-violation")
    assert run_check(built_store, check) == []
    rows = list(
        built_store.query(
            """SELECT ?note WHERE {
                 GRAPH ?g { cid:post-research-and-publicity-dg a org:Post }
                 GRAPH <https://w3id.org/castgraph/graph/curation> {
                   cid:post-research-and-publicity-dg skos:editorialNote ?note } }""",
            prefixes={
                "cid": "https://w3id.org/castgraph/id/",
                "org": "http://www.w3.org/ns/org#",
                "skos": "http://www.w3.org/2004/02/skos/core#",
            },
        )
    )
    assert [r["note"].value for r in rows] == ["the source leaves the holder blank"]


def test_validate_reports_a_broken_fixture_with_the_checks_name(cli):
    fixture = FIXTURES / "post-without-holder-or-note-violation.trig"
    result = cli("validate", str(fixture))
    assert result.exit_code == 1
    assert "post without a holder and without an editorial note" in result.stdout
    assert "check:post-without-holder-or-note-violation" in result.stdout
    assert "cid:post-forgotten" in result.stdout
