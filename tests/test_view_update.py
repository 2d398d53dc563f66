"""Views and the mentions-of index after `kg build --update` equal those of a fresh build, without remaking them."""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, QueryResultsFormat, Store

from kg import sortkey, views
from kg import store as kgstore
from kg.build import build
from kg.queries import registry
from kg.read import doc_id_for
from kg.update import update

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
PROBE = ROOT / "tests" / "data" / "probe" / "docs"
BASE = "https://w3id.org/sv-press-kg/"
XSD = "http://www.w3.org/2001/XMLSchema#"


def _rows(body: bytes | None) -> list[dict]:
    assert body is not None
    return json.loads(body)["results"]["bindings"]


def _same_answer(a: list[dict], b: list[dict], order: list[str]) -> bool:
    """The same rows, in the same ORDER BY order (rows that tie on every ORDER BY variable may swap)."""
    dumps = sorted(json.dumps(r, sort_keys=True) for r in a) == sorted(json.dumps(r, sort_keys=True) for r in b)
    return dumps and [sortkey.row_key(r, order) for r in a] == [sortkey.row_key(r, order) for r in b]


def _entities(path: Path) -> list[NamedNode]:
    store = kgstore.open_read(path)
    found = store.query("SELECT DISTINCT ?e WHERE { ?d <https://schema.org/mentions> ?e } ORDER BY ?e")
    return [row["e"] for row in found]


def assert_views_equal(updated: Path, fresh: Path) -> None:
    """Every saved query's view, and mentions-of for every entity, as a fresh build serves them
    (mentions-of also as the live query answers it on the fresh store)."""
    for query in registry().list():
        order = sortkey.order_variables(query.sparql) or []
        if views.viewable(query):
            a, b = _rows(views.view_json(updated, query)), _rows(views.view_json(fresh, query))
            assert _same_answer(a, b, order), query.name
            assert views.view_file(updated, query) is not None, query.name
    mentions = registry().get("mentions-of")
    store = kgstore.open_read(fresh)
    entities = _entities(fresh)
    assert len(entities) > 50
    for entity in entities:
        live = json.loads(mentions.run(store, {"entity": entity.value}).serialize(format=QueryResultsFormat.JSON))
        a = _rows(views.view_json(updated, mentions, {"entity": entity}))
        assert _same_answer(a, _rows(views.view_json(fresh, mentions, {"entity": entity})), ["document", "begin"])
        assert _same_answer(a, live["results"]["bindings"], ["document", "begin"]), entity
    assert _rows(views.view_json(updated, mentions, {"entity": NamedNode(BASE + "id/person/nobody")})) == []


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for p in sorted(SEEDS.glob("*.txt")) + sorted(PROBE.glob("*.txt"))[:6]:
        shutil.copy(p, folder / p.name)
    return folder


