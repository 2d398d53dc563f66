"""Time from starting `kg serve` to its first answer, and the server's memory, on a built store.

`python bench/startup.py --store STORE [--runs 5] [--path '/sparql?query=ASK%7B%7D']` starts
`kg serve --store STORE` (default query workers) on a free loopback port, polls PATH every 10 ms
until it answers 200, and reports the seconds from process start to that answer, plus the resident
memory of the server's process tree (workers included) right after it and after a short mix of
saved-query requests. Medians over the runs; each run starts a fresh server.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from soak import tree_rss  # noqa: E402

KG = str(Path(sys.executable).parent / "kg")
MIX = ["/queries/speakers", "/queries/people", "/queries/quotes", "/queries/events?year=2019", "/queries/documents"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout: float = 30) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            r.read()
            return r.status
    except urllib.error.HTTPError as err:
        return err.code
    except OSError:
        return 0


def one_run(store: Path, path: str) -> dict[str, float]:
    port = free_port()
    started = time.perf_counter()
    proc = subprocess.Popen(
        [KG, "serve", "--store", str(store), "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        while get(f"http://127.0.0.1:{port}{path}", timeout=5) != 200:
            if proc.poll() is not None or time.perf_counter() - started > 60:
                raise SystemExit(f"kg serve did not answer (exit {proc.poll()})")
            time.sleep(0.01)
        first = time.perf_counter() - started
        rss_start = tree_rss(proc.pid)
        for p in MIX:
            get(f"http://127.0.0.1:{port}{p}")
        rss_mix = tree_rss(proc.pid)
        return {"first_s": first, "rss_after_first_mb": rss_start / 2**20, "rss_after_mix_mb": rss_mix / 2**20}
    finally:
        proc.terminate()
        proc.wait(10)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--path", default="/sparql?query=ASK%7B%7D")
    ap.add_argument("--out", type=Path)
    a = ap.parse_args()
    runs = [one_run(a.store, a.path) for _ in range(a.runs)]
    summary = {k: round(statistics.median(r[k] for r in runs), 3) for k in runs[0]}
    record = {"store": str(a.store), "path": a.path, "runs": runs, "median": summary}
    print(json.dumps(record["median"]))
    if a.out:
        a.out.write_text(json.dumps(record, indent=1))


if __name__ == "__main__":
    main()
