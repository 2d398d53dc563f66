"""kg.load: default graph = de-duplicated union with merged labels; meta graph; determinism."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from conftest import BASE, DOCS, fake_document_quads, fake_reference_quads, fixture_contents
from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad, RdfFormat, Store, Triple

import kg
from kg.load import SKOS_ALT, SKOS_PREF, LoadError, merge_labels, store_contents
from kg.read import document_from_text

FOAF_NAME = NamedNode("http://xmlns.com/foaf/0.1/name")
ORG = NamedNode(BASE + "id/org/x")
PERSON = NamedNode(BASE + "id/person/p")


def doc_quads(doc_id: str, triples: list[Triple]) -> list[Quad]:
    g = NamedNode(f"{BASE}graph/doc/{doc_id}")
    return [Quad(t.subject, t.predicate, t.object, g) for t in triples]


def default_triples(quads: list[Quad]) -> set[Triple]:
    return {q.triple for q in quads if q.graph_name == DefaultGraph()}


def test_merge_labels_keeps_smallest_by_code_point():
    labels = {Triple(ORG, SKOS_PREF, Literal(v, language="sv")) for v in ("Örebro kommun", "Arboga", "Zeta")}
    names = {Triple(PERSON, FOAF_NAME, Literal(v)) for v in ("anna Berg", "Anna Berg")}
    merged = merge_labels(labels | names)
    assert {t.object.value for t in merged if t.predicate == SKOS_PREF} == {"Arboga"}
    assert {t.object.value for t in merged if t.predicate == FOAF_NAME} == {"Anna Berg"}
    alt = {(t.subject, t.object.value) for t in merged if t.predicate == SKOS_ALT}
    assert alt == {(ORG, "Örebro kommun"), (ORG, "Zeta"), (PERSON, "anna Berg")}


def test_default_graph_is_deduplicated_union_with_merged_labels():
    a, b = document_from_text("A", "a.txt"), document_from_text("B", "b.txt")
    shared = Triple(
        ORG,
        NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
        NamedNode("http://www.w3.org/ns/org#Organization"),
    )
    qa = doc_quads("a", [shared, Triple(ORG, SKOS_PREF, Literal("Västerås stad", language="sv"))])
    qb = doc_quads("b", [shared, Triple(ORG, SKOS_PREF, Literal("Västerås kommun", language="sv"))])
    ref_graph = NamedNode(BASE + "graph/reference")
    ref = [Quad(ORG, SKOS_PREF, Literal("Västerås kommun", language="sv"), ref_graph)]
    quads = store_contents([(a, qa), (b, qb)], ref, BASE)
    default = default_triples(quads)
    assert shared in default
    assert Triple(ORG, SKOS_PREF, Literal("Västerås kommun", language="sv")) in default
    assert Triple(ORG, SKOS_ALT, Literal("Västerås stad", language="sv")) in default
    assert len(default) == 3
    store = Store()
    store.extend(quads)  # document graphs keep their own labels
    assert len(list(store.quads_for_pattern(ORG, SKOS_PREF, None, NamedNode(BASE + "graph/doc/a")))) == 1


def test_quads_outside_the_document_graph_are_refused():
    doc = document_from_text("A", "a.txt")
    wrong = doc_quads("b", [Triple(ORG, SKOS_PREF, Literal("x"))])
    with pytest.raises(LoadError, match=r"a\.txt"):
        store_contents([(doc, wrong)], [], BASE)


def test_meta_graph():
    quads = fixture_contents()
    store = Store()
    store.extend(quads)
    rows = list(
        store.query(
            """SELECT ?g ?doc ?sha ?file ?run ?start ?end ?agent ?version WHERE { GRAPH ?meta {
             ?g a prov:Entity ; prov:wasDerivedFrom ?doc ; kgo:sha256 ?sha ; kgo:sourceFile ?file ;
                prov:wasGeneratedBy ?run .
             ?run a prov:Activity ; prov:startedAtTime ?start ; prov:endedAtTime ?end ;
                prov:wasAssociatedWith ?agent .
             ?agent a prov:SoftwareAgent ; schema:softwareVersion ?version } }""",
            prefixes={
                "prov": "http://www.w3.org/ns/prov#",
                "kgo": "https://w3id.org/sv-press-kg/ontology#",
                "schema": "https://schema.org/",
            },
            default_graph=[NamedNode(BASE + "graph/meta")],
            named_graphs=[NamedNode(BASE + "graph/meta")],
        )
    )
    assert {r["file"].value for r in rows} == {"000_fixture_a.txt", "001_fixture_b.txt"}
    assert {r["doc"].value for r in rows} == {BASE + "res/doc/000-fixture-a", BASE + "res/doc/001-fixture-b"}
    assert all(len(r["sha"].value) == 64 for r in rows)
    assert {r["agent"].value for r in rows} == {f"{BASE}id/agent/extractor/{kg.__version__}"}
    assert rows[0]["start"].datatype.value.endswith("#dateTime")


def _nquads(quads: list[Quad]) -> list[str]:
    store = Store()
    store.extend(quads)
    return sorted(store.dump(format=RdfFormat.N_QUADS).decode().splitlines())


def test_deterministic_apart_from_run_record():
    docs = [document_from_text(p.read_text(), p) for p in sorted(DOCS.glob("*.txt"))]

    def build(start: datetime) -> list[str]:
        pairs = [(d, fake_document_quads(d, BASE)) for d in docs]
        end = start + timedelta(seconds=1)
        lines = _nquads(store_contents(pairs, fake_reference_quads(BASE), BASE, start, end))
        return [line for line in lines if "/id/run/" not in line]

    t0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
    first, second = build(t0), build(t0 + timedelta(hours=3))
    assert first == second
    assert any("graph/meta" in line for line in first)
