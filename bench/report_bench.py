"""Time `kg report` with no filter, a year and a municipality, and measure what each run wrote.

    .venv/bin/python bench/report_bench.py /tmp/report_reg --year 2024 --municipality Västerås

Each report runs as its own `kg report` process into OUT/NAME/report.html. Prints a Markdown table:
wall seconds, the HTML's size, the size of its CSV
folder, the tables and figures it holds, the largest table's "showing N of M", and for each
section the filter lines it shows (every section must have one per filter, or say why not);
and the load average before each run. Fails when a report is 3 MB or more, or a section lacks a line.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LIMIT = 3_000_000  # bytes of HTML a report must stay under


def run(store: Path, out: Path, args: list[str], rows: int) -> dict[str, object]:
    """One `kg report` process: its figures and what it wrote."""
    out.parent.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()[0]
    start = time.perf_counter()
    command = [sys.executable, "-c", "from kg.cli import main; main()", "report", "--store", str(store)]
    done = subprocess.run(
        [*command, "--out", str(out), "--rows", str(rows), *args], capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"kg report {' '.join(args)} failed:\n{done.stderr}")
    html = out.read_text(encoding="utf-8")
    folder = out.parent / f"{out.stem}_tables"
    counts = re.findall(r'data-shown="(\d+)" data-total="(\d+)"', html)
    sections = re.split(r'<h2 id="query-', html)[1:]
    lines = [len(re.findall(r"<li>", s.split('<p class="kg-count"')[0])) for s in sections]
    largest = max(counts, key=lambda c: int(c[1]), default=("0", "0"))
    return {
        "args": " ".join(args) or "(no filter)",
        "seconds": seconds,
        "html_mb": len(html.encode()) / 1e6,
        "csv_mb": sum(f.stat().st_size for f in folder.glob("*.csv")) / 1e6,
        "tables": len(counts),
        "figures": html.count('src="data:image/png;base64,'),
        "largest": f"{int(largest[0]):,} of {int(largest[1]):,}",
        "lines": lines,
        "stderr": done.stderr.strip().splitlines(),
        "load": load,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store", type=Path)
    ap.add_argument("--year", default="2024")
    ap.add_argument("--municipality", default="Västerås")
    ap.add_argument("--rows", type=int, default=50)
    ap.add_argument("--out", type=Path, default=None, help="folder for the reports (default: a temporary one)")
    args = ap.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="report-bench-"))
    runs = {
        "all": [],
        "year": ["--year", args.year],
        "municipality": ["--municipality", args.municipality],
    }
    print("| run | wall s | HTML MB | CSV MB | tables | figures | largest table | filter lines | load |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: |")
    failed = []
    for name, extra in runs.items():
        r = run(args.store, out / name / "report.html", extra, args.rows)
        want = 0 if not extra else 1
        lines = r["lines"]
        assert isinstance(lines, list)
        print(
            f"| `{r['args']}` | {r['seconds']:.1f} | {r['html_mb']:.2f} | {r['csv_mb']:.1f} "
            f"| {r['tables']} | {r['figures']} | {r['largest']} | {sum(n == want for n in lines)} of {len(lines)} "
            f"sections | {r['load']:.1f} |"
        )
        if float(r["html_mb"]) * 1e6 >= LIMIT or any(n != want for n in lines):  # type: ignore[arg-type]
            failed.append(name)
        for line in r["stderr"]:  # type: ignore[attr-defined]
            print(f"    {name}: {line}", file=sys.stderr)
    print(f"\nreports in {out}", file=sys.stderr)
    if failed:
        raise SystemExit(f"over {LIMIT:,} bytes or a section without its filter line: {', '.join(failed)}")


if __name__ == "__main__":
    main()
