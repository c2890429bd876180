"""The dashboard's Graph tab: the graph page that stays loaded, and the details panel.

The graph is one page per session (``explorer.app.bridge``) that receives each view as data,
so zoom, pan and dragged positions survive a filter change. Its details panel (inside the
frame) lists the clicked actor's or relation's relations with their quotes in full; below
the frame the same actor's relations are listed as tables, with a "Focus on" control.

What the page asks of the dashboard (focus on an actor, reset the what-if) is kept as a
pending request and applied by ``apply_requests`` at the start of the next run, before the
sidebar's widgets are drawn (a widget's value cannot change after it is drawn).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import streamlit as st

from explorer.app import graph_page
from explorer.app.bridge import graph_frame
from explorer.app.caching import budgeted
from explorer.app.dashboard import (
    MapFacts,
    _heading,
    _relation_rows,
    _sign_text,
    markdown_literal,
)
from explorer.errors import PageTooBig
from explorer.model import Dataset, Sign
from explorer.render.html import LIGHT_TIPS_ABOVE, PageParts, WhatIf, page_parts, view_json

__all__ = [
    "DETAIL_ABOVE",
    "DETAIL_DEFAULT",
    "DETAIL_STEP",
    "MAX_DRAWN_ACTORS",
    "MAX_DRAWN_RELATIONS",
    "apply_requests",
    "arrangement_record",
    "render",
    "too_big_words",
]

#: Height of the graph frame: at least 70 % of the window, never under 420 px.
GRAPH_HEIGHT = "max(72vh, 420px)"
#: Largest view drawn: beyond this the page runs to tens of megabytes and the browser takes
#: minutes, so the view is listed and exported but not drawn (5,000 actors and 11,000
#: relations make a 10 MB view that draws in seconds).
MAX_DRAWN_ACTORS = 6_000
MAX_DRAWN_RELATIONS = 20_000
#: Level of detail: a view with more actors than this draws only its most central actors
#: (by the size measure over the whole map), at first this many; a control raises it. A
#: 1,000-actor view is a few MB and draws in about a second; 5,000 took 8 s to arrive.
DETAIL_ABOVE = 1_500
DETAIL_DEFAULT = 1_000
DETAIL_STEP = 500

_NARROW = (
    " Narrow it with the filters (kinds, types, search or focus); the tables and downloads "
    "hold the whole view."
)


def too_big_words(exc: PageTooBig, what: str) -> str:
    """A page over the size limit, in the dashboard's words: ``what`` would be N MB..."""
    return (
        f"{what} of this view would be {exc.size_text}, over the limit of "
        f"{exc.limit / 1e6:,.1f} MB for one page: a browser would take minutes to draw it."
    )


#: Session keys of the requests the page makes, applied at the start of the next run.
_FOCUS_REQUEST = "_graph_focus_request"
_RESET_REQUEST = "_graph_reset_what_if"
#: The what-if's session keys (the Analysis tab's controls).
_WHAT_IF_FLIP = "whatif_flip"
_WHAT_IF_REMOVE = "whatif_remove"


#: Session keys of the arrangement: the positions dragged on the page and not yet kept,
#: the number of the arrangement the page draws (a new one drops its dragged positions),
#: and the last write's error.
_DRAGGED = "_graph_dragged"
_ARRANGEMENT = "_graph_arrangement"
_ARRANGEMENT_ERROR = "_graph_arrangement_error"
#: What an arrangement button asked for ("keep" or "again"), done later in the same run.
_ARRANGE_REQUEST = "_graph_arrange_request"


