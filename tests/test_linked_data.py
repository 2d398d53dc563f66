"""Linked-data details on a real store, one test per behaviour the issue found broken: compact JSON-LD with a
published context (expanded by rdflib and pyld to the very triples), named-graph IRIs that answer with their
graph, dumps written by the build and kept right by `--update` and SPARQL Update, a VoID description with
licence, publisher, dates, examples and linked class partitions, and /openapi.json examples from the store."""

from __future__ import annotations

import gzip
import json
import re
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
import rdflib
from fastapi.testclient import TestClient
from jsonld_expand import expand_with_pyld, expand_with_rdflib
from pyoxigraph import DefaultGraph, NamedNode, RdfFormat, Store, parse, serialize
from rdflib.compare import isomorphic

from kg import dumps
from kg.build import build
from kg.update import update
from server.app import create_app
from server.context import Settings

BASE = "https://w3id.org/sv-press-kg/"
ROOT = Path(__file__).resolve().parents[1]
KGO = BASE + "ontology#"
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
DCT = rdflib.DCTERMS
PERSON, DOC = "id/person/carin-lidman", "res/doc/002-5659bfc773104c0f"


@pytest.fixture(scope="module")
def client(seeds_store_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(store_path=seeds_store_path, query_workers=1))) as c:
        yield c


@pytest.fixture(scope="module")
def store(seeds_store_path: Path) -> Store:
    return Store.read_only(str(seeds_store_path))


def as_rdflib(triples: list) -> rdflib.Graph:
    return rdflib.Graph().parse(data=serialize(triples, format=RdfFormat.N_TRIPLES).decode(), format="nt")


def graph_triples(store: Store, graph: str) -> rdflib.Graph:
    return as_rdflib([q.triple for q in store.quads_for_pattern(None, None, None, NamedNode(BASE + graph))])


def turtle(client: TestClient, path: str, **params: object) -> rdflib.Graph:
    response = client.get(path, params=params, headers={"Accept": "text/turtle"})
    assert response.status_code == 200, response.text
    return rdflib.Graph().parse(data=response.text, format="turtle")


# --- JSON-LD: compact, with the published context ------------------------------------------------------


