"""The dashboard page: sidebar filters, the graph, details, tables, analysis and downloads.

Everything slow (parsing and validation, the graph, the layout, the size measure) is cached
by the file's content hash, so a filter change recomputes only the view. The view is one
``FilterSpec``, mirrored in the URL's query parameters so that a copied URL restores it.
Text from the file is shown as text: tables, ``st.text`` and the page's own textContent.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import html
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd
import streamlit as st

from explorer.app.caching import budgeted
from explorer.app.sidebar import (
    carried_view_line,
    draw_sidebar,
    init_state_from_url,
    measures,
    sidebar_values,
    sync_url,
    view_line,
    view_query,
)
from explorer.errors import ExplorerError, PageTooBig, Problem
from explorer.graph import (
    FilterSpec,
    build_graph,
    filter_graph,
    filters_in_words,
    view_note,
    view_summary,
)
from explorer.load import Report, check_bytes
from explorer.model import Dataset, Sign
from explorer.render.html import safe_url, sizes_from_measure
from explorer.render.layout import positions_for, record_path
from explorer.render.style import SIGN_STYLES

#: Largest upload accepted, in megabytes: room for the 20,000-actor benchmark file (~60 MB).
UPLOAD_LIMIT_MB = 64
#: File name endings an upload may have.
UPLOAD_SUFFIXES = (".yaml", ".yml")
#: Environment variable naming the file to open when the script gets no argument.
FILE_ENV = "STAKEHOLDER_EXPLORER_FILE"
_RELATION_COLUMNS = [
    "source",
    "relation",
    "target",
    "sign",
    "status",
    "confidence",
    "strength",
    "since",
    "until",
    "sources",
    "quotes",
    "id",
]


# --- file text on the page: always as text ----------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$&])")
# GFM turns "www.x.org", "https://3627734734/x" and "someone@x.org" into live links after
# escapes are read, so escaping cannot stop it; an invisible word joiner inside each does.
_AUTOLINK = re.compile(r"(?i)(?<![^\W_])(?:www(?=\.)|https?(?=:)|mailto(?=:)|xmpp(?=:))|(?=@)")
# Streamlit expands ":name:" shortcodes and ":colour[...]" directives even after a backslash.
_MD_DIRECTIVE = re.compile(r":(?=[A-Za-z][A-Za-z0-9_/+\\-]*[:\[])")


def markdown_literal(text: str) -> str:
    """Text for a Streamlit markdown slot (``st.error``, captions) that shows as written."""
    text = _AUTOLINK.sub(lambda m: m[0] + "\u2060", text)
    escaped = _MD_SPECIAL.sub(r"\\\1", text)
    return _MD_DIRECTIVE.sub(":\u2060", escaped)  # a word joiner breaks the shortcode


def _heading(text: str, level: int, key: str) -> None:
    """A heading of file text, escaped HTML rather than markdown."""
    st.html(f'<h{level} class="se-{key}" style="margin:0">{html.escape(text)}</h{level}>')


# --- cached work, keyed by the file's content hash ------------------------------------------


@budgeted("Reading and checking the map…")
def _checked(digest: str, name: str, base_dir: str | None, _data: bytes) -> Report:
    """Parse and validate a file's bytes (cached by content hash and name)."""
    return check_bytes(_data, name, base_dir=base_dir, keep=False)


@budgeted("Building the graph…")
def _graph(digest: str, _dataset: Dataset) -> nx.MultiDiGraph[Any]:
    """The full graph of a dataset (shared; never mutated: filters build new graphs)."""
    return build_graph(_dataset)


@budgeted("Laying out the map…")
def _positions(
    digest: str, layout: str, record: str, map_name: str, stamp: float, _G: nx.MultiDiGraph[Any]
) -> dict[str, tuple[float, float]]:
    """Positions of the full map, so filters never move actors: the positions record kept
    beside the map file (``record``, empty for an upload; ``stamp`` is its modification
    time), then the seeded layout for the actors it lacks."""
    return positions_for(_G, layout=layout, seed=7, record_path=record or None, map_name=map_name)


def _map_positions(
    mapfile: MapFile, layout: str, G: nx.MultiDiGraph[Any]
) -> dict[str, tuple[float, float]]:
    """The positions the screen, the downloads and ``export`` share for this map file."""
    record = record_path(mapfile.name) if mapfile.base_dir is not None else None
    try:
        stamp = record.stat().st_mtime if record is not None else 0.0
    except OSError:
        stamp = 0.0
    name = Path(mapfile.name).name
    return _positions(mapfile.digest, layout, str(record or ""), name, stamp, G)


