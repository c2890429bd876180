"""The ``stakeholder-explorer`` command: a thin shell around the library.

Exit codes: 0 ok, 1 invalid data or failed export, 2 usage error. Bad data never shows a
traceback; a bug still does.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from explorer import __version__
from explorer.errors import ExplorerError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

#: Help text of each ``FilterSpec`` field, used for the CLI options of every command that
#: takes a view.
FILTER_HELP = {
    "kinds": "Keep actors of these kinds (repeat or comma-separate).",
    "types": "Keep relations of these types.",
    "signs": "Keep relations with these signs: positive, negative, neutral.",
    "statuses": "Keep relations with these statuses: observed, projected.",
    "min_confidence": "Keep relations at least this confident: low, medium, high.",
    "min_strength": "Keep relations at least this strong (1-3).",
    "as_of": "Relations in force at this date (YYYY, YYYY-MM, YYYY-MM-DD), or 'all' periods. "
    "Default: the latest date in the file.",
    "sources": "Keep relations citing one of these source ids.",
    "min_sources": "Keep relations backed by at least this many distinct sources.",
    "focus": "Keep this actor and its neighbours within --radius.",
    "radius": "Steps around --focus or --search matches (1-3).",
    "search": "Keep actors whose id, name or alias contains this text, with their neighbours.",
    "hide_isolates": "Hide actors left with no relation.",
}


def filter_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add one option per ``FilterSpec`` field and pass the command a ``spec`` argument."""
    from explorer.graph import FilterSpec

    fields = dataclasses.fields(FilterSpec)

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        values = {}
        for f in fields:
            value = kwargs.pop(f.name)
            if f.type == "tuple[str, ...]":
                value = tuple(x.strip() for part in value for x in part.split(",") if x.strip())
            values[f.name] = value
        try:
            kwargs["spec"] = FilterSpec(**values)
        except ValueError as exc:
            raise click.UsageError(str(exc)) from None
        return command(*args, **kwargs)

    for f in reversed(fields):
        flag = "--" + f.name.replace("_", "-")
        if f.type == "tuple[str, ...]":
            option = click.option(
                flag, f.name, multiple=True, metavar="X[,Y]", help=FILTER_HELP[f.name]
            )
        elif f.type == "bool":
            option = click.option(flag, f.name, is_flag=True, help=FILTER_HELP[f.name])
        elif f.type == "int":
            option = click.option(
                flag,
                f.name,
                type=int,
                default=f.default,
                show_default=True,
                help=FILTER_HELP[f.name],
            )
        else:
            option = click.option(flag, f.name, default=f.default, help=FILTER_HELP[f.name])
        wrapper = option(wrapper)
    return wrapper


def fail(message: str) -> None:
    """Print ``message`` to stderr and exit with status 1."""
    click.echo(message, err=True)
    sys.exit(1)


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="stakeholder-explorer")
def main() -> None:
    """Validate, analyse and explore maps of who stands with whom.

    A map is a YAML stakeholder file of actors and signed, dated, sourced relations
    (see docs/format.md). Example:

        stakeholder-explorer validate data/us-taliban-2021.yaml
    """


@main.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--sources",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder of source texts (<source id>.txt): every quote must occur in its source.",
)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def validate(files: tuple[str, ...], sources: str | None, strict: bool) -> None:
    """Check stakeholder files and report every problem with file:line:col.

    Prints one summary line per valid file; errors and warnings go to stderr. Exits 1 if
    any file has errors (or warnings, with --strict).

    Example:

        stakeholder-explorer validate --strict data/us-taliban-2021.yaml --sources ../shared/sources
    """
    from explorer.load import check_file

    failed = False
    for name in files:
        report = check_file(name, sources=sources)
        for problem in report.errors + report.warnings:
            click.echo(str(problem), err=True)
        if report.failed(strict):
            failed = True
            counts = f"{len(report.errors)} error(s)"
            if report.warnings:
                counts += f", {len(report.warnings)} warning(s)"
            click.echo(f"{name}: invalid: {counts}", err=True)
            continue
        ds = report.dataset
        assert ds is not None
        extra = f", {len(report.warnings)} warning(s)" if report.warnings else ""
        checked = ", quotes checked against sources" if sources else ""
        click.echo(
            f"{name}: ok: {len(ds.actors)} actors, {len(ds.relations)} relations, "
            f"{len(ds.sources)} sources{checked}{extra}"
        )
    if failed:
        sys.exit(1)


