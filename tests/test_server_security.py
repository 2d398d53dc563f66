"""Security and limits: nothing reaches outside, updates need a token, runaway queries are stopped."""

from __future__ import annotations

import asyncio
import http.server
import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import httpx
import pytest
from fastapi.testclient import TestClient
from pyoxigraph import Store

from server.app import create_app
from server.context import Settings

DIRECT = {"content-type": "application/sparql-query"}
UPDATE = {"content-type": "application/sparql-update"}
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
MEMORY_HOG = "SELECT ?a ?b ?c ?d ?e ?f WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"


@pytest.fixture(scope="module")
def client(seeds_store_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(store_path=seeds_store_path, query_workers=2))) as c:
        yield c


class Recorder(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        Recorder.hits.append(self.path)
        self.send_response(200)
        self.send_header("content-type", "application/sparql-results+json")
        self.end_headers()
        self.wfile.write(b'{"head":{"vars":[]},"results":{"bindings":[{}]}}')

    do_POST = do_GET

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def outside() -> Iterator[str]:
    """A real HTTP server on loopback that records every request made to it."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE { SERVICE <{url}/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE SILENT <{url}/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { \\u0053ERVICE <{url}/sparql> { ?s ?p ?o } }",
        "PREFIX x: <{url}/> SELECT * WHERE { service x:sparql { ?s ?p ?o } }",
        "SELECT * FROM <{url}/data.ttl> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <{url}/data.ttl> WHERE { GRAPH ?g { ?s ?p ?o } }",
    ],
)
def test_queries_reaching_outside_are_refused_before_they_run(client: TestClient, outside: str, template: str) -> None:
    Recorder.hits.clear()
    query = template.replace("{url}", outside)
    response = client.post("/sparql", content=query.encode(), headers=DIRECT)
    assert response.status_code == 400
    assert "refused" in response.text and "never" in response.text
    time.sleep(0.2)
    assert Recorder.hits == []


def test_the_refusal_does_not_trip_on_names_strings_or_comments(client: TestClient) -> None:
    query = 'SELECT ?service WHERE { ?service ?p "SERVICE <http://x>" } LIMIT 1 # SERVICE <http://x>'
    assert client.post("/sparql", content=query.encode(), headers=DIRECT).status_code == 200
    graph = "https://w3id.org/sv-press-kg/graph/reference"
    assert client.get("/sparql", params={"query": f"ASK FROM <{graph}> {{ ?s ?p ?o }}"}).json()["boolean"] is True


def test_updates_are_refused_without_a_token(client: TestClient, seeds_store_path: Path) -> None:
    before = len(Store.read_only(str(seeds_store_path)))
    for request in (
        {"content": b"CLEAR ALL", "headers": UPDATE},
        {"content": b"update=CLEAR%20ALL", "headers": {"content-type": "application/x-www-form-urlencoded"}},
    ):
        response = client.post("/sparql", **request)
        assert response.status_code == 403 and "read-only" in response.text
    assert client.get("/sparql", params={"update": "CLEAR ALL"}).status_code == 405
    assert len(Store.read_only(str(seeds_store_path))) == before


@pytest.fixture
def writable_copy(seeds_store_path: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "kg.oxigraph"
    shutil.copytree(seeds_store_path, copy)
    return copy


def test_updates_with_the_token(writable_copy: Path) -> None:
    settings = Settings(store_path=writable_copy, query_workers=1, update_token="s3cret-token")
    insert = b'INSERT DATA { <urn:x:new> <http://xmlns.com/foaf/0.1/name> "Ny Person" }'
    ask = {"query": 'ASK { <urn:x:new> foaf:name "Ny Person" }'}
    with TestClient(create_app(settings)) as client:
        assert client.get("/sparql", params=ask).json()["boolean"] is False
        no_auth = client.post("/sparql", content=insert, headers=UPDATE)
        assert no_auth.status_code == 401 and no_auth.headers["www-authenticate"] == "Bearer"
        wrong = client.post("/sparql", content=insert, headers={**UPDATE, "authorization": "Bearer s3cret-tokeX"})
        assert wrong.status_code == 401
        assert client.get("/sparql", params=ask).json()["boolean"] is False
        ok = client.post("/sparql", content=insert, headers={**UPDATE, "authorization": "Bearer s3cret-token"})
        assert ok.status_code == 204, ok.text
        assert client.get("/sparql", params=ask).json()["boolean"] is True
        load = client.post(
            "/sparql",
            content=b"LOAD <http://127.0.0.1:9/x.ttl>",
            headers={**UPDATE, "authorization": "Bearer s3cret-token"},
        )
        assert load.status_code == 400 and "LOAD" in load.text
        sd = client.get("/sparql", headers={"accept": "application/n-triples"})
        assert "SPARQL11Update" in sd.text
    assert Store.read_only(str(writable_copy)).query(ask["query"], prefixes={"foaf": "http://xmlns.com/foaf/0.1/"})


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] != "Z"
    except OSError:
        return False


def test_a_runaway_query_is_stopped_while_others_are_answered(seeds_store_path: Path) -> None:
    app = create_app(Settings(store_path=seeds_store_path, query_workers=2, timeout=2.0))
    pool = app.state.ctx.pool

    async def scenario() -> tuple[httpx.Response, list[float], float, list[int]]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://kg") as client:
            await pool.start()
            pids = [w.process.pid for w in list(pool._idle._queue)]
            started = time.monotonic()
            slow = asyncio.create_task(client.get("/sparql", params={"query": RUNAWAY}))
            await asyncio.sleep(0.3)
            quick = []
            for _ in range(5):
                t = time.monotonic()
                r = await client.get("/sparql", params={"query": "ASK { ?p a foaf:Person }"})
                assert r.status_code == 200 and r.json()["boolean"] is True
                quick.append(time.monotonic() - t)
            response = await slow
            return response, quick, time.monotonic() - started, pids

    try:
        response, quick, elapsed, pids = asyncio.run(scenario())
    finally:
        pool.close()
    assert response.status_code == 503
    assert "stopped after 2 s" in response.text
    assert elapsed < 6
    assert max(quick) < 1.0
    assert pool.stats["timeouts"] == 1
    assert sum(_alive(pid) for pid in pids) <= 1  # the worker running the runaway query was killed


def test_a_memory_hungry_query_is_stopped(seeds_store_path: Path) -> None:
    settings = Settings(store_path=seeds_store_path, query_workers=1, timeout=30, memory_mb=150)
    with TestClient(create_app(settings)) as client:
        started = time.monotonic()
        response = client.get("/sparql", params={"query": MEMORY_HOG})
        assert response.status_code == 503 and "memory" in response.text
        assert time.monotonic() - started < 20
        assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200  # a fresh worker took over


def test_a_client_may_lower_the_timeout_but_not_raise_it(seeds_store_path: Path) -> None:
    with TestClient(create_app(Settings(store_path=seeds_store_path, query_workers=1, timeout=3))) as client:
        started = time.monotonic()
        response = client.get("/sparql", params={"query": RUNAWAY, "timeout": "0.5"})
        assert response.status_code == 503 and "0.5 s" in response.text
        assert time.monotonic() - started < 2.5


def test_results_above_the_row_cap_are_refused_not_cut(seeds_store_path: Path) -> None:
    with TestClient(create_app(Settings(store_path=seeds_store_path, query_workers=1, row_cap=10))) as client:
        big = client.get("/sparql", params={"query": "SELECT ?s WHERE { ?s a foaf:Person }"})
        assert big.status_code == 413 and "cap of 10" in big.text and "LIMIT" in big.text
        ok = client.get("/sparql", params={"query": "SELECT ?s WHERE { ?s a foaf:Person } ORDER BY ?s LIMIT 10"})
        assert ok.status_code == 200 and len(ok.json()["results"]["bindings"]) == 10
        graph = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s a foaf:Person }"})
        assert graph.status_code == 413
        saved = client.get("/queries/people.json")
        assert saved.status_code == 413


def test_responses_carry_nosniff_and_html_a_csp(client: TestClient) -> None:
    data = client.get("/sparql", params={"query": "ASK {}"})
    assert data.headers["x-content-type-options"] == "nosniff"
    page = client.get("/queries", headers={"accept": "text/html"})
    assert "script-src 'self'" in page.headers["content-security-policy"]


def test_api_docs_load_nothing_from_other_hosts(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200 and "script-src 'self'" in page.headers["content-security-policy"]
    assert "http" not in page.text and "<script>" not in page.text
    assets = ("/static/vendor/swagger-ui/swagger-ui-bundle.js", "/static/vendor/swagger-ui/swagger-ui.css")
    for asset in (*assets, "/static/api-docs.js"):
        assert client.get(asset).status_code == 200


def test_links_stay_on_this_host_or_go_to_http() -> None:
    from server.views import link_for

    base = "https://w3id.org/sv-press-kg/"
    assert link_for(base, base + "id/person/anna") == "/id/person/anna"
    assert link_for(base, base + "/evil.example/x") != "//evil.example/x"  # never a protocol-relative link
    assert link_for(base, base + "\\\\evil.example") is None
    for bad in ("javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<script>", "vbscript:x"):
        assert link_for(base, bad) is None
    assert link_for(base, "https://example.org/a") == "https://example.org/a"


def test_csv_downloads_cannot_start_a_spreadsheet_formula() -> None:
    from server.conneg import csv_safe

    body = b'name,n\r\n"=HYPERLINK(""http://x"")",-3\r\n+SUM(A1),@cmd\r\n-2+3,ok\r\n'
    rows = csv_safe(body).decode().splitlines()
    assert rows[1].startswith("\"'=HYPERLINK") and rows[1].endswith(",-3")  # a number stays a number
    assert rows[2] == "'+SUM(A1),'@cmd" and rows[3] == "'-2+3,ok"


def test_a_huge_offset_is_refused_not_run(client: TestClient) -> None:
    response = client.get("/queries/people.json", params={"offset": str(10**30), "limit": "5"})
    assert response.status_code == 422 and "offset" in response.text
