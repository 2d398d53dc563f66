"""kg/entity.py on real stores (seeds/, and 1,062 regeringen releases): each figure of an entity's summary
equals what the store's triples say, counted here by triple pattern without SPARQL; evidence comes newest
document first; every membership is labelled with its title and organisation.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad, Store

from kg import entity

RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SCHEMA = "https://schema.org/"
ORG = "http://www.w3.org/ns/org#"
FOAF = "http://xmlns.com/foaf/0.1/"
CV = "http://data.europa.eu/m8g/"
SKOS_PREF = NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
EVIDENCE = NamedNode("https://w3id.org/sv-press-kg/ontology#evidence")
MENTIONS = NamedNode(SCHEMA + "mentions")
PICKED = 6  # entities per kind checked on the regeringen store: those with the most evidence


@pytest.fixture(scope="module", params=["seeds", "regeringen"])
def store(request: pytest.FixtureRequest) -> Store:
    path: Path = request.getfixturevalue(f"{request.param}_store_path")
    return Store.read_only(str(path))


def objects(store: Store, s: str, p: str) -> list[str]:
    return [q.object.value for q in store.quads_for_pattern(NamedNode(s), NamedNode(p), None, DefaultGraph())]


def subjects(store: Store, p: str | NamedNode, o: str) -> list[str]:
    pred = p if isinstance(p, NamedNode) else NamedNode(p)
    return [q.subject.value for q in store.quads_for_pattern(None, pred, NamedNode(o), DefaultGraph())]


def of_class(store: Store, cls: str) -> set[str]:
    return set(subjects(store, RDF_TYPE, cls))


def entities(store: Store, cls: str) -> Iterator[str]:
    """Every entity of `cls` on a small store; the PICKED with the most evidence spans on a large one."""
    found = sorted(of_class(store, cls))
    if len(found) > 200:
        spans = {iri: len(objects(store, iri, EVIDENCE.value)) for iri in found}
        found = sorted(found, key=lambda iri: (-spans[iri], iri))[:PICKED]
    yield from found


def published(store: Store, doc: str) -> str | None:
    return next(iter(objects(store, doc, SCHEMA + "datePublished")), None)


def start(store: Store, event: str) -> str | None:
    """An event's start date; the latest when documents gave it several."""
    return max(objects(store, event, SCHEMA + "startDate"), default=None)


def doc_of_span(span: str) -> str:
    return re.sub(r"/text/\d+-\d+$", "", span)


KIND_CLASSES = [FOAF + "Person", ORG + "Organization", SCHEMA + "Event", SCHEMA + "Project", SCHEMA + "Place"]


def test_documents_and_their_dates(store: Store) -> None:
    checked = 0
    for cls in KIND_CLASSES:
        for iri in entities(store, cls):
            s = entity.summary(store, iri)
            docs = set(subjects(store, MENTIONS, iri))
            dates = [d for d in (published(store, doc) for doc in docs) if d]
            assert (s.documents, s.first, s.last) == (len(docs), min(dates, default=None), max(dates, default=None))
            checked += 1
    assert checked > 20


def expected_ties(store: Store, iri: str, cls: str) -> list[tuple[str, int]]:
    """(entity of `cls`, documents shared with `iri`): most shared first, then the latest start date, then IRI."""
    members = of_class(store, cls)
    shared: Counter[str] = Counter()
    for doc in set(subjects(store, MENTIONS, iri)):
        shared.update(o for o in set(objects(store, doc, MENTIONS.value)) if o in members and o != iri)
    ordered = sorted(shared.items())
    ordered.sort(key=lambda item: start(store, item[0]) or "", reverse=True)
    return sorted(ordered, key=lambda item: -item[1])


@pytest.mark.parametrize(
    ("listing", "cls"),
    [("people", FOAF + "Person"), ("organisations", ORG + "Organization")],
)
def test_people_and_organisations_mentioned_with_it(store: Store, listing: str, cls: str) -> None:
    nonempty = 0
    for kind_cls in KIND_CLASSES:
        for iri in entities(store, kind_cls):
            got: entity.Listing = getattr(entity.summary(store, iri), listing)
            expected = expected_ties(store, iri, cls)
            assert got.total == len(expected)
            assert [(t.ref.iri, t.documents) for t in got.items] == expected[: entity.TOP]
            nonempty += bool(expected)
    assert nonempty > 5


def test_events_mentioned_with_a_person_or_organisation(store: Store) -> None:
    for cls in (FOAF + "Person", ORG + "Organization"):
        for iri in entities(store, cls):
            s = entity.summary(store, iri)
            expected = expected_ties(store, iri, SCHEMA + "Event")
            assert (s.events.total, [(t.ref.iri, t.documents) for t in s.events.items]) == (
                len(expected),
                expected[: entity.TOP],
            )
            for t in s.events.items:
                assert t.date == start(store, t.ref.iri)


def role_rows(store: Store, memberships: list[str], columns: dict[str, str]) -> dict[tuple, tuple]:
    """(column values) -> (documents, first, last) over the memberships, from their evidence spans' documents."""
    docs: dict[tuple, set[str]] = defaultdict(set)
    for m in memberships:
        key = tuple(next(iter(objects(store, m, p)), None) for p in columns.values())
        docs[key] |= {doc_of_span(span) for span in objects(store, m, EVIDENCE.value)}
    out = {}
    for key, found in docs.items():
        dates = [d for d in (published(store, doc) for doc in found) if d]
        out[key] = (len(found), min(dates, default=None), max(dates, default=None))
    return out


