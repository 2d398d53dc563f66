"""Validate a built store against the SHACL shapes of the data contract (ontology/shapes.ttl).

Each document graph `graph/doc/{docid}` is validated on its own (so a person's name, which may
differ between documents, is checked per document, and every problem is reported with the graph
it comes from), joined with the reference-graph description of the resources it uses. The
ontology (`kg.ttl` + the vendored `imports.ttl`) is given to pyshacl as `ont_graph`, so that
`sh:class org:Organization` accepts a `kgo:Municipality`. The ontology files are read from the
package copies in `kg/data/ontology/` (tests/test_vocab.py keeps them equal to `ontology/`).
Graphs go to pyshacl 100 at a time (kg/validate_batch.py), and those that kg/validate_direct.py
finds clean of span and organisation-class problems without the shapes for those: the report is
pyshacl's either way, found about three times faster.

    report = validate_store(store)
    print(format_report(report))

The store is never opened here: callers pass a `pyoxigraph.Store` (see kg/store.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyshacl
from pyoxigraph import BlankNode, NamedNode, Store
from pyoxigraph import Literal as OxLiteral
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from kg.progress import Progress
from kg.vocab import PREFIXES, RDF, SCHEMA, SH, SHAPES_IRI, XSD, ontology_files

_DOC_GRAPH = re.compile(r"^(?P<base>.*/)graph/doc/(?P<docid>[^/]+)$")
_XSD_STRING = str(XSD.string)
_RDF_LANGSTRING = str(RDF.langString)
BATCH_SIZE = 100  # document graphs per pyshacl call (see kg/validate_batch.py)
Triple = tuple[Node, Node, Node]
_SEVERITY = {str(SH.Violation): "Violation", str(SH.Warning): "Warning", str(SH.Info): "Info"}


@dataclass(frozen=True)
class Violation:
    """One SHACL validation result."""

    graph: str  # the document graph IRI ("" for a graph validated on its own)
    document: str | None  # the schema:NewsArticle of that graph
    shape: str  # the node shape (kgsh:…Shape) the failed constraint belongs to
    focus: str  # the node that failed
    path: str | None  # the property, when a property constraint failed
    message: str
    value: str | None  # the offending value, when there is one
    severity: str = "Violation"
    component: str = ""  # the SHACL constraint component, e.g. "MinCountConstraintComponent"


@dataclass
class Report:
    """The outcome of validating a store: `conforms` is False when any sh:Violation was found."""

    graphs: list[str] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return not any(v.severity == "Violation" for v in self.violations)

    def by_graph(self) -> dict[str, list[Violation]]:
        out: dict[str, list[Violation]] = {}
        for v in self.violations:
            out.setdefault(v.graph, []).append(v)
        return out

    def shapes(self) -> set[str]:
        """The local names of the shapes with results (e.g. {"SpanOffsetShape"})."""
        return {v.shape.removeprefix(SHAPES_IRI) for v in self.violations}


# ---------------------------------------------------------------------------------------------
# ontology and shapes


def _read(name: str) -> bytes:
    return ontology_files().joinpath(name).read_bytes()


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    """kg.ttl + imports.ttl (the vendored axioms of the reused vocabularies)."""
    g = Graph()
    g.parse(data=_read("kg.ttl"), format="turtle")
    g.parse(data=_read("imports.ttl"), format="turtle")
    return g


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """shapes.ttl."""
    return Graph().parse(data=_read("shapes.ttl"), format="turtle")


@lru_cache(maxsize=1)
def _property_shape_owners() -> dict[Node, Node]:
    """property shape -> the node shape that declares it (for naming results)."""
    sg = shapes_graph()
    return {ps: ns for ns, ps in sg.subject_objects(SH.property)}


# ---------------------------------------------------------------------------------------------
# pyoxigraph -> rdflib


@lru_cache(maxsize=256)
def _prepared(text: str) -> Query:
    return prepareQuery(text)


class _DataGraph(Graph):
    """An rdflib Graph that parses each SPARQL text once.

    pyshacl runs a SHACL-SPARQL constraint once per focus node with the same query text (and
    `$this` in initBindings); parsing dominated validation time (~85 %) before this cache.
    """

    def query(self, query_object, *args, **kwargs):  # type: ignore[no-untyped-def,override]
        if isinstance(query_object, str):
            query_object = _prepared(query_object)
        return super().query(query_object, *args, **kwargs)


@lru_cache(maxsize=65536)
def _term(t: NamedNode | BlankNode | OxLiteral) -> Node:
    if isinstance(t, NamedNode):
        return URIRef(t.value)
    if isinstance(t, BlankNode):
        return BNode(t.value)
    if t.language:
        return Literal(t.value, lang=t.language)
    dt = t.datatype.value
    if dt in (_XSD_STRING, _RDF_LANGSTRING):
        return Literal(t.value)
    return Literal(t.value, datatype=URIRef(dt))


def document_triples(store: Store, graph: NamedNode, reference: bool = True) -> list[Triple]:
    """The triples pyshacl sees for one document graph, each once: the graph's own and, unless
    `reference` is False, the reference-graph triples about every IRI it uses (one hop)."""
    triples = dict.fromkeys(
        (_term(q.subject), _term(q.predicate), _term(q.object))
        for q in store.quads_for_pattern(None, None, None, graph)
    )
    m = _DOC_GRAPH.match(graph.value)
    if reference and m:
        reference_graph = NamedNode(m["base"] + "graph/reference")
        iris = {n for s, _, o in triples for n in (s, o) if isinstance(n, URIRef)}
        for iri in sorted(iris):
            for q in store.quads_for_pattern(NamedNode(str(iri)), None, None, reference_graph):
                triples[(_term(q.subject), _term(q.predicate), _term(q.object))] = None
    return list(triples)


def data_graph(triples: Iterable[Triple]) -> Graph:
    """An rdflib graph of `triples` for pyshacl (one that parses each SPARQL text once)."""
    g = _DataGraph()
    for t in triples:
        g.add(t)
    return g


# ---------------------------------------------------------------------------------------------
# validation


def run_pyshacl(data: Graph, shapes: Graph | None = None) -> Graph:
    """pyshacl's results graph for `data` (with `shapes`, default shapes.ttl; the ontology mixed in;
    advanced mode)."""
    if not isinstance(data, _DataGraph):
        data = data_graph(data)
    _conforms, results, _text = pyshacl.validate(
        data,
        shacl_graph=shapes if shapes is not None else shapes_graph(),
        ont_graph=ontology_graph(),
        inference="none",
        advanced=True,
        allow_warnings=True,
        inplace=True,
    )
    return results


def violations(results: Graph, graph: str = "", document: str | None = None) -> list[Violation]:
    """The results of a pyshacl results graph as Violations, sorted."""
    owners = _property_shape_owners()
    out = []
    for r in results.subjects(RDF.type, SH.ValidationResult):
        source = results.value(r, SH.sourceShape)
        shape = owners.get(source, source)
        path = results.value(r, SH.resultPath)
        value = results.value(r, SH.value)
        messages = sorted(str(m) for m in results.objects(r, SH.resultMessage))
        component = str(results.value(r, SH.sourceConstraintComponent) or "")
        out.append(
            Violation(
                graph=graph,
                document=document,
                shape=str(shape) if isinstance(shape, URIRef) else "",
                focus=str(results.value(r, SH.focusNode)),
                path=str(path) if isinstance(path, URIRef) else (None if path is None else "(path)"),
                message=messages[0] if messages else "",
                value=None if value is None else str(value),
                severity=_SEVERITY.get(str(results.value(r, SH.resultSeverity)), "Violation"),
                component=component.removeprefix(str(SH)),
            )
        )
    out.sort(key=sort_key)
    return out


def sort_key(v: Violation) -> tuple[str, str, str, str, str]:
    return (v.shape, v.focus, v.path or "", v.message, v.value or "")


def the_document(data: Graph) -> str | None:
    """The schema:NewsArticle a document graph describes (the first, sorted, if several)."""
    documents = sorted(str(d) for d in data.subjects(RDF.type, SCHEMA.NewsArticle))
    return documents[0] if documents else None


def validate_graph(data: Graph, graph: str = "", shapes: Graph | None = None) -> list[Violation]:
    """Validate one rdflib graph with `shapes` (default shapes.ttl); `graph` names it in the results.

    The ontology triples its nodes need are mixed into `data` (or into a copy of it).
    """
    results = run_pyshacl(data, shapes)
    return violations(results, graph, the_document(data))


def document_graphs(store: Store, base: str | None = None) -> list[NamedNode]:
    """The named graphs `{base}graph/doc/{docid}` of the store, sorted."""
    found = []
    for g in store.named_graphs():
        if isinstance(g, NamedNode):
            m = _DOC_GRAPH.match(g.value)
            if m and (base is None or m["base"] == base):
                found.append(g)
    return sorted(found, key=lambda g: g.value)


def _select(store: Store, base: str | None, graphs: Iterable[NamedNode | str] | None) -> list[NamedNode]:
    if graphs is None:
        return document_graphs(store, base)
    all_graphs = document_graphs(store, base)
    by_id = {_DOC_GRAPH.match(g.value)["docid"]: g for g in all_graphs}
    selected = []
    for g in graphs:
        name = g.value if isinstance(g, NamedNode) else str(g)
        if name in by_id:
            selected.append(by_id[name])
        elif any(a.value == name for a in all_graphs):
            selected.append(NamedNode(name))
        else:
            raise ValueError(f"no document graph {name!r} in the store")
    return selected


def document_data(store: Store, graph: NamedNode, reference: bool = True) -> Graph:
    """The graph pyshacl sees for one document graph: its triples + the reference triples it uses."""
    return data_graph(document_triples(store, graph, reference))


def validate_graphs(
    store: Store,
    graphs: list[NamedNode],
    *,
    reference: bool = True,
    batch_size: int = BATCH_SIZE,
    direct: bool = True,
) -> list[Violation]:
    """Validate `graphs` in batches of `batch_size` (1: one pyshacl call per graph).

    With `direct`, the documents that kg/validate_direct.py finds clean of span and organisation-class
    problems are validated without those shapes (the results are the same, found faster);
    `direct=False, batch_size=1` is pyshacl with every shape on every graph, the reference.
    """
    out: list[Violation] = []
    step = max(1, batch_size)
    for i in range(0, len(graphs), step):
        items = [(g.value, document_triples(store, g, reference)) for g in graphs[i : i + step]]
        out.extend(validate_items(items, batch=batch_size > 1, direct=direct))
    return out


def validate_items(
    items: list[tuple[str, list[Triple]]], *, batch: bool = True, direct: bool = True
) -> list[Violation]:
    """Validate (graph IRI, triples) pairs: with `batch`, one pyshacl call for the clean documents
    (`direct`) and one for the others; results in the items' order."""
    from kg import validate_direct
    from kg.validate_batch import batchable, validate_batch

    clean = [direct and validate_direct.clean(triples) for _, triples in items]
    found: dict[str, list[Violation]] = {}
    for reduced in (True, False):
        group = [item for item, ok in zip(items, clean, strict=True) if ok == reduced]
        if not group:
            continue
        shapes = validate_direct.reduced_shapes() if reduced else shapes_graph()
        if len(group) == 1 or not batch or not batchable():
            results = [v for graph, triples in group for v in validate_graph(data_graph(triples), graph, shapes)]
        else:
            results = validate_batch(group, shapes)
        for v in results:
            found.setdefault(v.graph, []).append(v)
    return [v for graph, _ in items for v in found.get(graph, [])]


