"""The interactive vis-network page of a view: one page for the dashboard and the export.

The page works with no network: vis-network is inlined, read at run time from the installed
pyvis package, with the page's own ``page.js`` and ``page.css``, and nothing links to another
host; its Content-Security-Policy forbids every fetch. Positions come from the server (the
layout of the full map), so physics is off by default and a filter never moves the actors
that stay.

The page is a shell (``page_shell``: style, vis-network and ``page.js``) plus a view as data
(``view_json``). The exported HTML file is the shell with the view inlined
(``network_html``); the dashboard loads the shell once and sends each new view to it as a
message, so zoom, pan and dragged positions survive a filter change.

All text from the data file reaches the page as JSON data and is put on screen with
``textContent`` (tooltips, legend, the details panel), never parsed as HTML. Only http and
https source URLs become links.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import html
import json
import re
from collections.abc import Iterable, Mapping
from importlib.resources import files
from typing import Any

import networkx as nx

from explorer.errors import PageTooBig
from explorer.render.layout import EM
from explorer.render.pairs import PairLine, pair_lines
from explorer.render.style import (
    ACTOR_BORDER,
    CAMP_FILLS,
    CONTESTED,
    NEUTRAL_FILL,
    SIGN_STYLES,
    STATUS_DASHES,
    STRAIGHT_EDGES_ABOVE,
    kind_styles,
    label_text,
    legend_entries,
    node_size,
)

__all__ = [
    "LIGHT_TIPS_ABOVE",
    "MAX_PAGE_BYTES",
    "MESSAGE_PREFIX",
    "PAGE_CSP",
    "STRAIGHT_EDGES_ABOVE",
    "PageParts",
    "WhatIf",
    "layout_position",
    "network_html",
    "page_parts",
    "page_shell",
    "safe_url",
    "sizes_from_measure",
    "view_json",
]

#: Every message between the page and the dashboard has a ``kind`` starting with this.
MESSAGE_PREFIX = "stakeholder-explorer/"
#: Message type a click on an actor posts to the parent window.
SELECT_MESSAGE = MESSAGE_PREFIX + "select"
#: Above this many relations in the map, the dashboard's page leaves the quotes out of the
#: tooltips and the details panel (the Relations tab holds them): quotes are most of a big
#: page's bytes.
LIGHT_TIPS_ABOVE = 2_000
#: Largest graph page, in bytes: the dashboard's page for one view and the exported HTML
#: file. The largest view the dashboard draws (6,000 actors, 20,000 relations, every quote)
#: makes an 18 MB page; past this a browser takes minutes or runs out of memory (an alias
#: reused by every actor once made a 560 KB file a 103 MB page).
MAX_PAGE_BYTES = 40_000_000
#: Smallest label on screen in pixels, and that of the ten most central actors in view:
#: just above 9 and 11 px, so that no rounding takes a label below them.
LABEL_PX = 9.1
CENTRAL_LABEL_PX = 11.1
#: The label size the layout plans for, in canvas pixels: one em of ``layout``'s geometry.
#: Positions (in units of ``1 / EM`` ems) are scaled by ``LABEL_FONT / EM``, and no shape is
#: drawn larger than the layout reserved for it (``SHAPE_EM`` ems of radius).
LABEL_FONT = 14.0
SHAPE_EM = 0.9
#: The smallest shape, as a share of the largest, for the least central actor.
SMALLEST_SHAPE = 0.55
#: The mark a line changed by a what-if carries.
WHAT_IF_MARK = "\u270e"

#: Where the installed pyvis package keeps its copies of vis-network, one folder per version.
_PYVIS_LIB = ("templates", "lib")


@functools.cache
def _vis_js() -> str:
    """vis-network as shipped inside the installed pyvis package (license header kept).

    Read at run time, never copied into this project: the newest ``vis-9.*`` folder pyvis
    carries (9.1.2 with pyvis 0.3.2), whose standalone build injects its own CSS.
    """
    lib = files("pyvis")
    for part in _PYVIS_LIB:  # one part at a time: Python 3.10's joinpath takes one
        lib = lib.joinpath(part)
    found = []
    for entry in lib.iterdir():
        match = re.fullmatch(r"vis-(\d+)\.(\d+)\.(\d+)", entry.name)
        if match and match.group(1) == "9" and entry.joinpath("vis-network.min.js").is_file():
            found.append((tuple(int(g) for g in match.groups()), entry))
    if not found:
        raise RuntimeError(
            "vis-network 9 was not found in the installed pyvis package "
            f"(looked in {lib}); reinstall pyvis>=0.3.2"
        )
    newest = max(found, key=lambda item: item[0])[1]
    return newest.joinpath("vis-network.min.js").read_text(encoding="utf-8")


@functools.cache
def page_asset(name: str) -> str:
    """The page's own script (``page.js``) or style sheet (``page.css``), read once."""
    return files("explorer.render").joinpath(name).read_text(encoding="utf-8")


