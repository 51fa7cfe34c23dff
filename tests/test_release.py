"""Releases: the dataset states its version and date (from data/releases.yaml, never the clock),
its triple counts are exact, and `castgraph release` writes CHANGELOG.md sections from a diff."""

from __future__ import annotations

import pytest

from castgraph.paths import DATA_DIR, ONTOLOGY_PATH, ROOT_DIR

DATASET = "https://w3id.org/castgraph/dataset"
DATASET_GRAPH = "https://w3id.org/castgraph/graph/dataset"
VOID = "http://rdfs.org/ns/void#"


def _latest_release():
    from castgraph.loaders import RELEASES_FILE, _load_releases
    from castgraph.loaders.checker import Checker
    from castgraph.loaders.problems import DataProblem

    problems: list[DataProblem] = []
    releases = _load_releases(DATA_DIR / RELEASES_FILE, Checker(problems))
    assert problems == []
    return releases[0]


def test_dataset_states_the_release_of_data_releases_yaml(curated):
    release = _latest_release()
    rows = list(
        curated.store.query(
            f"""PREFIX owl: <http://www.w3.org/2002/07/owl#> PREFIX dct: <http://purl.org/dc/terms/>
            PREFIX void: <{VOID}> PREFIX dcat: <http://www.w3.org/ns/dcat#>
            SELECT ?v ?d ?l WHERE {{ GRAPH <{DATASET_GRAPH}> {{
              <{DATASET}> owl:versionInfo ?v ; dct:issued ?d ; dct:license ?l ;
                          dcat:version ?v ; a dcat:Dataset, void:Dataset }} }}"""
        )
    )
    assert len(rows) == 1
    assert rows[0]["v"].value == release.version
    assert rows[0]["d"].value == release.date
    assert rows[0]["d"].datatype.value.endswith("#date")
    assert rows[0]["l"].value == "https://creativecommons.org/licenses/by/4.0/"


def test_ontology_version_is_the_release_version():
    from pyoxigraph import RdfFormat, parse

    release = _latest_release()
    quads = list(parse(path=str(ONTOLOGY_PATH), format=RdfFormat.TURTLE))
    info = {q.object.value for q in quads if q.predicate.value.endswith("#versionInfo")}
    version_iri = {q.object.value for q in quads if q.predicate.value.endswith("#versionIRI")}
    assert info == {release.version}
    assert version_iri == {f"https://w3id.org/castgraph/def/{release.version}"}


