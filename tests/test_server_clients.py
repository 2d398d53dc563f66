"""Real clients against `kg serve` on a loopback port: SPARQLWrapper, rdflib's SPARQLStore, `Graph().parse(iri)`.

The store is built from seeds/ with the base IRI of the server (http://127.0.0.1:{port}/), so the
graph's IRIs dereference there. Every answer is compared with the same query run directly on the
store (pyoxigraph), term by term, never with names copied from the seeds.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import rdflib
from live_server import free_port, live_server
from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Store
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, GET, JSON, JSONLD, N3, POST, RDFXML, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from kg.build import build

SEEDS = Path(__file__).parent.parent / "seeds"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RESULTS_NS = "http://www.w3.org/2005/sparql-results#"
PREFIXES = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX org: <http://www.w3.org/ns/org#>
"""
# The facts the press releases state (every triple except those of organisations no document
# mentions, which are most of the reference graph), with an optional label of the object: IRIs,
# every kind of literal in the data (xsd:string, @sv, xsd:date, xsd:integer, xsd:boolean; whole
# texts with newlines, quotes, commas and tabs) and unbound values.
STATED = "FILTER(NOT EXISTS { ?s a org:Organization } || EXISTS { ?d schema:mentions ?s })"
SELECT_ALL = PREFIXES + f"SELECT ?s ?p ?o ?label WHERE {{ ?s ?p ?o OPTIONAL {{ ?o skos:prefLabel ?label }} {STATED} }}"
CONSTRUCT_ALL = PREFIXES + f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o {STATED} }}"
# Client modes: "conneg" sends only the Accept header; "default" is SPARQLWrapper out of the box,
# which also sends format=, output= and results= parameters (twice each for TSV, RDF/XML, JSON-LD).
MODES = ["conneg", "default"]
METHODS = [GET, POST]

Key = tuple  # a term as comparable plain data; None for an unbound variable


@dataclass(frozen=True)
class Served:
    base: str  # the base IRI of the graph = the server's URL, ending in /
    endpoint: str
    store_path: Path


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    path = tmp_path_factory.mktemp("clients") / "kg.oxigraph"
    build([SEEDS], path, base=base)
    with live_server(path, port=port) as url:
        assert url == base
        yield Served(base, base + "sparql", path)


@pytest.fixture(scope="module")
def store(served: Served) -> Store:
    return Store.read_only(str(served.store_path))


# --- terms as plain data, from each representation -------------------------------------------------


def literal_key(value: str, datatype: str | None, language: str | None) -> Key:
    if language:
        return ("literal", value, RDF_LANG_STRING, language.lower())
    return ("literal", value, datatype or XSD_STRING, "")


def ox_key(term: Any) -> Key | None:
    """A pyoxigraph term (the store's own answer)."""
    if term is None:
        return None
    if isinstance(term, NamedNode):
        return ("iri", term.value)
    if isinstance(term, Literal):
        return literal_key(term.value, term.datatype.value, term.language)
    if isinstance(term, BlankNode):
        return ("bnode",)
    raise TypeError(term)


def rdflib_key(term: Any) -> Key | None:
    if term is None:
        return None
    if isinstance(term, rdflib.URIRef):
        return ("iri", str(term))
    if isinstance(term, rdflib.Literal):
        return literal_key(str(term), str(term.datatype) if term.datatype else None, term.language)
    if isinstance(term, rdflib.BNode):
        return ("bnode",)
    raise TypeError(term)


def json_key(cell: dict[str, str] | None) -> Key | None:
    if cell is None:
        return None
    kind = cell["type"]
    if kind == "uri":
        return ("iri", cell["value"])
    if kind in ("literal", "typed-literal"):
        return literal_key(cell["value"], cell.get("datatype"), cell.get("xml:lang"))
    if kind == "bnode":
        return ("bnode",)
    raise ValueError(cell)


def xml_key(binding: Any) -> Key:
    node = next(n for n in binding.childNodes if n.nodeType == n.ELEMENT_NODE)
    text = "".join(t.data for t in node.childNodes if t.nodeType == t.TEXT_NODE)
    if node.localName == "uri":
        return ("iri", text)
    if node.localName == "literal":
        lang = node.getAttributeNS("http://www.w3.org/XML/1998/namespace", "lang") or node.getAttribute("xml:lang")
        return literal_key(text, node.getAttribute("datatype") or None, lang or None)
    if node.localName == "bnode":
        return ("bnode",)
    raise ValueError(node.toxml())


def triple_keys(triples: Iterable[Any], key: Any) -> set[tuple]:
    return {(key(s), key(p), key(o)) for s, p, o in triples}


# --- the store's own answers --------------------------------------------------------------------------


