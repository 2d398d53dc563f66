"""The SPARQL service description (GET /sparql without a query), and the RDF-or-HTML answer it shares
with the VoID description (server/void.py)."""

from __future__ import annotations

from fastapi import Request, Response
from pyoxigraph import BlankNode, Literal, NamedNode, Triple, serialize

from kg.store import PREFIXES
from server import conneg
from server.context import Context
from server.html import render

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
FORMATS = "http://www.w3.org/ns/formats/"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DCT = "http://purl.org/dc/terms/"
XSD_INT = NamedNode("http://www.w3.org/2001/XMLSchema#integer")
RESULT_FORMATS = [
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "N-Quads",
    "TriG",
    "JSON-LD",
    "RDF_XML",
]
DEFAULT_GRAPH_NOTE = (
    "The default graph is the merged, de-duplicated graph of all facts of all press releases plus the "
    "reference graph (municipalities, regions, county boards, agencies). It is not the union of the "
    "named graphs; each press release's facts are also in their own named graph ({base}graph/doc/{{id}}), "
    "reachable with GRAPH."
)
VOCABULARIES = [
    "http://www.w3.org/ns/org#",
    "https://schema.org/",
    "http://xmlns.com/foaf/0.1/",
    "http://www.w3.org/2004/02/skos/core#",
    "http://www.w3.org/ns/prov#",
    "http://data.europa.eu/m8g/",
    "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#",
]


def root_url(request: Request) -> str:
    """This server's URL as the client reached it, without a trailing slash."""
    return str(request.base_url).rstrip("/")


def graph_response(triples: list[Triple], request: Request, ctx: Context, html: str, **values: object) -> Response:
    """`triples` as RDF by Accept or `format` (JSON-LD compact with the published context), or the page `html`
    for browsers (with the Turtle in `turtle`)."""
    offers = [conneg.HTML, *conneg.GRAPHS]
    try:
        media = conneg.pick(request.headers.get("accept"), request.query_params.get("format"), offers, kind=1)
    except conneg.NotAcceptable as err:
        return Response(str(err) + "\n", status_code=406, media_type="text/plain", headers={"Vary": "Accept"})
    accept = request.headers.get("accept") or ""
    if media == conneg.HTML and "text/html" not in accept and not request.query_params.get("format"):
        media = "text/turtle"  # clients that accept anything get RDF; browsers ask for HTML by name
    if media == conneg.HTML:
        turtle = serialize(triples, format=conneg.GRAPHS["text/turtle"], prefixes=_prefixes()).decode()
        return render(html, headers={"Vary": "Accept"}, turtle=turtle, **values)
    body = conneg.graph_body(triples, media, conneg.context_url(root_url(request)), _prefixes())
    return Response(body, media_type=conneg.with_charset(media), headers={"Vary": "Accept"})


def _prefixes() -> dict[str, str]:
    return {**PREFIXES, "sd": SD, "void": VOID, "formats": FORMATS, "dcat": "http://www.w3.org/ns/dcat#"}


def service_description(ctx: Context, request: Request) -> Response:
    """The sd:Service for this endpoint: languages, formats, limits, the default graph's meaning."""
    root = root_url(request)
    service = NamedNode(f"{root}/sparql")
    dataset = NamedNode(f"{root}/.well-known/void")
    default_graph = BlankNode()
    stats = ctx.void_stats()
    info = {"triples": stats["triples"], "documents": stats["graphs"]["documents"]}
    s = ctx.settings
    t = [
        Triple(service, RDF_TYPE, NamedNode(SD + "Service")),
        Triple(service, NamedNode(SD + "endpoint"), service),
        Triple(service, NamedNode(SD + "supportedLanguage"), NamedNode(SD + "SPARQL11Query")),
        Triple(service, NamedNode(SD + "feature"), NamedNode(SD + "EmptyGraphs")),
        Triple(service, NamedNode(SD + "defaultDataset"), dataset),
        Triple(dataset, RDF_TYPE, NamedNode(SD + "Dataset")),
        Triple(dataset, RDF_TYPE, NamedNode(VOID + "Dataset")),
        Triple(dataset, NamedNode(SD + "defaultGraph"), default_graph),
        Triple(default_graph, RDF_TYPE, NamedNode(SD + "Graph")),
        Triple(
            default_graph,
            NamedNode(DCT + "description"),
            Literal(DEFAULT_GRAPH_NOTE.format(base=ctx.base), language="en"),
        ),
        Triple(default_graph, NamedNode(VOID + "triples"), Literal(str(info["triples"]), datatype=XSD_INT)),
        Triple(
            service,
            NamedNode(DCT + "description"),
            Literal(
                f"Read-only SPARQL 1.1 endpoint. Each query is stopped after {s.timeout:g} s or "
                f"{s.memory_mb} MB of memory; results above {s.row_cap:,} rows are refused (page with "
                "LIMIT/OFFSET), never cut. SERVICE and remote FROM are refused.",
                language="en",
            ),
        ),
    ]
    if s.update_token:
        t.append(Triple(service, NamedNode(SD + "supportedLanguage"), NamedNode(SD + "SPARQL11Update")))
    t += [Triple(service, NamedNode(SD + "resultFormat"), NamedNode(FORMATS + f)) for f in RESULT_FORMATS]
    return graph_response(t, request, ctx, "service.html", title="SPARQL endpoint", root=root, info=info, settings=s)
