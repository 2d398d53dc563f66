"""Wall time and peak memory of one `kg build` (or `kg build --update`), process tree included.

`python bench/build_bench.py --out FILE -- CORPUS --store STORE [kg build options]` runs
`kg build` as a child process, samples the resident memory of it and all its descendants every
0.1 s, and writes wall seconds, peak and final-minute memory and the per-phase `timings:` line that
`kg build` prints, as JSON (also printed). Everything after `--` goes to `kg build` unchanged.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from soak import tree_rss  # noqa: E402

KG = str(Path(sys.executable).parent / "kg")


def measure(args: list[str], interval: float = 0.1) -> dict[str, object]:
    """Run `kg build ARGS`; wall seconds, peak tree RSS, RSS over time and the build's own output."""
    started = time.perf_counter()
    proc = subprocess.Popen([KG, "build", *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak, samples = 0, []
    while proc.poll() is None:
        rss = tree_rss(proc.pid)
        peak = max(peak, rss)
        samples.append((round(time.perf_counter() - started, 1), rss // 2**20))
        time.sleep(interval)
    wall = time.perf_counter() - started
    output = proc.stdout.read() if proc.stdout else ""
    timings = next((line for line in output.splitlines() if "timings" in line), "")
    return {
        "command": " ".join(["kg", "build", *args]),
        "exit": proc.returncode,
        "wall_s": round(wall, 2),
        "peak_mb": peak // 2**20,
        "rss_mb_every_10s": [mb for t, mb in samples if int(t * 10) % 100 == 0],
        "timings": timings.strip(),
        "skipped": sum(1 for line in output.splitlines() if line.startswith("skipped ")),
        "output_tail": output.strip().splitlines()[-3:],
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="append the JSON record to this file")
    parser.add_argument("build_args", nargs=argparse.REMAINDER)
    opts = parser.parse_args()
    args = opts.build_args[1:] if opts.build_args[:1] == ["--"] else opts.build_args
    record = measure(args)
    text = json.dumps(record, ensure_ascii=False)
    print(text)
    if opts.out:
        with opts.out.open("a", encoding="utf-8") as f:
            f.write(text + "\n")
    sys.exit(record["exit"])


if __name__ == "__main__":
    main()
