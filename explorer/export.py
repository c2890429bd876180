"""Exports of one view of a map: images, a standalone page and data for other tools.

``FORMATS`` is the one list of formats; the CLI's ``--format`` choices and the dashboard's
download buttons both read it. ``export_bytes`` returns a format's bytes; ``export_file``
writes them atomically (through a temporary file and a rename), never over an existing
file without ``force``.

Data formats and how they carry our attributes:

- GraphML and GEXF hold only typed scalars: lists are joined with ``"; "``, dates written
  as ISO text, evidence flattened to ``source: "quote"`` text, and missing values are empty
  text. GEXF reserves ``type``, ``start`` and ``end``, so both formats name those
  ``relation_type``, ``start_date`` and ``end_date``. Both add ``weight`` (the strength) and
  ``x``/``y`` (GEXF: ``viz`` position, colour and size) so Gephi opens the map as drawn.
- node-link JSON (networkx's ``node_link_data`` with ``edges="links"``) and Cytoscape.js
  JSON keep lists and evidence as they are, with dates as ISO text.
- Kumu CSV: ``elements.csv`` and ``connections.csv``, plus ``sources.csv`` and
  ``vocabulary.csv`` (the file's own kinds and types) that Kumu ignores, in a zip (or a
  folder); ``explorer.importing`` reads them back.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import networkx as nx

from explorer.errors import ExportError
from explorer.graph import FilterSpec, view_note
from explorer.model import Sign
from explorer.render.figure import BASE_DPI, DEFAULT_SIZE
from explorer.render.style import kind_colour

__all__ = [
    "DEFAULT_DPI",
    "FORMATS",
    "KUMU_CONNECTION_COLUMNS",
    "KUMU_ELEMENT_COLUMNS",
    "KUMU_SOURCE_COLUMNS",
    "KUMU_VOCABULARY_COLUMNS",
    "MAX_PNG_PIXELS",
    "ExportOptions",
    "Format",
    "default_caption",
    "export_bytes",
    "export_file",
    "format_for_path",
    "write_atomic",
]

#: PNG density by default: twice the figure's 1x pixels, for sharp text on any screen.
DEFAULT_DPI = 2 * BASE_DPI

#: Largest PNG made, in pixels (100 million take 400 MB of memory to draw).
MAX_PNG_PIXELS = 100_000_000

Positions = Mapping[str, tuple[float, float]]


@dataclass(frozen=True)
class ExportOptions:
    """Everything a writer may need besides the view itself."""

    positions: Positions
    title: str = ""
    caption: str = ""
    size: tuple[int, int] | None = None  # None: the figure's default, taller if it needs
    dpi: int = DEFAULT_DPI
    sizes: Mapping[str, float] | None = None
    spec: FilterSpec = field(default_factory=FilterSpec)
    each_relation: bool = False


Writer = Callable[[nx.MultiDiGraph, ExportOptions], bytes]


class Format(NamedTuple):
    """One export format: file extension, media type, whether it is binary, its writer."""

    extension: str
    media_type: str
    binary: bool
    writer: Writer


# --- captions ------------------------------------------------------------------------------

_CAPTION_SOURCES = 8  # sources named in a caption before "and N more"


def default_caption(view: nx.MultiDiGraph, spec: FilterSpec | None = None) -> str:
    """The caption of a picture: dataset, what the view shows, filters and sources cited."""
    dataset = view.graph.get("dataset")
    parts = [f"Data: {view.graph.get('title') or 'untitled map'}."]
    actors, relations = view.number_of_nodes(), view.number_of_edges()
    if dataset is not None:
        shown = (
            f"Shown: {actors} of {len(dataset.actors)} actors, "
            f"{relations} of {len(dataset.relations)} relations"
        )
    else:
        shown = f"Shown: {actors} actors, {relations} relations"
    described = spec.describe() if spec is not None else ""
    shown += f" (filters: {described})" if described else ""
    # The view's date and scenario, and what they hide, even when no filter was set.
    note = view_note(view) if "hidden" in view.graph else ""
    parts.append(shown + (f"; {note}." if note else "."))
    cited = sorted({s for *_, d in view.edges(data=True) for s in d.get("sources", [])})
    if cited:
        index = dataset.source_index if dataset is not None else {}
        names = []
        for ident in cited:
            source = index.get(ident)
            if source is None:
                names.append(ident)
                continue
            extra = ", ".join(
                x
                for x in (source.author or "", source.published.text if source.published else "")
                if x
            )
            names.append(f"{source.title}" + (f" ({extra})" if extra else ""))
        if len(names) > _CAPTION_SOURCES:
            # A caption is not a bibliography: name the first few, count the rest.
            rest = len(names) - _CAPTION_SOURCES
            names = [*names[:_CAPTION_SOURCES], f"and {rest} more"]
        parts.append("Sources: " + "; ".join(names) + ".")
    else:
        parts.append("Sources: none cited by the relations shown.")
    return "\n".join(parts)


# --- images --------------------------------------------------------------------------------


def _image(fmt: str) -> Writer:
    def write(view: nx.MultiDiGraph, options: ExportOptions) -> bytes:
        from explorer.render.figure import image_bytes, network_figure

        if fmt == "png":
            size = options.size or (DEFAULT_SIZE[0], round(1.4 * DEFAULT_SIZE[0]))
            width, height = (round(side * options.dpi / BASE_DPI) for side in size)
            if width * height > MAX_PNG_PIXELS:
                raise ExportError(
                    f"a {width}x{height} PNG is over the limit of {MAX_PNG_PIXELS:,} pixels; "
                    "lower --size or --dpi, or export SVG or PDF"
                )
        title = options.title or str(view.graph.get("title", ""))
        fig = network_figure(
            view,
            options.positions,
            sizes=options.sizes,
            title=title,
            caption=options.caption or default_caption(view, options.spec),
            size=options.size,
            each_relation=options.each_relation,
        )
        return image_bytes(fig, fmt, dpi=options.dpi, title=title)

    return write


def _html(view: nx.MultiDiGraph, options: ExportOptions) -> bytes:
    from explorer.render.html import network_html

    page = network_html(
        view,
        dict(options.positions),
        sizes=dict(options.sizes) if options.sizes else None,
        title=options.title or str(view.graph.get("title", "")),
        caption=options.caption or default_caption(view, options.spec),
        standalone=True,
    )
    return page.encode("utf-8")


# --- graph data ----------------------------------------------------------------------------


def _text(value: Any) -> str:
    """A scalar as text: None is empty, lists are joined, dates are ISO."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(_text(v) for v in value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def _evidence_text(evidence: Iterable[Mapping[str, Any]]) -> str:
    return "; ".join(f'{ev.get("source", "")}: "{ev.get("quote", "")}"' for ev in evidence)