def arrangement_record(name: str, base_dir: str | None) -> tuple[Path | None, str]:
    """The positions record an arrangement is kept in, or None and the reason it is off.

    Off for an upload (no file to write beside), the bundled map, a dashboard started
    with ``--read-only`` and a server listening beyond this machine (as Edit mode is).
    """
    from explorer.app.edit_view import edit_target
    from explorer.render.layout import record_path

    if base_dir is None:
        return None, (
            "Dragged positions cannot be kept for an uploaded map: there is no file of "
            "yours to write beside. Open the map from a file to keep an arrangement."
        )
    target = edit_target(name, b"", base_dir)
    if target.path is not None:
        return record_path(name), ""
    from explorer import bundled_map

    if Path(name).resolve() == bundled_map().resolve():
        return None, (
            "Dragged positions cannot be kept here: the bundled map is read only. Open a "
            "copy of it (stakeholder-explorer app COPY.yaml) to keep an arrangement."
        )
    return None, "Dragged positions cannot be kept here. " + str(target.read_only_reason)


def _keep(record: Path, map_name: str, positions: dict[str, tuple[float, float]]) -> None:
    from explorer.render.layout import record_positions

    state = st.session_state
    try:
        record_positions(record, positions, map_name=map_name)
    except OSError as exc:
        state[_ARRANGEMENT_ERROR] = f"Could not keep the arrangement in {record}: {exc.strerror}"
        return
    state.pop(_DRAGGED, None)
    state.pop(_ARRANGEMENT_ERROR, None)
    state[_ARRANGEMENT] = state.get(_ARRANGEMENT, 0) + 1


def _lay_out_again(record: Path, map_name: str) -> None:
    from explorer.render.layout import clear_positions

    state = st.session_state
    try:
        clear_positions(record, map_name)
    except OSError as exc:
        state[_ARRANGEMENT_ERROR] = f"Could not clear the positions in {record}: {exc.strerror}"
        return
    state.pop(_DRAGGED, None)
    state.pop(_ARRANGEMENT_ERROR, None)
    state[_ARRANGEMENT] = state.get(_ARRANGEMENT, 0) + 1


def _ask(what: str) -> None:
    st.session_state[_ARRANGE_REQUEST] = what


def _arrange(record: Path | None, map_name: str, positions: dict[str, tuple[float, float]]) -> None:
    """Do what an arrangement button asked, after the graph's events of this run are in.

    A drag's "moved" message reruns the script; a click on "Keep this arrangement" right
    after it may stop that run before it takes the drag in, and a button's callback runs
    before the script reaches the graph. So the button only asks, and the write happens here,
    once this run has merged every dragged position (Streamlit hands an interrupted run's
    message to the next run).
    """
    what = st.session_state.pop(_ARRANGE_REQUEST, None)
    if what is None or record is None:
        return
    if what == "keep":
        dragged: dict[str, tuple[float, float]] = st.session_state.get(_DRAGGED) or {}
        _keep(record, map_name, {**positions, **dragged})
    else:
        _lay_out_again(record, map_name)
    st.rerun()  # draw the kept (or fresh) arrangement


def _record_stamp(map_file: tuple[str, str | None] | None) -> float:
    """When the map's positions record last changed (0 without one): drawn positions follow it."""
    from explorer.render.layout import record_path

    if map_file is None or map_file[1] is None:
        return 0.0
    try:
        return record_path(map_file[0]).stat().st_mtime
    except OSError:
        return 0.0


def _arrangement(
    map_file: tuple[str, str | None] | None, positions: dict[str, tuple[float, float]]
) -> None:
    """Under the graph: do what an arrangement button asked, then draw the buttons."""
    name, base_dir = map_file if map_file is not None else ("", None)
    record, off = arrangement_record(name, base_dir)
    _arrange(record, Path(name).name, positions)
    _arrangement_controls(record, off)


