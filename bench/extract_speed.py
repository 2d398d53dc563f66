"""Extraction time per document on real releases, optionally against another checkout in the same run.

    python bench/extract_speed.py [--docs 1000] [--rounds 3] [--against /path/to/other/checkout]

Reads every 8th release of ../shared/corpus/regeringen (up to --docs), then times `analyse` over
them in a fresh process per round, alternating this checkout and --against, and prints ms/doc per
round and the ratio of medians. Shared machines are noisy: compare ratios from one run.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
CORPUS = HERE.parent / "shared" / "corpus" / "regeringen"
CHILD = """
import sys, time, glob
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from kg.read import read_document
from kg.extract.document import analyse
paths = sorted(glob.glob(sys.argv[2] + '/*.txt'))[::8][: int(sys.argv[3])]
docs = [read_document(Path(p)) for p in paths]
analyse(docs[0])
t = time.perf_counter()
for d in docs:
    analyse(d)
print(1000 * (time.perf_counter() - t) / len(docs))
"""


def per_doc(checkout: Path, n: int) -> float:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(checkout), str(CORPUS), str(n)],
        capture_output=True,
        text=True,
        check=True,
        cwd="/",
    )
    return float(out.stdout.strip())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--against", type=Path)
    args = ap.parse_args()
    ours, theirs = [], []
    for i in range(args.rounds):
        if args.against:
            theirs.append(per_doc(args.against, args.docs))
            print(f"round {i + 1}: {args.against}: {theirs[-1]:.2f} ms/doc", flush=True)
        ours.append(per_doc(HERE, args.docs))
        print(f"round {i + 1}: this checkout: {ours[-1]:.2f} ms/doc", flush=True)
    if args.against:
        print(f"median ratio this/against: {statistics.median(ours) / statistics.median(theirs):.2f}")


if __name__ == "__main__":
    main()
