"""Synthetic curated data shaped like the CAST system, for benchmarks at scale.

``generate(target, count)`` writes a complete ``data/`` folder in the curated format (every CSV
file, ``sources.yaml`` and ``concepts.csv``) that ``castgraph build --data-dir target`` accepts
and that conforms to the shapes and checks. Its ``count`` organizations are:

- CAST itself (``cast``) and its headquarters: departments (``unit-of`` CAST) and their divisions
  (``sub-organization-of`` a department), each with a director-general or director post;
- national societies (about 217 at 150,000), each in one of the five discipline groups, members
  of CAST in the role ``national-member-society``;
- provincial associations (at most 32), members of CAST;
- city (about 400 at 150,000) and county (about 2,850) associations, each a member of an
  association one level up;
- community organizations (enterprise, university, rural, neighbourhood: the rest), each a
  member of a county (or, for a few, a city) association.

Every organization has an English and a Chinese preferred name, a kind, a founding date (year,
month or day precision) and a membership of its parent. Associations and societies have posts
(president, party secretary) held by persons through dated tenures, a few posts are left
unfilled with a note, and associations report figures (members) in observations.

Every row cites exactly one source key (never ``A;B``): the seed documents 000, 003, 004 and the
reference sources S01 and P9, copied from the real ``data/sources.yaml``. The real
``data/concepts.csv`` is copied and three synthetic kinds are appended (city, county and community
organizations, which the curated graph does not have).

Deterministic for a given ``count`` and ``seed``; 150,000 organizations (about 2 M quads) are
written in a few seconds.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from pathlib import Path

from castgraph.paths import DATA_DIR

SOURCE_CAST = "000"  # CAST's About Us page: CAST itself, its totals
SOURCE_REVIEW = "003"  # the 2012-2022 review: city, county and community organizations
SOURCE_HQ = "004"  # the 2007 headquarters page: departments, divisions and their heads
SOURCE_SOCIETIES = "S01"  # the 2018 list of national societies
SOURCE_PROVINCES = "P9"  # provincial associations
# "curation" is not cited by any row, but the vocabulary graph derives from it.
SOURCES = (SOURCE_CAST, SOURCE_REVIEW, SOURCE_HQ, SOURCE_SOCIETIES, SOURCE_PROVINCES, "curation")

EXTRA_CONCEPTS = [
    [
        "organization-kind",
        "city-association",
        "city association for science and technology",
        "市科学技术协会",
        "Synthetic benchmark kind: an association at the level of a prefecture or city.",
        "association-for-science-and-technology",
    ],
    [
        "organization-kind",
        "county-association",
        "county association for science and technology",
        "县科学技术协会",
        "Synthetic benchmark kind: an association at the level of a county or district.",
        "association-for-science-and-technology",
    ],
    [
        "organization-kind",
        "community-organization",
        "community organization for science and technology",
        "基层科协组织",
        "Synthetic benchmark kind: a grassroots association of an enterprise, a university, "
        "a township or a neighbourhood.",
        "",
    ],
]

SYLLABLES = [
    ("an", "安"), ("bao", "宝"), ("chang", "昌"), ("da", "大"), ("dong", "东"), ("feng", "丰"),
    ("fu", "福"), ("gao", "高"), ("guang", "广"), ("hai", "海"), ("he", "和"), ("hong", "红"),
    ("hua", "华"), ("jian", "建"), ("jin", "金"), ("kang", "康"), ("le", "乐"), ("lin", "林"),
    ("long", "龙"), ("mei", "梅"), ("nan", "南"), ("ning", "宁"), ("ping", "平"), ("qing", "庆"),
    ("rui", "瑞"), ("shan", "山"), ("shi", "石"), ("tai", "泰"), ("tian", "天"), ("wen", "文"),
    ("xi", "西"), ("xin", "新"), ("yang", "阳"), ("yong", "永"), ("yu", "玉"), ("yuan", "元"),
    ("ze", "泽"), ("zhang", "章"), ("zhen", "镇"), ("zhou", "州"),
]  # fmt: skip
SURNAMES = [
    ("Wang", "王"), ("Li", "李"), ("Zhang", "张"), ("Liu", "刘"), ("Chen", "陈"), ("Yang", "杨"),
    ("Zhao", "赵"), ("Huang", "黄"), ("Zhou", "周"), ("Wu", "吴"), ("Xu", "徐"), ("Sun", "孙"),
    ("Hu", "胡"), ("Zhu", "朱"), ("Gao", "高"), ("Lin", "林"), ("He", "何"), ("Guo", "郭"),
]  # fmt: skip
DISCIPLINES = {
    "discipline-science": [("Physics", "物理"), ("Chemistry", "化学"), ("Mathematics", "数学")],
    "discipline-engineering": [("Mechanics", "机械"), ("Electronics", "电子"), ("Metals", "金属")],
    "discipline-agriculture": [("Crops", "作物"), ("Forestry", "林业"), ("Soil", "土壤")],
    "discipline-medicine": [("Medicine", "医学"), ("Nursing", "护理"), ("Pharmacy", "药学")],
    "discipline-interdisciplinary": [("Science Writing", "科普"), ("Futures", "未来")],
}
COMMUNITY_KINDS = [
    ("Enterprise", "企业"),
    ("University", "高校"),
    ("Township", "乡镇"),
    ("Neighbourhood", "街道"),
]
HQ_DEPARTMENTS = [
    ("General Office", "办公厅"),
    ("Department of Organization and Personnel", "组织人事部"),
    ("Department of Academic and Societies Affairs", "学会学术部"),
    ("Department of Science Popularization", "科普部"),
    ("Department of International Affairs", "国际联络部"),
    ("Department of Planning and Finance", "计划财务部"),
    ("Department of Research and Publicity", "调研宣传部"),
    ("Department of Enterprise and Rural Affairs", "企业农村工作部"),
    ("Department of Youth Affairs", "青年工作部"),
    ("Department of Science and Technology Services", "科技服务部"),
    ("Office of Party Affairs", "机关党委"),
    ("Office of Retired Staff", "离退休干部局"),
]

COLUMNS = {
    "organizations.csv": "id,type,kind,source,note",
    "persons.csv": "id,source,note",
    "names.csv": "id,name,lang,type,source,note",
    "facts.csv": "id,property,value,source,note",
    "relations.csv": "subject,relation,object,source,note",
    "memberships.csv": "id,member,organization,role,start,end,source,note",
    "posts.csv": "id,organization,role,source,note",
    "tenures.csv": "id,person,post,start,end,as_of,concurrent,term,source,note",
    "terms.csv": "id,body,ordinal,congress,source,note",
    "observations.csv": "id,about,measure,value,qualifier,date,source,note",
    "events.csv": "id,type,date,place,original,resulting,source,note",
    "works.csv": "id,type,source,note",
}


@dataclass
class Shape:
    """How many organizations of each level ``count`` gives (they add up to ``count``)."""

    headquarters: int
    national: int
    provincial: int
    city: int
    county: int
    community: int

    @classmethod
    def of(cls, count: int) -> Shape:
        if count < 60:
            raise ValueError("at least 60 organizations, please")
        headquarters = len(HQ_DEPARTMENTS) * 4  # departments and three divisions each
        if count < 1000:
            headquarters = len(HQ_DEPARTMENTS)
        national = max(5, round(count * 217 / 150_000))
        provincial = min(32, max(3, count // 60))
        city = max(provincial, round(count * 400 / 150_000))
        county = max(city, round(count * 2_850 / 150_000))
        community = count - 1 - headquarters - national - provincial - city - county
        if community < 0:
            raise ValueError(f"{count} organizations are too few for the shape")
        return cls(headquarters, national, provincial, city, county, community)


@dataclass
class Stats:
    count: int
    shape: Shape
    rows: dict[str, int] = field(default_factory=dict)


class _Writer:
    """Rows appended to each file of ``data/``; ``source`` is always one key."""

    def __init__(self, target: Path):
        self.handles = {}
        self.writers = {}
        self.rows = dict.fromkeys(COLUMNS, 0)
        for name, header in COLUMNS.items():
            handle = (target / name).open("w", encoding="utf-8", newline="")
            handle.write(header + "\n")
            self.handles[name] = handle
            self.writers[name] = csv.writer(handle, lineterminator="\n")

    def row(self, name: str, *values: str) -> None:
        self.writers[name].writerow(values)
        self.rows[name] += 1

    def close(self) -> None:
        for handle in self.handles.values():
            handle.close()

    # One entity of each kind, with its names.

    def organization(
        self,
        slug: str,
        kind: str,
        en: str,
        zh: str,
        founded: str,
        source: str,
        type_="formal-organization",
    ) -> None:
        self.row("organizations.csv", slug, type_, kind, source, "")
        self.row("names.csv", slug, en, "en", "preferred", source, "")
        self.row("names.csv", slug, zh, "zh-Hans", "preferred", source, "")
        if founded:
            self.row("facts.csv", slug, "founded", founded, source, "")

    def membership(self, member: str, parent: str, role: str, start: str, source: str) -> None:
        self.row(
            "memberships.csv", f"membership-{member}", member, parent, role, start, "", source, ""
        )


def _copy_sources(target: Path) -> None:
    """The entries of the real sources.yaml that the generated rows cite, copied verbatim."""
    text = (DATA_DIR / "sources.yaml").read_text(encoding="utf-8")
    header, *entries = text.split("\n- key: ")
    kept = []
    for entry in entries:
        key = entry.split("\n", 1)[0].strip().strip("\"'")
        if key in SOURCES:
            kept.append(entry.rstrip("\n"))
    if len(kept) != len(SOURCES):
        raise RuntimeError("data/sources.yaml lacks one of the sources the generator cites")
    lines = [line for line in header.splitlines() if line.startswith("#")]
    lines.insert(0, "# Synthetic benchmark data (bench/synthetic.py); sources copied from data/.")
    body = "\n".join(f"- key: {entry}" for entry in kept)
    (target / "sources.yaml").write_text("\n".join(lines) + "\n" + body + "\n", encoding="utf-8")


def _copy_concepts(target: Path) -> None:
    text = (DATA_DIR / "concepts.csv").read_text(encoding="utf-8")
    with (target / "concepts.csv").open("w", encoding="utf-8", newline="") as handle:
        handle.write(text if text.endswith("\n") else text + "\n")
        known = {line.split(",")[1] for line in text.splitlines()[1:] if line}
        extra = [
            row for row in EXTRA_CONCEPTS if row[1] not in known
        ]  # the real data may have them
        csv.writer(handle, lineterminator="\n").writerows(extra)


def generate(target: Path, count: int, seed: int = 20261201) -> Stats:
    """Write a complete synthetic ``data/`` of ``count`` organizations into ``target``."""
    shape = Shape.of(count)
    target.mkdir(parents=True, exist_ok=True)
    _copy_sources(target)
    _copy_concepts(target)
    rng = random.Random(seed)
    out = _Writer(target)
    persons = 0

    def date(low: int = 1950, high: int = 2022) -> str:
        year = rng.randint(low, high)
        precision = rng.random()
        if precision < 0.5:
            return str(year)
        if precision < 0.8:
            return f"{year}-{rng.randint(1, 12):02d}"
        return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"

    def place(n: int) -> tuple[str, str]:
        first = SYLLABLES[n % len(SYLLABLES)]
        second = SYLLABLES[(n // len(SYLLABLES) + 7 * n) % len(SYLLABLES)]
        return (first[0] + second[0]).capitalize(), first[1] + second[1]

    def person(source: str) -> str:
        nonlocal persons
        persons += 1
        slug = f"person-synthetic-{persons:06d}"
        surname = SURNAMES[rng.randrange(len(SURNAMES))]
        given = [SYLLABLES[rng.randrange(len(SYLLABLES))] for _ in range(rng.choice((1, 2)))]
        out.row("persons.csv", slug, source, "")
        out.row(
            "names.csv",
            slug,
            f"{surname[0]} {''.join(s[0] for s in given).capitalize()}",
            "en",
            "preferred",
            source,
            "",
        )
        out.row(
            "names.csv",
            slug,
            surname[1] + "".join(s[1] for s in given),
            "zh-Hans",
            "preferred",
            source,
            "",
        )
        return slug

    def posts(organization: str, roles: tuple[str, ...], source: str, dated: bool) -> None:
        """A post per role, each held by one or two persons, or (2 %) left unfilled."""
        for role in roles:
            post = f"post-{organization}-{role}"
            if rng.random() < 0.02:
                out.row("posts.csv", post, organization, role, source, "the source leaves it blank")
                continue
            out.row("posts.csv", post, organization, role, source, "")
            if not dated:
                out.row(
                    "tenures.csv",
                    f"tenure-{post}-1",
                    person(source),
                    post,
                    "",
                    "",
                    "2007",
                    "",
                    "",
                    source,
                    "",
                )
                continue
            start = rng.randint(2000, 2016)
            if rng.random() < 0.6:  # a predecessor whose term ended when the holder's began
                earlier = rng.randint(1990, start - 1)
                out.row(
                    "tenures.csv",
                    f"tenure-{post}-0",
                    person(source),
                    post,
                    str(earlier),
                    str(start),
                    "",
                    "",
                    "",
                    source,
                    "",
                )
            out.row(
                "tenures.csv",
                f"tenure-{post}-1",
                person(source),
                post,
                f"{start}-{rng.randint(1, 12):02d}",
                "",
                "",
                "",
                "",
                source,
                "",
            )

    def members(organization: str, source: str) -> None:
        year = rng.choice((2020, 2021))
        qualifier = "about" if rng.random() < 0.3 else ""
        out.row(
            "observations.csv",
            f"obs-{organization}-members-{year}",
            organization,
            "individual-members",
            str(rng.randint(200, 2_000_000) // 10 * 10),
            qualifier,
            f"{year}-12-31",
            source,
            "",
        )

    # CAST and its headquarters.
    out.organization(
        "cast",
        "association-for-science-and-technology",
        "China Association for Science and Technology",
        "中国科学技术协会",
        "1958-09",
        SOURCE_CAST,
    )
    out.row("names.csv", "cast", "CAST", "en", "acronym", SOURCE_CAST, "")
    posts("cast", ("president", "party-secretary"), SOURCE_CAST, dated=True)
    departments = min(len(HQ_DEPARTMENTS), shape.headquarters)
    divisions = (shape.headquarters - departments) // departments
    for d, (en, zh) in enumerate(HQ_DEPARTMENTS[:departments]):
        unit = f"hq-synthetic-{d + 1:02d}"
        out.organization(unit, "headquarters-department", en, zh, "", SOURCE_HQ, type_="unit")
        out.row("relations.csv", unit, "unit-of", "cast", SOURCE_HQ, "")
        posts(unit, ("director-general", "deputy-director-general"), SOURCE_HQ, dated=False)
        for v in range(divisions):
            division = f"{unit}-division-{v + 1}"
            out.organization(
                division,
                "division",
                f"Division {v + 1}, {en}",
                f"{zh}第{v + 1}处",
                "",
                SOURCE_HQ,
                type_="unit",
            )
            out.row("relations.csv", division, "sub-organization-of", unit, SOURCE_HQ, "")
            posts(division, ("director",), SOURCE_HQ, dated=False)

    # National societies, in the five discipline groups.
    groups = list(DISCIPLINES)
    for n in range(shape.national):
        group = groups[n % len(groups)]
        subject = DISCIPLINES[group][(n // len(groups)) % len(DISCIPLINES[group])]
        slug = f"society-synthetic-{n + 1:04d}"
        out.organization(
            slug,
            f"national-society;{group}",
            f"Chinese Society of {subject[0]} No. {n + 1}",
            f"中国{subject[1]}学会第{n + 1}号",
            date(1907, 2015),
            SOURCE_SOCIETIES,
        )
        out.membership(slug, "cast", "national-member-society", "", SOURCE_SOCIETIES)
        posts(slug, ("president",), SOURCE_SOCIETIES, dated=True)

    # Local associations: provincial, city, county; each a member of the level above.
    def level(
        prefix: str,
        total: int,
        parents: list[str],
        kind: str,
        en_word: str,
        zh_word: str,
        source: str,
    ) -> list[str]:
        slugs = []
        for n in range(total):
            slug = f"{prefix}-{n + 1:05d}"
            name_en, name_zh = place(n * 31 + len(prefix))
            founded = date(1958, 2020)
            out.organization(
                slug,
                kind,
                f"{name_en} {en_word} Association for Science and Technology",
                f"{name_zh}{zh_word}科学技术协会",
                founded,
                source,
            )
            start = founded if rng.random() < 0.3 else ""
            out.membership(slug, parents[n % len(parents)], "member", start, source)
            roles = (
                ("president", "party-secretary") if kind != "county-association" else ("president",)
            )
            posts(slug, roles, source, dated=True)
            members(slug, source)
            slugs.append(slug)
        return slugs

    provinces = level(
        "province-synthetic",
        shape.provincial,
        ["cast"],
        "provincial-association",
        "Provincial",
        "省",
        SOURCE_PROVINCES,
    )
    cities = level(
        "city-synthetic",
        shape.city,
        provinces,
        "city-association",
        "Municipal",
        "市",
        SOURCE_REVIEW,
    )
    counties = level(
        "county-synthetic",
        shape.county,
        cities,
        "county-association",
        "County",
        "县",
        SOURCE_REVIEW,
    )

    # Community organizations: the rest; most belong to a county, a few to a city.
    for n in range(shape.community):
        slug = f"community-synthetic-{n + 1:06d}"
        kind_en, kind_zh = COMMUNITY_KINDS[n % len(COMMUNITY_KINDS)]
        name_en, name_zh = place(n)
        parent = counties[n % len(counties)] if n % 20 else cities[n % len(cities)]
        out.organization(
            slug,
            "community-organization",
            f"{name_en} {kind_en} Science Association No. {n + 1}",
            f"{name_zh}{kind_zh}科协第{n + 1}号",
            date(1980, 2022),
            SOURCE_REVIEW,
        )
        out.membership(slug, parent, "member", "", SOURCE_REVIEW)

    # CAST's totals, as its own page would report them.
    for measure, value in (
        ("national-societies", shape.national),
        ("provincial-associations", shape.provincial),
        ("prefecture-associations", shape.city),
        ("county-associations", shape.county),
        ("community-organizations", shape.community),
    ):
        out.row(
            "observations.csv",
            f"obs-synthetic-{measure}",
            "cast",
            measure,
            str(value),
            "",
            "2022-12-31",
            SOURCE_CAST,
            "",
        )
    out.close()
    return Stats(count=count, shape=shape, rows=dict(out.rows))


if __name__ == "__main__":
    import sys
    import time

    start = time.perf_counter()
    stats = generate(Path(sys.argv[2]), int(sys.argv[1]))
    print(stats, f"{time.perf_counter() - start:.2f}s")
