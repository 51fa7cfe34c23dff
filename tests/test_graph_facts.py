"""Questions the five source documents answer, asked of the built graph with SPARQL.

Each test names the source and what it says; the answer must come back as structure (linked
nodes, typed values), with the statement in that source's named graph.
"""

from __future__ import annotations

import pytest

from castgraph.dataset.engine import select
from castgraph.namespaces import GRAPH


@pytest.fixture(scope="module")
def ask(store):
    def run(query: str, *, union: bool = True) -> list[dict[str, str]]:
        return [
            {v.value: (s[v].value if s[v] is not None else None) for v in solutions.variables}
            for solutions in [select(store, query, union=union)]
            for s in solutions
        ]

    return run


@pytest.fixture(scope="module")
def holds(store):
    def run(query: str) -> bool:
        return bool(select(store, query))

    return run


def local(iri: str) -> str:
    """The last path segment of an IRI: cid:society-a01 -> "society-a01"."""
    return iri.rsplit("/", 1)[-1]


def values(rows: list[dict[str, str]], key: str) -> set[str]:
    return {r[key] for r in rows}


def test_cast_names_and_acronym_in_the_seed_graphs(ask):
    rows = ask(
        """SELECT ?g ?name WHERE { GRAPH ?g { cid:cast skos:prefLabel ?name ; cast:acronym "CAST"@en } }"""
    )
    assert values(rows, "name") >= {"China Association for Science and Technology"}
    assert {
        "https://w3id.org/castgraph/graph/000",
        "https://w3id.org/castgraph/graph/004",
    } <= values(rows, "g")


def test_cast_was_founded_in_september_1958_per_three_documents(ask):
    rows = ask("""SELECT ?g ?d WHERE { GRAPH ?g { cid:cast schema:foundingDate ?d ;
                  cast:foundingDatePrecision 10 } }""")
    assert {r["d"] for r in rows} == {"1958-09"}
    assert {local(r["g"]) for r in rows} >= {"000", "001", "002"}


def test_the_1958_merger_joined_the_two_1950_federations_into_cast(ask):
    rows = ask("""SELECT ?orig ?date WHERE {
        ?e a cast:Merger ; org:resultingOrganization cid:cast ; org:originalOrganization ?orig ;
           dct:date ?date ; cast:dateKey "1958-09-01"^^xsd:date .
        ?orig org:changedBy ?e ; schema:foundingDate "1950"^^xsd:gYear . }""")
    assert values(rows, "orig") == {
        "https://w3id.org/castgraph/id/fed-natural-science-societies",
        "https://w3id.org/castgraph/id/fed-science-popularization",
    }
    assert values(rows, "date") == {"1958-09", "1958-09-23"}  # month per the seeds, day per S02


def test_science_popularization_federation_keeps_both_english_names_with_their_sources(ask):
    rows = ask("""SELECT ?g ?name WHERE { GRAPH ?g {
        cid:fed-science-popularization skos:prefLabel|skos:altLabel ?name . FILTER(lang(?name) = "en") } }""")
    by_source = {(local(r["g"]), r["name"]) for r in rows}
    assert ("000", "All-China Federation for Science Popularization") in by_source
    assert ("002", "All-China Association for Science Popularization") in by_source


def test_national_societies_217_at_end_2022_and_165_around_1997_side_by_side(ask):
    rows = ask("""SELECT ?v ?key ?src WHERE { ?f cast:measure concept:national-societies ;
        sdmx-measure:obsValue ?v ; cast:dateKey ?key ; prov:wasDerivedFrom/skos:notation ?src }""")
    found = {(r["v"], r["src"]) for r in rows}
    assert ("217", "000") in found
    assert ("165", "001") in found
    assert {r["key"] for r in rows if r["src"] == "000"} == {"2022-12-31"}


