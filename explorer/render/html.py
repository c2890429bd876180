"""The interactive vis-network page of a view, as one self-contained HTML string.

The page works with no network: vis-network is inlined, read at run time from the installed
pyvis package, with the page's own ``page.js`` and ``page.css``, and nothing links to another
host. Positions come from the server (``layout_positions`` on the full
map), so physics is off by default and a filter never moves the actors that stay.

All text from the data file reaches the page as JSON data and is put on screen with
``textContent`` (tooltips, the details panel) or escaped (legend, title), never parsed as
HTML. Only http and https source URLs become links.

In the dashboard the page sits in an iframe; a click on an actor is posted to the parent
window (``{"kind": "stakeholder-explorer/select", "actor": id}``), where the dashboard's
bridge component hands it to Python. With ``standalone=True`` (the exported page) the
details panel is built inside the page instead.
"""

from __future__ import annotations

import dataclasses
import functools
import html
import json
import math
import re
from collections import Counter
from importlib.resources import files
from typing import Any

import networkx as nx

from explorer.model import Sign
from explorer.render.style import (
    NEUTRAL_FILL,
    SIGN_STYLES,
    STATUS_DASHES,
    STRAIGHT_EDGES_ABOVE,
    KindStyle,
    edge_width,
    kind_styles,
    node_size,
)

__all__ = [
    "LIGHT_TIPS_ABOVE",
    "STRAIGHT_EDGES_ABOVE",
    "PageParts",
    "network_html",
    "page_parts",
    "safe_url",
    "sizes_from_measure",
]


#: Message type a click on an actor posts to the parent window.
SELECT_MESSAGE = "stakeholder-explorer/select"


#: Where the installed pyvis package keeps its copies of vis-network, one folder per version.
_PYVIS_LIB = ("templates", "lib")


@functools.cache
def _vis_js() -> str:
    """vis-network as shipped inside the installed pyvis package (license header kept).

    Read at run time, never copied into this project: the newest ``vis-9.*`` folder pyvis
    carries (9.1.2 with pyvis 0.3.2), whose standalone build injects its own CSS.
    """
    lib = files("pyvis").joinpath(*_PYVIS_LIB)
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


def _source_titles(G: nx.MultiDiGraph) -> dict[str, dict[str, str | None]]:
    dataset = G.graph.get("dataset")
    if dataset is None:
        return {}
    return {s.id: {"title": s.title, "url": safe_url(s.url)} for s in dataset.sources}


def _kind_labels(G: nx.MultiDiGraph) -> dict[str, str]:
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


def _edge_tip(
    u: str,
    v: str,
    d: dict[str, Any],
    names: dict[str, str],
    sources: dict[str, Any],
    *,
    quotes: bool = True,
) -> list[str]:
    style = SIGN_STYLES[d["sign"]]
    arrow = "\u2192" if d.get("directed") else "\u2014"
    lines = [
        f"{names.get(u, u)} {arrow} {names.get(v, v)}",
        f"{d.get('label') or d.get('type')} ({style.symbol} {style.name})",
        f"{d.get('status')}, {d.get('confidence')} confidence, strength {d.get('strength')}",
    ]
    since, until = d.get("since"), d.get("until")
    if since or until:
        lines.append(f"{since or '?'} \u2013 {until or 'ongoing'}")
    for ev in (d.get("evidence") or []) if quotes else []:
        title = (sources.get(ev.get("source")) or {}).get("title") or ev.get("source")
        lines.append(f"\u201c{ev.get('quote')}\u201d \u2014 {title}")
    return lines


def _smooth(G: nx.MultiDiGraph, n_edges: int) -> dict[tuple[str, str, str], Any]:
    """Curve parallel relations apart on small maps; keep everything straight on big ones."""
    if n_edges > STRAIGHT_EDGES_ABOVE:
        return {}
    by_pair: dict[frozenset[str], list[tuple[str, str, str]]] = {}
    for u, v, k in G.edges(keys=True):
        by_pair.setdefault(frozenset((u, v)), []).append((u, v, k))
    out: dict[tuple[str, str, str], Any] = {}
    for edges in by_pair.values():
        if len(edges) < 2:
            continue
        first = edges[0][0]
        for index, (u, v, k) in enumerate(edges):
            # Pairs 0, 1, 2 ... get roundness 0, +r, -r, +2r ...: one straight, others fanned.
            step = (index + 1) // 2
            side = 1 if index % 2 else -1
            if u != first:  # the reverse direction curves the other way round
                side = -side
            if step == 0:
                continue
            out[(u, v, k)] = {
                "enabled": True,
                "type": "curvedCW" if side > 0 else "curvedCCW",
                "roundness": min(0.15 * step, 0.6),
            }
    return out


#: Above this many relations in the map, the dashboard's edge tooltips leave the quotes out
#: (they are in its tables): quotes are most of a big page's bytes.
LIGHT_TIPS_ABOVE = 2_000


