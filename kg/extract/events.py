"""Events: named conferences and series, generic meetings and ceremonies, their dates and places."""

from __future__ import annotations

import bisect
import datetime
import re
from dataclasses import dataclass, field
from functools import cache

from kg.extract.dates import DateMention, month_names
from kg.extract.scan import StemScan, literal_starts, starts_within
from kg.extract.spans import SpanSet
from kg.extract.text import CAP, LOWER, UPPER, Segment, proper_name_at
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


def _lex() -> dict:
    return load().lexicon


_HEADS: list[str] | None = None


def _heads() -> list[str]:
    """The event nouns, longest first (computed once: `lemma` asks for them on every call)."""
    global _HEADS
    if _HEADS is None:
        _HEADS = sorted(set(_lex()["event_common_nouns"]), key=len, reverse=True)
    return _HEADS


_GENERIC: re.Pattern | None = None


def _generic_re() -> re.Pattern:
    """Event nouns and their compounds, any inflection: 'Länskonferensen', 'stormöte', 'remisskonferenser'."""
    global _GENERIC
    if _GENERIC is None:
        stems = "|".join(map(re.escape, _heads()))
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
        _GENERIC_SCAN = StemScan(_heads(), _generic_re())
    return _GENERIC_SCAN.finditer(text, begin, end)


def lemma(word: str) -> str | None:
    """The indefinite singular of an event noun or compound: 'remisskonferenserna' -> 'remisskonferens'."""
    w = word.lower()
    for head in _heads():
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
    "kampanjen|temadagen|webbinariet|veckan|kongressen|forumet|dagen|träffen"
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
            span = proper_name_at(text, pos)
            if not span:
                continue
            b, e = span
            town = _TOWN_TAIL.search(text[b:e])
            if town and town.group(1) in g.towns:  # "konferensen Jämställd vård i Karlstad": the place
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
                and lemma(name) in _lex()["event_common_nouns"]
                and not re.search(rf"[{LOWER},] {re.escape(name)}\b", text)
            ):
                continue  # "Jobbmässan i Kupolen blir …": a common noun that starts a sentence
            if name.split()[0] in _lex()["non_event_capitalised"] or name.split()[0] in {"Den", "Det", "Vi"}:
                continue
            out.append((m.start(g), m.start(g) + len(name), name, "event"))
    for rx, hints in zip(_award_res(), _AWARD_HINTS, strict=True):
        if not any(h in text for h in hints):
            continue
        for m in rx.finditer(text):
            g = "n" if "n" in rx.groupindex else 0
            name = m.group(g).strip()
            if g == "n":
                near = text[max(0, m.start() - 80) : m.end() + 80].lower()
                if not any(w in near for w in _lex()["award_words"] + ["delas ut", "delades ut", "utdelning"]):
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


def _sentence_initial(text: str, pos: int) -> bool:
    before = text[max(0, pos - 3) : pos]
    return pos == 0 or before.endswith("\n") or re.search(r"[.!?:]\s+$", before) is not None


