"""Stage 2, extract: run every rule on one document and resolve what the rules leave open.

Open questions answered here: who published the text, which municipality/region/county board an
unqualified title ('kommunalråd', 'landshövding') belongs to, whom a speaker speaks for, and what
each quote is about.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from kg.extract.contacts import Contact, find_contacts
from kg.extract.dates import find_dates, find_publication_date, find_years
from kg.extract.events import Event, find_events
from kg.extract.headline import headline_appointment, headline_minister
from kg.extract.home import SCOPE_KINDS, Home, is_venue
from kg.extract.membership import Membership, Person
from kg.extract.orgs import OrgMention, bare_county_boards, find_orgs, new_org, towns_in
from kg.extract.people import find_people
from kg.extract.projects import Project, find_projects
from kg.extract.publisher import find_publisher, is_boilerplate
from kg.extract.quotes import Quote, find_quotes
from kg.extract.spans import SpanSet
from kg.extract.text import Segment, paragraphs, sentence_at, sentences
from kg.extract.topics import find_topics
from kg.gazetteer import OrgRef, government_ref, is_government_title, load, nominative_towns, word_set
from kg.read import Document


@dataclass
class DocFacts:
    doc: Document
    title: str | None
    published: datetime.date | None
    publisher: OrgRef | None
    published_as: str | None = None  # '2022-11': a month or year from the manifest or the file name
    orgs: dict[str, tuple[OrgRef, list[tuple[int, int]]]] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    memberships: list[Membership] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    speaker_org: dict[str, OrgRef | None] = field(default_factory=dict)
    topics: dict[int, Event | Project | None] = field(default_factory=dict)  # quote begin -> topic
    events: list[Event] = field(default_factory=list)
    event_project: dict[int, Project] = field(default_factory=dict)  # id(event) -> project
    projects: list[Project] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)


def _title(paras: list[Segment], orgs: list[OrgMention]) -> Segment | None:
    """The headline: the first short line that is not page furniture, a date line or an organisation's name."""
    for p in paras[:10]:
        words = p.text.split()
        if is_boilerplate(p.text) or re.fullmatch(r"[\d\s:.|-]+", p.text) or find_publication_date(p.text + "\n"):
            continue
        if any(o.begin <= p.begin and o.end >= p.end - 1 for o in orgs) or (
            re.match(r"\S+\s+[–-]\s", p.text) and any(o.begin == p.begin for o in orgs)
        ):
            continue
        if re.search(r"[|>/»]|\b(kakor|cookies|Startsida|Sök|Meny|Hem)\b", p.text) or len(words) < 2:
            continue
        if len(words) > 25 or (p.text.endswith(".") and len(words) > 12):
            return None
        return p
    return None


