"""Build inputs an unlucky operator may have: FIFOs, devices, link loops, huge files, non-ASCII names."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from kg.build import build
from kg.read import MAX_BYTES, ReadError, doc_id_for, iter_paths, read_document

TEXT = "Föreningen Tjejzonen bjuder in\n\nAnna Berg, ordförande i Föreningen Tjejzonen, säger att alla är välkomna.\n"


def test_a_fifo_is_skipped_not_waited_on(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "x.txt")
    started = time.monotonic()
    with pytest.raises(ReadError, match="not a regular file"):
        read_document(tmp_path / "x.txt")
    assert time.monotonic() - started < 2


def test_a_link_to_a_device_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    paths = iter_paths([tmp_path])
    with pytest.raises(ReadError, match="not a regular file"):
        read_document(paths[0])


def test_a_file_above_the_size_limit_is_skipped_with_the_reason(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("Anna Berg säger hej. " * (MAX_BYTES // 20 + 10), encoding="utf-8")
    with pytest.raises(ReadError, match="too large"):
        read_document(big)


def test_link_loops_are_reported_not_followed(tmp_path: Path) -> None:
    (tmp_path / "a.txt").symlink_to("b.txt")
    (tmp_path / "b.txt").symlink_to("a.txt")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "up").symlink_to("..")  # a folder loop: must not be walked
    (tmp_path / "ok.txt").write_text(TEXT, encoding="utf-8")
    paths = iter_paths([tmp_path])
    assert sorted(p.name for p in paths) == ["a.txt", "b.txt", "ok.txt"]
    for p in paths:
        if p.name != "ok.txt":
            with pytest.raises(ReadError, match="unreadable"):
                read_document(p)


def test_a_build_over_bad_inputs_keeps_the_good_ones(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "ok.txt").write_text(TEXT, encoding="utf-8")
    os.mkfifo(docs / "fifo.txt")
    (docs / "zero.txt").symlink_to("/dev/zero")
    (docs / "loop.txt").symlink_to("loop.txt")
    summary = build([docs], tmp_path / "store")
    assert summary.documents == 1
    reasons = {p.name: r for p, r in summary.skipped}
    assert set(reasons) >= {"fifo.txt", "loop.txt"} and any("regular" in r for r in reasons.values())


def test_names_without_an_ascii_form_get_distinct_ids(tmp_path: Path) -> None:
    ids = {doc_id_for(Path(n)) for n in ("日本語.txt", "中文.txt", "한국어.txt")}
    assert len(ids) == 3 and all(i.startswith("doc-") for i in ids)
    assert doc_id_for(Path("Åre möte.txt")) == "are-mote"
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "日本語.txt").write_text(TEXT, encoding="utf-8")
    (docs / "中文.txt").write_text(TEXT.replace("Anna", "Karin"), encoding="utf-8")
    assert build([docs], tmp_path / "store").documents == 2


def test_a_killed_build_leaves_nothing_the_next_build_keeps(tmp_path: Path) -> None:
    """kill -9 during a build leaves its work folders; the next build removes them (none of a live build)."""
    import signal
    import subprocess
    import sys

    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(300):
        (docs / f"{i:03}.txt").write_text(TEXT.replace("Anna", f"Anna{i}"), encoding="utf-8")
    store = tmp_path / "kg.oxigraph"
    code = "from kg.cli import main; main()"
    proc = subprocess.Popen([sys.executable, "-c", code, "build", str(docs), "--store", str(store), "--workers", "1"])
    from kg import store as kgstore

    deadline = time.monotonic() + 30
    while not kgstore.work_folders(store) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert kgstore.work_folders(store), "the build made no work folder"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    left = kgstore.work_folders(store)
    assert left  # a killed build cannot clean up after itself
    build([docs], store)
    assert not any(p.exists() for p in left)
    assert kgstore.work_folders(store) == []
