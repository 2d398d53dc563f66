"""Organisations recognised by their make-up alone: an acronym compound, a capital inside a word, a sports
club's suffix, 'Sveriges' or 'Svenska' and a name, an acronym and a town."""

from __future__ import annotations

import re

from kg.extract.org_refs import OrgMention, new_org
from kg.extract.roles import role_head
from kg.extract.text import CAP, LOWER, UPPER, given_strength
from kg.gazetteer import is_place, load

NOT_ORG_START = {
    "Den",
    "Det",
    "Vid",
    "Under",
    "Efter",
    "Från",
    "Till",
    "Med",
    "Som",
    "Om",
    "På",
    "För",
    "Alla",
    "Hela",
    "Många",
    "Detta",
    "Denna",
    "Dessa",
    "Varje",
    "Våra",
    "Vår",
    "Vårt",
    "Årets",
    "Ett",
    "En",
    "Nu",
    "Här",
}


# "Union to Union", "Halmstad & Co", "Ernst & Young", "Act of Emotion": words joined by a foreign or '&' connector
_CONNECTED = re.compile(
    rf"(?<![\w/-])[{UPPER}][\w{LOWER}]+\s(?:to|of|for|&)\s[{UPPER}][\w{LOWER}]*(?![\w/-])"
    rf"(?![ ](?:[{UPPER}]|and|of|for|the|&))"
)  # two words only, nothing capitalised around: a longer run is a title or a project, not this
_CAPITALISED_BEFORE = re.compile(rf"[{UPPER}][\w{LOWER}]*,?[ ]$")
_ACRONYM_COMPOUND = re.compile(rf"(?<![\w-])[{UPPER}]{{2,5}}-[{LOWER}]{{3,}}(?:en|et|na|erna|arna)(?![\w-])")
_CAMEL = re.compile(rf"(?<![\w-])[{UPPER}][{LOWER}]{{2,}}[{UPPER}][\w{LOWER}]{{1,}}(?![\w-])")
_STATENS = re.compile(rf"(?<![\w-])Statens\s+(?:[{LOWER}]+(?:a|e|t)\s+)?[{LOWER}]{{4,}}(?![\w-])")
_CLUB: re.Pattern[str] | None = None
_UPPER_DASH = re.compile(rf"[{UPPER}]-[{LOWER}]")  # every acronym compound holds one
_LOWER_UPPER = re.compile(rf"[{LOWER}][{UPPER}]")  # every word with a capital inside holds one
_CLUB_HINT = re.compile(r"\s(?:[A-ZÅÄÖ][A-Za-zÅÄÖ]{0,3}[A-Z])\b")  # a short upper-case suffix after a space


def made_up_names(text: str) -> list[OrgMention]:
    """Names recognised by their make-up alone: 'NU-sjukvården', 'M-kvinnorna' (an acronym and a
    definite noun), 'GöteborgsOperan', 'ConnectPR' (a capital inside a word), 'Stockviks SF' (a
    sports club), 'Statens vegvesen'."""
    global _CLUB
    lex = load().lexicon
    if _CLUB is None:
        clubs = "|".join(sorted(map(re.escape, set(lex["club_suffixes"])), key=len, reverse=True))
        _CLUB = re.compile(rf"(?<![\w-])(?:{CAP}\s){{1,2}}(?:{clubs})(?![\w-])")
    stop = tuple(lex["acronym_compound_stop"])
    out = []
    heads = tuple(lex["org_heads_suffix"])
    for m in _ACRONYM_COMPOUND.finditer(text) if _UPPER_DASH.search(text) else ():
        word = m.group(0).lower()
        if word.endswith(tuple(lex["abstract_noun_endings"])) and not word.endswith(heads):
            continue  # "IT-säkerhet", "EU-närmandet", "EU-resehandlingen": a thing or an act, not a body
        if not word.endswith(stop):
            out.append(OrgMention(m.start(), m.end(), new_org(m.group(0))))
    for m in _CONNECTED.finditer(text) if re.search(r"\s(?:to|of|for|&)\s", text) else ():
        if _CAPITALISED_BEFORE.search(text, max(0, m.start() - 30), m.start()):
            continue  # part of a longer capitalised run ("… Council for European …")
        name, end = m.group(0), m.end()
        if name.endswith("s"):
            base = name[:-1]
            if base in text.replace(name, ""):
                name, end = base, end - 1  # "Union to Unions nya ordförande"
        out.append(OrgMention(m.start(), end, new_org(name), name != m.group(0)))
    hinted = (
        (_CAMEL, _LOWER_UPPER.search(text) is not None),
        (_STATENS, "Statens" in text),
        (_CLUB, _CLUB_HINT.search(text) is not None),
    )
    for rx, present in hinted:
        for m in rx.finditer(text) if present else ():
            name = m.group(0)
            if name.split()[0] in NOT_ORG_START:
                continue
            out.append(OrgMention(m.start(), m.end(), new_org(name)))
    return out + _national_names(text) + _acronym_towns(text) + _kind_and_name(text) + _ab_first(text)


