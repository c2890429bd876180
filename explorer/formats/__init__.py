"""Every format the explorer writes or reads, one module each, and the one registry.

``FORMATS`` lists the export formats; the CLI's ``--format`` choices and the dashboard's
download buttons both read it. ``export_bytes`` returns a format's bytes (a folder format's
files zipped); ``export_file`` writes a file or folder atomically, never over an existing one
without ``force`` and never over one of its inputs. ``import_path`` reads any format it
knows into a ``Dataset``, choosing by extension and content; anything else gets one
"unsupported format" error naming what is supported.

Data formats (``Format.whole``) export every period unless a date is asked for: a data
export is a full copy of the map. Pictures and the page show the default view.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from explorer.errors import DataErrors, ExportError, PageTooBig, Problem
from explorer.formats.files import read_input, refuse_inputs, write_atomic, write_folder_atomic
from explorer.formats.pictures import MAX_PNG_PIXELS, default_caption
from explorer.formats.records import ImportResult
from explorer.graph import ALL_PERIODS, FilterSpec
from explorer.render.figure import BASE_DPI

__all__ = [
    "DEFAULT_DPI",
    "FORMATS",
    "MAX_PNG_PIXELS",
    "IMPORT_EXTENSIONS",
    "ExportOptions",
    "Format",
    "ImportResult",
    "default_caption",
    "export_bytes",
    "export_file",
    "export_view",
    "format_for_path",
    "import_path",
    "spec_for_format",
    "takes_camps",
    "write_atomic",
]

#: PNG density by default: twice the figure's 1x pixels, for sharp text on any screen.
DEFAULT_DPI = 2 * BASE_DPI

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
    camps: Any = None  # a CampSplit: figures head each camp; the page colours by camp


Writer = Callable[["nx.MultiDiGraph[Any]", ExportOptions], bytes]
FolderWriter = Callable[["nx.MultiDiGraph[Any]"], dict[str, bytes]]


@dataclass(frozen=True)
class Format:
    """One export format: extension, media type, binary or text, how to write it.

    ``whole``: a data format, exported with every period by default. ``files``: a folder
    format (written as a folder unless the name ends in ``.zip``; downloaded as a zip).
    """

    extension: str
    media_type: str
    binary: bool
    writer: Writer
    whole: bool = True
    files: FolderWriter | None = None
    label: str = ""


def _lazy(module: str, name: str) -> Any:
    def call(*args: Any, **kwargs: Any) -> Any:
        import importlib

        return getattr(importlib.import_module(f"explorer.formats.{module}"), name)(*args, **kwargs)

    return call


def _zipped(files: FolderWriter) -> Writer:
    def write(view: nx.MultiDiGraph[Any], options: ExportOptions) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, data in files(view).items():
                # A fixed timestamp keeps the zip the same for the same view.
                info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, data)
        return buffer.getvalue()

    return write


def _image(fmt: str) -> Writer:
    return lambda view, options: _lazy("pictures", "image_writer")(fmt)(view, options)


_kumu_csv = _lazy("kumu", "kumu_csv_files")
_neo4j = _lazy("neo4j", "neo4j_files")

#: Every export format by name; the CLI's --format choices and the dashboard's buttons.
FORMATS: dict[str, Format] = {
    "png": Format(".png", "image/png", True, _image("png"), whole=False, label="PNG"),
    "svg": Format(".svg", "image/svg+xml", False, _image("svg"), whole=False, label="SVG"),
    "pdf": Format(".pdf", "application/pdf", True, _image("pdf"), whole=False, label="PDF"),
    "html": Format(
        ".html", "text/html", False, _lazy("pictures", "write_html"), whole=False, label="HTML"
    ),
    "graphml": Format(
        ".graphml",
        "application/graphml+xml",
        False,
        _lazy("graphml", "write_graphml"),
        label="GraphML",
    ),
    "gexf": Format(
        ".gexf", "application/gexf+xml", False, _lazy("gexf", "write_gexf"), label="GEXF"
    ),
    "json": Format(
        ".json",
        "application/json",
        False,
        _lazy("nodelink", "write_node_link"),
        label="node-link JSON",
    ),
    "cytoscape": Format(
        ".cyjs",
        "application/json",
        False,
        _lazy("cytoscape", "write_cytoscape"),
        label="Cytoscape JSON",
    ),
    "kumu": Format(
        ".xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        True,
        _lazy("kumu", "kumu_xlsx"),
        label="Kumu XLSX",
    ),
    "kumu-csv": Format(
        ".zip", "application/zip", True, _zipped(_kumu_csv), files=_kumu_csv, label="Kumu CSV"
    ),
    "gml": Format(".gml", "text/plain", False, _lazy("gml", "write_gml"), label="GML"),
    "pajek": Format(".net", "text/plain", False, _lazy("pajek", "write_pajek"), label="Pajek"),
    "dot": Format(".dot", "text/vnd.graphviz", False, _lazy("dot", "write_dot"), label="DOT"),
    "cypher": Format(
        ".cypher", "text/plain", False, _lazy("neo4j", "cypher_script"), label="Cypher"
    ),
    "neo4j": Format(
        ".zip", "application/zip", True, _zipped(_neo4j), files=_neo4j, label="Neo4j CSV"
    ),
}

_ALIASES = {".htm": "html", ".xml": "graphml", ".zip": "kumu-csv"}


def format_for_path(path: str | os.PathLike[str]) -> str:
    """The format a file name asks for by its extension; raise ``ExportError`` if none."""
    suffix = Path(path).suffix.lower()
    if suffix in _ALIASES:
        return _ALIASES[suffix]
    for name, fmt in FORMATS.items():
        if fmt.extension == suffix:
            return name
    known = ", ".join(sorted({f.extension for f in FORMATS.values()}))
    if not suffix:
        raise ExportError(f"{path} has no extension to tell the format ({known}); give --format")
    raise ExportError(f"{path}: extension {suffix!r} names no export format ({known})")


def spec_for_format(spec: FilterSpec, fmt: str) -> FilterSpec:
    """The filters a format exports with: data formats take every period unless asked."""
    if FORMATS[fmt].whole and spec.as_of is None:
        return dataclasses.replace(spec, as_of=ALL_PERIODS)
    return spec


def takes_camps(fmt: str, layout: str) -> bool:
    """Whether an export in ``fmt`` of a map laid out by ``layout`` is given the camps.

    The page always (its "colour by camp"); the pictures in the camps layout, where they
    head each camp. The CLI's ``export`` and the dashboard's downloads both ask here.
    """
    return fmt == "html" or (layout == "camps" and fmt in ("png", "svg", "pdf"))


def export_view(G: nx.MultiDiGraph[Any], spec: FilterSpec, fmt: str) -> nx.MultiDiGraph[Any]:
    """The view format ``fmt`` exports of the map ``G`` under ``spec``.

    A data format is a full copy by default: every period unless ``spec`` names a date, and
    every scenario's relations unless it names a scenario (each relation keeps its
    ``scenario``). Pictures and the page show ``spec``'s view as the dashboard does.
    """
    from explorer.graph import filter_graph

    spec = spec_for_format(spec, fmt)
    if FORMATS[fmt].whole and spec.scenario is None:
        every = G.copy()
        for *_, d in every.edges(data=True):
            d["scenario"] = None  # the filter keeps no scenario's relations apart
        view = filter_graph(every, spec)
        view.graph["scenario"] = None
        return view
    return filter_graph(G, spec)


def export_bytes(
    view: nx.MultiDiGraph[Any],
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
    camps: Any = None,
) -> bytes:
    """Return ``view`` in format ``fmt`` (a key of ``FORMATS``) as bytes.

    ``positions`` come from ``layout_positions`` on the full map, so the picture matches
    the dashboard. An empty ``title`` uses the dataset's; an empty ``caption`` builds the
    standard one (dataset, what is shown, the filters of ``spec``, the sources cited).
    ``size`` is in pixels at 1x; PNGs are written at ``dpi`` (2x by default). A folder
    format comes as a zip.
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
        camps=camps,
    )
    return FORMATS[fmt].writer(view, options)


