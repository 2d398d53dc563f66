"""Linked-data pages: every IRI minted under the base dereferences here, plus /ontology, /dumps and
the JSON-LD context.

GET /id/…, /res/…, /def/…, /graph/… map the request path onto the base IRI and answer 200 with
HTML or RDF (Turtle, JSON-LD, N-Triples, RDF/XML) at the same URL, chosen by Accept or `?format=`.
Multi-valued properties and incoming links are paged (`?page=`, `?limit=`). An HTML page leads with the
entity's summary and shows its evidence in pages of its own (`?evidence_offset=`, `?evidence_limit=`;
server/entity.py). An IRI that names a graph (`graph/reference`, `graph/meta`, `graph/doc/{id}`) answers
in RDF with the graph's triples, paged past `row_cap` triples; its HTML page shows what the dataset says
about it. JSON-LD is compact and refers to /context.jsonld (kg/jsonld.py).
"""

from __future__ import annotations

import hashlib
import json
from itertools import islice
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import PlainTextResponse, Response
from pyoxigraph import NamedNode, Triple

from kg import jsonld
from server import dumps, entity
from server.conneg import (
    CONTEXT_PATH,
    HTML,
    JSON_LD,
    NotAcceptable,
    context_url,
    graph_body,
    negotiate,
    pick,
    with_charset,
)
from server.describe import Reader
from server.entity import EVIDENCE_LIMIT, MAX_EVIDENCE_LIMIT
from server.html import render
from server.views import ALL_PREFIXES, Linker, Views, load_ontology

PAGE_SIZE = 100  # default values per property and incoming links per page
MAX_LIMIT = 1000
ALTERNATES = [
    ("ttl", "text/turtle"),
    ("jsonld", "application/ld+json"),
    ("nt", "application/n-triples"),
    ("rdfxml", "application/rdf+xml"),
]
OFFERS = [HTML] + [media for _, media in ALTERNATES]
HYDRA_NEXT = NamedNode(ALL_PREFIXES["hydra"] + "next")
MINTED = ("id", "res", "def", "graph")


