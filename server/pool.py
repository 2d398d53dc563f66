"""Queries run in worker processes that can be stopped: hard time and memory limits per query.

pyoxigraph has no query timeout, and a thread cannot be stopped, so each query runs in one of a
few worker processes (`server/worker.py`), each holding the store open read-only. A query that runs
past its time limit, or whose worker grows past its memory limit, has its worker killed and
replaced; the client gets a clear error and the other workers go on answering.

Each worker is started ahead of the requests and has one socket to the server; jobs and answers
cross it as `server.exchange` frames (raw bytes, no pickling), read on the event loop.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from server.exchange import AnswerReader, Job, Outcome, WorkerGone, job_frame, read_answer, send_frame

__all__ = ["Job", "Outcome", "QueryFailed", "QueryPool", "Worker", "prespawn", "store_identity"]

PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


class QueryFailed(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def store_identity(store_path: str | Path) -> str:
    """Which folder is at `store_path` now (device and inode): a rebuild swaps in another one."""
    try:
        st = os.stat(store_path)
    except OSError:
        return ""
    return f"{st.st_dev}:{st.st_ino}"


# ----------------------------------------------------------------------------- server side


class Worker:
    """One worker process (`python -m server.worker`) and the socket to it.

    Until `attach()` the socket is used blocking (`wait_ready`, `ask`: start-up, updates, tests); after
    it, the event loop reads the worker's answers (`reader`) and `QueryPool` sends it jobs."""

    def __init__(
        self, store_path: str, row_cap: int, writable: bool = False, expect: str = "", generation: int = 0
    ) -> None:
        self.store_path, self.row_cap, self.expect, self.generation = store_path, row_cap, expect, generation
        self.sock, theirs = socket.socketpair()
        args = [sys.executable, "-m", "server.worker", str(theirs.fileno()), store_path, str(row_cap)]
        if writable:
            args.append("--writable")
        if expect:
            args += ["--expect", expect]
        self.process = subprocess.Popen(args, pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL)
        theirs.close()
        self.killed_for: str | None = None
        self.reader: AnswerReader | None = None

    @property
    def alive(self) -> bool:
        return self.process.poll() is None and not (self.reader is not None and self.reader.closed)

    def wait_ready(self, timeout: float = 60.0) -> None:
        """Block until the worker has opened the store; QueryFailed if it could not."""
        self.sock.settimeout(timeout)
        try:
            hello = read_answer(self.sock)
        except TimeoutError:
            self.kill("startup")
            raise QueryFailed(503, "a query worker did not start") from None
        except (WorkerGone, OSError):
            self.kill("startup")
            raise QueryFailed(
                503, f"a query worker could not open the store (exit code {self.process.poll()})"
            ) from None
        if hello.kind != "ready":
            self.kill(hello.kind)
            raise QueryFailed(503, f"a query worker refused to start: {hello.message}")

    def ask(self, job: Job, timeout: float) -> Outcome:
        """Run `job` and wait for its answer, blocking (before `attach`); TimeoutError after `timeout` s."""
        self.sock.settimeout(timeout)
        send_frame(self.sock, job_frame(job))
        return read_answer(self.sock)

    async def attach(self) -> None:
        """Hand the socket to the running event loop: from now on answers are read there."""
        loop = asyncio.get_running_loop()
        self.sock.setblocking(False)
        _, self.reader = await loop.create_unix_connection(AnswerReader, sock=self.sock)

    def rss(self) -> int:
        """Resident memory in bytes (0 if the process is gone)."""
        try:
            with open(f"/proc/{self.process.pid}/statm", "rb") as f:
                return int(f.read().split()[1]) * PAGE
        except (OSError, ValueError, IndexError):
            return 0

    def signal_kill(self, reason: str) -> None:
        """Kill the process now, from any thread; its socket closes, which the event loop then sees."""
        self.killed_for = reason
        if self.process.poll() is None:
            with suppress(ProcessLookupError):
                self.process.kill()

    def kill(self, reason: str) -> None:
        """Kill the process, reap it and close the socket (on the event loop's thread once attached)."""
        self.killed_for = self.killed_for or reason
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(5)
        self._close_socket()

    def close(self) -> None:
        """Stop the worker the polite way: its socket closes, it sees the end and exits; killed after 2 s."""
        self._close_socket()
        try:
            self.process.wait(2)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(2)

    def _close_socket(self) -> None:
        transport = self.reader.transport if self.reader is not None else None
        sock = transport.get_extra_info("socket") if transport is not None else self.sock
        with suppress(OSError, AttributeError):  # the worker sees the end now, not when the loop closes the socket
            fd = sock.fileno()  # (uvloop's transport socket has no shutdown(): one on the same descriptor)
            if fd >= 0:
                same = socket.socket(fileno=fd)
                try:
                    same.shutdown(socket.SHUT_RDWR)
                finally:
                    same.detach()
        if transport is not None:
            try:
                transport.close()
                return
            except RuntimeError:  # its event loop has already been closed
                pass
        with suppress(OSError):
            self.sock.close()


