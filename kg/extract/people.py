"""People: names in person positions, their titles, organisations and parties."""

from __future__ import annotations

import bisect
import re

from kg.extract.appositions import apposition
from kg.extract.around_names import (
    ASIDE_BEFORE,
    PREP_BEFORE,
    complement_org,
    county_org,
    genitive_country_before,
    genitive_county_before,
    genitive_org_before,
    org_in_brackets,
    represented,
    state_or_government,
    title_org_before,
    unknown_genitive_before,
)
from kg.extract.contact_blocks import block_roles, header_roles, heading_person_roles
from kg.extract.contacts import EMAIL, PHONE
from kg.extract.membership import Context, Membership, PeopleResult, Person, membership, org_at, title_scope
from kg.extract.name_lists import elected_lists, listed_from, organ_lists, plural_roles, shared_orgs
from kg.extract.orgs import OrgMention
from kg.extract.roles import parse_title, role_before, role_head
from kg.extract.spans import SpanSet, Taken
from kg.extract.text import NameCandidate, Segment, name_candidates
from kg.gazetteer import load, party_ref, word_set

_PARTY = re.compile(r"\s?\((?P<p>[A-ZÅÄÖ][A-Za-zåäö]{0,2}|[a-zåäö]{1,2})\)")


def _is_person_position(ctx: Context, c: NameCandidate, strong_spans: list[tuple[int, int]]) -> bool:
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
            or org_at(ctx.orgs, c.end + after.find(nxt.group(1)), len(text))
        ):
            return True
        if _PARTY.match(after):
            return True
        if re.match(r",\s*[a-zåäö]+(avdelningen|enheten|kontoret|förvaltningen|sektionen)\b", after):
            return True
    if role_before(text, c.begin, line_start):
        return True
    bracketed = _BRACKETED_TITLE.match(after)
    if bracketed and role_head(bracketed.group("t").split()[0]):
        return True  # "Nanne Bergstrand (huvudtränare)"
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
    body_after_name = c.strength == 0 and _BODY_AFTER_NAME.match(text, c.end) is not None
    return any(
        abs(b - c.end) <= 3
        or (abs(c.begin - e) <= 3 and not (body_after_name and text[e : c.begin].strip() == ","))
        or (0 < b - c.end <= 40 and _LISTED_WITH_ORG.fullmatch(text, c.end, b))
        or (0 < c.begin - e <= 40 and _LISTED_WITH_ORG.fullmatch(text, e, c.begin))
        for b, e in strong_spans[i : i + 200]
    )  # (also "A, Svevia, B, Trafikverket": names listed with their organisations)


_LISTED_WITH_ORG = re.compile(r",\s*(?:[A-ZÅÄÖ][\w-]*\s?){1,3},\s*")
# "• Peter Kjellberg, Connect Bus, Boxholm": an unknown capitalised pair after a name, then a place or
# the line's end, is the person's employer, not a second person
_BODY_AFTER_NAME = re.compile(r"(?:,\s*[A-ZÅÄÖ][\w-]+)?[ \t]*(?:\n|$)")


def find_people(
    text: str, orgs: list[OrgMention], blocked: list[tuple[int, int]], sentences: list[Segment]
) -> PeopleResult:
    """Every person named in a person position, with the titles and organisations stated."""
    ctx = Context(text, orgs, blocked, sentences)
    org_spans = [(o.begin, o.end) for o in orgs] + blocked
    cands = {(c.begin, c.end): c for c in name_candidates(text)}
    for c in name_candidates(text, glued=True):
        cands.setdefault((c.begin, c.end), c)
    taken = SpanSet(org_spans)
    cands = [_trimmed(text, c, taken) for c in cands.values()]
    cands = [c for c in cands if c is not None and not taken.overlaps(c.begin, c.end) and not _place_or_body(c.name)]
    cands = _drop_nested(cands)
    strong = [(c.begin, c.end) for c in cands if c.strength == 2]
    accepted = [c for c in cands if c.strength == 2 or _is_person_position(ctx, c, strong)]
    accepted = _genitives_to_names(accepted, text)
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
    bodies = SpanSet([(o.begin, o.end) for o in ctx.new_orgs])
    named_bodies = {c.name for c in accepted if c.strength < 2 and bodies.overlaps(c.begin, c.end)}
    if named_bodies:  # "Karl Lind, förbundsordförande Sámiid Riikkasearvi": his body, not a person
        keep = [i for i, c in enumerate(accepted) if c.name not in named_bodies]
        accepted, own = [accepted[i] for i in keep], [own[i] for i in keep]
        memberships = [m for m in memberships if m.person not in named_bodies]
        occurrences = [o for o in occurrences if o[2] not in named_bodies]
        people = {k: v for k, v in people.items() if k not in named_bodies}
    memberships += shared_orgs(text, accepted, own)
    memberships += header_roles(text, accepted)
    memberships += heading_person_roles(ctx, accepted)
    memberships += plural_roles(ctx, accepted)
    memberships += listed_from(ctx, accepted)
    memberships += organ_lists(ctx, accepted)
    memberships += elected_lists(ctx, accepted)
    memberships += block_roles(ctx, accepted)
    return PeopleResult(people, memberships, occurrences, ctx.new_orgs)


