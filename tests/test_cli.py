"""kg.cli through click's CliRunner, with the fake extractor."""

from __future__ import annotations

import csv
import io
import json
import sys
import types

import pytest
from click.testing import CliRunner
from pyoxigraph import RdfFormat, Store

import kg
from kg.cli import main


@pytest.fixture
def built(fake_emit, docs_dir, tmp_path):
    store = tmp_path / "kg"
    result = CliRunner().invoke(main, ["build", str(docs_dir), "--store", str(store), "--silent"])
    assert result.exit_code == 0, result.output
    return store


def run(*args: str) -> types.SimpleNamespace:
    result = CliRunner().invoke(main, list(args))
    return result


@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_help(flag):
    result = run(flag)
    assert result.exit_code == 0 and "build" in result.output and "query" in result.output
    for command in ("build", "query", "queries", "validate", "export", "stats"):
        sub = run(command, flag)
        assert sub.exit_code == 0 and "Example:" in sub.output, command


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and kg.__version__ in result.output


def test_build_summary_and_skips(fake_emit, docs_dir, tmp_path):
    (docs_dir / "empty.txt").write_text("")
    result = run("build", str(docs_dir), "--store", str(tmp_path / "kg"))
    assert result.exit_code == 0, result.output
    assert "2 documents, 1 skipped" in result.stderr
    assert "empty.txt: empty file" in result.stderr
    assert "3 quotes" in result.stderr


def test_build_strict_failure_exit_code(fake_emit, docs_dir, tmp_path):
    (docs_dir / "empty.txt").write_text("")
    result = run("build", str(docs_dir), "--store", str(tmp_path / "kg"), "--strict", "--silent")
    assert result.exit_code != 0 and "empty.txt" in result.output


def test_build_nothing_fails(fake_emit, tmp_path):
    result = run("build", str(tmp_path / "missing"), "--store", str(tmp_path / "kg"))
    assert result.exit_code != 0 and "missing" in result.output


def test_query_json_is_what_the_scorer_parses(built):
    result = run("query", "speakers", "--store", str(built), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    rows = [{k: v.get("value") for k, v in b.items()} for b in data["results"]["bindings"]]
    assert {"personName", "quote"} <= set(data["head"]["vars"])
    assert {r["personName"] for r in rows} == {"Jimmy Jansson", "Anna Berg"}


def test_query_params_csv_and_table(built):
    result = run("query", "events", "--store", str(built), "-p", "year=2018", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["eventName"] for r in rows] == ["Energidagen 2018"]
    table = run("query", "people", "--store", str(built))
    assert table.exit_code == 0 and "Per Ek" in table.stdout and "(4 rows)" in table.stdout


def test_query_sparql_and_file(built, tmp_path):
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s a foaf:Person }"
    result = run("query", "--sparql", q, "--store", str(built), "--format", "json")
    assert json.loads(result.stdout)["results"]["bindings"][0]["n"]["value"] == "4"
    f = tmp_path / "ask.rq"
    f.write_text("ASK { ?s a schema:Event }")
    result = run("query", "--file", str(f), "--store", str(built), "--format", "json")
    assert json.loads(result.stdout)["boolean"] is True


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "nope"], "valid names"),
        (["query", "events", "-p", "colour=red"], "valid parameters"),
        (["query", "events", "-p", "year"], "key=value"),
        (["query"], "exactly one"),
        (["query", "--sparql", "SELEC x"], "syntax"),
        (["query", "events", "-p", "year=abc"], "parameter 'year' expects a year of four digits (e.g. 2018)"),
        (["query", "--sparql", "SELECT * WHERE { ?s ?p "], "syntax error at line 1, column 24 (1:24)"),
    ],
)
def test_query_errors(built, args, message):
    result = run(*args, "--store", str(built))
    assert result.exit_code != 0 and message in result.output
    assert "invalid literal" not in result.output and "u{" not in result.output  # no Python or parser internals


def test_serve_on_a_busy_port_fails_before_saying_it_serves(built):
    """`kg serve` on a port another server listens on: a clear error, never "serving … at" first."""
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run("serve", "--store", str(built), "--port", str(port))
    assert result.exit_code == 1, result.output
    assert f"cannot listen on 127.0.0.1:{port}: Address already in use" in result.output
    assert "choose another --port" in result.output and "serving" not in result.output


def test_missing_store_message(tmp_path):
    result = run("stats", "--store", str(tmp_path / "none"))
    assert result.exit_code == 1 and "run `kg build` first" in result.output


def test_default_store_location(fake_emit, docs_dir, tmp_path, monkeypatch):
    monkeypatch.delenv("KG_STORE", raising=False)
    monkeypatch.chdir(tmp_path)
    assert run("build", str(docs_dir), "--silent").exit_code == 0
    assert (tmp_path / "data" / "kg.oxigraph" / "CURRENT").is_file()
    result = run("query", "contacts", "--format", "json")
    assert result.exit_code == 0 and "anna.berg@vasteras.se" in result.stdout


def test_queries_lists_all(built):
    result = run("queries")
    assert result.exit_code == 0
    for name in ("people", "speakers", "municipality-speakers", "-p year=<year>"):
        assert name in result.output


def test_stats(built):
    result = run("stats", "--store", str(built))
    assert result.exit_code == 0
    assert "documents      2" in result.output and "quotes         3" in result.output


@pytest.mark.parametrize("fmt", ["nquads", "trig", "turtle", "jsonld"])
def test_export(built, tmp_path, fmt):
    out = tmp_path / f"out.{fmt}"
    assert run("export", "--store", str(built), "--format", fmt, "-o", str(out)).exit_code == 0
    fmts = {
        "nquads": RdfFormat.N_QUADS,
        "trig": RdfFormat.TRIG,
        "turtle": RdfFormat.TURTLE,
        "jsonld": RdfFormat.JSON_LD,
    }
    back = Store()
    back.load(path=str(out), format=fmts[fmt])
    assert len(back) > 100
    stdout = run("export", "--store", str(built), "--format", fmt)
    assert stdout.exit_code == 0 and stdout.stdout_bytes == out.read_bytes()


def test_validate_calls_the_validator(built, monkeypatch):
    fake = types.ModuleType("kg.validate")
    fake.validate_store = lambda store, **kw: types.SimpleNamespace(conforms=False, size=len(store))
    fake.format_report = lambda report: f"checked {report.size} quads"
    monkeypatch.setitem(sys.modules, "kg.validate", fake)
    monkeypatch.setattr(kg, "validate", fake, raising=False)
    result = run("validate", "--store", str(built))
    assert result.exit_code == 1 and "checked" in result.output