def routes(ctx: Any) -> APIRouter:
    """The router for resource pages, document pages, the ontology and the dumps."""
    router = APIRouter(tags=["linked data"])
    ontology = load_ontology()
    ontology_triples = [q.triple for q in ontology]

    def resource(
        request: Request, path: str, page: int, limit: int | None, evidence: tuple[int, int] = (0, EVIDENCE_LIMIT)
    ) -> Response:
        try:
            media = pick(request.headers.get("accept"), request.query_params.get("format"), OFFERS, kind=1)
        except NotAcceptable as err:
            return PlainTextResponse(str(err), status_code=406, headers={"Vary": "Accept"})
        reader = Reader(ctx.store, ctx.base)
        try:
            iri = NamedNode(ctx.base + path)
        except ValueError:
            iri = None
        if iri is None or not reader.exists(iri):
            return not_found(request, f"No resource <{ctx.base}{path}> in this dataset.")
        local = "/" + path
        named_graph = ctx.store.contains_named_graph(iri)
        if named_graph and media != HTML:
            return graph_contents(request, iri, local, page, limit, media)
        size = limit or getattr(ctx.settings, "page_size", PAGE_SIZE)
        desc = reader.describe(iri, page, size)
        nav = _nav(local, page, desc.has_next, limit)
        headers = {"Vary": "Accept", "Link": _link_header(local, page, limit, nav)}
        if media == HTML:
            linker = Linker(ctx.base, ontology)
            views = Views(reader, linker)
            values = views.resource(desc)
            values["graph_size"] = graph_size(iri) if named_graph else None
            formats = [(name, _url(local, page, limit, name), media) for name, media in ALTERNATES]
            parts = path.split("/")
            if len(parts) == 3 and parts[:2] == ["res", "doc"]:
                meta = _document_meta(views, desc)
                title = meta["headline"]["text"] if meta["headline"] else values["title"]
                return render("document.html", headers=headers, r=values, nav=nav, alternates=formats, doc=meta,
                              body=views.document(iri, parts[2]), title=title)  # fmt: skip
            summary, spans = entity.facts(ctx, iri.value)
            return render(
                "resource.html", headers=headers, r=values, nav=nav, alternates=formats, title=values["title"],
                summary=entity.summary_values(summary, views, len(spans)) if summary else None,
                evidence=entity.evidence_values(views, spans, local, *evidence),
            )  # fmt: skip
        triples = desc.triples()
        if desc.has_next:
            triples.append(Triple(NamedNode(str(request.url)), HYDRA_NEXT, NamedNode(_absolute(request, nav["next"]))))
        return rdf_response(request, triples, media, headers)

    def graph_contents(
        request: Request, graph: NamedNode, local: str, page: int, limit: int | None, media: str
    ) -> Response:
        """One page of the triples of a named graph (the whole graph up to `row_cap` triples)."""
        size = limit or ctx.settings.row_cap
        quads = ctx.store.quads_for_pattern(None, None, None, graph)
        triples = [q.triple for q in islice(quads, (page - 1) * size, page * size + 1)]
        has_next = len(triples) > size
        del triples[size:]
        nav = _nav(local, page, has_next, limit)
        headers = {"Vary": "Accept", "Link": _link_header(local, page, limit, nav)}
        if has_next:
            triples.append(Triple(NamedNode(str(request.url)), HYDRA_NEXT, NamedNode(_absolute(request, nav["next"]))))
        return rdf_response(request, triples, media, headers)

    def graph_size(graph: NamedNode) -> int:
        """Triples in a named graph, counted once per build."""
        sizes: dict[str, int] = ctx.memo.setdefault("graph sizes", {})
        if graph.value not in sizes:
            sizes[graph.value] = sum(1 for _ in ctx.store.quads_for_pattern(None, None, None, graph))
        return sizes[graph.value]

    def minted_route(prefix: str):  # type: ignore[no-untyped-def]
        def minted(
            request: Request,
            rest: str,
            page: int = Query(1, ge=1, le=1_000_000, description="Page of multi-valued properties and incoming links"),
            limit: int | None = Query(None, ge=1, le=MAX_LIMIT, description="Values and incoming links per page"),
            format: str | None = Query(None, description="ttl, jsonld, nt, rdfxml or html (overrides Accept)"),
            evidence_offset: int = Query(0, ge=0, le=10_000_000, description="HTML: first evidence snippet shown"),
            evidence_limit: int = Query(
                EVIDENCE_LIMIT, ge=1, le=MAX_EVIDENCE_LIMIT, description="HTML: evidence snippets per page"
            ),
        ) -> Response:
            """A resource minted under the base IRI, as HTML or RDF."""
            return resource(request, f"{prefix}/{rest}", page, limit, (evidence_offset, evidence_limit))

        return minted

    for prefix in MINTED:
        route = minted_route(prefix)
        router.add_api_route(f"/{prefix}/{{rest:path}}", route, methods=["GET"], name=f"{prefix}-resource")
        router.add_api_route(f"/{prefix}/{{rest:path}}", route, methods=["HEAD"], include_in_schema=False)

    @router.api_route("/ontology", methods=["HEAD"], include_in_schema=False)
    @router.api_route("/ontology", methods=["GET"])
    def ontology_page(request: Request, format: str | None = Query(None)) -> Response:
        """The ontology (kgo:) as HTML or RDF."""
        try:
            media = pick(request.headers.get("accept"), format, OFFERS, kind=1)
        except NotAcceptable as err:
            return PlainTextResponse(str(err), status_code=406, headers={"Vary": "Accept"})
        headers = {"Vary": "Accept", "Link": _link_header("/ontology", 1, None, {})}
        if media == HTML:
            linker = Linker(ctx.base, ontology)
            formats = [(name, f"/ontology?format={name}", media) for name, media in ALTERNATES]
            return render("ontology.html", headers=headers, title="Ontology", terms=_ontology_terms(ontology, linker),
                          alternates=formats)  # fmt: skip
        return rdf_response(request, ontology_triples, media, headers)

    context_body = json.dumps(jsonld.context(), ensure_ascii=False, indent=1).encode("utf-8")
    context_etag = '"' + hashlib.sha256(context_body).hexdigest()[:16] + '"'

    @router.api_route(CONTEXT_PATH, methods=["HEAD"], include_in_schema=False)
    @router.api_route(CONTEXT_PATH, methods=["GET"])
    def context_document(request: Request) -> Response:
        """The JSON-LD context of every JSON-LD answer: the ontology's prefixes and a term per kgo: term."""
        headers = {"ETag": context_etag, "Cache-Control": "public, max-age=86400"}
        if context_etag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
            return Response(status_code=304, headers=headers)
        return Response(context_body, media_type=JSON_LD, headers=headers)

    router.include_router(dumps.routes(ctx))
    return router


