"""The ``stakeholder-explorer`` command: a thin shell around the library.

Exit codes: 0 ok, 1 invalid data or failed export, 2 usage error. Bad data never shows a
traceback; a bug still does.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from explorer import __version__
from explorer.cli_edit import app_edit_options, app_environment
from explorer.errors import ExplorerError, escape_controls

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def filter_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add one option per ``FilterSpec`` field and pass the command a ``spec`` argument.

    Each option is made from the field's type and its ``Filter`` metadata (help, choices):
    a list is repeatable and comma-separated, a yes/no field a flag. ``FilterSpec`` checks
    the values, so its messages are the ones shown.
    """
    from explorer.filters import FilterSpec, filter_fields

    fields = filter_fields()

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        values = {}
        for f in fields:
            value = kwargs.pop(f.name)
            if f.kind is tuple:
                value = tuple(x.strip() for part in value for x in part.split(",") if x.strip())
            values[f.name] = value
        try:
            kwargs["spec"] = FilterSpec(**values)
        except ValueError as exc:
            raise click.UsageError(str(exc)) from None
        return command(*args, **kwargs)

    for f in reversed(fields):
        flag = "--" + f.name.replace("_", "-")
        about = f.filter
        help_text = about.help
        if about.choices:
            help_text += f" One of: {', '.join(about.choices)}."
        if f.kind is tuple:
            option = click.option(flag, f.name, multiple=True, metavar="X[,Y]", help=help_text)
        elif f.kind is bool:
            option = click.option(flag, f.name, is_flag=True, help=about.help)
        elif f.kind is int:
            option = click.option(
                flag, f.name, type=int, default=f.default, show_default=True, help=about.help
            )
        else:
            option = click.option(flag, f.name, default=f.default, help=help_text)
        wrapper = option(wrapper)
    return wrapper


def fail(message: str) -> None:
    """Print ``message`` to stderr (control characters escaped) and exit with status 1."""
    click.echo(escape_controls(message), err=True)
    sys.exit(1)


class Shell(click.Group):
    """The command group: what the library raises on purpose ends a command without a traceback.

    A view that asks for what the map does not have is a usage error naming the option; any
    other ``ExplorerError`` prints its message and exits 1. A bug still shows its traceback.
    """

    def invoke(self, ctx: click.Context) -> Any:
        from explorer.errors import ViewError

        try:
            return super().invoke(ctx)
        except ViewError as exc:
            raise click.UsageError(f"--{exc.field.replace('_', '-')}: {exc}") from None
        except ExplorerError as exc:
            fail(str(exc))


@click.group(cls=Shell, context_settings=CONTEXT)
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
    for path in files:
        report = check_file(path, sources=sources)
        name = escape_controls(path)  # a downloaded file's name may hold escape sequences
        for problem in report.errors + report.warnings:
            click.echo(str(problem), err=True)
        if report.failed(strict):
            failed = True
            counts = _counted(len(report.errors), "error")
            if report.warnings:
                counts += ", " + _counted(len(report.warnings), "warning")
            click.echo(f"{name}: invalid: {counts}", err=True)
            continue
        ds = report.dataset
        assert ds is not None
        extra = ", " + _counted(len(report.warnings), "warning") if report.warnings else ""
        checked = ", quotes checked against sources" if sources else ""
        click.echo(
            f"{name}: ok: {_counted(len(ds.actors), 'actor')}, "
            f"{_counted(len(ds.relations), 'relation')}, "
            f"{_counted(len(ds.sources), 'source')}{checked}{extra}"
        )
    if failed:
        sys.exit(1)


