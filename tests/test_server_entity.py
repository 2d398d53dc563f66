"""Entity pages lead with a summary and page their evidence (TestClient on real stores: seeds/, and 1,062
regeringen releases). Memberships are shown by their labels, not their hashes."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from pyoxigraph import DefaultGraph, NamedNode, Store

from kg import entity
from server.app import create_app
from server.context import Settings
from server.entity import EVIDENCE_LIMIT

BASE = "https://w3id.org/sv-press-kg/"
EVIDENCE = NamedNode(BASE + "ontology#evidence")
HTML = {"Accept": "text/html"}
PERSON = "id/person/carin-lidman"


@pytest.fixture(scope="module")
def seeds(seeds_store_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(store_path=seeds_store_path, query_workers=1))) as c:
        yield c


@pytest.fixture(scope="module")
def regeringen(regeringen_store_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(store_path=regeringen_store_path, query_workers=1))) as c:
        yield c


@pytest.fixture(scope="module")
def reg_store(regeringen_store_path: Path) -> Store:
    return Store.read_only(str(regeringen_store_path))


def get(client: TestClient, path: str, **params: object) -> str:
    response = client.get(path, params=params or None, headers=HTML)  # params={} would drop the path's query
    assert response.status_code == 200, response.text
    return response.text


def biggest(store: Store, cls: str) -> str:
    """The path of the entity of `cls` with the most evidence spans."""
    members = {q.subject.value for q in store.quads_for_pattern(None, entity.RDF_TYPE, NamedNode(cls), DefaultGraph())}
    spans = {
        iri: sum(1 for _ in store.quads_for_pattern(NamedNode(iri), EVIDENCE, None, DefaultGraph())) for iri in members
    }
    return max(sorted(spans), key=spans.get)[len(BASE) :]


def section(body: str, marker: str) -> str:
    start = body.index(marker)
    return body[start : body.index("</section>", start)]


def snippets(body: str) -> list[tuple[str, str | None, int, int]]:
    """(document path, date, begin, end) of each evidence snippet shown."""
    found = re.findall(
        r'<blockquote class="snippet"><p><a href="(/res/doc/[^"]+)">[^<]*</a>'
        r'(?: <span class="muted">([^<]*)</span>)? <span class="muted">\[(\d+)–(\d+)\]</span>',
        section(body, 'id="evidence"'),
    )
    return [(doc, date or None, int(b), int(e)) for doc, date, b, e in found]


def test_an_entity_page_leads_with_its_summary(seeds: TestClient) -> None:
    body = get(seeds, "/" + PERSON)
    order = [body.index(m) for m in ('id="summary"', 'class="properties"', 'id="evidence"', 'class="incoming"')]
    assert order == sorted(order), order
    summary = section(body, 'id="summary"')
    row = re.search(r'<table class="roles">.*?<tbody>\s*<tr>(.*?)</tr>', summary, re.S)[1]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
    assert cells[0] == (
        '<a href="/def/role/kommunalrad" title="https://w3id.org/sv-press-kg/def/role/kommunalrad">kommunalråd</a>'
    )
    assert '<a href="/id/org/kommun-1980"' in cells[1] and ">Västerås stad</a>" in cells[1]
    assert cells[2:] == ["1", "2018-11-23"]
    assert "People mentioned with it" in summary and 'href="/id/person/anna-bjorkman"' in summary
    # the evidence values are one line of the properties table, not a row each
    props = section(body, 'class="properties"')
    assert '<a href="#evidence">1 span</a>' in props and props.count("kgo:evidence") == 1


@pytest.mark.parametrize("path", ["id/org/kommun-1980", "id/event/forum-jamstalldhet", "def/role/kommunalrad"])
def test_organisations_series_and_roles_have_summaries_too(seeds: TestClient, path: str) -> None:
    body = get(seeds, "/" + path)
    summary = section(body, 'id="summary"')
    expected = {
        "id/org/kommun-1980": ["People and their roles", "Projects", 'href="/id/person/carin-lidman"'],
        "id/event/forum-jamstalldhet": ["Editions", 'href="/id/event/forum-jamstalldhet/2021"'],
        "def/role/kommunalrad": ["Held by", 'href="/id/person/carin-lidman"', 'href="/id/org/kommun-1980"'],
    }[path]
    for text in expected:
        assert text in summary, text
    assert ("evidence span" in summary) == (path != "def/role/kommunalrad")  # roles have no evidence


def test_nodes_without_a_summary_still_show_their_evidence(seeds: TestClient, seeds_store_path: Path) -> None:
    store = Store.read_only(str(seeds_store_path))
    quote = next(store.quads_for_pattern(None, entity.RDF_TYPE, NamedNode(entity.SCHEMA + "Quotation"), None))
    body = get(seeds, "/" + quote.subject.value[len(BASE) :])
    assert 'id="summary"' not in body and 'id="evidence"' in body


def test_a_membership_is_shown_by_its_label(seeds: TestClient, seeds_store_path: Path) -> None:
    store = Store.read_only(str(seeds_store_path))
    membership = next(
        q.subject.value
        for q in store.quads_for_pattern(None, NamedNode(entity.ORG + "member"), NamedNode(BASE + PERSON), None)
    )
    body = get(seeds, "/" + membership[len(BASE) :])
    assert "<h1>kommunalråd, Västerås stad</h1>" in body
    incoming = section(get(seeds, "/" + PERSON), 'class="incoming"')
    path = membership[len(BASE) :]
    assert re.search(rf'<a href="/{path}" title="{membership}">kommunalråd, Västerås stad</a>', incoming)


def test_evidence_pages_link_each_other(seeds: TestClient) -> None:
    path = "/id/org/kommun-1980"
    body = get(seeds, path, evidence_limit=2)
    first = snippets(body)
    assert len(first) == 2 and "Spans 1–2 of 7 in 1 document" in body
    nxt = html.unescape(re.search(r'<a class="evidence-next" href="([^"]+)"', body)[1])
    assert parse_qs(urlsplit(nxt).query) == {"evidence_offset": ["2"], "evidence_limit": ["2"]} and nxt.endswith(
        "#evidence"
    )
    second = get(seeds, nxt.split("#")[0])
    assert "Spans 3–4 of 7" in second and not set(snippets(second)) & set(first)
    prev = html.unescape(re.search(r'<a class="evidence-prev" href="([^"]+)"', second)[1])
    assert snippets(get(seeds, prev.split("#")[0])) == first
    past = get(seeds, path, evidence_offset=40)
    assert "No spans from 41 on: 7 in all" in past and not snippets(past)


@pytest.mark.parametrize("params", [{"evidence_limit": 0}, {"evidence_limit": 501}, {"evidence_offset": -1}])
def test_bad_evidence_paging_is_refused(seeds: TestClient, params: dict) -> None:
    assert seeds.get("/" + PERSON, params=params, headers=HTML).status_code == 422


def test_the_evidence_of_the_biggest_person_comes_50_a_page_newest_first(
    regeringen: TestClient, reg_store: Store
) -> None:
    path = biggest(reg_store, entity.FOAF + "Person")
    spans = {
        q.object.value for q in reg_store.quads_for_pattern(NamedNode(BASE + path), EVIDENCE, None, DefaultGraph())
    }
    assert len(spans) > EVIDENCE_LIMIT  # two pages at least
    seen: list[tuple[str, str | None, int, int]] = []
    url: str | None = "/" + path
    while url:
        body = get(regeringen, url)
        shown = snippets(body)
        start = len(seen) + 1
        assert f"Spans {start:,}–{len(seen) + len(shown):,} of {len(spans):,} in " in body
        assert len(shown) == min(EVIDENCE_LIMIT, len(spans) - len(seen))
        seen += shown
        nxt = re.search(r'<a class="evidence-next" href="([^"]+)"', body)
        url = html.unescape(nxt[1]).split("#")[0] if nxt else None
    assert {f"{BASE}{doc[1:]}/text/{b}-{e}" for doc, _, b, e in seen} == spans and len(seen) == len(spans)
    dates = [date or "" for _, date, _, _ in seen]
    assert dates == sorted(dates, reverse=True) and len(set(dates)) > 3


def test_the_summary_counts_link_to_what_they_count(regeringen: TestClient, reg_store: Store) -> None:
    for cls in (entity.FOAF + "Person", entity.ORG + "Organization"):
        path = biggest(reg_store, cls)
        summary = section(get(regeringen, "/" + path), 'id="summary"')
        counts = dict(
            (what, (int(n.replace(",", "")), html.unescape(href)))
            for href, n, what in re.findall(r'<li><a href="([^"]+)"><strong>([\d,]+)</strong> ([^<]+)</a>', summary)
        )
        n, href = counts["quotes"]
        answer = regeringen.get(href.replace("/queries/quotes?", "/queries/quotes.json?")).json()
        assert n == len({row["quotation"]["value"] for row in answer["results"]["bindings"]}) > 0
        n, href = counts["documents mention it"]
        answer = regeringen.get(href.replace("/queries/mentions-of?", "/queries/mentions-of.json?")).json()
        assert n == len({row["document"]["value"] for row in answer["results"]["bindings"]}) > 0
        assert counts["evidence spans"] == (len(entity.evidence(reg_store, BASE + path)), "#evidence")
