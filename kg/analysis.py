"""The analysts' notebook, as a library: saved queries as DataFrames, the filters, and the sections.

`open_source(store=..., endpoint=...)` runs a saved query by name either on a local store (through the
query registry, answered from the build's materialised views where there are some) or through a
`kg serve` endpoint (`/queries/{name}.json`) — the same DataFrame either way. `resolve_filters` turns
the notebook's parameters (municipality, year, event) into values and says plainly when one matches
nothing. `sections` runs every saved query with every filter: through the query's own parameter
where it declares one (bound as an RDF term by the registry), else on the rows' `document` — only
the press releases that mention the municipality or event, or were published in the year. Tables
are drawn by kg/tables.py, figures by kg/figures.py. Needs the `notebook` extra (pandas, matplotlib,
networkx).
"""

from __future__ import annotations

import csv
import difflib
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pandas as pd
from pyoxigraph import NamedNode

from kg import store as kgstore
from kg.queries import Param, SavedQuery, registry

ROOT = Path(__file__).resolve().parent.parent

# Which query parameter each notebook filter fills, in order of preference (the first one a query declares).
# A query declaring none of them is filtered on its rows' documents (DOCUMENT_FILTERS).
FILTER_PARAMS: dict[str, tuple[str, ...]] = {
    "municipality": ("municipality", "organisation", "entity"),
    "event": ("event", "about", "entity"),
    "year": ("year",),
}

# What a filter keeps of a query that has no parameter for it: the rows whose `document` is one of these.
DOCUMENT_FILTERS: dict[str, str] = {
    "municipality": "only rows from press releases that mention it",
    "event": "only rows from press releases that mention it",
    "year": "only rows from press releases published in that year",
}


class AnalysisError(Exception):
    """A store or endpoint that cannot be reached, or a query that fails."""


# ---------------------------------------------------------------- sources


