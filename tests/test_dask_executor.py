"""`kg build --executor dask` (issue 14): extraction on a Dask LocalCluster of 2 worker processes gives the same
store as a local build of the same 1,000 regeringen releases (sorted N-Quads, apart from the build record);
the errors a user can meet name what is wrong; Ctrl-C stops it like a local build. Marked `dask`
(`pytest -m dask`). Speed is in bench/README.md §10, not here."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import BASE, REGERINGEN, REGERINGEN_STRIDE, SEEDS

from kg import store as kgstore
from kg.build import BuildError, build
from kg.cli import main
from kg.dask_executor import DaskExecutor, OtherCode, extract_batch, kg_fingerprint
from kg.read import read_document

pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from dask_bench import canonical_nquads, sample_corpus  # noqa: E402

KG = str(Path(sys.executable).parent / "kg")
SAMPLE = 1000

pytestmark = [pytest.mark.dask, pytest.mark.slow]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first 1,000 of every 8th regeringen release by file name (2014–2026), with the corpus's manifest."""
    if not (REGERINGEN / "manifest.csv").is_file():
        pytest.skip(f"no regeringen corpus at {REGERINGEN}")
    folder = sample_corpus(REGERINGEN, tmp_path_factory.mktemp("dask-sample") / "docs", SAMPLE, REGERINGEN_STRIDE)
    assert len(list(folder.glob("*.txt"))) == SAMPLE
    return folder


def test_dask_build_on_two_workers_equals_a_local_build(sample: Path, tmp_path: Path) -> None:
    local, dask = tmp_path / "local.oxigraph", tmp_path / "dask.oxigraph"
    options = {"workers": 2, "make_views": False, "make_dumps": False}  # views and dumps: not the executor's
    by_processes = build([sample], local, **options)
    by_dask = build([sample], dask, executor=DaskExecutor(workers=2), **options)
    assert by_dask.documents == by_processes.documents == SAMPLE - len(by_processes.skipped)
    assert [p.name for p, _ in by_dask.skipped] == [p.name for p, _ in by_processes.skipped]
    expected = canonical_nquads(local)
    graphs = {term for line in expected if "/graph/doc/" in (term := line.rsplit(" ", 2)[-2])}
    assert len(expected) > 100_000 and len(graphs) == by_processes.documents
    assert canonical_nquads(dask) == expected
    search_index = (local / "search-index.tsv").read_text(encoding="utf-8")  # written from the store
    assert (dask / "search-index.tsv").read_text(encoding="utf-8") == search_index
    checksums = json.loads((local / "checksums.json").read_text(encoding="utf-8"))  # for a later --update
    assert json.loads((dask / "checksums.json").read_text(encoding="utf-8")) == checksums  # in another order


def test_the_build_record_is_all_that_is_left_out(tmp_path: Path) -> None:
    """canonical_nquads drops only the run; two builds of the same files differ in nothing else, and a
    changed document shows."""
    docs = tmp_path / "docs"
    shutil.copytree(SEEDS, docs)
    first, second = tmp_path / "a.oxigraph", tmp_path / "b.oxigraph"
    build([docs], first, workers=1, make_views=False, make_dumps=False)
    lines = canonical_nquads(first)
    assert sum("<run>" in line for line in lines) == len(list(docs.glob("*.txt")))  # one per document
    assert not any("/id/run/" in line for line in lines)
    seed = sorted(docs.glob("*.txt"))[0]
    seed.write_text(seed.read_text(encoding="utf-8") + "\nTillägg.\n", encoding="utf-8")
    build([docs], second, workers=1, make_views=False, make_dumps=False)
    assert canonical_nquads(second) != lines


