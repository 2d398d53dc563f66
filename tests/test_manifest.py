"""A folder's manifest (manifest.csv / manifest.json): publication dates, web addresses and publishers
stored on the documents, bad manifests refused by name and row, changed rows picked up by --update."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import store as kgstore
from kg.build import BuildError, build
from kg.cli import main
from kg.queries import registry
from kg.update import update

ROOT = Path(__file__).parent.parent
SEEDS = ROOT / "seeds"
REGERINGEN = ROOT.parent / "shared" / "corpus" / "regeringen"

UNDATED = "Ministern reser till Vilnius\n\nMinistern deltar i försvarsministermötet i Vilnius den 29–30 november.\n"


def documents(store: Path, **params: str) -> dict[str, dict[str, str]]:
    """sourceFile -> the documents query's row (values as strings, datatype of datePublished added)."""
    out = {}
    for s in registry().get("documents").run(kgstore.open_read(store), params):
        row: dict[str, str] = {}
        for name in ("headline", "datePublished", "publisherName", "sourceFile"):
            if s[name] is not None:
                row[name] = s[name].value
        if s["datePublished"] is not None:
            row["datatype"] = s["datePublished"].datatype.value.rsplit("#", 1)[-1]
        out[row["sourceFile"]] = row
    return out


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(UNDATED, encoding="utf-8")
    (docs / "b.txt").write_text("Publicerad 2020-03-02\n\n" + UNDATED.replace("Vilnius", "Riga"), encoding="utf-8")
    (docs / "c.txt").write_text(UNDATED.replace("Vilnius", "Oslo"), encoding="utf-8")
    return docs


def test_manifest_dates_addresses_and_publishers(folder: Path, tmp_path: Path) -> None:
    (folder / "manifest.csv").write_text(
        "file,published,source,publisher,language\n"
        "a.txt,2022-11,https://www.regeringen.se/pressmeddelanden/2022/11/a/,Regeringskansliet,sv\n"
        "b.txt,2021-06-01,,Umeå kommun,sv\n"
        "c.txt,2019,,,sv\n",
        encoding="utf-8",
    )
    store = tmp_path / "kg"
    build([folder], store, workers=1)
    docs = documents(store)
    assert (docs["a.txt"]["datePublished"], docs["a.txt"]["datatype"]) == ("2022-11", "gYearMonth")
    assert docs["a.txt"]["publisherName"] == "Regeringskansliet"
    assert (docs["b.txt"]["datePublished"], docs["b.txt"]["datatype"]) == ("2021-06-01", "date")  # not the text's
    assert docs["b.txt"]["publisherName"] == "Umeå kommun"  # the gazetteer's municipality
    assert (docs["c.txt"]["datePublished"], docs["c.txt"]["datatype"]) == ("2019", "gYear")
    assert set(documents(store, year="2022")) == {"a.txt"}
    graph = kgstore.export(kgstore.open_read(store), "nquads").decode()
    assert "<https://schema.org/url> <https://www.regeringen.se/pressmeddelanden/2022/11/a/>" in graph
    starts = {r["startDate"][:10] for r in _rows(store, "events")}
    assert starts == {"2022-11-29", "2021-11-29", "2019-11-29"}  # "29–30 november" nearest the manifest's date
    result = CliRunner().invoke(main, ["validate", "--store", str(store)])
    assert result.exit_code == 0, result.output


def _rows(store: Path, name: str) -> list[dict[str, str]]:
    return kgstore.rows(registry().get(name).run(kgstore.open_read(store)))[1]


def test_json_manifest(folder: Path, tmp_path: Path) -> None:
    (folder / "manifest.json").write_text(json.dumps([{"file": "a.txt", "published": "2023-02-14"}]), encoding="utf-8")
    build([folder], tmp_path / "kg", workers=1)
    assert documents(tmp_path / "kg")["a.txt"]["datePublished"] == "2023-02-14"


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        ("file,published\na.txt,2022-13\n", "row 2: 'published' must be YYYY, YYYY-MM or YYYY-MM-DD: '2022-13'"),
        ("file,source\na.txt,javascript:alert(1)\n", "row 2: 'source' must be an http(s) address"),
        ("file,source\na.txt,https://a.se/x y\n", "row 2: 'source' must be an http(s) address"),
        ("name,published\na.txt,2022\n", "the header row needs a 'file' column"),
        ("file,published\na.txt,2022\na.txt,2023\n", "row 3: 'a.txt' is listed twice"),
        ("file,published\n../x.txt,2022\n", "row 2: 'file' must be a file name in the manifest's folder"),
    ],
)
def test_a_bad_manifest_stops_the_build_and_keeps_the_store(
    folder: Path, tmp_path: Path, manifest: str, message: str
) -> None:
    store = tmp_path / "kg"
    build([folder], store, workers=1)
    before = kgstore.export(kgstore.open_read(store), "nquads")
    (folder / "manifest.csv").write_text(manifest, encoding="utf-8")
    with pytest.raises(BuildError) as err:
        build([folder], store, workers=1)
    assert str(folder / "manifest.csv") in str(err.value) and message in str(err.value)
    assert kgstore.export(kgstore.open_read(store), "nquads") == before
    result = CliRunner().invoke(main, ["build", str(folder), "--store", str(store)])
    assert result.exit_code != 0 and message in result.output


def test_update_picks_up_a_changed_manifest_row(folder: Path, tmp_path: Path) -> None:
    (folder / "manifest.csv").write_text("file,published\na.txt,2022-11\n", encoding="utf-8")
    store = tmp_path / "kg"
    build([folder], store, workers=1)
    (folder / "manifest.csv").write_text("file,published\na.txt,2023-11\n", encoding="utf-8")
    summary = update([folder], store, workers=1)
    assert summary.changed == 1
    assert documents(store)["a.txt"]["datePublished"] == "2023-11"


@pytest.mark.skipif(not REGERINGEN.exists(), reason="needs ../shared/corpus/regeringen")
def test_the_regeringen_manifest_reads(tmp_path: Path) -> None:
    """The corpus's own manifest (file, published, publisher, language) on a few of its files."""
    docs = tmp_path / "docs"
    docs.mkdir()
    names = sorted(p.name for p in REGERINGEN.glob("*.txt"))[:: len(list(REGERINGEN.glob("*.txt"))) // 5][:5]
    for name in names:
        shutil.copy(REGERINGEN / name, docs / name)
    shutil.copy(REGERINGEN / "manifest.csv", docs / "manifest.csv")
    build([docs], tmp_path / "kg", workers=1)
    rows = documents(tmp_path / "kg")
    assert {(n, rows[n]["datePublished"], rows[n]["publisherName"]) for n in names} == {
        (n, n[:7], "Regeringskansliet") for n in names
    }
