"""Ctrl-C (SIGINT) for commands that run worker processes and replace stores.

A terminal sends SIGINT to every process of the foreground job, so each worker of a pool would
raise KeyboardInterrupt and print its traceback. Pools are therefore started inside
`workers_ignore_interrupt()`: their processes inherit SIGINT blocked (the signal mask survives fork
and exec), so only the main process sees Ctrl-C, and it stops them (a pool's exit terminates them).
Steps that must not stop halfway, such as swapping a new store into place, run inside `deferred()`.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

EXIT_CODE = 130  # what a shell reports for a command ended by SIGINT (128 + 2)


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextmanager
def workers_ignore_interrupt() -> Iterator[None]:
    """Start worker processes in this block: they are born with SIGINT blocked.

    A SIGINT that reaches this process meanwhile is held and raised when the block ends.
    """
    if not hasattr(signal, "pthread_sigmask"):  # not POSIX: nothing to do
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def ignore_in_worker() -> None:
    """Pool initializer: this worker leaves SIGINT to its parent (also for pools started elsewhere)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def deferred() -> Iterator[None]:
    """Hold a SIGINT that arrives during the block and deliver it once the block is done."""
    if not _main_thread():  # signal handlers can only be set in the main thread
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        signal.raise_signal(signal.SIGINT)  # handled by the restored handler (KeyboardInterrupt by default)