def _counted(n: int, word: str) -> str:
    """``1 source``, ``2 sources``."""
    return f"{n} {word}{'' if n == 1 else 's'}"


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
    from explorer.graph import build_graph, filter_graph, view_stats

    G = build_graph(load_or_exit(file))
    stats = view_stats(G, filter_graph(G, spec), spec)
    click.echo(stats.title)
    click.echo(f"view: {stats.summary}" + (f" ({stats.filters})" if stats.filters else ""))
    click.echo(stats.note)
    for title, counts in stats.tables:
        click.echo(f"\n{title}:")
        for name, count in counts:
            click.echo(f"  {name:<24} {count:>5}")
    click.echo(f"\nconnected components: {stats.components}")
    click.echo(f"density: {stats.density:.3f}")


# --- app: the dashboard ------------------------------------------------------------------------

#: The dashboard's Streamlit page script, found by path so that the CLI never imports the app.
APP_SCRIPT = Path(__file__).resolve().parent / "app" / "main.py"
#: What ``app`` runs: Streamlit's ASGI app serving APP_SCRIPT behind host and origin checks.
SERVER_SCRIPT = APP_SCRIPT.parent / "serve.py"
#: Host names the dashboard always answers to; ``app --host`` adds others.
LOCAL_HOSTS = ("127.0.0.1", "localhost")
_HOST_NAME = re.compile(
    r"^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$"
)


def app_argv(
    file: str | os.PathLike[str], port: int = 8501, hosts: tuple[str, ...] = ()
) -> list[str]:
    """The command that serves the dashboard on ``file`` at 127.0.0.1:``port``.

    The page answers only to requests whose Host is 127.0.0.1, localhost or one of
    ``hosts`` (DNS rebinding), whatever configuration file is found.
    """
    allowed = [flag for host in (*LOCAL_HOSTS, *hosts) for flag in ("--server.allowedHosts", host)]
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(SERVER_SCRIPT),
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
        "--server.enableCORS",
        "true",
        *allowed,
        "--",
        os.fspath(file),
    ]


def _host_name(
    ctx: click.Context, param: click.Parameter, value: tuple[str, ...]
) -> tuple[str, ...]:
    for host in value:
        if not _HOST_NAME.match(host):
            raise click.BadParameter(f"{host!r} is not a host name such as maps.example.org")
    return value


@main.command(context_settings=CONTEXT)
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=8501,
    show_default=True,
    help="Port to serve on.",
)
@click.option(
    "--host",
    "hosts",
    multiple=True,
    metavar="NAME",
    callback=_host_name,
    help="Also answer to this host name, e.g. behind a reverse proxy (repeatable). "
    "The server still listens on 127.0.0.1 only.",
)
@app_edit_options
def app(
    file: str | None, port: int, hosts: tuple[str, ...], read_only: bool, sources: str | None
) -> None:
    """Open the dashboard on FILE (default: the bundled map) at http://127.0.0.1:PORT.

    The server listens on this machine only, answers only to the host names 127.0.0.1,
    localhost and those given with --host, and sends no usage statistics. Stop it with
    Ctrl+C (or SIGTERM / SIGHUP).

    Example:

        stakeholder-explorer app data/us-taliban-2021.yaml --port 8502
    """
    from explorer import bundled_map

    path = Path(file) if file else bundled_map()
    if not path.is_file():
        fail(f"{path}: no such file")
    click.echo(f"Stakeholder Explorer: http://127.0.0.1:{port}  (Ctrl+C to stop)")
    serve(app_argv(path.resolve(), port, hosts), app_environment(read_only, sources))