def _arrangement_controls(record: Path | None, off: str) -> None:
    """The "Keep this arrangement" and "Lay out again" buttons: a write needs a click here,
    in the dashboard, not in the graph's frame."""
    dragged: dict[str, tuple[float, float]] = st.session_state.get(_DRAGGED) or {}
    row = st.container(horizontal=True, gap="small", key="arrangement")
    row.button(
        "Keep this arrangement",
        key="keep_arrangement",
        disabled=record is None,
        on_click=_ask,
        args=("keep",),
        help="Write the positions drawn now, with the actors you dragged, beside the map: "
        "the dashboard and export draw them from then on.",
    )
    row.button(
        "Lay out again",
        key="lay_out_again",
        disabled=record is None,
        on_click=_ask,
        args=("again",),
        help="Forget the kept positions of this map and draw it with the layout again.",
    )
    error = st.session_state.get(_ARRANGEMENT_ERROR)
    if error:
        st.error(markdown_literal(str(error)))
    if record is None:
        st.caption(markdown_literal(off))
        return
    where = f"{record.parent.name}/{record.name}"
    moved = (
        f"{len(dragged)} dragged actor{'s' if len(dragged) != 1 else ''} not kept yet. "
        if dragged
        else "Drag actors to arrange the map. "
    )
    st.caption(
        markdown_literal(
            moved + f"Kept positions are written to {where} beside the map and used by the "
            "dashboard and by export."
        )
    )


def apply_requests() -> None:
    """Apply what the graph page asked for in the last run: call before the sidebar."""
    state = st.session_state
    actor = state.pop(_FOCUS_REQUEST, None)
    if isinstance(actor, str):
        state["f_focus"] = actor
    if state.pop(_RESET_REQUEST, False):
        state[_WHAT_IF_FLIP] = []
        state[_WHAT_IF_REMOVE] = []


@budgeted("Preparing the drawing…")
def _parts(
    digest: str,
    layout: str,
    measure: str,
    _G: nx.MultiDiGraph[Any],
    _positions: dict[str, tuple[float, float]],
    _sizes: dict[str, float],
    _ranking: list[str],
) -> PageParts:
    """Every actor and relation encoded once for the graph page (tooltips, quotes and all)."""
    light = _G.number_of_edges() > LIGHT_TIPS_ABOVE
    return page_parts(_G, _positions, _sizes, ranking=_ranking, light_tips=light)


#: Largest map whose camps are computed for "colour by camp" (once per file).
CAMPS_MAX_ACTORS = 1_500


@budgeted("Finding the camps…")
def _camps(digest: str, _G: nx.MultiDiGraph[Any]) -> Any:
    """The map's two camps (observed and the main forecast), for "colour by camp"."""
    from explorer.analysis import camps

    if len(_G) > CAMPS_MAX_ACTORS:
        return None
    return camps(_G)


def map_camps(digest: str, G: nx.MultiDiGraph[Any]) -> Any:
    """The camps the graph colours by, for the exported page too (``None`` on a big map)."""
    return _camps(digest, G)


def _level_of_detail(
    H: nx.MultiDiGraph[Any], ranking: list[str], label: str
) -> nx.MultiDiGraph[Any]:
    """The part of the view to draw: all of it, or on a big view its most central actors.

    Above ``DETAIL_ABOVE`` actors, shows a number input for how many to draw and a line
    saying what is shown; the relations drawn are those among the actors drawn.
    """
    if len(H) <= DETAIL_ABOVE:
        return H
    # The widget keeps its own value; clamp it first, since a narrower view lowers the top.
    most = min(len(H), MAX_DRAWN_ACTORS)
    least = min(DETAIL_STEP, most)
    wanted = int(st.session_state.get("d_top", DETAIL_DEFAULT))
    st.session_state["d_top"] = max(min(wanted, most), least)
    left, right = st.columns([1, 3], vertical_alignment="bottom")
    top = int(
        left.number_input(
            "Actors drawn",
            min_value=least,
            max_value=most,
            step=DETAIL_STEP,
            key="d_top",
            help="The most central actors by the node-size measure over the whole map. "
            f"More actors take longer to arrive and draw; at most {MAX_DRAWN_ACTORS:,}.",
        )
    )
    if top >= len(H):
        right.caption(f"Drawing all {len(H):,} actors of this view.")
        return H
    keep: list[str] = []
    for actor in ranking:
        if actor in H:
            keep.append(actor)
            if len(keep) == top:
                break
    drawn = H.subgraph(keep)
    right.info(
        f"Showing {top:,} of {len(H):,} actors (the most central by {label}) and the "
        f"{drawn.number_of_edges():,} relations among them. Raise the number to draw more; "
        "the counts, tables and downloads hold the whole view."
    )
    return drawn


