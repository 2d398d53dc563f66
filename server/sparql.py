"""The SPARQL 1.1 Protocol endpoint at /sparql, its service description and the VoID description.

GET ?query=, POST form-encoded and POST direct (application/sparql-query); default-graph-uri and
named-graph-uri; results by content negotiation or `format`. Queries run in the worker pool
(hard time, memory and row limits). Updates are refused unless an update token is configured.
The default graph is the merged, de-duplicated graph of all facts, never the union of graphs.
"""

from __future__ import annotations

import hmac
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request, Response
from fastapi.responses import PlainTextResponse
from pyoxigraph import NamedNode
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server import conneg, describe_service
from server.context import Context
from server.pool import Job, Outcome, QueryFailed
from server.void import void as void_description

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"
DATASET_PARAMS = ("default-graph-uri", "named-graph-uri")
UPDATE_DATASET_PARAMS = ("using-graph-uri", "using-named-graph-uri")
FORMAT_PARAMS = ("format", "output", "results")
PATHS = ("/sparql", "/sparql/")
MIN_TIMEOUT = 0.1


class ProtocolError(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def error(status: int, message: str, headers: dict[str, str] | None = None) -> PlainTextResponse:
    """A plain-text error naming what was wrong (never a truncated success)."""
    return PlainTextResponse(message + "\n", status_code=status, headers={"Vary": "Accept", **(headers or {})})


def _media(request: Request) -> tuple[str, str | None]:
    """The request's media type and charset."""
    raw = request.headers.get("content-type", "")
    media, *params = [p.strip() for p in raw.split(";")]
    charset = None
    for p in params:
        key, _, value = p.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media.lower(), charset


def _one(pairs: list[tuple[str, str]], name: str) -> str | None:
    values = [v for k, v in pairs if k == name]
    if len(values) > 1:
        raise ProtocolError(400, f"give at most one {name!r} parameter (got {len(values)})")
    return values[0] if values else None


async def _operation(request: Request) -> tuple[str, str, list[tuple[str, str]]]:
    """('query'|'update'|'', text, all parameters) from a GET or POST request."""
    try:
        query_string = request.scope["query_string"].decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError(400, "the query string is not valid UTF-8") from None
    params = parse_qsl(query_string, keep_blank_values=True)
    if request.method in ("GET", "HEAD"):
        if any(k == "update" for k, _ in params):
            raise ProtocolError(405, "SPARQL Update must be sent with POST", {"Allow": "GET, POST"})
        text = _one(params, "query")
        return ("query" if text is not None else ""), text or "", params
    media, charset = _media(request)
    if charset not in (None, "utf-8", "utf8"):
        raise ProtocolError(415, f"only UTF-8 is accepted (got charset={charset})")
    body = await request.body()
    try:
        decoded = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError(400, "the request body is not valid UTF-8") from None
    if media == FORM:
        form = list(parse_qsl(decoded, keep_blank_values=True))
        params += form
        query, update = _one(form, "query"), _one(form, "update")
        if (query is None) == (update is None):
            raise ProtocolError(400, "a form-encoded POST needs exactly one 'query' or 'update' parameter")
        return ("query", query, params) if query is not None else ("update", update or "", params)
    if media == QUERY:
        return "query", decoded, params
    if media == UPDATE:
        return "update", decoded, params
    raise ProtocolError(
        415,
        f"unsupported media type {conneg.shown(media or '(none)')}: POST {FORM}, {QUERY} or {UPDATE}",
    )


def _graphs(ctx: Context, params: list[tuple[str, str]]) -> tuple[list[str] | None, list[str] | None]:
    default = [v for k, v in params if k == "default-graph-uri"]
    named = [v for k, v in params if k == "named-graph-uri"]
    for iri in default + named:
        if not iri or any(c in iri for c in '<> "{}|^`\\'):
            raise ProtocolError(400, f"not an IRI: {conneg.shown(iri)}")
        try:
            NamedNode(iri)
        except ValueError:
            raise ProtocolError(400, f"not an absolute IRI: {conneg.shown(iri)}") from None
    if not default and not named:
        return None, None
    return (default or []), (named or [])


def _respond(outcome: Outcome, headers: dict[str, str] | None = None) -> Response:
    if outcome.status >= 400:
        return error(outcome.status, outcome.message)
    if outcome.status == 204:
        return Response(status_code=204)
    return Response(
        outcome.body,
        media_type=conneg.with_charset(outcome.media),
        headers={"Vary": "Accept", **(headers or {})},
    )


async def answer(ctx: Context, request: Request) -> Response:
    """The answer to a SPARQL protocol request at /sparql: a query's result, an update's, the service
    description, or an error naming what was wrong."""
    try:
        op, text, params = await _operation(request)
        if op == "":
            return describe_service.service_description(ctx, request)
        if op == "update":
            return await _update(ctx, request, text, params)
        return await _query(ctx, request, text, params)
    except ProtocolError as err:
        return error(err.status, err.message, err.headers)
    except QueryFailed as err:
        return error(err.status, err.message)


class SparqlRoute:
    """The cheapest route to /sparql: a raw ASGI app in front of the framework's routing.

    Mounted inside the security-header and CORS middleware (`server/app.py`), so its answers carry the
    same headers as every other route; GET and POST to /sparql are answered here without the router,
    the exception middleware and FastAPI's request handling; everything else goes on to `app`. The
    route the framework has for /sparql stays: it documents the endpoint in /openapi.json.
    """

    def __init__(self, app: ASGIApp, ctx: Context) -> None:
        self.app = app
        self.ctx = ctx

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] in PATHS and scope["method"] in ("GET", "POST"):
            started = False

            async def sending(message: Message) -> None:
                nonlocal started
                started = True
                await send(message)

            try:
                response = await answer(self.ctx, Request(scope, receive))
                await response(scope, receive, sending)
            except Exception:
                if not started:  # as the framework's ServerErrorMiddleware: a plain 500, then the error is logged
                    await PlainTextResponse("Internal Server Error", status_code=500)(scope, receive, send)
                raise
            return
        await self.app(scope, receive, send)