_ACRONYM_TOWN: re.Pattern[str] | None = None


def _acronym_town_re() -> re.Pattern[str]:
    global _ACRONYM_TOWN
    if _ACRONYM_TOWN is None:
        sports = "|".join(map(re.escape, load().lexicon["club_sport_words"]))
        _ACRONYM_TOWN = re.compile(
            rf"(?<![\w-])(?P<a>[{UPPER}]{{2,5}}) (?P<t>[{UPPER}][\w{LOWER}]+)(?![\w-])(?! (?!(?:{sports})\b)[{UPPER}])"
        )  # "IFK Göteborg", "IFK Malmö Fotboll" (not "ABF Stockholm Norra")
    return _ACRONYM_TOWN


def _acronym_towns(text: str) -> list[OrgMention]:
    """'IFK Göteborg', 'ABF Stockholms styrelse': an acronym and the town it is of (a club, a district); 'SPF
    Seniorerna': an acronym and the members it is of."""
    g = load()
    stop = set(g.lexicon["acronym_town_stop"])
    out = []
    for m in _acronym_town_re().finditer(text):
        town = m.group("t")
        if m.group("a") in stop:
            continue
        if town not in g.towns:
            if len(town) >= 8 and town.endswith(("erna", "arna", "orna")):  # "SPF Seniorerna", "SISU Idrottsutbildarna"
                out.append(OrgMention(m.start(), m.end(), new_org(m.group(0))))
            continue
        base = (
            town[:-1] if town.endswith("s") and town[:-1] in g.towns and g.towns[town[:-1]] == g.towns[town] else town
        )
        name = f"{m.group('a')} {base}"
        out.append(OrgMention(m.start(), m.start() + len(name) + (base != town), new_org(name), base != town))
    return out


_NATIONAL_NAME: re.Pattern[str] | None = None


def _national_names(text: str) -> list[OrgMention]:
    """'Sveriges Byggindustrier', 'Sveriges Bussföretag', 'Svenskt Vatten': 'Sveriges' or 'Svenska' and one or
    two capitalised words (not a place, a person, a title or a state of affairs) is a national body; a
    final genitive s is dropped before a lower-case word or where the text also writes the name without it."""
    global _NATIONAL_NAME
    g = load()
    if _NATIONAL_NAME is None:
        starts = "|".join(map(re.escape, g.lexicon["national_name_starts"]))
        word = rf"[{UPPER}][\w{LOWER}]+(?:-[\w{LOWER}]+)?"
        _NATIONAL_NAME = re.compile(rf"(?<![\w-])(?:{starts}) {word}(?: (?!(?:{starts}) ){word})?(?![\w-])")
    out = []
    not_bodies = tuple(g.lexicon["award_words"] + g.lexicon["national_name_not_endings"])
    heads = (*g.lexicon["org_heads_suffix"], "representation", "representationen", "delegation", "delegationen")
    for m in _NATIONAL_NAME.finditer(text):
        name = m.group(0)
        words = name.split()
        if len(words) == 3 and given_strength(words[2]) == 2:
            words, name = words[:2], " ".join(words[:2])  # "Sveriges Natoambassadör Anna Berg"
        elif re.match(rf" [{UPPER}]", text[m.end() : m.end() + 2]):
            continue  # "Sveriges Computer Security Incident …": a longer name whose end is not in view
        if len(words) == 3 and words[1].endswith("s") and not words[1].endswith("ss"):
            name = " ".join(words[:2])  # "Svenska Förläggarföreningens Hederspris": the body is the genitive
            out.append(OrgMention(m.start(), m.start() + len(name), new_org(name[:-1]), True))
            continue
        last = words[-1].lower()
        lowercase_next = re.match(rf" [{LOWER}]", text[m.start() + len(name) : m.start() + len(name) + 2])
        genitive = (
            name.endswith("s")
            and not name.endswith("ss")
            and (lowercase_next is not None or name[:-1] in text.replace(name, ""))
        )
        if genitive:
            last = last[:-1]
        if is_place(words[1]) or words[1] in g.counties or person_like(" ".join(words[1:])):
            continue
        acronym = re.match(rf"[{UPPER}]{{2,}}", words[1])
        if acronym and not last.endswith(heads):
            continue  # "Sveriges EU-åtaganden", "Sveriges BNP", "Sveriges FN-ambassadör" (not "EU-representation")
        if last.endswith(not_bodies) or (len(words) == 2 and role_head(last) == last and not last.endswith("are")):
            continue  # "Svenska Jämställdhetspriset", "Sveriges Natoanslutning", "Sveriges Förbundskapten"
        if genitive:
            name = name[:-1]
        out.append(OrgMention(m.start(), m.start() + len(name) + genitive, new_org(name), genitive))
    return out


