"""Finding things in real headless Chromium, on a store built from 1,062 regeringen releases (`regeringen_store_path`).

The header's search box finds "Västerås" from "vasteras" and opens the page of the one picked; the query
editor completes a name to the entity's IRI; a saved query's IRI parameter suggests entities and takes
a name; the home page's overview shows the store's counts, each linked. Screenshots go to a temporary
folder, or to $KG_SCREENSHOTS (`KG_SCREENSHOTS=docs/img` refreshes the README's pictures).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from chromium import launch, needs_chromium, watched_page
from live_server import live_server

from kg import overview
from kg import store as kgstore

pytestmark = [pytest.mark.slow, needs_chromium]
BASE = "https://w3id.org/sv-press-kg/"
EDIT = "text => { const y = kgUi.yasqe; y.setValue(text); y.getDoc().setCursor(y.getDoc().lineCount(), 0); y.focus(); }"


@pytest.fixture(scope="module")
def server(regeringen_store_path: Path) -> Iterator[str]:
    with live_server(regeringen_store_path, query_workers=1) as url:
        yield url.rstrip("/")


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ.get("KG_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def page(server: str) -> Iterator[Any]:
    """A fresh page that records script errors and CSP violations, and checks there were none."""
    with launch() as browser, watched_page(browser, viewport={"width": 1300, "height": 860}) as page:
        yield page


def test_the_header_search_finds_vasteras_and_opens_its_page(server: str, page: Any, shots: Path) -> None:
    from playwright.sync_api import expect

    page.goto(server + "/queries")  # any page: the box is in every page's header
    page.locator("#kg-search-q").press_sequentially("vasteras", delay=30)
    options = page.locator("#kg-search-q-suggestions li")
    expect(options.first).to_be_visible()
    # the last keystroke's suggestions (on a loaded machine an earlier prefix's may show first)
    page.wait_for_function(
        "() => { const li = [...document.querySelectorAll('#kg-search-q-suggestions li')];"
        " return li.length > 0 && li.every(e => e.innerText.toLowerCase().includes('västerås')); }"
    )
    texts = options.all_inner_texts()
    assert any(t.startswith("Västerås stad") for t in texts), texts
    assert all("västerås" in t.casefold() for t in texts), texts
    expect(page.locator("#kg-search-q")).to_have_attribute("aria-expanded", "true")
    page.screenshot(path=str(shots / "search-suggestions.png"), clip={"x": 0, "y": 0, "width": 1300, "height": 300})

    # the keyboard picks: down to "Västerås stad", Enter opens its page
    target = next(i for i, t in enumerate(texts) if t.startswith("Västerås stad"))
    for _ in range(target + 1):
        page.keyboard.press("ArrowDown")
    expect(options.nth(target)).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")
    page.wait_for_url(server + "/id/org/kommun-1980")
    expect(page.locator("h1")).to_have_text("Västerås stad")

    # Enter with nothing picked shows the results page
    page.locator("#kg-search-q").fill("vasteras")
    page.locator("#kg-search-q").press("Enter")
    page.wait_for_url(server + "/search?q=vasteras")
    expect(page.locator("ol.kg-hits a", has_text="Västerås stad")).to_have_attribute("href", "/id/org/kommun-1980")


def test_the_editor_completes_a_name_to_its_iri(server: str, page: Any, shots: Path) -> None:
    from playwright.sync_api import expect

    page.goto(server + "/")
    page.wait_for_selector("#kg-editor .CodeMirror")
    page.evaluate(EDIT, "SELECT ?p ?o WHERE {\n  ")
    page.keyboard.type("ulf_kri", delay=40)
    hint = page.locator(".CodeMirror-hints li", has_text="Ulf Kristersson").first
    expect(hint).to_be_visible()
    page.wait_for_load_state("networkidle")  # the last keystroke's suggestions are in: the list no longer redraws
    expect(hint).to_be_visible()
    assert "person" in hint.inner_text()
    editor = page.locator("#kg-editor").bounding_box()
    page.screenshot(path=str(shots / "editor-completion.png"), clip={**editor, "height": 260})  # type: ignore[dict-item]
    hint.click()
    iri = f"<{BASE}id/person/ulf-kristersson>"
    assert page.evaluate("kgUi.yasqe.getValue()") == "SELECT ?p ?o WHERE {\n  " + iri
    expect(page.locator(".CodeMirror-hints")).to_have_count(0)  # the list is closed
    page.locator("#kg-editor .CodeMirror").click()  # keys typed right after a pick by mouse can be dropped
    page.evaluate("kgUi.yasqe.execCommand('goDocEnd')")
    page.keyboard.type(" ?p ?o }", delay=10)
    assert page.evaluate("kgUi.yasqe.getValue()") == "SELECT ?p ?o WHERE {\n  " + iri + " ?p ?o }"
    page.click("#kg-run")
    expect(page.locator("#kg-status")).to_contain_text("from /sparql")
    assert int(page.inner_text("#kg-status").split()[0]) > 3  # his name, types, evidence …
    # typing a keyword offers no entities
    page.evaluate(EDIT, "SELECT * WHERE {\n  ")
    page.keyboard.type("OPTIONAL", delay=40)
    page.wait_for_timeout(400)
    assert page.locator(".CodeMirror-hints li").count() == 0


def test_the_home_page_shows_the_overview(server: str, regeringen_store_path: Path, page: Any, shots: Path) -> None:
    from playwright.sync_api import expect

    counts = kgstore.stats(kgstore.open_read(regeringen_store_path))
    data = overview.read(regeringen_store_path)
    assert data is not None and counts["documents"] >= 1000
    page.goto(server + "/")
    section = page.locator("section.kg-overview")
    for name in ("documents", "people", "organisations", "events", "quotes"):
        expect(section.locator(f"[data-count='{name}'] strong")).to_have_text(f"{counts[name]:,}")
    expect(section.locator(".kg-dates")).to_contain_text(f"Published {data['published']['first']} to")
    expect(section.locator(".kg-publishers a").first).to_have_text("Regeringskansliet")
    section.screenshot(path=str(shots / "home-overview.png"))
    section.locator("[data-count='people']").click()
    page.wait_for_url(server + "/queries/people")
    expect(page.locator("table")).to_be_visible()


def test_a_saved_querys_iri_parameter_suggests_entities_and_takes_a_name(server: str, page: Any) -> None:
    from playwright.sync_api import expect

    page.goto(server + "/?saved=people")
    person = page.locator("#kg-params input[name='person']")
    person.press_sequentially("ulf kri", delay=30)
    option = page.locator("#kg-param-person-suggestions li", has_text="Ulf Kristersson").first
    expect(option).to_be_visible()
    assert page.locator("#kg-param-person-suggestions li", has_text="organisation").count() == 0  # people only
    option.click()
    expect(person).to_have_value("id/person/ulf-kristersson")  # relative to the base, as the form takes IRIs
    page.click("#kg-run")
    expect(page.locator("#kg-status")).to_contain_text("from /queries/people?person=id%2Fperson%2Ful")
    rows = page.inner_text("#kg-status").split()[0]
    person.fill("Ulf Kristersson")  # the name itself: the server resolves it
    page.click("#kg-run")
    expect(page.locator("#kg-status")).to_contain_text("from /queries/people?person=Ulf+Kristersson")
    assert page.inner_text("#kg-status").split()[0] == rows
