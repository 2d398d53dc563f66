"""What a headline says of people: the one it names untitled, whom the text then calls by a minister's
title alone, and the new post it announces ("# Ny ambassadör i Irak")."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kg.extract.membership import Membership
from kg.extract.roles import parse_title, role_head
from kg.extract.text import Segment
from kg.gazetteer import government_ref, is_government_title

if TYPE_CHECKING:
    from kg.extract.document import DocFacts
    from kg.extract.orgs import OrgMention

_MINISTER_BACK = re.compile(r"(?<![\w-])(?:[A-ZÅÄÖ]?[a-zåäö-]*ministern|[Ss]tatsrådet)(?![\w-])(?!\s+[A-ZÅÄÖ])")


def headline_minister(facts: DocFacts, text: str, title: Segment | None) -> None:
    """'Småland nästa för Erik Slottner' … 'reser civilministern vidare': the one person the headline names,
    untitled, is the minister the text then speaks of (with the government, as any minister)."""
    if title is None or ("minister" not in text and "tatsråd" not in text):
        return
    named = [p for p in facts.people.values() if any(title.begin <= b < title.end for b, _e in p.spans)]
    if len(named) != 1 or any(m.person == named[0].name and m.title for m in facts.memberships):
        return
    words = {role_head(m.group(0)) for m in _MINISTER_BACK.finditer(text, title.end)}
    words.discard(None)
    if len(words - {"minister", "statsråd"}) <= 1 and words:
        word = next(iter(sorted(words - {"minister", "statsråd"}) or sorted(words)))
        b, e = named[0].spans[0]
        facts.memberships.append(Membership(named[0].name, word, government_ref(), b, e))


_NEW_POST = re.compile(
    r"#*\s*(?:(?P<n>[^\n]+?)\s+ny|Ny)(?:tt)?\s+(?P<t>[^\n]+?)(?:\s+(?P<p>för|i|vid|till|på|hos)\s+(?P<rest>[^\n]+))?\s*$"
)  # "Ny ambassadör i Irak", "Martin Andersson ny hälso- och sjukvårdsdirektör"


def headline_appointment(facts: DocFacts, text: str, title: Segment | None, orgs: list[OrgMention]) -> None:
    """'# Ny ambassadör i Irak' / 'Lars Ronnås tjänstgör för närvarande som …': the headline's new post is held
    by the first person the text names (not a minister speaking of the appointment); the organisation is
    the one the headline names after its preposition, none for a country or a town."""
    m = _NEW_POST.fullmatch(title.text) if title else None
    if m is None or title is None:
        return
    parsed = parse_title(m.group("t"))
    if parsed is None or role_head(m.group("t").split()[-1]) is None:
        return  # "Ny rapport om …", "Nya ambassadörer till Sverige"
    post, acting = parsed
    org = None
    if m.group("rest"):
        rest_at = title.begin + m.start("rest")
        org = next((o.ref for o in orgs if rest_at <= o.begin < title.end), None)
    elif facts.publisher is not None and facts.publisher.key != government_ref().key:
        org = facts.publisher  # "Martin Andersson ny hälso- och sjukvårdsdirektör" from Region Gävleborg
    titled = {(ms.person, ms.title) for ms in facts.memberships}
    in_government = {ms.person for ms in facts.memberships if is_government_title(ms.title)}
    body = sorted(
        (min(b for b, _e in p.spans if b >= title.end), p.name)
        for p in facts.people.values()
        if any(b >= title.end for b, _e in p.spans)
    )
    if m.group("n"):
        named = facts.people.get(m.group("n").strip())
        if named is None:
            return
        body = [(named.spans[0][0], named.name)]
    for begin, name in body:
        if name in in_government and not is_government_title(post):
            continue
        if not any(n == name and t and t.endswith(post.split()[-1]) for n, t in titled):
            facts.memberships.append(Membership(name, post, org, begin, begin + len(name), acting))
        return
