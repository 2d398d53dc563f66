"""Build orchestration: folders of .txt press releases -> a fresh Oxigraph store, atomically.

Documents are read and extracted in parallel worker processes and streamed into the store's bulk
loader, each document's quads into its own graph and its triples into the default graph (the
store keeps one copy of each); nothing corpus-sized is held in memory. Labels are merged in the
store at the end. `kg build --update` (kg/update.py) re-extracts only what changed.
"""

from __future__ import annotations

import importlib
import multiprocessing as mp
import os
import re
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any, Protocol

from pyoxigraph import RdfFormat, serialize

from kg import dumps, manifest, overview, views
from kg import store as kgstore
from kg.interrupt import ignore_in_worker, workers_ignore_interrupt
from kg.load import (
    DocRecord,
    LoadError,
    doc_graph,
    doc_meta_quads,
    reference_graph,
    relabel,
    run_iri,
    run_meta_quads,
    subjects_to_relabel,
)
from kg.progress import Phase, Progress
from kg.queries import registry
from kg.read import ChecksumCache, Document, ReadError, doc_id_for, file_stamp, iter_paths, read_document

DEFAULT_BASE = "https://w3id.org/sv-press-kg/"


class BuildError(Exception):
    """A build that could not produce a store; the previous store is left as it was."""


class Interrupted(KeyboardInterrupt):
    """Ctrl-C (SIGINT) stopped a build or an update; its text says what became of the store."""


@dataclass
class BuildSummary:
    """What one build did."""

    documents: int
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    triples: int = 0
    people: int = 0
    organisations: int = 0
    events: int = 0
    quotes: int = 0
    store: Path | None = None
    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase
    changed: int = 0  # --update: documents re-extracted (new or changed)
    removed: int = 0  # --update: documents whose graphs were dropped
    counted: bool = True  # False: the entity counts were not taken (an update; `kg stats` has them)


def default_base() -> str:
    """The base IRI: env KG_BASE, else https://w3id.org/sv-press-kg/."""
    return os.environ.get("KG_BASE") or DEFAULT_BASE


def default_workers() -> int:
    """Extraction processes by default: the number of cores."""
    return os.cpu_count() or 1


def _emit():  # imported lazily so tests (and a missing extractor) fail only when building
    try:
        return importlib.import_module("kg.emit")
    except ImportError as err:
        raise BuildError(f"the extractor (kg.emit) is not available: {err}") from err


@dataclass
class Extracted:
    """One file after reading and extraction: its record and serialized quads, or why it failed."""

    path: Path
    record: DocRecord | None = None
    nquads: bytes = b""
    error: str | None = None
    stamp: tuple[int, ...] | None = None  # the file's (and its manifest's) size and mtime before it was read
    closed: tuple[str, str] | None = None  # spool files (N-Quads, N-Triples) finished by this job, ready to load


_GRAPH_TERM = re.compile(rb" <[^<>]*> \.\n")


def extract_file(path: Path, base: str) -> Extracted:
    """Read and extract one file (in a worker process); failures are returned, not raised."""
    stamp = file_stamp(path)
    try:
        doc = read_document(path)
    except ReadError as err:
        return Extracted(path, error=err.reason)
    item = extract_document(doc, base)
    if item.error is None:
        item.stamp = stamp
    return item


def extract_document(doc: Document, base: str) -> Extracted:
    """Extract one document already read (here, in a worker process or on a Dask worker) into N-Quads;
    an extractor failure is returned, not raised."""
    record = DocRecord(doc.doc_id, doc.path.name, doc.sha256)
    try:
        quads = list(_emit().document_quads(doc, base))
        graph = doc_graph(base, doc.doc_id)
        for quad in quads:
            if quad.graph_name != graph:
                raise LoadError(f"extractor emitted a quad in {quad.graph_name}, not in {graph}: {quad}")
        nquads = serialize(quads, format=RdfFormat.N_QUADS) or b""
    except Exception as err:  # one bad document must not end the build
        return Extracted(doc.path, record, error=f"extractor failed: {type(err).__name__}: {err}")
    return Extracted(doc.path, record, nquads)


def default_graph_ntriples(nquads: bytes) -> bytes:
    """The triples of N-Quads (one named graph term per line, as pyoxigraph writes them) as N-Triples."""
    return _GRAPH_TERM.sub(b" .\n", nquads)


def _extract_job(job: tuple[str, str]) -> Extracted:
    return extract_file(Path(job[0]), job[1])


_SPOOLS: dict[int, tuple[IO[bytes], IO[bytes]]] = {}
SPOOL_SEGMENT = 48 * 1024 * 1024  # bytes of N-Quads per spool file


