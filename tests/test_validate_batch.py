"""Batch validation (kg/validate_batch.py) gives exactly the results of one pyshacl call per document
graph, on a real seeds store whose quads were edited to break documents in ways that shared nodes
(people, organisations of the reference graph) would hide or invent in a naive join."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import Literal, NamedNode, Quad, Store

from kg import store as kgstore
from kg.build import build
from kg.cli import main
from kg.progress import Progress
from kg.validate import document_graphs, format_report, validate_store

ROOT = Path(__file__).resolve().parents[1]
BASE = "https://w3id.org/sv-press-kg/"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
FOAF = "http://xmlns.com/foaf/0.1/"
SCHEMA = "https://schema.org/"
KGO = "https://w3id.org/sv-press-kg/ontology#"
ORG = NamedNode("http://www.w3.org/ns/org#Organization")


@pytest.fixture(scope="module")
def seeds_quads(tmp_path_factory) -> list[Quad]:
    path = tmp_path_factory.mktemp("seeds") / "store"
    build([ROOT / "seeds"], path, BASE, make_views=False)
    store = kgstore.open_read(path)
    quads = list(store.quads_for_pattern(None, None, None, None))
    del store
    return quads


def _in(quads: list[Quad], graph: NamedNode, s=None, p=None, o=None) -> list[Quad]:
    return [
        q
        for q in quads
        if q.graph_name == graph
        and (s is None or q.subject == s)
        and (p is None or q.predicate == p)
        and (o is None or q.object == o)
    ]


def _broken(quads: list[Quad]) -> tuple[list[Quad], list[NamedNode]]:
    """The seeds' quads with four documents broken; returns them and the document graphs."""
    store = Store()
    store.extend(quads)
    graphs = document_graphs(store)
    assert len(graphs) == 5
    quads = list(quads)
    a, b, c, d = graphs[:4]
    person = NamedNode(FOAF + "Person")
    name = NamedNode(FOAF + "name")

    # a: a person with two names in one document
    p_a = _in(quads, a, p=RDF_TYPE, o=person)[0].subject
    quads.append(Quad(p_a, name, Literal("Ett Annat Namn"), a))
    # b: the same person IRI, named otherwise and without evidence, in another document: only b's
    # EvidenceShape fails, never a PersonShape (a naive join would give it two or three names)
    quads += [Quad(p_a, RDF_TYPE, person, b), Quad(p_a, name, Literal("Tredje Namn"), b)]
    # c: an organisation without its kgo: type, in the document and the reference graph (where other
    # documents find it typed, in their own graphs)
    reference = NamedNode(BASE + "graph/reference")
    orgs = [q.subject for q in _in(quads, c, p=RDF_TYPE, o=ORG)]
    [shared] = [o for o in orgs if _in(quads, reference, s=o)][:1]
    for g in (c, reference):
        for q in _in(quads, g, s=shared, p=RDF_TYPE):
            if q.object.value.startswith(KGO):
                quads.remove(q)
    # d: a quote without its text, and an organisation of another document typed twice here
    quote_text = [q for q in quads if q.graph_name == d and q.predicate.value == SCHEMA + "text"]
    assert quote_text
    quads.remove(quote_text[0])
    quads.append(Quad(orgs[0], RDF_TYPE, NamedNode(KGO + "Company"), d))
    quads.append(Quad(orgs[0], RDF_TYPE, NamedNode(KGO + "Region"), d))
    return quads, [a, b, c, d]


def test_batches_give_the_results_of_one_call_per_graph(seeds_quads) -> None:
    quads, (a, b, c, d) = _broken(seeds_quads)
    store = Store()
    store.extend(quads)
    one_by_one = validate_store(store, batch_size=1, direct=False)  # pyshacl with every shape, graph by graph
    assert not one_by_one.conforms
    by_graph = {g: {v.shape.rsplit("#", 1)[1] for v in vs} for g, vs in one_by_one.by_graph().items()}
    assert "PersonShape" in by_graph[a.value]
    assert "EvidenceShape" in by_graph[b.value] and "PersonShape" not in by_graph[b.value]
    assert "OrganisationShape" in by_graph[c.value]
    assert {"QuotationShape", "OrganisationShape"} <= by_graph[d.value]
    for size, direct in ((1, True), (2, True), (3, False), (100, True), (100, False)):
        batched = validate_store(store, batch_size=size, direct=direct)
        assert batched.graphs == one_by_one.graphs
        assert batched.violations == one_by_one.violations, (size, direct)
        assert format_report(batched) == format_report(one_by_one)


def test_worker_processes_give_the_same_results(seeds_quads, tmp_path) -> None:
    quads, _ = _broken(seeds_quads)
    path = tmp_path / "broken"
    kgstore.write_store(path, quads)
    store = kgstore.open_read(path)
    log = io.StringIO()
    parallel = validate_store(store, batch_size=2, workers=2, store_path=path, progress=Progress(log, tty=False))
    assert parallel.violations == validate_store(store, batch_size=1, direct=False).violations
    lines = log.getvalue().splitlines()
    assert lines[0] == "validate: 5 graphs" and lines[-1].startswith("validate: done in ")
    assert lines[-1].endswith(" s (5 graphs)")


def test_the_clean_seeds_conform_in_batches(seeds_quads) -> None:
    store = Store()
    store.extend(seeds_quads)
    report = validate_store(store)
    assert report.conforms and len(report.graphs) == 5, format_report(report)


def test_cli_validate_prints_progress_lines_in_logs(seeds_quads, tmp_path) -> None:
    quads, _ = _broken(seeds_quads)
    path = tmp_path / "broken"
    kgstore.write_store(path, quads)
    result = CliRunner().invoke(main, ["validate", "--store", str(path), "--workers", "1"])
    assert result.exit_code == 1
    assert "Does NOT conform: 5 document graph(s) checked" in result.stdout
    assert "validate: 5 graphs\n" in result.stderr and " s (5 graphs)\n" in result.stderr
    silent = CliRunner().invoke(main, ["validate", "--store", str(path), "--silent"])
    assert silent.exit_code == 1 and "validate" not in silent.stderr
