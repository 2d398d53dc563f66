"""Draw the facts of a hand check (docs/regeringen.md) from a built store: rows of the saved queries, at random.

    python docs/handcheck_draw.py STORE CORPUS SEED OUT.json

15 `people`, 10 `organisations`, 15 `speakers` and 10 `events` rows, drawn with `random.Random(SEED)`; a row
whose document `../shared/eval/excluded.py` flags is replaced by the next draw. OUT holds, per fact, its kind,
its document's file and the row's readable columns (not its IRIs), for a reader who has not seen the extractor.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

KINDS = {"people": 15, "organisations": 10, "speakers": 15, "events": 10}
EXCLUDED = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "excluded.py"


def _rows(store: str, kind: str) -> list[dict[str, str]]:
    out = subprocess.run(
        ["kg", "query", kind, "--store", store, "--format", "json"], capture_output=True, text=True, check=True
    ).stdout
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(out)["results"]["bindings"]]


def _hidden(path: Path) -> bool:
    found = subprocess.run([sys.executable, str(EXCLUDED), str(path)], capture_output=True, text=True).stdout
    return not found.startswith("ok")


def main(store: str, corpus: str, seed: int, out: str) -> None:
    from kg.read import doc_id_for

    files = {doc_id_for(p): p for p in sorted(Path(corpus).glob("*.txt"))}
    rng = random.Random(seed)
    facts = []
    for kind, n in KINDS.items():
        rows = sorted(_rows(store, kind), key=lambda r: json.dumps(r, sort_keys=True, ensure_ascii=False))
        taken = 0
        for row in rng.sample(rows, len(rows)):
            path = files.get(row["document"].rsplit("/", 1)[1])
            if taken == n:
                break
            if path is None or _hidden(path):
                continue
            fact = {k: v for k, v in row.items() if not v.startswith(("http://", "https://"))}
            facts.append({"n": len(facts) + 1, "kind": kind, "document": str(path), "fact": fact})
            taken += 1
    Path(out).write_text(json.dumps(facts, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4])