def _spool_job(job: tuple[str, str, str]) -> Extracted:
    """Extract one file and append its quads to this process's spool files (only the record travels back)."""
    item = extract_file(Path(job[0]), job[1])
    if item.error is None and item.nquads:
        pid = os.getpid()
        if pid in _SPOOLS and _SPOOLS[pid][0].tell() > SPOOL_SEGMENT:
            handles = _SPOOLS.pop(pid)
            for handle in handles:  # the bulk loader's memory grows with the file: keep files small
                handle.close()
            item.closed = (handles[0].name, handles[1].name)
        if pid not in _SPOOLS:
            stem = Path(job[2]) / f"{pid}-{time.monotonic_ns()}"
            _SPOOLS[pid] = (open(f"{stem}.nq", "ab"), open(f"{stem}.nt", "ab"))  # noqa: SIM115
        nq, nt = _SPOOLS[pid]
        nq.write(item.nquads)
        nt.write(default_graph_ntriples(item.nquads))
        nq.flush()
        nt.flush()
        item.nquads = b""
    return item


def spool_all(paths: Sequence[Path], base: str, workers: int, folder: Path) -> Iterator[Extracted]:
    """Like `extract_all`, but the quads go to spool files in `folder` (N-Quads, and N-Triples for the
    default graph) that the store's bulk loader reads itself; the build process never holds them."""
    try:
        yield from _mapped(_spool_job, [(str(p), base, str(folder)) for p in paths], workers)
    finally:
        handles = _SPOOLS.pop(os.getpid(), None)
        if handles is not None:
            for handle in handles:
                handle.close()


class Executor(Protocol):
    """Where extraction runs. `spool` yields one `Extracted` per path, in any order, without its quads:
    those go to spool segments in `folder` (N-Quads, and N-Triples for the default graph), and an item
    whose `closed` is set names a finished pair that the bulk loader may take while extraction goes on;
    pairs still in `folder` when `spool` ends are loaded after it. Closing the generator stops the work."""

    @property
    def overlap(self) -> bool:
        """Whether finished segments are loaded while extraction goes on (extraction runs elsewhere)."""
        ...

    def spool(self, paths: Sequence[Path], base: str, folder: Path) -> Iterator[Extracted]: ...


@dataclass
class LocalProcesses:
    """The default executor: `workers` processes of this machine, each appending to its own segments."""

    workers: int

    @property
    def overlap(self) -> bool:
        return self.workers > 1  # one worker: the build stays one process and loads after extraction

    def spool(self, paths: Sequence[Path], base: str, folder: Path) -> Iterator[Extracted]:
        return spool_all(paths, base, self.workers, folder)


def _warm_up() -> None:
    from kg.gazetteer import load

    ignore_in_worker()
    load()


def extract_all(paths: Sequence[Path], base: str, workers: int = 1) -> Iterator[Extracted]:
    """Extract `paths` in order, in `workers` processes (1: in this process)."""
    yield from _mapped(_extract_job, [(str(p), base) for p in paths], workers)


def _mapped(job: Callable[[Any], Extracted], jobs: list[Any], workers: int) -> Iterator[Extracted]:
    """`job` over `jobs` in order, in a pool of `workers` processes (in this process for few jobs)."""
    if workers <= 1 or len(jobs) < 16:  # a pool costs ~1 s to start: not worth it for a few files
        yield from map(job, jobs)
        return
    ctx = mp.get_context("fork")  # before the store is opened; forkserver would re-run an unguarded main script
    with workers_ignore_interrupt():  # Ctrl-C reaches this process only, which stops the pool
        pool = ctx.Pool(min(workers, len(jobs)), initializer=_warm_up)
    with pool:  # leaving it (also by an exception or by closing this generator) terminates the workers
        yield from pool.imap(job, jobs, chunksize=8)