def analyse(doc: Document) -> DocFacts:
    """Every fact the rules find in one document, with its offsets."""
    text = doc.text
    paras = paragraphs(text)
    sents = sentences(text)
    orgs = find_orgs(text)
    bare_boards = bare_county_boards(text)
    orgs = _resolve_bare_boards(text, orgs, bare_boards, paras)
    title = _title(paras, orgs)
    pub = find_publication_date(text)
    if pub and re.match(r"\s*Datum", text[pub[1] : pub[2]]) and re.search(r"(?m)^\s*(Tid|Plats|Lokal)\s*:", text):
        pub = None  # "Datum: … / Tid: … / Plats: …" describe the event, not the release
    after_title = [p for p in paras if title is None or p.begin > title.begin]
    content = [p for p in after_title if not is_boilerplate(p.text) and len(p.text.split()) > 6]
    lead_end = content[min(1, len(content) - 1)].end if content else 0
    years = [y for y, b, _e in find_years(text) if b < lead_end]
    given = doc.meta.published if doc.meta and doc.meta.published else None  # the manifest's date wins
    named = None if pub or given else name_date(doc.path.name)
    reference = doc.meta.published_date() if given else pub[0] if pub else named[0] if named else None
    day_known = len(given) == 10 if given else bool(pub) or bool(named and len(named[1]) == 10)
    dates = find_dates(text, reference, None if reference or not years else years[0], day_known)
    if pub:
        dates = [d for d in dates if not pub[1] <= d.begin < pub[2]]
    org_spans = [  # (names the trained classifier found are no reason to drop an event or a place)
        (o.begin, o.end) for o in orgs if not is_venue(o.ref) and not _HOSTS.search(o.ref.name) and not o.learned
    ]
    events, series, awards = find_events(text, sents, dates, title, org_spans + bare_boards, lead_end)
    named_spans = [(b, e) for b, e, _n in series + awards]
    towns = [t for t in towns_in(text) if not any(o.begin <= t[0] < o.end for o in orgs)]
    projects = find_projects(text, sents, orgs, towns, named_spans)
    project_spans = [s for p in projects for s in p.spans]
    people = find_people(text, orgs, named_spans + project_spans, sents)
    named_by = SpanSet([(b, e) for b, e, _n in people.occurrences])
    towns = [t for t in towns if not named_by.overlaps(t[0], t[1])]  # "Alf Berg" names no Bergs kommun
    orgs = _corefer_orgs(sorted(orgs + people.new_orgs, key=lambda o: o.begin))
    quotes = find_quotes(text, people.occurrences, people.people)
    contacts, line_orgs = find_contacts(text, people.occurrences, people.people, orgs)
    publisher = find_publisher(text, paras, title, orgs, towns, contacts)
    if doc.meta and doc.meta.publisher:
        publisher = new_org(doc.meta.publisher)  # the manifest names it: a gazetteer body when known
    facts = DocFacts(doc, title.text if title else None, pub[0] if pub else None, publisher)
    if given:
        facts.published = datetime.date.fromisoformat(given) if len(given) == 10 else None
    facts.published_as = given if given and len(given) < 10 else named[1] if named else None
    facts.people = people.people
    facts.events = events
    facts.projects = projects
    facts.contacts = contacts
    home = Home(text, sents, orgs, towns, bare_boards, publisher)
    speakers = {q.speaker for q in quotes}
    facts.memberships = _resolve_memberships(people.memberships, line_orgs, home, contacts, speakers)
    facts.quotes = quotes
    headline_minister(facts, text, title)
    headline_appointment(facts, text, title, orgs)
    _speakers(facts, home)
    _home_participant(facts)
    _publisher_coordinates(facts)
    find_topics(facts, text, sents, title, series, people.occurrences)
    _link_events(facts, sents)
    _host_towns(facts, sents, orgs)
    _collect_orgs(facts, orgs, home, bare_boards)
    return facts


_NAME_DATE = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?(?=[_. -])")


def name_date(name: str) -> tuple[datetime.date, str] | None:
    """'2022-11_utrikesministern-reser….txt': a file named by its publication month or day, as a
    reference date (mid-month for a month) and as written ('2022-11'). Used when the text states no
    publication date: for the years of its dates and as the document's publication date."""
    m = _NAME_DATE.match(name)
    if not m:
        return None
    try:
        day = datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3) or 15))
    except ValueError:
        return None
    return day, m.group(0)


def _resolve_bare_boards(text: str, orgs: list[OrgMention], spans, paras) -> list[OrgMention]:
    """'Länsstyrelsen' alone is the county board of the document: the header's or the only one named."""
    boards = {o.ref.key: o.ref for o in orgs if o.ref.kind == "CountyAdministrativeBoard"}
    header = [o.ref for o in orgs if paras and o.begin == paras[0].begin and o.ref.kind == "CountyAdministrativeBoard"]
    board = header[0] if header else (next(iter(boards.values())) if len(boards) == 1 else None)
    if board is None and spans and not boards:  # none named: the board of the one county the text's bodies lie in
        counties = {o.ref.county for o in orgs if o.ref.kind in ("Municipality", "Region") and o.ref.county}
        if not counties:  # "På Gotland fattade länsstyrelsen beslut": the one county its towns lie in
            counties = {load().orgs[key].county for _b, _e, key in towns_in(text)} - {None, ""}
        board = load().orgs.get(f"lansstyrelsen-{counties.pop()}") if len(counties) == 1 else None
    if board is None:
        return orgs
    extra = [
        OrgMention(b, e, board, text_gen)
        for b, e, text_gen in ((b, e, False) for b, e in spans)
        if not any(o.begin <= b < o.end for o in orgs)
    ]
    return sorted(orgs + extra, key=lambda o: o.begin)


