"""Materialised views: every saved query's whole-corpus result, as an indexed table, made at build time.

A whole-corpus saved query (all speakers, ordered) takes seconds to evaluate live on a large store,
most of it in ORDER BY and in joins that the optional-parameter filters cannot narrow; its answer
only changes when the store does. So a build runs each saved query that needs no parameter once and
stores its rows in `views/NAME.sqlite` inside the store folder: a table holding each row's SPARQL
JSON binding (UTF-8, without its closing brace, so rows join into an answer as they are), its
position in the answer, its ORDER BY key (kg/sortkey.py), its document, and one indexed key column
per declared parameter; the whole answer is also kept as a SPARQL JSON file, sent as it is.
`kg build --update` replaces the rows of the documents it touched and puts the new ones where the
ORDER BY key says (kg/view_update.py); when a view's rows changed it gives the whole answer a new
token instead of rewriting its file, and the file of that token is written from the table by the
first request that wants it (`view_file`). `mentions-of`, which needs its entity, is answered from an
index of its own (kg/mentions.py), made and kept with the views.

A request with parameters is then an index lookup: a parameter selects the rows whose result column
(`column:` in the .rq header, default the parameter's name) holds the same term, or, with
`match: year`, a date in that year, just as the query's own filter would; `tests/test_views.py`
checks that the two agree on every parameter and value. Each table remembers the checksum of the
query text it came from; a changed .rq file makes it stale, and the query then runs live.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import multiprocessing as mp
import os
import re
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from pyoxigraph import BlankNode, Literal, NamedNode, QueryResultsFormat, QuerySolutions, Store, parse_query_results

from kg import anchoring, mentions, sortkey
from kg.interrupt import ignore_in_worker, workers_ignore_interrupt
from kg.progress import Progress
from kg.queries import Param, Registry, SavedQuery

FOLDER = "views"
UPDATING = "UPDATING"  # in the views folder while an update changes the store: no view is used
DOCUMENT = "document"  # the result column naming the document a row comes from
Rows = tuple[list[str], Iterator[dict[str, dict[str, str]]]]
XSD = "http://www.w3.org/2001/XMLSchema#"
_DATED = {XSD + t for t in ("date", "dateTime", "dateTimeStamp", "gYear", "gYearMonth")}
_YEAR = re.compile(r"^(-?\d{4,})(?:-|$|Z|[+])")


def _sha(query: SavedQuery) -> str:
    return hashlib.sha256(query.sparql.encode("utf-8")).hexdigest()


def viewable(query: SavedQuery) -> bool:
    """A query that can run without parameters has a view."""
    return not any(p.required for p in query.params)


def materialise(
    store: Store | Path | str,
    store_path: Path,
    registry: Registry,
    names: Iterable[str] | None = None,
    workers: int = 1,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Run every parameter-free saved query (or those in `names`) and store its rows; rows per view.

    With `workers` > 1 the queries run in that many processes, each opening the store at
    `store_path` read-only (the caller must have flushed its writes). `progress` gets a phase
    "views" counting the queries.
    """
    folder = Path(store_path) / FOLDER
    folder.mkdir(exist_ok=True)
    wanted = [q for q in registry.list() if viewable(q) and (names is None or q.name in set(names))]
    index = _mentions_query(registry) if names is None or mentions.NAME in set(names) else None
    progress = progress or Progress.quiet()
    done = _materialise(store, store_path, wanted, index, workers, progress)
    anchoring.cached(folder, [q for q in registry.list() if viewable(q)])  # for updates (kg/view_update.py)
    return done


