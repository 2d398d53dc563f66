"""`kg build --update` of one changed document at a time, and whether every saved query is still served from views.

`python bench/update_bench.py --corpus bench/results/corpus-10k --store bench/results/store-10k --work /tmp/upd
[--changes 5] [--out FILE]` copies the corpus and the store (with `cp -a`, so the stat cache stays
valid) into WORK, then `--changes` times appends a sentence to a different document and runs
`kg build --update --no-dumps` in a fresh process, timed from outside (wall seconds, peak memory from
/usr/bin/time) and by phase (the command's own `timings:` line). After each update it checks that
every parameter-free saved query has its view, that a query with each of its parameters is answered
from the view, and that `mentions-of` is answered from its index: `served` counts those answers, and
`live` those that would fall back to live SPARQL (none, when the views survived).
"""

from __future__ import annotations

import argparse
import json
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--work", type=Path, default=None)
    ap.add_argument("--changes", type=int, default=5)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="update-bench-"))
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    corpus, store = work / "corpus", work / "store"
    subprocess.run(["cp", "-a", str(args.corpus), str(corpus)], check=True)
    subprocess.run(["cp", "-a", str(args.store), str(store)], check=True)
    files = sorted(corpus.glob("*.txt"))
    results = []
    kg = str(Path(sys.executable).with_name("kg"))
    for i in range(args.changes):
        target = files[(len(files) // 2 + i * 7919) % len(files)]
        with target.open("a", encoding="utf-8") as f:
            f.write(SENTENCE.format(i=i))
        cmd = ["/usr/bin/time", "-f", "TIME %e %M", kg, "build", str(corpus), "--store", str(store), "--update"]
        done = subprocess.run([*cmd, "--no-dumps"], capture_output=True, text=True, check=True)
        wall, kb = next(line.split()[1:] for line in done.stderr.splitlines() if line.startswith("TIME "))
        timings = _TIMINGS.search(done.stderr)
        served, live = served_everywhere(store)
        row = {"file": target.name, "wall_s": float(wall), "peak_mb": int(kb) // 1024, "served": served, "live": live}
        row["timings"] = timings.group(1) if timings else ""
        results.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    if args.out:
        args.out.write_text(json.dumps(results, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
