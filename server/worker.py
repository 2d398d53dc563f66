"""A query worker process: `python -m server.worker FD STORE ROW_CAP [--writable] [--expect ID]`.

It cuts itself off the network, opens the store, says it is ready, then answers the jobs that arrive
on the socket FD (`server.exchange` frames) one at a time until the socket closes. Results are
serialized here, in the format the client asked for, and counted against the row cap: a result above
the cap is refused, never cut.
"""

from __future__ import annotations

import socket
import sys
from itertools import islice
from typing import Any

from pyoxigraph import (
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Store,
    Variable,
    parse,
    parse_query_results,
)

from kg.store import PREFIXES
from kg.syntax import explain
from server import conneg, guard, sandbox
from server.exchange import Job, JobReader, Outcome, answer_frame, send_frame
from server.pool import store_identity


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
    return sum(1 for _ in parse_query_results(body, format=QueryResultsFormat.JSON))


def _term(text: str) -> Any:
    triple = next(iter(parse(f"<urn:s> <urn:p> {text} .".encode(), format=RdfFormat.N_TRIPLES)))
    return triple.object


def execute(store: Store, job: Job, row_cap: int) -> Outcome:
    """Run `job` on `store` and serialize the result."""
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


def _has_graph(store: Store, iri: str) -> bool:
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


def worker_main(sock: socket.socket, store_path: str, row_cap: int, writable: bool, expect: str = "") -> None:
    """The worker loop: cut itself off the network, open the store, then answer jobs until the socket closes.

    The first answer says whether the worker is ready (kind "ready"), or why not ("refused", "stale").
    With `expect`, the worker only opens the store folder that had that identity when the server
    opened it: a worker started after a rebuild swapped the folder refuses, so that the server never
    answers from two different builds at once.
    """
    try:
        sandbox.confine()
    except sandbox.SandboxError as err:
        send_frame(sock, answer_frame(Outcome(503, message=str(err), kind="refused")))
        return
    if expect and store_identity(store_path) != expect:
        send_frame(sock, answer_frame(Outcome(503, message="the store was replaced by a new build", kind="stale")))
        return
    store = Store(store_path) if writable else Store.read_only(store_path)
    send_frame(sock, answer_frame(Outcome(200, kind="ready")))
    jobs = JobReader(sock)
    while True:
        job = jobs.next()
        if job is None:
            return
        try:
            outcome = execute(store, job, row_cap)
        except Exception as err:  # a worker must answer, whatever went wrong
            outcome = Outcome(500, message=f"query failed: {type(err).__name__}: {err}")
        try:
            send_frame(sock, answer_frame(outcome))
        except OSError:
            return  # the server is gone


if __name__ == "__main__":
    fd, path, cap = sys.argv[1:4]
    rest = sys.argv[4:]
    expected = rest[rest.index("--expect") + 1] if "--expect" in rest else ""
    worker_main(socket.socket(fileno=int(fd)), path, int(cap), "--writable" in rest, expected)