def validate_store(
    store: Store,
    *,
    base: str | None = None,
    graphs: Iterable[NamedNode | str] | None = None,
    reference: bool = True,
    batch_size: int = BATCH_SIZE,
    workers: int = 1,
    store_path: str | Path | None = None,
    progress: Progress | None = None,
    direct: bool = True,
) -> Report:
    """Validate every document graph of `store` (or only `graphs`, IRIs or docids).

    Each document graph is joined with the reference-graph triples about the IRIs it uses
    (`reference=False` leaves them out). `base` restricts the graphs to one IRI base; by default
    every `…/graph/doc/{docid}` graph is validated, with the reference graph under the same base.

    The graphs are validated `batch_size` at a time, each batch in one pyshacl call
    (kg/validate_batch.py: the result equals one call per graph, `batch_size=1`); with
    `workers` > 1 and the store's `store_path`, batches run in that many processes, each opening
    the store read-only. With `direct` (kg/validate_direct.py) the span and organisation-class
    shapes are left out for documents that a direct check finds clean of them; `direct=False`
    gives every shape to pyshacl. `progress` gets a phase "validate" counting the graphs.
    """
    selected = _select(store, base, graphs)
    report = Report(graphs=[g.value for g in selected])
    total = len(selected)
    step = max(1, batch_size)
    chunks = [selected[i : i + step] for i in range(0, total, step)]
    progress = progress or Progress.quiet()
    with progress.phase("validate", total=total, unit="graphs") as counter:
        if workers > 1 and store_path is not None and len(chunks) > 1:
            from kg.validate_batch import run_parallel

            results = run_parallel(store_path, chunks, reference, batch_size, workers, counter, direct)
        else:
            results = []
            for chunk in chunks:
                results.append(validate_graphs(store, chunk, reference=reference, batch_size=batch_size, direct=direct))
                counter.advance(len(chunk))
    order = {g: i for i, g in enumerate(report.graphs)}
    for violations in results:
        report.violations.extend(violations)
    report.violations.sort(key=lambda v: order.get(v.graph, -1))  # stable: graph order, then as sorted
    return report


