"""Docs that state figures get them from a command: bench/regeringen_figures.py builds a corpus, measures it and
rewrites only the generated section of a document, naming no path of the machine it ran on."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from kg import store as kgstore
from kg import views
from kg.queries import registry

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from regeringen_figures import FIGURES_BEGIN, FIGURES_END, FiguresError, rewrite  # noqa: E402

MACHINE_PATH = re.compile(r"(?<![\w.])/(?:tmp|work|home|root|Users|var|opt|mnt)/")


def generated(text: str) -> str:
    return text[text.index(FIGURES_BEGIN) + len(FIGURES_BEGIN) : text.index(FIGURES_END)]


def test_rewrite_replaces_only_the_generated_section() -> None:
    text = f"# Title\n\nBy hand.\n\n{FIGURES_BEGIN}\nold figures\n{FIGURES_END}\n\n## Hand check\n\nBy people.\n"
    new = rewrite(text, "new figures\n")
    assert new == text.replace("old figures", "new figures")
    assert rewrite(new, "new figures") == new
    with pytest.raises(FiguresError):
        rewrite("# No markers\n", "figures")


def test_the_script_writes_the_figures_of_a_build(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    hand = "## Hand check (written by people)\n\n| n | verdict |\n| 1 | right |\n"
    doc.write_text(f"# Seeds\n\n{FIGURES_BEGIN}\n{FIGURES_END}\n\n{hand}", encoding="utf-8")
    store = tmp_path / "store"
    script = str(ROOT / "bench" / "regeringen_figures.py")
    done = subprocess.run(
        [sys.executable, script, "seeds", "--store", str(store), "--doc", str(doc), "--workers", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    text = doc.read_text(encoding="utf-8")
    assert text.endswith(hand)  # the people's part is left as it was
    section = generated(text)
    stats = kgstore.stats(kgstore.open_read(store))
    assert f"| documents built / skipped | {stats['documents']} / 0 |" in section
    assert f"| triples (default graph) | {stats['triples']:,} |" in section
    assert f"| people | {stats['people']:,} |" in section
    for query in registry().list():
        if views.viewable(query):
            assert re.search(rf"^\| `{query.name}` \| [\d,]+ \| ", section, re.M), query.name
    assert "kg build seeds --store STORE" in section and '"Conforms: 5 document graph(s) checked' in section
    for phase in ("extract", "load", "compact", "views"):
        assert re.search(rf"\b{phase} \d+\.\d", section), phase
    assert str(tmp_path) not in text and not MACHINE_PATH.search(section), section


def test_docs_regeringen_has_generated_figures_without_machine_paths() -> None:
    text = (ROOT / "docs" / "regeringen.md").read_text(encoding="utf-8")
    section = generated(text)
    assert "bench/regeringen_figures.py ../shared/corpus/regeringen --store STORE" in section
    assert "| documents built / skipped | 8,489 / 0 |" in section
    assert not MACHINE_PATH.search(section), MACHINE_PATH.search(section)
    before = text[: text.index(FIGURES_BEGIN)]
    assert not MACHINE_PATH.search(before)  # the hand-written parts that precede the hand checks
