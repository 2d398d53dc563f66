"""Stage 4, emit: the facts of one document as quads of its named graph (see ontology/MODEL.md)."""

from __future__ import annotations

import datetime
import re
from collections import Counter

from pyoxigraph import Literal, NamedNode, Quad

from kg import vocab
from kg.extract.document import DocFacts, analyse
from kg.extract.events import Event, lemma
from kg.extract.membership import Membership
from kg.extract.projects import Project
from kg.gazetteer import OrgRef, is_place, load
from kg.link import Linker
from kg.read import Document

RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
PUBLIC_KINDS = {"Municipality", "CountyAdministrativeBoard", "Region", "GovernmentAgency"}


def _n(term) -> NamedNode:
    return NamedNode(str(term))


class _Terms:
    """A vocabulary's terms as pyoxigraph NamedNodes, each made once (rdflib lookups are slow in hot loops)."""

    def __init__(self, namespace) -> None:
        self._ns = namespace
        self._items: dict[str, NamedNode] = {}

    def __getattr__(self, name: str) -> NamedNode:
        if name.startswith("__"):
            raise AttributeError(name)
        node = _n(getattr(self._ns, name))  # unknown terms of a closed namespace still raise
        setattr(self, name, node)
        return node

    def __getitem__(self, name: str) -> NamedNode:
        node = self._items.get(name)
        if node is None:
            node = self._items[name] = _n(self._ns[name])
        return node


CV, FOAF, KGO, NIF = _Terms(vocab.CV), _Terms(vocab.FOAF), _Terms(vocab.KGO), _Terms(vocab.NIF)
ORG, SCHEMA, SKOS, XSD = _Terms(vocab.ORG), _Terms(vocab.SCHEMA), _Terms(vocab.SKOS), _Terms(vocab.XSD)


def _s(value: str) -> Literal:
    return Literal(value)


def _sv(value: str) -> Literal:
    return Literal(value, language="sv")


def _int(value: int) -> Literal:
    return Literal(str(value), datatype=XSD.integer)


def _date(value: datetime.date | datetime.datetime) -> Literal:
    if isinstance(value, datetime.datetime):
        return Literal(value.isoformat(), datatype=XSD.dateTime)
    return Literal(value.isoformat(), datatype=XSD.date)


class _Writer:
    def __init__(self, facts: DocFacts, link: Linker):
        self.facts = facts
        self.link = link
        self.doc_id = facts.doc.doc_id
        self.graph = NamedNode(link.graph(self.doc_id))
        self.doc = NamedNode(link.doc(self.doc_id))
        self.text_node = NamedNode(link.text(self.doc_id))
        self.quads: list[Quad] = []
        self.spans: set[tuple[int, int]] = set()

    def add(self, s: NamedNode, p: NamedNode, o) -> None:
        self.quads.append(Quad(s, p, o, self.graph))

    def evidence(self, node: NamedNode, b: int, e: int) -> None:
        text = self.facts.doc.text
        while b < e and text[b].isspace():
            b += 1
        while e > b and text[e - 1].isspace():
            e -= 1
        if e <= b:
            return
        self.add(node, KGO.evidence, NamedNode(self.link.span(self.doc_id, b, e)))
        self.spans.add((b, e))

    def mention(self, node: NamedNode) -> None:
        self.add(self.doc, SCHEMA.mentions, node)

    def fallback_span(self) -> tuple[int, int]:
        text = self.facts.doc.text
        first = text.strip().split("\n")[0]
        b = text.index(first)
        return b, b + len(first)


def document_quads(doc: Document, base: str | None = None) -> list:
    """All quads of the document's named graph."""
    return facts_quads(analyse(doc), Linker(base))


def facts_quads(facts: DocFacts, link: Linker) -> list:
    w = _Writer(facts, link)
    _document(w)
    org_nodes = {key: _org(w, ref, spans) for key, (ref, spans) in sorted(facts.orgs.items())}
    person_nodes: dict[str, NamedNode] = {}
    named: set[str] = set()

    def preference(kv: tuple) -> tuple:
        name, p = kv
        return (-len(p.spans), -sum(ord(ch) > 127 for ch in name), min(p.spans, default=(0, 0)), name)

    for name, p in sorted(facts.people.items(), key=preference):
        # two spellings of one name ("Åsa Regner", "Åsa Regnér") are one person: the one written most often
        # (then the one with more letters beyond ASCII) is its name in this document, the other an alt label
        person_nodes[name] = _person(w, p, first=w.link.person(p.name) not in named)
        named.add(w.link.person(p.name))
    memberships = _memberships(w, person_nodes, org_nodes)
    event_nodes = _events(w)
    project_nodes = _projects(w, org_nodes)
    for ev, node in event_nodes.items():
        project = facts.event_project.get(id(ev))
        if project is not None:
            w.add(node, KGO.project, project_nodes[id(project)])
    _quotes(w, person_nodes, org_nodes, memberships, event_nodes, project_nodes)
    _contacts(w, person_nodes)
    _spans(w)
    return w.quads


