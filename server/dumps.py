"""GET /dumps (the listing) and the dump files the build wrote into the store folder (kg/dumps.py).

`/dumps/kg.nq.gz`, `/dumps/kg.ttl.gz` are the gzip files as they are: `Content-Type: application/gzip`
and no `Content-Encoding` (the file is the resource; clients save it byte for byte). `/dumps/kg.nq` and
`/dumps/kg.ttl` are the same content as RDF: `Content-Type: application/n-quads` / `text/turtle`, sent
with `Content-Encoding: gzip` straight from the file to clients that accept gzip, else decompressed as
it is sent. Nothing is generated on a request: a store without dumps (built with --no-dumps or by an
older version) answers 404 saying how to write them.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.responses import StreamingResponse

from kg import dumps
from server.conneg import HTML, parse_accept, with_charset
from server.html import render

RENAMED = {"kg-default.ttl.gz": "kg.ttl.gz"}  # names earlier versions served
MISSING = "this store has no dumps (built with --no-dumps or by an older version): `kg build DIR --update` writes them"
CHUNK = 1 << 20


def listing(ctx: Any, root: str = "") -> list[dict[str, Any]]:
    """Each dump: name, URLs, media type, what it holds, and its size (None when the store has none)."""
    out = []
    for d in dumps.DUMPS.values():
        path = dumps.path(ctx.settings.store_path, d)
        out.append({
            "name": d.name, "url": f"{root}/dumps/{d.name}", "mediaType": d.media_type, "encoding": "gzip",
            "plainUrl": f"{root}/dumps/{d.plain_name}", "description": d.description,
            "bytes": path.stat().st_size if path.is_file() else None,
        })  # fmt: skip
    return out


def _wants_json(request: Request, fmt: str | None) -> bool:
    if fmt:
        return fmt.lower() == "json"
    best, best_key = HTML, (-1.0, -2)
    for offer in (HTML, "application/json"):
        for r in parse_accept(request.headers.get("accept")):
            key = (r.q, r.matches(offer))
            if key[1] >= 0 and r.q > 0 and key > best_key:
                best, best_key = offer, key
    return best == "application/json"


def _accepts_gzip(request: Request) -> bool:
    for part in request.headers.get("accept-encoding", "").split(","):
        coding, *params = [p.strip() for p in part.split(";")]
        if coding.lower() in ("gzip", "x-gzip", "*"):
            q = next((p.split("=", 1)[1] for p in params if p.replace(" ", "").startswith("q=")), "1")
            try:
                return float(q) > 0
            except ValueError:
                return False
    return False


def _decompressed(path: Path) -> Iterator[bytes]:
    with gzip.open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            yield chunk


def routes(ctx: Any) -> APIRouter:
    """GET /dumps (HTML or JSON listing) and GET /dumps/{name}."""
    router = APIRouter(tags=["dumps"])

    @router.get("/dumps")
    def dumps_page(request: Request, format: str | None = Query(None, description="html or json")) -> Response:
        """The downloadable dumps of this build, with their sizes."""
        headers = {"Vary": "Accept"}
        if _wants_json(request, format):
            return JSONResponse({"version": ctx.version, "dumps": listing(ctx)}, headers=headers)
        return render("dumps.html", headers=headers, title="Dumps", dumps=listing(ctx), version=ctx.version)

    by_plain_name = {d.plain_name: d for d in dumps.DUMPS.values()}

    @router.api_route("/dumps/{name}", methods=["HEAD"], include_in_schema=False)
    @router.api_route("/dumps/{name}", methods=["GET"])
    def download(request: Request, name: str) -> Response:
        """One dump: `kg.nq.gz`/`kg.ttl.gz` as gzip files, `kg.nq`/`kg.ttl` as RDF (gzip-encoded if accepted)."""
        if name in RENAMED:
            return RedirectResponse(f"/dumps/{RENAMED[name]}", status_code=301)
        dump, plain = dumps.DUMPS.get(name), False
        if dump is None and name in by_plain_name:
            dump, plain = by_plain_name[name], True
        if dump is None:
            names = [*dumps.DUMPS, *by_plain_name]
            return PlainTextResponse(f"no dump {name!r}; available: {', '.join(names)}", status_code=404)
        path = dumps.path(ctx.settings.store_path, dump)
        if not path.is_file():
            return PlainTextResponse(MISSING, status_code=404)
        encoded = plain and _accepts_gzip(request)
        etag = f'"{ctx.version}-{name}{"-gzip" if encoded else ""}"'
        headers = {"ETag": etag, "Cache-Control": "public, max-age=3600"}
        if plain:
            headers["Vary"] = "Accept-Encoding"
        if etag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
            return Response(status_code=304, headers=headers)
        if not plain:
            return FileResponse(path, media_type="application/gzip", filename=dump.name, headers=headers)
        media = with_charset(dump.media_type)
        if request.method == "HEAD" and not encoded:
            return Response(media_type=media, headers=headers)
        if encoded:
            return FileResponse(path, media_type=media, headers={**headers, "Content-Encoding": "gzip"})
        return StreamingResponse(_decompressed(path), media_type=media, headers=headers)

    return router
