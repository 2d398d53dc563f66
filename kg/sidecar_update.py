"""Sidecars that follow `kg build --update`: the VoID statistics, the overview and the search index,
adjusted by what the update changed instead of recounted from the whole store.

The update records the default-graph triples it added and removed (`Changes`, exact when no killed
update came before) and the net change in document graphs. The store holds the graph after the
update; the graph before is the store's triples minus those added plus those removed (`Diff`). Every
count the sidecars hold is then adjusted by the triples that changed: a count of triples directly, a
count of distinct subjects or objects by asking, for each changed subject or object, whether it had a
triple before and has one after; a class's triples by each changed subject's triple count before and
after. The search index re-collects the entities the changes can reach (kg/search_update.py).

A sidecar is adjusted only when the update found it in place (and no killed update came before:
then nothing says what changed); otherwise it is computed whole, as a full build does.
`tests/test_sidecar_update.py` compares every adjusted sidecar with a fresh build's.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Store, Triple

from kg import overview, search, search_update, void
from kg import store as kgstore
from kg.progress import Progress
from kg.view_update import Changes

Term = NamedNode | BlankNode | Literal
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SCHEMA = "https://schema.org/"
MENTIONS = NamedNode(SCHEMA + "mentions")
PUBLISHED = NamedNode(SCHEMA + "datePublished")
PUBLISHER = NamedNode(SCHEMA + "publisher")
ORGANIZATION = NamedNode("http://www.w3.org/ns/org#Organization")
# overview count -> the class whose instances it counts (organisations: only those a document mentions)
COUNTED = {
    "people": "http://xmlns.com/foaf/0.1/Person",
    "events": SCHEMA + "Event",
    "quotes": SCHEMA + "Quotation",
    "places": SCHEMA + "Place",
    "projects": SCHEMA + "Project",
}


class Diff:
    """The default graph before and after an update: the store holds it after, `changes` what differs."""

    def __init__(self, store: Store, changes: Changes) -> None:
        self.store = store
        self.added, self.removed = changes.added, changes.removed
        self.changed = [(t, 1) for t in changes.added] + [(t, -1) for t in changes.removed]
        self._by: list[dict[Term, list[tuple[Triple, int]]]] = [defaultdict(list) for _ in range(3)]
        for t, sign in self.changed:
            for i, term in enumerate((t.subject, t.predicate, t.object)):
                self._by[i][term].append((t, sign))

    def after(self, s: Term | None = None, p: NamedNode | None = None, o: Term | None = None) -> Iterator[Triple]:
        """The default-graph triples matching the pattern, after the update.

        The pattern is checked again: an on-disk store (pyoxigraph 0.5.13) given an xsd:integer object
        also returns triples with nearby integers."""
        found = (q.triple for q in self.store.quads_for_pattern(s, p, o, DefaultGraph()))  # type: ignore[arg-type]
        return found if o is None or not isinstance(o, Literal) else (t for t in found if t.object == o)

    def delta(
        self, s: Term | None = None, p: NamedNode | None = None, o: Term | None = None
    ) -> list[tuple[Triple, int]]:
        """The changed triples matching the pattern, each with +1 (added) or -1 (removed)."""
        pattern = (s, p, o)
        bound = [(i, term) for i, term in enumerate(pattern) if term is not None]
        if not bound:
            return list(self.changed)
        i, term = min(bound, key=lambda b: len(self._by[b[0]].get(b[1], ())))
        return [(t, sign) for t, sign in self._by[i].get(term, ()) if _matches(t, pattern)]

    def net(self, s: Term | None = None, p: NamedNode | None = None, o: Term | None = None) -> int:
        """How many more triples match the pattern after the update than before."""
        return sum(sign for _, sign in self.delta(s, p, o))

    def exists_after(self, s: Term | None = None, p: NamedNode | None = None, o: Term | None = None) -> bool:
        return next(self.after(s, p, o), None) is not None

    def exists_before(self, s: Term | None = None, p: NamedNode | None = None, o: Term | None = None) -> bool:
        if any(t not in self.added for t in self.after(s, p, o)):
            return True
        return any(sign < 0 for _, sign in self.delta(s, p, o))


def _matches(t: Triple, pattern: tuple[Term | None, ...]) -> bool:
    terms = (t.subject, t.predicate, t.object)
    return all(want is None or want == got for want, got in zip(pattern, terms, strict=True))


# ---- VoID statistics


def void_after(old: dict[str, Any], diff: Diff, graphs: int) -> dict[str, Any]:
    """The VoID statistics `old` adjusted by the update `diff` (`graphs`: document graphs added net)."""
    data = json.loads(json.dumps(old))  # a copy, its keys in their order
    data["triples"] += len(diff.added) - len(diff.removed)
    subjects = {t.subject for t, _ in diff.changed}
    objects = {t.object for t, _ in diff.changed}
    data["distinctSubjects"] += sum(diff.exists_after(s) - diff.exists_before(s) for s in subjects)
    data["distinctObjects"] += sum(diff.exists_after(o=o) - diff.exists_before(o=o) for o in objects)
    classes: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for c in old["classes"]:
        classes[c["class"]] = [c["entities"], c["triples"]]
    for s in subjects:
        after = list(diff.after(s))
        delta = diff.delta(s)
        before_count = len(after) - sum(sign for _, sign in delta)
        types_after = {t.object.value for t in after if t.predicate == RDF_TYPE and isinstance(t.object, NamedNode)}
        typed = [(t.object.value, n) for t, n in delta if t.predicate == RDF_TYPE and isinstance(t.object, NamedNode)]
        types_before = (types_after - {c for c, sign in typed if sign > 0}) | {c for c, sign in typed if sign < 0}
        for c in types_before:
            classes[c][0] -= 1
            classes[c][1] -= before_count
        for c in types_after:
            classes[c][0] += 1
            classes[c][1] += len(after)
    data["classes"] = [
        {"class": c, "entities": n, "triples": k}
        for c, (n, k) in sorted(classes.items(), key=lambda item: (-item[1][0], item[0]))
        if n > 0
    ]
    properties = Counter({p["property"]: p["triples"] for p in old["properties"]})
    for t, sign in diff.changed:
        properties[t.predicate.value] += sign
    ranked = sorted(properties.items(), key=lambda item: (-item[1], item[0]))
    data["properties"] = [{"property": p, "triples": n} for p, n in ranked if n > 0]
    store = diff.store
    base = kgstore.detect_base(store) or ""
    data["graphs"]["documents"] += graphs
    meta = f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{base}graph/meta> {{ ?s ?p ?o }} }}"
    data["graphs"]["meta"] = int(next(iter(store.query(meta)))["n"].value)  # type: ignore[index]
    runs = next(iter(store.query(void.RUNS, prefixes=kgstore.PREFIXES)))  # type: ignore[call-overload]
    data["created"] = runs["created"].value if runs["created"] is not None else None
    data["modified"] = runs["modified"].value if runs["modified"] is not None else None
    return data


# ---- the overview


def overview_after(old: dict[str, Any], diff: Diff, graphs: int) -> dict[str, Any]:
    """The overview `old` adjusted by the update `diff` (`graphs`: document graphs added net)."""
    data = json.loads(json.dumps(old))
    counts = data["counts"]
    counts["triples"] += len(diff.added) - len(diff.removed)
    counts["documents"] += graphs
    for name, cls in COUNTED.items():
        counts[name] += diff.net(p=RDF_TYPE, o=NamedNode(cls))
    candidates = {t.object for t, _ in diff.delta(p=MENTIONS)}
    candidates |= {t.subject for t, _ in diff.delta(p=RDF_TYPE, o=ORGANIZATION)}
    for org in candidates:
        if isinstance(org, Literal):
            continue
        before = diff.exists_before(o=org, p=MENTIONS) and diff.exists_before(org, RDF_TYPE, ORGANIZATION)
        after = diff.exists_after(o=org, p=MENTIONS) and diff.exists_after(org, RDF_TYPE, ORGANIZATION)
        counts["organisations"] += after - before
    _dates_after(data, diff)
    _publishers_after(data, diff)
    return data


def _dates_after(data: dict[str, Any], diff: Diff) -> None:
    dates = diff.delta(p=PUBLISHED)
    if not dates:
        return
    published = data["published"]
    published["dated"] += sum(sign for _, sign in dates)
    years = Counter({y["year"]: y["documents"] for y in data["years"]})
    for t, sign in dates:
        if t.object.value[:4].isdigit():
            years[int(t.object.value[:4])] += sign
    data["years"] = [{"year": y, "documents": n} for y, n in sorted(years.items()) if n > 0]
    gone = {t.object.value for t, sign in dates if sign < 0}
    if published["first"] in gone or published["last"] in gone:  # the first or last date may have gone: look
        values = [t.object.value for t in diff.after(p=PUBLISHED)]
        published["first"], published["last"] = min(values, default=None), max(values, default=None)
    else:
        new = [t.object.value for t, sign in dates if sign > 0]
        published["first"] = min([*new, *[v for v in [published["first"]] if v is not None]], default=None)
        published["last"] = max([*new, *[v for v in [published["last"]] if v is not None]], default=None)


def _publishers_after(data: dict[str, Any], diff: Diff) -> None:
    """The top publishers: the listed ones and those whose documents changed, recounted; all of them
    counted again only when one not listed could now be among the first."""
    top = data["publishers"]
    changed = {t.object for t, _ in diff.delta(p=PUBLISHER) if isinstance(t.object, NamedNode)}
    if changed:
        listed_all = data["publishers_total"] == len(top)  # no publisher was left out of the list
        last = (-top[-1]["documents"], top[-1]["iri"]) if top else None
        now = {p["iri"]: p["documents"] for p in top}
        for iri in changed:
            after = sum(1 for _ in diff.after(p=PUBLISHER, o=iri))
            before = after - diff.net(p=PUBLISHER, o=iri)
            data["publishers_total"] += (after > 0) - (before > 0)
            now[iri.value] = after
        ranked = sorted((-n, iri) for iri, n in now.items() if n > 0)
        wanted = overview.TOP_PUBLISHERS
        if not listed_all and (len(ranked) < wanted or last is None or ranked[wanted - 1] > last):
            counted = Counter(t.object.value for t in diff.after(p=PUBLISHER) if isinstance(t.object, NamedNode))
            ranked = sorted((-n, iri) for iri, n in counted.items())
        top = [{"iri": iri, "documents": -n} for n, iri in ranked[:wanted]]
    data["publishers"] = [{"iri": p["iri"], "label": _label(diff, p["iri"]), "documents": p["documents"]} for p in top]


def _label(diff: Diff, iri: str) -> str:
    labels = sorted(t.object.value for t in diff.after(NamedNode(iri), overview.PREF_LABEL))
    return labels[0] if labels else iri


# ---- writing


WHOLE = 0.2  # changes to more than this part of the triples: the sidecars are computed whole
# (at 10,000 documents adjusting them costs ~3 ms per changed document, computing them ~7 s)
SIDECAR_PHASES = (("search", "search index"), ("overview", "overview"), ("void", "void"))


def previous(store_path: Path | str) -> dict[str, str]:
    """The sidecar files now in the store folder, by name (read before an update drops them)."""
    found = {}
    for name in kgstore.SIDECARS:
        try:
            found[name] = kgstore.sidecar(store_path, name).read_text(encoding="utf-8")
        except OSError:
            continue
    return found


def write(
    store: Store,
    store_path: Path | str,
    changes: Changes | None,
    before: dict[str, str],
    progress: Progress | None = None,
) -> dict[str, str]:
    """Write the sidecars of the updated store: each adjusted from its text in `before` by `changes`, or
    computed whole when it was missing, unreadable, `changes` is None (nothing says what changed) or
    changed more than a `WHOLE` part of the triples (counting is then cheaper).
    Returns how each was made ("adjusted" or "computed")."""
    progress = progress or Progress.quiet()
    if changes is not None and len(changes.added) + len(changes.removed) > WHOLE * _triples(before):
        changes = None
    diff = Diff(store, changes) if changes is not None else None
    graphs = changes.graphs if changes is not None else 0
    how = {}
    for name, phase in SIDECAR_PHASES:
        with progress.phase(phase) as step:
            text = _adjusted(name, before.get(name), diff, graphs) if diff is not None else None
            if text is None:
                {"search": search.write, "overview": overview.write, "void": void.write}[name](store, store_path)
                how[name] = "computed"
            else:
                kgstore.write_sidecar(store_path, name, text)
                how[name] = "adjusted"
            step.note = how[name]
    return how


def _triples(before: dict[str, str]) -> int:
    """The default graph's triples before the update, as the VoID statistics or the overview say (0 if
    neither does)."""
    for name, path in (("void", ("triples",)), ("overview", ("counts", "triples"))):
        try:
            value: Any = json.loads(before[name])
            for key in path:
                value = value[key]
            return int(value)
        except (KeyError, ValueError, TypeError):
            continue
    return 0


def _adjusted(name: str, text: str | None, diff: Diff, graphs: int) -> str | None:
    """The sidecar `name` adjusted from its old `text`; None when there is none, or it is not of the form
    this version writes (an older version's file: it is computed whole)."""
    if text is None:
        return None
    try:
        if name == "search":
            return search_update.adjusted(text, diff)
        old = json.loads(text)
        if name == "overview":
            return json.dumps(overview_after(old, diff, graphs), ensure_ascii=False, indent=1)
        return json.dumps(void_after(old, diff, graphs), ensure_ascii=False, indent=1)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError):
        return None