_RENAMED = {"type": "relation_type", "start": "start_date", "end": "end_date"}


def flat_graph(view: nx.MultiDiGraph, positions: Positions | None = None) -> nx.MultiDiGraph:
    """A copy of the view whose attributes are all text, whole numbers, floats or booleans."""
    F = nx.MultiDiGraph()
    F.graph.update(
        {
            "title": _text(view.graph.get("title")),
            "description": _text(view.graph.get("description")),
        }
    )
    for n, d in view.nodes(data=True):
        attrs: dict[str, Any] = {key: _text(value) for key, value in d.items()}
        if positions is not None and n in positions:
            attrs["x"], attrs["y"] = (float(c) for c in positions[n])
        F.add_node(n, **attrs)
    for u, v, k, d in view.edges(keys=True, data=True):
        attrs = {}
        for key, value in d.items():
            name = _RENAMED.get(key, key)
            if key == "evidence":
                attrs[name] = _evidence_text(value)
            elif isinstance(value, bool) or (isinstance(value, int) and key != "id"):
                attrs[name] = value
            else:
                attrs[name] = _text(value)
        attrs["weight"] = float(d.get("strength", 1))
        F.add_edge(u, v, key=k, **attrs)
    return F


def _graphml(view: nx.MultiDiGraph, options: ExportOptions) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(flat_graph(view, options.positions), buffer, encoding="utf-8")
    return buffer.getvalue()