def _document(w: _Writer) -> None:
    f = w.facts
    w.add(w.doc, RDF_TYPE, SCHEMA.NewsArticle)
    w.add(w.doc, RDF_TYPE, FOAF.Document)
    if f.title:
        w.add(w.doc, SCHEMA.headline, _s(f.title))
    if f.published:
        w.add(w.doc, SCHEMA.datePublished, _date(f.published))
    elif f.published_as:  # a manifest or the file's name dates it: a day, a month or a year
        kind = {10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}[len(f.published_as)]
        w.add(w.doc, SCHEMA.datePublished, Literal(f.published_as, datatype=kind))
    if f.doc.meta and f.doc.meta.source:
        w.add(w.doc, SCHEMA.url, NamedNode(f.doc.meta.source))
    if f.publisher:
        w.add(w.doc, SCHEMA.publisher, NamedNode(w.link.org(f.publisher)))
    w.add(w.doc, KGO.sourceFile, _s(f.doc.path.name))
    w.add(w.doc, KGO.sha256, _s(f.doc.sha256))
    w.add(w.doc, SCHEMA.inLanguage, _s("sv"))
    t = w.text_node
    w.add(t, RDF_TYPE, NIF.Context)
    w.add(t, NIF.isString, _s(f.doc.text))
    w.add(t, NIF.beginIndex, _int(0))
    w.add(t, NIF.endIndex, _int(len(f.doc.text)))
    w.add(t, NIF.sourceUrl, w.doc)


def _org(w: _Writer, ref: OrgRef, spans: list[tuple[int, int]]) -> NamedNode:
    node = NamedNode(w.link.org(ref))
    org_types(ref, lambda p, o: w.add(node, p, o))
    w.add(node, SKOS.prefLabel, _sv(ref.name))
    for b, e in spans or [w.fallback_span()]:
        w.evidence(node, b, e)
    w.mention(node)
    return node


def org_types(ref: OrgRef, add) -> None:
    """The type triples of an organisation: org:Organization, its kgo: class, cv: for public bodies."""
    add(RDF_TYPE, ORG.Organization)
    add(RDF_TYPE, KGO[ref.kind])
    if ref.kind in PUBLIC_KINDS:
        add(RDF_TYPE, CV.PublicOrganisation)


def _person(w: _Writer, p, first: bool = True) -> NamedNode:
    node = NamedNode(w.link.person(p.name))
    w.add(node, RDF_TYPE, FOAF.Person)
    if not first:
        w.add(node, SKOS.altLabel, _s(p.name))
        for b, e in p.spans:
            w.evidence(node, b, e)
        return node
    w.add(node, FOAF.name, _s(p.name))
    w.add(node, FOAF.givenName, _s(p.given))
    w.add(node, FOAF.familyName, _s(p.family))
    for b, e in p.spans:
        w.evidence(node, b, e)
    w.mention(node)
    return node


def _memberships(w: _Writer, persons, orgs) -> dict[str, NamedNode]:
    """org:Membership nodes; returns person name -> the first membership with an organisation."""
    first: dict[str, NamedNode] = {}
    parties: set[str] = set()
    for m in w.facts.memberships:
        if m.person not in persons or not (m.title or (m.org and m.org.key in orgs)):
            continue  # a party alone is kept on the person's other memberships only
        node = NamedNode(w.link.node("membership", m.person, m.org.key if m.org else "", m.title or "", w.doc_id))
        w.add(node, RDF_TYPE, ORG.Membership)
        w.add(node, ORG.member, persons[m.person])
        if m.org and m.org.key in orgs:
            w.add(node, ORG.organization, orgs[m.org.key])
            first.setdefault(m.person, node)
        if m.title:
            role = NamedNode(w.link.role(m.title))
            w.add(node, ORG.role, role)
            w.add(role, RDF_TYPE, ORG.Role)
            w.add(role, RDF_TYPE, SKOS.Concept)
            w.add(role, SKOS.prefLabel, _sv(m.title))
            w.add(role, SKOS.inScheme, NamedNode(w.link.base + "def/role"))
        if m.party:
            party = NamedNode(w.link.org(m.party))
            w.add(node, KGO.onBehalfOf, party)
            if m.party.key not in parties:
                parties.add(m.party.key)
                org_types(m.party, lambda p, o, party=party: w.add(party, p, o))
                w.add(party, SKOS.prefLabel, _sv(m.party.name))
                w.add(party, SKOS.notation, _s(m.party.code))
        if m.acting:
            w.add(node, KGO.acting, Literal("true", datatype=XSD.boolean))
        w.add(node, SKOS.prefLabel, _sv(membership_label(m, w.facts.orgs)))
        w.evidence(node, *((m.begin, m.end) if m.end > m.begin else persons_span(w, m.person)))
    return first


