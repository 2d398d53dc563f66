"""An attacker's and an unlucky operator's requests against a real `kg serve` on loopback.

A real TCP listener stands for an internal service: it records every connection it accepts, so
"nothing reached it" is checked at the socket, not by reading the server's answers. Query forms
are generated (comments, escapes, whitespace, case, prefixes, nesting) rather than listed, and
the worker's sandbox is also tested alone, with the text guard switched off.
"""

from __future__ import annotations

import contextlib
import itertools
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from server.pool import Job, Worker
from tests.live_server import live_server

pytestmark = pytest.mark.adversarial

DIRECT = {"content-type": "application/sparql-query"}
UPDATE = {"content-type": "application/sparql-update"}
TOKEN = "adversarial-token"


class Listener:
    """A loopback TCP server that accepts and records every connection (and what it was sent)."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(128)
        self.port = self.sock.getsockname()[1]
        self.hits: list[bytes] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            conn.settimeout(1)
            try:
                data = conn.recv(4096)
            except OSError:
                data = b""
            self.hits.append(data or b"(connected)")
            body = b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"LEAK"}}]}}'
            with contextlib.suppress(OSError):
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\ncontent-type: application/sparql-results+json\r\n"
                    b"content-length: " + str(len(body)).encode() + b"\r\n\r\n" + body
                )
            conn.close()

    def close(self) -> None:
        self.sock.close()


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


@pytest.fixture(scope="module")
def writable_store(seeds_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    copy = tmp_path_factory.mktemp("adversarial") / "kg.oxigraph"
    shutil.copytree(seeds_store_path, copy)
    return copy


@pytest.fixture(scope="module")
def server(writable_store: Path) -> Iterator[str]:
    with live_server(writable_store, timeout=5, memory_mb=512, update_token=TOKEN) as url:
        yield url


def post(url: str, body: bytes, headers: dict[str, str], timeout: float = 30) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def ask(url: str, timeout: float = 10) -> float:
    """Seconds an `ASK {}` takes; fails unless it answers 200."""
    started = time.monotonic()
    with urllib.request.urlopen(url + "sparql?query=ASK%20%7B%7D", timeout=timeout) as response:
        assert response.status == 200
        response.read()
    return time.monotonic() - started


# ------------------------------------------------------------------ SERVICE and LOAD variants

KEYWORDS = ["SERVICE", "service", "SeRvIcE", "\\u0053ERVICE", "SERVIC\\u0045", "\\U00000053ervice"]
GAPS = [" ", "\t", "\r", "\n", "\f", " # c\r", " # c\n", "\r\n", "\u00a0"]
TARGETS = [
    "<http://127.0.0.1:{port}/x>",
    "<http://127.0.0.1:{port}/\\u0078>",
    "<http://localhost:{port}/x>",
    "<http://[::ffff:127.0.0.1]:{port}/x>",
    "evil:x",
]
PREAMBLES = [
    "",
    "# c\r",
    "BIND(<http://a/\u00a0#> AS ?q) ",
    "BIND(<http://a/\\u00a0#> AS ?q) ",
    "BIND(schema:a\\#b AS ?q) ",
    'BIND("""\n#""" AS ?q) ',
    "BIND('#' AS ?q) ",
]
SHAPES = [
    "SELECT * WHERE {{ {pre}{kw}{gap}{target} {{ ?x ?y ?z }} }}",
    "SELECT * WHERE {{ {pre}{kw} SILENT{gap}{target} {{ ?x ?y ?z }} }}",
    "SELECT * WHERE {{ {pre}OPTIONAL {{ {kw}{gap}{target} {{ ?x ?y ?z }} }} }}",
    "SELECT * WHERE {{ {pre}{{ SELECT * WHERE {{ {kw}{gap}{target} {{ ?x ?y ?z }} }} }} }}",
    "ASK {{ {pre}VALUES ?s {{ {target} }} {kw}{gap}?s {{ ?x ?y ?z }} }}",
    "CONSTRUCT {{ ?x ?y ?z }} WHERE {{ {pre}{kw}{gap}{target} {{ ?x ?y ?z }} }}",
]