def direct_rows(store: Store, query: str) -> tuple[list[str], Counter]:
    solutions = store.query(query)
    names = [v.value for v in solutions.variables]
    rows = Counter(tuple(ox_key(sol[name]) for name in names) for sol in solutions)
    assert rows, f"the direct query found nothing, so the comparison would prove nothing:\n{query}"
    return names, rows


def direct_triples(store: Store, query: str) -> set[tuple]:
    triples = [(t.subject, t.predicate, t.object) for t in store.query(query)]
    keys = triple_keys(triples, ox_key)
    assert keys, f"the direct query built no triples:\n{query}"
    assert not any(("bnode",) in k for k in keys), "blank nodes: compare with rdflib.compare.isomorphic instead"
    return keys


def first(store: Store, query: str) -> str:
    solutions = list(store.query(PREFIXES + query))
    assert solutions, f"nothing in the store for {query}"
    return solutions[0][0].value


# --- a real client ------------------------------------------------------------------------------------


def wrapper(served: Served, query: str, fmt: str, method: str, mode: str = "default") -> SPARQLWrapper:
    client = SPARQLWrapper(served.endpoint)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setMethod(method)
    client.setOnlyConneg(mode == "conneg")
    return client


def run(client: SPARQLWrapper) -> tuple[str, Any]:
    """(content type, converted result); SPARQLWrapper's format warnings become failures."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = client.query()
        media = result.info().get("content-type", "")
        converted = result.convert()
    flags = ("returned by the endpoint", "unexpected returned format", "response content type")
    complaints = [str(w.message) for w in caught if any(f in str(w.message) for f in flags)]
    assert not complaints, complaints
    return media, converted


# --- SELECT -------------------------------------------------------------------------------------------


def select_rows(fmt: str, names: list[str], body: Any) -> Counter:
    if fmt == JSON:
        assert body["head"]["vars"] == names
        return Counter(tuple(json_key(b.get(n)) for n in names) for b in body["results"]["bindings"])
    if fmt == XML:
        assert [v.getAttribute("name") for v in body.getElementsByTagNameNS(RESULTS_NS, "variable")] == names
        rows: Counter = Counter()
        for result in body.getElementsByTagNameNS(RESULTS_NS, "result"):
            cells = {b.getAttribute("name"): xml_key(b) for b in result.getElementsByTagNameNS(RESULTS_NS, "binding")}
            rows[tuple(cells.get(n) for n in names)] += 1
        return rows
    if fmt == CSV:
        table = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
        assert table[0] == names
        return Counter(tuple(row) for row in table[1:])
    if fmt == TSV:
        return tsv_rows(names, body.decode("utf-8"))
    raise ValueError(fmt)


def tsv_rows(names: list[str], text: str) -> Counter:
    """TSV cells are terms in Turtle syntax: parse them all with rdflib in one document."""
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    assert lines[0].split("\t") == ["?" + n for n in names]
    doc = []
    cells = []
    for i, line in enumerate(lines[1:]):
        row = line.split("\t")
        assert len(row) == len(names), f"TSV row {i} has {len(row)} cells: {line[:200]!r}"
        cells.append(row)
        doc += [f"<urn:row:{i}> <urn:col:{j}> {cell} ." for j, cell in enumerate(row) if cell]
    graph = rdflib.Graph().parse(data="\n".join(doc), format="turtle")
    parsed = {(str(s), str(p)): o for s, p, o in graph}
    return Counter(
        tuple(rdflib_key(parsed[(f"urn:row:{i}", f"urn:col:{j}")]) if cell else None for j, cell in enumerate(row))
        for i, row in enumerate(cells)
    )


def csv_view(rows: Counter) -> Counter:
    """What CSV can say of a row: each term's lexical value, '' when unbound."""
    view: Counter = Counter()
    for row, n in rows.items():
        view[tuple(k[1] if k else "" for k in row)] += n
    return view


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_select_in_each_results_format(served: Served, store: Store, fmt: str, method: str, mode: str) -> None:
    names, expected = direct_rows(store, SELECT_ALL)
    media, body = run(wrapper(served, SELECT_ALL, fmt, method, mode))
    wanted = {JSON: "application/sparql-results+json", XML: "application/sparql-results+xml",
              CSV: "text/csv", TSV: "text/tab-separated-values"}[fmt]  # fmt: skip
    assert media.split(";")[0].strip() == wanted
    got = select_rows(fmt, names, body)
    if fmt == CSV:
        expected = csv_view(expected)
    assert sum(got.values()) == sum(expected.values())
    assert got == expected


# --- ASK ----------------------------------------------------------------------------------------------


