"""What stands around a name: an organisation in the genitive, in brackets or after a preposition before
a title, an aside, a county or state in the genitive, and whether a phrase starts with a person's name."""

from __future__ import annotations

import re
from functools import cache

from kg.extract.membership import Context, org_at
from kg.extract.orgs import OrgMention, new_org
from kg.extract.roles import Role, role_head
from kg.extract.text import LOWER, UPPER, given_strength, name_candidates, starts_sentence
from kg.gazetteer import OrgRef, country_ref, government_ref, is_government_title, load, party_ref, word_set


def title_org_before(ctx: Context, pos: int, floor: int) -> tuple[str, OrgRef, int] | None:
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


PREP_BEFORE = re.compile(r"\s(?:för|vid|på|i|hos)\s")


_TITLE_FOR_CAPS = re.compile(
    rf"(?P<t>[{LOWER}][\w{LOWER}-]+)\s+(?:för|vid|på|hos)\s+(?P<o>(?:[{UPPER}][\w{LOWER}&-]*\s+){{1,4}})$"
)


_NOT_NAME_START = {"Den", "Det", "De", "En", "Ett", "Sverige", "Sveriges"}


def genitive_org_before(ctx: Context, pos: int) -> OrgRef | None:
    """'SKL:s ordförande Anders Knape': the organisation in the genitive before the title."""
    for o in ctx.ending_at(pos) + ctx.ending_at(pos - 1):
        if o.genitive:
            return o.ref
    return None


_COUNTY_GENITIVE: re.Pattern[str] | None = None


def genitive_county_before(text: str, pos: int, scope: str) -> OrgRef | None:
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


def genitive_country_before(text: str, pos: int) -> OrgRef | None:
    """'Polens nyutnämnde ambassadör …': the state in the genitive before a title."""
    global _COUNTRY_GENITIVE
    if _COUNTRY_GENITIVE is None:
        forms = [f for f in load().countries if f.endswith("s")]
        alt = "|".join(sorted(map(re.escape, forms), key=len, reverse=True))
        _COUNTRY_GENITIVE = re.compile(rf"(?<![\w-])(?P<c>{alt})\s+$")
    m = _COUNTRY_GENITIVE.search(text, max(0, pos - 60), pos)
    if not m:
        return _nationality_before(text, pos)
    g = load()
    nominative = m.group("c")[:-1]
    if g.countries.get(nominative) is None or nominative + "s" != m.group("c"):
        return None
    return country_ref(g.countries[nominative])


def complement_org(ctx: Context, role: Role, name_begin: int) -> OrgRef | None:
    """'Kulturchefen i Falun, Pelle Ahnlund': a municipality named after the title."""
    between = ctx.text[role.end : name_begin]
    m = re.match(r"\s(?:i|på|vid|för)\s([\w-]+),\s*$", between)
    if m:
        key = ctx.towns.get(m.group(1))
        if key:
            return load().orgs[key]
        o = org_at(ctx.orgs, role.end + m.start(1), name_begin)
        if o:
            return o.ref
    return None


def county_org(comp: str, scope: str) -> OrgRef | None:
    """'landshövding i Gävleborgs län' / 'regionråd i Gävleborg': the county board or the region."""
    g = load()
    m = re.match(r"([A-ZÅÄÖ][\wåäö-]+)(\s+län)?\b", comp or "")
    if not m or (m.group(1) not in g.counties) or (scope not in {"county", "regional"} and not m.group(2)):
        return None
    code = g.counties[m.group(1)]
    key = f"region-{code}" if scope == "regional" else f"lansstyrelsen-{code}"
    return g.orgs.get(key)


def sentence_case(text: str) -> bool:
    """'Jämställd etablering på …': a capitalised word then lower-case ones names a project, not an org."""
    words = text.split()
    return len(words) > 1 and words[1][:1].islower() and words[1] not in {"i", "och", "på", "för", "vid"}


def looks_like_person(text: str) -> bool:
    found = name_candidates(text[:60])
    return bool(found) and found[0].begin == 0 and found[0].strength >= 1