def _place_or_body(name: str) -> bool:
    """'New York', 'Kuala Lumpur', 'Harvard University', 'Volvo Cars': a place, or a body by one of its words."""
    g = load()
    words = name.split()
    return (
        name in g.lexicon["foreign_places"]
        or name in g.countries
        or any(w in word_set("not_in_person_names") for w in words)
    )


def _trimmed(text: str, c: NameCandidate, taken: SpanSet) -> NameCandidate | None:
    """'Ylva Mannervik Mönsterås kommun': a name whose last word starts an organisation, cut before it;
    'statsminister Ulf Kristersson Italien', 'John-Erik Jansson Kronprinsessparet': a country or a noun after it."""
    words = c.name.split()
    if len(words) >= 3 and (words[-1] in load().countries or words[-1] in word_set("name_tail_words")):
        head = " ".join(words[:-1])
        c = NameCandidate(c.begin, c.begin + len(head), head, c.given, " ".join(words[1:-1]), c.strength)
    if not taken.overlaps(c.begin, c.end) or taken.overlaps(c.begin, c.begin + 1):
        return c
    words = c.name.split()
    while len(words) > 2:
        words.pop()
        end = c.begin + len(" ".join(words))
        if not taken.overlaps(c.begin, end) and text[c.begin : end] == " ".join(words):
            return NameCandidate(c.begin, end, " ".join(words), c.given, " ".join(words[1:]), c.strength)
    return c


def _genitives_to_names(accepted: list[NameCandidate], text: str) -> list[NameCandidate]:
    """'Hanna Hansdotters design' where 'Hanna Hansdotter' is named too, or 'Jessica Rosencrantzs statssekreterare':
    the genitive is the person."""
    names = {c.name for c in accepted}
    out = []
    for c in accepted:
        if (
            c.name.endswith("s")
            and not c.name.endswith("ss")
            and (c.name[:-1] in names or _before_a_title(c, text) or _family_genitive(c, text))
        ):
            c = NameCandidate(c.begin, c.end - 1, c.name[:-1], c.given, c.family[:-1], c.strength)
        head, _sep, last = c.name.rpartition(" ")
        if last.endswith("s") and head.count(" ") >= 1 and head in names and last[:-1] not in head:
            # "Pål Jonson Perus huvudstad" where "Pål Jonson" is named: the next word's genitive is no part
            c = NameCandidate(c.begin, c.begin + len(head), head, c.given, head.split(" ", 1)[1], c.strength)
        out.append(c)
    return out


_NEXT_WORD = re.compile(r" ([a-zåäö-]+) [A-ZÅÄÖ]")
_FAMILY_GENITIVE = re.compile(r"(?:son|ström|berg|gren|qvist|kvist|lund|dahl|holm|blad|stedt|lind|gård)s$")
_LOWER_NEXT = re.compile(r" ([a-zåäö][a-zåäö-]+)")


def _family_genitive(c: NameCandidate, text: str) -> bool:
    """'Regissören Gunilla Johanssons regikoncept': a family name that cannot end in s, before a noun."""
    nxt = _LOWER_NEXT.match(text, c.end)
    return (
        " " in c.name
        and _FAMILY_GENITIVE.search(c.name) is not None
        and nxt is not None
        and nxt.group(1) not in word_set("title_stop_verbs")
        and nxt.group(1) not in word_set("speech_verbs")
        and nxt.group(1) not in {"och", "i", "på", "om", "från", "till", "med", "som", "samt"}
    )


def _before_a_title(c: NameCandidate, text: str) -> bool:
    """A well-known given name whose family name ends in s before a title and its holder's name: 'X Ys
    statssekreterare Z' (not 'Charlie Weimers förbundsordförande för KDU')."""
    nxt = _NEXT_WORD.match(text, c.end)
    return c.strength == 2 and nxt is not None and role_head(nxt.group(1)) is not None


