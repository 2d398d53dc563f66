"""SHACL shapes (ontology/shapes.ttl) and kg.validate over a hand-written store following MODEL.md."""

from __future__ import annotations

import hashlib
import unicodedata

import pytest
from pyoxigraph import RdfFormat, Store

from kg.validate import Report, format_report, validate_store

BASE = "https://w3id.org/sv-press-kg/"
DOC = "000-test"
G = f"{BASE}graph/doc/{DOC}"

TEXT = unicodedata.normalize(
    "NFC",
    "Eskilstuna kommun är värd när Forum Jämställdhet 2018 samlar deltagare i Eskilstuna.\n"
    "– Jämställdhet är en fråga om rättvisa, säger Anna Exempel (S), kommunstyrelsens ordförande "
    "i Eskilstuna kommun.\n"
    "👍 Projektet Verka Jämställt finansieras av Svenska ESF-rådet.\n"
    "Kontakt: anna.exempel@eskilstuna.se, 016-710 10 00",
)


def span(needle: str, nth: int = 0) -> str:
    """The span IRI (relative) for the nth occurrence of `needle`, plus its description."""
    b = -1
    for _ in range(nth + 1):
        b = TEXT.index(needle, b + 1)
    e = b + len(needle)
    return f"res/doc/{DOC}/text/{b}-{e}"


SPANS = {
    "org": "Eskilstuna kommun",
    "event": "Forum Jämställdhet 2018",
    "place": "i Eskilstuna.",
    "quote": "Jämställdhet är en fråga om rättvisa",
    "attrib": "Anna Exempel (S), kommunstyrelsens ordförande i Eskilstuna kommun",
    "person": "Anna Exempel",
    "party": "(S)",
    "project": "Verka Jämställt",
    "funding": "Verka Jämställt finansieras av Svenska ESF-rådet",
    "contact": "anna.exempel@eskilstuna.se, 016-710 10 00",
}
S = {k: span(v) for k, v in SPANS.items()}


