"""Compact JSON-LD with one published context, generated from the ontology.

`context()` is the context document every JSON-LD answer refers to (the server publishes it at
/context.jsonld): the prefixes the ontology files declare (`kg/data/ontology/kg.ttl`, `imports.ttl`),
the vocabularies the server's own descriptions use (VoID, service description, Hydra, DCAT), and a
term for each `kgo:` class and property — object properties coerced to `@id`, datatype properties to
their `rdfs:range` unless it is `xsd:string`. Nothing in it is kept by hand: a new term or prefix in
the ontology appears in the context.

`compact(triples, context_url)` writes a graph as compact JSON-LD that refers to the context by URL:
one node object per subject, IRIs as compact IRIs (`schema:headline`) or terms (`evidence`), literals
as plain strings when they are `xsd:string` (or match a term's coercion), else value objects. Expanding
it with the context gives back exactly the triples (tests/test_jsonld.py checks with rdflib and pyld).
A graph that cannot be compacted faithfully — an IRI whose scheme is a term of the context (`kgo:x`),
an RDF 1.2 triple term or a directional string — is written as expanded JSON-LD instead, which needs no
context.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from typing import Any

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Store, Triple, parse, serialize

from kg.vocab import KGO_IRI, ontology_files

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_TYPE = RDF + "type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
OWL = "http://www.w3.org/2002/07/owl#"
RDFS_RANGE = "http://www.w3.org/2000/01/rdf-schema#range"
# Vocabularies of the server's descriptions (service description, VoID, paging, dumps), beside the ontology's.
SERVICE_PREFIXES = {
    "void": "http://rdfs.org/ns/void#",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "formats": "http://www.w3.org/ns/formats/",
    "hydra": "http://www.w3.org/ns/hydra/core#",
    "dcat": "http://www.w3.org/ns/dcat#",
}
ONTOLOGY_FILES = ("kg.ttl", "imports.ttl")
GEN_DELIMS = tuple(":/?#[]@")  # a prefix's IRI must end with one of these (JSON-LD 1.1)


@cache
def _ontology() -> tuple[dict[str, str], Store]:
    """The prefixes declared in the ontology files and their triples."""
    prefixes: dict[str, str] = {}
    store = Store()
    for name in ONTOLOGY_FILES:
        parser = parse((ontology_files() / name).read_bytes(), format=RdfFormat.TURTLE)
        store.extend(parser)
        prefixes.update(parser.prefixes)
    return prefixes, store


@cache
def prefixes() -> dict[str, str]:
    """Prefix -> namespace: the ontology's declarations, then the server's vocabularies (do not change it)."""
    declared, _ = _ontology()
    out = {**declared, **{p: ns for p, ns in SERVICE_PREFIXES.items() if p not in declared}}
    return {p: ns for p, ns in sorted(out.items()) if ns.endswith(GEN_DELIMS)}


def _curie(iri: str, namespaces: dict[str, str]) -> str:
    for prefix, ns in namespaces.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


@cache
def kgo_terms() -> dict[str, str | dict[str, str]]:
    """A term for every kgo: class and property of the ontology, with the coercion its kind implies."""
    _, store = _ontology()
    namespaces = prefixes()
    rdf_type = NamedNode(RDF_TYPE)
    terms: dict[str, str | dict[str, str]] = {}
    for quad in store.quads_for_pattern(None, rdf_type, None):
        iri = quad.subject
        if not isinstance(iri, NamedNode) or not iri.value.startswith(KGO_IRI):
            continue
        name, curie, kind = iri.value[len(KGO_IRI) :], _curie(iri.value, namespaces), quad.object.value
        if kind == OWL + "Class":
            terms[name] = curie
        elif kind == OWL + "ObjectProperty":
            terms[name] = {"@id": curie, "@type": "@id"}
        elif kind == OWL + "DatatypeProperty":
            ranges = [q.object.value for q in store.quads_for_pattern(iri, NamedNode(RDFS_RANGE), None)]
            typed = [r for r in ranges if r != XSD_STRING]
            terms[name] = {"@id": curie, "@type": _curie(typed[0], namespaces)} if len(typed) == 1 else curie
    return dict(sorted(terms.items()))


@cache
def context() -> dict[str, Any]:
    """The context document: {"@context": {prefix: namespace, ..., term: definition, ...}} (do not change it)."""
    definitions: dict[str, Any] = dict(prefixes())
    for name, definition in kgo_terms().items():
        if name in definitions:
            raise ValueError(f"kgo:{name} has the same name as the prefix {name}: (rename one)")
        definitions[name] = definition
    return {"@context": definitions}


class _Compactor:
    """IRIs and values in the context's terms; `Unfit` when a term cannot be written faithfully."""

    def __init__(self) -> None:
        definitions = context()["@context"]
        self.namespaces = sorted(prefixes().items(), key=lambda item: -len(item[1]))  # most specific first
        self.names = set(definitions)
        terms = kgo_terms()
        self.simple = {_expand(d): name for name, d in terms.items() if isinstance(d, str)}  # no coercion
        self.coerced: dict[str, tuple[str, str]] = {}  # property IRI -> (term, "@id" or datatype IRI)
        for name, d in terms.items():
            if isinstance(d, dict):
                self.coerced[_expand(d["@id"])] = (name, d["@type"] if d["@type"] == "@id" else _expand(d["@type"]))

    def iri(self, iri: str, vocab: bool = False) -> str:
        """A term (`vocab`: classes, datatypes), a compact IRI, or the IRI itself."""
        if vocab and iri in self.simple:
            return self.simple[iri]
        for prefix, ns in self.namespaces:
            if iri.startswith(ns) and len(iri) > len(ns) and not iri[len(ns) :].startswith("//"):
                return f"{prefix}:{iri[len(ns) :]}"
        scheme = iri.split(":", 1)[0]
        if scheme in self.names or scheme == "_":
            raise Unfit(f"<{iri}> would read as a compact IRI")
        return iri

    def node_id(self, term: NamedNode | BlankNode) -> str:
        return f"_:{term.value}" if isinstance(term, BlankNode) else self.iri(term.value)

    def entry(self, predicate: str, value: Any) -> tuple[str, Any]:
        """The key and the compacted value of one statement."""
        coerced = self.coerced.get(predicate)
        if isinstance(value, (NamedNode, BlankNode)):
            if coerced and coerced[1] == "@id":
                return coerced[0], self.node_id(value)
            return self.iri(predicate, vocab=True), {"@id": self.node_id(value)}
        if not isinstance(value, Literal) or getattr(value, "direction", None):
            raise Unfit(f"{value} has no compact JSON-LD form")
        key = self.iri(predicate, vocab=True)
        if value.language:
            return key, {"@value": value.value, "@language": value.language}
        datatype = value.datatype.value
        if coerced and coerced[1] == datatype:
            return coerced[0], value.value
        if datatype == XSD_STRING:
            return key, value.value
        return key, {"@value": value.value, "@type": self.iri(datatype, vocab=True)}


