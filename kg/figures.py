"""The notebook's pictures, bounded so that they stay readable at any size of store.

Each figure is drawn from the saved queries with every filter applied (`analysis.filtered`), as a
matplotlib Figure made without pyplot (no interactive backend is ever needed), at most
`MAX_INCHES` in size. Where the data holds more than a picture can show, the figure draws the top
of it and says so in its title: the events mentioned in most press releases, the best-connected
nodes of the network, the conferences and municipalities with most speakers. The network is laid
out by networkx's spring layout on at most `LAYOUT_LIMIT` nodes, which needs numpy only (networkx
turns to scipy from 500 nodes on, and scipy is no dependency of this project).
"""

from __future__ import annotations

import base64
import heapq
import html
import io
from collections.abc import Callable
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from kg.analysis import Filters, Source, filtered, short_label

MAX_INCHES = (12.0, 11.0)  # width, height of any figure (at 100 dpi: 1200 x 1100 pixels)
EVENTS = 30  # bars of the timeline
NODES = 60  # nodes of the network
LAYOUT_LIMIT = 400  # most nodes ever laid out (networkx needs scipy from 500)
CONFERENCES = 12  # columns of the municipalities-at-conferences chart
MUNICIPALITIES = 20  # its rows
TYPES = 15  # bars of the speakers-per-type chart
LABEL = 60  # characters of a label drawn in a figure

# Node kinds by the first segments of an IRI's path under the base.
KINDS = {"id/person/": "person", "id/org/": "organisation", "id/event/": "event", "id/project/": "project"}
KIND_COLOURS = {"person": "#4C72B0", "organisation": "#DD8452", "event": "#55A868", "project": "#C44E52"}


class NothingToDraw(ValueError):
    """The data for a figure is empty (after the filters)."""


def _new_figure(width: float, height: float) -> tuple[Figure, Any]:
    size = (min(width, MAX_INCHES[0]), min(height, MAX_INCHES[1]))
    fig = Figure(figsize=size, dpi=100, layout="constrained")
    return fig, fig.add_subplot()


def _title(title: str, subtitle: str = "", note: str = "") -> str:
    return "\n".join(part for part in (title, subtitle, note) if part)


def _short(text: str, limit: int = LABEL) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _subtitle(filters: Filters) -> str:
    return "; ".join(f"{k}: {filters.names[k]}" for k in filters.values)


def _day(dates: pd.Series) -> pd.Series:
    """xsd:date or xsd:dateTime strings as days (NaT where there is none); times and zones are dropped."""
    return pd.to_datetime(dates.str[:10], errors="coerce", format="%Y-%m-%d")


def timeline_figure(events: pd.DataFrame, subtitle: str = "", top: int = EVENTS) -> Figure:
    """Events by date as bars from start to end, labelled with their places; undated ones listed below.

    Of more than `top` dated events, the `top` mentioned in most press releases are drawn.
    """
    if events.empty:
        raise NothingToDraw("no events")
    mentions = events.groupby("event")["document"].nunique()
    ev = events.copy()
    ev["placeName"] = ev["placeName"].fillna("")
    ev = ev.sort_values("placeName", key=lambda s: s.str.len(), ascending=False).drop_duplicates("event")
    ev["start"], ev["end"] = _day(ev["startDate"]), _day(ev["endDate"])
    ev["end"] = ev["end"].fillna(ev["start"])
    ev["mentions"] = ev["event"].map(mentions)
    dated = ev.dropna(subset=["start"])
    undated = ev[ev["start"].isna()].sort_values(["mentions", "eventName"], ascending=[False, True])
    if dated.empty:
        raise NothingToDraw("no event has a date")
    note = ""
    if len(dated) > top:
        note = f"the {top} mentioned in most press releases, of {len(dated):,} dated events"
        dated = dated.sort_values(["mentions", "start"], ascending=[False, True]).head(top)
    dated = dated.sort_values("start")
    fig, ax = _new_figure(11, 1.5 + 0.3 * len(dated) + (0.5 if len(undated) else 0))
    span = max((dated["end"].max() - dated["start"].min()).days, 30)
    labels = []
    for y, (_, row) in enumerate(dated.iterrows()):
        width = max((row["end"] - row["start"]).days + 1, span / 150)
        ax.barh(y, pd.Timedelta(days=width), left=row["start"], height=0.6, color=KIND_COLOURS["event"])
        place = f" — {_short(row['placeName'], 30)}" if row["placeName"] else ""
        labels.append(f"{_short(row['eventName'], 40)} ({row['start'].strftime('%Y-%m-%d')}){place}")
    ax.set_yticks(range(len(dated)), labels, fontsize=8)
    ax.set_ylim(len(dated) - 0.5, -0.5)
    pad = pd.Timedelta(days=span * 0.05)
    ax.set_xlim(dated["start"].min() - pad, dated["end"].max() + pad)
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(_title("Events by date, with their places", subtitle, note))
    if len(undated):
        names = ", ".join(_short(n, 30) for n in undated["eventName"].head(4))
        more = f" and {len(undated) - 4:,} more" if len(undated) > 4 else ""
        ax.set_xlabel(f"Undated: {names}{more}", fontsize=8, loc="left")
    return fig