@budgeted("Measuring…")
def _measure_values(digest: str, measure: str, _G: nx.MultiDiGraph[Any]) -> dict[str, float]:
    """A measure over the full map, so node sizes do not change with filters."""
    return measures()[measure][1](_G)


@dataclasses.dataclass(frozen=True)
class MapFacts:
    """What the sidebar and tables need from the full map, gathered once per file."""

    names: dict[str, str]
    actors_by_name: list[str]
    kinds: list[str]
    types: list[str]
    dates: list[str]
    most_sources: int
    source_titles: dict[str, str]
    #: Each relation's table row by relation id (the view's table picks its rows).
    relation_rows: dict[str, dict[str, Any]]
    #: The same rows as a table indexed by relation id, and the actors' fixed columns
    #: indexed by actor id: a view's tables are picked from them, not built again.
    relation_table: pd.DataFrame
    actor_table: pd.DataFrame


@budgeted("Indexing the map…")
def _facts(digest: str, _dataset: Dataset, _G: nx.MultiDiGraph[Any]) -> MapFacts:
    """Option lists, dates and table rows of the full map (cached by the file hash)."""
    names = {n: d["name"] for n, d in _G.nodes(data=True)}
    titles = {s.id: s.title for s in _dataset.sources}
    types: set[str] = set()
    dates: set[str] = set()
    most = 0
    rows: dict[str, dict[str, Any]] = {}
    for u, v, k, d in _G.edges(keys=True, data=True):
        types.add(d["type"])
        dates.update(d[x] for x in ("since", "until") if d.get(x))
        most = max(most, d["n_sources"])
        rows[k] = _relation_row(u, v, k, d, names, titles)
    kinds = {d["kind"] for _, d in _G.nodes(data=True)}
    by_name = sorted(_G.nodes, key=lambda n: str(names[n]).casefold())
    kind_labels = {k: spec.label for k, spec in _dataset.vocab.actor_kinds.items()}
    actor_table = pd.DataFrame(
        [
            {
                "name": d["name"],
                "kind": kind_labels.get(d["kind"], d["kind"]),
                "aliases": ", ".join(d["aliases"]),
                "description": d["description"],
                "id": n,
            }
            for n, d in _G.nodes(data=True)
        ],
        columns=["name", "kind", "aliases", "description", "id"],
    ).set_index("id", drop=False)
    # Ties in the actors table are listed by name: keep each actor's place in that order.
    actor_table["_by_name"] = actor_table["id"].map({n: i for i, n in enumerate(by_name)})
    relation_table = pd.DataFrame(list(rows.values()), columns=_RELATION_COLUMNS).set_index(
        "id", drop=False
    )
    return MapFacts(
        names=names,
        actors_by_name=by_name,
        kinds=sorted(kinds),
        types=sorted(types),
        dates=sorted(dates),
        most_sources=most,
        source_titles=titles,
        relation_rows=rows,
        relation_table=relation_table,
        actor_table=actor_table,
    )


@budgeted()
def _ranking(digest: str, measure: str, _values: dict[str, float]) -> list[str]:
    """Actors from most to least central by a measure over the full map (ties by id)."""
    return sorted(_values, key=lambda n: (-_values[n], n))


@budgeted()
def _sizes(digest: str, measure: str, _values: dict[str, float]) -> dict[str, float]:
    """Node sizes in pixels from a measure over the full map."""
    return sizes_from_measure(_values)


# --- the file -------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class MapFile:
    """The bytes of one map file and where they came from."""

    name: str
    data: bytes
    base_dir: str | None

    @functools.cached_property
    def digest(self) -> str:
        """Content hash: the key of every cache (hashed once per file read)."""
        return hashlib.blake2b(self.data, digest_size=20).hexdigest()


def map_path(argv: list[str]) -> Path:
    """The file given on the command line, else ``$STAKEHOLDER_EXPLORER_FILE``, else bundled."""
    if argv:
        return Path(argv[0])
    if os.environ.get(FILE_ENV):
        return Path(os.environ[FILE_ENV])
    from explorer import bundled_map

    return bundled_map()


def _read_path(path: Path) -> tuple[MapFile | None, list[str]]:
    from explorer.reading import ReadRefused, read_bounded

    try:
        return MapFile(str(path), read_bounded(path), str(path.parent)), []
    except ReadRefused as exc:
        return None, [str(Problem(str(path), 1, 1, "file", exc.reason))]


