"""The VoID description of the dataset (GET /.well-known/void).

What the project states about the dataset (title, licence, publisher, language) is data:
`kg/data/void.ttl`, read with the VoID document's URL as its base. The rest comes from the store and
the build: sizes (the build's statistics, kg/void.py), when it was built (the build runs of the meta
graph), the dumps the build wrote, and example resources (the most mentioned entity of each kind and
a document). Each class partition names its class; a kgo: class also links to its term on this
server's /ontology page, where it dereferences.
"""

from __future__ import annotations

from importlib.resources import files
from typing import Any

from fastapi import Request, Response
from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, parse

from kg import dumps
from kg.jsonld import prefixes
from server.context import Context
from server.describe_service import DEFAULT_GRAPH_NOTE, RDF_TYPE, VOCABULARIES, graph_response, root_url
from server.examples import first_document
from server.views import link_for

NS = prefixes()
VOID, DCT, DCAT, XSD = NS["void"], NS["dct"], NS["dcat"], NS["xsd"]
KGO = NS["kgo"]
SEE_ALSO = NamedNode(NS["rdfs"] + "seeAlso")
IANA = "https://www.iana.org/assignments/media-types/"
EXAMPLE_KINDS = ("person", "organisation", "event", "project")


def _int(n: int) -> Literal:
    return Literal(str(n), datatype=NamedNode(XSD + "integer"))


def _curie(iri: str) -> str:
    for prefix, ns in NS.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def _fragment(iri: str) -> str:
    """A fragment id naming a class or property: its compact IRI, ':' and other punctuation as '-'."""
    return "".join(c if c.isalnum() or c in "_." else "-" for c in _curie(iri))


def stated(ds: NamedNode) -> list[Triple]:
    """The project's statements about the dataset (kg/data/void.ttl), `<>` being `ds`."""
    text = (files("kg") / "data" / "void.ttl").read_bytes()
    return list(parse(text, format=RdfFormat.TURTLE, base_iri=ds.value, without_named_graphs=True))


def examples(ctx: Context) -> list[str]:
    """Example resources: the most mentioned person, organisation, event and project, and a document."""
    found = ctx.memo.get("void examples")
    if found is None:
        found = []
        for kind in EXAMPLE_KINDS:
            hits = ctx.search_index().search("", types=[kind], limit=1)
            found += [h.iri for h in hits]
        document = first_document(ctx)
        found += [document] if document else []
        ctx.memo["void examples"] = found
    return found  # type: ignore[return-value]


def partitions(ds: NamedNode, root: str, stats: dict[str, Any]) -> list[Triple]:
    """A class partition per class (entities, triples, where a kgo: class is described) and a property
    partition per property (triples)."""
    t = []
    for c in stats["classes"]:
        part, cls = NamedNode(f"{root}/.well-known/void#class-{_fragment(c['class'])}"), NamedNode(c["class"])
        t += [
            Triple(ds, NamedNode(VOID + "classPartition"), part),
            Triple(part, NamedNode(VOID + "class"), cls),
            Triple(part, NamedNode(VOID + "entities"), _int(c["entities"])),
            Triple(part, NamedNode(VOID + "triples"), _int(c["triples"])),
        ]
        if c["class"].startswith(KGO):
            t.append(Triple(cls, SEE_ALSO, NamedNode(f"{root}/ontology#{c['class'][len(KGO) :]}")))
    for p in stats["properties"]:
        part = NamedNode(f"{root}/.well-known/void#property-{_fragment(p['property'])}")
        t += [
            Triple(ds, NamedNode(VOID + "propertyPartition"), part),
            Triple(part, NamedNode(VOID + "property"), NamedNode(p["property"])),
            Triple(part, NamedNode(VOID + "triples"), _int(p["triples"])),
        ]
    return t


