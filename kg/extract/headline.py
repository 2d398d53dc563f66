"""A person the headline names without a title, whom the text then calls by a title alone."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kg.extract.membership import Membership
from kg.extract.roles import role_head
from kg.extract.text import Segment
from kg.gazetteer import government_ref

if TYPE_CHECKING:
    from kg.extract.document import DocFacts

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
