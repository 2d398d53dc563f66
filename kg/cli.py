"""The `kg` command line: parse input, call library functions, print results."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import click

import kg
from kg import store as kgstore
from kg.search import TYPES as SEARCH_TYPES

CONTEXT = {"help_option_names": ["-h", "--help"]}


def store_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """--store PATH, defaulting to env KG_STORE or ./data/kg.oxigraph."""
    return click.option(
        "--store",
        "store_path",
        type=click.Path(path_type=Path),
        default=None,
        help="Store folder (default: $KG_STORE or ./data/kg.oxigraph).",
    )(f)


def _open(store_path: Path | None) -> Any:
    try:
        return kgstore.open_read(store_path)
    except kgstore.StoreError as err:
        raise click.ClickException(str(err)) from err


@click.group(context_settings=CONTEXT)
@click.version_option(kg.__version__, prog_name="kg")
def main() -> None:
    """Knowledge graph of Swedish public-sector press releases.

    \b
    Example:
        kg build seeds && kg query speakers --format table
    """


@main.command()
@click.argument("dirs", nargs=-1, required=True, type=click.Path(path_type=Path))
@store_option
@click.option("--base", default=None, help="Base IRI of the data (default: $KG_BASE or https://w3id.org/sv-press-kg/).")
@click.option("--strict", is_flag=True, help="Fail (keeping the previous store) on any unusable file.")
@click.option("--silent", is_flag=True, help="No progress and no timings.")
@click.option(
    "--validate",
    "validate",
    type=click.Choice(["auto", "yes", "no"]),
    default="auto",
    show_default=True,
    help="Check the new store against the SHACL shapes (auto: up to 2,000 documents).",
)
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Extraction processes (default: cores).")
@click.option(
    "--executor",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="Where extraction runs: processes of this machine, or a Dask cluster (docs/scaling.md).",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    default=None,
    help="With --executor dask: the scheduler (tcp://host:8786); without it a local cluster of --workers processes.",
)
@click.option(
    "--update",
    is_flag=True,
    help="Change the existing store in place: re-extract new and changed documents, drop vanished ones.",
)
@click.option(
    "--views/--no-views",
    "make_views",
    default=True,
    show_default=True,
    help="Materialise every parameter-free saved query's result (instant whole-corpus answers; slow on huge corpora).",
)
@click.option(
    "--refresh-views",
    is_flag=True,
    help="With --update: recompute the materialised views (slow on large stores) instead of dropping them.",
)
@click.option(
    "--dumps/--no-dumps",
    "make_dumps",
    default=True,
    show_default=True,
    help="Write the gzip dumps the server offers (STORE/dumps/); with --update, rewrite them after a change.",
)
def build(
    dirs: tuple[Path, ...],
    store_path: Path | None,
    base: str | None,
    strict: bool,
    silent: bool,
    validate: str,
    workers: int | None,
    update: bool,
    make_views: bool,
    refresh_views: bool,
    make_dumps: bool,
    executor: str,
    scheduler: str | None,
) -> None:
    """Build a fresh store from every .txt file under DIRS (replaces the store only on success).

    With --update, compare document checksums with the store's meta graph and re-extract only
    new and changed documents, dropping the graphs of documents that are gone.

    \b
    Example:
        kg build seeds --store data/kg.oxigraph
        kg build seeds --update
    """
    from kg.build import BuildError, Interrupted
    from kg.build import build as full_build
    from kg.progress import Progress
    from kg.update import update as update_build

    if refresh_views and not update:
        raise click.UsageError("--refresh-views only applies with --update (a full build always makes the views)")
    if scheduler is not None and executor != "dask":
        raise click.UsageError("--scheduler only applies with --executor dask")
    if executor == "dask" and update:
        raise click.UsageError("--executor dask applies to full builds; --update extracts on this machine")
    extra: dict[str, Any] = {"refresh_views": refresh_views} if update else {"make_views": make_views}
    extra["make_dumps"] = make_dumps
    run_build = update_build if update else full_build
    progress = Progress(silent=silent)
    try:
        if executor == "dask":
            from kg.dask_executor import DaskExecutor

            extra["executor"] = DaskExecutor(scheduler, workers)
        summary = run_build(
            list(dirs), store_path, base=base, strict=strict, progress=progress, workers=workers, **extra
        )
    except (BuildError, kgstore.StoreError) as err:
        raise click.ClickException(str(err)) from err
    except KeyboardInterrupt as err:  # Ctrl-C: one line saying what became of the store, exit 130
        _interrupted(str(err) if isinstance(err, Interrupted) else "interrupted")
    for path, reason in summary.skipped:
        click.echo(f"skipped {path}: {reason}", err=True)
    if update:
        click.echo(f"updated {summary.store}: {summary.changed} new or changed, {summary.removed} removed", err=True)
    if summary.timings and not silent:
        click.echo("timings: " + ", ".join(f"{k} {v:.1f} s" for k, v in summary.timings.items()), err=True)
    if not summary.counted:
        click.echo(f"store {summary.store}: {summary.documents} documents (`kg stats` counts the rest)", err=True)
    else:
        click.echo(
            f"built {summary.store}: {summary.documents} documents, {len(summary.skipped)} skipped, "
            f"{summary.triples} triples, {summary.people} people, {summary.organisations} organisations, "
            f"{summary.events} events, {summary.quotes} quotes",
            err=True,
        )
    if validate == "yes" or (validate == "auto" and not update and summary.documents <= 2000):
        from kg.validate import format_report, validate_store

        try:
            report = validate_store(
                kgstore.open_read(summary.store),
                workers=workers or os.cpu_count() or 1,
                store_path=summary.store,
                progress=progress,
            )
        except KeyboardInterrupt:
            _interrupted(f"interrupted; the new store at {summary.store} is in place but was not validated")
        if not report.conforms:
            click.echo(format_report(report), err=True)
            if strict:
                raise click.ClickException(f"the new store at {summary.store} does not conform to ontology/shapes.ttl")
            click.echo("warning: the store was built but does not conform to ontology/shapes.ttl", err=True)
            return
        click.echo(f"validated: {summary.documents} document graphs conform to ontology/shapes.ttl", err=True)
    elif validate == "auto" and not update:
        click.echo(f"not validated ({summary.documents} documents): run `kg validate` to check", err=True)


def _interrupted(message: str) -> NoReturn:
    """End a command stopped by Ctrl-C: `message` on stderr, exit status 130 (as a shell reports SIGINT)."""
    from kg.interrupt import EXIT_CODE

    click.echo(message, err=True)
    sys.exit(EXIT_CODE)


def _params(pairs: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"expected key=value, got {pair!r}", param_hint="-p")
        out[key.strip()] = value
    return out


def _table(names: list[str], rows: list[dict[str, str]]) -> str:
    widths = {n: min(60, max([len(n)] + [len(r.get(n, "")) for r in rows])) for n in names}

    def cell(n: str, v: str) -> str:
        v = v.replace("\n", " ")
        return (v if len(v) <= widths[n] else v[: widths[n] - 1] + "…").ljust(widths[n])

    lines = [" | ".join(cell(n, n) for n in names), "-+-".join("-" * widths[n] for n in names)]
    lines += [" | ".join(cell(n, r.get(n, "")) for n in names) for r in rows]
    return "\n".join(lines) + f"\n({len(rows)} rows)"


@main.command()
@click.argument("name", required=False)
@store_option
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE", help="Query parameter (repeatable).")
@click.option("--sparql", default=None, help="Run this SPARQL text instead of a saved query.")
@click.option(
    "--file",
    "file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Run the SPARQL in this file instead of a saved query.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv", "table"]),
    default="table",
    show_default=True,
    help="json = SPARQL 1.1 JSON results.",
)
@click.option("--all-columns", is_flag=True, help="Table format: also show IRI columns.")
def query(
    name: str | None,
    store_path: Path | None,
    params: tuple[str, ...],
    sparql: str | None,
    file: Path | None,
    fmt: str,
    all_columns: bool,
) -> None:
    """Run the saved query NAME (see `kg queries`) or ad-hoc SPARQL against the default graph.

    \b
    An iri parameter also takes a name ("Jimmy Jansson", "vasteras"): the search index resolves
    it to the one entity of the parameter's kind so named, or says which ones it could be.

    \b
    Example:
        kg query speakers -p year=2017 --format json
        kg query people -p person="Jimmy Jansson"
    """
    from functools import cache

    from kg import search, views
    from kg.queries import QueryError, registry

    if sum(x is not None for x in (name, sparql, file)) != 1:
        raise click.UsageError("give exactly one of NAME, --sparql or --file")
    store = _open(store_path)
    path = store_path or kgstore.default_store_path()
    try:
        if name is not None:
            saved = registry().get(name)
            names = search.resolver(cache(lambda: search.load(path, store)))  # -p person="Jimmy Jansson"
            terms = saved.bind(_params(params), names=names)
            results = views.view_results(path, saved, terms)
            if results is None:
                results = kgstore.query(store, saved.sparql, terms)
        else:
            if params:
                raise click.UsageError("-p only applies to saved queries")
            text = sparql if sparql is not None else file.read_text(encoding="utf-8")  # type: ignore[union-attr]
            results = kgstore.query(store, text)
    except (QueryError, kgstore.StoreError) as err:
        raise click.ClickException(str(err)) from err
    if not hasattr(results, "variables"):
        if fmt == "table" or isinstance(results, kgstore.QueryTriples):
            raise click.ClickException("only SELECT and ASK queries can be printed here")
        sys.stdout.buffer.write(kgstore.serialize_results(results, fmt))
        return
    if fmt == "table":
        names, rows = kgstore.rows(results)
        if not all_columns and rows:
            names = [n for n in names if any(not r.get(n, "").startswith("http") for r in rows if n in r)]
        click.echo(_table(names, rows))
    else:
        sys.stdout.buffer.write(kgstore.serialize_results(results, fmt))
        sys.stdout.flush()


@main.command("queries")
def list_queries() -> None:
    """List the saved queries with their parameters.

    \b
    Example:
        kg queries
    """
    from kg.queries import QueryError, registry

    try:
        saved = registry().list()
    except QueryError as err:
        raise click.ClickException(str(err)) from err
    for q in saved:
        click.echo(f"{q.name:24} {q.title}")
        for p in q.params:
            req = "required" if p.required else "optional"
            click.echo(f"    -p {p.name}=<{p.type}>  {req}  {p.description}")


@main.command("search")
@click.argument("text", nargs=-1)
@store_option
@click.option(
    "--type", "types", multiple=True, type=click.Choice(list(SEARCH_TYPES)), help="Only this type (repeatable)"
)
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 1000), help="At most this many.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def search_command(
    text: tuple[str, ...], store_path: Path | None, types: tuple[str, ...], limit: int, fmt: str
) -> None:
    """Find people, organisations, places, events, series, projects and roles by name.

    Prefix and accent-insensitive: "vasteras" finds "Västerås stad", "jimmy jan" finds "Jimmy
    Jansson". The best matches first: the whole name, then a prefix of it, then of a later word;
    more often mentioned first. Without TEXT, the most mentioned.

    \b
    Example:
        kg search vasteras
        kg search jimmy jan --type person --format json
    """
    import json

    from kg import search

    path = store_path or kgstore.default_store_path()
    hits = search.load(path, _open(store_path)).search(" ".join(text), types, limit)
    if fmt == "json":
        click.echo(json.dumps({"results": [h.data() for h in hits]}, ensure_ascii=False, indent=1))
        return
    rows = [{"label": h.label, "type": h.type, "note": h.note, "mentions": str(h.mentions), "iri": h.iri} for h in hits]
    click.echo(_table(["label", "type", "note", "mentions", "iri"], rows))


@main.command()
@store_option
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Validating processes (default: cores).")
@click.option("--silent", is_flag=True, help="No progress.")
def validate(store_path: Path | None, workers: int | None, silent: bool) -> None:
    """Check the store against the SHACL shapes and print the report.

    Progress goes to stderr: a bar on a terminal, a line per 10 % ("validate: 2000/8489 graphs (9 s)")
    otherwise.

    \b
    Example:
        kg validate
    """
    from kg import validate as kgvalidate
    from kg.progress import Progress

    store = _open(store_path)
    path = store_path or kgstore.default_store_path()
    try:
        report = kgvalidate.validate_store(
            store, workers=workers or os.cpu_count() or 1, store_path=path, progress=Progress(silent=silent)
        )
    except KeyboardInterrupt:
        _interrupted("interrupted; the store was not changed (validation only reads it)")
    click.echo(kgvalidate.format_report(report))
    if not getattr(report, "conforms", True):
        sys.exit(1)


@main.command()
@store_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(kgstore.EXPORT_FORMATS)),
    required=True,
    help="nquads/trig/jsonld: every graph; turtle: the default graph.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Output file (default: stdout).",
)
def export(store_path: Path | None, fmt: str, output: Path | None) -> None:
    """Export the store as RDF.

    \b
    Example:
        kg export --format trig -o kg.trig
    """
    store = _open(store_path)
    if output is None:
        sys.stdout.buffer.write(kgstore.export(store, fmt) or b"")
        sys.stdout.flush()
    else:
        kgstore.export(store, fmt, output)
        click.echo(f"wrote {output}", err=True)


@main.command()
@store_option
def stats(store_path: Path | None) -> None:
    """Print the size of the store: triples, documents, people, organisations, events, quotes.

    \b
    Example:
        kg stats --store data/kg.oxigraph
    """
    store = _open(store_path)
    for key, value in kgstore.stats(store).items():
        click.echo(f"{key:14} {value}")


@main.command()
@store_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--timeout", default=10.0, show_default=True, type=float, help="Seconds before a query is stopped.")
@click.option(
    "--memory-mb", default=1024, show_default=True, type=int, help="Memory per query worker before it is stopped."
)
@click.option("--row-cap", default=100_000, show_default=True, type=int, help="Larger results are refused, never cut.")
@click.option("--query-workers", default=None, type=int, help="Query worker processes (default: number of cores).")
@click.option(
    "--update-token",
    envvar="KG_UPDATE_TOKEN",
    default=None,
    help="Allow SPARQL Update with 'Authorization: Bearer TOKEN' (default: $KG_UPDATE_TOKEN; unset = read-only).",
)
@click.option("--base", default=None, help="Base IRI served here (default: the one the store was built with).")
@click.option("--max-body-mb", default=4.0, show_default=True, type=float, help="Largest request body (413 above it).")
@click.option(
    "--max-connections", default=1000, show_default=True, type=int, help="Open connections; more are closed at once."
)
@click.option(
    "--header-timeout",
    default=10.0,
    show_default=True,
    type=float,
    help="Seconds for a request's headers to arrive (its body gets 3x as long).",
)
def serve(
    store_path: Path | None,
    host: str,
    port: int,
    timeout: float,
    memory_mb: int,
    row_cap: int,
    query_workers: int | None,
    update_token: str | None,
    base: str | None,
    max_body_mb: float,
    max_connections: int,
    header_timeout: float,
) -> None:
    """Serve the store: SPARQL endpoint, saved queries, linked-data pages and a query page.

    With no store built yet, builds one from ./seeds first.

    \b
    Example:
        kg serve --store data/kg.oxigraph --port 8000
    """
    import os

    _check_port(host, port)  # before anything is built, started or said to be served
    path = store_path or kgstore.default_store_path()
    if not kgstore.is_store(path):
        seeds = Path("seeds")
        if not seeds.is_dir():
            raise click.ClickException(
                f"no store at {path} and no ./seeds folder to build one from; run `kg build DIR`"
            )
        from kg.build import BuildError
        from kg.build import build as run_build

        click.echo(f"no store at {path}: building one from {seeds}/", err=True)
        try:
            summary = run_build([seeds], path)
        except (BuildError, kgstore.StoreError) as err:
            raise click.ClickException(str(err)) from err
        click.echo(f"built {summary.store}: {summary.documents} documents, {summary.triples} triples", err=True)
    from server.pool import prespawn

    workers = query_workers or os.cpu_count() or 2
    prespawn(path, workers, row_cap)  # the query workers boot while the web framework is imported

    import uvicorn

    from server.app import create_app
    from server.context import Settings

    settings = Settings(
        store_path=path,
        base=base,
        timeout=timeout,
        memory_mb=memory_mb,
        row_cap=row_cap,
        update_token=update_token or None,
        query_workers=workers,
    )
    try:
        app = create_app(settings)
    except kgstore.StoreError as err:
        raise click.ClickException(str(err)) from err
    from server.http import Limits, protocol_for

    limits = Limits(
        header_timeout=header_timeout,
        body_timeout=3 * header_timeout,
        max_body_bytes=int(max_body_mb * 2**20),
        max_connections=max_connections,
    )
    click.echo(f"serving {path} at http://{host}:{port}/ (SPARQL endpoint: /sparql)", err=True)
    uvicorn.run(
        app,
        host=host,
        port=port,
        loop="auto",
        http=protocol_for(limits),
        log_level="warning",
        access_log=False,  # one call per request saved; errors are still logged
        limit_concurrency=max_connections,
        backlog=2048,
    )


def _check_port(host: str, port: int) -> None:
    """Fail with a clear message when nothing could listen on host:port (in use, not an address here)."""
    import errno
    import socket

    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except (socket.gaierror, UnicodeError) as err:
        raise click.ClickException(f"cannot listen on {host}:{port}: {getattr(err, 'strerror', err)}") from err
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: a closed port is free
        try:
            sock.bind(address)
        except OSError as err:
            why = err.strerror or str(err)
            if err.errno == errno.EADDRINUSE:
                why += "; another server is listening there: stop it or choose another --port"
            raise click.ClickException(f"cannot listen on {host}:{port}: {why}") from err


@main.command()
@store_option
@click.option("--classic", is_flag=True, help="Use `jupyter notebook` instead of `jupyter lab`.")
@click.option("--print-command", is_flag=True, help="Print the Jupyter command instead of running it.")
def notebook(store_path: Path | None, classic: bool, print_command: bool) -> None:
    """Open the analysts' notebook (queries/notebook.ipynb) in Jupyter.

    The notebook's default store is --store (passed on as $KG_STORE).

    \b
    Example:
        kg notebook --store data/kg.oxigraph
    """
    import os
    import shlex
    import subprocess

    from kg import notebook as kgnotebook

    try:
        cmd = kgnotebook.jupyter_command(classic=classic)
    except kgnotebook.NotebookError as err:
        raise click.ClickException(str(err)) from err
    if print_command:
        click.echo(shlex.join(cmd))
        return
    env = dict(os.environ)
    if store_path is not None:
        env["KG_STORE"] = str(store_path.resolve())
    sys.exit(subprocess.call(cmd, env=env))


@main.command()
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("report.html"),
    show_default=True,
    help="HTML file to write.",
)
@store_option
@click.option("--endpoint", default=None, help="Base URL of a `kg serve` server to query instead of a store.")
@click.option("--municipality", default=None, help="Only this municipality (name, e.g. Eskilstuna, or IRI).")
@click.option("--year", type=int, default=None, help="Only this year.")
@click.option("--event", default=None, help="Only this event (IRI, may be relative: id/event/...).")
@click.option(
    "--rows",
    default=50,
    show_default=True,
    type=click.IntRange(min=1),
    help="Rows shown per table; every whole answer goes to OUT_tables/NAME.csv beside the report.",
)
@click.option("--timeout", default=300, show_default=True, type=int, help="Seconds per notebook cell.")
def report(
    out: Path,
    store_path: Path | None,
    endpoint: str | None,
    municipality: str | None,
    year: int | None,
    event: str | None,
    rows: int,
    timeout: int,
) -> None:
    """Run the analysts' notebook and write it as a self-contained HTML report.

    Every table and picture honours every filter. Tables show their first --rows rows and link to
    the whole answer, written as CSV into the folder OUT_tables beside the report.

    \b
    Example:
        kg report --out report.html --municipality Eskilstuna --year 2017
    """
    from kg import notebook as kgnotebook

    if store_path is not None and endpoint is not None:
        raise click.UsageError("give --store or --endpoint, not both")
    try:
        result = kgnotebook.make_report(
            out,
            store=store_path,
            endpoint=endpoint,
            municipality=municipality,
            year=year,
            event=event,
            timeout=timeout,
            rows=rows,
        )
    except kgnotebook.NotebookError as err:
        raise click.ClickException(str(err)) from err
    answers = f"; whole answers in {result.csv_folder}" if result.csv_folder else ""
    click.echo(f"wrote {result.path} ({result.tables} tables, {result.figures} figures{answers})", err=True)
    for problem in result.problems:
        click.echo(f"warning: {problem}", err=True)
    if result.problems:
        sys.exit(1)
