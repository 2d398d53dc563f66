"""Throughput of `kg build --executor dask` against local worker processes, and the stores compared.

    python bench/dask_bench.py ../shared/corpus/regeringen --sample 1000 --workers 1 2 --rounds 2
    python bench/dask_bench.py ../shared/corpus/regeringen --workers 1 2
    python bench/dask_bench.py - --table --out bench/results/dask-bench.jsonl   # reprint as a table

For each round and each worker count it runs, one after the other, `kg build --workers N` with the local
processes, with `--executor dask` (a LocalCluster of N workers started by the build, its start counted),
and, with `--external`, with `--executor dask --scheduler` against a cluster started beforehand by
`dask scheduler` and `dask worker --nworkers N --nthreads 1` (its start not counted). Builds skip
validation, views and dumps, which do not depend on the executor. Documents per second are taken over
the extract phase and over extract + load (local with 1 worker loads after extraction, every other
build while extracting), and over the whole build; the start of a LocalCluster alone is timed too.
CPU seconds are those of the build's process tree (a LocalCluster's workers included, an external
cluster's not). Every Dask store is compared with the local store of the same round and worker count
by `canonical_nquads`. One JSON line per build goes to `--out`, with the load average before it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pyoxigraph import NamedNode, Store

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PROV = "http://www.w3.org/ns/prov#"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def sample_corpus(source: Path, folder: Path, count: int, stride: int = 8) -> Path:
    """Copy every `stride`th release of `source` by file name, the first `count` of them, with its manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.glob("*.txt"))[::stride][:count]:
        shutil.copy(path, folder / path.name)
    if (source / "manifest.csv").is_file():
        shutil.copy(source / "manifest.csv", folder / "manifest.csv")
    return folder


def canonical_nquads(store_path: Path) -> list[str]:
    """Every quad of the store as a sorted N-Quads line, apart from the build record: the run
    (prov:Activity, named by its start time, with its start and end) is left out, and its IRI in each
    document's `prov:wasGeneratedBy` becomes `<run>`. Raises AssertionError unless there is one run."""
    store = Store.read_only(str(store_path))
    runs = {q.subject for q in store.quads_for_pattern(None, RDF_TYPE, NamedNode(PROV + "Activity"))}
    assert len(runs) == 1, f"{store_path}: {len(runs)} build runs"
    (run,) = runs
    lines = []
    for quad in store.quads_for_pattern(None, None, None, None):
        if quad.subject == run:
            continue
        text = f"{quad} ."
        if quad.object == run:
            text = text.replace(str(run), "<run>")
        lines.append(text)
    lines.sort()
    return lines


