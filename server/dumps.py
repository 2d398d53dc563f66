"""Downloadable dumps of the whole dataset, generated lazily from the store and cached per build.

A dump is written on its first request into `{store parent}/.{store name}-dumps/` as
`{version}{suffix}` (a temporary file renamed into place), and files of older builds are removed.
"""

from __future__ import annotations

import gzip
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from pyoxigraph import DefaultGraph, RdfFormat

from kg.store import PREFIXES
from server.conneg import HTML, parse_accept
from server.html import render


@dataclass(frozen=True)
class Dump:
    name: str
    suffix: str  # cache file name after the version tag
    format: RdfFormat
    media_type: str  # of the uncompressed content
    description: str
    default_only: bool = False


DUMPS = {
    d.name: d
    for d in [
        Dump("kg.nq.gz", ".nq.gz", RdfFormat.N_QUADS, "application/n-quads",
             "Every graph: the merged default graph, one graph per document, reference and provenance."),
        Dump("kg-default.ttl.gz", "-default.ttl.gz", RdfFormat.TURTLE, "text/turtle",
             "The merged default graph only, as Turtle.", default_only=True),
    ]
}  # fmt: skip
_LOCK = threading.Lock()


def cache_dir(store_path: Path) -> Path:
    """The folder beside the store where dumps are cached."""
    store_path = Path(store_path)
    return store_path.parent / f".{store_path.name}-dumps"


def dump_path(ctx: Any, dump: Dump) -> Path:
    return cache_dir(ctx.settings.store_path) / f"{ctx.version}{dump.suffix}"


def ensure(ctx: Any, dump: Dump) -> Path:
    """The cached dump file for the current build, written first if missing."""
    target = dump_path(ctx, dump)
    if target.is_file():
        return target
    with _LOCK:
        if target.is_file():
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=dump.suffix, dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6, mtime=0) as gz:
                kwargs: dict[str, Any] = {"format": dump.format}
                if dump.default_only:
                    kwargs.update(from_graph=DefaultGraph(), prefixes=PREFIXES)
                ctx.store.dump(gz, **kwargs)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        for old in target.parent.glob(f"*{dump.suffix}"):
            if old != target and not old.name.startswith((ctx.version, ".tmp-")):
                old.unlink(missing_ok=True)
    return target


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


def routes(ctx: Any) -> APIRouter:
    """GET /dumps (HTML or JSON listing) and GET /dumps/{name}."""
    router = APIRouter(tags=["dumps"])

    def listing() -> list[dict[str, Any]]:
        out = []
        for d in DUMPS.values():
            path = dump_path(ctx, d)
            out.append({
                "name": d.name, "url": f"/dumps/{d.name}", "mediaType": d.media_type, "encoding": "gzip",
                "description": d.description, "bytes": path.stat().st_size if path.is_file() else None,
            })  # fmt: skip
        return out

    @router.get("/dumps")
    def dumps_page(request: Request, format: str | None = Query(None, description="html or json")) -> Response:
        """The downloadable dumps of this build, with their sizes once generated."""
        headers = {"Vary": "Accept"}
        if _wants_json(request, format):
            return JSONResponse({"version": ctx.version, "dumps": listing()}, headers=headers)
        return render("dumps.html", headers=headers, title="Dumps", dumps=listing(), version=ctx.version)

    @router.api_route("/dumps/{name}", methods=["HEAD"], include_in_schema=False)
    @router.api_route("/dumps/{name}", methods=["GET"])
    def download(request: Request, name: str) -> Response:
        """One dump, gzip-compressed, as an attachment (generated on first request)."""
        dump = DUMPS.get(name)
        if dump is None:
            return PlainTextResponse(f"no dump {name!r}; available: {', '.join(DUMPS)}", status_code=404)
        etag = f'"{ctx.version}{dump.suffix}"'
        headers = {"ETag": etag, "Cache-Control": "public, max-age=3600"}
        if etag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
            return Response(status_code=304, headers=headers)
        try:
            path = ensure(ctx, dump)
        except OSError as err:
            return PlainTextResponse(f"cannot write the dump: {err}", status_code=503)
        return FileResponse(path, media_type="application/gzip", filename=dump.name, headers=headers)

    return router