@pytest.mark.parametrize(
    ("cls", "link", "columns"),
    [
        (FOAF + "Person", ORG + "member", {"role": ORG + "role", "organisation": ORG + "organization"}),
        (ORG + "Organization", ORG + "organization", {"person": ORG + "member", "role": ORG + "role"}),
        (ORG + "Role", ORG + "role", {"person": ORG + "member", "organisation": ORG + "organization"}),
    ],
    ids=["person", "organisation", "role"],
)
def test_roles_with_organisations_and_dates(store: Store, cls: str, link: str, columns: dict[str, str]) -> None:
    rows = 0
    for iri in entities(store, cls):
        got = entity.summary(store, iri).roles
        expected = role_rows(store, subjects(store, link, iri), columns)
        assert got.total == len(expected)
        for r in got.items:
            key = tuple(getattr(r, c).iri if getattr(r, c) else None for c in columns)
            assert (r.documents, r.first, r.last) == expected[key]
            for c in columns:
                ref = getattr(r, c)
                assert ref is None or ref.label == entity.label(store, ref.iri)
        assert [r.documents for r in got.items] == sorted((r.documents for r in got.items), reverse=True)
        rows += len(got.items)
    assert rows > 0


def test_quotes_by_for_and_about(store: Store) -> None:
    for cls, p in [
        (FOAF + "Person", "spokenByCharacter"),
        (ORG + "Organization", "sourceOrganization"),
        (SCHEMA + "Event", "about"),
        (SCHEMA + "Project", "about"),
    ]:
        for iri in entities(store, cls):
            assert entity.summary(store, iri).quotes == len(set(subjects(store, SCHEMA + p, iri)))


def test_editions_of_a_series_and_events_at_a_place(store: Store) -> None:
    listed = 0
    for cls in (SCHEMA + "EventSeries", SCHEMA + "Place"):
        for iri in entities(store, cls):
            s = entity.summary(store, iri)
            via = "superEvent" if cls.endswith("Series") else "location"
            expected = set(subjects(store, SCHEMA + via, iri))
            if via == "location":  # also at a venue in the place
                for venue in subjects(store, SCHEMA + "containedInPlace", iri):
                    expected |= set(subjects(store, SCHEMA + "location", venue))
            expected &= of_class(store, SCHEMA + "Event")
            assert s.events.total == len(expected)
            assert {t.ref.iri for t in s.events.items} <= expected
            assert all(t.date == start(store, t.ref.iri) for t in s.events.items)
            dates = [t.date or "" for t in s.events.items]
            assert dates == sorted(dates, reverse=True)
            listed += len(s.events.items)
    assert listed > 0


def test_evidence_is_every_span_newest_document_first(store: Store) -> None:
    for cls in KIND_CLASSES:
        for iri in entities(store, cls):
            spans = entity.evidence(store, iri)
            expected = {entity.parse_span(span) for span in objects(store, iri, EVIDENCE.value)}
            assert len(spans) == len(expected) and set(spans) == expected
            keys = [(published(store, doc) or "", doc, -b) for doc, b, _ in spans]
            assert keys == sorted(keys, reverse=True)  # newest document first, in text order within one


def test_nodes_that_are_not_entities_have_no_summary(store: Store) -> None:
    membership = sorted(of_class(store, ORG + "Membership"))[0]
    quote = sorted(of_class(store, SCHEMA + "Quotation"))[0]
    assert entity.summary(store, membership) is None and entity.summary(store, quote) is None
    assert entity.evidence(store, membership)  # nodes without a summary still have their evidence


def test_every_membership_is_labelled_with_its_title_and_organisation(store: Store) -> None:
    """Checked in each document's own graph: the label names the role and organisation of that document."""
    checked = 0
    for quad in store.quads_for_pattern(None, RDF_TYPE, NamedNode(ORG + "Membership"), None):
        if isinstance(quad.graph_name, DefaultGraph):
            continue
        m, g = quad.subject, quad.graph_name

        def one(s: NamedNode, p: NamedNode, g: NamedNode = g) -> Literal | NamedNode | None:
            values = [q.object for q in store.quads_for_pattern(s, p, None, g)]
            assert len(values) <= 1
            return values[0] if values else None

        role, org = one(m, NamedNode(ORG + "role")), one(m, NamedNode(ORG + "organization"))
        parts = [one(node, SKOS_PREF).value for node in (role, org) if node is not None]
        label = one(m, SKOS_PREF)
        assert label is not None and label.language == "sv"
        assert label.value == ", ".join(parts), (m, label, parts)
        checked += 1
    assert checked > 10


def test_an_event_with_two_start_dates_is_listed_once_with_the_later() -> None:
    """Two documents gave one event two dates; the merged default graph holds both."""
    store = Store()
    base = "https://w3id.org/sv-press-kg/"
    person, event = NamedNode(base + "id/person/p"), NamedNode(base + "id/event/e/2023")
    date = "http://www.w3.org/2001/XMLSchema#date"
    triples = [(person, RDF_TYPE, NamedNode(FOAF + "Person")), (event, RDF_TYPE, NamedNode(SCHEMA + "Event"))]
    for n, day in ((1, "2023-05-02"), (2, "2023-05-09")):
        doc = NamedNode(f"{base}res/doc/d{n}")
        triples += [(doc, MENTIONS, person), (doc, MENTIONS, event)]
        triples.append((event, NamedNode(SCHEMA + "startDate"), Literal(day, datatype=NamedNode(date))))
    store.extend([Quad(s, p, o, DefaultGraph()) for s, p, o in triples])
    events = entity.summary(store, person.value).events
    assert events.total == 1 and [(t.ref.iri, t.documents, t.date) for t in events.items] == [
        (event.value, 2, "2023-05-09")
    ]
