"""The controlled values of data/ columns and the RDF term each one stands for.

Loaders check values against these tables; ``build`` reads the RDF terms from them. One table
per column keeps the mapping in one place (data/README.md documents the same tables).
"""

from __future__ import annotations

from castgraph.namespaces import CAST, DCT, FOAF, ORG, OWL, QB, RDFS, SDO, SKOS, VCARD

ORGANIZATION_TYPES = {
    "formal-organization": ORG.FormalOrganization,
    "organization": ORG.Organization,  # a body a source names without saying more of its kind
    "unit": ORG.OrganizationalUnit,
    "collaboration": ORG.OrganizationalCollaboration,
    "site": ORG.Site,
}

WORK_TYPES = {
    "program": SDO.Project,
    "project": SDO.Project,
    "periodical": SDO.Periodical,
    "prize": CAST.Prize,
    "event-series": SDO.EventSeries,
    "event": SDO.Event,
    "platform": SDO.WebSite,
    "collection": SDO.Collection,  # a set of works a figure counts, e.g. "Chinese S&T journals"
}

EVENT_TYPES = {
    "merger": CAST.Merger,
    "founding": CAST.Founding,
    "event": SDO.Event,
}

NAME_TYPES = {
    "preferred": SKOS.prefLabel,
    "alternative": SKOS.altLabel,
    "acronym": CAST.acronym,
    "former": CAST.formerName,
}

LANGUAGES = ("en", "zh-Hans", "zh-Hant", "zh-Latn-pinyin")

CONCEPT_SCHEMES = ("organization-kind", "role", "measure", "discipline-group")

QUALIFIERS = {
    "exact": CAST.Exact,
    "more-than": CAST.MoreThan,
    "about": CAST.About,
    "nearly": CAST.Nearly,
}

# relation slug -> (predicate, inverse predicate or None)
RELATIONS: dict[str, tuple[str, str | None]] = {
    "unit-of": (ORG.unitOf, ORG.hasUnit),
    "sub-organization-of": (ORG.subOrganizationOf, ORG.hasSubOrganization),
    "guided-by": (CAST.guidedBy, None),
    "supervised-by": (CAST.supervisedBy, None),
    "led-by": (CAST.ledBy, None),
    "partner-of": (CAST.partnerOf, None),
    "linked-to": (ORG.linkedTo, None),
    "founded-by": (SDO.founder, None),
    "publisher": (SDO.publisher, None),
    "official-journal-of": (CAST.officialJournalOf, None),
    "organizer": (SDO.organizer, None),
    "based-at": (ORG.hasPrimarySite, ORG.siteOf),
    "see-also": (RDFS.seeAlso, None),
    "edition-of": (SDO.superEvent, SDO.subEvent),
}

# fact property slug -> how its value is written; see build.py for each kind
DATE_FACTS = {
    "founded": (SDO.foundingDate, CAST.foundingDateKey, CAST.foundingDatePrecision),
    "dissolved": (SDO.dissolutionDate, CAST.dissolutionDateKey, CAST.dissolutionDatePrecision),
    "died": (SDO.deathDate, CAST.deathDateKey, CAST.deathDatePrecision),
    "date": (DCT.date, CAST.dateKey, CAST.datePrecision),
}
TEXT_FACTS = {
    "description": DCT.description,
    "purpose": ORG.purpose,
    "place": SDO.location,
}
PLAIN_FACTS = {  # untagged strings
    "language": SDO.knowsLanguage,
}
ADDRESS_FACTS = {  # on a site, written on its vcard:Address
    "street-address": VCARD["street-address"],
    "locality": VCARD.locality,
    "district": CAST.district,
    "region": VCARD.region,
    "postal-code": VCARD["postal-code"],
    "country": VCARD["country-name"],
}
COORDINATE_FACTS = {"latitude": SDO.latitude, "longitude": SDO.longitude}
TELEPHONE_FACTS = {"telephone": VCARD.hasTelephone, "fax": CAST.hasFax}
IDENTIFIER_FACTS = {  # typed org:identifier literals; the datatype names the scheme
    "grid": CAST.gridId,
    "isni": CAST.isni,
    "viaf": CAST.viafId,
    "ror": CAST.rorId,
    "society-code": CAST.societyCode,
}
LINK_FACTS = {"email": VCARD.hasEmail, "website": FOAF.homepage, "wikidata": OWL.sameAs}
CONCEPT_FACTS = {"classification": ORG.classification}

FACT_PROPERTIES = sorted(
    {
        *DATE_FACTS,
        *TEXT_FACTS,
        *PLAIN_FACTS,
        *ADDRESS_FACTS,
        *COORDINATE_FACTS,
        *TELEPHONE_FACTS,
        *IDENTIFIER_FACTS,
        *LINK_FACTS,
        *CONCEPT_FACTS,
    }
)

OBSERVATION_CLASS = CAST.Figure
OBSERVATION_SUPERCLASS = QB.Observation
