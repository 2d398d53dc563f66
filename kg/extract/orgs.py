"""Organisation mentions: gazetteer names with their inflections, naming patterns, abbreviations."""

from __future__ import annotations

import re
from functools import cache, lru_cache

from kg.extract import learned_orgs
from kg.extract.org_makeup import NOT_ORG_START as _NOT_ORG_START
from kg.extract.org_makeup import made_up_names as _made_up_names
from kg.extract.org_makeup import person_like as _person_like
from kg.extract.org_patterns import Finder, pattern_finders
from kg.extract.org_refs import OrgMention, new_org, strip_genitive
from kg.extract.roles import role_head
from kg.extract.spans import Taken
from kg.extract.text import CAP, LOWER, UPPER, proper_name_at
from kg.gazetteer import OrgRef, load, word_set

_PATTERNS: list[Finder] | None = None
_ABBREVIATION = re.compile(r"(?<![\w-])[\w]{2,8}(?::s)?(?![\w-])")
_WORDS = re.compile(r"\w+")
_ABBREVIATION_WORDS: frozenset[str] | None = None
_COUNCIL = re.compile(
    rf"(?<![\w-])(?P<t>{CAP}s)\s(?=(?:kommunstyrelse|kommunfullmäktige|kommunledning|kommunalråd|"
    rf"socialnämnd|kommunala|stadsdelsförvaltning|stadsledningskontor|kommunchef|stadsdirektör))"
)
_PAREN_ABBREVIATION = re.compile(rf"\((?P<a>[{UPPER}][{UPPER}a-zåäö]{{1,5}})\)")
_PLACE_AFTER = re.compile(rf" (?:i|på) ({CAP})(?![\w{LOWER}])")
_COUNTY_AFTER = re.compile(rf" ({CAP})(?![\w{LOWER}-])(?! [{UPPER}])")
_ACRONYM_DEF = re.compile(rf"\((?P<abbr>[{UPPER}][{UPPER}a-zåäö]{{1,7}})\)")
_BARE_BOARD = re.compile(r"(?<![\w-])[Ll]änsstyrelsen(?:s)?(?![\w-])(?!\s+i\s+[A-ZÅÄÖ])")


@cache
def _personal_councillors() -> frozenset[str]:
    """Titles of persons ending in 'råd' ('kommunalråd', 'länsråd'): their definite form is no council."""
    lex = load().lexicon
    words = lex["role_words"] + lex["municipal_roles"] + lex["regional_roles"] + lex["county_board_roles"]
    return frozenset(w.lower() for w in words if w.lower().endswith("råd"))


_LOWER_FOR_NAME = re.compile(r"[a-zåäö]+(?:en|et) för \w")


