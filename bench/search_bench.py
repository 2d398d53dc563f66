"""The label search index on a built store: its size, the time to write and to load it, and search latency.

    python bench/search_bench.py --store STORE [--scale 12] [--url http://127.0.0.1:8000] [--out FILE.json]

1. Writes the index again from the store (`kg.search.from_store`, as `kg build` does) and times it.
2. Loads the index file as the server does (`kg.search.read`) and times it; reports the resident memory
   the loaded index adds.
3. Times `Index.search` (limit 10) in process over a fixed query set drawn with random.Random(13) from
   the index's own labels: for 200 labels, the first 1, 2, 3 and 5 letters, the whole label, and the
   first word plus 3 letters of the second; plus 200 misses. Median, p95 and max per kind of query.
4. With `--scale N`: the same over an index that holds every entity N times (new IRIs, same labels),
   so every prefix walk is N times as long as on this store: an upper bound for a store with N times
   the entities (100,000 documents is ~12x regeringen's 8,489).
5. With `--url`: the same queries as `GET /search?q=…` to a running `kg serve`, one client, keep-alive
   (round trip, median / p95).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import time
from pathlib import Path
from typing import Any

from kg import search
from kg import store as kgstore


def queries(index: search.Index) -> dict[str, list[str]]:
    rng = random.Random(13)
    labels = [index.hit(n).label for n in rng.sample(range(len(index)), min(200, len(index)))]
    normal = [search.normalise(label) for label in labels]
    two_words = [n.split(" ") for n in normal if " " in n]
    return {
        "1 letter": [n[:1] for n in normal],
        "2 letters": [n[:2] for n in normal],
        "3 letters": [n[:3] for n in normal],
        "5 letters": [n[:5] for n in normal],
        "whole label": labels,
        "word + 3 letters": [f"{w[0]} {w[1][:3]}" for w in two_words],
        "no match": [f"zq{rng.randrange(10**6)}" for _ in range(200)],
    }


def timed(run: Any, items: list[str]) -> dict[str, float]:
    times = []
    for item in items:
        started = time.perf_counter()
        run(item)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 3),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 3),
        "max_ms": round(times[-1], 3),
        "n": len(times),
    }


def scaled(index: search.Index, n: int) -> search.Index:
    """Every entity `n` times: copies get new IRIs and keep their labels and ranks' order."""
    entities: list[search._Entity] = []
    for i in range(len(index)):
        hit = index.hit(i)
        for copy in range(n):
            iri = hit.iri if copy == 0 else f"{hit.iri}/copy-{copy}"
            labels = (hit.label, *hit.alt_labels)
            entities.append(search._Entity(iri, hit.type, hit.cls, labels, hit.note, hit.mentions))
    return search.make(entities)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--scale", type=int, default=0, help="also time an index holding every entity N times")
    parser.add_argument("--url", default=None, help="base URL of a running `kg serve` on this store")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    out: dict[str, Any] = {"store": str(args.store)}

    store = kgstore.open_read(args.store)
    started = time.perf_counter()
    built = search.from_store(store)
    out["write_s"] = round(time.perf_counter() - started, 2)
    path = kgstore.sidecar(args.store, "search")
    before = rss_mb()
    started = time.perf_counter()
    index = search.read(args.store)
    out["load_ms"] = round((time.perf_counter() - started) * 1000, 1)
    assert index is not None and index.text() == built.text(), "the store's index file is not the one it makes"
    out["index"] = {"entities": len(index), "keys": len(index.keys), "file_bytes": path.stat().st_size}
    out["index"]["rss_added_mb"] = round(rss_mb() - before, 1)
    qs = queries(index)
    out["in_process"] = {kind: timed(index.search, items) for kind, items in qs.items()}
    if args.scale > 1:
        big = scaled(index, args.scale)
        started = time.perf_counter()
        search.Index.parse(big.text())
        out["scaled"] = {"times": args.scale, "entities": len(big), "keys": len(big.keys)}
        out["scaled"]["parse_ms"] = round((time.perf_counter() - started) * 1000, 1)
        out["scaled"]["file_bytes"] = len(big.text().encode("utf-8"))
        out["scaled"]["in_process"] = {kind: timed(big.search, items) for kind, items in qs.items()}
    if args.url:
        import httpx

        with httpx.Client(base_url=args.url, timeout=30) as client:
            client.get("/search", params={"q": "a"})  # the server reads the index on its first search
            out["http"] = {
                kind: timed(lambda q: client.get("/search", params={"q": q}).raise_for_status(), items)
                for kind, items in qs.items()
            }
    text = json.dumps(out, indent=1, ensure_ascii=False)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
