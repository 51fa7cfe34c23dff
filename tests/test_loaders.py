"""Loaders: every malformed row is reported as `file:line: message`, all at once, with exit 3.

Each test copies the real data/ to a temporary folder, breaks one thing, and checks the exact
message; the CLI tests also check that dist/ is left exactly as it was.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from castgraph.loaders import load_all
from castgraph.loaders.problems import DataErrors
from castgraph.paths import DATA_DIR
from conftest import invoke


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def append(path: Path, line: str) -> int:
    """Append one CSV line; return its 1-based line number."""
    text = path.read_text(encoding="utf-8")
    if not text.endswith("\n"):
        text += "\n"
    number = text.count("\n") + 1
    path.write_text(text + line + "\n", encoding="utf-8")
    return number


def problems(data_dir: Path) -> list[str]:
    with pytest.raises(DataErrors) as caught:
        load_all(data_dir)
    return [str(p) for p in caught.value.problems]


def only(data_dir: Path) -> str:
    found = problems(data_dir)
    assert len(found) == 1, found
    return found[0]


def test_real_data_loads_without_problems():
    records = load_all(DATA_DIR)
    assert records.organizations
    assert records.names
    assert records.observations


def test_row_with_wrong_number_of_cells(data_dir):
    line = append(
        data_dir / "tenures.csv", "tenure-x,person-ren-fujun,post-general-office-dg,,,2007"
    )
    assert only(data_dir).endswith(f"tenures.csv:{line}: expected 10 cells, found 6")


def test_unknown_source_key(data_dir):
    line = append(data_dir / "names.csv", "cast,中国科学技术协会 (test),zh-Hans,alternative,S999,")
    assert only(data_dir).endswith(
        f"names.csv:{line}: source: unknown source key 'S999' (not in sources.yaml)"
    )


def test_a_row_citing_two_sources_is_refused(data_dir):
    """A row's statements go into its source's graph: two sources would be told the same."""
    line = append(
        data_dir / "names.csv", "cast,中国科学技术协会 (test),zh-Hans,alternative,000;001,"
    )
    assert only(data_dir).endswith(
        f"names.csv:{line}: source: one source per row, not '000;001': a row's statements go "
        "into its source's graph, so write one row per source with what that source states"
    )


def test_one_row_per_id_and_source(data_dir):
    line = append(data_dir / "persons.csv", "person-ren-fujun,004,")
    assert "duplicate id 'person-ren-fujun' for source '004'" in only(data_dir)
    assert f"persons.csv:{line}:" in only(data_dir)


def test_duplicate_id(data_dir):
    line = append(data_dir / "works.csv", "person-ren-fujun,program,004,")
    message = only(data_dir)
    assert f"works.csv:{line}: duplicate id 'person-ren-fujun' (already a person at " in message


def test_bad_date(data_dir):
    line = append(
        data_dir / "observations.csv",
        "obs-test-bad-date,cast,national-societies,1,,2022-13-01,000,",
    )
    assert only(data_dir).endswith(
        f"observations.csv:{line}: date: bad date '2022-13-01': no such day"
    )


def test_malformed_date(data_dir):
    line = append(data_dir / "facts.csv", "cast,founded,September 1958,000,")
    assert only(data_dir).endswith(
        f"facts.csv:{line}: value: bad date 'September 1958': "
        "expected YYYY, YYYY-MM or YYYY-MM-DD, optionally ending in ~"
    )


def test_dangling_reference(data_dir):
    line = append(data_dir / "relations.csv", "hq-general-office,unit-of,no-such-org,004,")
    assert only(data_dir).endswith(f"relations.csv:{line}: object: unknown id 'no-such-org'")


def test_reference_of_the_wrong_kind(data_dir):
    line = append(data_dir / "tenures.csv", "tenure-test,cast,post-general-office-dg,,,2007,,,004,")
    assert only(data_dir).endswith(
        f"tenures.csv:{line}: person: 'cast' is a organization, expected a person"
    )


def test_unknown_concept(data_dir):
    line = append(data_dir / "posts.csv", "post-test,cast,chairman-of-everything,004,")
    assert only(data_dir).endswith(
        f"posts.csv:{line}: role: unknown concept 'chairman-of-everything' (add it to concepts.csv)"
    )


def test_unknown_controlled_value(data_dir):
    line = append(data_dir / "relations.csv", "hq-general-office,reports-to,cast,004,")
    message = only(data_dir)
    assert message.startswith(str(data_dir / "relations.csv") + f":{line}: relation: unknown value")
    assert "'reports-to' (expected one of: unit-of, sub-organization-of," in message


def test_not_a_slug(data_dir):
    line = append(data_dir / "persons.csv", "Person Ren,004,")
    assert only(data_dir).endswith(
        f"persons.csv:{line}: id: 'Person Ren' is not a slug (a-z, 0-9 and single dashes)"
    )


def test_second_preferred_name_in_one_language(data_dir):
    line = append(data_dir / "names.csv", "cast,Chinese Association of Science,en,preferred,001,")
    assert f"names.csv:{line}: second preferred en name for 'cast'" in only(data_dir)


def test_chinese_name_without_chinese_characters(data_dir):
    line = append(data_dir / "names.csv", "cast,Zhongguo Kexie,zh-Hans,alternative,002,")
    assert only(data_dir).endswith(
        f"names.csv:{line}: name: zh-Hans name 'Zhongguo Kexie' has no Chinese characters"
    )


def test_bad_header(data_dir):
    path = data_dir / "works.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("id,type,source,note", "id,kind,source,note", 1), encoding="utf-8")
    message = only(data_dir)
    assert message.endswith(
        "works.csv:1: header is 'id,kind,source,note', expected 'id,type,source,note'"
    )


def test_unterminated_quote_is_a_csv_error(data_dir):
    append(data_dir / "facts.csv", 'cast,description,"never closed,000,')
    message = only(data_dir)
    assert "facts.csv:" in message
    assert "bad CSV" in message


def test_missing_file(data_dir):
    (data_dir / "events.csv").unlink()
    assert only(data_dir).endswith("events.csv: file not found")


def test_yaml_syntax_error_names_its_line(data_dir):
    path = data_dir / "sources.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.append('- key: "Z1"')
    lines.append("  title: [unclosed")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = problems(data_dir)[0]
    assert "sources.yaml:" in message
    assert "bad YAML" in message


def test_yaml_aliases_are_refused(data_dir):
    path = data_dir / "sources.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text + "- &a {key: Z2, title: t, kind: reference, grade: A}\n- *a\n", encoding="utf-8"
    )
    assert any("anchors and aliases are not allowed" in p for p in problems(data_dir))


def test_all_problems_are_reported_at_once(data_dir):
    first = append(data_dir / "persons.csv", "person-ren-fujun,004,")
    second = append(data_dir / "relations.csv", "hq-general-office,unit-of,nowhere,004,")
    third = append(data_dir / "observations.csv", "obs-x,cast,national-societies,many,,2022,000,")
    found = problems(data_dir)
    assert len(found) == 3
    assert any(f"persons.csv:{first}:" in p for p in found)
    assert any(f"relations.csv:{second}:" in p for p in found)
    assert any(f"observations.csv:{third}: value: 'many' is not a number" in p for p in found)


def test_build_reports_problems_exits_3_and_leaves_dist_untouched(data_dir, tmp_path):
    dist = tmp_path / "dist"
    ok = invoke("build", "--data-dir", str(data_dir), "--out", str(dist))
    assert ok.exit_code == 0, ok.stderr
    before = {p.name: p.read_bytes() if p.is_file() else None for p in dist.iterdir()}

    line = append(
        data_dir / "tenures.csv", "tenure-y,person-nobody,post-general-office-dg,,,2007,,,004,"
    )
    failed = invoke("build", "--data-dir", str(data_dir), "--out", str(dist))

    assert failed.exit_code == 3
    assert failed.stdout == ""
    assert failed.stderr.strip().splitlines() == [
        f"{data_dir / 'tenures.csv'}:{line}: person: unknown id 'person-nobody'"
    ]
    after = {p.name: p.read_bytes() if p.is_file() else None for p in dist.iterdir()}
    assert after == before  # same files, same bytes, no temporary leftovers


def test_build_into_a_fresh_folder_writes_nothing_on_bad_input(data_dir, tmp_path):
    append(data_dir / "persons.csv", "person-ren-fujun,004,")
    dist = tmp_path / "never"
    result = invoke("build", "--data-dir", str(data_dir), "--out", str(dist))
    assert result.exit_code == 3
    assert not dist.exists()


def test_a_number_with_leading_zeros_is_refused(data_dir):
    line = append(
        data_dir / "observations.csv", "obs-test-zeros,cast,national-societies,007,,2022,000,"
    )
    assert only(data_dir).endswith(
        f"observations.csv:{line}: value: '007' is not a number (write it out: 6370000, 47.1)"
    )


def test_a_control_character_is_refused(data_dir):
    line = append(data_dir / "facts.csv", "cast,description,bell\x07here,000,")
    assert only(data_dir).endswith(f"facts.csv:{line}: value: contains a control character")