def test_figures_keep_their_qualifier(ask):
    rows = ask("""SELECT ?m ?v ?q WHERE { GRAPH graph:000 { ?f cast:measure ?m ;
        sdmx-measure:obsValue ?v ; cast:qualifier ?q } }""")
    by_measure = {local(r["m"]): (r["v"], r["q"].rsplit("#", 1)[-1]) for r in rows}
    assert by_measure["local-associations"] == ("3000", "MoreThan")
    assert by_measure["community-organizations"] == ("150000", "About")
    assert by_measure["scientists-served"] == ("120000000", "MoreThan")
    assert by_measure["international-organizations-joined"] == ("380", "Exact")
    assert by_measure["scientists-recommended-international-posts"] == ("528", "Exact")
    assert by_measure["societies-over-a-century-old"] == ("10", "Exact")
    assert by_measure["earliest-society-founding-year"] == ("1907", "Exact")


def test_source_001_reports_31_provincial_branches_and_4_3_million_members(ask):
    rows = ask(
        """SELECT ?m ?v WHERE { GRAPH graph:001 { ?f cast:measure ?m ; sdmx-measure:obsValue ?v } }"""
    )
    found = {(local(r["m"]), r["v"]) for r in rows}
    assert {
        ("provincial-associations", "31"),
        ("members", "4300000"),
        ("national-societies", "165"),
    } <= found


def test_director_general_of_the_general_office_in_2007_is_ren_fujun(ask):
    rows = ask("""SELECT ?name ?asof WHERE { GRAPH graph:004 {
        ?post org:postIn cid:hq-general-office ; org:role concept:director-general ; org:heldBy ?p .
        ?p foaf:name ?name . ?t cast:post ?post ; org:member ?p ; cast:asOf ?asof } }""")
    assert rows == [{"name": "Ren Fujun", "asof": "2007"}]


def test_every_2007_department_head_as_the_page_gives_them(ask):
    rows = ask("""SELECT ?unit ?role ?name WHERE { GRAPH graph:004 {
        ?post org:postIn ?u ; org:role ?r ; org:heldBy/foaf:name ?name . ?u skos:prefLabel ?unit .
        BIND(STRAFTER(STR(?r), "concept/") AS ?role) } }""")
    heads = {(r["unit"], r["role"], r["name"]) for r in rows}
    expected = {
        ("General Office", "deputy-director-general", "Gu Bin"),
        ("General Office", "deputy-director-general", "Zhang Xiaomei"),
        ("General Office", "associate-inspector", "Meng Bo"),
        ("Department of Planning and Finance", "director-general", "Wang Yanhu"),
        ("Department of Organization and Personnel", "director-general", "Wang Shoudong"),
        ("Department of Research and Publicity", "deputy-director-general", "Guo Zhe"),
        ("Department of Academic and Societies Affairs", "director-general", "Song Jun"),
        ("Department of Academic and Societies Affairs", "deputy-inspector", "Wang Xiaobin"),
        ("Office for Cooperation with Enterprises", "director", "Song Jun"),
        ("Office for Cooperation with Enterprises", "deputy-director", "Zheng Haojun"),
        ("Department of Science Popularization", "deputy-director-general", "Liu Yang"),
        ("Department of International Affairs", "director-general", "Zhang Jiansheng"),
        ("Department of International Affairs", "deputy-director-general", "Wang Qinglin"),
    }
    assert expected <= heads
    assert len(heads) == 24  # every name on the page, each in its post


def test_the_blank_director_general_of_research_and_publicity_stays_an_unfilled_post(ask):
    rows = ask("""SELECT ?post ?holder WHERE { ?post org:postIn cid:hq-research-and-publicity ;
        org:role concept:director-general . OPTIONAL { ?post org:heldBy ?holder } }""")
    assert len(rows) == 1
    assert rows[0]["holder"] is None


def test_concurrent_posts_are_marked(ask):
    rows = ask("""SELECT ?name WHERE { ?t cast:concurrent true ; org:member/foaf:name ?name }""")
    assert values(rows, "name") == {"Wang Yanhu", "Liu Yang"}