def _lit(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def span_triples() -> str:
    out = []
    for needle in SPANS.values():
        iri = span(needle)
        b, e = (int(x) for x in iri.rsplit("/", 1)[1].split("-"))
        assert TEXT[b:e] == needle
        out.append(
            f"<{iri}> a nif:OffsetBasedString ; nif:referenceContext <res/doc/{DOC}/text> ;\n"
            f'    nif:beginIndex "{b}"^^xsd:nonNegativeInteger ;\n'
            f'    nif:endIndex "{e}"^^xsd:nonNegativeInteger ;\n'
            f"    nif:anchorOf {_lit(needle)} ."
        )
    return "\n".join(out)


PREFIXES = """
PREFIX kgo:    <https://w3id.org/sv-press-kg/ontology#>
PREFIX org:    <http://www.w3.org/ns/org#>
PREFIX cv:     <http://data.europa.eu/m8g/>
PREFIX schema: <https://schema.org/>
PREFIX foaf:   <http://xmlns.com/foaf/0.1/>
PREFIX skos:   <http://www.w3.org/2004/02/skos/core#>
PREFIX prov:   <http://www.w3.org/ns/prov#>
PREFIX nif:    <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
PREFIX dct:    <http://purl.org/dc/terms/>
PREFIX xsd:    <http://www.w3.org/2001/XMLSchema#>
"""

SHA = hashlib.sha256(TEXT.encode("utf-8")).hexdigest()

TRIG = f"""BASE <{BASE}>
{PREFIXES}

<graph/reference> {{
  <id/org/kommun-0484> a org:Organization, org:FormalOrganization, cv:PublicOrganisation, kgo:Municipality ;
      skos:prefLabel "Eskilstuna kommun"@sv ; org:identifier "0484" ;
      schema:sameAs <http://www.wikidata.org/entity/Q21844> .
  <id/org/kommun-0180> a org:Organization, cv:PublicOrganisation, kgo:Municipality ;
      skos:prefLabel "Stockholms kommun"@sv ; org:identifier "0180" .
  <id/org/svenska-esf-radet> a org:Organization, cv:PublicOrganisation, kgo:GovernmentAgency ;
      skos:prefLabel "Svenska ESF-rådet"@sv .
}}

<graph/doc/{DOC}> {{
  <res/doc/{DOC}> a schema:NewsArticle, foaf:Document ;
      schema:headline "Eskilstuna kommun är värd för Forum Jämställdhet 2018" ;
      schema:datePublished "2018-03-01"^^xsd:date ;
      schema:publisher <id/org/kommun-0484> ;
      kgo:sourceFile "000_test.txt" ;
      kgo:sha256 "{SHA}" ;
      schema:mentions <id/org/kommun-0484>, <id/org/parti-s>, <id/org/svenska-esf-radet>,
          <id/person/anna-exempel>, <id/event/forum-jamstalldhet>, <id/event/forum-jamstalldhet/2018>,
          <id/place/eskilstuna>, <id/project/verka-jamstallt> .

  <res/doc/{DOC}/text> a nif:Context ;
      nif:isString {_lit(TEXT)} ;
      nif:beginIndex "0"^^xsd:nonNegativeInteger ;
      nif:endIndex "{len(TEXT)}"^^xsd:nonNegativeInteger ;
      nif:sourceUrl <res/doc/{DOC}> .

{span_triples()}

  <id/org/kommun-0484> a org:Organization, cv:PublicOrganisation, kgo:Municipality ;
      skos:prefLabel "Eskilstuna kommun"@sv ; kgo:evidence <{S["org"]}> .
  <id/org/parti-s> a org:Organization, kgo:PoliticalParty ;
      skos:prefLabel "Socialdemokraterna"@sv ; skos:notation "S" ; kgo:evidence <{S["party"]}> .
  <id/org/svenska-esf-radet> a org:Organization, cv:PublicOrganisation, kgo:GovernmentAgency ;
      skos:prefLabel "Svenska ESF-rådet"@sv ; kgo:evidence <{S["funding"]}> .

  <id/person/anna-exempel> a foaf:Person ;
      foaf:name "Anna Exempel" ; foaf:givenName "Anna" ; foaf:familyName "Exempel" ;
      cv:contactPoint <id/contact/c1> ;
      kgo:evidence <{S["person"]}> .

  <def/role/kommunstyrelsens-ordforande> a org:Role, skos:Concept ;
      skos:prefLabel "kommunstyrelsens ordförande"@sv ; skos:inScheme <def/role> .

  <id/membership/m1> a org:Membership ;
      org:member <id/person/anna-exempel> ;
      org:organization <id/org/kommun-0484> ;
      org:role <def/role/kommunstyrelsens-ordforande> ;
      kgo:onBehalfOf <id/org/parti-s> ;
      skos:prefLabel "kommunstyrelsens ordförande, Eskilstuna kommun"@sv ;
      kgo:evidence <{S["attrib"]}> .

  <id/quote/q1> a schema:Quotation ;
      schema:text "Jämställdhet är en fråga om rättvisa"@sv ;
      schema:spokenByCharacter <id/person/anna-exempel> ;
      schema:sourceOrganization <id/org/kommun-0484> ;
      kgo:speakerMembership <id/membership/m1> ;
      schema:about <id/event/forum-jamstalldhet/2018> ;
      schema:isPartOf <res/doc/{DOC}> ;
      kgo:position {TEXT.index(SPANS["quote"])} ;
      kgo:evidence <{S["quote"]}> .

  <id/event/forum-jamstalldhet> a schema:EventSeries ;
      schema:name "Forum Jämställdhet" ; kgo:evidence <{S["event"]}> .
  <id/event/forum-jamstalldhet/2018> a schema:Event, cv:PublicEvent ;
      schema:name "Forum Jämställdhet 2018" ;
      schema:startDate "2018-03-05"^^xsd:date ;
      schema:endDate "2018-03-07T17:00:00+01:00"^^xsd:dateTime ;
      schema:superEvent <id/event/forum-jamstalldhet> ;
      schema:location <id/place/eskilstuna> ;
      schema:organizer <id/org/kommun-0484> ;
      kgo:project <id/project/verka-jamstallt> ;
      kgo:evidence <{S["event"]}> .
  <id/place/eskilstuna> a schema:Place ;
      schema:name "Eskilstuna" ; kgo:evidence <{S["place"]}> .

  <id/project/verka-jamstallt> a schema:Project ;
      schema:name "Verka Jämställt" ;
      cv:hasParticipation <id/participation/p1> ;
      schema:funder <id/org/svenska-esf-radet> ;
      kgo:evidence <{S["project"]}> .
  <id/participation/p1> a cv:Participation ;
      cv:hasParticipant <id/org/svenska-esf-radet> ;
      cv:role <def/project-role/funder> ;
      kgo:evidence <{S["funding"]}> .

  <id/contact/c1> a cv:ContactPoint ;
      cv:telephone "016-710 10 00" ; cv:email "anna.exempel@eskilstuna.se" ;
      kgo:evidence <{S["contact"]}> .
}}

<graph/meta> {{
  <graph/doc/{DOC}> a prov:Entity ; prov:wasDerivedFrom <res/doc/{DOC}> ; kgo:sha256 "{SHA}" .
}}
"""


def make_store(update: str | None = None) -> Store:
    store = Store()
    store.load(TRIG.encode("utf-8"), format=RdfFormat.TRIG)
    if update:
        store.update(f"BASE <{BASE}>\n{PREFIXES}\n{update}")
    return store


def test_text_has_non_bmp_character() -> None:
    # offsets are code points: the emoji is one code point but two UTF-16 units, four UTF-8 bytes
    assert "👍" in TEXT and TEXT.index(SPANS["project"]) > TEXT.index("👍")


def test_valid_graph_conforms() -> None:
    report = validate_store(make_store())
    assert report.graphs == [G]
    assert report.conforms, format_report(report)
    assert report.violations == []
    assert "Conforms: 1 document graph(s) checked, 0 violation(s)" in format_report(report)


def test_validate_selected_graph_by_docid() -> None:
    report = validate_store(make_store(), graphs=[DOC])
    assert report.graphs == [G] and report.conforms


# (id, SPARQL update breaking the valid store, shape that must report it)
BROKEN = [
    (
        "document-no-sha256",
        f"DELETE WHERE {{ GRAPH <{G}> {{ <res/doc/{DOC}> kgo:sha256 ?x }} }}",
        "DocumentShape",
    ),
    (
        "document-bad-sha256",
        f"DELETE {{ GRAPH <{G}> {{ ?d kgo:sha256 ?x }} }} INSERT {{ GRAPH <{G}> "
        f'{{ ?d kgo:sha256 "ABC" }} }} WHERE {{ GRAPH <{G}> {{ ?d kgo:sha256 ?x }} }}',
        "DocumentShape",
    ),
    (
        "document-two-headlines",
        f'INSERT DATA {{ GRAPH <{G}> {{ <res/doc/{DOC}> schema:headline "Another headline" }} }}',
        "DocumentShape",
    ),
    (
        "document-no-foaf-document",
        f"DELETE DATA {{ GRAPH <{G}> {{ <res/doc/{DOC}> a foaf:Document }} }}",
        "DocumentShape",
    ),
    (
        "context-wrong-end-index",
        f"DELETE {{ GRAPH <{G}> {{ ?c nif:endIndex ?e }} }} INSERT {{ GRAPH <{G}> {{ ?c nif:endIndex "
        f"?e2 }} }} WHERE {{ GRAPH <{G}> {{ ?c a nif:Context ; nif:endIndex ?e }} "
        f"BIND(STRDT(STR(?e + 1), xsd:nonNegativeInteger) AS ?e2) }}",
        "ContextShape",
    ),
    ("context-no-string", f"DELETE WHERE {{ GRAPH <{G}> {{ ?c nif:isString ?s }} }}", "ContextShape"),
    (
        "span-begin-shifted-by-one",
        f"DELETE {{ GRAPH <{G}> {{ <{S['quote']}> nif:beginIndex ?b }} }} "
        f"INSERT {{ GRAPH <{G}> {{ <{S['quote']}> nif:beginIndex ?b2 }} }} "
        f"WHERE {{ GRAPH <{G}> {{ <{S['quote']}> nif:beginIndex ?b }} "
        f"BIND(STRDT(STR(?b + 1), xsd:nonNegativeInteger) AS ?b2) }}",
        "SpanOffsetShape",
    ),
    (
        "span-anchor-wrong",
        f"DELETE {{ GRAPH <{G}> {{ <{S['project']}> nif:anchorOf ?a }} }} "
        f'INSERT {{ GRAPH <{G}> {{ <{S["project"]}> nif:anchorOf "Verka jämställt" }} }} '
        f"WHERE {{ GRAPH <{G}> {{ <{S['project']}> nif:anchorOf ?a }} }}",
        "SpanOffsetShape",
    ),
    (
        "span-end-beyond-text",
        f"DELETE {{ GRAPH <{G}> {{ <{S['contact']}> nif:endIndex ?e }} }} "
        f"INSERT {{ GRAPH <{G}> {{ <{S['contact']}> nif:endIndex "
        f'"{len(TEXT) + 5}"^^xsd:nonNegativeInteger }} }} '
        f"WHERE {{ GRAPH <{G}> {{ <{S['contact']}> nif:endIndex ?e }} }}",
        "SpanOffsetShape",
    ),
    (
        "span-begin-after-end",
        f"DELETE {{ GRAPH <{G}> {{ <{S['person']}> nif:beginIndex ?b }} }} "
        f'INSERT {{ GRAPH <{G}> {{ <{S["person"]}> nif:beginIndex "{len(TEXT)}"^^xsd:nonNegativeInteger }} }} '
        f"WHERE {{ GRAPH <{G}> {{ <{S['person']}> nif:beginIndex ?b }} }}",
        "SpanShape",
    ),
    (
        "span-begin-wrong-datatype",
        f"DELETE {{ GRAPH <{G}> {{ <{S['person']}> nif:beginIndex ?b }} }} "
        f"INSERT {{ GRAPH <{G}> {{ <{S['person']}> nif:beginIndex ?b2 }} }} "
        f"WHERE {{ GRAPH <{G}> {{ <{S['person']}> nif:beginIndex ?b }} BIND(STR(?b) AS ?b2) }}",
        "SpanShape",
    ),
    (
        "span-begin-negative",
        f"DELETE {{ GRAPH <{G}> {{ <{S['org']}> nif:beginIndex ?b }} }} "
        f'INSERT {{ GRAPH <{G}> {{ <{S["org"]}> nif:beginIndex "-1"^^xsd:integer }} }} '
        f"WHERE {{ GRAPH <{G}> {{ <{S['org']}> nif:beginIndex ?b }} }}",
        "SpanShape",
    ),
    ("span-no-anchor", f"DELETE WHERE {{ GRAPH <{G}> {{ <{S['party']}> nif:anchorOf ?a }} }}", "SpanShape"),
    (
        "person-two-names",
        f'INSERT DATA {{ GRAPH <{G}> {{ <id/person/anna-exempel> foaf:name "Anna  Exempel" }} }}',
        "PersonShape",
    ),
    (
        "person-no-name",
        f"DELETE WHERE {{ GRAPH <{G}> {{ <id/person/anna-exempel> foaf:name ?n }} }}",
        "PersonShape",
    ),
    (
        "organisation-two-kgo-classes",
        f"INSERT DATA {{ GRAPH <{G}> {{ <id/org/parti-s> a kgo:Association }} }}",
        "OrganisationShape",
    ),
    (
        "organisation-no-kgo-class",
        f"DELETE DATA {{ GRAPH <{G}> {{ <id/org/parti-s> a kgo:PoliticalParty }} }}",
        "OrganisationShape",
    ),
    (
        "organisation-no-label",
        f"DELETE WHERE {{ GRAPH <{G}> {{ <id/org/parti-s> skos:prefLabel ?l }} }}",
        "OrganisationShape",
    ),
    (
        "membership-no-member",
        f"DELETE WHERE {{ GRAPH <{G}> {{ <id/membership/m1> org:member ?p }} }}",
        "MembershipShape",
    ),
    (
        "membership-member-not-person",
        f"DELETE WHERE {{ GRAPH <{G}> {{ <id/membership/m1> org:member ?p }} }} ;"
        f"INSERT DATA {{ GRAPH <{G}> {{ <id/membership/m1> org:member <id/org/parti-s> }} }}",
        "MembershipShape",
    ),
    (
        "membership-two-organisations",
        f"INSERT DATA {{ GRAPH <{G}> {{ <id/membership/m1> org:organization <id/org/svenska-esf-radet> }} }}",
        "MembershipShape",
    ),
    (
        "membership-two-roles",
        f'INSERT DATA {{ GRAPH <{G}> {{ <def/role/x> a org:Role ; skos:prefLabel "x"@sv . '
        f"<id/membership/m1> org:role <def/role/x> }} }}",
        "MembershipShape",
    ),
    (
        "membership-neither-role-nor-organisation",
        f"DELETE WHERE {{ GRAPH <{G}> {{ <id/membership/m1> org:role ?r ; org:organization ?o }} }}",
        "MembershipShape",
    ),
    (
        "membership-no-label",
        f"DELETE WHERE {{ GRAPH <{G}> {{ <id/membership/m1> skos:prefLabel ?l }} }}",
        "MembershipShape",
    ),
    (
        "membership-two-labels",
        f'INSERT DATA {{ GRAPH <{G}> {{ <id/membership/m1> skos:prefLabel "ordförande"@sv }} }}',
        "MembershipShape",
    ),
    (
        "membership-acting-not-boolean",
        f'INSERT DATA {{ GRAPH <{G}> {{ <id/membership/m1> kgo:acting "t f" }} }}',
        "MembershipShape",
    ),
    (
        "role-no-label",
        f"DELETE WHERE {{ GRAPH <{G}> {{ <def/role/kommunstyrelsens-ordforande> skos:prefLabel ?l }} }}",
        "RoleShape",
    ),
    (
        "quotation-no-text",
        f"DELETE WHERE {{ GRAPH <{G}> {{ <id/quote/q1> schema:text ?t }} }}",
        "QuotationShape",
    ),
    (
        "quotation-two-speakers",
        f'INSERT DATA {{ GRAPH <{G}> {{ <id/person/b> a foaf:Person ; foaf:name "B" ; kgo:evidence '
        f"<{S['person']}> . <id/quote/q1> schema:spokenByCharacter <id/person/b> }} }}",
        "QuotationShape",
    ),
    (
        "quotation-speaker-not-person",
        f"DELETE WHERE {{ GRAPH <{G}> {{ <id/quote/q1> schema:spokenByCharacter ?p }} }} ;"
        f"INSERT DATA {{ GRAPH <{G}> {{ <id/quote/q1> schema:spokenByCharacter <id/org/kommun-0484> }} }}",
        "QuotationShape",
    ),
    (
        "quotation-no-document",
        f"DELETE WHERE {{ GRAPH <{G}> {{ <id/quote/q1> schema:isPartOf ?d }} }}",
        "QuotationShape",
    ),
    (
        "quotation-no-evidence",
        f"DELETE WHERE {{ GRAPH <{G}> {{ <id/quote/q1> kgo:evidence ?e }} }}",
        "EvidenceShape",
    ),
    (
        "event-no-name",
        f"DELETE WHERE {{ GRAPH <{G}> {{ <id/event/forum-jamstalldhet/2018> schema:name ?n }} }}",
        "EventShape",
    ),
    (
        "event-end-before-start",
        f"DELETE WHERE {{ GRAPH <{G}> {{ <id/event/forum-jamstalldhet/2018> schema:endDate ?d }} }} ;"
        f"INSERT DATA {{ GRAPH <{G}> {{ <id/event/forum-jamstalldhet/2018> schema:endDate "
        f'"2018-03-04"^^xsd:date }} }}',
        "EventShape",
    ),
    (
        "event-end-before-start-datetime",
        f"DELETE WHERE {{ GRAPH <{G}> {{ <id/event/forum-jamstalldhet/2018> schema:endDate ?d }} }} ;"
        f"INSERT DATA {{ GRAPH <{G}> {{ <id/event/forum-jamstalldhet/2018> schema:endDate "
        f'"2018-03-04T10:00:00"^^xsd:dateTime }} }}',
        "EventShape",
    ),
    (
        "event-date-as-string",
        f"DELETE WHERE {{ GRAPH <{G}> {{ <id/event/forum-jamstalldhet/2018> schema:startDate ?d }} }} ;"
        f'INSERT DATA {{ GRAPH <{G}> {{ <id/event/forum-jamstalldhet/2018> schema:startDate "5 mars 2018" }} }}',
        "EventShape",
    ),
    (
        "event-series-no-name",
        f"DELETE WHERE {{ GRAPH <{G}> {{ <id/event/forum-jamstalldhet> schema:name ?n }} }}",
        "EventSeriesShape",
    ),
    (
        "place-no-name",
        f"DELETE WHERE {{ GRAPH <{G}> {{ <id/place/eskilstuna> schema:name ?n }} }}",
        "PlaceShape",
    ),
    (
        "project-no-name",
        f"DELETE WHERE {{ GRAPH <{G}> {{ <id/project/verka-jamstallt> schema:name ?n }} }}",
        "ProjectShape",
    ),
    (
        "participation-unknown-role",
        f"DELETE WHERE {{ GRAPH <{G}> {{ <id/participation/p1> cv:role ?r }} }} ;"
        f"INSERT DATA {{ GRAPH <{G}> {{ <id/participation/p1> cv:role <def/project-role/sponsor> }} }}",
        "ParticipationShape",
    ),
    (
        "participation-two-roles",
        f"INSERT DATA {{ GRAPH <{G}> {{ <id/participation/p1> cv:role <def/project-role/coordinator> }} }}",
        "ParticipationShape",
    ),
    (
        "participation-no-participant",
        f"DELETE WHERE {{ GRAPH <{G}> {{ <id/participation/p1> cv:hasParticipant ?o }} }}",
        "ParticipationShape",
    ),
    (
        "contact-point-empty",
        f"DELETE WHERE {{ GRAPH <{G}> {{ <id/contact/c1> cv:telephone ?t ; cv:email ?e }} }}",
        "ContactPointShape",
    ),
    (
        "contact-point-email-not-normalised",
        f"DELETE WHERE {{ GRAPH <{G}> {{ <id/contact/c1> cv:email ?e }} }} ;"
        f'INSERT DATA {{ GRAPH <{G}> {{ <id/contact/c1> cv:email "Anna.Exempel[at]eskilstuna.se" }} }}',
        "ContactPointShape",
    ),
    (
        "person-no-evidence",
        f"DELETE WHERE {{ GRAPH <{G}> {{ <id/person/anna-exempel> kgo:evidence ?e }} }}",
        "EvidenceShape",
    ),
    (
        "membership-no-evidence",
        f"DELETE WHERE {{ GRAPH <{G}> {{ <id/membership/m1> kgo:evidence ?e }} }}",
        "EvidenceShape",
    ),
    (
        "mentioned-organisation-no-evidence",
        f"DELETE WHERE {{ GRAPH <{G}> {{ <id/org/kommun-0484> kgo:evidence ?e }} }}",
        "EvidenceShape",
    ),
    (
        "contact-point-no-evidence",
        f"DELETE WHERE {{ GRAPH <{G}> {{ <id/contact/c1> kgo:evidence ?e }} }}",
        "EvidenceShape",
    ),
    (
        "participation-no-evidence",
        f"DELETE WHERE {{ GRAPH <{G}> {{ <id/participation/p1> kgo:evidence ?e }} }}",
        "EvidenceShape",
    ),
    (
        "evidence-span-not-described",
        f"INSERT DATA {{ GRAPH <{G}> {{ <id/place/eskilstuna> kgo:evidence <res/doc/other/text/0-5> }} }}",
        "EvidenceShape",
    ),
]


@pytest.mark.parametrize(("update", "shape"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_broken_variant_fails(update: str, shape: str) -> None:
    report = validate_store(make_store(update))
    assert not report.conforms
    assert shape in report.shapes(), format_report(report)
    assert all(v.graph == G and v.document == f"{BASE}res/doc/{DOC}" for v in report.violations)
    text = format_report(report)
    assert f"graph/doc/{DOC}" in text and f"kgsh:{shape}" in text


def test_shifted_span_is_reported_readably() -> None:
    b, e = (int(x) for x in S["quote"].rsplit("/", 1)[1].split("-"))
    update = dict((x[0], x[1]) for x in BROKEN)["span-begin-shifted-by-one"]
    report = validate_store(make_store(update))
    [v] = [v for v in report.violations if v.shape.endswith("SpanOffsetShape")]
    assert v.focus == BASE + S["quote"]
    assert f"[{b + 1}, {e})" in v.message and "code-point slice" in v.message


def test_reference_entities_not_used_by_the_document_are_left_out() -> None:
    # Stockholm (in the reference graph, no kgo:evidence) is not mentioned: no violation.
    # Without the reference join, the document still validates (it carries its own type triples).
    assert validate_store(make_store(), reference=False).conforms


def test_each_document_graph_reported_with_its_name() -> None:
    other = "001-other"
    text = "Kort text."
    update = f"""INSERT DATA {{ GRAPH <graph/doc/{other}> {{
        <res/doc/{other}> a schema:NewsArticle, foaf:Document ; kgo:sourceFile "001_other.txt" ;
            kgo:sha256 "{hashlib.sha256(text.encode()).hexdigest()}" .
        <res/doc/{other}/text> a nif:Context ; nif:isString "{text}" ;
            nif:beginIndex "0"^^xsd:nonNegativeInteger ; nif:endIndex "{len(text)}"^^xsd:nonNegativeInteger ;
            nif:sourceUrl <res/doc/{other}> .
        <id/person/x> a foaf:Person ; foaf:name "X" .
    }} }}"""
    report: Report = validate_store(make_store(update))
    assert report.graphs == [G, f"{BASE}graph/doc/{other}"]
    assert not report.conforms
    assert set(report.by_graph()) == {f"{BASE}graph/doc/{other}"}
    [v] = report.violations
    assert v.shape.endswith("EvidenceShape") and v.focus == f"{BASE}id/person/x"
    assert v.document == f"{BASE}res/doc/{other}"
    # the same person IRI in another document graph with another name is no problem per graph
    assert "graph/doc/001-other" in format_report(report)


def test_two_spellings_of_one_name_in_one_document_conform(tmp_path) -> None:
    """'Vesna Čužić' and 'Vesna Ćužić' (one person id) in one release: one foaf:name, the other an alt label."""
    from kg import store as kgstore
    from kg.build import build

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "ambassador.txt").write_text(
        "Nya ambassadörer till Sverige\n\n## H.E. Ms Vesna Čužić, Bosnien och Hercegovina\n\n"
        "Bosnien och Hercegovinas nyutnämnda ambassadör Vesna Ćužić är född 1962.\n",
        encoding="utf-8",
    )
    build([docs], tmp_path / "kg.oxigraph")
    store = kgstore.open_read(tmp_path / "kg.oxigraph")
    report = validate_store(store)
    assert report.conforms, format_report(report)
    quads = store.quads_for_pattern(None, None, None, None)
    names = [q.object.value for q in quads if q.predicate.value.endswith("/name")]
    assert "Vesna Čužić" in names
