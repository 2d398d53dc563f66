"""The statistics of the VoID description: sizes of the default graph, its classes and properties, the
named graphs, and when the store was built.

Counting a large store takes a few seconds, so the build computes them once and writes them into the
store folder (`kg.store.sidecar(path, "void")`); the server reads that file. A store without one (built
by an older version) gets them computed when first asked.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pyoxigraph import NamedNode, Store

from kg import store as kgstore

QUERIES = {
    "triples": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }",
    "distinctSubjects": "SELECT (COUNT(DISTINCT ?s) AS ?n) { ?s ?p ?o }",
    "distinctObjects": "SELECT (COUNT(DISTINCT ?o) AS ?n) { ?s ?p ?o }",
}
CLASSES = """SELECT ?c (COUNT(DISTINCT ?s) AS ?entities) (SUM(?k) AS ?triples)
{ { SELECT ?s (COUNT(*) AS ?k) { ?s ?p ?o } GROUP BY ?s } ?s a ?c } GROUP BY ?c ORDER BY DESC(?entities) ?c"""
PROPERTIES = "SELECT ?p (COUNT(*) AS ?triples) { ?s ?p ?o } GROUP BY ?p ORDER BY DESC(?triples) ?p"
RUNS = """SELECT (MIN(?end) AS ?created) (MAX(?end) AS ?modified)
{ GRAPH ?meta { ?run a prov:Activity ; prov:endedAtTime ?end } }"""


def compute(store: Store) -> dict[str, Any]:
    """The statistics of `store` as plain JSON-ready values."""
    data: dict[str, Any] = {k: _number(store, q) for k, q in QUERIES.items()}
    data["classes"] = [
        {"class": s["c"].value, "entities": int(s["entities"].value), "triples": int(s["triples"].value)}
        for s in store.query(CLASSES)
        if isinstance(s["c"], NamedNode)
    ]
    data["properties"] = [
        {"property": s["p"].value, "triples": int(s["triples"].value)} for s in store.query(PROPERTIES)
    ]
    base = kgstore.detect_base(store) or ""
    graphs = {"documents": 0, "reference": 0, "meta": 0}
    for graph in store.named_graphs():
        name = getattr(graph, "value", "")
        if name.startswith(base + "graph/doc/"):
            graphs["documents"] += 1
        elif name in (base + "graph/reference", base + "graph/meta"):
            graphs[name.rsplit("/", 1)[1]] = sum(1 for _ in store.quads_for_pattern(None, None, None, graph))
    data["graphs"] = graphs
    runs = next(iter(store.query(RUNS, prefixes=kgstore.PREFIXES)))  # type: ignore[call-overload]
    data["created"] = runs["created"].value if runs["created"] is not None else None
    data["modified"] = runs["modified"].value if runs["modified"] is not None else None
    return data


def _number(store: Store, query: str) -> int:
    return int(next(iter(store.query(query)))["n"].value)  # type: ignore[index]


def write(store: Store, store_path: Path | str) -> dict[str, Any]:
    """Compute the statistics of `store` and write them into the store folder at `store_path`."""
    data = compute(store)
    kgstore.write_sidecar(store_path, "void", json.dumps(data, ensure_ascii=False, indent=1))
    return data


def load(store_path: Path | str, store: Store | None = None) -> dict[str, Any]:
    """The store's statistics: its file, or computed from the store when there is none."""
    try:
        data = json.loads(kgstore.sidecar(store_path, "void").read_text(encoding="utf-8"))
        if isinstance(data, dict) and "classes" in data:
            return data
    except (OSError, ValueError):
        pass
    return compute(store if store is not None else kgstore.open_read(store_path))
