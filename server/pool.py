"""Queries run in worker processes that can be stopped: hard time and memory limits per query.

pyoxigraph has no query timeout, and a thread cannot be stopped, so each query runs in one of a
few worker processes, each holding the store open read-only. A query that runs past its time
limit, or whose worker grows past its memory limit, has its worker killed and replaced; the
client gets a clear error and the other workers go on answering. Results are serialized in the
worker and counted against a row cap: a result above the cap is refused, never cut.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from server import conneg, guard, sandbox

PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def count_rows(body: bytes, media: str, cap: int) -> int:
    """Rows in a serialized SELECT result; -1 for a JSON result too short to exceed `cap` (not counted)."""
    if media == "text/tab-separated-values":
        return body.count(b"\n") - 1  # one line per row: TSV escapes newlines in values
    if media == "application/sparql-results+xml":
        return body.count(b"<result>")  # markup in values is escaped
    if media == "text/csv":
        return body.count(b"\r\n") - 1  # rows end in CRLF; values keep their own bare newlines
    if len(body) // 3 <= cap:  # a JSON row takes at least 3 bytes ("{},"): cannot exceed the cap
        return -1  # not counted
    from pyoxigraph import QueryResultsFormat, parse_query_results

    return sum(1 for _ in parse_query_results(body, format=QueryResultsFormat.JSON))


@dataclass
class Job:
    """One query for a worker. Terms in `substitutions` and graph names are N-Triples/IRI strings."""

    sparql: str
    results_media: str | None = None  # for SELECT/ASK; None = not acceptable
    graph_media: str | None = None  # for CONSTRUCT/DESCRIBE
    substitutions: dict[str, str] = field(default_factory=dict)
    default_graph: list[str] | None = None
    named_graphs: list[str] | None = None
    prefixes: bool = True  # predeclare the project's prefixes (kg.store.PREFIXES)
    update: bool = False
    base_iri: str | None = None  # resolves relative IRIs in the query (the endpoint's URL)
    guard: bool = False  # text from a client: refuse SERVICE/LOAD/foreign FROM with a clear 400 first
    context_url: str = ""  # the JSON-LD context a JSON-LD graph result refers to (conneg.context_url)


@dataclass
class Outcome:
    """A worker's answer: status 200 with a body, or an error status with a message."""

    status: int
    media: str = "text/plain"
    body: bytes = b""
    rows: int = 0
    message: str = ""
    kind: str = ""  # "solutions", "boolean", "graph"


