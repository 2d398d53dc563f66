"""/search, the header search box, names for IRI parameters of the saved-query API, and the home page's overview,
in-process (TestClient) on the store built from the seeds."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kg import overview, search
from kg import store as kgstore
from server.app import create_app
from server.context import Settings

BASE = "https://w3id.org/sv-press-kg/"


@pytest.fixture(scope="module")
def client(seeds_store_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(store_path=seeds_store_path, query_workers=1))) as c:
        yield c


def test_search_as_json(client: TestClient) -> None:
    response = client.get("/search", params={"q": "vasteras"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert "Accept" in response.headers["vary"]
    body = response.json()
    assert (body["query"], body["types"]) == ("vasteras", [])
    first = body["results"][0]
    assert first == {
        "iri": BASE + "id/org/kommun-1980",
        "label": "Västerås stad",
        "type": "organisation",
        "class": "Municipality",
        "note": "municipality",
        "mentions": 1,
        "matched": "Västerås stad",
        "href": "/id/org/kommun-1980",
    }
    assert client.get(first["href"], headers={"accept": "text/html"}).status_code == 200
    jimmy = client.get("/search", params={"q": "jimmy jan"}).json()["results"]
    assert [h["label"] for h in jimmy] == ["Jimmy Jansson"]


def test_type_and_limit(client: TestClient) -> None:
    events = client.get("/search", params={"q": "forum jam", "type": "event"}).json()["results"]
    assert events and {h["type"] for h in events} == {"event"}
    both = client.get("/search", params=[("q", "forum jam"), ("type", "event"), ("type", "series")]).json()
    assert {h["type"] for h in both["results"]} == {"event", "series"} and both["types"] == ["event", "series"]
    assert len(client.get("/search", params={"q": "a", "limit": 3}).json()["results"]) == 3
    top = client.get("/search", params={"type": "place"}).json()["results"]  # no query: the most mentioned
    assert top[0]["label"] == "Eskilstuna" and {h["type"] for h in top} == {"place"}
    assert client.get("/search", params={"q": "x", "type": "people"}).status_code == 422
    assert client.get("/search", params={"q": "x", "limit": 0}).status_code == 422
    assert client.get("/search", params={"q": "x" * 201}).status_code == 422


def test_search_as_an_html_page(client: TestClient) -> None:
    page = client.get("/search", params={"q": "vasteras"}, headers={"accept": "text/html,*/*;q=0.8"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert f'<a href="/id/org/kommun-1980" title="{BASE}id/org/kommun-1980">Västerås stad</a>' in page.text
    assert 'href="/search?q=vasteras&amp;format=json"' in page.text
    assert client.get("/search?q=vasteras&format=html").text == page.text
    empty = client.get("/search", params={"q": "<script>zz", "type": "role"}, headers={"accept": "text/html"})
    assert "Nothing found for “&lt;script&gt;zz” among role." in empty.text
    assert client.get("/search", params={"q": "x"}, headers={"accept": "image/png"}).status_code == 406


def test_every_html_page_has_the_search_box(client: TestClient) -> None:
    pages = ["/", "/queries", "/queries/people", "/id/org/kommun-1980", "/search", "/dumps", "/ontology"]
    for path in [*pages, "/.well-known/void", "/sparql", "/id/nope"]:
        html = client.get(path, headers={"accept": "text/html"}).text
        assert 'action="/search"' in html and "data-kg-suggest" in html and "/static/search.js" in html, path
        assert "<script>" not in html
    script = client.get("/static/search.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert "innerHTML" not in script.text  # data reaches the page as text only


def test_the_openapi_documents_search(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/search"]["get"]
    params = {p["name"]: p for p in operation["parameters"]}
    assert set(params) == {"q", "type", "limit", "format"}
    schema = client.get("/openapi.json").json()["components"]["schemas"]
    assert set(schema["Kind"]["enum"]) == set(search.TYPES)
    assert set(operation["responses"]["200"]["content"]) == {"application/json", "text/html"}
    assert "SearchResults" in str(operation["responses"]["200"])
    people = client.get("/openapi.json").json()["paths"]["/queries/people"]["get"]
    person = {p["name"]: p for p in people["parameters"]}
    assert person["person"]["schema"] == {"type": "string"}
    assert "or the name of a person" in person["person"]["description"]
    assert person["document"]["schema"]["format"] == "uri"


def test_saved_query_parameters_take_names(client: TestClient) -> None:
    by_iri = client.get("/queries/people", params={"person": "id/person/jimmy-jansson"})
    by_name = client.get("/queries/people", params={"person": "Jimmy Jansson"})
    assert by_name.status_code == 200 and by_name.json() == by_iri.json()
    assert by_name.json()["results"]["bindings"]
    assert client.get("/queries/speakers", params={"organisation": "eskilstuna kommun"}).json() == (
        client.get("/queries/speakers", params={"organisation": "id/org/kommun-0484"}).json()
    )
    ambiguous = client.get("/queries/mentions-of", params={"entity": "Forum Jämställdhet"})
    assert ambiguous.status_code == 422
    assert ambiguous.json()["detail"].startswith('3 matches for entity="Forum Jämställdhet": <https://')
    missing = client.get("/queries/people", params={"person": "Nobody Atall"})
    assert missing.status_code == 422
    assert missing.json()["detail"].startswith("no person named \"Nobody Atall\" for parameter 'person'")
    listing = {q["name"]: q for q in client.get("/queries").json()["queries"]}
    person = next(p for p in listing["people"]["params"] if p["name"] == "person")
    assert (person["kind"], person["searchTypes"]) == (["person"], ["person"])
    municipality = next(p for p in listing["municipality-speakers"]["params"] if p["name"] == "municipality")
    assert municipality["searchTypes"] == ["organisation"]


def test_the_home_page_shows_the_overview_with_links(client: TestClient, seeds_store_path: Path) -> None:
    html = client.get("/").text
    counts = kgstore.stats(kgstore.open_read(seeds_store_path))
    for name, href in (
        ("documents", "/queries/documents"),
        ("people", "/queries/people"),
        ("organisations", "/queries/organisations"),
        ("events", "/queries/events"),
        ("quotes", "/queries/quotes"),
    ):
        link = re.search(rf'<a href="([^"]+)" data-count="{name}"><strong>([\d,]+)</strong> {name}</a>', html)
        assert link is not None, name
        assert (link.group(1), int(link.group(2).replace(",", ""))) == (href, counts[name])
        assert client.get(link.group(1), headers={"accept": "text/html"}).status_code == 200
    data = overview.read(seeds_store_path)
    assert data is not None
    first, last = data["published"]["first"], data["published"]["last"]
    assert f"Published <strong>{first}</strong> to <strong>{last}</strong>" in html
    for year in data["years"]:
        assert f'<a href="/queries/documents?year={year["year"]}">{year["year"]}</a>' in html
    top = data["publishers"][0]
    local = top["iri"][len(BASE) :]
    assert f'<a href="/{local}">{top["label"]}</a>' in html
    listed = client.get("/queries/documents", params={"publisher": local}).json()["results"]["bindings"]
    assert len(listed) == top["documents"]


def test_a_store_without_sidecars_is_searched_and_summed_all_the_same(seeds_store_path: Path, tmp_path: Path) -> None:
    old = tmp_path / "old"
    shutil.copytree(seeds_store_path, old)
    kgstore.drop_sidecars(old)
    with TestClient(create_app(Settings(store_path=old, query_workers=1))) as client:
        assert client.get("/search", params={"q": "vasteras"}).json()["results"][0]["label"] == "Västerås stad"
        assert ">Västerås stad</a>" in client.get("/").text
    assert not kgstore.has_sidecars(old)  # the server reads the store; it does not write beside it


def test_a_sparql_update_rewrites_the_index(seeds_store_path: Path, tmp_path: Path) -> None:
    copy = tmp_path / "store"
    shutil.copytree(seeds_store_path, copy)
    insert = (
        "INSERT DATA { <https://w3id.org/sv-press-kg/id/person/zelda-zimmer> a <http://xmlns.com/foaf/0.1/Person> ; "
        '<http://xmlns.com/foaf/0.1/name> "Zelda Zimmer" }'
    )
    with TestClient(create_app(Settings(store_path=copy, query_workers=1, update_token="t"))) as client:
        assert client.get("/search", params={"q": "zelda"}).json()["results"] == []
        done = client.post("/sparql", data={"update": insert}, headers={"authorization": "Bearer t"})
        assert done.status_code in (200, 204), done.text
        found = client.get("/search", params={"q": "zelda"}).json()["results"]
        assert [h["label"] for h in found] == ["Zelda Zimmer"]
        assert client.get("/queries/people", params={"person": "Zelda Zimmer"}).status_code == 200
    assert search.read(copy).search("zelda")[0].label == "Zelda Zimmer"  # type: ignore[union-attr]
    assert overview.read(copy)["counts"]["people"] == overview.read(seeds_store_path)["counts"]["people"] + 1  # type: ignore[index]
