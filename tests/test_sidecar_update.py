"""After `kg build --update` the sidecars (search index, overview, VoID statistics) equal a fresh build's,
adjusted from what the update changed rather than computed again from the whole store."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad

from kg import overview, search, search_update, sidecar_update, void
from kg import store as kgstore
from kg.build import build
from kg.progress import Progress
from kg.update import update
from kg.view_update import Changes

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
PROBE = ROOT / "tests" / "data" / "probe" / "docs"
REAL = ROOT / "tests" / "data" / "real" / "batch1" / "docs"  # releases from the regeringen corpus


def sidecars(store: Path) -> dict[str, object]:
    """The sidecar files' contents, without the build times (which must differ)."""
    data = {name: json.loads(kgstore.sidecar(store, name).read_text(encoding="utf-8")) for name in ("overview", "void")}
    for key in ("created", "modified"):
        data["void"].pop(key)  # type: ignore[attr-defined]
    data["search"] = kgstore.sidecar(store, "search").read_text(encoding="utf-8")
    return data


def assert_sidecars_equal(updated: Path, corpus: Path, fresh: Path) -> None:
    """The updated store's sidecars equal what computing them on that store gives, and a fresh build's
    (but for the meta graph's size: the update recorded its own run there)."""
    store = kgstore.open_read(updated)
    assert json.loads(kgstore.sidecar(updated, "void").read_text(encoding="utf-8")) == void.compute(store)
    assert json.loads(kgstore.sidecar(updated, "overview").read_text(encoding="utf-8")) == overview.compute(store)
    del store
    shutil.rmtree(fresh, ignore_errors=True)
    build([corpus], fresh, workers=1)
    a, b = sidecars(updated), sidecars(fresh)
    assert a["void"]["graphs"].pop("meta") > b["void"]["graphs"].pop("meta")  # type: ignore[index]
    for name in ("overview", "void"):
        assert a[name] == b[name], name
    assert a["search"] == b["search"]


