"""The home page at `/`: an overview of the data, a SPARQL editor (YASQE) with result tables (YASR), and the
saved queries.

The editor component is @zazuko/yasgui, pinned in `ui/package.json` + `ui/package-lock.json`;
its two build files are vendored into `server/static/vendor/yasgui/` (refresh:
`npm ci --prefix ui && npm run --prefix ui vendor`), so the page needs no npm and no CDN.
The glue is `server/static/ui.js`. The endpoint is fixed to this server's `/sparql`.
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from kg.store import PREFIXES
from server.context import Context
from server.html import render

VENDOR = ("vendor", "yasgui")
ASSETS = ("yasgui.min.js", "yasgui.min.css")
REFRESH = "npm ci --prefix ui && npm run --prefix ui vendor"

DEFAULT_QUERY = """\
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>

# Who speaks for whom: every person, their roles and organisations, and how often they are quoted.
# Ctrl-Enter runs the query; the saved queries beside the editor load with one click.
SELECT ?personName ?roleName ?organisationName (COUNT(DISTINCT ?quote) AS ?quotes) ?person ?org
WHERE {
  ?person a foaf:Person ; foaf:name ?personName .
  OPTIONAL {
    ?membership org:member ?person .
    OPTIONAL { ?membership org:role/skos:prefLabel ?roleName }
    OPTIONAL { ?membership org:organization ?org . OPTIONAL { ?org skos:prefLabel ?organisationName } }
  }
  OPTIONAL { ?quote a schema:Quotation ; schema:spokenByCharacter ?person }
}
GROUP BY ?personName ?roleName ?organisationName ?person ?org
ORDER BY DESC(?quotes) ?personName ?roleName
LIMIT 200
"""


def vendor_version() -> str | None:
    """The vendored component's `name@version`, or None when its build files are missing."""
    folder = resources.files("server").joinpath("static", *VENDOR)
    if not all(folder.joinpath(name).is_file() for name in ASSETS):
        return None
    version = folder.joinpath("VERSION")
    return version.read_text(encoding="utf-8").split()[0] if version.is_file() else "unknown"


def asset_tag() -> str:
    """A short hash of the page's static files, appended to their URLs so browsers refetch them."""
    static = resources.files("server").joinpath("static")
    digest = hashlib.sha256()
    for parts in (("ui.js",), ("ui.css",), (*VENDOR, "VERSION")):
        path = static.joinpath(*parts)
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def routes(ctx: Context) -> APIRouter:
    """GET / → the query page."""
    router = APIRouter()
    component = vendor_version()
    tag = asset_tag()

    @router.get("/", response_class=HTMLResponse, include_in_schema=False)
    def query_page() -> HTMLResponse:
        """The SPARQL editor, the saved-query gallery and the results table."""
        return render(
            "ui.html",
            title="Query",
            base=ctx.base,
            prefixes=json.dumps(PREFIXES, ensure_ascii=False),
            prefixes_list=list(PREFIXES),
            default_query=DEFAULT_QUERY,
            component=component,
            asset_tag=tag,
            refresh=REFRESH,
            queries=ctx.registry.list(),
            overview=overview(ctx),
        )

    return router


# What each count of the overview links to: a saved query's table, or the most mentioned of a type.
LISTS = {
    "documents": "/queries/documents",
    "people": "/queries/people",
    "organisations": "/queries/organisations",
    "events": "/queries/events",
    "quotes": "/queries/quotes",
    "projects": "/queries/projects",
    "places": "/search?type=place",
}


def overview(ctx: Context) -> dict[str, Any]:
    """The home page's overview (kg/overview.py, written by the build) with a link for every figure."""
    data = ctx.overview()
    counts = data["counts"]
    publishers = []
    for p in data["publishers"]:
        local = ctx.local_path(p["iri"])
        listed = "/queries/documents?" + urlencode({"publisher": local[1:] if local else p["iri"]})
        publishers.append({**p, "href": local, "documents_href": listed})
    return {
        "counts": [{"name": name, "count": counts.get(name, 0), "href": href} for name, href in LISTS.items()],
        "published": data["published"],
        "years": [{**y, "href": f"/queries/documents?year={y['year']}"} for y in data["years"]],
        "publishers": publishers,
        "publishers_total": data.get("publishers_total", len(publishers)),
    }
