"""Events: named conferences and series, generic meetings and ceremonies, their dates and places."""

from __future__ import annotations

import bisect
import re

from kg.extract.dates import DateMention
from kg.extract.event_names import canonical, find_named, named_after_noun
from kg.extract.event_naming import PRESS_INVITATION, headline_trip, main_name, named_by_headline, qualified, visit_of
from kg.extract.event_places import (
    address_lines,
    apply_block,
    inaugurated,
    places_in,
    time_place_block,
)
from kg.extract.event_words import Event, day_of, end_of, event_lexicon, generic_matches, lemma, start_of
from kg.extract.scan import literal_starts, starts_within
from kg.extract.spans import SpanSet
from kg.extract.text import Segment
from kg.gazetteer import load, word_set


def _town_of_compound(name: str) -> str | None:
    """The town an event compound names first ('Sävsjöbesök', 'Umeåkonferensen'), if any."""
    if not re.fullmatch(r"[A-ZÅÄÖ][a-zåäö]{5,}", name):
        return None
    towns = load().towns
    return next((name[:i] for i in range(3, len(name) - 3) if name[:i] in towns and lemma(name[i:])), None)


def _span_ok(pos: int, spans: list[tuple[int, int]] | SpanSet) -> bool:
    return not (spans if isinstance(spans, SpanSet) else SpanSet(spans)).contains(pos)


_WORD_RES: tuple[re.Pattern, re.Pattern, re.Pattern] | None = None


