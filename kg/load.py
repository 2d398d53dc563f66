"""Stage "load": per-document quads + reference quads -> the store contents of ontology/MODEL.md.

Writes each document graph and the reference graph as given, then the meta graph (provenance)
and the default graph: the de-duplicated union of every document graph and the reference graph,
where an entity with several `skos:prefLabel` (or `foaf:name`) keeps the smallest by code point
and the others become `skos:altLabel`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone

from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, Store, Triple

import kg
from kg.read import Document

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SKOS_PREF = NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
SKOS_ALT = NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
FOAF_NAME = NamedNode("http://xmlns.com/foaf/0.1/name")
PROV = "http://www.w3.org/ns/prov#"
KGO = "https://w3id.org/sv-press-kg/ontology#"
SCHEMA = "https://schema.org/"

MERGED_LABELS = (SKOS_PREF, FOAF_NAME)


class LoadError(Exception):
    """Quads that break the data contract (e.g. outside their document's graph)."""


def doc_graph(base: str, doc_id: str) -> NamedNode:
    """The named graph of one document."""
    return NamedNode(f"{base}graph/doc/{doc_id}")


def reference_graph(base: str) -> NamedNode:
    return NamedNode(f"{base}graph/reference")


def meta_graph(base: str) -> NamedNode:
    return NamedNode(f"{base}graph/meta")


def run_iri(base: str, started: datetime) -> NamedNode:
    """The build run node, named by its UTC start time."""
    return NamedNode(f"{base}id/run/{started.astimezone(timezone.utc):%Y%m%dT%H%M%S%fZ}")


def agent_iri(base: str, version: str = kg.__version__) -> NamedNode:
    return NamedNode(f"{base}id/agent/extractor/{version}")


@dataclass(frozen=True)
class DocRecord:
    """What the meta graph says about one document graph."""

    doc_id: str
    source_file: str
    sha256: str


def _label_key(term: Literal | NamedNode | BlankNode) -> tuple[str, str, str]:
    if isinstance(term, Literal):
        return (term.value, term.language or "", term.datatype.value)
    return (term.value, "", "")


def merge_labels(triples: set[Triple]) -> set[Triple]:
    """Keep one preferred label per entity (smallest by code point); others become skos:altLabel.

    Applies separately to `skos:prefLabel` and `foaf:name`. Mutates and returns `triples`.
    """
    labels: dict[tuple[object, NamedNode], list[Triple]] = defaultdict(list)
    for t in triples:
        if t.predicate in MERGED_LABELS:
            labels[(t.subject, t.predicate)].append(t)
    for group in labels.values():
        if len(group) < 2:
            continue
        keep = min(group, key=lambda t: _label_key(t.object))
        for t in group:
            if t != keep:
                triples.discard(t)
                triples.add(Triple(t.subject, SKOS_ALT, t.object))
    return triples


def _dt(value: datetime) -> Literal:
    text = value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
    return Literal(text, datatype=NamedNode(XSD + "dateTime"))


def run_meta_quads(base: str, started: datetime, ended: datetime, version: str = kg.__version__) -> list[Quad]:
    """The meta graph's record of one build run (prov:Activity) and the extractor (prov:SoftwareAgent)."""
    g = meta_graph(base)
    run, agent = run_iri(base, started), agent_iri(base, version)
    return [
        Quad(run, RDF_TYPE, NamedNode(PROV + "Activity"), g),
        Quad(run, NamedNode(PROV + "startedAtTime"), _dt(started), g),
        Quad(run, NamedNode(PROV + "endedAtTime"), _dt(ended), g),
        Quad(run, NamedNode(PROV + "wasAssociatedWith"), agent, g),
        Quad(agent, RDF_TYPE, NamedNode(PROV + "SoftwareAgent"), g),
        Quad(agent, NamedNode(SCHEMA + "softwareVersion"), Literal(version), g),
    ]


def doc_meta_quads(record: DocRecord, base: str, run: NamedNode) -> list[Quad]:
    """The meta graph's prov:Entity for one document graph: source file, checksum, generating run."""
    g, e = meta_graph(base), doc_graph(base, record.doc_id)
    return [
        Quad(e, RDF_TYPE, NamedNode(PROV + "Entity"), g),
        Quad(e, NamedNode(PROV + "wasDerivedFrom"), NamedNode(f"{base}res/doc/{record.doc_id}"), g),
        Quad(e, NamedNode(KGO + "sha256"), Literal(record.sha256), g),
        Quad(e, NamedNode(KGO + "sourceFile"), Literal(record.source_file), g),
        Quad(e, NamedNode(PROV + "wasGeneratedBy"), run, g),
    ]


def meta_quads(
    records: Iterable[DocRecord],
    base: str,
    started: datetime,
    ended: datetime,
    version: str = kg.__version__,
) -> list[Quad]:
    """The meta graph: a prov:Entity per document graph, the run (prov:Activity) and the agent."""
    out = run_meta_quads(base, started, ended, version)
    run = run_iri(base, started)
    for r in sorted(records, key=lambda r: r.doc_id):
        out += doc_meta_quads(r, base, run)
    return out


LABELS = (SKOS_PREF, FOAF_NAME, SKOS_ALT)


def subjects_to_relabel(store: Store) -> set[NamedNode | BlankNode]:
    """Subjects with more than one skos:prefLabel or foaf:name in the default graph."""
    query = (
        "SELECT DISTINCT ?s WHERE { VALUES ?p { <http://www.w3.org/2004/02/skos/core#prefLabel> "
        "<http://xmlns.com/foaf/0.1/name> } ?s ?p ?o } GROUP BY ?s ?p HAVING (COUNT(?o) > 1)"
    )
    return {sol["s"] for sol in store.query(query)}


def relabel(store: Store, subjects: Iterable[NamedNode | BlankNode]) -> None:
    """Recompute the merged labels of `subjects` in the default graph from the named graphs.

    The result is what `merge_labels` gives over the union of the graphs: per subject and per
    label predicate the smallest value stays preferred, the others join the skos:altLabel values.
    """
    default = DefaultGraph()
    for s in subjects:
        for p in LABELS:
            for q in list(store.quads_for_pattern(s, p, None, default)):
                store.remove(q)
        triples: set[Triple] = set()
        for p in LABELS:
            for q in store.quads_for_pattern(s, p, None, None):
                if not isinstance(q.graph_name, DefaultGraph):
                    triples.add(q.triple)
        store.extend(Quad(t.subject, t.predicate, t.object, default) for t in merge_labels(triples))


class Loader:
    """Feeds the store writer document by document and keeps the set for the default graph.

    `write` receives quads ready for the store (e.g. `AtomicStore.add`).
    """

    def __init__(self, write: Callable[[Iterable[Quad]], None], base: str) -> None:
        self.write = write
        self.base = base
        self.records: list[DocRecord] = []
        self._default: set[Triple] = set()

    @property
    def documents(self) -> int:
        return len(self.records)

    def add_document(self, doc: Document, quads: Iterable[Quad]) -> None:
        """Check that every quad is in the document's graph, then write it and remember its triple.

        Raises LoadError (and writes nothing) when a quad is in another graph.
        """
        graph = doc_graph(self.base, doc.doc_id)
        quads = list(quads)
        for quad in quads:
            if quad.graph_name != graph:
                raise LoadError(
                    f"{doc.path.name}: extractor emitted a quad in {quad.graph_name}, not in {graph}: {quad}"
                )
        self.write(quads)
        self._default.update(quad.triple for quad in quads)
        self.records.append(DocRecord(doc.doc_id, doc.path.name, doc.sha256))

    def add_reference(self, quads: Iterable[Quad]) -> None:
        """Write the reference graph and add it to the default graph."""
        graph = reference_graph(self.base)
        quads = list(quads)
        for quad in quads:
            if quad.graph_name != graph:
                raise LoadError(f"reference quad outside {graph}: {quad}")
        self.write(quads)
        self._default.update(quad.triple for quad in quads)

    def default_quads(self) -> Iterator[Quad]:
        """The merged default graph (labels merged), in a stable order."""
        merged = merge_labels(set(self._default))
        for t in sorted(merged, key=str):
            yield Quad(t.subject, t.predicate, t.object, DefaultGraph())

    def finish(self, started: datetime, ended: datetime | None = None) -> None:
        """Write the default graph and the meta graph."""
        self.write(self.default_quads())
        self.write(meta_quads(self.records, self.base, started, ended or datetime.now(timezone.utc)))
        self._default.clear()


def store_contents(
    documents: Iterable[tuple[Document, Iterable[Quad]]],
    reference: Iterable[Quad],
    base: str,
    started: datetime | None = None,
    ended: datetime | None = None,
) -> list[Quad]:
    """Every quad a build writes, for in-memory use and tests."""
    out: list[Quad] = []
    loader = Loader(out.extend, base)
    for doc, quads in documents:
        loader.add_document(doc, quads)
    loader.add_reference(reference)
    started = started or datetime.now(timezone.utc)
    loader.finish(started, ended or started)
    return out
