"""The analysts' notebook, as a library: saved queries as DataFrames, filters, tables with links, figures.

`open_source(store=..., endpoint=...)` runs a saved query by name either on a local store (through the
query registry) or through a `kg serve` endpoint (`/queries/{name}.json`) — the same DataFrame either
way. `resolve_filters` turns the notebook's parameters (municipality, year, event) into query
parameters and says plainly when one matches nothing. `sections` runs every saved query with the
filters its declares; the figure functions return matplotlib Figures (made without pyplot, so no
interactive backend is ever needed). Needs the `notebook` extra (pandas, matplotlib, networkx).
"""

from __future__ import annotations

import base64
import csv
import difflib
import html
import io
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure
from pyoxigraph import NamedNode

from kg import store as kgstore
from kg.queries import Param, SavedQuery, registry

ROOT = Path(__file__).resolve().parent.parent

# Which query parameter each notebook filter fills, in order of preference (the first one a query declares).
FILTER_PARAMS: dict[str, tuple[str, ...]] = {
    "municipality": ("municipality", "organisation", "publisher", "entity"),
    "event": ("event", "entity"),
    "year": ("year",),
}

# The column holding the name of the entity in an IRI column (besides `{column}Name`).
NAME_COLUMNS: dict[str, tuple[str, ...]] = {
    "org": ("organisationName",),
    "event": ("eventName", "conferenceName"),
    "document": ("headline",),
    "quotation": ("quote",),
    "span": ("anchor",),
}

# Node kinds by the first segments of an IRI's path under the base.
KINDS = {"id/person/": "person", "id/org/": "organisation", "id/event/": "event", "id/project/": "project"}
KIND_COLOURS = {"person": "#4C72B0", "organisation": "#DD8452", "event": "#55A868", "project": "#C44E52"}


class AnalysisError(Exception):
    """A store or endpoint that cannot be reached, or a query that fails."""


class NothingToDraw(ValueError):
    """The data for a figure is empty (after the filters)."""


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

    def labels(self) -> dict[str, str]:
        """Names for IRIs no result column names: documents by headline (else id)."""
        if self._labels is None:
            self._labels = {}
            try:
                docs = self.frame("documents")
            except (AnalysisError, kgstore.StoreError):
                return self._labels
            for _, row in docs.iterrows():
                self._labels[row["document"]] = _text(row.get("headline")) or _text(row.get("docId")) or row["document"]
        return self._labels


class StoreSource(Source):
    """A local Oxigraph store, opened read-only; queries run through the project's registry."""

    def __init__(self, path: Path | str) -> None:
        super().__init__()
        self.path = Path(path)
        self.store = kgstore.open_read(self.path)
        self.base = kgstore.detect_base(self.store) or _default_base()
        self.label = f"store {self.path}"

    def queries(self) -> list[SavedQuery]:
        return registry().list()

    def _run(self, name: str, params: Mapping[str, str]) -> tuple[list[str], list[dict[str, str]], set[str]]:
        from kg.queries import QueryError

        try:
            results = registry().get(name).run(self.store, params, self.base)
        except QueryError as err:
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


@dataclass
class Filters:
    """The notebook's parameters, resolved: values for query parameters, and what did not match."""

    values: dict[str, str] = field(default_factory=dict)  # filter -> IRI or year
    names: dict[str, str] = field(default_factory=dict)  # filter -> what to call it
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def params_for(self, query: SavedQuery) -> tuple[dict[str, str], list[str], list[str]]:
        """The parameters of `query` these filters fill, the filters applied and those it cannot take."""
        declared = query.param_names
        params: dict[str, str] = {}
        applied, not_applied = [], []
        for name, value in self.values.items():
            target = next((p for p in FILTER_PARAMS[name] if p in declared and p not in params), None)
            if target is None:
                not_applied.append(name)
            else:
                params[target] = value
                applied.append(name)
        return params, applied, not_applied

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


# ---------------------------------------------------------------- tables


def name_column(df: pd.DataFrame, column: str) -> str | None:
    """The column naming the entities of IRI column `column` (`personName` for `person`), if any."""
    for candidate in (column + "Name", *NAME_COLUMNS.get(column, ())):
        if candidate in df.columns and candidate not in df.attrs.get("iri_columns", ()):
            return candidate
    return None


def short_label(iri: str) -> str:
    """The last path segment of an IRI (a readable stand-in for a name)."""
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1] or iri