def find_orgs(text: str) -> list[OrgMention]:
    """Every organisation mention, longest first, non-overlapping, sorted by position."""
    global _PATTERNS
    g = load()
    found: list[OrgMention] = []
    for m in g.org_pattern.finditer(text):
        surface = m.group(0)
        ref = g.orgs[g.surfaces[surface.lower()]]
        if (
            not surface[0].isupper()
            and not surface.lower().startswith("länsstyrelsen")
            and surface not in ref.aliases
            and not (surface.endswith("s") and surface[:-1] in ref.aliases)  # "socialutskottets ordförande"
            and not _LOWER_FOR_NAME.match(surface)  # "ger myndigheten för vård- och omsorgsanalys i uppdrag"
        ):
            continue
        base = surface
        gen = surface.lower() not in {s.lower() for s in (ref.name, *ref.aliases)} and surface.endswith("s")
        found.append(OrgMention(m.start(), m.end(), ref, gen))
        del base
    if not _abbreviation_words().isdisjoint(_WORDS.findall(text)):  # each match is a whole word
        for m in _ABBREVIATION.finditer(text):
            key = g.exact_surfaces.get(m.group(0))
            if key:
                found.append(OrgMention(m.start(), m.end(), g.orgs[key], m.group(0).endswith(":s")))
    if _PATTERNS is None:
        _PATTERNS = pattern_finders()
    for finditer in _PATTERNS:
        for m in finditer(text):
            name = m.group(0).strip()
            genitive = False
            if name.endswith("s") and (
                (name[:-1].lower().endswith(_heads()) and not name.lower().endswith(_heads()))
                or (" " in name and name[:-1].lower().endswith(_kinds()) and not name.lower().endswith(_kinds()))
                or (name.startswith("Kungl.") and name[:-1].endswith(("na", "en", "et")))
            ):
                name, genitive = name[:-1], True  # "Rekryteringsmyndighetens", "Kungl. Hovstaternas"
            council = (
                name.endswith("rådet")
                and not name.lower().endswith(("området", "förrådet"))
                and name[:-2].lower() not in _personal_councillors()
                and not re.match(rf"\s+[{UPPER}]", text[m.start() + len(name) :])
            )
            if name.split()[0] in _NOT_ORG_START or (" " not in name and role_head(name) and not council):
                continue  # "Kommunalrådet Anna Berg" is a title; "Transportrådet träffas" a council
            if name.lower().endswith(("området", "förrådet")):
                continue  # "Området", "Heleneholmsområdet": an area, "Förrådet": a store ("-rådet" by its letters)
            if (
                " " not in name
                and name.lower() in word_set("generic_org_words")
                and not re.match(r" (?:i|på) [A-ZÅÄÖ]", text[m.start() + len(name) :])
            ):
                continue  # "Förskolan har öppet", "Huvudkontoret finns i Falun": a common noun
            if (
                " " not in name
                and name.lower() in load().lexicon["org_heads_suffix"]
                and not re.match(r" (?:i|på) [A-ZÅÄÖ]", text[m.start() + len(name) :])
            ):
                continue  # "Nätverket träffas …": the noun alone names no organisation
            found.append(OrgMention(m.start(), m.start() + len(name) + genitive, new_org(name), genitive))
    found += _head_first_names(text)
    found += _made_up_names(text)
    found += _inquiries(text)
    found += _missions(text)
    found += _governments(text)
    for m in _COUNCIL.finditer(text) if "kommun" in text or "stad" in text or "socialnämnd" in text else ():
        key = g.towns.get(m.group("t"))
        if key:  # "Eskilstunas kommunstyrelse"
            found.append(OrgMention(m.start("t"), m.end("t"), g.orgs[key], True))
    for m in _PAREN_ABBREVIATION.finditer(text):
        span = _name_before_abbreviation(text, m.start(), m.group("a"))
        if span:
            found.append(OrgMention(span[0], span[1], new_org(text[span[0] : span[1]])))
    found = _extend_with_place(text, _non_overlapping(found))
    found = _non_overlapping(found)
    found += _abbreviations(text, found)
    found += _domain_names(text)
    found += _learned(text, found)
    return _non_overlapping(found)


def _learned(text: str, found: list[OrgMention]) -> list[OrgMention]:
    """Names the trained classifier takes for organisations where no rule found one."""
    out = []
    for begin, end, _ in learned_orgs.find(text, [(m.begin, m.end) for m in found]):
        name, genitive = strip_genitive(text[begin:end])  # "SKL:s"
        if not genitive and name.endswith("s") and re.search(rf"(?<![\w-]){re.escape(name[:-1])}(?![\w-])", text):
            name, genitive = name[:-1], True  # "Svevias vd", where the text also names "Svevia"
        elif not genitive and re.search(r"(?:en|et|an|na)s$", name) and re.match(r"\s+[a-zåäö]", text[end:]):
            name, genitive = name[:-1], True  # "Judiska Församlingens evenemang": a definite noun's genitive
        out.append(OrgMention(begin, end, new_org(name), genitive, learned=True))
    return out


_MISSION = re.compile(
    rf"(?<![\w-])(?:Sveriges\s+(?P<k1>ambassad|generalkonsulat)|(?:[Ss]venska\s+)?[Aa](?P<k2>mbassad)en"
    rf"|[Gg]eneral(?P<k3>konsulat)et)\s+i\s+(?P<c>{CAP}(?:\s{CAP})?)"
)
_MISSIONS = re.compile(
    rf"(?<![\w-])(?:[Aa](?P<k>mbassad)erna|[Gg]eneral(?P<k2>konsulat)en)\s+i\s+"
    rf"(?P<list>{CAP}(?:\s{CAP})?(?:(?:,\s*|\s+och\s+){CAP}(?:\s{CAP})?)+)"
)
_CITY = re.compile(rf"{CAP}(?:\s{CAP})?")


