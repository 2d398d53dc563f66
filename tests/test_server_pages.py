"""Linked-data pages over HTTP on a real store: HTML and RDF at the same URL, paging, documents with
highlighted evidence, escaping of document text, the ontology and the dumps."""

from __future__ import annotations

import gzip
import html
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
from fastapi.testclient import TestClient
from jsonld_expand import expand_with_rdflib
from pyoxigraph import DefaultGraph, NamedNode, RdfFormat, Store, parse, serialize

from kg.build import build
from server.app import create_app
from server.context import Settings

BASE = "https://w3id.org/sv-press-kg/"
KGO = BASE + "ontology#"
EVIDENCE = NamedNode(KGO + "evidence")
SCHEMA = "https://schema.org/"
FORMATS = {
    "ttl": ("text/turtle", "turtle"),
    "jsonld": ("application/ld+json", "json-ld"),
    "nt": ("application/n-triples", "nt"),
    "rdfxml": ("application/rdf+xml", "xml"),
}
HTML_ACCEPT = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
PERSON, ORG, EVENT = "id/person/carin-lidman", "id/org/kommun-1980", "id/event/forum-jamstalldhet/2021"


@pytest.fixture(scope="module")
def client(seeds_store_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(store_path=seeds_store_path, query_workers=1))) as c:
        yield c


@pytest.fixture(scope="module")
def store(seeds_store_path: Path) -> Store:
    return Store.read_only(str(seeds_store_path))


def page(client: TestClient, path: str, **params: object) -> str:
    response = client.get(path, params=params, headers=HTML_ACCEPT)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def default_triples(store: Store, s: str | None = None, o: str | None = None) -> rdflib.Graph:
    """The default-graph triples with subject `s` or object `o`, as an rdflib graph."""
    quads = store.quads_for_pattern(NamedNode(s) if s else None, None, NamedNode(o) if o else None, DefaultGraph())
    graph = rdflib.Graph()
    graph.parse(data=serialize([q.triple for q in quads], format=RdfFormat.N_TRIPLES).decode(), format="nt")
    return graph


def rdf(client: TestClient, path: str, fmt: str, **params: object) -> rdflib.Graph:
    response = client.get(path, params={"format": fmt, **params})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(FORMATS[fmt][0])
    if fmt == "jsonld":
        return expand_with_rdflib(client, response.content)
    graph = rdflib.Graph()
    graph.parse(data=response.content, format=FORMATS[fmt][1])
    return graph


def links(body: str) -> list[str]:
    return re.findall(r'href="([^"]*)"', body)


def evidence_of(store: Store, iri: str) -> list[tuple[str, int, int]]:
    out = []
    for q in store.quads_for_pattern(NamedNode(iri), EVIDENCE, None, DefaultGraph()):
        m = re.search(r"res/doc/([^/]+)/text/(\d+)-(\d+)$", q.object.value)
        assert m
        out.append((m[1], int(m[2]), int(m[3])))
    return out


# --- HTML pages --------------------------------------------------------------------------------


def test_person_page_shows_label_types_values_incoming_links_and_evidence(client, store):
    body = page(client, "/" + PERSON)
    assert "<h1>Carin Lidman</h1>" in body
    assert 'href="http://xmlns.com/foaf/0.1/Person"' in body and "foaf:givenName" in body
    # incoming: the membership and the quote about her, and the document that mentions her
    incoming = body[body.index("Incoming links") :]
    assert "/id/membership/" in incoming and "/id/quote/" in incoming and "schema:mentions" in incoming
    (docid, b, e), *_ = evidence_of(store, BASE + PERSON)
    # each fact names its source document, linked to her evidence span there
    assert f'href="/res/doc/{docid}#s-{b}-{e}"' in body
    # the evidence snippet highlights exactly the span
    assert re.search(rf'<a class="ev d1" href="/res/doc/{docid}#s-{b}-{e}"[^>]*><mark>Carin Lidman</mark></a>', body)


