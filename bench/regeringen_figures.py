"""Build the regeringen store, measure it, and rewrite the generated figures of docs/regeringen.md.

    .venv/bin/python bench/regeringen_figures.py ../shared/corpus/regeringen --store /tmp/reg-store

1. `kg build CORPUS --store STORE --validate no`, as a child process: wall time, peak memory of its
   process tree (bench/build_bench.py), the seconds of each phase, skipped files;
2. the store: its size on disk, `kg stats`, documents of which nothing but the publisher was extracted;
3. every saved query that needs no parameter, as `kg query` answers it (from its materialised view,
   median of 5) and evaluated live by Oxigraph (once), with its rows;
4. `kg validate --store STORE`, as a child process: wall and CPU time (with its workers') and its verdict;

then replaces the text between FIGURES_BEGIN and FIGURES_END in `--doc` (default docs/regeringen.md)
with a section made of those figures; the rest of the file is left as it is. No machine path is
written: the corpus is named relative to the repository (or by its folder name), the store not at all.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from build_bench import measure  # noqa: E402
from query_bench import live_body  # noqa: E402

import kg  # noqa: E402
from kg import store as kgstore  # noqa: E402
from kg import views  # noqa: E402
from kg.queries import registry  # noqa: E402

KG = str(Path(sys.executable).parent / "kg")
FIGURES_BEGIN = "<!-- figures:begin (written by bench/regeringen_figures.py; edits here are overwritten) -->"
FIGURES_END = "<!-- figures:end -->"
NO_FACTS = """SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a schema:NewsArticle
    FILTER NOT EXISTS { ?d schema:mentions ?x FILTER NOT EXISTS { ?d schema:publisher ?x } }
    FILTER NOT EXISTS { ?q schema:isPartOf ?d } }"""  # documents of which nothing but the publisher was extracted


class FiguresError(Exception):
    """A document without the markers, or a command that failed."""


def rewrite(text: str, section: str) -> str:
    """`text` with what lies between the markers replaced by `section`."""
    begin, end = text.find(FIGURES_BEGIN), text.find(FIGURES_END)
    if begin < 0 or end < begin:
        raise FiguresError(f"the document has no '{FIGURES_BEGIN}' ... '{FIGURES_END}' markers")
    return text[: begin + len(FIGURES_BEGIN)] + "\n" + section.strip("\n") + "\n" + text[end:]


def corpus_name(corpus: Path) -> str:
    """The corpus as the docs name it: relative to the repository when beside it, else its folder name."""
    relative = os.path.relpath(corpus.resolve(), ROOT)
    return relative if not relative.startswith("../..") else corpus.resolve().name


def _seconds(value: float) -> str:
    if value < 0.01:
        return f"{value * 1000:.1f} ms"
    if value < 1:
        return f"{value * 1000:.0f} ms"
    if value < 60:
        return f"{value:.1f} s"
    return f"{int(value // 60)} min {value % 60:.0f} s"


def _du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _commit() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True)
    except OSError:
        return "unknown"
    return head.stdout.strip() + (" with uncommitted changes" if dirty.stdout.strip() else "")


def _memory_gb() -> float:
    with open("/proc/meminfo") as f:
        kb = int(next(line for line in f if line.startswith("MemTotal")).split()[1])
    return kb / 2**20


def build(corpus: Path, store: Path, workers: int | None) -> dict:
    args = [str(corpus), "--store", str(store), "--validate", "no"] + (["--workers", str(workers)] if workers else [])
    record = measure(args)
    if record["exit"] != 0:
        raise FiguresError(f"kg build failed: {record['output_tail']}")
    phases = re.findall(r"([a-z ]+?) ([\d.]+) s(?:,|$)", str(record["timings"]).removeprefix("timings: "))
    record["phases"] = [(name.strip(), float(seconds)) for name, seconds in phases]
    return record


def queries(store_path: Path) -> list[dict]:
    """Rows and times of every parameter-free saved query: from its view, and live."""
    store = kgstore.open_read(store_path)
    out = []
    for query in registry().list():
        if not views.viewable(query):
            continue
        samples = []
        for _ in range(5):
            started = time.perf_counter()
            body = views.view_json(store_path, query, {})
            samples.append(time.perf_counter() - started)
        if body is None:
            raise FiguresError(f"the store has no view of {query.name}")
        started = time.perf_counter()
        live = live_body(store, query, {})
        live_s = time.perf_counter() - started
        rows = len(json.loads(body)["results"]["bindings"])
        if rows != len(json.loads(live)["results"]["bindings"]):
            raise FiguresError(f"{query.name}: the view and the live answer differ")
        out.append({"name": query.name, "rows": rows, "view_s": statistics.median(samples), "live_s": live_s})
    return out


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def validate(store: Path) -> dict:
    """`kg validate`: wall and CPU seconds (with its workers'), the load when it started, its verdict."""
    load = os.getloadavg()[0]
    started, cpu = time.perf_counter(), _children_cpu()
    done = subprocess.run([KG, "validate", "--store", str(store), "--silent"], capture_output=True, text=True)
    wall, cpu = time.perf_counter() - started, _children_cpu() - cpu
    verdict = done.stdout.splitlines()[0] if done.stdout else done.stderr.strip()
    return {"wall_s": wall, "cpu_s": cpu, "load": load, "exit": done.returncode, "verdict": verdict}


def measure_all(corpus: Path, store: Path, workers: int | None = None) -> dict:
    load_before = os.getloadavg()
    record = {"build": build(corpus, store, workers)}
    reader = kgstore.open_read(store)
    record["stats"] = kgstore.stats(reader)
    record["no_facts"] = int(next(iter(kgstore.query(reader, NO_FACTS)))["n"].value)
    del reader
    record["size"] = _du(store)
    record["queries"] = queries(store)
    record["validate"] = validate(store)
    record["load"] = (load_before[0], os.getloadavg()[0])
    return record


def section(record: dict, corpus: str) -> str:
    """The generated markdown."""
    b, s = record["build"], record["stats"]
    skipped = b["skipped"]
    lines = [
        f"Measured on {date.today().isoformat()} at commit {_commit()} (kg {kg.__version__}) on a machine with "
        f"{os.cpu_count()} cores and {_memory_gb():.0f} GB of memory, shared with other work: load average "
        f"{record['load'][0]:.1f} at the start, {record['load'][1]:.1f} at the end. Regenerate with",
        "",
        "```sh",
        f".venv/bin/python bench/regeringen_figures.py {corpus} --store STORE",
        "```",
        "",
        f"**Build** (`kg build {corpus} --store STORE --validate no`):",
        "",
        "| figure | value |",
        "| --- | ---: |",
        f"| wall time | {_seconds(b['wall_s'])} |",
        f"| peak memory (the build and its workers) | {b['peak_mb']:,} MB |",
        f"| store on disk | {record['size'] / 2**20:,.0f} MB |",
        f"| documents built / skipped | {s['documents']:,} / {skipped:,} |",
        "| seconds per phase | " + ", ".join(f"{name} {sec:.1f}" for name, sec in b["phases"]) + " |",
        "",
        "**Store** (`kg stats`):",
        "",
        "| figure | value |",
        "| --- | ---: |",
        f"| triples (default graph) | {s['triples']:,} |",
        f"| people | {s['people']:,} |",
        f"| organisations (mentioned) | {s['organisations']:,} |",
        f"| events | {s['events']:,} |",
        f"| quotes | {s['quotes']:,} |",
        f"| documents with no mention (but their publisher) and no quote | {record['no_facts']:,} |",
        "",
        "**Saved queries without parameters**: as `kg query NAME` and `/queries/NAME` answer them (from the "
        "view the build made, median of 5) and evaluated live by Oxigraph (once):",
        "",
        "| query | rows | from its view | live |",
        "| --- | ---: | ---: | ---: |",
    ]
    for q in record["queries"]:
        lines.append(f"| `{q['name']}` | {q['rows']:,} | {_seconds(q['view_s'])} | {_seconds(q['live_s'])} |")
    v = record["validate"]
    lines += [
        "",
        f"**Validation** (`kg validate --store STORE`, {os.cpu_count()} workers): {_seconds(v['wall_s'])} "
        f"({_seconds(v['cpu_s'])} of CPU with its workers; load average {v['load']:.1f} when it started), "
        f'exit status {v["exit"]}: "{v["verdict"]}"',
    ]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--store", type=Path, required=True, help="where to build (replaced)")
    ap.add_argument("--doc", type=Path, default=ROOT / "docs" / "regeringen.md")
    ap.add_argument("--workers", type=int, default=None, help="kg build --workers (default: cores)")
    ap.add_argument("--json", type=Path, help="also write the measurements as JSON")
    args = ap.parse_args()
    text = args.doc.read_text(encoding="utf-8")
    rewrite(text, "")  # the markers are there: fail before the long build
    record = measure_all(args.corpus, args.store, args.workers)
    args.doc.write_text(rewrite(text, section(record, corpus_name(args.corpus))), encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(record, indent=1, default=str), encoding="utf-8")
    print(f"rewrote the figures of {args.doc.name}", file=sys.stderr)


if __name__ == "__main__":
    main()