class Source:
    """Where the data comes from; runs saved queries by name. Subclasses: StoreSource, EndpointSource."""

    base: str
    label: str

    def __init__(self) -> None:
        self._cache: dict[tuple[str, tuple[tuple[str, str], ...]], pd.DataFrame] = {}
        self._labels: dict[str, str] | None = None

    def queries(self) -> list[SavedQuery]:
        """The saved queries with their titles, descriptions and parameters."""
        raise NotImplementedError

    def query(self, name: str) -> SavedQuery:
        for q in self.queries():
            if q.name == name:
                return q
        raise AnalysisError(f"no saved query {name!r}; there are: {', '.join(q.name for q in self.queries())}")

    def _run(self, name: str, params: Mapping[str, str]) -> tuple[list[str], list[dict[str, str]], set[str]]:
        raise NotImplementedError

    def frame(self, name: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
        """The saved query `name` run with `params` as a DataFrame of strings (IRIs as full IRIs).

        `df.attrs` holds the query name, the parameters and the IRI columns.
        """
        clean = {k: str(v) for k, v in (params or {}).items() if v is not None and v != ""}
        key = (name, tuple(sorted(clean.items())))
        if key not in self._cache:
            names, rows, iri_columns = self._run(name, clean)
            df = pd.DataFrame([[r.get(n) for n in names] for r in rows], columns=names, dtype=object)
            df.attrs.update(query=name, params=clean, iri_columns=sorted(iri_columns & set(names)))
            self._cache[key] = df
        return self._cache[key].copy()

    def page(self, iri: str) -> str:
        """The address of an IRI's page: the IRI itself (a store has no server)."""
        return iri

    def query_url(self, name: str, params: Mapping[str, str]) -> str | None:
        """The address of the saved query's answer with these parameters, where a server gives one."""
        return None

    def labels(self) -> dict[str, str]:
        """Names for IRIs no result column names: documents by headline (else id)."""
        if self._labels is None:
            self._labels = {}
            try:
                docs = self.frame("documents")
            except (AnalysisError, kgstore.StoreError):
                return self._labels
            for _, row in docs.iterrows():
                self._labels[row["document"]] = (
                    cell_text(row.get("headline")) or cell_text(row.get("docId")) or row["document"]
                )
        return self._labels


class StoreSource(Source):
    """A local Oxigraph store, opened read-only; queries run through the project's registry, answered
    from the build's materialised views (kg/views.py) when they are fresh, as `kg query` does."""

    def __init__(self, path: Path | str) -> None:
        super().__init__()
        self.path = Path(path)
        self.store = kgstore.open_read(self.path)
        self.base = kgstore.detect_base(self.store) or _default_base()
        self.label = f"store {self.path}"

    def queries(self) -> list[SavedQuery]:
        return registry().list()

    def _run(self, name: str, params: Mapping[str, str]) -> tuple[list[str], list[dict[str, str]], set[str]]:
        from kg import views
        from kg.queries import QueryError

        try:
            saved = registry().get(name)
            terms = saved.bind(params, self.base)
            results = views.view_results(self.path, saved, terms)
            if results is None:
                results = kgstore.query(self.store, saved.sparql, terms)
        except (QueryError, kgstore.StoreError) as err:
            raise AnalysisError(str(err)) from err
        names = [v.value for v in results.variables]
        rows, iris = [], set()
        for sol in results:
            row = {}
            for n in names:
                term = sol[n]
                if term is not None:
                    row[n] = term.value
                    if isinstance(term, NamedNode):
                        iris.add(n)
            rows.append(row)
        return names, rows, iris


class EndpointSource(Source):
    """A `kg serve` server: the saved queries from GET /queries, results from /queries/{name}.json."""

    def __init__(self, url: str, timeout: float = 60.0) -> None:
        import httpx

        super().__init__()
        self.url = url.rstrip("/") + "/"
        self.label = f"endpoint {self.url}"
        self._client = httpx.Client(base_url=self.url, timeout=timeout, headers={"accept": "application/json"})
        listing = self._get("queries", {})
        self._queries = [_saved_query(q) for q in listing.get("queries", [])]
        self.base = self._uri_space() or self.url

    def _get(self, path: str, params: Mapping[str, str]) -> Any:
        import httpx

        try:
            response = self._client.get(path, params=dict(params))
        except httpx.HTTPError as err:
            raise AnalysisError(f"cannot reach {self.url}{path}: {err}") from err
        if response.status_code != 200:
            try:
                detail = response.json().get("detail") or response.text
            except ValueError:
                detail = response.text
            raise AnalysisError(f"{self.url}{path} answered {response.status_code}: {str(detail)[:300]}")
        return response.json()

    def _uri_space(self) -> str | None:
        """The base IRI the server serves pages for (void:uriSpace of its VoID description)."""
        from pyoxigraph import RdfFormat, parse

        try:
            response = self._client.get(".well-known/void", headers={"accept": "text/turtle"})
            triples = parse(response.content, format=RdfFormat.TURTLE, base_iri=self.url)
            for t in triples:
                if t.predicate.value == "http://rdfs.org/ns/void#uriSpace":
                    return t.object.value
        except Exception:  # an old server without VoID: links go to the IRIs
            return None
        return None

    def queries(self) -> list[SavedQuery]:
        return list(self._queries)

    def _run(self, name: str, params: Mapping[str, str]) -> tuple[list[str], list[dict[str, str]], set[str]]:
        data = self._get(f"queries/{name}.json", params)
        names = data["head"]["vars"]
        rows, iris = [], set()
        for binding in data["results"]["bindings"]:
            row = {}
            for n, term in binding.items():
                row[n] = term["value"]
                if term["type"] == "uri":
                    iris.add(n)
            rows.append(row)
        return names, rows, iris

    def page(self, iri: str) -> str:
        """The server's own page for an IRI under its base; other IRIs link to themselves."""
        if iri.startswith(self.base):
            return self.url + iri[len(self.base) :]
        return iri

    def query_url(self, name: str, params: Mapping[str, str]) -> str | None:
        """The server's page of the saved query run with these parameters (HTML, 100 rows a page)."""
        query = f"?{urlencode(dict(params))}" if params else ""
        return f"{self.url}queries/{name}{query}"


def _saved_query(item: Mapping[str, Any]) -> SavedQuery:
    params = tuple(Param(**{k: v for k, v in p.items() if k in Param.__dataclass_fields__}) for p in item["params"])
    return SavedQuery(item["name"], item.get("title", ""), item.get("description", ""), item.get("sparql", ""), params)


def _default_base() -> str:
    from kg.build import default_base

    return default_base()


def default_store() -> Path:
    """The store used when none is given: $KG_STORE or ./data/kg.oxigraph, else the one beside this checkout."""
    path = kgstore.default_store_path()
    if not kgstore.is_store(path) and not path.is_absolute() and kgstore.is_store(ROOT / path):
        return ROOT / path
    return path


def open_source(store: Path | str | None = None, endpoint: str | None = None) -> Source:
    """A store (default: `default_store()`) or, when `endpoint` is given, a `kg serve` URL."""
    if store is not None and endpoint:
        raise AnalysisError("give a store or an endpoint, not both")
    if endpoint:
        return EndpointSource(endpoint)
    return StoreSource(Path(store) if store is not None else default_store())


# ---------------------------------------------------------------- filters


@dataclass(frozen=True)
class Applied:
    """How one filter applies to one saved query: through its parameter `param`, or (None) on the rows'
    documents; `how` says in a line what it keeps."""

    filter: str
    param: str | None
    how: str


@dataclass
class Filters:
    """The notebook's parameters, resolved: values for query parameters, and what did not match."""

    values: dict[str, str] = field(default_factory=dict)  # filter -> IRI or year
    names: dict[str, str] = field(default_factory=dict)  # filter -> what to call it
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def params_for(self, query: SavedQuery) -> tuple[dict[str, str], list[Applied]]:
        """The parameters of `query` these filters fill, and how each filter applies to it."""
        declared = {p.name: p for p in query.params}
        params: dict[str, str] = {}
        applied = []
        for name, value in self.values.items():
            target = next((p for p in FILTER_PARAMS[name] if p in declared and p not in params), None)
            if target is None:
                applied.append(Applied(name, None, DOCUMENT_FILTERS[name]))
            else:
                params[target] = value
                applied.append(Applied(name, target, declared[target].description or f"its parameter {target}"))
        return params, applied

    def describe(self) -> str:
        if self.problems:
            return " ".join(self.problems)
        if not self.values:
            return "No filters: everything in the store."
        return "Filters: " + "; ".join(f"{k} = {self.names[k]}" for k in self.values) + "."

    def _repr_html_(self) -> str:
        if self.problems:
            items = "".join(f"<li>{html.escape(p)}</li>" for p in self.problems)
            return f'<div class="kg-problem" style="color:#a00"><strong>Nothing to show.</strong><ul>{items}</ul></div>'
        return f'<p class="kg-filters">{html.escape(self.describe())}</p>'

    def _ipython_display_(self) -> None:
        from IPython.display import display

        metadata = {"kg-problem": self.problems} if self.problems else {}
        display({"text/html": self._repr_html_(), "text/plain": self.describe()}, raw=True, metadata=metadata)


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str  # Eskilstuna kommun
    iri: str
    forms: tuple[str, ...] = ()  # names, code and IRI forms it is known by


def municipalities(base: str) -> list[Municipality]:
    """Every Swedish municipality of the reference data (kg/data/municipalities.csv)."""
    out = []
    with (resources.files("kg") / "data" / "municipalities.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            code, iri = r["code"], f"{base}id/org/kommun-{r['code']}"
            forms = (r["name"], r["org_name"], r["legal_name"], f"{r['name']} kommun", code, iri)
            forms += (f"kommun-{code}", f"id/org/kommun-{code}", f"/id/org/kommun-{code}")
            out.append(Municipality(code, r["org_name"], iri, tuple(_fold(x) for x in forms)))
    return out


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().casefold())


def find_municipality(text: str, base: str) -> Municipality | None:
    """A municipality by name ("Eskilstuna", "Eskilstuna kommun", "Västerås stad"), code or IRI."""
    wanted = _fold(text)
    return next((m for m in municipalities(base) if wanted in m.forms), None)


def resolve_filters(
    source: Source, municipality: str | None = None, year: int | str | None = None, event: str | None = None
) -> Filters:
    """Check the notebook's parameters against the data; each that matches nothing becomes a problem."""
    filters = Filters()
    if municipality not in (None, ""):
        found = find_municipality(str(municipality), source.base)
        if found is None:
            close = difflib.get_close_matches(
                str(municipality), [m.name for m in municipalities(source.base)], n=3, cutoff=0.6
            )
            hint = f" Did you mean {', '.join(close)}?" if close else ""
            filters.problems.append(f"No municipality matches {str(municipality)!r}.{hint}")
        else:
            mentioned = set(source.frame("organisations", {"class": "Municipality"})["org"])
            if found.iri not in mentioned:
                filters.problems.append(f"No press release in this {source.label} mentions {found.name}.")
            filters.values["municipality"], filters.names["municipality"] = found.iri, found.name
    if year not in (None, ""):
        text = str(year).strip()
        if not re.fullmatch(r"\d{4}", text):
            filters.problems.append(f"The year must have four digits, not {text!r}.")
        else:
            filters.values["year"], filters.names["year"] = text, text
    if event not in (None, ""):
        events = source.frame("events").drop_duplicates("event")
        text = str(event).strip()
        iri = text if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", text) else source.base + text.lstrip("/")
        match = events[(events["event"] == iri) | (events["eventName"].fillna("").map(_fold) == _fold(text))]
        if match.empty:
            filters.problems.append(f"No event matches {text!r}.")
        elif len(match) > 1:
            listed = "; ".join(f"{n} <{i}>" for n, i in zip(match["eventName"], match["event"], strict=True))
            filters.problems.append(f"Several events are called {text!r}; give the IRI of one: {listed}.")
        else:
            filters.values["event"], filters.names["event"] = match["event"].iloc[0], match["eventName"].iloc[0]
    return filters


def short_label(iri: str) -> str:
    """The last path segment of an IRI (a readable stand-in for a name)."""
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1] or iri


