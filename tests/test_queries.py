"""kg.queries: every saved query parses, declares its params, and runs on the fixture store."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest
from pyoxigraph import Literal

from kg import store as kgstore
from kg.queries import BadParameter, QueryError, Registry, UnknownQuery, parse_query, variables

ROOT = Path(__file__).resolve().parents[1]
QUERY_DIR = ROOT / "queries"
REGISTRY = Registry(QUERY_DIR)
NAMES = REGISTRY.names()

# The result columns the scorer (../shared/eval/score.py) reads by name.
SCORED = {
    "people": ["personName", "roleName", "organisationName"],
    "organisations": ["organisationName", "type"],
    "speakers": ["personName", "organisationName", "topicName", "topicStart", "quote"],
    "events": ["eventName", "startDate", "endDate", "placeName"],
    "projects": ["projectName", "organisationName", "relation"],
    "contacts": ["personName", "phone", "email"],
    "municipality-speakers": [
        "personName",
        "roleName",
        "municipalityName",
        "conferenceName",
        "conferenceStart",
    ],
}
OPTIONAL_FILTER = re.compile(r"!sameTerm\(\?(\w+), \?\1\)")


def required_examples(name: str) -> dict[str, str]:
    return {p.name: str(p.example) for p in REGISTRY.get(name).params if p.required}


def test_packaged_copies_are_identical():
    packaged = resources.files("kg") / "data" / "queries"
    top = {p.name: p.read_text(encoding="utf-8") for p in QUERY_DIR.glob("*.rq")}
    shipped = {e.name: e.read_text(encoding="utf-8") for e in packaged.iterdir() if e.name.endswith(".rq")}
    assert shipped == top, "queries/ changed: run `cp queries/*.rq kg/data/queries/`"


def test_default_registry_is_the_packaged_one(monkeypatch):
    from kg.queries import registry

    monkeypatch.delenv("KG_QUERIES", raising=False)
    assert registry().names() == NAMES


@pytest.mark.parametrize("name", list(SCORED))
def test_scored_queries_exist_with_columns(name, fixture_store):
    names, _ = kgstore.rows(REGISTRY.get(name).run(fixture_store))
    assert names[: len(SCORED[name])] == SCORED[name]
    assert "document" in names  # the source document IRI is always returned


@pytest.mark.parametrize("name", NAMES)
def test_header_and_params(name):
    q = REGISTRY.get(name)
    assert q.title and q.description
    used = variables(q.sparql)
    assert set(q.param_names) <= used, "declared params must be used"
    assert set(OPTIONAL_FILTER.findall(q.sparql)) <= set(q.param_names), "filter variables must be declared"
    for p in q.params:
        assert p.description and p.example is not None


@pytest.mark.parametrize("name", NAMES)
def test_runs_on_fixture(name, fixture_store):
    _, rows = kgstore.rows(REGISTRY.get(name).run(fixture_store, required_examples(name)))
    assert rows


@pytest.mark.parametrize(("name", "param"), [(q.name, p.name) for q in REGISTRY.list() for p in q.params])
def test_each_param_filters(name, param, fixture_store):
    q = REGISTRY.get(name)
    example = next(p.example for p in q.params if p.name == param)
    values = {**required_examples(name), param: str(example)}
    _, rows = kgstore.rows(q.run(fixture_store, values))
    assert rows, f"{name} with {param}={example} returned nothing"
    if not next(p for p in q.params if p.name == param).required:
        _, everything = kgstore.rows(q.run(fixture_store, required_examples(name)))
        assert len(rows) < len(everything) or len(everything) == 1 or name == "projects"


def _col(rows, key):
    return [r.get(key, "") for r in rows]


def test_speakers_first_quote_per_topic(fixture_store):
    _, rows = kgstore.rows(REGISTRY.get("speakers").run(fixture_store))
    anna = [r for r in rows if r["personName"] == "Anna Berg"]
    assert _col(anna, "quote") == ["Vi ser fram emot samarbetet"]
    jimmy = next(r for r in rows if r["personName"] == "Jimmy Jansson")
    assert (jimmy["topicName"], jimmy["topicStart"]) == ("Fokus jämställdhet", "2017-09-06")


def test_people_include_persons_without_membership(fixture_store):
    _, rows = kgstore.rows(REGISTRY.get("people").run(fixture_store))
    per = [r for r in rows if r["personName"] == "Per Ek"]
    assert len(per) == 1 and "roleName" not in per[0] and "organisationName" not in per[0]


def test_events_place_names(fixture_store):
    _, rows = kgstore.rows(REGISTRY.get("events").run(fixture_store))
    assert {r["eventName"]: r["placeName"] for r in rows} == {
        "Fokus jämställdhet": "Munktellarenan, Eskilstuna",
        "Energidagen 2018": "Västerås",
    }


def test_municipality_speakers_via_project_event(fixture_store):
    _, rows = kgstore.rows(REGISTRY.get("municipality-speakers").run(fixture_store))
    got = {(r["personName"], r["roleName"], r["municipalityName"], r["conferenceName"]) for r in rows}
    assert got == {
        ("Jimmy Jansson", "kommunstyrelsens ordförande", "Eskilstuna kommun", "Fokus jämställdhet"),
        ("Anna Berg", "miljöchef", "Västerås stad", "Energidagen 2018"),
    }


def test_projects_relations_and_types(fixture_store):
    _, rows = kgstore.rows(REGISTRY.get("projects").run(fixture_store))
    assert {(r["organisationName"], r["relation"]) for r in rows} == {
        ("Västerås stad", "coordinator"),
        ("Energimyndigheten", "funder"),
        ("Eskilstuna kommun", "participant"),
    }
    _, orgs = kgstore.rows(REGISTRY.get("organisations").run(fixture_store))
    assert {(r["organisationName"], r["type"]) for r in orgs} == {
        ("Eskilstuna kommun", "Municipality"),
        ("Västerås stad", "Municipality"),
        ("Energimyndigheten", "GovernmentAgency"),
    }


def test_unknown_query_lists_valid_names():
    with pytest.raises(UnknownQuery, match=r"valid names: .*speakers"):
        REGISTRY.get("nope")


def test_unknown_param_lists_valid_params(fixture_store):
    with pytest.raises(BadParameter, match="valid parameters: document, person, organisation"):
        REGISTRY.get("people").run(fixture_store, {"colour": "red"})


@pytest.mark.parametrize(
    ("name", "values", "message"),
    [
        ("mentions-of", {}, "needs parameter 'entity'"),
        ("events", {"year": "twenty"}, "parameter 'year' expects a year of four digits.*got 'twenty'"),
        ("events", {"year": "17"}, "four digits"),
        ("events", {"event": "not an iri"}, "parameter 'event' expects an IRI"),
    ],
)
def test_bad_parameter_values(name, values, message, fixture_store):
    with pytest.raises(BadParameter, match=message):
        REGISTRY.get(name).run(fixture_store, values)


def test_injection_stays_a_literal(fixture_store):
    size = len(fixture_store)
    evil = '"x" } ; DROP ALL #'
    echo = parse_query("echo", "#+ title: echo\n#+ params: [{name: v, type: string}]\nSELECT ?v WHERE {}\n")
    [solution] = list(echo.run(fixture_store, {"v": evil}))
    assert solution["v"] == Literal(evil)
    _, rows = kgstore.rows(REGISTRY.get("organisations").run(fixture_store, {"class": evil}))
    assert rows == [] and len(fixture_store) == size


def test_malformed_files_are_reported(tmp_path):
    (tmp_path / "broken.rq").write_text("#+ title: broken\nSELECT WHERE {\n")
    with pytest.raises(QueryError, match=r"broken\.rq"):
        Registry(tmp_path)
    (tmp_path / "broken.rq").write_text("#+ params: [{name: x, type: colour}]\nSELECT * {}\n")
    with pytest.raises(QueryError, match="colour"):
        Registry(tmp_path)


def test_variables_ignore_strings_comments_and_iris():
    assert variables('SELECT ?a WHERE { ?a <http://x/?b> "?c" } # ?d') == {"a"}
