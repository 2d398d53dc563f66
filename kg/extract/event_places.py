"""Where an event is: places after i/på/vid, what is inaugurated, "Tid:/Plats:" blocks, address lines."""

from __future__ import annotations

import re
from functools import cache

from kg.extract.dates import DateMention, month_names
from kg.extract.event_words import Event, end_of, event_lexicon, lemma, start_of
from kg.extract.spans import SpanSet
from kg.extract.text import CAP, LOWER, UPPER, Segment, name_candidates
from kg.gazetteer import load, word_set


@cache
def place_words() -> str:
    """A place's name: capitalised words, then lower-case venue words ('Måndalens förskola')."""
    venues = "|".join(event_lexicon()["place_venue_suffixes"])
    return (
        rf"(?:Kungl\.\s)?(?:{CAP}|[{UPPER}]{{2,}}-[{LOWER}]+|[{UPPER}]{{2,}})"
        rf"(?:[\s-](?:{CAP}|[{UPPER}]{{2,}}|(?:läns\s)?[{LOWER}]*(?:{venues})(?:en|et|n|na)?(?![\w{LOWER}])))*"
        rf"(?:-\soch\s[{LOWER}]*(?:{venues})(?:en|et|n|na)?(?![\w{LOWER}]))?"
    )  # "Jönköpings läns museum", "Dysmeli- och armprotescentrum"


@cache
def place_name() -> re.Pattern:
    return re.compile(place_words())


@cache
def _place_prep() -> re.Pattern:
    """'i Folkets hus', 'på Länsstyrelsens innergård', 'vid Söndrums idrottsplats', 'i stadshuset'."""
    venues = "|".join(event_lexicon()["place_venue_suffixes"])
    words = place_words()
    lower = "|".join(event_lexicon()["place_lower_venues"])
    room = rf"[{LOWER}]+s\s[{LOWER}]*(?:{venues})(?:en|et|n|na)?(?![\w{LOWER}])"  # "kommunstyrelsens sammanträdesrum"
    named_room = rf"[{LOWER}]*(?:rum|rummet|sal|salen|lokal|lokalen)\s{CAP}"  # "konferensrum Trumpeten"
    return re.compile(
        rf"(?<![\w-])(?:[Ii]|[Pp]å|till|vid|från|utanför|framför|[Uu]te\s+på)\s+"
        rf"(?P<p>{words}(?:\soch\s{words})?|{lower}|{room}|{named_room})"
    )


MONTHS = {m.capitalize() for m in month_names()}


_AND = re.compile(r"\s(?:och)\s")


_TOWN_AFTER = re.compile(r"(?:,\s*[A-ZÅÄÖ][\wåäö]+\s\d+[A-Za-z]?)?,\s*(?P<t>[A-ZÅÄÖ][\wåäö-]+)")


def _genitive_owner(name: str, owner: re.Match[str] | None) -> bool:
    """'Högskolestyrelsens dagordning', 'till Astrid Lindgrens minne': a name in the genitive before a lower-case
    noun owns it (towns such as Borås and Västerås end in -s and are not owners)."""
    if owner is None or not name.endswith("s") or name in load().towns:
        return False
    word = owner.group(1)
    if " " in name and (
        not all(w[:1].isupper() for w in name.split())
        or word in ("nya", "gamla", "egna", "stora", "lilla")
        or word.lower().endswith(_venue_suffixes())
        or word.endswith("r")  # "På The Docks kommer …": a verb, no owned thing
    ):
        return False  # ("Folkets hus", "Borås Stadsteaters lilla scen": a venue of the named body)
    small = event_lexicon()["place_not_owned_words"]
    return word[:1].islower() and len(word) > 3 and word.lower() not in small


def _venue_suffixes() -> tuple[str, ...]:
    return tuple(load().lexicon["place_venue_suffixes"])


def places_in(text: str, b: int, e: int, exclude: list[tuple[int, int]]) -> list[tuple[str, int, int]]:
    """Places and venues in text[b:e] after i/på/till/vid: towns, venues, foreign places."""
    months = MONTHS
    out = []
    excluded = exclude if isinstance(exclude, SpanSet) else SpanSet(exclude)
    for m in _place_prep().finditer(text, b, e):
        name = m.group("p").strip()
        pb = m.start("p")
        owned = re.fullmatch(rf"\S+s\s[{LOWER}]+", name) is not None  # "Länsstyrelsens innergård"
        if excluded.overlaps(pb, pb + len(name)) and not owned:
            continue
        owner = re.match(r"\s([\w-]+)", text[m.end("p") : e])
        if name.endswith("s") and owner and lemma(owner.group(1)):
            continue  # "vid Ekofinrådets möte": whose meeting, not where
        if _genitive_owner(name, owner):
            continue  # "På Högskolestyrelsens dagordning": whose agenda, not where
        person = name_candidates(name) if " " in name else []  # (a person's name has two words at least)
        if (
            person
            and person[0].begin == 0
            and person[0].end == len(name)
            and person[0].strength == 2
            and not name.lower().endswith(_venue_suffixes())
            and name.split()[-1] not in word_set("venue_words_capitalised")
        ):
            continue  # "ett särskilt tack till Stig Persson": a person, not a place ("Sara Kulturhus" is one)
        if re.fullmatch(r"[A-ZÅÄÖ]{2,}-[\w-]+", name) and not name.lower().endswith(_venue_suffixes()):
            continue  # "med fokus på EU-Natosamarbete": a matter, not a place ("ABF-huset" is one)
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


