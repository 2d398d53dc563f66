"""How an event is named: a generic noun by its owner, what or whom it is with or about and its kind
('Ekofinrådets möte', 'Nordiskt ministermöte med …'), a visit by where it goes, the event a headline or
an invitation names, a press conference by the headline that says what it is for."""

from __future__ import annotations

import re

from kg.extract.around_names import looks_like_person
from kg.extract.event_names import canonical
from kg.extract.event_places import place_words
from kg.extract.event_words import Event, generic_matches, lemma
from kg.extract.text import Segment, given_strength, starts_sentence
from kg.gazetteer import is_place, load, municipality_town, word_set

_SUBJECT_AFTER = re.compile(r"\s+(?:om|med|när|för|i\s+samband\s+med|inför|efter|angående)\s")
_PRESS_WORDS = ("pressträff", "presskonferens", "pressbriefing", "pressträffen", "presskonferensen")


def named_by_headline(ev: Event, title: Segment) -> None:
    """'Pressträff' in a release headed 'Pressträff när Andreas Carlson tar emot utredning om …' (or '… bjuder
    in till pressträff för att ta emot …'): the headline says what the press conference is for."""
    if ev.name.lower() not in _PRESS_WORDS:
        return
    m = re.search(rf"(?i)\b{re.escape(ev.name)}\b", title.text)
    rest = title.text[m.end() :].strip(" .#") if m else ""
    if m and rest and rest.split()[0] in {"om", "med", "när", "för", "i", "kring", "inför", "efter", "angående"}:
        ev.name = (ev.name.capitalize() + " " + rest)[:160]


def headline_trip(title: Segment) -> Event | None:
    """'EU-minister X besöker Spanien', '… reser till Haag' and no event in the text: the trip itself."""
    trip = _TRIP.search(title.text)
    if trip is None or not is_place(where := trip.group("p")):
        return None
    b, e = title.begin + trip.start("p"), title.begin + trip.end("p")
    begin = title.begin + trip.start()
    return Event(f"Besök i {where}", begin, e, places=[(where, b, e)], spans=[(begin, e)], head="besök")


_TRIP = re.compile(
    r"(?<![\w-])(?:besöker|reser\s+till)\s+(?P<p>[A-ZÅÄÖ][\w-]+(?:\s[A-ZÅÄÖ][\w-]+)?)"
    r"(?=\s*$|\s+(?:för|och|den|på|i|–|med)\s|,)"
)
PRESS_INVITATION = re.compile(r"#*\s*Pressinbjudan\s*:\s*(?P<what>\S.*?)\s*$")


_OWNER_BEFORE = re.compile(
    r"(?<![\w-])(?P<g>[A-ZÅÄÖ][\w-]*(?:s\s[A-ZÅÄÖ][\w-]*)?(?:\s[a-zåäö]+)?(?::s|[^s\W]s))\s(?:[a-zåäö]+\s)?$"
)  # "Ekofinrådets möte", "Nordiska rådets möte", "IEA:s ministermöte", "Smålands Akademis högtidssammankomst"
_VISITED = re.compile(rf"\s(?:på|hos|vid)\s(?P<p>{place_words()})")


_VISITS = re.compile(
    r"(?<![\w-])(?:besöker|besökte|besöka)\s(?:(?:de|han|hon|vi|[a-zåäö]{3,}(?:et|en|na|n))\s(?:även\s|också\s)?)?"
    rf"(?P<p>{place_words()})"
)


def visit_of(text: str, s: Segment, org_starts: dict[int, int]) -> Event | None:
    """'De besöker Älvsborgs amfibieregemente': a visit to a named place or body (not to a person or a
    country, which the text's own events cover)."""
    m = _VISITS.search(s.text) if "besök" in s.text else None
    if m is None:
        return None
    where = m.group("p")
    b = s.begin + m.start("p")
    if b in org_starts:
        where = text[b : org_starts[b]]  # "besöker Göteborgs universitet": the body's whole name
    g = load()
    if looks_like_person(where) or where in g.countries or where.split()[0] in g.countries:
        return None
    if where.endswith("s") and re.match(r"\s[a-zåäö]", text[b + len(where) : b + len(where) + 2]):
        return None  # "besöker Migrationsverkets kontor": whose, not where
    home = municipality_town(where)
    if home and text.startswith(home, b):  # "besöka Göteborgs Stad": a visit in the town
        at = [(home, b, b + len(home))]
        return Event(f"Besök i {home}", s.begin + m.start(), b + len(where), places=at, head="besök")
    town = where in g.towns or where in g.counties or where in g.lexicon["foreign_places"]
    return Event(
        f"Besök {'i' if town else 'på'} {where}",
        s.begin + m.start(),
        b + len(where),
        places=[(where, b, b + len(where))],
        head="besök",
    )