def cell_text(value: Any) -> str | None:
    """A cell's string, or None for a missing value (None or NaN)."""
    return value if isinstance(value, str) else None


# ---------------------------------------------------------------- sections


def filter_documents(source: Source, filters: Filters, name: str) -> set[str]:
    """The press releases filter `name` keeps: those mentioning the municipality or event, or published
    in the year (through the saved queries `mentions-of` and `documents`)."""
    value = filters.values[name]
    if name == "year":
        return set(source.frame("documents", {"year": value})["document"])
    return set(source.frame("mentions-of", {"entity": value})["document"])


def filtered(source: Source, filters: Filters, query: SavedQuery) -> tuple[pd.DataFrame, list[Applied], list[str]]:
    """`query` run with every filter: its parameters, then its rows kept by document for the rest.

    Returns the rows, the filters applied, and a line for each filter that cannot apply (a result
    without a `document` column). `df.attrs["by_document"]` names the filters applied on documents.
    """
    params, applied = filters.params_for(query)
    df = source.frame(query.name, params)
    attrs = dict(df.attrs)
    kept, cannot = [], []
    for a in applied:
        if a.param is None:
            if "document" not in df.columns:
                cannot.append(f"Not filtered by {a.filter}: its rows name no press release to select by.")
                continue
            df = df[df["document"].isin(filter_documents(source, filters, a.filter))]
        kept.append(a)
    df = df.reset_index(drop=True)
    df.attrs.update(attrs, by_document=[a.filter for a in kept if a.param is None])
    return df, kept, cannot