class QueryFailed(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


# ----------------------------------------------------------------------------- worker side


def _term(text: str) -> Any:
    from pyoxigraph import parse

    triple = next(iter(parse(f"<urn:s> <urn:p> {text} .".encode(), format=_nt())))
    return triple.object


def _nt() -> Any:
    from pyoxigraph import RdfFormat

    return RdfFormat.N_TRIPLES


def execute(store: Any, job: Job, row_cap: int) -> Outcome:
    """Run `job` on `store` and serialize the result (in the worker process)."""
    from pyoxigraph import (
        NamedNode,
        QueryBoolean,
        QuerySolutions,
        Variable,
    )

    from kg.store import PREFIXES
    from kg.syntax import explain

    if job.guard:
        try:
            guard.check(job.sparql, lambda iri: _has_graph(store, iri), update=job.update)
        except guard.Refused as err:
            return Outcome(400, message=f"refused: {err}")
    prefixes = PREFIXES if job.prefixes else None
    if job.update:
        try:
            store.update(job.sparql, prefixes=prefixes, base_iri=job.base_iri)
        except SyntaxError as err:
            return Outcome(400, message=explain(job.sparql, err).replace("SPARQL syntax", "SPARQL update syntax", 1))
        except PermissionError:
            return Outcome(400, message=f"refused: {guard.LOAD_REFUSED}")
        store.flush()
        return Outcome(204)
    kwargs: dict[str, Any] = {"prefixes": prefixes, "base_iri": job.base_iri}
    try:
        if job.substitutions:
            kwargs["substitutions"] = {Variable(k): _term(v) for k, v in job.substitutions.items()}
        if job.default_graph is not None:
            kwargs["default_graph"] = [NamedNode(g) for g in job.default_graph]
        if job.named_graphs is not None:
            kwargs["named_graphs"] = [NamedNode(g) for g in job.named_graphs]
        result = store.query(job.sparql, **kwargs)
        if isinstance(result, QueryBoolean):
            if job.results_media is None:
                return _not_acceptable("an ASK result", conneg.RESULTS)
            body = result.serialize(format=conneg.RESULTS[job.results_media])
            return Outcome(200, job.results_media, body, 1, kind="boolean")
        if isinstance(result, QuerySolutions):
            if job.results_media is None:
                return _not_acceptable("a SELECT result", conneg.RESULTS)
            body = result.serialize(format=conneg.RESULTS[job.results_media])
            rows = count_rows(body, job.results_media, row_cap)
            if rows > row_cap:
                return _too_many(rows, row_cap)
            return Outcome(200, job.results_media, body, rows, kind="solutions")
        if job.graph_media is None:
            return _not_acceptable("a CONSTRUCT/DESCRIBE result", conneg.GRAPHS)
        triples = list(islice(result, row_cap + 1))
        if len(triples) > row_cap:
            return _too_many(len(triples), row_cap, more=True)
        body = conneg.graph_body(triples, job.graph_media, job.context_url, PREFIXES)
        return Outcome(200, job.graph_media, body, len(triples), kind="graph")
    except SyntaxError as err:
        return Outcome(400, message=explain(job.sparql, err))
    except PermissionError:  # the sandbox refused a socket: only SERVICE makes one
        return Outcome(400, message=f"refused: {guard.SERVICE_REFUSED}")
    except (OSError, RuntimeError, ValueError) as err:
        return Outcome(400, message=f"query failed: {err}")


def _has_graph(store: Any, iri: str) -> bool:
    from pyoxigraph import NamedNode

    try:
        return store.contains_named_graph(NamedNode(iri))
    except ValueError:
        return False


def _not_acceptable(what: str, offers: dict[str, Any]) -> Outcome:
    return Outcome(406, message=f"cannot send {what} in the requested format; available: {', '.join(offers)}")


def _too_many(rows: int, cap: int, more: bool = False) -> Outcome:
    count = f"more than {cap:,}" if more else f"{rows:,}"
    return Outcome(
        413,
        message=f"the result has {count} rows, above this endpoint's cap of {cap:,}; "
        "page through it with ORDER BY, LIMIT and OFFSET",
    )


def store_identity(store_path: str | Path) -> str:
    """Which folder is at `store_path` now (device and inode): a rebuild swaps in another one."""
    try:
        st = os.stat(store_path)
    except OSError:
        return ""
    return f"{st.st_dev}:{st.st_ino}"


def worker_main(conn: Connection, store_path: str, row_cap: int, writable: bool, expect: str = "") -> None:
    """The worker loop: cut itself off the network, open the store, then answer jobs until the socket closes.

    With `expect`, the worker only opens the store folder that had that identity when the server
    opened it: a worker started after a rebuild swapped the folder refuses, so that the server never
    answers from two different builds at once.
    """
    try:
        sandbox.confine()
    except sandbox.SandboxError as err:
        conn.send(("refused", str(err)))
        return
    if expect and store_identity(store_path) != expect:
        conn.send(("stale", "the store was replaced by a new build"))
        return
    from pyoxigraph import Store

    store = Store(store_path) if writable else Store.read_only(store_path)
    conn.send(("ready", ""))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            outcome = execute(store, job, row_cap)
        except Exception as err:  # a worker must answer, whatever went wrong
            outcome = Outcome(500, message=f"query failed: {type(err).__name__}: {err}")
        conn.send(outcome)


# ----------------------------------------------------------------------------- server side


class Worker:
    """One worker process (`python -m server.worker`) and the socket to it."""

    def __init__(
        self, store_path: str, row_cap: int, writable: bool = False, expect: str = "", generation: int = 0
    ) -> None:
        self.store_path, self.row_cap, self.expect, self.generation = store_path, row_cap, expect, generation
        ours, theirs = socket.socketpair()
        self.conn = Connection(ours.detach())
        args = [sys.executable, "-m", "server.worker", str(theirs.fileno()), store_path, str(row_cap)]
        if writable:
            args.append("--writable")
        if expect:
            args += ["--expect", expect]
        self.process = subprocess.Popen(args, pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL)
        theirs.close()
        self.killed_for: str | None = None

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def wait_ready(self, timeout: float = 60.0) -> None:
        if not self.conn.poll(timeout):
            self.kill("startup")
            raise QueryFailed(503, "a query worker did not start")
        try:
            state, message = self.conn.recv()
        except EOFError:
            raise QueryFailed(
                503, f"a query worker could not open the store (exit code {self.process.poll()})"
            ) from None
        if state != "ready":
            self.kill(state)
            raise QueryFailed(503, f"a query worker refused to start: {message}")

    def rss(self) -> int:
        """Resident memory in bytes (0 if the process is gone)."""
        try:
            with open(f"/proc/{self.process.pid}/statm", "rb") as f:
                return int(f.read().split()[1]) * PAGE
        except (OSError, ValueError, IndexError):
            return 0

    def kill(self, reason: str) -> None:
        self.killed_for = reason
        if self.alive:
            self.process.kill()
        self.process.wait(5)
        self.conn.close()

    def close(self) -> None:
        try:
            self.conn.send(None)
            self.process.wait(2)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait(2)
        self.conn.close()


_PRESPAWNED: list[Worker] = []


def prespawn(store_path: Path | str, n: int, row_cap: int) -> None:
    """Start `n` workers now, before the web framework is imported; the pool adopts them (faster first answer)."""
    expect = store_identity(store_path)
    _PRESPAWNED.extend(Worker(str(store_path), row_cap, expect=expect) for _ in range(n))


class QueryPool:
    """A fixed number of query workers, handed out to requests one query at a time."""

    def __init__(
        self,
        store_path: Path | str,
        size: int = 2,
        timeout: float = 10.0,
        memory_mb: int = 1024,
        row_cap: int = 100_000,
    ) -> None:
        self.store_path = str(store_path)
        self.size = max(1, size)
        self.timeout = timeout
        self.memory = memory_mb * 1024 * 1024
        self.row_cap = row_cap
        self._idle: asyncio.Queue[Worker] | None = None
        self._busy: set[Worker] = set()
        self._lock = threading.Lock()
        self._started = False
        self._closed = False
        self._watchdog: threading.Thread | None = None
        self.stats = {"timeouts": 0, "memory_kills": 0, "queries": 0, "respawn_failures": 0}
        self.identity = store_identity(self.store_path)
        self.generation = 0
        self.last_respawn_error = ""
        self._refills: set[asyncio.Task[None]] = set()

    # ---- lifecycle
    async def start(self) -> None:
        """Start the workers (idempotent); they open the store read-only."""
        if self._started:
            return
        self._started = True
        self._idle = asyncio.Queue()
        workers = await asyncio.to_thread(self._spawn_many, self.size)
        for w in workers:
            self._idle.put_nowait(w)
        self._watchdog = threading.Thread(target=self._watch, name="kg-query-watchdog", daemon=True)
        self._watchdog.start()

    def _new_worker(self) -> Worker:
        return Worker(self.store_path, self.row_cap, expect=self.identity, generation=self.generation)

    def _spawn_many(self, n: int) -> list[Worker]:
        early = [w for w in _PRESPAWNED if (w.store_path, w.row_cap) == (self.store_path, self.row_cap)][:n]
        for w in early:
            _PRESPAWNED.remove(w)
            w.generation = self.generation
        workers = early + [self._new_worker() for _ in range(n - len(early))]
        for w in workers:
            w.wait_ready()
        return workers

    async def restart(self) -> None:
        """Replace every worker (after the store changed, in place or by a new build swapped in).

        Idle workers are closed now, busy ones when their query ends; each is replaced by a worker of
        the store now at the path. No worker of the old store is handed out after this returns."""
        assert self._idle is not None
        self.identity = store_identity(self.store_path)
        self.generation += 1
        while not self._idle.empty():
            w = self._idle.get_nowait()
            w.close()
            self._start_refill()

    def _release(self, worker: Worker) -> None:
        assert self._idle is not None
        if worker.generation != self.generation:
            worker.close()  # of a store that has since been replaced
            self._start_refill()
            return
        self._idle.put_nowait(worker)

    def close(self) -> None:
        self._closed = True
        if self._idle is not None:
            while not self._idle.empty():
                self._idle.get_nowait().close()
        for w in list(self._busy):
            w.kill("shutdown")

    # ---- memory watchdog
    def _watch(self) -> None:
        while not self._closed:
            with self._lock:
                busy = list(self._busy)
            for w in busy:
                if w.rss() > self.memory:
                    w.kill("memory")
            time.sleep(0.02)

    # ---- running
    async def run(self, job: Job, timeout: float | None = None) -> Outcome:
        """Run `job` in a free worker; QueryFailed for a stopped or failed query."""
        await self.start()
        assert self._idle is not None
        limit = self.timeout if timeout is None else min(timeout, self.timeout)
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                worker = await asyncio.wait_for(self._idle.get(), timeout=max(0.0, deadline - time.monotonic()))
            except asyncio.TimeoutError:
                raise QueryFailed(503, "the server is busy: every query worker stayed occupied; try again") from None
            if worker.alive:
                break
            self._respawn(worker)  # died while idle: never hand it out
        try:
            with self._working(worker):
                outcome = await self._exchange(worker, job, limit)
        except QueryFailed:
            self._respawn(worker)
            raise
        self._release(worker)
        self.stats["queries"] += 1
        return outcome

    def _respawn(self, worker: Worker) -> None:
        """Replace a stopped or dead worker in the background, retrying until a new one starts."""
        worker.kill(worker.killed_for or "failed")
        self._start_refill()

    def _start_refill(self) -> None:
        task = asyncio.get_running_loop().create_task(self._refill())
        self._refills.add(task)
        task.add_done_callback(self._refills.discard)

    async def _refill(self) -> None:
        assert self._idle is not None
        delay = 0.05
        while not self._closed:
            try:
                fresh = await asyncio.to_thread(self._spawn_one)
            except (OSError, QueryFailed) as err:  # EMFILE under a connection flood, a slow start, ...
                self.stats["respawn_failures"] += 1
                self.last_respawn_error = str(err)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 2.0)
                continue
            if self._closed:
                fresh.close()
                return
            if fresh.generation != self.generation:
                fresh.close()  # started just before the store was replaced: start one of the new store
                continue
            self._idle.put_nowait(fresh)
            return

    def _spawn_one(self) -> Worker:
        fresh = self._new_worker()
        try:
            fresh.wait_ready()
        except BaseException:
            fresh.kill("startup")
            raise
        return fresh

    @property
    def refilling(self) -> int:
        """Workers being replaced right now."""
        return len(self._refills)

    @contextmanager
    def _working(self, worker: Worker) -> Iterator[None]:
        with self._lock:
            self._busy.add(worker)
        try:
            yield
        finally:
            with self._lock:
                self._busy.discard(worker)

    async def _exchange(self, worker: Worker, job: Job, limit: float) -> Outcome:
        """Send `job`, then wait on the event loop (no thread) until the answer arrives or time is up."""
        loop = asyncio.get_running_loop()
        fd = worker.conn.fileno()
        try:
            os.set_blocking(fd, True)  # uvloop leaves a watched fd non-blocking; a long query is sent whole
            worker.conn.send(job)
        except OSError as err:
            raise QueryFailed(500, f"the query worker could not take the query ({err})") from None
        ready: asyncio.Future[None] = loop.create_future()
        loop.add_reader(fd, lambda: ready.done() or ready.set_result(None))
        answered = False
        try:
            await asyncio.wait_for(ready, limit)
            answered = True
        except asyncio.TimeoutError:
            pass
        finally:
            loop.remove_reader(fd)
        if answered:
            try:
                os.set_blocking(fd, True)  # a long answer arrives in parts
                return worker.conn.recv()
            except (EOFError, OSError):
                pass
        if worker.killed_for == "memory":
            self.stats["memory_kills"] += 1
            raise QueryFailed(
                503, f"query stopped: it needed more than {self.memory // (1024 * 1024)} MB of memory (the limit)"
            )
        if worker.alive:
            worker.kill("timeout")
            self.stats["timeouts"] += 1
            raise QueryFailed(503, f"query stopped after {limit:g} s (the time limit); make it more selective")
        raise QueryFailed(500, f"the query worker died (exit code {worker.process.poll()})")