@dataclasses.dataclass(frozen=True)
class PageParts:
    """Each actor's and relation's entry of a page as ready-made JSON, made once per map.

    A page for any view of the map joins the entries of what is in view, so a filter change
    does not rebuild and re-encode every tooltip. Made by ``page_parts``.
    """

    nodes: dict[str, str]
    #: Relation entries by ``(source, target, key)``, each a JSON object without its
    #: closing brace: the curve of a relation depends on the view, so it is added per page.
    edges: dict[tuple[str, str, str], str]
    extra: str  # the rest of the data object (sources and names on the exported page)


def _node_record(
    n: str,
    d: dict[str, Any],
    xy: tuple[float, float],
    scale: float,
    size: float,
    kind_labels: dict[str, str],
    styles: dict[str, KindStyle],
) -> dict[str, Any]:
    kind = str(d.get("kind", ""))
    return {
        "id": n,
        "label": str(d.get("name") or n),
        "kind": kind,
        "x": round(xy[0] * scale, 2),
        "y": round(-xy[1] * scale, 2),  # screen y grows downwards
        "size": round(size, 2),
        "color": styles[kind].fill if kind in styles else NEUTRAL_FILL,
        "shape": styles[kind].shape if kind in styles else "dot",
        "tip": _node_tip(d, kind_labels.get(kind, kind)),
    }


def _edge_record(
    u: str,
    v: str,
    k: str,
    d: dict[str, Any],
    names: dict[str, str],
    sources: dict[str, Any],
    *,
    standalone: bool,
    light_tips: bool,
) -> dict[str, Any]:
    style = SIGN_STYLES[d["sign"]]
    dashes = STATUS_DASHES.get(d.get("status", "observed"))
    tip = _edge_tip(u, v, d, names, sources, quotes=not light_tips)
    n_quotes = len(d.get("evidence") or [])
    if light_tips and n_quotes:
        tip.append(f"{n_quotes} quote{'s' if n_quotes > 1 else ''}: see the Relations tab")
    edge: dict[str, Any] = {
        "id": k,
        "from": u,
        "to": v,
        "directed": bool(d.get("directed")),
        "color": style.colour,
        "marker": style.marker,
        "dashes": list(dashes) if dashes else False,
        "width": edge_width(int(d.get("strength", 2))),
        "tip": tip,
    }
    if standalone:  # what the exported page's details panel lists
        edge.update(
            {
                "type": d.get("type"),
                "label": d.get("label") or d.get("type"),
                "sign": Sign(d["sign"]).word,
                "status": d.get("status"),
                "confidence": d.get("confidence"),
                "strength": d.get("strength"),
                "since": d.get("since"),
                "until": d.get("until"),
                "evidence": [
                    {"source": ev.get("source"), "quote": ev.get("quote")}
                    for ev in d.get("evidence") or []
                ],
            }
        )
    return edge


def page_parts(
    G: nx.MultiDiGraph,
    positions: dict[str, tuple[float, float]],
    sizes: dict[str, float] | None = None,
    *,
    standalone: bool = False,
    light_tips: bool = False,
) -> PageParts:
    """Encode every actor and relation of ``G`` once, for ``network_html(..., parts=)``.

    ``light_tips=True`` leaves quotes out of the relation tooltips (the dashboard does this
    on big maps, whose tables hold the quotes). Make the parts from the full map, with the
    positions and sizes of the full map, and draw any view of it with them.
    """
    kind_labels = _kind_labels(G)
    styles = kind_styles(G)
    sources = _source_titles(G)
    names = {n: str(d.get("name") or n) for n, d in G.nodes(data=True)}
    # Spread the [-1, 1] layout so the mean distance between actors stays readable.
    scale = max(350.0, 90.0 * math.sqrt(max(len(positions), 1)))
    nodes = {
        n: _script_json(
            _node_record(
                n,
                d,
                positions.get(n, (0.0, 0.0)),
                scale,
                float(sizes.get(n, 16)) if sizes else 16.0,
                kind_labels,
                styles,
            )
        )
        for n, d in G.nodes(data=True)
    }
    edges = {
        (u, v, k): _script_json(
            _edge_record(u, v, k, d, names, sources, standalone=standalone, light_tips=light_tips)
        )[:-1]
        for u, v, k, d in G.edges(keys=True, data=True)
    }
    extra = {"sources": sources, "names": names} if standalone else {}
    return PageParts(nodes, edges, _script_json(extra)[1:-1])


def _view_json(G: nx.MultiDiGraph, parts: PageParts, n_edges: int) -> str:
    """The page's data for the view ``G``, joined from the map's encoded parts."""
    smooth = _smooth(G, n_edges)
    edges = []
    for u, v, k in G.edges(keys=True):
        curve = smooth.get((u, v, k))
        edges.append(
            parts.edges[(u, v, k)] + ',"smooth":' + (_script_json(curve) if curve else "false")
        )
    return (
        '{"nodes":['
        + ",".join(parts.nodes[n] for n in G)
        + '],"edges":['
        + "},".join(edges)
        + ("}" if edges else "")
        + "]"
        + ("," + parts.extra if parts.extra else "")
        + "}"
    )


