"""SPARQL syntax errors a person can act on: where (line and column, the line with a caret) and what was
expected, without the parser's list of Unicode ranges.

>>> error = "error at 1:24: expected one of \\"$\\", \\"(\\", GRAPH, ['A' ..= 'Z' | 'a']"
>>> print(explain("SELECT ?x WHERE { ?x a ", error))
SPARQL syntax error at line 1, column 24 (1:24): expected one of "$", "(", GRAPH, a name
  SELECT ?x WHERE { ?x a
                         ^
"""

from __future__ import annotations

import re

_AT = re.compile(r"^error at (\d+):(\d+): ?(.*)$", re.S)
MAX_EXPECTED = 10  # tokens listed before "…"
MAX_LINE = 100  # characters of the query line shown around the column


def explain(text: str, error: str | BaseException) -> str:
    """pyoxigraph's syntax `error` for the query `text` as a short message with line and column."""
    message = str(error)
    m = _AT.match(message)
    if not m:
        return f"SPARQL syntax error: {_short(message)}"
    line, column, rest = int(m.group(1)), int(m.group(2)), m.group(3)
    out = f"SPARQL syntax error at line {line}, column {column} ({line}:{column}): {_expected(rest)}"
    lines = text.splitlines()
    if 1 <= line <= len(lines):
        shown, col = lines[line - 1].rstrip(), column - 1
        start = max(0, col - MAX_LINE // 2)
        piece = shown[start : start + MAX_LINE]
        out += f"\n  {'…' if start else ''}{piece}\n  {' ' * (col - start + (1 if start else 0))}^"
    return out


def _expected(rest: str) -> str:
    """'expected one of A, B, ['0'..='9'], …' with the character ranges said in a word."""
    if not rest.startswith("expected one of "):
        return _short(rest)
    tokens: list[str] = []
    ranges = False
    for token in _tokens(rest[len("expected one of ") :]):
        if token.startswith("[") and token != "[_]":
            ranges = True
        elif token != "[_]" and token not in tokens:
            tokens.append(token)
    shown = tokens[:MAX_EXPECTED] + (["…"] if len(tokens) > MAX_EXPECTED else [])
    if ranges:
        shown.append("a name")
    return "expected one of " + ", ".join(shown) if shown else "unexpected input"


def _tokens(listing: str) -> list[str]:
    """Split the parser's comma-separated expectations, keeping bracketed ranges (which hold commas) whole."""
    out, depth, current, quoted, escaped = [], 0, "", False, False
    for ch in listing:
        if quoted and ch == "\\" and not escaped:
            escaped = True
            current += ch
            continue
        if ch == '"' and not escaped:
            quoted = not quoted
        escaped = False
        if not quoted and ch == "[":
            depth += 1
        elif not quoted and ch == "]":
            depth = max(0, depth - 1)
        if ch == "," and depth == 0 and not quoted:
            out.append(current.strip())
            current = ""
        else:
            current += ch
    if current.strip():
        out.append(current.strip())
    return out


def _short(message: str) -> str:
    first = message.strip().splitlines()[0] if message.strip() else "invalid query"
    return first if len(first) <= 200 else first[:199] + "…"
