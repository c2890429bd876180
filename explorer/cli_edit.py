"""The editing commands of ``stakeholder-explorer``: each a few lines around ``explorer.edit``.

Every command changes the file in place through the edit library (checked, atomic,
undoable) and exits 1 with precise errors, the file untouched, on any problem.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import click

from explorer.errors import ExplorerError, escape_controls

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

_FILE = click.argument("file", type=click.Path(dir_okay=False))
_SOURCES = click.option(
    "--sources",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder of source texts (<source id>.txt), as for validate.",
)


def app_edit_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The ``app`` options that concern Edit mode: --read-only and --sources."""
    command = click.option(
        "--sources",
        type=click.Path(file_okay=False),
        default=None,
        help="Folder of source texts (<source id>.txt) shown beside the relation form.",
    )(command)
    return click.option(
        "--read-only",
        is_flag=True,
        help="Turn Edit mode's writing off (it is off anyway for the bundled map, and when "
        "the server listens beyond 127.0.0.1).",
    )(command)


def app_environment(read_only: bool, sources: str | None) -> dict[str, str]:
    """The environment of the dashboard's server: this one, plus the Edit mode settings."""
    import os

    from explorer.edit import READ_ONLY_ENV, SOURCES_ENV

    env = dict(os.environ)
    env.pop(READ_ONLY_ENV, None)
    if read_only:
        env[READ_ONLY_ENV] = "1"
    if sources:
        env[SOURCES_ENV] = os.path.abspath(sources)
    return env


def _run(file: str, sources: str | None, make: Callable[[Any], Any]) -> Any:
    """Open FILE, make the edit, save it and report; exit 1 with nothing written on error."""
    from explorer.edit import StakeholderFile, save

    try:
        doc = StakeholderFile.open(file, sources=sources)
        edit = make(doc)
        save(edit)
    except ExplorerError as exc:
        click.echo(escape_controls(str(exc)), err=True)
        click.echo(f"{file}: nothing written", err=True)
        sys.exit(1)
    click.echo(f"{file}: {edit.summary}", err=True)
    for what in edit.removed:
        click.echo(f"  also removed {what}", err=True)
    for old, new in edit.renamed:
        click.echo(f"relation id {old} -> {new}")
    return edit


@click.command("add-actor", context_settings=CONTEXT)
@_FILE
@click.argument("id")
@click.option("--name", required=True, help="The actor's name as readers know it.")
@click.option("--kind", required=True, help="An actor kind of the vocabulary (state, person ...).")
@click.option("--alias", "aliases", multiple=True, help="Another name (repeat for more).")
@click.option("--description", default=None, help="One or two sentences on who this is.")
@click.option("--tag", "tags", multiple=True, help="A tag (repeat for more).")
@click.option("--since", default=None, help="First date the actor exists (YYYY[-MM[-DD]]).")
@click.option("--until", default=None, help="Last date the actor exists.")
@click.option("--note", default=None, help="A curator's note.")
def add_actor(file: str, id: str, **fields: Any) -> None:
    """Add an actor at the end of the actors, in the file's own style.

    Example:

        stakeholder-explorer add-actor map.yaml qatar --name Qatar --kind state --alias Doha
    """
    fields["aliases"], fields["tags"] = list(fields["aliases"]), list(fields["tags"])
    _run(file, None, lambda doc: doc.add("actor", {"id": id, **fields}))


@click.command("add-relation", context_settings=CONTEXT)
@_FILE
@click.argument("source")
@click.argument("type")
@click.argument("target")
@click.option("--id", "ident", default=None, help="An id of its own (default: derived).")
@click.option("--sign", default=None, help="positive, negative or neutral (default: the type's).")
@click.option("--status", default=None, help="observed (default) or projected.")
@click.option("--confidence", default=None, help="low, medium (default) or high.")
@click.option("--strength", default=None, help="1, 2 (default) or 3.")
@click.option("--since", default=None, help="First date in force (YYYY[-MM[-DD]]).")
@click.option("--until", default=None, help="Last date in force.")
@click.option("--scenario", default=None, help="The scenario a projected relation holds under.")
@click.option("--quote", "quotes", multiple=True, help="A verbatim quote (repeat for more).")
@click.option("--cite", "cites", multiple=True, help="The source id of each --quote.")
@click.option("--note", default=None, help="A curator's note.")
@click.option("--tag", "tags", multiple=True, help="A tag (repeat for more).")
@_SOURCES
def add_relation(
    file: str,
    source: str,
    type: str,
    target: str,
    ident: str | None,
    quotes: tuple[str, ...],
    cites: tuple[str, ...],
    sources: str | None,
    **fields: Any,
) -> None:
    """Add a relation SOURCE TYPE TARGET and print its id.

    Each --quote is checked against its source's text (its text: file, or DIR/<id>.txt
    with --sources) when the source has one.

    Example:

        stakeholder-explorer add-relation map.yaml qatar negotiates_with taliban
        --quote "talks in Doha" --cite report_2021
    """
    from explorer.edit import evidence_items

    def make(doc: Any) -> Any:
        evidence = evidence_items(quotes, cites) if quotes or cites else []
        return doc.add(
            "relation",
            {
                "id": ident,
                "source": source,
                "target": target,
                "type": type,
                **{k: v for k, v in fields.items() if k != "tags"},
                "evidence": evidence,
                "tags": list(fields["tags"]),
            },
        )

    edit = _run(file, sources, make)
    click.echo(edit.id)


