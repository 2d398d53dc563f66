"""The search index after `kg build --update`: the entities the update can have changed, collected
again from the store and spliced into the index's entity lines, which are then ranked and keyed again.

An entity's line (kg/search.py) holds its type and class, its labels, its mentions and a note; the
update can change it when

- a changed default-graph triple has the entity as subject (types, labels, dates, places), or
  mentions it (`schema:mentions`: its count);
- a changed triple is about a membership the entity holds (a person's note: its best-evidenced role
  and organisation) or whose role it is (a role counts its memberships);
- the preferred label of an entity its note names changed, or that entity came or went: the events
  it is the place of, the places within it, the people whose memberships name it as role or
  organisation.

Those entities are read one by one (`entity`, `with_note`) exactly as `search.collect` reads every
entity of the store in bulk; the other lines are kept as they are, and so are their key lines but for
the entity's number (its rank, which the update may shift).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from pyoxigraph import DefaultGraph, NamedNode, Store

from kg.search import (
    ALT_LABEL,
    KGO,
    MAGIC,
    NAME_PREDICATES,
    ORG,
    RDF_TYPE,
    SCHEMA,
    TYPES,
    _clean,
    _Entity,
    _words,
    entity_keys,
    entity_line,
    normalise,
)

if TYPE_CHECKING:
    from kg.sidecar_update import Diff

MEMBER, ROLE, ORGANIZATION = NamedNode(ORG + "member"), NamedNode(ORG + "role"), NamedNode(ORG + "organization")
MENTIONS = NamedNode(SCHEMA + "mentions")
EVIDENCE = NamedNode(KGO + "evidence")
START, LOCATION, WITHIN = (NamedNode(SCHEMA + p) for p in ("startDate", "location", "containedInPlace"))


def _values(store: Store, subject: NamedNode, predicate: NamedNode) -> list[str]:
    return [q.object.value for q in store.quads_for_pattern(subject, predicate, None, DefaultGraph())]


def _count(store: Store, s: NamedNode | None, p: NamedNode, o: NamedNode | None) -> int:
    return sum(1 for _ in store.quads_for_pattern(s, p, o, DefaultGraph()))


def entity(store: Store, iri: str) -> _Entity | None:
    """The entity `iri` as `search.collect` finds it, without its note (None when it is not indexed)."""
    node = NamedNode(iri)
    types = [q.object.value for q in store.quads_for_pattern(node, RDF_TYPE, None, DefaultGraph())]
    kind = next(((typ, cls) for typ, classes in TYPES.items() for cls in classes if cls in types), None)
    if kind is None:
        return None
    e = _Entity(iri, kind[0], kind[1].rsplit("/", 1)[-1].rsplit("#", 1)[-1])
    names = (_values(store, node, NamedNode(p)) for p in NAME_PREDICATES)
    own = next((sorted(map(_clean, n)) for n in names if n), None)
    if not own or not own[0]:
        return None
    others = sorted(set(map(_clean, _values(store, node, NamedNode(ALT_LABEL)))) - {own[0]})
    e.labels = (own[0], *[n for n in own[1:] if n not in others], *others)
    if e.type == "organisation":
        for cls in types:
            if cls.startswith(KGO):
                e.cls = cls[len(KGO) :]
                e.note = _words(e.cls) if e.cls != "Organisation" else ""
    e.mentions = _count(store, None, MENTIONS, node)
    if e.type == "role":  # the memberships that hold it, once per member
        e.mentions = sum(
            _count(store, q.subject, MEMBER, None)  # type: ignore[arg-type]
            for q in store.quads_for_pattern(None, ROLE, node, DefaultGraph())
        )
    return e


def with_note(store: Store, e: _Entity, label: Callable[[str], str]) -> _Entity:
    """`e` with the note `search._notes` gives it; `label(iri)` is an indexed entity's label, else ''."""

    def first(values: list[str]) -> str:
        return label(min(values)) if values else ""

    node = NamedNode(e.iri)
    if e.type == "person":
        best: tuple[int, str] | None = None
        for q in store.quads_for_pattern(None, MEMBER, node, DefaultGraph()):
            m = q.subject
            weight = _count(store, m, EVIDENCE, None)  # type: ignore[arg-type]
            note = ", ".join(x for x in (first(_values(store, m, ROLE)), first(_values(store, m, ORGANIZATION))) if x)  # type: ignore[arg-type]
            if note and (best is None or (weight, note) > best):
                best = (weight, note)
        if best is not None:
            e.note = best[1]
    elif e.type == "event":
        start = min(_values(store, node, START) or [""])[:10]
        e.note = ", ".join(x for x in (start, first(_values(store, node, LOCATION))) if x)
    elif e.type == "place":
        e.note = first(_values(store, node, WITHIN))
    return e