def _word_res() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """Registration words, award hand-over phrases, inauguration verbs."""
    global _WORD_RES
    if _WORD_RES is None:
        lex = event_lexicon()
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
    series_mentions = [(b, e, canonical(n)) for b, e, n, k in named if k == "event"]
    award_mentions = [(b, e, canonical(n)) for b, e, n, k in named if k == "award"]
    named_spans = [(b, e) for b, e, _n, _k in named]
    aliases = _aliases(text, series_mentions)
    events: list[Event] = []
    main = main_name(text, title, series_mentions, award_mentions, lead_end)
    last_event: Event | None = None
    block = time_place_block(text, dates)
    registration, handover, inauguration = _word_res()
    registration_at = literal_starts(text, event_lexicon()["registration_words"])  # None: search every sentence
    not_places = SpanSet(exclude + named_spans)
    org_starts = {b: e for b, e in exclude}
    dates = sorted(dates, key=lambda d: d.begin)
    date_begins = [d.begin for d in dates]
    named_set = SpanSet(named_spans)
    for s in sents:
        s_dates = dates[bisect.bisect_left(date_begins, s.begin) : bisect.bisect_left(date_begins, s.end)]
        s_dates = [
            d
            for d in s_dates
            if not _TERM_BEFORE.search(text, max(s.begin, d.begin - 40), d.begin)
            and not _DONE_BEFORE.search(text, max(s.begin, d.begin - 50), d.begin)
        ]
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
            and not any(part in m.group("w").lower() for part in event_lexicon()["event_false_friend_parts"])
            and not (m.group("w").lower().startswith("utdelning") and _SHARED_OUT.match(text, m.end()))
            and not (
                m.group("w") in word_set("activity_nouns")
                and not _DETERMINER.search(text, max(0, m.start() - 25), m.start())
            )
            and not (  # "innan samtalet har kommit fram": a call, unless a conversation was named before
                lemma(m.group("w")) in word_set("activity_nouns")
                and m.group("w").lower() != lemma(m.group("w"))
                and not any(e.head == lemma(m.group("w")) for e in events)
            )
            and not (
                m.group("w") == lemma(m.group("w")) and _PLURAL_BEFORE.search(text, max(0, m.start() - 30), m.start())
            )
            and not ("-" not in m.group("w") and _ENGLISH_BEFORE.search(text, max(0, m.start() - 6), m.start()))
            and not (m.group("w")[0].isupper() and _VENUE_BEFORE.search(text, max(0, m.start() - 20), m.start()))
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
                and (not s_dates or ev.start is None or day_of(ev.start) == day_of(start_of(s_dates[0])))
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
            elif (
                earlier is not None
                and (definite or earlier.head == lem)
                and qualified(text, m, lem, s.end) in (lem.capitalize(), earlier.name)
            ):  # "mötet" after "ett första stormöte" (not "Besök på Y" after "Besök på X")
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
                            start=start_of(s_dates[0]),
                            end_date=end_of(s_dates[0]),
                            places=[p],
                            spans=[(m.start(), m.end())],
                            head=lem,
                        )
                    )
                continue
            elif plural:
                continue
            else:
                target = Event(qualified(text, m, lem, s.end), m.start(), m.end(), head=lem)
        elif s_dates and (awards_here or (award_mentions and handover.search(s.text))):
            b, e, name = (awards_here or award_mentions)[0]  # "Priset delas ut … den 13 juni i Stadshuset"
            target = Event(name, b, e, head="prisutdelning")
            if not awards_here:
                target.begin, target.end = s.begin, s.end
        elif s_dates and inauguration.search(s.text):
            im = inauguration.search(s.text)
            target = Event("Invigning", s.begin + im.start(), s.begin + im.end(), head="invigning")
        elif (visit := visit_of(text, s, org_starts)) is not None:
            target = visit  # "Kungaparet besöker Sätraskolan": a visit, where it goes
        elif last_event and _continues(last_event, s, text, bool(s_dates), bool(places)):
            target = Event(last_event.name, s.begin, s.end, series=last_event.series, head=last_event.head)
        if target is None:
            continue
        if s_dates:
            dated = next((d for d in s_dates if d.start), s_dates[0])  # "I dag 5 december 2023 invigs …"
            target.start, target.end_date = start_of(dated), end_of(dated)
        target.places = target.places + [p for p in places if p[0] not in {q[0] for q in target.places}]
        if target.head == "invigning":
            target.places += inaugurated(text, s, places)
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
        in_title = [d for d in dates if title and title.begin <= d.begin < title.end]
        apply_block(events, block, main, in_title[0] if len(in_title) == 1 else None)
    address_lines(text, events)
    merged = _merge(events, main)
    lead = [s for s in sents if s.begin < max(lead_end, title.end if title else 0)]

    def headline_or_lead(ev: Event) -> bool:  # the occasion the release is about, dated or not
        return any(s.begin <= b < s.end for b, _e in ev.spans for s in lead) and ev.head not in _minor_heads()

    kept = [e for e in merged if e.start or e.places or e.main or headline_or_lead(e)]
    trip = headline_trip(title) if title else None
    bare_visits = [e for e in kept if e.name == "Besök" and not e.places]
    if trip and bare_visits:
        bare_visits[0].name, bare_visits[0].places = trip.name, trip.places  # "Besök" of the headline's trip
    elif trip and not kept:
        kept = [trip]
    invitation = PRESS_INVITATION.match(title.text) if title and not kept else None
    if invitation:  # "Pressinbjudan: Civilministern tar emot Utjämningskommitténs förslag" and nothing more
        b, e = title.begin + invitation.start("what"), title.begin + invitation.end("what")
        kept = [Event(text[b:e], b, e, spans=[(b, e)], head="pressträff")]
    for ev in kept if title else ():
        named_by_headline(ev, title)
    for ev in kept:  # "talar på Nordic Financial Ecosystem Forum som hålls i Bryssel": the event, not its place
        ev.places = [p for p in ev.places if p[0].lower() != ev.name.lower()]
        town = _town_of_compound(ev.name) if not ev.places else None
        if town:  # "Sävsjöbesök": in Sävsjö
            ev.places = [(town, ev.begin, ev.begin + len(town))]
    return kept, series_mentions, award_mentions


def _may_be_main(main: list, lem: str) -> bool:
    """'Konferensen hålls …' refers to the named main event; 'Natotoppmötet' is not a main event named
    only by another kind ('Utrikesministermöte')."""
    kind = main[2] if len(main) > 2 else lemma(main[0]) if main[1] is None and " " not in main[0] else None
    return kind is None or kind == lem


def _deadline(text: str, s: Segment, s_dates: list[DateMention], registration: re.Pattern) -> bool:
    """A registration word shortly before the sentence's date ('Anmälan senast den 20 september'), or a
    sentence with no date at all; not 'ansökan' far from 'den 29–30 november'."""
    if not s_dates:
        return True
    return any(registration.search(text, max(s.begin, d.begin - 60), d.begin) for d in s_dates)


