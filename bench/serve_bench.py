"""HTTP benchmark: `oxigraph serve-read-only` vs `kg serve` on the same store, same queries.

    python bench/serve_bench.py --store bench/results/store-10k --runs 3 --duration 5
    python bench/serve_bench.py --store /tmp/reg --cases toll --conns 1,8 --baseline ../main   # issue 14

Starts both servers on loopback (or uses running ones with --no-start), picks parameter values from
the store (the most quoted municipality, the most mentioned person, ...), measures each query in
process (pyoxigraph Store.query, fully serialised to SPARQL JSON), checks that both servers return
the same number of rows, then loads each server with wrk (one thread, keep-alive, `-c 1` and
`-c 16`, warm-up first) in interleaved order and prints a Markdown table of medians over the runs.
Saved queries go to kg as GET /queries/{name}?param=value and to oxigraph as their SPARQL text with
the parameter values inlined; raw SPARQL goes to kg GET /sparql?query=… and oxigraph GET /query?query=….

`--baseline DIR` also starts `kg serve` from another checkout (its code, this venv) as a third server
in the same interleaved run ("kg-base"), so a change is compared with the code before it under the
same load. Every cell also records the CPU time the server's process tree used per request (the
server and its query workers), which a loaded machine disturbs much less than requests per second.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pyoxigraph import Literal, NamedNode, QueryResultsFormat, Store  # noqa: E402
from serve_table import table  # noqa: E402 - bench/serve_table.py, beside this script

from kg.queries import registry, to_term  # noqa: E402
from kg.store import PREFIXES  # noqa: E402

PRE = "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items())
JSON = "application/sparql-results+json"


@dataclass
class Case:
    """One benchmarked request: a saved query with parameters, or raw SPARQL."""

    name: str
    saved: str | None = None
    params: dict[str, str] = field(default_factory=dict)
    sparql: str = ""  # raw SPARQL, or the saved query with parameters inlined (for oxigraph)
    load: bool = True  # False: too slow for a load test (seconds per request); checked once only

    def kg_path(self) -> str:
        if self.saved:
            return f"/queries/{self.saved}?" + urllib.parse.urlencode(self.params)
        return "/sparql?" + urllib.parse.urlencode({"query": self.sparql})

    def ox_path(self) -> str:
        return "/query?" + urllib.parse.urlencode({"query": self.sparql})


def inline(sparql: str, values: dict[str, NamedNode | Literal]) -> str:
    """The query with each ?param replaced by its term; projected as (term AS ?param)."""
    m = re.search(r"\bSELECT\b(.*?)\bWHERE\b", sparql, flags=re.S | re.I)
    if not m:
        raise ValueError("no SELECT … WHERE")
    head, proj, body = sparql[: m.start(1)], m.group(1), sparql[m.end(1) :]
    for var, term in values.items():
        pat = re.compile(r"\?" + re.escape(var) + r"\b")
        proj = pat.sub(f"({term} AS ?{var})", proj)
        body = pat.sub(str(term), body)
        # a constant in GROUP BY must be an expression: (term)
        body = re.sub(
            r"GROUP BY[^{}]*?(?=ORDER BY|LIMIT|}|$)",
            lambda g, t=str(term): g.group(0).replace(t, f"({t})"),
            body,
            flags=re.S,
        )
    return head + proj + body


def pick(store: Store, sparql: str) -> str:
    """The first value of the first column of a helper query."""
    for sol in store.query(PRE + sparql):
        return sol[0].value
    raise RuntimeError(f"no value for {sparql}")


def make_cases(store: Store, base: str) -> list[Case]:
    """Saved and raw cases with parameters taken from the store."""
    muni = pick(
        store,
        "SELECT ?o WHERE { ?q a schema:Quotation ; schema:sourceOrganization ?o . ?o a kgo:Municipality } "
        "GROUP BY ?o ORDER BY DESC(COUNT(?q)) LIMIT 1",
    )
    person = pick(
        store,
        "SELECT ?p WHERE { ?d schema:mentions ?p . ?p a foaf:Person } GROUP BY ?p ORDER BY DESC(COUNT(?d)) LIMIT 1",
    )
    speaker = pick(
        store,
        "SELECT ?p WHERE { ?q schema:spokenByCharacter ?p } GROUP BY ?p ORDER BY DESC(COUNT(?q)) LIMIT 1",
    )
    coord = pick(
        store,
        "SELECT ?o WHERE { ?x cv:hasParticipant ?o } GROUP BY ?o ORDER BY DESC(COUNT(?x)) LIMIT 1",
    )
    saved = [  # (name, params, load-tested)
        ("contacts", {"person": person}, True),
        ("projects", {"organisation": coord}, True),
        ("documents", {"year": "2019"}, True),
        ("people", {"organisation": muni}, False),
        ("speakers", {"organisation": muni}, False),
        ("municipality-speakers", {"municipality": muni}, False),
        ("quotes", {"person": speaker}, False),
        ("events", {"year": "2019"}, False),
        ("organisations", {"class": "Municipality"}, False),
    ]
    reg = registry()
    cases = []
    for name, params, load in saved:
        q = reg.get(name)
        types = {p.name: p for p in q.params}
        terms = {k: to_term(types[k], v, base) for k, v in params.items()}
        label = name + "?" + ",".join(f"{k}={v.rsplit('/', 1)[-1]}" for k, v in params.items())
        text = "\n".join(line for line in q.sparql.splitlines() if not line.startswith("#"))
        cases.append(Case(label, name, params, inline(text, terms), load))
    raw = {
        "raw: ASK {}": "ASK {}",
        "raw: person name (1 triple)": PRE + f"SELECT ?n WHERE {{ <{person}> foaf:name ?n }}",
        "raw: quotes of a municipality (join)": PRE
        + f"""SELECT ?name ?text ?doc WHERE {{
  ?q a schema:Quotation ; schema:sourceOrganization <{muni}> ; schema:spokenByCharacter ?p ;
     schema:text ?text ; schema:isPartOf ?doc . ?p foaf:name ?name }}""",
        "raw: contacts of a person (saved query text)": next(c for c in cases if c.saved == "contacts").sparql,
        "raw: quotes per organisation (GROUP BY)": PRE
        + "SELECT ?org (COUNT(?q) AS ?n) WHERE { ?q schema:sourceOrganization ?org } "
        + "GROUP BY ?org ORDER BY DESC(?n)",
        "raw: count default graph": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    }
    for label, sparql in raw.items():
        cases.append(Case(label, None, {}, sparql, "count default" not in label))
    return cases


def make_toll_cases(store: Store, base: str) -> list[Case]:
    """The issue-14 set: `ASK {}`, a GROUP BY over memberships (~2 ms), persons ORDER BY name LIMIT 50,
    quotes of a person by a name filter, and two saved queries with a parameter (answered from views)."""
    speaker = pick(
        store,
        "SELECT ?p WHERE { ?q schema:spokenByCharacter ?p } GROUP BY ?p ORDER BY DESC(COUNT(?q)) LIMIT 1",
    )
    name = pick(store, f"SELECT ?n WHERE {{ <{speaker}> foaf:name ?n }} LIMIT 1")
    employer = pick(
        store,
        "SELECT ?o WHERE { ?m a org:Membership ; org:organization ?o } GROUP BY ?o ORDER BY DESC(COUNT(?m)) LIMIT 1",
    )
    reg = registry()
    cases = []
    for saved, params in (("quotes", {"person": speaker}), ("people", {"organisation": employer})):
        q = reg.get(saved)
        types = {p.name: p for p in q.params}
        terms = {k: to_term(types[k], v, base) for k, v in params.items()}
        label = saved + "?" + ",".join(f"{k}={v.rsplit('/', 1)[-1]}" for k, v in params.items())
        text = "\n".join(line for line in q.sparql.splitlines() if not line.startswith("#"))
        cases.append(Case(label, saved, params, inline(text, terms)))
    literal = json.dumps(name, ensure_ascii=False)
    raw = {
        "raw: ASK {}": "ASK {}",
        "raw: GROUP BY over memberships": PRE
        + "SELECT ?org (COUNT(?m) AS ?n) WHERE { ?m org:organization ?org } GROUP BY ?org ORDER BY DESC(?n) LIMIT 20",
        "raw: persons ORDER BY name LIMIT 50": PRE
        + "SELECT ?p ?name WHERE { ?p a foaf:Person ; foaf:name ?name } ORDER BY ?name LIMIT 50",
        "raw: quotes of a person by name filter": PRE
        + "SELECT ?q ?text WHERE { ?q a schema:Quotation ; schema:spokenByCharacter ?p ; schema:text ?text . "
        + f"?p foaf:name ?n FILTER(CONTAINS(?n, {literal})) }}",
    }
    return [*(Case(label, None, {}, sparql) for label, sparql in raw.items()), *cases]


def in_process(store: Store, cases: list[Case], base: str, budget: float, max_runs: int) -> dict[str, dict]:
    """Median ms per case: query + full SPARQL-JSON serialisation; saved queries both ways."""
    out = {}
    reg = registry()
    for c in cases:
        if c.saved:
            q = reg.get(c.saved)
            types = {p.name: p for p in q.params}
            subs = {k: to_term(types[k], v, base) for k, v in c.params.items()}
            from pyoxigraph import Variable

            fns = {
                "substituted": lambda q=q, subs=subs: store.query(
                    q.sparql, substitutions={Variable(k): v for k, v in subs.items()}
                ),
                "inlined": lambda c=c: store.query(c.sparql),
            }
        else:
            fns = {"raw": lambda c=c: store.query(c.sparql)}
        rec: dict = {}
        for form, fn in fns.items():
            times, rows = [], None
            t_end = time.perf_counter() + budget
            while len(times) < max_runs and (not times or time.perf_counter() < t_end):
                t0 = time.perf_counter()
                res = fn()
                body = res.serialize(format=QueryResultsFormat.JSON)
                times.append((time.perf_counter() - t0) * 1000)
                rows = _rows(body)
            rec[form] = {"ms": statistics.median(times), "n": len(times), "rows": rows}
        out[c.name] = rec
        print(
            f"  in-process {c.name}: " + ", ".join(f"{f} {r['ms']:.2f} ms ({r['rows']} rows)" for f, r in rec.items())
        )
    return out


def _rows(body: bytes) -> int:
    data = json.loads(body)
    return len(data["results"]["bindings"]) if "results" in data else 1


def fetch(url: str, headers: dict[str, str] | None = None, timeout: float = 60) -> tuple[int, bytes, dict]:
    req = urllib.request.Request(url, headers={"Accept": JSON, **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read(), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read(), dict(e.headers)


def wait_up(url: str, seconds: float = 60) -> float:
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        try:
            if fetch(url, timeout=2)[0] == 200:
                return time.perf_counter() - t0
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"{url} did not come up in {seconds} s")


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    m = re.match(r"([\d.]+)(us|ms|s)", text)
    return float(m.group(1)) * UNITS[m.group(2)] if m else float("nan")


def wrk(url: str, conns: int, seconds: float, headers: dict[str, str]) -> dict:
    """One wrk run: req/s, p50/p99 ms, errors."""
    cmd = ["wrk", "-t1", f"-c{conns}", f"-d{max(1, round(seconds))}s", "--latency", "--timeout", "30s"]
    for k, v in headers.items():
        cmd += ["-H", f"{k}: {v}"]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    res = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}
    for pct in ("50", "99"):
        m = re.search(rf"^\s+{pct}%\s+(\S+)", out, flags=re.M)
        res[f"p{pct}"] = _ms(m.group(1)) if m else float("nan")
    m = re.search(r"(\d+) requests in", out)
    res["requests"] = int(m.group(1)) if m else 0
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    res["non2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: (.*)", out)
    res["socket_errors"] = m.group(1) if m else ""
    return res


def versions() -> dict[str, str]:
    v = {"python": platform.python_version(), "platform": platform.platform()}
    for pkg in ("pyoxigraph", "oxigraph", "fastapi", "uvicorn", "starlette", "uvloop", "httptools"):
        try:
            v[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            v[pkg] = "-"
    ox = shutil.which("oxigraph", path=str(ROOT / ".venv" / "bin")) or "oxigraph"
    v["oxigraph --version"] = subprocess.run([ox, "--version"], capture_output=True, text=True).stdout.strip()
    v["wrk"] = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    v["cpus"] = str(os.cpu_count())
    return v


def start_servers(
    store: Path, ox_port: int, kg_port: int, kg_workers: int | None, baseline: Path | None = None, base_port: int = 0
) -> list[tuple[str, subprocess.Popen]]:
    """oxigraph, kg and, with `baseline`, kg from that checkout; each in its own session, logs in bench/results."""
    bindir = ROOT / ".venv" / "bin"
    logs = ROOT / "bench" / "results"
    logs.mkdir(parents=True, exist_ok=True)

    def start(name: str, cmd: list[str], cwd: Path = ROOT) -> tuple[str, subprocess.Popen]:
        log = (logs / f"{name}.log").open("w")
        return name, subprocess.Popen(cmd, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    ox = [str(bindir / "oxigraph"), "serve-read-only", "--location", str(store), "--bind", f"127.0.0.1:{ox_port}"]
    servers = [start("oxigraph", ox)]
    workers = ["--query-workers", str(kg_workers)] if kg_workers else []
    kg = [str(bindir / "python"), "-c", "from kg.cli import main; main()", "serve", "--store", str(store)]
    servers.append(start("kg", [*kg, "--port", str(kg_port), *workers]))
    if baseline is not None:  # its own packages first: `-c` and `-m server.worker` put the cwd on sys.path
        servers.append(start("kg-base", [*kg, "--port", str(base_port), *workers], cwd=baseline))
    return servers


def cpu_s(pids: list[int]) -> float:
    """CPU seconds used so far by the processes and their descendants (from /proc)."""
    stats: dict[int, tuple[int, float]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # after the command: state ppid ... utime(12) stime(13), counted from the field after ")"
        stats[int(entry)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"))
    tree = set(pids)
    for _ in range(3):
        tree |= {pid for pid, (ppid, _) in stats.items() if ppid in tree}
    return sum(stats[p][1] for p in tree if p in stats)


def settle(pids: list[int], limit: float = 90.0) -> float:
    """Wait until the servers are idle (queries a closed client left running have finished)."""
    t0 = time.perf_counter()
    prev = cpu_s(pids)
    while time.perf_counter() - t0 < limit:
        time.sleep(1.0)
        now = cpu_s(pids)
        if now - prev < 0.05:
            break
        prev = now
    return time.perf_counter() - t0


def rss_mb(pid: int) -> float:
    """RSS of a process and its children (MB)."""
    out = subprocess.run(
        ["ps", "-o", "rss=", "--ppid", str(pid), "-p", str(pid)], capture_output=True, text=True
    ).stdout
    return sum(int(x) for x in out.split()) / 1024


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--duration", type=float, default=5.0, help="seconds per wrk cell")
    ap.add_argument("--warmup", type=float, default=1.0, help="seconds of wrk warm-up per cell")
    ap.add_argument("--conns", default="1,16")
    ap.add_argument("--ox-port", type=int, default=7878)
    ap.add_argument("--kg-port", type=int, default=8765)
    ap.add_argument("--kg-workers", type=int, default=None)
    ap.add_argument("--no-start", action="store_true", help="use servers already running on the ports")
    ap.add_argument("--baseline", type=Path, help="also serve with the kg code of this checkout (kg-base)")
    ap.add_argument("--base-port", type=int, default=8766)
    ap.add_argument("--cases", choices=["issue6", "toll"], default="issue6", help="toll: the issue-14 set")
    ap.add_argument("--only", default="", help="comma-separated substrings of case names")
    ap.add_argument("--budget", type=float, default=3.0, help="seconds per in-process measurement")
    ap.add_argument("--in-process-only", action="store_true")
    ap.add_argument("--table", type=Path, metavar="JSON", help="only print the table of a saved result file")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "serve-bench.json")
    a = ap.parse_args(argv)
    if a.table:
        print(table(json.loads(a.table.read_text(encoding="utf-8"))))
        return 0
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so the servers are stopped

    store = Store.read_only(str(a.store))
    base = "https://w3id.org/sv-press-kg/"
    cases = make_toll_cases(store, base) if a.cases == "toll" else make_cases(store, base)
    if a.only:
        cases = [c for c in cases if any(s in c.name for s in a.only.split(","))]
    report: dict = {
        "versions": versions(),
        "store": str(a.store),
        "cases": {},
        "args": {k: str(v) if isinstance(v, Path) else v for k, v in vars(a).items()},
    }
    print("versions:", json.dumps(report["versions"]))
    print("in-process latency (pyoxigraph, median):")
    report["in_process"] = in_process(store, cases, base, a.budget, 50)
    del store
    if a.in_process_only:
        print(json.dumps(report["in_process"], indent=1))
        return 0

    kg_paths = {"oxigraph": Case.ox_path, "kg": Case.kg_path, "kg-base": Case.kg_path}
    urls = {"oxigraph": f"http://127.0.0.1:{a.ox_port}", "kg": f"http://127.0.0.1:{a.kg_port}"}
    if a.baseline:
        urls["kg-base"] = f"http://127.0.0.1:{a.base_port}"
        report["versions"]["baseline"] = (
            f"{a.baseline} at "
            + subprocess.run(
                ["git", "-C", str(a.baseline), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
            ).stdout.strip()
        )
    report["versions"]["kg commit"] = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    procs: dict[str, subprocess.Popen] = {}
    report["load"] = [load_average()]
    try:
        if not a.no_start:
            procs = dict(start_servers(a.store, a.ox_port, a.kg_port, a.kg_workers, a.baseline, a.base_port))
        ask = urllib.parse.quote("ASK {}")
        report["first_response_s"] = {
            name: wait_up(url + ("/query" if name == "oxigraph" else "/sparql") + f"?query={ask}")
            for name, url in urls.items()
        }
        # correctness: same rows from every server; ETag of the kg saved queries
        for c in cases:
            rec: dict = {"cells": {}, "single_ms": {}, "rows": {}}
            for name, url in urls.items():
                t0 = time.perf_counter()
                status, body, headers = fetch(url + kg_paths[name](c), timeout=120)
                rec["single_ms"][name] = (time.perf_counter() - t0) * 1000
                rec["rows"][name] = _rows(body) if status == 200 else f"HTTP {status}: {body[:300]!r}"
                if name == "kg":
                    rec["etag"] = headers.get("ETag") or headers.get("etag")
            report["cases"][c.name] = rec
            print(f"  check {c.name}: rows {rec['rows']}, ms {rec['single_ms']}", flush=True)
        conns = [int(x) for x in a.conns.split(",")]
        for run in range(a.runs):
            report["load"].append(load_average())
            for c in (c for c in cases if c.load):
                targets = [(name, url + kg_paths[name](c), {}) for name, url in urls.items()]
                etag = report["cases"][c.name].get("etag")
                if c.saved and etag:
                    targets.append(("kg+If-None-Match", urls["kg"] + c.kg_path(), {"If-None-Match": etag}))
                for n in conns:
                    for server, url, extra in targets:
                        headers = {"Accept": JSON, **extra}
                        if a.warmup:
                            wrk(url, n, a.warmup, headers)
                        tree = [procs[server.split("+")[0]].pid] if procs else []
                        before = cpu_s(tree)
                        r = wrk(url, n, a.duration, headers)
                        r["settle_s"] = settle(list(p.pid for p in procs.values())) if procs else 0.0
                        r["cpu_us"] = (cpu_s(tree) - before) / max(1, r["requests"]) * 1e6 if tree else float("nan")
                        report["cases"][c.name]["cells"].setdefault(f"{server}|c{n}", []).append(r)
                        print(
                            f"run {run + 1} {c.name:<48} {server:<17} c{n:<3} {r['rps']:>9.1f} req/s "
                            f"p50 {r['p50']:.2f} p99 {r['p99']:.2f} ms cpu {r['cpu_us']:.0f} us/req "
                            f"non2xx {r['non2xx']} {r['socket_errors']} settle {r['settle_s']:.0f} s",
                            flush=True,
                        )
        report["load"].append(load_average())
        report["rss_mb"] = {name: rss_mb(p.pid) for name, p in procs.items()}
    finally:
        for p in procs.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(p.pid, signal.SIGTERM)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(report, indent=1, ensure_ascii=False))
    print(table(report))
    return 0


def load_average() -> list[float]:
    """The machine's load average (1, 5, 15 minutes) now."""
    return [round(x, 2) for x in os.getloadavg()]


if __name__ == "__main__":
    raise SystemExit(main())