def _rgb(colour: str) -> dict[str, float]:
    value = colour.lstrip("#")
    return {"r": int(value[0:2], 16), "g": int(value[2:4], 16), "b": int(value[4:6], 16), "a": 1.0}


def _gexf(view: nx.MultiDiGraph, options: ExportOptions) -> bytes:
    F = flat_graph(view, options.positions)
    for n, d in F.nodes(data=True):
        x, y = d.get("x", 0.0), d.get("y", 0.0)
        d["viz"] = {
            # Gephi's canvas counts y upwards like ours; 500 spreads [-1, 1] to a usual scale.
            "position": {"x": x * 500, "y": y * 500, "z": 0.0},
            "color": _rgb(kind_colour(str(d.get("kind", "")))),
            "size": float((options.sizes or {}).get(n, 16.0)),
        }
    buffer = io.BytesIO()
    nx.write_gexf(F, buffer, encoding="utf-8")
    # networkx stamps today's date; the data's own latest date keeps exports reproducible.
    latest = view.graph.get("latest")
    stamp = f' lastmodifieddate="{latest.isoformat()}"'.encode() if latest else b""
    return re.sub(rb' lastmodifieddate="[^"]*"', stamp, buffer.getvalue(), count=1)


def _plain(value: Any) -> Any:
    """A JSON-ready copy: dates as ISO text, tuples as lists."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    return value


def _graph_attrs(view: nx.MultiDiGraph) -> dict[str, Any]:
    return {k: _plain(v) for k, v in view.graph.items() if k != "dataset"}


def _json_view(view: nx.MultiDiGraph, positions: Positions | None) -> nx.MultiDiGraph:
    J = nx.MultiDiGraph()
    J.graph.update(_graph_attrs(view))
    for n, d in view.nodes(data=True):
        attrs = _plain(dict(d))
        if positions is not None and n in positions:
            attrs["x"], attrs["y"] = (float(c) for c in positions[n])
        J.add_node(n, **attrs)
    for u, v, k, d in view.edges(keys=True, data=True):
        J.add_edge(u, v, key=k, **_plain(dict(d)))
    return J


def _dumps(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _node_link(view: nx.MultiDiGraph, options: ExportOptions) -> bytes:
    return _dumps(nx.node_link_data(_json_view(view, options.positions), edges="links"))


def _cytoscape(view: nx.MultiDiGraph, options: ExportOptions) -> bytes:
    J = _json_view(view, options.positions)
    nodes = []
    for n, d in J.nodes(data=True):
        data = {**d, "id": str(n), "value": n, "name": d.get("name") or str(n)}
        entry: dict[str, Any] = {"data": data, "classes": str(d.get("kind", ""))}
        if "x" in d:
            # Cytoscape.js counts y downwards.
            entry["position"] = {"x": d["x"] * 500, "y": -d["y"] * 500}
        nodes.append(entry)
    edges = []
    for u, v, k, d in J.edges(keys=True, data=True):
        data = {**d, "source": str(u), "target": str(v), "key": k, "id": str(k)}
        edges.append({"data": data, "classes": Sign(d.get("sign", 0)).word})
    return _dumps(
        {
            "data": _graph_attrs(view),
            "directed": True,
            "multigraph": True,
            "elements": {"nodes": nodes, "edges": edges},
        }
    )


# --- Kumu CSV ------------------------------------------------------------------------------

#: Columns of ``elements.csv``: Kumu's own first, then ours.
KUMU_ELEMENT_COLUMNS = (
    "Label",
    "Type",
    "Description",
    "Tags",
    "ID",
    "Aliases",
    "Since",
    "Until",
    "Note",
)
#: Columns of ``connections.csv`` before the evidence columns (``Quote``, ``Source``,
#: ``Evidence Note``, then ``Quote 2`` ... for a relation with more quotes).
KUMU_CONNECTION_COLUMNS = (
    "From",
    "To",
    "Type",
    "Direction",
    "Strength",
    "Tags",
    "Description",
    "ID",
    "Sign",
    "Status",
    "Confidence",
    "Since",
    "Until",
)
#: Columns of ``sources.csv`` (not a Kumu sheet; it keeps the sources' titles for import).
KUMU_SOURCE_COLUMNS = ("ID", "Title", "Author", "Published", "URL", "Text", "Note")
#: Columns of ``vocabulary.csv``: the actor kinds and relation types the file adds.
KUMU_VOCABULARY_COLUMNS = (
    "Section",
    "ID",
    "Label",
    "Sign",
    "Directed",
    "Structural",
    "Description",
)
#: Kumu separates the values of a multi-value field with "|".
KUMU_SEPARATOR = "|"


def evidence_columns(number: int) -> tuple[str, str, str]:
    """The names of the quote, source and note columns of a relation's ``number``-th quote."""
    suffix = "" if number == 1 else f" {number}"
    return f"Quote{suffix}", f"Source{suffix}", f"Evidence Note{suffix}"


