"""`kg report` at scale: no scipy, bounded output, every filter in every section, a quiet kernel.

On the session's sample of 1,062 regeringen releases (`regeringen_store_path`): each section run with
a municipality, a year and an event, checked against the store itself; one `kg report` run as its own
process (its network has over 500 nodes, which networkx lays out only with scipy); and the figures
fed more than they can show.
"""

from __future__ import annotations

import base64
import os
import re
import struct
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

pytest.importorskip("nbclient")
pytest.importorskip("networkx")

from pyoxigraph import Literal, NamedNode

from kg import analysis as kga
from kg import figures as kgf
from kg import store as kgstore
from kg import tables as kgt

pytestmark = pytest.mark.slow

SCHEMA = "https://schema.org/"
XSD_INTEGER = NamedNode("http://www.w3.org/2001/XMLSchema#integer")
ROWS = 20  # rows per table in the report run here
QUERIES = Path(__file__).resolve().parent.parent / "queries"


@pytest.fixture(scope="module")
def sample(regeringen_store_path: Path) -> kga.Source:
    return kga.open_source(store=regeringen_store_path)


@pytest.fixture(scope="module")
def everything(sample: kga.Source) -> dict[str, kga.Section]:
    return {s.query.name: s for s in kga.sections(sample, kga.resolve_filters(sample))}


@pytest.fixture(scope="module")
def chosen(sample: kga.Source) -> dict[str, str]:
    """The municipality and the event mentioned in most releases of the sample, and its commonest year."""
    munis = sample.frame("organisations", {"class": "Municipality"})
    events = sample.frame("events")
    years = sample.frame("documents")["datePublished"].dropna().str[:4]
    return {
        "municipality": munis.groupby("org")["document"].nunique().sort_values(kind="stable").index[-1],
        "event": events.groupby("event")["document"].nunique().sort_values(kind="stable").index[-1],
        "year": years.value_counts().index[0],
    }


def _documents(store_path: Path, where: str, bindings: dict[str, Any]) -> set[str]:
    """The documents matching a pattern, asked of the store directly (not through the saved queries)."""
    store = kgstore.open_read(store_path)
    text = f"SELECT DISTINCT ?d {' '.join('?' + k for k in bindings)} WHERE {{ {where} }}"  # bound: projected
    return {s["d"].value for s in kgstore.query(store, text, bindings)}


# What each filter keeps of each section: a column's value, or else the rows' press releases.
NATIVE = {
    ("events", "year"): "startDate",
    ("speakers", "year"): "topicStart",
    ("municipality-speakers", "year"): "conferenceStart",
    ("documents", "year"): "datePublished",
    ("speakers", "municipality"): "org",
    ("people", "municipality"): "org",
    ("projects", "municipality"): "org",
    ("municipality-speakers", "municipality"): "municipality",
    ("events", "event"): "event",
    ("speakers", "event"): "topic",
    ("municipality-speakers", "event"): "event",
    ("quotes", "municipality"): "org",
    ("quotes", "event"): "topic",
}


def keeps(name: str, which: str, value: str, store_path: Path) -> Callable[[pd.Series], bool]:
    """Whether a row of section `name` lies inside filter `which` = `value`, by the store itself."""
    column = NATIVE.get((name, which))
    if column and which == "year":
        return lambda row: isinstance(row[column], str) and row[column].startswith(value)
    if column:
        return lambda row: row[column] == value
    if which == "year":
        where = "?d <https://schema.org/datePublished> ?p FILTER(YEAR(?p) = ?y)"
        docs = _documents(store_path, where, {"y": Literal(value, datatype=XSD_INTEGER)})
    else:
        docs = _documents(store_path, "?d <https://schema.org/mentions> ?e", {"e": NamedNode(value)})
    assert docs
    return lambda row: row["document"] in docs


def _rows(df: pd.DataFrame, columns: list[str]) -> list[tuple[Any, ...]]:
    return sorted(tuple("" if pd.isna(v) else v for v in r) for r in df[columns].itertuples(index=False))