def export_file(
    view: nx.MultiDiGraph[Any],
    path: str | os.PathLike[str],
    fmt: str | None = None,
    *,
    force: bool = False,
    protect: Any = (),
    **options: Any,
) -> Path:
    """Export ``view`` to ``path`` (format from its extension unless ``fmt``), atomically.

    A folder format (Kumu CSV, Neo4j) goes into a zip when ``path`` ends in ``.zip``, else
    into a folder of that name. ``options`` are those of ``export_bytes``. No file of
    ``protect`` (the files the export reads) is ever replaced, even with ``force``.
    """
    name = fmt or format_for_path(path)
    if name not in FORMATS:
        raise ExportError(f"unknown export format {name!r}; choose from {', '.join(FORMATS)}")
    target = Path(path)
    # Refuse before the (possibly slow) rendering.
    refuse_inputs(target, protect)
    if target.exists() and not force:
        raise ExportError(f"{target} already exists; add --force to replace it")
    folder = FORMATS[name].files
    if folder is not None and target.suffix.lower() != ".zip":
        return write_folder_atomic(target, folder(view), force=force, protect=protect)
    try:
        data = export_bytes(view, name, **options)
    except PageTooBig as exc:
        raise ExportError(f"{target}: {exc}") from None
    return write_atomic(target, data, force=force, protect=protect)


# --- import --------------------------------------------------------------------------------

#: What ``import`` reads, by extension (a folder is a Kumu CSV folder).
IMPORT_EXTENSIONS = {
    ".csv": "an edge list or Kumu CSV",
    ".tsv": "an edge list",
    ".txt": "an edge list",
    ".zip": "Kumu CSV files",
    ".xlsx": "a Kumu workbook or an edge list sheet",
    ".json": "Kumu's JSON blueprint, node-link JSON or Cytoscape JSON",
    ".cyjs": "Cytoscape JSON",
    ".graphml": "GraphML",
    ".xml": "GraphML",
    ".gexf": "GEXF",
    ".gml": "GML",
}


