"""Build orchestration: folders of .txt press releases -> a fresh Oxigraph store, atomically."""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from kg import store as kgstore
from kg.load import Loader
from kg.read import ReadError, iter_paths, read_document

DEFAULT_BASE = "https://w3id.org/sv-press-kg/"

Progress = Callable[[int, int, Path], None]


class BuildError(Exception):
    """A build that could not produce a store; the previous store is left as it was."""


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


def default_base() -> str:
    """The base IRI: env KG_BASE, else https://w3id.org/sv-press-kg/."""
    return os.environ.get("KG_BASE") or DEFAULT_BASE


def _emit():  # imported lazily so tests (and a missing extractor) fail only when building
    try:
        return importlib.import_module("kg.emit")
    except ImportError as err:
        raise BuildError(f"the extractor (kg.emit) is not available: {err}") from err


def build(
    dirs: Sequence[Path | str],
    store_path: Path | str | None = None,
    base: str | None = None,
    strict: bool = False,
    progress: Progress | None = None,
) -> BuildSummary:
    """Read every .txt under `dirs`, extract, and replace the store at `store_path` atomically.

    Unreadable files and documents on which the extractor fails are skipped and reported by name
    with the reason; with `strict` the first such file raises BuildError instead. The store is
    replaced only when the build completes; otherwise the previous one stays intact.
    Raises BuildError when nothing could be built.
    """
    dirs = [Path(d) for d in dirs]
    missing = [str(d) for d in dirs if not d.exists()]
    if missing:
        raise BuildError(f"no such file or folder: {', '.join(missing)}")
    paths = iter_paths(dirs)
    if not paths:
        raise BuildError(f"no .txt files in {', '.join(map(str, dirs))}")
    base = base or default_base()
    if not base.endswith(("/", "#")):
        raise BuildError(f"base IRI must end with '/' or '#': {base}")
    store_path = Path(store_path) if store_path is not None else kgstore.default_store_path()
    emit = _emit()
    skipped: list[tuple[Path, str]] = []
    seen: dict[str, Path] = {}

    def skip(path: Path, reason: str, err: BaseException | None = None) -> None:
        if strict:
            raise BuildError(f"{path}: {reason} (strict build: previous store kept)") from err
        skipped.append((path, reason))

    started = datetime.now(timezone.utc)
    with kgstore.AtomicStore(store_path) as writer:
        loader = Loader(writer.add, base)
        for i, path in enumerate(paths, 1):
            try:
                doc = read_document(path)
            except ReadError as err:
                skip(path, err.reason, err)
            else:
                if doc.doc_id in seen:
                    skip(path, f"duplicate document id {doc.doc_id!r} (also {seen[doc.doc_id]})")
                else:
                    try:
                        loader.add_document(doc, emit.document_quads(doc, base))
                        seen[doc.doc_id] = path
                    except Exception as err:  # one bad document must not end the build
                        skip(path, f"extractor failed: {type(err).__name__}: {err}", err)
            if progress is not None:
                progress(i, len(paths), path)
        if loader.documents == 0:
            raise BuildError(f"no document could be built ({len(skipped)} skipped); previous store kept")
        try:
            loader.add_reference(emit.reference_quads(base))
        except Exception as err:
            raise BuildError(f"reference data failed: {type(err).__name__}: {err}") from err
        loader.finish(started, datetime.now(timezone.utc))
    store = kgstore.open_read(store_path)
    try:
        counts = kgstore.stats(store)
    finally:
        del store
    return BuildSummary(
        documents=loader.documents,
        skipped=skipped,
        triples=counts["triples"],
        people=counts["people"],
        organisations=counts["organisations"],
        events=counts["events"],
        quotes=counts["quotes"],
        store=store_path,
    )
