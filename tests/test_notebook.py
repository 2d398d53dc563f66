"""The analysts' notebook (queries/notebook.ipynb) run headless in a real kernel against the seeds store.

Three kernel runs in all: everything (through `make_report`, which also writes the HTML that headless
Chromium then opens), one with a municipality and a year found in the store, and `kg report` with a
municipality that does not exist. The endpoint mode is checked against `kg serve` on loopback.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("nbclient")
pytest.importorskip("networkx")

from chromium import CHROMIUM, launch
from click.testing import CliRunner

from kg import analysis as kga
from kg import figures as kgf
from kg import notebook as kgnotebook
from kg import tables as kgt
from kg.cli import main

pytestmark = pytest.mark.slow


class _Cells(HTMLParser):
    """The text of each cell of the first HTML table: {column: text} per body row."""

    def __init__(self) -> None:
        super().__init__()
        self.head: list[str] = []
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self._in_head = False

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "thead":
            self._in_head = True
        elif tag == "tr" and not self._in_head:
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "thead":
            self._in_head = False
        elif tag in ("td", "th") and self._cell is not None:
            text = "".join(self._cell).strip()
            (self.head if self._in_head else self.rows[-1]).append(text)
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def table_rows(html_text: str) -> list[dict[str, str]]:
    parser = _Cells()
    parser.feed(html_text)
    return [dict(zip(parser.head, row, strict=True)) for row in parser.rows if row]


def tables(nb: Any) -> dict[str, str]:
    """Each saved query's table HTML, by query name."""
    return {
        o["metadata"]["kg-table"]: o["data"]["text/html"]
        for o in kgnotebook.outputs(nb)
        if "kg-table" in o.get("metadata", {})
    }


def figures(nb: Any) -> dict[str, bytes]:
    return {
        o["metadata"]["kg-figure"]: base64.b64decode(o["data"]["image/png"])
        for o in kgnotebook.outputs(nb)
        if "kg-figure" in o.get("metadata", {})
    }


