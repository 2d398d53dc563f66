"""Label search: every named entity by a prefix of its name or of a later word in it, ignoring case and accents.

People, organisations, places, events, event series, projects and roles are indexed with all their
labels (preferred and alternative). "vasteras" finds "Västerås stad", "jimmy jan" finds "Jimmy
Jansson", "stad" finds "Västerås stad" too. Matches rank: the whole label > a prefix of the label >
a prefix of a later word > all the query's words in any order; within a rank, entities mentioned in
more documents come first.

A build writes the index as one text file in the store folder (`kg.store.sidecar(path, "search")`):
a header line, one line per entity (IRI, label, type, class, note, mentions, other labels; ordered
by mentions, so an entity's number is its rank), then one line per key sorted by key
(`key TAB word TAB label TAB type TAB entity`: a key is a label, normalised, from one of its words
on; word 0 is the label's start; label numbers the entity's labels, 0 the preferred one).
Tab sorts below every character a key can hold, so the lines sort as their keys do and the keys that
start with a query are one range, found by bisection. Each key line is also packed into one int that
sorts best first (`Index.codes`, made when the file is read), so a search sorts its range's ints and
reads only as many as it needs: a one-letter query on 12 times regeringen's entities takes
milliseconds (bench/README.md). `tests/test_search.py` shows the ranking and the resolution of
names given where a saved query expects an IRI.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from array import array
from collections import Counter
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
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
ANY_ORDER_SCAN = 1000  # matches of a query's longest word looked at for its other words
TYPE_NAMES = list(TYPES)
TYPE_CODES = {name: code for code, name in enumerate(TYPE_NAMES)}
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
        self.codes = _pack(keys)  # per key line: its rank class, entity, type and label number, as one int

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
        found: dict[int, tuple[int, int]] = {}  # entity -> (rank, label number), its best match first
        for rank, n, label_no in self._ranked(q, wanted):
            if n not in found:
                found[n] = (rank, label_no)
                if len(found) == limit:
                    break
        if len(found) < limit and " " in q:
            self._any_order(q, wanted, found)
        best = sorted(found.items(), key=lambda item: (item[1][0], item[0]))[:limit]
        return [self.hit(n, label_no) for n, (_, label_no) in best]

    def _ranked(self, q: str, wanted: set[str] | None) -> Iterator[tuple[int, int, int]]:
        """(rank, entity, label number) for every key that starts with `q`, best first (an entity's first
        is its best): rank 0 the whole label, 1 a prefix of a label, 2 a prefix of a later word; then
        the more mentioned entity (the smaller number), then the preferred label.

        The keys that start with `q` are one range of the sorted lines; their codes sort best first, so
        a search sorts that range's ints (in C) and reads only as far as it needs."""
        keys, codes = self.keys, self.codes
        lo = bisect.bisect_left(keys, q)
        hi = bisect.bisect_left(keys, q + "\U0010ffff", lo)
        whole = bisect.bisect_left(keys, q + "\t\U0010ffff", lo, hi)  # the lines whose key is `q` itself
        exact = sorted(c for c in codes[lo:whole] if c >> 60 == 0)
        for rank, part in ((0, exact), (1, sorted(codes[lo:hi]))):
            for code in part:
                if wanted is None or TYPE_NAMES[(code >> 24) & 0xF] in wanted:
                    yield rank + (code >> 60), (code >> 28) & 0xFFFFFFFF, code & 0xFFFFFF

    def _any_order(self, q: str, wanted: set[str] | None, found: dict[int, tuple[int, int]]) -> None:
        """Add (rank 3) the entities whose labels have a word starting with each word of `q`, in any order:
        of the best ANY_ORDER_SCAN entities that match its longest word (of at least two letters)."""
        tokens = q.split(" ")
        longest = max(tokens, key=len)
        if len(longest) < 2:
            return
        for i, (_, n, _) in enumerate(self._ranked(longest, wanted)):
            if i == ANY_ORDER_SCAN:
                break
            if n in found:
                continue
            fields = self.entities[n].split("\t")
            for no, label in enumerate([fields[1], *fields[6:]]):
                words = normalise(label).split(" ")
                if all(any(w.startswith(t) for w in words) for t in tokens):
                    found[n] = (3, no)
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
        ranks: dict[int, tuple[int, int]] = {}
        for rank, n, label_no in self._ranked(q, None) if q else ():
            if rank > 1:
                break
            ranks.setdefault(n, (rank, label_no))
        hits = [(rank, self.hit(n, label_no)) for n, (rank, label_no) in ranks.items()]
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