def build(
    dirs: Sequence[Path | str],
    store_path: Path | str | None = None,
    base: str | None = None,
    strict: bool = False,
    progress: Progress | None = None,
    workers: int | None = None,
    make_views: bool = True,
    make_dumps: bool = True,
    executor: Executor | None = None,
) -> BuildSummary:
    """Read every .txt under `dirs`, extract, and replace the store at `store_path` atomically.

    Extraction runs in `executor`: by default `workers` processes of this machine (`LocalProcesses`);
    `kg.dask_executor.DaskExecutor` runs it on a Dask cluster. Either way one bulk loader here writes the store.

    With `make_views`, the whole-corpus result of every parameter-free saved query is materialised
    (kg/views.py): instant whole-corpus answers, at the cost of running each query once here.
    With `make_dumps`, the gzip dumps the server offers are written into the store folder (kg/dumps.py).

    Unreadable files and documents on which the extractor fails are skipped and reported by name
    with the reason; with `strict` the first such file raises BuildError instead. The store is
    replaced only when the build completes; otherwise the previous one stays intact.
    `progress` reports each phase (read, extract, load, merge labels, compact, search index,
    overview, void, views, dumps, count); its seconds per phase become the summary's `timings`.
    Raises BuildError when nothing could be built, and Interrupted (a KeyboardInterrupt saying
    what became of the store) on Ctrl-C.
    """
    progress = progress or Progress.quiet()
    store_path = Path(store_path) if store_path is not None else kgstore.default_store_path()
    writers: list[kgstore.AtomicStore] = []
    try:
        return _build(dirs, store_path, base, strict, progress, workers, make_views, make_dumps, writers, executor)
    except KeyboardInterrupt as err:
        if isinstance(err, Interrupted):
            raise
        if writers and writers[0].replaced:
            raise Interrupted(f"interrupted after the new store was put in place at {store_path}") from None
        if kgstore.is_store(store_path):
            raise Interrupted(f"interrupted; the store at {store_path} is unchanged") from None
        raise Interrupted(f"interrupted; no store was written at {store_path}") from None


def _build(
    dirs: Sequence[Path | str],
    store_path: Path,
    base: str | None,
    strict: bool,
    progress: Progress,
    workers: int | None,
    make_views: bool,
    make_dumps: bool,
    writers: list[kgstore.AtomicStore],
    executor: Executor | None = None,
) -> BuildSummary:
    with progress.phase("read") as step:
        paths, base = _inputs(dirs, base)
        skipped: list[tuple[Path, str]] = []
        todo = _unique_ids(paths, skipped, strict)  # before extraction: a duplicate's quads must not be spooled
        step.note = f"{len(paths)} files"
    emit = _emit()
    seen: dict[str, Path] = {}
    started = datetime.now(timezone.utc)
    run = run_iri(base, started)
    writer = kgstore.AtomicStore(store_path)
    writers.append(writer)  # the caller asks it whether the store was replaced when interrupted
    with writer, kgstore.work_folder(store_path, ".kg-spool-") as spool:
        workers = workers or default_workers()
        executor = executor or LocalProcesses(workers)
        checksums = ChecksumCache()
        loader = _Loader(writer, overlap=executor.overlap)
        try:
            with (
                progress.phase("extract", total=len(paths), unit="documents") as step,
                (Path(spool) / "meta.nq").open("wb") as meta,  # the documents' meta records
                closing(executor.spool(todo, base, Path(spool))) as items,  # closed: the workers stop
            ):
                step.update(len(paths) - len(todo))
                for item in items:
                    if item.closed is not None:
                        loader.load(*item.closed)
                    if item.error is not None or item.record is None:
                        if strict:
                            raise BuildError(f"{item.path}: {item.error} (strict build: previous store kept)")
                        skipped.append((item.path, item.error or "unreadable"))
                    else:
                        seen[item.record.doc_id] = item.path
                        checksums.put(item.path, item.stamp, item.record.sha256)
                        meta.write(serialize(doc_meta_quads(item.record, base, run), format=RdfFormat.N_QUADS) or b"")
                    step.advance()
                if not seen:
                    raise BuildError(f"no document could be built ({len(skipped)} skipped); previous store kept")
            checksums.save(writer.building_path)
            with progress.phase("load", total=loader.files(Path(spool)), unit="files") as step:
                loader.finish(Path(spool), step)
                writer.add_nquads(*reference_data(emit, base))
                writer.add(run_meta_quads(base, started, datetime.now(timezone.utc)))
                store = writer.store  # written
        finally:
            loader.close()
        with progress.phase("merge labels"):
            relabel(store, subjects_to_relabel(store))
        with progress.phase("compact"):
            writer.optimize()
        kgstore.write_sidecars(store, writer.building_path, progress)  # search index, overview, VoID
        if make_views:
            store.flush()
            parallel = workers if len(seen) >= 1000 else 1  # starting processes costs more on small stores
            views.materialise(store, writer.building_path, registry(), workers=parallel, progress=progress)
        if make_dumps:
            with progress.phase("dumps"):
                dumps.write(store, writer.building_path)
    with progress.phase("count"):
        summary = summarize(store_path, len(seen), skipped)
    summary.timings = dict(progress.seconds)
    return summary


