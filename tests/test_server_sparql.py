"""The SPARQL 1.1 Protocol endpoint in-process: methods, datasets, formats, errors, SD, VoID, CORS."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import rdflib
from fastapi.testclient import TestClient
from jsonld_expand import expand_with_rdflib
from pyoxigraph import DefaultGraph, Store

from server.app import create_app
from server.context import Settings

PEOPLE = "SELECT ?p ?n WHERE { ?p a foaf:Person ; foaf:name ?n } ORDER BY ?p"
CONSTRUCT = "CONSTRUCT { ?p foaf:name ?n } WHERE { ?p a foaf:Person ; foaf:name ?n }"
FORM = {"content-type": "application/x-www-form-urlencoded"}
DIRECT = {"content-type": "application/sparql-query"}


@pytest.fixture(scope="module")
def client(seeds_store_path: Path):
    with TestClient(create_app(Settings(store_path=seeds_store_path, query_workers=2))) as c:
        yield c


@pytest.fixture(scope="module")
def store(seeds_store_path: Path) -> Store:
    return Store.read_only(str(seeds_store_path))


def direct_people(store: Store) -> list[tuple[str, str]]:
    from kg.store import PREFIXES

    return [(s["p"].value, s["n"].value) for s in store.query(PEOPLE, prefixes=PREFIXES)]


def json_rows(body: bytes) -> list[tuple[str, str]]:
    data = json.loads(body)
    return [(b["p"]["value"], b["n"]["value"]) for b in data["results"]["bindings"]]


def test_get_post_form_and_post_direct_agree(client: TestClient, store: Store) -> None:
    expected = direct_people(store)
    assert len(expected) >= 5
    got_get = client.get("/sparql", params={"query": PEOPLE})
    got_form = client.post("/sparql", content=f"query={PEOPLE}".replace("+", "%2B").encode(), headers=FORM)
    got_direct = client.post("/sparql", content=PEOPLE.encode(), headers=DIRECT)
    for response in (got_get, got_form, got_direct):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("application/sparql-results+json")
        assert "Accept" in response.headers["vary"]
        assert json_rows(response.content) == expected


def test_select_formats_by_accept_and_by_format(client: TestClient, store: Store) -> None:
    expected = direct_people(store)
    xml = client.get("/sparql", params={"query": PEOPLE}, headers={"accept": "application/sparql-results+xml"})
    assert xml.headers["content-type"].startswith("application/sparql-results+xml")
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    names = [b.text for b in ET.fromstring(xml.content).findall(".//r:binding[@name='n']/r:literal", ns)]
    assert names == [n for _, n in expected]
    as_csv = client.get("/sparql", params={"query": PEOPLE, "format": "csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(as_csv.text)))
    assert rows[0] == ["p", "n"] and [tuple(r) for r in rows[1:]] == expected
    tsv = client.get("/sparql", params={"query": PEOPLE}, headers={"accept": "text/tab-separated-values"})
    lines = tsv.text.strip("\n").split("\n")
    assert lines[0] == "?p\t?n" and len(lines) == len(expected) + 1
    assert lines[1].split("\t")[0] == f"<{expected[0][0]}>"
    weighted = client.get(
        "/sparql", params={"query": PEOPLE}, headers={"accept": "text/csv;q=0.5, application/sparql-results+xml"}
    )
    assert weighted.headers["content-type"].startswith("application/sparql-results+xml")


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/n-quads", "nquads"),
        ("application/trig", "trig"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_construct_in_every_rdf_format(client: TestClient, store: Store, accept: str, rdflib_format: str) -> None:
    expected = {(p, n) for p, n in direct_people(store)}
    response = client.post("/sparql", content=CONSTRUCT.encode(), headers={**DIRECT, "accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(accept)
    graph = rdflib.Dataset() if rdflib_format in ("nquads", "trig") else rdflib.Graph()
    if rdflib_format == "json-ld":
        graph = expand_with_rdflib(client, response.content)
    else:
        graph.parse(data=response.content, format=rdflib_format)
    got = {(str(s), str(o)) for s, _, o in graph.triples((None, None, None))}
    assert got == expected


def test_construct_defaults_to_turtle_and_describe_works(client: TestClient, store: Store) -> None:
    person = direct_people(store)[0][0]
    response = client.post("/sparql", content=f"DESCRIBE <{person}>".encode(), headers=DIRECT)
    assert response.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    assert (rdflib.URIRef(person), rdflib.RDF.type, rdflib.FOAF.Person) in graph


def test_ask_in_json_and_xml(client: TestClient) -> None:
    yes = client.get("/sparql", params={"query": "ASK { ?p a foaf:Person }"})
    assert yes.json() == {"head": {}, "boolean": True}
    no = client.get("/sparql", params={"query": "ASK { ?p a <urn:none> }", "format": "xml"})
    assert "<boolean>false</boolean>" in no.text


def test_unservable_formats_are_406(client: TestClient) -> None:
    assert client.get("/sparql", params={"query": PEOPLE}, headers={"accept": "image/png"}).status_code == 406
    wrong_kind = client.get("/sparql", params={"query": PEOPLE}, headers={"accept": "text/turtle"})
    assert wrong_kind.status_code == 406 and "SELECT" in wrong_kind.text
    graph_as_csv = client.post("/sparql", content=CONSTRUCT.encode(), headers={**DIRECT, "accept": "text/csv"})
    assert graph_as_csv.status_code == 406
    assert client.get("/sparql", params={"query": PEOPLE, "format": "pdf"}).status_code == 406


def test_malformed_query_gets_400_with_parser_position(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p "})
    assert response.status_code == 400
    assert "syntax error" in response.text and "1:" in response.text
    # short and readable: line and column, the line with a caret, no list of Unicode ranges
    assert response.text.startswith("SPARQL syntax error at line 1, column 24 (1:24): expected one of ")
    assert "u{" not in response.text and "..=" not in response.text and len(response.text) < 400
    assert response.text.splitlines()[1:] == ["  SELECT * WHERE { ?s ?p", " " * 25 + "^"]


@pytest.mark.parametrize(
    ("method", "kwargs", "status"),
    [
        ("post", {"content": b"ASK {}", "headers": {"content-type": "text/plain"}}, 415),
        ("post", {"content": b"ASK {}"}, 415),
        (
            "post",
            {
                "content": "ASK {}".encode("utf-16"),
                "headers": {"content-type": "application/sparql-query; charset=UTF-16"},
            },
            415,
        ),
        ("post", {"content": b"query=ASK%20%7B%7D&query=ASK%20%7B%7D", "headers": FORM}, 400),
        ("post", {"content": b"query=ASK%20%7B%7D&update=CLEAR%20ALL", "headers": FORM}, 400),
        ("get", {"params": [("query", "ASK {}"), ("query", "ASK {}")]}, 400),
        ("get", {"params": {"update": "CLEAR ALL"}}, 405),
        ("get", {"params": {"query": "ASK {}", "named-graph-uri": "\x96"}}, 400),
        ("get", {"params": {"query": "ASK {}", "default-graph-uri": "/relative"}}, 400),
        ("get", {"params": [("query", "ASK {}"), ("format", "json"), ("output", "csv")]}, 400),
        ("put", {"params": {"query": "ASK {}"}}, 405),
        ("get", {"params": {"query": "   "}}, 400),
        ("get", {"params": {"query": "ASK {}", "timeout": "soon"}}, 400),
    ],
)
def test_protocol_errors(client: TestClient, method: str, kwargs: dict, status: int) -> None:
    response = getattr(client, method)("/sparql", **kwargs)
    assert response.status_code == status, response.text
    assert response.text.strip()


def test_default_graph_is_the_merged_graph_not_the_union(client: TestClient, store: Store) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    default = int(client.get("/sparql", params={"query": count}).json()["results"]["bindings"][0]["n"]["value"])
    assert default == sum(1 for _ in store.quads_for_pattern(None, None, None, DefaultGraph()))
    everything = len(store)
    assert default < everything  # the named graphs repeat facts the merged graph holds once
    in_graphs = client.get("/sparql", params={"query": "SELECT (COUNT(DISTINCT ?g) AS ?n) { GRAPH ?g { ?s ?p ?o } }"})
    docs = sum(1 for g in store.named_graphs() if "/graph/doc/" in g.value)
    assert int(in_graphs.json()["results"]["bindings"][0]["n"]["value"]) >= docs >= 5


def test_dataset_parameters_choose_graphs(client: TestClient, store: Store) -> None:
    doc_graph = next(g.value for g in store.named_graphs() if "/graph/doc/" in g.value)
    headline = "ASK { ?d <https://schema.org/headline> ?h }"
    only_meta = client.get(
        "/sparql", params={"query": headline, "default-graph-uri": doc_graph.replace("/doc/", "/nodoc/")}
    )
    assert only_meta.json()["boolean"] is False  # an unknown graph is an empty graph, never fetched
    with_doc = client.get("/sparql", params={"query": headline, "default-graph-uri": doc_graph})
    assert with_doc.json()["boolean"] is True
    named = client.get(
        "/sparql",
        params={"query": "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": doc_graph},
    )
    graphs = [b["g"]["value"] for b in named.json()["results"]["bindings"]]
    assert graphs == [doc_graph]


def test_service_description_turtle_and_html(client: TestClient) -> None:
    sd = client.get("/sparql", headers={"accept": "text/turtle"})
    assert sd.status_code == 200 and sd.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=sd.text, format="turtle")
    SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    services = list(graph.subjects(rdflib.RDF.type, SD.Service))
    assert len(services) == 1 and str(services[0]).endswith("/sparql")
    assert (services[0], SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert (services[0], SD.supportedLanguage, SD.SPARQL11Update) not in graph
    descriptions = " ".join(str(o) for o in graph.objects(None, rdflib.DCTERMS.description))
    assert "merged, de-duplicated" in descriptions and "not the union" in descriptions
    page = client.get("/sparql", headers={"accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert page.headers["content-type"].startswith("text/html") and "merged, de-duplicated" in page.text
    assert client.get("/sparql").headers["content-type"].startswith("text/turtle")


def test_void_counts_match_the_store(client: TestClient, store: Store) -> None:
    response = client.get("/.well-known/void", headers={"accept": "application/n-triples"})
    graph = rdflib.Graph().parse(data=response.text, format="nt")
    VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
    triples = int(next(graph.objects(None, VOID.triples)))
    assert triples == sum(1 for _ in store.quads_for_pattern(None, None, None, DefaultGraph()))
    persons = [p for p in graph.objects(None, VOID.classPartition) if (p, VOID["class"], rdflib.FOAF.Person) in graph]
    assert int(next(graph.objects(persons[0], VOID.entities))) == len(direct_people(store))
    assert next(graph.objects(None, VOID.sparqlEndpoint)).endswith("/sparql")


def test_cors_for_read_requests(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "ASK {}"}, headers={"origin": "https://example.org"})
    assert response.headers["access-control-allow-origin"] == "*"
    preflight = client.options(
        "/sparql",
        headers={
            "origin": "https://example.org",
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
        },
    )
    assert preflight.status_code == 200 and "POST" in preflight.headers["access-control-allow-methods"]
    denied = client.options(
        "/sparql",
        headers={
            "origin": "https://example.org",
            "access-control-request-method": "POST",
            "access-control-request-headers": "authorization",
        },
    )
    assert denied.status_code == 400  # no cross-origin credentials for updates