def safe_url(url: object) -> str | None:
    """Return ``url`` if it is an http or https URL, else None (no javascript:, data: ...)."""
    if not isinstance(url, str):
        return None
    text = url.strip()
    lowered = text.lower()
    if lowered.startswith(("http://", "https://")) and len(text) > len("https://"):
        return text
    return None


def _script_json(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``</script>``, no ``<!--``."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text


def _source_titles(G: nx.MultiDiGraph[Any]) -> dict[str, dict[str, str | None]]:
    dataset = G.graph.get("dataset")
    if dataset is None:
        return {}
    return {s.id: {"title": s.title, "url": safe_url(s.url)} for s in dataset.sources}


def _kind_labels(G: nx.MultiDiGraph[Any]) -> dict[str, str]:
    dataset = G.graph.get("dataset")
    if dataset is None:
        return {}
    return {kind: spec.label for kind, spec in dataset.vocab.actor_kinds.items()}


def _node_tip(d: dict[str, Any], kind_label: str) -> list[str]:
    lines = [str(d.get("name") or d.get("label") or ""), kind_label]
    if d.get("aliases"):
        lines.append("also: " + ", ".join(str(a) for a in d["aliases"]))
    if d.get("description"):
        lines.append(str(d["description"]))
    return lines


def _smooth(lines: list[PairLine], big: bool) -> dict[str, Any]:
    """Curve lines of the same pair apart (one per relation); keep all straight on big maps."""
    if big:
        return {}
    by_pair: dict[frozenset[str], list[PairLine]] = {}
    for line in lines:
        by_pair.setdefault(frozenset((line.a, line.b)), []).append(line)
    out: dict[str, Any] = {}
    for group in by_pair.values():
        if len(group) < 2:
            continue
        first = group[0].a
        for index, line in enumerate(group):
            # Lines 0, 1, 2 ... get roundness 0, +r, -r, +2r ...: one straight, others fanned.
            step = (index + 1) // 2
            side = 1 if index % 2 else -1
            if line.a != first:  # the reverse direction curves the other way round
                side = -side
            if step == 0:
                continue
            out[line.key] = {
                "enabled": True,
                "type": "curvedCW" if side > 0 else "curvedCCW",
                "roundness": min(0.15 * step, 0.6),
            }
    return out


@dataclasses.dataclass(frozen=True)
class PageParts:
    """Each actor's and relation's entry of a page as ready-made JSON, made once per map.

    A page for any view of the map joins the entries of what is in view, so a filter change
    does not rebuild and re-encode every tooltip and quote. Made by ``page_parts``.
    """

    nodes: dict[str, str]
    relations: dict[str, str]
    #: The data members every view of the map shares (names, sources, style), as JSON text
    #: without the surrounding braces.
    extra: str
    #: Each actor's place by the size measure over the whole map (0 = most central).
    rank: dict[str, int]
    #: Each actor's name, as JSON text (a view sends the names of its own actors).
    names: dict[str, str]
    #: Light pages leave quotes out (see ``LIGHT_TIPS_ABOVE``).
    light: bool = False


def layout_position(x: float, y: float) -> tuple[float, float]:
    """The layout's position of a point of the page's canvas: the inverse of the drawing's
    scale (``LABEL_FONT / EM``) and of its downward y, for dragged positions sent back.

    >>> layout_position(LABEL_FONT, -2 * LABEL_FONT) == (EM, 2 * EM)
    True
    """
    scale = LABEL_FONT / EM
    return (x / scale, -y / scale)


def _node_record(
    n: str,
    d: dict[str, Any],
    xy: tuple[float, float],
    scale: float,
    size: float,
    kinds: Mapping[str, Any],
    rank: int,
) -> dict[str, Any]:
    kind = str(d.get("kind", ""))
    style = kinds.get(kind)
    name = str(d.get("name") or n)
    return {
        "id": n,
        "label": label_text(name),
        "name": name,
        "kind": kind,
        "x": round(xy[0] * scale, 2),
        "y": round(-xy[1] * scale, 2),  # screen y grows downwards
        "size": round(size * (max(1.0, style.scale) if style else 1.0), 2),
        "scale": style.scale if style else 1.0,
        "shape": style.shape if style else "dot",
        "fill": style.fill if style else NEUTRAL_FILL,
        "badge": style.badge if style else "",
        "rank": rank,
        "aliases": [str(a) for a in d.get("aliases") or []],
        "tip": _node_tip(d, style.label if style else kind),
    }


def _relation_record(
    u: str, v: str, k: str, d: dict[str, Any], *, light: bool, sign: int | None = None
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": k,
        "from": u,
        "to": v,
        "label": d.get("label") or d.get("type"),
        "type": d.get("type"),
        "sign": d["sign"] if sign is None else sign,
        "status": d.get("status"),
        "confidence": d.get("confidence"),
        "strength": d.get("strength"),
        "since": d.get("since"),
        "until": d.get("until"),
        "directed": bool(d.get("directed")),
    }
    if not light:
        record["evidence"] = [[ev.get("source"), ev.get("quote")] for ev in d.get("evidence") or []]
    return record


def _style_data() -> dict[str, Any]:
    return {
        "signs": {
            str(sign): {
                "name": s.name,
                "symbol": s.symbol,
                "colour": s.colour,
                "marker": s.marker,
            }
            for sign, s in SIGN_STYLES.items()
        },
        "dashes": list(STATUS_DASHES["projected"] or (7, 5)),
        "contested": {"symbol": CONTESTED.symbol, "label": CONTESTED.label},
        "campFills": list(CAMP_FILLS),
        "neutralFill": NEUTRAL_FILL,
        "border": ACTOR_BORDER,
        "whatifMark": WHAT_IF_MARK,
    }


def page_parts(
    G: nx.MultiDiGraph[Any],
    positions: Mapping[str, tuple[float, float]],
    sizes: Mapping[str, float] | None = None,
    *,
    ranking: Iterable[str] | None = None,
    light_tips: bool = False,
    standalone: bool = False,  # kept for callers of the earlier API; both pages are alike
) -> PageParts:
    """Encode every actor and relation of the map ``G`` once, for ``view_json``.

    Make the parts from the full map, with the positions and sizes of the full map, and draw
    any view of it with them. ``ranking`` lists actors from most to least central (default:
    by size, then id). ``light_tips=True`` leaves quotes out (big maps in the dashboard).
    """
    del standalone
    kinds = kind_styles(G)
    sources = _source_titles(G)
    names = {n: str(d.get("name") or n) for n, d in G.nodes(data=True)}
    size_of = {n: float(sizes.get(n, 16)) if sizes else 16.0 for n in G}
    order = list(ranking) if ranking is not None else sorted(G, key=lambda n: (-size_of[n], n))
    rank = {n: i for i, n in enumerate(order)}
    for n in G:
        rank.setdefault(n, len(rank))
    # One em of the layout's geometry is one label's size on the canvas.
    scale = LABEL_FONT / EM
    low, high = (min(size_of.values()), max(size_of.values())) if size_of else (0.0, 0.0)

    def radius(n: str) -> float:
        share = 1.0 if high <= low else (size_of[n] - low) / (high - low)
        return LABEL_FONT * SHAPE_EM * (SMALLEST_SHAPE + (1 - SMALLEST_SHAPE) * share)

    nodes = {
        n: _script_json(
            _node_record(n, d, positions.get(n, (0.0, 0.0)), scale, radius(n), kinds, rank[n])
        )
        for n, d in G.nodes(data=True)
    }
    relations = {
        k: _script_json(_relation_record(u, v, k, d, light=light_tips))
        for u, v, k, d in G.edges(keys=True, data=True)
    }
    extra = {"sources": sources, "style": _style_data()}
    encoded_names = {n: _script_json(name) for n, name in names.items()}
    return PageParts(nodes, relations, _script_json(extra)[1:-1], rank, encoded_names, light_tips)


@dataclasses.dataclass(frozen=True)
class WhatIf:
    """A what-if to draw: relations whose sign is reversed and relations left out."""

    flips: tuple[str, ...] = ()
    removes: tuple[str, ...] = ()

    @property
    def count(self) -> int:
        return len(set(self.flips) | set(self.removes))


def _line_record(line: PairLine, smooth: Any, *, removed: bool = False) -> dict[str, Any]:
    return {
        "id": ("removed:" if removed else "") + line.key,
        "a": line.a,
        "b": line.b,
        "sign": line.sign,
        "contested": line.contested,
        "projected": line.all_projected,
        "directions": line.directions,
        "width": line.width,
        "relations": list(line.relations),
        "smooth": smooth or False,
        "removed": removed,
    }


def _camps_data(camps: Any, H: nx.MultiDiGraph[Any], parts: PageParts) -> dict[str, Any] | None:
    """The camp split for "colour by camp": each actor's side and the camps' names."""
    if camps is None or not getattr(camps, "side", None):
        return None
    side = {n: int(s) for n, s in camps.side.items() if n in H}
    if not side:
        return None
    names = {n: json.loads(text) for n, text in parts.names.items()}
    leaders = []
    for which in (0, 1):
        members = sorted(
            (n for n, s in camps.side.items() if s == which),
            key=lambda n: parts.rank.get(n, float("inf")),
        )
        leaders.append(names.get(members[0], members[0]) if members else "")
    return {"side": side, "names": leaders, "view": str(getattr(camps, "view", ""))}


def view_json(
    H: nx.MultiDiGraph[Any],
    parts: PageParts,
    *,
    physics: bool = False,
    each_relation: bool = False,
    camps: Any = None,
    what_if: WhatIf | None = None,
    search: str = "",
    serial: int = 0,
    standalone: bool = False,
    arrangement: int = 0,
) -> str:
    """The page's data for the view ``H`` (JSON text), joined from the map's encoded parts.

    ``H`` is the view as filtered (before any what-if); ``what_if`` reverses the sign of
    some of its relations and leaves others out: the lines are drawn from the changed view,
    the changed ones marked, the removed ones faded. ``camps`` is a camp split (``side``,
    ``view``) for "colour by camp"; ``search`` is marked on the graph; ``serial`` numbers
    the views a dashboard page has been sent; a new ``arrangement`` tells the page to drop
    the positions dragged on it (they were kept, or the map was laid out again).
    """
    # The view's encoded actors and relations, counted before anything is joined: a page
    # over the limit is refused without being built.
    counted = sum(len(parts.nodes[n]) + len(parts.names[n]) for n in H) + sum(
        len(parts.relations[k]) for *_, k in H.edges(keys=True)
    )
    if counted > MAX_PAGE_BYTES:
        raise PageTooBig(counted, MAX_PAGE_BYTES, at_least=True)
    flips = set(what_if.flips) if what_if else set()
    removes = set(what_if.removes) if what_if else set()
    drawn = H
    relations: dict[str, str] = {}
    for u, v, k, d in H.edges(keys=True, data=True):
        if k in flips and k not in removes:
            record = _relation_record(u, v, k, d, light=parts.light, sign=-d["sign"])
            record["whatif"] = "sign reversed"
            relations[k] = _script_json(record)
        elif k in removes:
            record = json.loads(parts.relations[k])
            record["whatif"] = "left out"
            record["removed"] = True
            relations[k] = _script_json(record)
        else:
            relations[k] = parts.relations[k]
    removed_view = None
    if flips or removes:
        drawn = H.copy()
        for u, v, k in list(drawn.edges(keys=True)):
            if k in removes:
                drawn.remove_edge(u, v, key=k)
            elif k in flips:
                drawn.edges[u, v, k]["sign"] = -drawn.edges[u, v, k]["sign"]
        removed_view = H.edge_subgraph(
            [(u, v, k) for u, v, k in H.edges(keys=True) if k in removes]  # type: ignore[misc]
        )  # (the stubs know no multigraph keys here)
    big = H.number_of_edges() > STRAIGHT_EDGES_ABOVE
    lines = {}
    for mode, each in (("pairs", False), ("each", True)):
        found = pair_lines(drawn, each_relation=each)
        smooth = _smooth(found, big) if each else {}
        records = [_line_record(line, smooth.get(line.key)) for line in found]
        for record in records:
            if flips & set(record["relations"]):
                record["whatif"] = True
        if removed_view is not None:
            records += [
                _line_record(line, None, removed=True)
                for line in pair_lines(removed_view, each_relation=each)
            ]
        lines[mode] = "[" + ",".join(_script_json(r) for r in records) + "]"
    legends = {
        mode: _script_json(
            [dataclasses.asdict(e) for e in legend_entries(drawn, each_relation=each)]
        )
        for mode, each in (("pairs", False), ("each", True))
    }
    options = {
        "physics": bool(physics),
        "big": big,
        "lightTips": parts.light,
        "eachRelation": bool(each_relation),
        "search": search,
        "serial": serial,
        "arrangement": arrangement,
        "standalone": standalone,
        "labelPx": LABEL_PX,
        "labelFont": LABEL_FONT,
        "centralLabelPx": CENTRAL_LABEL_PX,
        "emptyText": "Nothing in this view: widen the filters.",
    }
    whatif_data = (
        {"count": what_if.count, "flips": sorted(flips), "removes": sorted(removes)}
        if what_if and what_if.count
        else None
    )
    text = (
        '{"nodes":['
        + ",".join(parts.nodes[n] for n in H)
        + '],"relations":{'
        + ",".join(_script_json(k) + ":" + text for k, text in relations.items())
        + '},"pairs":'
        + lines["pairs"]
        + ',"each":'
        + lines["each"]
        + ',"legends":{"pairs":'
        + legends["pairs"]
        + ',"each":'
        + legends["each"]
        + '},"camps":'
        + _script_json(_camps_data(camps, H, parts))
        + ',"whatif":'
        + _script_json(whatif_data)
        + ',"options":'
        + _script_json(options)
        + ',"names":{'
        + ",".join(_script_json(n) + ":" + parts.names[n] for n in H)
        + "}"
        + ","
        + parts.extra
        + "}"
    )
    size = len(text.encode("utf-8"))
    if size > MAX_PAGE_BYTES:
        raise PageTooBig(size, MAX_PAGE_BYTES)
    return text


#: The page's Content-Security-Policy: nothing is fetched; scripts and styles are inline.
PAGE_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data:; font-src data:"
)