# ---------------------------------------------------------------------------------------------
# text report


def _short(iri: str | None, base: str | None = None) -> str:
    if iri is None:
        return "-"
    for prefix, ns in (*PREFIXES.items(), ("kgsh", SHAPES_IRI), ("rdf", str(RDF))):
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    if base and iri.startswith(base):
        return f"<{iri[len(base) :]}>"
    return f"<{iri}>" if "://" in iri else iri


def format_report(report: Report, limit: int | None = 50) -> str:
    """A readable text report grouped by document graph (at most `limit` results per graph)."""
    n_viol = sum(v.severity == "Violation" for v in report.violations)
    n_other = len(report.violations) - n_viol
    head = (
        f"{'Conforms' if report.conforms else 'Does NOT conform'}: {len(report.graphs)} document "
        f"graph(s) checked, {n_viol} violation(s)" + (f", {n_other} warning(s)/info(s)" if n_other else "")
    )
    lines = [head]
    for graph, items in report.by_graph().items():
        m = _DOC_GRAPH.match(graph)
        base = m["base"] if m else None
        docid = m["docid"] if m else graph
        lines.append("")
        lines.append(f"graph/doc/{docid}  ({len(items)} result(s))")
        for v in items if limit is None else items[:limit]:
            where = _short(v.focus, base) + (f" {_short(v.path, base)}" if v.path else "")
            lines.append(f"  [{v.severity}] {_short(v.shape)}: {where}")
            lines.append(f"      {v.message}")
            if v.value is not None and v.value != v.focus:
                value = v.value if len(v.value) <= 80 else v.value[:77] + "..."
                lines.append(f"      value: {_short(value, base)}")
        if limit is not None and len(items) > limit:
            lines.append(f"  ... {len(items) - limit} more")
    return "\n".join(lines)
