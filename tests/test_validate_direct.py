"""The direct check (kg/validate_direct.py) leaves pyshacl's report as it is: on every broken variant of the
hand-written store, and on variants made to look like valid spans and organisations, `kg validate`'s
report equals pyshacl with every shape on one graph at a time; a document it calls clean gets no result
from the shapes it leaves out."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import NamedNode

from kg import validate_direct
from kg.validate import document_graphs, document_triples, format_report, shapes_graph, validate_store
from kg.vocab import KGSH, SH
from tests.test_shapes import BASE, BROKEN, DOC, TEXT, G, S, make_store

LEFT_OUT = {"SpanShape", "SpanOffsetShape"}  # and OrganisationShape's qualified rdf:type property


def _span_edit(span: str, predicate: str, value: str) -> str:
    """Replace every `predicate` value of the span `span` (relative IRI) by `value` (Turtle)."""
    return (
        f"DELETE {{ GRAPH <{G}> {{ <{span}> {predicate} ?x }} }} INSERT {{ GRAPH <{G}> {{ <{span}> {predicate} "
        f"{value} }} }} WHERE {{ GRAPH <{G}> {{ <{span}> {predicate} ?x }} }}"
    )


ctx = f"res/doc/{DOC}/text"
person_b, person_e = (int(x) for x in S["person"].rsplit("/", 1)[1].split("-"))
# variants close to valid: spans and organisations whose faults are easy to miss (offsets such as
# "05"^^xsd:nonNegativeInteger need no variant: Oxigraph stores every integer as a canonical xsd:integer)
LOOKALIKES = [
    ("begin-plain-string", _span_edit(S["person"], "nif:beginIndex", f'"{person_b}"')),
    ("end-is-text-length", _span_edit(S["contact"], "nif:endIndex", f'"{len(TEXT)}"^^xsd:integer')),
    # the contact span ends the text: one past it, its slice is still the anchor (only the length check fails)
    ("end-one-past-the-text", _span_edit(S["contact"], "nif:endIndex", f'"{len(TEXT) + 1}"^^xsd:integer')),
    (
        "empty-span",
        _span_edit(S["person"], "nif:endIndex", f'"{person_b}"^^xsd:integer')
        + " ; "
        + _span_edit(S["person"], "nif:anchorOf", '""'),
    ),
    ("anchor-with-language", _span_edit(S["person"], "nif:anchorOf", '"Anna Exempel"@sv')),
    ("anchor-an-iri", _span_edit(S["person"], "nif:anchorOf", "<id/person/anna-exempel>")),
    ("anchor-one-more-space", _span_edit(S["person"], "nif:anchorOf", '"Anna Exempel "')),
    ("two-anchors", f'INSERT DATA {{ GRAPH <{G}> {{ <{S["person"]}> nif:anchorOf "Anna" }} }}'),
    ("two-ends", f'INSERT DATA {{ GRAPH <{G}> {{ <{S["person"]}> nif:endIndex "{person_e + 1}"^^xsd:integer }} }}'),
    ("context-not-typed", f"DELETE DATA {{ GRAPH <{G}> {{ <{ctx}> a nif:Context }} }}"),
    ("text-with-language", _span_edit(ctx, "nif:isString", f'"{TEXT}"@sv'.replace("\n", "\\n"))),
    ("two-texts", f'INSERT DATA {{ GRAPH <{G}> {{ <{ctx}> nif:isString "annan text" }} }}'),
    (
        "span-typed-without-offsets",
        f"INSERT DATA {{ GRAPH <{G}> {{ <res/doc/{DOC}/text/0-1> a nif:OffsetBasedString }} }}",
    ),
    ("span-not-typed", f"DELETE DATA {{ GRAPH <{G}> {{ <{S['person']}> a nif:OffsetBasedString }} }}"),
    (
        "span-of-a-subclass",
        f"INSERT DATA {{ GRAPH <{G}> {{ <id/x> <http://www.w3.org/2000/01/rdf-schema#subClassOf> "
        f"nif:OffsetBasedString . <id/y> a <id/x> }} }}",
    ),
    (
        "ontology-term-as-span",
        f"INSERT DATA {{ GRAPH <{G}> {{ kgo:Municipality nif:referenceContext <{ctx}> }} }}",
    ),
    ("organisation-only-a-subclass", f"DELETE DATA {{ GRAPH <{G}> {{ <id/org/parti-s> a org:Organization }} }}"),
    (
        "organisation-class-only-in-reference",
        f"DELETE DATA {{ GRAPH <{G}> {{ <id/org/svenska-esf-radet> a kgo:GovernmentAgency }} }}",
    ),
    (
        "organisation-second-class-in-reference",
        "INSERT DATA { GRAPH <graph/reference> { <id/org/kommun-0484> a kgo:Region } }",
    ),
    ("organisation-untyped-kgo-class", f"INSERT DATA {{ GRAPH <{G}> {{ <id/org/y> a kgo:Company }} }}"),
]


def _left_out(report) -> list:
    return [
        v
        for v in report.violations
        if v.shape.removeprefix(str(KGSH)) in LEFT_OUT or v.component == "QualifiedValueShapeConstraintComponent"
    ]


def test_the_left_out_shapes_are_exactly_those_in_shapes_ttl() -> None:
    assert validate_direct.applies()
    full, reduced = shapes_graph(), validate_direct.reduced_shapes()
    assert set(reduced) < set(full)
    assert (KGSH.SpanShape, None, None) not in reduced and (KGSH.SpanOffsetShape, None, None) not in reduced
    kept = list(reduced.objects(KGSH.OrganisationShape, SH.property))
    assert len(kept) == len(list(full.objects(KGSH.OrganisationShape, SH.property))) - 1
    assert all(reduced.value(p, SH.qualifiedValueShape) is None for p in kept)


def test_the_valid_store_is_clean_so_the_check_is_used() -> None:
    store = make_store()
    [graph] = document_graphs(store)
    assert validate_direct.clean(document_triples(store, graph))


def test_every_document_a_build_makes_is_clean(seeds_store_path: Path) -> None:
    """The extractor's own output takes the fast way (else validation would be as slow as before)."""
    from kg import store as kgstore

    store = kgstore.open_read(seeds_store_path)
    graphs = document_graphs(store)
    assert len(graphs) == 5 and all(validate_direct.clean(document_triples(store, g)) for g in graphs)


