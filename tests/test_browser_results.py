"""Results a person can read, in real headless Chromium on a store of 1,062 regeringen releases.

The query page's table shows labels linked to their pages, literals without `"…"@sv` or `^^xsd:…`, and
"N results in 15 ms"; a saved query's HTML table shows labels and pages past row 1,000 with its
previous/next links.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from chromium import launch, needs_chromium, watched_page
from live_server import live_server

pytestmark = [pytest.mark.slow, needs_chromium]
LABELLED = """SELECT ?org ?name ?doc ?date WHERE {
  ?doc a schema:NewsArticle ; schema:publisher ?org ; schema:datePublished ?date .
  ?org skos:prefLabel ?name .
} ORDER BY ?doc LIMIT 30"""


@pytest.fixture(scope="module")
def server(regeringen_store_path: Path) -> Iterator[str]:
    with live_server(regeringen_store_path, query_workers=1) as url:
        yield url.rstrip("/")


@pytest.fixture(scope="module")
def page(server: str) -> Iterator[Any]:
    with launch() as browser, watched_page(browser, viewport={"width": 1300, "height": 900}) as page:
        yield page


def test_the_query_page_shows_labels_plain_literals_and_humane_timing(server: str, page: Any) -> None:
    from playwright.sync_api import expect

    page.goto(server + "/")
    page.wait_for_selector("#kg-editor .CodeMirror")
    page.evaluate("text => kgUi.yasqe.setValue(text)", LABELLED)
    page.click("#kg-run")
    expect(page.locator("#kg-status")).to_contain_text("30 rows in ")
    table = page.locator("#kg-results table.dataTable")
    labelled = table.locator("a.kg-labelled")
    expect(labelled.first).to_be_visible()  # the labels arrive after the answer; the table is drawn again
    first = labelled.first
    assert first.get_attribute("href").startswith("/id/org/")
    assert first.get_attribute("title").startswith("https://w3id.org/sv-press-kg/id/org/")
    assert first.inner_text() and not first.inner_text().startswith("<")
    text = table.inner_text()
    assert "@sv" not in text and "^^" not in text and '"' not in text, text[:500]
    assert table.locator("a.kg-labelled[href^='/res/doc/']").count() > 0  # documents show their headlines
    info = page.inner_text("#kg-results .yasr_response_chip")
    assert re.fullmatch(r"30 results in (< 1|\d+) ms|30 results in \d+\.\d s", info.strip()), info
    assert page.evaluate("window.__csp") == []


def test_a_saved_query_table_shows_labels_and_pages_past_row_1000(server: str, page: Any) -> None:
    page.goto(server + "/queries/documents?offset=1000&limit=20")
    assert re.match(r"Rows 1,001–1,020 in (< 1|\d+) ms", page.inner_text(".result-info")), page.inner_text(
        ".result-info"
    )
    headers = page.locator("table.results thead th").all_inner_texts()
    assert "publisherOrg" not in headers and "year" not in headers and "publisher" not in headers, headers
    publisher = page.locator("table.results tbody tr").first.locator("td").nth(headers.index("publisherName"))
    link = publisher.locator("a")
    assert link.get_attribute("href").startswith("/id/org/") and not link.inner_text().startswith("http")
    first_id = page.locator("table.results tbody tr td").first.inner_text()
    page.locator("a[rel=next]").first.click()
    page.wait_for_url(re.compile(r"offset=1020"))
    assert page.inner_text(".result-info").startswith("Rows 1,021–1,040")
    page.locator("a[rel=prev]").first.click()
    page.wait_for_url(re.compile(r"offset=1000"))
    assert page.locator("table.results tbody tr td").first.inner_text() == first_id
    assert page.evaluate("window.__csp") == []


def test_a_malformed_query_says_where_in_the_editor(server: str, page: Any) -> None:
    """The error names the editor's line (the prefixes the page declares for the query add none) and column."""
    from playwright.sync_api import expect

    page.goto(server + "/")
    page.wait_for_selector("#kg-editor .CodeMirror")
    page.evaluate("text => kgUi.yasqe.setValue(text)", "SELECT ?n WHERE {\n  ?p foaf:name ?n .\n  FILTER(?n = )\n}")
    page.click("#kg-run")
    # the parser stops at the end of the text (line 4, after the brace); a declared foaf: line would make it 5
    expect(page.locator("#kg-status")).to_contain_text("Failed: SPARQL syntax error at line 4, column 2 (4:2)")
    shown = page.inner_text("#kg-results pre")
    assert shown.splitlines()[1:] == ["  }", "   ^"] and "u{" not in shown, shown


def test_a_saved_query_on_the_query_page_leaves_out_empty_parameter_columns(server: str, page: Any) -> None:
    from playwright.sync_api import expect

    page.goto(server + "/?saved=documents")
    expect(page.locator(".kg-card[data-name='documents']")).to_have_attribute("aria-pressed", "true")
    page.click("#kg-run")
    expect(page.locator("#kg-status")).to_contain_text("from /queries/documents")
    headers = page.locator("#kg-results table.dataTable thead th").all_inner_texts()
    assert "headline" in headers and "publisherName" in headers, headers
    assert "year" not in headers and "publisher" not in headers, headers
