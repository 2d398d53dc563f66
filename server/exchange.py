"""The wire between the server and a query worker: one socket each, length-prefixed frames, raw bytes.

A job frame is a header (`JOB_HEAD`: the length of the job's fields, the length of the query text),
the fields (`marshal`: strings, lists, dicts, None, booleans), then the query text in UTF-8. An answer
frame is a header (`ANSWER_HEAD`: the length of the outcome's fields, the length of the body), the
fields, then the body exactly as the worker serialized it. Query texts and answer bodies are never
pickled: a body is written from the worker's own bytes object, and read on the server side into one
buffer of its final size (`AnswerReader`), so a large answer is copied once more at most (into `bytes`)
and a small one arrives in one read.

Both ends are the same interpreter (`sys.executable`), so `marshal`'s format is the same at both.
"""

from __future__ import annotations

import asyncio
import marshal
import socket
import struct
from dataclasses import dataclass, field

JOB_HEAD = struct.Struct(">II")  # fields, query text
ANSWER_HEAD = struct.Struct(">IQ")  # fields, body
SMALL = 64 * 1024  # frames up to this size are joined and sent with one write
SCRATCH = 256 * 1024  # the server side's first read of each answer


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


class WorkerGone(Exception):
    """The worker's socket closed before a whole answer arrived (the worker died or was killed)."""


# ----------------------------------------------------------------------------- frames


def job_frame(job: Job) -> list[bytes]:
    """The frame of `job` as parts to write in order."""
    fields = marshal.dumps(
        (
            job.results_media,
            job.graph_media,
            job.substitutions,
            job.default_graph,
            job.named_graphs,
            job.prefixes,
            job.update,
            job.base_iri,
            job.guard,
            job.context_url,
        )
    )
    text = job.sparql.encode("utf-8", "surrogatepass")
    return [JOB_HEAD.pack(len(fields), len(text)), fields, text]


def job_from(fields: bytes | memoryview, text: bytes | memoryview) -> Job:
    """The job of a frame's fields and text (the inverse of `job_frame`)."""
    return Job(str(text, "utf-8", "surrogatepass"), *marshal.loads(fields))


def answer_frame(outcome: Outcome) -> list[bytes]:
    """The frame of `outcome` as parts to write in order; the body is not copied."""
    fields = marshal.dumps((outcome.status, outcome.media, outcome.rows, outcome.message, outcome.kind))
    return [ANSWER_HEAD.pack(len(fields), len(outcome.body)), fields, outcome.body]


def answer_from(fields: bytes | memoryview, body: bytes) -> Outcome:
    status, media, rows, message, kind = marshal.loads(fields)
    return Outcome(status, media, body, rows, message, kind)


# ----------------------------------------------------------------------------- blocking ends


def send_frame(sock: socket.socket, parts: list[bytes]) -> None:
    """Write a frame on a blocking socket: small frames in one write, a large body without copying it."""
    total = sum(len(p) for p in parts)
    if total <= SMALL:
        sock.sendall(b"".join(parts))
        return
    for part in parts:
        if part:
            sock.sendall(part)


def _read_exactly(sock: socket.socket, n: int) -> bytearray:
    buf = bytearray(n)
    view = memoryview(buf)
    got = 0
    while got < n:
        k = sock.recv_into(view[got:])
        if k == 0:
            raise WorkerGone(f"the socket closed after {got} of {n} bytes")
        got += k
    return buf