def membership_label(m: Membership, orgs: dict[str, tuple[OrgRef, list]]) -> str:
    """What a membership is, to read: its title as written ("t f landshövding" when acting) and the
    organisation's name as its node in the same document has it: "energi- och näringsminister, Regeringen"."""
    org = orgs[m.org.key][0].name if m.org and m.org.key in orgs else ""
    return ", ".join(part for part in (m.title or "", org) if part)


def persons_span(w: _Writer, name: str) -> tuple[int, int]:
    return w.facts.people[name].spans[0]


def _is_generic(ev: Event) -> bool:
    return not ev.series and lemma(ev.name.split()[0]) is not None and len(ev.name.split()) == 1


def _events(w: _Writer) -> dict[Event, NamedNode]:
    out: dict = {}
    for counter, ev in enumerate(w.facts.events, start=1):
        node = NamedNode(w.link.event(ev.name, ev.series, ev.start, w.doc_id, counter, _is_generic(ev)))
        if node in out.values():
            node = NamedNode(w.link.event(ev.name, None, ev.start, w.doc_id, counter, True))
        out[ev] = node
        w.add(node, RDF_TYPE, SCHEMA.Event)
        w.add(node, RDF_TYPE, CV.PublicEvent)
        w.add(node, SCHEMA.name, _s(_edition_name(ev)))
        if ev.start:
            w.add(node, SCHEMA.startDate, _date(ev.start))
            w.add(node, SCHEMA.endDate, _date(ev.end_date or ev.start))
        if ev.series:
            series = NamedNode(w.link.series(ev.series))
            w.add(node, SCHEMA.superEvent, series)
            w.add(series, RDF_TYPE, SCHEMA.EventSeries)
            w.add(series, SCHEMA.name, _s(_series_name(ev.series)))
            for b, e in [(b, e) for b, e in ev.spans if e > b] or [w.fallback_span()]:
                w.evidence(series, b, e)
            w.mention(series)
        _places(w, node, ev)
        spans = [(b, e) for b, e in ev.spans if e > b] or [w.fallback_span()]
        for b, e in spans:
            w.evidence(node, b, e)
        w.mention(node)
    return out


def _series_name(name: str) -> str:
    """One spelling per series: 'Forum jämställdhet' and 'Forum Jämställdhet' are one series."""
    words = name.split()
    return " ".join([words[0], *[x[:1].upper() + x[1:] if x.islower() and len(x) > 3 else x for x in words[1:]]])


def _edition_name(ev: Event) -> str:
    if ev.series:
        name = _series_name(ev.series)
        return f"{name} {ev.start.year}" if ev.start else name
    return ev.name


def _places(w: _Writer, event: NamedNode, ev: Event) -> None:
    """Each place of the event; a venue ('Stadshuset', 'Konserthuset') followed by a town is that town's
    venue: its node is named by both and lies in the town (not one 'Stadshuset' in every town)."""
    g = load()
    towns = [name in g.towns for name, _b, _e in ev.places]
    for i, (name, b, e) in enumerate(ev.places):
        venue = not towns[i] and not is_place(name) and name not in g.counties
        town = ev.places[i + 1][0] if venue and i + 1 < len(ev.places) and towns[i + 1] else None
        node = NamedNode(w.link.place(f"{name} {town}" if town else name))
        w.add(node, RDF_TYPE, SCHEMA.Place)
        w.add(node, SCHEMA.name, _s(name))
        w.evidence(node, b, e)
        w.add(event, SCHEMA.location, node)
        w.mention(node)
        if town:
            w.add(node, SCHEMA.containedInPlace, NamedNode(w.link.place(town)))


def _projects(w: _Writer, orgs) -> dict[int, NamedNode]:
    out = {}
    for p in w.facts.projects:
        node = NamedNode(w.link.project(p.name))
        out[id(p)] = node
        w.add(node, RDF_TYPE, SCHEMA.Project)
        w.add(node, SCHEMA.name, _s(p.name))
        for b, e in p.spans:
            w.evidence(node, b, e)
        w.mention(node)
        for (key, relation), (_ref, _rel, b, e) in sorted(p.relations.items()):
            if key not in orgs:
                continue
            part = NamedNode(w.link.node("participation", p.name, key, relation, w.doc_id))
            w.add(node, CV.hasParticipation, part)
            w.add(part, RDF_TYPE, CV.Participation)
            w.add(part, CV.hasParticipant, orgs[key])
            role = NamedNode(w.link.project_role(relation))
            w.add(part, CV.role, role)
            w.add(role, RDF_TYPE, SKOS.Concept)
            w.add(role, SKOS.prefLabel, _s(relation))
            w.evidence(part, b, e)
            if relation == "funder":
                w.add(node, SCHEMA.funder, orgs[key])
    return out


