"""Named events and awards: "Forum X", "-veckan"/"-dagen" compounds, "konferensen ”X”", prize names."""

from __future__ import annotations

import re

from kg.extract.event_words import event_lexicon, lemma
from kg.extract.scan import StemScan
from kg.extract.text import CAP, LOWER, UPPER, proper_name_at
from kg.gazetteer import is_place, load

_NAMED_RES: list[re.Pattern] | None = None


def _named_res() -> list[re.Pattern]:
    global _NAMED_RES
    if _NAMED_RES is None:
        cap_phrase = rf"{CAP}(?:\s(?:{CAP}|[{LOWER}]+)){{0,3}}"
        _NAMED_RES = [
            # "Forum Jämställdhet", "Fokus jämställdhet", "Almedalsveckan", "Internationella kvinnodagen"
            re.compile(
                rf"(?<![\w-])(?:Forum|Mötesplats)\s(?!(?:för|på|i|av|med|och|om|till|är|var|som|har)\b)[{UPPER}{LOWER}][\w{LOWER}]{{3,}}(?:\s(?:{CAP}))?"
            ),
            re.compile(
                rf"(?<![\w-])(?!(?:Mån|Tis|Ons|Tors|Fre|Lör|Sön|I|Samma|Hela|Andra|Första|Riks|Var|Mid|Nu|Helg)dag)[{UPPER}][{LOWER}]{{2,}}(?:veckan|dagen|dagarna|mässan|festivalen|galan|forum|forumet)(?![\w{LOWER}])(?!\s[{UPPER}])"
            ),
            re.compile(
                rf"(?<![\w-])(?:Internationella|Nationella|Europeiska|Nordiska|Globala)\s[{LOWER}]+(?:dagen|veckan|konferensen)(?![\w{LOWER}])"
            ),
            # "SM i simning och vattenpolo", "U23-EM", "Bussförar-SM", "VM i Chengdu": championships by their acronym
            re.compile(
                r"(?<![\w-])(?:[A-Z]\d{2}-|[A-ZÅÄÖ][a-zåäö]{3,}-)?(?:SM|VM|EM|NM|JSM|JVM|JEM)(?:-veckan)?"
                r"(?:\s+i\s+[a-zåäö]{4,}(?:\s+och\s+[a-zåäö]{4,})?)?(?![\w-])"
            ),
            # "Fokus jämställdhet, en nationell fördjupningskonferens"
            re.compile(
                rf"(?P<n>{cap_phrase}),\s(?:en|ett|den|det)\s(?:[{LOWER}]+\s){{0,3}}[{LOWER}]*(?:konferens|seminarium|mässa|festival|dag|vecka|möte|forum|gala)\b"
            ),
        ]
    return _NAMED_RES


_AWARD_RES: list[re.Pattern] | None = None


def _award_res() -> list[re.Pattern]:
    global _AWARD_RES
    if _AWARD_RES is None:
        _AWARD_RES = _compile_award_res()
    return _AWARD_RES


def _compile_award_res() -> list[re.Pattern]:
    return [
        re.compile(rf"(?<![\w-]){CAP}(?:\s{CAP})*(?:priset|Priset|priset\s\d{{4}})(?![\w{LOWER}])"),
        re.compile(rf"(?<![\w-])Årets\s{CAP}(?:\s\d{{4}})?"),
        re.compile(
            rf"(?<![\w-])(?:{CAP}s\s)+(?:(?:kommuns|stads|läns|regions)\s)?[{LOWER}]*pris(?:et)?(?:\s\d{{4}})?(?![\w{LOWER}])"
        ),
        re.compile(rf"[”\"«](?P<n>[{UPPER}][^”\"»\n]{{3,60}})[”\"»]"),
    ]


_NOUNS = (
    "konferensen|seminariet|mötet|föreläsningen|workshopen|evenemanget|festivalen|utställningen|galan|mässan|"
    "kampanjen|temadagen|webbinariet|veckan|kongressen|forumet|dagen|träffen|konventet|symposiet"
)


_NOUN_THEN_NAME = re.compile(rf"(?<![\w-])(?P<noun>[\w-]*?(?:{_NOUNS}))[ ](?=[”\"«A-ZÅÄÖ0-9])", re.IGNORECASE)


_NOUN_SCAN = StemScan(_NOUNS.split("|"), _NOUN_THEN_NAME)


_QUOTED_NAME = re.compile(r"[”\"«]([^”\"»\n]{3,80})[”\"»]")


_TOWN_TAIL = re.compile(r" i ([A-ZÅÄÖ][\wåäö-]+)$")


_NAMED_AFTER_NOUN: dict[str, list[tuple[int, int, str, str]]] = {}


def named_after_noun(text: str) -> list[tuple[int, int, str, str]]:
    """'konferensen ”Jämställdhet i praktiken”', 'seminariet Makt att forma samhället': (b, e, name, head)."""
    if text not in _NAMED_AFTER_NOUN:  # asked twice per document: the last few answers are kept
        if len(_NAMED_AFTER_NOUN) >= 4:
            _NAMED_AFTER_NOUN.pop(next(iter(_NAMED_AFTER_NOUN)))
        _NAMED_AFTER_NOUN[text] = _named_after_noun(text)
    return list(_NAMED_AFTER_NOUN[text])


