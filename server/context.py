"""Server settings and the per-app context: the open store, its base IRI, the query registry."""

from __future__ import annotations

import asyncio
import hashlib
import os
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyoxigraph import Store

from kg import dumps, overview, search, views, void
from kg import store as kgstore
from kg.queries import Registry, registry
from kg.search import Index
from kg.store import detect_base
from server.exchange import WorkerGone
from server.pool import Job, Outcome, QueryFailed, QueryPool, Worker, store_identity


@dataclass
class Settings:
    """Everything `kg serve` can configure; defaults suit a public read-only endpoint."""

    store_path: Path = field(default_factory=kgstore.default_store_path)
    base: str | None = None  # None: read from the store's meta graph
    timeout: float = 10.0  # seconds per query, hard (the worker is killed)
    memory_mb: int = 1024  # resident memory per query worker before it is killed
    row_cap: int = 100_000  # results above this many rows/triples are refused, never cut
    update_token: str | None = None  # set to allow authenticated SPARQL Update
    query_workers: int = field(default_factory=lambda: os.cpu_count() or 2)
    cache_mb: int = 32  # saved-query answers kept in memory (views answer the rest in a few ms)
    page_size: int = 100  # incoming links and values per property on one linked-data page


class ResultCache:
    """Answers by key, least recently used first out, bounded by their total size in bytes.

    An answer larger than an eighth of the budget is not kept: it would push out many small ones.
    """

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.size = 0
        self._items: OrderedDict[tuple, tuple[str, str, bytes]] = OrderedDict()

    def get(self, key: tuple) -> tuple[str, str, bytes] | None:
        item = self._items.get(key)
        if item is not None:
            self._items.move_to_end(key)
        return item

    def put(self, key: tuple, item: tuple[str, str, bytes]) -> None:
        if len(item[2]) > self.budget // 8:
            return
        old = self._items.pop(key, None)
        if old is not None:
            self.size -= len(old[2])
        self._items[key] = item
        self.size += len(item[2])
        while self.size > self.budget:
            _, dropped = self._items.popitem(last=False)
            self.size -= len(dropped[2])

    def clear(self) -> None:
        self._items.clear()
        self.size = 0

    def __iter__(self) -> Iterator[tuple]:
        return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)


class Context:
    """What every route needs; one per app. `store` is opened read-only in the server process."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.identity = store_identity(settings.store_path)
        self.store: Store = kgstore.open_read(settings.store_path)
        self.base: str = settings.base or detect_base(self.store) or kgstore_base()
        self.registry: Registry = registry()
        self.version: str = store_version(self.store, settings.store_path)
        self.pool = QueryPool(
            settings.store_path,
            size=settings.query_workers,
            timeout=settings.timeout,
            memory_mb=settings.memory_mb,
            row_cap=settings.row_cap,
        )
        self.cache = ResultCache(settings.cache_mb * 2**20)  # saved-query answers of this version
        self.memo: dict[str, object] = {}  # per-version computed values (counts for VoID)
        self._update_lock: asyncio.Lock | None = None

    async def run_update(self, sparql: str, base_iri: str | None = None) -> Outcome:
        """Apply an authenticated SPARQL Update in a writable worker, then re-open the store (its saved-query
        views no longer match it: they are dropped, and saved queries run live until the next build; the
        search index, the overview, the VoID statistics and the dumps, if the store had them, are written
        again before the update is answered)."""
        async with self._lock():
            path = self.settings.store_path
            had_dumps = dumps.present(path)
            outcome = await asyncio.to_thread(self._update_in_worker, sparql, base_iri)
            if outcome.status < 400:
                views.drop(path)
                dumps.drop(path)
                # rewritten before the memo is cleared, so no search can read the old index meanwhile
                await asyncio.to_thread(lambda: kgstore.write_sidecars(kgstore.open_read(path), path))
                if had_dumps:
                    await asyncio.to_thread(lambda: dumps.write(kgstore.open_read(path), path))
                self.reopen()
                await self.pool.restart()
            return outcome

    def _lock(self) -> asyncio.Lock:
        if self._update_lock is None:
            self._update_lock = asyncio.Lock()
        return self._update_lock

    def swapped(self) -> bool:
        """True when a new build has been moved into the store's path since this server opened it."""
        now = store_identity(self.settings.store_path)
        return bool(now) and now != self.identity

    async def follow_swap(self) -> None:
        """Serve the new build, all of it at once: store, workers, caches (views are files of the path)."""
        async with self._lock():
            if not self.swapped():
                return
            self.reopen()
            await self.pool.restart()

    def _update_in_worker(self, sparql: str, base_iri: str | None) -> Outcome:
        worker = Worker(str(self.settings.store_path), self.settings.row_cap, writable=True)
        try:
            worker.wait_ready()
            return worker.ask(Job(sparql, update=True, base_iri=base_iri, guard=True), self.settings.timeout)
        except TimeoutError:
            worker.kill("timeout")
            raise QueryFailed(503, f"update stopped after {self.settings.timeout:g} s (the time limit)") from None
        except (WorkerGone, OSError) as err:
            raise QueryFailed(500, f"the update worker failed: {err}") from err
        finally:
            worker.close()

    def search_index(self) -> Index:
        """The label search index of this version: the build's file, read once (made from the store if missing)."""
        index = self.memo.get("search")
        if index is None:
            index = self.memo["search"] = search.load(self.settings.store_path, self.store)
        return index  # type: ignore[return-value]

    def overview(self) -> dict[str, Any]:
        """Counts, dates and top publishers of this version, for the home page (the build's file, read once)."""
        data = self.memo.get("overview")
        if data is None:
            data = self.memo["overview"] = overview.load(self.settings.store_path, self.store)
        return data  # type: ignore[return-value]

    def void_stats(self) -> dict[str, Any]:
        """Sizes of the default graph, its classes, properties and named graphs, and build times (the build's file)."""
        data = self.memo.get("void")
        if data is None:
            data = self.memo["void"] = void.load(self.settings.store_path, self.store)
        return data  # type: ignore[return-value]

    def local_path(self, iri: str) -> str | None:
        """The path at which this server serves `iri`, or None when it is not under the base."""
        from server.views import local_path

        return local_path(self.base, iri)

    def reopen(self) -> None:
        """Re-open the store after an update so this process sees the new data."""
        self.identity = store_identity(self.settings.store_path)
        self.store = kgstore.open_read(self.settings.store_path)
        self.version = store_version(self.store, self.settings.store_path, salt=os.urandom(8).hex())
        self.cache.clear()
        self.memo.clear()


def kgstore_base() -> str:
    from kg.build import default_base

    return default_base()


def store_version(store: Store, path: Path, salt: str = "") -> str:
    """A short tag that changes with every build: the build run IRIs (from the meta graph)."""
    runs = sorted(
        sol["r"].value
        for sol in store.query("SELECT ?r WHERE { GRAPH ?g { ?r a <http://www.w3.org/ns/prov#Activity> } }")
    )
    seed = "|".join(runs) or str(Path(path).resolve())
    return hashlib.sha256((seed + salt).encode()).hexdigest()[:16]