def test_a_cluster_started_by_dask_scheduler_and_dask_worker(tmp_path: Path) -> None:
    """`--scheduler ADDRESS` with a cluster started by the commands of docs/scaling.md (one worker process)."""
    address = f"tcp://127.0.0.1:{_closed_port()}"
    dask = str(Path(sys.executable).parent / "dask")
    port = address.rsplit(":", 1)[1]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    scheduler = subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard"], **quiet)
    worker = subprocess.Popen(
        [dask, "worker", address, *("--nworkers", "1", "--nthreads", "1"), "--no-dashboard"], **quiet
    )
    try:
        local, remote = tmp_path / "local.oxigraph", tmp_path / "remote.oxigraph"
        build([SEEDS], local, workers=1, make_views=False, make_dumps=False)
        options = ["--validate", "no", "--no-views", "--no-dumps", "--silent"]
        done = subprocess.run(
            [KG, "build", str(SEEDS), "--store", str(remote), "--executor", "dask", "--scheduler", address, *options],
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert done.returncode == 0, done.stderr
        assert canonical_nquads(remote) == canonical_nquads(local)
    finally:
        for process in (worker, scheduler):
            process.terminate()
            process.wait(timeout=30)


def test_a_worker_with_other_code_refuses_the_batch() -> None:
    """Every task carries the build's checksum of the kg package; a worker whose kg differs (one that joined
    after the build checked the others) fails the task instead of extracting differently."""
    (doc,) = [read_document(p) for p in sorted(SEEDS.glob("*.txt"))[:1]]
    outcomes, nquads, ntriples = extract_batch([doc], BASE, kg_fingerprint())
    assert outcomes[0][1] is None and outcomes[0][0].doc_id == doc.doc_id and nquads.count(b"\n") > 100
    assert ntriples.count(b"\n") == nquads.count(b"\n") and b"/graph/doc/" not in ntriples
    with pytest.raises(OtherCode, match="other code or data of kg"):
        extract_batch([doc], BASE, "0" * 64)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when this returns: nothing listens there


def test_an_unreachable_scheduler_is_named(tmp_path: Path) -> None:
    address = f"tcp://127.0.0.1:{_closed_port()}"
    previous = tmp_path / "kg.oxigraph"
    build([SEEDS], previous, workers=1, make_views=False, make_dumps=False)
    started = time.monotonic()
    with pytest.raises(BuildError, match=f"cannot reach the Dask scheduler at {address}"):
        build([SEEDS], previous, executor=DaskExecutor(address, connect_timeout=2))
    assert time.monotonic() - started < 30
    assert kgstore.stats(kgstore.open_read(previous))["documents"] == 5  # the previous store is kept
    result = CliRunner().invoke(main, ["build", str(SEEDS), "--store", str(tmp_path / "x"), "--scheduler", address])
    assert result.exit_code == 2 and "--scheduler only applies with --executor dask" in result.output


def test_without_dask_installed_the_error_says_how_to_install_it(tmp_path: Path) -> None:
    """A Python in which `distributed` cannot be imported (a None entry in sys.modules, as for a missing package)."""
    code = (
        "import sys; sys.modules['distributed'] = None; from kg.cli import main; "
        f"main(['build', {str(SEEDS)!r}, '--store', {str(tmp_path / 's')!r}, '--executor', 'dask'])"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert (
        "--executor dask needs dask.distributed, which is not installed: pip install 'sv-press-kg[dask]'" in done.stderr
    )
    assert not (tmp_path / "s").exists()


def test_ctrl_c_stops_a_dask_build_and_keeps_the_store(tmp_path: Path) -> None:
    store = tmp_path / "kg.oxigraph"
    build([SEEDS], store, workers=1, make_views=False, make_dumps=False)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(300):  # 1,500 releases: extraction runs on the cluster for several seconds
        for seed in sorted(SEEDS.glob("*.txt")):
            shutil.copy(seed, corpus / f"{n:03d}-{seed.name}")
    build_process = subprocess.Popen(
        [KG, "build", str(corpus), "--store", str(store), "--executor", "dask", "--workers", "2"],
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    seen = []
    assert build_process.stderr is not None
    for line in build_process.stderr:
        seen.append(line)
        if line.startswith("extract: ") and "/1500 documents" in line:  # the workers have delivered
            os.killpg(build_process.pid, signal.SIGINT)
            break
    rest = build_process.stderr.read()
    assert build_process.wait(timeout=60) == 130, "".join(seen) + rest
    assert rest == f"interrupted; the store at {store} is unchanged\n", rest  # one line, no worker tracebacks
    assert kgstore.stats(kgstore.open_read(store))["documents"] == 5
    assert kgstore.work_folders(store) == []
