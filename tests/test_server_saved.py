"""Saved queries over HTTP: listing, running in each format, typed parameters, caching, OpenAPI."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pyoxigraph import Store

from kg import store as kgstore
from kg.queries import registry
from server.app import create_app
from server.context import Settings

NAMES = registry().names()


@pytest.fixture(scope="module")
def client(seeds_store_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(store_path=seeds_store_path, query_workers=2))) as c:
        yield c


@pytest.fixture(scope="module")
def store(seeds_store_path: Path) -> Store:
    return Store.read_only(str(seeds_store_path))


def direct(store: Store, name: str, values: dict[str, str] | None = None) -> list[dict[str, str]]:
    return kgstore.rows(registry().get(name).run(store, values))[1]


def http_rows(body: dict) -> list[dict[str, str]]:
    return [{k: v["value"] for k, v in b.items()} for b in body["results"]["bindings"]]


def test_listing_as_json_and_html(client: TestClient) -> None:
    listing = client.get("/queries").json()["queries"]
    assert [q["name"] for q in listing] == NAMES
    speakers = next(q for q in listing if q["name"] == "speakers")
    assert speakers["title"] and speakers["description"] and "SELECT" in speakers["sparql"]
    assert {p["name"]: p["type"] for p in speakers["params"]}["year"] == "year"
    page = client.get("/queries", headers={"accept": "text/html"})
    assert page.headers["content-type"].startswith("text/html")
    for q in listing:
        assert f'href="/queries/{q["name"]}"' in page.text


@pytest.mark.parametrize("name", [n for n in NAMES if not any(p.required for p in registry().get(n).params)])
def test_each_saved_query_over_http_equals_the_library(client: TestClient, store: Store, name: str) -> None:
    response = client.get(f"/queries/{name}")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    assert http_rows(response.json()) == direct(store, name)


def test_parameters_filter_and_formats(client: TestClient, store: Store) -> None:
    expected = direct(store, "speakers", {"year": "2017"})
    assert 0 < len(expected) < len(direct(store, "speakers"))
    as_json = client.get("/queries/speakers.json", params={"year": "2017"})
    assert http_rows(as_json.json()) == expected
    as_csv = client.get("/queries/speakers.csv", params={"year": "2017"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert len(list(csv.DictReader(io.StringIO(as_csv.text)))) == len(expected)
    by_accept = client.get("/queries/speakers", params={"year": "2017"}, headers={"accept": "text/csv"})
    assert by_accept.text == as_csv.text
    tsv = client.get("/queries/speakers.tsv", params={"year": "2017"})
    assert tsv.text.count("\n") == len(expected) + 1


def test_html_table_links_iris_to_their_local_pages(client: TestClient, store: Store) -> None:
    rows = direct(store, "people")
    page = client.get("/queries/people", headers={"accept": "text/html"})
    assert page.status_code == 200
    person = rows[0]["person"]
    local = person.replace("https://w3id.org/sv-press-kg/", "/")
    assert f'href="{local}"' in page.text
    assert len(rows) < 100 and f"Rows 1–{len(rows)} of {len(rows)} in " in page.text  # one page: all of them
    assert f">{rows[0]['personName']}</a>" in page.text  # the name is the link; the IRI only its title
    assert f">{person}<" not in page.text


def test_an_iri_parameter_takes_a_path_or_a_full_iri(client: TestClient, store: Store) -> None:
    person = direct(store, "people")[0]["person"]
    relative = person.removeprefix("https://w3id.org/sv-press-kg/")
    full = client.get("/queries/mentions-of", params={"entity": person}).json()
    short = client.get("/queries/mentions-of", params={"entity": relative}).json()
    assert http_rows(full) == http_rows(short) == direct(store, "mentions-of", {"entity": person})
    assert http_rows(full)


@pytest.mark.parametrize(
    ("path", "params", "named"),
    [
        ("/queries/speakers", {"year": "twenty"}, "year"),
        ("/queries/speakers", {"year": "17"}, "year"),
        ("/queries/speakers", {"colour": "red"}, "colour"),
        ("/queries/mentions-of", {}, "entity"),
        ("/queries/documents", {"year": "2017", "publisher": "not an iri"}, "publisher"),
    ],
)
def test_bad_parameters_are_422_naming_the_parameter(client: TestClient, path: str, params: dict, named: str) -> None:
    response = client.get(path, params=params)
    assert response.status_code == 422
    assert named in response.json()["detail"]


def test_unknown_query_404_and_unacceptable_406(client: TestClient) -> None:
    missing = client.get("/queries/no-such-query")
    assert missing.status_code == 404 and "speakers" in missing.text
    assert client.get("/queries/people", headers={"accept": "image/png"}).status_code == 406
    assert client.get("/queries/people.xlsx").status_code == 406


@pytest.mark.parametrize(
    "value",
    ['Municipality" } UNION { ?s ?p ?o } #', "Municipality> . ?s ?p ?o", "x\\u0022 } ; DROP ALL #"],
)
def test_an_injection_attempt_is_just_a_value(client: TestClient, store: Store, value: str) -> None:
    everything = direct(store, "organisations")
    response = client.get("/queries/organisations", params={"class": value})
    assert response.status_code == 200
    assert http_rows(response.json()) == []  # no organisation has that class name
    assert len(Store.read_only(str(client.app.state.ctx.settings.store_path))) > 0
    assert everything


def test_an_injection_attempt_in_an_html_form_is_escaped(client: TestClient) -> None:
    page = client.get(
        "/queries/organisations", params={"class": '"><script>alert(1)</script>'}, headers={"accept": "text/html"}
    )
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;" in page.text or "&#34;&gt;&lt;script&gt;" in page.text


def test_results_are_cached_and_revalidated_with_etag(client: TestClient) -> None:
    first = client.get("/queries/events.json")
    etag = first.headers["etag"]
    assert first.status_code == 200 and etag
    again = client.get("/queries/events.json")
    assert again.headers["etag"] == etag and again.content == first.content
    not_modified = client.get("/queries/events.json", headers={"if-none-match": etag})
    assert not_modified.status_code == 304 and not_modified.content == b""
    other = client.get("/queries/events.json", params={"year": "2017"})
    assert other.headers["etag"] != etag
    # whole answers are sent from their view files; answers with parameters are kept in memory
    cached_keys = [k for k in client.app.state.ctx.cache if k[0] == "events"]
    assert len(cached_keys) == 1 and dict(cached_keys[0][1]).keys() == {"year"}


def test_openapi_lists_each_saved_query_as_an_operation(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for name in NAMES:
        op = spec["paths"][f"/queries/{name}"]["get"]
        declared = {p.name for p in registry().get(name).params}
        listed = {p["name"] for p in op["parameters"]}
        assert declared <= listed
        assert op["summary"] == registry().get(name).title
    year = next(p for p in spec["paths"]["/queries/speakers"]["get"]["parameters"] if p["name"] == "year")
    assert year["schema"]["type"] == "integer"
    assert "/sparql" in spec["paths"]


def test_the_listing_answers_plain_json_requests(client: TestClient) -> None:
    for headers, params in (({"accept": "application/json"}, {}), ({}, {"format": "json"})):
        response = client.get("/queries", headers=headers, params=params)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("application/json")
        assert [q["name"] for q in response.json()["queries"]] == NAMES


def test_the_answer_cache_is_bounded_by_bytes_and_drops_the_least_recently_used() -> None:
    from server.context import ResultCache

    cache = ResultCache(800)
    for i in range(8):
        cache.put(("q", i), ("etag", "json", bytes(100)))
    assert len(cache) == 8 and cache.size == 800
    assert cache.get(("q", 0)) is not None  # now the most recently used
    cache.put(("q", 8), ("etag", "json", bytes(100)))
    assert cache.size <= 800 and cache.get(("q", 1)) is None and cache.get(("q", 0)) is not None
    cache.put(("big",), ("etag", "json", bytes(101)))  # above an eighth of the budget: not kept
    assert cache.get(("big",)) is None and cache.size <= 800


@pytest.mark.parametrize("name, params", [("speakers", {}), ("people", {"organisation": "id/org/kommun-0484"})])
def test_pages_of_a_saved_query_put_together_are_its_answer(client: TestClient, name: str, params: dict) -> None:
    whole = client.get(f"/queries/{name}", params=params).json()["results"]["bindings"]
    assert len(whole) >= 3
    pages = [
        client.get(f"/queries/{name}", params={**params, "offset": str(o), "limit": "2"}).json()["results"]["bindings"]
        for o in range(0, len(whole) + 2, 2)
    ]
    assert [row for page in pages for row in page] == whole
    assert all(len(page) <= 2 for page in pages) and pages[-1] == []
    csv = client.get(f"/queries/{name}.csv", params={**params, "offset": "1", "limit": "1"})
    assert csv.status_code == 200 and len(csv.text.strip().splitlines()) == 2  # header + one row


def test_a_live_saved_query_is_paged_too(client: TestClient) -> None:
    whole = client.get("/queries/mentions-of", params={"entity": "id/org/kommun-0484"}).json()
    page = client.get("/queries/mentions-of", params={"entity": "id/org/kommun-0484", "offset": "1", "limit": "2"})
    assert page.json()["results"]["bindings"] == whole["results"]["bindings"][1:3]


@pytest.mark.parametrize("params", [{"limit": "0"}, {"offset": "-1"}, {"limit": "many"}, {"limit": "100000000"}])
def test_bad_paging_is_a_422_naming_it(client: TestClient, params: dict) -> None:
    response = client.get("/queries/speakers", params=params)
    assert response.status_code == 422 and ("limit" in response.text or "offset" in response.text)


def test_a_bad_parameter_on_the_html_form_answers_the_form_with_the_message(client: TestClient) -> None:
    """A 422 for a browser is the query's page: the message above the form, what was typed kept, no JSON."""
    page = client.get("/queries/documents", params={"year": "abc"}, headers={"accept": "text/html"})
    assert page.status_code == 422 and page.headers["content-type"].startswith("text/html")
    assert "parameter &#39;year&#39; expects a year of four digits (e.g. 2018); got &#39;abc&#39;" in page.text
    assert 'role="alert"' in page.text and 'name="year" value="abc"' in page.text
    assert '{"detail"' not in page.text and "invalid literal" not in page.text
    as_json = client.get("/queries/documents", params={"year": "abc"})  # the API: the same message as JSON
    assert as_json.json() == {"detail": "parameter 'year' expects a year of four digits (e.g. 2018); got 'abc'"}
    paging = client.get("/queries/documents", params={"limit": "many"}, headers={"accept": "text/html"})
    assert paging.status_code == 422 and "offset and limit expect whole numbers" in paging.text