class Unfit(ValueError):
    """A graph with a term that compact JSON-LD under this context would change."""


def _expand(curie: str) -> str:
    prefix, _, rest = curie.partition(":")
    return prefixes().get(prefix, prefix + ":") + rest


@cache
def _compactor() -> _Compactor:
    return _Compactor()


def compact_document(triples: Iterable[Triple], context_url: str) -> dict[str, Any]:
    """The compact JSON-LD object of `triples`: {"@context": context_url, "@graph": [node, ...]}."""
    c = _compactor()
    nodes: dict[str, dict[str, Any]] = {}
    seen: set[Triple] = set()
    for t in triples:
        if t in seen:
            continue
        seen.add(t)
        if not isinstance(t.subject, (NamedNode, BlankNode)):
            raise Unfit(f"{t.subject} cannot be a JSON-LD node")
        node_id = c.node_id(t.subject)
        node = nodes.setdefault(node_id, {"@id": node_id})
        if t.predicate.value == RDF_TYPE and isinstance(t.object, NamedNode):
            key, value = "@type", c.iri(t.object.value, vocab=True)
        else:
            key, value = c.entry(t.predicate.value, t.object)
        node.setdefault(key, []).append(value)
    graph = []
    for node in nodes.values():
        out = {"@id": node.pop("@id")}
        for key in ["@type", *sorted(k for k in node if k != "@type")]:
            if key in node:
                out[key] = node[key][0] if len(node[key]) == 1 else node[key]
        graph.append(out)
    return {"@context": context_url, "@graph": graph}


def compact(triples: Iterable[Triple], context_url: str) -> bytes:
    """`triples` as compact JSON-LD referring to the context at `context_url` (expanded JSON-LD when unfit)."""
    triples = list(triples)
    try:
        document = compact_document(triples, context_url)
    except Unfit:
        return serialize(triples, format=RdfFormat.JSON_LD) or b"[]"
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