@pytest.mark.parametrize("which", ["municipality", "year", "event"])
def test_every_section_honours_the_filter(
    which: str,
    sample: kga.Source,
    everything: dict[str, kga.Section],
    chosen: dict[str, str],
    regeringen_store_path: Path,
) -> None:
    """Each section keeps exactly the rows of the unfiltered answer inside the filter: none outside it."""
    filters = kga.resolve_filters(sample, **{which: chosen[which]})
    assert filters.ok, filters.problems
    inside = 0
    for s in kga.sections(sample, filters):
        name = s.query.name
        assert [a.filter for a in s.applied] == [which] and s.not_applied == [], name
        assert len(s.describe_filters(filters)) == 1, name  # one line saying what the filter keeps
        if s.skipped:
            assert (name, which) == ("mentions-of", "year"), s.skipped  # needs an entity the year cannot give
            continue
        assert s.df is not None
        if name == "mentions-of":  # runs only with an entity: the municipality's or event's own mentions
            assert set(s.df["document"]) == _documents(
                regeringen_store_path, "?d <https://schema.org/mentions> ?e", {"e": NamedNode(chosen[which])}
            )
            inside += 1
            continue
        keep = keeps(name, which, chosen[which], regeringen_store_path)
        whole = everything[name].df
        assert whole is not None
        columns = [c for c in whole.columns if c not in s.params]  # not the parameters' echoes
        expected = whole[whole.apply(keep, axis=1)] if len(whole) else whole
        assert _rows(s.df, columns) == _rows(expected, columns), name
        if len(whole):
            assert len(expected) < len(whole), f"{name}: no row of the sample lies outside {which}"
        inside += bool(len(s.df))
    assert inside >= 3  # the filter selected something in several sections, so the checks above bit


def test_a_section_without_documents_says_why_in_one_line(
    regeringen_store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chosen: dict[str, str]
) -> None:
    """A saved query whose rows name no press release cannot be filtered by year, and its section says so."""
    folder = tmp_path / "queries"
    folder.mkdir()
    (folder / "documents.rq").write_text((QUERIES / "documents.rq").read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "types.rq").write_text(
        "#+ title: Types\nSELECT ?type (COUNT(*) AS ?n) WHERE { ?x a ?type } GROUP BY ?type ORDER BY ?type\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("KG_QUERIES", str(folder))
    source = kga.open_source(store=regeringen_store_path)
    filters = kga.resolve_filters(source, year=chosen["year"])
    found = {s.query.name: s for s in kga.sections(source, filters)}
    types = found["types"]
    assert types.applied == [] and types.df is not None and len(types.df) > 5
    assert types.describe_filters(filters) == ["Not filtered by year: its rows name no press release to select by."]
    assert [a.param for a in found["documents"].applied] == ["year"]


def test_the_network_is_laid_out_without_scipy_above_500_nodes(monkeypatch: pytest.MonkeyPatch) -> None:
    import networkx as nx

    base = "https://example.org/"
    graph = nx.Graph()
    for hub in range(12):  # 12 organisations, 59 people each: 720 nodes
        org = f"{base}id/org/o{hub}"
        graph.add_node(org, kind="organisation", label=f"Organisation {hub}")
        for i in range(59):
            person = f"{base}id/person/p{hub}-{i}"
            graph.add_node(person, kind="person", label=f"Person {hub}-{i}")
            graph.add_edge(person, org)
    monkeypatch.setitem(sys.modules, "scipy", None)  # as on a machine without scipy
    with pytest.raises(ImportError):
        nx.spring_layout(graph)  # what the report did before
    fig = kgf.network_figure(graph)
    assert f"{kgf.NODES} of 720 nodes" in fig.axes[0].get_title()
    drawn = kgf.best_connected(graph, kgf.NODES)
    assert drawn.number_of_nodes() == kgf.NODES
    assert nx.is_connected(drawn)  # grown from the hub, not scattered
    assert kgf.png(fig).startswith(b"\x89PNG")


def test_the_network_drawn_does_not_depend_on_the_hash_seed() -> None:
    """The same data gives the same picture in every process (a subgraph view lists nodes in set order)."""
    code = (
        "import hashlib, networkx as nx\n"
        "from kg import figures as kgf\n"
        "g = nx.Graph()\n"
        "for i in range(300):\n"
        "    g.add_node(f'p{i}', kind='person', label=f'P {i}')\n"
        "    g.add_node(f'o{i % 40}', kind='organisation', label=f'O {i % 40}')\n"
        "    g.add_edge(f'p{i}', f'o{i % 40}')\n"
        "print(hashlib.sha256(kgf.png(kgf.network_figure(g))).hexdigest())\n"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", code], env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True
        ).stdout
        for seed in ("1", "2")
    }
    assert len(digests) == 1 and len(digests.pop()) == 65


