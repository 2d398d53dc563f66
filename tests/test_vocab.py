"""kg/vocab.py matches ontology/kg.ttl, and the packaged ontology copies match the canonical files."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import NamedNode
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.vocab import KGO, KGO_IRI, ONTOLOGY_IRI, ORG, SCHEMA, kgo_terms, ontology_files, term

ROOT = Path(__file__).resolve().parents[1]
CANONICAL = ROOT / "ontology"
FILES = ["kg.ttl", "imports.ttl", "shapes.ttl"]


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(CANONICAL / "kg.ttl", format="turtle")


def declared_kgo_terms(g: Graph) -> set[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)
    return {s for k in kinds for s in g.subjects(RDF.type, k) if str(s).startswith(KGO_IRI)}


def test_every_kgo_term_is_declared(ontology: Graph) -> None:
    assert set(kgo_terms()) <= declared_kgo_terms(ontology)


def test_every_declared_term_is_in_kgo(ontology: Graph) -> None:
    assert declared_kgo_terms(ontology) <= set(kgo_terms())


def test_no_undeclared_kgo_iri_is_used(ontology: Graph) -> None:
    used = {n for t in ontology for n in t if isinstance(n, URIRef) and str(n).startswith(KGO_IRI)}
    assert used <= set(kgo_terms())


def test_kgo_fails_on_unknown_terms() -> None:
    assert KGO.evidence == URIRef(KGO_IRI + "evidence")
    with pytest.raises(AttributeError):
        _ = KGO.evidense


@pytest.mark.parametrize("t", kgo_terms(), ids=lambda t: str(t).rsplit("#", 1)[1])
def test_term_is_documented_and_aligned(ontology: Graph, t: URIRef) -> None:
    langs = {lbl.language for lbl in ontology.objects(t, RDFS.label)}
    assert {"en", "sv"} <= langs
    assert ontology.value(t, SKOS.definition) is not None
    assert ontology.value(t, RDFS.isDefinedBy) == URIRef(ONTOLOGY_IRI)
    alignments = (
        RDFS.subClassOf,
        RDFS.subPropertyOf,
        SKOS.closeMatch,
        SKOS.relatedMatch,
        SKOS.broadMatch,
        RDFS.seeAlso,
        RDFS.domain,
    )
    assert any(ontology.value(t, p) is not None for p in alignments)


def test_ontology_header(ontology: Graph) -> None:
    o = URIRef(ONTOLOGY_IRI)
    assert (o, RDF.type, OWL.Ontology) in ontology
    assert str(ontology.value(o, OWL.versionInfo)) == "0.1.0"
    assert ontology.value(o, OWL.versionIRI) is not None


def test_org_classes_are_organisations() -> None:
    g = Graph()
    for name in ("kg.ttl", "imports.ttl"):
        g.parse(CANONICAL / name, format="turtle")
    closure = set(g.transitive_objects(KGO.Municipality, RDFS.subClassOf))
    assert ORG.Organization in closure
    for cls in (t for t in kgo_terms() if (t, RDF.type, OWL.Class) in g):
        assert ORG.Organization in set(g.transitive_objects(cls, RDFS.subClassOf)), cls


@pytest.mark.parametrize("name", FILES)
def test_package_copy_is_identical(name: str) -> None:
    packaged = ontology_files().joinpath(name).read_bytes()
    assert packaged == (CANONICAL / name).read_bytes(), (
        f"kg/data/ontology/{name} differs from ontology/{name}: cp ontology/{name} kg/data/ontology/"
    )


@pytest.mark.parametrize("name", FILES)
def test_ontology_files_parse(name: str) -> None:
    assert len(Graph().parse(CANONICAL / name, format="turtle")) > 0


def test_term_helper() -> None:
    assert term(SCHEMA, "Event") == NamedNode("https://schema.org/Event")
    assert term(KGO.evidence) == NamedNode(KGO_IRI + "evidence")
    assert term(KGO, "sha256") == NamedNode(KGO_IRI + "sha256")
    with pytest.raises(AttributeError):
        term(KGO, "nope")