@click.command("add-source", context_settings=CONTEXT)
@_FILE
@click.argument("id")
@click.option("--title", required=True, help="The document's title.")
@click.option("--author", default=None, help="Its author.")
@click.option("--published", default=None, help="Its date (YYYY[-MM[-DD]]).")
@click.option("--url", default=None, help="Where it is found.")
@click.option(
    "--text",
    "text_path",
    default=None,
    type=click.Path(dir_okay=False),
    help="Its text as a file inside the map's folder or --sources; written relative to the map.",
)
@click.option("--note", default=None, help="A curator's note.")
@_SOURCES
def add_source(
    file: str, id: str, text_path: str | None, sources: str | None, **fields: Any
) -> None:
    """Add a source that evidence can cite.

    Example:

        stakeholder-explorer add-source map.yaml report_2021 --title "Annual report"
        --published 2021-09 --text texts/report_2021.txt
    """
    from explorer.edit import relative_text_path

    def make(doc: Any) -> Any:
        text = relative_text_path(text_path, file, sources) if text_path else None
        return doc.add("source", {"id": id, **fields, "text": text})

    _run(file, sources, make)


@click.command("add-scenario", context_settings=CONTEXT)
@_FILE
@click.argument("id")
@click.option("--title", required=True, help="The scenario's title.")
@click.option("--description", default=None, help="What the scenario assumes.")
@click.option(
    "--replaces-main",
    is_flag=True,
    help="A counterfactual: its relations replace the main forecast instead of adding to it.",
)
def add_scenario(
    file: str, id: str, title: str, description: str | None, replaces_main: bool
) -> None:
    """Add a named scenario that projected relations can hold under.

    Example:

        stakeholder-explorer add-scenario map.yaml china_recognises --title "China recognises"
    """
    fields: dict[str, str | bool | None] = {"id": id, "title": title, "description": description}
    if replaces_main:
        fields["replaces_main"] = True
    _run(file, None, lambda doc: doc.add("scenario", fields))


@click.command("set", context_settings=CONTEXT)
@_FILE
@click.argument("id")
@click.argument("assignments", nargs=-1, required=True, metavar="FIELD=VALUE...")
@_SOURCES
def set_command(file: str, id: str, assignments: tuple[str, ...], sources: str | None) -> None:
    """Change fields of the actor, relation, source or scenario ID.

    Lists are written a,b (aliases=Doha,Qatari government); FIELD= removes a field; id=NEW
    renames. An id shared by two kinds is chosen with a prefix (actor:, relation:, source:,
    scenario:).

    Example:

        stakeholder-explorer set map.yaml taliban aliases=Taliban 2.0,the group note=
    """
    from explorer.edit import parse_assignment

    def make(doc: Any) -> Any:
        record = doc.find(id)
        changes = dict(parse_assignment(record.kind, a) for a in assignments)
        return doc.change(f"{record.kind}:{record.id}", changes)

    _run(file, sources, make)


@click.command("remove", context_settings=CONTEXT)
@_FILE
@click.argument("id")
@click.option(
    "--cascade",
    is_flag=True,
    help="Also remove what refers to it (relations of an actor or scenario, evidence of a "
    "source); each is listed.",
)
def remove(file: str, id: str, cascade: bool) -> None:
    """Remove the actor, relation, source or scenario ID.

    An actor with relations (a source cited, a scenario used) is refused without --cascade.

    Example:

        stakeholder-explorer remove map.yaml joe_biden --cascade
    """
    _run(file, None, lambda doc: doc.remove(id, cascade=cascade))