def test_international_affairs_has_five_units_under_it(ask):
    rows = ask("""SELECT ?name WHERE { GRAPH graph:004 { ?d org:subOrganizationOf cid:hq-international-affairs ;
        skos:prefLabel ?name } }""")
    assert values(rows, "name") == {
        "Division of General Management",
        "Division of International Organizations",
        "Division of Bilateral Cooperation",
        "Division of Hongkong, Macao and Taiwan Exchanges",
        "Office of HOME Program",
    }


def test_office_for_cooperation_with_enterprises_is_led_by_the_academic_department(ask):
    rows = ask("""SELECT ?leader WHERE { cid:hq-office-cooperation-enterprises cast:ledBy ?l .
        ?l skos:prefLabel ?leader }""")
    assert values(rows, "leader") == {"Department of Academic and Societies Affairs"}


def test_headquarters_address_and_contacts_from_the_2007_page(ask):
    rows = ask("""SELECT ?street ?code ?tel ?fax ?mail WHERE { GRAPH graph:004 {
        cid:cast org:hasPrimarySite ?site ; vcard:hasTelephone ?tel ; cast:hasFax ?fax ; vcard:hasEmail ?mail .
        ?site org:siteAddress ?a . ?a vcard:street-address ?street ; vcard:postal-code ?code } }""")
    assert rows == [
        {
            "street": "No.3 Fuxing Rd.",
            "code": "100863",
            "tel": "tel:+86-10-68571898",
            "fax": "tel:+86-10-68571897",
            "mail": "mailto:cast-liasion@cast.org.cn",
        }
    ]


def test_headquarters_district_is_haidian_per_the_encyclopedia(ask):
    rows = ask(
        """SELECT ?d WHERE { GRAPH graph:002 { cid:cast org:hasPrimarySite/org:siteAddress/cast:district ?d } }"""
    )
    assert values(rows, "d") == {"Haidian District"}


def test_department_telephones(ask):
    rows = ask("""SELECT ?name ?tel WHERE { GRAPH graph:004 { ?u org:unitOf cid:cast ; skos:prefLabel ?name ;
        vcard:hasTelephone ?tel } }""")
    found = {(r["name"], r["tel"]) for r in rows}
    assert ("Department of Science Popularization", "tel:+86-10-68571887") in found
    assert ("Department of Academic and Societies Affairs", "tel:+86-10-68515739") in found
    assert not any(name == "Department of International Affairs" for name, _ in found)


def test_cast_is_a_constituent_member_of_the_cppcc(ask):
    rows = ask("""SELECT ?role WHERE { GRAPH graph:002 { ?m org:member cid:cast ; org:organization cid:cppcc ;
        org:role ?role } }""")
    assert values(rows, "role") == {"https://w3id.org/castgraph/concept/constituent-member"}


def test_leaders_named_by_the_encyclopedia(ask):
    rows = ask("""SELECT ?role ?name WHERE { GRAPH graph:002 { ?t a cast:Tenure ; org:role ?r ;
        org:member/foaf:name ?name ; org:organization cid:cast . BIND(STRAFTER(STR(?r), "concept/") AS ?role) } }""")
    assert {(r["role"], r["name"]) for r in rows} == {
        ("president", "Wan Gang"),
        ("party-secretary", "He Junke"),
        ("vice-president", "Yang Wei"),
    }


def test_home_program_of_december_2003_and_its_three_founders(ask):
    rows = ask("""SELECT ?d ?founder WHERE { cid:home-program schema:foundingDate ?d ; cast:acronym "HOME"@en ;
        schema:founder ?founder }""")
    assert values(rows, "d") == {"2003-12"}
    assert {local(f) for f in values(rows, "founder")} == {
        "cast",
        "cpc-organization-department",
        "mohrss",
    }


