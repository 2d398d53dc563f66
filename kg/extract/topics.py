"""What each quote is about: an event or project it names, an event its speaker takes part in, or the
release's main topic."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.extract.event_words import Event
from kg.extract.text import sentence_at
from kg.gazetteer import word_set

if TYPE_CHECKING:
    from kg.extract.document import DocFacts


def find_topics(facts: DocFacts, text: str, sents, title, series, occurrences) -> None:
    """What each quote is about: a name in the quote, an event the speaker takes part in, else the main topic."""
    main_event = next((e for e in facts.events if e.main), None)
    title_text = (facts.title or "").lower()
    main_project = next((p for p in facts.projects if not p.national or p.name.lower() in title_text), None)
    if main_project and main_project.name.lower() in title_text:
        main = main_project
    else:
        main = main_event or main_project or (facts.events[0] if facts.events else None)
    quote_spans = [s for q in facts.quotes for s in q.spans]
    for q in facts.quotes:
        topic = None
        low = q.text.lower()
        for ev in facts.events:
            names = {ev.name.lower(), (ev.series or "").lower()} - {""}
            if any(q.begin <= b < q.end for b, _e in ev.spans) or (
                not _is_generic_name(ev.name) and any(n in low for n in names)
            ):
                topic = ev
                break
        if topic is None:
            for p in facts.projects:
                if any(q.begin <= b < q.end for b, _e in p.spans):
                    topic = p
                    break
        if topic is None:
            topic = _speaker_event(facts, q.speaker, occurrences, sents, quote_spans)
        topic = topic or main
        if (
            isinstance(topic, Event)
            and topic.name.lower() in word_set("bare_occasions")
            and not any(q.begin <= b < q.end for b, _e in topic.spans)
        ):
            topic = None  # "Besök", "Möte": the release's own headline says more
        facts.topics[q.begin] = topic


def _is_generic_name(name: str) -> bool:
    return len(name.split()) == 1 and name[1:].islower()


def _speaker_event(facts: DocFacts, speaker, occurrences, sents, quote_spans) -> Event | None:
    """'Lars Björneld … inledde mötet': the event named in a sentence about the speaker."""
    for b, _e, name in occurrences:
        if name != speaker or any(x <= b < y for x, y in quote_spans):
            continue
        s = sentence_at(sents, b)
        if not s:
            continue
        for ev in facts.events:
            if any(s.begin <= x < s.end for x, _y in ev.spans):
                return ev
    return None
