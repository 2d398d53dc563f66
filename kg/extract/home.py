"""The body a text is about ('home'): its publisher, the bodies it names by kind, the one its untitled
people are staff of, and whether a minister it names is met abroad."""

from __future__ import annotations

import re
from collections import Counter

from kg.extract.orgs import OrgMention
from kg.extract.roles import is_organ_genitive
from kg.extract.text import sentence_at
from kg.gazetteer import OrgRef, government_ref, load


def is_venue(ref: OrgRef) -> bool:
    """A body that is also a place ("Svenska Mässan", "Malmö Arena")."""
    return ref.kind == "Organisation" and _VENUE_NAME.search(ref.name) is not None


_VENUE_NAME = re.compile(
    r"biblioteket|huset|museet|teatern$|[Mm]ässan$|[Aa]renan$|[Hh]allen$|[Ss]lottet$"
    r"|^(?:[Ss]venska |Sveriges )?[Aa]mbassad"
)


SCOPE_KINDS = {"municipal": "Municipality", "regional": "Region", "county": "CountyAdministrativeBoard"}


class Home:
    """Which municipality, region or county board an unqualified title belongs to."""

    def __init__(self, text, sents, orgs, towns, bare_boards, publisher):
        self.text, self.sents, self.publisher = text, sents, publisher
        # a release of the government: a generaldirektör or professor it names is not its staff
        self.governmental = publisher is not None and publisher.key in {government_ref().key, "regeringskansliet"}
        g = load()
        self.mentions: list[tuple[int, OrgRef]] = [(o.begin, o.ref) for o in orgs]
        self.mentions += [(b, g.orgs[k]) for b, _e, k in towns]
        boards = {r.key: r for _b, r in self.mentions if r.kind == "CountyAdministrativeBoard"}
        board = (
            publisher
            if publisher and publisher.kind == "CountyAdministrativeBoard"
            else (next(iter(boards.values())) if len(boards) == 1 else None)
        )
        self.bare_board = board
        if board:
            self.mentions += [(b, board) for b, _e in bare_boards]
        self.staff_of = publisher or _dominant(orgs)

    def met_abroad(self, pos: int, person: str) -> bool:
        """A title after 'träffa'/'möten med' in a release headed by a trip abroad: someone the minister meets
        there (a Swedish minister met at home, 'Polens inrikesminister besöker Sverige', keeps the government)."""
        if not _MEETS_BEFORE.search(self.text, max(0, pos - 80), pos):
            return False
        g = load()
        title = self.sents[0].text if self.sents else ""
        if person.split()[-1] in title:
            return False  # the traveller the headline names
        places = set(g.lexicon["foreign_places"])
        for m in _TRIP_TO.finditer(title):
            where = m.group("p")
            if (where in places or where in g.countries) and not where.endswith("s") and where != "Sverige":
                return True  # "EU-minister besöker Nordmakedonien och Albanien", "Pål Jonson till Asien"
        return False

    def institution_before(self, title: str, pos: int) -> OrgRef | None:
        """'Presidentparet besöker Göteborgs universitet. De tas emot av universitetsrektor X': the nearest
        organisation named before the title whose name holds the institution noun the title holds."""
        low = title.lower()
        stems = [st for st in load().lexicon["institution_stems"] if st in low]
        if not stems:
            return None
        before = sorted(((b, r) for b, r in self.mentions if pos - 600 <= b < pos), key=lambda x: -x[0])
        for _b, ref in before:
            if any(st in ref.name.lower() for st in stems):
                return ref
        return None

    def for_kind(self, kind: str) -> OrgRef | None:
        """The publisher if of `kind`, else the only organisation of that kind named."""
        if self.publisher and self.publisher.kind == kind:
            return self.publisher
        found = {r.key: r for _b, r in self.mentions if r.kind == kind}
        return next(iter(found.values())) if len(found) == 1 else None

    def for_organ(self, title: str) -> OrgRef | None:
        """The organisation an organ genitive in a title refers to ('förbundets ordförande' -> the förbund
        named in the text, the publisher first)."""
        first = title.split()[0]
        refs = ([self.publisher] if self.publisher else []) + [r for _b, r in self.mentions]
        compound = next((st for st in load().lexicon["organ_compound_stems"] if first.startswith(st + "s")), None)
        if compound and len(first) > len(compound) + 4:  # "förbundsordförande", "förbundskapten": the förbund's
            return next((r for r in refs if compound in r.name.lower()), None)
        if not (is_organ_genitive(first) and first.endswith("s")) or first.startswith(("kommun", "region", "läns")):
            return None
        stem = first[:-1]  # "förbundet"
        return next((r for r in refs if r.name.lower().endswith(stem) or r.name.lower().endswith(stem[:-2])), None)

    def for_scope(self, scope: str, pos: int) -> OrgRef | None:
        if scope == "organ":  # a committee: of the municipality or region that publishes or is named
            if self.publisher and self.publisher.kind in ("Municipality", "Region"):
                return self.publisher
            kinds = {r.kind for _b, r in self.mentions} & {"Municipality", "Region"}
            scope = "municipal" if kinds == {"Municipality"} else "regional" if kinds == {"Region"} else ""
            if not scope:
                return None
        kind = SCOPE_KINDS.get(scope)
        if kind is None:
            return self.staff_of
        s = sentence_at(self.sents, pos)
        if s:
            near = [r for b, r in self.mentions if s.begin <= b < s.end and r.kind == kind]
            if near:
                return near[0]
        if self.publisher and self.publisher.kind == kind:
            return self.publisher
        counts = Counter(r.key for _b, r in self.mentions if r.kind == kind)
        if counts:
            key = counts.most_common(1)[0][0]
            return next(r for _b, r in self.mentions if r.key == key)
        if kind in ("CountyAdministrativeBoard", "Region"):
            # no board or region named: the one of the county every municipality named lies in
            counties = {r.county for _b, r in self.mentions if r.kind == "Municipality" and r.county}
            if self.publisher and self.publisher.county:
                counties = {self.publisher.county}
            if len(counties) == 1:
                code = counties.pop()
                return load().orgs.get(f"lansstyrelsen-{code}" if kind != "Region" else f"region-{code}")
        return None