def rdf_response(request: Request, triples: list[Triple], media: str, headers: dict[str, str]) -> Response:
    """Triples in an RDF media type (JSON-LD compact with this server's context)."""
    body = graph_body(triples, media, context_url(str(request.base_url)), ALL_PREFIXES)
    return Response(body, media_type=with_charset(media), headers=headers)


def not_found(request: Request, message: str) -> Response:
    """404 as an HTML page for browsers, else plain text."""
    media = negotiate(request.headers.get("accept"), [HTML, "text/plain"])
    if media == HTML or request.query_params.get("format") == "html":
        return render("notfound.html", status_code=404, headers={"Vary": "Accept"}, title="Not found", message=message)
    return PlainTextResponse(message, status_code=404, headers={"Vary": "Accept"})


def _url(path: str, page: int, limit: int | None, fmt: str | None = None) -> str:
    params = [f"format={fmt}"] if fmt else []
    if page > 1:
        params.append(f"page={page}")
    if limit:
        params.append(f"limit={limit}")
    return path + ("?" + "&".join(params) if params else "")


def _nav(path: str, page: int, has_next: bool, limit: int | None) -> dict[str, str | int | None]:
    return {
        "page": page,
        "prev": _url(path, page - 1, limit) if page > 1 else None,
        "next": _url(path, page + 1, limit) if has_next else None,
    }


def _link_header(path: str, page: int, limit: int | None, nav: dict[str, Any]) -> str:
    links = [f'<{_url(path, page, limit, name)}>; rel="alternate"; type="{media}"' for name, media in ALTERNATES]
    for rel in ("prev", "next"):
        if nav.get(rel):
            links.append(f'<{nav[rel]}>; rel="{rel}"')
    return ", ".join(links)


def _absolute(request: Request, local: str) -> str:
    return str(request.base_url).rstrip("/") + local


def _document_meta(views: Views, desc: Any) -> dict[str, Any]:
    """Headline, date, publisher and source file of a document page."""
    schema, kgo = ALL_PREFIXES["schema"], ALL_PREFIXES["kgo"]
    labels = {k: v.value for k, v in desc.labels.items()}

    def first(p: str) -> Any:
        values = desc.values(p)
        return views.linker.value(values[0], labels) if values else None

    return {
        "headline": first(schema + "headline"),
        "date": first(schema + "datePublished"),
        "publishers": [views.linker.value(v, labels) for v in desc.values(schema + "publisher")],
        "source": first(kgo + "sourceFile"),
    }


def _ontology_terms(ontology: Any, linker: Linker) -> list[dict[str, Any]]:
    """Every subject of the ontology with its statements, the ontology header first."""
    subjects: dict[str, list[Any]] = {}
    for quad in ontology:
        if isinstance(quad.subject, NamedNode):
            subjects.setdefault(quad.subject.value, []).append(quad)
    labels = {iri: linker.term_label(iri) for iri in subjects}
    out = []
    for iri in sorted(subjects, key=lambda i: (not i.endswith("ontology"), i)):
        rows: dict[str, list[Any]] = {}
        for quad in subjects[iri]:
            rows.setdefault(quad.predicate.value, []).append(linker.value(quad.object, labels))
        anchor = iri.rsplit("#", 1)[1] if "#" in iri else ""
        props = [{"predicate": linker.value(NamedNode(p)), "rows": v} for p, v in sorted(rows.items())]
        out.append({"iri": iri, "anchor": anchor, "title": labels[iri], "properties": props})
    return out
