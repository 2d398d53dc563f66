"""Events, shared parts: the Event record, the lexicon's event nouns and their lemmas, dates of a mention."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from kg.extract.dates import DateMention
from kg.extract.scan import StemScan
from kg.extract.text import LOWER, UPPER
from kg.gazetteer import load


@dataclass(eq=False)
class Event:
    name: str
    begin: int
    end: int
    series: str | None = None  # a named, recurring event ("Forum Jämställdhet")
    start: datetime.date | datetime.datetime | None = None
    end_date: datetime.date | datetime.datetime | None = None
    places: list[tuple[str, int, int]] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)
    main: bool = False
    head: str = ""  # the event noun ("konferens", "stormöte")


def event_lexicon() -> dict:
    return load().lexicon


_HEADS: list[str] | None = None


def event_heads() -> list[str]:
    """The event nouns, longest first (computed once: `lemma` asks for them on every call)."""
    global _HEADS
    if _HEADS is None:
        _HEADS = sorted(set(event_lexicon()["event_common_nouns"]), key=len, reverse=True)
    return _HEADS


_GENERIC: re.Pattern | None = None


def _generic_re() -> re.Pattern:
    """Event nouns and their compounds, any inflection: 'Länskonferensen', 'stormöte', 'remisskonferenser'."""
    global _GENERIC
    if _GENERIC is None:
        stems = "|".join(map(re.escape, event_heads()))
        _GENERIC = re.compile(
            rf"(?<![\w-])(?P<w>[\w{LOWER}{UPPER}-]*?(?:{stems})(?:en|et|n|t|er|erna|ar|arna|na|ier|ierna)?)(?![\w{LOWER}])",
            re.IGNORECASE,
        )
    return _GENERIC


_GENERIC_SCAN: StemScan | None = None


def generic_matches(text: str, begin: int = 0, end: int | None = None) -> list[re.Match[str]]:
    """`_generic_re()` matches in text[begin:end], the pattern tried only where an event noun occurs."""
    global _GENERIC_SCAN
    if _GENERIC_SCAN is None:
        _GENERIC_SCAN = StemScan(event_heads(), _generic_re())
    return _GENERIC_SCAN.finditer(text, begin, end)


def lemma(word: str) -> str | None:
    """The indefinite singular of an event noun or compound: 'remisskonferenserna' -> 'remisskonferens'."""
    w = word.lower()
    for head in event_heads():
        idx = w.rfind(head)
        if head == "seminarium" and re.search(r"seminari(et|er|erna)$", w):
            return w[: w.rfind("seminari")] + "seminarium"
        if idx >= 0 and w[idx + len(head) :] in {
            "",
            "en",
            "et",
            "n",
            "t",
            "er",
            "erna",
            "ar",
            "arna",
            "na",
            "ier",
            "ierna",
        }:
            if head == "seminarium" or w[idx + len(head) :] in {"ier", "ierna"}:
                return w[:idx] + "seminarium"
            return w[: idx + len(head)]
    return None


def start_of(d: DateMention):
    if d.start and d.start_time:
        return datetime.datetime.combine(d.start, d.start_time)
    return d.start


def end_of(d: DateMention):
    end = d.end_date or d.start
    if end and d.end_time:
        return datetime.datetime.combine(end, d.end_time)
    return end


def day_of(d) -> str:
    return str(d)[:10] if d else ""
