"""The saved-query registry: `queries/*.rq` files with a `#+` YAML header, parsed once.

The files ship as package data in `kg/data/queries/` (identical copies of the top-level
`queries/`, checked by a test); env `KG_QUERIES` points the registry at another folder.
Parameters are bound as RDF terms through pyoxigraph substitutions, never pasted into text. An iri
parameter that declares a `kind` also takes a name, which the caller's `names` (kg/search.py's
`resolver`) turns into the one IRI it names.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any

import yaml
from pyoxigraph import Literal, NamedNode, QuerySolutions, Store

from kg import store as kgstore

XSD = "http://www.w3.org/2001/XMLSchema#"
PARAM_TYPES = ("iri", "string", "integer", "date", "year")
PARAM_MATCHES = ("term", "year")
RESERVED = ("format", "offset", "limit")  # request parameters of every saved query
EXPECTED = {  # what each parameter type takes, for messages
    "iri": "an IRI (absolute, or relative to the base: id/org/kommun-0484)",
    "integer": "a whole number (e.g. 10)",
    "year": "a year of four digits (e.g. 2018)",
    "date": "a date as YYYY-MM-DD (e.g. 2018-05-31)",
    "string": "text",
}


class QueryError(Exception):
    """A saved query that is unknown, malformed, or given bad parameters."""


class UnknownQuery(QueryError):
    pass


class BadParameter(QueryError):
    pass


@dataclass(frozen=True)
class Param:
    """One declared query parameter."""

    name: str
    type: str = "string"
    required: bool = False
    default: Any = None
    description: str = ""
    example: Any = None
    column: str | None = None  # the result column this parameter filters (default: its own name)
    match: str = "term"  # "term": equal terms; "year": the column's date falls in this year
    kind: tuple[str, ...] = ()  # iri parameters: what a name given instead of an IRI is looked up as (kg/search.py)

    @property
    def filters(self) -> str:
        """The result column whose value this parameter selects on."""
        return self.column or self.name


@dataclass(frozen=True)
class SavedQuery:
    """A parsed .rq file: its name (the file stem), header and SPARQL text."""

    name: str
    title: str
    description: str
    sparql: str
    params: tuple[Param, ...] = field(default_factory=tuple)

    @property
    def param_names(self) -> list[str]:
        return [p.name for p in self.params]

    def bind(
        self, values: Mapping[str, str] | None = None, base: str | None = None, names: Names | None = None
    ) -> dict[str, Any]:
        """Turn string values into RDF terms by the declared types, applying defaults.

        With `names`, a name given for an iri parameter that declares a `kind` ("Jimmy Jansson") is
        resolved to an IRI by `names(param, value)`, which raises BadParameter for none or several.
        Raises BadParameter for an unknown name, a missing required one, or a bad value.
        """
        values = dict(values or {})
        unknown = sorted(set(values) - set(self.param_names))
        if unknown:
            valid = ", ".join(self.param_names) or "none"
            raise BadParameter(f"query {self.name!r} has no parameter {', '.join(unknown)}; valid parameters: {valid}")
        out: dict[str, Any] = {}
        for p in self.params:
            value = values.get(p.name, p.default)
            if value is None or value == "":
                if p.required:
                    raise BadParameter(f"query {self.name!r} needs parameter {p.name!r} ({p.type})")
                continue
            out[p.name] = to_term(p, str(value), base, names)
        return out

    def run(
        self, store: Store, values: Mapping[str, str] | None = None, base: str | None = None, names: Names | None = None
    ) -> QuerySolutions:
        """Run against the store's default graph with the parameters bound."""
        return kgstore.query(store, self.sparql, self.bind(values, base, names))


Names = Callable[[Param, str], str]  # (parameter, a name given for it) -> the IRI it names
_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def is_name(value: str) -> bool:
    """A value that reads as a name rather than an IRI: no scheme, and no '/' unless it has spaces.

    >>> is_name("Jimmy Jansson"), is_name("Västerås"), is_name("id/org/kommun-0484"), is_name("https://x.se/a")
    (True, True, False, False)
    """
    return not _ABSOLUTE.match(value) and ("/" not in value or any(c.isspace() for c in value.strip()))