def _corefer_orgs(orgs: list[OrgMention]) -> list[OrgMention]:
    """'Föreningen Kvinnojouren Frida', 'Kvinnojouren Frida', 'Kvinnojouren': one organisation."""
    known = load().orgs
    found = {o.ref.key: o.ref for o in orgs if o.ref.key not in known}
    generic = ("Föreningen ", "Stiftelsen ", "Förbundet ", "Nätverket ")

    def contains(long: str, short: str) -> bool:
        return long != short and (long.startswith(short + " ") or long.endswith(" " + short))

    canon: dict[str, OrgRef] = {}
    for key, ref in found.items():
        if ref.name.startswith(generic):
            stripped = ref.name.split(" ", 1)[1]
            other = next((r for r in found.values() if r.name == stripped), None)
            if other:
                canon[key] = other
    for key, ref in found.items():
        if key in canon:
            continue
        bigger = [r for r in found.values() if contains(r.name, ref.name) and r.key not in canon]
        if bigger:
            canon[key] = max(bigger, key=lambda r: len(r.name))
    return [OrgMention(o.begin, o.end, canon.get(o.ref.key, o.ref), o.genitive, o.learned) for o in orgs]


# an institution that is also where its events happen ("pressvisning på Jönköpings läns museum"), though it
# stays a body that may publish and employ
_HOSTS = re.compile(r"bibliotek$|museum$|konsthall(?:en)?$|konserthus(?:et)?$|teater$|[Aa]rena$")


def _resolve_memberships(raw: list[Membership], line_orgs, home: Home, contacts, speakers=()) -> list[Membership]:
    contact_people = {c.person for c in contacts}
    voices = contact_people | set(speakers)
    out: dict[tuple, Membership] = {}
    titled = {m.person for m in raw if m.title}
    government = government_ref()
    minister_here = any(
        is_government_title(m.title) and m.org in (None, government) and not home.met_abroad(m.begin, m.person)
        for m in raw
    )
    for m in raw:
        _genitive_owner_of_title(m, home)
        if m.org is None:
            m.org = line_orgs.get(m.person)
        if m.org is None and m.party and m.title and _head(m.title).endswith(tuple(load().lexicon["party_roles"])):
            m.org = m.party  # "rättspolitisk talesperson (L)": the party
        if m.org is None and is_government_title(m.title) and home.met_abroad(m.begin, m.person):
            pass  # "besöker Tirana för att träffa Europa- och utrikesminister Olta Xhaçka": the host's minister
        elif m.org is None and is_government_title(m.title):
            m.org = government  # a minister or state secretary acts for the government unless a ministry is named
        if m.org is None and m.title:
            m.org = home.for_organ(m.title)  # "förbundets vice ordförande": the förbund of the text
        if m.org is None and m.title:
            m.org = _title_org(m.title)  # "riksdagsledamot": Riksdagen
        if (
            m.org is None
            and m.default_org
            and m.title
            and minister_here
            and _head(m.title) in word_set("minister_staff_roles")
            and not home.governmental  # (the Government Offices' release: its staff, as below)
            and (home.publisher is None or home.publisher.kind in ("GovernmentAgency", "Organisation"))
        ):  # "kontakta pressekreterare Agnes Eklund" where a minister acts: the minister's staff, unless a
            m.org = government  # union, party or municipality publishes (it has press secretaries of its own)
        if (
            m.org is None
            and m.title
            and m.person in contact_people
            and home.publisher
            and not home.governmental
            and (m.role_scope in ("", "organ") or home.publisher.kind == SCOPE_KINDS.get(m.role_scope))
        ):  # (a "kommunalråd" in a company's contact block is the municipality's, found below)
            m.org = home.publisher  # "För mer information: / Anki Dahlin, museichef": the publisher's staff
        if m.org is None and m.title:
            m.org = home.institution_before(m.title, m.begin)  # "museets chef", "universitetsrektor"
        # an unqualified title: the municipality/region/board it implies, or the publisher for
        # those who speak or are contacts for it (a title alone does not make an outsider staff)
        if m.org is None and m.default_org and m.title and _head(m.title) in word_set("academic_roles"):
            m.org = home.for_kind("EducationalOrganization")  # "rektor Boel Flodgren": the university of the text
        if (
            m.org is None
            and m.default_org
            and m.role_scope != "national"
            and (
                m.role_scope or m.person in voices or not m.title or _head(m.title) not in word_set("independent_roles")
            )
            and (
                m.role_scope
                or not home.governmental
                or not m.title
                or _head(m.title) in word_set("government_office_roles")
            )
        ):
            m.org = home.for_scope(m.role_scope, m.begin)
        if m.org is None and m.role_scope == "organ":
            m.org = _committee(m.title)  # "ordförande i utbildningsnämnden", no municipality named
        if m.title is None and m.org is None and m.party is None:
            continue
        if m.title is None and m.person in titled and m.party is None:
            continue  # an organisation-only line for someone whose title is known elsewhere
        key = (m.person, m.title, m.org.key if m.org else None)
        out.setdefault(key, m)
    for person, org in line_orgs.items():
        if not any(k[0] == person and k[2] for k in out):
            out[(person, None, org.key)] = Membership(person, None, org, 0, 0)
    for c in contacts:
        if c.person not in {k[0] for k in out} and home.staff_of and c.person in contact_people:
            out[(c.person, None, home.staff_of.key)] = Membership(c.person, None, home.staff_of, c.begin, c.end)
    # a title without organisation is dropped when the same title is known with one
    return [m for k, m in out.items() if m.org or not any(k2[0] == k[0] and k2[1] == k[1] and k2[2] for k2 in out)]


