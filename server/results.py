"""A saved query's answer as a table a person can read (the HTML page of /queries/{name}).

Each IRI is shown as its label (from the store), linked to its page, with the IRI as its title; a
literal as its text, without quotes, language tag or datatype. An IRI column whose label column sits
beside it (`person` and `personName`, `org` and `organisationName`, `publisherOrg` and
`publisherName`) is folded into that column: the name is the link. A parameter's own column that is
empty on the page (it only carries a binding) is left out. Rows come a page at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from pyoxigraph import NamedNode, Store

from kg.queries import SavedQuery
from server.describe import Reader
from server.views import link_for

PAGE_ROWS = 100  # rows on one HTML page unless the request gives `limit`
LABEL_SUFFIXES = ("Name", "Label")


@dataclass
class Table:
    """What saved_query.html shows: headers, rows of cells, and where the page stands."""

    names: list[str]
    rows: list[list[dict[str, Any] | None]]
    offset: int
    limit: int
    more: bool
    prev: str | None = None
    next: str | None = None
    hidden: list[str] = field(default_factory=list)

    @property
    def first(self) -> int:
        return self.offset + 1 if self.rows else self.offset

    @property
    def last(self) -> int:
        return self.offset + len(self.rows)


def label_column(iri_col: str, names: list[str], literal: set[str]) -> str | None:
    """The column that names the IRIs of `iri_col`: `{stem}Name`/`{stem}Label` where the stem and the
    IRI column's name are one the start of the other (org/organisationName, publisherOrg/publisherName).

    >>> label_column("org", ["organisationName", "org"], {"organisationName"})
    'organisationName'
    >>> label_column("quotation", ["quote", "quotation"], {"quote"}) is None
    True
    """
    for name in names:
        if name not in literal:
            continue
        for suffix in LABEL_SUFFIXES:
            stem = name[: -len(suffix)] if name.endswith(suffix) else None
            if stem and (stem == iri_col or stem.startswith(iri_col) or iri_col.startswith(stem)):
                return name
    return None


def table(
    store: Store,
    base: str,
    query: SavedQuery,
    values: dict[str, str],
    data: dict[str, Any],
    offset: int,
    limit: int,
) -> Table:
    """The page of `data` (SPARQL JSON, at most `limit` + 1 rows from `offset`) as a readable table."""
    names: list[str] = list(data["head"]["vars"])
    bindings: list[dict[str, Any]] = data["results"]["bindings"]
    more = len(bindings) > limit
    bindings = bindings[:limit]
    kinds: dict[str, set[str]] = {n: {b[n]["type"] for b in bindings if n in b} for n in names}
    literal = {n for n, k in kinds.items() if k and k <= {"literal", "typed-literal"}}
    iri_cols = [n for n, k in kinds.items() if k == {"uri"}]
    params = {p.name: p for p in query.params}
    # a parameter's own column: empty when it is not given, and only repeating its value when it filters
    # another column (documents' `year` filters `datePublished`)
    hidden = [n for n in names if n in params and (not kinds[n] or params[n].filters != n)]
    folded: dict[str, str] = {}  # label column -> the IRI column it links
    for col in iri_cols:
        target = label_column(col, names, literal)
        if target and target not in folded:
            folded[target] = col
            hidden.append(col)
    shown = [n for n in names if n not in hidden]
    reader = Reader(store, base)
    labels: dict[str, str] = {}

    def label(iri: str) -> str:
        if iri not in labels:
            try:
                found = reader.title(NamedNode(iri))
            except ValueError:
                found = None
            labels[iri] = found or iri.removeprefix(base)
        return labels[iri]

    rows = []
    for b in bindings:
        row: list[dict[str, Any] | None] = []
        for n in shown:
            term, link = b.get(n), b.get(folded[n]) if n in folded else None
            if link is not None:
                iri = link["value"]
                text = term["value"] if term is not None else label(iri)
                row.append({"text": text, "href": link_for(base, iri), "title": iri})
            elif term is None:
                row.append(None)
            elif term["type"] == "uri":
                iri = term["value"]
                row.append({"text": label(iri), "href": link_for(base, iri), "title": iri})
            elif term["type"] == "bnode":
                row.append({"text": "_:" + term["value"], "href": None, "title": None})
            else:
                row.append({"text": term["value"], "href": None, "title": _literal_title(term)})
        rows.append(row)
    out = Table(shown, rows, offset, limit, more, hidden=hidden)
    here = f"/queries/{query.name}?"
    if offset > 0:
        out.prev = here + urlencode({**values, "offset": max(0, offset - limit), "limit": limit})
    if more:
        out.next = here + urlencode({**values, "offset": offset + limit, "limit": limit})
    return out


def _literal_title(term: dict[str, str]) -> str | None:
    """What the cell's tooltip says about a literal: its language or datatype."""
    if term.get("xml:lang"):
        return "language: " + term["xml:lang"]
    datatype = term.get("datatype", "")
    return "type: " + datatype.rsplit("#", 1)[-1] if datatype else None


def timing(seconds: float) -> str:
    """A duration as a person reads it.

    >>> timing(0.014899999999965075), timing(0.0004), timing(2.345)
    ('15 ms', '< 1 ms', '2.3 s')
    """
    if seconds < 0.001:
        return "< 1 ms"
    if seconds < 1:
        return f"{round(seconds * 1000)} ms"
    return f"{seconds:.1f} s"
