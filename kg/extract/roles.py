"""Role titles recognised by their morphology: heads, compounds, definite forms, modifiers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from kg.extract.text import starts_sentence
from kg.gazetteer import load, word_set

_DEFINITE_ENDINGS = ("en", "n", "et", "t", "na")


@cache
def _sets() -> tuple[frozenset, tuple, frozenset, frozenset, frozenset, frozenset]:
    lex = load().lexicon
    return (
        frozenset(lex["role_words"]),
        tuple(sorted(lex["role_suffixes"], key=len, reverse=True)),
        frozenset(lex["role_suffix_exceptions"]),
        frozenset(lex["role_modifiers"]),
        frozenset(lex["organ_genitives"]),
        frozenset(lex["acting_modifiers"]),
    )


@lru_cache(maxsize=1)
def _standalone_suffixes() -> frozenset[str]:
    lex = load().lexicon
    return frozenset(lex["role_suffixes"]) - frozenset(lex["role_suffixes_not_alone"])


@lru_cache(maxsize=65536)
def role_head(word: str) -> str | None:
    """The indefinite role title if `word` is one ('Kulturchefen' -> 'kulturchef').

    >>> role_head("Kommunalrådet"), role_head("generalsekreterare"), role_head("samråd")
    ('kommunalråd', 'generalsekreterare', None)
    """
    abbreviated = load().lexicon["title_abbreviations"].get(word.strip(",:;"))
    if abbreviated:
        return abbreviated  # "ÖB Sverker Göranson"
    w = word.lower().strip(".,:;")
    if not w or (not w.isalpha() and "-" not in w):
        return None
    if _is_role(w):
        return w
    for ending in _DEFINITE_ENDINGS:
        if w.endswith(ending) and _is_role(w[: -len(ending)]):
            return w[: -len(ending)]
    if w.endswith("mannen") and _is_role(w[:-3]):
        return w[:-3]  # "kammarrättslagmannen", "ombudsmannen": the doubled n of the definite form
    return None


def _is_role(w: str) -> bool:
    words, suffixes, exceptions, *_ = _sets()
    if w in words:
        return True
    if w in _standalone_suffixes():
        return True  # "översättaren Anders Bodegård", "arkeolog", "tränare": a suffix that is a title on its own
    if w in exceptions or not w.endswith(suffixes):  # (endswith with the tuple: a cheap first test)
        return False
    return any(w.endswith(s) and len(w) > len(s) + 2 for s in suffixes)


def is_modifier(word: str) -> bool:
    return word.lower() in _sets()[3]


def is_organ_genitive(word: str) -> bool:
    """'kommunstyrelsens', 'servicenämndens', 'kultur- och fritidsnämndens' (not 'Socialstyrelsens', a body)."""
    low = word.lower()
    return low in _sets()[4] or (word[:1].islower() and _ORGAN_GENITIVE.search(low) is not None)


@dataclass(frozen=True)
class Role:
    title: str  # lower case, indefinite, with modifiers ("kommunstyrelsens förste vice ordförande")
    acting: bool
    begin: int
    end: int


_TOKEN = re.compile(r"[\w:.-]+|[^\w\s]")
_ORGAN = re.compile(r"[a-zåäö-]*(?:styrelsen|nämnden|fullmäktige|utskottet)$")
_ORGAN_GENITIVE = re.compile(r"^[a-zåäö]{3,}(?:nämndens|styrelsens|utskottets)$")
_ADJECTIVE = re.compile(r"\w{3,}(?:isk|iska|iskt|ig|iga|igt|ell|ella|ellt|iv|iva|ivt|erad|erade|al|ala|alt|är|ära)$")


# "Åsa Regnér, barn-, äldre- och jämställdhetsminister, Morten …": the title ends the previous name's apposition
_PREVIOUS_APPOSITION = re.compile(
    r"[A-ZÅÄÖ][\wåäö]+(?:,|\s+\([A-ZÅÄÖa-zåäö]{1,3}\))\s+(?:[\wåäö]+-?,?\s+){0,5}$"
)  # "Anna Ek, minister, Olle Berg", "Jim Lindström (M) till ordförande, Fredrik Andersson"


def role_before(text: str, name_begin: int, floor: int) -> Role | None:
    """A title right before a name: 't f landshövding Kurt Ekelund', 'juryns ordförande Ove Jansson'."""
    window = text[max(floor, name_begin - 120) : name_begin]
    base = name_begin - len(window)
    tokens = [(m.group(0), base + m.start(), base + m.end()) for m in _TOKEN.finditer(window)]
    if not tokens:
        return None
    # allow "Kulturchefen i Falun, Pelle Ahnlund": title, place complement, comma
    idx = len(tokens) - 1
    honorifics = word_set("honorifics")
    while idx > 0 and tokens[idx][0].lower().rstrip(".") in honorifics:
        idx -= 1  # "ambassadör Mr. Wieslaw Tarka", "H.E. Mr. …"
    if tokens[idx][0] == "," and idx >= 3 and tokens[idx - 2][0].lower() in {"i", "på", "vid", "för"}:
        idx -= 3
    elif (
        tokens[idx][0] == ","
        and idx >= 1
        and role_head(tokens[idx - 1][0])
        and not _PREVIOUS_APPOSITION.search(text, max(0, tokens[idx - 1][1] - 80), tokens[idx - 1][1])
    ):
        idx -= 1  # "Ukrainas försvarsminister, Oleksiy Reznikov" (not "Anna Ek, minister, Olle Berg")
    head = role_head(tokens[idx][0]) if idx >= 0 else None
    tail = ""
    if not head:  # "minister för civilt försvar Carl-Oskar Bohlin": a title with its field
        for j in range(idx - 1, max(0, idx - 4), -1):
            if tokens[j][0] == "för" and j >= 1 and role_head(tokens[j - 1][0]):
                between = [t[0] for t in tokens[j + 1 : idx + 1]]
                if all(w.isalpha() and w.islower() and w not in word_set("title_stop_verbs") for w in between):
                    head = role_head(tokens[j - 1][0])
                    tail = " för " + " ".join(between)
                    idx = j - 1
                break
            if not (tokens[j][0].isalpha() and tokens[j][0].islower()):
                break
    if not head:
        return None
    begin, end = tokens[idx][1], tokens[idx][2]
    words = [head]
    if idx >= 3 and tokens[idx - 1][0] == "och" and tokens[idx - 2][0] == "-" and tokens[idx - 3][0].isalpha():
        words = [tokens[idx - 3][0].lower() + "- och " + head]  # "energi - och näringsminister": a stray space
        begin = tokens[idx - 3][1]
        idx -= 3
    elif idx >= 2 and tokens[idx - 1][0] == "och" and tokens[idx - 2][0].endswith("-"):
        words = [tokens[idx - 2][0].lower() + " och " + head]  # "infrastruktur- och bostadsminister"
        begin = tokens[idx - 2][1]
        idx -= 2
    acting = False
    j = idx - 1
    while j >= 0:
        w = tokens[j][0]
        low = w.lower()
        if low in {"f", "f."} and j >= 1 and tokens[j - 1][0].lower() in {"t", "t."}:
            words.insert(0, "t f")
            acting = True
            begin = tokens[j - 1][1]
            j -= 2
            continue
        if (
            is_modifier(w)
            or is_organ_genitive(w)
            or (low.endswith("s") and role_head(low[:-1]) is None and low in _sets()[4])
            or (w.islower() and _ADJECTIVE.search(w) is not None)  # "konstnärlig ledare"
            or (w[1:].islower() and _ADJECTIVE.search(w) is not None and starts_sentence(text, tokens[j][1]))
        ):  # "Konstnärlig chef Linda Berg" at a sentence's start
            words.insert(0, low)
            acting = acting or low in _sets()[5]
            begin = tokens[j][1]
            j -= 1
            if j >= 1 and tokens[j][0] == "och" and tokens[j - 1][0].endswith("-") and tokens[j - 1][0][:-1].isalpha():
                words[0] = f"{tokens[j - 1][0].lower()} och {words[0]}"  # "barn- och utbildningsnämndens ordförande"
                begin = tokens[j - 1][1]
                j -= 2
            continue
        break
    return Role(" ".join(words) + tail, acting, begin, end)


_NEW = frozenset({"ny", "nye", "nya", "nytt"})


def _both_titles(word: str) -> bool:
    """'informatör/marknadsförare': two titles joined by a slash."""
    parts = word.split("/")
    return len(parts) == 2 and all(p.isalpha() and p.islower() for p in parts) and any(role_head(p) for p in parts)


_ADDRESS = re.compile(r"\[email|\S+@|www\.|https?:")  # "ordförande [email protected]": the title ends before it


def parse_title(chunk: str) -> tuple[str, bool] | None:
    """A title phrase of an apposition chunk, lower-cased: 'bitr chef' -> ('bitr chef', False)."""
    coordinated = re.match(r"((?:[\wåäö]+-,?\s+)*[\wåäö]+-\s+och\s+)(?=[\wåäö]+)", chunk)  # "barn-, äldre- och …"
    if coordinated:
        rest = parse_title(chunk[coordinated.end() :])
        return (coordinated.group(1).lower() + rest[0], rest[1]) if rest else None
    chunk = re.split(r"\s(?:för|om)\satt\s|\soch\s(?=[A-ZÅÄÖ][\w-]*\sför\satt\s)", chunk, maxsplit=1)[
        0
    ]  # "… för att få se …"
    chunk = re.split(r"\soch\s(?=[^,]*\d)", chunk, maxsplit=1)[0]  # "prorektor och från 1 november rektor"
    words = chunk.split()
    if not words:
        return None
    heads = [i for i, w in enumerate(words) if role_head(w) or _both_titles(w)]
    if not heads:
        return None
    first = heads[0]
    stop = next(
        (
            i
            for i in range(first + 1, len(words))
            if words[i] in word_set("title_stop_verbs") or _ADDRESS.match(words[i])
        ),
        None,
    )
    if stop is not None:  # "ordförande deltar under dagen": the title ends before the verb
        words = words[:stop]
    if (
        first > 0
        and not all(
            is_modifier(w)
            or is_organ_genitive(w)
            or w.lower() in {"t", "f", "t.", "f."}
            or (w.lower().endswith("s") and w[0].islower())
            or (i == 0 and re.fullmatch(r"[A-ZÅÄÖ][a-zåäö]+(?:ens|ets)", w) is not None)  # "Valnämndens ordförande"
            or ((w.islower() or (i == 0 and w[1:].islower())) and _ADJECTIVE.search(w) is not None)
            or _ORGAN.match(w) is not None  # "regionstyrelsen ordförande"
            for i, w in enumerate(words[:first])
        )
    ):
        return None
    while first > 0 and words[0].lower() in _NEW:
        words, first = words[1:], first - 1  # "ny kulturchef": new in the post, not part of its title
    title = " ".join(w.lower() if i <= first or w[0].isupper() is False else w for i, w in enumerate(words))
    title = re.sub(r"\bt\.?\s?f\.?(?=\s)", "t f", title)
    acting = any(w.lower() in _sets()[5] for w in words[:first]) or title.startswith("t f ")
    return title.strip(" ,."), acting
