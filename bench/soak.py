"""Soak test: `kg serve` on loopback under a mixed load for a few minutes; errors, p99 and memory over time.

`python bench/soak.py --store STORE [--minutes 3] [--connections 8]` starts `kg serve`, picks real IRIs
from the store, and runs wrk with a Lua script that cycles through saved queries (with and without
parameters), raw SPARQL (SELECT, ASK, CONSTRUCT), linked-data pages (HTML and Turtle) and the query
page. Every 10 s it samples the resident memory of the server's process tree. It prints wrk's summary
(requests/s, latency percentiles, non-2xx/3xx responses, socket errors) and the memory samples.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pyoxigraph import Store  # noqa: E402

from kg.store import PREFIXES, detect_base  # noqa: E402


def tree_rss(root: int) -> int:
    """Resident bytes of a process and all its descendants."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        stack += children.get(pid, [])
        try:
            with open(f"/proc/{pid}/statm") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            pass
    return total


def paths(store: Store, base: str) -> list[str]:
    """A mix of request paths over real entities of the store."""

    def first(q: str) -> str:
        return next(iter(store.query(q, prefixes=PREFIXES)))["x"].value

    person = first("SELECT ?x WHERE { ?q schema:spokenByCharacter ?x } LIMIT 1")
    org = first("SELECT ?x WHERE { ?q schema:sourceOrganization ?x . ?x a kgo:Municipality } LIMIT 1")
    doc = first("SELECT ?x WHERE { ?x a schema:NewsArticle } LIMIT 1")
    local = lambda iri: "/" + iri[len(base) :]  # noqa: E731
    q = urllib.parse.quote
    return [
        "/queries/speakers.json",
        "/queries/people.json",
        f"/queries/quotes.json?person={q(person)}",
        f"/queries/mentions-of.json?entity={q(org)}",
        f"/queries/contacts.json?person={q(person)}",
        "/sparql?query=" + q("ASK { ?s a foaf:Person }"),
        "/sparql?query=" + q(f"SELECT ?n WHERE {{ <{person}> foaf:name ?n }}"),
        "/sparql?query=" + q(f"CONSTRUCT WHERE {{ <{org}> ?p ?o }}") + "&format=ttl",
        local(person),
        local(org) + "?format=ttl",
        local(doc),
        "/",
    ]


LUA = """
paths = {%s}
i = 0
request = function()
  i = i + 1
  local accept = "text/html,application/sparql-results+json;q=0.9,*/*;q=0.8"
  return wrk.format("GET", paths[(i %% #paths) + 1], {["Accept"] = accept})
end
done = function(summary, latency, requests)
  io.write(string.format("requests %%d errors connect %%d read %%d write %%d status %%d timeout %%d\\n",
    summary.requests, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status,
    summary.errors.timeout))
  for _, p in pairs({50, 90, 99, 99.9}) do
    io.write(string.format("p%%g %%.2f ms\\n", p, latency:percentile(p) / 1000))
  end
end
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--minutes", type=float, default=3)
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--port", type=int, default=8790)
    args = ap.parse_args()
    store = Store.read_only(str(args.store))
    base = detect_base(store) or ""
    mix = paths(store, base)
    del store
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/kg"), "serve", "--store", str(args.store), "--port", str(args.port)],
        stderr=subprocess.DEVNULL,
    )
    samples: list[tuple[float, int]] = []
    try:
        for _ in range(100):
            try:
                import httpx

                if httpx.get(f"http://127.0.0.1:{args.port}/sparql", timeout=2).status_code == 200:
                    break
            except Exception:
                time.sleep(0.2)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
            lua.write(LUA % ", ".join(f'"{p}"' for p in mix))
        started = time.monotonic()
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                samples.append((time.monotonic() - started, tree_rss(server.pid)))
                stop.wait(10)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        duration = f"{int(args.minutes * 60)}s"
        out = subprocess.run(
            ["wrk", "-t2", f"-c{args.connections}", f"-d{duration}", "--timeout", "30s", "-s", lua.name,
             f"http://127.0.0.1:{args.port}"],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        stop.set()
        sampler.join()
        print(out.stdout)
        print("memory of kg serve (process tree), MB:")
        print("  " + "  ".join(f"{t:.0f}s:{rss / 2**20:.0f}" for t, rss in samples))
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
