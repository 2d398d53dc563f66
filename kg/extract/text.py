"""Text basics with offsets: lines, sentences, capitalised-word runs and name candidates."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, wraps
from itertools import islice

from kg.extract.dates import month_names
from kg.gazetteer import load, word_set

UPPER = "A-ZÅÄÖÉÜÆØČĆŠŽĐŁŃŚŹŻÇÑ"
LOWER = "a-zåäöéüèáíóúøæëïàçčćšžđłńśźżőűãõâêîôûñ"
CAP = rf"[{UPPER}][{LOWER}]+"
WORD = re.compile(rf"[\w{UPPER}{LOWER}]+(?:[-:.'’][\w{UPPER}{LOWER}]+)*", re.UNICODE)
DASHES = "–—‑−-"
DASH = r"[–—‑−\-]"
ABBREVIATIONS = {
    "h.m",  # "H.M. Konungen"
    "h.k.h",
    "h.e",  # "H.E. Mr."
    "d.v.s",
    "t.ex",
    "kungl",
    "bl.a",
    "kl",
    "ca",
    "m.fl",
    "tfn",
    "tel",
    "avd",
    "bitr",
    "nr",
    "resp",
    "jfr",
    "dvs",
    "osv",
    "t.o.m",
    "fr.o.m",
    "s.k",
    "f.d",
    "fd",
    "t.f",
    "tf",
    "mm",
    "m.m",
    "etc",
    "st",
    "S:t",
    "ev",
    "inkl",
    "exkl",
    "dir",
    "doc",
    "prof",
    "dr",
    "mr",
    "mrs",
    "ms",
    "jan",
    "feb",
    "febr",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "okt",
    "nov",
    "dec",
    "vard",
    "kr",
    "milj",
    "mdr",
    "mkr",
    "forts",
    "uppl",
    "vol",
    "sid",
    "s",
    "o",
    "p.g.a",
    "pga",
    "enl",
    "ang",
    "adr",
    "bl",
    "t",
    "f",
    "e",
    "c",
    "d",
    "v",
}


@dataclass(frozen=True)
class Segment:
    begin: int
    end: int
    text: str


def _per_text(fn: Callable[[str], list[Segment]]) -> Callable[[str], list[Segment]]:
    """Several finders split the same text: keep the last few answers (each caller gets its own list)."""
    cached = lru_cache(maxsize=4)(fn)

    @wraps(fn)
    def wrapper(text: str) -> list[Segment]:
        return list(cached(text))

    return wrapper


@_per_text
def lines(text: str) -> list[Segment]:
    """Every line with its offsets (empty lines included)."""
    out, pos = [], 0
    for raw in text.split("\n"):
        out.append(Segment(pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return out


@_per_text
def paragraphs(text: str) -> list[Segment]:
    """Non-empty lines, stripped, with offsets into the text."""
    out = []
    for seg in lines(text):
        stripped = seg.text.strip()
        if stripped:
            b = seg.begin + seg.text.index(stripped)
            out.append(Segment(b, b + len(stripped), stripped))
    return out


_BOUNDARY = re.compile(rf"([.!?…]+)[”\"']?\s+(?=[–—‑−\-”\"'«({UPPER}0-9])")


_LAST_TOKEN = re.compile(r"(\S+)$")
_INITIAL = re.compile(rf"[{UPPER}]")


@_per_text
def sentences(text: str) -> list[Segment]:
    """Sentences with offsets; lines always end a sentence; abbreviations do not."""
    out = []
    for para in paragraphs(text):
        start = 0
        s = para.text
        for m in _BOUNDARY.finditer(s):
            before = s[start : m.start()]
            last = _LAST_TOKEN.search(before)
            token = last.group(1).lower().rstrip(".") if last else ""
            if m.group(1) == "." and (token in ABBREVIATIONS or _INITIAL.fullmatch(last.group(1) if last else "")):
                continue
            end = m.end(1)
            if s[start:end].strip():
                out.append(_seg(para, start, end))
            start = m.end()
        if s[start:].strip():
            out.append(_seg(para, start, len(s)))
    return out


def _seg(para: Segment, b: int, e: int) -> Segment:
    chunk = para.text[b:e]
    lead = len(chunk) - len(chunk.lstrip())
    chunk = chunk.strip()
    return Segment(para.begin + b + lead, para.begin + b + lead + len(chunk), chunk)


def sentence_at(sents: list[Segment], pos: int) -> Segment | None:
    """The segment of `sents` (sorted, non-overlapping) holding `pos`, found by bisection."""
    i = bisect.bisect_right(sents, pos, key=lambda s: s.begin) - 1
    if i >= 0 and sents[i].begin <= pos < sents[i].end:
        return sents[i]
    return None


@dataclass(frozen=True)
class NameCandidate:
    begin: int
    end: int
    name: str  # normalised full name ("Karl-Erik Pettersson")
    given: str
    family: str
    strength: int  # 2 = well-known given name, 1 = known but rare, 0 = unknown first word


_PARTICLES = None
_PLACE_NOUNS = (
    "torg|torget|plats|platsen|gata|gatan|väg|vägen|park|parken|skola|skolan|sjukhus|sjukhuset|hus|huset|"
    "gymnasium|gymnasiet|bibliotek|biblioteket|allé|backe|bro|kyrka|kyrkan|stiftelse|institut|pris|priset|"
    "minne|sal|salen|gård|gården|hall|hallen|bad|badet|äng|holme|udde|berg|strand|hamn|hamnen"
)
_NAME_RE = None


def _name_re() -> re.Pattern:
    global _NAME_RE, _PARTICLES
    if _NAME_RE is None:
        lex = load().lexicon
        _PARTICLES = set(lex["name_particles"])
        particle = "|".join(sorted(map(re.escape, _PARTICLES), key=len, reverse=True))
        part = rf"{CAP}(?:-\s?{CAP})?"
        _NAME_RE = re.compile(
            rf"(?=[{UPPER}])(?<![\w{UPPER}{LOWER}])(?<![\w{UPPER}{LOWER}]-)(?P<given>{part})"  # (lookahead: fast skip)
            rf"(?:[ ][{UPPER}]\.?(?=[ ]{CAP}))?"  # a middle initial: "Thage G Peterson", "Lloyd J. Austin"
            rf"(?P<rest>(?:[ \u00a0](?:(?:{particle})[ ])?{part}){{1,3}})(?![\w{LOWER}])"
        )
    return _NAME_RE


_GLUED_NAME_RE = None
_NAME_WORDS = re.compile(rf"{CAP}(?:-\s?{CAP})?|\S+")
_PLACE_COMPOUND = re.compile(
    r"[a-zåäö]{3}s?(?:gatan|vägen|salen|torget|platsen|parken|skolan|huset|hallen|allén|gränd)$"
)
_PLACE_AFTER = re.compile(rf"\s(?:{_PLACE_NOUNS})\b")
_PLACE_WORD = re.compile(rf"(?:{_PLACE_NOUNS})", re.IGNORECASE)
_HYPHEN = re.compile(r"-\s?")
_HYPHEN_SPACE = re.compile(r"-\s+")


def _glued_name_re() -> re.Pattern:
    """`_name_re()` that also starts right after a lower-case letter."""
    global _GLUED_NAME_RE
    if _GLUED_NAME_RE is None:
        _GLUED_NAME_RE = re.compile(
            _name_re().pattern.replace(rf"(?<![\w{UPPER}{LOWER}])(?<![\w{UPPER}{LOWER}]-)", rf"(?<![{UPPER}-])", 1)
        )
    return _GLUED_NAME_RE


@lru_cache(maxsize=1)
def _contact_words() -> frozenset[str]:
    return frozenset(w for w in load().lexicon["contact_labels"] if " " not in w)


@lru_cache(maxsize=4096)
def _role_word(word: str) -> bool:
    from kg.extract.roles import role_head

    return role_head(word) is not None


@lru_cache(maxsize=4096)
def _unit_word(word: str) -> bool:
    low = word.lower()
    return low.endswith(tuple(load().lexicon["unit_suffixes"])) or low.endswith(
        tuple(h for h in load().lexicon["org_heads_suffix"] if len(h) > 5)
    )


@lru_cache(maxsize=8192)
def given_strength(token: str) -> int:
    """2 for a well-known given name, 1 for a known but rare one, 0 unknown, -1 a stop word (kept per token)."""
    g = load()
    lex = g.lexicon
    if token in lex["name_stopwords"]:
        return -1
    if token in lex["given_name_stopwords"]:
        return 0  # "Per", "Urban": a name only in a person position
    parts = _HYPHEN.split(token)
    counts = [g.given_names.get(p, 0) for p in parts]
    low = min(counts)  # "Nils-Anders": as strong as its rarer part, or as the whole when that is commoner
    if len(parts) > 1:
        low = max(low, g.given_names.get(_HYPHEN.sub("-", token), 0))
    if low >= lex["strong_given_name_min_count"]:
        return 2
    return 1 if low >= 5 else 0


def name_candidates(text: str, lo: int = 0, hi: int | None = None, glued: bool = False) -> list[NameCandidate]:
    """Runs of 2-4 capitalised words that could be a person's name, scored by the first word."""
    g = load()
    lex = g.lexicon
    stop = set(lex["name_stopwords"])
    hi = len(text) if hi is None else hi
    out = []
    pattern = _glued_name_re() if glued else _name_re()  # "Stockholms stadChristina Kivi": glued to a word
    pos = lo
    while True:
        m = pattern.search(text, pos, hi)
        if not m:
            break
        words = _NAME_WORDS.findall(m.group(0))
        # cut at a stop word or a town/org word after the given name
        keep = [words[0]]
        for w in words[1:]:
            if w in stop or w.rstrip("s") in stop or (given_strength(w) < 2 and (_role_word(w) or _unit_word(w))):
                break  # "Jörgen Boman Pressinformatör Informationsenheten": the name ends at the title
            keep.append(w)
        after = text[m.end() : m.end() + 20]
        if any(_PLACE_WORD.fullmatch(keep[i]) and keep[i - 1].endswith("s") for i in range(2, len(keep))) or (
            keep[-1].endswith("s") and _PLACE_AFTER.match(after)
        ):
            pos = m.end()  # "Gustav Adolfs torg", "Olof Palmes plats": a place named after a person
            continue
        if _PLACE_COMPOUND.search(keep[-1]):
            pos = m.end()  # "Viktor Rydbergsgatan", "Viktor Rydbergssalen": a street or hall, one word
            continue
        if keep[0].lower() in _contact_words() or (given_strength(keep[0]) < 2 and _role_word(keep[0])):
            pos = m.start() + len(keep[0])  # "Presskontakt Pressansvarig", "Kommunikationschef Anna …"
            continue
        if keep[0] in word_set("state_forms") or " ".join(keep) in g.countries:
            pos = m.start() + len(keep[0])  # "Konungariket Bahrain", "Förenade Arabemiraten": a state
            continue
        if keep[0] in g.towns and given_strength(keep[0]) < 2:
            pos = m.start() + len(keep[0])  # "Ljusdal Energi": a town first is not a given name
            continue
        # "Jämställdhetsarbete Helena Spets": drop leading words that are not given names
        while len(keep) > 2 and given_strength(keep[0]) <= 0 and given_strength(keep[1]) == 2:
            keep.pop(0)
        surname_words = [w for w in keep[1:] if w not in _PARTICLES]
        if surname_words and keep[-1] not in _PARTICLES:
            raw = " ".join(keep)
            start = text.find(keep[0], m.start())
            end = start + _span_len(text, start, keep)
            name = _HYPHEN_SPACE.sub("-", raw)
            strength = given_strength(keep[0])
            if strength >= 0:
                given = _HYPHEN_SPACE.sub("-", keep[0])
                out.append(NameCandidate(start, end, name, given, " ".join(keep[1:]), strength))
            pos = end
        else:
            pos = m.start() + len(words[0])
    return out