def test_cast_usa_of_1992_and_science_and_technology_review_of_1980(ask):
    rows = ask("""SELECT ?x ?d WHERE { VALUES ?x { cid:cast-usa cid:science-and-technology-review }
        ?x schema:foundingDate ?d }""")
    assert {(local(r["x"]), r["d"]) for r in rows} == {
        ("cast-usa", "1992"),
        ("science-and-technology-review", "1980"),
    }
    # 002 calls it the official journal of CAST; it does not say CAST publishes it
    journal = ask(
        """SELECT ?p WHERE { cid:science-and-technology-review cast:officialJournalOf ?p }"""
    )
    assert values(journal, "p") == {"https://w3id.org/castgraph/id/cast"}
    assert (
        ask("""SELECT ?p WHERE { cid:science-and-technology-review schema:publisher ?p }""") == []
    )


def test_the_1990s_department_list_is_its_own_snapshot(ask, holds):
    rows = ask(
        """SELECT ?u ?name WHERE { GRAPH graph:001 { ?u org:unitOf cid:cast ; skos:prefLabel ?name } }"""
    )
    assert values(rows, "name") == {
        "General Office",
        "Planning and Finance",
        "Personnel Organization",
        "Learned Societies Affairs",
        "Popularization of Science",
        "International Affairs",
        "Publicity Affairs",
    }
    in_2007 = ask("""SELECT ?u WHERE { GRAPH graph:004 { ?u org:unitOf cid:cast } }""")
    assert values(rows, "u").isdisjoint(values(in_2007, "u"))
    # and no statement identifies a 1990s unit with a 2007 one
    assert not holds(
        "ASK { ?a owl:sameAs|skos:exactMatch|skos:closeMatch ?b . ?a org:unitOf cid:cast }"
    )


def test_no_blank_nodes_and_no_triples_outside_named_graphs(dataset):
    from pyoxigraph import BlankNode, DefaultGraph

    for quad in dataset.quads:
        assert not isinstance(quad.subject, BlankNode)
        assert not isinstance(quad.object, BlankNode)
        assert not isinstance(quad.graph_name, DefaultGraph | BlankNode)


def test_every_named_graph_is_described_in_the_registry(ask):
    rows = ask(
        """SELECT DISTINCT ?g ?title ?date WHERE { GRAPH ?g { ?s ?p ?o }
        OPTIONAL { GRAPH graph:registry { ?g prov:wasDerivedFrom ?doc . ?doc dct:title ?title
                   OPTIONAL { ?doc cast:speaksFor ?date } } } }""",
        union=False,
    )
    assert rows
    undescribed = [
        r["g"]
        for r in rows
        if r["title"] is None and not r["g"].endswith(("/registry", "/vocabulary"))
    ]
    assert undescribed == []
    dated = {local(r["g"]): r["date"] for r in rows}
    assert dated["000"] == "2022-12-31"
    assert dated["004"] == "2007"
    assert dated["001"] == "1997"


# ---------------------------------------------------------------------------------------------
# Facts from the reference sources (each cites its original source, never the research notes)


def test_presidents_since_1958_with_their_sources(ask):
    rows = ask("""SELECT ?name ?start ?src WHERE { ?t a cast:Tenure ; cast:post cid:post-cast-president ;
        org:member/foaf:name ?name ; prov:wasDerivedFrom/skos:notation ?src .
        OPTIONAL { ?t cast:startDate ?start } FILTER(langMatches(lang(?name), "en")) }""")
    starts = {(r["name"], r["start"]) for r in rows if r["start"]}
    assert ("Li Siguang", "1958-09-23") in starts
    assert ("Zhu Guangya", "1991-04-27") in starts
    assert ("Wan Gang", "2016-06-02") in starts
    assert ("Han Qide", "2006-05-25") in starts
    assert {r["name"] for r in rows} >= {
        "Li Siguang",
        "Zhou Peiyuan",
        "Qian Xuesen",
        "Zhu Guangya",
        "Zhou Guangzhao",
        "Han Qide",
        "Wan Gang",
    }


