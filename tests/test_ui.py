"""The query page at / without a browser: the HTML, the vendored editor component, the default query."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kg import store as kgstore
from kg.store import PREFIXES
from server import ui
from server.app import create_app
from server.context import Settings

ROOT = Path(__file__).resolve().parents[1]
VENDORED = ROOT / "server" / "static" / "vendor" / "yasgui"
INSTALLED = ROOT / "ui" / "node_modules" / "@zazuko" / "yasgui"


@pytest.fixture(scope="module")
def client(seeds_store_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(store_path=seeds_store_path, query_workers=1))) as c:
        yield c


def test_page_has_the_editor_gallery_and_base(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    html = page.text
    for src in ("/static/vendor/yasgui/yasgui.min.js", "/static/vendor/yasgui/yasgui.min.css", "/static/ui.js"):
        assert src in html
    assert 'data-base="https://w3id.org/sv-press-kg/"' in html
    assert 'id="kg-gallery-list"' in html
    assert 'href="/queries/people"' in html  # the gallery without JS: links to the saved queries
    assert "<script>" not in html  # no inline script: the CSP forbids it
    # the no-JS fallback form carries the default query, escaped
    assert "&lt;http://xmlns.com/foaf/0.1/&gt;" in html


def test_static_files_are_served(client: TestClient) -> None:
    for path, kind in [
        ("/static/vendor/yasgui/yasgui.min.js", "javascript"),
        ("/static/vendor/yasgui/yasgui.min.css", "text/css"),
        ("/static/ui.js", "javascript"),
        ("/static/ui.css", "text/css"),
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert kind in response.headers["content-type"], path


def test_default_query_returns_people(seeds_store_path: Path) -> None:
    store = kgstore.open_read(seeds_store_path)
    head, rows = kgstore.rows(kgstore.query(store, ui.DEFAULT_QUERY))
    assert head[:3] == ["personName", "roleName", "organisationName"]
    assert len(rows) >= 5 and all(r["personName"] for r in rows)


def test_prefixes_rendered_are_the_store_prefixes(client: TestClient) -> None:
    html = client.get("/").text
    start = html.index('data-prefixes="') + len('data-prefixes="')
    raw = html[start : html.index('"', start)].replace("&#34;", '"').replace("&amp;", "&")
    assert json.loads(raw) == PREFIXES


def test_missing_component_gives_a_clear_message(seeds_store_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ui, "vendor_version", lambda: None)
    with TestClient(create_app(Settings(store_path=seeds_store_path, query_workers=1))) as c:
        html = c.get("/").text
    assert "yasgui.min.js" not in html
    assert 'id="kg-ui-missing"' in html and ui.REFRESH.replace("&", "&amp;") in html
    assert '<form id="kg-plain"' in html and 'action="/sparql"' in html


def test_vendored_version_is_the_locked_one() -> None:
    lock = json.loads((ROOT / "ui" / "package-lock.json").read_text(encoding="utf-8"))
    locked = lock["packages"]["node_modules/@zazuko/yasgui"]["version"]
    assert ui.vendor_version() == f"@zazuko/yasgui@{locked}"
    assert json.loads((ROOT / "ui" / "package.json").read_text())["dependencies"]["@zazuko/yasgui"] == locked


@pytest.mark.skipif(not INSTALLED.is_dir(), reason="ui/node_modules not installed (npm ci --prefix ui)")
def test_vendored_files_equal_the_installed_package() -> None:
    for name in ui.ASSETS:
        assert (VENDORED / name).read_bytes() == (INSTALLED / "build" / name).read_bytes(), (
            f"{name} differs from the installed package; run: {ui.REFRESH}"
        )