def test_triple_counts_of_the_description_are_exact(curated):
    """void:triples of the whole and of every named graph (this one included) match SPARQL."""
    store = curated.store
    stated = {
        r["g"].value: int(r["n"].value)
        for r in store.query(
            f"SELECT ?g ?n WHERE {{ GRAPH <{DATASET_GRAPH}> {{ <{DATASET}> <{VOID}subset> ?g . "
            f"?g <{VOID}triples> ?n }} }}"
        )
    }
    actual = {
        r["g"].value: int(r["n"].value)
        for r in store.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        )
    }
    assert stated == actual
    assert DATASET_GRAPH in stated
    (whole,) = list(
        store.query(f"SELECT ?n WHERE {{ GRAPH ?g {{ <{DATASET}> <{VOID}triples> ?n }} }}")
    )
    (union,) = list(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
    assert int(whole["n"].value) == int(union["n"].value)


def test_releases_yaml_is_checked(tmp_path):
    from castgraph.loaders import _load_releases
    from castgraph.loaders.checker import Checker
    from castgraph.loaders.problems import DataProblem

    path = tmp_path / "releases.yaml"
    path.write_text(
        "- version: 0.2.0\n  date: 2027-01-05\n"
        "- version: 0.3.0\n  date: 2026-01-01\n"
        "- version: 1.0\n  date: 2026-01-01\n"
        "- version: 0.0.1\n  date: 2026-02-30\n"
        "- version: 0.0.0\n  date: 2025-01-01\n  when: now\n",
        encoding="utf-8",
    )
    problems: list[DataProblem] = []
    releases = _load_releases(path, Checker(problems))
    messages = sorted(str(p).replace(str(tmp_path), "") for p in problems)
    assert [r.version for r in releases] == ["0.2.0", "0.3.0", "0.0.0"]
    assert any(":3: version: 0.3.0 (2026-01-01) must be older than 0.2.0" in m for m in messages)
    assert any(":5: version: '1.0' must be MAJOR.MINOR.PATCH" in m for m in messages)
    assert any(":7: date:" in m for m in messages)
    assert any(":9: unknown field 'when'" in m for m in messages)


@pytest.fixture(scope="module")
def versions(built_dist, tmp_path_factory):
    """The built dataset as the new release, and an edited copy standing for the previous one."""
    folder = tmp_path_factory.mktemp("release")
    lines = (built_dist / "castgraph.nq").read_text(encoding="utf-8").splitlines(keepends=True)
    figure = "<https://w3id.org/castgraph/id/obs-000-national-societies> "
    cast_label = '<https://w3id.org/castgraph/id/cast> <http://www.w3.org/2004/02/skos/core#prefLabel> "China Association for Science and Technology"@en'
    assert any(line.startswith(figure) for line in lines)
    assert any(line.startswith(cast_label) for line in lines)
    old = [line for line in lines if not line.startswith(figure)]
    old = [line.replace(cast_label, cast_label.replace("China", "The China")) for line in old]
    old = [
        line.replace('"0.1.0"', '"0.0.9"').replace('"2026-12-03"', '"2026-11-01"') for line in old
    ]
    old.append(
        "<https://w3id.org/castgraph/id/person-gone> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "<http://xmlns.com/foaf/0.1/Person> <https://w3id.org/castgraph/graph/000> .\n"
    )
    previous = folder / "previous.nq"
    previous.write_text("".join(old), encoding="utf-8")
    return folder, previous


def test_release_writes_a_changelog_section_from_the_diff(cli, built_dist, versions):
    folder, previous = versions
    changelog = folder / "CHANGELOG.md"
    result = cli(
        "release", "--dist-dir", built_dist, "--previous", previous, "--changelog", changelog
    )
    assert result.exit_code == 0, result.stderr
    text = changelog.read_text(encoding="utf-8")
    release = _latest_release()
    assert text.startswith("# Changelog\n")
    assert f"## {release.version} ({release.date})\n" in text
    assert "Compared with 0.0.9 (2026-11-01) by `castgraph diff`:" in text
    assert "1 entities added, 1 removed, 1 changed." in text
    assert "| cast:Figure |" in text
    assert "| foaf:Person |" in text
    assert "| org:FormalOrganization |" in text
    figure_row = next(line for line in text.splitlines() if line.startswith("| cast:Figure |"))
    assert figure_row.endswith("| 1 | 0 | 0 |")
    person_row = next(line for line in text.splitlines() if line.startswith("| foaf:Person |"))
    assert person_row.endswith("| 0 | 1 | 0 |")
    # the same run again changes nothing; the section is the one `-` prints
    again = cli(
        "release", "--dist-dir", built_dist, "--previous", previous, "--changelog", changelog
    )
    assert again.exit_code == 0
    assert changelog.read_text(encoding="utf-8") == text
    printed = cli("release", "--dist-dir", built_dist, "--previous", previous, "--changelog", "-")
    assert printed.stdout in text


def test_first_release_section_and_a_newer_one_goes_on_top():
    from castgraph.publish.release import update_changelog

    first = "## 0.1.0 (2026-12-03)\n\nFirst release.\n"
    text = update_changelog(None, first)
    second = "## 0.2.0 (2027-01-05)\n\nCompared with 0.1.0.\n"
    text = update_changelog(text, second)
    assert text.index("## 0.2.0") < text.index("## 0.1.0")
    assert update_changelog(text, second) == text
    replaced = update_changelog(text, "## 0.1.0 (2026-12-03)\n\nFixed.\n")
    assert "Fixed." in replaced
    assert "First release." not in replaced
    assert replaced.index("## 0.2.0") < replaced.index("## 0.1.0")


def test_the_checked_in_changelog_has_the_current_release():
    release = _latest_release()
    text = (ROOT_DIR / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## {release.version} ({release.date})" in text


def test_a_dataset_without_a_release_is_refused(cli, tmp_path):
    data = tmp_path / "plain.nq"
    data.write_text(
        "<https://w3id.org/castgraph/id/x> <http://www.w3.org/2000/01/rdf-schema#label> "
        '"x" <https://w3id.org/castgraph/graph/000> .\n',
        encoding="utf-8",
    )
    changelog = tmp_path / "CHANGELOG.md"
    result = cli("release", "--dataset", data, "--changelog", changelog)
    assert result.exit_code == 3
    assert "states no release" in result.stderr
    assert not changelog.exists()
