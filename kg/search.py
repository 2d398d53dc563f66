"""Label search: every named entity by a prefix of its name or of a later word in it, ignoring case and accents.

People, organisations, places, events, event series, projects and roles are indexed with all their
labels (preferred and alternative). "vasteras" finds "Västerås stad", "jimmy jan" finds "Jimmy
Jansson", "stad" finds "Västerås stad" too. Matches rank: the whole label > a prefix of the label >
a prefix of a later word > all the query's words in any order; within a rank, entities mentioned in
more documents come first.

A build writes the index as one text file in the store folder (`kg.store.sidecar(path, "search")`):
a header line, one line per entity (IRI, label, type, class, note, mentions, other labels; ordered
by mentions, so an entity's number is its rank), then one line per key sorted by key
(`key TAB word TAB type TAB entity`), where a key is a label, normalised, from one of its words on.
Tab sorts below every character a key can hold, so the lines sort as their keys do and a search is
one bisection into the list of lines plus a walk over the lines that start with the query; nothing
is parsed when the file is loaded. `tests/test_search.py` shows the ranking and the resolution of
names given where a saved query expects an IRI.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import DefaultGraph, NamedNode, Store

from kg import store as kgstore
from kg.queries import BadParameter, Names, Param

RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SCHEMA = "https://schema.org/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
FOAF = "http://xmlns.com/foaf/0.1/"
ORG = "http://www.w3.org/ns/org#"
KGO = "https://w3id.org/sv-press-kg/ontology#"

# index type -> the classes that make it (an entity with several takes the first type listed)
TYPES: dict[str, tuple[str, ...]] = {
    "person": (FOAF + "Person",),
    "organisation": (ORG + "Organization",),
    "event": (SCHEMA + "Event",),
    "series": (SCHEMA + "EventSeries",),
    "project": (SCHEMA + "Project",),
    "place": (SCHEMA + "Place", SCHEMA + "AdministrativeArea"),
    "role": (ORG + "Role",),
}
NAME_PREDICATES = (FOAF + "name", SKOS + "prefLabel", SCHEMA + "name")  # the first one an entity has is its label
ALT_LABEL = SKOS + "altLabel"
MAX_WORDS = 12  # a label is searchable from each of its first twelve words
MAGIC = "# kg-search-index 1"
_FOLD = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "ł": "l", "ı": "i", "þ": "th", "ð": "d"})
_WORD = re.compile(r"[^\W_]+")


def normalise(text: str) -> str:
    """Lower case, without accents, words of letters and digits separated by one space.

    >>> normalise("Västerås  stad"), normalise("Nils-Anders_Ø")
    ('vasteras stad', 'nils anders o')
    """
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c)).translate(_FOLD)
    return " ".join(_WORD.findall(folded))


@dataclass(frozen=True)
class Hit:
    """One entity found: what a result list shows and links."""

    iri: str
    label: str
    type: str  # person, organisation, event, series, project, place, role
    cls: str  # the most specific class's local name (Municipality, GovernmentAgency, Event, ...)
    note: str  # what tells namesakes apart: role and organisation, date and place, kind of body
    mentions: int  # documents that mention it (roles: memberships that hold it)
    matched: str  # the label that matched (the preferred one or an alternative)
    alt_labels: tuple[str, ...] = ()

    def data(self) -> dict[str, str | int]:
        """As JSON: iri, label, type, class, note, mentions, matched."""
        return {"iri": self.iri, "label": self.label, "type": self.type, "class": self.cls, "note": self.note,
                "mentions": self.mentions, "matched": self.matched}  # fmt: skip

    def describe(self) -> str:
        """'<iri> (Anna Berg, Regeringen)': the IRI with what tells it apart, for messages."""
        extra = ", ".join(x for x in (self.label, self.note) if x)
        return f"<{self.iri}> ({extra})"


class Index:
    """The search index of one store, held as the lines of its file (see the module docstring)."""

    def __init__(self, entities: list[str], keys: list[str]) -> None:
        self.entities = entities
        self.keys = keys

    def __len__(self) -> int:
        return len(self.entities)

    # ---- searching
    def search(self, query: str, types: Iterable[str] | None = None, limit: int = 10) -> list[Hit]:
        """The best `limit` entities for `query` (of `types` only, when given); without a query, the
        most mentioned ones."""
        wanted = set(types or ()) or None
        q = normalise(query)
        if not q:
            picked = [n for n in range(len(self.entities)) if wanted is None or self._type(n) in wanted][:limit]
            return [self.hit(n) for n in picked]
        ranks = self._ranks(q, wanted)
        if len(ranks) < limit and " " in q:
            self._any_order(q, wanted, ranks)
        best = sorted(ranks.items(), key=lambda item: (item[1][0], item[0]))[:limit]
        return [self.hit(n, label_no) for n, (_, label_no) in best]

    def _ranks(self, q: str, wanted: set[str] | None) -> dict[int, tuple[int, int]]:
        """entity -> (rank, label number) for every key that starts with `q`: 0 the whole label,
        1 a prefix of a label, 2 a prefix of a later word."""
        ranks: dict[int, tuple[int, int]] = {}
        keys = self.keys
        i = bisect.bisect_left(keys, q)
        while i < len(keys) and keys[i].startswith(q):
            key, word, label_no, typ, entity = keys[i].split("\t")
            i += 1
            if wanted is not None and typ not in wanted:
                continue
            rank = (0 if key == q else 1) if word == "0" else 2
            n, found = int(entity), (rank, int(label_no))
            if n not in ranks or found < ranks[n]:  # the best rank, and on a tie the preferred label
                ranks[n] = found
        return ranks

    def _any_order(self, q: str, wanted: set[str] | None, ranks: dict[int, tuple[int, int]]) -> None:
        """Add (rank 3) the entities whose labels have a word starting with each word of `q`, in any order."""
        tokens = q.split(" ")
        for n in self._ranks(max(tokens, key=len), wanted):
            if n in ranks:
                continue
            fields = self.entities[n].split("\t")
            for no, label in enumerate([fields[1], *fields[6:]]):
                words = normalise(label).split(" ")
                if all(any(w.startswith(t) for w in words) for t in tokens):
                    ranks[n] = (3, no)
                    break

    def _type(self, n: int) -> str:
        return self.entities[n].split("\t", 3)[2]

    def hit(self, n: int, label_no: int = 0) -> Hit:
        iri, label, typ, cls, note, mentions, *alts = self.entities[n].split("\t")
        labels = [label, *alts]
        matched = labels[label_no] if label_no < len(labels) else label
        return Hit(iri, label, typ, cls, note, int(mentions), matched, tuple(alts))

    def named(self, name: str, kinds: Iterable[str] | None = None) -> list[Hit]:
        """The entities called `name` (a whole label, ignoring case and accents), else those whose label
        starts with it; `kinds` are index types or class names ('person', 'Municipality')."""
        wanted = {k.casefold() for k in kinds or ()}
        q = normalise(name)
        if not q:
            return []
        ranks = self._ranks(q, None)
        order = sorted(ranks.items(), key=lambda item: (item[1][0], item[0]))
        hits = [(rank, self.hit(n, label_no)) for n, (rank, label_no) in order if rank <= 1]
        if wanted:
            hits = [(rank, h) for rank, h in hits if h.type in wanted or h.cls.casefold() in wanted]
        exact = [h for rank, h in hits if rank == 0]
        return exact or [h for _, h in hits]

    # ---- reading and writing
    @classmethod
    def parse(cls, text: str) -> Index:
        lines = text.split("\n")
        head = lines[0].split("\t")
        if head[0] != MAGIC or len(head) < 3:
            raise ValueError("not a search index file")
        n, m = int(head[1]), int(head[2])
        if len(lines) < 1 + n + m:
            raise ValueError("the search index file is cut short")
        return cls(lines[1 : 1 + n], lines[1 + n : 1 + n + m])

    def text(self) -> str:
        return "\n".join([f"{MAGIC}\t{len(self.entities)}\t{len(self.keys)}", *self.entities, *self.keys]) + "\n"


@dataclass
class _Entity:
    iri: str
    type: str
    cls: str = ""
    labels: tuple[str, ...] = ()
    note: str = ""
    mentions: int = 0


def _clean(text: str) -> str:
    return " ".join(text.split())  # no tab or newline may reach a line of the file


def collect(store: Store) -> list[_Entity]:
    """Every labelled entity of the store's default graph with its type, labels, note and mentions."""
    default = DefaultGraph()

    def objects(s: NamedNode | None, p: str) -> Iterable:
        return store.quads_for_pattern(s, NamedNode(p), None, default)

    found: dict[str, _Entity] = {}
    for typ, classes in TYPES.items():
        for cls in classes:
            for q in store.quads_for_pattern(None, RDF_TYPE, NamedNode(cls), default):
                if isinstance(q.subject, NamedNode) and q.subject.value not in found:
                    found[q.subject.value] = _Entity(q.subject.value, typ, cls.rsplit("/", 1)[-1].rsplit("#", 1)[-1])
    for e in found.values():
        node = NamedNode(e.iri)
        for p in NAME_PREDICATES:
            names = sorted(_clean(q.object.value) for q in objects(node, p))
            if names:
                alts = sorted({_clean(q.object.value) for q in objects(node, ALT_LABEL)} - {names[0]})
                e.labels = (names[0], *[n for n in names[1:] if n not in alts], *alts)
                break
        if e.type == "organisation":
            for q in store.quads_for_pattern(node, RDF_TYPE, None, default):
                if q.object.value.startswith(KGO):
                    e.cls = q.object.value[len(KGO) :]
                    e.note = _words(e.cls) if e.cls != "Organisation" else ""  # the class of all the others
    entities = {iri: e for iri, e in found.items() if e.labels and e.labels[0]}
    for q in objects(None, SCHEMA + "mentions"):
        e = entities.get(q.object.value)
        if e is not None:
            e.mentions += 1
    _notes(store, entities)
    return sorted(entities.values(), key=lambda e: (-e.mentions, normalise(e.labels[0]), e.iri))