def _missions(text: str) -> list[OrgMention]:
    """Sweden's embassies and consulates, one per city: 'ambassaden i Rom', 'Sveriges ambassad i Rom' (one
    body), 'vid ambassaderna i Bangkok och Vientiane' (two)."""
    if "mbassad" not in text and "konsulat" not in text:
        return []
    out = []
    for m in _MISSION.finditer(text):
        kind = "generalkonsulat" if (m.group("k1") or "").endswith("konsulat") or m.group("k3") else "ambassad"
        out.append(OrgMention(m.start(), m.end(), new_org(f"Sveriges {kind} i {m.group('c')}")))
    for m in _MISSIONS.finditer(text):
        kind = "ambassad" if m.group("k") else "generalkonsulat"
        for city in _CITY.finditer(text, m.start("list"), m.end("list")):
            out.append(OrgMention(city.start(), city.end(), new_org(f"Sveriges {kind} i {city.group(0)}")))
    return out


_INQUIRY = re.compile(
    rf"(?<![\w-])(?:Utredningen\s+om\s+[{LOWER}][\w{LOWER} -]*?(?=\s*(?:\(|[,.;:]|\s(?:ska|har|som|lämnar|lämnade|"
    rf"föreslår|överlämnar|överlämnade|presenterar|är)\b))"
    rf"|[{UPPER}][{LOWER}]{{2,}}utredningen(?![\w{LOWER}]))"
)
_INQUIRY_NAMED = re.compile(rf"(?<![\w-])utredningen\s(?=[{UPPER}])")


def _inquiries(text: str) -> list[OrgMention]:
    """Named inquiries that act: 'Utredningen om en översyn av kontaktförbudslagstiftningen',
    'Yrkesvuxutredningen', 'utredningen Framtidens socialtjänst'."""
    if "tredning" not in text:
        return []
    out = [OrgMention(m.start(), m.end(), new_org(m.group(0))) for m in _INQUIRY.finditer(text)]
    for m in _INQUIRY_NAMED.finditer(text):
        span = proper_name_at(text, m.end(), max_words=4)
        name = text[span[0] : span[1]] if span else ""
        if name.count(" ") > 1 and name[1:].islower():
            span = (span[0], span[0] + len(" ".join(name.split()[:2])))  # sentence case: two words at most
        if span and " " in text[span[0] : span[1]] and not load().surfaces.get(text[span[0] : span[1]].lower()):
            out.append(OrgMention(span[0], span[1], new_org(text[span[0] : span[1]])))
    return out


@cache
def _government_re() -> re.Pattern[str]:
    g = load()
    states = "|".join(sorted((re.escape(c) for c in g.countries if not c.endswith("s")), key=len, reverse=True))
    adjectives = "|".join(sorted(map(re.escape, g.lexicon["nationality_adjectives"]), key=len, reverse=True))
    return re.compile(
        rf"(?<![\w-])(?:(?P<c>{states})s\s+regering(?:en)?|(?:den\s+)?(?P<a>{adjectives})\s+regeringen)(?![\w-])"
    )


def _governments(text: str) -> list[OrgMention]:
    """'Kambodjas regering', 'den finska regeringen': a foreign state's government (Sweden's is the
    gazetteer's Regeringen)."""
    if "regering" not in text:
        return []
    g = load()
    out = []
    for m in _government_re().finditer(text):
        country = m.group("c") or g.lexicon["nationality_adjectives"].get(m.group("a").lower())
        if country and country != "Sverige":
            out.append(OrgMention(m.start(), m.end(), new_org(f"{country}s regering")))
    return out