def service_variants(port: int) -> list[str]:
    """A family of SERVICE queries: every shape, with a spread of keyword spellings, gaps, targets and preambles."""
    out = []
    combos = itertools.product(range(len(SHAPES)), range(len(KEYWORDS)), range(len(GAPS)))
    for n, (shape, kw, gap) in enumerate(combos):
        target = TARGETS[n % len(TARGETS)].replace("{port}", str(port))
        pre = PREAMBLES[n % len(PREAMBLES)]
        query = SHAPES[shape].format(pre=pre, kw=KEYWORDS[kw], gap=GAPS[gap], target=target)
        out.append(f"PREFIX evil: <http://127.0.0.1:{port}/>\n" + query)
    return out


def test_the_issue_forms_and_a_generated_family_never_reach_the_listener(server: str, listener: Listener) -> None:
    issue_forms = [
        "SELECT * WHERE { # c\rSERVICE <http://127.0.0.1:{port}/x> { ?x ?y ?z } }",
        "SELECT * WHERE { BIND(<http://a/\u00a0#> AS ?q) SERVICE <http://127.0.0.1:{port}/x> {?x ?y ?z} }",
        "SELECT * WHERE { BIND(schema:a\\#b AS ?q) SERVICE <http://127.0.0.1:{port}/x> {?x ?y ?z} }",
    ]
    queries = [q.replace("{port}", str(listener.port)) for q in issue_forms] + service_variants(listener.port)
    assert len(queries) > 300
    statuses: dict[int, int] = {}
    for query in queries:
        status, body = post(server + "sparql", query.encode(), DIRECT)
        statuses[status] = statuses.get(status, 0) + 1
        assert b"LEAK" not in body, query
        assert status in (200, 400), (status, body[:200], query)
    time.sleep(0.3)
    assert listener.hits == []
    assert statuses.get(400, 0) > 0.8 * len(queries)  # most are refused with a message; SILENT ones may answer empty


@pytest.mark.parametrize(
    "update",
    [
        "LOAD <http://127.0.0.1:{port}/x.ttl>",
        "LOAD SILENT <http://127.0.0.1:{port}/x.ttl>",
        "load <http://127.0.0.1:{port}/x.ttl> INTO GRAPH <urn:g>",
        "# c\rLOAD <http://127.0.0.1:{port}/x.ttl>",
        "\\u004cOAD <http://127.0.0.1:{port}/x.ttl>",
        "INSERT DATA { <urn:a> <urn:b> <http://a/\u00a0#> } ; LOAD <http://127.0.0.1:{port}/x.ttl>",
        "INSERT { ?x ?y ?z } WHERE { SERVICE <http://127.0.0.1:{port}/x> { ?x ?y ?z } }",
    ],
)
def test_updates_with_a_valid_token_cannot_fetch(server: str, listener: Listener, update: str) -> None:
    body = update.replace("{port}", str(listener.port)).encode()
    status, answer = post(server + "sparql", body, {**UPDATE, "authorization": f"Bearer {TOKEN}"})
    assert status in (204, 400), (status, answer)
    time.sleep(0.2)
    assert listener.hits == []


def test_the_sandbox_alone_stops_egress(seeds_store_path: Path, listener: Listener) -> None:
    """With the text guard off, the kernel still refuses the worker's socket."""
    worker = Worker(str(seeds_store_path), 1000)
    try:
        worker.wait_ready()
        for query in (
            f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/x> {{ ?x ?y ?z }} }}",
            f"SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.1:{listener.port}/x> {{ ?x ?y ?z }} }}",
        ):
            outcome = worker.ask(Job(query, "application/sparql-results+json", guard=False), 10)
            assert b"LEAK" not in outcome.body
            assert outcome.status in (200, 400)
    finally:
        worker.close()
    time.sleep(0.2)
    assert listener.hits == []


def test_a_refused_socket_in_the_worker_is_a_clear_400(seeds_store_path: Path, listener: Listener) -> None:
    worker = Worker(str(seeds_store_path), 1000)
    try:
        worker.wait_ready()
        outcome = worker.ask(
            Job(f"SELECT * {{ SERVICE <http://127.0.0.1:{listener.port}/x> {{ ?x ?y ?z }} }}", "text/csv", guard=False),
            10,
        )
        assert outcome.status == 400 and "SERVICE is not allowed" in outcome.message
    finally:
        worker.close()


