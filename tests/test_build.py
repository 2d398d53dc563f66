"""kg.build with the fake extractor: bad inputs, extractor failures, atomicity, determinism."""

from __future__ import annotations

import gc
import io
import os
from pathlib import Path

import pytest

from kg import store as kgstore
from kg.build import BuildError, build
from kg.progress import Progress


def dump_sorted(path: Path) -> list[str]:
    store = kgstore.open_read(path)
    lines = sorted(kgstore.export(store, "nquads").decode().splitlines())
    del store
    gc.collect()
    return lines


def without_run(lines: list[str]) -> list[str]:
    return [line for line in lines if "/id/run/" not in line]


def test_build_fixture(fake_emit, docs_dir, tmp_path):
    log = io.StringIO()
    summary = build([docs_dir], tmp_path / "kg", progress=Progress(log, tty=False))
    assert summary.documents == 2 and summary.skipped == []
    assert (summary.people, summary.organisations, summary.events, summary.quotes) == (4, 3, 2, 3)
    assert summary.triples > 100
    extract = [line for line in log.getvalue().splitlines() if line.startswith("extract: ")]
    assert extract[0] == "extract: 2 documents"
    assert extract[-1].startswith("extract: done in ") and extract[-1].endswith(" s (2 documents)")
    assert list(summary.timings) == [
        *("read", "extract", "load", "merge labels", "compact", "search index", "overview", "void", "views"),
        *("dumps", "count"),
    ]


BAD_FILES = {
    "empty.txt": (b"", "empty"),
    "blank.txt": (b"  \n\n", "empty"),
    "binary.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
    "latin1.txt": ("Pressmeddelande från Västerås".encode("latin-1"), "not UTF-8"),
}


def add_bad_files(folder: Path) -> None:
    for name, (data, _) in BAD_FILES.items():
        (folder / name).write_bytes(data)
    (folder / "folder.txt").mkdir()  # unreadable as a file, even for root


def test_bad_files_are_skipped_with_reasons(fake_emit, docs_dir, tmp_path):
    add_bad_files(docs_dir)
    summary = build([docs_dir], tmp_path / "kg")
    assert summary.documents == 2
    reasons = {p.name: r for p, r in summary.skipped}
    assert set(reasons) == {*BAD_FILES, "folder.txt"}
    for name, (_, expected) in BAD_FILES.items():
        assert expected in reasons[name]
    assert "unreadable" in reasons["folder.txt"]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads mode-000 files")
def test_unreadable_file_is_skipped(fake_emit, docs_dir, tmp_path):
    secret = docs_dir / "secret.txt"
    secret.write_text("hemligt")
    secret.chmod(0)
    try:
        summary = build([docs_dir], tmp_path / "kg")
    finally:
        secret.chmod(0o644)
    assert [(p.name, "unreadable" in r) for p, r in summary.skipped] == [("secret.txt", True)]


def test_extractor_failure_is_reported_not_fatal(fake_emit, docs_dir, tmp_path):
    (docs_dir / "boom.txt").write_text("BOOM goes the extractor\n")
    summary = build([docs_dir], tmp_path / "kg")
    assert summary.documents == 2
    [(path, reason)] = summary.skipped
    assert path.name == "boom.txt" and "extractor failed" in reason and "exploded" in reason


@pytest.mark.parametrize("bad", ["empty.txt", "boom.txt"])
def test_strict_failure_keeps_previous_store(fake_emit, docs_dir, tmp_path, bad):
    store = tmp_path / "kg"
    build([docs_dir], store)
    before = dump_sorted(store)
    (docs_dir / "new.txt").write_text("Ett nytt pressmeddelande\n")
    (docs_dir / bad).write_text("BOOM\n" if bad == "boom.txt" else "")
    with pytest.raises(BuildError, match=bad):
        build([docs_dir], store, strict=True)
    assert dump_sorted(store) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "kg"]


def test_nothing_buildable_keeps_previous_store(fake_emit, docs_dir, tmp_path):
    store = tmp_path / "kg"
    build([docs_dir], store)
    before = dump_sorted(store)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_text("")
    with pytest.raises(BuildError, match="no document could be built"):
        build([bad], store)
    assert dump_sorted(store) == before


