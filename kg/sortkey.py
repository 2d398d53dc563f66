"""Byte keys that sort result rows as a saved query's ORDER BY does, so a view can take new rows.

A view keeps its rows in answer order. When an update replaces the rows of a few documents, the
new rows must land where the query's ORDER BY would put them; SQLite orders BLOBs byte by byte, so
each row gets `row_key(binding, variables)`: per ORDER BY variable, the term encoded so that byte
order is SPARQL's order as Oxigraph applies it: unbound < blank node < IRI < literal; IRIs and
strings by code point (UTF-8 bytes); numbers by value; dates and date-times together by their
lexical form (no time zones here); other literals by datatype, then lexical form; language strings
by tag, then text.

Oxigraph calls literals it cannot compare (a string and a number, two language tags) equal and
lets the next variable decide; these keys order them by kind instead. A view whose build-time order
disagrees with its keys is therefore detected (`ordered`) and recomputed whole on update.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Mapping, Sequence

XSD = "http://www.w3.org/2001/XMLSchema#"
_STRING = XSD + "string"
_NUMERIC = {
    XSD + t
    for t in (
        "integer",
        "decimal",
        "double",
        "float",
        "long",
        "int",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
}
_INSTANT = {XSD + "date", XSD + "dateTime", XSD + "dateTimeStamp"}
_ORDER_BY = re.compile(r"\bORDER\s+BY\s+((?:\?[A-Za-z_][A-Za-z0-9_]*\s*)+)\s*(?:LIMIT|OFFSET|$)", re.IGNORECASE)

Binding = Mapping[str, Mapping[str, str]]


def order_variables(sparql: str) -> list[str] | None:
    """The variables of the query's final `ORDER BY ?a ?b ...`, or None when it orders by anything
    else (expressions, DESC) or not at all."""
    code = re.sub(r"(?m)(^|\s)#[^\n]*", r"\1", sparql).strip()  # comments, not the '#' of an IRI
    m = _ORDER_BY.search(code)
    if m is None or code[m.end() :].strip():
        return None
    return m.group(1).replace("?", " ").split()


def _text(value: str) -> bytes:
    """A string as bytes whose order is the string's, terminated so a prefix sorts first."""
    return value.encode("utf-8").replace(b"\x00", b"\x00\xff") + b"\x00\x00"


def _number(value: str) -> bytes | None:
    try:
        x = float(value)
    except ValueError:
        return None
    if x != x:  # NaN: compares with nothing
        return None
    bits = struct.unpack(">Q", struct.pack(">d", x + 0.0))[0]
    bits = bits ^ 0xFFFFFFFFFFFFFFFF if bits >> 63 else bits | 1 << 63
    return struct.pack(">Q", bits)


def term_key(term: Mapping[str, str] | None) -> bytes:
    """One result cell (a SPARQL JSON term, or None when unbound) as an order-preserving key."""
    if term is None:
        return b"\x00"
    kind, value = term.get("type"), term.get("value", "")
    if kind == "bnode":
        return b"\x01" + _text(value)
    if kind == "uri":
        return b"\x02" + _text(value)
    if "xml:lang" in term:
        return b"\x03\x02" + _text(term["xml:lang"].lower()) + _text(value)
    datatype = term.get("datatype", _STRING)
    if datatype == _STRING:
        return b"\x03\x01" + _text(value)
    if datatype in _NUMERIC:
        number = _number(value)
        if number is not None:
            return b"\x03\x03" + number
    if datatype in _INSTANT:  # a date and a time of day compare as instants; their lexical forms sort so
        return b"\x03\x04" + _text(value)
    return b"\x03\x05" + _text(datatype) + _text(value)


def row_key(binding: Binding, variables: Sequence[str]) -> bytes:
    """The sort key of one result row for ORDER BY `variables`."""
    return b"".join(term_key(binding.get(v)) for v in variables)
