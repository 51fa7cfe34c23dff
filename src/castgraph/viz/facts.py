"""The facts a picture shows about a node, read from the store: each fact once, its sources grouped.

A fact is ``{what, what_zh, value, value_zh, when, sources: [{key, title, when}]}``: the same
head named by two sources is one fact with two sources, each with the date it gives (a tenure's
start and end, or the year the source shows the person in post). Role and measure names come
from the vocabulary graph in both languages, so no slug reaches the page. A figure's unit is the
one its measure's definition states ("in percent", "in yuan"); none is guessed.
"""

from __future__ import annotations

import re

from castgraph.namespaces import CONCEPT

# Every tenure, filtered here: with a VALUES block of 20,000 nodes Oxigraph took 270 s for this
# join, and 0.1 s without it (tenures are few: the posts of units, associations and societies).
_TENURES = """
SELECT DISTINCT ?unit ?role ?person ?start ?end ?asof ?g WHERE { GRAPH ?g {
  ?t a cast:Tenure ; org:organization ?unit ; org:role ?role ; org:member ?person .
  OPTIONAL { ?t schema:startDate ?start } OPTIONAL { ?t schema:endDate ?end }
  OPTIONAL { ?t cast:asOf ?asof } } }
"""
_NAMES = """
SELECT DISTINCT ?person ?name WHERE { VALUES ?person { %s } GRAPH ?g { ?person foaf:name ?name } }
"""
_CONCEPTS = """
SELECT ?c ?label WHERE { GRAPH graph:vocabulary { ?c skos:prefLabel ?label } }
"""
_DEFINITIONS = """
SELECT ?c ?text WHERE { GRAPH graph:vocabulary { ?c skos:definition ?text } }
"""
# Every founding date and figure, filtered here: a VALUES block of 150,000 nodes took Oxigraph
# 20 s, the plain scans about a second.
_FOUNDED = """
SELECT DISTINCT ?node ?date ?g WHERE { GRAPH ?g { ?node schema:foundingDate ?date } }
"""
_FIGURES = """
SELECT DISTINCT ?node ?m ?value ?qualifier ?date ?g WHERE { GRAPH ?g {
  ?f cast:about ?node ; cast:measure ?m ; sdmx-measure:obsValue ?value ; cast:qualifier ?q .
  OPTIONAL { ?f dct:date ?date } }
  BIND(STRAFTER(STR(?q), "#") AS ?qualifier)
}
"""
QUALIFIERS = {
    "Exact": ("", ""),
    "MoreThan": ("more than ", "超过"),
    "About": ("about ", "约"),
    "Nearly": ("nearly ", "近"),
}
HEAD_ROLES = ("president", "director-general", "director")
# rank of a role in the panel: heads first, then deputies, the other posts, dates, figures
_RANK = {
    "president": 0,
    "director-general": 0,
    "director": 0,
    "vice-president": 1,
    "deputy-director-general": 1,
    "deputy-director": 1,
}


def unit_of(label: str, definition: str) -> tuple[str, str]:
    """(unit, label without it) as the measure's own words give it: %, yuan, times or none."""
    text = f"{label} {definition}"
    if "(%)" in label or re.search(r"\bin percent\b", text):
        return "%", label.replace(" (%)", "")
    if re.search(r"\bin yuan\b", text):
        return "yuan", label
    if "(times)" in label:
        return "times", label.replace(" (times)", "")
    return "", label


def grouped(number: str) -> str:
    """Thousands separated (6,370,000), as a reader of a figure expects; decimals as given."""
    return f"{int(number):,}" if number.lstrip("-").isdigit() else number


def tenure_when(start: str, end: str, asof: str) -> str:
    if start and end:
        return f"{start}–{end}"
    if start:
        return f"since {start}"
    if end:
        return f"until {end}"
    return f"in post {asof}" if asof else ""