def speakers_by_type_figure(
    speakers: pd.DataFrame, organisations: pd.DataFrame, subtitle: str = "", top: int = TYPES
) -> Figure:
    """How many people spoke for each type of organisation (Municipality, GovernmentAgency, ...)."""
    types = organisations.drop_duplicates("org").set_index("org")["type"]
    df = speakers.dropna(subset=["person"]).copy()
    if df.empty:
        raise NothingToDraw("no speakers")
    df["type"] = df["org"].map(types).fillna("(no organisation)")
    counts = df.drop_duplicates(["person", "type"]).groupby("type")["person"].nunique().sort_values()
    note = f"the {top} types with most speakers, of {len(counts)}" if len(counts) > top else ""
    counts = counts.tail(top)
    fig, ax = _new_figure(8, 1.2 + 0.45 * len(counts))
    bars = ax.barh(counts.index, counts.values, color=KIND_COLOURS["organisation"])
    ax.bar_label(bars, padding=3)
    ax.set_xlabel("people quoted")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_title(_title("Speakers per organisation type", subtitle, note))
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


def best_connected(graph: Any, top: int) -> Any:
    """A connected-as-possible subgraph of `top` nodes around the hubs, or the graph when it is smaller.

    Grown from the node with most edges by adding, each time, the neighbour of the nodes taken that
    has most edges (ties: by label); when a component is used up, from the next hub.
    """
    import networkx as nx

    if graph.number_of_nodes() <= top:
        return graph

    def rank(node: Any) -> tuple[int, str, str]:
        return (-graph.degree[node], graph.nodes[node]["label"], node)

    hubs = iter(sorted(graph, key=rank))
    taken: dict[Any, None] = {}
    frontier: list[tuple[int, str, str]] = []
    while len(taken) < top:
        while frontier and frontier[0][2] in taken:
            heapq.heappop(frontier)
        node = heapq.heappop(frontier)[2] if frontier else next(h for h in hubs if h not in taken)
        taken[node] = None
        for neighbour in graph[node]:
            if neighbour not in taken:
                heapq.heappush(frontier, rank(neighbour))
    # a new graph in the order taken: a subgraph view would list its nodes in set order, which changes
    # with Python's hash seed, and so would the layout
    chosen = nx.Graph()
    chosen.add_nodes_from((node, graph.nodes[node]) for node in taken)
    chosen.add_edges_from((u, v, d) for u, v, d in graph.edges(taken, data=True) if v in taken)
    return chosen


def network_figure(graph: Any, subtitle: str = "", top: int = NODES) -> Figure:
    """The `top` best-connected nodes of the graph drawn with a spring layout, coloured by kind, with a legend."""
    import networkx as nx
    from matplotlib.lines import Line2D

    if graph.number_of_nodes() == 0:
        raise NothingToDraw("no people, organisations, events or projects")
    total = graph.number_of_nodes()
    graph = best_connected(graph, min(top, LAYOUT_LIMIT))
    n = graph.number_of_nodes()
    note = f"{n} of {total:,} nodes: the best-connected and their neighbours" if n < total else ""
    fig, ax = _new_figure(min(12, 6 + n / 6), min(8, 3.5 + n / 8))
    pos = nx.spring_layout(graph, seed=7, k=2.5 / max(n, 1) ** 0.5, iterations=100)
    nx.draw_networkx_edges(graph, pos, ax=ax, alpha=0.35, width=1.0)
    for k, colour in KIND_COLOURS.items():
        nodes = [v for v, d in graph.nodes(data=True) if d["kind"] == k]
        nx.draw_networkx_nodes(graph, pos, nodelist=nodes, node_color=colour, node_size=260, ax=ax, alpha=0.9)
    labels = {v: _short(d["label"], 40) for v, d in graph.nodes(data=True)}
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
    ax.set_title(_title("People, organisations, events and projects", subtitle, note))
    return fig