def _what_if(H: nx.MultiDiGraph[Any]) -> WhatIf | None:
    """The what-if set in the Analysis tab, limited to the relations of the view."""
    in_view = {k for *_, k in H.edges(keys=True)}
    flips = tuple(k for k in st.session_state.get(_WHAT_IF_FLIP) or [] if k in in_view)
    removes = tuple(k for k in st.session_state.get(_WHAT_IF_REMOVE) or [] if k in in_view)
    return WhatIf(flips, removes) if flips or removes else None


def _focus_on(actor: str, radius_key: str) -> None:
    st.session_state["f_focus"] = actor
    st.session_state["f_radius"] = int(st.session_state.get(radius_key, 1))


def _details(
    G: nx.MultiDiGraph[Any], H: nx.MultiDiGraph[Any], dataset: Dataset, facts: MapFacts
) -> None:
    """The relations of the actor clicked in the graph (or picked here), as tables."""
    names = facts.names
    options = [None, *(n for n in facts.actors_by_name if n in H)]
    if st.session_state.get("details_actor") not in options:
        st.session_state["details_actor"] = None
    actor = st.selectbox(
        "Details of actor (or click one in the graph)",
        options,
        key="details_actor",
        format_func=lambda n: "(none)" if n is None else names[n],
    )
    if actor is None:
        return
    d = G.nodes[actor]
    kinds = dataset.vocab.actor_kinds
    with st.container(border=True, key="details_panel"):
        _heading(str(d["name"]), 3, "details-name")
        st.text(kinds[d["kind"]].label if d["kind"] in kinds else d["kind"])
        if d["aliases"]:
            st.text("Also: " + ", ".join(d["aliases"]))
        if d["description"]:
            st.text(d["description"])
        rows = _relation_rows(H, facts, actor)
        for sign in Sign:
            group = [r for r in rows if r["sign"] == _sign_text(sign)]
            if group:
                st.markdown(f"**{sign.label} relations ({len(group)})**")
                st.dataframe(group, hide_index=True, width="stretch")
        if not rows:
            st.text("No relation in this view.")
        left, right = st.columns([1, 2])
        left.select_slider("Radius", [1, 2, 3], key="details_radius")
        right.button(
            f"Focus on {markdown_literal(str(d['name']))}",  # a button label is Markdown
            key="details_focus",
            on_click=_focus_on,
            args=(actor, "details_radius"),
        )


#: Session key: the sidebar's controls have been drawn in this session.
_CONTROLS_SHOWN = "_controls_shown"


def controls_held_back() -> bool:
    """Whether this run holds the sidebar's controls back until the graph page has loaded.

    Only the first run of a session whose graph page this server serves by URL: the
    browser fetches the code of each kind of widget from this server while the run lasts,
    six requests at a time, and the graph's own code would wait behind theirs. The page
    says when it has loaded (``bridge.graph_frame``'s ``on_ready``), and that rerun draws
    the controls while the page draws its view; so does any other rerun.
    """
    return graph_page.route_enabled() and not st.session_state.get(_CONTROLS_SHOWN)


def controls_shown() -> None:
    """Note that this session's sidebar controls are drawn from now on."""
    st.session_state[_CONTROLS_SHOWN] = True


