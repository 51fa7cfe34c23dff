"""bench/bench_scale.py at a tiny size: its synthetic data builds and conforms, and its JSON output
has one row per step with numeric fields (the benchmark itself is run by hand at full size)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import pytest

from conftest import REPO_DIR, invoke

BENCH_DIR = REPO_DIR / "bench"
sys.path.insert(0, str(BENCH_DIR))

import synthetic  # noqa: E402

pytestmark = pytest.mark.slow

ORGS = 300


def test_synthetic_data_builds_and_conforms(tmp_path):
    data = tmp_path / "data"
    stats = synthetic.generate(data, ORGS)
    assert stats.rows["organizations.csv"] == ORGS
    for path in sorted(data.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if "sources" in row:  # forward compatibility: one source per row, never A;B
                    assert row["sources"], (path.name, row)
                    assert ";" not in row["sources"], (path.name, row)
    result = invoke("build", "--data-dir", str(data), "--out", str(tmp_path / "dist"), "--json")
    assert result.exit_code == 0, result.stderr + result.stdout
    summary = json.loads((tmp_path / "dist" / "summary.json").read_text(encoding="utf-8"))
    assert summary["quads"] > 10 * ORGS


def test_synthetic_data_is_deterministic(tmp_path):
    synthetic.generate(tmp_path / "a", 500)
    synthetic.generate(tmp_path / "b", 500)
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert files == sorted(p.name for p in (tmp_path / "b").iterdir())
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_benchmark_json_has_a_row_per_step(tmp_path):
    steps = [
        "build --no-validate",
        "query organizations-by-kind",
        "export turtle",
        "viz svg",
        "oxigraph-load",
        "rdflib-parse",
        "rdflib-turtle",
    ]
    data = tmp_path / "data"
    report = _bench(
        "--write-data",
        str(data),
        "--baseline-max",
        "200",  # below --orgs: rdflib runs at 100 and 200 and is extrapolated to 300
        "--steps",
        ",".join(steps),
    )
    assert report["n"] == ORGS
    assert (data / "organizations.csv").is_file()  # --write-data keeps the data
    rows = {(r["step"], r["n"]): r for r in report["rows"]}
    expected = {
        ("generate data (in-process)", ORGS),
        ("build --no-validate", ORGS),
        ("query organizations-by-kind", ORGS),
        ("export turtle", ORGS),
        ("viz svg", ORGS),
        ("pyoxigraph Store().bulk_load", ORGS),
        ("rdflib parse", 100),
        ("rdflib parse", 200),
        ("rdflib parse", ORGS),
        ("rdflib parse + Turtle serialize", 100),
        ("rdflib parse + Turtle serialize", 200),
        ("rdflib parse + Turtle serialize", ORGS),
    }
    assert expected <= set(rows), sorted(set(rows))
    for key in expected:
        row = rows[key]
        for field in ("wall_s", "cpu_s", "peak_mib"):
            assert isinstance(row[field], float), (field, row)
            assert row[field] > 0, (field, row)
        assert row["status"] == (
            "extrapolated" if key[0].startswith("rdflib") and key[1] == ORGS else "ok"
        ), row
    for step in ("build --no-validate", "export turtle"):
        assert isinstance(rows[(step, ORGS)]["ratio"], float), rows[(step, ORGS)]
    assert {"target", "measured", "met", "verdict"} <= set(report["targets"][0])


def test_repeat_reports_the_median_run_and_the_range(tmp_path):
    report = _bench(
        "--work-dir",
        str(tmp_path / "work"),
        "--steps",
        "query organizations-by-kind",
        "--repeat",
        "3",
    )
    row = next(r for r in report["rows"] if r["step"] == "query organizations-by-kind")
    assert len(row["runs"]) == 3
    assert row["wall_s"] == sorted(row["runs"])[1]
    low, high = min(row["runs"]), max(row["runs"])
    assert f"median of 3 runs, {low:.2f}-{high:.2f} s" in row["note"]


def _bench(*options: str) -> dict:
    """The JSON report of bench_scale.py at ``ORGS`` organizations with ``options``."""
    done = subprocess.run(
        [
            sys.executable,
            str(BENCH_DIR / "bench_scale.py"),
            "--orgs",
            str(ORGS),
            "--json",
            "--quiet",
            "--step-timeout",
            "120",
            *options,
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)
