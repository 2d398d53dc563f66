"""The top of an entity page and its evidence: the summary (kg/entity.py) as template values, and one page
of the entity's evidence snippets, newest document first, with links to the pages before and after.

A summary of a big entity takes up to a second on the regeringen store (the government: 6,462 documents),
so summaries and ordered evidence are kept per store version for the last `MEMO_SIZE` entities asked for.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from kg import entity
from kg.entity import Listing, Ref, Role, Summary, Tie
from server.views import Views

MEMO_SIZE = 256  # entities whose summary and evidence order are kept
EVIDENCE_LIMIT = 50  # evidence snippets per page
MAX_EVIDENCE_LIMIT = 500
# per kind: the saved query that lists an entity's quotes, and its parameter
QUOTES = {"person": "person", "organisation": "organisation", "event": "about", "project": "about"}
# per kind: the saved query (and parameter) that lists all of an entity's roles, when the table shows a part
ALL_ROLES = {"person": ("people", "person"), "organisation": ("people", "organisation")}


class Memo:
    """The last `size` values made by key, least recently used out first; safe across request threads."""

    def __init__(self, size: int = MEMO_SIZE) -> None:
        self.size = size
        self._items: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str, make: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()  # outside the lock: two threads may both make it, and one result is kept
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value


def facts(ctx: Any, iri: str) -> tuple[Summary | None, list[tuple[str, int, int]]]:
    """The summary of `iri` (None for nodes that have none) and its evidence spans in page order."""
    memo = ctx.memo.get("entities")
    if memo is None:
        memo = ctx.memo.setdefault("entities", Memo())
    return memo.get(iri, lambda: (entity.summary(ctx.store, iri), entity.evidence(ctx.store, iri)))


def _query_href(name: str, param: str, iri: str) -> str:
    return f"/queries/{name}?" + urlencode({param: iri})


def _dates(first: str | None, last: str | None) -> str:
    if not first:
        return ""
    return first if first == last or not last else f"{first} – {last}"


def summary_values(s: Summary, views: Views, evidence_total: int) -> dict[str, Any]:
    """What resource.html shows in the summary: counts with links, the roles table and the lists."""
    link = views.linker.href
    counts = []
    if s.kind != "role":
        counts.append({"n": s.documents, "what": "documents mention it" if s.documents != 1 else "document mentions it",
                       "href": _query_href("mentions-of", "entity", s.iri) if s.documents else None,
                       "dates": _dates(s.first, s.last)})  # fmt: skip
    if s.published:
        counts.append({"n": s.published, "what": "documents published", "dates": "",
                       "href": _query_href("documents", "publisher", s.iri)})  # fmt: skip
    if s.kind in QUOTES:
        counts.append({"n": s.quotes, "what": "quote" if s.quotes == 1 else "quotes", "dates": "",
                       "href": _query_href("quotes", QUOTES[s.kind], s.iri) if s.quotes else None})  # fmt: skip
    if evidence_total:  # roles have none
        counts.append({"n": evidence_total, "what": "evidence span" if evidence_total == 1 else "evidence spans",
                       "href": "#evidence", "dates": ""})  # fmt: skip
    more = ALL_ROLES.get(s.kind)
    return {
        "kind": s.kind,
        "counts": counts,
        "roles": _table(s.roles, link, _query_href(*more, s.iri) if more else None),
        "projects": _table(s.projects, link, None),
        "lists": [
            _list("Editions" if s.events_relation == "editions" else "Events " + s.events_relation, s.events, link),
            _list("People mentioned with it", s.people, link),
            _list("Organisations mentioned with it", s.organisations, link),
        ],
    }


def _ref(ref: Ref | None, link: Callable[[str], str | None]) -> dict[str, Any] | None:
    return {"text": ref.label, "href": link(ref.iri), "iri": ref.iri} if ref else None


def _table(listing: Listing, link: Callable[[str], str | None], more: str | None) -> dict[str, Any]:
    """A roles table: the columns some row fills, each row's cells, documents and dates."""
    rows: list[Role] = listing.items
    columns = [c for c in ("person", "role", "organisation", "project") if any(getattr(r, c) for r in rows)]
    return {
        "columns": columns,
        "rows": [_row(r, columns, link) for r in rows],
        "total": listing.total,
        "more": more if listing.total > len(rows) else None,
    }


def _row(r: Role, columns: list[str], link: Callable[[str], str | None]) -> dict[str, Any]:
    cells = [_ref(getattr(r, c), link) for c in columns]
    return {"cells": cells, "documents": r.documents, "dates": _dates(r.first, r.last)}


def _list(title: str, listing: Listing, link: Callable[[str], str | None]) -> dict[str, Any]:
    ties: list[Tie] = listing.items
    items = [_ref(t.ref, link) | {"documents": t.documents, "date": t.date} for t in ties]
    return {"title": title, "entries": items, "total": listing.total}


def evidence_values(
    views: Views, spans: list[tuple[str, int, int]], path: str, offset: int, limit: int
) -> dict[str, Any]:
    """One page of evidence snippets (`limit` from `offset`), the totals, and links to the pages around it."""
    page = spans[offset : offset + limit]

    def url(start: int) -> str:
        params = {"evidence_offset": start} if start else {}
        if limit != EVIDENCE_LIMIT:
            params["evidence_limit"] = limit
        return path + ("?" + urlencode(params) if params else "") + "#evidence"

    return {
        "total": len(spans),
        "documents": len({doc for doc, _, _ in spans}),
        "start": offset + 1,
        "end": offset + len(page),
        "snippets": views.evidence(page),
        "first": url(0),
        "prev": url(max(0, min(offset, len(spans)) - limit)) if offset > 0 and page else None,
        "next": url(offset + limit) if offset + limit < len(spans) else None,
    }