def _span_len(text: str, start: int, words: list[str]) -> int:
    pos = start
    for w in words:
        idx = text.find(w, pos)
        pos = idx + len(w)
    return pos - start


_NAME_STOP = {
    "som",
    "och",
    "är",
    "var",
    "har",
    "hade",
    "kan",
    "ska",
    "skall",
    "kommer",
    "vill",
    "tillsammans",
    "startar",
    "startade",
    "pågår",
    "pågick",
    "syftar",
    "handlar",
    "innebär",
    "genomförs",
    "genomfördes",
    "drivs",
    "leds",
    "finansieras",
    "fick",
    "får",
    "blir",
    "blev",
    "ger",
    "gav",
    "med",
    "på",
    "av",
    "till",
    "från",
    "under",
    "efter",
    "inom",
    "mellan",
    "där",
    "när",
    "nu",
    "också",
    "även",
    "redan",
    "samt",
    "eller",
    "men",
    "det",
    "den",
    "de",
    "en",
    "ett",
    "vid",
    "hos",
    "sedan",
    "ut",
    "in",
    "upp",
    "inte",
    "alla",
    "sina",
    "sin",
    "sitt",
    "vår",
    "våra",
    "deras",
    "kl",
    "klockan",
    "idag",
    "i dag",
    "hålls",
    "arrangeras",
    "anordnas",
    "samlar",
    "öppnar",
    "invigs",
    "äger",
    "går",
    "sker",
    "riktar",
    "lockade",
    "lockar",
    "samlade",
    "bjuder",
    "välkomnar",
    "vänder",
    "måndag",
    "tisdag",
    "onsdag",
    "torsdag",
    "fredag",
    "lördag",
    "söndag",
    "måndagen",
    "tisdagen",
    "onsdagen",
    "torsdagen",
    "fredagen",
    "lördagen",
    "söndagen",
    *month_names(),
    "denna",
    "detta",
    "dessa",
    "vilket",
}
_LINKS = {"i", "för", "mot", "om", "att", "och", "på", "av", "till", "med", "utan", "från"}
_TOKEN = re.compile(rf"[{UPPER}{LOWER}0-9][\w{LOWER}{UPPER}]*(?:-[\w{LOWER}{UPPER}]+)*|\S")