def test_rebuild_is_identical_apart_from_run_record(fake_emit, docs_dir, tmp_path):
    first = dump_sorted(build([docs_dir], tmp_path / "one").store)
    second = dump_sorted(build([docs_dir], tmp_path / "two").store)
    assert without_run(first) == without_run(second)
    assert len(first) - len(without_run(first)) == 2 + 4  # wasGeneratedBy x2 + run node (4)


def test_duplicate_document_ids_are_skipped(fake_emit, docs_dir, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "000_fixture_a.txt").write_text("Samma namn, annan fil\n")
    summary = build([docs_dir, other], tmp_path / "kg")
    assert summary.documents == 2
    assert [("duplicate document id" in r) for _, r in summary.skipped] == [True]


def test_missing_folder_and_no_files(fake_emit, tmp_path):
    with pytest.raises(BuildError, match="no such file or folder"):
        build([tmp_path / "missing"], tmp_path / "kg")
    (tmp_path / "empty").mkdir()
    with pytest.raises(BuildError, match=r"no \.txt files"):
        build([tmp_path / "empty"], tmp_path / "kg")


def test_base_from_environment(fake_emit, docs_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("KG_BASE", "http://example.org/kg/")
    (docs_dir / "extra.txt").write_text("Rubrik\n")
    # the fixture graphs use the default base, so only the minimal document fits the new base
    summary = build([docs_dir / "extra.txt"], tmp_path / "kg")
    assert summary.documents == 1
    assert any("http://example.org/kg/graph/doc/extra" in line for line in dump_sorted(tmp_path / "kg"))


def test_a_duplicate_documents_facts_stay_out_of_the_store(tmp_path):
    seeds = Path(__file__).parent.parent / "seeds"
    first = sorted(seeds.glob("*.txt"))[0]
    other = tmp_path / "other"
    other.mkdir()
    quote = "\n– Detta är viktigt, säger Karin Testsson, kommunalråd i Umeå kommun.\n"
    text = first.read_text(encoding="utf-8") + quote
    duplicate = other / f"{first.stem}~.txt"  # the same document id; sorts after the seed, so it is the one skipped
    duplicate.write_text(text, encoding="utf-8")
    summary = build([seeds, other], tmp_path / "kg", workers=1)
    assert [(p, "duplicate document id" in r) for p, r in summary.skipped] == [(duplicate, True)]
    dump = kgstore.export(kgstore.open_read(tmp_path / "kg"), "nquads") or b""
    assert b"Testsson" not in dump


def test_a_file_named_by_its_month_is_published_that_month(tmp_path):
    """'2022-11_….txt' with no date in its text: schema:datePublished "2022-11"^^xsd:gYearMonth, found by the
    documents query's year parameter, and the text's '29–30 november' dated 2022; a date in the text wins."""
    from kg.queries import registry

    docs = tmp_path / "docs"
    docs.mkdir()
    body = "Ministern deltar i försvarsministermötet i Vilnius den 29–30 november.\n"
    (docs / "2022-11_ministern-reser.txt").write_text("Ministern reser till Vilnius\n\n" + body, encoding="utf-8")
    (docs / "2021-05_med-datum.txt").write_text(
        "Ministern reser till Riga\n\nPublicerad 2020-03-02\n\n" + body.replace("Vilnius", "Riga"), encoding="utf-8"
    )
    build([docs], tmp_path / "kg", workers=1)
    store = kgstore.open_read(tmp_path / "kg")
    documents = registry().get("documents")
    found = [(s["sourceFile"].value, s["datePublished"]) for s in documents.run(store, {"year": "2022"})]
    assert [(f, d.value, d.datatype.value) for f, d in found] == [
        ("2022-11_ministern-reser.txt", "2022-11", "http://www.w3.org/2001/XMLSchema#gYearMonth")
    ]
    _, rows = kgstore.rows(documents.run(store, {"year": "2020"}))
    assert [r["datePublished"] for r in rows] == ["2020-03-02"]
    _, rows = kgstore.rows(registry().get("events").run(store))
    assert sorted(r["startDate"][:10] for r in rows) == ["2019-11-29", "2022-11-29"]
