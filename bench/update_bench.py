"""`kg build --update` of one changed document at a time, and whether every saved query is still served from views.

`python bench/update_bench.py --corpus bench/results/corpus-10k --store bench/results/store-10k --work /tmp/upd
[--changes 5] [--out FILE] [--old CHECKOUT [--old-store STORE]] [--check] [--add-remove]` copies the
corpus and the store into WORK and runs one update with nothing changed (untimed: the checksum cache is
keyed by path, so it reads every file once; the copies are synced to disk first), then `--changes`
times appends a sentence to a different document and runs `kg build --update --no-dumps` in a fresh
process, timed from outside (wall seconds, peak memory from /usr/bin/time) and by phase (the command's
own `timings:` line), with the load average before it.
With `--old`, the same is done with the `kg` of another checkout (its folder first on PYTHONPATH) on
its own copies (of `--old-store`, a store that version built, when given), alternately with this one
(which goes first alternates too). With `--check`, this version's sidecars are compared with those
computed from the whole store after each update. With `--add-remove`, one document is then removed,
and added back under another name, an update each.
After each update it checks that every parameter-free saved query has its view, that a query with
each of its parameters is answered from the view, and that `mentions-of` is answered from its index:
`served` counts those answers, and `live` those that would fall back to live SPARQL (none, when the
views survived).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg import store as kgstore  # noqa: E402
from kg import views  # noqa: E402
from kg.queries import registry  # noqa: E402

SENTENCE = "\n\nNy rad om Malmö stad, nummer {i}.\n"
_TIMINGS = re.compile(r"timings: (.*)")


def served_everywhere(store_path: Path) -> tuple[int, list[str]]:
    """(answers read from views or the mentions index, the queries and parameters that were not)."""
    store = kgstore.open_read(store_path)
    entity = next(iter(store.query("SELECT ?e WHERE { ?d <https://schema.org/mentions> ?e } LIMIT 1")))["e"]
    del store
    served, live = 0, []
    for q in registry().list():
        if views.viewable(q):
            ok = views.view_file(store_path, q) is not None
            served, live = (served + 1, live) if ok else (served, [*live, q.name])
            rows = json.loads(views.view_json(store_path, q) or b'{"results":{"bindings":[]}}')["results"]["bindings"]
            for p in q.params:
                cell = next((r[p.filters] for r in rows if p.filters in r), None)
                if cell is None:
                    continue
                term = q.bind({p.name: cell["value"][:4] if p.match == "year" else cell["value"]})
                ok = views.view_json(store_path, q, term) is not None
                served, live = (served + 1, live) if ok else (served, [*live, f"{q.name}?{p.name}"])
        elif {p.name for p in q.params if p.required} == {"entity"}:
            ok = views.view_json(store_path, q, {"entity": entity}) is not None
            served, live = (served + 1, live) if ok else (served, [*live, q.name])
    return served, live


def sidecars_exact(store_path: Path) -> bool:
    """Whether the store's sidecar files equal what computing them from the whole store gives."""
    from kg import overview, search, void

    store = kgstore.open_read(store_path)
    return (
        json.loads(kgstore.sidecar(store_path, "void").read_text(encoding="utf-8")) == void.compute(store)
        and json.loads(kgstore.sidecar(store_path, "overview").read_text(encoding="utf-8")) == overview.compute(store)
        and kgstore.sidecar(store_path, "search").read_text(encoding="utf-8") == search.from_store(store).text()
    )


def load_average() -> str:
    return Path("/proc/loadavg").read_text().split(" ", 1)[0]


def run_update(corpus: Path, store: Path, source: Path | None) -> dict:
    """One `kg build --update --no-dumps` in a new process: the kg of `source` (a checkout's folder) or
    of this one; wall seconds, peak MB, the phases' timings and the load average before it."""
    kg = str(Path(sys.executable).with_name("kg"))
    cmd = ["/usr/bin/time", "-f", "TIME %e %M", kg, "build", str(corpus), "--store", str(store), "--update"]
    env = {**os.environ, "PYTHONPATH": str(source)} if source else None
    load = load_average()
    done = subprocess.run([*cmd, "--no-dumps"], capture_output=True, text=True, check=True, env=env, cwd="/")
    wall, kb = next(line.split()[1:] for line in done.stderr.splitlines() if line.startswith("TIME "))
    timings = _TIMINGS.search(done.stderr)
    row = {"wall_s": float(wall), "peak_mb": int(kb) // 1024, "load": float(load)}
    row["timings"] = timings.group(1) if timings else ""
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--work", type=Path, default=None)
    ap.add_argument("--changes", type=int, default=5)
    ap.add_argument("--out", type=Path)
    ap.add_argument(
        "--old",
        type=Path,
        help="a checkout of another version (its folder): timed on its own copies, alternately with this one",
    )
    ap.add_argument(
        "--old-store",
        type=Path,
        help="the store the --old version starts from (default: --store); one built by that version, when "
        "the two versions keep their views in different forms",
    )
    ap.add_argument(
        "--check",
        action="store_true",
        help="after each update, compare this version's sidecars with the whole store's (untimed)",
    )
    ap.add_argument(
        "--add-remove",
        action="store_true",
        help="then remove one document and add it back under another name, an update each",
    )
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="update-bench-"))
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    versions = {"new": None, **({"old": args.old.resolve()} if args.old else {})}
    stores = {"new": args.store, "old": args.old_store or args.store}
    for name in versions:
        subprocess.run(["cp", "-a", str(args.corpus), str(work / f"corpus-{name}")], check=True)
        subprocess.run(["cp", "-a", str(stores[name]), str(work / f"store-{name}")], check=True)
    os.sync()  # the copies written out: an update's fsync would otherwise wait for gigabytes of them
    for name in versions:  # the checksum cache now knows the copies' paths
        run_update(work / f"corpus-{name}", work / f"store-{name}", versions[name])
    files = sorted(p.name for p in (work / "corpus-new").glob("*.txt"))
    results = []
    for i in range(args.changes):
        target = files[(len(files) // 2 + i * 7919) % len(files)]
        order = list(versions) if i % 2 == 0 else list(reversed(versions))
        for name in order:
            corpus, store = work / f"corpus-{name}", work / f"store-{name}"
            with (corpus / target).open("a", encoding="utf-8") as f:
                f.write(SENTENCE.format(i=i))
            row = {"version": name, "file": target, **run_update(corpus, store, versions[name])}
            row["served"], row["live"] = served_everywhere(store)
            if args.check and name == "new":
                row["sidecars_exact"] = sidecars_exact(store)
            results.append(row)
            print(json.dumps(row, ensure_ascii=False), flush=True)
    if args.add_remove:  # then one document removed, and added back under another name
        target = files[len(files) // 3]
        for step, name_order in (("remove", list(versions)), ("add", list(reversed(versions)))):
            for name in name_order:
                corpus, store = work / f"corpus-{name}", work / f"store-{name}"
                if step == "remove":
                    (corpus / target).rename(work / f"{name}-{target}")
                else:
                    (work / f"{name}-{target}").rename(corpus / f"added-{target}")
                row = {"version": name, "file": f"{step} {target}", **run_update(corpus, store, versions[name])}
                row["served"], row["live"] = served_everywhere(store)
                if args.check and name == "new":
                    row["sidecars_exact"] = sidecars_exact(store)
                results.append(row)
                print(json.dumps(row, ensure_ascii=False), flush=True)
    if args.out:
        args.out.write_text(json.dumps(results, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
