"""Views that survive `kg build --update`: the rows of the documents an update touched, recomputed.

Every view row names its document (?document). A row of document d reads d's own graph and, through
the merged default graph, what is said elsewhere about the entities d names: labels merged from
several documents, an event's dates and places, a place's town, a person's contact points. Evidence
spans, quotations, memberships, participations and contact points are minted per document, so
their triples only ever reach the rows of their own document.

An update therefore recomputes the rows of

- the documents it added, changed or removed, and
- every document whose *neighbourhood* holds a default-graph triple the update added or removed
  (`Changes`): the neighbourhood of d is d's graph plus the default-graph triples, with predicates
  the saved queries read, of every node reached from d's graph in at most `DEPTH` steps along such
  predicates (evidence and schema:mentions links are followed only inside d's own graph).

A link whose predicate the saved queries read only "anchored" (a person's contact point, a
project's participation: kg/anchoring.py proves it on the queries' algebra) is read by a row of d
only when its object is named in d's graph; such a changed link reaches the documents naming its
object, and is not walked further. A new release naming people that 60 others name then redoes
its own rows, not theirs.

It evaluates each saved query on a scratch store holding just those neighbourhoods, keeps the
rows of those documents and splices them into the views in ORDER BY order (`replace_rows`).
The neighbourhood holds every triple such a row can read (every view's pattern reaches its
entities from its document in at most three steps, checked by `tests/test_view_update.py`, which
compares updated views with a fresh build's), so the rows equal those of the whole store. A view
whose rows changed gets a new whole-answer token; its file is written from the table by the first
request that wants it (kg/views.py), not by the update.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import BlankNode, DefaultGraph, NamedNode, Quad, Store, Triple

from kg import anchoring, mentions, sortkey, views
from kg import store as kgstore
from kg.progress import Progress
from kg.queries import Param, Registry, SavedQuery

DEPTH = 3  # steps from a document's own nodes to the farthest entity a view reads (event → place → town)
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
EVIDENCE = "https://w3id.org/sv-press-kg/ontology#evidence"
MENTIONS = "https://schema.org/mentions"
LOCAL = {EVIDENCE, MENTIONS}  # links whose triples only the document stating them reads
_MANY = 256  # a node with more default-graph triples than this is read predicate by predicate


def read_predicates(queries: Iterable[SavedQuery]) -> set[str]:
    """Every IRI the queries name (predicates among them), with their PREFIX declarations expanded."""
    out = {RDF_TYPE}
    for q in queries:
        text = re.sub(r"(?m)(^|\s)#[^\n]*", r"\1", q.sparql)  # comments, not the '#' of an IRI
        text = re.sub(r'"(?:[^"\\\n]|\\.)*"', '""', text)
        prefixes = dict(re.findall(r"PREFIX\s+([A-Za-z][\w-]*)?:\s*<([^>]*)>", text, re.IGNORECASE))
        body = re.sub(r"PREFIX\s+[\w-]*:\s*<[^>]*>", "", text, flags=re.IGNORECASE)
        out |= set(re.findall(r"<([^<>\s]+)>", body))
        for prefix, local in re.findall(r"(?<![\w?$])([A-Za-z][\w-]*)?:([A-Za-z_][\w-]*)", body):
            if prefix in prefixes:
                out.add(prefixes[prefix] + local)
    return out


@dataclass
class Changes:
    """Default-graph triples an update added and removed (net), and the documents it redid or dropped."""

    added: set[Triple] = field(default_factory=set)
    removed: set[Triple] = field(default_factory=set)
    documents: set[str] = field(default_factory=set)  # document IRIs
    graphs: int = 0  # document graphs added less those removed (the sidecars count them)

    def add(self, triple: Triple) -> None:
        if triple in self.removed:
            self.removed.discard(triple)
        else:
            self.added.add(triple)

    def remove(self, triple: Triple) -> None:
        if triple in self.added:
            self.added.discard(triple)
        else:
            self.removed.add(triple)

    def dirty(self, read: set[str], anchored: AbstractSet[str] = frozenset()) -> set[NamedNode | BlankNode]:
        """Subjects of changed triples that a row of another document could read (through the merged
        default graph), and the objects of changed triples with an `anchored` predicate (only the
        rows of the documents naming the object read those: kg/anchoring.py)."""
        out: set[NamedNode | BlankNode] = set()
        for t in self.added | self.removed:
            p = t.predicate.value
            if p not in read or p in LOCAL:
                continue
            if p not in anchored:
                out.add(t.subject)
            elif isinstance(t.object, (NamedNode, BlankNode)):
                out.add(t.object)
        return out


def _documents_holding(store: Store, nodes: Iterable[NamedNode | BlankNode], prefix: str) -> set[str]:
    """IRIs of the documents whose graphs name any of `nodes` (as subject or object)."""
    graphs: set[str] = set()
    for node in nodes:
        for pattern in ((node, None, None), (None, None, node)):
            for q in store.quads_for_pattern(*pattern, None):
                g = q.graph_name
                if isinstance(g, NamedNode) and g.value.startswith(prefix):
                    graphs.add(g.value)
    return graphs


def affected_documents(
    store: Store,
    base: str,
    changes: Changes,
    read: set[str],
    anchored: AbstractSet[str] = frozenset(),
) -> set[str]:
    """The documents whose view rows the changes can alter: those redone or dropped, and those whose
    neighbourhood reaches a changed node (walking default-graph links backwards, `DEPTH` steps).

    A link with an `anchored` predicate is not walked: a row reads it only when its object is
    named in the row's own document (kg/anchoring.py), whose graph then names the changed node."""
    follow = {NamedNode(p) for p in read - LOCAL - {RDF_TYPE} - anchored}
    default = DefaultGraph()
    reached = set(changes.dirty(read, anchored))
    frontier = set(reached)
    for _ in range(DEPTH):
        step = set()
        for node in frontier:
            for q in store.quads_for_pattern(None, None, node, default):
                if q.predicate in follow and q.subject not in reached:
                    step.add(q.subject)
        reached |= step
        frontier = step
    graph_prefix = f"{base}graph/doc/"
    docs = {f"{base}res/doc/{g[len(graph_prefix) :]}" for g in _documents_holding(store, reached, graph_prefix)}
    return docs | changes.documents


