"""Materialised views: written by every build, equal to the live query, ignored once stale."""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, QueryResultsFormat, Store

from kg import views
from kg.build import build
from kg.queries import SavedQuery, parse_query, registry

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.fixture(scope="module")
def wide_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of the seeds, the dev documents and the probe sets: many values for every parameter."""
    dirs = [ROOT / "seeds", ROOT / "tests" / "data" / "probe", ROOT / "tests" / "data" / "probe2"]
    dirs += [d for d in [SHARED / "dev" / "docs"] if d.is_dir()]
    path = tmp_path_factory.mktemp("wide") / "store"
    build(dirs, path, workers=1)
    return path


def _live(store: Store, query: SavedQuery, terms: dict) -> dict:
    from kg import store as kgstore

    return json.loads(kgstore.query(store, query.sparql, terms).serialize(format=QueryResultsFormat.JSON))


def _values(query: SavedQuery, name: str, rows: list[dict]) -> list:
    """Terms to try for parameter `name`: every distinct value its column takes (as the parameter's
    type), spread over at most 15, and one that matches nothing."""
    p = next(p for p in query.params if p.name == name)
    seen: list = []
    for row in rows:
        cell = row.get(p.filters)
        if cell is None:
            continue
        if p.match == "year":
            year = cell["value"][:4]
            term = Literal(year, datatype=NamedNode(XSD + "integer")) if year.isdigit() else None
        elif cell["type"] == "uri":
            term = NamedNode(cell["value"])
        else:
            term = Literal(cell["value"])
        if term is not None and term not in seen:
            seen.append(term)
    step = max(1, len(seen) // 15)
    absent = Literal("1000", datatype=NamedNode(XSD + "integer")) if p.match == "year" or p.type == "year" else None
    if absent is None:
        absent = NamedNode("https://example.org/nothing") if p.type == "iri" else Literal("nothing")
    return [*seen[::step], absent]


def test_a_view_answers_every_parameter_as_the_live_query_does(wide_store_path: Path) -> None:
    """For every saved query, parameter and value (and pairs of parameters), the rows read from the
    view equal the live answer, in the same order."""
    store = Store.read_only(str(wide_store_path))
    checked = 0
    for query in registry().list():
        if not views.viewable(query):
            assert views.view_json(wide_store_path, query) is None
            continue
        whole = _live(store, query, {})
        assert json.loads(views.view_json(wide_store_path, query) or b"null") == whole, query.name
        rows = whole["results"]["bindings"]
        for p in query.params:
            for term in _values(query, p.name, rows):
                view = views.view_json(wide_store_path, query, {p.name: term})
                assert view is not None, (query.name, p.name)
                assert json.loads(view) == _live(store, query, {p.name: term}), (query.name, p.name, term)
                checked += 1
        for a, b in combinations(query.params, 2):
            for row in rows[:: max(1, len(rows) // 5)]:
                pair = {}
                for p in (a, b):
                    values = _values(query, p.name, [row])
                    pair[p.name] = values[0]
                view = views.view_json(wide_store_path, query, pair)
                assert view is not None and json.loads(view) == _live(store, query, pair), (query.name, pair)
                checked += 1
    assert checked > 300


def test_every_parameter_free_query_has_a_view_equal_to_the_live_result(seeds_store_path: Path) -> None:
    store = Store.read_only(str(seeds_store_path))
    free = [q for q in registry().list() if not any(p.required for p in q.params)]
    assert len(free) >= 8
    for query in free:
        body = views.view_json(seeds_store_path, query)
        assert body is not None, query.name
        live = query.run(store).serialize(format=QueryResultsFormat.JSON)
        assert json.loads(body) == json.loads(live), query.name


def test_a_changed_query_text_makes_its_view_stale(seeds_store_path: Path) -> None:
    people = registry().get("people")
    changed = parse_query("people", people.sparql + "\n# edited\n")
    assert views.view_json(seeds_store_path, people) is not None
    assert views.view_json(seeds_store_path, changed) is None
    assert views.view_results(seeds_store_path, changed) is None


def test_the_row_cap_applies_to_views(seeds_store_path: Path) -> None:
    people = registry().get("people")
    try:
        views.view_json(seeds_store_path, people, max_rows=1)
    except views.TooManyRows as err:
        assert err.rows > 1
    else:
        raise AssertionError("a view above the cap must raise TooManyRows")


def test_views_made_in_worker_processes_equal_views_made_in_process(wide_store_path: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "store"
    shutil.copytree(wide_store_path, copy)
    views.drop(copy)
    assert views.view_json(copy, registry().get("speakers")) is None
    rows = views.materialise(copy, copy, registry(), workers=2)
    assert set(rows) == {q.name for q in registry().list() if views.viewable(q)} | {"mentions-of"}  # and its index
    for query in registry().list():
        if views.viewable(query):
            assert views.view_json(copy, query) == views.view_json(wide_store_path, query), query.name


def test_the_answer_for_a_value_with_many_rows_is_kept_whole_as_a_file(
    wide_store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The answer for one parameter value with `views.MANY` rows or more (organisations of one class, the
    documents of one year at 100,000 documents) is written whole at build time and sent from its file,
    equal to the live answer; its row count answers the row cap."""
    import shutil
    import sqlite3

    copy = tmp_path / "store"
    shutil.copytree(wide_store_path, copy)
    views.drop(copy)
    monkeypatch.setattr(views, "MANY", 3)  # the wide store's values have tens of rows, not thousands
    views.materialise(copy, copy, registry(), workers=1)
    store = Store.read_only(str(copy))
    kept = 0
    for query in registry().list():
        if not views.viewable(query):
            continue
        db = sqlite3.connect(views._database(copy, query))
        entries = db.execute("SELECT param, key, token, rows FROM wholes WHERE param != ''").fetchall()
        db.close()
        rows = _live(store, query, {})["results"]["bindings"]
        for p in query.params:
            for term in _values(query, p.name, rows):
                body = views.view_json(copy, query, {p.name: term})
                assert body is not None and json.loads(body) == _live(store, query, {p.name: term}), (query.name, term)
        for name, key, token, count in entries:
            p = next(p for p in query.params if p.name == name)
            files = list((copy / views.FOLDER).glob(f"{query.name}.{token}*.json"))
            assert len(files) == 1, (query.name, name, key)
            term = Literal(key, datatype=NamedNode(XSD + "integer")) if p.match == "year" else _term(key)
            assert views.view_json(copy, query, {name: term}) == files[0].read_bytes(), (query.name, name, key)
            assert count >= 3 and len(json.loads(files[0].read_bytes())["results"]["bindings"]) == count
            with pytest.raises(views.TooManyRows) as err:
                views.view_json(copy, query, {name: term}, max_rows=count - 1)
            assert err.value.rows == count
            kept += 1
    assert kept > 20


def _term(key: str) -> NamedNode | Literal:
    """A parameter value from its key (the N-Triples form of a view's cell)."""
    if key.startswith("<"):
        return NamedNode(key[1:-1])
    return Literal(json.loads(key))  # plain strings are all the saved queries filter literals by