def _choose_file(argv: list[str], *, draw: bool = True) -> tuple[MapFile | None, list[str]]:
    """The upload if there is one, else the path argument; with any error lines.

    ``draw`` False leaves the uploader out of this run (a session's first run, whose
    controls wait for the graph: it has no upload yet).
    """
    if not draw:
        return _read_path(map_path(argv))
    with st.sidebar.expander("Map file", expanded=False):
        # No type= here: Streamlit would refuse another extension by raising, without the
        # file's name; the check below names the file and keeps the last valid map.
        upload = st.file_uploader(
            "Open another map (.yaml or .yml)",
            key="upload",
            max_upload_size=UPLOAD_LIMIT_MB,
            help=f"Read in memory, never saved. At most {UPLOAD_LIMIT_MB} MB.",
        )
        st.caption("Started with: " + markdown_literal(map_path(argv).name))
    if upload is not None:
        if Path(upload.name).suffix.lower() not in UPLOAD_SUFFIXES:
            return None, [
                f"{upload.name}:1:1: file: only YAML files (.yaml or .yml) can be opened here"
            ]
        data = upload.getvalue()
        if len(data) > UPLOAD_LIMIT_MB * 1024 * 1024:
            return None, [
                f"{upload.name}:1:1: file: upload is {len(data):,} bytes, "
                f"over the limit of {UPLOAD_LIMIT_MB} MB"
            ]
        # Uploads stay in memory; base_dir None means no source texts are looked up on disk.
        return MapFile(upload.name, data, None), []
    return _read_path(map_path(argv))


def _load(argv: list[str], *, held_back: bool = False) -> tuple[MapFile, Dataset] | None:
    """The map to show: the chosen file if valid, else the last valid one, with its errors.

    ``held_back``: the uploader waits for the graph (see ``graph_view.controls_held_back``),
    unless the file cannot be shown, when it is drawn at once.
    """
    from explorer.app import graph_view
    from explorer.app.caching import budget_limit

    if budget_limit()[1]:  # a malformed memory budget is said, and the default used
        st.warning(markdown_literal(budget_limit()[1]))
    chosen, errors = _choose_file(argv, draw=not held_back)
    uploading = st.session_state.get("upload") is not None
    if chosen is not None:
        report = _checked(chosen.digest, chosen.name, chosen.base_dir, chosen.data)
        if report.failed() or report.dataset is None:
            errors = [str(p) for p in report.errors]
        else:
            st.session_state["last_good"] = chosen
            if uploading:
                st.session_state["last_good_upload"] = chosen
            return chosen, report.dataset
    if held_back:  # nothing to draw: the controls, the uploader first, come now
        graph_view.controls_shown()
        _choose_file(argv)
    count = f"{len(errors)} error{'' if len(errors) == 1 else 's'}"
    st.error(f"The map has {count}; nothing was loaded from it.")
    for line in errors:
        st.error(markdown_literal(line))
    # Replacing an upload, Streamlit first reruns with no file (which shows the start file)
    # and then with the new one; so a broken upload falls back to the last valid upload.
    last: MapFile | None = st.session_state.get(
        "last_good_upload" if uploading else "last_good"
    ) or st.session_state.get("last_good")
    if last is None:
        return None
    # The file's name only: the folder it was started from is the server's business.
    shown = Path(last.name).name
    st.warning("Still showing the last valid map, " + markdown_literal(shown) + ".")
    report = _checked(last.digest, last.name, last.base_dir, last.data)
    assert report.dataset is not None
    return last, report.dataset


# --- tables and details -----------------------------------------------------------------------


def _quotes(d: dict[str, Any], titles: dict[str, str]) -> str:
    return "\n".join(
        f"\u201c{ev['quote']}\u201d \u2014 {titles.get(ev['source'], ev['source'])}"
        for ev in d.get("evidence") or []
    )


def _sign_text(sign: int) -> str:
    """A sign as the tables show it: symbol and word, as "+ positive"."""
    return f"{SIGN_STYLES[sign].symbol} {Sign(sign).word}"


def _relation_row(
    u: str, v: str, k: str, d: dict[str, Any], names: dict[str, str], titles: dict[str, str]
) -> dict[str, Any]:
    """One relation's row of the relations table."""
    return {
        "source": names.get(u, u),
        "relation": d["label"],
        "target": names.get(v, v),
        "sign": _sign_text(d["sign"]),
        "status": d["status"],
        "confidence": d["confidence"],
        "strength": d["strength"],
        "since": d["since"] or "",
        "until": d["until"] or "",
        "sources": d["n_sources"],
        "quotes": _quotes(d, titles),
        "id": k,
    }


