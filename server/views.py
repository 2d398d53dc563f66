"""View models for the HTML pages: descriptions and documents turned into plain dicts for templates.

Links: an IRI under the data's base becomes a local path (pages work on any host), ontology terms
link to /ontology#term, other http(s) IRIs link out; anything else is shown without a link.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Store

import kg
from kg.store import PREFIXES
from server.describe import EVIDENCE, KGO, Description, Reader, parse_span
from server.textview import Span, segments, snippet

ONTOLOGY_FILE = Path(kg.__file__).parent / "data" / "ontology" / "kg.ttl"
ALL_PREFIXES = {
    **PREFIXES,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "hydra": "http://www.w3.org/ns/hydra/core#",
}
RDFS_LABEL = NamedNode(ALL_PREFIXES["rdfs"] + "label")
LONG_LITERAL = 400  # characters; longer literals are folded in a <details>
# Which entity links a highlighted piece of text when spans have the same length.
RANK = {"Person": 0, "Organization": 1, "Event": 1, "Place": 1, "Project": 1, "EventSeries": 1, "Quotation": 3}


def load_ontology() -> Store:
    """The ontology (kg/data/ontology/kg.ttl) in an in-memory store."""
    store = Store()
    store.load(path=str(ONTOLOGY_FILE), format=RdfFormat.TURTLE)
    return store


def local_path(base: str, iri: str) -> str | None:
    """The path at which a server with `base` serves `iri`; None when it is not under the base, or when
    the rest would read as another host ('//evil.example/x', '/\\evil.example')."""
    if not iri.startswith(base):
        return None
    rest = iri[len(base) :]
    if rest.startswith(("/", "\\")) or any(c in rest for c in "\\\r\n\t"):
        return None
    return "/" + rest


def link_for(base: str, iri: str) -> str | None:
    """A safe href for an IRI: its local path, or the IRI itself for http(s) and mailto; else no link."""
    local = local_path(base, iri)
    if local is not None:
        return local
    if iri.lower().startswith(("http://", "https://", "mailto:")) and not any(c in iri for c in "\r\n\t\\"):
        return iri
    return None


class Linker:
    """Turns terms into display values with local or external links."""

    def __init__(self, base: str, ontology: Store) -> None:
        self.base = base
        self.ontology = ontology

    def href(self, iri: str) -> str | None:
        if iri.startswith(KGO):
            return "/ontology#" + iri[len(KGO) :]
        return link_for(self.base, iri)

    def curie(self, iri: str) -> str:
        for prefix, ns in ALL_PREFIXES.items():
            if iri.startswith(ns) and len(iri) > len(ns):
                return f"{prefix}:{iri[len(ns) :]}"
        if iri.startswith(self.base):
            return iri[len(self.base) :]
        return iri

    def short_label(self, iri: str) -> str:
        """A class name for people: the ontology label of a kgo class, else the local name."""
        if iri.startswith(KGO):
            return self.term_label(iri)
        return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]

    def term_label(self, iri: str) -> str:
        """An ontology label (English) for a kgo term, else its compact name."""
        if iri.startswith(KGO):
            for quad in self.ontology.quads_for_pattern(NamedNode(iri), RDFS_LABEL, None):
                if isinstance(quad.object, Literal) and quad.object.language == "en":
                    return quad.object.value
        return self.curie(iri)

    def value(self, term: Any, labels: dict[str, str] | None = None) -> dict[str, Any]:
        """A template value: text, link, language, datatype."""
        if isinstance(term, NamedNode):
            label = (labels or {}).get(term.value)
            return {"kind": "iri", "text": label or self.curie(term.value), "href": self.href(term.value),
                    "iri": term.value, "labelled": bool(label)}  # fmt: skip
        if isinstance(term, BlankNode):
            return {"kind": "bnode", "text": f"_:{term.value}"}
        lang = term.language
        datatype = None if lang or term.datatype.value.endswith("#string") else self.curie(term.datatype.value)
        return {"kind": "literal", "text": term.value, "lang": lang, "datatype": datatype,
                "long": len(term.value) > LONG_LITERAL}  # fmt: skip


class Views:
    """Builds the values of resource.html and document.html."""

    def __init__(self, reader: Reader, linker: Linker) -> None:
        self.reader = reader
        self.linker = linker

    def rank(self, iri: NamedNode) -> int:
        """Tie-break for spans of equal length: people and named things before quotes and n-ary nodes."""
        names = [t.rsplit("#", 1)[-1].rsplit("/", 1)[-1] for t in self.reader.types(iri)]
        return min((RANK.get(n, 2) for n in names), default=2)

    def kind(self, iri: NamedNode) -> str:
        """The most specific type's label: a kgo class if any, else the first type."""
        types = self.reader.types(iri)
        own = [t for t in types if t.startswith(KGO)]
        return self.linker.short_label((own or types)[0]) if (own or types) else ""

    def resource(self, desc: Description) -> dict[str, Any]:
        """Title, types, properties with sources (the evidence as its count: server/entity.py shows it) and
        incoming links of one page."""
        link = self.linker
        labels = {k: v.value for k, v in desc.labels.items()}
        iri = desc.iri
        for s, _ in desc.incoming:
            if isinstance(s, NamedNode) and s.value not in labels:
                labels[s.value] = self.reader.title(s) or link.curie(s.value)
        evidence_spans = [parse_span(v.value) for v in desc.values(EVIDENCE.value) if isinstance(v, NamedNode)]
        first_span: dict[str, str] = {}
        for span in evidence_spans:
            if span:
                first_span.setdefault(span[0], f"#s-{span[1]}-{span[2]}")
        properties = []
        for p, values in desc.out.items():
            if p == EVIDENCE.value:  # shown as snippets, paged on their own (server/entity.py)
                continue
            rows = []
            for v in values:
                row = link.value(v, labels)
                if p != EVIDENCE.value:
                    row["sources"] = [self.source(g, first_span) for g in self.reader.sources(iri, NamedNode(p), v)]
                rows.append(row)
            properties.append({"predicate": link.value(NamedNode(p)), "label": link.term_label(p), "rows": rows,
                               "total": desc.out_counts.get(p, len(rows))})  # fmt: skip
        return {
            "iri": iri.value,
            "title": self.reader.title(iri) or link.curie(iri.value),
            "types": [link.value(NamedNode(t)) | {"text": link.term_label(t)} for t in self.reader.types(iri)],
            "properties": properties,
            "evidence_total": desc.out_counts.get(EVIDENCE.value, 0),
            "evidence_predicate": link.value(EVIDENCE),
            "self_span": self.evidence([s for s in [parse_span(iri.value)] if s]),
            "incoming": [{"subject": link.value(s, labels), "predicate": link.value(p)} for s, p in desc.incoming],
            "in_counts": [(link.value(NamedNode(p)), n) for p, n in sorted(desc.in_counts.items())],
            "in_total": desc.in_total,
            "named_graph": desc.named_graph,
            "start": (desc.page - 1) * desc.limit,
        }

    def source(self, graph: str, first_span: dict[str, str]) -> dict[str, Any]:
        """A fact's source: a document (linked to the entity's first evidence span in it) or a graph."""
        marker = "graph/doc/"
        if graph.startswith(self.linker.base + marker):
            docid = graph[len(self.linker.base + marker) :]
            doc = f"{self.linker.base}res/doc/{docid}"
            return {"text": docid, "href": f"/res/doc/{docid}" + first_span.get(doc, ""), "doc": True}
        return {"text": self.linker.curie(graph), "href": self.linker.href(graph), "doc": False}

    def evidence(self, spans: list[tuple[str, int, int]]) -> list[dict[str, Any]]:
        """Snippets of the document text around each span, span highlighted, under the document's headline
        and date."""
        texts: dict[str, str | None] = {}
        out = []
        for doc, b, e in spans:
            if doc not in texts:
                texts[doc] = self.reader.text(doc)
            text = texts[doc]
            if text is None:
                continue
            docid = doc.rsplit("/", 1)[-1]
            span = Span(b, e, href=f"/res/doc/{docid}#s-{b}-{e}")
            pieces, before, after = snippet(text, span)
            headline = self.reader.label(NamedNode(doc)) or docid
            out.append({"doc": {"text": headline, "href": f"/res/doc/{docid}"}, "segments": pieces,
                        "date": self.reader.published(doc), "before": before, "after": after, "begin": b,
                        "end": e})  # fmt: skip
        return out

    def document(self, doc: NamedNode, docid: str) -> dict[str, Any]:
        """The press release text with every entity's evidence highlighted, and its mentions."""
        reader, link = self.reader, self.linker
        text = reader.text(doc.value) or ""
        cache: dict[str, tuple[str, int, str]] = {}

        def info(entity: NamedNode) -> tuple[str, int, str]:
            if entity.value not in cache:
                title = reader.title(entity) or link.curie(entity.value)
                cache[entity.value] = (title, self.rank(entity), self.kind(entity))
            return cache[entity.value]

        spans = []
        counts: dict[str, int] = {}
        for entity, b, e in reader.doc_evidence(docid):
            title, rank, kind = info(entity)
            counts[entity.value] = counts.get(entity.value, 0) + 1
            label = f"{kind}: {title}" if kind else title
            spans.append(Span(b, e, link.href(entity.value) or "", label, rank))
        mentioned = []
        for entity in reader.mentions(doc):
            title, _, kind = info(entity)
            mentioned.append({"kind": kind, "text": title, "href": link.href(entity.value),
                              "spans": counts.get(entity.value, 0)})  # fmt: skip
        mentioned.sort(key=lambda m: (m["kind"], m["text"].casefold()))
        return {"segments": segments(text, spans), "mentioned": mentioned, "spans": len(spans)}