def test_org_page_links_local_iris_locally_and_others_out(client):
    body = page(client, "/" + ORG)
    assert "<h1>Västerås stad</h1>" in body
    assert 'href="/ontology#Municipality"' in body  # the kgo class, on this server
    hrefs = links(body)
    assert any(h.startswith("http://www.wikidata.org/entity/Q") for h in hrefs)  # links out
    assert not [h for h in hrefs if h.startswith(BASE)]  # everything under the base is local
    assert any(h.startswith("/res/doc/") for h in hrefs) and any(h.startswith("/id/membership/") for h in hrefs)
    assert "reference" in body  # facts from the reference graph name it as their source


def test_event_page_links_its_place_and_series(client, store):
    body = page(client, "/" + EVENT)
    assert "schema:startDate" in body and "xsd:date" in body
    for p in ("location", "superEvent"):
        for q in store.quads_for_pattern(NamedNode(BASE + EVENT), NamedNode(SCHEMA + p), None, DefaultGraph()):
            assert f'href="/{q.object.value[len(BASE) :]}"' in body


def test_document_page_highlights_every_evidence_span(client, store):
    doc = "res/doc/002-5659bfc773104c0f"
    body = page(client, "/" + doc)
    nif = next(
        q.object.value
        for q in store.quads_for_pattern(NamedNode(BASE + doc + "/text"), None, None, DefaultGraph())
        if q.predicate.value.endswith("#isString")
    )
    assert "<h1>Västerås deltar i nationell jämställdhetssatsning</h1>" in body
    shown = re.search(r'<section class="text">.*?<div class="doctext">(.*?)</div>', body, re.S)[1]
    assert html.unescape(re.sub(r"<[^>]+>", "", shown)) == nif  # the whole text, nothing added or lost
    graph = NamedNode(BASE + "graph/doc/002-5659bfc773104c0f")
    spans = {(q.subject.value, q.object.value) for q in store.quads_for_pattern(None, EVIDENCE, None, graph)}
    assert len(spans) > 10
    for _, span in spans:
        b, e = map(int, span.rsplit("/", 1)[1].split("-"))
        assert f'<span id="s-{b}-{e}"></span>' in shown
    marked = re.findall(r'<a class="ev d\d" href="([^"]+)"[^>]*><mark>([^<]*)</mark></a>', shown)
    assert ("/id/person/carin-lidman", "Carin Lidman") in marked
    assert {h for h, _ in marked} <= {"/" + s[len(BASE) :] for s, _ in spans}
    mentions = body[body.index("Mentioned entities") :]
    assert 'href="/id/org/kommun-1980"' in mentions and 'href="/id/person/carin-lidman"' in mentions


def test_span_and_graph_iris_dereference(client, store):
    (docid, b, e), *_ = evidence_of(store, BASE + PERSON)
    span = f"/res/doc/{docid}/text/{b}-{e}"
    body = page(client, span)
    assert "<mark>Carin Lidman</mark>" in body and 'href="/id/person/carin-lidman"' in body
    graph = rdf(client, span, "ttl")
    assert (None, rdflib.URIRef("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#anchorOf"),
            rdflib.Literal("Carin Lidman")) in graph  # fmt: skip
    body = page(client, f"/graph/doc/{docid}")
    assert "prov:wasDerivedFrom" in body and f'href="/res/doc/{docid}"' in body
    assert page(client, "/def/role").count("skos:inScheme") >= 1


# --- RDF and content negotiation ----------------------------------------------------------------


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_rdf_format_parses_and_holds_the_resource_triples(client, store, fmt):
    expected = default_triples(store, s=BASE + ORG) + default_triples(store, o=BASE + ORG)
    assert len(expected) > 15
    by_param = rdf(client, "/" + ORG, fmt)
    response = client.get("/" + ORG, headers={"Accept": FORMATS[fmt][0]})
    assert response.headers["content-type"].startswith(FORMATS[fmt][0])
    if fmt == "jsonld":
        by_accept = expand_with_rdflib(client, response.content)
    else:
        by_accept = rdflib.Graph().parse(data=response.content, format=FORMATS[fmt][1])
    docs = [s for s, p, _ in expected if str(p) == SCHEMA + "mentions"]
    assert docs
    for graph in (by_param, by_accept):
        assert not set(expected) - set(graph)
        for doc in docs:  # plus the labels of the linked resources
            assert (doc, rdflib.URIRef(SCHEMA + "headline"), None) in graph