def test_unreachable_hosts_are_unreachable_in_every_address_family() -> None:
    """The worker's own check: after confine(), no AF_INET/AF_INET6/AF_NETLINK/AF_PACKET socket opens."""
    import subprocess
    import sys

    code = (
        "import socket\n"
        "from server import sandbox\n"
        "print(sandbox.confine())\n"
        "for fam in (socket.AF_INET, socket.AF_INET6, socket.AF_NETLINK, socket.AF_PACKET, socket.AF_UNIX):\n"
        "    try:\n"
        "        socket.socket(fam, socket.SOCK_DGRAM if fam != socket.AF_PACKET else socket.SOCK_RAW)\n"
        "        print('OPEN', fam)\n"
        "    except OSError as err:\n"
        "        print('refused', fam, err.errno)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    assert "OPEN" not in out.stdout, out.stdout
    assert out.stdout.splitlines()[0] in ("seccomp", "netns")


def test_the_listener_itself_is_reachable_from_an_unconfined_process(listener: Listener) -> None:
    """The listener test could not fail if nothing could reach it: a plain connection is recorded."""
    before = len(listener.hits)
    with socket.create_connection(("127.0.0.1", listener.port), timeout=5) as conn:
        conn.sendall(b"PING")
        conn.recv(10)
    time.sleep(0.1)
    assert len(listener.hits) == before + 1
    listener.hits.clear()


def query_url(base: str, query: str) -> str:
    return base + "sparql?" + urllib.parse.urlencode({"query": query})


# ------------------------------------------------------------------ freezing the server, killing slots


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):
            out += [int(c) for c in (task / "children").read_text().split()]
    return out


def _server_pid(url: str) -> int:
    port = urllib.parse.urlsplit(url).port
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmd = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"serve" in cmd and str(port).encode() in cmd:
            return int(entry.name)
    raise AssertionError("no server process")


@pytest.mark.parametrize("payload", ["ASK {} " + "é" * 48000, "ASK {} " + "a." * 16000, "ASK {} " + "ab:" * 30000])
def test_a_slow_to_lex_query_does_not_hold_up_other_clients(server: str, payload: str) -> None:
    results: list[tuple[int, bytes]] = []
    slow = threading.Thread(target=lambda: results.append(post(server + "sparql", payload.encode(), DIRECT)))
    slow.start()
    time.sleep(0.05)
    assert ask(server) < 1.0
    slow.join(30)
    assert results and results[0][0] == 400  # a syntax error, answered by the worker


def test_a_large_query_is_answered_not_reported_as_a_timeout(server: str) -> None:
    big = "SELECT ?x WHERE { VALUES ?x { " + " ".join(f'"v{i}"' for i in range(150_000)) + " } } LIMIT 1"
    assert len(big) > 1_000_000
    started = time.monotonic()
    status, body = post(server + "sparql", big.encode(), {**DIRECT, "accept": "text/csv"})
    assert status in (200, 413), body[:300]
    assert b"time limit" not in body
    assert time.monotonic() - started < 5


def test_a_worker_that_cannot_be_replaced_is_retried_never_handed_out(server: str) -> None:
    """Lower the server's open-file limit so replacing a killed worker fails (EMFILE), then lift it."""
    import subprocess

    pid = _server_pid(server)
    workers = len(_children(pid))
    assert workers >= 2
    open_fds = len(list(Path(f"/proc/{pid}/fd").iterdir()))
    limits = Path(f"/proc/{pid}/limits").read_text().splitlines()
    soft = next(line for line in limits if line.startswith("Max open files")).split()[3]
    subprocess.run(["prlimit", f"--pid={pid}", f"--nofile={open_fds + 2}:"], check=True)
    try:
        runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
        status, _ = post(server + "sparql?timeout=0.3", runaway.encode(), DIRECT)
        assert status == 503  # stopped; its replacement cannot start yet
        time.sleep(0.5)
    finally:
        subprocess.run(["prlimit", f"--pid={pid}", f"--nofile={soft}:"], check=True)
    answers = []
    for _ in range(20):
        try:
            answers.append(ask(server))
        except urllib.error.HTTPError as err:
            answers.append(err.code)
    assert all(isinstance(a, float) for a in answers), answers  # never "handle is closed"
    deadline = time.monotonic() + 10
    while len(_children(pid)) != workers and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(_children(pid)) == workers


