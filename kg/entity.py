"""One entity summed up: its roles with organisations and dates, the documents that mention it, its quotes,
events, and the people and organisations it is mentioned with; and its evidence, newest document first.

Every figure is a SPARQL query over the default graph (`kg/data/entity/*.rq`, the entity bound as
`?entity`); the entity's kind and the labels of the few entities shown are looked up by pattern, and the
rows are ordered here (ORDER BY with IRI tie-breaks made the biggest lists three times slower). What a
summary holds depends on the entity's kind (person, organisation, event, series, project, place, role);
other nodes (memberships, quotes, documents) have none. The server shows it at the top of every entity
page (`server/entity.py`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

from pyoxigraph import DefaultGraph, NamedNode, Store

from kg import store as kgstore

RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
FOAF = "http://xmlns.com/foaf/0.1/"
ORG = "http://www.w3.org/ns/org#"
SCHEMA = "https://schema.org/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
# an entity's kind: the first of its classes found here
KINDS = {
    FOAF + "Person": "person",
    ORG + "Organization": "organisation",
    SCHEMA + "Event": "event",
    SCHEMA + "EventSeries": "series",
    SCHEMA + "Project": "project",
    SCHEMA + "Place": "place",
    SCHEMA + "AdministrativeArea": "place",
    ORG + "Role": "role",
}
LABELS = [NamedNode(SKOS + "prefLabel"), NamedNode(FOAF + "name"), NamedNode(SCHEMA + "name")]
DATE_PUBLISHED = NamedNode(SCHEMA + "datePublished")
SPAN = re.compile(r"^(?P<doc>.*res/doc/(?P<docid>[^/]+))/text/(?P<b>\d+)-(?P<e>\d+)$")
TOP = 10  # people, organisations and events listed
ROWS = 20  # rows of the roles table
# the roles queries (kg/data/entity/) and the columns each returns besides the counts and dates
ROLE_QUERIES = {
    "roles-of-person": ("role", "organisation"),
    "roles-at-organisation": ("person", "role"),
    "role-holders": ("person", "organisation"),
    "participants": ("organisation", "role"),
    "projects-of": ("project", "role"),
}


@dataclass(frozen=True)
class Ref:
    """A linked entity and its label (its IRI's last segment when it has none)."""

    iri: str
    label: str


@dataclass(frozen=True)
class Tie:
    """An entity listed in a summary: the documents it shares with the summarised one (co-occurrence), and
    for an event its start date."""

    ref: Ref
    documents: int | None = None
    date: str | None = None


@dataclass(frozen=True)
class Role:
    """A row of the roles table: who holds what where (or which organisation takes part in which project, as
    what), stated in `documents` documents published from `first` to `last`. The summarised entity's own
    column is None."""

    documents: int
    first: str | None
    last: str | None
    person: Ref | None = None
    role: Ref | None = None
    organisation: Ref | None = None
    project: Ref | None = None


@dataclass
class Listing:
    """The first rows of a list and how many there are in all."""

    items: list = field(default_factory=list)
    total: int = 0


@dataclass
class Summary:
    """What a page shows about an entity before its evidence."""

    iri: str
    kind: str
    documents: int = 0  # documents that mention it
    first: str | None = None  # their earliest publication date
    last: str | None = None
    published: int = 0  # documents it published (organisations)
    quotes: int = 0  # said by it, for it or about it
    roles: Listing = field(default_factory=Listing)
    projects: Listing = field(default_factory=Listing)  # projects an organisation takes part in
    events: Listing = field(default_factory=Listing)
    events_relation: str = "mentioned with it"  # or "editions", "held here", "of this project"
    people: Listing = field(default_factory=Listing)
    organisations: Listing = field(default_factory=Listing)


@cache
def _query(name: str) -> str:
    return (files("kg") / "data" / "entity" / f"{name}.rq").read_text(encoding="utf-8")


def _run(store: Store, name: str, iri: str) -> list:
    return list(kgstore.query(store, _query(name), {"entity": NamedNode(iri)}))


def _value(solution, name: str) -> str | None:  # type: ignore[no-untyped-def]
    term = solution[name]
    return term.value if term is not None else None


def _date(solution, name: str) -> str | None:  # type: ignore[no-untyped-def]
    """A first or last date: the queries write "~" and "" for none (kg/data/entity/README.md)."""
    value = _value(solution, name)
    return value if value not in (None, "", "~") else None


def kind(store: Store, iri: str) -> str | None:
    """person, organisation, event, series, project, place or role; None for other nodes."""
    types = {q.object.value for q in store.quads_for_pattern(NamedNode(iri), RDF_TYPE, None, DefaultGraph())}
    return next((k for cls, k in KINDS.items() if cls in types), None)


def label(store: Store, iri: str) -> str:
    """The entity's preferred label or name; else the last segment of its IRI."""
    for predicate in LABELS:
        for quad in store.quads_for_pattern(NamedNode(iri), predicate, None, DefaultGraph()):
            return quad.object.value
    return iri.rstrip("/").rsplit("/", 1)[-1]


def _ref(store: Store, iri: str | None) -> Ref | None:
    return Ref(iri, label(store, iri)) if iri else None


def summary(store: Store, iri: str, top: int = TOP, rows: int = ROWS) -> Summary | None:
    """The summary of the entity `iri` (`top` entities per list, `rows` roles), or None when it is not a
    person, organisation, event, series, project, place or role."""
    what = kind(store, iri)
    if what is None:
        return None
    out = Summary(iri, what)
    for sol in _run(store, "documents", iri):
        out.documents, out.first, out.last = int(sol["documents"].value), _date(sol, "first"), _date(sol, "last")
    if what in ("person", "organisation", "event", "project"):
        out.quotes = sum(int(sol["quotes"].value) for sol in _run(store, "quotes", iri))
    if what == "organisation":
        out.published = sum(int(sol["documents"].value) for sol in _run(store, "published", iri))
        out.projects = _roles(store, "projects-of", iri, rows)
    roles = {"person": "roles-of-person", "organisation": "roles-at-organisation", "role": "role-holders",
             "project": "participants"}  # fmt: skip
    if what in roles:
        out.roles = _roles(store, roles[what], iri, rows)
    if what in ("series", "place", "project"):
        out.events = _events_of(store, iri, top)
        out.events_relation = {"series": "editions", "place": "held here", "project": "of this project"}[what]
    elif what in ("person", "organisation"):
        out.events = _cooccurring(store, iri, "events", top)
    if what != "role":
        out.people = _cooccurring(store, iri, "people", top)
        out.organisations = _cooccurring(store, iri, "organisations", top)
    return out


def _ordered(rows: list[tuple], *keys: int) -> list[tuple]:
    """`rows` by their `keys` columns, each descending (None lowest), then by the remaining columns ascending."""
    rest = [i for i in range(len(rows[0])) if i not in keys] if rows else []
    out = sorted(rows, key=lambda row: _key(tuple(row[i] for i in rest)))
    for i in reversed(keys):
        out.sort(key=lambda row, i=i: _key((row[i],)), reverse=True)  # type: ignore[misc]
    return out


def _roles(store: Store, name: str, iri: str, rows: int) -> Listing:
    """Most documents first, then the latest."""
    columns = ROLE_QUERIES[name]
    found = [
        (int(sol["documents"].value), _date(sol, "last"), _date(sol, "first"), *(_value(sol, c) for c in columns))
        for sol in _run(store, name, iri)
    ]
    items = [
        Role(n, first, last, **{c: _ref(store, value) for c, value in zip(columns, values, strict=True)})
        for n, last, first, *values in _ordered(found, 0, 1)[:rows]
    ]
    return Listing(items, len(found))


def _cooccurring(store: Store, iri: str, what: str, top: int) -> Listing:
    """Most documents in common first, then (events) the newest, then by IRI."""
    found: dict[str, tuple[int, str | None, str]] = {}
    for sol in _run(store, f"cooccurring-{what}", iri):
        other, start = sol["other"].value, _value(sol, "start") if what == "events" else None
        # an event merged from two documents may have two start dates: one row each, the later one is kept
        found[other] = max(found.get(other, (0, None, other)), (int(sol["documents"].value), start, other), key=_key)
    items = [Tie(_ref(store, other), n, start) for n, start, other in _ordered(list(found.values()), 0, 1)[:top]]
    return Listing(items, len(found))


def _events_of(store: Store, iri: str, top: int) -> Listing:
    """The newest first, then by IRI."""
    found: dict[str, tuple[str | None, str]] = {}
    for sol in _run(store, "events-of", iri):
        event = sol["event"].value
        found[event] = max(found.get(event, (None, event)), (_value(sol, "start"), event), key=_key)
    items = [Tie(_ref(store, event), date=start) for start, event in _ordered(list(found.values()), 0)[:top]]
    return Listing(items, len(found))


def _key(row: tuple) -> tuple:
    """A row as a sort key: None below every value."""
    return tuple("" if value is None else value for value in row)


def parse_span(iri: str) -> tuple[str, int, int] | None:
    """(document IRI, begin, end) of a span IRI res/doc/{id}/text/{b}-{e}, else None."""
    m = SPAN.match(iri)
    return (m["doc"], int(m["b"]), int(m["e"])) if m else None


def evidence(store: Store, iri: str) -> list[tuple[str, int, int]]:
    """(document IRI, begin, end) of every evidence span of `iri`: the newest document first (undated ones
    last), in text order within a document."""
    spans = [s for s in (parse_span(sol["span"].value) for sol in _run(store, "evidence", iri)) if s]
    dates = {sol["doc"].value: _value(sol, "date") or "" for sol in _run(store, "dated-documents", iri)}
    for doc in {doc for doc, _, _ in spans} - dates.keys():  # spans of nodes no document mentions
        dates[doc] = _published(store, doc)
    spans.sort(key=lambda s: s[1])
    spans.sort(key=lambda s: (dates[s[0]], s[0]), reverse=True)
    return spans


def _published(store: Store, doc: str) -> str:
    for quad in store.quads_for_pattern(NamedNode(doc), DATE_PUBLISHED, None, DefaultGraph()):
        return quad.object.value
    return ""