def _rebuild(corpus: Path, path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    build([corpus], path, workers=1)
    return path


def test_views_follow_updates_that_change_other_documents_rows(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Add, change and remove documents, among them a copy of one seed that spells a person's name
    so that it becomes the merged label (changing other documents' rows), and a copy of another that
    puts an event at a new venue (changing the event's places in every document mentioning it); then
    take those copies away again. After each update every view equals a fresh build's."""
    store = tmp_path / "kg.oxigraph"
    build([corpus], store, workers=1)

    def no_remake(*args: object, **kwargs: object) -> None:
        raise AssertionError("an update must not remake the views")

    seeds = {p.name[:3]: p for p in corpus.glob("00*.txt")}
    variant = seeds["003"].read_text(encoding="utf-8").replace("Sjölander", "Sjolander")
    assert variant != seeds["003"].read_text(encoding="utf-8")
    (corpus / "variant.txt").write_text(variant, encoding="utf-8")
    venue = seeds["001"].read_text(encoding="utf-8").replace("Stockholm City Conference Centre", "Svenska Mässan")
    (corpus / "venue.txt").write_text(venue, encoding="utf-8")
    probes = sorted(corpus.glob("pa*.txt"))
    probes[0].unlink()
    text = probes[1].read_text(encoding="utf-8").split("\n\n")
    text.insert(1, "– Det här är viktigt, säger Karin Testsson, kommunstyrelsens ordförande i Umeå kommun.")
    probes[1].write_text("\n\n".join(text), encoding="utf-8")
    shutil.copy(sorted(PROBE.glob("*.txt"))[7], corpus / "new_document.txt")

    with monkeypatch.context() as m:
        m.setattr(views, "materialise", no_remake)
        summary = update([corpus], store, workers=1)
    assert (summary.changed, summary.removed) == (4, 1)
    fresh = _rebuild(corpus, tmp_path / "fresh")
    people = _rows(views.view_json(fresh, registry().get("people")))
    assert {"Andreas Sjolander"} <= {r["personName"]["value"] for r in people}  # the variant is the label now
    assert "Andreas Sjölander" not in {r["personName"]["value"] for r in people}
    events = _rows(views.view_json(fresh, registry().get("events")))
    seed = BASE + "res/doc/" + doc_id_for(seeds["001"])
    assert any(
        "Svenska Mässan" in r.get("placeName", {}).get("value", "") for r in events if r["document"]["value"] == seed
    )
    assert_views_equal(store, fresh)

    (corpus / "variant.txt").unlink()
    (corpus / "venue.txt").unlink()
    with monkeypatch.context() as m:
        m.setattr(views, "materialise", no_remake)
        update([corpus], store, workers=1)
    assert_views_equal(store, _rebuild(corpus, tmp_path / "fresh"))


def test_a_killed_update_leaves_views_unused_and_the_next_update_remakes_them(corpus: Path, tmp_path: Path) -> None:
    """While an update changes the store the views are not served (saved queries run live); an update
    that finds another's journal cannot know what that one changed, and remakes the views whole."""
    from kg.update import Journal

    store = tmp_path / "kg.oxigraph"
    build([corpus], store, workers=1)
    people = registry().get("people")
    views.suspend(store)
    assert views.view_json(store, people) is None
    assert (
        views.view_json(store, registry().get("mentions-of"), {"entity": NamedNode(BASE + "id/org/kommun-0180")})
        is None
    )
    Journal(store).write({doc_id_for(sorted(corpus.glob("*.txt"))[0])}, set())
    update([corpus], store, workers=1)
    assert not views.suspended(store)
    assert_views_equal(store, _rebuild(corpus, tmp_path / "fresh"))


def _whole_files(store: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in (store / views.FOLDER).glob("*.json")}


def test_an_update_rewrites_no_whole_answer_file_and_the_first_request_writes_it(corpus: Path, tmp_path: Path) -> None:
    """An update that changes a view's rows gives its whole answer a new token instead of rewriting its
    file (87 MB for eight views at 10,000 documents); the first request writes the file of the new token
    from the table, equal to a fresh build's answer. The file of the token before stays (a request may be
    sending it) until the view changes again."""
    store = tmp_path / "kg.oxigraph"
    build([corpus], store, workers=1)
    people = registry().get("people")
    first = views.view_file(store, people)
    assert first is not None and first.is_file()
    before = _whole_files(store)
    probe = sorted(corpus.glob("pa*.txt"))[1]
    original = probe.read_text(encoding="utf-8")
    parts = original.split("\n\n")
    parts.insert(1, "– Det här är viktigt, säger Karin Testsson, kommunstyrelsens ordförande i Umeå kommun.")
    probe.write_text("\n\n".join(parts), encoding="utf-8")
    update([corpus], store, workers=1)
    after = _whole_files(store)
    assert set(after) <= set(before)  # no file written by the update
    assert all(after[name] == before[name] for name in after)  # nor any rewritten
    assert first.is_file()
    fresh = _rebuild(corpus, tmp_path / "fresh")
    for query in registry().list():
        if views.viewable(query):
            path = views.view_file(store, query)
            assert path is not None and path.is_file(), query.name
            order = sortkey.order_variables(query.sparql) or []
            written = json.loads(path.read_bytes())["results"]["bindings"]
            assert _same_answer(written, _rows(views.view_json(fresh, query)), order), query.name
            assert json.loads(views.view_json(store, query) or b"") == json.loads(path.read_bytes())
    second = views.view_file(store, people)
    assert second is not None and second != first
    assert "Karin Testsson" in second.read_text(encoding="utf-8")
    assert "Karin Testsson" not in first.read_text(encoding="utf-8")

    probe.write_text(original, encoding="utf-8")
    update([corpus], store, workers=1)
    assert not first.exists()  # two changes on: nothing can be sending it any more
    assert second.is_file()
    assert_views_equal(store, _rebuild(corpus, tmp_path / "fresh"))


def test_a_whole_answer_is_written_from_the_rows_of_its_own_token(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file a request writes is named by the token read in the same snapshot as the rows it holds:
    an update cannot commit new rows and a new token while the rows are being read."""
    import sqlite3

    store = tmp_path / "kg.oxigraph"
    build([corpus], store, workers=1)
    people = registry().get("people")
    path = views.view_file(store, people)
    assert path is not None
    path.unlink()
    tried = []
    real = views._write_answer

    def meanwhile(out, db, head, *args, **kwargs):  # an update committing while the rows are read
        other = sqlite3.connect(views._database(store, people), isolation_level=None, timeout=0)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
                other.execute("UPDATE wholes SET token = 'later'")
                other.execute("COMMIT")
            tried.append(True)
        finally:
            other.close()
        return real(out, db, head, *args, **kwargs)

    monkeypatch.setattr(views, "_write_answer", meanwhile)
    written = views.view_file(store, people)
    assert tried and written == path and path.is_file()
    fresh = _rebuild(corpus, tmp_path / "fresh")
    assert _same_answer(_rows(path.read_bytes()), _rows(views.view_json(fresh, people)), ["personName"])


def test_a_view_of_an_older_version_is_kept_and_its_file_goes_two_changes_on(corpus: Path, tmp_path: Path) -> None:
    """A store whose views have no token (an older version: the whole answer in NAME.json) is updated in
    place: NAME.json is what a running server may still send after the first change, and goes at the next."""
    import sqlite3

    store = tmp_path / "kg.oxigraph"
    build([corpus], store, workers=1)
    people = registry().get("people")
    for query in registry().list():  # as an older version left them
        if views.viewable(query):
            path = views.view_file(store, query)
            assert path is not None
            path.replace(store / views.FOLDER / f"{query.name}.json")
            db = sqlite3.connect(views._database(store, query))
            db.execute("DROP TABLE wholes")
            db.commit()
            db.close()
    old = store / views.FOLDER / "people.json"
    assert views.view_file(store, people) == old
    probe = sorted(corpus.glob("pa*.txt"))[1]
    probe.write_text(probe.read_text(encoding="utf-8") + "\n\nJonas Nilsson, pressansvarig, Umeå kommun.\n", "utf-8")
    update([corpus], store, workers=1)
    assert old.is_file() and views.view_file(store, people) != old
    probe.write_text(probe.read_text(encoding="utf-8") + "\n\nPer Persson, pressansvarig, Umeå kommun.\n", "utf-8")
    update([corpus], store, workers=1)
    assert not old.exists()
    assert_views_equal(store, _rebuild(corpus, tmp_path / "fresh"))


def _keys(store: Path, query: object, p: object) -> list:
    import sqlite3

    db = sqlite3.connect(views._database(store, query))
    try:
        return [k for (k,) in db.execute(f"SELECT DISTINCT {views._col(p)} FROM rows") if k is not None]
    finally:
        db.close()


def _value(p: object, key: str | int) -> NamedNode | Literal:
    if p.match == "year":
        return Literal(str(key), datatype=NamedNode(XSD + "integer"))
    return NamedNode(key[1:-1]) if key.startswith("<") else Literal(json.loads(key))


def test_answers_kept_whole_for_a_value_follow_updates(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the answers of parameter values with a few rows kept whole: after updates that change
    other documents' rows, the answer for every value equals a fresh build's. The update writes none
    of their files: a value whose rows changed gets a new token (its file is written when first
    asked for), the others keep theirs; a value that reaches `MANY` rows is kept whole from then on."""
    import sqlite3

    monkeypatch.setattr(views, "MANY", 2)
    store = tmp_path / "kg.oxigraph"
    build([corpus], store, workers=1)
    tokens = {}
    for query in registry().list():
        if views.viewable(query):
            db = sqlite3.connect(views._database(store, query))
            tokens[query.name] = dict(
                ((param, key), token) for param, key, token in db.execute("SELECT param, key, token FROM wholes")
            )
            db.close()
    before = _whole_files(store)
    seeds = {p.name[:3]: p for p in corpus.glob("00*.txt")}
    (corpus / "variant.txt").write_text(
        seeds["003"].read_text(encoding="utf-8").replace("Sjölander", "Sjolander"), encoding="utf-8"
    )
    (corpus / "venue.txt").write_text(
        seeds["001"].read_text(encoding="utf-8").replace("Stockholm City Conference Centre", "Svenska Mässan"),
        encoding="utf-8",
    )
    update([corpus], store, workers=1)
    after = _whole_files(store)
    assert set(after) <= set(before) and all(after[n] == before[n] for n in after)  # nothing written
    fresh = _rebuild(corpus, tmp_path / "fresh")
    kept = changed = unchanged = added = 0
    for query in registry().list():
        if not views.viewable(query):
            continue
        order = sortkey.order_variables(query.sparql) or []
        db = sqlite3.connect(views._database(store, query))
        now = {(param, key): token for param, key, token in db.execute("SELECT param, key, token FROM wholes")}
        db.close()
        for (param, key), token in now.items():
            if param and tokens[query.name].get((param, key)) == token:
                unchanged += 1
                assert list((store / views.FOLDER).glob(f"{query.name}.{token}*.json")), (query.name, param, key)
            elif param:
                changed += 1
                added += (param, key) not in tokens[query.name]  # a new value with MANY rows
        for p in query.params:
            if p.filters not in json.loads(views.view_json(fresh, query) or b"{}")["head"]["vars"]:
                continue
            for key in _keys(fresh, query, p):
                term = {p.name: _value(p, key)}
                a, b = _rows(views.view_json(store, query, term)), _rows(views.view_json(fresh, query, term))
                assert _same_answer(a, b, order), (query.name, p.name, key)
                kept += (p.name, str(key)) in now
    assert kept > 50 and changed > 5 and unchanged > 20 and added > 0
    assert_views_equal(store, fresh)


def _redone(monkeypatch: pytest.MonkeyPatch) -> list[set[str]]:
    """The documents each update recomputes view rows of (spied on)."""
    from kg import view_update

    seen: list[set[str]] = []
    real = view_update.neighbourhood

    def spy(store: Store, base: str, documents: set[str], read: set[str], folder: Path) -> Store:
        seen.append(set(documents))
        return real(store, base, documents, read, folder)

    monkeypatch.setattr(view_update, "neighbourhood", spy)
    return seen


def test_a_new_contact_point_of_a_person_named_elsewhere_redoes_only_its_document(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A copy of a release gives its people new contact points and its project new participations. Only
    the documents naming a contact point or participation read it (kg/anchoring.py), so the update
    recomputes the copy's rows alone — not those of the release it copies, which names the same people
    and project — and every view still equals a fresh build's; so after the copy is removed again."""
    store = tmp_path / "kg.oxigraph"
    build([corpus], store, workers=1)
    seed = next(corpus.glob("001*.txt"))
    copy = corpus / "copy.txt"
    copy.write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
    redone = _redone(monkeypatch)
    update([corpus], store, workers=1)
    assert redone == [{BASE + "res/doc/copy"}]
    assert_views_equal(store, _rebuild(corpus, tmp_path / "fresh"))
    copy.unlink()
    update([corpus], store, workers=1)
    assert redone[1] == {BASE + "res/doc/copy"}
    assert_views_equal(store, _rebuild(corpus, tmp_path / "fresh"))


def test_a_query_reading_contact_points_of_other_documents_is_followed(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a saved query that shows, for each document, every phone number of the people it mentions,
    another document's contact point changes this document's rows: contact points are then not anchored
    and the update recomputes every document naming those people."""
    folder = tmp_path / "queries"
    shutil.copytree(ROOT / "queries", folder)
    (folder / "phones.rq").write_text(
        "#+ title: Phones of the people a document mentions\n"
        "PREFIX cv: <http://data.europa.eu/m8g/>\nPREFIX schema: <https://schema.org/>\n"
        "SELECT ?document ?person ?phone WHERE { ?document schema:mentions ?person . "
        "?person cv:contactPoint ?c . ?c cv:telephone ?phone } ORDER BY ?document ?person ?phone\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("KG_QUERIES", str(folder))
    store = tmp_path / "kg.oxigraph"
    build([corpus], store, workers=1)
    seed = next(corpus.glob("001*.txt"))
    original = BASE + "res/doc/" + doc_id_for(seed)
    phones = registry().get("phones")
    before = len([r for r in _rows(views.view_json(store, phones)) if r["document"]["value"] == original])
    assert before > 0
    (corpus / "copy.txt").write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
    redone = _redone(monkeypatch)
    update([corpus], store, workers=1)
    fresh = _rebuild(corpus, tmp_path / "fresh")
    rows = _rows(views.view_json(fresh, phones))
    assert len([r for r in rows if r["document"]["value"] == original]) > before  # the copy's phones too
    assert _same_answer(_rows(views.view_json(store, phones)), rows, ["document", "person", "phone"])
    assert_views_equal(store, fresh)
    assert {BASE + "res/doc/copy", original} <= redone[0]


def _terms(rng: random.Random) -> Iterator[str]:
    """SPARQL terms of the kinds saved queries order by."""
    words = ["", "a", "A", "Å", "ä", "ab", "a b", "Östra", "zeta", "Ängel", "é"]
    for _ in range(40):
        kind = rng.choice(["iri", "string", "lang", "int", "date", "datetime", "unbound"])
        word = rng.choice(words)
        if kind == "iri":
            yield f"<https://example.org/{rng.choice(['a', 'b', 'ab', 'B', 'ä'])}{rng.randint(0, 20)}>"
        elif kind == "string":
            yield json.dumps(word)
        elif kind == "lang":
            yield json.dumps(word) + "@sv"
        elif kind == "int":
            yield f'"{rng.randint(-1000, 1000)}"^^<{XSD}integer>'
        elif kind == "date":
            yield f'"{rng.randint(1990, 2030)}-{rng.randint(1, 12):02}-{rng.randint(1, 28):02}"^^<{XSD}date>'
        elif kind == "datetime":
            day = f"{rng.randint(1990, 2030)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
            yield f'"{day}T0{rng.randint(1, 9)}:00:00"^^<{XSD}dateTime>'
        else:
            yield "UNDEF"


@pytest.mark.parametrize("kinds", [("string",), ("lang",), ("int",), ("date", "datetime"), ("iri", "unbound")])
def test_sort_keys_order_rows_as_oxigraph_orders_them(kinds: tuple[str, ...]) -> None:
    """Within each kind of term the views order by, and across the kinds SPARQL orders (unbound,
    IRIs, literals), byte order of the keys is Oxigraph's ORDER BY."""
    rng = random.Random(" ".join(kinds))
    pool = [t for t in _terms(rng) if _kind(t) in kinds or ("unbound" in kinds and t == "UNDEF")]
    pool += [t for t in _terms(random.Random(7)) if _kind(t) in kinds]
    rows = " ".join(f"({a} {b} {i})" for i, (a, b) in enumerate(zip(pool, reversed(pool), strict=True)))
    sparql = f"SELECT ?a ?b ?i WHERE {{ VALUES (?a ?b ?i) {{ {rows} }} }} ORDER BY ?a ?b ?i"
    body = Store().query(sparql).serialize(format=QueryResultsFormat.JSON)
    found = json.loads(body)["results"]["bindings"]
    keys = [sortkey.row_key(r, ["a", "b", "i"]) for r in found]
    assert len(found) == len(pool) > 5
    assert keys == sorted(keys)


def _kind(term: str) -> str:
    if term == "UNDEF":
        return "unbound"
    if term.startswith("<"):
        return "iri"
    if term.endswith("@sv"):
        return "lang"
    if "integer" in term:
        return "int"
    if "dateTime" in term:
        return "datetime"
    if "date>" in term:
        return "date"
    return "string"


def test_order_variables_are_read_from_the_query_text() -> None:
    assert sortkey.order_variables("SELECT * WHERE { ?s ?p ?o } # x\nORDER BY ?s ?o # done\n") == ["s", "o"]
    assert sortkey.order_variables("SELECT * WHERE { ?s ?p ?o } ORDER BY DESC(?s)") is None
    assert sortkey.order_variables("SELECT * WHERE { ?s ?p ?o }") is None
    assert sortkey.term_key(None) < sortkey.term_key({"type": "uri", "value": ""})
    assert sortkey.term_key({"type": "literal", "value": "ab"}) < sortkey.term_key(
        {"type": "literal", "value": "ab\x00"}
    )
    big = {"type": "literal", "value": "10", "datatype": XSD + "integer"}
    assert sortkey.term_key({"type": "literal", "value": "9", "datatype": XSD + "integer"}) < sortkey.term_key(big)


def test_mentions_of_pages_and_row_cap_come_from_the_index(seeds_store_path: Path) -> None:
    """A page of mentions-of is that slice of the whole answer; above the row cap it says how many rows."""
    mentions = registry().get("mentions-of")
    entity = {"entity": NamedNode(BASE + "id/org/kommun-0180")}
    whole = _rows(views.view_json(seeds_store_path, mentions, entity))
    assert len(whole) > 3
    assert _rows(views.view_json(seeds_store_path, mentions, entity, page=(1, 2))) == whole[1:3]
    with pytest.raises(views.TooManyRows) as err:
        views.view_json(seeds_store_path, mentions, entity, max_rows=2)
    assert err.value.rows == len(whole)
    assert _rows(views.view_json(seeds_store_path, mentions, entity, max_rows=len(whole))) == whole