def _materialise(
    store: Store | Path | str,
    store_path: Path,
    wanted: list[SavedQuery],
    index: SavedQuery | None,
    workers: int,
    progress: Progress,
) -> dict[str, int]:
    with progress.phase("views", total=len(wanted) + (index is not None), unit="queries") as step:
        if workers <= 1 or len(wanted) < 2:
            source = store if isinstance(store, Store) else Store.read_only(str(store))
            done = {}
            for q in wanted:
                done[q.name] = write_view(store_path, q, _answer(q, source))
                step.advance()
            if index is not None:
                done[index.name] = _index_mentions(source, store_path, index)
                step.advance()
            return done
        jobs = [(str(store_path), q) for q in wanted] + ([(str(store_path), index)] if index is not None else [])
        jobs.sort(key=lambda job: -_COST.get(job[1].name, 0))  # longest first, so the last one does not run alone
        ctx = mp.get_context("spawn")  # never fork a process that holds an open store
        with workers_ignore_interrupt():  # Ctrl-C reaches this process only; leaving the pool ends the workers
            pool = ctx.Pool(min(workers, len(jobs)), initializer=ignore_in_worker)
        with pool:
            rows = {}
            for name, count in pool.imap_unordered(_materialise_one, jobs):
                rows[name] = count
                step.advance()
        return {job[1].name: rows[job[1].name] for job in jobs}


def _mentions_query(registry: Registry) -> SavedQuery | None:
    return next((q for q in registry.list() if q.name == mentions.NAME), None)


def _index_mentions(store: Store, store_path: Path | str, query: SavedQuery) -> int:
    from kg.store import detect_base

    base = detect_base(store)
    return mentions.build(store, store_path, base, query) if base else 0


# relative, measured
_COST = {"mentions-of": 6, "municipality-speakers": 5, "quotes": 4, "people": 3, "speakers": 3, "contacts": 2}
_OPEN: dict[str, Store] = {}


def _materialise_one(job: tuple[str, SavedQuery]) -> tuple[str, int]:
    path, query = job
    if path not in _OPEN:
        _OPEN[path] = Store.read_only(path)
    if not viewable(query):
        return query.name, _index_mentions(_OPEN[path], path, query)
    return query.name, write_view(Path(path), query, _answer(query, _OPEN[path]))


def _answer(query: SavedQuery, store: Store) -> Rows:
    """The query's answer as (variables, rows of SPARQL JSON bindings), streamed from the store."""
    solutions = query.run(store)
    names = [v.value for v in solutions.variables]
    rows = ({n: _json_term(t) for n, t in zip(names, solution, strict=True) if t is not None} for solution in solutions)
    return names, rows