def _page(title: str, header: str, data: str, height: str) -> str:
    page_title = html.escape(title or "Stakeholder map")
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        # No network for anything: scripts and styles are inline, images only data: URLs.
        f'<meta http-equiv="Content-Security-Policy" content="{PAGE_CSP}">'
        f"<title>{page_title}</title>"
        f"<style>{page_asset('page.css')}#page {{ height: {html.escape(height)}; }}</style>"
        "</head><body>"
        f'<div id="page">{header}<div id="main">'
        '<div id="graph-wrap" tabindex="0" role="application" '
        f'aria-label="{page_title}: arrows pan, + and - zoom, 0 fits, Tab moves through '
        'actors, Enter shows details, Escape clears">'
        '<div id="graph"></div>'
        '<details id="legend-box"><summary>Legend</summary><ul id="legend"></ul></details>'
        '<div id="toolbar">'
        '<input id="search" type="search" placeholder="Mark actors by name" '
        'aria-label="Mark actors by name or alias">'
        '<label><input type="checkbox" id="each-relation"> every relation</label>'
        '<label id="camp-toggle" hidden><input type="checkbox" id="by-camp"> colour by camp'
        "</label>"
        '<button type="button" id="fit" title="Zoom to fit (0)">Fit</button>'
        '<button type="button" id="fullscreen" title="Full screen">Full screen</button>'
        "</div>"
        '<div id="banner" hidden></div>'
        '<div id="search-status" role="status" hidden></div>'
        '<div id="empty" hidden></div>'
        '<div id="keyboard-status" class="sr" aria-live="polite"></div>'
        '<aside id="details" aria-live="polite" hidden></aside>'
        "</div></div></div>"
        f'<script type="application/json" id="view-data">{data}</script>'
        f"<script>{_vis_js()}</script>"
        f"<script>{page_asset('page.js')}</script>"
        "</body></html>\n"
    )