def dump_triples(ds: NamedNode, root: str, ctx: Context) -> list[Triple]:
    """void:dataDump for each dump the build wrote, with its media type, compression and size."""
    t = []
    for d in dumps.DUMPS.values():
        path = dumps.path(ctx.settings.store_path, d)
        if not path.is_file():
            continue
        dump = NamedNode(f"{root}/dumps/{d.name}")
        t += [
            Triple(ds, NamedNode(VOID + "dataDump"), dump),
            Triple(dump, NamedNode(DCAT + "mediaType"), NamedNode(IANA + d.media_type)),
            Triple(dump, NamedNode(DCAT + "compressFormat"), NamedNode(IANA + "application/gzip")),
            Triple(dump, NamedNode(DCAT + "byteSize"), _int(path.stat().st_size)),
            Triple(dump, NamedNode(DCT + "description"), Literal(d.description, language="en")),
        ]
    return t


def void(ctx: Context, request: Request) -> Response:
    """A void:Dataset: what the project states, sizes, partitions, build times, dumps and examples."""
    root = root_url(request)
    ds = NamedNode(f"{root}/.well-known/void")
    stats = ctx.void_stats()
    graphs = stats["graphs"]
    t = [Triple(ds, RDF_TYPE, NamedNode(VOID + "Dataset")), *stated(ds)]
    t += [
        Triple(ds, NamedNode(DCT + "description"), Literal(DEFAULT_GRAPH_NOTE.format(base=ctx.base), language="en")),
        Triple(ds, NamedNode(VOID + "sparqlEndpoint"), NamedNode(f"{root}/sparql")),
        Triple(ds, NamedNode(VOID + "uriSpace"), Literal(ctx.base)),
        Triple(ds, NamedNode(VOID + "triples"), _int(stats["triples"])),
        Triple(ds, NamedNode(VOID + "distinctSubjects"), _int(stats["distinctSubjects"])),
        Triple(ds, NamedNode(VOID + "distinctObjects"), _int(stats["distinctObjects"])),
        Triple(ds, NamedNode(VOID + "classes"), _int(len(stats["classes"]))),
        Triple(ds, NamedNode(VOID + "properties"), _int(len(stats["properties"]))),
        Triple(ds, NamedNode(VOID + "documents"), _int(graphs["documents"])),
    ]
    for key in ("created", "modified"):
        if stats.get(key):
            t.append(Triple(ds, NamedNode(DCT + key), Literal(stats[key], datatype=NamedNode(XSD + "dateTime"))))
    t += [Triple(ds, NamedNode(VOID + "vocabulary"), NamedNode(v)) for v in [*VOCABULARIES, KGO]]
    t += [Triple(ds, NamedNode(VOID + "exampleResource"), NamedNode(iri)) for iri in examples(ctx)]
    t += dump_triples(ds, root, ctx) + partitions(ds, root, stats)
    page = _page(ctx, ds, stats, t)
    return graph_response(t, request, ctx, "void.html", title="Dataset description (VoID)", root=root, page=page)


def _page(ctx: Context, ds: NamedNode, stats: dict[str, Any], triples: list[Triple]) -> dict[str, Any]:
    """The values of void.html: the dataset's statements, its classes and properties linked to where they
    are described, its examples and dumps."""

    def link(iri: str) -> str:
        return "/ontology#" + iri[len(KGO) :] if iri.startswith(KGO) else link_for(ctx.base, iri)

    def of(subject: NamedNode, predicate: str) -> list[Any]:
        return [t.object for t in triples if t.subject == subject and t.predicate.value == predicate]

    publishers = of(ds, DCT + "publisher")
    return {
        "stats": stats,
        "titles": [v.value for v in of(ds, DCT + "title")],
        "licenses": [v.value for v in of(ds, DCT + "license")],
        "publishers": [n.value for p in publishers for n in of(p, NS["foaf"] + "name")],
        "classes": [{**c, "curie": _curie(c["class"]), "href": link(c["class"])} for c in stats["classes"]],
        "properties": [{**p, "curie": _curie(p["property"]), "href": link(p["property"])} for p in stats["properties"]],
        "examples": [{"iri": iri, "href": link(iri)} for iri in examples(ctx)],
        "dumps": [v.value for v in of(ds, VOID + "dataDump")],
    }