@click.command("rename", context_settings=CONTEXT)
@_FILE
@click.argument("old_id")
@click.argument("new_id")
def rename(file: str, old_id: str, new_id: str) -> None:
    """Give a record a new id; every reference to it follows.

    Derived relation ids that change are printed old -> new.

    Example:

        stakeholder-explorer rename map.yaml united_states usa
    """
    _run(file, None, lambda doc: doc.rename(old_id, new_id))


@click.command("undo", context_settings=CONTEXT)
@_FILE
@click.option("--force", is_flag=True, help="Undo even if the file changed after the last edit.")
def undo(file: str, force: bool) -> None:
    """Restore the file as it was before its last edit; repeat to go further back.

    The history lives in .stakeholder-explorer/ beside the file.

    Example:

        stakeholder-explorer undo map.yaml
    """
    from explorer.edit import FileChanged
    from explorer.edit import undo as undo_edit

    try:
        result = undo_edit(file, force=force)
    except ExplorerError as exc:
        click.echo(escape_controls(str(exc)), err=True)
        if isinstance(exc, FileChanged):
            click.echo("use undo --force to restore the earlier version anyway", err=True)
        click.echo(f"{file}: nothing written", err=True)
        sys.exit(1)
    click.echo(f"{file}: undid {result.what} ({result.remaining} earlier edit(s) left)")


@click.command("merge", context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, allow_dash=True),
    help="The merged file ('-' for stdout).",
)
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists (never an input).")
@click.option("--dry-run", is_flag=True, help="Print the match table only; write nothing.")
@click.option(
    "--prefer",
    type=click.IntRange(1),
    default=None,
    metavar="N",
    help="Resolve conflicting strength, confidence, dates, notes and definitions with file N "
    "(counting from 1).",
)
def merge(
    files: tuple[str, ...], output: str, force: bool, dry_run: bool, prefer: int | None
) -> None:
    """Make one map from several, printing how actors and relations were matched.

    Actors match by id, name and alias (ignoring case, accents and punctuation); relations
    when their ends, type, sign, status and scenario agree, and then pool their evidence.
    Opposite signs stay apart (a contested pair). Conflicts are listed and stop the merge
    unless --prefer N settles them.

    Example:

        stakeholder-explorer merge mine.yaml theirs.yaml -o merged.yaml --prefer 1
    """
    from pathlib import Path

    from explorer.edit import write_atomic
    from explorer.merge import MergeConflicts, merge_datasets

    def table(rows: Any) -> None:
        for row in rows:
            line = f"{row.kind:<13} {row.id:<40} <- {', '.join(row.members)}  [{row.how}]"
            click.echo(escape_controls(line))

    if prefer is not None and prefer > len(files):
        raise click.UsageError(f"--prefer {prefer}: there are only {len(files)} files")
    if output != "-":
        out = Path(output).resolve()
        if any(Path(f).resolve() == out for f in files):
            click.echo(f"{output}: is one of the files merged; write the merge elsewhere", err=True)
            sys.exit(1)
        if out.exists() and not force and not dry_run:
            click.echo(f"{output}: exists; add --force to replace it", err=True)
            sys.exit(1)
    datasets = _read_all(files)
    try:
        result = merge_datasets(datasets, files, prefer=prefer)
    except MergeConflicts as exc:
        table(exc.rows)
        click.echo(escape_controls(str(exc)), err=True)
        click.echo("merge stopped: nothing written", err=True)
        sys.exit(1)
    except ExplorerError as exc:
        click.echo(escape_controls(str(exc)), err=True)
        sys.exit(1)
    text = result.text()
    if output == "-" and not dry_run:
        click.echo(text, nl=False)
        return
    table(result.rows)
    ds = result.dataset
    counts = f"{len(ds.actors)} actors, {len(ds.relations)} relations, {len(ds.sources)} sources"
    if dry_run:
        click.echo(f"dry run: {output} would hold {counts}; nothing written")
        return
    write_atomic(output, text.encode("utf-8"))
    click.echo(f"{output}: {counts}")


def _read_all(files: tuple[str, ...]) -> list[Any]:
    """Every file as a dataset; else every file's errors at once, and exit 1."""
    from explorer.load import load_dataset

    datasets, unreadable = [], []
    for f in files:
        try:
            datasets.append(load_dataset(f))
        except ExplorerError as exc:
            unreadable.append(escape_controls(str(exc)))
    if unreadable:
        click.echo("\n".join(unreadable), err=True)
        sys.exit(1)
    return datasets


COMMANDS = [
    merge,
    add_actor,
    add_relation,
    add_source,
    add_scenario,
    set_command,
    remove,
    rename,
    undo,
]