def test_figures_stay_bounded_whatever_they_are_fed() -> None:
    events = pd.DataFrame(
        {
            "event": [f"e{i}" for i in range(1000)],
            "eventName": [f"Konferens {i}" for i in range(1000)],
            "startDate": [f"20{10 + i % 15}-0{1 + i % 9}-1{i % 10}" for i in range(1000)],
            "endDate": [None] * 1000,
            "placeName": ["Västerås"] * 1000,
            "document": [f"d{i % 300}" for i in range(1000)],
        }
    )
    fig = kgf.timeline_figure(events)
    assert len(fig.axes[0].get_yticks()) == kgf.EVENTS
    assert "of 1,000 dated events" in fig.axes[0].get_title()
    rows = pd.DataFrame(
        {
            "municipality": [f"m{i % 90}" for i in range(2000)],
            "municipalityName": [f"Kommun {i % 90}" for i in range(2000)],
            "event": [f"e{i % 70}" for i in range(2000)],
            "conferenceName": [f"Konferens {i % 70}" for i in range(2000)],
            "conferenceStart": ["2024-05-01"] * 2000,
            "person": [f"p{i}" for i in range(2000)],
        }
    )
    conferences = kgf.municipality_conference_figure(rows)
    assert 0 < len(conferences.axes[0].get_xticks()) <= kgf.CONFERENCES
    assert 0 < len(conferences.axes[0].get_yticks()) <= kgf.MUNICIPALITIES
    assert f"the {kgf.CONFERENCES} conferences with most speakers, of 70" in conferences.axes[0].get_title()
    for figure in (fig, conferences):
        width, height = figure.get_size_inches()
        assert width <= kgf.MAX_INCHES[0] and height <= kgf.MAX_INCHES[1]


@pytest.fixture(scope="module")
def report(regeringen_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """`kg report` on the sample, with no filter, as its own process: its exit code, stderr and files."""
    out = tmp_path_factory.mktemp("sample-report") / "report.html"
    command = ["report", "--store", str(regeringen_store_path), "--out", str(out), "--rows", str(ROWS)]
    run = subprocess.run(
        [sys.executable, "-c", "from kg.cli import main; main()", *command],
        capture_output=True,
        text=True,
        timeout=300,
    )
    return {"run": run, "out": out, "html": out.read_text(encoding="utf-8") if out.exists() else ""}


def test_the_report_runs_with_a_quiet_kernel(report: dict[str, Any]) -> None:
    run = report["run"]
    assert run.returncode == 0, run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"wrote {report['out']}"), run.stderr  # no kernel warning
    assert "(9 tables, 3 figures; whole answers in " in lines[0]


def test_the_report_is_bounded_and_links_the_whole_answers(
    report: dict[str, Any], everything: dict[str, kga.Section]
) -> None:
    html_text, out = report["html"], report["out"]
    assert len(html_text.encode()) < 1_500_000
    pattern = r'<p class="kg-count" data-shown="(\d+)" data-total="(\d+)">(.*?)</p>\s*<table [^>]*data-query="([^"]+)"'
    found = re.findall(pattern + r"([\s\S]*?)</table>", html_text)
    tables = [name for *_, name, _ in found]
    assert tables == [name for name, s in everything.items() if s.df is not None]
    for shown, total, text, name, table in found:
        whole = everything[name].df
        assert whole is not None and int(total) == len(whole), name
        assert int(shown) == min(ROWS, len(whole)) == table.count("<tr>"), name
        if len(whole) > ROWS:
            assert f"Showing the first {ROWS} of {len(whole):,} rows" in text
        if len(whole):
            assert f'href="report_tables/{name}.csv"' in text
        csv = out.parent / "report_tables" / f"{name}.csv"
        assert len(pd.read_csv(csv, dtype=str, keep_default_na=False)) == len(whole), name
    assert sum(len(everything[n].df) > ROWS for n in tables) >= 5  # most tables were cut
    for data in re.findall(r'src="data:image/png;base64,([^"]+)"', html_text):
        width, height = struct.unpack(">II", base64.b64decode(data)[16:24])
        assert width <= kgf.MAX_INCHES[0] * 100 and height <= kgf.MAX_INCHES[1] * 100


def test_the_report_draws_a_network_of_more_than_500_nodes(report: dict[str, Any], sample: kga.Source) -> None:
    graph = kgf.network_graph_for(sample, kga.resolve_filters(sample))
    assert graph.number_of_nodes() > 500
    assert f"{kgf.NODES} of {graph.number_of_nodes():,} nodes" in kgf.network_figure(graph).axes[0].get_title()
    assert 'id="figure-network"' in report["html"]
    after = report["html"].split('id="figure-network"', 1)[1].split("<h3", 1)[0]
    assert 'src="data:image/png;base64,' in after


def test_a_table_without_a_server_or_folder_still_says_how_many(sample: kga.Source) -> None:
    table = kgt.Table(sample.frame("documents"), sample, rows=5)
    html_text = table.to_html()
    assert f"Showing the first 5 of {len(table.df):,} rows" in html_text
    assert html_text.count("<tr>") == 5 and "The whole answer" not in html_text