_HEAD_FIRST: re.Pattern[str] | None = None
_NAME_PREPS = ("för", "mot", "om", "till", "i", "av", "vid", "inom")
_LOWER_WORD = re.compile(rf"[{LOWER}][\w{LOWER}]*-?")
_ADJECTIVAL = re.compile(r"(?:a|e|t|ig|igt|iga|isk|iskt|iska|ande|ende|ad|ade|ell|ellt|ella|al|alt|ala|är|ära|är)$")
_NOT_NAME_WORDS = frozenset(
    [
        "att",
        "som",
        "och",
        "eller",
        "men",
        "när",
        "där",
        "det",
        "den",
        "de",
        "ett",
        "en",
        "har",
        "hade",
        "är",
        "var",
        "ska",
        "skall",
        "kan",
        "får",
        "fick",
        "blir",
        "blev",
        "ger",
        "gav",
        "vill",
        "kommer",
        "också",
        "även",
        "inte",
        "bara",
        "redan",
        "nu",
        "sedan",
        "samt",
        "enligt",
        "genom",
        "under",
        "efter",
        "innan",
        "utan",
    ]
)
_DESIGNATION = re.compile(r"\s*\((?:[A-ZÅÄÖ][a-zåäö]{0,2}\s?)?\d{4}:\d+\)")


def _head_first_names(text: str) -> list[OrgMention]:
    """'Center mot våldsbejakande extremism', 'Myndigheten för stöd till trossamfund': a head word, a
    preposition and lower-case words (at most two per phrase, the first adjectival if two, joined by
    'och' or further prepositions)."""
    global _HEAD_FIRST
    lex = load().lexicon
    if _HEAD_FIRST is None:
        heads = "|".join(sorted(map(re.escape, lex["org_heads_first"]), key=len, reverse=True))
        _HEAD_FIRST = re.compile(rf"(?<![\w-])(?:{heads})(?=\s+(?:{'|'.join(_NAME_PREPS)})\s+[{LOWER}])")
    weak = set(lex["org_heads_first_weak"])
    out = []
    for m in _HEAD_FIRST.finditer(text):
        end = _name_tail(text, m.end())
        if end is None:
            continue
        designation = _DESIGNATION.match(text, end)
        starts_sentence = re.search(r"(?:^|[.!?:–-]\s*|\n\s*)$", text[max(0, m.start() - 3) : m.start()]) is not None
        if m.group(0) in weak and starts_sentence and not designation:
            continue  # "Utredningen om … föreslår": a description at the start of a sentence
        out.append(OrgMention(m.start(), end, new_org(text[m.start() : end])))
    return out


def _name_tail(text: str, pos: int) -> int | None:
    """The end of 'för stöd till trossamfund' after a head word, or None when no name follows."""
    end = None
    phrases = 0
    while phrases < 3:
        prep = re.match(rf"\s+({'|'.join(_NAME_PREPS)}|och|samt)\s+", text[pos:])
        if not prep or (phrases == 0 and prep.group(1) in ("och", "samt")):
            break
        cursor = pos + prep.end()
        first = _LOWER_WORD.match(text, cursor)
        if not first or first.group(0).rstrip("-") in _NOT_NAME_WORDS:
            break
        cursor = first.end()
        if first.group(0).endswith("-"):  # "ungdoms- och civilsamhällesfrågor"
            both = re.match(rf"\s+och\s+([{LOWER}][\w{LOWER}]*)", text[cursor:])
            if not both:
                break
            cursor += both.end()
        elif _ADJECTIVAL.search(first.group(0)):
            second = re.match(rf"\s+([{LOWER}][\w{LOWER}]*)", text[cursor:])
            if second and second.group(1) not in _NOT_NAME_WORDS and second.group(1) not in _NAME_PREPS:
                cursor += second.end()
        end = pos = cursor
        phrases += 1
    return end


@cache
def _kinds() -> tuple[str, ...]:
    return tuple(load().lexicon["org_kind_words"])


def _heads() -> tuple[str, ...]:
    return tuple(load().lexicon["org_heads_suffix"])


def _abbreviation_words() -> frozenset[str]:
    """The words an exact (case-sensitive) surface can be: 'SKL' for 'SKL' and 'SKL:s'."""
    global _ABBREVIATION_WORDS
    if _ABBREVIATION_WORDS is None:
        keys = load().exact_surfaces
        _ABBREVIATION_WORDS = frozenset(k.removesuffix(":s") for k in keys) | frozenset(keys)
    return _ABBREVIATION_WORDS