def _quotes(w: _Writer, persons, orgs, memberships, events, projects) -> None:
    f = w.facts
    joint = Counter(q.text for q in f.quotes)
    for q in f.quotes:
        if q.speaker not in persons:
            continue
        key = re.sub(r"\W+", " ", q.text).strip().lower()
        if joint[q.text] > 1:
            key += " " + q.speaker.lower()  # one quote said by two: a quotation for each
        node = NamedNode(w.link.node("quote", w.doc_id, key))
        w.add(node, RDF_TYPE, SCHEMA.Quotation)
        w.add(node, SCHEMA.text, _sv(q.text))
        w.add(node, SCHEMA.spokenByCharacter, persons[q.speaker])
        org = f.speaker_org.get(q.speaker)
        if org and org.key in orgs:
            w.add(node, SCHEMA.sourceOrganization, orgs[org.key])
        if q.speaker in memberships:
            w.add(node, KGO.speakerMembership, memberships[q.speaker])
        topic = f.topics.get(q.begin)
        if isinstance(topic, Event) and topic in events:
            w.add(node, SCHEMA.about, events[topic])
        elif isinstance(topic, Project) and id(topic) in projects:
            w.add(node, SCHEMA.about, projects[id(topic)])
        elif f.title:
            w.add(node, SCHEMA.about, w.doc)  # no event or project: what the release itself announces
        w.add(node, SCHEMA.isPartOf, w.doc)
        w.add(node, KGO.position, _int(q.begin))
        for b, e in q.spans:
            w.evidence(node, b, e)


def _contacts(w: _Writer, persons) -> None:
    for c in w.facts.contacts:
        if c.person not in persons:
            continue
        node = NamedNode(w.link.node("contact", c.person, c.phone or "", c.email or "", w.doc_id))
        w.add(node, RDF_TYPE, CV.ContactPoint)
        if c.phone:
            w.add(node, CV.telephone, _s(c.phone))
        if c.email:
            w.add(node, CV.email, _s(c.email))
        w.add(persons[c.person], CV.contactPoint, node)
        w.evidence(node, c.begin, c.end)


def _spans(w: _Writer) -> None:
    text = w.facts.doc.text
    for b, e in sorted(w.spans):
        node = NamedNode(w.link.span(w.doc_id, b, e))
        w.add(node, RDF_TYPE, NIF.OffsetBasedString)
        w.add(node, NIF.referenceContext, w.text_node)
        w.add(node, NIF.beginIndex, _int(b))
        w.add(node, NIF.endIndex, _int(e))
        w.add(node, NIF.anchorOf, _s(text[b:e]))


def reference_quads(base: str | None = None) -> list:
    """The gazetteers as quads of the reference graph."""
    link = Linker(base)
    graph = NamedNode(link.reference_graph())
    out = []
    for ref in sorted(load().orgs.values(), key=lambda r: r.key):
        node = NamedNode(link.org(ref))

        def add(p, o, node=node):
            out.append(Quad(node, p if isinstance(p, NamedNode) else _n(p), o, graph))

        org_types(ref, add)
        add(SKOS.prefLabel, _sv(ref.name))
        for alias in sorted(set(ref.aliases) - {ref.name}):
            add(SKOS.altLabel, _sv(alias))
        if ref.code:
            add(ORG.identifier if ref.kind != "PoliticalParty" else SKOS.notation, _s(ref.code))
        if ref.wikidata:
            add(SCHEMA.sameAs, NamedNode(f"http://www.wikidata.org/entity/{ref.wikidata}"))
    for row in load().county_rows:  # the counties themselves, as places
        node = NamedNode(f"{link.base}id/place/lan-{row['code']}")
        out.append(Quad(node, RDF_TYPE, SCHEMA.AdministrativeArea, graph))
        out.append(Quad(node, SCHEMA.name, _sv(row["name"]), graph))
        out.append(Quad(node, SCHEMA.identifier, _s(row["iso_3166_2"]), graph))
        if row["wikidata_county"]:
            out.append(
                Quad(
                    node,
                    SCHEMA.sameAs,
                    NamedNode(f"http://www.wikidata.org/entity/{row['wikidata_county']}"),
                    graph,
                )
            )
        for key in (f"lansstyrelsen-{row['code']}", f"region-{row['code']}"):
            if key in load().orgs:
                out.append(Quad(NamedNode(f"{link.base}id/org/{key}"), SCHEMA.areaServed, node, graph))
    return out
