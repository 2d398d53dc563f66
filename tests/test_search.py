"""The label search index (kg/search.py): normalising, ranking, the file the build writes, `--update`, names
given for IRI parameters (`kg query -p person="Jimmy Jansson"`) and `kg search`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import overview, search
from kg import store as kgstore
from kg.build import build
from kg.cli import main
from kg.queries import BadParameter, Param, registry
from kg.search import Index, _Entity, make, normalise
from kg.update import update

BASE = "https://w3id.org/sv-press-kg/"
ROOT = Path(__file__).parent.parent


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("Västerås stad", "vasteras stad"),
        ("  ÖREBRO  län ", "orebro lan"),
        ("Nils-Anders Ærø_Løkke", "nils anders aero lokke"),
        ("Jimmy_Jan", "jimmy jan"),
        ("Ebba Busch (KD)", "ebba busch kd"),
        ("–", ""),
    ],
)
def test_normalise_folds_case_accents_and_punctuation(text: str, normal: str) -> None:
    assert normalise(text) == normal


def entity(iri: str, *labels: str, kind: str = "person", mentions: int = 0, note: str = "") -> _Entity:
    return _Entity(BASE + iri, kind, "Municipality" if iri.startswith("id/org/kommun") else "", labels, note, mentions)


@pytest.fixture(scope="module")
def index() -> Index:
    entities = [
        entity("id/org/kommun-1980", "Västerås stad", "Västerås kommun", kind="organisation", mentions=12),
        entity("id/place/vasteras", "Västerås", kind="place", mentions=3),
        entity("id/person/jimmy-jansson", "Jimmy Jansson", mentions=2, note="kommunstyrelsens ordförande"),
        entity("id/person/jimmy-janssons", "Jimmy Janssons", mentions=1),
        entity("id/person/anna-stad", "Anna Stad", mentions=40),
        entity("id/org/stadsmissionen", "Stadsmissionen", kind="organisation", mentions=1),
        entity("id/event/stadsfest", "Stadsfest i Västerås", kind="event", mentions=0),
    ]
    entities.sort(key=lambda e: (-e.mentions, normalise(e.labels[0])))  # as `collect` orders them
    return make(entities)


def labels(hits: list[search.Hit]) -> list[str]:
    return [h.label for h in hits]


def test_accent_insensitive_prefixes_rank_whole_label_then_prefix_then_later_word(index: Index) -> None:
    assert labels(index.search("vasteras")) == ["Västerås", "Västerås stad", "Stadsfest i Västerås"]
    assert labels(index.search("VÄSTERÅS STAD")) == ["Västerås stad", "Stadsfest i Västerås"]  # any order, last
    assert labels(index.search("jimmy jan")) == ["Jimmy Jansson", "Jimmy Janssons"]  # the more mentioned first
    # a label prefix beats a later word, however often the later word's entity is mentioned
    assert labels(index.search("stad")) == ["Stadsmissionen", "Stadsfest i Västerås", "Anna Stad", "Västerås stad"]


def test_words_in_any_order_come_last(index: Index) -> None:
    assert labels(index.search("jansson jimmy")) == ["Jimmy Jansson", "Jimmy Janssons"]
    assert labels(index.search("stad anna")) == ["Anna Stad"]


def test_an_alternative_label_matches_and_says_so(index: Index) -> None:
    (hit,) = index.search("vasteras kom")
    assert (hit.label, hit.matched, hit.alt_labels) == ("Västerås stad", "Västerås kommun", ("Västerås kommun",))
    assert index.search("vasteras st")[0].matched == "Västerås stad"


def test_type_filter_limit_and_no_query(index: Index) -> None:
    assert labels(index.search("vasteras", ["organisation"])) == ["Västerås stad"]
    assert labels(index.search("vasteras", ["person", "event"])) == ["Stadsfest i Västerås"]
    assert len(index.search("s", limit=2)) == 2
    assert labels(index.search("", limit=3)) == ["Anna Stad", "Västerås stad", "Västerås"]  # the most mentioned
    assert labels(index.search("", ["place"])) == ["Västerås"]
    assert index.search("zzz") == [] and index.search("!!!") != []  # no words: the most mentioned


def reference(index: Index, q: str, types: set[str] | None, limit: int) -> list[tuple[str, str]]:
    """Brute force: every key line read, each entity's best (rank, label), the best `limit` (label, matched)."""
    best: dict[int, tuple[int, int]] = {}
    for line in index.keys:
        key, word, label_no, typ, entity = line.split("\t")
        if key.startswith(q) and (types is None or typ in types):
            found = ((0 if key == q else 1) if word == "0" else 2, int(label_no))
            best[int(entity)] = min(best.get(int(entity), found), found)
    ranked = sorted(best.items(), key=lambda item: (item[1][0], item[0]))[:limit]
    return [(index.hit(n).label, index.hit(n, label_no).matched) for n, (_, label_no) in ranked]