def _words(camel: str) -> str:
    """'GovernmentAgency' -> 'government agency'."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", camel).lower()


def _notes(store: Store, entities: dict[str, _Entity]) -> None:
    """What tells namesakes apart: a person's most evidenced role and organisation, an event's date and
    place, a place's surroundings; roles count the memberships that hold them."""
    default = DefaultGraph()

    def first(s: str, p: str) -> str | None:
        for q in store.quads_for_pattern(NamedNode(s), NamedNode(p), None, default):
            return q.object.value
        return None

    def label(iri: str | None) -> str:
        e = entities.get(iri or "")
        return e.labels[0] if e else ""

    best: dict[str, tuple[int, str]] = {}
    roles: Counter[str] = Counter()
    for q in store.quads_for_pattern(None, NamedNode(ORG + "member"), None, default):
        membership, person = q.subject.value, q.object.value
        role, org = first(membership, ORG + "role"), first(membership, ORG + "organization")
        if role:
            roles[role] += 1
        if person not in entities:
            continue
        weight = sum(1 for _ in store.quads_for_pattern(q.subject, NamedNode(KGO + "evidence"), None, default))
        note = ", ".join(x for x in (label(role), label(org)) if x)
        if note and (person not in best or (weight, note) > best[person]):
            best[person] = (weight, note)
    for iri, e in entities.items():
        if e.type == "person" and iri in best:
            e.note = best[iri][1]
        elif e.type == "role":
            e.mentions = roles.get(iri, 0)
        elif e.type == "event":
            start = (first(iri, SCHEMA + "startDate") or "")[:10]
            e.note = ", ".join(x for x in (start, label(first(iri, SCHEMA + "location"))) if x)
        elif e.type == "place":
            e.note = label(first(iri, SCHEMA + "containedInPlace"))