def _text(value: Any) -> str | None:
    """A cell's string, or None for a missing value (None or NaN)."""
    return value if isinstance(value, str) else None


def _link(href: str, text: str) -> str:
    return f'<a href="{html.escape(href, quote=True)}">{html.escape(text)}</a>'


def linked(df: pd.DataFrame, source: Source) -> pd.DataFrame:
    """The frame for display: names linked to their pages (HTML strings), IRI columns folded into them.

    Columns that are empty in every row (parameters not given), and parameter columns that only
    repeat the parameter's value, are left out.
    """
    params = df.attrs.get("params", {})
    echoes = {c for c, v in params.items() if c in df.columns and len(df) and (df[c] == v).all()}
    iri_columns = list(df.attrs.get("iri_columns", []))
    labels = source.labels()
    out = pd.DataFrame(index=df.index)
    folded = {name_column(df, c): c for c in iri_columns if name_column(df, c)}
    for column in df.columns:
        values = df[column]
        if values.isna().all() or column in echoes:
            continue
        if column in iri_columns and column in folded.values():
            continue
        if column in folded:
            iris = df[folded[column]]
            out[column] = [
                _link(source.page(i), _text(n) or short_label(i)) if isinstance(i, str) else html.escape(_text(n) or "")
                for n, i in zip(values, iris, strict=True)
            ]
        elif column in iri_columns:
            out[column] = [
                _link(source.page(i), labels.get(i) or short_label(i)) if isinstance(i, str) else "" for i in values
            ]
        else:
            out[column] = [html.escape(v) if isinstance(v, str) else "" for v in values]
    return out


@dataclass
class Table:
    """A query result shown as an HTML table with links (and as plain text outside HTML)."""

    df: pd.DataFrame
    source: Source

    def to_html(self) -> str:
        name = self.df.attrs.get("query", "")
        shown = linked(self.df, self.source)
        body = shown.to_html(escape=False, index=False, border=0, classes="kg-table dataframe")
        return body.replace("<table ", f'<table data-query="{html.escape(name)}" ', 1)

    def _repr_html_(self) -> str:
        return self.to_html()

    def _ipython_display_(self) -> None:
        from IPython.display import display

        meta = {"kg-table": self.df.attrs.get("query", ""), "rows": len(self.df)}
        display({"text/html": self.to_html(), "text/plain": repr(self.df)}, raw=True, metadata=meta)


# ---------------------------------------------------------------- sections


@dataclass
class Section:
    """One saved query run with the filters it declares (or skipped, with the reason)."""

    query: SavedQuery
    params: dict[str, str]
    applied: list[str]
    not_applied: list[str]
    skipped: str | None = None
    df: pd.DataFrame | None = None


def plan(source: Source, filters: Filters) -> list[Section]:
    """Every saved query with its parameters from the filters; a query needing a value not given is skipped."""
    out = []
    for q in source.queries():
        params, applied, not_applied = filters.params_for(q)
        missing = [p.name for p in q.params if p.required and p.name not in params and p.default in (None, "")]
        skipped = None
        if not filters.ok:
            skipped = "not run: " + filters.describe()
        elif missing:
            fills = [f for f, targets in FILTER_PARAMS.items() if set(missing) & set(targets)]
            skipped = f"not run: needs {', '.join(missing)}" + (f" — set {' or '.join(fills)}" if fills else "")
        out.append(Section(q, params, applied, not_applied, skipped))
    return out


def sections(source: Source, filters: Filters) -> list[Section]:
    """`plan` with each runnable query run."""
    out = plan(source, filters)
    for s in out:
        if s.skipped is None:
            s.df = source.frame(s.query.name, s.params)
    return out


def show_sections(source: Source, filters: Filters) -> None:
    """Display a heading, description, the filters that applied, and the table for every saved query."""
    from IPython.display import HTML, display

    for s in sections(source, filters):
        q = s.query
        head = f'<h2 id="query-{html.escape(q.name)}">{html.escape(q.title or q.name)} <code>{q.name}</code></h2>'
        notes = [html.escape(q.description)]
        if s.applied:
            notes.append("Filtered by " + ", ".join(f"{f} = {html.escape(filters.names[f])}" for f in s.applied) + ".")
        if s.not_applied:
            notes.append("Not filtered by " + ", ".join(s.not_applied) + " (the query has no such parameter).")
        display(HTML(head + "".join(f"<p>{n}</p>" for n in notes)))
        if s.skipped:
            display(HTML(f'<p class="kg-skipped"><em>{html.escape(s.skipped)}</em></p>'))
        else:
            assert s.df is not None
            display(HTML(f"<p>{len(s.df)} rows.</p>"))
            display(Table(s.df, source))


