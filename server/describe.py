"""Data access for linked-data pages: bounded, paginated descriptions of one resource.

A description holds the resource's triples as subject (default graph plus the provenance graph
`graph/meta`), one page of its incoming links, and the labels of the resources it links to. Every
list is bounded: multi-valued properties and incoming links are paged (`limit` per page).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain, islice

from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Store, Triple, Variable

from kg.entity import parse_span
from kg.store import PREFIXES

RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SKOS = PREFIXES["skos"]
SCHEMA = PREFIXES["schema"]
NIF = PREFIXES["nif"]
KGO = PREFIXES["kgo"]
EVIDENCE = NamedNode(KGO + "evidence")
MENTIONS = NamedNode(SCHEMA + "mentions")
IS_STRING = NamedNode(NIF + "isString")
ANCHOR_OF = NamedNode(NIF + "anchorOf")
PUBLISHED = NamedNode(SCHEMA + "datePublished")
LABELS = [
    NamedNode(SKOS + "prefLabel"),
    NamedNode(PREFIXES["foaf"] + "name"),
    NamedNode(SCHEMA + "name"),
    NamedNode(SCHEMA + "headline"),
    NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
    ANCHOR_OF,
]
# Nodes without a name get a readable title from one of these (HTML only, never in RDF).
TITLES = [NamedNode(SCHEMA + "text"), NamedNode(PREFIXES["cv"] + "email"), NamedNode(PREFIXES["cv"] + "telephone")]
MAX_SOURCES = 6  # named graphs listed per fact

# Substituted variables must be projected, hence the constant ?s/?o and ?meta in GROUP BY.
COUNT_OUT = (
    "SELECT ?s ?meta ?p (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?meta { ?s ?p ?o } } } GROUP BY ?s ?meta ?p"
)
COUNT_IN = (
    "SELECT ?o ?meta ?p (COUNT(*) AS ?n) WHERE { { ?x ?p ?o } UNION { GRAPH ?meta { ?x ?p ?o } } } GROUP BY ?o ?meta ?p"
)
ANY = "ASK { { ?s ?p ?o } UNION { ?x ?q ?s } UNION { GRAPH ?meta { { ?s ?p ?o } UNION { ?x ?q ?s } } } }"

Term = NamedNode | BlankNode | Literal


@dataclass
class Description:
    """One page of what the store says about `iri`."""

    iri: NamedNode
    page: int
    limit: int
    out: dict[str, list[Term]] = field(default_factory=dict)  # predicate IRI -> this page's values
    out_counts: dict[str, int] = field(default_factory=dict)  # predicate IRI -> all values
    incoming: list[tuple[NamedNode | BlankNode, NamedNode]] = field(default_factory=list)
    in_counts: dict[str, int] = field(default_factory=dict)
    labels: dict[str, Literal] = field(default_factory=dict)  # linked IRI -> its label literal
    label_predicates: dict[str, NamedNode] = field(default_factory=dict)
    named_graph: bool = False

    @property
    def in_total(self) -> int:
        return sum(self.in_counts.values())

    @property
    def has_next(self) -> bool:
        """True when a later page has more values or incoming links."""
        end = self.page * self.limit
        return self.in_total > end or any(n > end for n in self.out_counts.values())

    def values(self, predicate: str) -> list[Term]:
        return self.out.get(predicate, [])

    def triples(self) -> list[Triple]:
        """The RDF of this page: outgoing and incoming triples, and labels of the linked resources."""
        out = [Triple(self.iri, NamedNode(p), o) for p, values in self.out.items() for o in values]
        out += [Triple(s, p, self.iri) for s, p in self.incoming]
        for iri, label in self.labels.items():
            if iri != self.iri.value:
                out.append(Triple(NamedNode(iri), self.label_predicates[iri], label))
        return out


class Reader:
    """Bounded reads from one store with the data's base IRI."""

    def __init__(self, store: Store, base: str) -> None:
        self.store = store
        self.base = base
        self.meta = NamedNode(base + "graph/meta")

    def _subs(self, **terms: Term) -> dict[Variable, Term]:
        return {Variable(k): v for k, v in terms.items()}

    def exists(self, iri: NamedNode) -> bool:
        """True when the IRI occurs in the default or provenance graph, or names a graph."""
        if self.store.query(ANY, substitutions=self._subs(s=iri, meta=self.meta)):
            return True
        return self.store.contains_named_graph(iri)

    def _quads(self, s: Term | None, p: NamedNode | None, o: Term | None) -> Iterator:
        return chain(
            self.store.quads_for_pattern(s, p, o, DefaultGraph()), self.store.quads_for_pattern(s, p, o, self.meta)
        )

    def _counts(self, query: str, **terms: Term) -> dict[str, int]:
        result = self.store.query(query, substitutions=self._subs(meta=self.meta, **terms))
        return {sol["p"].value: int(sol["n"].value) for sol in result}

    def describe(self, iri: NamedNode, page: int = 1, limit: int = 100) -> Description:
        """Page `page` (1-based) of the description: `limit` values per property, `limit` incoming links."""
        desc = Description(iri, page, limit, named_graph=self.store.contains_named_graph(iri))
        start = (page - 1) * limit
        desc.out_counts = self._counts(COUNT_OUT, s=iri)
        for p in sorted(desc.out_counts):
            values = [q.object for q in islice(self._quads(iri, NamedNode(p), None), start, start + limit)]
            if values:
                desc.out[p] = values
        desc.in_counts = self._counts(COUNT_IN, o=iri)
        desc.incoming = [(q.subject, q.predicate) for q in islice(self._quads(None, None, iri), start, start + limit)]
        linked = [o for values in desc.out.values() for o in values] + [s for s, _ in desc.incoming]
        for term in linked:
            if isinstance(term, NamedNode) and term.value not in desc.labels:
                found = self.label_triple(term)
                if found:
                    desc.label_predicates[term.value], desc.labels[term.value] = found
        return desc

    def label_triple(self, iri: NamedNode) -> tuple[NamedNode, Literal] | None:
        """The first label of `iri` in the default graph, with its predicate."""
        for predicate in LABELS:
            for quad in self.store.quads_for_pattern(iri, predicate, None, DefaultGraph()):
                if isinstance(quad.object, Literal):
                    return predicate, quad.object
        return None

    def label(self, iri: NamedNode) -> str | None:
        found = self.label_triple(iri)
        return found[1].value if found else None

    def title(self, iri: NamedNode) -> str | None:
        """A label, else a short readable value (quote text, e-mail, phone) for unnamed nodes."""
        found = self.label(iri)
        if found:
            return found
        for predicate in TITLES:
            for quad in self.store.quads_for_pattern(iri, predicate, None, DefaultGraph()):
                text = quad.object.value
                return text if len(text) <= 80 else text[:77] + "…"
        return None

    def types(self, iri: NamedNode) -> list[str]:
        return [q.object.value for q in islice(self.store.quads_for_pattern(iri, RDF_TYPE, None, DefaultGraph()), 50)]

    def sources(self, s: Term, p: NamedNode, o: Term) -> list[str]:
        """Named graphs (documents, reference, meta) that state the triple, at most MAX_SOURCES."""
        graphs = (q.graph_name for q in self.store.quads_for_pattern(s, p, o, None))
        return [g.value for g in islice((g for g in graphs if isinstance(g, NamedNode)), MAX_SOURCES)]

    def text(self, doc: str) -> str | None:
        """The NIF string of document `doc` (IRI of res/doc/{id})."""
        for quad in self.store.quads_for_pattern(NamedNode(doc + "/text"), IS_STRING, None, DefaultGraph()):
            return quad.object.value
        return None

    def published(self, doc: str) -> str | None:
        """The publication date of document `doc` (IRI of res/doc/{id}), as written."""
        for quad in self.store.quads_for_pattern(NamedNode(doc), PUBLISHED, None, DefaultGraph()):
            return quad.object.value
        return None

    def doc_evidence(self, docid: str) -> list[tuple[NamedNode, int, int]]:
        """(entity, begin, end) for every evidence span in one document's graph."""
        graph = NamedNode(f"{self.base}graph/doc/{docid}")
        out = []
        for quad in self.store.quads_for_pattern(None, EVIDENCE, None, graph):
            span = parse_span(quad.object.value)
            if span and isinstance(quad.subject, NamedNode):
                out.append((quad.subject, span[1], span[2]))
        return out

    def mentions(self, doc: NamedNode, cap: int = 2000) -> list[NamedNode]:
        quads = self.store.quads_for_pattern(doc, MENTIONS, None, DefaultGraph())
        return [q.object for q in islice(quads, cap) if isinstance(q.object, NamedNode)]