def _relation_rows(H: nx.MultiDiGraph[Any], facts: MapFacts, actor: str) -> list[dict[str, Any]]:
    """The table rows of one actor's relations in the view (cheap on a big view)."""
    rows = facts.relation_rows
    return [
        *(rows[k] for *_, k in H.out_edges(actor, keys=True)),
        *(rows[k] for *_, k in H.in_edges(actor, keys=True)),
    ]


def _relation_table(H: nx.MultiDiGraph[Any], facts: MapFacts) -> pd.DataFrame:
    """The relations table of the view: its rows picked from the map's table."""
    table: pd.DataFrame = facts.relation_table.loc[[k for *_, k in H.edges(keys=True)]]
    return table


def _actor_table(
    H: nx.MultiDiGraph[Any], facts: MapFacts, measure: dict[str, float], label: str
) -> pd.DataFrame:
    """The actors table of the view, busiest first (ties by name), with the size measure."""
    actors = list(H)
    table = facts.actor_table.loc[actors]
    table.insert(2, "relations in view", [d for _, d in H.degree(actors)])
    table.insert(3, label, [round(measure.get(n, 0.0), 4) for n in actors])
    table = table.sort_values(["relations in view", "_by_name"], ascending=[False, True])
    shown: pd.DataFrame = table.drop(columns="_by_name")
    return shown


def _sources_table(dataset: Dataset) -> None:
    rows = [
        {
            "id": s.id,
            "title": s.title,
            "author": s.author or "",
            "published": s.published.text if s.published else "",
            # Only http(s) URLs become links; anything else is not shown as one.
            "link": safe_url(s.url),
        }
        for s in dataset.sources
    ]
    st.dataframe(
        rows,
        hide_index=True,
        width="stretch",
        column_config={"link": st.column_config.LinkColumn("link")},
    )


# --- downloads ------------------------------------------------------------------------------


def _downloads(
    H: nx.MultiDiGraph[Any],
    positions: dict[str, tuple[float, float]],
    sizes: dict[str, float],
    title: str,
    spec: FilterSpec,
    camps: Callable[[], Any] = lambda: None,
    layout: str = "",
) -> None:
    """One download button per export format, each file made only when its button is clicked.

    The same positions, sizes, camps and caption as ``stakeholder-explorer export`` of the
    view (``--size-by`` the node-size measure): ``camps`` gives the camp split the page
    colours by and, in the camps ``layout``, the pictures head each camp with.
    """
    from explorer import formats

    def make(fmt: str) -> Callable[[], bytes]:
        # The export writes its own caption from the view and the spec (data, filters,
        # sources), the same one the CLI's exports carry.
        def build() -> bytes:
            try:
                return formats.export_bytes(
                    H, fmt, positions=positions, title=title, sizes=sizes, spec=spec,
                    camps=camps() if formats.takes_camps(fmt, layout) else None,
                )  # fmt: skip
            except PageTooBig as exc:  # the download is a page that says why
                return _too_big_page(exc)

        return build

    columns = st.columns(3)
    for index, (fmt, info) in enumerate(formats.FORMATS.items()):
        columns[index % 3].download_button(
            f"Download {fmt.upper()}",
            data=make(fmt),
            file_name=f"stakeholder-map{info.extension}",
            mime=info.media_type,
            key=f"download_{fmt}",
            on_click="ignore",
        )


def _too_big_page(exc: PageTooBig) -> bytes:
    """The HTML download of a view whose page is over the size limit: a page saying so."""
    from explorer.app.graph_view import _NARROW, too_big_words

    words = html.escape(too_big_words(exc, "The exported page") + _NARROW)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>Stakeholder map: page too big</title></head><body><p>{words}</p></body></html>\n"
    ).encode()


# --- the page -------------------------------------------------------------------------------


def _analysis_tab(
    dataset: Dataset, G: nx.MultiDiGraph[Any], H: nx.MultiDiGraph[Any], spec: Any
) -> None:
    from explorer.app import analysis_view

    analysis_view.render(dataset, G, H, spec)


