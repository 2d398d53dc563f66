"""The publishing organisation of a release, from what the text shows: a header line, the title, the
lead, an 'Om oss' section, a closing self-description, contact domains, its own web site, and the
government's voice."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from kg.extract.around_names import looks_like_person
from kg.extract.orgs import OrgMention, new_org, squash
from kg.extract.text import UPPER, Segment
from kg.gazetteer import OrgRef, fold_ascii, government_ref, load


def is_boilerplate(line: str) -> bool:
    low = line.lower().strip(" :")
    return low in load().lexicon["boilerplate_lines"] or low.startswith(("publicerad", "senast ändrad"))


@cache
def _towns_by_ascii() -> dict[str, set[str]]:
    """ASCII-folded town name -> the municipality keys it names (looked up, not scanned, per text)."""
    out: dict[str, set[str]] = {}
    for t, k in load().towns.items():
        out.setdefault(fold_ascii(t), set()).add(k)
    return out


_HOST_VERB = re.compile(
    r"\b(?:bjuder\s+(?:\S+\s+){0,6}?in|inbjuder|arrangerar|anordnar|välkomnar|presenterar|meddelar|"
    r"öppnar|inviger|lanserar|startar|beslutade|har\s+beslutat)\b"
)
_FROM_LINE = re.compile(
    r"^(?:(?:press)?meddelande|pressinbjudan|nyhet|publicerad|skickat)?\s*(?:från|av|publicerad av)(?:\s+|$)",
    re.IGNORECASE,
)
_UNIT_OF = re.compile(
    r"^[a-zåäö-]+(?:enheten|avdelningen|kontoret|staben|sektionen|byrån|kansliet)\s+(?:vid|på|i|inom)\s*$"
)
_GOVERNMENT_VOICE = re.compile(
    r"\b(?:[A-ZÅÄÖ]?[a-zåäö]*[Mm]inister(?:n|ns)?|[Ss]tatsrådet"
    r"|[Rr]egeringen (?:har|ger|gör|beslutar|beslutade|föreslår|tillsätter|utser))\b"
)
_CONTACT_HEADING = re.compile(
    r"(?im)^[ \t]*(?:för\s+(?:mer|ytterligare)\s+information|mer\s+information|ytterligare\s+information|"
    r"presskontakt(?:er)?|kontakt(?:person(?:er)?)?|upplysningar|frågor)\b[^\n]{0,40}$"
)
_HOME_KINDS = ("Municipality", "Region", "CountyAdministrativeBoard")
_MINISTER_FIRST = re.compile(r"#?\s*(?:[A-ZÅÄÖ][a-zåäö-]*minister(?:n)?|Statsrådet|Statsminister(?:n)?)\b")
_SELF_PUBLISHING = (*_HOME_KINDS, "EducationalOrganization")
_WEBSITE = re.compile(r"(?:www\.|https?://)(?:[\w-]+\.)*?(?P<label>[a-z0-9-]{4,})\.(?:se|nu|org|eu)\b")
_SELF_DESCRIPTION = re.compile(
    r"\s+(?:är|arbetar|sprider|ansvarar|verkar|driver|består|finns|har\s+(?:cirka|drygt|omkring|över|ca)?\s*[\d ]+"
    r"(?:medarbetare|anställda|medlemmar|invånare))\b"
)


_TITLE_LABEL = re.compile(r"#*\s*(?:Pressinbjudan|Inbjudan|Pressmeddelande|Påminnelse|Uppdatering)\s*[:–-]\s*")


def find_publisher(text, paras, title, orgs, towns, contacts) -> OrgRef | None:
    """The publishing organisation, when the text shows it: a header line with its name ('Från
    NU-sjukvården'), the title, the lead's subject, an 'Om oss' section or a closing paragraph that
    describes it ('Svenska Skidförbundet sprider …', 'Välkommen till Skövde kommun!'), contact e-mail
    domains."""
    g = load()
    score: Counter[str] = Counter()
    refs: dict[str, OrgRef] = {}

    def add(ref: OrgRef, points: float) -> None:
        if ref.kind in ("PoliticalParty", "OrganizationalUnit") or ref.only_as:
            return  # (a department publishes as its university or agency)
        refs[ref.key] = ref
        score[ref.key] += points

    def on(p: Segment) -> list[OrgMention]:
        return [o for o in orgs if p.begin <= o.begin < p.end]

    for first in paras[:5]:
        on_line = on(first)
        rest = first.text
        for o in on_line:
            rest = rest.replace(text[o.begin : o.end], "")
        rest = _FROM_LINE.sub("", rest.strip(" :-–|•"))
        rest = _UNIT_OF.sub("", rest)  # "Pressmeddelande från informationsenheten vid Lunds universitet"
        if on_line and len({o.ref.key for o in on_line}) == 1 and not re.search(r"\w{2,}", rest):
            add(on_line[0].ref, 6)  # a header line that is just the organisation's name ("Från NU-sjukvården")
            break
        named = _FROM_LINE.match(first.text.strip()) if not on_line else None
        name = first.text.strip()[named.end() :].strip(" .:") if named else ""
        if (
            named
            and "från" in named.group(0).lower()
            and re.fullmatch(rf"[{UPPER}][\w-]+(?:\s[{UPPER}][\w-]+){{0,3}}", name)
            and not looks_like_person(name)
        ):
            add(new_org(name), 6)  # "Från Höglandssjukvården": a body no list knows
            break
    if title:
        label = _TITLE_LABEL.match(title.text)
        start = title.begin + (label.end() if label else 0)  # "Pressinbjudan: Göteborgs Stadsteater presenterar …"
        for o in orgs:
            if title.begin <= o.begin < title.end:
                add(o.ref, 3 if o.begin == start else 1.5)
        for b, _e, key in towns:
            if b == title.begin:
                add(g.orgs[key], 2)
    lead = next(
        (
            p
            for p in paras[1:6]
            if (title is None or p.begin > title.begin) and not is_boilerplate(p.text) and len(p.text.split()) > 5
        ),
        None,
    )  # the first paragraph of text, past "Pressmeddelande" and date lines
    if lead:
        for o in orgs:
            if o.begin == lead.begin and not o.genitive:
                add(o.ref, 3)  # "Länsstyrelsen Dalarna bjuder in …"
        for b, _e, key in towns:
            if b == lead.begin:
                add(g.orgs[key], 2)  # "Katrineholm plockar återigen placeringar …": the town as the subject
        first_sentence = re.split(r"(?<=[.!?])\s", lead.text, maxsplit=1)[0]
        end = lead.begin + len(first_sentence)
        hosts = [o for o in orgs if lead.begin <= o.begin < end and not o.genitive]
        if hosts and _HOST_VERB.search(first_sentence):
            add(hosts[0].ref, 3)  # "Onsdag 15 november bjuder Region Jönköpings län in …"
        for o in orgs:
            if lead.begin <= o.begin < end:
                add(o.ref, 1)  # named in the lead's first sentence
        if first_sentence.startswith("Välkommen") and hosts:
            add(hosts[-1].ref, 2)  # "Välkommen till en utställning … på Kristinehamns konstmuseum!"
    about = re.search(r"(?:^|\n)\s*Om (?:oss|[A-ZÅÄÖ][\w ]+)\s*\n", text)
    if about:
        nxt = [o for o in orgs if o.begin >= about.end()]
        tws = [t for t in towns if t[0] >= about.end() and not any(o.begin <= t[0] < o.end for o in orgs)]
        first_org = nxt[0] if nxt else None
        first_town = tws[0] if tws else None
        described = _described_in_about(text, about)
        if described and not any(about.start() <= o.begin < about.end() for o in orgs):
            add(new_org(described), 5)  # "Om Kulturen i Lund / Kulturen är en ideell förening …"
        elif first_org and (not first_town or first_org.begin <= first_town[0]):
            add(first_org.ref, 5)
        elif first_town:
            add(g.orgs[first_town[2]], 5)
    half = len(text) // 2
    for p in paras:
        if p.begin < half:
            continue
        starts = [o for o in on(p) if o.begin == p.begin and not o.genitive]
        if starts and _SELF_DESCRIPTION.match(text, starts[0].end):
            add(starts[0].ref, 4)  # a closing paragraph about the organisation itself
        welcome = re.match(r"Välkommen till\s+", p.text)
        if welcome:
            named = [o for o in on(p) if o.begin == p.begin + welcome.end()]
            if named:
                add(named[0].ref, 4)
    heading = max(_CONTACT_HEADING.finditer(text, len(text) // 3), key=lambda m: m.start(), default=None)
    if heading:  # the last contact heading
        block = [o for o in orgs if o.begin > heading.end() and not o.genitive]
        if block:
            add(block[0].ref, 3)  # "Mer information: / Gunnar Berg / Vd / Skellefteå Kraft"
    for c in contacts:
        if c.email:
            domain = c.email.split("@")[-1].split(".")[-2] if "." in c.email else ""
            for key in _towns_by_ascii().get(domain, ()):
                add(g.orgs[key], 2)
            for o in orgs:
                names = [o.ref.name, *o.ref.aliases]
                if (
                    fold_ascii(o.ref.code + " " + " ".join(o.ref.aliases)).split().count(domain)
                    or (domain == "lansstyrelsen" and o.ref.kind == "CountyAdministrativeBoard")
                    or any(re.sub(r"[^a-z0-9]", "", fold_ascii(n)) == domain for n in names)
                ):
                    add(o.ref, 2)
    sites = {m.group("label").replace("-", "") for m in _WEBSITE.finditer(text)}
    for key in {k for site in sites for k in _towns_by_ascii().get(site, ())}:
        add(g.orgs[key], 1.5)  # "www.katrineholm.se": the municipality's own site
    cited = {o.ref.key: o.ref for o in orgs if sites and squash(o.ref.name) in sites}
    if len(cited) == 1:  # its own web address; links to several bodies' sites say nothing
        add(next(iter(cited.values())), 1.5)
    government = government_ref()
    if (
        any(o.ref.key == government.key for o in orgs)
        and title
        and re.search(r"(?:minister|statsråd|statssekreterare|[Rr]egeringen)", title.text)
    ):
        add(government, 3)  # "Utrikesminister X deltar i …", "Regeringen ger …": the government's release
    if title and _MINISTER_FIRST.match(title.text):
        add(government, 4.5)  # "Civilministern besöker …": a headline led by a minister
    if not any(o.ref.key == government.key for o in orgs):
        _own_organs(text, orgs, towns, score, refs, add)
    mentioned = Counter(o.ref.key for o in orgs)
    times = dict(mentioned)
    for o in orgs:
        if mentioned[o.ref.key] and score[o.ref.key] + min(mentioned[o.ref.key], 3) * 0.5 > 0:
            add(o.ref, min(mentioned.pop(o.ref.key), 3) * 0.5)  # how often it is named breaks ties, no more
    ranked = score.most_common(2)
    best = ranked[0] if ranked else None
    if best and best[1] >= 3:
        return refs[best[0]]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0
    if (
        best
        and best[1] >= 1.5
        and best[1] - runner_up >= 0.5
        and refs[best[0]].kind in _SELF_PUBLISHING
        and times.get(best[0], 0) >= 2
        and not (title and _GOVERNMENT_VOICE.search(title.text))
    ):
        return refs[best[0]]  # a municipality, region, county board or university clearly ahead, named twice
    subject = _subject_org(orgs, times, title)
    if subject is not None:
        return subject
    local = best is not None and best[1] >= 1 and refs[best[0]].kind in _HOME_KINDS
    if _GOVERNMENT_VOICE.search(text) and not (local and not (title and _GOVERNMENT_VOICE.search(title.text))):
        return government  # nobody else shows as publisher, and a minister or the government acts: its release
    return None


def _described_in_about(text: str, about: re.Match[str]) -> str | None:
    """The name in an 'Om X' heading when the paragraph under it says X is a body ('Kulturen är en ideell
    förening …'), not a prize or a series ('Svenska Jämställdhetspriset är en nationell utmärkelse')."""
    name = about.group(0).strip()[3:].strip()
    if not re.fullmatch(rf"[{UPPER}][\w&-]*(?:\s(?:[{UPPER}][\w&-]*|i|för|och|på)){{0,5}}", name) or name.endswith(
        (" i", " för", " och", " på")
    ):
        return None
    body = text[about.end() : about.end() + 300].lstrip()
    first = re.split(r"(?<=[.!?])\s", body, maxsplit=1)[0]
    words = name.split()
    heads = "|".join(re.escape(" ".join(words[:k])) for k in range(len(words), 0, -1))
    own = re.match(rf"(?:{heads})\s+(?:är|var)\s+(?P<what>[^.]*)", first)  # "Kulturen är …" under "Om Kulturen i Lund"
    nouns = load().lexicon["self_description_nouns"]
    if own and any(re.search(rf"(?<![\w-])\w*{n}(?:en|et|n)?\b", own.group("what")) for n in nouns):
        return name
    return None


def _subject_org(orgs: list[OrgMention], times: dict[str, int], title: Segment | None) -> OrgRef | None:
    """The organisation the whole text is about, when nothing else shows the publisher: named at least
    three times and at least twice as often as any other body (the government included), under a
    headline that is not the government's ('Ministerbesök i Malmö' in a text naming Kustbevakningen
    eight times is Kustbevakningen's)."""
    if title and (_GOVERNMENT_VOICE.search(title.text) or _MINISTER_FIRST.match(title.text)):
        return None
    refs = {o.ref.key: o.ref for o in orgs if not o.ref.only_as and o.ref.kind not in ("PoliticalParty",)}
    ranked = sorted(((n, k) for k, n in times.items() if k in refs), reverse=True)
    if not ranked or ranked[0][0] < 3:
        return None
    n, key = ranked[0]
    runner_up = ranked[1][0] if len(ranked) > 1 else 0
    if key == government_ref().key or refs[key].kind == "OrganizationalUnit" or n < 2 * runner_up:
        return None
    return refs[key]


@cache
def _organ_words() -> dict[str, re.Pattern]:
    return {
        kind: re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, words)) + r")", re.IGNORECASE)
        for kind, words in load().lexicon["own_organ_words"].items()
    }


def _own_organs(text, orgs, towns, score, refs, add) -> None:
    """'kommunstyrelsen beslutade …', 'Landshövding X bjuder in': a release speaking of a municipality's,
    region's or county board's own organs is that body's, when one body of the kind is in evidence
    (named, its town named, or its e-mail domain or web site scored)."""
    g = load()
    for kind, words in _organ_words().items():
        if not words.search(text):
            continue
        evidenced = {o.ref.key: o.ref for o in orgs if o.ref.kind == kind}
        evidenced |= {key: g.orgs[key] for _b, _e, key in towns if g.orgs[key].kind == kind}
        evidenced |= {k: refs[k] for k in score if refs[k].kind == kind}
        if len(evidenced) == 1:
            add(next(iter(evidenced.values())), 3)