def to_term(param: Param, value: str, base: str | None = None, names: Names | None = None) -> NamedNode | Literal:
    """One parameter value as an RDF term; relative IRIs resolve against the base IRI, and with `names`
    a name given for an iri parameter with a `kind` resolves to the IRI it names.

    >>> to_term(Param("year", "year"), "2017")
    <Literal value=2017 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#integer>>
    """
    if param.type == "iri" and param.kind and names is not None and value.strip() and is_name(value):
        return NamedNode(names(param, value.strip()))
    try:
        if param.type == "iri":
            if not _ABSOLUTE.match(value):
                from kg.build import default_base

                value = (base or default_base()) + value.lstrip("/")
            return NamedNode(value)
        if param.type in ("integer", "year"):
            number = int(value)
            if param.type == "year" and not 1000 <= number <= 9999:
                raise ValueError("a year has four digits")
            return Literal(str(number), datatype=NamedNode(XSD + "integer"))
        if param.type == "date":
            return Literal(dt.date.fromisoformat(value).isoformat(), datatype=NamedNode(XSD + "date"))
        return Literal(value)
    except ValueError as err:
        expected = EXPECTED.get(param.type, param.type)
        raise BadParameter(f"parameter {param.name!r} expects {expected}; got {value!r}") from err


_HEADER = re.compile(r"^#\+ ?(.*)$")


def parse_query(name: str, text: str) -> SavedQuery:
    """Parse one .rq text: the leading `#+` lines are YAML (title, description, params)."""
    header_lines = []
    for line in text.splitlines():
        m = _HEADER.match(line)
        if not m:
            break
        header_lines.append(m.group(1))
    try:
        header = yaml.safe_load("\n".join(header_lines)) or {}
    except yaml.YAMLError as err:
        raise QueryError(f"{name}.rq: bad YAML header: {err}") from err
    if not isinstance(header, dict):
        raise QueryError(f"{name}.rq: the #+ header must be a YAML mapping")
    params = []
    for raw in header.get("params") or []:
        if not isinstance(raw, dict) or "name" not in raw:
            raise QueryError(f"{name}.rq: every param needs a name: {raw!r}")
        fields = {k: raw[k] for k in raw if k in Param.__dataclass_fields__}
        if "kind" in fields:
            kind = fields["kind"]
            fields["kind"] = tuple(str(k) for k in (kind if isinstance(kind, list) else [kind]))
        param = Param(**fields)
        if param.kind and param.type != "iri":
            raise QueryError(f"{name}.rq: param {param.name!r} has a kind but is not of type iri")
        if param.type not in PARAM_TYPES:
            raise QueryError(
                f"{name}.rq: param {param.name!r} has type {param.type!r}; use one of {', '.join(PARAM_TYPES)}"
            )
        if param.name in RESERVED:
            raise QueryError(f"{name}.rq: {param.name!r} is reserved for paging and cannot be a parameter")
        if param.match not in PARAM_MATCHES:
            matches = ", ".join(PARAM_MATCHES)
            raise QueryError(f"{name}.rq: param {param.name!r} has match {param.match!r}; use one of {matches}")
        params.append(param)
    return SavedQuery(
        name=name,
        title=str(header.get("title", "")),
        description=str(header.get("description", "")).strip(),
        sparql=text,
        params=tuple(params),
    )


def variables(sparql: str) -> set[str]:
    """Variable names used in a query, ignoring comments, strings and IRIs."""
    code = re.sub(r'"""[\s\S]*?"""|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'', '""', sparql)
    code = re.sub(r"<[^<>\s]*>", "<>", code)
    code = re.sub(r"#[^\n]*", "", code)
    return set(re.findall(r"[?$]([A-Za-z_][A-Za-z0-9_]*)", code))


def queries_dir() -> Traversable:
    """Where the .rq files are: env KG_QUERIES, else the packaged kg/data/queries."""
    env = os.environ.get("KG_QUERIES")
    if env:
        return Path(env)
    return resources.files("kg") / "data" / "queries"


class Registry:
    """All saved queries of one folder, parsed and syntax-checked once."""

    def __init__(self, folder: Traversable | Path | None = None) -> None:
        folder = folder if folder is not None else queries_dir()
        if not folder.is_dir():
            raise QueryError(f"no saved-query folder at {folder}")
        self._queries: dict[str, SavedQuery] = {}
        empty = Store()
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if not entry.name.endswith(".rq"):
                continue
            name = entry.name[: -len(".rq")]
            query = parse_query(name, entry.read_text(encoding="utf-8"))
            try:
                empty.query(query.sparql)
            except SyntaxError as err:
                raise QueryError(f"{entry.name}: SPARQL syntax error: {err}") from err
            self._queries[name] = query

    def list(self) -> list[SavedQuery]:
        """Every saved query, sorted by name."""
        return list(self._queries.values())

    def names(self) -> list[str]:
        return list(self._queries)

    def get(self, name: str) -> SavedQuery:
        """The query called `name`; UnknownQuery lists the valid names."""
        try:
            return self._queries[name]
        except KeyError:
            raise UnknownQuery(f"no saved query {name!r}; valid names: {', '.join(self._queries)}") from None


@lru_cache(maxsize=4)
def _registry(folder: str) -> Registry:
    return Registry(Path(folder) if os.environ.get("KG_QUERIES") else None)


def registry() -> Registry:
    """The default registry (cached per folder)."""
    return _registry(str(queries_dir()))
