"""A direct check that spares pyshacl the shapes that cost most and that nearly every document passes.

pyshacl spends about half its time on the evidence spans (kgsh:SpanShape: an `sh:or` of datatypes per
offset; kgsh:SpanOffsetShape: a SPARQL query per span) and much of the rest on an organisation's
one kgo: class (the `sh:qualifiedValueShape` of kgsh:OrganisationShape). `clean(triples)` answers,
in Python, whether one document graph (as pyshacl sees it: with the reference triples it uses)
certainly gets no result from those shapes:

- every span (a nif:OffsetBasedString, or a subject of nif:referenceContext) has exactly one
  nif:referenceContext, typed nif:Context, whose one nif:isString is a plain string; exactly one
  nif:beginIndex and one nif:endIndex, each an xsd:nonNegativeInteger or xsd:integer written as
  digits, with begin <= end <= the length of the text in code points; exactly one nif:anchorOf, a
  plain string equal to the text's slice [begin, end);
- every organisation (an instance of org:Organization or of one of its subclasses in the ontology)
  has exactly one of the kgo: organisation classes among its types;
- and nothing that would change which nodes those shapes target: no rdfs:subClassOf triple and no
  subject that the ontology (mixed into the data by pyshacl) describes.

A clean document is validated by pyshacl with the other shapes (`reduced_shapes()`); any other
document with all the shapes. So every reported result still comes from pyshacl with the shapes of
ontology/shapes.ttl, and a report is exactly pyshacl's (tests/test_validate_direct.py compares them on
broken stores). `FRAGMENTS` is the Turtle of the shape parts this check stands for; when shapes.ttl no
longer holds them as written here, `applies()` is False and every document gets all the shapes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from rdflib import BNode, Graph, Literal
from rdflib.compare import isomorphic
from rdflib.term import Node

from kg.vocab import KGSH, NIF, ORG, RDF, RDFS, SH, XSD

Triple = tuple[Node, Node, Node]

FRAGMENTS = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .
@prefix kgo: <https://w3id.org/sv-press-kg/ontology#> .
@prefix kgsh: <https://w3id.org/sv-press-kg/shapes#> .

kgsh:SpanShape
    a sh:NodeShape ;
    rdfs:label "Evidence span (nif:OffsetBasedString)"@en ;
    sh:targetClass nif:OffsetBasedString ;
    sh:targetSubjectsOf nif:referenceContext ;
    sh:property [
        sh:path nif:referenceContext ; sh:minCount 1 ; sh:maxCount 1 ; sh:class nif:Context ;
        sh:message "A span needs exactly one nif:referenceContext, a nif:Context." ] ;
    sh:property [
        sh:path nif:beginIndex ; sh:minCount 1 ; sh:maxCount 1 ;
        sh:or ( [ sh:datatype xsd:nonNegativeInteger ] [ sh:datatype xsd:integer ] ) ; sh:minInclusive 0 ;
        sh:message "A span needs exactly one nif:beginIndex, a non-negative integer." ] ;
    sh:property [
        sh:path nif:beginIndex ; sh:lessThanOrEquals nif:endIndex ;
        sh:message "A span's nif:beginIndex must not be greater than its nif:endIndex." ] ;
    sh:property [
        sh:path nif:endIndex ; sh:minCount 1 ; sh:maxCount 1 ;
        sh:or ( [ sh:datatype xsd:nonNegativeInteger ] [ sh:datatype xsd:integer ] ) ; sh:minInclusive 0 ;
        sh:message "A span needs exactly one nif:endIndex, a non-negative integer." ] ;
    sh:property [
        sh:path nif:anchorOf ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:string ;
        sh:message "A span needs exactly one nif:anchorOf, a plain string." ] .

kgsh:SpanOffsetShape
    a sh:NodeShape ;
    rdfs:label "Evidence span offsets match the text"@en ;
    sh:targetSubjectsOf nif:referenceContext ;
    sh:sparql [
        a sh:SPARQLConstraint ;
        sh:prefixes kgsh: ;
        sh:message "SLICE_MESSAGE" ;
        sh:select \"\"\"
            SELECT $this ?b ?e ?slice WHERE {
                $this nif:referenceContext ?ctx ; nif:beginIndex ?b ; nif:endIndex ?e ; nif:anchorOf ?a .
                ?ctx nif:isString ?s .
                BIND (SUBSTR(?s, ?b + 1, ?e - ?b) AS ?slice)
                FILTER (?slice != STR(?a))
            }\"\"\" ] ;
    sh:sparql [
        a sh:SPARQLConstraint ;
        sh:prefixes kgsh: ;
        sh:message "nif:endIndex {?e} lies beyond the end ({?len}) of the context's text." ;
        sh:select \"\"\"
            SELECT $this ?e ?len WHERE {
                $this nif:referenceContext ?ctx ; nif:endIndex ?e .
                ?ctx nif:isString ?s .
                BIND (STRLEN(?s) AS ?len)
                FILTER (?e > ?len)
            }\"\"\" ] .

kgsh:OrganisationShape sh:property [
    sh:path rdf:type ;
    sh:qualifiedValueShape [
        sh:in ( kgo:Municipality kgo:CountyAdministrativeBoard kgo:Region kgo:GovernmentAgency
                kgo:PoliticalParty kgo:OrganizationalUnit kgo:EducationalOrganization
                kgo:Association kgo:Company kgo:Organisation ) ] ;
    sh:qualifiedMinCount 1 ;
    sh:qualifiedMaxCount 1 ;
    sh:message "An organisation must be typed with exactly one kgo: organisation class." ] .
""".replace(
    "SLICE_MESSAGE",
    "nif:anchorOf is not the code-point slice [{?b}, {?e}) of the context's nif:isString "
    '(the slice is \\"{?slice}\\").',
)