def show_query_index(source: Source) -> None:
    """Display the saved queries as a list: title linking to its section, name, description, parameters."""
    from IPython.display import HTML, display

    items = []
    for q in source.queries():
        params = ", ".join(f"{p.name}{' (required)' if p.required else ''}" for p in q.params) or "none"
        items.append(
            f'<li><a href="#query-{html.escape(q.name)}"><strong>{html.escape(q.title or q.name)}</strong></a> '
            f"<code>{html.escape(q.name)}</code> — {html.escape(q.description)} "
            f"<em>Parameters: {html.escape(params)}.</em></li>"
        )
    display(HTML(f'<ul class="kg-queries">{"".join(items)}</ul>'))


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


# ---------------------------------------------------------------- figures


def _frame(source: Source, filters: Filters, name: str) -> pd.DataFrame:
    params, _, _ = filters.params_for(source.query(name))
    return source.frame(name, params)


def _new_figure(width: float, height: float) -> tuple[Figure, Any]:
    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    return fig, fig.add_subplot()


def _subtitle(filters: Filters, extra: str = "") -> str:
    parts = [f"{k}: {filters.names[k]}" for k in filters.values]
    return "; ".join(parts + ([extra] if extra else []))


def timeline_figure(events: pd.DataFrame, subtitle: str = "") -> Figure:
    """Events by date as bars from start to end, labelled with their places; undated ones listed below."""
    if events.empty:
        raise NothingToDraw("no events")
    ev = events.copy()
    ev["placeName"] = ev["placeName"].fillna("")
    ev = ev.sort_values("placeName", key=lambda s: s.str.len(), ascending=False).drop_duplicates("event")
    ev["start"] = pd.to_datetime(ev["startDate"], errors="coerce")
    ev["end"] = pd.to_datetime(ev["endDate"], errors="coerce").fillna(ev["start"])
    dated = ev.dropna(subset=["start"]).sort_values("start")
    undated = ev[ev["start"].isna()]
    if dated.empty:
        raise NothingToDraw("no event has a date")
    fig, ax = _new_figure(10, 1.2 + 0.55 * len(dated) + (0.4 if len(undated) else 0))
    span = max((dated["end"].max() - dated["start"].min()).days, 30)
    middle = dated["start"].min() + pd.Timedelta(days=span / 2)
    for y, (_, row) in enumerate(dated.iterrows()):
        width = max((row["end"] - row["start"]).days + 1, span / 250)
        ax.barh(y, pd.Timedelta(days=width), left=row["start"], height=0.5, color=KIND_COLOURS["event"])
        place = f" — {row['placeName']}" if row["placeName"] else ""
        when = row["start"].strftime("%Y-%m-%d")
        label = f"{row['eventName']} ({when}){place}"
        if row["start"] > middle:  # late events: the label to the left of the bar, so it stays inside
            ax.annotate(label + "  ", (row["start"], y), va="center", ha="right", fontsize=8)
        else:
            ax.annotate("  " + label, (row["end"], y), va="center", fontsize=8)
    ax.set_yticks([])
    ax.set_ylim(len(dated) - 0.5, -0.8)
    pad = pd.Timedelta(days=span * 0.05)
    ax.set_xlim(dated["start"].min() - pad, dated["end"].max() + pad)
    ax.grid(axis="x", alpha=0.3)
    ax.set_title("Events by date, with their places" + (f"\n{subtitle}" if subtitle else ""))
    if len(undated):
        pairs = zip(undated["eventName"], undated["placeName"], strict=True)
        names = ", ".join(f"{n} ({p})" if p else n for n, p in pairs)
        ax.set_xlabel(f"Undated: {names}", fontsize=8, loc="left")
    return fig