def read_facts(store, structure) -> None:
    """Attach every node's facts (``Node.facts``), grouped and sorted, to ``structure``."""
    from castgraph.dataset.engine import select
    from castgraph.viz.structure import iri_list, only

    labels: dict[str, dict[str, str]] = {}
    for s in select(store, _CONCEPTS, union=False):
        lang = s["label"].language or ""
        labels.setdefault(s["c"].value, {})["zh" if lang.startswith("zh") else "en"] = s[
            "label"
        ].value
    definitions = {s["c"].value: s["text"].value for s in select(store, _DEFINITIONS, union=False)}
    nodes = structure.nodes
    found: dict[tuple, dict] = {}

    def add(node: str, rank: int, what: dict, value: dict, graph: str, when: str) -> None:
        src = structure.sources.get(graph)
        key, title = (src.key, src.title) if src else (graph.rsplit("/", 1)[-1], "")
        fact = found.setdefault(
            (node, rank, what["en"], value["en"]),
            {
                "what": what["en"],
                "what_zh": what.get("zh", ""),
                "value": value["en"],
                "value_zh": value.get("zh", ""),
                "rank": rank,
                "sources": [],
            },
        )
        entry = {"key": key, "title": title, "when": when}
        if entry not in fact["sources"]:
            fact["sources"].append(entry)

    tenures = [
        s
        for s in select(store, only(_TENURES, "unit", nodes), union=False)
        if s["unit"].value in nodes
    ]
    people = {s["person"].value for s in tenures}
    names: dict[str, dict[str, str]] = {}
    for s in select(store, _NAMES % iri_list(people), union=False) if people else []:
        lang = s["name"].language or ""
        names.setdefault(s["person"].value, {}).setdefault(
            "zh" if lang.startswith("zh") else "en", s["name"].value
        )
    for s in tenures:
        role = s["role"].value
        name = names.get(s["person"].value, {})
        if not name:  # never a slug: a person the graph does not name is left out
            continue
        value = {"en": name.get("en") or name["zh"], "zh": name.get("zh", "")}
        what = labels.get(role, {"en": role.removeprefix(CONCEPT[""]).replace("-", " ")})
        dates = [s[k].value if s[k] is not None else "" for k in ("start", "end", "asof")]
        rank = _RANK.get(role.removeprefix(CONCEPT[""]), 2)
        add(s["unit"].value, rank, what, value, s["g"].value, tenure_when(*dates))
    for s in select(store, only(_FOUNDED, "node", nodes), union=False):
        if s["node"].value not in nodes:
            continue
        date = s["date"].value
        add(s["node"].value, 3, {"en": "founded", "zh": "成立"}, {"en": date}, s["g"].value, "")
    for s in select(store, only(_FIGURES, "node", nodes), union=False):
        if s["node"].value not in nodes:
            continue
        m = s["m"].value
        label = labels.get(m, {}).get("en", m.rsplit("/", 1)[-1].replace("-", " "))
        unit, label = unit_of(label, definitions.get(m, ""))
        before, before_zh = QUALIFIERS.get(s["qualifier"].value, ("", ""))
        number = grouped(s["value"].value)
        joined = f"{number}%" if unit == "%" else f"{number} {unit}".strip()
        when = s["date"].value if s["date"] is not None else ""
        what = {"en": label, "zh": labels.get(m, {}).get("zh", "")}
        value = {"en": before + joined, "zh": before_zh + joined}
        add(s["node"].value, 4, what, value, s["g"].value, when)
    for (node, *_), fact in found.items():
        fact["sources"].sort(key=lambda e: (e["key"], e["when"]))
        # the earliest date any source gives (a start, or a year in post): the tenure's first known
        dated = [e["when"] for e in fact["sources"] if e["when"]]
        fact["when"] = min(dated, key=_date_of) if dated else ""
        nodes[node].facts.append(fact)
    for node in nodes.values():
        node.facts.sort(key=lambda f: (f["rank"], -_year(f["when"]), f["what"], f["value"]))


def _date_of(when: str) -> str:
    found = re.findall(r"\d{4}(?:-\d{2}){0,2}", when)
    return found[-1] if found else ""


def _year(when: str) -> int:
    found = re.findall(r"\d{4}", when)
    return int(max(found)) if found else 0


def head_of(node) -> tuple[str, str, str]:
    """(name, Chinese name, when) of the node's most recently dated head, or empty strings."""
    heads = [f for f in node.facts if f["rank"] == 0]
    if not heads:
        return "", "", ""
    best = max(heads, key=lambda f: (_date_of(f["when"]), f["value"]))  # the latest to start
    return best["value"], best["value_zh"], best["when"]