@functools.cache
def page_shell(height: str = "100vh") -> str:
    """The dashboard's page: everything but the view, which arrives as a message.

    The same for every map and view, so the dashboard's server serves it as one cached
    document (``explorer.app.graph_page``).
    """
    return _page("Stakeholder map", "", "", height)


def shell_id(shell: str) -> str:
    """A short hash naming a shell, so a page already loaded is not sent again."""
    return hashlib.blake2b(shell.encode("utf-8"), digest_size=8).hexdigest()


def network_html(
    G: nx.MultiDiGraph[Any],
    positions: Mapping[str, tuple[float, float]],
    *,
    sizes: Mapping[str, float] | None = None,
    title: str = "",
    caption: str = "",
    standalone: bool = False,
    physics: bool = False,
    height: str = "100vh",
    parts: PageParts | None = None,
    each_relation: bool = False,
    camps: Any = None,
    what_if: WhatIf | None = None,
    search: str = "",
) -> str:
    """Return one offline HTML page that draws ``G`` with vis-network, its view inline.

    ``positions`` (``{actor: (x, y)}`` in [-1, 1]) should come from the full map so that
    filters never move actors; ``sizes`` gives node sizes in pixels (default: all equal).
    ``standalone=True`` adds the title and caption (the exported page). ``physics=True``
    lets the layout settle briefly from the given positions, then freezes it. ``parts``
    (from ``page_parts`` on the full map) saves encoding the view again. The page has the
    same controls in the dashboard and as a file: one line per pair or every relation,
    highlight, details, zoom-to-fit, full screen, keyboard, legend and colour by camp.
    """
    if parts is None:
        parts = page_parts(G, positions, sizes)
    data = view_json(
        G,
        parts,
        physics=physics,
        each_relation=each_relation,
        camps=camps,
        what_if=what_if,
        search=search,
        standalone=standalone,
    )
    heading = title or str(G.graph.get("title", ""))
    header = ""
    if standalone:
        header = (
            "<header>"
            f"<h1>{html.escape(heading)}</h1>"
            + (f"<p>{html.escape(caption)}</p>" if caption else "")
            + "</header>"
        )
    page = _page(heading, header, data, height)
    size = len(page.encode("utf-8"))
    if size > MAX_PAGE_BYTES:
        raise PageTooBig(size, MAX_PAGE_BYTES)
    return page


def sizes_from_measure(values: Mapping[str, float]) -> dict[str, float]:
    """Scale a measure's values (``{actor: value}``) to node sizes in pixels."""
    if not values:
        return {}
    low, high = min(values.values()), max(values.values())
    return {n: node_size(v, low, high) for n, v in values.items()}