def test_every_prefix_of_the_seeds_index_ranks_as_brute_force_does(seeds_store_path: Path) -> None:
    index = search.read(seeds_store_path)
    assert index is not None
    prefixes = {normalise(line.split("\t")[0][:n]) for line in index.keys for n in (1, 2, 3, 5, 40)}
    for q in sorted(prefixes):
        for types in (None, {"person"}, {"organisation", "place"}):
            got = [(h.label, h.matched) for h in index.search(q, types, limit=7)]
            expected = reference(index, q, types, 7)
            assert got[: len(expected)] == expected, (q, types)
            assert len(got) == len(expected) or " " in q  # more: words in any order, after all of these


def test_the_file_round_trips_and_a_damaged_one_is_refused(index: Index) -> None:
    again = Index.parse(index.text())
    assert (again.entities, again.keys) == (index.entities, index.keys)
    with pytest.raises(ValueError):
        Index.parse("\n".join(index.text().splitlines()[:-3]))
    with pytest.raises(ValueError):
        Index.parse("not an index\n")


def test_names_resolve_to_one_entity_of_the_parameters_kind(index: Index) -> None:
    names = search.resolver(lambda: index)
    person = Param("person", "iri", kind=("person",))
    assert names(person, "Jimmy Jansson") == BASE + "id/person/jimmy-jansson"  # whole name beats 'Janssons'
    assert names(person, "anna") == BASE + "id/person/anna-stad"  # the only person whose name starts so
    assert names(Param("municipality", "iri", kind=("Municipality",)), "vasteras") == BASE + "id/org/kommun-1980"
    with pytest.raises(BadParameter) as err:
        names(person, "Jimmy J")
    assert str(err.value) == (
        f'2 matches for person="Jimmy J": <{BASE}id/person/jimmy-jansson> (Jimmy Jansson, kommunstyrelsens '
        f"ordförande), <{BASE}id/person/jimmy-janssons> (Jimmy Janssons); pass the IRI"
    )
    with pytest.raises(BadParameter, match="no person named \"Stadsmissionen\" for parameter 'person'"):
        names(person, "Stadsmissionen")


def test_a_long_list_of_matches_names_five_and_counts_the_rest() -> None:
    many = make([entity(f"id/person/anna-{i}", f"Anna Berg{'x' * i}", mentions=9 - i) for i in range(8)])
    with pytest.raises(BadParameter) as err:
        search.resolver(lambda: many)(Param("person", "iri", kind=("person",)), "Anna Ber")
    message = str(err.value)
    assert message.startswith('8 matches for person="Anna Ber": <') and message.count("<") == 5
    assert message.endswith(" and 3 more; pass the IRI")
    exact = make([entity("id/person/a", "Anna Berg"), entity("id/person/b", "Anna Berg", note="Regeringen")])
    with pytest.raises(BadParameter, match=r"^2 matches .*/b> \(Anna Berg, Regeringen\); pass the IRI$"):
        search.resolver(lambda: exact)(Param("person", "iri", kind=("person",)), "anna berg")


def test_a_saved_query_binds_a_name_only_where_the_parameter_has_a_kind(index: Index) -> None:
    people = registry().get("people")
    names = search.resolver(lambda: index)
    terms = people.bind({"person": "jimmy jansson", "document": "res/doc/x"}, BASE, names)
    assert terms["person"].value == BASE + "id/person/jimmy-jansson"
    assert terms["document"].value == BASE + "res/doc/x"  # no kind: an IRI relative to the base, as before
    assert people.bind({"person": "id/person/x"}, BASE, names)["person"].value == BASE + "id/person/x"
    with pytest.raises(BadParameter, match="expects an IRI"):
        people.bind({"person": "Jimmy Jansson"}, BASE)  # without an index a name is no IRI
    kinds = {p.name: p.kind for q in registry().list() for p in q.params if p.type == "iri"}
    assert kinds["person"] == ("person",) and kinds["document"] == () and kinds["municipality"] == ("Municipality",)


