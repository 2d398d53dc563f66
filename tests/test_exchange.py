"""The wire between the server and its query workers (server/exchange.py, server/pool.py): real worker
processes on the seeds store, real sockets; big queries and answers, a worker gone mid-answer, a worker
killed mid-query, a cancelled request, many requests at once, and the headers of the raw /sparql route."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pyoxigraph import QueryResultsFormat, Store

from server.app import create_app
from server.context import Settings
from server.exchange import SCRATCH, SMALL, AnswerReader, Job, Outcome, WorkerGone, answer_frame, job_frame, job_from
from server.pool import QueryFailed, QueryPool

JSON = "application/sparql-results+json"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # seconds on the seeds store


def _run(coro):  # a coroutine in, its result out
    return asyncio.run(coro)


def test_a_job_survives_its_frame() -> None:
    job = Job(
        "SELECT * WHERE { ?s ?p 'ä \U0001f600' }",
        JSON,
        "text/turtle",
        {"x": "<urn:a>"},
        ["urn:g"],
        [],
        False,
        False,
        "http://h/sparql",
        True,
        "http://h/context.jsonld",
    )
    _, fields, text = job_frame(job)
    assert job_from(fields, text) == job
    _, _, body = answer_frame(Outcome(200, JSON, b"x" * 10, 3, kind="solutions"))
    assert body == b"x" * 10  # the body goes as it is, not copied into another encoding


def test_a_big_query_and_a_big_answer_cross_whole(seeds_store_path: Path) -> None:
    """A query text above the one-write size and an answer larger than the first read's buffer, so both
    take the in-place paths; the answer equals pyoxigraph's own serialization of the same query."""
    values = " ".join(f'"value number {i} ä"' for i in range(30_000))
    query = f"SELECT ?x WHERE {{ VALUES ?x {{ {values} }} }}"
    assert len(query.encode()) > SMALL
    expected = Store.read_only(str(seeds_store_path)).query(query).serialize(format=QueryResultsFormat.JSON)
    assert len(expected) > 2 * SCRATCH

    async def scenario() -> tuple[Outcome, Outcome]:
        pool = QueryPool(seeds_store_path, size=1, timeout=30, row_cap=100_000)
        try:
            big = await pool.run(Job(query, JSON, prefixes=False))
            small = await pool.run(Job("ASK {}", JSON))  # the same worker, right after: nothing left over
            return big, small
        finally:
            pool.close()

    big, small = _run(scenario())
    assert big.status == 200 and big.body == expected
    assert len(json.loads(big.body)["results"]["bindings"]) == 30_000
    assert json.loads(small.body) == {"head": {}, "boolean": True}


def test_a_worker_gone_mid_answer_fails_the_job_not_the_server() -> None:
    """A real process announces a 1 MB answer, sends part of it and exits: the job fails with WorkerGone."""
    ours, theirs = socket.socketpair()
    code = (
        "import os, socket, sys\n"
        "from server.exchange import Outcome, answer_frame, send_frame\n"
        "s = socket.socket(fileno=int(sys.argv[1]))\n"
        "head, fields, body = answer_frame(Outcome(200, 'text/csv', b'x' * 1_000_000, 1))\n"
        "s.recv(65536)\n"  # the job
        "s.sendall(head + fields + body[:300_000])\n"
        "os._exit(9)\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code, str(theirs.fileno())],
        pass_fds=[theirs.fileno()],
        cwd=Path(__file__).resolve().parent.parent,
    )
    theirs.close()

    async def scenario() -> BaseException | Outcome:
        ours.setblocking(False)
        transport, reader = await asyncio.get_running_loop().create_unix_connection(AnswerReader, sock=ours)
        try:
            return await asyncio.wait_for(reader.submit(Job("ASK {}", JSON)), 20)
        except WorkerGone as err:
            return err
        finally:
            transport.close()

    result = _run(scenario())
    assert child.wait(10) == 9
    assert isinstance(result, WorkerGone), result


def test_a_worker_killed_mid_query_is_a_500_and_is_replaced(seeds_store_path: Path) -> None:
    async def scenario() -> tuple[QueryFailed, Outcome, int, int]:
        pool = QueryPool(seeds_store_path, size=1, timeout=30)
        try:
            await pool.start()
            (worker,) = list(pool._idle._queue)
            slow = asyncio.create_task(pool.run(Job(SLOW, JSON)))
            await asyncio.sleep(0.5)
            os.kill(worker.process.pid, signal.SIGKILL)
            try:
                await slow
            except QueryFailed as err:
                failed = err
            after = await pool.run(Job("ASK {}", JSON))  # waits for the replacement
            (fresh,) = list(pool._idle._queue)
            return failed, after, worker.process.pid, fresh.process.pid
        finally:
            pool.close()

    failed, after, old_pid, new_pid = _run(scenario())
    assert failed.status == 500 and "died" in failed.message
    assert after.status == 200 and new_pid != old_pid


def test_a_cancelled_request_does_not_leave_its_answer_to_the_next(seeds_store_path: Path) -> None:
    """A request cancelled while its query runs (a client gone, a shutdown): the worker is replaced, so the
    next query gets its own answer, not the cancelled one's."""

    async def scenario() -> tuple[Outcome, int]:
        pool = QueryPool(seeds_store_path, size=1, timeout=30)
        try:
            await pool.start()
            slow = asyncio.create_task(pool.run(Job(SLOW, JSON)))
            await asyncio.sleep(0.3)
            slow.cancel()
            with pytest.raises(asyncio.CancelledError):
                await slow
            answer = await pool.run(Job("SELECT (42 AS ?n) WHERE {}", JSON))
            return answer, len(pool._idle._queue) + len(pool._busy)
        finally:
            pool.close()

    answer, workers = _run(scenario())
    assert json.loads(answer.body)["results"]["bindings"] == [{"n": {"type": "literal", "value": "42", **_int()}}]
    assert workers == 1


