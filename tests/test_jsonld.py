"""kg/jsonld.py: compact JSON-LD that two real processors (pyld, rdflib) expand back to exactly the triples
given — generated graphs with the awkward cases (coerced terms given values of the other kind, datatypes,
languages, blank nodes, IRIs that look like compact IRIs) — and the context it refers to."""

from __future__ import annotations

import json
from typing import Any

import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyld import jsonld as pyld
from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, serialize
from rdflib.compare import isomorphic

from kg import jsonld

URL = "https://example.org/context.jsonld"
BASE = "https://w3id.org/sv-press-kg/"
KGO = "https://w3id.org/sv-press-kg/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"
IRIS = [
    BASE + "id/person/anna-berg",
    BASE + "res/doc/001/text/10-20",
    KGO + "Municipality",
    KGO + "evidence",
    "https://schema.org/Person",
    KGO + "//x",  # as a compact IRI (kgo://x) it would read as an absolute IRI
    "http://www.wikidata.org/entity/Q1",
    "urn:x-local:thing",
    "mailto:press@example.org",
]
CONFUSABLE = ["kgo:looks-compact", "schema:x", "evidence:x"]
PREDICATES = [
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
    KGO + "evidence",
    KGO + "position",
    KGO + "acting",
    KGO + "sha256",
    "https://schema.org/name",
    "http://xmlns.com/foaf/0.1/name",
    "http://example.org/p",
    "urn:p",
]
DATATYPES = [XSD + t for t in ("integer", "boolean", "date", "string", "decimal", "gYearMonth")]
DATATYPES += [KGO + "Municipality", "http://example.org/dt"]
TEXT = st.text(alphabet=st.characters(min_codepoint=0x0A, max_codepoint=0x2FF), max_size=8) | st.sampled_from(
    ["@id", "kgo:evidence", "_:b1", "https://schema.org/x", ""]
)
SETTINGS = settings(max_examples=80, deadline=None, database=None, derandomize=True,
                    suppress_health_check=list(HealthCheck))  # fmt: skip


def _subject(iris: list[str]) -> st.SearchStrategy[Any]:
    return st.sampled_from(iris).map(NamedNode) | st.sampled_from(["b1", "b2"]).map(BlankNode)


def _object(iris: list[str]) -> st.SearchStrategy[Any]:
    return (
        _subject(iris)
        | TEXT.map(Literal)
        | st.tuples(TEXT, st.sampled_from(["sv", "en", "en-gb"])).map(lambda t: Literal(t[0], language=t[1]))
        | st.tuples(st.sampled_from(["7", "007", "true", "2018-01-31", "x y"]), st.sampled_from(DATATYPES)).map(
            lambda t: Literal(t[0], datatype=NamedNode(t[1]))
        )
    )


def triples(iris: list[str]) -> st.SearchStrategy[list[Triple]]:
    triple = st.builds(Triple, _subject(iris), st.sampled_from(PREDICATES).map(NamedNode), _object(iris))
    return st.lists(triple, min_size=1, max_size=12)


def expected(given_triples: list[Triple]) -> rdflib.Graph:
    nt = serialize(given_triples, format=RdfFormat.N_TRIPLES).decode()
    return rdflib.Graph().parse(data=nt, format="nt")


def loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    assert url == URL
    return {"contextUrl": None, "documentUrl": url, "document": jsonld.context(), "contentType": "application/ld+json"}


def by_pyld(body: bytes) -> rdflib.Graph:
    nquads = pyld.to_rdf(json.loads(body), {"format": "application/n-quads", "documentLoader": loader})
    return rdflib.Graph().parse(data=nquads, format="nquads")


def by_rdflib(body: bytes) -> rdflib.Graph:
    document = json.loads(body)
    if isinstance(document, dict) and document.get("@context") == URL:
        document["@context"] = jsonld.context()["@context"]
    return rdflib.Graph().parse(data=json.dumps(document), format="json-ld")


@SETTINGS
@given(triples(IRIS))
def test_compact_json_ld_expands_to_the_triples_given(given_triples: list[Triple]) -> None:
    body = jsonld.compact(given_triples, URL)
    assert json.loads(body)["@context"] == URL  # these IRIs can all be compacted
    assert isomorphic(by_pyld(body), expected(given_triples))
    assert isomorphic(by_rdflib(body), expected(given_triples))


@SETTINGS
@given(triples(IRIS + CONFUSABLE))
def test_graphs_that_cannot_be_compacted_are_written_expanded(given_triples: list[Triple]) -> None:
    body = jsonld.compact(given_triples, URL)
    confusable = any(t.value in CONFUSABLE for triple in given_triples for t in triple if hasattr(t, "value"))
    document = json.loads(body)
    assert isinstance(document, list) == confusable  # expanded JSON-LD is a list and has no context
    assert isomorphic(by_pyld(body), expected(given_triples))


def test_terms_and_compact_iris_are_used() -> None:
    person, span = NamedNode(BASE + "id/person/a"), NamedNode(BASE + "res/doc/1/text/0-1")
    quote = NamedNode(BASE + "id/quote/q")
    body = jsonld.compact(
        [
            Triple(person, NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), NamedNode(KGO + "Company")),
            Triple(person, NamedNode(KGO + "evidence"), span),
            Triple(quote, NamedNode(KGO + "position"), Literal("12", datatype=NamedNode(XSD + "integer"))),
            Triple(person, NamedNode("https://schema.org/name"), Literal("A", language="sv")),
        ],
        URL,
    )
    nodes = {n["@id"]: n for n in json.loads(body)["@graph"]}
    assert nodes[person.value] == {"@id": person.value, "@type": "Company", "evidence": span.value,
                                   "schema:name": {"@value": "A", "@language": "sv"}}  # fmt: skip
    assert nodes[quote.value]["position"] == "12"


def test_the_context_binds_the_ontology_prefixes_and_service_vocabularies() -> None:
    context = jsonld.context()["@context"]
    assert context["kgo"] == KGO and context["schema"] == "https://schema.org/"
    assert context["void"] == "http://rdfs.org/ns/void#" and context["hydra"] == "http://www.w3.org/ns/hydra/core#"
    assert all(not isinstance(v, str) or v.endswith(("/", "#")) or v.startswith("kgo:") for v in context.values())