def _drop_nested(cands: list[NameCandidate]) -> list[NameCandidate]:
    cands.sort(key=lambda c: (-(c.end - c.begin), c.begin))
    taken, kept = Taken(), []
    for c in cands:
        if taken.free(c.begin, c.end):
            taken.add(c.begin, c.end)
            kept.append(c)
    return sorted(kept, key=lambda c: c.begin)


_ITEM_START = re.compile(r"[ \t]*(?:\d+\.|[•*-])?[ \t]*")


_BRACKETED_TITLE = re.compile(r"\s*\((?P<t>[a-zåäöA-ZÅÄÖ][\w &/.-]{1,40})\)")
_LISTED_BRACKETED = r"(?:\s*,|\s+och|\s+samt)\s+[A-ZÅÄÖ][\w-]+(?:\s[A-ZÅÄÖ][\w-]+){1,2}\s*\([^()\n]{1,40}\)"
# "… och Camilla Wedfelt (beteendevetare) från Wargentinskolan": the body after the list is each one's
_FROM_AFTER_LIST = re.compile(rf"(?:{_LISTED_BRACKETED})*\s+(?:från|vid|på|hos|i)\s+")
_LIST_BEFORE = re.compile(r"[A-ZÅÄÖ][\w-]+(?:\s[A-ZÅÄÖ][\w-]+){1,2}\s*\([^()\n]{1,40}\)(?:\s*,|\s+och|\s+samt)\s+$")


def _list_start(text: str, begin: int, floor: int) -> int:
    """Where a list of 'Name (title)' items that ends at `begin` starts: its first name."""
    while (m := _LIST_BEFORE.search(text, max(floor, begin - 90), begin)) is not None:
        begin = m.start()
    return begin


