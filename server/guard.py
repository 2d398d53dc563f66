"""A clear 400 for SPARQL that asks to reach outside the store; not the defence itself.

The defence is `server.sandbox`: query workers cannot open a socket, so `SERVICE` and `LOAD`
fail whatever the text looks like. This module only gives the common case a helpful message
instead of "Permission denied": it lexes the query as the SPARQL grammar does (code-point
escapes undone first; comments end at either line end; IRIs exclude only the characters the
grammar excludes; prefixed names keep their backslash escapes) and refuses `SERVICE`, `LOAD`
in updates and `FROM`/`FROM NAMED` naming a graph that is not in the dataset. Every pattern is
linear in the query's length, and the check runs in the worker under the query's time limit.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kg.store import PREFIXES


class Refused(Exception):
    """A request this endpoint will not run; the message says why."""


SERVICE_REFUSED = "SERVICE is not allowed: this endpoint never sends queries to other services"
LOAD_REFUSED = "LOAD is not allowed: this endpoint never fetches remote data"

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_NAME_START = r"A-Za-z_\u00c0-\U000effff"
_NAME = _NAME_START + r"0-9\-.\u00b7"
_LOCAL_ESC = r"\\[_~.\-!$&'()*+,;=/?#@%]"
_TOKENS = re.compile(
    r'(?P<long>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\')'
    r'|(?P<str>"(?:[^"\\\n\r]|\\.)*"|\'(?:[^\'\\\n\r]|\\.)*\')'
    r"|(?P<iri><[^<>\"{}|^`\\\x00-\x20]*>)"
    r"|(?P<comment>#[^\n\r]*)"
    r"|(?P<var>[?$][" + _NAME + r"]+)"
    # a run of name characters, then an optional ':' and local part: each run is read once
    r"|(?P<name>[" + _NAME_START + r"][" + _NAME + r"]*(?::(?:[" + _NAME + r":%]|" + _LOCAL_ESC + r")*)?"
    r"|:(?:[" + _NAME + r":%]|" + _LOCAL_ESC + r")*)"
)


def unescape(text: str) -> str:
    """Undo SPARQL's \\uXXXX / \\UXXXXXXXX code-point escapes, as the query parser does first."""

    def repl(m: re.Match[str]) -> str:
        try:
            return chr(int(m.group(1) or m.group(2), 16))
        except ValueError:
            return m.group(0)

    return _ESCAPE.sub(repl, text)


def tokens(text: str) -> list[tuple[str, str]]:
    """(kind, text) for the keywords ("word"), IRIs ("iri") and prefixed names ("pname") of a query."""
    out = []
    for m in _TOKENS.finditer(unescape(text)):
        kind = m.lastgroup or ""
        if kind == "name":
            value = m.group(0)
            out.append(("pname" if ":" in value else "word", value))
        elif kind == "iri":
            out.append((kind, m.group(0)))
    return out


def _resolve(value: str, prefixes: dict[str, str]) -> str:
    prefix, _, local = value.partition(":")
    if prefix not in prefixes:
        raise Refused(f"unknown prefix {prefix!r} in {value}")
    return prefixes[prefix] + re.sub(_LOCAL_ESC, lambda m: m.group(0)[1:], local)


def check(text: str, has_graph: Callable[[str], bool], update: bool = False) -> None:
    """Raise Refused if `text` uses SERVICE, LOAD (updates) or FROM with a graph not in the dataset."""
    toks = tokens(text)
    prefixes = dict(PREFIXES)
    for i, (kind, value) in enumerate(toks[:-1]):
        if kind == "word" and value.upper() == "PREFIX" and toks[i + 1][0] == "pname" and i + 2 < len(toks):
            name, iri = toks[i + 1][1], toks[i + 2]
            if name.endswith(":") and iri[0] == "iri":
                prefixes[name[:-1]] = iri[1][1:-1]
    for i, (kind, value) in enumerate(toks):
        if kind != "word":
            continue
        word = value.upper()
        if word == "SERVICE":
            raise Refused(SERVICE_REFUSED)
        if word == "LOAD" and update:
            raise Refused(LOAD_REFUSED)
        if word == "FROM":
            j = i + 1
            if j < len(toks) and toks[j][0] == "word" and toks[j][1].upper() == "NAMED":
                j += 1
            if j < len(toks) and toks[j][0] in ("iri", "pname"):
                kind_j, value_j = toks[j]
                graph = value_j[1:-1] if kind_j == "iri" else _resolve(value_j, prefixes)
                if not has_graph(graph):
                    raise Refused(
                        f"FROM <{graph}>: not a graph of this dataset; this endpoint never fetches remote data "
                        "(use GRAPH to reach a document's graph, or the default graph)"
                    )