def speakers_by_type_figure(speakers: pd.DataFrame, organisations: pd.DataFrame, subtitle: str = "") -> Figure:
    """How many people spoke for each type of organisation (Municipality, GovernmentAgency, ...)."""
    types = organisations.drop_duplicates("org").set_index("org")["type"]
    df = speakers.dropna(subset=["person"]).copy()
    if df.empty:
        raise NothingToDraw("no speakers")
    df["type"] = df["org"].map(types).fillna("(no organisation)")
    counts = df.drop_duplicates(["person", "type"]).groupby("type")["person"].nunique().sort_values()
    fig, ax = _new_figure(8, 1.2 + 0.45 * len(counts))
    bars = ax.barh(counts.index, counts.values, color=KIND_COLOURS["organisation"])
    ax.bar_label(bars, padding=3)
    ax.set_xlabel("people quoted")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_title("Speakers per organisation type" + (f"\n{subtitle}" if subtitle else ""))
    return fig


def kind(iri: str, base: str) -> str | None:
    """person, organisation, event or project, by where the IRI lives under the base."""
    path = iri[len(base) :] if iri.startswith(base) else ""
    return next((k for prefix, k in KINDS.items() if path.startswith(prefix)), None)


def network_graph(
    speakers: pd.DataFrame, projects: pd.DataFrame, people: pd.DataFrame, base: str, everything: bool = True
) -> Any:
    """A networkx graph of people, organisations, events and projects (node attributes: kind, label).

    Edges: a speaker and the organisation spoken for and the topic spoken about; a project and its
    organisations; a person and the organisations of their roles. With `everything` False, projects
    and roles are added only where they touch a node the speakers brought in.
    """
    import networkx as nx

    graph = nx.Graph()

    def add(iri: Any, label: Any) -> bool:
        if not isinstance(iri, str) or kind(iri, base) is None:
            return False
        if iri not in graph:
            graph.add_node(iri, kind=kind(iri, base), label=label if isinstance(label, str) else short_label(iri))
        return True

    def edge(a: tuple[Any, Any], b: tuple[Any, Any], relation: str, only_known: bool = False) -> None:
        if only_known and a[0] not in graph and b[0] not in graph:
            return
        if add(*a) and add(*b):
            graph.add_edge(a[0], b[0], relation=relation)

    for _, r in speakers.iterrows():
        edge((r["person"], r["personName"]), (r.get("org"), r.get("organisationName")), "spoke for")
        edge((r["person"], r["personName"]), (r.get("topic"), r.get("topicName")), "spoke about")
    for _, r in projects.iterrows():
        edge((r["project"], r["projectName"]), (r["org"], r["organisationName"]), r["relation"], not everything)
    for _, r in people.iterrows():
        edge((r["person"], r["personName"]), (r.get("org"), r.get("organisationName")), "member of", not everything)
    return graph


def network_figure(graph: Any, subtitle: str = "") -> Figure:
    """The graph drawn with a spring layout, nodes coloured by kind, with a legend."""
    import networkx as nx
    from matplotlib.lines import Line2D

    if graph.number_of_nodes() == 0:
        raise NothingToDraw("no people, organisations, events or projects")
    n = graph.number_of_nodes()
    fig, ax = _new_figure(min(12, 6 + n / 6), min(8, 3.5 + n / 8))
    pos = nx.spring_layout(graph, seed=7, k=1.6 / max(n, 1) ** 0.5)
    nx.draw_networkx_edges(graph, pos, ax=ax, alpha=0.35, width=1.0)
    for k, colour in KIND_COLOURS.items():
        nodes = [n for n, d in graph.nodes(data=True) if d["kind"] == k]
        nx.draw_networkx_nodes(graph, pos, nodelist=nodes, node_color=colour, node_size=260, ax=ax, alpha=0.9)
    labels = {n: d["label"] for n, d in graph.nodes(data=True)}
    nx.draw_networkx_labels(graph, pos, labels=labels, font_size=7, ax=ax, verticalalignment="bottom")
    present = {d["kind"] for _, d in graph.nodes(data=True)}
    handles = [
        Line2D([], [], marker="o", linestyle="", color=c, markersize=9, label=k)
        for k, c in KIND_COLOURS.items()
        if k in present
    ]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    ax.set_axis_off()
    ax.margins(0.08)
    ax.set_title("People, organisations, events and projects" + (f"\n{subtitle}" if subtitle else ""))
    return fig