def load_or_exit(path: str, **kwargs: Any) -> Any:
    """Load a dataset or print its errors and exit 1."""
    from explorer.load import load_dataset

    try:
        return load_dataset(path, **kwargs)
    except ExplorerError as exc:
        fail(str(exc))


@main.command(context_settings=CONTEXT)
@click.argument("file", type=click.Path(dir_okay=False))
@filter_options
def stats(file: str, spec: Any) -> None:
    """Count actors and relations by kind, type, sign and status, with components and density.

    Filters select the view counted; by default, relations in force at the latest date.

    Example:

        stakeholder-explorer stats data/us-taliban-2021.yaml --as-of all
    """
    import networkx as nx

    from explorer.graph import build_graph, filter_graph, view_summary

    dataset = load_or_exit(file)
    G = build_graph(dataset)
    H = filter_graph(G, spec)
    click.echo(f"{dataset.title}")
    click.echo(f"view: {view_summary(G, H)}" + (f" ({spec.describe()})" if spec.describe() else ""))
    sign_names = {1: "positive", 0: "neutral", -1: "negative"}
    tables = {
        "actors by kind": Counter(d["kind"] for _, d in H.nodes(data=True)),
        "relations by type": Counter(d["type"] for *_, d in H.edges(data=True)),
        "relations by sign": Counter(sign_names[d["sign"]] for *_, d in H.edges(data=True)),
        "relations by status": Counter(d["status"] for *_, d in H.edges(data=True)),
    }
    for title, counts in tables.items():
        click.echo(f"\n{title}:")
        for name, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            click.echo(f"  {name:<24} {count:>5}")
    components = nx.number_weakly_connected_components(H) if len(H) else 0
    density = nx.density(nx.Graph(H)) if len(H) > 1 else 0.0
    click.echo(f"\nconnected components: {components}")
    click.echo(f"density: {density:.3f}")


# --- app: the dashboard ------------------------------------------------------------------------

#: The dashboard's Streamlit script, found by path so that the CLI never imports the app.
APP_SCRIPT = Path(__file__).resolve().parent / "app" / "main.py"


def app_argv(file: str | os.PathLike[str], port: int = 8501) -> list[str]:
    """The command that serves the dashboard on ``file`` at 127.0.0.1:``port``."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP_SCRIPT),
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        # Privacy: no usage statistics, whatever configuration file is (or is not) found.
        "--browser.gatherUsageStats",
        "false",
        "--server.headless",
        "true",
        "--server.enableXsrfProtection",
        "true",
        "--",
        os.fspath(file),
    ]


@main.command(context_settings=CONTEXT)
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=8501,
    show_default=True,
    help="Port to serve on.",
)
def app(file: str | None, port: int) -> None:
    """Open the dashboard on FILE (default: the bundled map) at http://127.0.0.1:PORT.

    The server listens on this machine only and sends no usage statistics. Stop it with
    Ctrl+C.

    Example:

        stakeholder-explorer app data/us-taliban-2021.yaml --port 8502
    """
    import subprocess

    from explorer import bundled_map

    path = Path(file) if file else bundled_map()
    if not path.is_file():
        fail(f"{path}: no such file")
    click.echo(f"Stakeholder Explorer: http://127.0.0.1:{port}  (Ctrl+C to stop)")
    try:
        completed = subprocess.run(app_argv(path.resolve(), port), check=False)
    except KeyboardInterrupt:
        return
    sys.exit(completed.returncode)