def all_text(nb: Any) -> str:
    parts = []
    for o in kgnotebook.outputs(nb):
        parts.append(o.get("text", ""))
        parts += [str(v) for k, v in o.get("data", {}).items() if k.startswith("text/")]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def full(seeds_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> kgnotebook.Report:
    """The notebook run with no filters, written as HTML."""
    out = tmp_path_factory.mktemp("report") / "report.html"
    return kgnotebook.make_report(out, store=seeds_store_path)


@pytest.fixture(scope="module")
def source(seeds_store_path: Path) -> kga.Source:
    return kga.open_source(store=seeds_store_path)


@pytest.fixture(scope="module")
def chosen(source: kga.Source) -> dict[str, str]:
    """A municipality that spoke at a conference in the seeds, by name, and the year of one of its conferences."""
    rows = source.frame("municipality-speakers").dropna(subset=["conferenceStart"])
    assert not rows.empty
    first = rows.iloc[0]
    return {
        "municipality": first["municipalityName"],
        "year": first["conferenceStart"][:4],
        "iri": first["municipality"],
    }


@pytest.fixture(scope="module")
def filtered(seeds_store_path: Path, chosen: dict[str, str]) -> Any:
    params = {"store": str(seeds_store_path), "municipality": chosen["municipality"], "year": int(chosen["year"])}
    return kgnotebook.execute(params)


def test_the_notebook_is_stored_clean() -> None:
    """No outputs, no execution counts, a `parameters` cell with the parameters (None but the rows per
    table), and no SPARQL."""
    nb = kgnotebook.read()
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    namespace: dict[str, Any] = {}
    exec(params[0].source, namespace)
    assert {p: namespace[p] for p in kgnotebook.PARAMETERS if namespace[p] is not None} == {"rows": kgt.ROWS}
    text = "\n".join(c.source for c in nb.cells).upper()
    assert "SELECT" not in text and "PREFIX" not in text and "WHERE {" not in text


def test_every_cell_ran(full: kgnotebook.Report) -> None:
    for cell in full.notebook.cells:
        if cell.cell_type == "code":
            assert cell.execution_count is not None, cell.source
            assert not [o for o in cell.outputs if o.output_type == "error"], cell.source
    assert full.problems == []


def test_every_saved_query_produced_a_table(full: kgnotebook.Report, source: kga.Source) -> None:
    planned = kga.plan(source, kga.resolve_filters(source))
    runnable = [s.query.name for s in planned if s.skipped is None]
    skipped = {s.query.name: s.skipped for s in planned if s.skipped}
    assert skipped == {"mentions-of": "not run: needs entity — set municipality or event"}
    produced = tables(full.notebook)
    assert list(produced) == runnable
    assert full.tables == len(runnable)
    for name, table in produced.items():
        assert f'data-query="{name}"' in table
        assert table_rows(table), f"the {name} table is empty on the seeds"
    assert skipped["mentions-of"] in all_text(full.notebook)
    # IRIs are shown as names linking to their pages
    people = produced["people"]
    assert '<a href="https://w3id.org/sv-press-kg/id/person/' in people
    assert "https://w3id.org/sv-press-kg/id/person/" not in "".join(
        cell for row in table_rows(people) for cell in row.values()
    )


def test_each_figure_was_produced(full: kgnotebook.Report) -> None:
    produced = figures(full.notebook)
    assert list(produced) == list(kgf.FIGURES)
    assert full.figures == len(kgf.FIGURES)
    for name, data in produced.items():
        assert data.startswith(b"\x89PNG"), name
        assert len(data) > 10_000, name
    text = all_text(full.notebook)
    for title, _ in kgf.FIGURES.values():
        assert title in text


def test_the_filters_held(filtered: Any, chosen: dict[str, str], source: kga.Source) -> None:
    for cell in filtered.cells:
        if cell.cell_type == "code":
            assert not [o for o in cell.outputs if o.output_type == "error"], cell.source
    produced = tables(filtered)
    filters = kga.resolve_filters(source, municipality=chosen["municipality"], year=chosen["year"])
    assert filters.ok and filters.values["municipality"] == chosen["iri"]
    assert list(produced) == [s.query.name for s in kga.plan(source, filters) if s.skipped is None]
    assert "mentions-of" in produced  # the municipality fills its required entity
    rows = table_rows(produced["municipality-speakers"])
    assert rows
    for row in rows:
        assert row["municipalityName"] == chosen["municipality"]
        assert row["conferenceStart"].startswith(chosen["year"])
    for row in table_rows(produced["speakers"]):
        assert row["organisationName"] == chosen["municipality"]
        assert row["topicStart"].startswith(chosen["year"])
    for row in table_rows(produced["events"]):
        assert row["startDate"].startswith(chosen["year"])
    everything = len(source.frame("municipality-speakers"))
    assert len(rows) < everything
    assert set(figures(filtered)) == set(kgf.FIGURES)
    text = all_text(filtered)
    assert f"municipality = {chosen['municipality']}" in text
    assert "Not filtered" not in text  # every section takes every filter
    assert f"year = {chosen['year']}: only rows from press releases published in that year." in text


def test_report_with_a_municipality_that_does_not_exist(seeds_store_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "atlantis.html"
    result = CliRunner().invoke(
        main, ["report", "--out", str(out), "--store", str(seeds_store_path), "--municipality", "Atlantis"]
    )
    assert result.exit_code == 1, result.output
    assert "No municipality matches 'Atlantis'" in result.output
    html_text = out.read_text(encoding="utf-8")
    assert "No municipality matches" in html_text
    assert 'src="data:image/png' not in html_text  # no empty charts
    assert "data-query=" not in html_text  # no empty tables
    assert "Nothing to draw" in html_text


def test_report_names_a_missing_store(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    result = CliRunner().invoke(main, ["report", "--out", str(tmp_path / "r.html"), "--store", str(missing)])
    assert result.exit_code == 1
    assert f"no store at {missing}" in result.output
    assert not (tmp_path / "r.html").exists()


def test_kg_notebook_opens_it_or_says_how_to_install_jupyter() -> None:
    result = CliRunner().invoke(main, ["notebook", "--print-command"])
    try:
        kgnotebook.jupyter_command()
    except kgnotebook.NotebookError:
        assert result.exit_code == 1
        assert kgnotebook.INSTALL_HINT in result.output
    else:
        assert result.exit_code == 0
        assert result.output.strip().endswith(str(kgnotebook.NOTEBOOK))


def test_the_report_is_html_with_the_pictures(full: kgnotebook.Report) -> None:
    html_text = full.path.read_text(encoding="utf-8")
    assert html_text.lstrip().lower().startswith("<!doctype html")
    assert html_text.count('src="data:image/png;base64,') == len(kgf.FIGURES)
    assert html_text.count('data-query="') == full.tables
    assert "kgt.show_sections" not in html_text  # the code is left out of the report


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with launch() as chromium:
        yield chromium


def test_the_report_renders_in_chromium(full: kgnotebook.Report, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(full.path.resolve().as_uri())
    page.wait_for_load_state("load")
    images = page.eval_on_selector_all(
        "img[src^='data:image/png']", "els => els.map(e => [e.naturalWidth, e.naturalHeight])"
    )
    assert len(images) == len(kgf.FIGURES)
    assert all(w > 300 and h > 150 for w, h in images)
    assert page.locator("table[data-query]").count() == full.tables
    assert page.locator("table[data-query='people'] a[href*='/id/person/']").count() > 0
    shot = full.path.with_suffix(".png")
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 50_000
    page.close()


def test_an_endpoint_gives_the_same_people_table(seeds_store_path: Path, source: kga.Source) -> None:
    from live_server import live_server

    with live_server(seeds_store_path) as url:
        remote = kga.open_source(endpoint=url)
        assert remote.base == source.base
        assert [q.name for q in remote.queries()] == [q.name for q in source.queries()]
        by_store = source.frame("people").sort_values(["person", "document", "membership"], ignore_index=True)
        by_server = remote.frame("people").sort_values(["person", "document", "membership"], ignore_index=True)
        assert by_server.fillna("").equals(by_store.fillna(""))
        assert by_server.attrs["iri_columns"] == by_store.attrs["iri_columns"]
        # links go to the server's own pages, which answer
        table = kgt.Table(remote.frame("people"), remote).to_html()
        assert f'<a href="{url}id/person/' in table
        import httpx

        person = by_server["person"].iloc[0]
        page = httpx.get(remote.page(person), headers={"accept": "text/html"})
        assert page.status_code == 200
        assert by_server["personName"].iloc[0] in page.text
        # the filters resolve the same way through the server
        rows = remote.frame("municipality-speakers")
        name = rows["municipalityName"].iloc[0]
        filters = kga.resolve_filters(remote, municipality=name)
        assert filters.values == kga.resolve_filters(source, municipality=name).values
        # a table links to the server's page of exactly its answer, when every filter went through a parameter
        linked_to_server = 0
        for s in kga.sections(remote, filters):
            if s.df is None:
                continue
            target = s.full_answer_url(remote)
            if s.df.attrs["by_document"]:
                assert target is None, s.query.name
                continue
            assert target is not None and target.startswith(f"{url}queries/{s.query.name}?")
            answer = httpx.get(target, headers={"accept": "application/sparql-results+json"}).json()
            assert len(answer["results"]["bindings"]) == len(s.df), s.query.name
            linked_to_server += 1
        assert linked_to_server >= 4  # speakers, people, projects, municipality-speakers, mentions-of


def test_municipalities_are_found_by_name_code_or_iri(source: kga.Source) -> None:
    base = source.base
    iri = base + "id/org/kommun-0484"
    for text in ("Eskilstuna", "eskilstuna kommun", "0484", "id/org/kommun-0484", iri):
        found = kga.find_municipality(text, base)
        assert found is not None and found.iri == iri, text
    assert kga.find_municipality("Västerås stad", base).iri == base + "id/org/kommun-1980"  # type: ignore[union-attr]
    assert kga.find_municipality("Atlantis", base) is None
    problems = kga.resolve_filters(source, municipality="Eskilstun").problems
    assert problems == ["No municipality matches 'Eskilstun'. Did you mean Eskilstuna kommun?"]
    assert kga.resolve_filters(source, year="17").problems == ["The year must have four digits, not '17'."]
    assert kga.resolve_filters(source, event="No such event").problems == ["No event matches 'No such event'."]
