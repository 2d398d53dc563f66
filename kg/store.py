"""The one module that opens a `pyoxigraph.Store`: locate, open, build atomically, query, export.

A build writes a fresh store into a hidden sibling folder and swaps it into place with renames
only once it is complete, so a failed or interrupted build leaves the previous store untouched.
"""

from __future__ import annotations

import fcntl
import gc
import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from pyoxigraph import (
    DefaultGraph,
    NamedNode,
    Quad,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
    Variable,
)

from kg.interrupt import deferred
from kg.progress import Progress

DEFAULT_STORE = Path("data") / "kg.oxigraph"

EXPORT_FORMATS: dict[str, RdfFormat] = {
    "nquads": RdfFormat.N_QUADS,
    "trig": RdfFormat.TRIG,
    "turtle": RdfFormat.TURTLE,
    "jsonld": RdfFormat.JSON_LD,
}

PREFIXES = {
    "kgo": "https://w3id.org/sv-press-kg/ontology#",
    "org": "http://www.w3.org/ns/org#",
    "cv": "http://data.europa.eu/m8g/",
    "schema": "https://schema.org/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "nif": "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#",
    "dct": "http://purl.org/dc/terms/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

_CHUNK = 200_000  # quads buffered before one bulk_extend call

# Files a build writes beside the RocksDB files, inside the store folder (so they are swapped in with it):
# the label search index (kg/search.py), the home page's overview (kg/overview.py) and the VoID statistics
# (kg/void.py). The dumps (kg/dumps.py) are there too, in their own folder.
SIDECARS = {"search": "search-index.tsv", "overview": "overview.json", "void": "void.json"}


_RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_PROV_ACTIVITY = NamedNode(PREFIXES["prov"] + "Activity")


class StoreError(Exception):
    """A store that is missing, locked or cannot be replaced."""


def default_store_path() -> Path:
    """The store used when no --store is given: env KG_STORE, else ./data/kg.oxigraph."""
    return Path(os.environ.get("KG_STORE") or DEFAULT_STORE)


def is_store(path: Path) -> bool:
    """True when `path` holds an Oxigraph (RocksDB) store."""
    return (Path(path) / "CURRENT").is_file()


def sidecar(store_path: Path | str, name: str) -> Path:
    """The path of one of the store's sidecar files (`SIDECARS`: "search", "overview", "void")."""
    return Path(store_path) / SIDECARS[name]


def write_sidecar(store_path: Path | str, name: str, text: str) -> Path:
    """Write a sidecar file whole or not at all (a reader never sees half of it)."""
    target = sidecar(store_path, name)
    partial = target.with_name(target.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(target)
    return target


def drop_sidecars(store_path: Path | str) -> None:
    """Remove the sidecar files (they no longer match a store changed in place)."""
    for name in SIDECARS:
        sidecar(store_path, name).unlink(missing_ok=True)


def write_sidecars(store: Store, store_path: Path | str, progress: Progress | None = None) -> None:
    """Write every sidecar file of the store at `store_path` from `store`, each a phase of `progress`."""
    from kg import overview, search, void

    progress = progress or Progress.quiet()
    for name, write in (("search index", search.write), ("overview", overview.write), ("void", void.write)):
        with progress.phase(name):
            write(store, store_path)


def has_sidecars(store_path: Path | str) -> bool:
    """True when every sidecar file is there."""
    return all(sidecar(store_path, name).is_file() for name in SIDECARS)


def open_read(path: Path | str | None = None) -> Store:
    """Open the store at `path` (default: `default_store_path()`) read-only.

    Raises StoreError when there is no store there.
    """
    path = Path(path) if path is not None else default_store_path()
    if not is_store(path):
        raise StoreError(f"no store at {path} — run `kg build` first")
    try:
        return Store.read_only(str(path))
    except OSError as err:
        raise StoreError(f"cannot open the store at {path}: {err}") from err


def open_write(path: Path | str) -> Store:
    """Open an existing store for in-place changes (`kg build --update`)."""
    path = Path(path)
    if not is_store(path):
        raise StoreError(f"no store at {path} to update — run `kg build` first")
    try:
        return Store(str(path))
    except OSError as err:
        raise StoreError(f"cannot open the store at {path} for writing: {err}") from err


class AtomicStore:
    """Build a new store beside `path`; on success swap it into place, on failure remove it.

    Use as a context manager::

        with AtomicStore(path) as writer:
            writer.add(quads)

    `add` buffers quads and bulk-loads them in large chunks (bulk loading is ~3x faster than
    transactions, perf-notes finding 7).
    """

    def __init__(self, path: Path | str, chunk: int = _CHUNK) -> None:
        self.path = Path(path)
        self.chunk = chunk
        self.quads_written = 0
        self._buffer: list[Quad] = []
        self._data: list[bytes] = []
        self._default_data: list[bytes] = []
        self._data_size = 0
        self.chunk_bytes = 32 * 1024 * 1024
        self._store: Store | None = None
        self._optimized = False
        self._tmp: Path | None = None
        self.replaced = False  # True once the new store is in place

    def __enter__(self) -> AtomicStore:
        _check_replaceable(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_work(self.path)
        self._tmp = Path(tempfile.mkdtemp(prefix=f".{self.path.name}.building-", dir=self.path.parent))
        self._owner = claim(self._tmp)
        self._store = Store(str(self._tmp))
        return self

    def add(self, quads: Iterable[Quad]) -> None:
        """Queue quads for the new store (written in bulk chunks)."""
        self._buffer.extend(quads)
        if len(self._buffer) >= self.chunk:
            self._flush()

    def add_nquads(self, data: bytes, default: bytes = b"") -> None:
        """Queue serialized quads (N-Quads) and triples for the default graph (N-Triples)."""
        self._data.append(data)
        self._default_data.append(default)
        self._data_size += len(data) + len(default)
        if self._data_size >= self.chunk_bytes:
            self._flush()

    def load_files(self, nquads: list[Path], default_ntriples: list[Path]) -> None:
        """Bulk-load N-Quads files, and N-Triples files into the default graph (read by the store itself).

        Safe to call from one background thread while the caller only reads; quads queued with `add`
        are written by the next call from the building thread.
        """
        assert self._store is not None
        for path in nquads:
            self._store.bulk_load(path=str(path), format=RdfFormat.N_QUADS)
        for path in default_ntriples:
            self._store.bulk_load(path=str(path), format=RdfFormat.N_TRIPLES, to_graph=DefaultGraph())

    @property
    def building_path(self) -> Path:
        """The folder of the store being built (it becomes `path` on success)."""
        assert self._tmp is not None
        return self._tmp

    def optimize(self) -> None:
        """Flush and compact now (queries on the new store, e.g. materialised views, get faster)."""
        self._flush()
        assert self._store is not None
        self._store.flush()
        self._store.optimize()
        self._optimized = True

    @property
    def store(self) -> Store:
        """The store being built (flushed first), for the finishing passes of a build."""
        self._flush()
        assert self._store is not None
        return self._store

    def _flush(self) -> None:
        if self._store is None:
            return
        if self._buffer:
            self._store.bulk_extend(self._buffer)
            self.quads_written += len(self._buffer)
            self._buffer = []
        if self._data:
            self._store.bulk_load(b"".join(self._data), format=RdfFormat.N_QUADS)
            self._store.bulk_load(b"".join(self._default_data), format=RdfFormat.N_TRIPLES, to_graph=DefaultGraph())
            self._data, self._default_data, self._data_size = [], [], 0

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        assert self._tmp is not None
        failed = exc_type is not None
        try:
            if not failed:
                self._flush()
                assert self._store is not None
                self._store.flush()
                if not self._optimized:
                    self._store.optimize()  # compact the bulk-loaded files: queries get ~4x faster
        except BaseException:  # also Ctrl-C while finishing: the half-built store goes
            failed = True
            raise
        finally:
            self._store = None
            self._buffer, self._data, self._default_data = [], [], []
            gc.collect()
            if failed:
                shutil.rmtree(self._tmp, ignore_errors=True)
                os.close(self._owner)
        if failed:
            return
        try:
            with deferred():  # a Ctrl-C now waits until the store is swapped whole
                _swap_into_place(self._tmp, self.path)
                self.replaced = True
        except BaseException:
            if not self.replaced:
                shutil.rmtree(self._tmp, ignore_errors=True)
            raise
        finally:
            os.close(self._owner)


OWNER = ".owner"  # in a work folder: locked (flock) while the process that made it is alive


def claim(folder: Path) -> int:
    """Mark `folder` as in use by this process: an exclusive lock on its owner file, held until the fd closes
    (the kernel drops it when the process dies, however it dies)."""
    fd = os.open(folder / OWNER, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


@contextmanager
def work_folder(store_path: Path | str, prefix: str) -> Iterator[Path]:
    """A claimed temporary folder beside the store (the system's temp folder if its parent is missing)."""
    parent = Path(store_path).parent
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent if parent.exists() else None))
    fd = claim(folder)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        os.close(fd)


def work_folders(store_path: Path | str) -> list[Path]:
    """The temporary folders builds of `store_path` make beside it (building, old, spool)."""
    path = Path(store_path)
    if not path.parent.is_dir():
        return []
    patterns = (f".{path.name}.building-*", f".{path.name}.old-*", ".kg-spool-*", ".kg-views-*")
    return [p for pattern in patterns for p in path.parent.glob(pattern) if p.is_dir()]


def remove_stale_work(store_path: Path | str, grace: float = 60.0) -> list[Path]:
    """Remove work folders left by killed builds: those whose owner lock no process holds (or, made by an
    older version, with no owner file and untouched for `grace` seconds). Returns what was removed."""
    removed = []
    for folder in work_folders(store_path):
        owner = folder / OWNER
        try:
            if owner.exists():
                fd = os.open(owner, os.O_RDWR)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free: its process is gone
                except BlockingIOError:
                    continue  # a build is running
                finally:
                    os.close(fd)
            elif time.time() - folder.stat().st_mtime < grace:
                continue
        except OSError:
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def write_store(path: Path | str, quads: Iterable[Quad]) -> int:
    """Replace the store at `path` atomically by one holding `quads`; return how many were given."""
    with AtomicStore(path) as writer:
        writer.add(quads)
    return writer.quads_written


def _check_replaceable(path: Path) -> None:
    if path.is_file():
        raise StoreError(f"{path} is a file, not a store folder")
    if path.is_dir() and any(path.iterdir()) and not is_store(path):
        raise StoreError(f"{path} is a non-empty folder that is not an Oxigraph store; not replacing it")


def _swap_into_place(new: Path, path: Path) -> None:
    """Rename `new` to `path`; the old store is kept aside until the new one is in place."""
    old: Path | None = None
    if path.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{path.name}.old-", dir=path.parent))
        owner = claim(old)
        os.rename(path, old / "store")
    try:
        os.rename(new, path)
    except OSError as err:
        if old is not None:
            os.rename(old / "store", path)
            shutil.rmtree(old, ignore_errors=True)
        raise StoreError(f"cannot move the new store into {path}: {err}") from err
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
        os.close(owner)


def detect_base(store: Store) -> str | None:
    """The base IRI the store was built with: the prefix of its `…graph/meta` graph."""
    runs = store.quads_for_pattern(None, _RDF_TYPE, _PROV_ACTIVITY, None)  # the build runs: a few quads, found at once
    for q in runs:
        value = getattr(q.graph_name, "value", "")
        if value.endswith("graph/meta"):
            return value[: -len("graph/meta")]
    for graph in store.named_graphs():  # a meta graph without runs: look through every graph
        value = getattr(graph, "value", "")
        if value.endswith("graph/meta"):
            return value[: -len("graph/meta")]
    return None


def query(
    store: Store, sparql: str, substitutions: Mapping[str, Any] | None = None
) -> QuerySolutions | QueryBoolean | QueryTriples:
    """Run SPARQL against the default graph (never the union), binding `substitutions` as terms."""
    subs = {Variable(k): v for k, v in (substitutions or {}).items()}
    try:
        return store.query(sparql, substitutions=subs or None, prefixes=PREFIXES)
    except SyntaxError as err:
        from kg.syntax import explain

        raise StoreError(explain(sparql, err)) from err
    except (RuntimeError, ValueError) as err:
        raise StoreError(f"query failed: {err}") from err


RESULT_FORMATS = {
    "json": QueryResultsFormat.JSON,
    "csv": QueryResultsFormat.CSV,
    "tsv": QueryResultsFormat.TSV,
    "xml": QueryResultsFormat.XML,
}


def serialize_results(results: QuerySolutions | QueryBoolean, fmt: str = "json") -> bytes:
    """SPARQL results as bytes (json = SPARQL 1.1 Query Results JSON)."""
    return results.serialize(format=RESULT_FORMATS[fmt])


def rows(results: QuerySolutions) -> tuple[list[str], list[dict[str, str]]]:
    """The variables and each solution as {variable: value string} (unbound variables left out)."""
    names = [v.value for v in results.variables]
    out = []
    for sol in results:
        row = {}
        for name in names:
            term = sol[name]
            if term is not None:
                row[name] = term.value
        out.append(row)
    return names, out


def export(store: Store, fmt: str, output: IO[bytes] | str | Path | None = None) -> bytes | None:
    """Dump the store: nquads/trig/jsonld = every graph, turtle = the default graph only."""
    if fmt not in EXPORT_FORMATS:
        raise StoreError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    rdf_format = EXPORT_FORMATS[fmt]
    kwargs: dict[str, Any] = {}
    if not rdf_format.supports_datasets:
        kwargs["from_graph"] = DefaultGraph()
    if fmt in ("trig", "turtle"):
        kwargs["prefixes"] = PREFIXES
    if isinstance(output, Path):
        output = str(output)
    return store.dump(output, format=rdf_format, **kwargs)


def iter_default_quads(store: Store) -> Iterator[Quad]:
    """Every quad of the default graph."""
    return store.quads_for_pattern(None, None, None, DefaultGraph())


def _count(store: Store, where: str) -> int:
    result = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}", prefixes=PREFIXES)
    return int(next(iter(result))["n"].value)


def stats(store: Store) -> dict[str, int]:
    """Sizes of the store: default-graph triples, document graphs, and entity counts."""
    doc_graphs = sum(1 for g in store.named_graphs() if isinstance(g, NamedNode) and "/graph/doc/" in g.value)
    return {
        "triples": _count(store, "?s ?p ?o"),
        "documents": doc_graphs,
        "people": _count(store, "SELECT DISTINCT ?s { ?s a foaf:Person }"),
        "organisations": _count(store, "SELECT DISTINCT ?s { ?d schema:mentions ?s . ?s a org:Organization }"),
        "events": _count(store, "SELECT DISTINCT ?s { ?s a schema:Event }"),
        "quotes": _count(store, "SELECT DISTINCT ?s { ?s a schema:Quotation }"),
    }
