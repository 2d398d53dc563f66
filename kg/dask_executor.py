"""`kg build --executor dask`: extraction on a Dask cluster (dask.distributed), loading here.

The build process reads each file (with the same checks and manifest as a local build), sends
batches of read documents to the cluster's workers, and gets back per batch the document records
and the batch's N-Quads (and its N-Triples for the default graph) as bytes. It appends those to
spool segments in the build's spool folder, which the one bulk loader of the build takes while
extraction goes on, exactly as it takes the segments of local worker processes. Workers therefore
need no access to the corpus or to the store: a real cluster seldom shares a filesystem with the
machine that builds, and reading is cheap next to extraction (about 0.1 ms against 5 ms a document).

Every worker must run this project at the same code as the build: the build compares a fingerprint
of the `kg` package (its code and data) on each worker with its own and stops when one differs.
Without `scheduler`, a LocalCluster of `workers` single-threaded processes is started for the build
and closed after it (one machine; mostly for tests and comparison). See docs/scaling.md.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import logging
import signal
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import kg
from kg.build import SPOOL_SEGMENT, BuildError, Extracted, default_graph_ntriples, default_workers, extract_document
from kg.interrupt import workers_ignore_interrupt
from kg.load import DocRecord
from kg.read import Document, ReadError, file_stamp, read_document

BATCH = 32  # documents per task: ~0.2 s of extraction, so the scheduler's ~1 ms per task is noise
CONNECT_TIMEOUT = 10.0  # seconds to reach the scheduler
WORKERS_TIMEOUT = 60.0  # seconds to wait for a first worker
INSTALL_HINT = "pip install 'sv-press-kg[dask]'"


def available() -> bool:
    """Whether dask.distributed is installed."""
    return importlib.util.find_spec("distributed") is not None


@functools.cache
def kg_fingerprint() -> str:
    """A checksum of the `kg` package's code and data (extraction depends on nothing else), once a process."""
    root = Path(kg.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def dask_setup(worker: Any) -> None:
    """Preload of the workers of a LocalCluster started by a build (in each worker process's main thread):
    Ctrl-C, which a terminal sends to every process of the build, is left to the build process, which
    closes the cluster; and the gazetteer is loaded before the first task, as local workers do."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from kg.gazetteer import load

    load()


BatchResult = tuple[list[tuple[DocRecord | None, str | None]], bytes, bytes]


class OtherCode(RuntimeError):
    """A worker whose `kg` differs from the build's (it would extract differently)."""


def extract_batch(docs: list[Document], base: str, fingerprint: str) -> BatchResult:
    """On a worker: extract `docs`; per document its record and error (None when extracted), then the
    N-Quads of every extracted document and their triples as N-Triples (for the default graph).
    Raises OtherCode when this worker's `kg` is not the build's (`fingerprint`), also on a worker that
    joined the cluster after the build checked the others."""
    if kg_fingerprint() != fingerprint:
        raise OtherCode("this worker runs other code or data of kg than the build; install the same version")
    outcomes: list[tuple[DocRecord | None, str | None]] = []
    parts: list[bytes] = []
    for doc in docs:
        item = extract_document(doc, base)
        outcomes.append((item.record, item.error))
        if item.error is None:
            parts.append(item.nquads)
    nquads = b"".join(parts)
    return outcomes, nquads, default_graph_ntriples(nquads)


class _Segments:
    """Spool segments written by the build process from the batches' bytes (as local workers write theirs)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.handles: tuple[IO[bytes], IO[bytes]] | None = None

    def write(self, nquads: bytes, ntriples: bytes) -> tuple[str, str] | None:
        """Append a batch; the names of the pair this closed (full) before opening a new one, if any."""
        if not nquads:
            return None
        closed = None
        if self.handles is not None and self.handles[0].tell() > SPOOL_SEGMENT:
            closed = (self.handles[0].name, self.handles[1].name)
            self.close()
        if self.handles is None:
            stem = self.folder / f"dask-{time.monotonic_ns()}"
            self.handles = (open(f"{stem}.nq", "ab"), open(f"{stem}.nt", "ab"))  # noqa: SIM115
        nq, nt = self.handles
        nq.write(nquads)
        nt.write(ntriples)
        nq.flush()
        nt.flush()
        return closed

    def close(self) -> None:
        if self.handles is not None:
            for handle in self.handles:
                handle.close()
            self.handles = None


class DaskExecutor:
    """Extraction on the Dask cluster whose scheduler is at `scheduler` (`tcp://host:8786`), or on a
    LocalCluster of `workers` processes started for the build when `scheduler` is None."""

    overlap = True  # extraction runs in other processes: load segments as they are finished

    def __init__(
        self,
        scheduler: str | None = None,
        workers: int | None = None,
        batch: int = BATCH,
        connect_timeout: float = CONNECT_TIMEOUT,
    ) -> None:
        if not available():
            raise BuildError(f"--executor dask needs dask.distributed, which is not installed: {INSTALL_HINT}")
        self.scheduler = scheduler
        self.workers = workers or default_workers()
        self.batch = batch
        self.connect_timeout = connect_timeout

    def describe(self) -> str:
        """Where extraction runs, for messages."""
        if self.scheduler is None:
            return f"a local Dask cluster of {self.workers} workers"
        return f"the Dask scheduler at {self.scheduler}"

    @contextmanager
    def _client(self) -> Iterator[Any]:
        """A connected client whose workers run this code; a LocalCluster started (and closed) here if needed."""
        from distributed import Client, LocalCluster

        cluster = None
        # distributed's sync() schedules a cancel callback when a Ctrl-C interrupts it, and that callback can
        # fail inside distributed (NameError on 'future'); tornado would log its traceback under the build's
        # one-line "interrupted" message (possibly after this block has exited, so an interrupted build leaves
        # it quiet). Task errors reach the build through futures, not through this logger.
        loop_log = logging.getLogger("tornado.application")
        level = loop_log.level
        loop_log.setLevel(logging.CRITICAL)
        interrupted = False
        try:
            if self.scheduler is None:
                with workers_ignore_interrupt():  # a Ctrl-C while the cluster starts waits until it can be closed
                    cluster = LocalCluster(
                        n_workers=self.workers,
                        threads_per_worker=1,
                        processes=True,
                        dashboard_address=None,
                        silence_logs=logging.ERROR,
                        preload=[__name__],  # dask_setup above, in each worker process
                    )
                    client = Client(cluster)
            else:
                try:
                    client = Client(self.scheduler, timeout=self.connect_timeout)
                except (OSError, ValueError, TypeError) as err:
                    raise BuildError(f"cannot reach the Dask scheduler at {self.scheduler}: {err}") from None
            with client:
                self._check_workers(client)
                yield client
        except KeyboardInterrupt:
            interrupted = True
            raise
        finally:
            if cluster is not None:
                cluster.close()
            if not interrupted:
                loop_log.setLevel(level)

    def _check_workers(self, client: Any) -> None:
        try:
            client.wait_for_workers(1, timeout=WORKERS_TIMEOUT)
        except TimeoutError:
            raise BuildError(f"no Dask worker joined {self.describe()} within {WORKERS_TIMEOUT:.0f} s") from None
        try:
            prints = client.run(kg_fingerprint)
        except Exception as err:  # e.g. ModuleNotFoundError: kg is not installed on a worker
            raise BuildError(
                f"a Dask worker of {self.describe()} cannot run the extractor ({type(err).__name__}: {err}); "
                "install this project on every worker"
            ) from None
        ours = kg_fingerprint()
        other = sorted(worker for worker, theirs in prints.items() if theirs != ours)
        if other:
            raise BuildError(
                f"Dask workers {', '.join(other)} run other code or data of kg than this build; "
                "install the same version on every worker"
            )

    def spool(self, paths: Sequence[Path], base: str, folder: Path) -> Iterator[Extracted]:
        """Extract `paths` on the cluster into spool segments in `folder` (see `kg.build.Executor`)."""
        segments = _Segments(folder)
        try:
            with self._client() as client:
                yield from self._run(client, paths, base, segments)
        finally:
            segments.close()

    def _run(self, client: Any, paths: Sequence[Path], base: str, segments: _Segments) -> Iterator[Extracted]:
        from distributed import wait

        todo = iter(paths)
        fingerprint = kg_fingerprint()
        pending: dict[Any, list[tuple[Path, tuple[int, ...] | None]]] = {}
        try:
            while True:
                in_flight = 2 * max(1, sum(client.nthreads().values()))
                while len(pending) < in_flight:
                    docs, sent, failed = self._read(todo)
                    yield from failed
                    if docs:
                        pending[client.submit(extract_batch, docs, base, fingerprint, pure=False)] = sent
                    if len(sent) + len(failed) < self.batch:
                        break  # paths exhausted
                if not pending:
                    return
                done = wait(list(pending), return_when="FIRST_COMPLETED").done
                for future in done:
                    sent = pending.pop(future)
                    try:
                        outcomes, nquads, ntriples = future.result()
                    except Exception as err:  # a worker died, or the task could not run there
                        raise BuildError(
                            f"a Dask task on {self.describe()} failed: {type(err).__name__}: {err}"
                        ) from err
                    closed = segments.write(nquads, ntriples)
                    for (path, stamp), (record, error) in zip(sent, outcomes, strict=True):
                        yield Extracted(path, record, error=error, stamp=stamp, closed=closed)
                        closed = None
        finally:
            if pending:  # stopped early (Ctrl-C, an error, a strict build): drop the queued work
                client.cancel(list(pending))

    def _read(self, todo: Iterator[Path]) -> tuple[list[Document], list[tuple[Path, tuple[int, ...] | None]], list]:
        """Read up to a batch of the next paths: the documents, their paths and stamps, and the unreadable."""
        docs: list[Document] = []
        sent: list[tuple[Path, tuple[int, ...] | None]] = []
        failed: list[Extracted] = []
        for path in todo:
            stamp = file_stamp(path)  # before reading, as a local build takes it
            try:
                docs.append(read_document(path))
            except ReadError as err:
                failed.append(Extracted(path, error=err.reason))
            else:
                sent.append((path, stamp))
            if len(docs) + len(failed) >= self.batch:
                break
        return docs, sent, failed