def touched(diff: Diff) -> set[str]:
    """IRIs of the entities whose lines the changes can alter directly (not through a label)."""
    out: set[str] = set()
    subjects = set()
    for t, _ in diff.changed:
        subjects.add(t.subject)
        if t.predicate == MENTIONS and isinstance(t.object, NamedNode):
            out.add(t.object.value)
    for s in subjects:
        if isinstance(s, NamedNode):
            out.add(s.value)
        for predicate in (MEMBER, ROLE):  # memberships: their people's notes, their roles' counts
            objects = [t.object for t in diff.after(s, predicate)]
            objects += [t.object for t, sign in diff.delta(s, predicate) if sign < 0]
            out |= {o.value for o in objects if isinstance(o, NamedNode)}
    return out


def naming(store: Store, iris: Iterable[str]) -> set[str]:
    """IRIs of the entities whose notes name one of `iris`: events there, places within, people whose
    memberships have it as role or organisation."""
    out: set[str] = set()
    default = DefaultGraph()
    for iri in iris:
        node = NamedNode(iri)
        for predicate in (LOCATION, WITHIN):
            subjects = [q.subject for q in store.quads_for_pattern(None, predicate, node, default)]
            out |= {s.value for s in subjects if isinstance(s, NamedNode)}
        for predicate in (ROLE, ORGANIZATION):
            for q in store.quads_for_pattern(None, predicate, node, default):
                members = [m.object for m in store.quads_for_pattern(q.subject, MEMBER, None, default)]
                out |= {o.value for o in members if isinstance(o, NamedNode)}
    return out


def adjusted(text: str, diff: Diff) -> str | None:
    """The index file `text` adjusted by the update `diff` (None when `text` is no index file)."""
    lines = text.split("\n")
    head = lines[0].split("\t")
    if head[0] != MAGIC or len(head) < 3 or not (head[1].isdigit() and head[2].isdigit()):
        return None
    if len(lines) < 1 + int(head[1]) + int(head[2]):
        return None
    n, m = int(head[1]), int(head[2])
    old = {line.split("\t", 1)[0]: line for line in lines[1 : 1 + n]}

    def old_label(iri: str) -> str:
        line = old.get(iri)
        return line.split("\t", 2)[1] if line is not None else ""

    store = diff.store
    fresh = {iri: entity(store, iri) for iri in touched(diff)}

    def label(iri: str) -> str:
        if iri in fresh:
            e = fresh[iri]
            return e.labels[0] if e is not None else ""
        return old_label(iri)

    relabelled = [iri for iri in fresh if label(iri) != old_label(iri)]
    for iri in naming(store, relabelled) - set(fresh):
        fresh[iri] = entity(store, iri)
    for e in fresh.values():
        if e is not None:
            with_note(store, e, label)
    return _spliced(lines[1 : 1 + n], lines[1 + n : 1 + n + m], fresh)


def _spliced(entity_lines: list[str], key_lines: list[str], fresh: dict[str, _Entity | None]) -> str:
    """The index file of the old lines, without the entities in `fresh`, and of the entities in `fresh`
    (those not None): ranked again, the kept entities' key lines renumbered rather than made again."""
    keys_of: list[list[str]] = [[] for _ in entity_lines]
    label_key = [""] * len(entity_lines)  # the normalised label: the key of word 0 of label 0
    for line in key_lines:
        head, _, number = line.rpartition("\t")
        n = int(number)
        keys_of[n].append(head + "\t")
        key, word, label_no, _ = head.split("\t")
        if word == "0" and label_no == "0":
            label_key[n] = key
    ranked = []
    for n, line in enumerate(entity_lines):
        iri, _, rest = line.partition("\t")
        if iri not in fresh:
            ranked.append((-int(rest.split("\t", 5)[4]), label_key[n], iri, line, keys_of[n]))
    for e in fresh.values():
        if e is not None:
            ranked.append((-e.mentions, normalise(e.labels[0]), e.iri, entity_line(e), entity_keys(e)))
    ranked.sort(key=lambda r: r[:3])
    keys = [f"{key}{n}" for n, r in enumerate(ranked) for key in r[4]]
    keys.sort()
    return "\n".join([f"{MAGIC}\t{len(ranked)}\t{len(keys)}", *(r[3] for r in ranked), *keys]) + "\n"
