"""kg/anchoring.py: which predicates the saved queries read only anchored to the row's own document."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import anchoring, views
from kg.queries import parse_query, registry

CV = "http://data.europa.eu/m8g/"
CONTACT_POINT = CV + "contactPoint"
HAS_PARTICIPATION = CV + "hasParticipation"
PREFIXES = """PREFIX kgo: <https://w3id.org/sv-press-kg/ontology#>
PREFIX cv: <http://data.europa.eu/m8g/>
PREFIX schema: <https://schema.org/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
"""
ANCHOR = "?contact kgo:evidence ?span . ?span nif:referenceContext ?text . ?text nif:sourceUrl ?document ."


def _anchored(body: str) -> set[str]:
    return anchoring.anchored([parse_query("q", PREFIXES + body)])


def test_the_saved_queries_read_contact_points_and_participations_anchored() -> None:
    wanted = [q for q in registry().list() if views.viewable(q)]
    assert anchoring.anchored(wanted) == {CONTACT_POINT, HAS_PARTICIPATION}


@pytest.mark.parametrize(
    "body",
    [
        f"SELECT ?person ?contact ?document WHERE {{ ?person cv:contactPoint ?contact . {ANCHOR} }}",
        # the span's context and source as one path
        "SELECT ?person ?document WHERE { ?person cv:contactPoint ?contact . ?contact kgo:evidence ?span . "
        "?span nif:referenceContext/nif:sourceUrl ?document }",
        "SELECT ?document ?person WHERE { ?person cv:contactPoint ?contact . ?contact schema:isPartOf ?document }",
        # on the right of OPTIONAL, with ?document bound on its left
        f"SELECT ?document ?person ?contact WHERE {{ ?document schema:mentions ?person . "
        f"OPTIONAL {{ ?person cv:contactPoint ?contact . {ANCHOR} }} }}",
        # in a sub-select that keeps ?document, and grouped by it
        f"SELECT ?person ?document ?n WHERE {{ {{ SELECT ?person ?document (COUNT(?contact) AS ?n) "
        f"WHERE {{ ?person cv:contactPoint ?contact . {ANCHOR} }} GROUP BY ?person ?document }} }}",
    ],
)
def test_an_anchored_read_is_proven(body: str) -> None:
    assert _anchored(body) == {CONTACT_POINT}


@pytest.mark.parametrize(
    "body",
    [
        # every phone of every person a document mentions: another document's contact point shows here
        "SELECT ?document ?phone WHERE { ?document schema:mentions ?person . ?person cv:contactPoint ?c . "
        "?c cv:telephone ?phone }",
        # the anchor in another group than the link
        f"SELECT ?person ?document WHERE {{ {{ ?person cv:contactPoint ?contact }} UNION {{ {ANCHOR} }} }}",
        # on the right of OPTIONAL whose left side does not bind ?document
        f"SELECT ?person ?document WHERE {{ ?person a foaf:Person . OPTIONAL {{ ?person cv:contactPoint ?contact . "
        f"{ANCHOR} }} }}",
        # MINUS whose left side does not bind ?document
        f"SELECT ?person WHERE {{ ?person a foaf:Person . MINUS {{ ?person cv:contactPoint ?contact . {ANCHOR} }} }}",
        # a sub-select that drops ?document
        f"SELECT ?person ?document WHERE {{ ?document schema:mentions ?person . "
        f"{{ SELECT ?person WHERE {{ ?person cv:contactPoint ?contact . {ANCHOR} }} }} }}",
        # grouped without ?document
        f"SELECT ?person (COUNT(?contact) AS ?n) (SAMPLE(?document) AS ?d) WHERE {{ ?person cv:contactPoint ?contact . "
        f"{ANCHOR} }} GROUP BY ?person",
        # LIMIT: which rows come out depends on every document's rows
        f"SELECT ?person ?document WHERE {{ ?person cv:contactPoint ?contact . {ANCHOR} }} LIMIT 10",
        # inside EXISTS, and along a property path
        f"SELECT ?document ?person WHERE {{ ?document schema:mentions ?person . "
        f"FILTER EXISTS {{ ?person cv:contactPoint ?contact . {ANCHOR} }} }}",
        "SELECT ?document ?person ?phone WHERE { ?person cv:contactPoint/cv:telephone ?phone . "
        "?document schema:mentions ?person }",
        # a result without ?document
        f"SELECT ?person WHERE {{ ?person cv:contactPoint ?contact . {ANCHOR} }}",
    ],
)
def test_a_read_that_is_not_anchored_is_not_proven(body: str) -> None:
    assert CONTACT_POINT not in _anchored(body)


def test_one_query_reading_a_predicate_unanchored_spoils_it_for_all() -> None:
    saved = [q for q in registry().list() if views.viewable(q)]
    phones = parse_query(
        "phones",
        PREFIXES + "SELECT ?document ?phone WHERE { ?document schema:mentions ?p . ?p cv:contactPoint ?c . "
        "?c cv:telephone ?phone }",
    )
    assert anchoring.anchored([*saved, phones]) == {HAS_PARTICIPATION}
    predicate = parse_query("any", PREFIXES + "SELECT ?document ?o WHERE { ?document ?p ?o }")
    assert anchoring.anchored([*saved, predicate]) == set()  # a predicate variable reads anything


def test_the_result_is_kept_by_the_query_texts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    saved = [q for q in registry().list() if views.viewable(q)]
    assert anchoring.cached(tmp_path, saved) == {CONTACT_POINT, HAS_PARTICIPATION}
    assert (tmp_path / anchoring.FILE).is_file()

    def no_analysis(queries: object) -> set[str]:
        raise AssertionError("the kept result must be used")

    monkeypatch.setattr(anchoring, "_anchored", no_analysis)
    monkeypatch.setattr(anchoring, "_KNOWN", {})
    assert anchoring.cached(tmp_path, saved) == {CONTACT_POINT, HAS_PARTICIPATION}
    changed = [*saved[:-1], parse_query(saved[-1].name, saved[-1].sparql + "\n# changed\n")]
    with pytest.raises(AssertionError):  # another text: analysed again
        anchoring.cached(tmp_path, changed)
