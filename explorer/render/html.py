"""The interactive vis-network page of a view, as one self-contained HTML string.

The page works with no network: vis-network is inlined from ``explorer/static`` and nothing
links to another host. Positions come from the server (``layout_positions`` on the full
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
from collections import Counter
from importlib.resources import files
from typing import Any

import networkx as nx

from explorer.render.style import (
    SIGN_STYLES,
    STATUS_DASHES,
    edge_width,
    kind_colour,
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

#: Above this many relations edges are drawn straight: curved parallel edges cost too much
#: to draw on big maps, and there a single line per pair reads better anyway.
STRAIGHT_EDGES_ABOVE = 400

#: Message type a click on an actor posts to the parent window.
SELECT_MESSAGE = "stakeholder-explorer/select"

_SIGN_NAMES = {1: "positive", 0: "neutral", -1: "negative"}


@functools.cache
def _vis_js() -> str:
    """The vis-network library as shipped (license header kept), read once."""
    return (files("explorer") / "static" / "vis-network.min.js").read_text(encoding="utf-8")


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
) -> dict[str, Any]:
    kind = str(d.get("kind", ""))
    return {
        "id": n,
        "label": str(d.get("name") or n),
        "kind": kind,
        "x": round(xy[0] * scale, 2),
        "y": round(-xy[1] * scale, 2),  # screen y grows downwards
        "size": round(size, 2),
        "color": kind_colour(kind),
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
                "sign": _SIGN_NAMES[d["sign"]],
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
            f'<span class="dot" style="background:{kind_colour(kind)}"></span>{label}</li>'
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


_CSS = """
html, body { margin: 0; height: 100%; font-family: "Noto Sans", system-ui, sans-serif;
  color: #1f1f1f; background: #fff; }
#page { display: flex; flex-direction: column; height: 100%; }
header { padding: 8px 14px; border-bottom: 1px solid #ddd; }
header h1 { font-size: 1.25rem; margin: 0 0 2px 0; }
header p { margin: 0; font-size: 0.85rem; color: #555; white-space: pre-wrap; }
#main { flex: 1; display: flex; min-height: 0; }
#graph-wrap { position: relative; flex: 1; min-width: 0; }
#graph { position: absolute; inset: 0; }
#legend { flex: 0 0 auto; max-width: 190px; margin: 0; padding: 8px 10px; list-style: none;
  font-size: 12px; line-height: 1.55; border-right: 1px solid #ddd; overflow: auto; }
#legend .dot { display: inline-block; width: 11px; height: 11px; border-radius: 50%;
  margin-right: 6px; vertical-align: -1px; border: 1px solid rgba(0,0,0,0.35); }
#legend .line { display: inline-block; width: 26px; margin-right: 6px; vertical-align: 3px; }
#legend .arrow { display: inline-block; width: 26px; margin-right: 6px; }
#details { width: 330px; border-left: 1px solid #ddd; padding: 10px 14px; overflow: auto;
  font-size: 13px; }
#details h2 { font-size: 1.05rem; margin: 0 0 4px 0; }
#details h3 { font-size: 0.95rem; margin: 12px 0 4px 0; }
#details ul { padding-left: 18px; margin: 0; }
#details li { margin-bottom: 6px; }
#details .quote { color: #444; font-style: italic; }
#details .hint { color: #777; }
div.vis-tooltip { position: absolute; visibility: hidden; padding: 6px 8px; max-width: 380px;
  white-space: pre-wrap; font-size: 12px; color: #111; background: #fffef5;
  border: 1px solid #999; border-radius: 3px; box-shadow: 2px 2px 8px rgba(0,0,0,0.2);
  pointer-events: none; z-index: 5; }
.tip-line:first-child { font-weight: bold; }
"""

# The page script: builds vis data, tooltips and the details panel from DATA with
# textContent only, so nothing from the file is ever parsed as HTML.
_JS = r"""
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("view-data").textContent);
  var OPTIONS = JSON.parse(document.getElementById("view-options").textContent);

  function tip(lines) {
    var box = document.createElement("div");
    box.className = "tip";
    lines.forEach(function (line) {
      var row = document.createElement("div");
      row.className = "tip-line";
      row.textContent = line;
      box.appendChild(row);
    });
    return box;
  }

  var nodes = new vis.DataSet(DATA.nodes.map(function (n) {
    return {
      id: n.id, label: n.label, x: n.x, y: n.y, size: n.size, shape: "dot",
      color: { background: n.color, border: "#333333",
               highlight: { background: n.color, border: "#000000" },
               hover: { background: n.color, border: "#000000" } },
      borderWidth: OPTIONS.big ? 0 : 1, title: tip(n.tip)
    };
  }));
  var edges = new vis.DataSet(DATA.edges.map(function (e) {
    var arrows = { to: { enabled: e.directed, scaleFactor: 0.6 } };
    if (e.marker) { arrows.middle = { enabled: true, type: e.marker, scaleFactor: 0.55 }; }
    return {
      id: e.id, from: e.from, to: e.to, width: e.width, dashes: e.dashes,
      color: { color: e.color, highlight: e.color, hover: e.color, opacity: 0.85 },
      arrows: arrows, smooth: e.smooth, title: tip(e.tip)
    };
  }));
  var options = {
    autoResize: true,
    // On big maps labels appear only once readable (11 px on screen: 80 % zoom), and dots
    // have no border: when zoomed out, labels and borders are most of a frame's drawing.
    nodes: { font: { size: 14, face: "Noto Sans, sans-serif", strokeWidth: 3,
                     strokeColor: "#ffffff" },
             scaling: { label: { drawThreshold: OPTIONS.big ? 12 : 5 } } },
    edges: { selectionWidth: 1.5, hoverWidth: 0.5 },
    // On big maps edges are left out while the user pans or zooms (drawn again at rest):
    // drawing thousands of edges per frame is what makes a big map stutter.
    interaction: { hover: true, tooltipDelay: 120, navigationButtons: false,
                   hideEdgesOnDrag: OPTIONS.big, hideEdgesOnZoom: OPTIONS.big,
                   multiselect: false, keyboard: false },
    layout: { randomSeed: 7, improvedLayout: false },
    physics: OPTIONS.physics
      ? { enabled: true, solver: "forceAtlas2Based",
          stabilization: { enabled: true, iterations: 150, fit: true } }
      : { enabled: false }
  };
  var container = document.getElementById("graph");
  window.nodes = nodes;
  window.edges = edges;
  window.network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  // The frame may get its final size only after the first draw: fit the map to it then.
  window.setTimeout(function () { window.network.fit(); }, 0);
  window.addEventListener("resize", function () { window.network.fit(); });
  if (OPTIONS.physics) {
    // Settle briefly, then freeze: a map that keeps moving cannot be read.
    window.network.once("stabilizationIterationsDone", function () {
      window.network.setOptions({ physics: { enabled: false } });
    });
  }

  var byId = {};
  DATA.edges.forEach(function (e) { byId[e.id] = e; });

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (cls) { node.className = cls; }
    return node;
  }
  function sourceItem(ev) {
    var item = el("li");
    item.appendChild(el("span", "\u201c" + ev.quote + "\u201d", "quote"));
    item.appendChild(document.createTextNode(" \u2014 "));
    var src = DATA.sources[ev.source] || { title: ev.source, url: null };
    if (src.url && /^https?:\/\//i.test(src.url)) {
      var a = el("a", src.title);
      a.href = src.url; a.target = "_blank"; a.rel = "noopener noreferrer";
      item.appendChild(a);
    } else {
      item.appendChild(el("span", src.title));
    }
    return item;
  }
  function relationItem(e, actor) {
    var other = e.from === actor ? e.to : e.from;
    var arrow = e.directed ? (e.from === actor ? "\u2192 " : "\u2190 ") : "\u2014 ";
    var item = el("li");
    item.appendChild(el("b", e.label));
    item.appendChild(document.createTextNode(" " + arrow + (DATA.names[other] || other) +
      " (" + e.status + ", " + e.confidence + " confidence" +
      (e.since || e.until ? ", " + (e.since || "?") + " \u2013 " + (e.until || "ongoing") : "") +
      ")"));
    if (e.evidence.length) {
      var quotes = el("ul");
      e.evidence.forEach(function (ev) { quotes.appendChild(sourceItem(ev)); });
      item.appendChild(quotes);
    }
    return item;
  }
  function showActor(actor) {
    var panel = document.getElementById("details");
    if (!panel) { return; }
    panel.textContent = "";
    var node = DATA.nodes.find(function (n) { return n.id === actor; });
    if (!node) { return; }
    panel.appendChild(el("h2", node.label));
    node.tip.slice(1).forEach(function (line) { panel.appendChild(el("p", line)); });
    var groups = { positive: [], negative: [], neutral: [] };
    DATA.edges.forEach(function (e) {
      if (e.from === actor || e.to === actor) { groups[e.sign].push(e); }
    });
    [["positive", "+ Positive"], ["negative", "\u2212 Negative"], ["neutral", "\u00b7 Neutral"]]
      .forEach(function (pair) {
        var list = groups[pair[0]];
        if (!list.length) { return; }
        panel.appendChild(el("h3", pair[1] + " (" + list.length + ")"));
        var ul = el("ul");
        list.forEach(function (e) { ul.appendChild(relationItem(e, actor)); });
        panel.appendChild(ul);
      });
  }
  function showRelation(id) {
    var panel = document.getElementById("details");
    var e = byId[id];
    if (!panel || !e) { return; }
    panel.textContent = "";
    panel.appendChild(el("h2", e.label));
    e.tip.slice(0, 1).concat(e.tip.slice(2, 4)).forEach(function (line) {
      panel.appendChild(el("p", line));
    });
    if (e.evidence.length) {
      var ul = el("ul");
      e.evidence.forEach(function (ev) { ul.appendChild(sourceItem(ev)); });
      panel.appendChild(ul);
    }
  }

  window.network.on("click", function (params) {
    if (params.nodes.length) {
      var actor = params.nodes[0];
      showActor(actor);
      if (window.parent && window.parent !== window) {
        window.parent.postMessage({ kind: OPTIONS.message, actor: actor }, "*");
      }
    } else if (params.edges.length) {
      showRelation(params.edges[0]);
    }
  });
})();
"""


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
        f"<style>{_CSS}#page {{ height: {html.escape(height)}; }}</style>"
        "</head><body>"
        f'<div id="page">{header}<div id="main">{legend}<div id="graph-wrap">'
        f'<div id="graph" role="img" aria-label="{page_title}"></div></div>'
        f"{details}</div></div>"
        f'<script type="application/json" id="view-data">{_view_json(G, parts, n_edges)}</script>'
        f'<script type="application/json" id="view-options">{_script_json(options)}</script>'
        f"<script>{_vis_js()}</script>"
        f"<script>{_JS}</script>"
        "</body></html>\n"
    )


def sizes_from_measure(values: dict[str, float]) -> dict[str, float]:
    """Scale a measure's values (``{actor: value}``) to node sizes in pixels."""
    if not values:
        return {}
    low, high = min(values.values()), max(values.values())
    return {n: node_size(v, low, high) for n, v in values.items()}