def test_an_inferred_election_year_is_not_stated_as_a_fact(ask):
    rows = ask("""SELECT DISTINCT ?start ?src WHERE { ?t cast:post cid:post-cast-president ; org:member cid:person-qian-xuesen ;
        prov:wasDerivedFrom/skos:notation ?src . OPTIONAL { ?t cast:startDate ?start } }""")
    # S02 and S10 give the order of presidents, not his year: their tenure has no start date
    assert {r["start"] for r in rows if r["src"] in ("S02", "S10")} == {None}
    # the only start date is the one N1 states (elected at the 3rd congress in June 1986)
    assert {(r["src"], r["start"][:7]) for r in rows if r["start"]} == {("N1", "1986-06")}


def test_209_national_societies_by_discipline_group_as_listed_in_2018(ask):
    rows = ask("""SELECT ?group (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH graph:s01 {
        ?m org:member ?s ; org:organization cid:cast ; org:role concept:national-member-society .
        ?s org:classification ?group . FILTER(STRSTARTS(STR(?group), STR(concept:discipline-))) } }
        GROUP BY ?group""")
    counts = {local(r["group"]): int(r["n"]) for r in rows}
    assert counts == {
        "discipline-science": 45,
        "discipline-engineering": 78,
        "discipline-agriculture": 16,
        "discipline-medicine": 28,
        "discipline-interdisciplinary": 42,
    }


def test_the_oldest_society_dates_from_1907_and_disagreeing_dates_stay_side_by_side(ask):
    oldest = ask("""SELECT ?zh WHERE { ?s org:memberOf cid:cast ; cast:foundingDateKey ?k ; skos:prefLabel ?zh .
        FILTER(langMatches(lang(?zh), "zh-Hans")) } ORDER BY ?k LIMIT 1""")
    assert oldest == [{"zh": "中国药学会"}]
    geological = ask("""SELECT ?d ?src WHERE { GRAPH ?g { cid:society-a10 schema:foundingDate ?d }
        GRAPH graph:registry { ?g prov:wasDerivedFrom/skos:notation ?src } }""")
    assert {(r["d"], r["src"]) for r in geological} == {
        ("1922-02-03", "S30"),
        ("1922-01-27", "S29"),
    }


def test_cast_chinese_names_and_identifiers(ask):
    rows = ask(
        """SELECT ?p ?name WHERE { cid:cast ?p ?name . FILTER(isLiteral(?name) && lang(?name) != "") }"""
    )
    names = {(r["p"].rsplit("#", 1)[-1], r["name"]) for r in rows}
    assert ("prefLabel", "中国科学技术协会") in names
    assert ("altLabel", "中国科协") in names
    assert ("formerName", "中华人民共和国科学技术协会") in names
    qid = ask("""SELECT ?q WHERE { cid:cast owl:sameAs ?q }""")
    assert qid == [{"q": "http://www.wikidata.org/entity/Q5099580"}]


def test_society_counts_over_time_by_source(ask):
    rows = ask("""SELECT ?v ?src WHERE { ?f cast:measure concept:national-societies ; sdmx-measure:obsValue ?v ;
        prov:wasDerivedFrom/skos:notation ?src }""")
    assert {(int(r["v"]), r["src"]) for r in rows} >= {
        (139, "C1"),
        (165, "001"),
        (167, "S21"),
        (207, "S11"),
        (210, "P9"),
        (210, "S22"),
        (217, "000"),
    }


def test_international_organizations_372_by_end_2021_and_380_by_end_2022(ask):
    rows = ask("""SELECT ?v ?key ?src WHERE { ?f cast:measure concept:international-organizations-joined ;
        sdmx-measure:obsValue ?v ; cast:dateKey ?key ; prov:wasDerivedFrom/skos:notation ?src }""")
    assert {(r["v"], r["key"], r["src"]) for r in rows} >= {
        ("372", "2021-12-31", "003"),
        ("380", "2022-12-31", "000"),
    }