def write_view(store_path: Path, query: SavedQuery, answer: Rows) -> int:
    """Store `answer` (the query's variables and result rows without parameters) as its view: the
    indexed table, and the whole answer as a SPARQL JSON file. Returns the number of rows."""
    folder = Path(store_path) / FOLDER
    folder.mkdir(exist_ok=True)
    target = _database(store_path, query)
    token = _token()
    whole = whole_path(store_path, query, token)
    partial, body = target.with_suffix(".partial"), whole.with_name(whole.name + ".partial")
    partial.unlink(missing_ok=True)
    db = sqlite3.connect(partial, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        with body.open("w", encoding="utf-8") as out:
            rows = _write(db, query, answer, out, token)
        body.replace(whole)
        kept = _write_kept(store_path, query, db, answer[0])
    finally:
        db.close()
    partial.replace(target)
    remove_wholes(store_path, query, keep={token, *kept})  # an earlier view's files
    return rows


def _database(store_path: Path | str, query: SavedQuery) -> Path:
    return Path(store_path) / FOLDER / f"{_stem(query)}.sqlite"


def _stem(query: SavedQuery) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", query.name)


def _token() -> str:
    return os.urandom(8).hex()


def whole_path(store_path: Path | str, query: SavedQuery, token: str, extra: str = "") -> Path:
    """The file of the answer kept whole under `token` ("": the file an older version wrote, `NAME.json`);
    `extra`: the members added to every row for a parameter's own variable (see `view_json`)."""
    folder, stem = Path(store_path) / FOLDER, _stem(query)
    if not token:
        return folder / f"{stem}.json"
    if extra:
        return folder / f"{stem}.{token}.{hashlib.sha256(extra.encode()).hexdigest()[:12]}.json"
    return folder / f"{stem}.{token}.json"


def remove_wholes(
    store_path: Path | str, query: SavedQuery, tokens: Iterable[str] = (), keep: set[str] | None = None
) -> None:
    """Delete the files of the answers kept whole under `tokens` (and their CSV, TSV and partial files),
    or, with `keep`, those of every token but these."""
    folder = Path(store_path) / FOLDER
    stem = _stem(query)
    if keep is not None:
        names = [p.name for p in folder.glob(f"{stem}.*")]
        tokens = {n.split(".")[1] for n in names if n.count(".") >= 2 and n.split(".")[1] not in keep}
        tokens = [*tokens, ""]
    for token in tokens:
        if not token:  # the file of an older version
            for suffix in (".json", ".csv", ".tsv"):
                (folder / f"{stem}{suffix}").unlink(missing_ok=True)
            continue
        for path in folder.glob(f"{stem}.{token}.*"):
            path.unlink(missing_ok=True)


def _keyed(query: SavedQuery, head: list[str]) -> list[Param]:
    return [p for p in query.params if p.filters in head]


def _write(db: sqlite3.Connection, query: SavedQuery, answer: Rows, out: TextIO, token: str) -> int:
    """Rows in answer order (`pos`, spaced GAP apart), each with its ORDER BY key (kg/sortkey.py), its
    document and one key per parameter. The view is `incremental` (an update may replace one
    document's rows) when every row has a ?document and the keys sort the rows as the query did;
    otherwise its keys are all empty and an update recomputes it whole."""
    head, bindings = answer
    out.write(f'{{"head":{{"vars":{_dumps(head)}}},"results":{{"bindings":[')
    order = _order(query, head)
    state = {"incremental": order is not None and DOCUMENT in head, "last": b""}

    def rows() -> Iterator[tuple]:
        for i, b in enumerate(bindings):
            text = _dumps(b)
            out.write("," + text if i else text)
            key = sortkey.row_key(b, order) if order is not None else b""
            if key < state["last"] or DOCUMENT not in b:
                state["incremental"] = False
            state["last"] = key
            doc = b.get(DOCUMENT, {}).get("value")
            yield (i * GAP, key, doc, text[:-1].encode(), *(_row_key(p, b.get(p.filters)) for p in keyed))

    keyed = _keyed(query, head)
    db.execute("BEGIN")
    _create(db, keyed)
    marks = ", ".join("?" * (4 + len(keyed)))
    db.executemany(f"INSERT INTO rows VALUES ({marks})", rows())
    out.write("]}}")
    if not state["incremental"]:
        db.execute("UPDATE rows SET sortkey = x''")
    _index(db, keyed, bool(state["incremental"]))
    count = db.execute("SELECT COUNT(*) FROM rows").fetchone()[0]
    db.execute(
        "INSERT INTO manifest VALUES (?, ?, ?, ?, ?)",
        (query.name, _sha(query), count, json.dumps(head), int(state["incremental"])),
    )
    db.execute("INSERT INTO wholes VALUES ('', '', ?, NULL, ?)", (token, count))
    for p in keyed:  # the parameter values with many rows: their answers are kept whole too
        col = _col(p)
        found = db.execute(
            f"SELECT {col}, COUNT(*) FROM rows WHERE {col} IS NOT NULL GROUP BY {col} HAVING COUNT(*) >= ?", (MANY,)
        ).fetchall()
        db.executemany(
            "INSERT INTO wholes VALUES (?, ?, ?, NULL, ?)", [(p.name, str(key), _token(), n) for key, n in found]
        )
    db.execute("COMMIT")
    return count


MANY = 5_000  # rows: the answer for a parameter value with at least this many is kept whole, as a file
# (reading rows out of the table costs ~2 µs a row: 150,362 rows took 301 ms at 100,000 documents)


def _write_kept(store_path: Path | str, query: SavedQuery, db: sqlite3.Connection, head: list[str]) -> set[str]:
    """Write the files of the answers kept whole for one parameter value (each with the parameter's
    own binding as a request for that value adds it); returns their tokens."""
    params = {p.name: p for p in query.params}
    tokens = set()
    for name, key, token in db.execute("SELECT param, key, token FROM wholes WHERE param != ''").fetchall():
        p = params[name]
        value = int(key) if p.match == "year" else key
        term = _canonical(db, p, value)
        extra = _extra({name: term}, head, params) if term is not None else ""
        with whole_path(store_path, query, token, extra).open("wb") as out:
            _write_answer(out, db, head, f"{_col(p)} = ?", [value], extra)
        tokens.add(token)
    return tokens


def _canonical(db: sqlite3.Connection, p: Param, key: str | int) -> dict[str, str] | None:
    """The parameter's value with key `key` as a request gives it (a year as an xsd:integer, a term as
    the result column holds it), in SPARQL JSON."""
    if p.match == "year":
        return {"type": "literal", "value": str(key), "datatype": XSD + "integer"}
    row = db.execute(f"SELECT binding FROM rows WHERE {_col(p)} = ? LIMIT 1", (key,)).fetchone()
    return json.loads(row[0] + b"}").get(p.filters) if row is not None else None


def _extra(terms: Mapping[str, Any], head: list[str], params: Mapping[str, Param]) -> str:
    """A parameter whose own variable is projected but only filters another column is bound in every
    row of the live answer; in the view it is unbound, so it is added to each row: these members."""
    return ",".join(
        f"{_dumps(name)}:{_dumps(term if isinstance(term, dict) else _json_term(term))}"
        for name, term in terms.items()
        if name in head and params[name].filters != name
    )


GAP = 1 << 20  # between the positions of consecutive rows at build time: room for rows an update adds


def _order(query: SavedQuery, head: list[str]) -> list[str] | None:
    """The ORDER BY variables up to the first one the answer does not show (speakers orders by
    ?document, then by ?first, which it does not show: rows of one document keep the order the
    query gave them, and a document's rows are always replaced together)."""
    order = sortkey.order_variables(query.sparql)
    if order is None:
        return None
    shown = order[: next((i for i, v in enumerate(order) if v not in head), len(order))]
    return shown if len(shown) == len(order) or DOCUMENT in shown else None


def _create(db: sqlite3.Connection, keyed: list[Param]) -> None:
    columns = "".join(f", {_col(p)} {'INTEGER' if p.match == 'year' else 'TEXT'}" for p in keyed)
    db.execute("CREATE TABLE manifest (name TEXT, sha256 TEXT, rows INTEGER, head TEXT, incremental INTEGER)")
    db.execute(
        f"CREATE TABLE rows (pos INTEGER NOT NULL, sortkey BLOB NOT NULL, doc TEXT, binding BLOB NOT NULL{columns})"
    )
    _create_wholes(db)


def _create_wholes(db: sqlite3.Connection) -> None:
    """The answers kept whole as files: the answer without parameters (param and key "") and those for
    one parameter value with `MANY` rows or more (the key as the parameter's column holds it, as text),
    each with its token (its file is `whole_path(token)`), the token before it (whose file may still
    be being sent) and its rows. A view of an older version has no such table (its file: NAME.json)."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS wholes (param TEXT NOT NULL, key TEXT NOT NULL, token TEXT NOT NULL, "
        "previous TEXT, rows INTEGER NOT NULL, PRIMARY KEY (param, key))"
    )


def _index(db: sqlite3.Connection, keyed: list[Param], incremental: bool) -> None:
    db.execute("CREATE INDEX rows_by_pos ON rows (pos)")
    if incremental:
        db.execute("CREATE INDEX rows_by_key ON rows (sortkey, pos)")
        db.execute("CREATE INDEX rows_by_doc ON rows (doc)")
    for p in keyed:
        db.execute(f'CREATE INDEX "by_{p.name}" ON rows ({_col(p)}, pos)')


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _col(p: Param) -> str:
    return '"k_' + re.sub(r"[^A-Za-z0-9_]", "_", p.name) + '"'


def _row_key(p: Param, binding: dict[str, str] | None) -> str | int | None:
    """The key of one result cell for parameter `p`: the term in N-Triples form, or its year."""
    if binding is None:
        return None
    if p.match == "year":
        if binding.get("type") != "literal" or binding.get("datatype") not in _DATED:
            return None
        m = _YEAR.match(binding["value"])
        return int(m.group(1)) if m else None
    kind, value = binding.get("type"), binding.get("value", "")
    if kind == "uri":
        return str(NamedNode(value))
    if kind == "literal":
        if "xml:lang" in binding:
            return str(Literal(value, language=binding["xml:lang"]))
        return str(Literal(value, datatype=NamedNode(binding.get("datatype", XSD + "string"))))
    return None  # blank nodes never match a parameter


def _param_key(p: Param, term: NamedNode | Literal) -> str | int | None:
    if p.match == "year":
        try:
            return int(term.value)
        except ValueError:
            return None
    return str(term)


def _json_term(term: NamedNode | Literal | BlankNode) -> dict[str, str]:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD + "string":
        out["datatype"] = term.datatype.value
    return out


def view_file(
    store_path: Path | str, query: SavedQuery, max_rows: int | None = None, build: bool = True
) -> Path | None:
    """The SPARQL JSON file of the whole answer of `query` (no parameters), or None (no fresh view, or
    its file cannot be written). An update that changed the view's rows leaves the file to be written
    from the table: this call writes it (or, with `build` false, raises Unwritten).

    Raises TooManyRows when it has more than `max_rows` rows.
    """
    opened = _open(store_path, query)
    if opened is None:
        return None
    db, rows, head = opened
    try:
        if max_rows is not None and rows > max_rows:
            raise TooManyRows(rows)
        return _whole_file(store_path, query, db, head, build)
    except sqlite3.Error:
        return None
    finally:
        db.close()


class Unwritten(Exception):
    """The whole answer's file is still to be written from the view's table (`view_file`)."""


def _kept(db: sqlite3.Connection, param: str = "", key: str = "") -> tuple[str, int] | None:
    """The token and rows of the answer kept whole for `param` = `key` ("", "": the answer without
    parameters; its token is "" in a view of an older version, whose file is NAME.json); None when that
    answer is not kept whole."""
    try:
        row = db.execute("SELECT token, rows FROM wholes WHERE param = ? AND key = ?", (param, key)).fetchone()
    except sqlite3.OperationalError:  # no such table: a view of an older version
        row = None
    if row is None and not param:
        return "", db.execute("SELECT rows FROM manifest").fetchone()[0]
    return row


def _whole_file(
    store_path: Path | str,
    query: SavedQuery,
    db: sqlite3.Connection,
    head: list[str],
    build: bool,
    param: Param | None = None,
    key: str | int = "",
    extra: str = "",
) -> Path | None:
    """The file of the answer kept whole (for `param` = `key`, with `extra` added to each row), written
    from the table when its token has none yet; None when that answer is not kept whole, or its file
    cannot be written."""
    wanted = (param.name, str(key)) if param is not None else ("", "")
    kept = _kept(db, *wanted)
    if kept is None:
        return None
    path = whole_path(store_path, query, kept[0], extra)
    if path.is_file():
        return path
    if not build:
        raise Unwritten(str(path))
    db.execute("BEGIN")  # the rows and the token they go with, from one snapshot
    try:
        kept = _kept(db, *wanted)
        if kept is None:
            return None
        path = whole_path(store_path, query, kept[0], extra)
        partial = path.with_name(f"{path.name}.{os.getpid()}-{_token()}.partial")
        where, args = (f"{_col(param)} = ?", [key]) if param is not None else ("1", [])
        try:
            with partial.open("wb") as out:
                _write_answer(out, db, head, where, args, extra)
            partial.replace(path)
        except OSError:  # a folder this process may not write: the caller reads the table
            partial.unlink(missing_ok=True)
            return None
    finally:
        db.execute("COMMIT")
    return path


def _write_answer(
    out: BinaryIO, db: sqlite3.Connection, head: list[str], where: str = "1", args: Sequence[Any] = (), extra: str = ""
) -> None:
    """The view's rows that meet `where`, in answer order, as a SPARQL JSON answer, written to `out`
    (a chunk of rows at a time)."""
    out.write(f'{{"head":{{"vars":{_dumps(head)}}},"results":{{"bindings":['.encode())
    rows = db.execute(f"SELECT binding FROM rows WHERE {where} ORDER BY pos", args)
    first = True
    while chunk := rows.fetchmany(8192):
        if not first:
            out.write(b",")
        out.write(_joined([text for (text,) in chunk], extra))
        first = False
    out.write(b"]}}")


def _open(store_path: Path | str, query: SavedQuery) -> tuple[sqlite3.Connection, int, list[str]] | None:
    """The view's database, read-only, with its row count and variables; None when missing or stale."""
    path = _database(store_path, query)
    if not viewable(query) or not path.is_file() or (path.parent / UPDATING).exists():
        return None
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        entry = db.execute("SELECT sha256, rows, head FROM manifest").fetchone()
    except sqlite3.Error:
        entry = None
    if entry is None or entry[0] != _sha(query):
        db.close()
        return None
    return db, entry[1], json.loads(entry[2])


def view_json(
    store_path: Path | str,
    query: SavedQuery,
    terms: Mapping[str, Any] | None = None,
    max_rows: int | None = None,
    page: tuple[int, int] | None = None,
) -> bytes | None:
    """The SPARQL JSON result of `query` with parameters bound to `terms`, read from its view.

    `page` (offset, limit) selects rows of the ordered answer, as OFFSET/LIMIT would.
    None when there is no usable view: none was made, it is stale, or a bound parameter's column is
    not in the result. Raises TooManyRows when the answer (not a page) has more than `max_rows` rows.
    """
    terms = dict(terms or {})
    if query.name == mentions.NAME and set(terms) == {"entity"}:  # index-backed (kg/mentions.py)
        try:
            return mentions.answer(store_path, query, terms["entity"].value, max_rows, page)
        except mentions.TooManyRows as err:
            raise TooManyRows(err.rows) from None
    opened = _open(store_path, query)
    if opened is None:
        return None
    db, rows, head = opened
    if not terms and page is None:
        try:
            if max_rows is not None and rows > max_rows:
                raise TooManyRows(rows)
            whole = _whole_file(store_path, query, db, head, build=True)
            if whole is not None:
                with contextlib.suppress(OSError):  # gone since: read from the table
                    return whole.read_bytes()
            body = io.BytesIO()
            _write_answer(body, db, head)
            return body.getvalue()
        except sqlite3.Error:
            return None
        finally:
            db.close()
    params = {p.name: p for p in query.params}
    extra = _extra(terms, head, params)
    try:
        if len(terms) == 1 and page is None:  # an answer kept whole?
            body = _kept_answer(store_path, query, db, head, params, terms, max_rows, extra)
            if body is not None:
                return body
        where, args = [], []
        for name, term in terms.items():
            p = params[name]
            if p.filters not in head:
                return None
            where.append(f"{_col(p)} = ?")
            args.append(_param_key(p, term))
        condition = " AND ".join(where) or "1"
        sql = f"SELECT binding FROM rows WHERE {condition} ORDER BY pos"
        if page is not None:
            sql += f" LIMIT {int(page[1])} OFFSET {int(page[0])}"
        elif max_rows is not None:
            sql += f" LIMIT {max_rows + 1}"
        found = [r[0] for r in db.execute(sql, args)]
        if page is None and max_rows is not None and len(found) > max_rows:
            raise TooManyRows(db.execute(f"SELECT COUNT(*) FROM rows WHERE {condition}", args).fetchone()[0])
    except (sqlite3.Error, OSError):
        return None
    finally:
        db.close()
    return f'{{"head":{{"vars":{_dumps(head)}}},"results":{{"bindings":['.encode() + _joined(found, extra) + b"]}}"


def _kept_answer(
    store_path: Path | str,
    query: SavedQuery,
    db: sqlite3.Connection,
    head: list[str],
    params: Mapping[str, Param],
    terms: Mapping[str, Any],
    max_rows: int | None,
    extra: str,
) -> bytes | None:
    """The answer for one parameter value from its file, when it is kept whole (else None)."""
    ((name, term),) = terms.items()
    p = params[name]
    key = _param_key(p, term) if p.filters in head else None
    kept = _kept(db, name, str(key)) if key is not None else None
    if kept is None:
        return None
    if max_rows is not None and kept[1] > max_rows:
        raise TooManyRows(kept[1])
    path = _whole_file(store_path, query, db, head, True, p, key, extra)
    if path is None:
        return None
    try:
        return path.read_bytes()
    except OSError:  # gone since: read from the table
        return None


def _joined(rows: list[bytes], extra: str = "") -> bytes:
    """Stored rows (each row's SPARQL JSON as UTF-8 without its closing brace) as a JSON list's
    items, with `extra` members (`"name":{term}`) added to every row."""
    if not rows:
        return b""
    if not extra:
        return b"},".join(rows) + b"}"
    more = ("," + extra).encode()
    if b"{" in rows:  # a row without a binding takes no leading comma
        return b",".join(r + more[1:] + b"}" if r == b"{" else r + more + b"}" for r in rows)
    return (more + b"},").join(rows) + more + b"}"


class TooManyRows(Exception):
    """A view larger than the caller's row cap."""

    def __init__(self, rows: int) -> None:
        super().__init__(f"{rows} rows")
        self.rows = rows


def page_of(body: bytes, page: tuple[int, int]) -> bytes:
    """Rows offset..offset+limit of a SPARQL JSON result (the same rows a view page gives)."""
    data = json.loads(body)
    offset, limit = page
    if "results" in data:
        data["results"]["bindings"] = data["results"]["bindings"][offset : offset + limit]
    return _dumps(data).encode()


def view_results(
    store_path: Path | str, query: SavedQuery, terms: Mapping[str, Any] | None = None
) -> QuerySolutions | None:
    """The view's answer as query solutions (as `SavedQuery.run` would give), or None."""
    body = view_json(store_path, query, terms)
    if body is None:
        return None
    return parse_query_results(body, format=QueryResultsFormat.JSON)  # type: ignore[return-value]


def drop(store_path: Path | str) -> None:
    """Forget every view (after the store changed in place)."""
    for pattern in ("*.sqlite", "*.json", "*.csv", "*.tsv", "*.partial", UPDATING):
        for path in (Path(store_path) / FOLDER).glob(pattern):
            path.unlink()


def suspend(store_path: Path | str) -> bool:
    """Stop serving the views while the store changes under them (`resume` ends it); False when
    there are none."""
    folder = Path(store_path) / FOLDER
    if not folder.is_dir() or not any(folder.glob("*.sqlite")):
        return False
    marker = folder / UPDATING
    marker.touch()
    fd = os.open(marker, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    return True


def suspended(store_path: Path | str) -> bool:
    return (Path(store_path) / FOLDER / UPDATING).exists()


def resume(store_path: Path | str) -> None:
    (Path(store_path) / FOLDER / UPDATING).unlink(missing_ok=True)
