"""Entry point of a query worker process: `python -m server.worker FD STORE ROW_CAP [--writable] [--expect ID]`."""

from __future__ import annotations

import sys
from multiprocessing.connection import Connection

from server.pool import worker_main

if __name__ == "__main__":
    fd, store_path, row_cap = sys.argv[1:4]
    rest = sys.argv[4:]
    expect = rest[rest.index("--expect") + 1] if "--expect" in rest else ""
    worker_main(Connection(int(fd)), store_path, int(row_cap), "--writable" in rest, expect)