def _name_before_abbreviation(text: str, paren: int, abbr: str) -> tuple[int, int] | None:
    """'Riksorganisationen för kvinnojourer och tjejjourer i Sverige (ROKS)': the words the letters stand for."""
    if sum(c.isupper() for c in abbr) < 2:
        return None
    line_start = max(text.rfind("\n", 0, paren), *(text.rfind(p, 0, paren) for p in (". ", ": ", "; ", "– "))) + 1
    words = list(re.finditer(r"[\w-]+", text[line_start:paren]))[-9:]
    end = paren
    while end > 0 and text[end - 1] == " ":
        end -= 1
    for w in words:  # the earliest word with the first letter: 'Sveriges Stadsodlare (SSO)'
        token = w.group(0)
        if token[0] == abbr[0] and token[0].isupper():
            b = line_start + w.start()
            name = text[b:end]
            if len(name.split()) >= 2 and name.split()[0] not in _NOT_ORG_START and not _person_like(name):
                return b, end
            return None
    return None


def _extend_with_place(text: str, found: list[OrgMention]) -> list[OrgMention]:
    """'Kvinnojouren i Falun', 'Stadsmissionen i Skåne': a one-word organisation and its place;
    'Företagarna Västerbotten': a one-word association and its county."""
    g = load()
    out = []
    for o in found:
        m = _PLACE_AFTER.match(text[o.end : o.end + 40])
        single = " " not in o.ref.name and o.ref.key not in g.orgs
        if (
            m
            and single
            and (m.group(1) in g.towns or m.group(1) in g.counties or m.group(1) in g.lexicon["foreign_places"])
        ):
            end = o.end + m.end()
            out.append(OrgMention(o.begin, end, new_org(text[o.begin : end]), o.genitive))
        elif (
            (county := _COUNTY_AFTER.match(text, o.end))
            and " " not in o.ref.name
            and not o.genitive
            and o.ref.kind in ("Association", "Organisation")
            and county.group(1) in g.counties
            and not county.group(1).endswith("s")
        ):  # "Företagarna Västerbotten", "Naturskyddsföreningen Gotland": a body's county branch
            out.append(OrgMention(o.begin, county.end(), new_org(text[o.begin : county.end()])))
        else:
            out.append(o)
    return out


_ACRONYM_BEFORE = re.compile(rf"(?<![\w-])(?P<abbr>[{UPPER}]{{2,6}}),\s$")


def _abbreviations(text: str, found: list[OrgMention]) -> list[OrgMention]:
    """'Nationellt centrum för kvinnofrid (NCK)': NCK names that organisation in this text."""
    extra = []
    by_end: dict[int, OrgMention] = {}
    for o in found:
        by_end.setdefault(o.end, o)
    defined: dict[str, OrgRef] = {}
    for m in _ACRONYM_DEF.finditer(text):
        prev = by_end.get(m.start()) or by_end.get(m.start() - 1)
        if prev is not None:
            defined.setdefault(m.group("abbr"), prev.ref)
    for o in found:  # "SSR, Svenska samernas riksförbund, lämnar …": the abbreviation, then the name
        before = _ACRONYM_BEFORE.search(text, max(0, o.begin - 10), o.begin)
        if before and text[o.end : o.end + 1] in {",", ")"} and before.group("abbr")[0] == o.ref.name[0].upper():
            defined.setdefault(before.group("abbr"), o.ref)
    if not defined:
        return extra
    alt = "|".join(sorted(map(re.escape, defined), key=len, reverse=True))
    for occ in re.finditer(rf"(?<![\w-])({alt})(?::s)?(?![\w-])", text):  # one pass for every abbreviation
        extra.append(OrgMention(occ.start(), occ.end(), defined[occ.group(1)], occ.group(0).endswith(":s")))
    return extra


