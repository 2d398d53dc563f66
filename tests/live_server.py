"""`kg serve` as a real subprocess on a loopback port, for tests that talk to it with real clients.

    port = free_port()
    build([SEEDS], path, base=f"http://127.0.0.1:{port}/")   # so the graph's IRIs dereference here
    with live_server(path, port=port, timeout=5) as base_url:  # "http://127.0.0.1:{port}/"
        ...

Keyword options become `kg serve` flags (`query_workers=2` -> `--query-workers 2`; True -> a bare
flag; None/False -> left out). The server is started in its own session so that it and the query
workers it forks are stopped together, also when the test fails.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def free_port(host: str = HOST) -> int:
    """A TCP port nothing listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def _flags(options: dict[str, object]) -> list[str]:
    args: list[str] = []
    for key, value in options.items():
        flag = "--" + key.replace("_", "-")
        if value is None or value is False:
            continue
        args += [flag] if value is True else [flag, str(value)]
    return args


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except urllib.error.HTTPError:
        return False  # up, but not answering the way it should (yet)
    except OSError:
        return False  # not listening yet


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
    else:
        # the server is gone; stop any query worker it left behind in its session
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)


@contextmanager
def live_server(
    store_path: Path | str,
    port: int | None = None,
    host: str = HOST,
    startup: float = 30.0,
    **options: object,
) -> Iterator[str]:
    """Run `kg serve --store store_path` on host:port until the block ends; yields the base URL.

    Waits until GET /sparql answers 200 (at most `startup` seconds); otherwise fails with the
    server's output. `query_workers` defaults to 2 so that tests do not fork one per core.
    """
    port = port or free_port(host)
    options.setdefault("query_workers", 2)
    cmd = [sys.executable, "-c", "from kg.cli import main; main()", "serve", "--store", str(store_path)]
    cmd += ["--host", host, "--port", str(port), *_flags(options)]
    base_url = f"http://{host}:{port}/"
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

        def output() -> str:
            log.seek(0)
            return log.read().decode("utf-8", errors="replace")

        try:
            deadline = time.monotonic() + startup
            while not _answers(base_url + "sparql"):
                if proc.poll() is not None:
                    raise AssertionError(f"`kg serve` exited with status {proc.returncode}:\n{output()}")
                if time.monotonic() > deadline:
                    raise AssertionError(
                        f"`kg serve` did not answer GET {base_url}sparql within {startup:g} s:\n{output()}"
                    )
                time.sleep(0.1)
            yield base_url
        finally:
            _stop(proc)
