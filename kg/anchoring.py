"""Predicates whose triples only the rows of their object's document read ("anchored" predicates).

A view row of document d may read, through the merged default graph, what other documents say about
the entities d names; `kg build --update` therefore recomputes the rows of every document that can
reach a changed triple (kg/view_update.py). Some links, though, lead from a shared entity to a node
that only one document names: a person's `cv:contactPoint`, a project's `cv:hasParticipation`. When
every saved query that reads such a predicate p reads it as

    ?a p ?b . ?b kgo:evidence ?s . ?s nif:referenceContext ?t . ?t nif:sourceUrl ?document

(or `?b schema:isPartOf ?document`) in one basic graph pattern, whose ?document is the row's own
?document, a row of d only ever reads a triple `a p b` when b has an evidence span in d (or is part
of d): spans, their texts and `schema:isPartOf` are stated only by their own document, so b is then
named in d's graph. A changed `a p b` can thus only alter the rows of the documents naming b, and no
other document reaches anything through it.

`anchored` proves this on the queries' algebra (rdflib's SPARQL parser): for each occurrence of p,
every operator between its basic graph pattern and the query's result must keep the rows of one
document apart from the others' — joins, unions, filters, BIND, DISTINCT, ORDER BY; OPTIONAL and
MINUS when p is on their left, or on their right with ?document bound in every left solution; a
sub-select or GROUP BY only when it keeps ?document. Anything else (property paths, EXISTS, GRAPH,
LIMIT, a predicate variable, a query it cannot parse) leaves p not anchored, and the update walks
through it as before. The result depends only on the query texts: it is kept in `views/+anchored.json`
by their checksums, so an update does not import the parser.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kg.queries import SavedQuery

VERSION = 1  # of this analysis: a cache written by another version is recomputed
FILE = "+anchored.json"  # not a view's name (views are named [A-Za-z0-9_-]+)
KGO = "https://w3id.org/sv-press-kg/ontology#"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
EVIDENCE = KGO + "evidence"
REFERENCE_CONTEXT = NIF + "referenceContext"
SOURCE_URL = NIF + "sourceUrl"
IS_PART_OF = "https://schema.org/isPartOf"
DOCUMENT = "document"
# operators that pass the solutions of one document through without mixing them with another's
_PLAIN = {"Distinct", "Reduced", "OrderBy", "ToMultiSet", "Join", "Union", "Filter", "Extend", "AggregateJoin"}


def key(queries: Iterable[SavedQuery]) -> str:
    texts = sorted(hashlib.sha256(q.sparql.encode("utf-8")).hexdigest() for q in queries)
    return hashlib.sha256(json.dumps([VERSION, texts]).encode()).hexdigest()


def cached(folder: Path | str, queries: list[SavedQuery]) -> set[str]:
    """`anchored(queries)`, read from `folder`/+anchored.json when it was computed for these query
    texts, else computed and written there (when the folder can be written)."""
    path = Path(folder) / FILE
    wanted = key(queries)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("key") == wanted:
            return set(data["predicates"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    found = anchored(queries)
    try:
        partial = path.with_suffix(".partial")
        partial.write_text(json.dumps({"key": wanted, "predicates": sorted(found)}), encoding="utf-8")
        partial.replace(path)
    except OSError:
        pass
    return found


_KNOWN: dict[str, set[str]] = {}  # key -> anchored predicates, in this process


def anchored(queries: Iterable[SavedQuery]) -> set[str]:
    """The predicates (IRIs) that every one of `queries` reads only anchored to the row's document."""
    queries = list(queries)
    known = _KNOWN.get(key(queries))
    if known is None:
        known = _KNOWN[key(queries)] = _anchored(queries)
    return set(known)


def _anchored(queries: list[SavedQuery]) -> set[str]:
    good: set[str] = set()
    bad: set[str] = set()
    for q in queries:
        try:
            found, spoiled = _query(q.sparql)
        except Exception:  # a query rdflib cannot read: nothing of it is proven
            return set()
        if found is None:
            return set()
        good |= found
        bad |= spoiled
    return good - bad


def _query(text: str) -> tuple[set[str] | None, set[str]]:
    """(predicates occurring anchored, predicates occurring otherwise) in one query; (None, …) when
    its pattern has a predicate variable (it may read any predicate)."""
    from rdflib.plugins.sparql import prepareQuery

    algebra = prepareQuery(text).algebra
    walk = _Walk()
    if algebra.name != "SelectQuery" or not any(str(v) == DOCUMENT for v in algebra.get("PV") or []):
        walk.ok_root = False
    walk.visit(algebra.p, [] if walk.ok_root else [None])
    if walk.any_predicate:
        return None, set()
    return walk.good, walk.bad