def neighbourhood(store: Store, base: str, documents: Iterable[str], read: set[str], folder: Path) -> Store:
    """A store in `folder` (on disk: it then lists triples in the same order as the big store, which
    GROUP_CONCAT shows) with, as its default graph, the neighbourhoods of `documents` (IRIs)."""
    scratch = Store(str(folder))
    default = DefaultGraph()
    wanted = {NamedNode(p) for p in read - LOCAL}
    follow = wanted - {NamedNode(RDF_TYPE)}
    frontier: set = set()
    quads: list[Quad] = []
    for doc in documents:
        graph = NamedNode(f"{base}graph/doc/{doc[len(base + 'res/doc/') :]}")
        for q in store.quads_for_pattern(None, None, None, graph):
            if q.predicate.value in LOCAL:
                quads.append(Quad(q.subject, q.predicate, q.object, default))
            frontier.add(q.subject)
            if isinstance(q.object, (NamedNode, BlankNode)) and q.predicate.value != RDF_TYPE:
                frontier.add(q.object)
    seen: set = set()
    for _ in range(DEPTH + 1):
        step: set = set()
        for node in frontier - seen:
            seen.add(node)
            for q in _read(store, node, wanted):
                quads.append(q)
                if q.predicate in follow and isinstance(q.object, (NamedNode, BlankNode)):
                    step.add(q.object)
        frontier = step
    scratch.extend(quads)
    return scratch


def _read(store: Store, node: NamedNode | BlankNode, wanted: set[NamedNode]) -> list[Quad]:
    """The default-graph triples of `node` with a wanted predicate; a node with many triples (a
    municipality with thousands of evidence links) is read one predicate at a time."""
    out: list[Quad] = []
    default = DefaultGraph()
    for i, q in enumerate(store.quads_for_pattern(node, None, None, default)):
        if i >= _MANY:
            out = [q for p in wanted for q in store.quads_for_pattern(node, p, None, default)]
            break
        if q.predicate in wanted:
            out.append(q)
    return out


