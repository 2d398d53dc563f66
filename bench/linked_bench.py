"""Linked-data figures of a built store: the dumps and VoID statistics a build writes, and, against a running
`kg serve`, dump downloads, JSON-LD round trips and the VoID description.

    python bench/linked_bench.py --store STORE [--rounds 2] [--check] [--url http://127.0.0.1:8000] [--out FILE.json]

1. Writes the dumps again from the store into a temporary folder (`kg.dumps.write`, as `kg build` does):
   seconds (wall) and CPU seconds, with the machine's load average; their sizes. With `--rounds N`, N times
   alternately at once (as the build does) and one file after the other.
2. Computes the VoID statistics again (`kg.void.compute`, as `kg build` does) and times it.
3. With `--check`: reads the store's own dump files back and counts their quads and triples against the
   store's (all quads; the default graph's triples).
4. With `--url`: downloads /dumps/kg.ttl.gz and /dumps/kg.nq.gz (time to the first byte and in all, bytes,
   Content-Type, Content-Encoding); dereferences the VoID's example resources, /graph/reference and
   /graph/meta as JSON-LD with rdflib (which fetches /context.jsonld itself) and with pyld, and compares
   both with the N-Triples of the same URL (the paging triple, whose subject is the URL asked, left out);
   reports what the VoID states (licence, publisher, dates, examples, partitions) and how long it took.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from kg import dumps, void
from kg import store as kgstore

HYDRA_NEXT = "http://www.w3.org/ns/hydra/core#next"


def write_dumps(store_path: Path, rounds: int) -> dict[str, Any]:
    store = kgstore.open_read(store_path)
    out: dict[str, Any] = {"runs": []}
    for _ in range(rounds):
        for mode in ("at once", "one after the other"):
            with tempfile.TemporaryDirectory(prefix="linked-bench-") as folder:
                load = os.getloadavg()[0]
                wall, cpu = time.perf_counter(), time.process_time()
                if mode == "at once":
                    dumps.write(store, folder)
                else:
                    dumps.folder(folder).mkdir()
                    for dump in dumps.DUMPS.values():
                        dumps._write_one(store, dumps.folder(folder), dump)
                out["runs"].append({"mode": mode, "wall": round(time.perf_counter() - wall, 1),
                                    "cpu": round(time.process_time() - cpu, 1), "load": round(load, 1)})  # fmt: skip
                out["bytes"] = {d.name: dumps.path(folder, d).stat().st_size for d in dumps.DUMPS.values()}
    started = time.perf_counter()
    stats = void.compute(store)
    out["void_seconds"] = round(time.perf_counter() - started, 2)
    out["triples"] = stats["triples"]
    return out


def check(store_path: Path) -> dict[str, int]:
    """Quads in the store's kg.nq.gz and in the store; triples in its kg.ttl.gz and in the default graph."""
    import gzip

    from pyoxigraph import DefaultGraph, RdfFormat, parse

    store = kgstore.open_read(store_path)
    with gzip.open(dumps.path(store_path, dumps.DUMPS["kg.nq.gz"])) as f:
        nq = sum(1 for _ in parse(f, format=RdfFormat.N_QUADS))
    with gzip.open(dumps.path(store_path, dumps.DUMPS["kg.ttl.gz"])) as f:
        ttl = sum(1 for _ in parse(f, format=RdfFormat.TURTLE))
    default = sum(1 for _ in store.quads_for_pattern(None, None, None, DefaultGraph()))
    return {"nq_quads": nq, "store_quads": len(store), "ttl_triples": ttl, "default_triples": default}


def fetch(url: str, accept: str = "*/*") -> tuple[bytes, dict[str, str], float, float]:
    started = time.perf_counter()
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": accept}), timeout=120) as res:
        first = res.read(1)
        first_byte = time.perf_counter() - started
        body = first + res.read()
        return body, dict(res.headers), first_byte, time.perf_counter() - started