def _canonical(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip(' ,.:”"')


@cache
def _place_words() -> str:
    """A place's name: capitalised words, then lower-case venue words ('Måndalens förskola')."""
    venues = "|".join(_lex()["place_venue_suffixes"])
    return (
        rf"(?:{CAP}|[{UPPER}]{{2,}}-[{LOWER}]+|[{UPPER}]{{2,}})"
        rf"(?:[\s-](?:{CAP}|[{UPPER}]{{2,}}|[{LOWER}]*(?:{venues})(?:en|et|n|na)?(?![\w{LOWER}])))*"
    )


@cache
def _place_name() -> re.Pattern:
    return re.compile(_place_words())


@cache
def _place_prep() -> re.Pattern:
    """'i Folkets hus', 'på Länsstyrelsens innergård', 'vid Söndrums idrottsplats', 'i stadshuset'."""
    venues = "|".join(_lex()["place_venue_suffixes"])
    words = _place_words()
    lower = "|".join(_lex()["place_lower_venues"])
    room = rf"[{LOWER}]+s\s[{LOWER}]*(?:{venues})(?:en|et|n|na)?(?![\w{LOWER}])"  # "kommunstyrelsens sammanträdesrum"
    named_room = rf"[{LOWER}]*(?:rum|rummet|sal|salen|lokal|lokalen)\s{CAP}"  # "konferensrum Trumpeten"
    return re.compile(
        rf"(?<![\w-])(?:[Ii]|[Pp]å|till|vid|från|utanför|framför|[Uu]te\s+på)\s+"
        rf"(?P<p>{words}(?:\soch\s{words})?|{lower}|{room}|{named_room})"
    )


_MONTHS = {m.capitalize() for m in month_names()}
_AND = re.compile(r"\s(?:och)\s")
_TOWN_AFTER = re.compile(r"(?:,\s*[A-ZÅÄÖ][\wåäö]+\s\d+[A-Za-z]?)?,\s*(?P<t>[A-ZÅÄÖ][\wåäö-]+)")


def places_in(text: str, b: int, e: int, exclude: list[tuple[int, int]]) -> list[tuple[str, int, int]]:
    """Places and venues in text[b:e] after i/på/till/vid: towns, venues, foreign places."""
    months = _MONTHS
    out = []
    excluded = exclude if isinstance(exclude, SpanSet) else SpanSet(exclude)
    for m in _place_prep().finditer(text, b, e):
        name = m.group("p").strip()
        pb = m.start("p")
        owned = re.fullmatch(rf"\S+s\s[{LOWER}]+", name) is not None  # "Länsstyrelsens innergård"
        if excluded.overlaps(pb, pb + len(name)) and not owned:
            continue
        first = name.split()[0]
        if (
            first in months
            or first in {"Sverige", "Sveriges", "Norden", "Europa", "Forum", "Fokus", "SKL", "SKR"}
            or (name in load().counties and name not in load().towns)
        ):
            continue
        # "i Folkets hus i Stockholm": both the venue and the town
        for part in _AND.split(name):
            if part.split()[0] not in months:
                out.append((part, pb, pb + len(part)))
            pb += len(part) + 5
        town = _TOWN_AFTER.match(text[m.end("p") : e])
        if town and town.group("t") in load().towns:  # "i Folkets hus, Umeå", "i ABF-huset, Sveavägen 41, Stockholm"
            tb = m.end("p") + town.start("t")
            out.append((town.group("t"), tb, tb + len(town.group("t"))))
    return out


_INAUGURATED = re.compile(
    r"(?:[Ii]nvigning(?:en)?\s+av|[Åå]terinvigning(?:en)?\s+av|(?:åter)?invig(?:a|er|s|des|t)|(?:åter)?invigd)"
    r"\s+(?:(?:den|det|de)\s+)?(?:(?:nya|nyrenoverade|renoverade|gamla)\s+)?"
)


_OWNED_THING = re.compile(r"\s(?:(?:nya|gamla|egna|första)\s)?(?!(?:och|samt|i|på|med|av)\b)[a-zåäö]+")


def _inaugurated(text: str, s: Segment, places: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """'Invigning av Måndalens förskola', 'återinvigs Gamla Svinesundsbron': what is opened is the place."""
    out = []
    place = _place_name()
    for m in _INAUGURATED.finditer(text, s.begin, s.end):
        found = place.match(text, m.end(), s.end)
        if not found:
            continue
        end = found.end()
        if text.startswith(":s", end):
            end += 2  # "EU:s monter"
        elif re.match(r"[\w-]", text[end : end + 1]):
            continue  # "ST1s nya bioraffinaderi": not a name the pattern can read
        owner = _OWNED_THING.match(text, end, s.end) if text[m.end() : end].endswith("s") else None
        if owner:
            end = owner.end()  # "invigningen av Fritidsbankens nya lokaler", "av EU:s monter"
        elif text[m.end() : end].endswith("s") and re.match(r"\s[a-zåäö]", text[end : end + 2]):
            continue
        name = text[m.end() : end]
        if name.split()[0] not in _MONTHS and not any(name in p[0] or p[0] in name for p in places + out):
            out.append((name, m.end(), end))
    return out


def _span_ok(pos: int, spans: list[tuple[int, int]] | SpanSet) -> bool:
    return not (spans if isinstance(spans, SpanSet) else SpanSet(spans)).contains(pos)


_WORD_RES: tuple[re.Pattern, re.Pattern, re.Pattern] | None = None


def _word_res() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """Registration words, award hand-over phrases, inauguration verbs."""
    global _WORD_RES
    if _WORD_RES is None:
        lex = _lex()
        _WORD_RES = tuple(  # type: ignore[assignment]
            re.compile(r"\b(?:" + "|".join(map(re.escape, lex[key])) + r")\b", re.IGNORECASE)
            for key in ("registration_words", "award_handover", "inauguration_verbs")
        )
    return _WORD_RES


def find_events(
    text: str,
    sents: list[Segment],
    dates: list[DateMention],
    title: Segment | None,
    exclude: list[tuple[int, int]],
    lead_end: int = 0,
) -> tuple[list[Event], list[tuple[int, int, str]], list[tuple[int, int, str]]]:
    """Events with dates and places, plus named series/awards mentions: (events, series, awards)."""
    named = find_named(text)
    series_mentions = [(b, e, _canonical(n)) for b, e, n, k in named if k == "event"]
    award_mentions = [(b, e, _canonical(n)) for b, e, n, k in named if k == "award"]
    named_spans = [(b, e) for b, e, _n, _k in named]
    aliases = _aliases(text, series_mentions)
    events: list[Event] = []
    main = _main_name(text, title, series_mentions, award_mentions, lead_end)
    last_event: Event | None = None
    block = _time_place_block(text, dates)
    registration, handover, inauguration = _word_res()
    registration_at = literal_starts(text, _lex()["registration_words"])  # None: search every sentence
    not_places = SpanSet(exclude + named_spans)
    dates = sorted(dates, key=lambda d: d.begin)
    date_begins = [d.begin for d in dates]
    named_set = SpanSet(named_spans)
    for s in sents:
        s_dates = dates[bisect.bisect_left(date_begins, s.begin) : bisect.bisect_left(date_begins, s.end)]
        if (
            (registration_at is None or starts_within(registration_at, s.begin, s.end))
            and registration.search(s.text)
            and _deadline(text, s, s_dates, registration)
        ):
            continue  # "Sista dag för anmälan är den 20 september": a deadline, not the event
        named_here = [x for x in series_mentions if s.begin <= x[0] < s.end]
        generic_here = [
            m
            for m in generic_matches(text, s.begin, s.end)
            if _span_ok(m.start(), named_set)
            and lemma(m.group("w"))
            and not m.group("w").lower().startswith(_false_friends())
            and not any(part in m.group("w").lower() for part in _lex()["event_false_friend_parts"])
        ]
        # an indefinite noun introduces a new event; a definite one usually points back
        generic_here.sort(key=lambda m: _is_definite(m.group("w")))
        awards_here = [a for a in award_mentions if s.begin <= a[0] < s.end]
        list_items = _list_items(text, s, s_dates, generic_here)
        if list_items:
            events += list_items
            continue
        places = places_in(text, s.begin, s.end, not_places)
        target = None
        in_title = title is not None and title.begin <= s.begin < title.end
        if named_here:
            b, e, name = named_here[0]
            noun = re.search(r"([\w-]+)\s+[”\"«]?$", text[max(0, b - 40) : b])
            if noun and lemma(noun.group(1)):  # 'seminariet ”Våld i nära relationer”': a one-off
                target = Event(name, b, e, head=lemma(noun.group(1)))
            else:
                target = Event(name, b, e, series=name)
        elif generic_here:
            m = generic_here[0]
            word = m.group("w")
            lem = lemma(word)
            definite = re.search(r"(en|et|n|t)$", word.lower()) is not None and not lem.endswith(word.lower())
            plural = re.search(r"(er|erna|ar|arna|ier|ierna)$", word.lower()) is not None
            series = aliases.get(lem)
            award = (
                awards_here[0]
                if awards_here
                else (
                    award_mentions[0]
                    if award_mentions and lem in {"prisutdelning", "ceremoni", "utdelning", "gala"}
                    else None
                )
            )
            earlier_ones = [
                ev
                for ev in reversed(events)
                if ev.head
                and ev.head.endswith(lem)
                and (not s_dates or ev.start is None or _day(ev.start) == _day(_start(s_dates[0])))
            ]
            here = {p[0] for p in places}
            earlier = next((ev for ev in earlier_ones if here & {p[0] for p in ev.places}), None) or next(
                iter(earlier_ones), None
            )  # "mötet i Bukarest": the earlier meeting in Bukarest, not the last one named
            if in_title and main:
                target = Event(main[0], m.start(), m.end(), series=main[1], head=lem)
            elif series:
                target = Event(series, m.start(), m.end(), series=series, head=lem)
            elif award:
                target = Event(award[2], m.start(), m.end(), head=lem)
            elif earlier is not None and (definite or earlier.head == lem):  # "mötet" after "ett första stormöte"
                target = Event(earlier.name, m.start(), m.end(), series=earlier.series, head=earlier.head)
            elif definite and main and (word[0].isupper() or s_dates or places) and _may_be_main(main, lem):
                target = Event(main[0], m.start(), m.end(), series=main[1], head=lem)  # "Konferensen hålls …"
            elif plural and len(places) > 1 and s_dates:
                for p in places:
                    events.append(
                        Event(
                            lem.capitalize(),
                            m.start(),
                            m.end(),
                            start=_start(s_dates[0]),
                            end_date=_end(s_dates[0]),
                            places=[p],
                            spans=[(m.start(), m.end())],
                            head=lem,
                        )
                    )
                continue
            elif plural:
                continue
            else:
                target = Event(lem.capitalize(), m.start(), m.end(), head=lem)
        elif s_dates and (awards_here or (award_mentions and handover.search(s.text))):
            b, e, name = (awards_here or award_mentions)[0]  # "Priset delas ut … den 13 juni i Stadshuset"
            target = Event(name, b, e, head="prisutdelning")
            if not awards_here:
                target.begin, target.end = s.begin, s.end
        elif s_dates and inauguration.search(s.text):
            im = inauguration.search(s.text)
            target = Event("Invigning", s.begin + im.start(), s.begin + im.end(), head="invigning")
        elif last_event and _continues(last_event, s, text, bool(s_dates), bool(places)):
            target = Event(last_event.name, s.begin, s.end, series=last_event.series, head=last_event.head)
        if target is None:
            continue
        if s_dates:
            target.start, target.end_date = _start(s_dates[0]), _end(s_dates[0])
        target.places = places
        if target.head == "invigning":
            target.places += _inaugurated(text, s, places)
        target.spans = [(target.begin, target.end)]
        events.append(target)
        last_event = target
    one_offs = {n.lower() for _b, _e, n, _h in named_after_noun(text)}
    for ev in events:  # 'konferensen Jämställdhet i praktiken' names one conference, not a series
        if ev.series and ev.series.lower() in one_offs:
            ev.series = None
    _upgrade_main(events, main)
    if block and main and not any(e.name.lower() == main[0].lower() for e in events):
        events.append(
            Event(
                main[0],
                block[1][1] if block[1] else 0,
                block[1][2] if block[1] else 0,
                series=main[1],
                spans=[],
            )
        )
    if block and events:
        _apply_block(events, block, main)
    _address_lines(text, events)
    merged = _merge(events, main)
    lead = [s for s in sents if s.begin < max(lead_end, title.end if title else 0)]

    def headline_or_lead(ev: Event) -> bool:  # the occasion the release is about, dated or not
        return any(s.begin <= b < s.end for b, _e in ev.spans for s in lead) and ev.head not in _minor_heads()

    kept = [e for e in merged if e.start or e.places or e.main or headline_or_lead(e)]
    return kept, series_mentions, award_mentions


def _may_be_main(main: list, lem: str) -> bool:
    """'Konferensen hålls …' refers to the named main event; 'Natotoppmötet' is not a main event named
    only by another kind ('Utrikesministermöte')."""
    kind = lemma(main[0]) if main[1] is None and " " not in main[0] else None
    return kind is None or kind == lem


def _deadline(text: str, s: Segment, s_dates: list[DateMention], registration: re.Pattern) -> bool:
    """A registration word shortly before the sentence's date ('Anmälan senast den 20 september'), or a
    sentence with no date at all; not 'ansökan' far from 'den 29–30 november'."""
    if not s_dates:
        return True
    return any(registration.search(text, max(s.begin, d.begin - 60), d.begin) for d in s_dates)


def _false_friends() -> tuple[str, ...]:
    return tuple(_lex()["event_noun_verb_forms"])


def _minor_heads() -> frozenset[str]:
    """Event nouns too common to make an event on their own without a date or a place."""
    return frozenset({"samtal", "middag", "möte", "utbildning", "kurs", "dag", "träff", "kampanj", "debatt", "forum"})


def _upgrade_main(events: list[Event], main) -> None:
    """A generic main event ('konferens') takes the more specific name used later ('kvinnofridskonferens')."""
    if not main or main[1]:
        return
    head = main[0].lower()
    better = next(
        (
            e.name
            for e in events
            if e.name.lower() != head
            and not e.series
            and (e.name.lower().endswith(head) or (e.head == head and e.name[:1].isupper() and " " in e.name))
        ),
        None,
    )
    if better:
        for e in events:
            if e.name == main[0] or e.name == better:
                e.name = better
        main[0] = better


def _is_definite(word: str) -> bool:
    lem = lemma(word) or word.lower()
    return not lem.endswith(word.lower()) and re.search(r"(en|et|n|t|na)$", word.lower()) is not None


def _start(d: DateMention):
    if d.start and d.start_time:
        return datetime.datetime.combine(d.start, d.start_time)
    return d.start


def _end(d: DateMention):
    end = d.end_date or d.start
    if end and d.end_time:
        return datetime.datetime.combine(end, d.end_time)
    return end


def _follows(ev: Event, s: Segment, text: str) -> bool:
    """A dated sentence right after an event sentence continues it ('Året därefter, 2–3 februari …')."""
    return 0 <= s.begin - ev.end <= 250 and "\n\n" not in text[ev.end : s.begin].strip("\n")


def _continues(ev: Event, s: Segment, text: str, dated: bool, placed: bool) -> bool:
    """A sentence without an event noun that goes on about the last event: its date or its place."""
    if dated:
        return _follows(ev, s, text) or _invites(ev, s)
    return placed and _held_at(ev, s)


_HELD = re.compile(r"\b(?:hålls|äger rum|sker|genomförs|går av stapeln|arrangeras)\b")


def _held_at(ev: Event, s: Segment) -> bool:
    """'Invigningscermonin hålls utanför Segelsällskapets lokaler' (a noun the rules do not know) after the
    sentence that dated the inauguration: the place is the event's."""
    return 0 <= s.begin - ev.end <= 600 and _HELD.search(s.text) is not None


_INVITATION = re.compile(r"\b(?:välkomna|välkommen|hälsas välkomna|bjuds in|inbjudna)\b", re.IGNORECASE)


def _invites(ev: Event, s: Segment) -> bool:
    """'Massmedias representanter är välkomna … fredag 28 augusti kl 11:00 i konferensrum Trumpeten' after
    'Inbjudan till presskonferens': the invitation's date and place are the event's."""
    return 0 <= s.begin - ev.end <= 1500 and _INVITATION.search(s.text) is not None


def _aliases(text: str, series: list[tuple[int, int, str]]) -> dict[str, str]:
    """'Forum Jämställdhet är Sveriges största jämställdhetskonferens': the noun names the series."""
    out: dict[str, str] = {}
    for b, e, name in series:
        after = text[e : e + 120]
        before = text[max(0, b - 120) : b]
        m = re.match(r"\s(?:är|blir|,)\s(?P<ws>(?:[\w-]+\s?){1,6})", after)
        words = m.group("ws").split() if m else []
        for cand in words + re.findall(r"([\w-]+),?\s*$", before):
            lem = lemma(cand)
            if lem:
                out.setdefault(lem, name)
    return out


_WHEN_TAIL = re.compile(
    r"\s+(?=(?:(?:[Mm]ån|[Tt]is|[Oo]ns|[Tt]ors|[Ff]re|[Ll]ör|[Ss]ön)dag(?:en)?\b|den\s+\d|\d{1,2}\s+[a-zåäö]{3,}|"
    r"kl(?:ockan|\.)?\s*\d|\d{4}-\d{2}-\d{2}))"
)


def _main_name(text, title, series, awards, lead_end: int) -> list | None:
    """The event the release is about: named in the title or the lead, or the invitation's title."""
    if title:
        for b, _e, name in series:
            if title.begin <= b < title.end:
                return [name, name]
        m = re.match(r"(?:Pressinbjudan|Inbjudan|Välkommen)(?:\s+till)?\s*:?\s*(?P<n>.+)$", title.text)
        if m:  # "Pressinbjudan: Invigning Sport- och fritidsbiblioteket torsdag 17 januari klockan 14"
            return [_canonical(_WHEN_TAIL.split(m.group("n"), maxsplit=1)[0].rstrip(" ,–-")), None]
    for b, _e, name in series:
        if b < lead_end:
            return [name, name]
    if title:
        for b, _e, name in awards:
            if title.begin <= b < title.end:
                return [name, None]
        for m in generic_matches(title.text):
            lem = lemma(m.group("w"))
            if lem:
                return [lem.capitalize(), None]
    return None


def _list_items(text, s: Segment, s_dates, generic_here) -> list[Event]:
    """A bullet line with a date and a place under a sentence naming the event ('* on 11 april i Örebro')."""
    if not s_dates or generic_here or not re.match(r"[*•·\-–]\s", s.text):
        return []
    intro = text[max(0, s.begin - 400) : s.begin]
    nouns = [lemma(m.group("w")) for m in generic_matches(intro) if lemma(m.group("w"))]
    if not nouns:
        return []
    places = places_in(text, s.begin, s.end, [])
    d = s_dates[0]
    after = re.match(r"\s*[,:–—-]\s*(?P<p>[A-ZÅÄÖ][^\n]+)", text[d.end : s.end])
    if not places and after:  # "• 12 mars – Borås, Textile Fashion Center"
        pb = d.end + after.start("p")
        label = after.group("p").strip().rstrip(".")
        places = [(label, pb, pb + len(label))]
    return [
        Event(
            nouns[-1].capitalize(),
            s.begin,
            s.end,
            start=_start(d),
            end_date=_end(d),
            places=places[:1],
            spans=[(s.begin, s.end)],
            head=nouns[-1],
        )
    ]


_ADDRESS_LINES = re.compile(
    r"(?m)^(?P<t>[^\n]*\d[^\n]*)\n(?P<v>[A-ZÅÄÖ][^\n.:!?]{2,50})\n"
    r"(?P<a>[A-ZÅÄÖ][\w .-]*\s\d+\s?[A-Za-z]?(?:,\s*(?P<town>[A-ZÅÄÖ][\wåäö-]+))?)[ \t]*$"
)


def _address_lines(text: str, events: list[Event]) -> None:
    """'PRESSVISNING: Torsdag 2/10 klockan 10.00 / Kristinehamns konstmuseum / Dr Enwalls väg 13 C,
    Kristinehamn': a venue and its street address on the lines under an event's date line."""
    if "\n" not in text:
        return
    for m in _ADDRESS_LINES.finditer(text):
        on_line = [e for e in events if any(m.start("t") <= b < m.end("t") for b, _e in e.spans)]
        for ev in on_line:
            if not ev.places:
                ev.places = [(m.group("v").strip(), m.start("v"), m.end("v"))]
                town = m.group("town")
                if town and town in load().towns:
                    ev.places.append((town, m.start("town"), m.end("town")))


_TIME_LINE = re.compile(r"(?:^|\n|\s)(?:Tid|När|Datum|Dag)\s*:\s*(?P<t>[^\n]*)")
_PLACE_LINE = re.compile(r"(?:^|\n|\s)(?:Plats|Var|Lokal)\s*:\s*(?P<p>[^\n]*?)(?=\s*(?:\n|$))")


def _time_place_block(text: str, dates: list[DateMention]):
    """'Tid: … Plats: …' or 'När: … Var: …' lines describe the main event."""
    if ":" not in text:
        return None  # both lines need a colon
    tm = None
    for found in _TIME_LINE.finditer(text) if re.search(r"Tid|När|Datum|Dag", text) else ():
        tm = tm or found
        if any(found.start("t") <= d.begin < found.end("t") for d in dates):
            tm = found  # "Dag: onsdag den 9 januari" after an undated "Tid: 8.30"
            break
    pm = _PLACE_LINE.search(text) if "Plats" in text or "Var" in text or "Lokal" in text else None
    if not tm and not pm:
        return None
    date = next((d for d in dates if tm and tm.start("t") <= d.begin < tm.end("t")), None)
    place = None
    if pm:
        p = pm.group("p").strip().rstrip(".")
        p = re.split(r"\s(?:Tid|När)\s*:", p)[0]
        place = (p, pm.start("p"), pm.start("p") + len(p))
    return date, place


def _apply_block(events: list[Event], block, main) -> None:
    date, place = block
    target = (
        next((e for e in events if main and e.name == main[0]), None)
        or next((e for e in events if e.main), None)
        or events[0]
    )
    if date and not target.start:
        target.start, target.end_date = _start(date), _end(date)
    if place and not any(place[0] in p[0] or p[0] in place[0] for p in target.places):
        target.places = [place, *target.places]


def _merge(events: list[Event], main) -> list[Event]:
    """Mentions of the same event (same name and date, or an undated repeat) become one event."""
    out: list[Event] = []
    for ev in events:
        ev.main = bool(main) and ev.name.lower() == main[0].lower()
        kind_of_main = next(  # "Invigning" the same day as the main "Invigning Sport- och fritidsbiblioteket"
            (
                o
                for o in out
                if o.main
                and ev.head
                and o.name.lower().startswith(ev.name.lower() + " ")
                and (not ev.start or not o.start or _day(o.start) == _day(ev.start))
            ),
            None,
        )
        if kind_of_main is not None:
            kind_of_main.start = kind_of_main.start or ev.start
            kind_of_main.end_date = kind_of_main.end_date or ev.end_date
            kind_of_main.places += [p for p in ev.places if p[0] not in [q[0] for q in kind_of_main.places]]
            kind_of_main.spans += ev.spans
            continue
        same = next(
            (
                o
                for o in out
                if o.name.lower() == ev.name.lower()
                and (_day(o.start) == _day(ev.start) or not ev.start or not o.start)
                and (
                    ev.main
                    or not (o.places and ev.places and o.start is None and ev.start is None and not _overlap(o, ev))
                )
            ),
            None,
        )
        if same and (ev.start is None or same.start is None or _day(same.start) == _day(ev.start)):
            same.start = same.start or ev.start
            same.end_date = same.end_date or ev.end_date
            for p in ev.places:
                if p[0] not in [q[0] for q in same.places]:
                    same.places.append(p)
            same.spans += ev.spans
        else:
            out.append(ev)
    return out


def _day(d) -> str:
    return str(d)[:10] if d else ""


def _overlap(a: Event, b: Event) -> bool:
    return bool({p[0] for p in a.places} & {p[0] for p in b.places})
