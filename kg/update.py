"""`kg build --update`: bring an existing store in line with the folders, re-extracting only what changed.

Document checksums are compared with the meta graph. New and changed documents are extracted
(in parallel) and their graphs replaced; graphs of documents that disappeared are dropped. The
default graph follows: a triple leaves it only when no other graph still holds it, and the merged
labels of every touched subject are recomputed, so the store ends up as a full rebuild would
make it.

An update can be killed at any point and converges when run again: before it changes anything it
writes a journal (`STORE/update-journal.json`: the documents it will redo and every subject of
their old graphs), suspends the saved-query views (`views/UPDATING`: saved queries run live meanwhile)
and drops the sidecar files (search index, overview, VoID statistics; their text kept in memory) and the
dumps, which no longer match. Once the store is settled the views take the changed documents' rows
(kg/view_update.py) and are served again; the sidecars are adjusted by the default-graph triples the
update added and removed (kg/sidecar_update.py) and written again, and so are the dumps. A later
update finds the journal, redoes those documents whatever their checksums say, recomputes the
default graph and labels of every journalled subject and, having no record of what the killed run
changed, remakes the views and computes the sidecars whole; the journal is removed only once the
store is flushed.
"""

from __future__ import annotations

import gc
import json
import os
import re
from collections.abc import Sequence
from contextlib import closing
from datetime import datetime, timezone
from pathlib import Path

from pyoxigraph import DefaultGraph, NamedNode, Quad, QueryResultsFormat, RdfFormat, Store, Triple

from kg import dumps, sidecar_update, view_update, views
from kg import store as kgstore
from kg.build import BuildError, BuildSummary, Interrupted, _inputs, default_workers, extract_all
from kg.load import KGO, LABELS, doc_graph, doc_meta_quads, meta_graph, relabel, run_iri, run_meta_quads
from kg.progress import Progress
from kg.queries import registry
from kg.read import ChecksumCache, ReadError, doc_id_for, file_stamps, read_document
from kg.view_update import Changes

_CHECKSUM_ROW = re.compile(r'<([^<>]*)>\t"([0-9a-f]*)"')


def stored_checksums(store: Store, base: str) -> dict[str, str]:
    """doc id -> sha256 as the meta graph records them: read as one TSV answer (a third of the time
    of reading the quads one by one), or quad by quad when a row is not of the expected form."""
    prefix = f"{base}graph/doc/"
    query = f"SELECT ?d ?sha {{ GRAPH <{base}graph/meta> {{ ?d <{KGO}sha256> ?sha }} }}"
    rows = store.query(query).serialize(format=QueryResultsFormat.TSV).decode("utf-8").split("\n")  # type: ignore[union-attr]
    out = {}
    for line in rows[1:]:
        found = _CHECKSUM_ROW.fullmatch(line)
        if found is None:
            if line:
                return _checksums_by_quad(store, base)
            continue
        if found[1].startswith(prefix):
            out[found[1][len(prefix) :]] = found[2]
    return out


def _checksums_by_quad(store: Store, base: str) -> dict[str, str]:
    prefix = f"{base}graph/doc/"
    out = {}
    sha = NamedNode(KGO + "sha256")
    for q in store.quads_for_pattern(None, sha, None, meta_graph(base)):
        if q.subject.value.startswith(prefix):
            out[q.subject.value[len(prefix) :]] = q.object.value
    return out


def _drop_graph(store: Store, graph: NamedNode, touched: set, changes: Changes | None = None) -> None:
    """Remove a document graph and the default-graph triples no other graph holds (noted in `changes`)."""
    default = DefaultGraph()
    quads = list(store.quads_for_pattern(None, None, None, graph))
    store.remove_graph(graph)
    for q in quads:
        if q.predicate in LABELS:
            touched.add(q.subject)
            continue
        still = any(
            not isinstance(o.graph_name, DefaultGraph)
            for o in store.quads_for_pattern(q.subject, q.predicate, q.object, None)
        )
        if not still:
            store.remove(Quad(q.subject, q.predicate, q.object, default))
            if changes is not None:
                changes.remove(q.triple)


def _settle_default(store: Store, subjects: set, changes: Changes) -> None:
    """Make the default graph hold, for `subjects`, exactly the triples some document graph holds
    (labels aside: `relabel` merges those). Repairs what an interrupted update left half done."""
    default = DefaultGraph()
    for s in subjects:
        named = {
            q.triple for q in store.quads_for_pattern(s, None, None, None) if not isinstance(q.graph_name, DefaultGraph)
        }
        held = set()
        for q in list(store.quads_for_pattern(s, None, None, default)):
            held.add(q.triple)
            if q.predicate not in LABELS and q.triple not in named:
                store.remove(q)
                changes.remove(q.triple)
        missing = [t for t in named if t.predicate not in LABELS and t not in held]
        store.extend(Quad(t.subject, t.predicate, t.object, default) for t in missing)
        for t in missing:
            changes.add(t)


def _labels(store: Store, subjects: set) -> set[Triple]:
    default = DefaultGraph()
    return {q.triple for s in subjects for p in LABELS for q in store.quads_for_pattern(s, p, None, default)}


