"""Progress of long commands (`kg build`, `kg validate`) on stderr: a bar on a terminal, plain lines in logs.

A command is a sequence of phases; each says when it starts, how far it got and when it ended::

    progress = Progress()                                   # stderr; a bar when it is a terminal
    with progress.phase("extract", total=8489, unit="documents") as step:
        for path in paths:
            ...
            step.advance()
    with progress.phase("compact"):                         # no count: a running clock on a terminal
        store.optimize()
    progress.seconds                                        # {"extract": 41.2, "compact": 4.0}

On a terminal a phase redraws one line (`extract  [#######---------]  45%  3812/8489 documents  32 s`)
and leaves `extract  done in 71.2 s (8489 documents)`. Anywhere else (a log file, a pipe) it writes
`extract: 8489 documents` when it starts, a line at every tenth (`extract: 850/8489 documents (12 s)`;
at most one a second) and `extract: done in 71.2 s (8489 documents)`. A silent Progress writes
nothing and only keeps the seconds per phase.
"""

from __future__ import annotations

import shutil
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

BAR = 24  # characters of a bar on a terminal
TICK = 1.0  # seconds between redraws of a phase that shows no new count (its clock still moves)
LINE_EVERY = 1.0  # in logs: at least this many seconds between two lines of a phase's count


class Phase:
    """One phase of a command: `advance()` or `update(done)` as its work gets done."""

    def __init__(self, progress: Progress, name: str, total: int | None, unit: str) -> None:
        self.progress = progress
        self.name = name
        self.total = total
        self.unit = unit
        self.done = 0
        self.note = ""  # said when the phase ends, e.g. "8489 files"
        self.started = time.monotonic()
        self._logged = 0  # the count of the last plain line
        self._said = self.started  # when the last plain line was written

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started

    def advance(self, n: int = 1) -> None:
        """`n` more units done."""
        self.update(self.done + n)

    def update(self, done: int) -> None:
        """`done` units done in all."""
        self.done = done
        self.progress._moved(self)


class Progress:
    """Reports the phases of one command on `stream` (default stderr); see the module docstring.

    `tty` overrides whether the stream is a terminal; `silent` writes nothing.
    """

    def __init__(self, stream: TextIO | None = None, *, tty: bool | None = None, silent: bool = False) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.silent = silent
        self.tty = bool(tty if tty is not None else getattr(self.stream, "isatty", lambda: False)())
        self.seconds: dict[str, float] = {}  # seconds per phase, in the order they ran
        self._current: Phase | None = None
        self._lock = threading.Lock()
        self._drawn = 0.0

    @classmethod
    def quiet(cls) -> Progress:
        """A Progress that writes nothing (for library callers that gave none)."""
        return cls(silent=True)

    @contextmanager
    def phase(self, name: str, total: int | None = None, unit: str = "") -> Iterator[Phase]:
        """Run one phase: announced on entry, its seconds recorded on exit (also when it fails)."""
        step = Phase(self, name, total, unit)
        self._current = step
        self._begin(step)
        ticker = self._ticker(step)
        ended = False
        try:
            yield step
            ended = True
        finally:
            if ticker is not None:
                ticker.set()
            self.seconds[name] = round(step.seconds, 2)
            self._current = None
            self._end(step, ended)

    # -- output -------------------------------------------------------------------------------

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError, AttributeError):  # a closed, broken or missing stream must not stop the work
            pass

    def _begin(self, step: Phase) -> None:
        if self.silent:
            return
        if self.tty:
            self._draw(step)
        elif step.total is not None:
            self._write(f"{step.name}: {self._counted(step.total, step.unit)}\n")
        else:
            self._write(f"{step.name}: started\n")

    def _moved(self, step: Phase) -> None:
        if self.silent:
            return
        if self.tty:
            now = time.monotonic()
            if now - self._drawn >= 0.1 or (step.total is not None and step.done >= step.total):
                self._draw(step)
            return
        if step.total and step.done < step.total:  # the end is said by the phase's last line
            now = time.monotonic()
            if step.done - step._logged >= max(1, step.total // 10) and now - step._said >= LINE_EVERY:
                step._logged, step._said = step.done, now
                self._write(f"{step.name}: {step.done}/{step.total} {step.unit} ({step.seconds:.0f} s)\n")

    def _counted(self, n: int, unit: str) -> str:
        """'1 document', '2 documents', '1 query'."""
        if n == 1 and unit.endswith("ies"):
            unit = unit[:-3] + "y"
        elif n == 1 and unit.endswith("s"):
            unit = unit[:-1]
        return f"{n} {unit}".rstrip()

    def _end(self, step: Phase, ended: bool) -> None:
        if self.silent:
            return
        if not ended:  # interrupted or failed: end the bar's line, the caller says what happened
            if self.tty:
                with self._lock:
                    self._write("\n")
            return
        counted = self._counted(step.done, step.unit) if step.total is not None and step.unit else ""
        what = ", ".join(x for x in (counted, step.note) if x)
        said = f"done in {step.seconds:.1f} s" + (f" ({what})" if what else "")
        if self.tty:
            with self._lock:
                self._write("\r" + self._fit(f"{step.name:<13} {said}") + "\033[K\n")
        else:
            self._write(f"{step.name}: {said}\n")

    def _draw(self, step: Phase) -> None:
        with self._lock:
            if self._current is not step:
                return
            self._drawn = time.monotonic()
            if step.total:
                filled = min(BAR, BAR * step.done // step.total)
                bar = "[" + "#" * filled + "-" * (BAR - filled) + "]"
                line = (
                    f"{step.name:<13} {bar} {100 * step.done // step.total:3d}%  "
                    f"{step.done}/{step.total} {step.unit}  {step.seconds:.0f} s"
                )
            else:
                line = f"{step.name:<13} ...  {step.seconds:.0f} s"
            self._write("\r" + self._fit(line) + "\033[K")

    def _fit(self, line: str) -> str:
        width = shutil.get_terminal_size((80, 24)).columns - 1
        return line if len(line) <= width else line[: max(0, width - 1)] + "…"

    def _ticker(self, step: Phase) -> threading.Event | None:
        """On a terminal, redraw the phase every TICK seconds so that its clock moves (a thread)."""
        if self.silent or not self.tty:
            return None
        stop = threading.Event()

        def tick() -> None:
            while not stop.wait(TICK):
                self._draw(step)

        threading.Thread(target=tick, name=f"kg-progress-{step.name}", daemon=True).start()
        return stop