def _unsupported(path: str, what: str) -> DataErrors:
    known = ", ".join(sorted(IMPORT_EXTENSIONS))
    return DataErrors(
        [
            Problem(
                path,
                1,
                1,
                "file",
                f"unsupported format ({what}); import reads {known} and Kumu CSV folders",
            )
        ]
    )


def _content(data: bytes) -> str:
    head = data.lstrip()[:64]
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"<"):
        return "xml"
    if head.startswith((b"{", b"[")):
        return "json"
    if b"\x00" in data[:4096]:
        return "binary"
    return "text"


def import_path(
    path: str | os.PathLike[str],
    *,
    title: str | None = None,
    columns: Mapping[str, str] | None = None,
) -> ImportResult:
    """Import a map made elsewhere; the format comes from the extension and the content."""
    where = Path(path)
    shown = str(where)
    if not where.exists():
        raise DataErrors([Problem(shown, 1, 1, "file", "no such file or folder")])
    if where.is_dir():
        from explorer.formats.kumu import read_kumu

        return read_kumu(where, title=title)
    suffix = where.suffix.lower()
    if suffix not in IMPORT_EXTENSIONS:
        raise _unsupported(shown, f"extension {suffix!r}" if suffix else "no extension")
    data = read_input(where)
    content = _content(data)
    if suffix == ".zip":
        from explorer.formats.kumu import read_kumu

        return read_kumu(where, title=title)
    if suffix == ".xlsx":
        if content != "zip":
            raise _unsupported(shown, "not an .xlsx workbook inside")
        return _read_workbook(data, shown, title=title, columns=columns)
    if suffix in (".json", ".cyjs"):
        return _read_json(data, shown, title=title)
    if suffix in (".graphml", ".xml", ".gexf"):
        if content != "xml":
            raise _unsupported(shown, f"not XML inside a {suffix} file")
        if suffix == ".gexf" or b"<gexf" in data[:4096]:
            from explorer.formats.gexf import read_gexf

            return read_gexf(data, shown, title=title)
        from explorer.formats.graphml import read_graphml

        return read_graphml(data, shown, title=title)
    if suffix == ".gml":
        from explorer.formats.gml import read_gml

        return read_gml(data, shown, title=title)
    if content != "text":
        raise _unsupported(shown, f"{content} content in a {suffix} file")
    from explorer.formats.edgelist import read_edge_list

    return read_edge_list(data, shown, title=title, columns=columns)


def _read_workbook(
    data: bytes, path: str, *, title: str | None, columns: Mapping[str, str] | None
) -> ImportResult:
    from explorer.formats.edgelist import edge_list_table, read_edge_table
    from explorer.formats.kumu import is_kumu_workbook, read_kumu_xlsx
    from explorer.formats.tables import xlsx_sheets

    sheets = xlsx_sheets(data, path)
    if is_kumu_workbook(sheets):
        return read_kumu_xlsx(data, path, title=title)
    if not sheets:
        raise DataErrors([Problem(path, 1, 1, "file", "a workbook with no sheets")])
    name, records = next(iter(sheets.items()))
    table, notes = edge_list_table(records, path, columns=columns, sheet=name)
    return read_edge_table(table, path, title=title, notes=notes)


class _HugeNumber(ValueError):
    """A JSON integer too long to be any field's value (Python refuses over 4,300 digits)."""

    def __init__(self, digits: str) -> None:
        super().__init__(digits[:40])
        self.digits = digits


def _json_int(digits: str) -> int:
    if len(digits) > 100:
        raise _HugeNumber(digits)
    return int(digits)


def _read_json(data: bytes, path: str, *, title: str | None) -> ImportResult:
    from explorer.formats.cytoscape import is_cytoscape, read_cytoscape
    from explorer.formats.kumu import is_kumu_blueprint, read_kumu_json
    from explorer.formats.nodelink import is_node_link, read_node_link
    from explorer.formats.tables import decode

    text = decode(data, path)
    try:
        parsed = json.loads(text, parse_int=_json_int)
    except json.JSONDecodeError as exc:
        raise DataErrors(
            [Problem(path, exc.lineno, exc.colno, "file", f"not JSON: {exc.msg}")]
        ) from None
    except _HugeNumber as exc:
        at = text.find(exc.digits)
        line = text.count("\n", 0, at) + 1
        col = at - text.rfind("\n", 0, at)
        message = f"a number of {len(exc.digits):,} digits; no field holds one that long"
        raise DataErrors([Problem(path, line, col, "file", message)]) from None
    except RecursionError:
        raise DataErrors([Problem(path, 1, 1, "file", "JSON nested too deeply")]) from None
    if is_kumu_blueprint(parsed):
        return read_kumu_json(parsed, path, title=title)
    if is_cytoscape(parsed):
        return read_cytoscape(parsed, path, title=title)
    if is_node_link(parsed):
        return read_node_link(parsed, path, title=title)
    raise _unsupported(path, "JSON that is neither Kumu's blueprint, node-link nor Cytoscape JSON")