def _relabel(store: Store, subjects: set, changes: Changes) -> None:
    """`relabel`, noting the merged labels it changed."""
    before = _labels(store, subjects)
    relabel(store, subjects)
    after = _labels(store, subjects)
    for t in before - after:
        changes.remove(t)
    for t in after - before:
        changes.add(t)


class _Pending:
    def __init__(self, redo: set[str], subjects: set) -> None:
        self.redo, self.subjects = redo, subjects


class Journal:
    """What an update is about to change, on disk before it changes it (see the module docstring)."""

    NAME = "update-journal.json"

    def __init__(self, store_path: Path) -> None:
        self.path = Path(store_path) / self.NAME

    def load(self) -> _Pending:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return _Pending(set(), set())
        except (OSError, ValueError) as err:
            raise BuildError(f"{self.path}: unreadable update journal ({err}); rebuild the store") from err
        from pyoxigraph import BlankNode

        subjects = {BlankNode(s[2:]) if s.startswith("_:") else NamedNode(s) for s in data.get("subjects", [])}
        return _Pending(set(data.get("redo", [])), subjects)

    def write(self, redo: set[str], subjects: set) -> None:
        data = {
            "redo": sorted(redo),
            "subjects": sorted(f"_:{s.value}" if s.__class__.__name__ == "BlankNode" else s.value for s in subjects),
        }
        partial = self.path.with_suffix(".partial")
        with partial.open("w", encoding="utf-8") as f:
            json.dump(data, f)
            f.flush()
            os.fsync(f.fileno())
        partial.replace(self.path)

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)


def _drop_meta(store: Store, base: str, doc_id: str) -> None:
    for q in list(store.quads_for_pattern(doc_graph(base, doc_id), None, None, meta_graph(base))):
        store.remove(q)


def update(
    dirs: Sequence[Path | str],
    store_path: Path | str | None = None,
    base: str | None = None,
    strict: bool = False,
    progress: Progress | None = None,
    workers: int | None = None,
    refresh_views: bool = False,
    make_dumps: bool = True,
) -> BuildSummary:
    """Update the store at `store_path` in place to match `dirs`; returns a BuildSummary.

    The materialised views and the mentions index follow the change: the rows of the documents it
    touched are recomputed (kg/view_update.py), or every view with `refresh_views`. The dumps are
    dropped when anything changed and written again from the settled store (with `make_dumps`; also
    when they are missing). `progress` reports each phase (read, extract, merge labels, views, search
    index, overview, dumps). On Ctrl-C raises Interrupted, saying whether the store was changed
    (running the update again completes it).
    """
    progress = progress or Progress.quiet()
    store_path = Path(store_path) if store_path is not None else kgstore.default_store_path()
    journal = Journal(store_path)
    had_sidecars = kgstore.has_sidecars(store_path)
    try:
        return _update_store(dirs, store_path, base, strict, progress, workers, refresh_views, make_dumps)
    except KeyboardInterrupt as err:
        if isinstance(err, Interrupted):
            raise
        if journal.path.exists() or (had_sidecars and not kgstore.has_sidecars(store_path)):
            raise Interrupted(
                f"interrupted; the store at {store_path} is partly updated: run the same update again to complete it"
            ) from None
        raise Interrupted(f"interrupted; the store at {store_path} is unchanged") from None


def _update_store(
    dirs: Sequence[Path | str],
    store_path: Path,
    base: str | None,
    strict: bool,
    progress: Progress,
    workers: int | None,
    refresh_views: bool,
    make_dumps: bool,
) -> BuildSummary:
    reader = kgstore.open_read(store_path)
    built_with = kgstore.detect_base(reader)
    del reader
    if built_with is None:
        raise BuildError(f"{store_path} has no meta graph: rebuild it with `kg build` (without --update)")
    if base and base != built_with:
        raise BuildError(f"the store was built with base {built_with}, not {base}; rebuild it to change the base")
    store = kgstore.open_write(store_path)
    try:
        documents, skipped, changed, removed, changes, recovered, sidecars = _update(
            store, store_path, dirs, built_with, strict, progress, workers
        )
        if views.suspended(store_path):  # the views were in use when the store changed
            store.flush()
            if refresh_views or recovered:  # an interrupted update left no record of what it changed
                parallel = workers or default_workers()
                views.materialise(store, store_path, registry(), workers=parallel, progress=progress)
            else:
                view_update.maintain(store, store_path, built_with, registry(), changes, progress)
            views.resume(store_path)
        elif (changed or removed) and refresh_views:
            store.flush()
            views.materialise(store, store_path, registry(), workers=workers or default_workers(), progress=progress)
        if not kgstore.has_sidecars(store_path):  # dropped when anything changed, or an older store
            # adjusted by the changes when they were in place before; computed whole after a killed update
            sidecar_update.write(store, store_path, None if recovered else changes, sidecars, progress)
        if make_dumps and not dumps.present(store_path):
            with progress.phase("dumps"):
                dumps.write(store, store_path)
    finally:
        store = None  # release the store's lock even when an error keeps this frame alive
        gc.collect()
    # no entity counts: counting the whole store would cost more than a small update
    summary = BuildSummary(documents, skipped, store=store_path, changed=changed, removed=removed, counted=False)
    summary.timings = dict(progress.seconds)
    return summary