def replace_rows(store_path: Path | str, query: SavedQuery, documents: Iterable[str], answer: views.Rows) -> int | None:
    """Replace the view's rows of `documents` (IRIs) with `answer`, the query's rows of those documents
    alone, each put where the query's ORDER BY puts it; when the rows changed, give the whole answer
    and those kept whole for the parameter values they hold new tokens (their files are written when
    first wanted). Returns the
    view's rows, or None when the view is missing, stale or not incremental (the caller remakes it)."""
    path = views._database(store_path, query)
    if not path.is_file():
        return None
    db = sqlite3.connect(path, isolation_level=None)
    try:
        entry = db.execute("SELECT sha256, rows, head, incremental FROM manifest").fetchone()
        head, bindings = answer
        if entry is None or entry[0] != views._sha(query) or not entry[3] or json.loads(entry[2]) != head:
            return None
        order = views._order(query, head) or []
        keyed = views._keyed(query, head)
        new = sorted((_stored(b, order, keyed) for b in bindings), key=lambda row: row[0])  # stable: ties keep order
        docs = sorted(set(documents))
        chunks = [docs[i : i + 500] for i in range(0, len(docs), 500)]
        columns = "".join(f", {views._col(p)}" for p in keyed)
        held = sorted(
            row
            for chunk in chunks
            for row in db.execute(
                f"SELECT pos, binding{columns} FROM rows WHERE doc IN ({','.join('?' * len(chunk))})", chunk
            )
        )
        if [row[1] for row in held] == [row[2] for row in new]:  # these documents' rows did not change
            return entry[1]
        db.execute("BEGIN")
        removed = 0
        for chunk in chunks:
            removed += db.execute(f"DELETE FROM rows WHERE doc IN ({','.join('?' * len(chunk))})", chunk).rowcount
        marks = ", ".join("?" * (4 + len(keyed)))
        db.executemany(f"INSERT INTO rows VALUES ({marks})", _placed(db, new))
        count = entry[1] - removed + len(new)
        db.execute("UPDATE manifest SET rows = ?", (count,))
        values = {(p, key) for row in held for p, key in zip(keyed, row[2:], strict=True) if key is not None}
        values |= {(p, key) for row in new for p, key in zip(keyed, row[3:], strict=True) if key is not None}
        superseded = _new_tokens(db, count, values)
        db.execute("COMMIT")
        views.remove_wholes(store_path, query, superseded)
        return count
    except sqlite3.Error:
        return None
    finally:
        db.close()


def _stored(binding: dict, order: list[str], keyed: list[Param]) -> tuple:
    """One row as the table holds it, without its position."""
    keys = [views._row_key(p, binding.get(p.filters)) for p in keyed]
    return (
        sortkey.row_key(binding, order),
        binding[views.DOCUMENT]["value"],
        views._dumps(binding)[:-1].encode(),
        *keys,
    )