_PRESPAWNED: list[Worker] = []


def prespawn(store_path: Path | str, n: int, row_cap: int) -> None:
    """Start `n` workers now, before the web framework is imported; the pool adopts them (faster first answer)."""
    expect = store_identity(store_path)
    _PRESPAWNED.extend(Worker(str(store_path), row_cap, expect=expect) for _ in range(n))


class QueryPool:
    """A fixed number of query workers, handed out to requests one query at a time."""

    def __init__(
        self,
        store_path: Path | str,
        size: int = 2,
        timeout: float = 10.0,
        memory_mb: int = 1024,
        row_cap: int = 100_000,
    ) -> None:
        self.store_path = str(store_path)
        self.size = max(1, size)
        self.timeout = timeout
        self.memory = memory_mb * 1024 * 1024
        self.row_cap = row_cap
        self._idle: asyncio.LifoQueue[Worker] | None = None  # the worker used last goes first: warm caches
        self._busy: set[Worker] = set()
        self._lock = threading.Lock()
        self._started = False
        self._closed = False
        self._watchdog: threading.Thread | None = None
        self.stats = {"timeouts": 0, "memory_kills": 0, "queries": 0, "respawn_failures": 0}
        self.identity = store_identity(self.store_path)
        self.generation = 0
        self.last_respawn_error = ""
        self._refills: set[asyncio.Task[None]] = set()

    # ---- lifecycle
    async def start(self) -> None:
        """Start the workers (idempotent); they open the store read-only."""
        if self._started:
            return
        self._started = True
        self._idle = asyncio.LifoQueue()
        workers = await asyncio.to_thread(self._spawn_many, self.size)
        for w in workers:
            await w.attach()
            self._idle.put_nowait(w)
        self._watchdog = threading.Thread(target=self._watch, name="kg-query-watchdog", daemon=True)
        self._watchdog.start()

    def _new_worker(self) -> Worker:
        return Worker(self.store_path, self.row_cap, expect=self.identity, generation=self.generation)

    def _spawn_many(self, n: int) -> list[Worker]:
        early = [w for w in _PRESPAWNED if (w.store_path, w.row_cap) == (self.store_path, self.row_cap)][:n]
        for w in early:
            _PRESPAWNED.remove(w)
            w.generation = self.generation
        workers = early + [self._new_worker() for _ in range(n - len(early))]
        for w in workers:
            w.wait_ready()
        return workers

    async def restart(self) -> None:
        """Replace every worker (after the store changed, in place or by a new build swapped in).

        Idle workers are closed now, busy ones when their query ends; each is replaced by a worker of
        the store now at the path. No worker of the old store is handed out after this returns."""
        assert self._idle is not None
        self.identity = store_identity(self.store_path)
        self.generation += 1
        while not self._idle.empty():
            w = self._idle.get_nowait()
            w.close()
            self._start_refill()

    def _release(self, worker: Worker) -> None:
        assert self._idle is not None
        if worker.generation != self.generation:
            worker.close()  # of a store that has since been replaced
            self._start_refill()
            return
        self._idle.put_nowait(worker)

    def close(self) -> None:
        self._closed = True
        if self._idle is not None:
            while not self._idle.empty():
                self._idle.get_nowait().close()
        for w in list(self._busy):
            w.kill("shutdown")

    # ---- memory watchdog
    def _watch(self) -> None:
        while not self._closed:
            with self._lock:
                busy = list(self._busy)
            for w in busy:
                if w.rss() > self.memory:
                    w.signal_kill("memory")
            time.sleep(0.02)

    # ---- running
    async def run(self, job: Job, timeout: float | None = None) -> Outcome:
        """Run `job` in a free worker; QueryFailed for a stopped or failed query."""
        if not self._started:
            await self.start()
        idle = self._idle
        assert idle is not None
        limit = self.timeout if timeout is None else min(timeout, self.timeout)
        deadline = time.monotonic() + self.timeout
        while True:
            if not idle.empty():
                worker = idle.get_nowait()
            else:
                try:
                    worker = await asyncio.wait_for(idle.get(), timeout=max(0.0, deadline - time.monotonic()))
                except asyncio.TimeoutError:
                    raise QueryFailed(
                        503, "the server is busy: every query worker stayed occupied; try again"
                    ) from None
            if worker.alive:
                break
            self._respawn(worker)  # died while idle: never hand it out
        try:
            with self._working(worker):
                outcome = await self._exchange(worker, job, limit)
        except BaseException:  # stopped, failed, or the request was cancelled with its answer still to come
            self._respawn(worker)
            raise
        self._release(worker)
        self.stats["queries"] += 1
        return outcome

    def _respawn(self, worker: Worker) -> None:
        """Replace a stopped or dead worker in the background, retrying until a new one starts."""
        worker.kill(worker.killed_for or "failed")
        self._start_refill()

    def _start_refill(self) -> None:
        task = asyncio.get_running_loop().create_task(self._refill())
        self._refills.add(task)
        task.add_done_callback(self._refills.discard)

    async def _refill(self) -> None:
        assert self._idle is not None
        delay = 0.05
        while not self._closed:
            try:
                fresh = await asyncio.to_thread(self._spawn_one)
            except (OSError, QueryFailed) as err:  # EMFILE under a connection flood, a slow start, ...
                self.stats["respawn_failures"] += 1
                self.last_respawn_error = str(err)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 2.0)
                continue
            if self._closed:
                fresh.close()
                return
            if fresh.generation != self.generation:
                fresh.close()  # started just before the store was replaced: start one of the new store
                continue
            try:
                await fresh.attach()
            except OSError as err:
                self.stats["respawn_failures"] += 1
                self.last_respawn_error = str(err)
                fresh.kill("startup")
                await asyncio.sleep(delay)
                continue
            self._idle.put_nowait(fresh)
            return

    def _spawn_one(self) -> Worker:
        fresh = self._new_worker()
        try:
            fresh.wait_ready()
        except BaseException:
            fresh.kill("startup")
            raise
        return fresh

    @property
    def refilling(self) -> int:
        """Workers being replaced right now."""
        return len(self._refills)

    @contextmanager
    def _working(self, worker: Worker) -> Iterator[None]:
        with self._lock:
            self._busy.add(worker)
        try:
            yield
        finally:
            with self._lock:
                self._busy.discard(worker)

    async def _exchange(self, worker: Worker, job: Job, limit: float) -> Outcome:
        """Send `job` and wait for the answer on the event loop; kill the worker when `limit` s pass first."""
        assert worker.reader is not None
        try:
            answer = worker.reader.submit(job)
        except (WorkerGone, OSError) as err:
            raise QueryFailed(500, f"the query worker could not take the query ({err})") from None
        expiry = asyncio.get_running_loop().call_later(limit, self._expire, worker)
        try:
            return await answer
        except WorkerGone:
            pass
        finally:
            expiry.cancel()
        if worker.killed_for == "timeout":
            self.stats["timeouts"] += 1
            raise QueryFailed(503, f"query stopped after {limit:g} s (the time limit); make it more selective")
        if worker.killed_for == "memory":
            self.stats["memory_kills"] += 1
            raise QueryFailed(
                503, f"query stopped: it needed more than {self.memory // (1024 * 1024)} MB of memory (the limit)"
            )
        worker.process.poll()
        raise QueryFailed(500, f"the query worker died (exit code {worker.process.returncode})")

    @staticmethod
    def _expire(worker: Worker) -> None:
        """Time is up: kill the worker; its answer fails at once (the process is reaped by `_respawn`)."""
        if worker.killed_for is None:
            worker.signal_kill("timeout")
        if worker.reader is not None:
            worker.reader.fail("stopped at its time limit")
