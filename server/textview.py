"""Cut a document's text into segments for highlighting evidence spans.

Spans may nest or overlap (a name inside a quote); the text is split at every span boundary and
each piece knows the spans covering it. The innermost (shortest) span gives the piece its link.
Pieces are plain data: the template escapes the text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise


@dataclass(frozen=True)
class Span:
    begin: int
    end: int
    href: str = ""
    title: str = ""
    rank: int = 0  # lower wins ties between spans of equal length

    @property
    def anchor(self) -> str:
        return f"s-{self.begin}-{self.end}"


@dataclass
class Segment:
    text: str
    depth: int = 0
    href: str = ""
    title: str = ""
    anchors: list[str] = field(default_factory=list)


def segments(text: str, spans: list[Span], offset: int = 0) -> list[Segment]:
    """Split `text` (which starts at `offset` in the document) at the spans' boundaries."""
    end_of_text = offset + len(text)
    spans = [s for s in spans if s.begin < s.end and s.end > offset and s.begin < end_of_text]
    points = sorted(
        {offset, end_of_text} | {max(s.begin, offset) for s in spans} | {min(s.end, end_of_text) for s in spans}
    )
    starts: dict[int, list[Span]] = {}
    for s in spans:
        starts.setdefault(max(s.begin, offset), []).append(s)
    active: list[Span] = []
    out: list[Segment] = []
    for x, y in pairwise(points):
        active = [s for s in active if s.end > x] + starts.get(x, [])
        piece = text[x - offset : y - offset]
        if not active:
            out.append(Segment(piece))
            continue
        inner = min(active, key=lambda s: (s.end - s.begin, s.rank))
        titles = list(dict.fromkeys(s.title for s in sorted(active, key=lambda s: s.begin) if s.title))
        anchors = list(dict.fromkeys(s.anchor for s in starts.get(x, []) if s.begin >= offset))
        out.append(Segment(piece, min(len(active), 3), inner.href, " · ".join(titles), anchors))
    return out


def snippet(text: str, span: Span, window: int = 120) -> tuple[list[Segment], bool, bool]:
    """The text around one span with the span highlighted; flags for text cut before and after."""
    lo = max(0, span.begin - window)
    hi = min(len(text), span.end + window)
    return segments(text[lo:hi], [span], lo), lo > 0, hi < len(text)
