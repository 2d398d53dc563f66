"""kg.store: locating, opening, atomic replacement, export and stats."""

from __future__ import annotations

import gc
import io
from pathlib import Path

import pytest
from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad, Store

from kg import store as kgstore

EX = "http://example.org/"


def quad(s: str, o: str, g: str | None = None) -> Quad:
    graph = NamedNode(EX + g) if g else DefaultGraph()
    return Quad(NamedNode(EX + s), NamedNode(EX + "p"), Literal(o), graph)


def dump_sorted(path: Path) -> list[str]:
    store = kgstore.open_read(path)
    lines = sorted(kgstore.export(store, "nquads").decode().splitlines())
    del store
    gc.collect()
    return lines


def test_default_store_path(monkeypatch):
    monkeypatch.delenv("KG_STORE", raising=False)
    assert kgstore.default_store_path() == Path("data/kg.oxigraph")
    monkeypatch.setenv("KG_STORE", "/tmp/elsewhere")
    assert kgstore.default_store_path() == Path("/tmp/elsewhere")


def test_open_read_missing_store_names_path(tmp_path):
    with pytest.raises(kgstore.StoreError, match=r"no store at .*nothing — run `kg build` first"):
        kgstore.open_read(tmp_path / "nothing")


def test_write_then_read(tmp_path):
    path = tmp_path / "kg"
    assert kgstore.write_store(path, [quad("a", "1"), quad("b", "2", "g")]) == 2
    assert kgstore.is_store(path)
    store = kgstore.open_read(path)
    names, rows = kgstore.rows(kgstore.query(store, "SELECT ?o WHERE { ?s ?p ?o }"))
    assert names == ["o"] and rows == [{"o": "1"}]  # default graph only, never the union


def test_failed_build_keeps_previous_store(tmp_path):
    path = tmp_path / "kg"
    kgstore.write_store(path, [quad("a", "old")])
    before = dump_sorted(path)
    with pytest.raises(RuntimeError), kgstore.AtomicStore(path, chunk=1) as writer:
        writer.add([quad("a", "new"), quad("b", "new")])
        raise RuntimeError("interrupted")
    assert dump_sorted(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kg"]  # no temp folder left


def test_successful_build_replaces_store(tmp_path):
    path = tmp_path / "kg"
    kgstore.write_store(path, [quad("a", "old")])
    kgstore.write_store(path, [quad("a", "new")])
    assert dump_sorted(path) == ['<http://example.org/a> <http://example.org/p> "new" .']
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kg"]


@pytest.mark.parametrize("kind", ["file", "folder"])
def test_refuses_to_replace_non_store(tmp_path, kind):
    path = tmp_path / "kg"
    if kind == "file":
        path.write_text("x")
    else:
        path.mkdir()
        (path / "precious.txt").write_text("x")
    with pytest.raises(kgstore.StoreError, match="kg"):
        kgstore.write_store(path, [quad("a", "1")])


def test_query_errors_are_store_errors(fixture_store):
    with pytest.raises(kgstore.StoreError, match="syntax"):
        kgstore.query(fixture_store, "SELEC nonsense")


@pytest.mark.parametrize("fmt", ["nquads", "trig", "jsonld", "turtle"])
def test_export_parses_back(fixture_store, fmt):
    data = kgstore.export(fixture_store, fmt)
    back = Store()
    back.load(data, format=kgstore.EXPORT_FORMATS[fmt])
    if fmt == "turtle":  # the default graph only
        assert len(back) == kgstore.stats(fixture_store)["triples"]
    else:
        assert set(back) == set(fixture_store)
    out = io.BytesIO()
    kgstore.export(fixture_store, fmt, out)
    assert out.getvalue() == data


def test_export_unknown_format(fixture_store):
    with pytest.raises(kgstore.StoreError, match="nquads"):
        kgstore.export(fixture_store, "xml")


def test_stats(fixture_store):
    s = kgstore.stats(fixture_store)
    assert s["documents"] == 2
    assert (s["people"], s["organisations"], s["events"], s["quotes"]) == (4, 3, 2, 3)
    assert s["triples"] > 100