def boolean(fmt: str, body: Any) -> bool:
    if fmt == JSON:
        return body["boolean"]
    (node,) = body.getElementsByTagNameNS(RESULTS_NS, "boolean")
    text = node.firstChild.data.strip()
    assert text in ("true", "false"), text
    return text == "true"


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("fmt", [JSON, XML])
def test_ask_true_and_false(served: Served, store: Store, fmt: str, method: str) -> None:
    person = first(store, "SELECT ?p WHERE { ?p a foaf:Person ; foaf:name ?n } ORDER BY STR(?p) LIMIT 1")
    asks = [
        PREFIXES + f"ASK {{ <{person}> a foaf:Person ; foaf:name ?n }}",
        PREFIXES + f'ASK {{ <{person}> foaf:name "{person} is not a name" }}',
    ]
    answers = []
    for query in asks:
        expected = bool(store.query(query))
        media, body = run(wrapper(served, query, fmt, method))
        assert media.split(";")[0] == (
            "application/sparql-results+json" if fmt == JSON else "application/sparql-results+xml"
        )
        assert boolean(fmt, body) is expected
        answers.append(expected)
    assert answers == [True, False]


# --- CONSTRUCT / DESCRIBE -----------------------------------------------------------------------------

# return format -> (extra Accept header or None, expected media type, rdflib format for raw bodies)
GRAPH_FORMATS = {
    "turtle": (TURTLE, None, "text/turtle", "turtle"),
    "n3": (N3, None, "text/turtle", "turtle"),  # SPARQLWrapper's N3 asks for Turtle first
    "rdfxml": (RDFXML, None, "application/rdf+xml", None),
    "xml": (XML, None, "application/rdf+xml", None),
    "jsonld": (JSONLD, None, "application/ld+json", None),
    "ntriples": (N3, "application/n-triples", "application/n-triples", "nt"),
}


def graph_keys(body: Any, parser: str | None) -> set[tuple]:
    if isinstance(body, bytes):
        assert parser, "raw body where SPARQLWrapper should have parsed a graph"
        body = rdflib.Graph().parse(data=body, format=parser)
    assert isinstance(body, rdflib.Graph), type(body)
    return triple_keys(body.triples((None, None, None)), rdflib_key)


def check_graph(served: Served, store: Store, query: str, name: str, method: str, mode: str) -> None:
    fmt, accept, media, parser = GRAPH_FORMATS[name]
    client = wrapper(served, query, fmt, method, "conneg" if accept else mode)
    if accept:
        client.addCustomHttpHeader("Accept", accept)
    got_media, body = run(client)
    assert got_media.split(";")[0].strip() == media
    expected = direct_triples(store, query)
    got = graph_keys(body, parser)
    assert got - expected == set(), "triples the store does not give"
    assert expected - got == set(), "triples missing"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("name", ["turtle", "n3", "rdfxml", "xml", "jsonld"])
def test_construct_in_each_rdf_format(served: Served, store: Store, name: str, method: str, mode: str) -> None:
    check_graph(served, store, CONSTRUCT_ALL, name, method, mode)


@pytest.mark.parametrize("method", METHODS)
def test_construct_as_ntriples_by_accept_header(served: Served, store: Store, method: str) -> None:
    check_graph(served, store, CONSTRUCT_ALL, "ntriples", method, "conneg")


@pytest.mark.parametrize(
    ("name", "mode"),
    [(name, mode) for name in ("turtle", "rdfxml", "jsonld") for mode in MODES] + [("ntriples", "conneg")],
)
def test_describe(served: Served, store: Store, name: str, mode: str) -> None:
    person = first(store, "SELECT ?p WHERE { ?p a foaf:Person } ORDER BY STR(?p) LIMIT 1")
    organisation = first(store, "SELECT ?o WHERE { ?o a org:Organization } ORDER BY STR(?o) LIMIT 1")
    query = PREFIXES + f"DESCRIBE <{person}> <{organisation}>"
    check_graph(served, store, query, name, POST if name == "rdfxml" else GET, mode)


# --- rdflib's SPARQLStore -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def remote(served: Served) -> rdflib.Graph:
    return rdflib.Graph(store=SPARQLStore(query_endpoint=served.endpoint))


@pytest.mark.parametrize("results", ["xml", "json"])
def test_sparqlstore_select(served: Served, store: Store, results: str) -> None:
    names, expected = direct_rows(store, SELECT_ALL)
    remote = rdflib.Graph(store=SPARQLStore(query_endpoint=served.endpoint, returnFormat=results))
    result = remote.query(SELECT_ALL)
    assert [str(v) for v in result.vars] == names
    got = Counter(tuple(rdflib_key(row[n]) for n in names) for row in result)
    assert got == expected