def _csv_bytes(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(list(header))
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    return buffer.getvalue().encode("utf-8")


def _labels(view: nx.MultiDiGraph) -> dict[str, str]:
    """Each actor's Kumu label: its name, with the id added where two names are the same."""
    names = {n: str(d.get("name") or n) for n, d in view.nodes(data=True)}
    seen: dict[str, int] = {}
    for name in names.values():
        seen[name] = seen.get(name, 0) + 1
    return {n: name if seen[name] == 1 else f"{name} ({n})" for n, name in names.items()}


def kumu_files(view: nx.MultiDiGraph) -> dict[str, bytes]:
    """The view as Kumu's ``elements.csv`` and ``connections.csv``, with our two extra sheets."""
    labels = _labels(view)
    join = KUMU_SEPARATOR.join
    elements = [
        [
            labels[n],
            d.get("kind", ""),
            d.get("description", ""),
            join(d.get("tags", [])),
            n,
            join(d.get("aliases", [])),
            d.get("since"),
            d.get("until"),
            d.get("note", ""),
        ]
        for n, d in view.nodes(data=True)
    ]
    most = max((len(d.get("evidence") or []) for *_, d in view.edges(data=True)), default=0)
    header = list(KUMU_CONNECTION_COLUMNS)
    for number in range(1, max(most, 1) + 1):
        header.extend(evidence_columns(number))
    connections = []
    for u, v, k, d in view.edges(keys=True, data=True):
        row = [
            labels[u],
            labels[v],
            d.get("type", ""),
            "directed" if d.get("directed") else "undirected",
            d.get("strength", 2),
            join(d.get("tags", [])),
            d.get("note", ""),
            k,
            Sign(d.get("sign", 0)).word,
            d.get("status", ""),
            d.get("confidence", ""),
            d.get("since"),
            d.get("until"),
        ]
        for ev in d.get("evidence") or []:
            row.extend([ev.get("quote", ""), ev.get("source", ""), ev.get("note", "")])
        connections.append(row)
    dataset = view.graph.get("dataset")
    cited = {s for *_, d in view.edges(data=True) for s in d.get("sources", [])}
    sources = []
    if dataset is not None:
        for source in dataset.sources:
            if source.id in cited:
                sources.append(
                    [
                        source.id,
                        source.title,
                        source.author,
                        source.published.text if source.published else "",
                        source.url,
                        source.text,
                        source.note,
                    ]
                )
    else:
        sources = [[ident, ident, "", "", "", "", ""] for ident in sorted(cited)]
    return {
        "elements.csv": _csv_bytes(KUMU_ELEMENT_COLUMNS, elements),
        "connections.csv": _csv_bytes(header, connections),
        "sources.csv": _csv_bytes(KUMU_SOURCE_COLUMNS, sources),
        "vocabulary.csv": _csv_bytes(KUMU_VOCABULARY_COLUMNS, _vocabulary_rows(view)),
    }


def _vocabulary_rows(view: nx.MultiDiGraph) -> list[list[Any]]:
    """The kinds and relation types the file adds to the built-in vocabulary."""
    dataset = view.graph.get("dataset")
    if dataset is None or dataset.vocabulary is None:
        return []
    yes = {True: "yes", False: "no"}
    rows: list[list[Any]] = [
        ["actor_kind", ident, kind.label, "", "", "", kind.description]
        for ident, kind in dataset.vocabulary.actor_kinds.items()
    ]
    rows += [
        [
            "relation_type",
            ident,
            rtype.label,
            rtype.sign,
            yes[rtype.directed],
            yes[rtype.structural],
            rtype.description,
        ]
        for ident, rtype in dataset.vocabulary.relation_types.items()
    ]
    return rows


def _kumu_zip(view: nx.MultiDiGraph, options: ExportOptions) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in kumu_files(view).items():
            # A fixed timestamp keeps the zip the same for the same view.
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


# --- the registry --------------------------------------------------------------------------

#: Every export format by name; the CLI's --format choices and the dashboard's buttons.
FORMATS: dict[str, Format] = {
    "png": Format(".png", "image/png", True, _image("png")),
    "svg": Format(".svg", "image/svg+xml", False, _image("svg")),
    "pdf": Format(".pdf", "application/pdf", True, _image("pdf")),
    "html": Format(".html", "text/html", False, _html),
    "graphml": Format(".graphml", "application/graphml+xml", False, _graphml),
    "gexf": Format(".gexf", "application/gexf+xml", False, _gexf),
    "json": Format(".json", "application/json", False, _node_link),
    "cytoscape": Format(".cyjs", "application/json", False, _cytoscape),
    "kumu": Format(".zip", "application/zip", True, _kumu_zip),
}

_ALIASES = {".htm": "html", ".xml": "graphml"}


def format_for_path(path: str | os.PathLike[str]) -> str:
    """The format a file name asks for by its extension; raise ``ExportError`` if none."""
    suffix = Path(path).suffix.lower()
    for name, fmt in FORMATS.items():
        if fmt.extension == suffix:
            return name
    if suffix in _ALIASES:
        return _ALIASES[suffix]
    known = ", ".join(sorted({f.extension for f in FORMATS.values()}))
    if not suffix:
        raise ExportError(f"{path} has no extension to tell the format ({known}); give --format")
    raise ExportError(f"{path}: extension {suffix!r} names no export format ({known})")


def export_bytes(
    view: nx.MultiDiGraph,
    fmt: str,
    *,
    positions: Positions,
    title: str = "",
    caption: str = "",
    size: tuple[int, int] | None = None,
    dpi: int = DEFAULT_DPI,
    sizes: Mapping[str, float] | None = None,
    spec: FilterSpec | None = None,
    each_relation: bool = False,
) -> bytes:
    """Return ``view`` in format ``fmt`` (a key of ``FORMATS``) as bytes.

    ``positions`` come from ``layout_positions`` on the full map, so the picture matches
    the dashboard. An empty ``title`` uses the dataset's; an empty ``caption`` builds the
    standard one (dataset, what is shown, the filters of ``spec``, the sources cited).
    ``size`` is in pixels at 1x; PNGs are written at ``dpi`` (2x by default).
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; choose from {', '.join(FORMATS)}")
    missing = [n for n in view if n not in positions]
    if missing:
        raise ExportError(f"no position for actor {missing[0]!r}; lay out the full map first")
    options = ExportOptions(
        positions=positions,
        title=title,
        caption=caption,
        size=size,
        dpi=dpi,
        sizes=sizes,
        spec=spec or FilterSpec(),
        each_relation=each_relation,
    )
    return FORMATS[fmt].writer(view, options)


# --- writing files -------------------------------------------------------------------------


def _refuse_existing(path: Path) -> ExportError:
    return ExportError(f"{path} already exists; add --force to replace it")


Protected = Iterable["str | os.PathLike[str]"]


def refuse_inputs(target: str | os.PathLike[str], protect: Protected) -> None:
    """Raise ``ExportError`` if writing ``target`` would replace one of the input files.

    No export, import or merge replaces a file it reads, not even with ``--force``: only
    the editing commands change a stakeholder file in place.
    """
    path = Path(target)
    if not path.exists():
        return
    for source in protect:
        try:
            same = os.path.samefile(path, source)
        except OSError:
            same = False
        if same:
            raise ExportError(
                f"{path} is the input {source}; an export never replaces the file it reads, "
                "even with --force: choose another output name"
            )


def write_atomic(
    path: str | os.PathLike[str],
    data: bytes | Iterable[bytes],
    *,
    force: bool = False,
    protect: Protected = (),
) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    A failure at any point (even half way through ``data``, which may be an iterable of
    chunks) leaves an existing file as it was and no temporary file behind. An existing
    file is replaced only with ``force``, and never when it is one of ``protect`` (the
    files the command reads).
    """
    target = Path(path)
    if target.is_dir():
        raise ExportError(f"{target} is a folder; give a file name")
    refuse_inputs(target, protect)
    if target.exists() and not force:
        raise _refuse_existing(target)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in [data] if isinstance(data, (bytes, bytearray)) else data:
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o644)
        if force:
            os.replace(temp, target)
        else:
            # link() fails if the name exists, so a file that appeared meanwhile is kept.
            try:
                os.link(temp, target)
            except FileExistsError:
                raise _refuse_existing(target) from None
            except OSError:
                if target.exists():
                    raise _refuse_existing(target) from None
                os.replace(temp, target)
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}") from None
    finally:
        if os.path.exists(temp):
            os.unlink(temp)
    return target