def load_average() -> str:
    return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def external_cluster(workers: int) -> Iterator[str]:
    """`dask scheduler` and `dask worker --nworkers N --nthreads 1` on loopback, as docs/scaling.md starts them."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    log = open(ROOT / "bench" / "results" / "dask-cluster.log", "ab")  # noqa: SIM115
    scheduler = subprocess.Popen(
        [str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
        stdout=log,
        stderr=log,
    )
    worker = subprocess.Popen(
        [str(BIN / "dask"), "worker", address, "--nworkers", str(workers), "--nthreads", "1", "--no-dashboard"],
        stdout=log,
        stderr=log,
    )
    try:
        from distributed import Client

        with Client(address, timeout=30) as client:
            client.wait_for_workers(workers, timeout=60)
        yield address
    finally:
        for proc in (worker, scheduler):
            proc.terminate()
            proc.wait(timeout=30)
        log.close()


def cluster_start(workers: int) -> dict[str, object]:
    """Seconds until a LocalCluster of `workers` processes, as a build starts it, has run its first task."""
    from kg.dask_executor import DaskExecutor

    load = load_average()
    started = time.perf_counter()
    with DaskExecutor(workers=workers)._client() as client:
        client.submit(sum, [1, 2]).result()
        ready = time.perf_counter() - started
    return {"executor": "dask", "workers": workers, "cluster_start_s": round(ready, 2), "load_before": load}


def run_build(corpus: Path, store: Path, workers: int, executor: str, scheduler: str | None) -> dict[str, object]:
    """One `kg build`; wall seconds, the seconds of its extract phase and its documents."""
    args = [str(BIN / "kg"), "build", str(corpus), "--store", str(store), "--workers", str(workers)]
    args += ["--validate", "no", "--no-views", "--no-dumps", "--executor", "local" if executor == "local" else "dask"]
    if scheduler:
        args += ["--scheduler", scheduler]
    load = load_average()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the build and the processes it waited for
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr}")
    extract = float(re.search(r"extract ([\d.]+) s", done.stderr).group(1))  # type: ignore[union-attr]
    documents = int(re.search(r"built .*?: (\d+) documents", done.stderr).group(1))  # type: ignore[union-attr]
    return {
        "executor": executor,
        "workers": workers,
        "documents": documents,
        "wall_s": round(wall, 2),
        "extract_s": extract,
        "docs_per_s_extract": round(documents / extract, 1),
        "docs_per_s_wall": round(documents / wall, 1),
        "cpu_s": round(cpu, 1),  # of the command's process tree; not of an external cluster's workers
        "load_before": load,
        "timings": next(line for line in done.stderr.splitlines() if line.startswith("timings:")),
    }


def table(path: Path) -> str:
    """The builds of a results file as a Markdown table (documents per second over extract + load)."""
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    out = [
        "| round | workers | executor | documents | extract s | load after s | docs/s extract+load | wall s "
        "| docs/s wall | CPU s | same store | load average before |",
        "| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for row in rows:
        if "documents" not in row:
            out.append(
                f"| {row.get('round', '')} | {row['workers']} | LocalCluster start | | | | | {row['cluster_start_s']} "
                f"| | | | {row['load_before']} |"
            )
            continue
        load_after = float(re.search(r"load ([\d.]+) s", row["timings"]).group(1))  # type: ignore[union-attr]
        rate = row["documents"] / (row["extract_s"] + load_after)
        same = {True: "yes", False: "**no**", None: "(reference)"}[row.get("identical_to_local")]
        out.append(
            f"| {row['round']} | {row['workers']} | {row['executor']} | {row['documents']:,} | {row['extract_s']} "
            f"| {load_after} | {rate:.0f} | {row['wall_s']} | {row['docs_per_s_wall']:.0f} | {row.get('cpu_s', '')} "
            f"| {same} "
            f"| {row['load_before']} |"
        )
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path, help="a folder of releases (- with --table)")
    parser.add_argument("--sample", type=int, default=0, help="build every 8th release, the first N (0: all)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--external", action="store_true", help="also against a cluster started beforehand")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "dask-bench.jsonl")
    parser.add_argument("--table", action="store_true", help="print the results in --out as a table; no builds")
    args = parser.parse_args()
    if args.table:
        print(table(args.out))
        return
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    corpus = args.corpus
    if args.sample:
        corpus = results / f"regeringen-sample-{args.sample}"
        shutil.rmtree(corpus, ignore_errors=True)
        sample_corpus(args.corpus, corpus, args.sample)
    executors = ["local", "dask", *(["dask-external"] if args.external else [])]
    with args.out.open("a") as out:
        for round_ in range(1, args.rounds + 1):
            for workers in args.workers:
                row = cluster_start(workers)
                print(json.dumps(row), flush=True)
                out.write(json.dumps(row) + "\n")
                stores = {}
                for executor in executors:
                    store = results / f"dask-bench-{executor}-{workers}.oxigraph"
                    if executor == "dask-external":
                        with external_cluster(workers) as address:
                            row = run_build(corpus, store, workers, executor, address)
                    else:
                        row = run_build(corpus, store, workers, executor, None)
                    stores[executor] = store
                    if executor != "local":
                        row["identical_to_local"] = canonical_nquads(store) == canonical_nquads(stores["local"])
                    row.update(round=round_, corpus=str(args.corpus), sample=args.sample)
                    print(json.dumps(row), flush=True)
                    out.write(json.dumps(row) + "\n")
    print(f"load average after: {load_average()}")


if __name__ == "__main__":
    main()
