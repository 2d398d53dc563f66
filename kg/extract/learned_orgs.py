"""Organisation names no list or pattern knows, found by a trained span classifier.

Candidates are runs of capitalised words (with the small words that join a name, "Statens
maritima museer", "Act of Emotion") inside one sentence; each is scored by a logistic model over
sparse features of its words, their shapes and endings, and the words around it. The model is
trained offline from the annotated real releases in tests/data/real (`python -m kg.train`)
and ships as kg/data/org_model.json; nothing is downloaded or trained at run time.
"""

from __future__ import annotations

import bisect
import json
import math
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import NamedTuple

from kg.extract.roles import role_head
from kg.extract.text import LOWER, UPPER
from kg.gazetteer import is_place, load

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "org_model.json"
MAX_WORDS = 6
_LONGEST_HEAD = 40  # letters; longer lower-case heads are not looked for

_TOKEN = re.compile(rf"[\w{UPPER}{LOWER}]+(?:[-:&'’.][\w{UPPER}{LOWER}]+)*|[&]|[^\s\w]", re.UNICODE)
_JOINERS = frozenset({"för", "i", "och", "av", "de", "&", "of", "the", "and", "på", "mot", "till", "med", "om"})
_SENTENCE_END = frozenset({".", "!", "?", ":", ";", "–", "—"})
_PREPOSITIONS = frozenset({"i", "för", "på", "vid", "hos", "från", "inom"})


class Candidate(NamedTuple):
    begin: int
    end: int
    first: int  # index of its first token
    last: int  # index of its last token (inclusive)


class Tokens:
    """The words and punctuation of a text, as parallel lists (one regular-expression pass)."""

    __slots__ = ("spans", "text", "words")

    def __init__(self, text: str) -> None:
        matches = list(_TOKEN.finditer(text))
        self.text = text
        self.words = [m.group() for m in matches]
        self.spans = [m.span() for m in matches]

    def starts_sentence(self, i: int) -> bool:
        """Whether token i begins a sentence: the first, after a full stop or a dash, or after a line break."""
        if i == 0 or self.words[i - 1] in _SENTENCE_END:
            return True
        return self.text.find("\n", self.spans[i - 1][1], self.spans[i][0]) != -1

    def lower_words(self) -> frozenset[str]:
        """The words the text writes in lower case."""
        return frozenset(w for w in self.words if w[0].islower())


def _capitalised(tok: str) -> bool:
    return tok[0].isupper() or (tok[0].isdigit() and any(c.isupper() for c in tok))


def candidates(toks: Tokens, heads: frozenset[str], blocked: frozenset[int] = frozenset()) -> Iterator[Candidate]:
    """Spans that begin with a capitalised word and end with a capitalised word or one of the
    lower-case `heads` of names, at most MAX_WORDS long, inside a sentence, without punctuation,
    and holding none of the `blocked` tokens."""
    words, spans = toks.words, toks.spans
    n = len(words)
    given = _given_names()
    for i in range(n):
        if i in blocked or not _capitalised(words[i]):
            continue
        person = words[i] in given  # "Anna Berg" is a person's name, "Anna Lindhs minnesfond" may be a body
        for j in range(i, min(n, i + MAX_WORDS)):
            word = words[j]
            if j in blocked or (j > i and (not (word[0].isalnum() or word == "&") or toks.starts_sentence(j))):
                break
            low = word.lower()
            if _event_word(low):
                break  # "Forum Jämställdhet", "Almedalsveckan": events are the rules' to name
            ends_name = _capitalised(word) or (j > i and _head_ending(low, heads))
            if j == i and (low in _generic_words() or low.removesuffix("s") in _generic_words()):
                continue  # "Styrelsen har utsett …": the noun alone names no body; the rules resolve it
            if ends_name and low not in _JOINERS and not (person and j - i < 2):
                yield Candidate(spans[i][0], spans[j][1], i, j)


def _head_ending(low: str, heads: frozenset[str]) -> bool:
    """Whether `low` ends in one of `heads` ("riksförbundet" in "förbund"…): a look-up per suffix length."""
    return any(low[k:] in heads for k in range(max(0, len(low) - _LONGEST_HEAD), len(low) - 3))


def _shape(tok: str) -> str:
    if tok.isupper() and len(tok) > 1:
        return "X"
    if tok[0].isupper():
        return "Xx"
    if tok[0].isdigit():
        return "9"
    return "x"