def _handle(events: Any, G: nx.MultiDiGraph[Any]) -> None:
    """Act on what the user did in the graph page: select, focus, reset, drag."""
    if events.select is not None and events.select in G:
        st.session_state["details_actor"] = events.select
    if events.focus is not None and events.focus in G:
        st.session_state[_FOCUS_REQUEST] = events.focus
        st.rerun()
    if events.reset_what_if:
        st.session_state[_RESET_REQUEST] = True
        st.rerun()
    if events.moved:
        dragged = dict(st.session_state.get(_DRAGGED) or {})
        dragged.update((a, xy) for a, xy in events.moved.items() if a in G)
        st.session_state[_DRAGGED] = dragged


def render(
    *,
    dataset: Dataset,
    G: nx.MultiDiGraph[Any],
    H: nx.MultiDiGraph[Any],
    facts: MapFacts,
    digest: str,
    display: dict[str, Any],
    positions: dict[str, tuple[float, float]],
    sizes: dict[str, float],
    ranking: list[str],
    size_label: str,
    summary: str,
    search: str = "",
    map_file: tuple[str, str | None] | None = None,
    held_back: bool = False,
) -> bool:
    """Draw the Graph tab's content for the view ``H`` of the map ``G``; return whether
    the graph page was drawn (a view too large is listed but not drawn).

    ``map_file`` (its name and folder, None for an upload) is where "Keep this arrangement"
    writes the positions record. ``held_back`` (see ``controls_held_back``) leaves the
    details' actor picker to the next run, once the graph page has loaded.
    """
    drawn = _level_of_detail(H, ranking, size_label)
    view = _view_of(drawn, G, digest, display, positions, sizes, ranking, search, map_file)
    if view is not None:  # nothing to arrange when the graph is not drawn
        events = graph_frame(
            view,
            title=f"Graph of {summary}",
            height=GRAPH_HEIGHT,
            on_ready=controls_shown if graph_page.route_enabled() else None,
        )
        _handle(events, G)
        _arrangement(map_file, positions)
    st.caption(
        f"Node size: {size_label} over the whole map. Shape: kind of actor. Colour: sign of "
        "the relation (one line per pair, its net sign; tick \u201cevery relation\u201d to "
        "draw each). Hover or click an actor or a line for its details and quotes; "
        "keyboard: arrows, + and \u2212, Tab and Enter."
    )
    if not (held_back and view is not None):
        _details(G, H, dataset, facts)
    return view is not None


def _view_of(
    drawn: nx.MultiDiGraph[Any],
    G: nx.MultiDiGraph[Any],
    digest: str,
    display: dict[str, Any],
    positions: dict[str, tuple[float, float]],
    sizes: dict[str, float],
    ranking: list[str],
    search: str,
    map_file: tuple[str, str | None] | None,
) -> str | None:
    """The view's data for the graph page, or None (said why) when it is too large to draw."""
    n_drawn_edges = drawn.number_of_edges()
    if n_drawn_edges > MAX_DRAWN_RELATIONS or len(drawn) > MAX_DRAWN_ACTORS:
        st.warning(
            f"The graph would have {len(drawn):,} actors and {n_drawn_edges:,} "
            f"relations: too many to draw (at most {MAX_DRAWN_ACTORS:,} actors and "
            f"{MAX_DRAWN_RELATIONS:,} relations)." + _NARROW
        )
        return None
    arrangement = int(st.session_state.get(_ARRANGEMENT, 0))
    # The drawing is cached for every session: key it by the record it was drawn from
    # (a per-session count gave another session's older arrangement).
    layout_key = f"{display['layout']}#{_record_stamp(map_file)}"
    parts = _parts(digest, layout_key, display["size"], G, positions, sizes, ranking)
    try:
        return view_json(
            drawn,
            parts,
            physics=display["physics"],
            camps=_camps(digest, G),
            what_if=_what_if(drawn),
            search=search,
            arrangement=arrangement,
        )
    except PageTooBig as exc:
        st.warning(too_big_words(exc, "The graph") + _NARROW)
        return None