_MEETING_WITH = re.compile(
    r"\s+(?P<p>(?:med|om)\s+(?!att\s|sig\s)(?:[^.,;:!?\n–()]|:s\b){3,60}?)(?=(?<!-)\s+(?:i|på|den|där|som|och|under|inför|vid|för\s+att|har|ska|kommer|hålls|äger|sker|blir|blev|är|var|handlar|fokuserar|startar|börjar|pågår|avslutas|inleds)\s|[.,;:!?\n–(]|$)"
)


_OF_WHAT = re.compile(
    _MEETING_WITH.pattern.replace("(?:med|om)", "av", 1).replace("(?:i|på|", "(?:i|på|med|samt|anordnas|arrangeras|", 1)
)


_NAME_BEFORE = re.compile(r"(?<![\w-])(?:[A-ZÅÄÖ][\w-]+\s(?:(?:of|for|and|&)\s)?){2,5}$")
_KIND_ADJECTIVE = re.compile(
    r"(?<![\w-])((?:[A-ZÅÄÖa-zåäö][a-zåäö]{2,}(?:isk|iskt)-)?[A-ZÅÄÖa-zåäö][a-zåäö]{2,}(?:iskt|iska|isk|ellt|ella|ell)"
    r"|[Ee]xtrainsatt|[Ee]xtrainsatta)\s+$"
)


def _cut_at_genitive(text: str, what: re.Match[str]) -> bool:
    """'invigningen av Dramatens' of 'Dramatens och Kungliga Operans nya dekorateljéer': cut in a genitive pair."""
    last = what.group("p").split()[-1]
    return last[0].isupper() and last.endswith("s") and text.startswith(" och ", what.end())


def qualified(text: str, m: re.Match[str], lem: str, limit: int) -> str:
    """A generic event named by what the text says of it: 'Ekofinrådets möte', 'Besök på Sven-Harrys
    konstmuseum'; else the bare noun."""
    owner = _OWNER_BEFORE.search(text, max(0, m.start() - 40), m.start())
    g = owner.group("g") if owner else ""
    initial = owner is not None and starts_sentence(text, owner.start())
    given = re.search(r"([A-ZÅÄÖ][a-zåäö]+)\s$", text[max(0, owner.start() - 20) : owner.start()]) if owner else None
    person_owned = given is not None and given_strength(given.group(1)) == 2
    if person_owned:
        owner = None  # "Jessika Roswalls besök": a person's visit is named by where it goes, not by whose it is
    if owner and g.lower() not in word_set("possessive_pronouns") and not (initial and g[1:].islower()):
        return f"{owner.group('g')} {lem}"
    word = m.group("w")
    if word[0].isupper() and word[1:].islower() and " " not in word and not starts_sentence(text, m.start()):
        named = _NAME_BEFORE.search(text, max(0, m.start() - 60), m.start())
        if named and not starts_sentence(text, named.start()):  # "på Nordic Financial Ecosystem Forum"
            return named.group(0) + word
        return word  # "deltar i Riksidrottsmötet": a name as written, not the noun's base form
    if lem in ("besök", "studiebesök"):
        at = _VISITED.match(text, m.end(), limit)
        if at:
            town = municipality_town(at.group("p"))
            if town:  # "besöka Göteborgs Stad": a visit in the town
                return f"{lem.capitalize()} i {town}"
            return f"{lem.capitalize()} {at.group(0).strip()}"
        in_town = re.match(r"\si\s([A-ZÅÄÖ][\w-]+)(?![\w-])", text[m.end() : limit]) if person_owned else None
        town = in_town.group(1) if in_town else ""
        if town in load().towns and not (town.endswith("s") and town[:-1] in load().towns):
            return f"{lem.capitalize()} i {town}"  # "Johan Forssells besök i Uppsala"
    singular = word.lower() in (lem, lem + "t", lem + "en", lem + "et", lem + "n")
    kind = _KIND_ADJECTIVE.search(text, max(0, m.start() - 24), m.start())
    kind_named = lem.endswith("möte") or lem in word_set("event_kinds_named_by_adjective")
    by_topic = lem in word_set("events_named_by_topic")
    if singular and (lem.endswith("möte") or by_topic or lem in word_set("events_named_by_subject")):
        about = _MEETING_WITH.match(text, m.end(), limit)
        if about and by_topic and not about.group("p").startswith("om"):
            about = None  # "konferens med 300 deltagare": who comes, not what it is
        if about and kind and kind_named:  # "nordisk-baltiskt ministermöte med Världsbankens president"
            return f"{kind.group(1).capitalize()} {word.lower()} {about.group('p')}"
        if about:  # "möte med transportministrar", "möte om åtgärder på den europeiska gasmarknaden"
            return f"{lem.capitalize()} {about.group('p')}"
    if singular and lem in word_set("events_named_by_object"):
        what = _OF_WHAT.match(text, m.end(), limit)
        if what and not _cut_at_genitive(text, what):  # "premiär av Misantropen"
            return f"{lem.capitalize()} {what.group('p')}"
    if kind and kind_named:  # "nordiskt transportministermöte", "internationell konferens"
        return f"{kind.group(1).capitalize()} {word.lower()}"
    first = re.search(r"(?<![\w-])(första|sista|årets)\s+$", text[max(0, m.start() - 12) : m.start()], re.IGNORECASE)
    if first and word.lower() != lem:  # "det första spadtaget": the occasion as the text writes it
        return f"{first.group(1).capitalize()} {word.lower()}"
    acronym = re.match(r"([A-ZÅÄÖ]{2,})-", word)
    if acronym and "-" in lem:  # "LO-kongressen": the acronym kept as written
        return f"{acronym.group(1)}-{lem.split('-', 1)[1]}"
    return lem.capitalize()


