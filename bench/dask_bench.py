"""Throughput of `kg build --executor dask` against local worker processes, and the stores compared.

    python bench/dask_bench.py ../shared/corpus/regeringen --sample 1000 --workers 1 2 --rounds 2
    python bench/dask_bench.py ../shared/corpus/regeringen --workers 1 2

For each round and each worker count it runs, one after the other, `kg build --workers N` with the local
processes, with `--executor dask` (a LocalCluster of N workers started by the build, its start counted),
and, with `--external`, with `--executor dask --scheduler` against a cluster started beforehand by
`dask scheduler` and `dask worker --nworkers N --nthreads 1` (its start not counted). Builds skip
validation, views and dumps, which do not depend on the executor. Documents per second are taken over
the extract phase (extraction with the overlapped bulk load) and over the whole build. Every Dask store
is compared with the local store of the same round and worker count by `canonical_nquads`. One JSON line
per build goes to `--out`, with the load average before it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
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


def run_build(corpus: Path, store: Path, workers: int, executor: str, scheduler: str | None) -> dict[str, object]:
    """One `kg build`; wall seconds, the seconds of its extract phase and its documents."""
    args = [str(BIN / "kg"), "build", str(corpus), "--store", str(store), "--workers", str(workers)]
    args += ["--validate", "no", "--no-views", "--no-dumps", "--executor", "local" if executor == "local" else "dask"]
    if scheduler:
        args += ["--scheduler", scheduler]
    load = load_average()
    started = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True)
    wall = time.perf_counter() - started
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
        "load_before": load,
        "timings": next(line for line in done.stderr.splitlines() if line.startswith("timings:")),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--sample", type=int, default=0, help="build every 8th release, the first N (0: all)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--external", action="store_true", help="also against a cluster started beforehand")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "dask-bench.jsonl")
    args = parser.parse_args()
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