def _int() -> dict[str, str]:
    return {"datatype": "http://www.w3.org/2001/XMLSchema#integer"}


def test_many_requests_at_once_each_get_their_own_answer(seeds_store_path: Path) -> None:
    """60 queries at once over 2 workers, one of them stopped at its time limit meanwhile: every other
    query gets exactly its own answer."""

    async def scenario() -> tuple[list[Outcome | BaseException], float]:
        pool = QueryPool(seeds_store_path, size=2, timeout=20)
        try:
            await pool.start()
            started = time.monotonic()
            runaway = asyncio.create_task(pool.run(Job(SLOW, JSON), timeout=1.0))
            jobs = [pool.run(Job(f"SELECT ?n WHERE {{ BIND({i} AS ?n) }}", JSON)) for i in range(60)]
            answers = await asyncio.gather(*jobs, runaway, return_exceptions=True)
            return list(answers), time.monotonic() - started
        finally:
            pool.close()

    answers, elapsed = _run(scenario())
    *quick, stopped = answers
    assert isinstance(stopped, QueryFailed) and stopped.status == 503 and "1 s" in stopped.message
    for i, outcome in enumerate(quick):
        assert isinstance(outcome, Outcome), outcome
        assert json.loads(outcome.body)["results"]["bindings"][0]["n"]["value"] == str(i)
    assert elapsed < 15


@pytest.fixture(scope="module")
def client(seeds_store_path: Path):
    with TestClient(create_app(Settings(store_path=seeds_store_path, query_workers=2))) as c:
        yield c


def test_the_raw_sparql_route_sends_the_headers_every_route_sends(client: TestClient) -> None:
    """/sparql skips the framework's routing; its answers carry the same security and CORS headers as an
    answer of a framework route (/search), with and without an Origin."""
    names = (
        "x-content-type-options",
        "referrer-policy",
        "access-control-allow-origin",
        "access-control-expose-headers",
    )
    for origin in ({}, {"origin": "https://example.org"}):
        sparql = client.get("/sparql", params={"query": "ASK {}"}, headers=origin)
        framework = client.get("/search", params={"q": "a"}, headers={"accept": "application/json", **origin})
        assert sparql.status_code == framework.status_code == 200
        assert [sparql.headers.get(n) for n in names] == [framework.headers.get(n) for n in names]
        assert sparql.headers["vary"] == "Accept, Origin"
        assert sparql.headers["x-content-type-options"] == "nosniff"
    error = client.get("/sparql", params={"query": "SELEC nothing"})
    assert error.status_code == 400 and error.headers["x-content-type-options"] == "nosniff"
    page = client.get("/sparql", headers={"accept": "text/html"})
    assert page.status_code == 200 and "script-src 'self'" in page.headers["content-security-policy"]
    post = client.post("/sparql", content=b"ASK {}", headers={"content-type": "application/sparql-query"})
    assert post.json() == {"head": {}, "boolean": True} and post.headers["referrer-policy"] == "same-origin"


def test_a_query_string_that_is_not_utf8_is_a_400(seeds_store_path: Path) -> None:
    """Raw bytes that are not UTF-8 in the request target (as httptools passes them on) get a clear 400."""
    app = create_app(Settings(store_path=seeds_store_path, query_workers=1))
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/sparql",
        "raw_path": b"/sparql",
        "root_path": "",
        "query_string": b"query=ASK%20%7B%7D&x=\xff",
        "headers": [(b"host", b"kg")],
        "server": ("kg", 80),
        "client": ("127.0.0.1", 1),
    }
    _run(app(scope, receive, send))
    assert sent[0]["status"] == 400
    assert b"not valid UTF-8" in sent[1]["body"]
    assert (b"x-content-type-options", b"nosniff") in sent[0]["headers"]


def test_the_query_answers_in_every_results_format_by_accept(client: TestClient) -> None:
    """The remembered media-type choice (per Accept value) answers each Accept with its own format."""
    store_query = "SELECT ?p WHERE { ?p a foaf:Person } ORDER BY ?p LIMIT 3"
    for _ in range(2):  # the second round is answered from the remembered choices
        for accept, start in (
            ("application/sparql-results+json", b"{"),
            ("application/sparql-results+xml", b"<?xml"),
            ("text/csv", b"p\r\n"),
            ("text/tab-separated-values", b"?p\n"),
        ):
            response = client.get("/sparql", params={"query": store_query}, headers={"accept": accept})
            assert response.status_code == 200 and response.content.startswith(start), (accept, response.content)
            assert response.headers["content-type"].startswith(accept)


def test_replacing_and_closing_workers_does_not_stall_the_event_loop(seeds_store_path: Path) -> None:
    """A worker is told to stop by the end of its socket, at once (not when the loop gets round to closing
    the socket): restarting or closing a pool of 2 takes well under the 2 s a worker gets to exit."""

    async def scenario() -> tuple[float, float]:
        pool = QueryPool(seeds_store_path, size=2, timeout=10)
        await pool.start()
        await pool.run(Job("ASK {}", JSON))
        started = time.monotonic()
        await pool.restart()
        restarted = time.monotonic() - started
        assert (await pool.run(Job("ASK {}", JSON))).status == 200  # a worker of the new generation
        started = time.monotonic()
        pool.close()
        return restarted, time.monotonic() - started

    restarted, closed = _run(scenario())
    assert restarted < 1.5 and closed < 1.5, (restarted, closed)
