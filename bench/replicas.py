"""Read-only replicas of one store behind nginx, as docs/scaling.md sets them up, checked and timed.

    python bench/replicas.py --store STORE --replicas 2 [--duration 4]

Copies the store folder into `--replicas` folders (as `rsync` would to other hosts), starts one
`kg serve --store COPY` per copy on loopback, and nginx in front of them with the upstream block of
docs/scaling.md (bench/results/replicas/nginx.conf). Then it checks that every replica and nginx give
the same answer and the same ETag to a saved query and to SPARQL, that nginx spread requests over every
replica, and, with `--duration`, runs wrk (keep-alive, one thread) for `ASK {}` against one replica
directly and through nginx, at -c1 and -c8. Prints one JSON object; needs `nginx` and `wrk` on PATH.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KG = str(Path(sys.executable).parent / "kg")
NGINX_CONF = """worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log;
events {{ worker_connections 1024; }}
http {{
    log_format upstream '$upstream_addr $status';
    access_log {prefix}/access.log upstream;
    upstream kg {{
        least_conn;            # a slow SPARQL query keeps one replica busy: send new requests elsewhere
{servers}
        keepalive 32;          # reuse connections to the replicas
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://kg;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_read_timeout 60s;   # above kg serve's --timeout
        }}
    }}
}}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, str, bytes]:
    """Status, ETag and body of a GET (JSON accepted)."""
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status, response.headers.get("ETag", ""), response.read()


def wait_up(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            get(url)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {seconds:.0f} s")


def wrk(url: str, connections: int, duration: float) -> float:
    """Requests per second that wrk reports."""
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{duration:g}s", url], capture_output=True, text=True, check=True
    ).stdout
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--query-workers", type=int, default=1)
    parser.add_argument("--duration", type=float, default=0, help="seconds of wrk per cell (0: no timing)")
    args = parser.parse_args()
    prefix = ROOT / "bench" / "results" / "replicas"
    shutil.rmtree(prefix, ignore_errors=True)
    prefix.mkdir(parents=True)
    ports = [free_port() for _ in range(args.replicas)]
    servers, nginx = [], None
    workers = str(args.query_workers)
    try:
        for n, port in enumerate(ports):
            copy = prefix / f"replica-{n}" / "kg.oxigraph"
            shutil.copytree(args.store, copy, symlinks=True)  # the whole folder: store, views, index, dumps
            log = open(prefix / f"replica-{n}.log", "wb")  # noqa: SIM115
            servers.append(
                subprocess.Popen(
                    [KG, "serve", "--store", str(copy), "--port", str(port), "--query-workers", workers],
                    stdout=log,
                    stderr=log,
                )
            )
        front = free_port()
        upstream = "\n".join(f"        server 127.0.0.1:{port};" for port in ports)
        conf = prefix / "nginx.conf"
        conf.write_text(NGINX_CONF.format(prefix=prefix, servers=upstream, port=front), encoding="utf-8")
        nginx = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(prefix), "-g", "daemon off;"])
        for port in [*ports, front]:
            wait_up(f"http://127.0.0.1:{port}/sparql?query=ASK%7B%7D")
        ask = "/sparql?query=" + urllib.parse.quote("ASK {}")
        count = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
        checks = ["/queries/people?limit=20", "/sparql?query=" + urllib.parse.quote(count)]
        same, etags = {}, {}
        for path in checks:
            answers = {get(f"http://127.0.0.1:{port}{path}")[1:] for port in ports}
            answers |= {get(f"http://127.0.0.1:{front}{path}")[1:] for _ in range(2 * len(ports))}
            same[path] = len(answers) == 1
            etags[path] = sorted({etag for etag, _ in answers})
        (prefix / "access.log").write_text("")
        subprocess.run(["nginx", "-c", str(conf), "-p", str(prefix), "-s", "reopen"], check=True)
        for _ in range(20):
            get(f"http://127.0.0.1:{front}{ask}")
        time.sleep(0.5)
        spread: dict[str, int] = {}
        for line in (prefix / "access.log").read_text().splitlines():
            spread[line.split()[0]] = spread.get(line.split()[0], 0) + 1
        result: dict[str, object] = {
            "replicas": args.replicas,
            "store": str(args.store),
            "same_answer_and_etag": same,
            "etags": etags,
            "requests_per_replica": spread,
            "load_before_timing": "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg()),
        }
        if args.duration:
            for c in (1, 8):
                result[f"ask_c{c}_direct_rps"] = wrk(f"http://127.0.0.1:{ports[0]}{ask}", c, args.duration)
                result[f"ask_c{c}_nginx_rps"] = wrk(f"http://127.0.0.1:{front}{ask}", c, args.duration)
        print(json.dumps(result, indent=1))
    finally:
        if nginx is not None:
            nginx.terminate()
            nginx.wait(timeout=30)
        for server in servers:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
