"""Time `validate_store` one pyshacl call per graph (the old way) against batches and workers.

    .venv/bin/python bench/validate_bench.py /tmp/valwork/store --graphs 1000

Prints, per mode, wall seconds, CPU seconds of this process and its workers, the violations found
and the load average before the run; and checks that every mode finds the same violations.
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
    args = ap.parse_args()
    store = kgstore.open_read(args.store)
    graphs = document_graphs(store)
    if args.graphs:
        graphs = graphs[: args.graphs]
    ontology_graph(), shapes_graph()
    modes = {
        "one call per graph (before)": {"batch_size": 1},
        "batches of 100, 1 process": {},
        f"batches of 100, {args.workers} processes": {"workers": args.workers, "store_path": args.store},
    }
    found = []
    for name, options in modes.items():
        load = os.getloadavg()[0]
        t0, c0 = time.perf_counter(), _cpu()
        report = validate_store(store, graphs=graphs, **options)
        wall, cpu = time.perf_counter() - t0, _cpu() - c0
        found.append(report.violations)
        print(
            f"{name:36} {len(graphs)} graphs  {wall:6.1f} s wall  {cpu:6.1f} s CPU  "
            f"{len(report.violations)} violation(s)  load before {load:.1f}"
        )
    assert all(f == found[0] for f in found), "the modes disagree"


if __name__ == "__main__":
    main()
