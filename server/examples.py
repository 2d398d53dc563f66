"""Examples for the saved queries' parameters that exist in the store being served.

A `.rq` file's `example:` names the test fixture's data (`res/doc/000-fixture-a`); on any other build
that would be a placeholder naming nothing. So a parameter's example, as the query page and the saved
queries' forms show it, is the declared one when the store has it, else one taken from the store: the
most mentioned entity of the parameter's kind, a document, the year with the most documents. None
when the store has nothing fitting.
"""

from __future__ import annotations

from typing import Any

from pyoxigraph import NamedNode

from kg import search
from kg.queries import Param, SavedQuery
from server.describe import Reader

FIRST_DOCUMENT = "SELECT ?d WHERE { ?d a <https://schema.org/NewsArticle> } ORDER BY STRLEN(STR(?d)) ?d LIMIT 1"


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
    base, reader = ctx.base, Reader(ctx.store, ctx.base)
    declared = str(p.example) if p.example is not None else None
    if declared is not None:
        try:
            if reader.exists(NamedNode(declared if ":" in declared else base + declared)):
                return declared
        except ValueError:
            pass
    iri = None
    if p.kind:
        wanted = {k.casefold() for k in p.kind}  # types (person) or class names (Municipality)
        hits = ctx.search_index().search("", types=search.types_of(p.kind), limit=500)
        iri = next((h.iri for h in hits if h.type in wanted or h.cls.casefold() in wanted), None)
    elif p.name == "document":
        found = list(ctx.store.query(FIRST_DOCUMENT))
        iri = found[0]["d"].value if found else None
    if iri is None:
        return None
    return iri.removeprefix(base)