def _legend_html(G: nx.MultiDiGraph) -> str:
    """The legend of what is drawn: kinds present, signs present, observed/projected."""
    kind_labels = _kind_labels(G)
    styles = kind_styles(G)
    kinds = Counter(str(d.get("kind", "")) for _, d in G.nodes(data=True))
    signs: set[int] = set()
    statuses: set[str] = set()
    directed = False
    for *_, d in G.edges(data=True):  # one pass: on a big view each pass costs milliseconds
        signs.add(d["sign"])
        statuses.add(d.get("status", "observed"))
        directed = directed or bool(d.get("directed"))
    rows = []
    for kind in sorted(kinds, key=lambda k: (-kinds[k], k)):
        label = html.escape(kind_labels.get(kind, kind))
        rows.append(
            f'<li data-legend="kind" data-kind="{html.escape(kind)}">'
            f'<span class="dot" style="background:{styles[kind].fill}"></span>{label}</li>'
        )
    for sign in (1, -1, 0):
        if sign not in signs:
            continue
        style = SIGN_STYLES[sign]
        rows.append(
            f'<li data-legend="sign" data-sign="{style.name}">'
            f'<span class="line" style="border-top:3px solid {style.colour}"></span>'
            f"<b>{html.escape(style.symbol)}</b>&nbsp;{style.name}"
            f"{' (' + style.marker + ' marker)' if style.marker else ''}</li>"
        )
    for status in ("observed", "projected"):
        if status not in statuses:
            continue
        kind = "dashed" if STATUS_DASHES.get(status) else "solid"
        rows.append(
            f'<li data-legend="status" data-status="{status}">'
            f'<span class="line" style="border-top:2px {kind} #444"></span>{status}</li>'
        )
    if directed:
        rows.append('<li data-legend="arrow"><span class="arrow">\u2192</span>directed</li>')
    if not rows:
        rows.append("<li>nothing in view</li>")
    return '<ul id="legend" aria-label="Legend">' + "".join(rows) + "</ul>"


def network_html(
    G: nx.MultiDiGraph,
    positions: dict[str, tuple[float, float]],
    *,
    sizes: dict[str, float] | None = None,
    title: str = "",
    caption: str = "",
    standalone: bool = False,
    physics: bool = False,
    height: str = "100vh",
    parts: PageParts | None = None,
) -> str:
    """Return one offline HTML page that draws ``G`` with vis-network.

    ``positions`` (``{actor: (x, y)}`` in [-1, 1]) should come from the full map so that
    filters never move actors; ``sizes`` gives node sizes in pixels (default: all equal).
    ``standalone=True`` makes the exported page: title, caption, legend and a details panel
    that fills in when an actor or relation is clicked. ``physics=True`` lets the layout
    settle briefly from the given positions, then freezes it. ``parts`` (from
    ``page_parts`` on the full map, made with the same ``standalone``) saves encoding the
    view again; ``positions`` and ``sizes`` are then taken from the parts.
    """
    if parts is None:
        parts = page_parts(G, positions, sizes, standalone=standalone)
    n_edges = G.number_of_edges()
    options = {
        "physics": bool(physics),
        "message": SELECT_MESSAGE,
        "big": n_edges > STRAIGHT_EDGES_ABOVE,
    }
    legend = _legend_html(G)
    header = ""
    details = ""
    if standalone:
        header = (
            "<header>"
            f"<h1>{html.escape(title or str(G.graph.get('title', '')))}</h1>"
            + (f"<p>{html.escape(caption)}</p>" if caption else "")
            + "</header>"
        )
        details = (
            '<aside id="details" aria-live="polite">'
            '<p class="hint">Click an actor or a relation to see its details and quotes.</p>'
            "</aside>"
        )
    page_title = html.escape(title or str(G.graph.get("title", "")) or "Stakeholder map")
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        # No network for anything: scripts and styles are inline, images only data: URLs.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
        'img-src data:; font-src data:">'
        f"<title>{page_title}</title>"
        f"<style>{page_asset('page.css')}#page {{ height: {html.escape(height)}; }}</style>"
        "</head><body>"
        f'<div id="page">{header}<div id="main">{legend}<div id="graph-wrap">'
        f'<div id="graph" role="img" aria-label="{page_title}"></div></div>'
        f"{details}</div></div>"
        f'<script type="application/json" id="view-data">{_view_json(G, parts, n_edges)}</script>'
        f'<script type="application/json" id="view-options">{_script_json(options)}</script>'
        f"<script>{_vis_js()}</script>"
        f"<script>{page_asset('page.js')}</script>"
        "</body></html>\n"
    )


def sizes_from_measure(values: dict[str, float]) -> dict[str, float]:
    """Scale a measure's values (``{actor: value}``) to node sizes in pixels."""
    if not values:
        return {}
    low, high = min(values.values()), max(values.values())
    return {n: node_size(v, low, high) for n, v in values.items()}