def write_folder_atomic(
    path: str | os.PathLike[str],
    files: Mapping[str, bytes],
    *,
    force: bool = False,
    protect: Protected = (),
) -> Path:
    """Write ``files`` into the folder ``path``; never touch a file the export does not write.

    A new folder is built beside ``path`` and renamed into place, so it appears whole or not
    at all. Into an existing folder (only with ``force``) each of ``files`` is written
    atomically over its old copy; every other file in the folder stays as it was, and a
    file of ``protect`` (an input of the command) is never replaced.
    """
    target = Path(path)
    if target.exists() and not target.is_dir():
        raise ExportError(f"{target} exists and is not a folder")
    if target.exists():
        if not force:
            raise _refuse_existing(target)
        for name in files:
            refuse_inputs(target / name, protect)
        _replace_in_folder(target, files)
        return target
    folder = target.parent if str(target.parent) else Path(".")
    try:
        temp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".part", dir=folder))
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror}") from None
    try:
        for name, data in files.items():
            (temp / name).write_bytes(data)
        os.chmod(temp, 0o755)
        # rename() onto an empty folder that appeared meanwhile would succeed; a
        # non-empty one makes it fail, and then nothing is lost either.
        os.rename(temp, target)
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}") from None
    finally:
        if temp.exists():
            shutil.rmtree(temp, ignore_errors=True)
    return target