@cache
def _nationality_re() -> re.Pattern[str]:
    forms = [f for a in load().lexicon["nationality_adjectives"] for f in (a, a[:-1] + "e")]
    alt = "|".join(sorted(map(re.escape, forms), key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?P<a>{alt})\s+$", re.IGNORECASE)


def _nationality_before(text: str, pos: int) -> OrgRef | None:
    """'den ukrainska utrikesministern Dmytro Kuleba', 'finske presidenten': the state of a nationality."""
    m = _nationality_re().search(text, max(0, pos - 30), pos)
    if not m:
        return None
    adj = m.group("a").lower()
    names = load().lexicon["nationality_adjectives"]
    country = names.get(adj) or names.get(adj[:-1] + "a")
    code = load().countries.get(country or "")
    return country_ref(code) if code else None


_BRACKETED = re.compile(
    rf"\s\((?P<o>[{UPPER}][\w{LOWER}&.:-]*(?:\s(?:[{UPPER}][\w{LOWER}&.:-]*|och|för|i|av)){{0,4}})\)"
)


def org_in_brackets(ctx: Context, pos: int) -> OrgRef | None:
    """'museichef Åsa Ehlis (Ornässtugan)': the organisation in brackets after a name."""
    m = _BRACKETED.match(ctx.text, pos)
    if not m:
        return None
    name = m.group("o")
    known = org_at(ctx.orgs, m.start("o"), m.end("o"))
    if known and known.end >= m.end("o") - 1:
        return known.ref
    if known or name in ctx.towns or name in ctx.foreign or name.split()[0] in ctx.foreign:
        return None
    if party_ref(name) or looks_like_person(name) or role_head(name.split()[0].lower()):
        return None
    ref = new_org(name)
    ctx.new_orgs.append(OrgMention(m.start("o"), m.end("o"), ref))
    return ref


def state_or_government(state: OrgRef | None, title: str) -> OrgRef | None:
    """'Sveriges utrikesminister Ann Linde' acts for the government; 'Polens ambassadör' for Poland."""
    if state is not None and state.name == "Sverige" and is_government_title(title):
        return government_ref()
    return state


ASIDE_BEFORE = re.compile(r"\((?![A-ZÅÄÖ]{1,3}\))[^()\n]{2,60}\)\s$")
_REPRESENTS = re.compile(r"\s+(?:representerar|företräder)\s+")


def represented(ctx: Context, pos: int, limit: int) -> OrgRef | None:
    """'skolborgarrådet Emilia Bjuggren representerar Stockholms stad': whom the person stands for."""
    m = _REPRESENTS.match(ctx.text, pos, limit)
    o = org_at(ctx.orgs, m.end(), limit) if m else None
    return o.ref if o else None


_GENITIVE_WORD = re.compile(rf"(?<![\w-])(?P<n>[{UPPER}][\w{LOWER}-]+)s\s$")


def unknown_genitive_before(ctx: Context, pos: int) -> OrgRef | None:
    """'Teknopols VD Sven-Thore Holm': a name no list knows, in the genitive before a title, mid-sentence."""
    m = _GENITIVE_WORD.search(ctx.text, max(0, pos - 40), pos)
    if not m or starts_sentence(ctx.text, m.start()) or "\n" in ctx.text[m.start() : pos]:
        return None  # (not "… besöker Göteborg och Borås" on the headline above the title)
    name = m.group("n")
    written = ctx.text[m.start("n") : m.end()].strip()
    if any(
        n in ctx.towns or n in ctx.foreign or n in load().countries or n in load().counties for n in (name, written)
    ):
        return None  # (nor a town whose name ends in s: "Borås")
    before = re.search(r"([A-ZÅÄÖ][\w-]+) $", ctx.text[max(0, m.start() - 30) : m.start()])
    if before and given_strength(before.group(1)) > 0:
        return None  # "Jessica Rosencrantzs statssekreterare": a person's genitive, not a body's
    if given_strength(name) > 0 or role_head(name) or name.lower() in word_set("possessive_pronouns"):
        return None
    ref = new_org(name)
    ctx.new_orgs.append(OrgMention(m.start("n"), m.end("n"), ref, True))
    return ref