_WHEN_TAIL = re.compile(
    r"\s+(?=(?:(?:[Mm]ån|[Tt]is|[Oo]ns|[Tt]ors|[Ff]re|[Ll]ör|[Ss]ön)dag(?:en)?\b|den\s+\d|\d{1,2}\s+[a-zåäö]{3,}|"
    r"kl(?:ockan|\.)?\s*\d|\d{4}-\d{2}-\d{2}))"
)


_PRESS_EVENT = re.compile(
    r"(?i)(?<![\w-])(?:pressvisning|pressträff|presskonferens|pressbriefing|pressfrukost)(?![\w-])"
)


def main_name(text, title, series, awards, lead_end: int) -> list | None:
    """The event the release is about: named in the title or the lead, or the invitation's title."""
    if title:
        for b, _e, name in series:
            if title.begin <= b < title.end:
                return [name, name]
        m = re.match(r"(?:Pressinbjudan|Inbjudan|Välkommen)(?:\s+(?:till|på))?\s*:?\s*(?P<n>.+)$", title.text)
        press = _PRESS_EVENT.search(text, title.end)
        if m and press and not any(lemma(g.group("w")) for g in generic_matches(text, title.begin, title.end)):
            return [press.group(0).capitalize(), None]  # "Pressinbjudan: Museet öppnar …" / "pressvisning den 16 juni"
        if m:  # "Pressinbjudan: Invigning Sport- och fritidsbiblioteket torsdag 17 januari klockan 14"
            name = canonical(_WHEN_TAIL.split(m.group("n"), maxsplit=1)[0].rstrip(" ,–-"))
            return [name[:1].upper() + name[1:], None]
    for b, _e, name in series:
        if b < lead_end:
            return [name, name]
    if title:
        for b, _e, name in awards:
            if title.begin <= b < title.end:
                return [name, None]
        for m in generic_matches(text, title.begin, title.end):
            lem = lemma(m.group("w"))
            if lem and m.start() == title.begin and lem in _PRESS_WORDS and _SUBJECT_AFTER.match(title.text, m.end()):
                name = _WHEN_TAIL.split(title.text.strip(" .#"), maxsplit=1)[0].rstrip(" ,–-")
                return [name, None, lem]  # "Pressträff om besked på sjukvårdsområdet tillsammans med SKR"
            if lem:
                return [qualified(text, m, lem, title.end), None, lem]
    return None
