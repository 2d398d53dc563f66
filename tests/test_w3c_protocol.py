"""The W3C SPARQL 1.1 Protocol tests (../shared/w3c) against `kg serve` on a loopback port.

Every query test and every bad_* test is replayed as written in the manifest (method, path,
headers, body in its declared encoding); update tests must be refused, since the endpoint is
read-only. The manifest's graph data is loaded into named graphs labelled as the tests say.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import rdflib
from live_server import live_server
from pyoxigraph import NamedNode, RdfFormat, Store

SUITE = Path(__file__).resolve().parents[2] / "shared" / "w3c" / "sparql11-protocol"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
TABULAR = ("application/sparql-results+json", "application/sparql-results+xml", "text/csv", "text/tab-separated-values")
BOOLEAN = ("application/sparql-results+json", "application/sparql-results+xml")
RDF = ("application/rdf+xml", "text/turtle", "application/n-triples", "application/xhtml+xml", "text/html")

pytestmark = pytest.mark.skipif(not SUITE.is_dir(), reason=f"W3C suite not found at {SUITE}")


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: set[str]
    fmt: str | None = None
    boolean: bool | None = None


@dataclass
class ProtocolTest:
    name: str
    title: str
    requests: list[Request] = field(default_factory=list)
    data: dict[str, Path] = field(default_factory=dict)

    @property
    def is_update(self) -> bool:
        return self.name.startswith("update_")


def load_manifest() -> list[ProtocolTest]:
    g = rdflib.Graph().parse(SUITE / "manifest.ttl", format="turtle", publicID=(SUITE / "manifest.ttl").as_uri())
    manifest = next(g.subjects(MF.entries, None))
    tests = []
    for node in rdflib.collection.Collection(g, g.value(manifest, MF.entries)):
        test = ProtocolTest(name=str(node).rsplit("#", 1)[-1], title=str(g.value(node, MF.name)))
        for gd in g.objects(node, UT.graphData):
            test.data[str(g.value(gd, rdflib.RDFS.label))] = Path(str(g.value(gd, UT.graph)).removeprefix("file://"))
        action = g.value(node, MF.action)
        for req in rdflib.collection.Collection(g, g.value(action, HT.requests)):
            headers = {
                str(g.value(h, HT.fieldName)): str(g.value(h, HT.fieldValue))
                for h in rdflib.collection.Collection(g, g.value(req, HT.headers) or rdflib.RDF.nil)
            }
            body_node = g.value(req, HT.body)
            body = None
            if body_node is not None:
                encoding = str(g.value(body_node, CNT.characterEncoding) or "UTF-8")
                body = str(g.value(body_node, CNT.chars)).encode(encoding)
            resp = g.value(req, HT.resp)
            boolean = g.value(resp, MF.expectedBoolean)
            test.requests.append(
                Request(
                    method=str(g.value(req, HT.methodName)),
                    path=str(g.value(req, HT.absolutePath)),
                    headers=headers,
                    body=body,
                    statuses={str(s).removeprefix(HTS) for s in g.objects(resp, MF.expectedStatus)},
                    fmt=str(g.value(resp, MF.expectedFormat)) if g.value(resp, MF.expectedFormat) else None,
                    boolean=None if boolean is None else bool(boolean.toPython()),
                )
            )
        tests.append(test)
    return tests


TESTS = load_manifest() if SUITE.is_dir() else []


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = tmp_path_factory.mktemp("w3c") / "kg.oxigraph"
    store = Store(str(path))
    loaded: set[str] = set()
    for test in TESTS:
        for label, data in test.data.items():
            if label not in loaded:
                store.load(path=str(data), format=RdfFormat.N_TRIPLES, to_graph=NamedNode(label))
                loaded.add(label)
    store.flush()
    del store
    with live_server(path) as base_url:
        yield base_url.rstrip("/") + "/sparql"


def send(endpoint: str, req: Request) -> httpx.Response:
    path = req.path.removeprefix("/sparql/")
    url = endpoint + (path if path.startswith("?") or not path else "/" + path)
    return httpx.request(req.method, url, headers=req.headers, content=req.body, timeout=30)


def check_body(req: Request, response: httpx.Response) -> None:
    media = response.headers.get("content-type", "").split(";")[0].strip()
    if req.fmt == "boolean":
        assert media in BOOLEAN, media
        if media.endswith("json"):
            value = json.loads(response.content)["boolean"]
        else:
            node = ET.fromstring(response.content).find("{http://www.w3.org/2005/sparql-results#}boolean")
            value = node is not None and node.text == "true"
        if req.boolean is not None:
            assert value is req.boolean
    elif req.fmt == "tabular":
        assert media in TABULAR, media
    elif req.fmt == "RDF":
        assert media in RDF, media
        rdflib.Graph().parse(
            data=response.content, format={"text/turtle": "turtle", "application/rdf+xml": "xml"}.get(media, "nt")
        )


@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_w3c_protocol(endpoint: str, test: ProtocolTest) -> None:
    if test.is_update:
        response = send(endpoint, test.requests[0])
        assert 400 <= response.status_code < 500, f"{test.title}: an update must be refused, got {response.status_code}"
        return
    for req in test.requests:
        response = send(endpoint, req)
        status_class = f"{response.status_code // 100}xx"
        assert status_class in req.statuses, f"{test.title}: got {response.status_code} {response.text[:300]}"
        if response.status_code < 300:
            check_body(req, response)


def test_the_whole_manifest_was_read() -> None:
    assert len(TESTS) == 34
    assert sum(t.name.startswith("bad_") for t in TESTS) == 14
    assert sum(t.is_update for t in TESTS) == 7
