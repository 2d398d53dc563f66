"""Saved queries over HTTP: GET /queries lists them, GET /queries/{name} runs one.

Each saved query is also its own OpenAPI operation with its typed parameters. An iri parameter with a
`kind` also takes a name, resolved by the search index to one IRI (422 naming the candidates when it
is ambiguous); the result is bound as a term like any other value. Results (JSON, CSV,
TSV or an HTML table) are cached per store version and revalidated with ETag, since the store
is read-only between builds.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse, JSONResponse
from pyoxigraph import QueryResultsFormat, parse_query_results

from kg import search, views
from kg.queries import BadParameter, SavedQuery, UnknownQuery, is_name
from server import conneg, results
from server.context import Context
from server.examples import examples
from server.html import render
from server.pool import Job, QueryFailed
from server.sparql import error

OFFERS = ["application/sparql-results+json", "text/csv", "text/tab-separated-values", conneg.HTML]
SUFFIXES = {"json": "application/sparql-results+json", "csv": "text/csv", "tsv": "text/tab-separated-values"}
OPENAPI_TYPES: dict[str, dict[str, Any]] = {
    "iri": {"type": "string", "format": "uri"},
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "year": {"type": "integer", "minimum": 1000, "maximum": 9999},
    "date": {"type": "string", "format": "date"},
}


def describe(q: SavedQuery, shown: dict[str, Any] | None = None) -> dict[str, Any]:
    """A saved query as JSON: name, title, description, parameters and SPARQL text; `shown` replaces the
    declared examples (with ones that exist in the store served, server/examples.py)."""
    return {
        "name": q.name,
        "title": q.title,
        "description": q.description,
        "url": f"/queries/{q.name}",
        "params": [
            {
                "name": p.name,
                "type": p.type,
                "required": p.required,
                "default": p.default,
                "description": p.description,
                "example": shown.get(p.name) if shown is not None else p.example,
                **({"kind": list(p.kind), "searchTypes": search.types_of(p.kind)} if p.kind else {}),
            }
            for p in q.params
        ],
        "sparql": q.sparql,
    }


def _choose(request: Request, suffix: str | None) -> str:
    if suffix:
        if suffix not in SUFFIXES:
            raise conneg.NotAcceptable(f"unknown suffix .{suffix}; use .json, .csv or .tsv")
        return SUFFIXES[suffix]
    accept = request.headers.get("accept")
    fmt = request.query_params.get("format")
    media = conneg.pick(accept, fmt, OFFERS, kind=0)
    if media == conneg.HTML and not fmt and "text/html" not in (accept or ""):
        media = OFFERS[0]  # clients that accept anything get JSON; browsers ask for HTML by name
    return media


MAX_OFFSET = 100_000_000  # beyond any answer this server sends; larger numbers are refused, not run
PAGING = ("offset", "limit")  # reserved: no saved query may declare a parameter of these names


def _page(request: Request, row_cap: int) -> tuple[int, int] | None:
    """(offset, limit) from the request, or None: the whole answer."""
    raw = {k: request.query_params.get(k) for k in PAGING if k in request.query_params}
    if not raw:
        return None
    try:
        offset, limit = int(raw.get("offset") or 0), int(raw.get("limit") or row_cap)
    except ValueError:
        raise BadParameter("offset and limit expect whole numbers (e.g. offset=100&limit=100)") from None
    if not 0 <= offset <= MAX_OFFSET or not 1 <= limit <= row_cap:
        raise BadParameter(f"offset must be between 0 and {MAX_OFFSET:,} and limit between 1 and {row_cap}")
    return offset, limit


def _values(request: Request) -> dict[str, str]:
    values: dict[str, str] = {}
    for key, value in request.query_params.multi_items():
        if key == "format" or key in PAGING:
            continue
        if key in values:
            raise BadParameter(f"parameter {key!r} given more than once")
        values[key] = value
    return values


async def run_saved(ctx: Context, request: Request, name: str, suffix: str | None = None) -> Response:
    """Run saved query `name` with the request's parameters, from the cache when possible."""
    try:
        query = ctx.registry.get(name)
    except UnknownQuery as err:
        return error(404, str(err))
    try:
        media = _choose(request, suffix)
    except conneg.NotAcceptable as err:
        return error(406, str(err))
    html = media == conneg.HTML
    started = time.perf_counter()
    values: dict[str, str] = {}
    try:
        values = _values(request)
        names = search.resolver(ctx.search_index)  # a name for an iri parameter: ?person=Jimmy%20Jansson
        if any(p.kind and is_name(values.get(p.name) or "/") for p in query.params):
            terms = await asyncio.to_thread(query.bind, values, ctx.base, names)  # may read the index first
        else:
            terms = query.bind(values, base=ctx.base)
        page = _page(request, ctx.settings.row_cap)
    except BadParameter as err:
        if html:  # the page's form: the message above the form, with what was typed still in it
            return _html_error(ctx, query, values or dict(request.query_params), str(err))
        return JSONResponse({"detail": str(err)}, status_code=422)
    shown = None
    if html:  # one page of the table, and one row more to tell whether there is a next page
        shown = page or (0, results.PAGE_ROWS)
        page = (shown[0], shown[1] + 1)
    subs = {k: str(v) for k, v in terms.items()}
    wire = OFFERS[0] if media == conneg.HTML else media
    key = (name, tuple(sorted(subs.items())), wire, page)
    etag = '"' + hashlib.sha256(repr((ctx.version, key)).encode()).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Vary": "Accept", "Cache-Control": "public, max-age=60"}
    if media != conneg.HTML and etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    if not terms and page is None and media != conneg.HTML:  # a whole answer: sent from its view file
        try:
            whole = views.view_file(ctx.settings.store_path, query, ctx.settings.row_cap, build=False)
        except views.TooManyRows as err:
            return _too_many(ctx, err)
        except views.Unwritten:  # an update changed the view: its file is written from its table, once
            whole = await _written(ctx, query)
        if whole is not None and media != OFFERS[0]:
            whole = await _converted(ctx, whole, media)
        if whole is not None:
            return _ViewFile(whole, media_type=conneg.with_charset(media), headers=headers)
    cached = ctx.cache.get(key)
    if cached is None:
        try:
            store_path, cap = ctx.settings.store_path, ctx.settings.row_cap
            body = await asyncio.to_thread(views.view_json, store_path, query, terms, cap, page)
        except views.TooManyRows as err:
            return _too_many(ctx, err)
        if body is not None:
            cached = (etag, wire, await asyncio.to_thread(_as, wire, body))
            ctx.cache.put(key, cached)
    if cached is None:
        try:
            job = Job(query.sparql, results_media=OFFERS[0] if page else wire, substitutions=subs)
            outcome = await ctx.pool.run(job)
        except QueryFailed as err:
            return error(err.status, err.message)
        if outcome.status >= 400:
            return error(outcome.status, outcome.message)
        body = outcome.body
        if page or wire == "text/csv":
            body = await asyncio.to_thread(_as, wire, views.page_of(body, page) if page else body)
        cached = (etag, wire, body)
        ctx.cache.put(key, cached)
    body = cached[2]
    if shown is not None:
        return await asyncio.to_thread(_html, ctx, query, values, body, shown, time.perf_counter() - started)
    return Response(body, media_type=conneg.with_charset(media), headers=headers)


