"""People: names in person positions, their titles, organisations and parties."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache

from kg.extract.contacts import EMAIL, PHONE
from kg.extract.orgs import OrgMention, new_org
from kg.extract.roles import Role, is_modifier, parse_title, role_before, role_head
from kg.extract.spans import SpanSet, Taken
from kg.extract.text import CAP, LOWER, UPPER, NameCandidate, Segment, name_candidates, sentence_at
from kg.gazetteer import OrgRef, country_ref, load, party_ref

_PARTY = re.compile(r"\s?\((?P<p>[A-ZÅÄÖ][A-Za-zåäö]{0,2}|[a-zåäö]{1,2})\)")
_PREP = re.compile(r"\s(i|på|för|vid|hos|inom|åt)\s")
_COMMA = re.compile(r",\s*")
_CAPITAL_TAIL = re.compile(
    rf"(?P<t>[{LOWER}][\w{LOWER}/-]*(?:\s[{LOWER}][\w{LOWER}/-]*)*)"
    rf"\s(?P<o>[{UPPER}][\w{LOWER}&-]*(?:\s[{UPPER}][\w{LOWER}&-]*){{0,3}})"
)


@dataclass
class Membership:
    person: str
    title: str | None
    org: OrgRef | None
    begin: int
    end: int
    acting: bool = False
    party: OrgRef | None = None
    default_org: bool = False  # no organisation stated: the document's home organisation applies
    role_scope: str = ""  # "municipal" | "regional" | "county" for titles that imply one


@dataclass
class Person:
    name: str
    given: str
    family: str
    spans: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class PeopleResult:
    people: dict[str, Person]
    memberships: list[Membership]
    occurrences: list[tuple[int, int, str]]  # (begin, end, person name)
    new_orgs: list[OrgMention]


@lru_cache(maxsize=8192)
def _scope(title: str | None) -> str:
    if not title:
        return ""
    lex = load().lexicon
    words = set(title.split())
    head = title.split()[-1]
    for scope, key in (
        ("national", "national_roles"),
        ("municipal", "municipal_roles"),
        ("regional", "regional_roles"),
        ("county", "county_board_roles"),
    ):
        vocab = set(lex[key])
        if words & vocab or head in vocab or any(w.startswith(v) for w in words for v in vocab if len(v) > 8):
            return scope
        if scope == "national" and head.endswith(("minister", "statsråd")):  # "finansmarknadsminister"
            return scope
    for w in words:  # an organ in the title: "ordförande kommunfullmäktige", "vice ordförande i kulturnämnden"
        if w.startswith(("kommunfullmäktig", "kommunstyrels", "stadsfullmäktig", "kommunal")):
            return "municipal"
        if w.startswith(("regionfullmäktig", "regionstyrels", "landstingsfullmäktig", "landstingsstyrels")):
            return "regional"
        if re.search(r"nämnd(?:en|ens)?$|utskott(?:et|ets)?$", w):
            return "organ"
    return ""


def _org_at(orgs: list[OrgMention], pos: int, limit: int) -> OrgMention | None:
    for o in orgs:
        if pos <= o.begin <= pos + 1 and o.begin < limit:
            return o
    return None


class _Ctx:
    def __init__(self, text: str, orgs: list[OrgMention], blocked: list[tuple[int, int]], sentences: list[Segment]):
        self.text = text
        self.orgs = orgs
        self.blocked = blocked
        self.sentences = sentences
        self.new_orgs: list[OrgMention] = []
        self._by_end: dict[int, list[OrgMention]] = {}
        for o in orgs:
            self._by_end.setdefault(o.end, []).append(o)
        g = load()
        self.towns = g.towns
        self.foreign = set(g.lexicon["foreign_places"])

    def ending_at(self, pos: int) -> list[OrgMention]:
        return self._by_end.get(pos, [])

    def sentence_bounds(self, pos: int) -> tuple[int, int]:
        s = sentence_at(self.sentences, pos)
        if s is not None:
            return s.begin, s.end
        line_start = self.text.rfind("\n", 0, pos) + 1
        line_end = self.text.find("\n", pos)
        return line_start, len(self.text) if line_end < 0 else line_end


def _is_person_position(ctx: _Ctx, c: NameCandidate, strong_spans: list[tuple[int, int]]) -> bool:
    text = ctx.text
    after = text[c.end : c.end + 60]
    before = text[max(0, c.begin - 40) : c.begin]
    line_start = max(text.rfind("\n", 0, c.begin) + 1, c.begin - 200)  # a line, or 200 characters around
    line_end = text.find("\n", c.end, c.end + 200)
    line_end = min(len(text), c.end + 200) if line_end < 0 else line_end
    if _PARTY.match(after) or re.match(r",\s*[\w-]+", after):
        nxt = re.match(r"\s?(?:\([^)]*\))?,\s*([\w-]+(?:\s[\w-]+)?)", after)
        if nxt and (
            role_head(nxt.group(1).split()[0])
            or any(role_head(w) for w in nxt.group(1).split())
            or _org_at(ctx.orgs, c.end + after.find(nxt.group(1)), len(text))
        ):
            return True
        if _PARTY.match(after):
            return True
        if re.match(r",\s*[a-zåäö]+(avdelningen|enheten|kontoret|förvaltningen|sektionen)\b", after):
            return True
    if role_before(text, c.begin, line_start):
        return True
    if re.search(r"(?:säger|sa|sade|menar|enligt|talare som)\s$", before):
        return True
    for o in ctx.ending_at(c.begin - 1):  # "chefen för Skånes universitetssjukhus Bent Christensen"
        m = re.search(r"([\wåäö-]+)\s+(?:för|vid|på|hos)\s+$", text[max(0, o.begin - 40) : o.begin])
        if m and role_head(m.group(1)):
            return True
    if _BEFORE_NAME.search(before) and _APPOINTED_AS.match(after):
        return True  # "utsett Per Enarsson till ambassadör"
    m = _AFTER_NAME.match(after)
    if m and role_head((after[m.end() :].split() or [""])[0]):
        return True  # "Per Enarsson blir ny rektor"
    line = text[line_start:line_end]
    if c.strength >= 1 and (line.strip() == text[c.begin : c.end] or PHONE.search(line) or EMAIL.search(line)):
        return True
    email = EMAIL.search(line)
    if email and c.family.split()[-1].lower() in email.group(0).lower():
        return True  # "Nyamko Sabuni, nyamko.sabuni@…": the address confirms an unknown first name
    # in a comma list with names that are certainly people
    i = bisect.bisect_left(strong_spans, (c.begin - 400, 0))
    return any(abs(b - c.end) <= 3 or abs(c.begin - e) <= 3 for b, e in strong_spans[i : i + 200])


def find_people(
    text: str, orgs: list[OrgMention], blocked: list[tuple[int, int]], sentences: list[Segment]
) -> PeopleResult:
    """Every person named in a person position, with the titles and organisations stated."""
    ctx = _Ctx(text, orgs, blocked, sentences)
    org_spans = [(o.begin, o.end) for o in orgs] + blocked
    cands = {(c.begin, c.end): c for c in name_candidates(text)}
    for c in name_candidates(text, glued=True):
        cands.setdefault((c.begin, c.end), c)
    taken = SpanSet(org_spans)
    cands = [_trimmed(text, c, taken) for c in cands.values()]
    cands = [c for c in cands if c is not None and not taken.overlaps(c.begin, c.end)]
    cands = _drop_nested(cands)
    strong = [(c.begin, c.end) for c in cands if c.strength == 2]
    accepted = [c for c in cands if c.strength == 2 or _is_person_position(ctx, c, strong)]
    accepted = _genitives_to_names(accepted)
    people: dict[str, Person] = {}
    occurrences = []
    memberships: list[Membership] = []
    own: list[list[Membership]] = []
    for c in accepted:
        p = people.setdefault(c.name, Person(c.name, c.given, c.family))
        p.spans.append((c.begin, c.end))
        occurrences.append((c.begin, c.end, c.name))
        own.append(_memberships_for(ctx, c))
        memberships += own[-1]
    memberships += _shared_orgs(text, accepted, own)
    memberships += _header_roles(text, accepted)
    memberships += _heading_person_roles(ctx, accepted)
    memberships += _plural_roles(ctx, accepted)
    memberships += _listed_from(ctx, accepted)
    memberships += _block_roles(ctx, accepted)
    return PeopleResult(people, memberships, occurrences, ctx.new_orgs)


def _shared_orgs(text: str, accepted: list[NameCandidate], own: list[list[Membership]]) -> list[Membership]:
    """'Jonas Danielsson, Thomas Holmlund och Peter Linnskog, Trafikverket': the organisation after the
    last of a list of names belongs to every name of the list."""
    out: list[Membership] = []
    run: list[int] = []
    for i, c in enumerate(accepted):
        if run and not _LIST_NAME_GAP.fullmatch(text[accepted[run[-1]].end : c.begin]):
            run = []
        orgs_only = [m for m in own[i] if m.title is None and m.org is not None]
        if own[i] and orgs_only and len(run) >= 1 and re.match(r",\s*[A-ZÅÄÖ]", text[c.end : c.end + 3]):
            for j in run:
                m = orgs_only[0]
                out.append(_membership(accepted[j].name, None, m.org, m.begin, m.end, False, None))
            run = []
        elif own[i]:
            run = []
        else:
            run.append(i)
    return out


def _trimmed(text: str, c: NameCandidate, taken: SpanSet) -> NameCandidate | None:
    """'Ylva Mannervik Mönsterås kommun': a name whose last word starts an organisation, cut before it."""
    if not taken.overlaps(c.begin, c.end) or taken.overlaps(c.begin, c.begin + 1):
        return c
    words = c.name.split()
    while len(words) > 2:
        words.pop()
        end = c.begin + len(" ".join(words))
        if not taken.overlaps(c.begin, end) and text[c.begin : end] == " ".join(words):
            return NameCandidate(c.begin, end, " ".join(words), c.given, " ".join(words[1:]), c.strength)
    return c


def _genitives_to_names(accepted: list[NameCandidate]) -> list[NameCandidate]:
    """'Hanna Hansdotters design' where 'Hanna Hansdotter' is named too: the genitive is the same person."""
    names = {c.name for c in accepted}
    out = []
    for c in accepted:
        if c.name.endswith("s") and c.name[:-1] in names and not c.name.endswith("ss"):
            c = NameCandidate(c.begin, c.end - 1, c.name[:-1], c.given, c.family[:-1], c.strength)
        out.append(c)
    return out


def _drop_nested(cands: list[NameCandidate]) -> list[NameCandidate]:
    cands.sort(key=lambda c: (-(c.end - c.begin), c.begin))
    taken, kept = Taken(), []
    for c in cands:
        if taken.free(c.begin, c.end):
            taken.add(c.begin, c.end)
            kept.append(c)
    return sorted(kept, key=lambda c: c.begin)


def _memberships_for(ctx: _Ctx, c: NameCandidate) -> list[Membership]:
    text = ctx.text
    s_begin, s_end = ctx.sentence_bounds(c.begin)
    line_end = text.find("\n", c.end)
    limit = min(s_end, len(text) if line_end < 0 else line_end)
    out: list[Membership] = []
    pos = c.end
    party = None
    pm = _PARTY.match(text, pos)
    if pm and party_ref(pm.group("p")):
        party = party_ref(pm.group("p"))
        pos = pm.end()
    before = role_before(text, c.begin, s_begin)
    after_org = None
    m = re.match(r"\s(?:vid|på|i|hos|för|från)\s", text[pos:limit])
    if m:
        o = _org_at(ctx.orgs, pos + m.end(), limit)
        if o:
            after_org = o.ref
    if before:
        title = before.title
        org = (
            after_org
            or _genitive_org_before(ctx, before.begin)
            or _genitive_county_before(text, before.begin, _scope(title))
            or _genitive_country_before(text, before.begin)
            or _complement_org(ctx, before, c.begin)
        )
        out.append(_membership(c.name, title, org, before.begin, c.end, before.acting, party))
    elif _PREP_BEFORE.search(text, max(s_begin, c.begin - 90), c.begin) and (
        titled := _title_org_before(ctx, c.begin, s_begin)
    ):
        title, org, tb = titled  # "generalsekreteraren för Mentor Sverige Cecilia Bernard"
        out.append(_membership(c.name, title, org, tb, c.end, False, party))
    elif _genitive_org_before(ctx, c.begin):
        out.append(_membership(c.name, None, _genitive_org_before(ctx, c.begin), c.begin, c.end, False, party))
    elif after_org and m and m.group(0).strip() in {"från", "vid", "på", "hos"}:
        out.append(
            _membership(c.name, None, after_org, c.begin, pos + m.end(), False, party)
        )  # "X från Umeå universitet"
    nxt = re.match(r",\s*([A-ZÅÄÖ][^,]{0,40}),", text[pos:limit])
    in_list = (  # a list of names ("A, B, C"), not "A, Organisation, och B"
        re.search(r"[\w-],\s*$", text[max(s_begin, c.begin - 3) : c.begin]) is not None
        and nxt is not None
        and _org_at(ctx.orgs, pos + nxt.start(1), limit) is None
    )
    if not in_list:
        appos = _apposition(ctx, c, pos, limit, party, have_role=bool(before))
        if out and out[0].org is None and appos and all(a.title is None and a.org for a in appos):
            out[0].org = appos[0].org  # "arkitekt Magnus Jansson, Skyhill AB": the title's organisation
            out[0].default_org = False
            appos = []
        out += appos
    if out and before and out[0].org is None:
        poss = re.search(
            r"(?:med|och)\s+(?:dess|deras|sin|sitt)\s+$", text[max(s_begin, before.begin - 20) : before.begin]
        )
        if poss:  # "Framtidsfabriken AB med dess VD Jonas Birgersson"
            prior = [o for o in ctx.orgs if s_begin <= o.begin and o.end <= before.begin]
            if prior:
                out[0].org = prior[-1].ref
                out[0].default_org = False
    out += _predicate_roles(ctx, c, pos, limit, s_begin)
    som = _SOM_TITLE.search(text, max(s_begin - 2, c.begin - 80, 0), c.begin) if "Som " in text else None
    if som and not out and parse_title(som.group("t")):  # "Som särskilt sändebud kommer Åsa Webber att …"
        out.append(_membership(c.name, parse_title(som.group("t"))[0], None, som.start("t"), c.end, False, party))
    if party and not out:
        out.append(_membership(c.name, None, None, c.begin, pos, False, party))
    return out


_AFTER_NAME = re.compile(
    r"\s+(?:(?:är|blir)(?:\s+(?:sedan\s+\d{4}|nu|numera|sedan\s+tidigare|från\s+och\s+med\s+\S+|"
    r"för\s+närvarande|i\s+dag|idag|just\s+nu))?|som"
    r"|(?:tillträder|tillträdde|börjar|började|tar\s+över|kvarstår|fortsätter|träder\s+in|går\s+in|"
    r"stannar|arbetar|jobbar|verkar|tjänstgör)\s+som"
    r"|(?:har\s+|har\s+i\s+dag\s+|har\s+idag\s+)?(?:utsetts|utnämnts|utsågs|utnämndes|valts|valdes|"
    r"förordnats|förordnades|anställts|anställdes|rekryterats|föreslås|nominerats|nominerades)"
    r"(?:\s+\S+){0,2}?\s+(?:till|som))"
    r"\s+(?:ny|nytt|nya|den\s+nya|den\s+nye)?\s*"
)
_BEFORE_NAME = re.compile(
    r"(?:utsett|utser|utsåg|utse|utnämnt|utnämner|utnämnde|utnämna|anställt|anställer|anställa|valt|väljer|valde|"
    r"välja|förordnat|förordnar|förordnade|förordna|rekryterat|rekrytera|föreslår|föreslagit|föreslå|"
    r"godkänt|godkänner|godkände|godkänna|tillsatt|tillsätter|tillsatte)"
    r"(?:\s+(?:i\s+dag|idag|alltså|nu|även|också|därför|formellt|enhälligt))*\s+$"
)
_SOM_TITLE = re.compile(
    r"(?:^|[.!?]\s+)Som\s+(?P<t>(?:[\wåäö-]+\s+){0,3}?[\wåäö-]+)\s+(?:kommer|ska|blir|får|har|tar)\s+$"
)


_APPOINTED_AS = re.compile(r"\s+(?:till|som)\s+(?:ny|nytt|nya)?\s*")


def _predicate_roles(ctx: _Ctx, c: NameCandidate, pos: int, limit: int, s_begin: int) -> list[Membership]:
    """'X är sedan 2021 lagman i Göteborgs tingsrätt', 'X tillträder som rektor', 'utsett X till
    generaldirektör för Y', 'X har utsetts till ny vd': a title stated by the sentence's verb."""
    text = ctx.text
    m = _AFTER_NAME.match(text, pos, limit)
    if m is None and _BEFORE_NAME.search(text, max(s_begin, c.begin - 40), c.begin):
        m = _APPOINTED_AS.match(text, pos, limit)
    if m is None:
        return []
    words = list(re.finditer(r"[\w-]+", text[m.end() : limit]))[:6]
    if not words:
        return []
    phrase_end = None
    for i in range(len(words), 0, -1):
        chunk = text[m.end() : m.end() + words[i - 1].end()]
        parsed = parse_title(chunk)
        if parsed and role_head(words[i - 1].group(0)):
            phrase_end = m.end() + words[i - 1].end()
            title, acting = parsed
            break
    if phrase_end is None:
        return []
    org = None
    prep = re.match(r"\s+(?:i|på|vid|för|hos|inom)\s+", text[phrase_end:limit])
    if prep:
        o = _org_at(ctx.orgs, phrase_end + prep.end(), limit)
        if o:
            org = o.ref
        else:
            town = re.match(r"[A-ZÅÄÖ][\wåäö-]+", text[phrase_end + prep.end() : limit])
            scope = _scope(title)
            if town and ctx.towns.get(town.group(0)) and scope in ("municipal", ""):
                org = None  # a place, not the organisation
            county = _county_org(text[phrase_end + prep.end() : limit], scope)
            org = org or county
    return [_membership(c.name, title, org, c.begin, phrase_end, acting, None)]


def _membership(person, title, org, b, e, acting, party, unit=False) -> Membership:
    former = bool(title) and re.match(r"(tidigare|före detta|f\.d\.|fd|förre|dåvarande)\s", title) is not None
    if title:
        title = re.sub(r"\s+åt\s+[A-ZÅÄÖ].*$", "", title)
    return Membership(
        person,
        title,
        org,
        b,
        e,
        acting,
        party,
        default_org=org is None and (bool(title) or unit) and not former,
        role_scope=_scope(title),
    )


def _title_org_before(ctx: _Ctx, pos: int, floor: int) -> tuple[str, OrgRef, int] | None:
    """'De tas emot av generalsekreteraren för Mentor Sverige Cecilia Bernard': a title, a preposition and
    an organisation right before the name."""
    for o in ctx.ending_at(pos - 1):
        m = re.search(r"([\wåäö-]+)\s+(?:för|vid|på|i|hos)\s+$", ctx.text[max(floor, o.begin - 60) : o.begin])
        if m and role_head(m.group(1)):
            b = o.begin - len(m.group(0))
            return role_head(m.group(1)) or "", o.ref, b
    window = ctx.text[max(floor, pos - 90) : pos]
    m = _TITLE_FOR_CAPS.search(window)
    if m and role_head(m.group("t")) and m.group("o").split()[0] not in _NOT_NAME_START:
        name = m.group("o").strip()
        b = pos - len(window) + m.start("o")
        ref = new_org(name)
        ctx.new_orgs.append(OrgMention(b, b + len(name), ref))
        return role_head(m.group("t")) or "", ref, pos - len(window) + m.start("t")
    return None


_PREP_BEFORE = re.compile(r"\s(?:för|vid|på|i|hos)\s")
_TITLE_FOR_CAPS = re.compile(
    rf"(?P<t>[{LOWER}][\w{LOWER}-]+)\s+(?:för|vid|på|hos)\s+(?P<o>(?:[{UPPER}][\w{LOWER}&-]*\s+){{1,4}})$"
)
_NOT_NAME_START = {"Den", "Det", "De", "En", "Ett", "Sverige", "Sveriges"}


def _genitive_org_before(ctx: _Ctx, pos: int) -> OrgRef | None:
    """'SKL:s ordförande Anders Knape': the organisation in the genitive before the title."""
    for o in ctx.ending_at(pos) + ctx.ending_at(pos - 1):
        if o.genitive:
            return o.ref
    return None


_COUNTY_GENITIVE: re.Pattern[str] | None = None


def _genitive_county_before(text: str, pos: int, scope: str) -> OrgRef | None:
    """'Södermanlands landshövding …', 'Dalarnas regionråd …': the county board or region of the county."""
    global _COUNTY_GENITIVE
    if scope not in ("county", "regional"):
        return None
    g = load()
    if _COUNTY_GENITIVE is None:
        gen = "|".join(sorted((re.escape(f) for f in g.counties if f.endswith("s")), key=len, reverse=True))
        every = "|".join(sorted(map(re.escape, g.counties), key=len, reverse=True))
        _COUNTY_GENITIVE = re.compile(rf"(?<![\w-])(?:(?P<c>{gen})|(?P<d>{every})\s+läns)\s+$")
    m = _COUNTY_GENITIVE.search(text, max(0, pos - 40), pos)
    if not m:
        return None
    code = g.counties[m.group("c") or m.group("d")]
    return g.orgs.get(f"region-{code}" if scope == "regional" else f"lansstyrelsen-{code}")


_COUNTRY_GENITIVE: re.Pattern[str] | None = None


def _genitive_country_before(text: str, pos: int) -> OrgRef | None:
    """'Polens nyutnämnde ambassadör …': the state in the genitive before a title."""
    global _COUNTRY_GENITIVE
    if _COUNTRY_GENITIVE is None:
        forms = [f for f in load().countries if f.endswith("s")]
        alt = "|".join(sorted(map(re.escape, forms), key=len, reverse=True))
        _COUNTRY_GENITIVE = re.compile(rf"(?<![\w-])(?P<c>{alt})\s+$")
    m = _COUNTRY_GENITIVE.search(text, max(0, pos - 60), pos)
    if not m:
        return None
    g = load()
    nominative = m.group("c")[:-1]
    if g.countries.get(nominative) is None or nominative + "s" != m.group("c"):
        return None
    return country_ref(g.countries[nominative])


def _complement_org(ctx: _Ctx, role: Role, name_begin: int) -> OrgRef | None:
    """'Kulturchefen i Falun, Pelle Ahnlund': a municipality named after the title."""
    between = ctx.text[role.end : name_begin]
    m = re.match(r"\s(?:i|på|vid|för)\s([\w-]+),\s*$", between)
    if m:
        key = ctx.towns.get(m.group(1))
        if key:
            return load().orgs[key]
        o = _org_at(ctx.orgs, role.end + m.start(1), name_begin)
        if o:
            return o.ref
    return None


_CHUNK_SPLIT = re.compile(
    r"(?<!-),\s*|(?<!-)\s+och\s+(?=(?:[\w-]+\s){0,3}?[\w-]*(?:ordförande|chef|ansvarig|direktör|strateg))"
)


def _apposition(ctx: _Ctx, c: NameCandidate, pos: int, limit: int, party, have_role: bool) -> list[Membership]:
    """'Anna Berg, kommunstrateg demokrati, Luleå kommun, tfn …': titles and organisations after a name."""
    text = ctx.text
    rest = text[pos:limit]
    if rest.startswith(" som är "):  # "säger Anna Berg som är ordförande i …"
        rest = "," + rest[len(" som är") :]
        pos += len(" som är") - 1
    dash = re.match(r" [–-] (?=[a-zåäö])", rest)
    if dash:  # "Lena Rådström-Baastad – partisekreterare (S)"
        rest = "," + rest[dash.end() :]
        pos += dash.end() - 1
    if not rest.startswith(","):
        words = re.match(r" ((?:[\wåäö:-]+ ?){1,4})", rest)
        ws = words.group(1).split() if words else []
        if not ws or not (ws[0][0].islower() or ws[0][0].isdigit() or role_head(ws[0])):
            return []  # (a capitalised title: "kontakta: Jörgen Boman Pressinformatör Umeå kommun")
        if not any(parse_title(" ".join(ws[:n])) for n in range(1, len(ws) + 1)):
            return []
        rest = "," + rest  # "säger Tomas Riste ordförande i regionstyrelsen": an apposition without its comma
        pos -= 1
    out: list[Membership] = []
    titles: list[tuple[str, bool, int, int]] = []
    org: OrgRef | None = None
    unit = False
    cursor = pos + 1
    stop_after = False
    for piece in _CHUNK_SPLIT.split(rest[1:]):
        if stop_after:
            break
        b = text.find(piece, cursor)
        cursor = b + len(piece)
        chunk = piece.strip()
        if chunk and not PHONE.sub("", EMAIL.sub("", chunk)).strip(" .,:;") and len(titles) + bool(org) == 0:
            continue  # "Brita Wessinger, 073-073 49 48, Ordförande i …": the number before the title
        contact = PHONE.search(chunk) or EMAIL.search(chunk)
        if contact:  # "kommunikationsstrateg Upplands Väsby Kommun 073-910 47 67": what comes before the number
            chunk = re.sub(
                r"\s*(?:tfn|tel|telefon|mobil|e-post|epost|mail)\.?:?\s*$", "", chunk[: contact.start()].rstrip()
            )
            stop_after = True
        if not chunk:
            break
        low = chunk.lower()
        if re.match(r"(tfn|tel|telefon|mobil|e-post|epost|mail)\b", low):
            break
        chunk = re.sub(r"^(som är|som|är)\s+", "", chunk).rstrip(".")
        party_tail = re.search(r"\s*\(([A-Za-zÅÄÖåäö]{1,3})\)$", chunk)
        if party_tail and party_ref(party_tail.group(1)):  # "rättspolitisk talesperson (L)"
            party = party or party_ref(party_tail.group(1))
            chunk = chunk[: party_tail.start()]
        elif re.search(r"\s\([A-ZÅÄÖ][\wåäö]{1,5}\)$", chunk):  # "… Akademikerförbundet SSR (Saco)"
            chunk = chunk[: chunk.rindex("(")].rstrip()
        if _looks_like_person(chunk):
            break
        inner = next(
            (m.start() for m in re.finditer(r"(?<=\s)[A-ZÅÄÖ]", chunk) if _looks_like_person(chunk[m.start() :])),
            None,
        )
        if inner is not None and re.search(r"\s(?:och|samt)\s*$", chunk[:inner]):
            chunk = re.sub(r"\s+(?:och|samt)\s*$", "", chunk[:inner])  # "regionchef på Trafikverket och Peter K"
            stop_after = True
        elif inner is not None and not re.search(r"\s(?:åt|till|för|hos|med|av)\s*$", chunk[:inner]):
            break  # "landshövding Lars Bäckström": a title that belongs to the next person
        o = _org_at(ctx.orgs, b + piece.find(chunk), b + len(piece))
        if o and o.end >= b + piece.find(chunk) + len(chunk.rstrip(". ")) - 1:
            org = org or o.ref
            continue
        if o and o.genitive and re.fullmatch(r"[\wåäö]+s\s+[a-zåäö-]+", chunk):
            org = org or o.ref  # "Länsstyrelsens naturvårdsenhet": a unit of the organisation
            continue
        unit_word = re.fullmatch(  # "från enheten för social hållbarhet": a unit of the publisher
            rf"(?:från\s+)?[{LOWER}]*(?:avdelningen|enheten|kontoret|förvaltningen|sektionen|staben|kansliet)"
            rf"(?:\s+(?:för|inom)\s+[{LOWER} -]+)?",
            chunk,
        )
        if unit_word:
            unit = True
            continue
        parsed = parse_title(chunk)
        nxt = _COMMA.match(text, b + len(piece))
        before_org = nxt is not None and (
            _org_at(ctx.orgs, nxt.end(), len(text)) is not None or PHONE.match(text, nxt.end()) is not None
        )
        if not parsed and before_org and re.fullmatch(rf"[{LOWER}][{LOWER} -]*", chunk) and len(chunk.split()) <= 3:
            parsed = (chunk.lower(), False)  # "Name, överläkare, Region X": a lower-case chunk before the org
        if parsed:
            title, acting = parsed
            title_org = None
            chunk_end = b + piece.find(chunk) + len(chunk)
            inner = [o for o in ctx.orgs if b <= o.begin and o.end <= chunk_end + 1 and not o.genitive]
            tail = re.match(r"(?P<t>.+?)\s+(?P<o>\S.*)$", chunk)
            if inner and tail and inner[-1].end >= chunk_end - 1 and not _PREP.search(" " + chunk + " "):
                # "kommunikatör ROKS": the organisation written after the title without a preposition
                head = chunk[: inner[-1].begin - b - piece.find(chunk)].strip()
                if parse_title(head):
                    titles.append((parse_title(head)[0], acting, b, b + len(piece), inner[-1].ref))
                    continue
            pm = _PREP.search(" " + chunk + " ")
            named = None if pm or inner else _CAPITAL_TAIL.fullmatch(chunk)
            if (
                named
                and role_head(named.group("t").split()[-1])
                and parse_title(named.group("t"))
                and not _looks_like_person(named.group("o"))
            ):
                # "informationschef Sandviken Energi, 070-…": a name written after the title
                o_begin = b + piece.find(chunk) + named.start("o")
                name = named.group("o")
                town = ctx.towns.get(name)
                if name not in ctx.foreign and (town or not role_head(name.split()[0])):
                    ref = load().orgs[town] if town else new_org(name)
                    ctx.new_orgs.append(OrgMention(o_begin, o_begin + len(name), ref))
                    titles.append((parse_title(named.group("t"))[0], acting, b, b + len(piece), ref))
                    continue
            if pm:
                comp_start = b + piece.find(chunk) + pm.end() - 1
                head_part = chunk[: pm.start()].strip()
                o2 = _org_at(ctx.orgs, comp_start, b + len(piece) + 1)
                comp = chunk[pm.end() - 1 :].strip()
                town = ctx.towns.get(comp.split()[0].strip(".,;:")) if comp else None
                county = _county_org(comp, _scope(parse_title(head_part)[0] if parse_title(head_part) else title))
                if county and not o2:
                    title_org = county
                    title = parse_title(head_part)[0] if parse_title(head_part) else title
                elif o2:
                    title_org = o2.ref
                    title = parse_title(head_part)[0] if parse_title(head_part) else title
                elif town and pm.group(1) in {"i", "för"}:
                    title_org = load().orgs[town]
                    title = parse_title(head_part)[0] if parse_title(head_part) else title
                elif (
                    comp
                    and comp[0].isupper()
                    and pm.group(1) in {"i", "på", "vid", "hos", "för"}
                    and not (pm.group(1) == "för" and _sentence_case(comp))
                    and comp.split()[0] not in ctx.foreign
                    and not _looks_like_person(comp)
                ):
                    name = re.match(rf"[{UPPER}][\w{LOWER}-]*(?:\s[{UPPER}][\w{LOWER}-]*)*", comp).group(0)
                    ref = new_org(name)
                    ctx.new_orgs.append(OrgMention(comp_start, comp_start + len(name), ref))
                    title_org = ref
                    title = parse_title(head_part)[0] if parse_title(head_part) else title
                elif (
                    comp
                    and comp.split()[0][0].islower()
                    and re.search(
                        r"(kontoret|avdelningen|enheten|förvaltningen|sekretariatet|kansliet)$",
                        comp.split()[0],
                    )
                ):
                    title = parse_title(head_part)[0] if parse_title(head_part) else title
                    unit = True
                if title_org is None:
                    later = [o for o in ctx.orgs if comp_start < o.begin < b + len(piece) and not o.genitive]
                    if later:  # "verksamhetschef för kvinnokliniken vid Universitetssjukhuset i Linköping"
                        title_org = later[-1].ref
                        title = parse_title(head_part)[0] if parse_title(head_part) else title
            titles.append((title, acting, b, b + len(piece), title_org))
            continue
        if ctx.towns.get(chunk) or chunk in ctx.foreign or chunk.split()[0] in ctx.foreign:
            continue
        break
    for title, acting, b, e, title_org in titles:
        out.append(_membership(c.name, title, title_org or org, b, e, acting, party, unit))
    if not titles and (org or unit):
        out.append(_membership(c.name, None, org, c.begin, c.end, False, party, unit))
    return out


def _county_org(comp: str, scope: str) -> OrgRef | None:
    """'landshövding i Gävleborgs län' / 'regionråd i Gävleborg': the county board or the region."""
    g = load()
    m = re.match(r"([A-ZÅÄÖ][\wåäö-]+)(\s+län)?\b", comp or "")
    if not m or (m.group(1) not in g.counties) or (scope not in {"county", "regional"} and not m.group(2)):
        return None
    code = g.counties[m.group(1)]
    key = f"region-{code}" if scope == "regional" else f"lansstyrelsen-{code}"
    return g.orgs.get(key)


def _sentence_case(text: str) -> bool:
    """'Jämställd etablering på …': a capitalised word then lower-case ones names a project, not an org."""
    words = text.split()
    return len(words) > 1 and words[1][:1].islower() and words[1] not in {"i", "och", "på", "för", "vid"}


def _looks_like_person(text: str) -> bool:
    found = name_candidates(text[:60])
    return bool(found) and found[0].begin == 0 and found[0].strength >= 1


_LINE_LABEL = re.compile(r"^(?:press\s*kontakt(?:er)?|kontakt(?:person)?(?:er)?|press(?:jour)?)\b[:\s]*", re.IGNORECASE)
_LINE_NOISE = re.compile(r"\b(?:tfn|tel|telefon|mobil|mob|e-post|epost|mail|mejl|direkt|växel)\b\.?:?", re.IGNORECASE)


def _block_roles(ctx: _Ctx, accepted: list[NameCandidate]) -> list[Membership]:
    """A contact block: a name alone on its line, then its title and organisation on the next lines
    ('Presskontakt Kommunikationschef Länsstyrelsen Dalarna 010-22 50 204')."""
    text = ctx.text
    out = []
    for c in accepted:
        line_start = text.rfind("\n", 0, c.begin) + 1
        line_end = text.find("\n", c.end)
        if line_end < 0 or text[line_start:line_end].strip() != text[c.begin : c.end]:
            continue
        title, org, pos = None, None, line_end + 1
        for _ in range(3):
            nxt_end = text.find("\n", pos)
            nxt_end = len(text) if nxt_end < 0 else nxt_end
            raw = text[pos:nxt_end]
            line = raw.strip()
            if not line:
                pos = nxt_end + 1
                continue
            if _looks_like_person(line):
                break  # the next name of the block
            label = _LINE_LABEL.match(line)
            body = line[label.end() :] if label else line
            had_contact = bool(PHONE.search(body) or EMAIL.search(body))
            body = _LINE_NOISE.sub(" ", EMAIL.sub(" ", PHONE.sub(" ", body)))
            body = re.sub(r"\s*[,;|]\s*", ", ", re.sub(r"\s+", " ", body)).strip(" ,.:")
            body_start = pos + raw.find(line) + (label.end() if label else 0)
            line_orgs = [o for o in ctx.orgs if pos <= o.begin < nxt_end]
            if line_orgs and not org:
                org = line_orgs[0].ref
            first = body.split(", ")[0] if body else ""
            if line_orgs and first:
                cut = text[body_start : line_orgs[0].begin].strip(" ,")
                first = cut or first  # "Kommunikationschef Länsstyrelsen Dalarna …": the title before the name
            parsed = parse_title(first.rstrip(",.")) if first and len(first.split()) <= 6 else None
            if parsed and not title:
                title = parsed[0]
            elif not line_orgs and not parsed:
                break
            pos = nxt_end + 1
            if had_contact:
                break
        if title or org:
            out.append(_membership(c.name, title, org, c.begin, c.end, False, None))
    return out


def _header_roles(text: str, accepted: list[NameCandidate]) -> list[Membership]:
    """'Pressansvarig:' on its own line titles the person on the next line."""
    out = []
    for m in re.finditer(rf"^([{UPPER}][{LOWER}]+):\s*\n+\s*({CAP}(?:[ -]{CAP})+)", text, re.MULTILINE):
        title = role_head(m.group(1))
        if not title:
            continue
        for c in accepted:
            if c.begin == m.start(2):
                out.append(_membership(c.name, title, None, m.start(1), c.end, False, None))
    return out


_STATE_VERB = re.compile(r"\s+(?:är|var|har|hade|blev|blir|tillträdde|tillträder|kommer|föddes|började)\b")


def _heading_person_roles(ctx: _Ctx, accepted: list[NameCandidate]) -> list[Membership]:
    """A name on a heading line ('Mr. Sultan Alkaitoob, Förenade Arabemiraten'), then a paragraph that
    opens with a title and no name ('Förenade Arabemiratens nyutnämnde ambassadör är född …')."""
    text = ctx.text
    out = []
    honorifics = {h for h in load().lexicon["honorifics"]}
    for c in accepted:
        line_start = text.rfind("\n", 0, c.begin) + 1
        line_end = text.find("\n", c.end)
        if line_end < 0:
            continue
        lead = text[line_start : c.begin].split()
        tail = text[c.end : line_end]
        if any(w.lower().rstrip(".") not in honorifics for w in lead) or not re.fullmatch(
            r"(?:,\s*[^,.]{1,60})?", tail
        ):
            continue
        nxt = re.search(r"\S", text[line_end:])
        if not nxt:
            continue
        p_begin = line_end + nxt.start()
        p_end = text.find("\n", p_begin)
        p_end = len(text) if p_end < 0 else p_end
        words = list(re.finditer(r"[\w:.-]+", text[p_begin : min(p_end, p_begin + 160)]))[:8]
        for i, w in enumerate(words):
            head = role_head(w.group(0))
            if not head:
                continue
            after = re.sub(r"^,[^,.]{1,40},", "", text[p_begin + w.end() : p_end])  # ", med säte i London,"
            if not _STATE_VERB.match(after):
                break
            first = i
            while first > 0 and is_modifier(words[first - 1].group(0)):
                first -= 1
            title = " ".join([*(x.group(0).lower() for x in words[first:i]), head])
            start = p_begin + words[first].start()
            org = _genitive_country_before(text, start) or _genitive_org_before(ctx, start)
            out.append(_membership(c.name, title, org, p_begin, p_begin + w.end(), False, None))
            break
    return out


_PLURAL_ENDINGS = ("erna", "arna", "orna", "rna", "na", "er", "ar", "or", "en", "s")


@lru_cache(maxsize=65536)
def singular_role(word: str) -> str | None:
    """The role title a plural form names: 'styrelseledamöter' -> 'styrelseledamot', 'forskarna' -> 'forskare'."""
    w = word.lower().replace("ledamöt", "ledamot")
    for ending in _PLURAL_ENDINGS:
        if w.endswith(ending) and len(w) > len(ending) + 3:
            stem = w[: -len(ending)]
            for form in (stem, stem + "e"):
                head = role_head(form)
                if head and head == form:
                    return head
    return None


_LIST_NAME_GAP = re.compile(r"\s*(?:\([^)]{1,4}\))?\s*(?:,\s*|\s+och\s+|\s+samt\s+)")
_LIST_ODD_NAME = re.compile(rf"[{UPPER}][\w{LOWER}.-]*(?:\s[{UPPER}][\w{LOWER}.-]*){{1,3}}(?=,|\s+och\s|\s+samt\s)")


def _plural_title(word: str) -> str | None:
    """The singular title a plural (or genitive plural) word names: 'styrelseledamöter' -> 'styrelseledamot'."""
    if word.endswith(("ares", "andes")):
        word = word[:-1]  # "Dessa forskares ansökningar": the genitive plural
    same = word.endswith(("are", "ande", "ende")) and role_head(word) == word.lower()  # "forskare"
    if same:
        return word.lower()
    if role_head(word) == word.lower():
        return None  # a singular title is handled where it stands before a name
    return singular_role(word)


def _plural_roles(ctx: _Ctx, accepted: list[NameCandidate]) -> list[Membership]:
    """'Nya styrelseledamöter är A, B och C', 'de två riksdagsledamöterna från Gotland, A (C) och B (S)',
    'Dessa forskares ansökningar valdes ut: A, B, …': a plural title, then a list of names.

    Looked for backwards from each name (a few names per text), not forwards from every word."""
    text = ctx.text
    starts = {c.begin: c for c in accepted}
    out = []
    consumed: set[int] = set()
    for first in accepted:
        if first.begin in consumed:
            continue
        s_begin, _ = ctx.sentence_bounds(first.begin)
        lo = max(s_begin, first.begin - 80)
        window = text[lo : first.begin]
        if not window.strip():  # "…valdes ut:" on the line before the list
            prev_end = text.rfind("\n", 0, first.begin)
            prev = text[:prev_end].rstrip()
            if not prev.endswith(":"):
                continue
            lo = max(text.rfind("\n", 0, len(prev)) + 1, len(prev) - 100)
            window = text[lo : len(prev)]
            colon_list = True
        else:
            colon_list = False
        words = list(re.finditer(r"(?<![\w-])([a-zåäö][\wåäö-]{3,})(?![\w-])", window))
        for m in reversed(words):
            title = _plural_title(m.group(1))
            if not title:
                continue
            gap = window[m.end() :]
            if not colon_list and (len(gap) > 60 or re.search(r"[.;]", gap)):
                break
            names = [first]
            pos = first.end
            while True:
                g = _LIST_NAME_GAP.match(text, pos)
                for _skip in range(2):  # "…, Göran K Hansson, MaiLis Hellenius, …": names the rules missed
                    if not g or g.end() in starts:
                        break
                    odd = _LIST_ODD_NAME.match(text, g.end())
                    g = _LIST_NAME_GAP.match(text, odd.end()) if odd else None
                if not g or g.end() not in starts:
                    break
                names.append(starts[g.end()])
                pos = names[-1].end
            if len(names) < 2 and not (colon_list or re.search(r"(?:är|blir|:)\s*$", gap)):
                break
            for c in names:
                consumed.add(c.begin)
                out.append(_membership(c.name, title, None, lo + m.start(), lo + m.end(), False, None))
            break
    return out


_FROM_ORG_COLON = re.compile(r"\b[Ff]rån\s+$")


def _listed_from(ctx: _Ctx, accepted: list[NameCandidate]) -> list[Membership]:
    """'Från Länsstyrelsen i Västra Götalands län är det följande personer som kommer att vara på plats:
    A, B, C och D': every name of a list after a colon belongs to the one organisation named 'från' before it."""
    text = ctx.text
    if ":" not in text:
        return []
    starts = {c.begin: c for c in accepted}
    out: list[Membership] = []
    for first in accepted:
        colon = text.rfind(":", max(0, first.begin - 3), first.begin)
        if colon < 0:
            continue
        s_begin, _ = ctx.sentence_bounds(colon)
        before = [o for o in ctx.orgs if s_begin <= o.begin and o.end <= colon]
        if len({o.ref.key for o in before}) != 1 or not _FROM_ORG_COLON.search(
            text[max(0, before[0].begin - 8) : before[0].begin]
        ):
            continue
        names, pos = [first], first.end
        while True:
            g = _LIST_NAME_GAP.match(text, pos)
            if not g or g.end() not in starts:
                break
            names.append(starts[g.end()])
            pos = names[-1].end
        if len(names) >= 2:
            o = before[0]
            out += [_membership(c.name, None, o.ref, o.begin, o.end, False, None) for c in names]
    return out