def _genitive_owner_of_title(m: Membership, home: Home) -> None:
    """'Christian Carlsson, socialutskottets ordförande': a body named in the genitive before the title owns
    the post ('ordförande', Socialutskottet)."""
    if not m.title or " " not in m.title:
        return
    first, rest = m.title.split(" ", 1)
    if not (first.endswith("s") and first[:1].islower()) or first.endswith(("nämndens", "styrelsens", "fullmäktiges")):
        return  # "valnämndens ordförande" stays the title of a municipal organ's chair
    owner = next(
        (
            r
            for b, r in home.mentions
            if m.begin - 80 <= b < m.end + 80 and home.text[b : b + len(first)].lower() == first
        ),
        None,
    )
    if owner is not None and (m.org is None or m.org.key == owner.key):
        m.title, m.org = rest, owner


def _head(title: str) -> str:
    """The title's head word: 'professor i statsvetenskap' -> 'professor', 'tf rektor' -> 'rektor'."""
    return re.split(r"\s(?:för|i|vid|på|med|hos|inom)\s", title)[0].split()[-1]


def _title_org(title: str) -> OrgRef | None:
    g = load()
    words = title.split()
    for n in (3, 2, 1):
        name = g.lexicon["title_orgs"].get(" ".join(words[-n:]))
        if name:
            key = g.surfaces.get(name.lower())
            return g.orgs.get(key) if key else None
    return None


def _committee(title: str | None) -> OrgRef | None:
    """The committee a title names ('ordförande i utbildningsnämnden' -> Utbildningsnämnden)."""
    m = re.search(r"([\wåäö-]+(?:\s+och\s+[\wåäö-]+)?(?:nämnden|utskottet|styrelsen))\b", title or "")
    if not m:
        return None
    from kg.extract.orgs import new_org

    name = m.group(1)
    return new_org(name[0].upper() + name[1:], "OrganizationalUnit")


def _home_participant(facts: DocFacts) -> None:
    """A municipality writing about the project its people take part in ('parterna i projektet') is a participant."""
    if not facts.projects:
        return
    home = (
        facts.publisher
        if facts.publisher and facts.publisher.kind == "Municipality"
        else next(
            (
                m.org
                for m in facts.memberships
                if m.org and m.org.kind == "Municipality" and m.role_scope == "municipal"
            ),
            None,
        )
    )
    main = facts.projects[0]
    text = facts.doc.text
    if home is None or any(k[0] == home.key for k in main.relations):
        return
    if re.search(r"\b(deltar|deltagare|deltagande|parterna|medverkar|projektdeltagare)\b", text):
        b, e = main.spans[0]
        main.relate(home, "participant", b, e)