def _no_full_compute(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("an update must adjust the sidecars, not compute them whole")

    for module in (search, overview, void):
        monkeypatch.setattr(module, "write", refuse)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for p in sorted(SEEDS.glob("*.txt")) + sorted(PROBE.glob("*.txt"))[:6] + sorted(REAL.glob("*.txt"))[:8]:
        shutil.copy(p, folder / p.name)
    return folder


def test_sidecars_follow_updates_that_add_change_and_remove_documents(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Add, change and remove documents, among them copies of seeds that make a new spelling of a person's
    name the merged label (other entities' notes name it) and that move an event to a new venue, and a
    release from another publisher; then take them away again. After each update every sidecar equals
    a fresh build's, and none was computed whole."""
    store = tmp_path / "kg.oxigraph"
    build([corpus], store, workers=1)
    seeds = {p.name[:3]: p for p in corpus.glob("00*.txt")}
    variant = seeds["003"].read_text(encoding="utf-8").replace("Sjölander", "Sjolander")
    (corpus / "variant.txt").write_text(variant, encoding="utf-8")
    venue = seeds["001"].read_text(encoding="utf-8").replace("Stockholm City Conference Centre", "Svenska Mässan")
    venue = venue.replace("Elmia", "ELMIA")  # the place's label now, and so in the note of the event held there
    (corpus / "venue.txt").write_text(venue, encoding="utf-8")
    real = sorted(corpus.glob("20*.txt"))
    real[0].unlink()
    text = real[1].read_text(encoding="utf-8").split("\n\n")
    text.insert(1, "– Det här är viktigt, säger Karin Testsson, kommunstyrelsens ordförande i Umeå kommun.")
    real[1].write_text("\n\n".join(text), encoding="utf-8")
    for p in sorted(REAL.glob("*.txt"))[8:11]:
        shutil.copy(p, corpus / p.name)
    sorted(corpus.glob("pa*.txt"))[0].unlink()

    with monkeypatch.context() as m:
        _no_full_compute(m)
        summary = update([corpus], store, workers=1)
    assert (summary.changed, summary.removed) == (6, 2)
    assert_sidecars_equal(store, corpus, tmp_path / "fresh")
    index = search.read(store)
    assert index is not None
    assert index.search("sjolander")[0].label == "Andreas Sjolander"
    assert index.search("forum jamstalldhet 2020")[0].note == "2020-02-05, ELMIA"

    (corpus / "variant.txt").unlink()
    (corpus / "venue.txt").unlink()
    for p in sorted(corpus.glob("20*.txt"))[:3]:
        p.unlink()
    with monkeypatch.context() as m:
        _no_full_compute(m)
        update([corpus], store, workers=1)
    assert_sidecars_equal(store, corpus, tmp_path / "fresh")


def test_a_sidecar_missing_or_unreadable_before_the_update_is_computed_whole(corpus: Path, tmp_path: Path) -> None:
    store = tmp_path / "kg.oxigraph"
    build([corpus], store, workers=1)
    kgstore.sidecar(store, "search").write_text("not an index\n", encoding="utf-8")
    overview_text = json.loads(kgstore.sidecar(store, "overview").read_text(encoding="utf-8"))
    del overview_text["publishers_total"]  # as an older version wrote it
    kgstore.sidecar(store, "overview").write_text(json.dumps(overview_text), encoding="utf-8")
    sorted(corpus.glob("*.txt"))[0].unlink()
    progress = Progress(io.StringIO())
    summary = update([corpus], store, workers=1, progress=progress)
    assert summary.removed == 1
    assert_sidecars_equal(store, corpus, tmp_path / "fresh")
    said = progress.stream.getvalue()  # type: ignore[attr-defined]
    assert "search index: done" in said and "(computed)" in said.split("search index: done")[1].split("\n")[0]
    assert "(computed)" in said.split("overview: done")[1].split("\n")[0]
    assert "(adjusted)" in said.split("void: done")[1].split("\n")[0]
    kgstore.sidecar(store, "void").unlink()
    sorted(corpus.glob("*.txt"))[0].unlink()
    update([corpus], store, workers=1)
    assert_sidecars_equal(store, corpus, tmp_path / "fresh")


def test_the_diff_sees_the_graph_before_the_update(corpus: Path, tmp_path: Path) -> None:
    """`Diff` answers for the graph before the update from the store after it and the changes."""
    store_path = tmp_path / "kg.oxigraph"
    build([corpus], store_path, workers=1)
    store = kgstore.open_write(store_path)
    quads = list(store.quads_for_pattern(None, None, None, DefaultGraph()))
    gone, kept = quads[0], quads[1]
    new = next(q for q in quads if q.subject != gone.subject)
    store.remove(gone)
    changes = Changes()
    changes.remove(gone.triple)
    diff = sidecar_update.Diff(store, changes)
    assert diff.exists_before(gone.subject, gone.predicate, gone.object)
    assert not diff.exists_after(gone.subject, gone.predicate, gone.object)
    assert diff.exists_before(kept.subject) and diff.net(gone.subject) == -1
    assert diff.exists_before(o=new.object) and diff.exists_after(o=new.object)


def test_a_new_label_reaches_the_notes_that_name_it(corpus: Path, tmp_path: Path) -> None:
    """Relabel, in the store itself, a place (named in an event's note), an organisation and a role (named
    in people's notes): the adjusted index equals the one collected from the changed store."""
    store_path = tmp_path / "kg.oxigraph"
    build([corpus], store_path, workers=1)
    text = kgstore.sidecar(store_path, "search").read_text(encoding="utf-8")
    store = kgstore.open_write(store_path)
    index = search.Index.parse(text)
    notes = " | ".join(index.hit(n).note for n in range(len(index)))
    changes = Changes()
    renamed = []
    for typ in ("place", "organisation", "role"):
        hit = next(
            index.hit(n)
            for n in range(len(index))
            if index.hit(n).type == typ and index.hit(n).label in notes and index.hit(n).label not in renamed
        )
        renamed.append(hit.label)
        for q in list(store.quads_for_pattern(NamedNode(hit.iri), None, None, DefaultGraph())):
            if q.predicate.value in search.NAME_PREDICATES:
                store.remove(q)
                changes.remove(q.triple)
                new = Quad(q.subject, q.predicate, Literal(q.object.value.upper() + " (ny)"), DefaultGraph())
                store.add(new)
                changes.add(new.triple)
    assert len(renamed) == 3 and len(changes.added) >= 3
    adjusted = search_update.adjusted(text, sidecar_update.Diff(store, changes))
    assert adjusted == search.from_store(store).text()
    notes = [line.split("\t")[4] for line in adjusted.split("\n")[1 : 1 + len(index)]]
    assert any("(ny)" in note for note in notes)


def test_sidecars_are_computed_whole_when_most_of_the_graph_changed(corpus: Path, tmp_path: Path) -> None:
    store_path = tmp_path / "kg.oxigraph"
    build([corpus], store_path, workers=1)
    before = sidecar_update.previous(store_path)
    store = kgstore.open_read(store_path)
    triples = [q.triple for q in store.quads_for_pattern(None, None, None, DefaultGraph())]
    few, most = Changes(removed=set(triples[:10])), Changes(removed=set(triples[: len(triples) // 2]))
    assert set(sidecar_update.write(store, store_path, few, before).values()) == {"adjusted"}
    assert set(sidecar_update.write(store, store_path, most, before).values()) == {"computed"}
    assert set(sidecar_update.write(store, store_path, few, {"search": before["search"]}).values()) == {"computed"}
    assert sidecar_update.previous(store_path) == before  # computed whole from the same store: the same files