def _pack(keys: list[str]) -> array[int]:
    """Each key line as an int that sorts best first: rank class (0 a label's start, 1 a later word),
    entity number (its rank by mentions), type, label number."""
    packed = array("q")
    for line in keys:
        _, word, label_no, typ, entity = line.split("\t")
        packed.append((word != "0") << 60 | int(entity) << 28 | TYPE_CODES[typ] << 24 | int(label_no))
    return packed


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
    """Every labelled entity of the store's default graph with its type, labels, note and mentions.

    Reads each predicate it needs in one scan (a look-up per entity costs ~4x as much at 10,000 documents)."""
    found: dict[str, _Entity] = {}
    for typ, classes in TYPES.items():
        for cls in classes:
            for q in store.quads_for_pattern(None, RDF_TYPE, NamedNode(cls), DefaultGraph()):
                if isinstance(q.subject, NamedNode) and q.subject.value not in found:
                    found[q.subject.value] = _Entity(q.subject.value, typ, cls.rsplit("/", 1)[-1].rsplit("#", 1)[-1])
    names = [_values(store, p, found) for p in NAME_PREDICATES]
    alts = _values(store, ALT_LABEL, found)
    for iri, e in found.items():
        own = next((sorted(map(_clean, n[iri])) for n in names if iri in n), None)
        if own:
            others = sorted(set(map(_clean, alts.get(iri, []))) - {own[0]})
            e.labels = (own[0], *[n for n in own[1:] if n not in others], *others)
        if e.type == "organisation":
            for q in store.quads_for_pattern(NamedNode(iri), RDF_TYPE, None, DefaultGraph()):
                if q.object.value.startswith(KGO):
                    e.cls = q.object.value[len(KGO) :]
                    e.note = _words(e.cls) if e.cls != "Organisation" else ""  # the class of all the others
    entities = {iri: e for iri, e in found.items() if e.labels and e.labels[0]}
    for q in store.quads_for_pattern(None, NamedNode(SCHEMA + "mentions"), None, DefaultGraph()):
        e = entities.get(q.object.value)
        if e is not None:
            e.mentions += 1
    _notes(store, entities)
    return sorted(entities.values(), key=lambda e: (-e.mentions, normalise(e.labels[0]), e.iri))


def _values(store: Store, predicate: str, subjects: Container[str] | None = None) -> dict[str, list[str]]:
    """subject -> the values of `predicate` in the default graph (of `subjects` only, when given), in one scan."""
    out: dict[str, list[str]] = {}
    for q in store.quads_for_pattern(None, NamedNode(predicate), None, DefaultGraph()):
        if subjects is None or q.subject.value in subjects:
            out.setdefault(q.subject.value, []).append(q.object.value)
    return out


def _words(camel: str) -> str:
    """'GovernmentAgency' -> 'government agency'."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", camel).lower()


def _notes(store: Store, entities: dict[str, _Entity]) -> None:
    """What tells namesakes apart: a person's most evidenced role and organisation, an event's date and
    place, a place's surroundings; roles count the memberships that hold them."""

    def label(values: list[str] | None) -> str:
        e = entities.get(min(values) if values else "")
        return e.labels[0] if e else ""

    roles, orgs = _values(store, ORG + "role"), _values(store, ORG + "organization")
    best: dict[str, tuple[int, str]] = {}
    held: Counter[str] = Counter()
    evidence = NamedNode(KGO + "evidence")
    for q in store.quads_for_pattern(None, NamedNode(ORG + "member"), None, DefaultGraph()):
        membership, person = q.subject.value, q.object.value
        held.update(roles.get(membership, []))
        if person not in entities:
            continue
        weight = sum(1 for _ in store.quads_for_pattern(q.subject, evidence, None, DefaultGraph()))
        note = ", ".join(x for x in (label(roles.get(membership)), label(orgs.get(membership))) if x)
        if note and (person not in best or (weight, note) > best[person]):
            best[person] = (weight, note)
    starts, places = _values(store, SCHEMA + "startDate", entities), _values(store, SCHEMA + "location", entities)
    within = _values(store, SCHEMA + "containedInPlace", entities)
    for iri, e in entities.items():
        if e.type == "person" and iri in best:
            e.note = best[iri][1]
        elif e.type == "role":
            e.mentions = held.get(iri, 0)
        elif e.type == "event":
            start = min(starts.get(iri, [""]))[:10]
            e.note = ", ".join(x for x in (start, label(places.get(iri))) if x)
        elif e.type == "place":
            e.note = label(within.get(iri))


def make(entities: Sequence[_Entity]) -> Index:
    """The index of `entities` (in rank order)."""
    lines, keys = [], []
    for n, e in enumerate(entities):
        lines.append(entity_line(e))
        keys += [f"{key}{n}" for key in entity_keys(e)]
    keys.sort()
    return Index(lines, keys)


def entity_line(e: _Entity) -> str:
    """The entity's line of the index file."""
    return "\t".join([e.iri, e.labels[0], e.type, e.cls, _clean(e.note), str(e.mentions), *e.labels[1:]])


def entity_keys(e: _Entity) -> list[str]:
    """The entity's key lines, each without the entity's number (which ends it)."""
    keys: list[str] = []
    seen: set[str] = set()
    for label_no, label in enumerate(e.labels):
        words = normalise(label).split(" ")
        for i in range(min(len(words), MAX_WORDS)):
            key = " ".join(words[i:])
            if key and key not in seen:
                seen.add(key)
                keys.append(f"{key}\t{0 if i == 0 else 1}\t{label_no}\t{e.type}\t")
    return keys


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