def routes(ctx: Context) -> APIRouter:
    router = APIRouter(tags=["SPARQL"])

    async def endpoint(request: Request) -> Response:
        return await answer(ctx, request)

    summary = "SPARQL 1.1 query endpoint"
    description = (
        "SPARQL 1.1 Protocol. GET with ?query=, POST form-encoded (query=) or POST application/sparql-query. "
        "The default graph is the merged, de-duplicated graph of all facts; GRAPH reaches each document's graph. "
        "Results: JSON, XML, CSV, TSV (SELECT/ASK); Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML "
        "(CONSTRUCT/DESCRIBE) by Accept or ?format=. Without a query: the service description."
    )
    parameters = [
        {
            "name": "query",
            "in": "query",
            "schema": {"type": "string"},
            "description": "SPARQL query",
            "example": "SELECT ?class (COUNT(*) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n) LIMIT 9",
        },
        {"name": "default-graph-uri", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}},
        {"name": "named-graph-uri", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}},
        {
            "name": "format",
            "in": "query",
            "schema": {"type": "string"},
            "description": "json, xml, csv, tsv, ttl, nt, nq, trig, jsonld, rdfxml",
        },
        {
            "name": "timeout",
            "in": "query",
            "schema": {"type": "number"},
            "description": "seconds; may only lower the server's limit",
        },
    ]
    body = {
        "requestBody": {
            "content": {
                FORM: {"schema": {"type": "object", "properties": {"query": {"type": "string"}}}},
                QUERY: {"schema": {"type": "string"}},
            }
        }
    }
    for path in PATHS:
        for method in ("GET", "POST"):
            router.add_api_route(
                path,
                endpoint,
                methods=[method],
                summary=summary,
                description=description,
                operation_id=f"sparql_{method.lower()}",
                include_in_schema=path == "/sparql",
                openapi_extra={"parameters": parameters, **(body if method == "POST" else {})},
            )

    async def void(request: Request) -> Response:
        return void_description(ctx, request)

    router.add_api_route("/.well-known/void", void, methods=["GET"], summary="VoID description of the dataset")
    router.add_api_route("/void", void, methods=["GET"], include_in_schema=False)
    return router


_CHOSEN: dict[tuple[str | None, tuple[str, ...]], tuple[str | None, str | None]] = {}
_ENDPOINTS: dict[tuple, tuple[str, str]] = {}
MEMO_SIZE = 256  # Accept values and host names remembered (they come from clients: bounded) ...
MEMO_CHARS = 512  # ... and only short ones


