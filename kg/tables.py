"""The notebook's tables: a saved query's rows as HTML with names linked, bounded to the top rows.

A report must stay readable at any size of store, so a table shows its first `rows` rows (the query's
own order) and says "Showing 50 of 30,581 rows", linking to the whole answer: a CSV file written
beside the report (`show_sections(..., csv_folder=...)`, spreadsheet-safe) and, on a `kg serve`
endpoint, the server's page of the saved query with the same parameters when every filter went
through one.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kg.analysis import Filters, Section, Source, cell_text, sections, short_label
from kg.spreadsheet import csv_safe

ROWS = 50  # rows a table shows unless told otherwise

# The column holding the name of the entity in an IRI column (besides `{column}Name`).
NAME_COLUMNS: dict[str, tuple[str, ...]] = {
    "org": ("organisationName",),
    "event": ("eventName", "conferenceName"),
    "document": ("headline",),
    "quotation": ("quote",),
    "span": ("anchor",),
}


def name_column(df: pd.DataFrame, column: str) -> str | None:
    """The column naming the entities of IRI column `column` (`personName` for `person`), if any."""
    for candidate in (column + "Name", *NAME_COLUMNS.get(column, ())):
        if candidate in df.columns and candidate not in df.attrs.get("iri_columns", ()):
            return candidate
    return None


def _link(href: str, text: str) -> str:
    return f'<a href="{html.escape(href, quote=True)}">{html.escape(text)}</a>'


def linked(df: pd.DataFrame, source: Source, rows: int | None = None) -> pd.DataFrame:
    """The frame for display: names linked to their pages (HTML strings), IRI columns folded into them;
    only the first `rows` rows (None: all).

    Columns that are empty in every row of the whole frame (parameters not given), and parameter
    columns that only repeat the parameter's value, are left out.
    """
    params = df.attrs.get("params", {})
    echoes = {c for c, v in params.items() if c in df.columns and len(df) and (df[c] == v).all()}
    iri_columns = list(df.attrs.get("iri_columns", []))
    folded = {name_column(df, c): c for c in iri_columns if name_column(df, c)}
    shown = df if rows is None else df.head(rows)
    labels = source.labels() if any(c in iri_columns and c not in folded.values() for c in df.columns) else {}
    out = pd.DataFrame(index=shown.index)
    for column in df.columns:
        if df[column].isna().all() or column in echoes:
            continue
        if column in iri_columns and column in folded.values():
            continue
        values = shown[column]
        if column in folded:
            iris = shown[folded[column]]
            out[column] = [
                _link(source.page(i), cell_text(n) or short_label(i))
                if isinstance(i, str)
                else html.escape(cell_text(n) or "")
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
    """A query result shown as an HTML table with links: its first `rows` rows (None: all), how many
    there are, and links to the whole answer (`full`: text -> address)."""

    df: pd.DataFrame
    source: Source
    rows: int | None = ROWS
    full: dict[str, str] = field(default_factory=dict)

    @property
    def shown(self) -> int:
        return len(self.df) if self.rows is None else min(self.rows, len(self.df))

    def count(self) -> str:
        """'Showing 50 of 30,581 rows …' with the links to the whole answer, as HTML."""
        total = len(self.df)
        if self.shown == total:
            text = {0: "No rows.", 1: "1 row."}.get(total, f"All {total:,} rows.")
        else:
            text = f"Showing the first {self.shown:,} of {total:,} rows (in the query's order)."
        if self.full and total:
            text += " The whole answer: " + ", ".join(_link(href, label) for label, href in self.full.items()) + "."
        return f'<p class="kg-count" data-shown="{self.shown}" data-total="{total}">{text}</p>'

    def to_html(self) -> str:
        name = self.df.attrs.get("query", "")
        shown = linked(self.df, self.source, self.rows)
        body = shown.to_html(escape=False, index=False, border=0, classes="kg-table")
        return self.count() + body.replace("<table ", f'<table data-query="{html.escape(name)}" ', 1)

    def _repr_html_(self) -> str:
        return self.to_html()

    def _ipython_display_(self) -> None:
        from IPython.display import display

        meta = {"kg-table": self.df.attrs.get("query", ""), "rows": len(self.df), "shown": self.shown}
        text = repr(self.df.head(self.shown))
        display({"text/html": self.to_html(), "text/plain": text}, raw=True, metadata=meta)


def write_csv(df: pd.DataFrame, path: Path) -> Path:
    """The whole answer as a spreadsheet-safe CSV (every column, IRIs in full)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = df.to_csv(index=False, lineterminator="\r\n")
    path.write_bytes(csv_safe(text.encode("utf-8")))
    return path


def full_answers(section: Section, source: Source, csv_folder: Path | str | None) -> dict[str, str]:
    """Where the whole answer of a section is: its CSV written into `csv_folder` (linked as
    `FOLDER/NAME.csv`, the folder being beside the report), and the server's page when it is exact."""
    links: dict[str, str] = {}
    if csv_folder is not None and section.df is not None:
        path = write_csv(section.df, Path(csv_folder) / f"{section.query.name}.csv")
        links[path.name] = f"{path.parent.name}/{path.name}"
    url = section.full_answer_url(source)
    if url:
        links["on the server"] = url
    return links


def show_sections(
    source: Source, filters: Filters, rows: int | None = ROWS, csv_folder: Path | str | None = None
) -> None:
    """Display a heading, description, a line per filter, and the table for every saved query.

    Each table shows its first `rows` rows; with `csv_folder`, each whole answer is written there as CSV.
    """
    from IPython.display import HTML, display

    for s in sections(source, filters):
        q = s.query
        head = f'<h2 id="query-{html.escape(q.name)}">{html.escape(q.title or q.name)} <code>{q.name}</code></h2>'
        lines = "".join(f"<li>{html.escape(line)}</li>" for line in s.describe_filters(filters))
        notes = f"<p>{html.escape(q.description)}</p>" + (
            f'<ul class="kg-section-filters">{lines}</ul>' if lines else ""
        )
        display(HTML(head + notes))
        if s.skipped:
            display(HTML(f'<p class="kg-skipped"><em>{html.escape(s.skipped)}</em></p>'))
        else:
            assert s.df is not None
            display(Table(s.df, source, rows, full_answers(s, source, csv_folder)))


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