_CONVERTING: dict[Path, asyncio.Lock] = {}
_WRITING: dict[str, asyncio.Lock] = {}


async def _written(ctx: Context, query: SavedQuery) -> Path | None:
    """The view's whole-answer file, written from its table in a thread (one request writes it while
    the others wait on a lock); None when it cannot be (the table is then read, as for a filter)."""
    lock = _WRITING.setdefault(query.name, asyncio.Lock())
    async with lock:
        try:
            return await asyncio.to_thread(views.view_file, ctx.settings.store_path, query)
        except OSError:
            return None


async def _converted(ctx: Context, view: Path, media: str) -> Path | None:
    """The view's whole answer in `media` (CSV, TSV), written beside it once and then sent as a file.

    One request converts while the others wait on a lock (not on the CPU), so a crowd of downloads
    costs one conversion and never starves the event loop of its thread's share of the GIL."""
    suffix = {"text/csv": ".csv", "text/tab-separated-values": ".tsv"}.get(media)
    if suffix is None:
        return None
    target = view.with_suffix(suffix)
    lock = _CONVERTING.setdefault(target, asyncio.Lock())
    async with lock:
        try:
            if target.stat().st_mtime_ns >= view.stat().st_mtime_ns:
                return target
        except OSError:
            pass

        def convert() -> None:
            partial = target.with_suffix(suffix + ".partial")
            partial.write_bytes(_as(media, view.read_bytes()))
            partial.replace(target)

        try:
            await asyncio.to_thread(convert)
        except OSError:
            return None
    return target


def _as(wire: str, body: bytes) -> bytes:
    """A SPARQL result in the wire format (from JSON; CSV from any), spreadsheet-safe as CSV."""
    if wire == OFFERS[0]:
        return body
    if wire == "text/csv" and not body.lstrip().startswith(b"{"):
        return conneg.csv_safe(body)
    out = parse_query_results(body, format=QueryResultsFormat.JSON).serialize(format=conneg.RESULTS[wire])
    return conneg.csv_safe(out) if wire == "text/csv" else out


