"""GET /search: find entities by name (kg/search.py) — JSON for programs and the suggestion boxes, or a results page.

The index is the build's sidecar file, read once per store version (`Context.search_index`); a
search is a bisection in memory, so this route never touches the store or the query workers.
"""

from __future__ import annotations

from enum import Enum
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from kg.search import TYPES, Hit
from server import conneg
from server.context import Context
from server.html import render
from server.sparql import error
from server.views import link_for

OFFERS = ["application/json", conneg.HTML]
HTML_LIMIT = 50  # results on the HTML page when no limit is given
Kind = Enum("Kind", {t: t for t in TYPES}, type=str)  # type: ignore[misc]


class SearchHit(BaseModel):
    iri: str = Field(description="The entity's IRI")
    label: str = Field(description="Its preferred label")
    type: str = Field(description="person, organisation, event, series, project, place or role")
    cls: str = Field(alias="class", description="The most specific class (Municipality, GovernmentAgency, Event, …)")
    note: str = Field(description="What tells namesakes apart: role and organisation, date and place, kind of body")
    mentions: int = Field(description="Documents that mention it (roles: memberships that hold it)")
    matched: str = Field(description="The label that matched: the preferred one or an alternative")
    href: str | None = Field(description="Its page on this server")


class SearchResults(BaseModel):
    query: str
    types: list[str]
    results: list[SearchHit]


def hit_json(ctx: Context, hit: Hit) -> dict[str, object]:
    return {**hit.data(), "href": link_for(ctx.base, hit.iri)}


def routes(ctx: Context) -> APIRouter:
    router = APIRouter(tags=["search"])

    @router.get(
        "/search",
        summary="Find entities by name",
        description=(
            "People, organisations, places, events, event series, projects and roles whose name, or a later word "
            "of it, starts with `q`, ignoring case and accents (`vasteras` finds Västerås stad, `jimmy jan` finds "
            "Jimmy Jansson). Best first: the whole name, a prefix of it, a prefix of a later word, the words in "
            "any order; then the most mentioned. Without `q`: the most mentioned. JSON, or an HTML page for "
            "browsers (`Accept: text/html` or `format=html`)."
        ),
        response_model=None,
        responses={
            200: {"model": SearchResults, "content": {"text/html": {}}},
            406: {"description": "No acceptable format"},
        },
    )
    def search(
        request: Request,
        q: str = Query("", max_length=200, description="Name or its beginning, any case, accents optional"),
        type: list[Kind] | None = Query(None, description="Only these types (repeat the parameter for several)"),
        limit: int | None = Query(None, ge=1, le=100, description="At most this many (default 10; HTML 50)"),
        format: str | None = Query(None, description="json or html (overrides Accept)"),
    ) -> Response:
        fmt = {"json": "application/json"}.get(format or "", format)
        try:
            media = conneg.pick(request.headers.get("accept"), fmt, OFFERS)
        except conneg.NotAcceptable as err:
            return error(406, str(err))
        html = media == conneg.HTML and ("text/html" in (request.headers.get("accept") or "") or fmt == "html")
        types = [t.value for t in type or []]
        hits = ctx.search_index().search(q, types, limit or (HTML_LIMIT if html else 10))
        headers = {"Vary": "Accept", "Cache-Control": "public, max-age=60"}
        found = [hit_json(ctx, h) for h in hits]
        if html:
            json_url = "/search?" + urlencode({"q": q, "type": types, "format": "json"}, doseq=True)
            title = f"Search: {q}" if q else "Search"
            return render("search.html", headers=headers, title=title, q=q, types=types, kinds=list(TYPES),
                          hits=found, json_url=json_url)  # fmt: skip
        return JSONResponse({"query": q, "types": types, "results": found}, headers=headers)

    return router