def round_trip(url: str) -> dict[str, Any]:
    import rdflib
    from pyld import jsonld
    from rdflib.compare import isomorphic

    def without_paging(graph: rdflib.Graph) -> rdflib.Graph:
        graph.remove((None, rdflib.URIRef(HYDRA_NEXT), None))
        return graph

    body, _, _, seconds = fetch(url, "application/ld+json")
    nt, _, _, _ = fetch(url, "application/n-triples")
    expected = without_paging(rdflib.Graph().parse(data=nt.decode(), format="nt"))
    started = time.perf_counter()
    by_rdflib = without_paging(rdflib.Graph().parse(url, format="json-ld"))
    rdflib_seconds = time.perf_counter() - started
    started = time.perf_counter()
    nquads = jsonld.to_rdf(json.loads(body), {"format": "application/n-quads"})
    pyld_seconds = time.perf_counter() - started
    by_pyld = without_paging(rdflib.Graph().parse(data=nquads, format="nquads"))
    return {
        "url": url, "bytes": len(body), "seconds": round(seconds, 3), "triples": len(expected),
        "context": json.loads(body).get("@context"),
        "rdflib_same": isomorphic(by_rdflib, expected), "rdflib_seconds": round(rdflib_seconds, 2),
        "pyld_same": isomorphic(by_pyld, expected), "pyld_seconds": round(pyld_seconds, 2),
    }  # fmt: skip


def served(url: str) -> dict[str, Any]:
    import rdflib

    out: dict[str, Any] = {"dumps": {}}
    for name in ("kg.ttl.gz", "kg.nq.gz"):
        body, headers, first_byte, total = fetch(f"{url}/dumps/{name}")
        out["dumps"][name] = {
            "bytes": len(body), "first_byte_seconds": round(first_byte, 3), "seconds": round(total, 3),
            "content_type": headers.get("content-type"), "content_encoding": headers.get("content-encoding"),
        }  # fmt: skip
    body, _, _, seconds = fetch(f"{url}/.well-known/void", "text/turtle")
    graph = rdflib.Graph().parse(data=body.decode(), format="turtle")
    VOID, DCT = rdflib.Namespace("http://rdfs.org/ns/void#"), rdflib.DCTERMS
    (ds,) = graph.subjects(rdflib.RDF.type, VOID.Dataset)
    examples = [str(e) for e in graph.objects(ds, VOID.exampleResource)]
    out["void"] = {
        "seconds": round(seconds, 3),
        "license": [str(v) for v in graph.objects(ds, DCT.license)],
        "publisher": [str(n) for p in graph.objects(ds, DCT.publisher) for n in graph.objects(p, rdflib.FOAF.name)],
        "created": [str(v) for v in graph.objects(ds, DCT.created)],
        "triples": [int(v) for v in graph.objects(ds, VOID.triples)],
        "examples": examples,
        "class_partitions": len(list(graph.objects(ds, VOID.classPartition))),
        "property_partitions": len(list(graph.objects(ds, VOID.propertyPartition))),
        "data_dumps": [str(v) for v in graph.objects(ds, VOID.dataDump)],
    }
    base = next(str(v) for v in graph.objects(ds, VOID.uriSpace))
    paths = [e[len(base) :] for e in examples if e.startswith(base)] + ["graph/reference", "graph/meta"]
    out["round_trips"] = [round_trip(f"{url}/{path}") for path in paths]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=1, help="times to write the dumps each way")
    parser.add_argument("--check", action="store_true", help="count the store's dump files against the store")
    parser.add_argument("--url", help="a running kg serve of the same store")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    result: dict[str, Any] = {"store": str(args.store), "build": write_dumps(args.store, args.rounds)}
    if args.check:
        result["check"] = check(args.store)
    if args.url:
        result["served"] = served(args.url.rstrip("/"))
    text = json.dumps(result, indent=1, ensure_ascii=False)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