class JobReader:
    """The worker's end: reads job frames from a blocking socket, a whole small frame in one read."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self._buf = bytearray(SMALL)
        self._view = memoryview(self._buf)

    def next(self) -> Job | None:
        """The next job; None when the server closed the socket."""
        have = 0
        while have < JOB_HEAD.size:
            try:
                n = self.sock.recv_into(self._view[have:])
            except OSError:
                return None
            if n == 0:
                return None
            have += n
        n_fields, n_text = JOB_HEAD.unpack_from(self._buf)
        end = JOB_HEAD.size + n_fields + n_text
        if end <= SMALL:
            while have < end:
                n = self.sock.recv_into(self._view[have:end])
                if n == 0:
                    return None
                have += n
            fields = self._view[JOB_HEAD.size : JOB_HEAD.size + n_fields]
            return job_from(fields, self._view[JOB_HEAD.size + n_fields : end])
        rest = _read_exactly(self.sock, end - have)  # a long query text: read in place
        frame = bytes(self._view[:have]) + rest
        return job_from(frame[JOB_HEAD.size : JOB_HEAD.size + n_fields], frame[JOB_HEAD.size + n_fields :])


def read_answer(sock: socket.socket) -> Outcome:
    """The next answer on a blocking socket (the socket's own timeout applies); WorkerGone if it closed."""
    n_fields, n_body = ANSWER_HEAD.unpack(_read_exactly(sock, ANSWER_HEAD.size))
    fields = _read_exactly(sock, n_fields)
    return answer_from(fields, bytes(_read_exactly(sock, n_body)))


# ----------------------------------------------------------------------------- the server's end on the event loop


class AnswerReader(asyncio.BufferedProtocol):
    """Reads answer frames from one worker's socket on the event loop; one job in flight at a time.

    The first read of an answer goes into a scratch buffer: a small answer is complete there (one
    read, one copy of its body). A larger body gets a buffer of its final size, and the loop reads
    the rest straight into it.
    """

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self._waiter: asyncio.Future[Outcome] | None = None
        self._scratch = bytearray(SCRATCH)
        self._scratch_view = memoryview(self._scratch)
        self._have = 0  # bytes in the scratch buffer
        self._fields: bytes = b""
        self._body: bytearray | None = None  # a large body being read in place
        self._body_have = 0

    # ---- protocol callbacks
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def get_buffer(self, sizehint: int) -> memoryview:
        if self._body is not None:
            return memoryview(self._body)[self._body_have :]
        return self._scratch_view[self._have :]

    def buffer_updated(self, nbytes: int) -> None:
        if self._body is not None:
            self._body_have += nbytes
            if self._body_have == len(self._body):
                body, self._body = bytes(self._body), None
                self._deliver(answer_from(self._fields, body))
            return
        self._have += nbytes
        self._parse()

    def eof_received(self) -> bool:
        return False  # close the transport

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.fail("the worker's socket closed before its answer was complete")

    # ---- use
    def submit(self, job: Job) -> asyncio.Future[Outcome]:
        """Send `job`; the future gets its answer (WorkerGone if the worker goes away first)."""
        assert self.transport is not None and self._waiter is None, "one job at a time"
        if self.closed:
            raise WorkerGone("the worker's socket is closed")
        self._waiter = asyncio.get_running_loop().create_future()
        parts = job_frame(job)
        if len(parts[2]) <= SMALL:
            self.transport.write(b"".join(parts))  # one write: the worker wakes once
        else:
            self.transport.writelines(parts)
        return self._waiter

    def fail(self, why: str) -> None:
        """End the job in flight with WorkerGone(why) (its worker went away or is being killed)."""
        waiter, self._waiter = self._waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_exception(WorkerGone(why))

    # ---- frames
    def _parse(self) -> None:
        head = ANSWER_HEAD.size
        if self._have < head:
            return
        n_fields, n_body = ANSWER_HEAD.unpack_from(self._scratch)
        start = head + n_fields
        if self._have < start:
            if start > SCRATCH:  # never: an outcome's fields are a status, a media type and a message
                self._protocol_error("an answer header too long")
            return
        end = start + n_body
        if self._have >= end:
            fields = bytes(self._scratch_view[head:start])
            body = bytes(self._scratch_view[start:end])
            if self._have > end:
                self._protocol_error("bytes after an answer")
                return
            self._have = 0
            self._deliver(answer_from(fields, body))
            return
        # a large body: a buffer of its final size, then the loop reads into it
        self._fields = bytes(self._scratch_view[head:start])
        self._body = bytearray(n_body)
        part = self._have - start
        self._body[:part] = self._scratch_view[start : self._have]
        self._body_have = part
        self._have = 0

    def _deliver(self, outcome: Outcome) -> None:
        waiter, self._waiter = self._waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_result(outcome)

    def _protocol_error(self, what: str) -> None:
        self.fail(f"the worker sent {what}")
        if self.transport is not None:
            self.transport.abort()