def _publisher_coordinates(facts: DocFacts) -> None:
    """A release about a project nobody is said to run comes from the one who runs it."""
    if not facts.projects or facts.publisher is None:
        return
    for i, project in enumerate(facts.projects):
        if (
            (i > 0 and not project.titled)
            or any(v[1] == "coordinator" for v in project.relations.values())
            or any(k[0] == facts.publisher.key for k in project.relations)
        ):
            continue
        b, e = project.spans[0]
        project.relate(facts.publisher, "coordinator", b, e)


_FOREIGN_TITLE = re.compile(r",\s+(?:[A-Z][a-z]+\s+){1,3}(?:of|for)\s+[A-Z]")


def _speakers(facts: DocFacts, home: Home) -> None:
    for q in facts.quotes:
        if q.speaker in facts.speaker_org:
            continue
        mine = [m for m in facts.memberships if m.person == q.speaker and m.org]
        national = any(m.person == q.speaker and m.role_scope == "national" for m in facts.memberships)
        foreign = q.attribution is not None and _FOREIGN_TITLE.search(
            facts.doc.text, q.attribution[0], q.attribution[1] + 80
        )
        # a riksdag member speaks for no agency; "Christopher P. Maier, Assistant Secretary of Defense" for no Swede
        org = mine[0].org if mine else (None if national or foreign else home.staff_of)
        if org is None:  # "vår kommun", "vår region": the speaker's own municipality or region
            for pattern, scope in ((r"\bvår (kommun|stad)\b", "municipal"), (r"\bvår region\b", "regional")):
                if re.search(pattern, q.text, re.IGNORECASE):
                    org = home.for_scope(scope, q.begin)
                    break
        facts.speaker_org[q.speaker] = org
    for person, org in facts.speaker_org.items():
        if org is not None and not any(m.person == person for m in facts.memberships):
            q = next(q for q in facts.quotes if q.speaker == person)  # "…, säger Ylva Thörn.": the body she speaks for
            begin, end = q.attribution or (q.begin, q.end)
            facts.memberships.append(Membership(person, None, org, begin, end))


_HOST = re.compile(r"\s(?:arrangerar|anordnar|inviger|bjuder in till|står värd för|är värd för)\b")


def _host_towns(facts: DocFacts, sents, orgs: list[OrgMention]) -> None:
    """'Borlänge kommun arrangerar Mångfaldsveckan': with no place named, the host municipality's town."""
    text = facts.doc.text
    host = _HOST
    towns = nominative_towns()
    for ev in facts.events:
        if ev.places:
            continue
        for b, _e in ev.spans:
            s = sentence_at(sents, b)
            for o in (o for o in orgs if s and s.begin <= o.begin < s.end and o.ref.kind == "Municipality"):
                before, after = text[s.begin : o.begin], text[o.end : s.end]
                if (host.match(after) or host.search(before[-30:])) and o.ref.key in towns:
                    ev.places.append((towns[o.ref.key], o.begin, o.end))
                    break
            if ev.places:
                break


def _link_events(facts: DocFacts, sents) -> None:
    """An event mentioned in the same sentence as a project belongs to it ('parterna i projektet X … stormöte')."""
    for ev in facts.events:
        for p in facts.projects:
            for b, _e in ev.spans:
                s = sentence_at(sents, b)
                if s and any(s.begin <= x < s.end for x, _y in p.spans):
                    facts.event_project[id(ev)] = p


def _collect_orgs(facts: DocFacts, orgs: list[OrgMention], home: Home, bare_boards) -> None:
    """The organisations that act in the text, with the spans naming them."""

    def add(ref: OrgRef | None, span: tuple[int, int]) -> None:
        if ref is None:
            return
        entry = facts.orgs.setdefault(ref.key, (ref, []))
        if span[1] > span[0] and span not in entry[1]:
            entry[1].append(span)

    funders = {k[0] for p in facts.projects for k, v in p.relations.items() if v[1] == "funder"}
    for o in orgs:
        if (o.ref.only_as and o.ref.key not in funders) or o.learned:
            continue
        add(o.ref, (o.begin, o.end))
    if home.bare_board:
        for span in bare_boards:
            add(home.bare_board, span)
    for m in facts.memberships:
        add(m.org, (m.begin, m.end))
    for p in facts.projects:
        for ref, _rel, b, e in p.relations.values():
            add(ref, (b, e))
    if facts.publisher:
        add(facts.publisher, (0, 0))
    for ref in facts.speaker_org.values():
        add(ref, (0, 0))