def make(entities: Sequence[_Entity]) -> Index:
    """The index of `entities` (in rank order)."""
    lines, keys = [], []
    for n, e in enumerate(entities):
        lines.append("\t".join([e.iri, e.labels[0], e.type, e.cls, _clean(e.note), str(e.mentions), *e.labels[1:]]))
        seen: set[str] = set()
        for label_no, label in enumerate(e.labels):
            words = normalise(label).split(" ")
            for i in range(min(len(words), MAX_WORDS)):
                key = " ".join(words[i:])
                if key and key not in seen:
                    seen.add(key)
                    keys.append(f"{key}\t{0 if i == 0 else 1}\t{label_no}\t{e.type}\t{n}")
    keys.sort()
    return Index(lines, keys)


def from_store(store: Store) -> Index:
    return make(collect(store))


def write(store: Store, store_path: Path | str) -> Index:
    """Build the index of `store` and write it into the store folder at `store_path`."""
    index = from_store(store)
    kgstore.write_sidecar(store_path, "search", index.text())
    return index


def read(store_path: Path | str) -> Index | None:
    """The index a build wrote into the store folder, or None (an older store, or one changed by SPARQL Update)."""
    try:
        return Index.parse(kgstore.sidecar(store_path, "search").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


SHOWN = 5  # matches named in an ambiguity error


def types_of(kinds: Iterable[str]) -> list[str]:
    """The index types of a parameter's kinds: a type stands for itself, a class name (Municipality) for
    the organisations (the only classes a kind names)."""
    return list(dict.fromkeys(k if k in TYPES else "organisation" for k in kinds))


def resolver(index: Callable[[], Index]) -> Names:
    """`names` for `SavedQuery.bind`: a name given for an iri parameter -> the IRI of the one entity of the
    parameter's kind called so (or, when none is, whose name starts so); BadParameter for none or several.
    `index` gives the index when a name is first resolved (a query given only IRIs never loads it)."""

    def resolve(param: Param, name: str) -> str:
        hits = index().named(name, param.kind)
        if len(hits) == 1:
            return hits[0].iri
        what = " or ".join(param.kind)
        if not hits:
            raise BadParameter(
                f'no {what} named "{name}" for parameter {param.name!r}; pass its IRI, or a name `kg search` finds'
            )
        listed = ", ".join(h.describe() for h in hits[:SHOWN])
        more = f" and {len(hits) - SHOWN} more" if len(hits) > SHOWN else ""
        raise BadParameter(f'{len(hits)} matches for {param.name}="{name}": {listed}{more}; pass the IRI')

    return resolve


def load(store_path: Path | str, store: Store | None = None) -> Index:
    """The store's index: its file, or made from the store when there is none."""
    index = read(store_path)
    if index is None:
        index = from_store(store if store is not None else kgstore.open_read(store_path))
    return index