def _named_after_noun(text: str) -> list[tuple[int, int, str, str]]:
    out = []
    g = load()
    for m in _NOUN_SCAN.finditer(text):
        pos = m.end()
        if text[pos] in '”"«':
            q = _QUOTED_NAME.match(text, pos)
            if not q:
                continue
            b, e = pos + 1, pos + 1 + len(q.group(1))
        else:
            span = proper_name_at(text, pos, allow_and=True)  # "konventet Folk och Kultur"
            if not span:
                continue
            b, e = span
            town = _TOWN_TAIL.search(text[b:e])
            if town and is_place(town.group(1)):  # "konferensen Jämställd vård i Karlstad", "mässan MSPO i Polen"
                e -= len(town.group(0))
            name = text[b:e]
            if (
                name.split()[0] in {"Den", "Det", "I", "På", "Om", "Och", "Läs", "Mer", "Här", "Vi"}
                or name in g.towns
                or g.surfaces.get(name.lower())
                or g.given_names.get(name.split()[0], 0) >= 300
            ):
                continue
        out.append((b, e, text[b:e], lemma(m.group("noun")) or ""))
    return out


# literals of which every match of the pattern at the same place in `_named_res()` / `_award_res()` holds one
_NAMED_HINTS: list[tuple[str, ...] | re.Pattern[str]] = [
    ("Forum", "Mötesplats"),
    ("veckan", "dagen", "dagarna", "mässan", "festivalen", "galan", "forum"),
    ("Internationella", "Nationella", "Europeiska", "Nordiska", "Globala"),
    ("SM", "VM", "EM", "NM"),
    re.compile(r",\s(?:en|ett|den|det)\s"),
]


_AWARD_HINTS = [("priset", "Priset"), ("Årets",), ("pris",), ("”", '"', "«")]


def find_named(text: str) -> list[tuple[int, int, str, str]]:
    """Named events and awards: (begin, end, name, kind) with kind 'event' or 'award'."""
    out = [(b, e, n, "event") for b, e, n, _h in named_after_noun(text)]
    for rx, hints in zip(_named_res(), _NAMED_HINTS, strict=True):
        if not (hints.search(text) if isinstance(hints, re.Pattern) else any(h in text for h in hints)):
            continue
        for m in rx.finditer(text):
            g = "n" if "n" in rx.groupindex else 0
            name = m.group(g).strip()
            if (
                " " not in name
                and _sentence_initial(text, m.start(g))
                and lemma(name) in event_lexicon()["event_common_nouns"]
                and not re.search(rf"[{LOWER},] {re.escape(name)}\b", text)
            ):
                continue  # "Jobbmässan i Kupolen blir …": a common noun that starts a sentence
            if name.split()[0] in event_lexicon()["non_event_capitalised"] or name.split()[0] in {"Den", "Det", "Vi"}:
                continue
            fair = re.fullmatch(r"(\w+?)s?mässan", name)
            if fair and is_place(fair.group(1)):
                continue  # "Stockholmsmässan", "Umeåmässan": a town's fair hall, a venue
            out.append((m.start(g), m.start(g) + len(name), name, "event"))
    out += _taken_part_in(text)
    for rx, hints in zip(_award_res(), _AWARD_HINTS, strict=True):
        if not any(h in text for h in hints):
            continue
        for m in rx.finditer(text):
            g = "n" if "n" in rx.groupindex else 0
            name = m.group(g).strip()
            if g == "n":
                near = text[max(0, m.start() - 80) : m.end() + 80].lower()
                if not any(w in near for w in event_lexicon()["award_words"] + ["delas ut", "delades ut", "utdelning"]):
                    continue
            out.append((m.start(g), m.start(g) + len(name), name, "award"))
    for name, kind in {(n, k) for _b, _e, n, k in out if len(n) > 5}:
        for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text, re.IGNORECASE):
            out.append((m.start(), m.end(), m.group(0), kind))  # every later mention of a name found once
    out.sort(key=lambda x: (x[0], -(x[1] - x[0])))
    kept: list[tuple[int, int, str, str]] = []
    for item in out:
        if not kept or item[0] >= kept[-1][1]:
            kept.append(item)
    return kept


_TAKES_PART = re.compile(
    r"(?:(?:deltar|deltog|medverkar|medverkade|talar|talade)\s(?:i|på|vid)|inför)\s"
    r"(?:(?P<g>[A-ZÅÄÖ]{2,5}:s\s[a-zåäö]{4,}(?:råd|möte|mötet|rådet|toppmöte|toppmötet|session|sessionen))(?![\w-])"
    r"|(?P<n>[A-ZÅÄÖ][\w-]*(?:\s(?:[A-ZÅÄÖ][\w-]*|\d{4}))*)(?![\w:-])(?!\s[a-zåäö]+s\s))"
)


def _taken_part_in(text: str) -> list[tuple[int, int, str, str]]:
    """'deltar i West Pride', 'deltar på ITF Summit 2025': what someone takes part in, when it is no
    organisation, place or person."""
    if not any(w in text for w in ("deltar", "medverka", "tala", "deltog", "inför")):
        return []
    g = load()
    out = []
    for m in _TAKES_PART.finditer(text):
        if m.group("g"):  # "deltar i EU:s utrikesråd": a council of a body, meeting
            out.append((m.start("g"), m.end("g"), m.group("g"), "event"))
            continue
        name = m.group("n")
        first = name.split()[0]
        if (
            g.surfaces.get(name.lower())
            or name in g.towns
            or name in g.countries
            or first in g.countries
            or name in g.counties
            or first in g.lexicon["foreign_places"]
            or name.endswith("s")
            or g.given_names.get(first, 0) >= 300
            or first in event_lexicon()["non_event_capitalised"]
            or re.fullmatch(r"[A-ZÅÄÖ][a-zåäö]+(?:iska|ska|ella|ala|na)", name)  # "inför Europeiska rådets …"
        ):
            continue
        out.append((m.start("n"), m.end("n"), name, "event"))
    return out


def _sentence_initial(text: str, pos: int) -> bool:
    before = text[max(0, pos - 3) : pos]
    return pos == 0 or before.endswith("\n") or re.search(r"[.!?:]\s+$", before) is not None


def canonical(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip(' ,.:”"')
