"""The Markdown table of a `serve_bench.py` result: medians over the runs, ratios to oxigraph, CPU per request.

python bench/serve_bench.py --table bench/results/serve-bench-toll-1.json
"""

from __future__ import annotations

import statistics


def _med(cells: list[dict], key: str) -> float:
    return statistics.median(c.get(key, float("nan")) for c in cells)


def table(report: dict) -> str:
    """Markdown table of medians and ratios to oxigraph; CPU µs per request of each server's process tree."""
    servers = ["kg"] + (
        ["kg-base"] if any("kg-base|" in k for r in report["cases"].values() for k in r["cells"]) else []
    )
    head = "| query | in-process ms | c | oxigraph req/s | p50 / p99 ms |"
    rule = "| --- | ---: | ---: | ---: | --- |"
    for name in servers:
        head += f" {name} req/s | p50 / p99 ms | {name}/ox |"
        rule += " ---: | --- | ---: |"
    head += " CPU µs/req " + " / ".join(["ox", *servers]) + " | kg 304 req/s |"
    rule += " --- | ---: |"
    lines = [head, rule]
    for name, rec in report["cases"].items():
        ip = report["in_process"][name]
        ms = ip.get("inlined", ip.get("raw"))["ms"]
        conns = sorted({int(k.split("|c")[1]) for k in rec["cells"]})
        for n in conns:
            ox = rec["cells"].get(f"oxigraph|c{n}")
            if not ox:
                continue
            ox_rps = _med(ox, "rps")
            cols = [name, f"{ms:.2f}", str(n), f"{ox_rps:,.1f}", f"{_med(ox, 'p50'):.2f} / {_med(ox, 'p99'):.2f}"]
            cpu = [f"{_med(ox, 'cpu_us'):,.0f}" if ox_rps else "–"]  # no request completed: no CPU per request
            for server in servers:
                cells = rec["cells"].get(f"{server}|c{n}")
                if not cells:
                    cols += ["", "", ""]
                    cpu.append("")
                    continue
                rps = _med(cells, "rps")
                ratio = f"**{rps / ox_rps:.2f}**" if ox_rps else "∞ (oxigraph: 0 completed)"
                cols += [f"{rps:,.1f}", f"{_med(cells, 'p50'):.2f} / {_med(cells, 'p99'):.2f}", ratio]
                cpu.append(f"{_med(cells, 'cpu_us'):,.0f}" if rps else "–")
            et = rec["cells"].get(f"kg+If-None-Match|c{n}")
            cols += [" / ".join(cpu), f"{_med(et, 'rps'):,.1f}" if et else ""]
            lines.append("| " + " | ".join(cols) + " |")
    loads = report.get("load")
    if loads:
        lines.append("")
        lines.append(
            "Load average (1/5/15 min) at the start, before each run and at the end: "
            + "; ".join("/".join(f"{x:.2f}" for x in load) for load in loads)
        )
    return "\n".join(lines)
