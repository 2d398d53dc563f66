"""Fast span lookups: does a span overlap any of many spans (the finders ask this for every match)."""

from __future__ import annotations

import bisect
from collections.abc import Iterable


class SpanSet:
    """A set of (begin, end) character spans answering overlap questions in O(log n)."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for b, e in sorted(spans):
            if e <= b:
                continue
            if merged and b < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([b, e])
        self._begins = [b for b, _e in merged]
        self._ends = [e for _b, e in merged]

    def overlaps(self, begin: int, end: int) -> bool:
        """True if [begin, end) shares a character with a span of the set."""
        i = bisect.bisect_right(self._begins, end - 1) - 1
        return i >= 0 and self._ends[i] > begin and end > begin

    def contains(self, pos: int) -> bool:
        return self.overlaps(pos, pos + 1)


class Taken:
    """Non-overlapping spans chosen one by one (longest first), answering 'is this one free?'."""

    def __init__(self) -> None:
        self._begins: list[int] = []
        self._ends: list[int] = []

    def free(self, begin: int, end: int) -> bool:
        i = bisect.bisect_right(self._begins, begin)
        if i > 0 and self._ends[i - 1] > begin:
            return False
        return not (i < len(self._begins) and self._begins[i] < end)

    def add(self, begin: int, end: int) -> None:
        i = bisect.bisect_right(self._begins, begin)
        self._begins.insert(i, begin)
        self._ends.insert(i, end)