def test_the_html_table_hides_parameter_columns_and_pages(client: TestClient, store: Store) -> None:
    rows = direct(store, "documents")
    assert len(rows) >= 3
    page = client.get("/queries/documents", params={"limit": "2", "offset": "1"}, headers={"accept": "text/html"})
    head = page.text[page.text.index("<thead>") : page.text.index("</thead>")]
    assert "<th>year</th>" not in head and "<th>publisher</th>" not in head and "<th>publisherOrg</th>" not in head
    assert "<th>publisherName</th>" in head and "<th>headline</th>" in head
    assert "Rows 2–3 in " in page.text
    assert 'rel="prev" href="/queries/documents?offset=0&amp;limit=2"' in page.text
    assert ('rel="next" href="/queries/documents?offset=3&amp;limit=2"' in page.text) == (len(rows) > 3)


def test_parameter_examples_name_data_of_the_store_served(client: TestClient) -> None:
    """Placeholders: the fixture's `res/doc/000-fixture-a` is not in the seeds; an example that is takes its place."""
    years = {y["year"] for y in client.app.state.ctx.overview()["years"]}
    for q in client.get("/queries").json()["queries"]:
        for p in q["params"]:
            if p["type"] == "iri" and p["example"] is not None:
                assert client.get("/" + p["example"], headers={"accept": "text/html"}).status_code == 200, p
            if p["type"] == "year":
                assert p["example"] in years, p
    people = next(q for q in client.get("/queries").json()["queries"] if q["name"] == "people")
    assert {p["name"]: p["example"] for p in people["params"]}["document"] != "res/doc/000-fixture-a"
    page = client.get("/queries/people", headers={"accept": "text/html"})
    assert "000-fixture-a" not in page.text.split("<details>")[0]