def person_like(name: str) -> bool:
    first = name.split()[0]
    return load().given_names.get(first, 0) >= 300


def _without_trailing_title(words: list[str]) -> list[str]:
    """The name's words without a title or function word run on after it ('… Vuxenskolan Förbundschef')."""
    while words and (words[-1] in NOT_ORG_START or role_head(words[-1].lower())):
        words = words[:-1]
    return words


def _genitive_before_lower(text: str, begin: int, name: str) -> bool:
    """'AB Bostäders vd': the name at `begin` ends in a genitive s before a lower-case word."""
    return (
        name.endswith("s")
        and not name.endswith("ss")
        and re.match(rf" [{LOWER}]", text[begin + len(name) :]) is not None
    )


_KIND_AND_NAME: re.Pattern[str] | None = None
_NAME_WORD = rf"[{UPPER}][\w{LOWER}]*(?:-[{UPPER}]?[\w{LOWER}]+)*"


def _kind_and_name(text: str) -> list[OrgMention]:
    """'Studieförbundet Vuxenskolan', 'Idrottsföreningen Kamraterna' (a kind compound and a name: both are
    the name), 'karateklubben Kokoro-Kai Dojo', 'kören Vox Humana' (a lower-case kind and a name: the name);
    and 'HSB Riksförbund', 'ABF Förbund' (an acronym and a capitalised kind without its article)."""
    global _KIND_AND_NAME
    lex = load().lexicon
    if _KIND_AND_NAME is None:
        kinds = "|".join(map(re.escape, lex["kind_and_name_heads"]))
        bare = "|".join(map(re.escape, lex["acronym_kind_heads"]))
        _KIND_AND_NAME = re.compile(
            rf"(?<![\w-])(?:(?P<kind>(?:[{UPPER}{LOWER}][{LOWER}]*)?(?:{kinds}))[ \u00a0]"
            rf"(?P<name>{_NAME_WORD}(?:[ \u00a0]{_NAME_WORD}){{0,2}})"
            rf"|(?P<whole>[{UPPER}]{{2,5}}[ \u00a0][{UPPER}][{LOWER}]*(?:{bare})))(?![\w-])"
        )
    out = []
    for m in _KIND_AND_NAME.finditer(text):
        if m.group("whole"):
            out.append(OrgMention(m.start(), m.end(), new_org(m.group("whole"))))
            continue
        kind, name = m.group("kind"), m.group("name")
        if re.match(rf" (?:[{UPPER}]|of |for |and |&)", text[m.end() : m.end() + 5]):
            continue  # "stiftelsen The German Marshall Fund of …": a longer name whose end is not in view
        words = _without_trailing_title(name.split())
        if not words or words[0] in NOT_ORG_START or is_place(words[0]) or person_like(" ".join(words)):
            continue  # "föreningen Umeå", "klubben Anna Berg": a place or a person, not a name
        if len(words) == 1 and role_head(words[0].lower()):
            continue
        name = " ".join(words)
        genitive = _genitive_before_lower(text, m.start("name"), name)
        if genitive:
            name = name[:-1]
        if kind[0].isupper() and kind.lower() not in lex["kind_and_name_heads"]:
            begin, label = m.start(), f"{kind} {name}"  # "Studieförbundet Vuxenskolan"
        elif kind[0].isupper():
            continue  # "Föreningen X" and the like: the head-first patterns name those
        else:
            begin, label = m.start("name"), name  # "karateklubben Kokoro-Kai Dojo"
        out.append(OrgMention(begin, m.start("name") + len(name) + genitive, new_org(label), genitive))
    return out


_AB_FIRST = re.compile(rf"(?<![\w-])AB (?P<n>{_NAME_WORD}(?: {_NAME_WORD}){{0,2}})(?![\w-])")


def _ab_first(text: str) -> list[OrgMention]:
    """'AB Bostäder', 'AB Familjebostäder', 'AB Bostäders vd': a company whose legal form comes first."""
    out = []
    heads = tuple(load().lexicon["org_heads_suffix"])
    for m in _AB_FIRST.finditer(text) if "AB " in text else ():
        before = text[max(0, m.start() - 40) : m.start()].split()
        if before and (before[-1][0].isupper() or before[-1].lower().endswith(heads)):
            continue  # "Kungliga Dramatiska teatern AB Kungliga Operan": the form ends the name before it
        words = _without_trailing_title(m.group("n").split())
        if not words or person_like(" ".join(words)):
            continue
        name = "AB " + " ".join(words)
        genitive = _genitive_before_lower(text, m.start(), name)
        if genitive:
            name = name[:-1]
        out.append(OrgMention(m.start(), m.start() + len(name) + genitive, new_org(name), genitive))
    return out