def test_the_context_is_generated_from_the_ontology(client: TestClient) -> None:
    """Every prefix the ontology declares and a term for every kgo: term it declares (read here with rdflib)."""
    context = client.get("/context.jsonld").json()["@context"]
    ontology = rdflib.Graph().parse(ROOT / "ontology" / "kg.ttl")
    for prefix, namespace in ontology.namespaces():
        if f"@prefix {prefix}:" in (ROOT / "ontology" / "kg.ttl").read_text(encoding="utf-8"):
            assert context[prefix] == str(namespace), prefix
    declared = {str(s) for s in ontology.subjects(rdflib.RDF.type, None) if str(s).startswith(KGO)}
    terms = {name: d if isinstance(d, str) else d["@id"] for name, d in context.items() if ":" in str(d)}
    assert {"kgo:" + iri[len(KGO) :] for iri in declared} <= set(terms.values())
    for iri in declared:
        name = iri[len(KGO) :]
        kind = set(ontology.objects(rdflib.URIRef(iri), rdflib.RDF.type))
        if rdflib.OWL.ObjectProperty in kind:
            assert context[name] == {"@id": f"kgo:{name}", "@type": "@id"}
    assert context["position"] == {"@id": "kgo:position", "@type": "xsd:integer"}


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/" + PERSON, {}),
        ("/" + DOC, {}),
        ("/graph/reference", {}),
        ("/ontology", {}),
        ("/.well-known/void", {}),
        ("/sparql", {"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s a foaf:Person ; ?p ?o }"}),
        ("/sparql", {"query": f"DESCRIBE <{BASE}{DOC}>"}),
    ],
)
def test_every_json_ld_answer_is_compact_and_expands_to_the_same_triples(
    client: TestClient, path: str, params: dict[str, str]
) -> None:
    response = client.get(path, params=params, headers={"Accept": "application/ld+json"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/ld+json"
    document = response.json()
    assert document["@context"] == "http://testserver/context.jsonld"
    assert document["@graph"] and all("@id" in node for node in document["@graph"])
    text = response.text
    assert "http://www.w3.org/1999/02/22-rdf-syntax-ns#type" not in text and '"@type":' in text  # compacted
    nt = client.get(path, params=params, headers={"Accept": "application/n-triples"})
    expected = rdflib.Graph().parse(data=nt.text, format="nt")
    assert len(expected) > 5
    for expand in (expand_with_rdflib, expand_with_pyld):
        assert isomorphic(expand(client, response.content), expected), expand.__name__


def test_a_real_client_fetches_the_context_over_http(seeds_store_path: Path) -> None:
    """rdflib dereferences an IRI on a live server, asks for JSON-LD and loads /context.jsonld itself."""
    from live_server import live_server

    with live_server(seeds_store_path, query_workers=1) as url:
        graph = rdflib.Graph().parse(f"{url}{PERSON}", format="json-ld")
        with_turtle = rdflib.Graph().parse(f"{url}{PERSON}?format=ttl", format="turtle")
    assert len(graph) > 5 and isomorphic(graph, with_turtle)


# --- named graphs -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("graph", ["graph/reference", "graph/meta", "graph/doc/002-5659bfc773104c0f"])
def test_a_named_graph_iri_answers_with_the_graph(client: TestClient, store: Store, graph: str) -> None:
    expected = graph_triples(store, graph)
    assert len(expected) > 30
    assert isomorphic(turtle(client, "/" + graph), expected)
    jsonld = client.get("/" + graph, headers={"Accept": "application/ld+json"})
    assert isomorphic(expand_with_pyld(client, jsonld.content), expected)
    page = client.get("/" + graph, headers={"Accept": "text/html"})
    assert page.status_code == 200 and f"Its {len(expected):,} triples are this IRI in RDF" in page.text


def test_a_large_graph_is_paged_and_an_unknown_one_is_404(client: TestClient, store: Store) -> None:
    expected = graph_triples(store, "graph/meta")
    pages, url, seen = 0, "/graph/meta?limit=10", rdflib.Graph()
    while url:
        response = client.get(url, headers={"Accept": "text/turtle"})
        part = rdflib.Graph().parse(data=response.text, format="turtle")
        nxt = re.search(r'<([^>]+)>; rel="next"', response.headers["link"])
        url = nxt[1] if nxt else ""
        part.remove((None, rdflib.URIRef("http://www.w3.org/ns/hydra/core#next"), None))
        assert len(part) <= 10
        seen += part
        pages += 1
    assert pages == -(-len(expected) // 10) and isomorphic(seen, expected)
    for missing in ("/graph/nope", "/graph/doc/nope"):
        response = client.get(missing, headers={"Accept": "text/turtle"})
        assert response.status_code == 404 and "No resource" in response.text


# --- dumps ------------------------------------------------------------------------------------------------


def test_the_build_writes_the_dumps_and_the_server_only_sends_them(
    client: TestClient, store: Store, seeds_store_path: Path, tmp_path: Path
) -> None:
    assert dumps.present(seeds_store_path)
    nq = gzip.decompress((seeds_store_path / "dumps" / "kg.nq.gz").read_bytes())
    assert len(list(parse(nq, format=RdfFormat.N_QUADS))) == len(store)
    response = client.get("/dumps/kg.ttl.gz")
    assert response.headers["content-type"] == "application/gzip" and "content-encoding" not in response.headers
    assert response.headers["content-disposition"] == 'attachment; filename="kg.ttl.gz"'
    default = as_rdflib([q.triple for q in store.quads_for_pattern(None, None, None, DefaultGraph())])
    assert isomorphic(rdflib.Graph().parse(data=gzip.decompress(response.content), format="turtle"), default)
    # the same file as RDF: gzip-encoded for clients that accept it, decompressed for those that do not
    encoded = client.get("/dumps/kg.ttl", headers={"Accept-Encoding": "gzip"})
    assert encoded.headers["content-type"] == "text/turtle; charset=utf-8"
    assert encoded.headers["content-encoding"] == "gzip" and "Accept-Encoding" in encoded.headers["vary"]
    plain = client.get("/dumps/kg.ttl", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.content == gzip.decompress(response.content)
    assert encoded.content == plain.content  # httpx decoded it
    assert client.get("/dumps/kg-default.ttl.gz", follow_redirects=False).headers["location"] == "/dumps/kg.ttl.gz"
    # a store without dumps is not dumped on request: 404 saying how to write them
    bare = tmp_path / "bare"
    shutil.copytree(seeds_store_path, bare)
    dumps.drop(bare)
    with TestClient(create_app(Settings(store_path=bare, query_workers=1))) as other:
        missing = other.get("/dumps/kg.nq.gz")
        assert missing.status_code == 404 and "--update" in missing.text
        assert not any(p.name.endswith(".gz") for p in bare.rglob("*")) and not (bare.parent / ".bare-dumps").exists()


def test_update_and_sparql_update_rewrite_the_dumps(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "seeds", docs)
    path = tmp_path / "kg.oxigraph"
    build([docs], path)
    before = (path / "dumps" / "kg.nq.gz").read_bytes()
    first = sorted(docs.glob("*.txt"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\nEn ny mening.\n", encoding="utf-8")
    (sorted(docs.glob("*.txt"))[-1]).unlink()
    update([docs], path)
    assert (path / "dumps" / "kg.nq.gz").read_bytes() != before
    updated = Store.read_only(str(path))
    assert len(
        list(parse(gzip.decompress((path / "dumps" / "kg.nq.gz").read_bytes()), format=RdfFormat.N_QUADS))
    ) == len(updated)
    del updated
    insert = f'INSERT DATA {{ <{BASE}id/person/zelda-zimmer> <http://xmlns.com/foaf/0.1/name> "Zelda Zimmer" }}'
    with TestClient(create_app(Settings(store_path=path, query_workers=1, update_token="t"))) as client:
        done = client.post("/sparql", data={"update": insert}, headers={"authorization": "Bearer t"})
        assert done.status_code == 204, done.text
        dumped = gzip.decompress(client.get("/dumps/kg.ttl.gz").content).decode()
        assert "Zelda Zimmer" in dumped
        void = rdflib.Graph().parse(data=client.get("/.well-known/void", params={"format": "nt"}).text, format="nt")
        triples = int(next(void.objects(None, VOID.triples)))
    assert triples == len(list(Store.read_only(str(path)).quads_for_pattern(None, None, None, DefaultGraph())))


# --- VoID -------------------------------------------------------------------------------------------------


def test_void_states_licence_publisher_dates_examples_and_linked_partitions(client: TestClient, store: Store) -> None:
    response = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    void = rdflib.Graph().parse(data=response.text, format="turtle")
    (ds,) = void.subjects(rdflib.RDF.type, VOID.Dataset)
    assert str(next(void.objects(ds, DCT.license))).startswith("https://")
    publisher = next(void.objects(ds, DCT.publisher))
    assert str(next(void.objects(publisher, rdflib.FOAF.name)))
    runs = [
        q.object.value
        for q in store.quads_for_pattern(None, NamedNode("http://www.w3.org/ns/prov#endedAtTime"), None, None)
    ]
    created = next(void.objects(ds, DCT.created))
    assert created.datatype == rdflib.XSD.dateTime and created.toPython() == datetime.fromisoformat(
        min(runs).replace("Z", "+00:00")
    )
    examples = list(void.objects(ds, VOID.exampleResource))
    assert len(examples) >= 4
    for iri in examples:
        assert client.get("/" + str(iri)[len(BASE) :], headers={"Accept": "text/turtle"}).status_code == 200, iri
    dumps_listed = {str(d).rsplit("/", 1)[1] for d in void.objects(ds, VOID.dataDump)}
    assert dumps_listed == {"kg.nq.gz", "kg.ttl.gz"}
    ontology_page = client.get("/ontology", headers={"Accept": "text/html"}).text
    classes = {}
    for part in void.objects(ds, VOID.classPartition):
        cls = next(void.objects(part, VOID["class"]))
        classes[str(cls)] = int(next(void.objects(part, VOID.triples)))
        if str(cls).startswith(KGO):  # an own class links to its term on this server
            see = str(next(void.objects(cls, rdflib.RDFS.seeAlso)))
            assert see == f"http://testserver/ontology#{str(cls)[len(KGO) :]}"
            assert f'id="{see.rsplit("#", 1)[1]}"' in ontology_page
    assert any(c.startswith(KGO) for c in classes)
    person = "http://xmlns.com/foaf/0.1/Person"
    counted = store.query(f"SELECT (COUNT(*) AS ?n) {{ ?s a <{person}> ; ?p ?o }}")
    assert classes[person] == int(next(iter(counted))["n"].value)
    properties = [int(next(void.objects(p, VOID.triples))) for p in void.objects(ds, VOID.propertyPartition)]
    assert sum(properties) == int(next(void.objects(ds, VOID.triples)))
    page = client.get("/.well-known/void", headers={"Accept": "text/html"}).text
    assert 'href="/ontology#Municipality"' in page and 'href="https://spdx.org/licenses/MIT.html"' in page


# --- OpenAPI examples ---------------------------------------------------------------------------------------


def test_openapi_examples_come_from_the_store_served(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert "fixture" not in json.dumps(schema)
    checked = 0
    for path, operations in schema["paths"].items():
        for param in operations.get("get", {}).get("parameters", []):
            example = param.get("example")
            if example is None or param["name"] not in ("rest", "document", "person", "event", "project"):
                continue
            local = path.replace("{rest}", example) if param["name"] == "rest" else "/" + example
            assert client.get(local, headers={"Accept": "text/turtle"}).status_code == 200, (path, example)
            checked += 1
    assert checked >= 10
    people = schema["paths"]["/queries/people"]["get"]["parameters"]
    person = next(p["example"] for p in people if p["name"] == "person")
    rows = client.get("/queries/people", params={"person": person}).json()["results"]["bindings"]
    assert rows