def test_inferences_live_in_the_curation_graph(ask):
    rows = ask("""SELECT ?s WHERE { GRAPH graph:curation { ?s cast:guidedBy cid:cast } }""")
    assert len(rows) >= 8
    kind = ask(
        """SELECT ?kind WHERE { GRAPH graph:registry { src:curation cast:sourceKind ?kind } }"""
    )
    assert kind == [{"kind": "curation"}]


def test_provincial_associations_with_their_sources(ask):
    rows = ask("""SELECT ?zh ?src WHERE { GRAPH ?g { ?p org:classification concept:provincial-association ;
        skos:prefLabel ?zh . FILTER(langMatches(lang(?zh), "zh-Hans")) }
        GRAPH graph:registry { ?g prov:wasDerivedFrom/skos:notation ?src } }""")
    found = {r["zh"] for r in rows}
    assert {"北京市科学技术协会", "上海市科学技术协会", "湖北省科学技术协会"} <= found


def test_all_32_provincial_level_associations_are_listed_each_from_a_source(ask):
    rows = ask("""SELECT ?p (COUNT(DISTINCT ?g) AS ?sources) WHERE {
        GRAPH ?g { ?p org:classification concept:provincial-association ; skos:prefLabel ?zh .
                   FILTER(langMatches(lang(?zh), "zh-Hans")) }
        GRAPH graph:registry { ?g prov:wasDerivedFrom/cast:grade ?grade } } GROUP BY ?p""")
    assert len(rows) == 32  # P9 reports 32 in March 2018
    assert all(int(r["sources"]) >= 1 for r in rows)
    zhejiang = ask("""SELECT ?en ?acronym WHERE { cid:prov-zhejiang skos:prefLabel ?en ;
        cast:acronym ?acronym . FILTER(langMatches(lang(?en), "en")) }""")
    assert zhejiang == [
        {"en": "Zhejiang Association for Science and Technology", "acronym": "ZAST"}
    ]


def test_cast_is_typed_and_named_in_the_graph_of_each_seed(ask):
    rows = ask("""SELECT ?g WHERE { GRAPH ?g { cid:cast a org:FormalOrganization ;
        skos:prefLabel "China Association for Science and Technology"@en } }""")
    assert {f"{GRAPH}00{n}" for n in range(5)} <= values(rows, "g")


def test_the_ten_year_review_names_what_cast_set_up_and_runs(ask):
    rows = ask("""SELECT ?work ?relation WHERE { GRAPH graph:003 { ?work ?relation cid:cast .
        VALUES ?relation { schema:organizer schema:founder } } }""")
    found = {(local(r["work"]), local(r["relation"])) for r in rows}
    assert {
        ("innovation-china-consortium", "founder"),
        ("innovation-china-advisory-committee", "founder"),
        ("talent-program", "organizer"),
        ("spirit-of-scientists-education-bases", "organizer"),
        ("outline-national-scheme-scientific-literacy", "organizer"),
    } <= found


def test_journal_figures_describe_chinese_journals_not_cast(ask):
    rows = ask("""SELECT ?about ?value WHERE { ?f cast:measure concept:journals-in-international-databases ;
        cast:about ?about ; sdmx-measure:obsValue ?value }""")
    assert {(local(r["about"]), r["value"]) for r in rows} == {
        ("chinese-sci-tech-journals", "152"),
        ("chinese-sci-tech-journals", "257"),
    }


def test_international_unions_list_national_societies_as_members_with_start_years(ask):
    rows = ask("""SELECT ?member ?union ?start WHERE { GRAPH ?g { ?m a org:Membership ;
        org:member ?member ; org:organization ?union ; org:role concept:national-member .
        OPTIONAL { ?m schema:startDate ?start } } }""")
    found = {(local(r["member"]), local(r["union"]), r["start"]) for r in rows}
    assert {
        ("society-a01", "imu", "1986"),  # Chinese Mathematical Society
        ("society-a02", "iupap", "1984"),  # Chinese Physical Society
        ("society-a11", "igu", "1949"),  # Geographical Society of China
        ("cast", "sca", None),  # Science Council of Asia, joined on behalf of China
    } <= found
