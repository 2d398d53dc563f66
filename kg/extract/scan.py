"""Exact shortcuts for costly regex scans: try a pattern only where its key words occur.

A pattern such as ``(?<![\\w-])[\\w-]*?(?:konferens|möte|…)…`` (case-insensitive) is tried by the
regex engine at every position with every stem; `StemScan` finds the stems with `str.find` in the
lower-cased text and runs the same pattern only at the starts of the words that hold one.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

# Characters where re.IGNORECASE and str.lower() disagree about Latin letters ('ı' ~ 'i', 'ſ' ~ 's';
# 'İ'.lower() is two characters). A text holding one is scanned the slow way.
_UNSAFE = ("İ", "ı", "ſ")


def folded(text: str) -> str | None:
    """`text.lower()` when it lines up, character by character, with case-insensitive matching; else None."""
    if any(c in text for c in _UNSAFE):
        return None
    low = text.lower()
    return low if len(low) == len(text) else None


def _is_word_char(c: str) -> bool:
    """The regex class ``[\\w-]`` (``\\w`` is str.isalnum() or '_')."""
    return c.isalnum() or c in "_-"


def literal_starts(text: str, words: Iterable[str]) -> list[int] | None:
    """Sorted starts of every case-insensitive occurrence of the words (None where folding is unsafe).

    Every case-insensitive regex match of one of the words, in any part of the text, starts at one.
    """
    low = folded(text)
    if low is None:
        return None
    found = set()
    for word in {w.lower() for w in words}:
        i = low.find(word)
        while i >= 0:
            found.add(i)
            i = low.find(word, i + 1)
    return sorted(found)


def starts_within(positions: list[int], begin: int, end: int) -> bool:
    """Does one of the sorted `positions` lie in [begin, end)?"""
    i = bisect.bisect_left(positions, begin)
    return i < len(positions) and positions[i] < end


class StemScan:
    """`finditer` of a case-insensitive pattern that starts with ``(?<![\\w-])``, then ``[\\w-]*?``
    (possibly empty), then one of `stems` (each starting with a letter).

    Every match then starts a ``[\\w-]`` run that holds a stem, so the pattern is only tried there.
    """

    def __init__(self, stems: Iterable[str], pattern: re.Pattern[str]) -> None:
        self.stems = sorted({s.lower() for s in stems})
        self.pattern = pattern
        self._cache: dict[str, list[int] | None] = {}  # the last few texts scanned

    def _candidates(self, text: str) -> list[int] | None:
        """Sorted starts of the ``[\\w-]`` runs holding a stem (None: scan the slow way)."""
        if text in self._cache:
            return self._cache[text]
        low = folded(text)
        starts: list[int] | None = None
        if low is not None:
            found = set()
            for stem in self.stems:
                i = low.find(stem)
                while i >= 0:
                    j = i
                    while j > 0 and _is_word_char(text[j - 1]):
                        j -= 1
                    found.add(j)
                    i = low.find(stem, i + 1)
            starts = sorted(found)
        if len(self._cache) >= 8:
            self._cache.pop(next(iter(self._cache)))
        self._cache[text] = starts
        return starts

    def finditer(self, text: str, begin: int = 0, end: int | None = None) -> list[re.Match[str]]:
        """The matches `pattern.finditer(text, begin, end)` gives, in order."""
        end = len(text) if end is None else end
        starts = self._candidates(text)
        if starts is None:
            return list(self.pattern.finditer(text, begin, end))
        out = []
        last = begin
        for i in range(bisect.bisect_left(starts, begin), len(starts)):
            pos = starts[i]
            if pos >= end:
                break
            if pos < last:
                continue
            m = self.pattern.match(text, pos, end)
            if m:
                out.append(m)
                last = m.end()
        return out