# ------------------------------------------------------------------ slow, oversized and malformed requests


def _raw(url: str, payload: bytes, read: bool = True, timeout: float = 10) -> bytes:
    parts = urllib.parse.urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=timeout) as conn:
        conn.sendall(payload)
        if not read:
            return b""
        chunks = []
        while True:
            try:
                data = conn.recv(65536)
            except (ConnectionResetError, TimeoutError):
                break
            if not data:
                break
            chunks.append(data)
        return b"".join(chunks)


@pytest.fixture(scope="module")
def tight_server(seeds_store_path: Path) -> Iterator[str]:
    """A server with small limits, so that the limits can be reached quickly."""
    with live_server(
        seeds_store_path, timeout=5, header_timeout=1, max_body_mb=1, max_connections=60, query_workers=1
    ) as url:
        yield url


def test_unfinished_headers_are_timed_out(tight_server: str) -> None:
    started = time.monotonic()
    answer = _raw(tight_server, b"GET /sparql?query=ASK%20%7B%7D HTTP/1.1\r\nHost: x\r\nX-Slow: 1")
    assert b"408" in answer.split(b"\r\n", 1)[0]
    assert time.monotonic() - started < 5


def test_a_slow_body_is_timed_out(tight_server: str) -> None:
    started = time.monotonic()
    answer = _raw(
        tight_server,
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: 100\r\n\r\nASK",
    )
    assert answer == b"" or b"408" in answer.split(b"\r\n", 1)[0]
    assert time.monotonic() - started < 8
    assert ask(tight_server) < 1


def test_a_slowloris_flood_does_not_lock_out_other_clients(tight_server: str) -> None:
    """With 100 file descriptors to spare, 300 half-sent requests must not lock anyone out."""
    import subprocess

    parts = urllib.parse.urlsplit(tight_server)
    pid = _server_pid(tight_server)
    limits = Path(f"/proc/{pid}/limits").read_text().splitlines()
    soft = next(line for line in limits if line.startswith("Max open files")).split()[3]
    open_fds = len(list(Path(f"/proc/{pid}/fd").iterdir()))
    subprocess.run(["prlimit", f"--pid={pid}", f"--nofile={open_fds + 100}:"], check=True)
    held = []
    try:
        for _ in range(300):
            try:
                s = socket.create_connection((parts.hostname, parts.port), timeout=2)
                s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
                held.append(s)
            except OSError:
                pass
        time.sleep(2)  # past the header timeout: the server has dropped the half-sent requests
        assert ask(tight_server) < 1
    finally:
        for s in held:
            s.close()
        subprocess.run(["prlimit", f"--pid={pid}", f"--nofile={soft}:"], check=True)


def test_an_oversized_body_is_refused_before_it_is_read(tight_server: str) -> None:
    head = (
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
        b"Content-Length: 300000000\r\n\r\n"
    )
    answer = _raw(tight_server, head + b"ASK {}")
    assert answer.startswith(b"HTTP/1.1 413")


def test_an_oversized_chunked_body_is_refused(tight_server: str) -> None:
    parts = urllib.parse.urlsplit(tight_server)
    chunk = b"#" * 65536
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as conn:
        conn.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        try:
            for _ in range(40):  # 2.5 MB in all, above the 1 MB limit
                conn.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        except OSError:
            pass  # the server closed the connection
        answer = conn.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413")


def test_huge_headers_are_refused_and_never_echoed(tight_server: str) -> None:
    accept = b"text/x-" + b"a" * 2_000_000
    answer = _raw(
        tight_server, b"GET /sparql?query=ASK%20%7B%7D HTTP/1.1\r\nHost: x\r\nAccept: " + accept + b"\r\n\r\n"
    )
    assert answer.startswith(b"HTTP/1.1 431")
    assert len(answer) < 2000


