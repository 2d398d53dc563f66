"""Namespaces of the knowledge graph: the reused vocabularies and our own `kgo:` terms.

`KGO` lists exactly the terms declared in `ontology/kg.ttl` (tests/test_vocab.py checks both
directions); with `_fail = True` a typo such as `KGO.evidense` raises AttributeError.
"""

from __future__ import annotations

from importlib.resources import files
from typing import TYPE_CHECKING

from pyoxigraph import NamedNode
from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

KGO_IRI = "https://w3id.org/sv-press-kg/ontology#"
ONTOLOGY_IRI = "https://w3id.org/sv-press-kg/ontology"
SHAPES_IRI = "https://w3id.org/sv-press-kg/shapes#"
DEFAULT_BASE = "https://w3id.org/sv-press-kg/"

ORG = Namespace("http://www.w3.org/ns/org#")
CV = Namespace("http://data.europa.eu/m8g/")
SCHEMA = Namespace("https://schema.org/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
PROV = Namespace("http://www.w3.org/ns/prov#")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
DCT = Namespace("http://purl.org/dc/terms/")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
SH = Namespace("http://www.w3.org/ns/shacl#")
KGSH = Namespace(SHAPES_IRI)


class KGO(DefinedNamespace):
    """The sv-press-kg ontology (`ontology/kg.ttl`)."""

    _NS = Namespace(KGO_IRI)
    _fail = True

    # organisation classes (exactly one per organisation)
    Municipality: URIRef
    CountyAdministrativeBoard: URIRef
    Region: URIRef
    GovernmentAgency: URIRef
    PoliticalParty: URIRef
    OrganizationalUnit: URIRef
    EducationalOrganization: URIRef
    Association: URIRef
    Company: URIRef
    Organisation: URIRef
    # properties
    evidence: URIRef
    onBehalfOf: URIRef
    acting: URIRef
    speakerMembership: URIRef
    position: URIRef
    project: URIRef
    sha256: URIRef
    sourceFile: URIRef


# The organisation classes of KGO, in the order of MODEL.md.
ORG_CLASSES: tuple[URIRef, ...] = (
    KGO.Municipality,
    KGO.CountyAdministrativeBoard,
    KGO.Region,
    KGO.GovernmentAgency,
    KGO.PoliticalParty,
    KGO.OrganizationalUnit,
    KGO.EducationalOrganization,
    KGO.Association,
    KGO.Company,
    KGO.Organisation,
)

PREFIXES: dict[str, str] = {
    "kgo": KGO_IRI,
    "org": str(ORG),
    "cv": str(CV),
    "schema": str(SCHEMA),
    "foaf": str(FOAF),
    "skos": str(SKOS),
    "prov": str(PROV),
    "nif": str(NIF),
    "dct": str(DCT),
    "xsd": str(XSD),
}


def term(ns: Namespace | type[DefinedNamespace] | str, local: str = "") -> NamedNode:
    """`ns` + `local` as a pyoxigraph NamedNode, e.g. `term(SCHEMA, "Event")`, `term(KGO.evidence)`.

    For KGO the local name is checked (unknown terms raise AttributeError).
    """
    if local and isinstance(ns, type) and issubclass(ns, DefinedNamespace):
        return NamedNode(str(ns[local]))
    return NamedNode(str(ns) + local)


def kgo_terms() -> tuple[URIRef, ...]:
    """Every term of KGO (classes and properties)."""
    return tuple(KGO[name] for name in KGO.__annotations__)


def ontology_files() -> Traversable:
    """The packaged copies of ontology/*.ttl (kg.ttl, imports.ttl, shapes.ttl)."""
    return files("kg") / "data" / "ontology"
