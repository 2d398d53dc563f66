"""Find many literal names in a text at once, as a regex alternation would, but fast.

A Python regex of a few thousand alternatives (every gazetteer surface form) costs ~6 ms per
press release; indexing the surfaces by their first word makes the same search ~50x cheaper.
Matches are leftmost, longest-first and non-overlapping, between word boundaries, exactly like
`(?<![\\w{before}])(?:s1|s2|…)(?![\\w-])` with the surfaces sorted longest first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

_WORD = re.compile(r"\w+")
_AFTER = re.compile(r"[\w-]")
_WORD_CHAR = re.compile(r"\w")


@dataclass(frozen=True)
class SurfaceMatch:
    """One match, with the regex-match methods callers use."""

    begin: int
    finish: int
    text: str

    def start(self) -> int:
        return self.begin

    def end(self) -> int:
        return self.finish

    def group(self, index: int = 0) -> str:
        if index != 0:
            raise IndexError(index)
        return self.text


class SurfaceIndex:
    """Literal surfaces indexed by their first word; `finditer(text)` finds them in a text."""

    def __init__(self, surfaces: Iterable[str], ignore_case: bool = False, before: str = "-") -> None:
        self.ignore_case = ignore_case
        self.surfaces = sorted(set(surfaces), key=len, reverse=True)
        self.before = before
        self._by_word: dict[str, list[str]] = {}
        self._all_words = True
        for surface in self.surfaces:
            key = surface.lower() if ignore_case else surface
            m = _WORD.match(key)
            if m is None:
                self._all_words = False
            else:
                self._by_word.setdefault(m.group(0), []).append(key)
        self._starts = re.compile(rf"(?<![\w{re.escape(before)}])\w")
        self._words = re.compile(rf"(?<![\w{re.escape(before)}])\w+")
        self._regex: re.Pattern[str] | None = None

    def regex(self) -> re.Pattern[str]:
        """The equivalent regex (used where the index cannot be: see `finditer`)."""
        if self._regex is None:
            alternation = "|".join(map(re.escape, self.surfaces))
            flags = re.IGNORECASE if self.ignore_case else 0
            self._regex = re.compile(rf"(?<![\w{re.escape(self.before)}])(?:{alternation})(?![\w-])", flags)
        return self._regex

    def finditer(self, text: str) -> Iterator[SurfaceMatch]:
        """Leftmost, longest-first, non-overlapping matches in `text`."""
        folded = text.lower() if self.ignore_case else text
        if not self._all_words or len(folded) != len(text):  # rare: lower() changed the length
            for m in self.regex().finditer(text):
                yield SurfaceMatch(m.start(), m.end(), m.group(0))
            return
        last = 0
        for p, word in self._word_starts(folded):
            if p < last:
                continue
            for cand in self._by_word[word]:
                end = p + len(cand)
                if folded.startswith(cand, p) and not _AFTER.match(folded, end):
                    yield SurfaceMatch(p, end, text[p:end])
                    last = end
                    break

    def _word_starts(self, folded: str) -> list[tuple[int, str]]:
        """(position, word) of every whole word of `folded` that starts a surface, in text order.

        The words present are found in C (`findall`, a set intersection); only their occurrences
        are then visited, instead of every word of the text.
        """
        out = []
        for word in self._by_word.keys() & set(self._words.findall(folded)):
            n = len(word)
            i = folded.find(word)
            while i >= 0:
                if self._starts.match(folded, i) and not _WORD_CHAR.match(folded, i + n):
                    out.append((i, word))
                i = folded.find(word, i + n)
        out.sort()
        return out