def test_vary_and_link_headers_name_every_format(client):
    response = client.get("/" + PERSON, headers=HTML_ACCEPT)
    assert "Accept" in response.headers["vary"]
    link = response.headers["link"]
    for name, (media, _) in FORMATS.items():
        assert f'</{PERSON}?format={name}>; rel="alternate"; type="{media}"' in link
        target = re.search(rf"<([^>]+format={name})>", link)[1]
        assert client.get(target).headers["content-type"].startswith(media)
    assert "Accept" in client.get("/" + PERSON, params={"format": "ttl"}).headers["vary"]


def test_browsers_get_html_and_plain_clients_too(client):
    assert client.get("/" + PERSON).headers["content-type"].startswith("text/html")
    assert client.get("/" + PERSON, params={"format": "html"}).headers["content-type"].startswith("text/html")
    response = client.get("/" + PERSON, headers={"Accept": "application/rdf+xml;q=0.5, text/turtle"})
    assert response.headers["content-type"].startswith("text/turtle")


def test_unacceptable_formats_get_406(client):
    response = client.get("/" + PERSON, headers={"Accept": "image/png"})
    assert response.status_code == 406 and "text/turtle" in response.text
    assert client.get("/" + PERSON, params={"format": "csv"}).status_code == 406


def test_unknown_iris_get_404_as_html_or_text(client):
    response = client.get("/id/person/nobody-at-all", headers=HTML_ACCEPT)
    assert response.status_code == 404 and response.headers["content-type"].startswith("text/html")
    assert "<h1>Not found</h1>" in response.text
    response = client.get("/id/person/nobody-at-all", headers={"Accept": "text/turtle"})
    assert response.status_code == 404 and response.headers["content-type"].startswith("text/plain")
    assert BASE + "id/person/nobody-at-all" in response.text
    assert client.get("/res/doc/no-such-doc", headers=HTML_ACCEPT).status_code == 404


# --- paging -------------------------------------------------------------------------------------


