"""Entity pages at scale: server time, HTML size and rendered height of the biggest entity pages.

    python bench/entity_page_bench.py --store STORE [--top 3] [--entity id/person/ebba-busch ...] [--out FILE.json]
        [--library-only]

1. Picks the `--top` people and organisations with the most `kgo:evidence` spans in the default graph (plus
   any `--entity` path), by SPARQL on the store.
2. Times `kg.entity.summary` and `kg.entity.evidence` in process (median of 3), the SPARQL behind the
   page's summary and the order of its evidence, and each query of kg/data/entity/ that has rows for it.
3. Starts `kg serve` on a loopback port (tests/live_server.py) and times `GET /{path}` (HTML) with one
   keep-alive client: the first request (the server keeps the summaries of the last 256 entities) and the
   median and max of 5 more, ms.
4. Opens each page in headless Chromium (tests/chromium.py) at 1300 × 900 and reports the page's height
   (`document.documentElement.scrollHeight`, px), the evidence snippets and property rows it shows, and
   where the summary (`#summary`) and the evidence (`section.evidence`) start, when the page has them.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import time
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from chromium import launch  # noqa: E402
from live_server import live_server  # noqa: E402

from kg import entity  # noqa: E402
from kg import store as kgstore  # noqa: E402

BIGGEST = """SELECT ?e (COUNT(?span) AS ?n) WHERE {{ ?e a {cls} ; kgo:evidence ?span }}
GROUP BY ?e ORDER BY DESC(?n) LIMIT {top}"""
MEASURE = """() => {
  const top = sel => { const el = document.querySelector(sel); return el ? Math.round(el.getBoundingClientRect().top
    + window.scrollY) : null; };
  return {height: document.documentElement.scrollHeight,
          snippets: document.querySelectorAll('section.evidence blockquote').length,
          property_rows: document.querySelectorAll('section.properties tbody tr').length,
          summary_top: top('#summary'), evidence_top: top('section.evidence')};
}"""


def biggest(store_path: Path, top: int) -> list[tuple[str, int]]:
    """(path under the base, evidence spans) of the `top` people and organisations with the most evidence."""
    store = kgstore.open_read(store_path)
    base = kgstore.detect_base(store) or "https://w3id.org/sv-press-kg/"
    out = []
    for cls in ("foaf:Person", "org:Organization"):
        query = BIGGEST.format(cls=cls, top=top)
        found = store.query(query, prefixes=kgstore.PREFIXES)
        out += [(sol["e"].value[len(base) :], int(sol["n"].value)) for sol in found]
    return out


def median_ms(run: Any, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 1)


def library_times(store_path: Path, path: str) -> dict[str, Any]:
    """Milliseconds (median of 3) of `kg.entity.summary` and `kg.entity.evidence` in this process, and of each
    query of kg/data/entity/ that returns rows for the entity."""
    store = kgstore.open_read(store_path)
    iri = (kgstore.detect_base(store) or "https://w3id.org/sv-press-kg/") + path
    out: dict[str, Any] = {
        "summary_ms": median_ms(lambda: entity.summary(store, iri)),
        "evidence_ms": median_ms(lambda: entity.evidence(store, iri)),
        "queries_ms": {},
    }
    for rq in sorted((files("kg") / "data" / "entity").iterdir(), key=lambda f: f.name):
        if rq.name.endswith(".rq") and entity._run(store, rq.name[:-3], iri):
            out["queries_ms"][rq.name[:-3]] = median_ms(lambda rq=rq: entity._run(store, rq.name[:-3], iri))
    return out


def fetch_times(url: str, path: str, runs: int = 5) -> tuple[list[float], int]:
    """Milliseconds per GET of the HTML page, the first one (cold: nothing of the entity kept yet) and `runs`
    more; and its size in bytes."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    times, size = [], 0
    for _ in range(runs + 1):
        start = time.perf_counter()
        conn.request("GET", "/" + path, headers={"Accept": "text/html"})
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise SystemExit(f"GET /{path}: {response.status}")
        times.append((time.perf_counter() - start) * 1000)
        size = len(body)
    conn.close()
    return times, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--top", type=int, default=3, help="people and organisations with the most evidence")
    parser.add_argument("--entity", action="append", default=[], help="a path such as id/person/ebba-busch")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--library-only", action="store_true", help="only the in-process timings (step 2)")
    args = parser.parse_args()
    pages = [(p, None) for p in args.entity] + biggest(args.store, args.top)
    results: list[dict[str, Any]] = []
    library = {path: library_times(args.store, path) for path, _ in pages}
    if args.library_only:
        for path, spans in pages:
            results.append({"path": path, "evidence_spans": spans, **library[path]})
            print(json.dumps(results[-1], ensure_ascii=False), flush=True)
        if args.out:
            args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return
    with live_server(args.store, query_workers=1, startup=120) as url, launch() as browser:
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        page.set_default_timeout(120_000)
        fetch_times(url, "ontology", runs=0)  # the server's own first-request costs, before any entity
        for path, spans in pages:
            times, size = fetch_times(url, path)
            page.goto(url + path)
            row = {"path": path, "evidence_spans": spans, "first_ms": round(times[0], 1),
                   "median_ms": round(statistics.median(times[1:]), 1), "max_ms": round(max(times[1:]), 1),
                   **library.get(path, {}), "html_bytes": size, **page.evaluate(MEASURE)}  # fmt: skip
            results.append(row)
            print(json.dumps(row, ensure_ascii=False), flush=True)
    if args.out:
        args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