def _update(
    store: Store,
    store_path: Path,
    dirs: Sequence[Path | str],
    base: str,
    strict: bool,
    progress: Progress,
    workers: int | None,
) -> tuple[int, list[tuple[Path, str]], int, int, Changes, bool, dict[str, str]]:
    """Returns documents, skipped files, changed and removed counts, the default-graph changes,
    whether an interrupted earlier update was completed, and the sidecar files it dropped (their text)."""
    with progress.phase("read") as step:
        paths, base = _inputs(dirs, base)
        step.note = f"{len(paths)} files"
    started = datetime.now(timezone.utc)
    run = run_iri(base, started)
    stored = stored_checksums(store, base)
    cache = ChecksumCache.load(store_path)
    fresh = ChecksumCache()
    skipped: list[tuple[Path, str]] = []
    on_disk: dict[str, Path] = {}
    todo: list[Path] = []
    with progress.phase("compare", total=len(paths), unit="files") as step:
        for path, stamp in file_stamps(paths):
            step.advance()
            doc_id = doc_id_for(path)
            if doc_id in on_disk:
                skipped.append((path, f"duplicate document id {doc_id!r} (also {on_disk[doc_id]})"))
                continue
            on_disk[doc_id] = path
            sha = cache.get(path, stamp)
            if sha is None:
                try:
                    sha = read_document(path).sha256
                except ReadError as err:
                    if strict:
                        raise BuildError(f"{path}: {err.reason} (strict update: nothing changed)") from err
                    skipped.append((path, err.reason))
                    continue
            fresh.put(path, stamp, sha)
            if stored.get(doc_id) != sha:
                todo.append(path)
    journal = Journal(store_path)
    pending = journal.load()
    todo_ids = {doc_id_for(p) for p in todo}
    todo += [on_disk[d] for d in sorted(pending.redo) if d in on_disk and d not in todo_ids]  # an interrupted run
    gone = sorted((set(stored) | (pending.redo - set(on_disk))) - set(on_disk))
    touched: set = set(pending.subjects)
    recovered = bool(pending.redo or pending.subjects)
    changes = Changes(documents={f"{base}res/doc/{d}" for d in [*gone, *(doc_id_for(p) for p in todo)]})
    redone = [doc_graph(base, d) for d in {*gone, *pending.redo, *(doc_id_for(p) for p in todo)}]
    graphs_before = sum(store.contains_named_graph(g) for g in redone)
    sidecars: dict[str, str] = {}
    if todo or gone or pending.redo:
        sidecars = {} if recovered else sidecar_update.previous(store_path)
        for doc_id in [*gone, *(doc_id_for(p) for p in todo)]:
            touched |= {q.subject for q in store.quads_for_pattern(None, None, None, doc_graph(base, doc_id))}
        journal.write(pending.redo | set(gone) | {doc_id_for(p) for p in todo}, touched)
        views.suspend(store_path)  # not served until they follow the store (in `update`)
        kgstore.drop_sidecars(store_path)  # rewritten once the store is settled (below, in `update`)
        dumps.drop(store_path)
    for doc_id in gone:
        _drop_graph(store, doc_graph(base, doc_id), touched, changes)
        _drop_meta(store, base, doc_id)
    default = DefaultGraph()
    changed, extracted = 0, set()
    with (
        progress.phase("extract", total=len(todo), unit="documents") as step,
        closing(extract_all(todo, base, workers or default_workers())) as items,  # closed: the workers stop
    ):
        for item in items:
            if item.error is not None or item.record is None:
                if strict:
                    raise BuildError(f"{item.path}: {item.error} (strict update: earlier documents already updated)")
                skipped.append((item.path, item.error or "unreadable"))
            else:
                graph = doc_graph(base, item.record.doc_id)
                _drop_graph(store, graph, touched, changes)
                store.load(item.nquads, format=RdfFormat.N_QUADS)
                for q in store.quads_for_pattern(None, None, None, graph):
                    if q.predicate in LABELS:
                        touched.add(q.subject)
                        continue
                    merged = Quad(q.subject, q.predicate, q.object, default)
                    if merged not in store:
                        store.add(merged)
                        changes.add(q.triple)
                _drop_meta(store, base, item.record.doc_id)
                store.extend(doc_meta_quads(item.record, base, run))
                extracted.add(item.record.doc_id)
                changed += 1
            step.advance()
    if todo or gone or pending.redo:
        with progress.phase("merge labels"):
            if recovered:  # dropping and loading graphs kept the default graph; a killed run may not have
                _settle_default(store, touched, changes)
            _relabel(store, touched, changes)
            store.extend(run_meta_quads(base, started, datetime.now(timezone.utc)))
    changes.graphs = sum(store.contains_named_graph(g) for g in redone) - graphs_before
    store.flush()
    journal.remove()
    fresh.save(store_path)
    documents = len((set(stored) - set(gone)) | extracted)
    return documents, skipped, changed, len(gone), changes, recovered, sidecars