def serve(argv: list[str], env: dict[str, str]) -> None:
    """Become the server: ``exec`` it, so that SIGTERM, SIGINT and SIGHUP reach it directly.

    Where ``exec`` is missing (Windows) run it as a child, pass on Ctrl+C, and wait for it.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    if os.name == "posix":
        os.execve(argv[0], argv, env)
    import subprocess

    child = subprocess.Popen(argv, env=env)
    while True:
        try:
            sys.exit(child.wait())
        except KeyboardInterrupt:
            child.terminate()


# --- analysis: analyze and compare ---------------------------------------------------------


def analysis_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Options shared by ``analyze`` and ``compare``."""
    options = [
        click.option(
            "--clusters",
            type=click.IntRange(1, 20),
            default=None,
            metavar="K",
            help="Also split into at most K blocs with the fewest inconsistent pairs.",
        ),
        click.option(
            "--time-limit",
            type=click.FloatRange(0.1, 3600),
            default=10.0,
            show_default=True,
            help="Seconds the exact solvers may run before a labelled heuristic answers.",
        ),
        click.option(
            "--seed",
            type=int,
            default=0,
            show_default=True,
            help="Seed of Louvain, sampled betweenness and the heuristics.",
        ),
        click.option("--json", "as_json", is_flag=True, help="Print one JSON object."),
        click.option(
            "-o",
            "--output",
            default="-",
            type=click.Path(dir_okay=False, allow_dash=True),
            help="Write to this file instead of stdout ('-').",
        ),
        click.option("--force", is_flag=True, help="Replace OUTPUT if it exists."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def write_output(text: str, output: str, force: bool = False) -> None:
    """Write ``text`` to stdout for ``-``, else atomically to the file ``output``.

    Like every export, an existing file is replaced only with ``force``.
    """
    from explorer.formats.files import write_atomic

    if output == "-":
        click.echo(escape_controls(text))  # file names in a report may hold escapes
        return
    try:
        write_atomic(output, (text + "\n").encode("utf-8"), force=force)
    except ExplorerError as exc:
        fail(str(exc))


def analysis_spec_or_usage(spec: Any, include_projected: bool) -> Any:
    """The analysed view's spec, or a usage error when the options contradict."""
    from explorer.analysis.report import ContradictoryView, analysis_spec

    try:
        return analysis_spec(spec, include_projected=include_projected)
    except ContradictoryView:
        raise click.UsageError(
            f"--include-projected contradicts --statuses {','.join(spec.statuses)}: "
            "drop one of them"
        ) from None


def print_result(result: Any, text: Callable[[Any], str], as_json: bool, output: str,
                 force: bool) -> None:  # fmt: skip
    """Write a typed result as JSON (its dump) or as readable text."""
    import json

    body = json.dumps(result.to_json(), indent=2, ensure_ascii=False) if as_json else text(result)
    write_output(body, output, force)


@main.command(context_settings=CONTEXT)
@click.argument("file", type=click.Path(dir_okay=False))
@filter_options
@click.option(
    "--include-projected",
    is_flag=True,
    help="Add projected relations to the observed ones. An explicit --statuses wins.",
)
@click.option(
    "--path",
    nargs=2,
    metavar="FROM TO",
    default=None,
    help="Also list the paths between two actors (ids) with their net sign.",
)
@click.option(
    "--max-steps",
    type=click.IntRange(1, 6),
    default=3,
    show_default=True,
    help="Longest path listed by --path.",
)
@click.option(
    "--ties",
    type=click.Choice(["all", "positive", "negative"]),
    default="all",
    show_default=True,
    help="Relations counted by the centrality measures.",
)
@analysis_options
def analyze(
    file: str,
    spec: Any,
    include_projected: bool,
    path: tuple[str, str] | None,
    max_steps: int,
    ties: str,
    clusters: int | None,
    time_limit: float,
    seed: int,
    as_json: bool,
    output: str,
    force: bool,
) -> None:
    """Centrality, blocs, structural balance and tension of one view of a map.

    By default the observed relations in force at the latest date; --include-projected adds
    the projected ones (the main forecast), and --scenario ID adds that scenario's view.
    The frustration index is exact unless the output says HEURISTIC. --json prints the
    document described in docs/analysis.schema.json.

    Example:

        stakeholder-explorer analyze data/us-taliban-2021.yaml --include-projected --clusters 3
    """
    from explorer.analysis.report import UnknownActor
    from explorer.analysis.report import analyze as run_analysis
    from explorer.graph import build_graph
    from explorer.render.report import analysis_text, summarised

    wanted = analysis_spec_or_usage(spec, include_projected)
    G = build_graph(load_or_exit(file))
    try:
        report = run_analysis(
            G,
            wanted,
            clusters=clusters,
            ties=ties,  # type: ignore[arg-type]
            seed=seed,
            time_limit=time_limit,
            path=path or None,
            cutoff=max_steps,
        )
    except UnknownActor as exc:
        raise click.UsageError(f"--path: {exc}") from None
    print_result(summarised(report), analysis_text, as_json, output, force)


@main.command(context_settings=CONTEXT)
@click.argument("file", type=click.Path(dir_okay=False))
@click.argument("other", required=False, type=click.Path(dir_okay=False))
@filter_options
@click.option(
    "--against",
    metavar="DATE",
    default=None,
    help="Compare FILE at --as-of (default: its latest date) with FILE at this date.",
)
@click.option(
    "--projected",
    is_flag=True,
    help="Compare FILE's observed relations with observed + projected ones.",
)
@click.option(
    "--against-scenario",
    metavar="SCENARIO",
    default=None,
    help="Compare FILE under --scenario (default: the main forecast) with FILE under this "
    "scenario id, or 'main' for the main forecast.",
)
@click.option(
    "--include-projected",
    is_flag=True,
    help="With OTHER or --against: analyse projected relations on both sides too.",
)
@analysis_options
def compare(
    file: str,
    other: str | None,
    spec: Any,
    against: str | None,
    projected: bool,
    against_scenario: str | None,
    include_projected: bool,
    clusters: int | None,
    time_limit: float,
    seed: int,
    as_json: bool,
    output: str,
    force: bool,
) -> None:
    """Compare two scenarios: relations added, removed, changed; ranks, balance and blocs.

    Give exactly one of: a second file OTHER (both read with the same filters), --against
    DATE (one file at two dates), --projected (observed vs observed + projected), or
    --against-scenario ID (the main forecast, or --scenario, vs a named scenario). The text
    leads with what changed in balance and camps; relations are ranked by how much each
    moves the balance.

    Example:

        stakeholder-explorer compare data/us-taliban-2021.yaml --projected --clusters 3
    """
    from explorer.analysis.compare import compare_views, comparison_views
    from explorer.analysis.report import ContradictoryView
    from explorer.graph import build_graph
    from explorer.render.report import comparison_summary, comparison_text

    _check_one_comparison(other, against, projected, against_scenario)
    G = build_graph(load_or_exit(file))
    second = None if other is None else build_graph(load_or_exit(other))
    labels = None if other is None else (file, other)
    try:
        A, B, labels, specs = comparison_views(G, spec, other=second, against=against,
            projected=projected, against_scenario=against_scenario,
            include_projected=include_projected, labels=labels)  # fmt: skip
    except ContradictoryView:
        if against_scenario is not None:
            raise click.UsageError(
                "--against-scenario reads projected relations: drop --statuses"
            ) from None
        if projected:
            raise click.UsageError(
                "--projected sets the statuses itself: drop --statuses and --include-projected"
            ) from None
        analysis_spec_or_usage(spec, include_projected)
        raise
    report = compare_views(A, B, labels=labels, specs=specs, clusters=clusters, seed=seed,
                           time_limit=time_limit)  # fmt: skip
    report = report.model_copy(update={"summary": comparison_summary(report)})
    print_result(report, comparison_text, as_json, output, force)


def _check_one_comparison(
    other: str | None, against: str | None, projected: bool, against_scenario: str | None
) -> None:
    """Usage error unless exactly one second view is asked for (and a date reads as one)."""
    from explorer.model import PartialDate

    if sum([other is not None, against is not None, projected, against_scenario is not None]) != 1:
        raise click.UsageError(
            "give exactly one of OTHER, --against DATE, --projected or --against-scenario ID"
        )
    if against is not None and against != "all":
        try:
            PartialDate.parse(against)
        except ValueError as exc:
            raise click.UsageError(f"--against: {exc}") from None


# --- export and import ---------------------------------------------------------------------


class LazyChoice(click.ParamType[Any]):
    """A choice among a registry's names, read only when an option is used or shown.

    The registries (``FORMATS``, ``LAYOUTS``, ``MEASURES``) live in modules that import
    networkx; reading them lazily keeps ``validate`` quick to start.
    """

    name = "choice"

    def __init__(self, module: str, registry: str) -> None:
        self.module, self.registry = module, registry

    def choices(self) -> list[str]:
        """The registry's names, in its order."""
        import importlib

        return list(getattr(importlib.import_module(self.module), self.registry))

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "[" + "|".join(self.choices()) + "]"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if value in self.choices():
            return value
        self.fail(f"{value!r} is not one of {', '.join(self.choices())}", param, ctx)


def parse_size(text: str) -> tuple[int, int]:
    """Read ``WxH`` in pixels, as ``1600x1200``."""
    parts = text.lower().replace("\u00d7", "x").split("x")
    if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
        raise click.BadParameter(f"{text!r} is not WxH in pixels, e.g. 1600x1200")
    width, height = (int(p) for p in parts)
    if not (200 <= width <= 20000 and 150 <= height <= 20000):
        raise click.BadParameter(f"{text!r}: use from 200x150 to 20000x20000 pixels")
    return width, height


@main.command(context_settings=CONTEXT)
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(allow_dash=True),
    help="File to write; '-' writes a text format to stdout. Kumu CSV and Neo4j go to a folder "
    "unless the name ends in .zip.",
)
@click.option(
    "--format",
    "fmt",
    type=LazyChoice("explorer.formats", "FORMATS"),
    default=None,
    help="Format; by default from OUTPUT's extension.",
)
@filter_options
@click.option(
    "--layout",
    type=LazyChoice("explorer.render.layout", "LAYOUTS"),
    default="camps",
    show_default=True,
    help="Layout of the full map, as in the dashboard: camps (the two camps left and right; "
    "nothing overlaps), spring (nothing overlaps), kamada-kawai or circular (these two may "
    "overlap). Positions kept in the map's positions record win.",
)
@click.option("--seed", type=int, default=7, show_default=True, help="Seed of the layout.")
@click.option(
    "--fresh-layout",
    is_flag=True,
    help="Lay the map out again, ignoring the positions kept beside it "
    "(.stakeholder-explorer/positions.json).",
)
@click.option(
    "--each-relation",
    is_flag=True,
    help="Draw every relation as its own line (default: one line per pair of actors).",
)
@click.option(
    "--size-by",
    type=LazyChoice("explorer.analysis.centrality", "MEASURES"),
    default=None,
    help="Scale actors by this measure over the full map (default: all the same size).",
)
@click.option("--title", default="", help="Title of the picture (default: the dataset's title).")
@click.option(
    "--size",
    "size_text",
    default=None,
    metavar="WxH",
    help="Picture size in pixels at 1x (default 1000x1000, taller when the map needs room "
    "for every label).",
)
@click.option(
    "--dpi",
    type=click.IntRange(50, 1200),
    default=200,
    show_default=True,
    help="PNG density; 200 is 2x the picture size.",
)
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
def export(
    file: str,
    output: str,
    fmt: str | None,
    spec: Any,
    layout: str,
    seed: int,
    fresh_layout: bool,
    each_relation: bool,
    size_by: str | None,
    title: str,
    size_text: str,
    dpi: int,
    force: bool,
) -> None:
    """Export a map as an image, a standalone page or data for other tools.

    Data formats (GraphML, GEXF, JSON, Cytoscape, Kumu, GML, Pajek, DOT, Cypher, Neo4j) carry
    the whole map, every period and scenario, unless --as-of, --scenario or other filters
    narrow it; pictures (PNG, SVG, PDF) and the HTML page show the default view (as of the
    latest date, as the dashboard opens). Formats by
    extension: .png .svg .pdf .html .graphml .gexf .json .cyjs .xlsx (Kumu workbook) .zip
    (Kumu CSV) .gml .net (Pajek) .dot .cypher; --format neo4j or kumu-csv writes a folder
    unless OUTPUT ends in .zip. Positions come from the full map, as in the dashboard.
    OUTPUT is never replaced without --force, never the input file even with it, and is
    written whole or not at all. See docs/exports.md.

    Example:

        stakeholder-explorer export data/us-taliban-2021.yaml -o map.gexf
    """
    from explorer.formats import export_view, spec_for_format
    from explorer.graph import build_graph

    size = parse_size(size_text) if size_text else None
    name = _export_format(output, fmt)
    dataset = load_or_exit(file)
    G = build_graph(dataset)
    try:
        view = export_view(G, spec, name)
    except ExplorerError as exc:
        raise click.UsageError(str(exc)) from None
    options = _export_options(
        G, file, name, layout=layout, seed=seed, fresh_layout=fresh_layout, size_by=size_by
    )
    options.update(
        title=title,
        size=size,
        dpi=dpi,
        spec=spec_for_format(spec, name),
        each_relation=each_relation,
    )
    _write_export(view, output, name, protect=file, force=force, options=options)


def _write_export(
    view: Any, output: str, name: str, *, protect: str, force: bool, options: dict[str, Any]
) -> None:
    """Write the export to OUTPUT (never over ``protect``, the input) or stdout; say what."""
    from explorer.formats import export_bytes, export_file

    try:
        if output == "-":
            sys.stdout.buffer.write(export_bytes(view, name, **options))
            sys.stdout.flush()
            return
        written = export_file(view, output, name, force=force, protect=[protect], **options)
    except ExplorerError as exc:
        fail(str(exc))
        return
    click.echo(
        escape_controls(
            f"{written}: {name}: {view.number_of_nodes()} actors, "
            f"{view.number_of_edges()} relations"
        ),
        err=True,
    )


def _export_format(output: str, fmt: str | None) -> str:
    """The format to write: ``--format``, or OUTPUT's extension; stdout takes text only."""
    from explorer.formats import FORMATS, format_for_path

    name = fmt
    if name is None and output != "-":
        try:
            name = format_for_path(output)
        except ExplorerError as exc:
            raise click.UsageError(str(exc)) from None
    if name is None:
        raise click.UsageError("writing to stdout ('-o -') needs --format")
    if output == "-" and FORMATS[name].binary:
        raise click.UsageError(f"{name} is binary; write it to a file, not to stdout")
    return name


def _export_options(
    G: Any, file: str, name: str, *, layout: str, seed: int, fresh_layout: bool, size_by: str | None
) -> dict[str, Any]:
    """Positions (from the whole map), node sizes and camps for an export of ``G``."""
    from explorer.render.layout import positions_for, record_path

    options: dict[str, Any] = {
        "positions": positions_for(
            G,
            layout=layout,
            seed=seed,
            record_path=None if file == "-" else record_path(file),
            map_name=Path(file).name,
            fresh=fresh_layout,
        ),
        "sizes": None,
    }
    if size_by:
        from explorer.analysis.centrality import MEASURES
        from explorer.render.html import sizes_from_measure

        options["sizes"] = sizes_from_measure(MEASURES[size_by](G))
    from explorer.formats import takes_camps

    if takes_camps(name, layout):
        from explorer.analysis.camps import camps

        options["camps"] = camps(G)
    return options


@main.command("import", context_settings=CONTEXT)
@click.argument("source", type=click.Path(exists=True))
@click.option(
    "-o",
    "--output",
    default=None,
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Stakeholder file to write ('-' for stdout); or give --into.",
)
@click.option("--title", default=None, help="Title of the map (default: 'Imported from ...').")
@click.option(
    "--columns",
    default=None,
    metavar="HEADER=ROLE,...",
    help="Name the roles of an edge list's header cells, e.g. 'Actor A=source,Actor B=target'. "
    "Roles: source, target, type, sign, strength, status, confidence, since, until, note.",
)
@click.option(
    "--into",
    "into",
    default=None,
    type=click.Path(dir_okay=False, exists=True),
    help="Apply the differences to this existing stakeholder file instead (checked edits, "
    "comments kept, undoable with `undo`); lists what it adds, changes and removes.",
)
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists (never SOURCE).")
def import_command(
    source: str,
    output: str | None,
    title: str | None,
    columns: str | None,
    into: str | None,
    force: bool,
) -> None:
    """Make a stakeholder file from a map made elsewhere.

    SOURCE: a Kumu workbook (.xlsx), Kumu CSV (zip or folder) or Kumu JSON blueprint; an edge
    list (.csv/.tsv, comma, semicolon or tab; or an .xlsx sheet) with a header such as
    source,target,type,sign,strength or none; or GraphML, GEXF, GML, node-link JSON or
    Cytoscape JSON as `export` writes them (edited in Gephi or Cytoscape, say). New kinds and
    types join the file's vocabulary; notes say what the import decided. Errors point at
    file:line:col (or file.xlsx:ROW:COL: Sheet!C12). See docs/exports.md.

    Example:

        stakeholder-explorer import kumu-export.xlsx -o imported.yaml
    """
    from explorer.formats import import_path
    from explorer.formats.files import write_atomic
    from explorer.load import dump_dataset

    roles = _column_roles(columns)
    if (output is None) == (into is None):
        raise click.UsageError("give either -o OUTPUT (a new file) or --into FILE")
    if into is not None:
        _import_into(source, into, title, roles)
        return
    assert output is not None
    try:
        result = import_path(source, title=title, columns=roles or None)
        text = dump_dataset(result.dataset)
        if output == "-":
            click.echo(text, nl=False)
        else:
            folder = Path(source)
            inputs: list[str | Path] = [source, *folder.iterdir()] if folder.is_dir() else [source]
            write_atomic(output, text.encode("utf-8"), force=force, protect=inputs)
    except ExplorerError as exc:
        fail(str(exc))
        return
    for note in result.notes:
        click.echo(escape_controls(f"note: {note}"), err=True)
    ds = result.dataset
    if output != "-":
        click.echo(
            escape_controls(
                f"{output}: {len(ds.actors)} actors, {len(ds.relations)} relations, "
                f"{len(ds.sources)} sources"
            ),
            err=True,
        )


def _column_roles(columns: str | None) -> dict[str, str]:
    """``--columns 'Von=source,Nach=target'`` as {header: role}."""
    roles: dict[str, str] = {}
    for pair in (columns or "").split(","):
        if pair.strip():
            header, sep, role = pair.rpartition("=")
            if not sep or not header.strip():
                raise click.UsageError(f"--columns: {pair.strip()!r} is not HEADER=ROLE")
            roles[header.strip()] = role.strip()
    return roles


def _import_into(source: str, into: str, title: str | None, roles: dict[str, str]) -> None:
    """``import SOURCE --into FILE``: add what SOURCE has and FILE lacks; say what changed."""
    from explorer.formats import import_path
    from explorer.formats.into import apply_import

    try:
        result = import_path(source, title=title, columns=roles or None)
        changes = apply_import(into, result.dataset)
    except ExplorerError as exc:
        fail(str(exc))
        return
    for note in result.notes:
        click.echo(escape_controls(f"note: {note}"), err=True)
    for line in changes.lines():
        click.echo(escape_controls(f"{into}: {line}"), err=True)


# --- editing: commands that change a stakeholder file in place (explorer/cli_edit.py) --------

from explorer.cli_edit import COMMANDS as _EDIT_COMMANDS  # noqa: E402  (one import above too)

for _command in _EDIT_COMMANDS:
    main.add_command(_command)