def _placed(db: sqlite3.Connection, new: list[tuple]) -> list[tuple]:
    """`new` rows (sorted by key) with positions between the stored rows the keys put them between
    (after stored rows with an equal key), spread evenly; positions are renumbered when a gap is full."""
    for _ in range(2):
        gaps: dict[tuple[int | None, int | None], list[tuple]] = {}
        for row in new:
            below = db.execute(
                "SELECT pos FROM rows WHERE sortkey <= ? ORDER BY sortkey DESC, pos DESC LIMIT 1", (row[0],)
            ).fetchone()
            above = db.execute(
                "SELECT pos FROM rows WHERE sortkey > ? ORDER BY sortkey, pos LIMIT 1", (row[0],)
            ).fetchone()
            gaps.setdefault((below and below[0], above and above[0]), []).append(row)
        placed = []
        for (lo, hi), rows in gaps.items():
            lo = lo if lo is not None else (hi if hi is not None else 0) - views.GAP * (len(rows) + 1)
            hi = hi if hi is not None else lo + views.GAP * (len(rows) + 1)
            if hi - lo <= len(rows):
                break
            placed += [(lo + (hi - lo) * (j + 1) // (len(rows) + 1), *row) for j, row in enumerate(rows)]
        else:
            return placed
        ids = [r[0] for r in db.execute("SELECT rowid FROM rows ORDER BY pos")]
        db.executemany(
            "UPDATE rows SET pos = ? WHERE rowid = ?", [(i * views.GAP, rowid) for i, rowid in enumerate(ids)]
        )
    raise sqlite3.OperationalError("no room for the new rows")


def _new_tokens(db: sqlite3.Connection, count: int, values: set[tuple[Param, str | int]]) -> list[str]:
    """Give new tokens (in the caller's transaction) to the whole answer and to the answers kept whole
    for the parameter `values` the changed rows hold; a value whose answer now has `views.MANY` rows is
    kept whole from now on. Their files are written from the table when first wanted
    (`views.view_file`, `views.view_json`). Each token before stays the previous one (its file may still
    be being sent); returns the tokens before those, whose files may go."""
    views._create_wholes(db)
    superseded = []
    kept = db.execute("SELECT token, previous FROM wholes WHERE param = '' AND key = ''").fetchone()
    if kept is None:  # a view of an older version: its file is NAME.json (token "")
        kept = ("", None)
        db.execute("INSERT INTO wholes VALUES ('', '', '', NULL, ?)", (count,))
    db.execute(
        "UPDATE wholes SET token = ?, previous = ?, rows = ? WHERE param = '' AND key = ''",
        (views._token(), kept[0], count),
    )
    superseded += [kept[1]] if kept[1] is not None else []
    for p, key in values:
        rows = db.execute(f"SELECT COUNT(*) FROM rows WHERE {views._col(p)} = ?", (key,)).fetchone()[0]
        kept = db.execute(
            "SELECT token, previous FROM wholes WHERE param = ? AND key = ?", (p.name, str(key))
        ).fetchone()
        if kept is not None:
            db.execute(
                "UPDATE wholes SET token = ?, previous = ?, rows = ? WHERE param = ? AND key = ?",
                (views._token(), kept[0], rows, p.name, str(key)),
            )
            superseded += [kept[1]] if kept[1] is not None else []
        elif rows >= views.MANY:
            db.execute("INSERT INTO wholes VALUES (?, ?, ?, NULL, ?)", (p.name, str(key), views._token(), rows))
    return superseded


def maintain(
    store: Store,
    store_path: Path,
    base: str,
    registry: Registry,
    changes: Changes,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Bring every view and the mentions index in line with the updated store; rows per view.

    A view that cannot take per-document rows (missing, stale, not incremental) is made again whole.
    """
    progress = progress or Progress.quiet()
    wanted = [q for q in registry.list() if views.viewable(q)]
    read = read_predicates(registry.list())
    with progress.phase("views", total=len(wanted) + 1, unit="queries") as step:
        proven = anchoring.cached(Path(store_path) / views.FOLDER, wanted)
        docs = affected_documents(store, base, changes, read, proven)
        step.note = f"{len(docs)} documents"
        done: dict[str, int] = {}
        remake = []
        with kgstore.work_folder(store_path, ".kg-views-") as folder:
            scratch = neighbourhood(store, base, docs, read, Path(folder) / "store")
            for q in wanted:
                head, rows = views._answer(q, scratch)
                mine = (b for b in rows if b.get(views.DOCUMENT, {}).get("value") in docs)
                count = replace_rows(store_path, q, docs, (head, mine))
                if count is None:
                    remake.append(q.name)
                else:
                    done[q.name] = count
                step.advance()
            del scratch
        if remake:
            done.update(views.materialise(store, store_path, registry, names=remake))
        mentions.replace_documents(store, store_path, base, registry, changes.documents)
        step.advance()
    return done