_TRIP_TO = re.compile(
    r"(?:(?<![\w-])(?:besöker|besökte|besöka|reser\s+till|resa\s+till|åker\s+till|i|och)"
    r"|(?<![\w-])[A-ZÅÄÖ][a-zåäö-]+\s+till)\s+(?P<p>[A-ZÅÄÖ][\w-]+)"
)  # "besöker Nordmakedonien och Albanien", "deltar i ministermöte i Bryssel", "Pål Jonson till Asien"
_MEETS_BEFORE = re.compile(
    r"(?<![\w-])(?:träffa|träffar|träffade|möta|möter|mötte|möten|samtal|tar\s+emot)\b[^.!?]{0,70}$"
)


def _dominant(orgs: list[OrgMention]) -> OrgRef | None:
    """With no publisher in view, the body whose staff the text's untitled-organisation people are: the
    only organisation named (the government, parties, units and states aside), or the one named most,
    at least twice and more often than any other."""
    government = government_ref().key
    given = load().given_names
    counts: Counter[str] = Counter()
    refs: dict[str, OrgRef] = {}
    for o in orgs:
        r = o.ref
        if r.key == government or r.key.startswith("land-") or r.only_as:
            continue
        if r.kind in ("PoliticalParty", "OrganizationalUnit") or is_venue(r) or r.name.capitalize() in given:
            continue  # ("MaiLis": a given name the make-up rules took for a body)
        counts[r.key] += 1
        refs[r.key] = r
    ranked = counts.most_common(2)
    if len(ranked) == 1 or (ranked and ranked[0][1] >= 2 and ranked[0][1] > ranked[1][1]):
        return refs[ranked[0][0]]
    return None