class _ViewFile(FileResponse):
    chunk_size = 1024 * 1024  # views are megabytes; Starlette's 64 KB means a thread hop per 64 KB


def _too_many(ctx: Context, err: views.TooManyRows) -> Response:
    cap = ctx.settings.row_cap
    return error(413, f"the result has {err.rows:,} rows, above this endpoint's cap of {cap:,}; use parameters")


def _html(
    ctx: Context, query: SavedQuery, values: dict[str, str], body: bytes, page: tuple[int, int], seconds: float
) -> Response:
    shown = results.table(ctx.store, ctx.base, query, values, json.loads(body), *page)
    return render(
        "saved_query.html",
        headers={"Vary": "Accept"},
        title=query.title or query.name,
        query=query,
        values=values,
        examples=examples(ctx, query),
        table=shown,
        took=results.timing(seconds),
        error=None,
    )


def _html_error(ctx: Context, query: SavedQuery, values: dict[str, str], message: str) -> Response:
    return render(
        "saved_query.html",
        status_code=422,
        headers={"Vary": "Accept"},
        title=query.title or query.name,
        query=query,
        values={k: v for k, v in values.items() if k not in ("format", *PAGING)},
        examples=examples(ctx, query),
        table=None,
        took=None,
        error=message,
    )


def routes(ctx: Context) -> APIRouter:
    router = APIRouter(tags=["saved queries"])

    async def list_queries(request: Request) -> Response:
        items = [describe(q, examples(ctx, q)) for q in ctx.registry.list()]
        try:
            fmt = {"json": "application/json"}.get(
                request.query_params.get("format", ""), request.query_params.get("format")
            )
            media = conneg.pick(request.headers.get("accept"), fmt, ["application/json", conneg.HTML])
        except conneg.NotAcceptable as err:
            return error(406, str(err))
        accept = request.headers.get("accept") or ""
        if media == conneg.HTML and ("text/html" in accept or fmt == "html"):
            return render("queries.html", headers={"Vary": "Accept"}, title="Saved queries", queries=items)
        return JSONResponse({"queries": items}, headers={"Vary": "Accept"})

    router.add_api_route(
        "/queries",
        list_queries,
        methods=["GET"],
        summary="List the saved queries",
        description="Title, description, typed parameters and SPARQL of each saved query (JSON, or HTML for browsers).",
    )
    for q in ctx.registry.list():
        router.add_api_route(
            f"/queries/{q.name}",
            _runner(ctx, q.name),
            methods=["GET"],
            name=f"saved_{q.name}",
            summary=q.title or q.name,
            description=q.description,
            openapi_extra={"parameters": _openapi_params(q), "responses": _openapi_responses()},
        )

    async def run_any(request: Request, name: str) -> Response:
        stem, dot, suffix = name.rpartition(".")
        if dot and stem in ctx.registry.names():
            return await run_saved(ctx, request, stem, suffix)
        return await run_saved(ctx, request, name)

    router.add_api_route("/queries/{name}", run_any, methods=["GET"], include_in_schema=False)
    return router


def _runner(ctx: Context, name: str) -> Any:
    async def run(request: Request) -> Response:
        return await run_saved(ctx, request, name)

    run.__name__ = f"saved_{name}"
    return run


def _openapi_params(q: SavedQuery) -> list[dict[str, Any]]:
    params = [
        {
            "name": p.name,
            "in": "query",
            "required": bool(p.required),
            "description": p.description + (f" (an IRI, or the name of a {' or '.join(p.kind)})" if p.kind else ""),
            "schema": {
                **(OPENAPI_TYPES["string"] if p.kind else OPENAPI_TYPES[p.type]),
                **({"default": p.default} if p.default is not None else {}),
            },
            **({"example": p.example} if p.example is not None else {}),
        }
        for p in q.params
    ]
    params += [
        {
            "name": "offset",
            "in": "query",
            "required": False,
            "description": "skip this many rows of the ordered answer (with limit: one page)",
            "schema": {"type": "integer", "minimum": 0},
        },
        {
            "name": "limit",
            "in": "query",
            "required": False,
            "description": "at most this many rows",
            "schema": {"type": "integer", "minimum": 1},
        },
    ]
    params.append(
        {
            "name": "format",
            "in": "query",
            "required": False,
            "schema": {"type": "string", "enum": ["json", "csv", "tsv", "html"]},
        }
    )
    return params


def _openapi_responses() -> dict[str, Any]:
    return {
        "200": {
            "description": "SPARQL 1.1 results",
            "content": {m: {} for m in OFFERS},
        },
        "304": {"description": "Not modified (ETag)"},
        "406": {"description": "No acceptable format"},
        "422": {"description": "A parameter is unknown or not of its declared type"},
    }
