"""`kg build --update` and parallel builds end with the store a full single-process rebuild makes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import store as kgstore
from kg.build import build
from kg.cli import main
from kg.update import stored_checksums, update

ROOT = Path(__file__).parent.parent
SEEDS = ROOT / "seeds"
PROBE = ROOT / "tests" / "data" / "probe" / "docs"


def contents(path: Path) -> list[str]:
    """The store's N-Quads without the build-run records (which differ by time)."""
    dump = kgstore.export(kgstore.open_read(path), "nquads") or b""
    return sorted(line for line in dump.decode().splitlines() if "/id/run/" not in line)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for p in sorted(SEEDS.glob("*.txt")) + sorted(PROBE.glob("*.txt"))[:6]:
        shutil.copy(p, folder / p.name)
    return folder


def test_update_after_change_addition_and_removal_equals_a_rebuild(corpus: Path, tmp_path: Path) -> None:
    store = tmp_path / "kg.oxigraph"
    build([corpus], store, workers=1)
    before = stored_checksums(kgstore.open_read(store), "https://w3id.org/sv-press-kg/")
    files = sorted(corpus.glob("*.txt"))
    files[0].unlink()
    changed = files[1]
    text = changed.read_text(encoding="utf-8").split("\n\n")
    text.insert(1, "– Det här är viktigt, säger Karin Testsson, kommunstyrelsens ordförande i Umeå kommun.")
    changed.write_text("\n\n".join(text), encoding="utf-8")
    shutil.copy(sorted(PROBE.glob("*.txt"))[7], corpus / "new_document.txt")

    summary = update([corpus], store, workers=2)
    assert (summary.changed, summary.removed, summary.documents) == (2, 1, len(before))
    fresh = tmp_path / "fresh.oxigraph"
    build([corpus], fresh, workers=1)
    assert contents(store) == contents(fresh)
    assert any("Karin Testsson" in line for line in contents(store))


def test_an_update_with_nothing_changed_changes_nothing(corpus: Path, tmp_path: Path) -> None:
    store = tmp_path / "kg.oxigraph"
    build([corpus], store, workers=1)
    first = contents(store)
    summary = update([corpus], store)
    assert (summary.changed, summary.removed) == (0, 0)
    assert contents(store) == first


def test_parallel_and_single_process_builds_are_identical(corpus: Path, tmp_path: Path) -> None:
    for name in sorted(PROBE.glob("*.txt"))[6:]:
        shutil.copy(name, corpus / name.name)
    build([corpus], tmp_path / "one", workers=1)
    build([corpus], tmp_path / "two", workers=2)
    assert contents(tmp_path / "one") == contents(tmp_path / "two")


def test_update_cli_and_its_errors(corpus: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    store = tmp_path / "kg.oxigraph"
    missing = runner.invoke(main, ["build", str(corpus), "--store", str(store), "--update"])
    assert missing.exit_code != 0 and "no store at" in missing.output
    assert (
        runner.invoke(main, ["build", str(corpus), "--store", str(store), "--workers", "1", "--silent"]).exit_code == 0
    )
    other_base = runner.invoke(
        main, ["build", str(corpus), "--store", str(store), "--update", "--base", "http://x.org/"]
    )
    assert other_base.exit_code != 0 and "built with base" in other_base.output
    ok = runner.invoke(main, ["build", str(corpus), "--store", str(store), "--update", "--silent"])
    assert ok.exit_code == 0 and "0 new or changed, 0 removed" in ok.output
