"""The query page at / in real headless Chromium (Debian's package at /usr/bin/chromium, driven by playwright).

Builds a store from ./seeds, starts `kg serve` on a free loopback port in a subprocess, loads the page,
checks the editor highlights SPARQL, runs the default query (/sparql) and a saved query from the
gallery (/queries/people), and checks the rows, the local links and the CSV download. `.ci/run`
installs chromium, so in CI this runs; elsewhere it is skipped only when chromium is absent.
"""

from __future__ import annotations

import csv
import io
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from chromium import CSP_WATCH, launch, needs_chromium

ROOT = Path(__file__).resolve().parents[1]
SAVED = "people"

pytestmark = [pytest.mark.slow, needs_chromium]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, seeds_store_path: Path) -> dict[str, Any]:
    """The store built from the seeds, and what the saved query returns on it (through kg.queries)."""
    from kg import store as kgstore
    from kg.queries import registry
    from server.context import detect_base

    folder = tmp_path_factory.mktemp("browser")
    store_path = seeds_store_path
    store = kgstore.open_read(store_path)
    base = detect_base(store)
    _, rows = kgstore.rows(registry().get(SAVED).run(store, {}, base))
    del store
    assert rows, f"the saved query {SAVED!r} returns no rows on the seeds"
    return {"folder": folder, "store": store_path, "base": base, "rows": rows, "sparql": registry().get(SAVED).sparql}


@pytest.fixture(scope="module")
def server(built: dict[str, Any]) -> Iterator[str]:
    """`kg serve` on a free loopback port; yields its URL."""
    port = free_port()
    log = open(built["folder"] / "serve.log", "w+b")  # noqa: SIM115 (closed below)
    cmd = [sys.executable, "-c", "from kg.cli import main; main()", "serve", "--store", str(built["store"])]
    cmd += ["--host", "127.0.0.1", "--port", str(port), "--query-workers", "1"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                log.seek(0)
                pytest.fail(f"kg serve exited with {proc.returncode}:\n{log.read().decode(errors='replace')}")
            try:
                with urllib.request.urlopen(f"{url}/sparql?query=ASK%7B%7D", timeout=2) as res:
                    if res.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("kg serve did not answer /sparql within 60 s")
            time.sleep(0.3)
        yield url
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)  # the server and the query workers it started
            proc.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
        log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launch() as chromium:
        yield chromium


def test_query_page_runs_a_saved_query(server: str, built: dict[str, Any], browser: Any) -> None:
    """Load /, see highlighted SPARQL, run the default query and a saved one, see real rows and local links."""
    from playwright.sync_api import expect

    rows, base = built["rows"], built["base"]
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(f"page error: {err}"))
    # CSP violations would mean the component needs a header change; collect them.
    page.add_init_script(CSP_WATCH)

    response = page.goto(server + "/")
    assert response is not None and response.status == 200
    assert "script-src 'self'" in (response.headers.get("content-security-policy") or "")

    # The editor is YASQE (CodeMirror) with the default query, highlighted by token class and colour.
    page.wait_for_selector("#kg-editor .CodeMirror")
    assert page.locator("#kg-plain").is_hidden()
    keyword = page.locator("#kg-editor .cm-keyword", has_text="SELECT").first
    variable = page.locator("#kg-editor .cm-atom").first
    keyword.wait_for()
    colour = "el => getComputedStyle(el).color"
    assert keyword.evaluate(colour) != variable.evaluate(colour), "keywords and variables look the same"
    assert "SELECT" in page.evaluate("kgUi.yasqe.getValue()")

    # The default query runs on /sparql.
    page.click("#kg-run")
    expect(page.locator("#kg-status")).to_contain_text("from /sparql")
    assert page.locator("#kg-results table.dataTable tbody tr").count() > 0
    assert "Failed" not in page.inner_text("#kg-status")

    # The gallery lists the saved queries; a click loads one into the editor.
    card = page.locator(f".kg-card[data-name='{SAVED}']")
    card.wait_for()
    assert page.locator(".kg-card").count() >= 5
    card.click()
    assert card.get_attribute("aria-pressed") == "true"
    assert page.evaluate("kgUi.yasqe.getValue()") == built["sparql"]
    assert page.locator("#kg-params input[name='person']").is_visible()

    # Running it goes through /queries/people and shows the rows kg.queries gives.
    page.click("#kg-run")
    expect(page.locator("#kg-status")).to_contain_text(f"from /queries/{SAVED}")
    status = page.inner_text("#kg-status")
    assert status.startswith(f"{len(rows)} row"), status
    table = page.locator("#kg-results table.dataTable")
    table.locator("tbody tr").first.wait_for()
    first = rows[0]
    assert first["personName"] in table.inner_text()
    assert table.locator("tbody tr").count() == min(len(rows), 50)  # YASR's page size is 50

    # IRIs under the base link to the local page; following one gives the person's page.
    person = first["person"]
    assert person.startswith(base)
    local = "/" + person[len(base) :]
    link = table.locator(f"a.iri[href='{local}']").first
    link.wait_for()
    assert link.get_attribute("title") == person
    assert table.locator(f"a.iri[href^='{base}']").count() == 0, "a base IRI was left linking off-site"
    answer = page.request.get(server + local, headers={"Accept": "text/html"})
    assert answer.status == 200, f"{local}: {answer.status}"

    # The download link gives the current result as CSV.
    with page.expect_download() as download:
        page.click("#kg-download-csv")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    print(text.splitlines()[:2])
    header = next(csv.reader(io.StringIO(text)))
    assert header[0] == "personName", header
    assert first["personName"] in text
    assert download.value.suggested_filename == f"{SAVED}.csv"

    shot = built["folder"] / "query-page.png"
    page.screenshot(path=str(shot), full_page=True)
    print(f"screenshot: {shot}")
    assert page.evaluate("window.__csp") == []
    assert errors == []
    context.close()