def test_incoming_links_are_paged_in_html_and_rdf(client, store):
    text = "res/doc/004-3d23e5f68cfa6af5/text"
    every = {(str(s), str(p)) for s, p, _ in default_triples(store, o=BASE + text)}
    assert len(every) > 20
    seen_html, seen_rdf, n = set(), set(), 1
    while True:
        response = client.get("/" + text, params={"limit": 10, "page": n}, headers=HTML_ACCEPT)
        rows = re.findall(r'<tr><td><a href="(/res/doc/[^"]+)"[^>]*>.*?</td><td><a href="([^"]+)"', response.text)
        assert 0 < len(rows) <= 10
        seen_html |= set(rows)
        incoming = {(str(s), str(p)) for s, p, o in rdf(client, "/" + text, "nt", limit=10, page=n)
                    if str(o) == BASE + text}  # fmt: skip
        assert len(incoming) == len(rows)
        seen_rdf |= incoming
        nxt = re.search(r'<([^>]+)>; rel="next"', response.headers["link"])
        if not nxt:
            assert 'rel="next"' not in response.text
            break
        assert f'href="{html.escape(nxt[1])}"' in response.text and f"page={n + 1}" in nxt[1]
        n += 1
    assert n == -(-len(every) // 10)
    assert seen_rdf == every
    assert {(BASE + s[1:], p) for s, p in seen_html} == {(s, p) for s, p in every if p.endswith("#referenceContext")}


def test_multi_valued_properties_are_paged_too(client, store):
    doc = BASE + "res/doc/004-3d23e5f68cfa6af5"
    mentions = {str(o) for _, p, o in default_triples(store, s=doc) if str(p) == SCHEMA + "mentions"}
    assert len(mentions) > 5
    got, n = set(), 1
    while True:
        graph = rdf(client, "/res/doc/004-3d23e5f68cfa6af5", "ttl", limit=5, page=n)
        page_mentions = {str(o) for o in graph.objects(rdflib.URIRef(doc), rdflib.URIRef(SCHEMA + "mentions"))}
        assert len(page_mentions) <= 5
        got |= page_mentions
        nxt = list(graph.objects(None, rdflib.URIRef("http://www.w3.org/ns/hydra/core#next")))
        if not nxt:
            break
        n += 1
    assert got == mentions


# --- escaping -----------------------------------------------------------------------------------


def test_document_text_is_escaped(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "evil.txt").write_text(
        "Västerås <img src=x onerror=alert(2)> bjuder in\n\n"
        "Västerås kommun <b>bjuder</b> in till möte. <script>alert(1)</script>\n\n"
        "– Vi ser fram emot det <i>här</i>, säger Anna Andersson, kommunstyrelsens ordförande i Västerås.\n",
        encoding="utf-8",
    )
    base = "http://example.org/data/"
    build([folder], tmp_path / "kg.oxigraph", base)
    with TestClient(create_app(Settings(store_path=tmp_path / "kg.oxigraph", query_workers=1))) as c:
        body = page(c, "/res/doc/evil")
        person = page(c, "/id/person/anna-andersson")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "&lt;b&gt;bjuder&lt;/b&gt;" in body
    assert "&lt;img src=x onerror=alert(2)&gt;" in body
    own = re.sub(r'<script src="/static/[\w./-]+" defer></script>', "", body)  # the page's own scripts aside
    for raw in ("<script", "<img", "<b>", "<i>"):
        assert raw not in own
    assert "<mark>Anna Andersson</mark>" in body  # highlights still work, with links under this base
    assert 'href="/id/person/anna-andersson"' in body and "example.org" not in "".join(links(body))
    assert "&lt;i&gt;här&lt;/i&gt;" in person and "<i>" not in person


# --- ontology -----------------------------------------------------------------------------------


def test_ontology_is_served_as_html_and_rdf(client):
    body = page(client, "/ontology")
    assert 'id="Municipality"' in body and 'id="evidence"' in body
    graph = rdf(client, "/ontology", "ttl")
    assert (rdflib.URIRef(KGO + "Municipality"), rdflib.RDF.type, rdflib.OWL.Class) in graph
    assert len(rdf(client, "/ontology", "jsonld")) == len(graph)
    assert '<link rel="alternate" type="text/turtle" href="/ontology?format=ttl">' in body


# --- dumps --------------------------------------------------------------------------------------


def test_dumps_listing_and_download(client, store, seeds_store_path):
    """The build's dump files, listed with their sizes and sent as they are (tests/test_linked_data.py has more)."""
    body = page(client, "/dumps")
    assert 'href="/dumps/kg.nq.gz"' in body and 'href="/dumps/kg.ttl.gz"' in body
    listing = client.get("/dumps", headers={"Accept": "application/json"}).json()
    assert {d["name"] for d in listing["dumps"]} == {"kg.nq.gz", "kg.ttl.gz"}

    response = client.get("/dumps/kg.nq.gz")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/gzip"
    assert "content-encoding" not in response.headers
    assert response.headers["content-disposition"] == 'attachment; filename="kg.nq.gz"'
    assert listing["version"] in response.headers["etag"]
    assert response.content == (seeds_store_path / "dumps" / "kg.nq.gz").read_bytes()  # the build's file
    quads = list(parse(io.BytesIO(gzip.decompress(response.content)), format=RdfFormat.N_QUADS))
    assert len(quads) == len(store)
    again = client.get("/dumps/kg.nq.gz", headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304
    sizes = {d["name"]: d["bytes"] for d in client.get("/dumps", params={"format": "json"}).json()["dumps"]}
    assert sizes["kg.nq.gz"] == len(response.content)

    turtle = client.get("/dumps/kg.ttl.gz")
    triples = list(parse(gzip.decompress(turtle.content), format=RdfFormat.TURTLE))
    assert len(triples) == len(list(store.quads_for_pattern(None, None, None, DefaultGraph())))
    assert client.get("/dumps/kg.trig.gz").status_code == 404


def test_pages_advertise_their_rdf_and_answer_head(client):
    body = page(client, "/" + PERSON)
    head = body[: body.index("</head>")]
    for name, (media, _) in FORMATS.items():
        assert f'<link rel="alternate" type="{media}" href="/{PERSON}?format={name}">' in head
    response = client.head("/" + PERSON, headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    # one script on the linked-data pages: the header's search suggestions (the pages work without it)
    assert re.findall(r"<script[^>]*>", body) == ['<script src="/static/search.js" defer>']
