"""`castgraph build` and `castgraph validate` end to end, and the promises of the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO_DIR, invoke

CASTGRAPH = Path(sys.executable).parent / "castgraph"


def run_castgraph(
    *args: str, seed: str = "0", cwd: Path | None = None
) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.run(
        [str(CASTGRAPH), *args], capture_output=True, cwd=cwd, env=env, check=False, timeout=300
    )


@pytest.mark.slow
def test_build_is_byte_identical_under_two_hash_seeds(tmp_path):
    outputs = []
    for seed in ("1", "4242"):
        out = tmp_path / f"dist-{seed}"
        done = run_castgraph("build", "--out", str(out), seed=seed)
        assert done.returncode == 0, done.stderr.decode()
        assert sorted(p.name for p in out.iterdir()) == [
            "castgraph.nq",
            "castgraph.trig",
            "castgraph.ttl",
            "names.tsv",
            "store",
            "store.json",
            "summary.json",
        ]
        # The text files are the artifacts; the store is an index of them (RocksDB's own files
        # and the manifest's modification times differ from build to build).
        outputs.append({p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()})
        del outputs[-1]["store.json"]
    assert outputs[0] == outputs[1]


@pytest.mark.slow
def test_help_imports_nothing_heavy():
    code = (
        "import sys\n"
        "from castgraph.cli import run\n"
        "try:\n    run(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in ('rdflib', 'pyshacl', 'pyoxigraph', 'networkx', 'pyld') if m in sys.modules)\n"
        "print('HEAVY:' + ','.join(heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "HEAVY:"


def test_help_and_version_exit_0_for_every_command(cli):
    assert cli("--version").stdout.startswith("castgraph, version ")
    top = cli("--help")
    assert top.exit_code == 0
    assert "Exit codes:" in top.stdout
    from castgraph.cli import cli as group

    for name in group.list_commands(None):
        result = cli(name, "--help")
        assert result.exit_code == 0, name
        assert "Usage: castgraph " + name in result.stdout


def test_unknown_option_is_a_usage_error(cli):
    result = cli("build", "--no-such-option")
    assert result.exit_code == 2
    assert "No such option" in result.stderr


def test_build_prints_summary_and_writes_dist(built_dist):
    summary = json.loads((built_dist / "summary.json").read_text(encoding="utf-8"))
    assert summary["classes"]["org:FormalOrganization"] >= 10
    assert "graph:004" in summary["graphs"]
    coverage = {c["what"]: c for c in summary["coverage"]}
    societies = coverage["national member societies"]
    assert societies["reported"] == 217
    assert societies["reported_source"] == "000"


def test_build_summary_text(tmp_path):
    result = invoke("build", "--out", str(tmp_path / "d"))
    assert result.exit_code == 0
    assert result.stdout.startswith("castgraph: ")
    assert "coverage:" in result.stdout
    assert "national member societies:" in result.stdout
    assert "validation: conforms" in result.stderr


def test_validate_a_built_dataset_as_text_json_and_turtle(built_dist):
    path = built_dist / "castgraph.trig"
    text = invoke("validate", str(path))
    assert text.exit_code == 0
    assert text.stdout.rstrip().splitlines()[-1].startswith("conforms: 0 violations")

    as_json = invoke("validate", str(path), "--format", "json")
    payload = json.loads(as_json.stdout)
    assert payload["conforms"] is True
    assert payload["counts"]["violation"] == 0
    for result in payload["results"]:
        assert set(result) == {
            "severity",
            "focus",
            "focus_label",
            "path",
            "message",
            "value",
            "shape",
            "component",
        }

    as_turtle = invoke("validate", str(path), "--format", "turtle")
    import rdflib

    report = rdflib.Graph().parse(data=as_turtle.stdout, format="turtle")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    conforms = list(report.objects(None, sh.conforms))
    assert [c.toPython() for c in conforms] == [True]
    assert len(list(report.subjects(rdflib.RDF.type, sh.ValidationResult))) == len(
        payload["results"]
    )


def test_validate_reports_violations_with_labels_and_exit_1(tmp_path):
    bad = tmp_path / "bad.trig"
    bad.write_text(
        """@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://w3id.org/castgraph/graph/registry> {
  <https://w3id.org/castgraph/graph/x> <http://www.w3.org/ns/prov#wasDerivedFrom> <https://w3id.org/castgraph/source/x> .
  <https://w3id.org/castgraph/source/x> <http://purl.org/dc/terms/title> "x"@en ; skos:notation "x" .
}
<https://w3id.org/castgraph/graph/x> {
  <https://w3id.org/castgraph/id/u> a org:OrganizationalUnit ; skos:prefLabel "无名部"@zh-Hans .
}
""",
        encoding="utf-8",
    )
    result = invoke("validate", str(bad))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "无名部 cid:u"
    assert any("Info · skos:prefLabel · no English name known yet" in line for line in lines)
    assert any(
        "Violation · " in line and "must be a unit of an organization" in line for line in lines
    )
    assert lines[-1].startswith("does not conform: 1 violation, 0 warnings, 1 info")


def test_validate_fail_on_info(built_dist):
    result = invoke("validate", str(built_dist / "castgraph.trig"), "--fail-on", "info")
    assert result.exit_code == 1  # the real graph has notes: units with no Chinese name yet


def test_validate_bad_input_exits_3_with_one_line(tmp_path):
    broken = tmp_path / "broken.trig"
    broken.write_text("<a> <b> .\n", encoding="utf-8")
    result = invoke("validate", str(broken))
    assert result.exit_code == 3
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith(str(broken))
    missing = invoke("validate", str(tmp_path / "nothing.trig"))
    assert missing.exit_code == 3
    assert "file not found" in missing.stderr


def test_validate_output_is_deterministic(built_dist):
    first = invoke("validate", str(built_dist / "castgraph.trig"), "--format", "json").stdout
    second = invoke("validate", str(built_dist / "castgraph.trig"), "--format", "json").stdout
    assert first == second


@pytest.mark.slow
def test_readme_starts_with_the_two_commands_and_they_are_make_targets():
    readme = (REPO_DIR / "README.md").read_text(encoding="utf-8")
    block = readme.split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]
    assert commands == ["make build", "make test"]
    ci = (REPO_DIR / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci
    dry = subprocess.run(
        ["make", "-n", "build", "test"], cwd=REPO_DIR, capture_output=True, text=True, check=True
    )
    assert "castgraph build" in dry.stdout
    assert "pytest" in dry.stdout


@pytest.mark.slow
def test_make_build_runs_end_to_end(tmp_path):
    venv = Path(sys.executable).parent.parent
    done = subprocess.run(
        ["make", "build", f"VENV={venv}", f"DIST={tmp_path / 'dist'}"],
        cwd=REPO_DIR,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "coverage:" in done.stdout
    assert (tmp_path / "dist" / "castgraph.trig").stat().st_size > 10_000
