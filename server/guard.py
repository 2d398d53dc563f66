"""Refuse SPARQL that would reach outside the store before it runs.

pyoxigraph evaluates `SERVICE <url>` by fetching the URL, so any such query is refused, as are
`LOAD` in updates and `FROM`/`FROM NAMED` naming a graph that is not in this dataset (this endpoint
never fetches remote data). The check reads the query's tokens after undoing `\\uXXXX` escapes,
which SPARQL allows anywhere in a query and which would otherwise hide a keyword.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kg.store import PREFIXES


class Refused(Exception):
    """A request this endpoint will not run; the message says why."""


_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_TOKENS = re.compile(
    r'(?P<long>"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\')'
    r'|(?P<str>"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\')'
    r"|(?P<iri><[^<>\"{}|^`\\\s]*>)"
    r"|(?P<comment>#[^\n]*)"
    r"|(?P<var>[?$][A-Za-z0-9_\u00b7-\uffff]+)"
    r"|(?P<pname>[A-Za-z\u00c0-\uffff][\w.\u00b7-\uffff-]*?:[\w.\u00b7-\uffff:%-]*|:[\w.\u00b7-\uffff:%-]*)"
    r"|(?P<word>[A-Za-z_]+)"
)
_PREFIX_DECL = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)


def unescape(text: str) -> str:
    """Undo SPARQL's \\uXXXX / \\UXXXXXXXX code-point escapes, as the query parser does."""

    def repl(m: re.Match[str]) -> str:
        try:
            return chr(int(m.group(1) or m.group(2), 16))
        except ValueError:
            return m.group(0)

    return _ESCAPE.sub(repl, text)


def tokens(text: str) -> list[tuple[str, str]]:
    """(kind, text) for the words, IRIs and prefixed names of a query; strings and comments dropped."""
    out = []
    for m in _TOKENS.finditer(unescape(text)):
        kind = m.lastgroup or ""
        if kind in ("long", "str", "comment", "var"):
            continue
        out.append((kind, m.group(0)))
    return out


def _resolve(kind: str, value: str, prefixes: dict[str, str]) -> str:
    if kind == "iri":
        return value[1:-1]
    prefix, _, local = value.partition(":")
    if prefix not in prefixes:
        raise Refused(f"unknown prefix {prefix!r} in {value}")
    return prefixes[prefix] + local


def check(text: str, has_graph: Callable[[str], bool], update: bool = False) -> None:
    """Raise Refused if `text` uses SERVICE, LOAD (updates) or FROM with a graph not in the dataset."""
    toks = tokens(text)
    prefixes = dict(PREFIXES)
    for m in _PREFIX_DECL.finditer(unescape(text)):
        prefixes[m.group(1) or ""] = m.group(2)
    words = [(i, v.upper()) for i, (k, v) in enumerate(toks) if k == "word"]
    for i, word in words:
        if word == "SERVICE":
            raise Refused("SERVICE is not allowed: this endpoint never sends queries to other services")
        if word == "LOAD" and update:
            raise Refused("LOAD is not allowed: this endpoint never fetches remote data")
        if word == "FROM":
            j = i + 1
            if j < len(toks) and toks[j][0] == "word" and toks[j][1].upper() == "NAMED":
                j += 1
            if j < len(toks) and toks[j][0] in ("iri", "pname"):
                graph = _resolve(toks[j][0], toks[j][1], prefixes)
                if not has_graph(graph):
                    raise Refused(
                        f"FROM <{graph}>: not a graph of this dataset; this endpoint never fetches remote data "
                        "(use GRAPH to reach a document's graph, or the default graph)"
                    )