def inaugurated(text: str, s: Segment, places: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """'Invigning av Måndalens förskola', 'återinvigs Gamla Svinesundsbron': what is opened is the place."""
    out = []
    place = place_name()
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
        if name.split()[0] not in MONTHS and not any(name in p[0] or p[0] in name for p in places + out):
            out.append((name, m.end(), end))
    return out


_ADDRESS_LINES = re.compile(
    r"(?m)^(?P<t>[^\n]*\d[^\n]*)\n(?P<v>[A-ZÅÄÖ][^\n.:!?]{2,50})\n"
    r"(?P<a>[A-ZÅÄÖ][\w .-]*\s\d+\s?[A-Za-z]?(?:,\s*(?P<town>[A-ZÅÄÖ][\wåäö-]+))?)[ \t]*$"
)


def address_lines(text: str, events: list[Event]) -> None:
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


_TIME_LINE = re.compile(
    r"(?:^|\n|\s)(?:Tid|När|Datum|Dag|TID|NÄR|DATUM|DAG)\s*:\s*(?P<t>[^\n]*)"
    r"|(?:^|\n)(?:Tid|Datum)[ \t]+(?=\d)(?P<t2>[^\n]*)"
)  # "Tid: 09.00" or, on event pages, "Tid 1 februari 2024 09:00"


_PLACE_LINE = re.compile(
    r"(?:^|\n|\s)(?:Plats|Var|Lokal|PLATS|VAR|LOKAL)\s*:\s*(?P<p>[^\n]*?)(?=\s*(?:\n|$))"
    r"|(?:^|\n)Plats[ \t]+(?P<p2>[A-ZÅÄÖ][^\n.]{0,60}?)(?=[ \t]*(?:\n|$))"
)  # "Plats: Stadshuset" or, on event pages, "Plats Westfield Mall of Scandinavia" on a line of its own


_TIME_AND_PLACE = re.compile(r"(?:^|\n)(?:Tid och plats|När och var|Tid och lokal)\s*:\s*(?P<b>[^\n]*)", re.IGNORECASE)
_AFTER_TIME = re.compile(r"(?:\s*(?:kl\.?|klockan)?\s*\d{1,2}[.:]\d{2}(?:\s*[–-]\s*\d{1,2}[.:]\d{2})?)?\s*,\s*")


def time_place_block(text: str, dates: list[DateMention]):
    """'Tid: … Plats: …' or 'När: … Var: …' (or 'NÄR: … VAR: …') lines describe the main event."""
    if ":" not in text and "\nTid " not in text and "\nPlats " not in text:
        return None  # labelled lines need a colon, or a line of their own on event pages
    both = _TIME_AND_PLACE.search(text) if re.search(r"(?i)tid och|när och", text) else None
    if both:  # "Tid och plats: onsdag 4 mars kl 12.50, SMHI, Folkborgsvägen 17, Norrköping"
        date = next((d for d in dates if both.start("b") <= d.begin < both.end("b")), None)
        rest = _AFTER_TIME.match(text, date.end, both.end("b")) if date else None
        if date and rest and rest.end() < both.end("b"):
            p = text[rest.end() : both.end("b")].strip().rstrip(".")
            return date, (p, rest.end(), rest.end() + len(p))
    tm, tg = None, "t"
    for found in _TIME_LINE.finditer(text) if re.search(r"Tid|När|Datum|Dag|TID|NÄR|DATUM|DAG", text) else ():
        g = "t" if found.group("t") is not None else "t2"
        tm, tg = (tm, tg) if tm else (found, g)
        if any(found.start(g) <= d.begin < found.end(g) for d in dates):
            tm, tg = found, g  # "Dag: onsdag den 9 januari" after an undated "Tid: 8.30"
            break
    pm = _PLACE_LINE.search(text) if re.search(r"Plats|Var|Lokal|PLATS|VAR|LOKAL", text) else None
    if not tm and not pm:
        return None
    date = next((d for d in dates if tm and tm.start(tg) <= d.begin < tm.end(tg)), None)
    place = None
    if pm:
        pg = "p" if pm.group("p") is not None else "p2"
        p = pm.group(pg).strip().rstrip(".")
        p = re.split(r"\s(?:Tid|När)\s*:|\.\s+(?=[A-ZÅÄÖ])", p)[0]  # up to the next label or sentence
        place = (p, pm.start(pg), pm.start(pg) + len(p))
    return date, place


def apply_block(events: list[Event], block, main, title_date: DateMention | None = None) -> None:
    """Put the block's date and place on the event it describes; a block with a time but no date
    ("Tid: kl 15.00") takes the headline's date ("PRESSINBJUDAN … torsdag 17 februari")."""
    date, place = block
    at = min(([date.begin] if date else []) + ([place[1]] if place else []), default=0)
    target = (
        next((e for e in events if main and e.name == main[0]), None)
        or next((e for e in events if e.main), None)
        or next((e for e in reversed(events) if e.begin < at and e.start is None), None)
        or events[0]
    )  # else the undated event named last above the lines ("Presskonferens hålls / Tid: … / Plats: …")
    date = date or (title_date if title_date and title_date.start and not target.start else None)
    if date and not target.start:
        target.start, target.end_date = start_of(date), end_of(date)
    if place and not any(place[0] in p[0] or p[0] in place[0] for p in target.places):
        target.places = [place, *target.places]