#: The page's frame: the title, the view line and the tabs take about 130 px at 1440 x 900
#: (the title wraps at 1024 x 768), so the graph below them (``graph_view.GRAPH_HEIGHT``)
#: fits the window whole. Streamlit's header bar turns transparent: its menu keeps its place
#: at the top right, where the title leaves room for it.
_FRAME_CSS = """<style>
.stMainBlockContainer { padding: 0.75rem 1.5rem 2rem 1.5rem; }
[data-testid="stHeader"] { background: transparent; }
[data-testid="stHeader"], [data-testid="stHeader"] * { pointer-events: none; }
[data-testid="stHeader"] button, [data-testid="stHeader"] a { pointer-events: auto; }
.se-title { font-size: clamp(1.15rem, 1.9vw, 1.5rem); line-height: 1.3; padding: 0 2.5rem 0 0; }
.st-key-view_line p { font-size: 0.9rem; }
.st-key-view_line button { min-height: 0; padding: 0.1rem 0.6rem; }
[data-testid="stTabPanel"] { padding-top: 0.5rem; }
</style>"""


def _page_head(
    title: str, file_name: str, spec: FilterSpec, H: nx.MultiDiGraph[Any], summary: str
) -> None:
    """The map's title, then on one line the counts of the view, its date and what it hides,
    the file and the filters in words: short, so that the graph fits the window."""
    st.html(_FRAME_CSS)
    with st.container(gap="xxsmall", key="page_head"):
        _heading(title, 2, "title")
        described = filters_in_words(spec, H)
        view_line(
            H,
            summary,
            "File: "
            + markdown_literal(Path(file_name).name)
            + (" · Filters: " + markdown_literal(described) if described else ""),
        )


# The tables are built only while their tab is open (``built``): a big view's are megabytes,
# and even a small view's cost the first page its table component (over a megabyte of
# script for the browser to fetch and run) before the graph is drawn.


def _actors_tab(
    H: nx.MultiDiGraph[Any], facts: MapFacts, values: dict[str, float], label: str, *, built: bool
) -> None:
    if not built:
        st.caption(f"The table of {len(H):,} actors is built when this tab is open.")
        return
    table = _actor_table(H, facts, values, label)
    st.dataframe(table, hide_index=True, width="stretch")


def _relations_tab(
    H: nx.MultiDiGraph[Any], facts: MapFacts, dataset: Dataset, *, built: bool
) -> None:
    if not built:
        count = H.number_of_edges()
        st.caption(f"The table of {count:,} relations is built when this tab is open.")
        return
    st.dataframe(_relation_table(H, facts), hide_index=True, width="stretch")
    st.markdown("**Sources**")
    _sources_table(dataset)


def _view(
    digest: str, dataset: Dataset, G: nx.MultiDiGraph[Any], facts: MapFacts
) -> tuple[FilterSpec, dict[str, Any], Any]:
    """The view the sidebar's widgets hold, read before they are drawn; and the page head.

    The graph goes to the browser before anything else (the sidebar is drawn after it),
    so that its frame and page load while the rest of the page is made; the head (the
    returned container, above the tabs) is filled in after the graph too.
    """
    from explorer.app import graph_view

    init_state_from_url()
    graph_view.apply_requests()  # what the graph page asked for, before widgets are drawn
    spec, display = sidebar_values(dataset, G, facts)
    head = st.container()
    with head:
        carried_view_line(digest, spec, display)  # before sync_url: the URL holds the ask
    sync_url(view_query(spec, display))
    return spec, display, head


