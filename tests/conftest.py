"""Shared fixtures: the hand-written fixture graph (tests/data/fixture.trig) and a fake extractor."""

from __future__ import annotations

import shutil
import sys
import types
from pathlib import Path

import pytest
from pyoxigraph import NamedNode, Quad, RdfFormat, Store

from kg.load import store_contents
from kg.read import Document, read_document

DATA = Path(__file__).parent / "data"
DOCS = DATA / "docs"
BASE = "https://w3id.org/sv-press-kg/"


def _fixture_dataset() -> Store:
    store = Store()
    store.load(path=str(DATA / "fixture.trig"), format=RdfFormat.TRIG)
    return store


_DATASET = _fixture_dataset()


def fixture_graph(graph: str) -> list[Quad]:
    """The quads of one graph of fixture.trig (IRI relative to BASE)."""
    return list(_DATASET.quads_for_pattern(None, None, None, NamedNode(BASE + graph)))


def fake_document_quads(doc: Document, base: str) -> list[Quad]:
    """Stand-in for kg.emit.document_quads: the fixture graph, or a minimal one for other texts."""
    if "BOOM" in doc.text:
        raise RuntimeError("extractor exploded")
    quads = fixture_graph(f"graph/doc/{doc.doc_id}")
    if quads:
        return quads
    g = NamedNode(f"{base}graph/doc/{doc.doc_id}")
    d = NamedNode(f"{base}res/doc/{doc.doc_id}")
    rdf_type = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    from pyoxigraph import Literal

    return [
        Quad(d, rdf_type, NamedNode("https://schema.org/NewsArticle"), g),
        Quad(d, NamedNode("https://schema.org/headline"), Literal(doc.text.splitlines()[0]), g),
    ]


def fake_reference_quads(base: str) -> list[Quad]:
    """Stand-in for kg.emit.reference_quads: the fixture's reference graph (default base only)."""
    return fixture_graph("graph/reference") if base == BASE else []


@pytest.fixture
def fake_emit(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    """Install a fake `kg.emit` (only for unit tests of the build machinery).

    Extraction then runs in this process: worker processes would import the real extractor.
    """
    module = types.ModuleType("kg.emit")
    module.document_quads = fake_document_quads  # type: ignore[attr-defined]
    module.reference_quads = fake_reference_quads  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "kg.emit", module)
    monkeypatch.setattr("kg.build.default_workers", lambda: 1)
    return module


def fixture_contents() -> list[Quad]:
    """Every quad a build of tests/data/docs writes, with the fixture as extractor output."""
    docs = [read_document(p) for p in sorted(DOCS.glob("*.txt"))]
    return store_contents(((d, fake_document_quads(d, BASE)) for d in docs), fake_reference_quads(BASE), BASE)


@pytest.fixture(scope="session")
def fixture_store() -> Store:
    """An in-memory store holding the fixture as a build would write it (read-only use)."""
    store = Store()
    store.extend(fixture_contents())
    return store


@pytest.fixture
def docs_dir(tmp_path: Path) -> Path:
    """A copy of tests/data/docs that a test may add bad files to."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for p in DOCS.glob("*.txt"):
        (folder / p.name).write_bytes(p.read_bytes())
    return folder


SEEDS = Path(__file__).parent.parent / "seeds"


@pytest.fixture(scope="session")
def seeds_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real store built from seeds/ once per session (read-only use)."""
    from kg.build import build

    path = tmp_path_factory.mktemp("seeds-store") / "kg.oxigraph"
    build([SEEDS], path)
    return path


REGERINGEN = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "regeringen"
REGERINGEN_STRIDE = 8  # every 8th release by file name: 1,062 of the 8,489, all years 2014-2026


@pytest.fixture(scope="session")
def regeringen_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real store built once per session from a deterministic sample of ../shared/corpus/regeringen (every
    8th release by file name, with the corpus's manifest); skipped where the corpus is absent. ~15 s."""
    if not (REGERINGEN / "manifest.csv").is_file():
        pytest.skip(f"no regeringen corpus at {REGERINGEN}")
    from kg.build import build

    folder = tmp_path_factory.mktemp("regeringen")
    docs = folder / "docs"
    docs.mkdir()
    for path in sorted(REGERINGEN.glob("*.txt"))[::REGERINGEN_STRIDE]:
        shutil.copy(path, docs / path.name)
    shutil.copy(REGERINGEN / "manifest.csv", docs / "manifest.csv")
    store = folder / "kg.oxigraph"
    build([docs], store)
    return store
