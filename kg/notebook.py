"""Run the analysts' notebook (queries/notebook.ipynb) headless and write it as HTML; find Jupyter to open it.

Parameters are injected papermill-style: a cell tagged `injected-parameters` right after the cell
tagged `parameters`. Outputs the notebook marks for machines (display metadata `kg-table`,
`kg-figure`, `kg-problem`) are counted into the report's summary. The kernel talks to this process
over Unix domain sockets in a private temporary folder, not TCP: ipykernel warns on stderr about
unencrypted TCP, and a kernel on the same machine needs no network.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg import store as kgstore

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "queries" / "notebook.ipynb"
PARAMETERS = ("store", "endpoint", "municipality", "year", "event", "rows", "csv_folder")
INSTALL_HINT = "pip install -e '.[notebook]' jupyterlab"


class NotebookError(Exception):
    """The notebook cannot be found, run or written."""


@dataclass
class Report:
    """What `make_report` wrote: the file, the counts of tables and figures, and what matched nothing."""

    path: Path
    notebook: Any
    tables: int = 0
    figures: int = 0
    problems: list[str] = field(default_factory=list)
    csv_folder: Path | None = None  # the whole answers of the tables, one CSV per saved query


def jupyter_command(classic: bool = False, path: Path = NOTEBOOK) -> list[str]:
    """The command that opens the notebook: `jupyter lab` (or `jupyter notebook`) beside this Python, else on PATH."""
    if not path.is_file():
        raise NotebookError(f"no notebook at {path}")
    name = "jupyter-notebook" if classic else "jupyter-lab"
    here = Path(sys.executable).parent / name
    found = str(here) if here.is_file() else shutil.which(name)
    if not found:
        raise NotebookError(f"`{name.replace('-', ' ')}` is not installed; install it with: {INSTALL_HINT}")
    return [found, str(path)]


def read(path: Path = NOTEBOOK) -> Any:
    """The notebook as an nbformat node."""
    import nbformat

    if not path.is_file():
        raise NotebookError(f"no notebook at {path}")
    return nbformat.read(str(path), as_version=4)


def inject(nb: Any, params: dict[str, Any]) -> Any:
    """Add a cell setting `params` after the cell tagged `parameters` (papermill's convention)."""
    import nbformat

    unknown = sorted(set(params) - set(PARAMETERS))
    if unknown:
        raise NotebookError(f"the notebook has no parameter {', '.join(unknown)}; it has {', '.join(PARAMETERS)}")
    index = next(
        (i for i, c in enumerate(nb.cells) if "parameters" in c.get("metadata", {}).get("tags", [])),
        None,
    )
    if index is None:
        raise NotebookError("the notebook has no cell tagged `parameters`")
    source = "# Parameters (injected)\n" + "".join(f"{k} = {v!r}\n" for k, v in params.items())
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": ["injected-parameters"]})
    nb.cells.insert(index + 1, cell)
    return nb


def kernel_config(sockets: Path) -> Any:
    """Jupyter configuration for a kernel on Unix domain sockets in the folder `sockets` (POSIX;
    elsewhere jupyter_client's default, TCP on loopback). The path must be absolute: kernel and
    client resolve a relative one against different working folders."""
    from traitlets.config import Config

    if os.name != "posix":
        return Config()
    return Config({"KernelManager": {"transport": "ipc", "ip": str(sockets.resolve() / "kernel")}})


def execute(params: dict[str, Any] | None = None, path: Path = NOTEBOOK, timeout: int = 300) -> Any:
    """Run a copy of the notebook with `params` injected in a fresh kernel; the executed notebook."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    nb = inject(read(path), {k: v for k, v in (params or {}).items() if v is not None})
    env_backend = os.environ.get("MPLBACKEND")
    os.environ["MPLBACKEND"] = "Agg"  # headless: never an interactive backend in the kernel
    try:
        with tempfile.TemporaryDirectory(prefix="kg-kernel-") as sockets:
            client = NotebookClient(
                nb,
                timeout=timeout,
                kernel_name="python3",
                resources={"metadata": {"path": str(path.parent)}},
                config=kernel_config(Path(sockets)),
            )
            client.execute()
    except (CellExecutionError, CellTimeoutError) as err:
        raise NotebookError(f"the notebook failed: {err}") from err
    finally:
        if env_backend is None:
            os.environ.pop("MPLBACKEND", None)
        else:
            os.environ["MPLBACKEND"] = env_backend
    return nb


def outputs(nb: Any) -> list[Any]:
    """Every output of every code cell."""
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


def marked(nb: Any, key: str) -> list[Any]:
    """The values of output metadata `key` (kg-table, kg-figure, kg-problem), in order."""
    return [o["metadata"][key] for o in outputs(nb) if key in o.get("metadata", {})]


def to_html(nb: Any) -> str:
    """The executed notebook as one self-contained HTML page, without the code."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab", exclude_input=True, exclude_input_prompt=True)
    exporter.exclude_output_prompt = True
    exporter.embed_images = True
    body, _ = exporter.from_notebook_node(nb)
    return body


def make_report(
    out: Path | str,
    store: Path | str | None = None,
    endpoint: str | None = None,
    municipality: str | None = None,
    year: int | str | None = None,
    event: str | None = None,
    timeout: int = 300,
    path: Path = NOTEBOOK,
    rows: int | None = None,
) -> Report:
    """Execute the notebook with these parameters and write it to `out` as HTML.

    Each table shows its first `rows` rows (default: the notebook's, 50); the whole answers go
    as CSV files into the folder `OUT_tables` beside `out` (e.g. report_tables/people.csv).
    """
    out = Path(out)
    csv_folder = csv_folder_for(out)
    params: dict[str, Any] = {"municipality": municipality, "year": year, "event": event}
    params.update(rows=rows, csv_folder=str(csv_folder.resolve()))
    if endpoint:
        params["endpoint"] = endpoint
    else:
        from kg.analysis import default_store

        store_path = Path(store) if store is not None else default_store()
        if not kgstore.is_store(store_path):
            raise NotebookError(f"no store at {store_path} — run `kg build` first")
        params["store"] = str(store_path.resolve())
    for name in _saved_query_names():  # answers of an earlier report must not pass for this one's
        (csv_folder / f"{name}.csv").unlink(missing_ok=True)
    nb = execute(params, path=path, timeout=timeout)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(to_html(nb), encoding="utf-8")
    except OSError as err:
        raise NotebookError(f"cannot write {out}: {err}") from err
    problems = [p for group in marked(nb, "kg-problem") for p in group]
    tables = len(marked(nb, "kg-table"))
    return Report(out, nb, tables, len(marked(nb, "kg-figure")), problems, csv_folder if tables else None)


def csv_folder_for(out: Path) -> Path:
    """The folder beside a report that holds its tables' whole answers: report.html -> report_tables/."""
    return out.parent / f"{out.stem}_tables"


def _saved_query_names() -> list[str]:
    from kg.queries import registry

    return registry().names()