def municipality_conference_figure(rows: pd.DataFrame, subtitle: str = "") -> Figure:
    """Which municipalities had speakers at which conferences: a dot per pair, sized by people."""
    df = rows.dropna(subset=["municipality", "event"])
    if df.empty:
        raise NothingToDraw("no municipality spoke at a conference")
    df = df.assign(
        conference=[
            f"{n}\n{s}" if isinstance(s, str) and s else f"{n}\n(undated)"
            for n, s in zip(df["conferenceName"], df["conferenceStart"], strict=True)
        ]
    )
    counts = df.groupby(["municipalityName", "conference"])["person"].nunique().reset_index()
    order = df.assign(s=df["conferenceStart"].fillna("9999")).sort_values("s")["conference"].drop_duplicates()
    munis = sorted(counts["municipalityName"].unique(), reverse=True)
    x = {c: i for i, c in enumerate(order)}
    y = {m: i for i, m in enumerate(munis)}
    fig, ax = _new_figure(max(6.5, 2.5 + 1.6 * len(x)), 1.5 + 0.6 * len(y))
    xs, ys = counts["conference"].map(x), counts["municipalityName"].map(y)
    ax.scatter(xs, ys, s=250 + 250 * counts["person"], color=KIND_COLOURS["organisation"], zorder=3)
    for xi, yi, n in zip(xs, ys, counts["person"], strict=True):
        ax.annotate(str(n), (xi, yi), ha="center", va="center", color="white", fontweight="bold", zorder=4)
    ax.set_xticks(range(len(x)), list(x), fontsize=8)
    ax.set_yticks(range(len(y)), list(y))
    ax.set_xlim(-0.6, len(x) - 0.4)
    ax.set_ylim(-0.6, len(y) - 0.4)
    ax.grid(alpha=0.3, zorder=0)
    ax.set_title("Municipalities at conferences (number of speakers)" + (f"\n{subtitle}" if subtitle else ""))
    return fig


def _timeline(source: Source, filters: Filters) -> Figure:
    events = _frame(source, filters, "events")
    extra = ""
    if "municipality" in filters.values:
        docs = set(source.frame("mentions-of", {"entity": filters.values["municipality"]})["document"])
        events = events[events["document"].isin(docs)]
        extra = f"events in press releases that mention {filters.names['municipality']}"
    return timeline_figure(events, _subtitle(filters, extra))


def _speakers_by_type(source: Source, filters: Filters) -> Figure:
    return speakers_by_type_figure(
        _frame(source, filters, "speakers"), source.frame("organisations"), _subtitle(filters)
    )


def _network(source: Source, filters: Filters) -> Figure:
    return network_figure(network_graph_for(source, filters), _subtitle(filters))


def network_graph_for(source: Source, filters: Filters) -> Any:
    """The network of the filtered data (see `network_graph`)."""
    return network_graph(
        _frame(source, filters, "speakers"),
        _frame(source, filters, "projects"),
        _frame(source, filters, "people"),
        source.base,
        everything=not filters.values,
    )


def _municipality_conferences(source: Source, filters: Filters) -> Figure:
    return municipality_conference_figure(_frame(source, filters, "municipality-speakers"), _subtitle(filters))


FIGURES: dict[str, tuple[str, Callable[[Source, Filters], Figure]]] = {
    "timeline": ("Timeline of events, with their places", _timeline),
    "speakers-by-type": ("Speakers per organisation type", _speakers_by_type),
    "network": ("Network of people, organisations, events and projects", _network),
    "municipality-conferences": ("Which municipalities appear at which conferences", _municipality_conferences),
}


def figure(name: str, source: Source, filters: Filters) -> Figure:
    """The figure `name` (a key of FIGURES) of the filtered data; NothingToDraw when it would be empty."""
    if not filters.ok:
        raise NothingToDraw(filters.describe())
    return FIGURES[name][1](source, filters)


def png(fig: Figure, dpi: int = 100) -> bytes:
    """A figure as PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def show_figure(name: str, source: Source, filters: Filters) -> None:
    """Display the figure's title and the figure as PNG, or say why there is nothing to draw."""
    from IPython.display import HTML, display

    title = FIGURES[name][0]
    display(HTML(f'<h3 id="figure-{name}">{html.escape(title)}</h3>'))
    try:
        fig = figure(name, source, filters)
    except NothingToDraw as err:
        display(HTML(f'<p class="kg-skipped"><em>Nothing to draw: {html.escape(str(err))}</em></p>'))
        return
    data = base64.b64encode(png(fig)).decode("ascii")
    display({"image/png": data, "text/plain": f"<Figure: {title}>"}, raw=True, metadata={"kg-figure": name})


def figure_names() -> Iterable[str]:
    return list(FIGURES)