_DOMAIN = re.compile(r"(?:www\.|@|https?://)(?:[\w-]+\.)*?(?P<label>[a-z0-9-]{4,})\.(?:se|nu|org|eu)\b")
_NAME_WORD = rf"[{UPPER}][\w{LOWER}-]*"
_NAME_RUN = re.compile(rf"(?<![\w-]){_NAME_WORD}(?:\s+(?:och|i|för|&)\s+{_NAME_WORD}|\s+{_NAME_WORD})*")


def squash(name: str) -> str:
    table = str.maketrans("åäöéü", "aaoeu")
    return re.sub(r"[^a-z0-9]", "", name.lower().translate(table))


def _event_like(name: str) -> bool:
    """'Forum Jämställdhet' (forumjamstalldhet.se), 'Almedalsveckan': an event's own domain, not an organisation's."""
    lex = load().lexicon
    words = [w.lower() for w in name.split()]
    return any(w in lex["event_heads"] for w in words) or words[-1].endswith(tuple(lex["event_compound_suffixes"]))


def _domain_names(text: str) -> list[OrgMention]:
    """'Folk och Försvars hemsida, www.folkochforsvar.se': a capitalised name the text's own web or
    e-mail domain spells names an organisation, wherever the text uses it."""
    labels = {m.group("label").replace("-", "") for m in _DOMAIN.finditer(text)} if "." in text else set()
    g = load()
    names: set[str] = set()
    for label in labels:
        for m in _spelled(label).finditer(text):
            if re.match(r"\.[a-z]{2,3}\b", text[m.end() : m.end() + 4]):
                continue  # "Informationsverige.se": the web address itself
            run = _NAME_RUN.match(text, m.start())
            if run is None or run.end() < m.end():
                continue  # every word capitalised or a connector ("Folk och Försvar")
            name = m.group(0)
            owner = name.endswith("s") and re.match(r"\s[a-zåäö]", text[m.end() : m.end() + 2])
            if (
                not owner  # "Sven-Harrys konstmuseum" (sven-harrys.se): a genitive, not the name
                and name not in g.towns
                and name not in g.countries
                and name not in g.counties
                and name not in g.lexicon["foreign_places"]
                and name not in {"Europa", "Norden", "Sverige"}
                and name.lower() not in word_set("generic_org_words")
                and not _BARE_BOARD.fullmatch(name)
                and not _person_like(name)
                and not _event_like(name)
            ):
                names.add(name)
    out = []
    for name in sorted(names, key=len, reverse=True):
        ref = new_org(name)
        for occ in re.finditer(rf"(?<![\w-]){re.escape(name)}(s|:s)?(?![\w-])", text):
            out.append(OrgMention(occ.start(), occ.end(), ref, bool(occ.group(1))))
    return out


_LETTERS = {"a": "[aåäAÅÄ]", "o": "[oöOÖ]", "e": "[eéEÉ]", "u": "[uüUÜ]"}


@lru_cache(maxsize=1024)
def _spelled(label: str) -> re.Pattern:
    """The capitalised words a domain label spells: 'folkochforsvar' matches 'Folk och Försvar'."""
    parts = [_LETTERS.get(c, re.escape(c) if not c.isalpha() else f"[{c}{c.upper()}]") for c in label]
    return re.compile(r"(?<![\w-])" + r"[ -]?".join(parts) + r"(?=(?::?s)?(?![\w-]))")  # (a genitive s may follow)


def _non_overlapping(items: list[OrgMention]) -> list[OrgMention]:
    items = sorted(items, key=lambda o: (-(o.end - o.begin), o.begin))
    taken, kept = Taken(), []
    for o in items:
        if taken.free(o.begin, o.end):
            taken.add(o.begin, o.end)
            kept.append(o)
    return sorted(kept, key=lambda o: o.begin)


def bare_county_boards(text: str) -> list[tuple[int, int]]:
    """Spans of 'Länsstyrelsen' used without a county: resolved against the document later."""
    return [(m.start(), m.end()) for m in _BARE_BOARD.finditer(text)]


def towns_in(text: str) -> list[tuple[int, int, str]]:
    """Municipality seat names used as places: (begin, end, municipality key)."""
    g = load()
    return [(m.start(), m.end(), g.towns[m.group(0)]) for m in g.town_pattern.finditer(text)]