def run(argv: list[str] | None = None) -> None:
    """Draw the whole dashboard for one script run; ``argv[0]``, if given, is the map file."""
    st.set_page_config(page_title="Stakeholder Explorer", layout="wide")
    from explorer.app import graph_view

    held_back = graph_view.controls_held_back()
    loaded = _load(list(argv or []), held_back=held_back)
    if loaded is None:
        st.stop()
        return
    mapfile, dataset = loaded
    digest = mapfile.digest
    G = _graph(digest, dataset)
    facts = _facts(digest, dataset, G)
    held_back = graph_view.controls_held_back()  # False if a broken file showed the uploader
    spec, display, head = _view(digest, dataset, G, facts)
    H = filter_graph(G, spec)
    positions = _map_positions(mapfile, display["layout"], G)
    values, sizes = _sized(digest, display["size"], G)
    size_label = measures()[display["size"]][0]
    summary = view_summary(G, H)  # counted once: each count walks the graph

    # Tabs track which one is open, so that closed tabs can skip their costly work.
    graph_tab, actors_tab, relations_tab, analysis_tab, download_tab, edit_tab = st.tabs(
        ["Graph", "Actors", "Relations", "Analysis", "Download", "Edit"],
        key="main_tab",
        on_change="rerun",
    )
    with graph_tab:
        has_graph = graph_view.render(
            dataset=dataset,
            G=G,
            H=H,
            facts=facts,
            digest=digest,
            display=display,
            positions=positions,
            sizes=sizes,
            ranking=_ranking(digest, display["size"], values),
            size_label=size_label,
            summary=summary,
            search=spec.search,
            map_file=(mapfile.name, mapfile.base_dir),
            held_back=held_back,
        )
    with head:
        _page_head(dataset.title, mapfile.name, spec, H, summary)
    wait = held_back and has_graph
    _controls(argv, dataset, G, facts, wait=wait, held_back=held_back)
    with edit_tab:
        _edit_tab(mapfile, dataset, positions, is_open=bool(edit_tab.open))
    with actors_tab:
        _actors_tab(H, facts, values, size_label, built=bool(actors_tab.open))
    with relations_tab:
        _relations_tab(H, facts, dataset, built=bool(relations_tab.open))
    with download_tab:
        whole = (digest, G)
        _download_tab(H, positions, sizes, dataset.title, spec, summary, whole, display, wait)
    with analysis_tab:
        _analysis_panel(dataset, G, H, spec, is_open=bool(analysis_tab.open))


def _controls(
    argv: list[str] | None,
    dataset: Dataset,
    G: nx.MultiDiGraph[Any],
    facts: MapFacts,
    *,
    wait: bool,
    held_back: bool,
) -> None:
    """The sidebar's controls; or, with ``wait``, a line saying they come once the graph is
    drawn (the graph page's "ready" reruns the script, and that run draws them)."""
    from explorer.app import graph_view

    if wait:
        st.sidebar.header("Filters")
        st.sidebar.caption("The filters appear as the graph is drawn.")
        graph_view.controls_shown()  # whatever reruns next (the page's "ready", a click)
        return
    if held_back:  # no graph page to wait for: the uploader, left out so far, comes now
        _choose_file(list(argv or []))
    graph_view.controls_shown()
    draw_sidebar(dataset, G, facts)


def _download_tab(
    H: nx.MultiDiGraph[Any],
    positions: Any,
    sizes: Any,
    title: str,
    spec: FilterSpec,
    summary: str,
    whole: tuple[str, nx.MultiDiGraph[Any]] | None = None,
    display: dict[str, Any] | None = None,
    wait: bool = False,
) -> None:
    """The Download tab: every export of the current view, named in its caption.

    ``whole`` (the map's digest and graph) gives the camps; ``display`` the layout, which
    decides whether the pictures head each camp (as ``export --layout`` does). ``wait``: a
    run that holds the controls back until the graph page has loaded (see
    ``graph_view.controls_held_back``); the buttons wait too, their code would load first.
    """
    from explorer.app import graph_view

    if wait:
        st.caption("The downloads appear as the graph is drawn.")
        return

    def camps() -> Any:
        return graph_view.map_camps(*whole) if whole is not None else None

    st.caption(
        "Downloads show the current view: " + summary + "; " + markdown_literal(view_note(H))
    )
    _downloads(H, positions, sizes, title, spec, camps, (display or {}).get("layout", ""))


def _analysis_panel(
    dataset: Dataset,
    G: nx.MultiDiGraph[Any],
    H: nx.MultiDiGraph[Any],
    spec: FilterSpec,
    *,
    is_open: bool,
) -> None:
    """The Analysis tab: it takes seconds on a big view, so it runs only while open."""
    if not is_open:
        st.caption("The analysis runs when this tab is open.")
        return
    try:
        _analysis_tab(dataset, G, H, spec)
    except ExplorerError as exc:
        st.error(markdown_literal(str(exc)))


def _sized(
    digest: str, measure: str, G: nx.MultiDiGraph[Any]
) -> tuple[dict[str, float], dict[str, float]]:
    """The size measure's values for every actor, and the node sizes drawn from them."""
    values = _measure_values(digest, measure, G)
    return values, _sizes(digest, measure, values)


def _edit_tab(mapfile: Any, dataset: Dataset, positions: Any, *, is_open: bool) -> None:
    """Edit mode (explorer/app/edit_view.py), drawn only while its tab is open."""
    if not is_open:
        st.caption("Edit mode: add and change actors, relations, sources and scenarios.")
        return
    from explorer.app.edit_view import render as edit_mode

    edit_mode(mapfile.name, mapfile.data, mapfile.base_dir, dataset, positions)