def test_saved_query_parameters_are_bound_by_the_server(server: str, built: dict[str, Any], browser: Any) -> None:
    """`/?saved=people&person=…` selects the card and fills the input; running it filters to that person."""
    from urllib.parse import urlencode

    from playwright.sync_api import expect

    first, base = built["rows"][0], built["base"]
    relative = first["person"][len(base) :]
    expected = [r for r in built["rows"] if r["person"] == first["person"]]
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(server + "/?" + urlencode({"saved": SAVED, "person": relative}))
    expect(page.locator(f".kg-card[data-name='{SAVED}']")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#kg-params input[name='person']")).to_have_value(relative)
    page.click("#kg-run")
    expect(page.locator("#kg-status")).to_contain_text(f"from /queries/{SAVED}?person=")
    assert page.inner_text("#kg-status").startswith(f"{len(expected)} row")
    table = page.locator("#kg-results table.dataTable")
    expect(table.locator("tbody tr")).to_have_count(len(expected))
    assert first["personName"] in table.inner_text()
    # An edited query runs as ad-hoc SPARQL on /sparql, and the parameter inputs are disabled.
    page.evaluate("kgUi.yasqe.setValue(kgUi.yasqe.getValue() + '\\n# edited')")
    expect(page.locator("#kg-params input[name='person']")).to_be_disabled()
    page.click("#kg-run")
    expect(page.locator("#kg-status")).to_contain_text("from /sparql")
    assert page.inner_text("#kg-status").startswith(f"{len(built['rows'])} row")
    context.close()


def test_api_docs_render_under_the_csp(server: str, browser: Any) -> None:
    """/docs shows every operation with Swagger UI served from this server (the CSP blocks any CDN), and "Try it
    out" on a saved query starts from examples of the store served, which give rows."""
    import json

    from playwright.sync_api import expect

    with urllib.request.urlopen(f"{server}/openapi.json", timeout=10) as res:
        schema = json.load(res)
    operations = {(method.upper(), path) for path, ops in schema["paths"].items() for method in ops}
    people = {p["name"]: p.get("example") for p in schema["paths"]["/queries/people"]["get"]["parameters"]}
    page = browser.new_page()
    page.set_default_timeout(20_000)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.add_init_script(CSP_WATCH)
    page.goto(f"{server}/docs")
    page.wait_for_selector(".opblock")
    expect(page.locator(".opblock-summary-path[data-path='/search']")).to_have_count(1)
    methods = page.locator(".opblock .opblock-summary-method").all_inner_texts()
    paths = page.locator(".opblock .opblock-summary-path").evaluate_all("els => els.map(e => e.dataset.path)")
    assert set(zip(methods, paths, strict=True)) == operations  # some twice: under each of their tags
    block = page.locator(".opblock", has=page.locator('[data-path="/queries/people"]'))
    block.locator(".opblock-summary").click()
    block.locator(".try-out__btn").click()
    person = block.locator('tr[data-param-name="person"] input')
    expect(person).to_have_value(people["person"])
    for name in ("document", "organisation"):  # only the person: together they need not match a row
        block.locator(f'tr[data-param-name="{name}"] input').fill("")
    block.locator(".execute").click()
    expect(block.locator(".live-responses-table tbody .response-col_status")).to_have_text("200")
    query = urllib.parse.urlencode({"person": people["person"]})
    with urllib.request.urlopen(f"{server}/queries/people?{query}", timeout=10) as res:
        name = json.load(res)["results"]["bindings"][0]["personName"]["value"]  # rows, not an empty answer
    expect(block.locator(".live-responses-table tbody .response-col_description")).to_contain_text(name)
    assert page.evaluate("window.__csp") == []
    assert not [e for e in errors if "Content Security Policy" in e], errors
    page.close()
