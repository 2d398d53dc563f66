"""What a store holds, for the home page: counts, publication dates, documents per year, top publishers.

Counting a large store takes seconds, so the build computes the overview once and writes it into
the store folder (`kg.store.sidecar(path, "overview")`); the server reads that file. A store without
one (built by an older version, or changed by SPARQL Update) gets it computed when first asked.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from pyoxigraph import DefaultGraph, NamedNode, Store

from kg import store as kgstore

SCHEMA = "https://schema.org/"
PREF_LABEL = NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
TOP_PUBLISHERS = 10


def compute(store: Store) -> dict[str, Any]:
    """The overview of `store` (its default graph) as plain JSON-ready values."""
    default = DefaultGraph()
    counts = kgstore.stats(store)
    counts["places"] = _distinct(store, "schema:Place")
    counts["projects"] = _distinct(store, "schema:Project")
    dates = [q.object.value for q in store.quads_for_pattern(None, NamedNode(SCHEMA + "datePublished"), None, default)]
    years = Counter(d[:4] for d in dates if d[:4].isdigit())
    publishers = Counter(
        q.object.value
        for q in store.quads_for_pattern(None, NamedNode(SCHEMA + "publisher"), None, default)
        if isinstance(q.object, NamedNode)
    )
    top = []
    for iri, documents in sorted(publishers.items(), key=lambda item: (-item[1], item[0]))[:TOP_PUBLISHERS]:
        labels = sorted(q.object.value for q in store.quads_for_pattern(NamedNode(iri), PREF_LABEL, None, default))
        top.append({"iri": iri, "label": labels[0] if labels else iri, "documents": documents})
    return {
        "counts": counts,
        "published": {"first": min(dates, default=None), "last": max(dates, default=None), "dated": len(dates)},
        "years": [{"year": int(y), "documents": n} for y, n in sorted(years.items())],
        "publishers": top,
        "publishers_total": len(publishers),
    }


def _distinct(store: Store, cls: str) -> int:
    query = f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a {cls} }}"
    return int(next(iter(store.query(query, prefixes=kgstore.PREFIXES)))["n"].value)  # type: ignore[index]


def write(store: Store, store_path: Path | str) -> dict[str, Any]:
    """Compute the overview of `store` and write it into the store folder at `store_path`."""
    data = compute(store)
    kgstore.write_sidecar(store_path, "overview", json.dumps(data, ensure_ascii=False, indent=1))
    return data


def read(store_path: Path | str) -> dict[str, Any] | None:
    """The overview a build wrote, or None."""
    try:
        data = json.loads(kgstore.sidecar(store_path, "overview").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and "counts" in data else None


def load(store_path: Path | str, store: Store | None = None) -> dict[str, Any]:
    """The store's overview: its file, or computed from the store when there is none."""
    data = read(store_path)
    if data is None:
        data = compute(store if store is not None else kgstore.open_read(store_path))
    return data
