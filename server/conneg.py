"""Content negotiation: one place that maps Accept headers and `format` values to media types.

Every route that can answer in more than one format asks `pick()` and sends `Vary: Accept`;
every RDF answer is written by `graph_body()` (JSON-LD compacted with the published context).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pyoxigraph import QueryResultsFormat, RdfFormat, Triple, serialize

from kg.spreadsheet import csv_safe as csv_safe  # saved-query CSV downloads (server/saved.py)

# SELECT / ASK results; the first entry is the default.
RESULTS: dict[str, QueryResultsFormat] = {
    "application/sparql-results+json": QueryResultsFormat.JSON,
    "application/sparql-results+xml": QueryResultsFormat.XML,
    "text/csv": QueryResultsFormat.CSV,
    "text/tab-separated-values": QueryResultsFormat.TSV,
}
# CONSTRUCT / DESCRIBE results and RDF documents; Turtle is the default.
GRAPHS: dict[str, RdfFormat] = {
    "text/turtle": RdfFormat.TURTLE,
    "application/n-triples": RdfFormat.N_TRIPLES,
    "application/n-quads": RdfFormat.N_QUADS,
    "application/trig": RdfFormat.TRIG,
    "application/ld+json": RdfFormat.JSON_LD,
    "application/rdf+xml": RdfFormat.RDF_XML,
}
# Other names clients use for the same thing.
ALIASES = {
    "application/json": ("application/sparql-results+json", "application/ld+json"),
    "application/xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "text/xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "text/plain": (None, "application/n-triples"),
    "application/x-turtle": (None, "text/turtle"),
}
# `format=` / `output=` values and URL suffixes.
FORMAT_NAMES = {
    "json": ("application/sparql-results+json", "application/ld+json"),
    "xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "csv": ("text/csv", None),
    "tsv": ("text/tab-separated-values", None),
    "ttl": (None, "text/turtle"),
    "turtle": (None, "text/turtle"),
    "nt": (None, "application/n-triples"),
    "ntriples": (None, "application/n-triples"),
    "n3": (None, "text/turtle"),  # Turtle is valid N3
    "text/n3": (None, "text/turtle"),
    "text/rdf+n3": (None, "text/turtle"),
    "rdf+xml": (None, "application/rdf+xml"),
    "nq": (None, "application/n-quads"),
    "nquads": (None, "application/n-quads"),
    "trig": (None, "application/trig"),
    "jsonld": (None, "application/ld+json"),
    "json-ld": (None, "application/ld+json"),
    "rdf": (None, "application/rdf+xml"),
    "rdfxml": (None, "application/rdf+xml"),
    "html": ("text/html", "text/html"),
}
HTML = "text/html"
JSON_LD = "application/ld+json"
CONTEXT_PATH = "/context.jsonld"  # the JSON-LD context every JSON-LD answer refers to (kg/jsonld.py)


@dataclass(frozen=True)
class Range:
    type: str
    subtype: str
    q: float

    def matches(self, media: str) -> int:
        """How specifically this range matches `media`: 2 exact, 1 type/*, 0 */*, -1 no match."""
        typ, _, sub = media.partition("/")
        if self.type == "*":
            return 0
        if self.type != typ:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == sub else -1


class NotAcceptable(Exception):
    """No offered format satisfies the request; the message lists what can be served."""


def parse_accept(header: str | None) -> list[Range]:
    """The media ranges of an Accept header (an empty or absent header accepts anything)."""
    ranges = []
    for part in (header or "").split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        typ, _, sub = media.partition("/")
        q = 1.0
        for f in fields[1:]:
            key, _, value = f.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append(Range(typ, sub or "*", q))
    return ranges or [Range("*", "*", 1.0)]


def _expand(ranges: list[Range], kind: int) -> list[Range]:
    out = []
    for r in ranges:
        out.append(r)
        alias = ALIASES.get(f"{r.type}/{r.subtype}")
        if alias and alias[kind]:
            typ, _, sub = alias[kind].partition("/")
            out.append(Range(typ, sub, r.q))
    return out


def negotiate(accept: str | None, offers: list[str], kind: int = 0) -> str | None:
    """The offer the client prefers (first offer wins ties on q and specificity), or None.

    `kind` 0 reads aliases as query results, 1 as RDF graphs (application/json = JSON-LD).
    """
    ranges = _expand(parse_accept(accept), kind)
    best, best_key = None, (0.0, -1, 0)
    for index, offer in enumerate(offers):
        matched = [(r.matches(offer), r.q) for r in ranges if r.matches(offer) >= 0]
        if not matched:
            continue
        specificity, q = max(matched)
        if q <= 0:
            continue
        key = (q, specificity, -index)
        if best is None or key > best_key:
            best, best_key = offer, key
    return best


def by_name(name: str, kind: int) -> str | None:
    """The media type for a `format` value or URL suffix (or a media type given as is)."""
    name = name.strip().lower()
    if name in FORMAT_NAMES:
        return FORMAT_NAMES[name][kind]
    if name in ("application/json", "text/html"):
        return name
    media = ALIASES.get(name, (name, name))[kind] if name in ALIASES else name
    offered = RESULTS if kind == 0 else GRAPHS
    return media if media in offered or media == HTML else None


def shown(value: str | None, limit: int = 100) -> str:
    """A client's header value quoted for an error message, cut to `limit` characters."""
    value = value or ""
    return repr(value if len(value) <= limit else value[:limit] + "…")


def pick(accept: str | None, fmt: str | None, offers: list[str], kind: int = 0) -> str:
    """Choose a media type from `format` (wins) or Accept; NotAcceptable if none fits."""
    if fmt:
        media = by_name(fmt, kind)
        if media is None or media not in offers:
            raise NotAcceptable(f"format {shown(fmt)} is not available here; use one of {', '.join(offers)}")
        return media
    media = negotiate(accept, offers, kind)
    if media is None:
        raise NotAcceptable(f"cannot serve {shown(accept)}; available: {', '.join(offers)}")
    return media


def pick_or_none(accept: str | None, fmt: str | None, offers: list[str], kind: int = 0) -> str | None:
    """Like `pick`, but None when nothing fits."""
    try:
        return pick(accept, fmt, offers, kind)
    except NotAcceptable:
        return None


def context_url(root: str) -> str:
    """The URL of the published JSON-LD context on the server at `root` (its URL without a trailing /)."""
    return root.rstrip("/") + CONTEXT_PATH


def graph_body(triples: Iterable[Triple], media: str, context: str, prefixes: dict[str, str] | None = None) -> bytes:
    """`triples` in the RDF media type `media`: JSON-LD compact with the context at URL `context`, the
    other formats with `prefixes` where they have them (Turtle, TriG, RDF/XML)."""
    if media == JSON_LD:
        from kg.jsonld import compact

        return compact(triples, context)
    return serialize(triples, format=GRAPHS[media], prefixes=prefixes) or b""


def with_charset(media: str) -> str:
    """Content-Type value: textual types get charset=utf-8."""
    textual = media.startswith("text/") or media.endswith(("+json", "+xml", "/json", "/xml", "n-triples", "n-quads"))
    return f"{media}; charset=utf-8" if textual and media != "application/ld+json" else media