def _unique_ids(paths: Sequence[Path], skipped: list[tuple[Path, str]], strict: bool) -> list[Path]:
    """`paths` without those whose document id an earlier path already has (recorded in `skipped`)."""
    first: dict[str, Path] = {}
    for path in paths:
        doc_id = doc_id_for(path)
        if doc_id in first:
            reason = f"duplicate document id {doc_id!r} (also {first[doc_id]})"
            if strict:
                raise BuildError(f"{path}: {reason} (strict build: previous store kept)")
            skipped.append((path, reason))
        else:
            first[doc_id] = path
    return list(first.values())


class _Loader:
    """Bulk-loads finished spool files into the new store, in a background thread while extraction
    runs (`overlap`: the worker processes and the loader share the cores), else all at the end."""

    def __init__(self, writer: kgstore.AtomicStore, overlap: bool) -> None:
        self.writer = writer
        self.loaded: set[str] = set()
        self.pending: list[Future] = []
        self.thread = ThreadPoolExecutor(1, thread_name_prefix="kg-load") if overlap else None

    def load(self, nquads: str, ntriples: str) -> None:
        if self.thread is not None:
            self.loaded.update((nquads, ntriples))
            self.pending.append(self.thread.submit(self._load, Path(nquads), Path(ntriples)))

    def _load(self, nquads: Path, ntriples: Path) -> None:
        self.writer.load_files([nquads], [ntriples])
        nquads.unlink()  # loaded: a 100,000-document build would otherwise keep gigabytes of spool
        ntriples.unlink()

    def _rest(self, folder: Path) -> list[Path]:
        return sorted(p for p in folder.glob("*.n[qt]") if str(p) not in self.loaded)

    def files(self, folder: Path) -> int:
        """Spool files (N-Quads and N-Triples) in all: loaded in the background so far, and still to load."""
        return 2 * len(self.pending) + len(self._rest(folder))

    def finish(self, folder: Path, step: Phase | None = None) -> None:
        """Wait for the background loads (raising their errors), then load every file not yet loaded;
        `step` counts the files loaded."""
        try:
            for future in self.pending:
                future.result()
                if step is not None:
                    step.advance(2)
        finally:
            self.close()
        for path in self._rest(folder):
            if path.suffix == ".nq":
                self.writer.load_files([path], [])
            else:
                self.writer.load_files([], [path])
            if step is not None:
                step.advance()

    def close(self) -> None:
        """Stop: drop queued loads and wait for the running one (before the store may be removed)."""
        if self.thread is not None:
            self.thread.shutdown(wait=True, cancel_futures=True)


def reference_data(emit, base: str) -> tuple[bytes, bytes]:  # type: ignore[no-untyped-def]
    """The reference graph as N-Quads and its triples as N-Triples for the default graph."""
    try:
        quads = list(emit.reference_quads(base))
    except Exception as err:
        raise BuildError(f"reference data failed: {type(err).__name__}: {err}") from err
    graph = reference_graph(base)
    outside = [q for q in quads if q.graph_name != graph]
    if outside:
        raise BuildError(f"reference quad outside {graph}: {outside[0]}")
    nquads = serialize(quads, format=RdfFormat.N_QUADS) or b""
    return nquads, default_graph_ntriples(nquads)


def _inputs(dirs: Sequence[Path | str], base: str | None) -> tuple[list[Path], str]:
    dirs = [Path(d) for d in dirs]
    missing = [str(d) for d in dirs if not d.exists()]
    if missing:
        raise BuildError(f"no such file or folder: {', '.join(missing)}")
    paths = iter_paths(dirs)
    if not paths:
        raise BuildError(f"no .txt files in {', '.join(map(str, dirs))}")
    try:  # a bad manifest stops the build before the store is touched, naming its file and row
        for folder in sorted({Path(f) for f in {os.path.dirname(p) for p in paths}}):
            manifest.rows(folder)
    except manifest.ManifestError as err:
        raise BuildError(str(err)) from err
    base = base or default_base()
    if not base.endswith(("/", "#")):
        raise BuildError(f"base IRI must end with '/' or '#': {base}")
    return paths, base


def summarize(store_path: Path, documents: int, skipped: list[tuple[Path, str]], **extra: int) -> BuildSummary:
    """Counts of the finished store."""
    counts = overview.load(store_path)["counts"]  # written by the build; counted from the store if missing
    return BuildSummary(
        documents=documents,
        skipped=skipped,
        triples=counts["triples"],
        people=counts["people"],
        organisations=counts["organisations"],
        events=counts["events"],
        quotes=counts["quotes"],
        store=store_path,
        **extra,
    )