def municipality_conference_figure(
    rows: pd.DataFrame, subtitle: str = "", conferences: int = CONFERENCES, municipalities: int = MUNICIPALITIES
) -> Figure:
    """Which municipalities had speakers at which conferences: a dot per pair, sized by people.

    Of more, the `conferences` conferences with most speakers, and of their municipalities those with most.
    """
    df = rows.dropna(subset=["municipality", "event"])
    if df.empty:
        raise NothingToDraw("no municipality spoke at a conference")
    df = df.assign(
        conference=[
            f"{_short(n, 40)}\n{s}" if isinstance(s, str) and s else f"{_short(n, 40)}\n(undated)"
            for n, s in zip(df["conferenceName"], df["conferenceStart"], strict=True)
        ]
    )
    notes = []
    by_conference = df.groupby("event")["person"].nunique().sort_values(ascending=False, kind="stable")
    if len(by_conference) > conferences:
        notes.append(f"the {conferences} conferences with most speakers, of {len(by_conference):,}")
        df = df[df["event"].isin(by_conference.index[:conferences])]
    by_municipality = df.groupby("municipalityName")["person"].nunique().sort_values(ascending=False, kind="stable")
    if len(by_municipality) > municipalities:
        notes.append(f"the {municipalities} municipalities with most speakers there, of {len(by_municipality):,}")
        df = df[df["municipalityName"].isin(by_municipality.index[:municipalities])]
    counts = df.groupby(["municipalityName", "conference"])["person"].nunique().reset_index()
    order = df.assign(s=df["conferenceStart"].fillna("9999")).sort_values("s")["conference"].drop_duplicates()
    munis = sorted(counts["municipalityName"].unique(), reverse=True)
    x = {c: i for i, c in enumerate(order)}
    y = {m: i for i, m in enumerate(munis)}
    fig, ax = _new_figure(max(6.5, 2.5 + 1.0 * len(x)), 1.5 + 0.5 * len(y))
    xs, ys = counts["conference"].map(x), counts["municipalityName"].map(y)
    ax.scatter(xs, ys, s=200 + 150 * counts["person"].clip(upper=8), color=KIND_COLOURS["organisation"], zorder=3)
    for xi, yi, n in zip(xs, ys, counts["person"], strict=True):
        ax.annotate(str(n), (xi, yi), ha="center", va="center", color="white", fontweight="bold", zorder=4)
    ax.set_xticks(
        range(len(x)), list(x), fontsize=7, rotation=30 if len(x) > 5 else 0, ha="right" if len(x) > 5 else "center"
    )
    ax.set_yticks(range(len(y)), list(y))
    ax.set_xlim(-0.6, len(x) - 0.4)
    ax.set_ylim(-0.6, len(y) - 0.4)
    ax.grid(alpha=0.3, zorder=0)
    title = "Municipalities at conferences (number of speakers)"
    ax.set_title(_title(title, subtitle, "; ".join(notes)))
    return fig


def _frame(source: Source, filters: Filters, name: str) -> pd.DataFrame:
    return filtered(source, filters, source.query(name))[0]


def _timeline(source: Source, filters: Filters) -> Figure:
    return timeline_figure(_frame(source, filters, "events"), _subtitle(filters))


def _speakers_by_type(source: Source, filters: Filters) -> Figure:
    return speakers_by_type_figure(
        _frame(source, filters, "speakers"), source.frame("organisations"), _subtitle(filters)
    )


def network_graph_for(source: Source, filters: Filters) -> Any:
    """The network of the filtered data (see `network_graph`)."""
    return network_graph(
        _frame(source, filters, "speakers"),
        _frame(source, filters, "projects"),
        _frame(source, filters, "people"),
        source.base,
        everything=not filters.values,
    )


def _network(source: Source, filters: Filters) -> Figure:
    return network_figure(network_graph_for(source, filters), _subtitle(filters))


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