def _media_types(accept: str | None, names: list[str]) -> tuple[str | None, str | None]:
    """The media types for a SELECT/ASK result and for a graph result (None: not servable), remembered
    for the Accept values and format names clients keep sending."""
    key = (accept, tuple(names))
    chosen = _CHOSEN.get(key)
    if chosen is None:
        chosen = (_choose(accept, names, list(conneg.RESULTS), 0), _choose(accept, names, list(conneg.GRAPHS), 1))
        if len(accept or "") + sum(map(len, names)) <= MEMO_CHARS:
            if len(_CHOSEN) >= MEMO_SIZE:
                _CHOSEN.clear()
            _CHOSEN[key] = chosen
    return chosen


def _endpoint_urls(request: Request) -> tuple[str, str]:
    """The endpoint's URL (the base IRI of queries) and its JSON-LD context's URL, as the request names
    the server (scheme, Host, root path), remembered per name."""
    scope = request.scope
    host = next((v for k, v in scope["headers"] if k == b"host"), None)
    key = (scope.get("scheme"), host, tuple(scope.get("server") or ()), scope.get("root_path", ""), scope["path"])
    urls = _ENDPOINTS.get(key)
    if urls is None:
        urls = (str(request.url).split("?", 1)[0], conneg.context_url(str(request.base_url)))
        if len(host or b"") + len(key[3]) <= MEMO_CHARS:
            if len(_ENDPOINTS) >= MEMO_SIZE:
                _ENDPOINTS.clear()
            _ENDPOINTS[key] = urls
    return urls


def _choose(accept: str | None, names: list[str], offers: list[str], kind: int) -> str | None:
    """The media type for one kind of result: from format/output values (clients such as
    SPARQLWrapper repeat one format under several names), else from Accept; None if unservable."""
    if not names:
        return conneg.pick_or_none(accept, None, offers, kind)
    medias = {conneg.by_name(n, kind) for n in names} - {None}
    if len(medias) > 1:
        raise ProtocolError(400, f"conflicting formats requested: {', '.join(dict.fromkeys(names))}")
    media = medias.pop() if medias else None
    return media if media in offers else None


def _timeout(params: list[tuple[str, str]]) -> float | None:
    raw = _one(params, "timeout")
    if raw is None or raw == "":
        return None
    try:
        value = float(raw)
    except ValueError:
        raise ProtocolError(400, f"timeout must be a number of seconds, got {conneg.shown(raw)}") from None
    if not value >= MIN_TIMEOUT:
        raise ProtocolError(400, f"timeout must be at least {MIN_TIMEOUT} s")
    return value


async def _query(ctx: Context, request: Request, text: str, params: list[tuple[str, str]]) -> Response:
    if not text.strip():
        raise ProtocolError(400, "the query is empty")
    names = [v for k, v in params if k in FORMAT_PARAMS and v]
    accept = request.headers.get("accept")
    results_media, graph_media = _media_types(accept, names)
    if results_media is None and graph_media is None:
        offers = ", ".join([*conneg.RESULTS, *conneg.GRAPHS])
        asked = " / ".join(dict.fromkeys(names)) or accept
        raise ProtocolError(406, f"cannot serve {conneg.shown(asked)}; available: {offers}")
    default, named = _graphs(ctx, params)
    base_iri, context = _endpoint_urls(request)
    job = Job(
        text,
        results_media,
        graph_media,
        default_graph=default,
        named_graphs=named,
        base_iri=base_iri,
        guard=True,
        context_url=context,
    )
    return _respond(await ctx.pool.run(job, timeout=_timeout(params)))


async def _update(ctx: Context, request: Request, text: str, params: list[tuple[str, str]]) -> Response:
    token = ctx.settings.update_token
    if not token:
        return error(403, "this endpoint is read-only: SPARQL Update is not enabled")
    given = request.headers.get("authorization", "")
    scheme, _, value = given.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip().encode(), token.encode()):
        return error(401, "SPARQL Update needs 'Authorization: Bearer <token>'", {"WWW-Authenticate": "Bearer"})
    if any(k in UPDATE_DATASET_PARAMS for k, _ in params):
        raise ProtocolError(400, "using-graph-uri and using-named-graph-uri are not supported; use USING in the update")
    outcome = await ctx.run_update(text, base_iri=str(request.url).split("?", 1)[0])
    return _respond(outcome)
