"""`kg build --update` and parallel builds end with the store a full single-process rebuild makes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import entity
from kg import store as kgstore
from kg.build import build
from kg.cli import main
from kg.update import stored_checksums, update

ROOT = Path(__file__).parent.parent
SEEDS = ROOT / "seeds"
PROBE = ROOT / "tests" / "data" / "probe" / "docs"
BASE = "https://w3id.org/sv-press-kg/"


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
    # the new membership is labelled, and the person's summary reads its role and organisation from the update
    labels = [line for line in contents(store) if "/id/membership/" in line and "#prefLabel>" in line]
    assert any('"kommunstyrelsens ordförande, Umeå kommun"@sv' in line for line in labels)
    (role,) = entity.summary(kgstore.open_read(store), BASE + "id/person/karin-testsson").roles.items
    assert (role.role.label, role.organisation.label, role.documents) == (
        "kommunstyrelsens ordförande",
        "Umeå kommun",
        1,
    )


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


def test_spool_files_loaded_while_extraction_runs_give_the_same_store(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kg.build

    for name in sorted(PROBE.glob("*.txt"))[6:]:
        shutil.copy(name, corpus / name.name)
    build([corpus], tmp_path / "one", workers=1)
    loads: list[list[Path]] = []
    real = kgstore.AtomicStore.load_files
    monkeypatch.setattr(kg.build, "SPOOL_SEGMENT", 2000)  # a new spool file every document or two
    monkeypatch.setattr(kgstore.AtomicStore, "load_files", lambda self, nq, nt: loads.append(nq) or real(self, nq, nt))
    build([corpus], tmp_path / "two", workers=2)
    assert len(loads) > 4  # files were loaded one by one as they were finished, then the rest
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


def test_an_update_reads_only_files_whose_size_or_time_changed(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    import kg.update

    store = tmp_path / "kg.oxigraph"
    build([corpus], store, workers=1)
    assert (store / "checksums.json").is_file()
    reads: list[str] = []
    real = kg.update.read_document
    monkeypatch.setattr(kg.update, "read_document", lambda p: reads.append(p.name) or real(p))
    assert update([corpus], store, workers=1).changed == 0
    assert reads == []
    files = sorted(corpus.glob("*.txt"))
    files[2].write_text(files[2].read_text(encoding="utf-8") + "\nEn ny rad.\n", encoding="utf-8")
    stat = files[3].stat()  # touched, same content: read again, found unchanged
    os.utime(files[3], ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    summary = update([corpus], store, workers=1)
    assert summary.changed == 1 and sorted(reads) == sorted([files[2].name, files[3].name])


def test_a_damaged_checksum_cache_only_costs_time(corpus: Path, tmp_path: Path) -> None:
    store = tmp_path / "kg.oxigraph"
    build([corpus], store, workers=1)
    (store / "checksums.json").write_text("{not json", encoding="utf-8")
    changed = sorted(corpus.glob("*.txt"))[1]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nEn ny rad.\n", encoding="utf-8")
    assert update([corpus], store, workers=1).changed == 1
    assert update([corpus], store, workers=1).changed == 0


def test_an_update_killed_midway_converges_to_a_rebuild_when_run_again(corpus: Path, tmp_path: Path) -> None:
    """kill -9 while an update changes many documents; the next update ends where a full rebuild does,
    and no saved query answers from the old views in between."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from kg import views
    from kg.queries import registry
    from kg.update import Journal

    for i in range(40):  # enough documents that the update takes a while
        src = sorted(PROBE.glob("*.txt"))[i % 8]
        (corpus / f"extra_{i:02}.txt").write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    store = tmp_path / "kg.oxigraph"
    build([corpus], store, workers=1)
    assert views.view_file(store, registry().get("people")) is not None
    files = sorted(corpus.glob("extra_*.txt"))
    for f in files[:10]:
        f.unlink()
    for i, f in enumerate(files[10:]):
        extra = f"\n\nKontakt: Person Nummer{i}, 070-{i:03} 11 22\n"
        f.write_text(f.read_text(encoding="utf-8") + extra, encoding="utf-8")
    code = "from kg.cli import main; main()"
    cmd = [sys.executable, "-c", code, "build", str(corpus), "--store", str(store), "--update", "--workers", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    journal = Journal(store).path
    deadline = time.monotonic() + 60
    while not journal.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    time.sleep(0.3)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    killed_midway = journal.exists()
    assert views.view_file(store, registry().get("people")) is None  # never the old views
    update([corpus], store, workers=1)
    assert not journal.exists()
    fresh = tmp_path / "fresh.oxigraph"
    build([corpus], fresh, workers=1)
    assert contents(store) == contents(fresh), f"killed midway: {killed_midway}"
    from kg import overview, search, void  # the sidecars, computed whole after the killed run, match the store

    reader = kgstore.open_read(store)
    assert kgstore.sidecar(store, "search").read_text(encoding="utf-8") == search.from_store(reader).text()
    assert overview.read(store) == overview.compute(reader)
    assert void.load(store) == void.compute(reader)