def _memberships_for(ctx: Context, c: NameCandidate) -> list[Membership]:
    text = ctx.text
    s_begin, s_end = ctx.sentence_bounds(c.begin)
    line_end = text.find("\n", c.end)
    limit = min(s_end, len(text) if line_end < 0 else line_end)
    line_start = text.rfind("\n", 0, c.begin) + 1
    if text.startswith(". ", c.end) and _ITEM_START.fullmatch(text, line_start, c.begin):
        limit = len(text) if line_end < 0 else line_end  # "1. Jan Berg. Smittskyddsläkare, …": a list item's line
    out: list[Membership] = []
    pos = c.end
    party = None
    pm = _PARTY.match(text, pos)
    if pm and party_ref(pm.group("p")):
        party = party_ref(pm.group("p"))
        pos = pm.end()
    bracketed = _BRACKETED_TITLE.match(text, pos, limit)
    parsed = parse_title(bracketed.group("t")) if bracketed and role_head(bracketed.group("t").split()[0]) else None
    if bracketed and parsed:  # "Nanne Bergstrand (huvudtränare), Henrik Rydström (lagkapten) och …"
        at = _FROM_AFTER_LIST.match(text, bracketed.end(), limit)
        o = org_at(ctx.orgs, at.end(), limit) if at else None
        org = (o.ref if o else None) or genitive_org_before(ctx, _list_start(text, c.begin, s_begin))
        return [membership(c.name, parsed[0], org, c.begin, bracketed.end(), parsed[1], party)]
    aside = ASIDE_BEFORE.search(text, max(s_begin, c.begin - 80), c.begin)
    anchor = aside.start() if aside else c.begin  # "statssekreteraren (till ministern) Pernilla Baralt"
    before = role_before(text, anchor, s_begin)
    after_org = org_in_brackets(ctx, pos) if party is None else None
    if after_org is None and aside:
        inner = re.match(r"\((?:från|vid|på)\s", aside.group(0))
        o = org_at(ctx.orgs, aside.start() + inner.end(), aside.end()) if inner else None
        after_org = o.ref if o else None  # "utvecklaren (från Länsstyrelsen Västra Götaland) Katarina Björkgren"
    if after_org:
        pos = text.index(")", pos) + 1
    m = re.match(r"\s(?:vid|på|i|hos|för|från)\s", text[pos:limit])
    if m and after_org is None:
        o = org_at(ctx.orgs, pos + m.end(), limit)
        if o:
            after_org = o.ref
    if before:
        title = before.title
        org = (
            after_org
            or genitive_org_before(ctx, before.begin)
            or genitive_county_before(text, before.begin, title_scope(title))
            or state_or_government(genitive_country_before(text, before.begin), title)
            or complement_org(ctx, before, c.begin)
            or represented(ctx, pos, limit)
            or unknown_genitive_before(ctx, before.begin)
        )
        out.append(membership(c.name, title, org, before.begin, c.end, before.acting, party))
    elif PREP_BEFORE.search(text, max(s_begin, anchor - 90), anchor) and (
        titled := title_org_before(ctx, anchor, s_begin)
    ):
        title, org, tb = titled  # "generalsekreteraren för Mentor Sverige Cecilia Bernard"
        out.append(membership(c.name, title, org, tb, c.end, False, party))
    elif genitive_org_before(ctx, c.begin):
        out.append(membership(c.name, None, genitive_org_before(ctx, c.begin), c.begin, c.end, False, party))
    elif after_org and m and m.group(0).strip() in {"från", "vid", "på", "hos"}:
        out.append(
            membership(c.name, None, after_org, c.begin, pos + m.end(), False, party)
        )  # "X från Umeå universitet"
    nxt = re.match(r",\s*([A-ZÅÄÖ][^,]{0,40}),", text[pos:limit])
    in_list = (  # a list of names ("A, B, C"), not "A, Organisation, och B"
        re.search(r"[\w-],\s*$", text[max(s_begin, c.begin - 3) : c.begin]) is not None
        and nxt is not None
        and org_at(ctx.orgs, pos + nxt.start(1), limit) is None
    )
    if not in_list:
        appos = apposition(ctx, c, pos, limit, party, have_role=bool(before))
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
    som = _SOM_TITLE.search(text, max(s_begin - 2, c.begin - 140, 0), c.begin) if "Som " in text else None
    if som and not out and parse_title(som.group("t")):  # "Som särskilt sändebud kommer Åsa Webber att …"
        at = [o.ref for o in ctx.orgs if som.group("at") and som.start("at") <= o.begin < som.end("at")]
        for org in at or [None]:  # "Som forskare vid Utrikespolitiska institutet och Uppsala universitet har X"
            out.append(membership(c.name, parse_title(som.group("t"))[0], org, som.start("t"), c.end, False, party))
    copula = _TITLE_IS.search(text, max(s_begin - 2, c.begin - 160, 0), c.begin)
    if (
        copula
        and (parsed := parse_title(copula.group("t")))
        and len(copula.group("t").split()) <= 5
        and parsed[0] not in {m.title for m in out}
    ):  # "Till särskild utredare utses Lena Holmdahl, utbildningsdirektör i Stockholms stad": both titles,
        appointed = membership(c.name, parsed[0], None, copula.start("t"), c.end, parsed[1], party)
        appointed.default_org = appointed.default_org and not out  # the new post is not her employer's
        out.append(appointed)
    if party and not out:
        out.append(membership(c.name, None, None, c.begin, pos, False, party))
    return out


_LISTED_NAME = r"[A-ZÅÄÖ][\w-]+(?:\s(?:von\s|af\s|de\s)?[A-ZÅÄÖ][\w-]+){1,2}"
_TITLE_IS = re.compile(
    r"(?:^|[.!?:]\s+|\n\s*)(?:Till\s+)?(?P<t>[A-ZÅÄÖa-zåäö][\wåäö-]*(?:\s[\wåäö-]+){0,4}?)\s+"
    r"(?:är|blir|blev|utses|har\s+utsetts|förordnas|tillträder)\s+"
    rf"(?:{_LISTED_NAME}(?:,\s*|\s+och\s+))*$"
)  # "Utredare är Lars Berg och Robert Ek", "Till särskild utredare utses Bo Jansson"