@dataclass
class Section:
    """One saved query run with every filter (or skipped, with the reason)."""

    query: SavedQuery
    params: dict[str, str]
    applied: list[Applied]
    not_applied: list[str] = field(default_factory=list)  # one line per filter that cannot apply: why
    skipped: str | None = None
    df: pd.DataFrame | None = None

    def describe_filters(self, filters: Filters) -> list[str]:
        """One line per filter: what it keeps of this section, or why it cannot apply."""
        lines = [f"{a.filter} = {filters.names[a.filter]}: {a.how}." for a in self.applied]
        return lines + self.not_applied

    def full_answer_url(self, source: Source) -> str | None:
        """The server's page of exactly this answer: only when every filter went through a parameter."""
        if self.df is None or self.df.attrs.get("by_document"):
            return None
        return source.query_url(self.query.name, self.params)


def plan(source: Source, filters: Filters) -> list[Section]:
    """Every saved query with its parameters from the filters; a query needing a value not given is skipped."""
    out = []
    for q in source.queries():
        params, applied = filters.params_for(q)
        missing = [p.name for p in q.params if p.required and p.name not in params and p.default in (None, "")]
        skipped = None
        if not filters.ok:
            skipped = "not run: " + filters.describe()
        elif missing:
            fills = [f for f, targets in FILTER_PARAMS.items() if set(missing) & set(targets)]
            skipped = f"not run: needs {', '.join(missing)}" + (f" — set {' or '.join(fills)}" if fills else "")
        out.append(Section(q, params, applied, skipped=skipped))
    return out


def sections(source: Source, filters: Filters) -> list[Section]:
    """`plan` with each runnable query run and filtered."""
    out = plan(source, filters)
    for s in out:
        if s.skipped is None:
            s.df, s.applied, s.not_applied = filtered(source, filters, s.query)
    return out


def query_index(source: Source) -> pd.DataFrame:
    """The saved queries: name, title, description, parameters."""
    rows = [
        {
            "name": q.name,
            "title": q.title,
            "description": q.description,
            "parameters": ", ".join(f"{p.name}{' (required)' if p.required else ''}" for p in q.params),
        }
        for q in source.queries()
    ]
    return pd.DataFrame(rows)
