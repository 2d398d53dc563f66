"""Materialised views: every saved query's whole-corpus result, computed once at build time.

A whole-corpus view (all speakers, ordered) takes seconds to evaluate live on a large store, most
of it in ORDER BY; it only changes when the store does. So a build runs each saved query that
needs no parameter and writes its SPARQL JSON result into the store folder (`views/`), with the
checksum of the query text it came from; `kg query` and the server answer a parameterless request
from there. A changed .rq file makes its view stale, and it is then ignored.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pyoxigraph import QueryResultsFormat, QuerySolutions, Store, parse_query_results

from kg.queries import Registry, SavedQuery

FOLDER = "views"
MANIFEST = "manifest.json"


def _sha(query: SavedQuery) -> str:
    return hashlib.sha256(query.sparql.encode("utf-8")).hexdigest()


def materialise(store: Store, store_path: Path, registry: Registry) -> dict[str, int]:
    """Write the default result of every parameter-free saved query; returns rows per view."""
    folder = Path(store_path) / FOLDER
    folder.mkdir(exist_ok=True)
    manifest, rows = {}, {}
    for query in registry.list():
        if any(p.required for p in query.params):
            continue
        body = query.run(store).serialize(format=QueryResultsFormat.JSON)
        (folder / f"{query.name}.json").write_bytes(body)
        rows[query.name] = len(json.loads(body)["results"]["bindings"])
        manifest[query.name] = {"sha256": _sha(query), "rows": rows[query.name]}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return rows


def view_json(store_path: Path | str, query: SavedQuery, max_rows: int | None = None) -> bytes | None:
    """The materialised SPARQL JSON result of `query` without parameters, or None (missing or stale).

    Raises TooManyRows when the view has more than `max_rows` rows.
    """
    folder = Path(store_path) / FOLDER
    try:
        entry = json.loads((folder / MANIFEST).read_text(encoding="utf-8")).get(query.name, {})
        if entry.get("sha256") != _sha(query):
            return None
        if max_rows is not None and entry.get("rows", 0) > max_rows:
            raise TooManyRows(entry["rows"])
        return (folder / f"{query.name}.json").read_bytes()
    except (OSError, ValueError):
        return None


class TooManyRows(Exception):
    """A view larger than the caller's row cap."""

    def __init__(self, rows: int) -> None:
        super().__init__(f"{rows} rows")
        self.rows = rows


def view_results(store_path: Path | str, query: SavedQuery) -> QuerySolutions | None:
    """The materialised result as query solutions (as `SavedQuery.run` would give), or None."""
    body = view_json(store_path, query)
    if body is None:
        return None
    return parse_query_results(body, format=QueryResultsFormat.JSON)  # type: ignore[return-value]


def drop(store_path: Path | str) -> None:
    """Forget every view (after the store changed in place)."""
    manifest = Path(store_path) / FOLDER / MANIFEST
    manifest.unlink(missing_ok=True)
