"""Time `validate_store` as it was against what `kg validate` does now, on the same store in one run.

    .venv/bin/python bench/validate_bench.py STORE                    # the whole store, 2 ways
    .venv/bin/python bench/validate_bench.py STORE --graphs 600 --all  # also one pyshacl call per graph

Prints, per way, wall seconds, CPU seconds of this process and its workers, the violations found and
the load average before and after; and checks that every way finds the same violations. The ways:
pyshacl with every shape in batches of 100 graphs (before the direct check), and with the direct
check of kg/validate_direct.py (after); with `--all` also one pyshacl call per graph and one process.
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from pathlib import Path

from kg import store as kgstore
from kg.validate import document_graphs, ontology_graph, shapes_graph, validate_store


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store", type=Path)
    ap.add_argument("--graphs", type=int, default=0, help="validate the first N document graphs (0: all)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--all", action="store_true", help="also one pyshacl call per graph, and batches in 1 process")
    args = ap.parse_args()
    store = kgstore.open_read(args.store)
    graphs = document_graphs(store)
    if args.graphs:
        graphs = graphs[: args.graphs]
    ontology_graph(), shapes_graph()
    parallel = {"workers": args.workers, "store_path": args.store}
    modes = {}
    if args.all:
        modes["every shape, one call per graph"] = {"batch_size": 1, "direct": False}
        modes["every shape, batches of 100, 1 process"] = {"direct": False}
    modes[f"every shape, batches of 100, {args.workers} processes (before)"] = {"direct": False, **parallel}
    modes[f"direct check, batches of 100, {args.workers} processes (after)"] = parallel
    found = []
    for name, options in modes.items():
        load = os.getloadavg()[0]
        t0, c0 = time.perf_counter(), _cpu()
        report = validate_store(store, graphs=graphs, **options)
        wall, cpu = time.perf_counter() - t0, _cpu() - c0
        found.append(report.violations)
        print(
            f"{name:58} {len(graphs)} graphs  {wall:6.1f} s wall  {cpu:6.1f} s CPU  "
            f"{len(report.violations)} violation(s)  load {load:.1f} before, {os.getloadavg()[0]:.1f} after",
            flush=True,
        )
    assert all(f == found[0] for f in found), "the ways disagree"


if __name__ == "__main__":
    main()
