"""`kg build` as a user runs it: every phase reports progress (plain lines in logs, a bar on a terminal), and
Ctrl-C stops a build with one line and exit status 130, without worker tracebacks, leaving the previous
store as it was. Real builds in subprocesses; Ctrl-C is SIGINT to the build's whole process group, as a
terminal sends it."""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg import store as kgstore
from kg.progress import Progress

ROOT = Path(__file__).resolve().parents[1]
KG = str(Path(sys.executable).parent / "kg")
PHASES = [
    *("read", "extract", "load", "merge labels", "compact", "search index", "overview", "void", "views", "dumps"),
    "count",
]


@pytest.fixture(scope="module")
def logged_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """`kg build seeds --validate yes` with stderr to a pipe (not a terminal): the store and what it wrote."""
    store = tmp_path_factory.mktemp("progress") / "kg.oxigraph"
    done = subprocess.run(
        [KG, "build", str(ROOT / "seeds"), "--store", str(store), "--validate", "yes", "--workers", "2"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return store, done.stderr


def test_every_phase_announces_itself_in_logs(logged_build: tuple[Path, str]) -> None:
    _, stderr = logged_build
    lines = stderr.splitlines()
    assert "\r" not in stderr and "\033[" not in stderr  # no bar or cursor movement in a log
    starts, ends = [], []
    for phase in [*PHASES, "validate"]:
        start = next(i for i, line in enumerate(lines) if line.startswith(f"{phase}: "))
        end = next(i for i, line in enumerate(lines) if line.startswith(f"{phase}: done in "))
        assert start < end, phase
        starts.append(start)
        ends.append(end)
    assert starts == sorted(starts) and ends == sorted(ends)  # one after the other, in this order
    assert "extract: 5 documents" in lines and "validate: 5 graphs" in lines
    assert any(line.startswith("extract: done in ") and line.endswith(" s (5 documents)") for line in lines)
    assert any(line.startswith("views: done in ") and "queries)" in line for line in lines)


def test_a_bar_on_a_terminal() -> None:
    screen = io.StringIO()
    progress = Progress(screen, tty=True)
    with progress.phase("extract", total=40, unit="documents") as step:
        for _ in range(40):
            step.advance()
            time.sleep(0.003)
    with progress.phase("compact"):
        time.sleep(1.2)  # longer than a tick: the clock is redrawn
    text = screen.getvalue()
    assert "\rextract       [" in text and "] 100%  40/40 documents" in text
    assert "\rextract       done in " in text and " s (40 documents)\033[K\n" in text
    assert text.count("\rcompact       ...") >= 2 and "\rcompact       done in " in text
    assert set(progress.seconds) == {"extract", "compact"} and progress.seconds["compact"] >= 1.2
    silent = io.StringIO()
    with Progress(silent, silent=True).phase("extract", total=3) as step:
        step.advance(3)
    assert silent.getvalue() == ""


def test_ctrl_c_stops_a_build_and_keeps_the_store(logged_build: tuple[Path, str], tmp_path: Path) -> None:
    store, _ = logged_build
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(300):  # 1,500 releases: extraction runs in worker processes for several seconds
        for seed in sorted((ROOT / "seeds").glob("*.txt")):
            shutil.copy(seed, corpus / f"{n:03d}-{seed.name}")
    build = subprocess.Popen(
        [KG, "build", str(corpus), "--store", str(store), "--workers", "2"],
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    seen = []
    assert build.stderr is not None
    for line in build.stderr:
        seen.append(line)
        if line.startswith("extract: "):
            time.sleep(1.0)  # the workers are extracting
            os.killpg(build.pid, signal.SIGINT)
            break
    rest = build.stderr.read()
    assert build.wait(timeout=60) == 130, "".join(seen) + rest
    assert rest == f"interrupted; the store at {store} is unchanged\n", rest  # one line, no tracebacks
    assert kgstore.stats(kgstore.open_read(store))["documents"] == 5  # the previous store answers
    assert kgstore.work_folders(store) == []  # its half-built successor and the spool files are gone