def test_after_an_update_whole_answers_are_written_once_and_sent_as_files(tmp_path: Path) -> None:
    """An update leaves a changed view's whole answer to be written from its table: the first request
    writes the file (in a thread), later ones send it; JSON and CSV equal the live query's answer."""
    import shutil

    from kg import views
    from kg.build import build
    from kg.update import update

    docs = tmp_path / "docs"
    shutil.copytree(Path(__file__).resolve().parent.parent / "seeds", docs)
    path = tmp_path / "store"
    build([docs], path, workers=1)
    seed = sorted(docs.glob("*.txt"))[1]
    seed.write_text(seed.read_text(encoding="utf-8") + "\n\nJonas Nilsson, pressansvarig, Umeå kommun.\n", "utf-8")
    update([docs], path, workers=1)
    people = registry().get("people")
    with pytest.raises(views.Unwritten):
        views.view_file(path, people, build=False)
    with TestClient(create_app(Settings(store_path=path, query_workers=1))) as c:
        first = c.get("/queries/people.json")
        written = views.view_file(path, people, build=False)
        assert written is not None and written.read_bytes() == first.content
        assert c.get("/queries/people.json").content == first.content
        table = list(csv.DictReader(io.StringIO(c.get("/queries/people.csv").text)))
    live = kgstore.rows(people.run(Store.read_only(str(path))))[1]
    assert http_rows(first.json()) == live
    assert [{k: v for k, v in r.items() if v} for r in table] == live
    assert any(r.get("personName") == "Jonas Nilsson" for r in live)
