"""Validate many document graphs in one pyshacl call, with the results of one call per graph.

pyshacl's cost per call (mixing in the ontology, harvesting the shapes, building each constraint
for each shape) is about as large as validating a small document, so kg/validate.py joins
`BATCH_SIZE` document graphs into one rdflib graph. Joined naively, documents would leak into
each other: a person named differently in two documents would get two names, an organisation
typed in one document and evidenced in another would pass. So before joining, every node that
is described (is a subject, or the object of a `sh:targetObjectsOf` predicate) in one document's
graph and appears in another's is renamed per document: `<x>` becomes `<urn:kgv:{i}:x>` in the
i-th document (a blank node `_:b` becomes `_:kgv{i}_b`). The joined graph is then the disjoint
union of the documents' graphs, and each result is attributed to the document its (renamed)
focus node belongs to, with the original IRIs put back into focus, value and message.

Nodes that are only ever objects (a role IRI such as `def/project-role/funder`, a class) keep
their IRI: what a shape checks about them (IRI or not, pattern, `sh:in`, their absent types) is
the same in every document, so sharing them changes nothing; a result whose focus node appears
in several documents is given to each of them. Shapes that look at a node's incoming triples
(`sh:inversePath`) or name nodes (`sh:targetNode`) would break this, so with such shapes
`batchable()` is False and kg/validate.py falls back to one call per graph.

The renamed IRI keeps the original as its suffix, so `$`-anchored `sh:pattern`s on IRIs (the
only kind in shapes.ttl) see the same ending. tests/test_validate_batch.py checks that batches
give exactly the results of one call per graph on a real store with broken documents.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from pyoxigraph import NamedNode
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.interrupt import ignore_in_worker, workers_ignore_interrupt
from kg.progress import Phase
from kg.validate import (
    SH,
    Violation,
    _DataGraph,
    ontology_graph,
    run_pyshacl,
    shapes_graph,
    sort_key,
    violations,
)
from kg.vocab import RDF, SCHEMA

_RENAMED = re.compile(r"urn:kgv:\d+:|kgv\d+_")


@lru_cache(maxsize=1)
def batchable() -> bool:
    """False when the shapes look at incoming triples or name nodes (then: one call per graph)."""
    sg = shapes_graph()
    return not any(True for _ in sg.subject_objects(SH.inversePath)) and not any(
        True for _ in sg.subject_objects(SH.targetNode)
    )


@lru_cache(maxsize=1)
def _vocabulary() -> frozenset[Node]:
    """IRIs of the ontology and the shapes (classes, properties, sh:in values): never renamed."""
    nodes: set[Node] = set()
    for g in (ontology_graph(), shapes_graph()):
        nodes.update(n for n in g.all_nodes() if isinstance(n, URIRef))
    return frozenset(nodes)


@lru_cache(maxsize=1)
def _target_object_predicates() -> frozenset[Node]:
    return frozenset(shapes_graph().objects(None, SH.targetObjectsOf))


def _rename(node: Node, i: int) -> Node:
    if isinstance(node, BNode):
        return BNode(f"kgv{i}_{node}")
    return URIRef(f"urn:kgv:{i}:{node}")


def _original(text: str) -> str:
    return _RENAMED.sub("", text)


def _document_of(triples: Iterable[tuple[Node, Node, Node]]) -> str | None:
    """The schema:NewsArticle a document graph describes (the first, sorted, if several): as `the_document`."""
    documents = sorted(str(s) for s, p, o in triples if p == RDF.type and o == SCHEMA.NewsArticle)
    return documents[0] if documents else None


def validate_batch(
    items: Sequence[tuple[str, Iterable[tuple[Node, Node, Node]]]], shapes: Graph | None = None
) -> list[Violation]:
    """Validate (graph IRI, data graph or its triples) pairs in one pyshacl call with `shapes` (default
    shapes.ttl); results as if one call each."""
    items = [(graph, list(data)) for graph, data in items]
    vocabulary = _vocabulary()
    target_predicates = _target_object_predicates()
    seen_in: dict[Node, list[int]] = {}
    described: set[Node] = set()
    for i, (_, data) in enumerate(items):
        nodes: set[Node] = set()
        for s, p, o in data:
            nodes.add(s)
            described.add(s)
            if not isinstance(o, Literal):
                nodes.add(o)
                if p in target_predicates:
                    described.add(o)
        for n in nodes:
            seen_in.setdefault(n, []).append(i)
    shared = {n for n in described if len(seen_in[n]) > 1 and n not in vocabulary}

    joined = _DataGraph()
    for i, (_, data) in enumerate(items):
        for s, p, o in data:
            joined.add(
                (
                    _rename(s, i) if s in shared else s,
                    p,
                    _rename(o, i) if o in shared else o,
                )
            )
    documents = [_document_of(data) for _, data in items]
    results = run_pyshacl(joined, shapes)

    per_graph: dict[int, list[Violation]] = {}
    renamed_index = re.compile(r"^(?:urn:kgv:|kgv)(\d+)[:_]")
    for v in violations(results):
        m = renamed_index.match(v.focus)
        if m:
            owners = [int(m[1])]
        else:
            owners = seen_in.get(URIRef(v.focus)) or seen_in.get(BNode(v.focus)) or list(range(len(items)))
        fixed = replace(
            v,
            focus=_original(v.focus),
            value=None if v.value is None else _original(v.value),
            message=_original(v.message),
        )
        for i in owners:
            per_graph.setdefault(i, []).append(replace(fixed, graph=items[i][0], document=documents[i]))
    out: list[Violation] = []
    for i in range(len(items)):
        out.extend(sorted(per_graph.get(i, []), key=sort_key))
    return out


# ---------------------------------------------------------------------------------------------
# worker processes


_WORKER_STORE = None


def _worker_batch(job: tuple[int, str, list[str], bool, int, bool]) -> tuple[int, list[Violation]]:
    global _WORKER_STORE
    from kg import store as kgstore
    from kg.validate import validate_graphs

    k, store_path, graphs, reference, batch_size, direct = job
    if _WORKER_STORE is None:
        _WORKER_STORE = kgstore.open_read(store_path)
    graph_nodes = [NamedNode(g) for g in graphs]
    return k, validate_graphs(_WORKER_STORE, graph_nodes, reference=reference, batch_size=batch_size, direct=direct)


def run_parallel(
    store_path: str | Path,
    chunks: list[list[NamedNode]],
    reference: bool,
    batch_size: int,
    workers: int,
    step: Phase,
    direct: bool = True,
) -> list[list[Violation]]:
    """Validate the chunks in `workers` processes, each opening the store read-only; in order.
    `step` counts the graphs done. Ctrl-C reaches only this process, which ends the workers."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    results: list[list[Violation]] = [[] for _ in chunks]
    jobs = [
        (k, os.fspath(store_path), [g.value for g in chunk], reference, batch_size, direct)
        for k, chunk in enumerate(chunks)
    ]
    with workers_ignore_interrupt():
        pool = context.Pool(min(workers, len(chunks)), initializer=ignore_in_worker)
    with pool:  # leaving it, also by Ctrl-C, terminates the workers
        for k, found in pool.imap_unordered(_worker_batch, jobs):
            results[k] = found
            step.advance(len(chunks[k]))
    return results
