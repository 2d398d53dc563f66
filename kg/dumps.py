"""Downloadable dumps of the whole dataset, written by the build into the store folder (`STORE/dumps/`).

`kg build` writes them after the store is complete, so they are swapped into place with it and a server
only ever sends files; `kg build --update` and an authenticated SPARQL Update drop them before they
change the store and write them again once it is settled. The files are written at the same time, each
gzip-compressed while the store serializes it (the compression runs in a thread of its own), under a
temporary name then renamed.
"""

from __future__ import annotations

import gzip
import queue
import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pyoxigraph import DefaultGraph, RdfFormat, Store

from kg import store as kgstore

FOLDER = "dumps"
GZIP_LEVEL = 6
BLOCK = 1 << 20  # bytes handed to the compressing thread at a time


@dataclass(frozen=True)
class Dump:
    """One dump file: its name, RDF format, the media type of its uncompressed content and what it holds."""

    name: str
    format: RdfFormat
    media_type: str
    description: str
    default_only: bool = False

    @property
    def plain_name(self) -> str:
        """The name without `.gz`: the same content served uncompressed (or with Content-Encoding: gzip)."""
        return self.name.removesuffix(".gz")


DUMPS = {
    d.name: d
    for d in [
        Dump("kg.nq.gz", RdfFormat.N_QUADS, "application/n-quads",
             "Every graph: the merged default graph, one graph per document, reference and provenance."),
        Dump("kg.ttl.gz", RdfFormat.TURTLE, "text/turtle",
             "The merged default graph only, as Turtle.", default_only=True),
    ]
}  # fmt: skip


def folder(store_path: Path | str) -> Path:
    """The folder of the dumps inside the store folder."""
    return Path(store_path) / FOLDER


def path(store_path: Path | str, dump: Dump) -> Path:
    return folder(store_path) / dump.name


def present(store_path: Path | str) -> bool:
    """True when every dump is there."""
    return all(path(store_path, d).is_file() for d in DUMPS.values())


def drop(store_path: Path | str) -> None:
    """Remove the dumps (they no longer match a store changed in place)."""
    shutil.rmtree(folder(store_path), ignore_errors=True)


def write(store: Store, store_path: Path | str) -> dict[str, float]:
    """Write every dump of `store` into the store folder at `store_path`, all at once (the store serializes
    without holding the GIL, so they share the cores); the seconds they took."""
    target = folder(store_path)
    target.mkdir(exist_ok=True)
    started = time.perf_counter()
    with ThreadPoolExecutor(len(DUMPS), thread_name_prefix="kg-dump") as pool:
        for done in [pool.submit(_write_one, store, target, d) for d in DUMPS.values()]:
            done.result()
    return {"dumps": round(time.perf_counter() - started, 2)}


def _write_one(store: Store, target: Path, dump: Dump) -> None:
    partial = target / f".{dump.name}.partial"
    try:
        with (
            partial.open("wb") as raw,
            gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=GZIP_LEVEL, mtime=0) as gz,
        ):
            kwargs: dict[str, Any] = {"format": dump.format}
            if dump.default_only:
                kwargs.update(from_graph=DefaultGraph(), prefixes=kgstore.PREFIXES)
            with _Compressing(gz) as output:
                store.dump(output, **kwargs)
        partial.replace(target / dump.name)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


class _Compressing:
    """A binary writer that hands blocks to a thread writing them to `gz` (zlib releases the GIL), so
    compressing overlaps with the store's serializing."""

    def __init__(self, gz: gzip.GzipFile) -> None:
        self.gz = gz
        self.blocks: queue.Queue[bytes | None] = queue.Queue(maxsize=8)
        self.buffer = bytearray()
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="kg-dump-gzip", daemon=True)

    def __enter__(self) -> _Compressing:
        self.thread.start()
        return self

    def _run(self) -> None:
        while (block := self.blocks.get()) is not None:
            if self.error is None:
                try:
                    self.gz.write(block)
                except BaseException as err:  # raised in the writing thread by the next write or at the end
                    self.error = err

    def write(self, data: bytes) -> int:
        if self.error is not None:
            raise self.error
        self.buffer += data
        if len(self.buffer) >= BLOCK:
            self.blocks.put(bytes(self.buffer))
            self.buffer.clear()
        return len(data)

    def flush(self) -> None:
        pass

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if exc_type is None and self.buffer:
            self.blocks.put(bytes(self.buffer))
        self.buffer.clear()
        self.blocks.put(None)
        self.thread.join()
        if exc_type is None and self.error is not None:
            raise self.error
