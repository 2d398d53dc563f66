"""In-process latency of every saved query on a built store: default parameters and a typical filter.

`python bench/query_bench.py --store STORE [--repeat 15]` prints a table (median and p95 in ms, rows)
and writes it as JSON with `--out FILE`. Filter values are taken from the store itself (the first
municipality with a speaker, the first event, person, organisation, project, document, a year), so
the same script works on any corpus. Results are serialized to SPARQL JSON, as the server sends them.
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

from pyoxigraph import QueryResultsFormat, Store  # noqa: E402

from kg.queries import registry  # noqa: E402
from kg.store import PREFIXES  # noqa: E402

PICKS = {
    "municipality": "SELECT ?x WHERE { ?q schema:sourceOrganization ?x . ?x a kgo:Municipality } LIMIT 1",
    "event": "SELECT ?x WHERE { ?q schema:about ?x . ?x a schema:Event } LIMIT 1",
    "person": "SELECT ?x WHERE { ?q schema:spokenByCharacter ?x } LIMIT 1",
    "organisation": "SELECT ?x WHERE { ?q schema:sourceOrganization ?x } LIMIT 1",
    "project": "SELECT ?x WHERE { ?x a kgo:Project } LIMIT 1",
    "document": "SELECT ?x WHERE { ?x a schema:NewsArticle } LIMIT 1",
    "entity": "SELECT ?x WHERE { ?q schema:sourceOrganization ?x . ?x a kgo:Municipality } LIMIT 1",
    "publisher": "SELECT ?x WHERE { ?d schema:publisher ?x } LIMIT 1",
    "year": "SELECT (YEAR(?d) AS ?x) WHERE { ?e schema:startDate ?d } LIMIT 1",
    "class": None,
}
ORDER = ["municipality", "event", "person", "organisation", "project", "entity", "document", "publisher", "year"]


def pick_values(store: Store) -> dict[str, str]:
    values = {"class": "Municipality"}
    for name, query in PICKS.items():
        if query is None:
            continue
        rows = list(store.query(query, prefixes=PREFIXES))
        if rows and rows[0]["x"] is not None:
            values[name] = rows[0]["x"].value
    return values


def timed(store: Store, sparql: str, terms: dict, repeat: int) -> tuple[float, float, int]:
    samples, rows = [], 0
    from pyoxigraph import Variable

    subs = {Variable(k): v for k, v in terms.items()} or None
    for i in range(repeat + 2):
        t = time.perf_counter()
        result = store.query(sparql, substitutions=subs, prefixes=PREFIXES)
        body = result.serialize(format=QueryResultsFormat.JSON)
        elapsed = time.perf_counter() - t
        if i >= 2:
            samples.append(elapsed * 1000)
        rows = body.count(b'"bindings"') and json.loads(body)["results"]["bindings"].__len__()
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)], rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    store = Store.read_only(str(args.store))
    values = pick_values(store)
    results = []
    print(f"{'query':24} {'filter':14} {'median ms':>10} {'p95 ms':>8} {'rows':>7}")
    for q in registry().list():
        declared = [p.name for p in q.params]
        runs = []
        if not any(p.required for p in q.params):
            runs.append(("(default)", {}))
        name = next((n for n in ORDER if n in declared and n in values), None)
        if name:
            runs.append((name, {name: values[name]}))
        for label, params in runs:
            terms = q.bind(params)
            median, p95, rows = timed(store, q.sparql, terms, args.repeat)
            results.append({"query": q.name, "filter": label, "median_ms": median, "p95_ms": p95, "rows": rows})
            print(f"{q.name:24} {label:14} {median:10.1f} {p95:8.1f} {rows:7}")
    if args.out:
        args.out.write_text(json.dumps({"values": values, "results": results}, indent=1))


if __name__ == "__main__":
    main()