_DIGITS = re.compile(r"0|[1-9][0-9]*")
_INDEX_TYPES = (XSD.nonNegativeInteger, XSD.integer)


# ---------------------------------------------------------------------------------------------
# the shapes: which parts the check stands for, and the shapes graph without them


def _described(graph: Graph, node: Node, into: set[Triple]) -> None:
    """`node`'s triples and, through blank nodes, theirs (its bounded description)."""
    for p, o in graph.predicate_objects(node):
        if (node, p, o) not in into:
            into.add((node, p, o))
            if isinstance(o, BNode):
                _described(graph, o, into)


def _fragment_triples(shapes: Graph) -> set[Triple]:
    """The triples of shapes.ttl that FRAGMENTS should match."""
    out: set[Triple] = set()
    for shape in (KGSH.SpanShape, KGSH.SpanOffsetShape):
        _described(shapes, shape, out)
    for prop in shapes.objects(KGSH.OrganisationShape, SH.property):
        if shapes.value(prop, SH.path) == RDF.type and shapes.value(prop, SH.qualifiedValueShape) is not None:
            out.add((KGSH.OrganisationShape, SH.property, prop))
            _described(shapes, prop, out)
    return out


@lru_cache(maxsize=1)
def _shapes() -> Graph:
    from kg.validate import shapes_graph

    return shapes_graph()


@lru_cache(maxsize=1)
def applies() -> bool:
    """True when shapes.ttl holds FRAGMENTS exactly (else the check stands for nothing and is not used)."""
    found = Graph()
    for t in _fragment_triples(_shapes()):
        found.add(t)
    return isomorphic(found, Graph().parse(data=FRAGMENTS, format="turtle"))


@lru_cache(maxsize=1)
def reduced_shapes() -> Graph:
    """shapes.ttl without the parts FRAGMENTS holds: what pyshacl checks of a clean document."""
    drop = _fragment_triples(_shapes())
    out = Graph()
    for prefix, namespace in _shapes().namespaces():
        out.bind(prefix, namespace)
    for t in _shapes():
        if t not in drop:
            out.add(t)
    return out


# ---------------------------------------------------------------------------------------------
# the ontology: which classes the shapes target, and which nodes it describes


@lru_cache(maxsize=1)
def _ontology() -> tuple[frozenset[Node], frozenset[Node], frozenset[Node]]:
    """Span classes, organisation classes (each with its subclasses) and every subject of the ontology."""
    from kg.validate import ontology_graph

    ontology = ontology_graph()
    spans = frozenset(ontology.transitive_subjects(RDFS.subClassOf, NIF.OffsetBasedString))
    organisations = frozenset(ontology.transitive_subjects(RDFS.subClassOf, ORG.Organization))
    return spans, organisations, frozenset(ontology.subjects())


@lru_cache(maxsize=1)
def _kgo_classes() -> frozenset[Node]:
    """The kgo: organisation classes of the qualified value shape (its sh:in list)."""
    graph = Graph().parse(data=FRAGMENTS, format="turtle")
    [listed] = list(graph.objects(None, SH["in"]))
    return frozenset(graph.items(listed))


# ---------------------------------------------------------------------------------------------
# the check


def _plain_string(term: Node) -> str | None:
    if isinstance(term, Literal) and term.language is None and term.datatype in (None, XSD.string):
        value = term.value
        return value if isinstance(value, str) else None
    return None


def _index(term: Node) -> int | None:
    if not isinstance(term, Literal) or term.language is not None or term.datatype not in _INDEX_TYPES:
        return None
    if not _DIGITS.fullmatch(str(term)) or getattr(term, "ill_typed", False):
        return None
    value = term.value
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _clean_span(props: dict[Node, set[Node]], described: dict[Node, dict[Node, set[Node]]]) -> bool:
    contexts = props.get(NIF.referenceContext, set())
    begins, ends = props.get(NIF.beginIndex, set()), props.get(NIF.endIndex, set())
    anchors = props.get(NIF.anchorOf, set())
    if not len(contexts) == len(begins) == len(ends) == len(anchors) == 1:
        return False
    [context], [begin], [end], [anchor] = contexts, begins, ends, anchors
    about = described.get(context, {})
    texts = about.get(NIF.isString, set())
    if NIF.Context not in about.get(RDF.type, set()) or len(texts) != 1:
        return False
    text, slice_of = _plain_string(next(iter(texts))), _plain_string(anchor)
    b, e = _index(begin), _index(end)
    if text is None or slice_of is None or b is None or e is None:
        return False
    return b <= e <= len(text) and text[b:e] == slice_of


def clean(triples: Iterable[Triple]) -> bool:
    """True when this document graph certainly gets no result from the shape parts in FRAGMENTS."""
    if not applies():
        return False
    span_classes, organisation_classes, ontology_subjects = _ontology()
    kgo_classes = _kgo_classes()
    described: dict[Node, dict[Node, set[Node]]] = {}
    for s, p, o in triples:
        if p == RDFS.subClassOf or s in ontology_subjects:
            return False  # the targets could differ from what is checked here
        described.setdefault(s, {}).setdefault(p, set()).add(o)
    for props in described.values():
        types = props.get(RDF.type, set())
        if (NIF.referenceContext in props or not types.isdisjoint(span_classes)) and not _clean_span(props, described):
            return False
        if not types.isdisjoint(organisation_classes) and len(types & kgo_classes) != 1:
            return False
    return True