@pytest.mark.parametrize(("update"), [b[1] for b in LOOKALIKES], ids=[b[0] for b in LOOKALIKES])
def test_lookalikes_give_pyshacls_report(update: str) -> None:
    store = make_store(update)
    reference = validate_store(store, batch_size=1, direct=False)
    assert validate_store(store).violations == reference.violations, format_report(reference)
    [graph] = [g for g in document_graphs(store) if g == NamedNode(G)]
    if validate_direct.clean(document_triples(store, graph)):
        assert _left_out(reference) == [], format_report(reference)


@pytest.mark.parametrize(("update", "shape"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_broken_variants_give_pyshacls_report(update: str, shape: str) -> None:
    store = make_store(update)
    reference = validate_store(store, batch_size=1, direct=False)
    assert shape in reference.shapes()
    assert validate_store(store).violations == reference.violations


def test_a_changed_shape_turns_the_check_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(validate_direct, "FRAGMENTS", validate_direct.FRAGMENTS.replace("sh:maxCount 1 ;", "", 1))
    validate_direct.applies.cache_clear()
    try:
        assert not validate_direct.applies()
        store = make_store()
        [graph] = document_graphs(store)
        assert not validate_direct.clean(document_triples(store, graph))
        assert validate_store(store).conforms
    finally:
        monkeypatch.undo()
        validate_direct.applies.cache_clear()
    assert validate_direct.applies() and BASE