def test_sparqlstore_triple_patterns(remote: rdflib.Graph, store: Store) -> None:
    person = first(store, "SELECT ?p WHERE { ?p a foaf:Person } ORDER BY STR(?p) LIMIT 1")
    quads = store.quads_for_pattern(NamedNode(person), None, None, DefaultGraph())
    expected = triple_keys(((q.subject, q.predicate, q.object) for q in quads), ox_key)
    assert expected
    assert triple_keys(remote.triples((rdflib.URIRef(person), None, None)), rdflib_key) == expected
    name = rdflib.URIRef("http://xmlns.com/foaf/0.1/name")
    names = {k for k in expected if k[1] == ("iri", str(name))}
    assert names and triple_keys(remote.triples((rdflib.URIRef(person), name, None)), rdflib_key) == names


def test_sparqlstore_len(remote: rdflib.Graph, store: Store, served: Served) -> None:
    assert len(remote) == len(list(store.quads_for_pattern(None, None, None, DefaultGraph())))
    # a graph named by a document graph's IRI sends default-graph-uri=<that graph>
    graph = sorted(g.value for g in store.named_graphs() if "/graph/doc/" in g.value)[0]
    named = rdflib.Graph(store=SPARQLStore(query_endpoint=served.endpoint), identifier=rdflib.URIRef(graph))
    assert len(named) == len(list(store.quads_for_pattern(None, None, None, NamedNode(graph)))) > 0


def test_sparqlstore_contexts(served: Served, store: Store) -> None:
    contexts = {str(c) for c in SPARQLStore(query_endpoint=served.endpoint).contexts()}
    assert contexts == {g.value for g in store.named_graphs()}


# --- dereferencing IRIs with rdflib -------------------------------------------------------------------


PAGES = {
    "person": "SELECT ?x ?label WHERE { ?x a foaf:Person ; foaf:name ?label } ORDER BY STR(?x) LIMIT 1",
    "document": "SELECT ?x ?label WHERE { ?x a schema:NewsArticle ; schema:headline ?label } ORDER BY STR(?x) LIMIT 1",
    "organisation": "SELECT ?x ?label WHERE { ?x a org:Organization ; skos:prefLabel ?label } ORDER BY STR(?x) LIMIT 1",
}


@pytest.mark.parametrize("fmt", [None, "turtle", "xml", "nt", "json-ld"])
@pytest.mark.parametrize("kind", sorted(PAGES))
def test_graph_parse_dereferences_an_iri(served: Served, store: Store, kind: str, fmt: str | None) -> None:
    (solution,) = list(store.query(PREFIXES + PAGES[kind]))
    iri, label = solution["x"], solution["label"]
    assert iri.value.startswith(served.base + ("res/doc/" if kind == "document" else "id/"))
    graph = rdflib.Graph().parse(iri.value, format=fmt)  # rdflib sends its own Accept header
    got = triple_keys(graph, rdflib_key)
    subject = ox_key(iri)
    label_triples = {(subject, ox_key(NamedNode(p)), ox_key(o)) for p, o in store_values(store, iri) if o == label}
    assert label_triples and label_triples <= got
    types = {(subject, ("iri", RDF_TYPE), ox_key(o)) for p, o in store_values(store, iri) if p == RDF_TYPE}
    assert types and types <= got
    hydra_next = ("iri", "http://www.w3.org/ns/hydra/core#next")
    invented = {k for k in got if k[1] != hydra_next} - stored_keys(store)
    assert not invented, f"triples that are in no graph of the store: {sorted(invented)[:5]}"


def stored_keys(store: Store) -> set[tuple]:
    """Every triple of the store, in any graph (pages also show provenance from the meta graph)."""
    quads = store.quads_for_pattern(None, None, None)
    return triple_keys(((q.subject, q.predicate, q.object) for q in quads), ox_key)


def store_values(store: Store, iri: NamedNode) -> list[tuple[str, Any]]:
    return [(q.predicate.value, q.object) for q in store.quads_for_pattern(iri, None, None, DefaultGraph())]


# --- errors reach the client --------------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_a_malformed_query_is_query_bad_formed(served: Served, store: Store, method: str) -> None:
    query = PREFIXES + "SELECT ?s WHERE { ?s foaf:name }"
    with pytest.raises(SyntaxError) as direct:
        store.query(query)
    position = re.match(r"error at (\d+):(\d+)", str(direct.value))
    assert position, direct.value
    with pytest.raises(QueryBadFormed) as err:
        run(wrapper(served, query, JSON, method))
    assert "SPARQL syntax error" in str(err.value)
    line, column = position.groups()  # where the parser found the error, said for a person
    assert f"at line {line}, column {column} ({line}:{column})" in str(err.value)


@pytest.mark.parametrize("method", METHODS)
def test_a_service_query_is_refused(served: Served, method: str) -> None:
    query = PREFIXES + f"SELECT * WHERE {{ SERVICE <{served.endpoint}> {{ ?s foaf:name ?n }} }}"
    with pytest.raises(QueryBadFormed) as err:
        run(wrapper(served, query, JSON, method))
    assert "SERVICE is not allowed" in str(err.value)
