"""The `mentions-of` index: entity → (document, evidence span), made at build time, kept by `--update`.

`mentions-of` needs its entity, so it has no whole-corpus view; evaluated live it costs ~200 µs a
row (7.6 s for a municipality mentioned 38,000 times in 100,000 documents). Every row it returns is
read from one document's own graph: `?document schema:mentions ?entity` and the entity's evidence
spans in that document are stated only by that document (spans are minted per document). So the
index is built document by document, and an update replaces the rows of the documents it redid.

`views/mentions-of.sqlite` holds the query's rows, one per (entity, document, span) — a document
that mentions an entity without a span of it gets one row without one (begin -1: unbound sorts
first, as in the query's ORDER BY ?document ?begin) — keyed by entity, then document and offset, so
an answer or a page of it is one range scan whose rows (SPARQL JSON, UTF-8) are joined as they are.
It is tied to the query text by checksum, like the views.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

from pyoxigraph import NamedNode, Store

from kg.queries import Registry, SavedQuery

NAME = "mentions-of"
FILE = "mentions-of.sqlite"
KGO = "https://w3id.org/sv-press-kg/ontology#"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
SCHEMA = "https://schema.org/"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
VARS = ["document", "headline", "anchor", "begin", "end", "span", "entity"]


def _sha(query: SavedQuery) -> str:
    return hashlib.sha256(query.sparql.encode("utf-8")).hexdigest()


def _path(store_path: Path | str) -> Path:
    return Path(store_path) / "views" / FILE


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _iri(value: str) -> str:
    return '{"type":"uri","value":' + _dumps(value) + "}"


def _term(term) -> str:
    if isinstance(term, NamedNode):
        return _iri(term.value)
    out = {"type": "literal", "value": term.value}
    if getattr(term, "language", None):
        out["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return _dumps(out)


def _int(value: int) -> str:
    return '{"type":"literal","datatype":"' + XSD_INTEGER + '","value":"' + str(value) + '"}'


def document_rows(store: Store, base: str, doc_id: str) -> list[tuple[str, int, int, bytes]]:
    """The rows one document contributes: (entity IRI, begin (-1 without a span), sequence, the
    row's SPARQL JSON as UTF-8) per mention, evidence span and headline, as the query gives them."""
    doc = NamedNode(f"{base}res/doc/{doc_id}")
    graph = NamedNode(f"{base}graph/doc/{doc_id}")
    text_of: dict = {}
    attrs: dict = {}
    evidence: dict = {}
    mentioned: list = []
    headlines: list[str] = []
    for q in store.quads_for_pattern(None, None, None, graph):
        p = q.predicate.value
        if p == SCHEMA + "mentions" and q.subject == doc:
            mentioned.append(q.object)
        elif p == SCHEMA + "headline" and q.subject == doc:
            headlines.append(',"headline":' + _term(q.object))
        elif p == KGO + "evidence":
            evidence.setdefault(q.subject, []).append(q.object)
        elif p == NIF + "sourceUrl":
            text_of.setdefault(q.subject, []).append(q.object)
        elif p in (NIF + "referenceContext", NIF + "anchorOf", NIF + "beginIndex", NIF + "endIndex"):
            attrs.setdefault(q.subject, {}).setdefault(p, []).append(q.object)
    head = '{"document":' + _iri(doc.value)
    rows: list[tuple[str, int, int, bytes]] = []
    for entity in dict.fromkeys(mentioned):  # one row set per distinct mention
        spans = []
        for span in evidence.get(entity, []):
            a = attrs.get(span, {})
            if not any(doc in text_of.get(t, []) for t in a.get(NIF + "referenceContext", [])):
                continue
            for anchor in a.get(NIF + "anchorOf", []):
                for b in a.get(NIF + "beginIndex", []):
                    for e in a.get(NIF + "endIndex", []):
                        tail = (
                            f',"anchor":{_term(anchor)},"begin":{_term(b)},"end":{_term(e)},"span":{_iri(span.value)}'
                        )
                        spans.append((int(b.value), tail))
        end = ',"entity":' + _iri(entity.value) + "}"
        n = 0
        for begin, tail in sorted(spans) or [(-1, "")]:
            for headline in headlines or [""]:
                rows.append((entity.value, begin, n, (head + headline + tail + end).encode()))
                n += 1
    return rows


def _doc_ids(store: Store, base: str) -> Iterator[str]:
    prefix = f"{base}graph/doc/"
    for g in store.named_graphs():
        if isinstance(g, NamedNode) and g.value.startswith(prefix):
            yield g.value[len(prefix) :]


def build(store: Store, store_path: Path | str, base: str, query: SavedQuery) -> int:
    """Write the index of every document's mentions; returns its rows."""
    target = _path(store_path)
    target.parent.mkdir(exist_ok=True)
    partial = target.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    db = sqlite3.connect(partial, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        db.execute("BEGIN")
        db.execute("CREATE TABLE manifest (sha256 TEXT, base TEXT)")
        db.execute(
            "CREATE TABLE spans (entity TEXT, doc TEXT, begin INTEGER, n INTEGER, row BLOB,"
            " PRIMARY KEY (entity, doc, begin, n)) WITHOUT ROWID"
        )
        rows = _insert(db, store, base, _doc_ids(store, base))
        db.execute("CREATE INDEX spans_by_doc ON spans (doc)")
        db.execute("INSERT INTO manifest VALUES (?, ?)", (_sha(query), base))
        db.execute("COMMIT")
    finally:
        db.close()
    partial.replace(target)
    return rows


def _insert(db: sqlite3.Connection, store: Store, base: str, doc_ids: Iterable[str]) -> int:
    count = 0
    for doc_id in doc_ids:
        rows = document_rows(store, base, doc_id)
        db.executemany("INSERT INTO spans VALUES (?, ?, ?, ?, ?)", [(e, doc_id, b, n, r) for e, b, n, r in rows])
        count += len(rows)
    return count


def replace_documents(
    store: Store, store_path: Path | str, base: str, registry: Registry, documents: Iterable[str]
) -> None:
    """Replace the rows of `documents` (IRIs: redone or dropped by an update) with what their graphs
    say now; a missing or stale index is built whole."""
    try:
        query = registry.get(NAME)
    except Exception:  # no such saved query in this registry: nothing to keep
        return
    path = _path(store_path)
    db = _connect(path, query, write=True)
    if db is None:
        build(store, store_path, base, query)
        return
    prefix = f"{base}res/doc/"
    ids = sorted({d[len(prefix) :] for d in documents if d.startswith(prefix)})
    try:
        db.execute("BEGIN")
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            db.execute(f"DELETE FROM spans WHERE doc IN ({marks})", chunk)
        _insert(db, store, base, [d for d in ids if store.contains_named_graph(NamedNode(f"{base}graph/doc/{d}"))])
        db.execute("COMMIT")
    finally:
        db.close()


def _connect(path: Path, query: SavedQuery, write: bool = False) -> sqlite3.Connection | None:
    if not path.is_file() or ((path.parent / "UPDATING").exists() and not write):
        return None
    try:
        db = sqlite3.connect(path if write else f"file:{path}?mode=ro", uri=not write, isolation_level=None)
        entry = db.execute("SELECT sha256, base FROM manifest").fetchone()
    except sqlite3.Error:
        return None
    if entry is None or entry[0] != _sha(query):
        db.close()
        return None
    return db


class TooManyRows(Exception):
    def __init__(self, rows: int) -> None:
        super().__init__(f"{rows} rows")
        self.rows = rows


def answer(
    store_path: Path | str,
    query: SavedQuery,
    entity: str,
    max_rows: int | None = None,
    page: tuple[int, int] | None = None,
) -> bytes | None:
    """The SPARQL JSON answer of mentions-of for `entity` (an IRI) from the index, or None (no
    usable index). `page` is (offset, limit); without it, more than `max_rows` rows raise TooManyRows."""
    db = _connect(_path(store_path), query)
    if db is None:
        return None
    try:
        sql = "SELECT row FROM spans WHERE entity = ? ORDER BY entity, doc, begin, n"
        if page is not None:
            sql += f" LIMIT {int(page[1])} OFFSET {int(page[0])}"
        elif max_rows is not None:
            sql += f" LIMIT {int(max_rows) + 1}"
        found = [row for (row,) in db.execute(sql, (entity,))]
        if page is None and max_rows is not None and len(found) > max_rows:
            count = db.execute("SELECT COUNT(*) FROM spans WHERE entity = ?", (entity,)).fetchone()[0]
            raise TooManyRows(count)
    except sqlite3.Error:
        return None
    finally:
        db.close()
    return b'{"head":{"vars":' + _dumps(VARS).encode() + b'},"results":{"bindings":[' + b",".join(found) + b"]}}"