# ---- on a real store ---------------------------------------------------------------------------------------


def test_the_build_writes_the_index_of_its_store(seeds_store_path: Path) -> None:
    written = search.read(seeds_store_path)
    assert written is not None
    assert written.text() == search.from_store(kgstore.open_read(seeds_store_path)).text()
    (jimmy,) = written.search("jimmy jan")
    assert (jimmy.label, jimmy.type, jimmy.mentions) == ("Jimmy Jansson", "person", 1)
    assert jimmy.note == "kommunstyrelsens ordförande, Eskilstuna kommun"
    assert written.search("vasteras")[0].iri == BASE + "id/org/kommun-1980"
    kinds = {h.type for h in written.search("", limit=10_000)}
    assert kinds == {"person", "organisation", "place", "event", "series", "project", "role"}
    assert overview.read(seeds_store_path) == overview.compute(kgstore.open_read(seeds_store_path))


def test_an_update_rewrites_the_index_and_overview_as_a_rebuild_would(tmp_path: Path) -> None:
    corpus = tmp_path / "docs"
    corpus.mkdir()
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    for p in seeds[1:]:
        shutil.copy(p, corpus / p.name)
    store = tmp_path / "kg"
    build([corpus], store, workers=1)
    before = search.read(store)
    shutil.copy(seeds[0], corpus / seeds[0].name)
    (corpus / seeds[1].name).unlink()
    update([corpus], store, workers=1)
    fresh = tmp_path / "fresh"
    build([corpus], fresh, workers=1)
    after = search.read(store)
    assert after is not None and before is not None and after.text() != before.text()
    assert after.text() == search.read(fresh).text()  # type: ignore[union-attr]
    assert overview.read(store) == overview.read(fresh)
    kgstore.sidecar(store, "search").unlink()  # an older store: the next update writes it
    update([corpus], store, workers=1)
    assert search.read(store).text() == after.text()  # type: ignore[union-attr]


def test_kg_query_takes_a_name_for_an_iri_parameter(seeds_store_path: Path) -> None:
    def query(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(main, ["query", *args, "--store", str(seeds_store_path), "--format", "json"])
        return result.exit_code, result.output

    by_iri = query("people", "-p", "person=id/person/jimmy-jansson")
    assert by_iri[0] == 0 and "Jimmy Jansson" in by_iri[1]
    assert query("people", "-p", "person=Jimmy Jansson") == by_iri
    assert query("people", "-p", "person=jimmy jans") == by_iri
    code, out = query("mentions-of", "-p", "entity=Forum Jämställdhet")
    assert code == 1
    assert out.startswith('Error: 3 matches for entity="Forum Jämställdhet": <https://w3id.org/sv-press-kg/id/')
    assert out.rstrip().endswith("; pass the IRI")
    code, out = query("people", "-p", "person=Forum Jämställdhet")
    assert code == 1 and "no person named \"Forum Jämställdhet\" for parameter 'person'" in out


def test_the_build_times_the_index_and_overview(tmp_path: Path) -> None:
    store = tmp_path / "kg"
    result = CliRunner().invoke(main, ["build", str(ROOT / "seeds"), "--store", str(store), "--validate", "no"])
    assert result.exit_code == 0, result.output
    assert "compact" in result.stderr and "search index" in result.stderr and "overview" in result.stderr
    assert kgstore.has_sidecars(store)


def test_kg_search(seeds_store_path: Path) -> None:
    result = CliRunner().invoke(main, ["search", "vasteras", "--store", str(seeds_store_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    first = json.loads(result.output)["results"][0]
    assert (first["label"], first["type"], first["class"]) == ("Västerås stad", "organisation", "Municipality")
    table = CliRunner().invoke(main, ["search", "jimmy", "jan", "--type", "person", "--store", str(seeds_store_path)])
    assert table.exit_code == 0 and "Jimmy Jansson" in table.output and "(1 rows)" in table.output
    bad = CliRunner().invoke(main, ["search", "x", "--type", "people", "--store", str(seeds_store_path)])
    assert bad.exit_code == 2 and "'people' is not one of" in bad.output