def features(toks: Tokens, c: Candidate, lower_words: frozenset[str] = frozenset()) -> list[str]:
    """The candidate's features; `lower_words` are the words the text also writes in lower case."""
    words = toks.words[c.first : c.last + 1]
    low = [w.lower() for w in words]
    last = low[-1].removesuffix(":s")
    feats = ["bias", f"n={min(len(words), 4)}", "shape=" + "".join(_shape(w) for w in words[:4])]
    feats += ["w=" + w for w in low]
    feats += [f"first={low[0]}", f"last={last}"]
    for k in (3, 4, 5, 6):
        if len(last) > k:
            feats.append(f"suf{k}={last[-k:]}")
    if len(words) == 1:
        feats.append(f"only={low[0]}")
    if toks.starts_sentence(c.first):
        feats.append("sent_start")
        feats.append("sent_start_n=" + str(min(len(words), 3)))
    all_words = toks.words
    before = all_words[c.first - 1].lower() if c.first > 0 else "<s>"
    before2 = all_words[c.first - 2].lower() if c.first > 1 else "<s>"
    after = all_words[c.last + 1].lower() if c.last + 1 < len(all_words) else "</s>"
    feats += [f"prev={before}", f"prev2={before2} {before}", f"next={after}"]
    if len(before) > 4:
        feats.append(f"prev_suf={before[-4:]}")
    if before in _PREPOSITIONS and c.first > 1 and role_head(all_words[c.first - 2].lower()):
        feats.append("after_title_prep")  # "vd för X", "ordförande i X", "kommunikatör på X"
        feats.append(f"after_title_prep={before}")
    next_shape = _shape(all_words[c.last + 1]) if c.last + 1 < len(all_words) else "</s>"
    feats.append(f"next_shape={next_shape}")
    if words[-1].endswith(("s", ":s")) and len(words[-1]) > 3:
        feats.append("genitive_end")
        feats.append(f"genitive_end&next_shape={next_shape}")
    if low[0] in lower_words:
        feats.append("first_also_lower" + ("_only" if len(words) == 1 else ""))
    if last in lower_words and len(words) > 1:
        feats.append("last_also_lower")
    span = " ".join(words).removesuffix(":s")
    if is_place(span) or is_place(span.removesuffix("s")):
        feats.append("place")
    g = _given_names()
    if words[0] in g:
        feats.append("given_first")
        if len(words) == 2 and _capitalised(words[1]):
            feats.append("given_then_cap")
    return feats


def probability(feats: list[str], weights: dict[str, float]) -> float:
    z = sum(weights.get(f, 0.0) for f in feats)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def find(text: str, taken: list[tuple[int, int]] = (), model: dict | None = None) -> list[tuple[int, int, float]]:
    """(begin, end, probability) of the names the model takes for organisations: the most probable
    among overlapping ones, none overlapping `taken`."""
    model = model or _model()
    toks = Tokens(text)
    threshold, weights = model["threshold"], model["weights"]
    scored = []
    lower = toks.lower_words()
    blocked = _overlapping(toks, taken)
    for c in candidates(toks, model["lower_heads"], blocked):
        if _town(toks.words[c.first : c.last + 1]):
            continue  # "Katrineholm plockar placeringar": a town is its municipality, the rules' to resolve
        p = probability(features(toks, c, lower), weights)
        if p >= threshold:
            scored.append((p, c.end - c.begin, c.begin, c.end))
    chosen: list[tuple[int, int, float]] = []
    for p, _, b, e in sorted(scored, reverse=True):
        if all(e <= cb or ce <= b for cb, ce, _ in chosen):
            chosen.append((b, e, p))
    return sorted(chosen)


def _overlapping(toks: Tokens, spans: list[tuple[int, int]]) -> frozenset[int]:
    """The indexes of the tokens that overlap any of `spans`."""
    if not spans:
        return frozenset()
    tok_spans = toks.spans
    out = set()
    for b, e in spans:
        i = max(0, bisect.bisect_right(tok_spans, (b, b)) - 1)
        while i < len(tok_spans) and tok_spans[i][0] < e:
            if tok_spans[i][1] > b:
                out.add(i)
            i += 1
    return frozenset(out)


@cache
def _model() -> dict:
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    data["lower_heads"] = frozenset(data["lower_heads"])
    return data


def _event_word(low: str) -> bool:
    heads, suffixes = _event_words()
    return low in heads or low.endswith(suffixes)


@cache
def _event_words() -> tuple[frozenset[str], tuple[str, ...]]:
    lex = load().lexicon
    suffixes = tuple(s for s in lex["event_compound_suffixes"] if len(s) > 4 and s != "dagen")  # "Riksdagen"
    return frozenset(lex["event_heads"]), suffixes


def _town(words: list[str]) -> bool:
    name = " ".join(words)
    towns = load().towns
    return name in towns or name.removesuffix("s") in towns or name.removesuffix(":s") in towns


@cache
def _generic_words() -> frozenset[str]:
    """Nouns that name a body only through the text around them ('Styrelsen', 'Förbundet', 'Kommunen')."""
    lex = load().lexicon
    keys = ("anaphoric_body_nouns", "generic_org_words", "org_heads_suffix", "unit_suffixes")
    return frozenset(w.lower() for k in keys for w in lex[k])


@cache
def _given_names() -> frozenset[str]:
    return frozenset(load().given_names)