def test_a_long_accept_header_is_not_echoed_whole(tight_server: str) -> None:
    request = urllib.request.Request(
        tight_server + "sparql?query=ASK%20%7B%7D", headers={"accept": "text/x-" + "b" * 30_000}
    )
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(request, timeout=10)
    assert err.value.code == 406
    assert len(err.value.read()) < 2000


def test_the_server_memory_does_not_grow_with_a_large_post(tight_server: str) -> None:
    pid = _server_pid(tight_server)
    before = _rss(pid)
    parts = urllib.parse.urlsplit(tight_server)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as conn:
        conn.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 300000000\r\n\r\n"
        )
        try:
            for _ in range(300):
                conn.sendall(b"x" * 1_000_000)
        except OSError:
            pass
    assert _rss(pid) - before < 50 * 2**20
    assert ask(tight_server) < 1


def _rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


# ------------------------------------------------------------------ consistent builds under a running server


def _get_json(url: str) -> dict:
    request = urllib.request.Request(url, headers={"accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=20) as response:
        import json

        return json.loads(response.read())


def test_a_rebuild_under_a_running_server_is_served_whole(seeds_store_path: Path, tmp_path: Path) -> None:
    """`kg build` onto the path a server serves: every later answer comes from the new build alone."""
    import shutil

    from kg.build import build

    store = tmp_path / "kg.oxigraph"
    shutil.copytree(seeds_store_path, store)
    one = tmp_path / "one"
    one.mkdir()
    (one / "nytt.txt").write_text(
        "Ny förening bildas\n\nSara Lind, ordförande i Föreningen Testlund, säger att alla är välkomna.\n",
        encoding="utf-8",
    )
    count = "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a foaf:Person }"
    with live_server(store, timeout=5, query_workers=2) as url:
        before = int(_get_json(query_url(url, count))["results"]["bindings"][0]["n"]["value"])
        assert before > 1
        build([one], store)
        counts = {int(_get_json(query_url(url, count))["results"]["bindings"][0]["n"]["value"]) for _ in range(12)}
        assert counts == {1}, counts  # every worker, not some
        people = _get_json(url + "queries/people.json")["results"]["bindings"]
        assert [b["personName"]["value"] for b in people] == ["Sara Lind"]
        with urllib.request.urlopen(url + "id/person/sara-lind", timeout=10) as page:
            assert page.status == 200


def test_saved_queries_follow_an_authenticated_update(server: str) -> None:
    """After a SPARQL Update removes every name, the saved query lists no one (its view was dropped)."""
    people = _get_json(server + "queries/people.json")["results"]["bindings"]
    assert people
    status, body = post(
        server + "sparql",
        b"DELETE WHERE { GRAPH ?g { ?p foaf:name ?n } } ; DELETE WHERE { ?q foaf:name ?m }",
        {**UPDATE, "authorization": f"Bearer {TOKEN}"},
    )
    assert status == 204, body
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?p foaf:name ?name }"
    assert _get_json(query_url(server, count))["results"]["bindings"][0]["n"]["value"] == "0"
    from kg.queries import registry

    live = _get_json(query_url(server, registry().get("people").sparql))["results"]["bindings"]
    served = _get_json(server + "queries/people.json")["results"]["bindings"]
    assert served == live == []


# ------------------------------------------------------------------ big downloads do not block other clients

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "regeringen"


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus/regeringen not present")
def test_many_large_csv_downloads_do_not_hold_up_an_ask(tmp_path: Path) -> None:
    """20 clients download the 10 MB quotes answer as CSV (converted from the view's JSON) while another
    client's ASK {} must still answer in under 1 s: the conversion runs off the event loop."""
    from concurrent.futures import ThreadPoolExecutor

    from kg.build import build

    store = tmp_path / "kg.oxigraph"
    build([CORPUS], store, workers=2)
    with live_server(store, timeout=30, query_workers=2) as url:
        ask(url)

        def download(_: int) -> int:
            with urllib.request.urlopen(url + "queries/quotes.csv", timeout=120) as response:
                return len(response.read())

        with ThreadPoolExecutor(20) as pool:
            sizes = pool.map(download, range(20))
            time.sleep(0.3)
            latencies = [ask(url, timeout=30) for _ in range(5)]
            assert min(sizes) > 1_000_000
        assert max(latencies) < 1.0, latencies
