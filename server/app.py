"""The app factory: `create_app(settings)` wires the routes of each part to one context.

Parts: sparql (the SPARQL 1.1 protocol, service description, VoID), saved (saved queries),
pages (linked-data pages, document pages, dumps), search (find entities by name), ui (the query page at /).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import kg
from server.context import Context, Settings

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
HTML_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


class SecurityHeaders:
    """Pure ASGI middleware (much cheaper per request than @app.middleware): nosniff everywhere, a CSP on HTML;
    and before each request, a look (one stat) for a new build swapped into the store's path."""

    def __init__(self, app: ASGIApp, ctx: Context | None = None) -> None:
        self.app = app
        self.ctx = ctx

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.ctx is not None and self.ctx.swapped():
            await self.ctx.follow_swap()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = with_security_headers(message.get("headers") or [])
            await send(message)

        await self.app(scope, receive, send_with_headers)


_SECURITY_RAW = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in SECURITY_HEADERS.items()]
_CSP_RAW = (b"content-security-policy", HTML_CSP.encode("latin-1"))


def with_security_headers(headers: Iterable[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """`headers` (raw ASGI pairs) with the security headers it lacks: nosniff and the referrer policy on
    every answer, the Content-Security-Policy on HTML."""
    out = list(headers)
    names = {k.lower() for k, _ in out}
    out += [pair for pair in _SECURITY_RAW if pair[0] not in names]
    if b"content-security-policy" not in names:
        media = next((v for k, v in out if k.lower() == b"content-type"), b"")
        if media.startswith(b"text/html"):
            out.append(_CSP_RAW)
    return out


CORS = {
    "allow_origins": ["*"],
    "allow_methods": ["GET", "HEAD", "POST", "OPTIONS"],
    "allow_headers": ["Accept", "Content-Type"],
    "expose_headers": ["ETag", "Link", "Content-Disposition"],
}


class _App(FastAPI):
    """FastAPI behind three layers of our own: the security headers (and the look for a new build), CORS,
    and the raw route to /sparql (`server.sparql.SparqlRoute`). /sparql gets every header the other routes
    get, without the framework's per-request work (telemetry checks, middleware, routing); the framework's
    own errors get the headers too."""

    ctx: Context
    _front: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await super().__call__(scope, receive, send)
            return
        front = self._front
        if front is None:
            from server.sparql import SparqlRoute

            routed = SparqlRoute(super().__call__, self.ctx)
            front = self._front = SecurityHeaders(CORSMiddleware(routed, **CORS), ctx=self.ctx)
        scope["app"] = self
        await front(scope, receive, send)


def create_app(settings: Settings | None = None) -> FastAPI:
    """A FastAPI app serving the store named by `settings` (opened read-only)."""
    settings = settings or Settings()
    ctx = Context(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        starting = asyncio.create_task(ctx.pool.start())  # accept connections while workers start
        reading = asyncio.create_task(asyncio.to_thread(ctx.search_index))  # before the first search asks
        try:
            yield
        finally:
            starting.cancel()
            reading.cancel()
            ctx.pool.close()

    app = _App(
        lifespan=lifespan,
        docs_url=None,  # served below from local files: the CSP allows no CDN and no inline script
        redoc_url=None,
        title="sv-press-kg",
        version=kg.__version__,
        description=(
            "SPARQL 1.1 endpoint, saved queries and linked-data pages over a knowledge graph of Swedish "
            "public-sector press releases. The default graph is the merged, de-duplicated graph of all "
            "facts; each press release's facts are also in their own named graph."
        ),
    )
    app.state.ctx = ctx
    app.ctx = ctx

    from server import pages, saved, search, sparql, ui

    app.include_router(sparql.routes(ctx))
    app.include_router(saved.routes(ctx))
    app.include_router(pages.routes(ctx))
    app.include_router(search.routes(ctx))
    app.include_router(ui.routes(ctx))
    app.mount("/static", StaticFiles(packages=[("server", "static")]), name="static")
    _api_docs(app)
    _openapi_from_store(app, ctx)
    return app


def _openapi_from_store(app: FastAPI, ctx: Context) -> None:
    """/openapi.json with parameter examples taken from the store served (server/examples.py), made again
    for each new build."""
    from server.examples import openapi

    made = app.openapi
    state = {"version": None}

    def schema() -> dict[str, Any]:
        if state["version"] != ctx.version or app.openapi_schema is None:
            app.openapi_schema = None
            app.openapi_schema = openapi(made(), ctx)
            state["version"] = ctx.version
        return app.openapi_schema

    app.openapi = schema  # type: ignore[method-assign]


def _api_docs(app: FastAPI) -> None:
    """/docs: Swagger UI vendored in server/static/vendor/swagger-ui (no CDN), started by a local script."""
    from fastapi.responses import HTMLResponse

    page = (
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>sv-press-kg API</title>"
        '<link rel=stylesheet href="/static/vendor/swagger-ui/swagger-ui.css"></head><body><div id=swagger-ui></div>'
        '<script src="/static/vendor/swagger-ui/swagger-ui-bundle.js"></script>'
        '<script src="/static/api-docs.js"></script></body></html>'
    )

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return HTMLResponse(page)
