"""Examples for the saved queries' parameters and the API's operations, taken from the store being served.

A `.rq` file's `example:` names the test fixture's data (`res/doc/000-fixture-a`); on any other build
that would be a placeholder naming nothing. So a parameter's example, as the query page, the saved
queries' forms and /openapi.json (the "Try it out" of /docs) show it, is the declared one when a
document of the store mentions it (or it is a document), else one taken from the store: the most
mentioned entity of the parameter's kind, a document, the year with the most documents. None when the
store has nothing fitting. The linked-data paths and /search get examples from the store the same way.
"""

from __future__ import annotations

from typing import Any

from pyoxigraph import NamedNode, Variable

from kg import search
from kg.queries import Param, SavedQuery
from server.describe import Reader

FIRST_DOCUMENT = "SELECT ?d WHERE { ?d a <https://schema.org/NewsArticle> } ORDER BY STRLEN(STR(?d)) ?d LIMIT 1"
IN_DATA = "ASK { { ?d <https://schema.org/mentions> ?x } UNION { ?x a <https://schema.org/NewsArticle> } }"


def examples(ctx: Any, query: SavedQuery) -> dict[str, Any]:
    """Parameter name -> an example value that exists in this store (or None), memoised per version."""
    memo: dict[str, dict[str, Any]] = ctx.memo.setdefault("examples", {})
    if query.name not in memo:
        memo[query.name] = {p.name: _example(ctx, p) for p in query.params}
    return memo[query.name]


def _example(ctx: Any, p: Param) -> Any:
    if p.type == "iri":
        return _iri_example(ctx, p)
    if p.type == "year":
        years = {int(y["year"]): y.get("documents", 0) for y in ctx.overview().get("years", [])}
        if p.example is not None and int(p.example) in years:
            return p.example
        return max(years, key=lambda y: years[y]) if years else None
    return p.example


def _iri_example(ctx: Any, p: Param) -> str | None:
    base = ctx.base
    declared = str(p.example) if p.example is not None else None
    if declared is not None:
        try:
            iri = NamedNode(declared if ":" in declared else base + declared)
        except ValueError:
            iri = None
        if iri is not None and ctx.store.query(IN_DATA, substitutions={Variable("x"): iri}):
            return declared
    iri = None
    if p.kind:
        wanted = {k.casefold() for k in p.kind}  # types (person) or class names (Municipality)
        hits = ctx.search_index().search("", types=search.types_of(p.kind), limit=500)
        iri = next((h.iri for h in hits if h.type in wanted or h.cls.casefold() in wanted), None)
    elif p.name == "document":
        iri = first_document(ctx)
    if iri is None:
        return None
    return iri.removeprefix(base)


def first_document(ctx: Any) -> str | None:
    """The document with the shortest IRI (a stable pick), or None; memoised per version (0.4 s at 8,489)."""
    if "first document" not in ctx.memo:
        found = list(ctx.store.query(FIRST_DOCUMENT))
        ctx.memo["first document"] = found[0]["d"].value if found else None
    return ctx.memo["first document"]


def openapi(schema: dict[str, Any], ctx: Any) -> dict[str, Any]:
    """`schema` (FastAPI's /openapi.json) with every parameter example taken from the store served: the
    saved queries' parameters (`examples`), a resource under each minted path, a name for /search."""
    paths = schema.get("paths", {})
    for query in ctx.registry.list():
        shown = examples(ctx, query)
        for param in paths.get(f"/queries/{query.name}", {}).get("get", {}).get("parameters", []):
            if param["name"] in shown:
                param.pop("example", None)
                if shown[param["name"]] is not None:
                    param["example"] = shown[param["name"]]
    for prefix, rest in resource_examples(ctx).items():
        for param in paths.get(f"/{prefix}/{{rest}}", {}).get("get", {}).get("parameters", []):
            if param["name"] == "rest":
                param["example"] = rest
    top = ctx.search_index().search("", limit=1)
    for param in paths.get("/search", {}).get("get", {}).get("parameters", []):
        if param["name"] == "q" and top:
            param["example"] = top[0].label
    return schema


def resource_examples(ctx: Any) -> dict[str, str]:
    """For each minted path (id, res, def, graph), the rest of the path of a resource the store has."""
    base, reader = ctx.base, Reader(ctx.store, ctx.base)
    found: dict[str, str | None] = {
        "id": next((h.iri for h in ctx.search_index().search("", types=["person"], limit=1)), None),
        "res": first_document(ctx),
        "def": base + "def/role",
        "graph": base + "graph/reference",
    }
    out = {}
    for prefix, iri in found.items():
        if iri is not None and iri.startswith(f"{base}{prefix}/") and reader.exists(NamedNode(iri)):
            out[prefix] = iri[len(f"{base}{prefix}/") :]
    return out
