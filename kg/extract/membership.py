"""People stage, shared parts: a person's membership (title, organisation, party) as found, and the
context the people rules read a text through."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from kg.extract.orgs import OrgMention
from kg.extract.text import Segment, sentence_at
from kg.gazetteer import OrgRef, load


@dataclass
class Membership:
    person: str
    title: str | None
    org: OrgRef | None
    begin: int
    end: int
    acting: bool = False
    party: OrgRef | None = None
    default_org: bool = False  # no organisation stated: the document's home organisation applies
    role_scope: str = ""  # "municipal" | "regional" | "county" for titles that imply one


@dataclass
class Person:
    name: str
    given: str
    family: str
    spans: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class PeopleResult:
    people: dict[str, Person]
    memberships: list[Membership]
    occurrences: list[tuple[int, int, str]]  # (begin, end, person name)
    new_orgs: list[OrgMention]


@lru_cache(maxsize=8192)
def title_scope(title: str | None) -> str:
    if not title:
        return ""
    lex = load().lexicon
    words = set(title.split())
    head = title.split()[-1]
    for scope, key in (
        ("national", "national_roles"),
        ("municipal", "municipal_roles"),
        ("regional", "regional_roles"),
        ("county", "county_board_roles"),
    ):
        vocab = set(lex[key])
        if words & vocab or head in vocab or any(w.startswith(v) for w in words for v in vocab if len(v) > 8):
            return scope
        if scope == "national" and head.endswith(("minister", "statsråd")):  # "finansmarknadsminister"
            return scope
    for w in words:  # an organ in the title: "ordförande kommunfullmäktige", "vice ordförande i kulturnämnden"
        if w.startswith(("kommunfullmäktig", "kommunstyrels", "stadsfullmäktig", "kommunal")):
            return "municipal"
        if w.startswith(("regionfullmäktig", "regionstyrels", "landstingsfullmäktig", "landstingsstyrels")):
            return "regional"
        if re.search(r"nämnd(?:en|ens)?$|utskott(?:et|ets)?$", w):
            return "organ"
    return ""


def org_at(orgs: list[OrgMention], pos: int, limit: int) -> OrgMention | None:
    for o in orgs:
        if pos <= o.begin <= pos + 1 and o.begin < limit:
            return o
    return None


class Context:
    def __init__(self, text: str, orgs: list[OrgMention], blocked: list[tuple[int, int]], sentences: list[Segment]):
        self.text = text
        self.orgs = orgs
        self.blocked = blocked
        self.sentences = sentences
        self.new_orgs: list[OrgMention] = []
        self._by_end: dict[int, list[OrgMention]] = {}
        for o in orgs:
            self._by_end.setdefault(o.end, []).append(o)
        g = load()
        self.towns = g.towns
        self.foreign = set(g.lexicon["foreign_places"])

    def ending_at(self, pos: int) -> list[OrgMention]:
        return self._by_end.get(pos, [])

    def sentence_bounds(self, pos: int) -> tuple[int, int]:
        s = sentence_at(self.sentences, pos)
        if s is not None:
            return s.begin, s.end
        line_start = self.text.rfind("\n", 0, pos) + 1
        line_end = self.text.find("\n", pos)
        return line_start, len(self.text) if line_end < 0 else line_end


def membership(person, title, org, b, e, acting, party, unit=False) -> Membership:
    former = bool(title) and re.match(r"(tidigare|före detta|f\.d\.|fd|förre|dåvarande)\s", title) is not None
    if title:
        title = re.sub(r"\s+åt\s+[A-ZÅÄÖ].*$", "", title)
    return Membership(
        person,
        title,
        org,
        b,
        e,
        acting,
        party,
        default_org=org is None and (bool(title) or unit) and not former,
        role_scope=title_scope(title),
    )