def _replace_in_folder(target: Path, files: Mapping[str, bytes]) -> None:
    """Write every file to a temporary name in ``target`` first, then rename each into place.

    A failure while writing (a full disk) leaves every old file as it was and no temporary
    file behind; only the renames, which do not fail for want of space, change the folder.
    """
    staged: dict[str, Path] = {}
    try:
        for name, data in files.items():
            handle, temp = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=target)
            os.close(handle)
            staged[name] = Path(temp)
            staged[name].write_bytes(data)
            os.chmod(temp, 0o644)
        for name, temp in staged.items():
            os.replace(temp, target / name)
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}") from None
    finally:
        for temp in staged.values():
            if temp.exists():
                temp.unlink()


def export_file(
    view: nx.MultiDiGraph,
    path: str | os.PathLike[str],
    fmt: str | None = None,
    *,
    force: bool = False,
    protect: Protected = (),
    **options: Any,
) -> Path:
    """Export ``view`` to ``path`` (format from its extension unless ``fmt``), atomically.

    Kumu CSV goes into a zip when ``path`` ends in ``.zip``, else into a folder of that
    name. ``options`` are those of ``export_bytes``. No file of ``protect`` (the files the
    export reads) is ever replaced, even with ``force``.
    """
    name = fmt or format_for_path(path)
    if name not in FORMATS:
        raise ExportError(f"unknown export format {name!r}; choose from {', '.join(FORMATS)}")
    target = Path(path)
    # Refuse before the (possibly slow) rendering.
    refuse_inputs(target, protect)
    if target.exists() and not force:
        raise _refuse_existing(target)
    if name == "kumu" and target.suffix.lower() != ".zip":
        return write_folder_atomic(target, kumu_files(view), force=force, protect=protect)
    return write_atomic(target, export_bytes(view, name, **options), force=force, protect=protect)
