"""An entity page in real headless Chromium, on a store built from 1,062 regeringen releases
(`regeringen_store_path`): the summary comes first, above the evidence, within the first screen; the evidence
pages on; memberships read as their labels. The summary's screenshot goes to a temporary folder, or to
$KG_SCREENSHOTS (`KG_SCREENSHOTS=docs/img` refreshes the README's picture).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from chromium import launch, needs_chromium, watched_page
from live_server import live_server
from pyoxigraph import DefaultGraph, NamedNode, Store

from kg import entity
from server.entity import EVIDENCE_LIMIT

pytestmark = [pytest.mark.slow, needs_chromium]
BASE = "https://w3id.org/sv-press-kg/"
EVIDENCE = NamedNode(BASE + "ontology#evidence")
VIEWPORT = {"width": 1300, "height": 900}


@pytest.fixture(scope="module")
def server(regeringen_store_path: Path) -> Iterator[str]:
    with live_server(regeringen_store_path, query_workers=1) as url:
        yield url.rstrip("/")


@pytest.fixture(scope="module")
def person(regeringen_store_path: Path) -> tuple[str, entity.Summary, int]:
    """The person with the most evidence spans: path, summary and number of spans."""
    store = Store.read_only(str(regeringen_store_path))
    people = {
        q.subject.value for q in store.quads_for_pattern(None, entity.RDF_TYPE, NamedNode(entity.FOAF + "Person"))
    }
    spans = {p: sum(1 for _ in store.quads_for_pattern(NamedNode(p), EVIDENCE, None, DefaultGraph())) for p in people}
    iri = max(sorted(spans), key=spans.get)
    return iri[len(BASE) :], entity.summary(store, iri), spans[iri]


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ.get("KG_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def page(server: str) -> Iterator[Any]:
    with launch() as browser, watched_page(browser, viewport=VIEWPORT) as page:
        yield page


def top(page: Any, selector: str) -> float:
    return page.evaluate(f"document.querySelector({selector!r}).getBoundingClientRect().top + window.scrollY")


def test_the_summary_comes_first_and_the_evidence_pages_on(
    server: str, page: Any, person: tuple, shots: Path, regeringen_store_path: Path
) -> None:
    from playwright.sync_api import expect

    path, summary, spans = person
    assert spans > EVIDENCE_LIMIT and summary.roles.items and summary.people.items
    page.goto(f"{server}/{path}")
    assert top(page, "#summary") < top(page, "section.properties") < top(page, "section.evidence")
    assert top(page, "#summary") < VIEWPORT["height"] / 2  # on the first screen, under the title
    box = page.locator("#summary")
    first = box.locator("table.roles tbody tr").first.locator("td")
    role = summary.roles.items[0]
    expect(first.nth(0)).to_have_text(role.role.label)
    expect(first.nth(2)).to_have_text(f"{role.documents:,}")
    expect(box.locator(".kg-list", has_text="People mentioned with it").locator("li a").first).to_have_text(
        summary.people.items[0].ref.label
    )
    expect(box.locator("ul.kg-counts")).to_contain_text(f"{spans:,} evidence spans")
    expect(page.locator("section.evidence blockquote.snippet")).to_have_count(EVIDENCE_LIMIT)
    # memberships in the incoming links read as their labels (role, organisation), not as hashes
    page.locator("section.incoming summary").click()
    memberships = page.locator("section.incoming a[href^='/id/membership/']")
    assert memberships.count() > 0
    store = Store.read_only(str(regeringen_store_path))
    for link in memberships.all()[:20]:
        expected = entity.label(store, BASE + link.get_attribute("href")[1:])
        assert link.inner_text() == expected and not expected.startswith("membership"), expected
    bottom = top(page, "#summary") + box.bounding_box()["height"]
    page.screenshot(path=str(shots / "entity-summary.png"), full_page=True,
                    clip={"x": 0, "y": 0, "width": VIEWPORT["width"], "height": bottom + 16})  # fmt: skip
    page.locator("a.evidence-next").first.click()
    page.wait_for_url(re.compile(rf"evidence_offset={EVIDENCE_LIMIT}#evidence$"))
    expect(page.locator("p.evidence-info")).to_contain_text(f"Spans {EVIDENCE_LIMIT + 1}–")
    assert abs(top(page, "section.evidence") - page.evaluate("window.scrollY")) < 5  # scrolled to the evidence