def proper_name_at(text: str, pos: int, max_words: int = 7, allow_and: bool = False) -> tuple[int, int] | None:
    """The extent of a name that starts at `pos`, in title case ('Verka Jämställt') or sentence case
    ('Jämställdhet i praktiken', 'Makt att forma samhället', '16 dagar mot våld'); None if none starts there.

    >>> t = "konferensen Jämställdhet i praktiken den 22 oktober"
    >>> b, e = proper_name_at(t, 12); t[b:e]
    'Jämställdhet i praktiken'
    """
    c = text[pos : pos + 1]
    if not (c.isupper() or c.isdigit()):
        return None  # the first token starts at `pos` and must be capitalised or a number
    # the loop below reads at most max_words + 1 tokens
    found = islice(_TOKEN.finditer(text, pos, min(len(text), pos + 160)), max_words + 1)
    tokens = [(m.group(0), m.start(), m.end()) for m in found]
    if not tokens or tokens[0][1] != pos:
        return None
    first = tokens[0][0]
    if not (first[0].isupper() or first.isdigit()) or (first.isdigit() and (len(first) == 4 or int(first) > 366)):
        return None  # "kvinnofridskonferensen 2018 står …": a year is not the start of a name
    words = [tokens[0]]
    caps = 1 if first[0].isupper() else 0
    for i in range(1, len(tokens)):
        w, b, _e = tokens[i]
        if text[words[-1][2] : b] not in (" ", "\u00a0") or len(words) >= max_words:
            break
        if w[0].isupper() or (w.isdigit() and len(w) == 4):
            if caps >= 1 and len(words) > caps and words[-1][0] not in _LINKS:
                break  # a capitalised word after a lower-case one starts something new
            words.append(tokens[i])
            caps += w[0].isupper()
            continue
        low = w.lower()
        if not w[0].isalpha() or (low in _NAME_STOP and not (allow_and and low == "och")) or caps >= 2:
            break
        if low in _LINKS:
            nxt = tokens[i + 1][0] if i + 1 < len(tokens) else ""
            if not nxt or not nxt[0].isalpha() or nxt.lower() in _NAME_STOP or nxt.lower() in _LINKS:
                break
        words.append(tokens[i])
    while words and words[-1][0].lower() in _LINKS:
        words.pop()
    if len(words) == 1 and first.isdigit():
        return None
    return (words[0][1], words[-1][2]) if words else None


_SENTENCE_START = re.compile(r"(?:^|[.!?:–]\s*|\n\s*#*\s*)$")


def starts_sentence(text: str, pos: int) -> bool:
    """Whether `pos` opens a sentence, a line or a heading (so a capital there says nothing about a name)."""
    return _SENTENCE_START.search(text[max(0, pos - 4) : pos]) is not None
