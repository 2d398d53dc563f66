"""Materialised views: written by every build, equal to the live query, ignored once stale."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import QueryResultsFormat, Store

from kg import views
from kg.queries import parse_query, registry


def test_every_parameter_free_query_has_a_view_equal_to_the_live_result(seeds_store_path: Path) -> None:
    store = Store.read_only(str(seeds_store_path))
    free = [q for q in registry().list() if not any(p.required for p in q.params)]
    assert len(free) >= 8
    for query in free:
        body = views.view_json(seeds_store_path, query)
        assert body is not None, query.name
        live = query.run(store).serialize(format=QueryResultsFormat.JSON)
        assert body == live, query.name


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