class _Walk:
    def __init__(self) -> None:
        self.good: set[str] = set()
        self.bad: set[str] = set()
        self.any_predicate = False
        self.ok_root = True

    def visit(self, node: Any, path: list[Any]) -> None:
        """`path`: the operators above `node` that could not keep documents apart (None entries), or
        the ones that do; an occurrence is anchored only when `path` holds no None."""
        from rdflib.paths import Path as RdfPath
        from rdflib.plugins.sparql.parserutils import CompValue
        from rdflib.term import URIRef, Variable

        if isinstance(node, list):
            for item in node:
                self.visit(item, path)
            return
        if not isinstance(node, CompValue):
            if isinstance(node, RdfPath):
                self.bad |= _iris(node)
            return
        name = node.name
        if name == "BGP":
            for _s, p, o in node.triples:
                if isinstance(p, Variable):
                    self.any_predicate = True
                elif isinstance(p, URIRef):
                    if None not in path and isinstance(o, Variable) and _anchor(node.triples, o):
                        self.good.add(str(p))
                    else:
                        self.bad.add(str(p))
                else:  # a property path: its predicates are read along the path
                    self.bad |= _iris(p)
            return
        for slot, child in node.items():
            if slot.startswith("_") or slot in ("PV", "var", "A"):
                continue
            if slot not in ("p", "p1", "p2"):  # expressions (FILTER, BIND, GROUP BY, ORDER BY): EXISTS may hide here
                self.visit(child, [*path, None])
                continue
            self.visit(child, [*path, self._keeps(node, slot)])

    def _keeps(self, node: Any, slot: str) -> Any:
        """The operator `node` if it keeps one document's solutions in `slot` apart, else None."""
        from rdflib.term import Variable

        name = node.name
        document = Variable(DOCUMENT)
        if name in _PLAIN:
            return node
        if name in ("LeftJoin", "Minus"):
            return node if slot == "p1" or document in _bound(node.p1) else None
        if name == "Project":
            return node if document in node.PV else None
        if name == "Group":
            return node if document in (node.get("expr") or []) else None
        return None  # Slice, Graph, Service, values, and anything this walk does not know


def _iris(path: Any) -> set[str]:
    from rdflib.term import URIRef

    found: set[str] = set()
    stack = [path]
    while stack:
        item = stack.pop()
        if isinstance(item, URIRef):
            found.add(str(item))
        for attr in ("args", "path", "arg"):
            value = getattr(item, attr, None)
            if value is not None:
                stack.extend(value if isinstance(value, list) else [value])
    return found


def _anchor(triples: list[tuple], var: Any) -> bool:
    """Whether the basic graph pattern ties `var` to ?document through an evidence span of the
    document's text, or schema:isPartOf."""
    from rdflib.paths import SequencePath
    from rdflib.term import URIRef, Variable

    document = Variable(DOCUMENT)

    def has(s: Any, p: str, o: Any) -> list[Any]:
        return [t[2] for t in triples if t[0] == s and t[1] == URIRef(p) and (o is None or t[2] == o)]

    if has(var, IS_PART_OF, document):
        return True
    for span in has(var, EVIDENCE, None):
        if not isinstance(span, Variable):
            continue
        for t in triples:
            if t[0] != span:
                continue
            if t[1] == URIRef(REFERENCE_CONTEXT) and isinstance(t[2], Variable) and has(t[2], SOURCE_URL, document):
                return True
            if (
                isinstance(t[1], SequencePath)
                and [str(a) for a in t[1].args] == [REFERENCE_CONTEXT, SOURCE_URL]
                and t[2] == document
            ):
                return True
    return False


def _bound(node: Any) -> set[Any]:
    """Variables bound in every solution of the pattern `node` (fewer when unsure)."""
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import Variable

    if not isinstance(node, CompValue):
        return set()
    name = node.name
    if name == "BGP":
        return {term for t in node.triples for term in (t[0], t[2]) if isinstance(term, Variable)}
    if name == "Join":
        return _bound(node.p1) | _bound(node.p2)
    if name in ("LeftJoin", "Minus"):
        return _bound(node.p1)
    if name == "Union":
        return _bound(node.p1) & _bound(node.p2)
    if name in ("Filter", "Extend", "Distinct", "Reduced", "OrderBy", "ToMultiSet", "Slice"):
        return _bound(node.p)
    if name == "Project":
        return _bound(node.p) & set(node.PV)
    return set()