_TERM_BEFORE = re.compile(
    r"(?:perioden|mandatperioden|träder\s+i\s+kraft|trädde\s+i\s+kraft|gäller\s+(?:från|fr\.\s?o\.\s?m\.))"
    r"(?:\s+(?:från|den|och\s+med))*\s+$"
)  # "förordnas för perioden 1 januari 2024 – 31 december 2026", "träder i kraft den 1 juli": no event's dates
_VENUE_BEFORE = re.compile(r"(?i)(?:huset|hotell|hotel|salen|lokalen|centret|center|arenan)\s+$")
# "Ceremonin äger rum i Kommunhuset Forum": a building's name, no event
_ENGLISH_BEFORE = re.compile(r"(?<![\w-])(?:of|the|and|for)\s+$")  # "Federation of Hard of Hearing People"
_PLURAL_BEFORE = re.compile(r"(?<![\w-])[a-zåäö]{3,}(?:ar|er|or)\s+(?:och|eller)\s+$")
# "plattformar och forum": a word like the others in a list of plural nouns, no occasion
_DONE_BEFORE = re.compile(
    r"(?<![\w-])(?:presenterades|beslutades|antogs|offentliggjordes|överlämnades|lämnades|lanserades)"
    r"\b[^.!?\n]{0,40}?\s(?:den\s+)?$"
)  # "paketet, som presenterades av EU-kommissionen den 12 december 2023": when a paper came, no event's date
_DETERMINER = re.compile(r"(?<![\w-])(?:ett|en|det|den)\s+(?:[\wåäö-]+\s+)?$", re.IGNORECASE)
_SHARED_OUT = re.compile(r"\s+av\s+(?![A-ZÅÄÖ])(?!(?:\S+\s+){0,3}?\S*(?:pris|stipendi|utmärkelse|diplom|medalj))")
# "utdelning av överskott", "utdelningen av stöd": money shared out, not a prize-giving


def _false_friends() -> tuple[str, ...]:
    return tuple(event_lexicon()["event_noun_verb_forms"])


def _minor_heads() -> frozenset[str]:
    """Event nouns too common to make an event on their own without a date or a place."""
    return frozenset(
        {"samtal", "middag", "möte", "utbildning", "kurs", "dag", "träff", "kampanj", "debatt", "forum"}
        | {"jubileum", "mottagning", "rundvandring"}  # "Detta år är jubileum": a programme's part, no event
    )


def _upgrade_main(events: list[Event], main) -> None:
    """A generic main event ('konferens') takes the more specific name used later ('kvinnofridskonferens')."""
    if not main or main[1] or (len(main) > 2 and not main[0].lower().startswith(main[2])):
        return  # (a named or owned one: 'Ekofinrådets möte'; 'Konferens om arbetet med kvinnofrid' may still be)
    head = main[2] if len(main) > 2 else main[0].lower()
    bare = main[0].lower() == head
    better = next(
        (
            e.name
            for e in events
            if e.name.lower() not in (head, main[0].lower())
            and not e.series
            and (
                (e.name.lower().endswith(head) and (bare or " " not in e.name))  # "Kvinnofridskonferens"
                or (bare and e.head == head and e.name[:1].isupper() and " " in e.name)
            )
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
            start=start_of(d),
            end_date=end_of(d),
            places=places[:1],
            spans=[(s.begin, s.end)],
            head=nouns[-1],
        )
    ]


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
                and (not ev.start or not o.start or day_of(o.start) == day_of(ev.start))
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
                and (day_of(o.start) == day_of(ev.start) or not ev.start or not o.start)
                and (
                    ev.main
                    or not (o.places and ev.places and o.start is None and ev.start is None and not _overlap(o, ev))
                )
            ),
            None,
        )
        if same and (ev.start is None or same.start is None or day_of(same.start) == day_of(ev.start)):
            same.start = same.start or ev.start
            same.end_date = same.end_date or ev.end_date
            for p in ev.places:
                if p[0] not in [q[0] for q in same.places]:
                    same.places.append(p)
            same.spans += ev.spans
        else:
            out.append(ev)
    return out


def _overlap(a: Event, b: Event) -> bool:
    return bool({p[0] for p in a.places} & {p[0] for p in b.places})
