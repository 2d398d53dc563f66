"""In-process latency of every saved query on a built store: without parameters and with each filter.

`python bench/query_bench.py --store STORE [--repeat 15] [--live] [--remake-views 2] [--out FILE]` prints a table
(median and p95 in ms, rows) and writes it as JSON with `--out FILE`. Two paths are timed:

- **served**: what `kg query` and `kg serve` do for a saved query: read the answer from the
  query's materialised view (kg/views.py; an index lookup per parameter), `mentions-of` from its
  entity index (kg/mentions.py), or evaluate it live when neither is there. The answer is SPARQL
  JSON bytes. `(first 100)` is the first page (offset 0, limit 100) of the whole answer, or of the
  filtered answer of a query that needs a parameter.
- **live** (with `--live`): the saved query's SPARQL evaluated by pyoxigraph with the parameters
  bound, serialized to SPARQL JSON; whole-corpus (no parameter) runs are timed once each, since
  they take seconds.

Filter values are taken from the store itself (the most-quoted municipality, the event with the
most quotes, the most-quoted person, ...), so the same script works on any corpus.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pyoxigraph import QueryResultsFormat, Store, Variable  # noqa: E402

from kg import views  # noqa: E402
from kg.queries import SavedQuery, registry  # noqa: E402
from kg.store import PREFIXES  # noqa: E402

_TOP = "SELECT ?x (COUNT(*) AS ?n) WHERE { %s } GROUP BY ?x ORDER BY DESC(?n) ?x LIMIT 1"
PICKS = {
    "municipality": _TOP % "?q schema:sourceOrganization ?x . ?x a kgo:Municipality",
    "event": _TOP % "?q schema:about ?x . ?x a schema:Event",
    "person": _TOP % "?q schema:spokenByCharacter ?x",
    "organisation": _TOP % "?q schema:sourceOrganization ?x",
    "project": _TOP % "?x a schema:Project ; cv:hasParticipation ?p",
    "document": "SELECT ?x WHERE { ?x a schema:NewsArticle } ORDER BY ?x LIMIT 1",
    "entity": _TOP % "?q schema:sourceOrganization ?x . ?x a kgo:Municipality",
    "publisher": _TOP % "?d schema:publisher ?x",
    "year": "SELECT ?x (COUNT(*) AS ?n) WHERE { ?e schema:startDate ?d BIND(YEAR(?d) AS ?x) } GROUP BY ?x "
    "ORDER BY DESC(?n) LIMIT 1",
    "class": None,
}


def pick_values(store: Store) -> dict[str, str]:
    values = {"class": "Municipality"}
    for name, query in PICKS.items():
        if query is None:
            continue
        rows = list(store.query(query, prefixes=PREFIXES))
        if rows and rows[0]["x"] is not None:
            values[name] = rows[0]["x"].value
    return values


def _stats(samples: list[float]) -> tuple[float, float]:
    samples = sorted(samples)
    return statistics.median(samples), samples[max(0, round(len(samples) * 0.95) - 1)]


def served(
    store_path: Path, store: Store, query: SavedQuery, terms: dict, repeat: int, page: tuple[int, int] | None = None
) -> tuple[float, float, int]:
    """Median and p95 ms of answering as kg query / kg serve do (view, else live), and the rows."""
    samples, body = [], b""
    for i in range(repeat + 2):
        t = time.perf_counter()
        body = views.view_json(store_path, query, terms, page=page)
        if body is None:
            body = live_body(store, query, terms)
        if i >= 2:
            samples.append((time.perf_counter() - t) * 1000)
    return (*_stats(samples), len(json.loads(body)["results"]["bindings"]))


def live_body(store: Store, query: SavedQuery, terms: dict) -> bytes:
    subs = {Variable(k): v for k, v in terms.items()} or None
    return store.query(query.sparql, substitutions=subs, prefixes=PREFIXES).serialize(format=QueryResultsFormat.JSON)


def live(store: Store, query: SavedQuery, terms: dict, repeat: int) -> tuple[float, float, int]:
    samples, body = [], b""
    for _ in range(repeat):
        t = time.perf_counter()
        body = live_body(store, query, terms)
        samples.append((time.perf_counter() - t) * 1000)
    return (*_stats(samples), len(json.loads(body)["results"]["bindings"]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--live", action="store_true", help="also time live SPARQL evaluation")
    ap.add_argument("--live-repeat", type=int, default=5, help="repeats of a filtered live query")
    ap.add_argument("--out", type=Path)
    ap.add_argument("--remake-views", type=int, metavar="WORKERS", help="first drop and remake the views, timed")
    args = ap.parse_args()
    if args.remake_views:
        views.drop(args.store)
        t = time.perf_counter()
        rows = views.materialise(args.store, args.store, registry(), workers=args.remake_views)
        print(f"views remade in {time.perf_counter() - t:.1f} s with {args.remake_views} workers: {rows}", flush=True)
    store = Store.read_only(str(args.store))
    values = pick_values(store)
    results = []
    print(f"{'query':24} {'filter':14} {'served ms':>10} {'p95':>8} {'rows':>7} {'live ms':>10} {'p95':>8}")
    for q in registry().list():
        runs = [("(none)", {}), ("(first 100)", {})] if views.viewable(q) else []
        runs += [(p.name, {p.name: values[p.name]}) for p in q.params if p.name in values]
        if any(p.required for p in q.params):
            runs = [(label, params) for label, params in runs if all(p.name in params for p in q.params if p.required)]
            runs += [(f"{label} (first 100)", params) for label, params in runs]  # a page of the filtered answer
        for label, params in runs:
            terms = q.bind(params)
            page = (0, 100) if label.endswith("(first 100)") else None
            median, p95, rows = served(args.store, store, q, terms, args.repeat, page)
            row = {"query": q.name, "filter": label, "value": params.get(label), "median_ms": median, "p95_ms": p95}
            row["rows"] = rows
            line = f"{q.name:24} {label:14} {median:10.2f} {p95:8.2f} {rows:7}"
            if args.live and page is None:
                lmed, lp95, lrows = live(store, q, terms, 1 if not terms else args.live_repeat)
                assert lrows == rows, (q.name, label, lrows, rows)
                row.update(live_median_ms=lmed, live_p95_ms=lp95)
                line += f" {lmed:10.1f} {lp95:8.1f}"
            results.append(row)
            print(line, flush=True)
    if args.out:
        args.out.write_text(json.dumps({"store": str(args.store), "values": values, "results": results}, indent=1))


if __name__ == "__main__":
    main()