# "Kent Stigh, som under tre år varit ordförande i HSB Riksförbund, …": a relative clause states the title
_RELATIVE = re.compile(
    r",\s*som\s+(?:(?:under|sedan|i|nu|numera|tidigare)\b[^,.\n]{0,30}?\s+)?(?:är|varit|har\s+varit)\s"
)
_AFTER_NAME = re.compile(
    r"\s+(?:(?:är|blir|blev)\s+(?:föreslagen|nominerad|vald|omvald|utsedd|utnämnd|anställd|rekryterad|förordnad)"
    r"(?:\s+\S+){0,2}?\s+(?:till|som)"
    r"|(?:är|blir)(?:\s+(?:sedan\s+\d{4}|nu|numera|sedan\s+tidigare|från\s+och\s+med\s+\S+|"
    r"för\s+närvarande|i\s+dag|idag|just\s+nu))?|som"
    r"|(?:tillträder|tillträdde|börjar|började|tar\s+över|kvarstår|fortsätter|träder\s+in|går\s+in|"
    r"stannar|arbetar|jobbar|verkar|tjänstgör)\s+som"
    r"|(?:har\s+|har\s+i\s+dag\s+|har\s+idag\s+)?(?:utsetts|utnämnts|utsågs|utnämndes|valts|valdes|"
    r"förordnats|förordnades|anställts|anställdes|rekryterats|föreslås|nominerats|nominerades|"
    r"tillsätts|utses|utnämns|anställs|väljs|förordnas)"
    r"(?:\s+\S+){0,2}?\s+(?:till|som))"
    r"\s+(?:ny|nytt|nya|den\s+nya|den\s+nye)?\s*"
)
_BEFORE_NAME = re.compile(
    r"(?:utsett|utser|utsåg|utse|utnämnt|utnämner|utnämnde|utnämna|anställt|anställer|anställa|valt|väljer|valde|"
    r"välja|valdes|omvaldes|nyvaldes|utsågs|utnämndes|förordnat|förordnar|förordnade|förordna|rekryterat|rekrytera|"
    r"föreslår|föreslagit|föreslå|"
    r"godkänt|godkänner|godkände|godkänna|tillsatt|tillsätter|tillsatte|"
    r"utses|utnämns|väljs|förordnas|anställs|vigs|vigdes|installeras|installerades)"
    r"(?:\s+(?:i\s+dag|idag|alltså|nu|även|också|därför|formellt|enhälligt))*"
    r"(?:\s+(?:den\s+)?(?:före\s+detta\s+|tidigare\s+)?[a-zåäö-]+(?:en|n))?"  # "utsett kammarrättslagmannen X"
    r"(?:(?<=s)\s+[a-zåäö-]{4,})?\s+$"  # "vigs kyrkoherde X till biskop": a passive, then the present title
)
_SOM_TITLE = re.compile(
    r"(?:^|[.!?]\s+|\n\s*)Som\s+(?P<t>(?:[\wåäö-]+\s+){0,3}?[\wåäö-]+)"
    r"(?P<at>\s+(?:vid|på|i|för|hos)\s+(?:[\wåäö-]+\s+){0,6}?[\wåäö-]+)?\s+(?:kommer|ska|blir|får|har|tar)\s+$"
)


_TO_POST = re.compile(r"\s+till\s+(?:ny|nytt|nya)?\s*")
_ELECTION_LIST = re.compile(r"\b(?:valdes|omvaldes|nyvaldes|utsågs|utsetts|valts)\s[^.!?]*(?:,|\soch)\s$")
_APPOINTED_AS = re.compile(r"\s+(?:till|som)\s+(?:ny|nytt|nya)?\s*")


def _predicate_roles(ctx: Context, c: NameCandidate, pos: int, limit: int, s_begin: int) -> list[Membership]:
    """'X är sedan 2021 lagman i Göteborgs tingsrätt', 'X tillträder som rektor', 'utsett X till
    generaldirektör för Y', 'X har utsetts till ny vd': a title stated by the sentence's verb."""
    text = ctx.text
    party_aside = re.match(r",?\s*\([A-ZÅÄÖ][A-Za-zåäö]{0,3}\),?", text[pos:limit])
    if party_aside:  # "Camilla Rinaldho Miller, (KD), är föreslagen som …"
        pos += party_aside.end()
    m = _AFTER_NAME.match(text, pos, limit) or _RELATIVE.match(text, pos, limit)
    if m is None and _BEFORE_NAME.search(text, max(s_begin, c.begin - 40), c.begin):
        m = _APPOINTED_AS.match(text, pos, limit)
    if m is None and _ELECTION_LIST.search(text, s_begin, c.begin):
        m = _TO_POST.match(text, pos, limit)  # "valdes A (M) till ordförande, … och C (S) till andre vice ordförande"
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
        o = org_at(ctx.orgs, phrase_end + prep.end(), limit)
        if o:
            org = o.ref
        else:
            town = re.match(r"[A-ZÅÄÖ][\wåäö-]+", text[phrase_end + prep.end() : limit])
            scope = title_scope(title)
            if town and ctx.towns.get(town.group(0)) and scope in ("municipal", ""):
                org = None  # a place, not the organisation
            county = county_org(text[phrase_end + prep.end() : limit], scope)
            org = org or county
    return [membership(c.name, title, org, c.begin, phrase_end, acting, None)]
