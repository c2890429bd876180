"""A matplotlib ``Figure`` of one view of a map, for PNG, SVG and PDF exports.

The figure draws what the dashboard draws, from the same style table: kind colours, sign
colours with a round (positive) or bar (negative) marker at each relation's middle, dashes
for projected relations, arrows for directed types and widths by strength. Positions come
from ``layout_positions`` on the full map, so a picture matches the dashboard.

Labels are pushed apart until none overlaps another label or an actor, and kept inside the
drawing, so nothing is cut at the edges. Text stays text in SVG (``svg.fonttype: none``).

matplotlib is imported inside the functions: ``import explorer`` must stay light.
"""

from __future__ import annotations

import functools
import math
import textwrap
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import networkx as nx

from explorer.render.style import (
    SIGN_STYLES,
    STATUS_DASHES,
    STRAIGHT_EDGES_ABOVE,
    edge_width,
    kind_colour,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.text import Text

__all__ = [
    "BASE_DPI",
    "DEFAULT_NODE_SIZE",
    "DEFAULT_SIZE",
    "FONT_FAMILIES",
    "LABEL_GID",
    "MAX_LABELS",
    "figure_style",
    "label_boxes",
    "network_figure",
]

#: Pixels per inch of the figure at 1x: ``size`` in pixels is ``size / BASE_DPI`` inches.
BASE_DPI = 100
#: Default figure size in pixels at 1x (PNG exports are written at 2x this density).
DEFAULT_SIZE = (1600, 1200)
#: Fonts tried in order, per glyph: DejaVu Sans for Latin and Cyrillic, Noto for Arabic script.
FONT_FAMILIES = ("DejaVu Sans", "Noto Sans", "Noto Sans Arabic", "Noto Naskh Arabic")
#: Most actors labelled in one figure; on bigger views only the best connected are labelled.
MAX_LABELS = 400
#: ``gid`` prefix of every actor label, so tests and tools can find the labels.
LABEL_GID = "actor-label"

#: Node size (vis-network radius in pixels) of an actor when no ``sizes`` are given.
DEFAULT_NODE_SIZE = 16.0

_LABEL_PT = 9.5
_TITLE_PT = 16
_CAPTION_PT = 8.5
_LEGEND_PT = 8.5
_PX_TO_PT = 72 / BASE_DPI
_EDGE_ALPHA = 0.85
_PARALLEL_STEP = 0.18  # curvature between parallel relations of one pair


def _installed_fonts() -> list[str]:
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    found = [name for name in FONT_FAMILIES if name in names]
    return found or ["sans-serif"]


@contextmanager
def figure_style() -> Iterator[None]:
    """Set the matplotlib settings every export uses: fonts, text as text, fixed hashes."""
    import matplotlib

    with matplotlib.rc_context(
        {
            "font.family": _installed_fonts(),
            "svg.fonttype": "none",
            "svg.hashsalt": "stakeholder-explorer",
            "pdf.fonttype": 42,
            "path.simplify": False,
        }
    ):
        yield


def _shown(text: str) -> str:
    """The text as drawn; one place for later script handling (shaping, direction)."""
    # matplotlib would read "$...$" as mathematics; an actor's name is never mathematics.
    return text.replace("$", r"\$")


def network_figure(
    G: nx.MultiDiGraph,
    positions: Mapping[str, tuple[float, float]],
    *,
    sizes: Mapping[str, float] | None = None,
    title: str = "",
    caption: str = "",
    size: tuple[int, int] = DEFAULT_SIZE,
    legend: bool = True,
) -> Figure:
    """Draw a view of a map as a matplotlib ``Figure`` of ``size`` pixels (at 1x).

    ``positions`` must hold every actor of ``G`` (compute them on the full map);
    ``sizes`` are node sizes in pixels as the dashboard uses them (see
    ``explorer.render.html.sizes_from_measure``).
    Build it inside ``figure_style()`` when saving, so fonts and SVG settings apply.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    width, height = size
    if width < 200 or height < 150:
        raise ValueError(f"figure size {width}x{height} is too small; use at least 200x150")
    missing = [n for n in G if n not in positions]
    if missing:
        raise ValueError(f"no position for actor {missing[0]!r}")
    with figure_style():
        fig = Figure(figsize=(width / BASE_DPI, height / BASE_DPI), dpi=BASE_DPI)
        FigureCanvasAgg(fig)
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        pad = 12 / height  # 12 px margins, as figure fractions
        top = 1 - pad
        if title:
            heading = fig.text(
                0.5,
                top,
                _shown(title),
                ha="center",
                va="top",
                fontsize=_TITLE_PT,
                fontweight="bold",
                wrap=False,
            )
            top = _fit_width(heading, fig, renderer) - 8 / height
        bottom = pad
        if caption:
            limit = width - 24
            chars = _chars_per_line(limit, _CAPTION_PT)
            note = fig.text(12 / width, pad, "", ha="left", va="bottom", fontsize=_CAPTION_PT)
            note.set_color("#333333")
            for _ in range(6):
                note.set_text(_shown(_wrap(caption, chars)))
                wide = note.get_window_extent(renderer).width
                if wide <= limit or chars <= 10:
                    break
                # Wider letters than the estimate (capitals, other scripts): wrap shorter.
                chars = max(int(chars * limit / wide * 0.97), 10)
            bottom = _top_of(note, fig, renderer) + 8 / height
        right = 1 - 12 / width
        if legend:
            box = _legend(fig, G)
            if box is not None:
                box.set_bbox_to_anchor((right, top), transform=fig.transFigure)
                extent = box.get_window_extent(renderer).transformed(fig.transFigure.inverted())
                right = extent.x0 - 10 / width
        ax = fig.add_axes(
            (12 / width, bottom, max(right - 12 / width, 0.1), max(top - bottom, 0.1))
        )
        ax.set_axis_off()
        _draw(ax, G, positions, sizes, renderer)
    return fig


def _fit_width(text: Text, fig: Figure, renderer: Any) -> float:
    """Shrink a title (to 11 points at least), then wrap it, until it fits the figure's width.

    Returns the bottom of the text as a fraction of the figure's height.
    """
    content = text.get_text()
    limit = fig.bbox.width - 24
    box = text.get_window_extent(renderer)
    if box.width > limit:
        text.set_fontsize(max(text.get_fontsize() * limit / box.width, 11))
        box = text.get_window_extent(renderer)
    chars = len(content)
    while box.width > limit and chars > 10:
        chars = max(int(chars * limit / box.width * 0.97), 10)
        text.set_text(_wrap(content, chars))
        box = text.get_window_extent(renderer)
    return float(box.y0 / fig.bbox.height)


def _top_of(text: Text, fig: Figure, renderer: Any) -> float:
    box = text.get_window_extent(renderer)
    return float(box.y1 / fig.bbox.height)


def _chars_per_line(width_px: float, size_pt: float) -> int:
    """About how many characters fit in ``width_px`` at ``size_pt`` points."""
    # DejaVu Sans averages a little over half an em per character.
    return max(int(width_px * _PX_TO_PT / (size_pt * 0.58)), 10)


def _wrap(text: str, chars: int) -> str:
    """Wrap each paragraph of ``text`` to at most ``chars`` characters a line."""
    return "\n".join(textwrap.fill(part, chars) if part else "" for part in text.split("\n"))


def _legend(fig: Figure, G: nx.MultiDiGraph) -> Any:
    """A legend of the kinds, signs and statuses present in the view, top right."""
    from matplotlib.lines import Line2D

    dataset = G.graph.get("dataset")
    labels: dict[str, str] = {}
    if dataset is not None:
        labels = {k: v.label for k, v in dataset.vocab.actor_kinds.items()}
    order = list(labels)
    kinds = sorted(
        {d.get("kind", "") for _, d in G.nodes(data=True)},
        key=lambda k: (order.index(k) if k in order else len(order), k),
    )
    signs = sorted({d.get("sign", 0) for *_, d in G.edges(data=True)}, reverse=True)
    statuses = [
        s for s in STATUS_DASHES if any(d.get("status") == s for *_, d in G.edges(data=True))
    ]
    directed = any(d.get("directed") for *_, d in G.edges(data=True))
    if not kinds and not signs:
        return None
    handles: list[Any] = []
    names: list[str] = []
    headers: list[int] = []

    def header(text: str) -> None:
        headers.append(len(names))
        handles.append(Line2D([], [], linestyle="none"))
        names.append(text)

    if kinds:
        header("Actors")
        for kind in kinds:
            handles.append(
                Line2D(
                    [],
                    [],
                    linestyle="none",
                    marker="o",
                    markersize=9,
                    markerfacecolor=kind_colour(kind),
                    markeredgecolor="white",
                )
            )
            names.append(_shown(labels.get(kind, kind.replace("_", " "))))
    if signs:
        header("Relations")
        for sign in signs:
            style = SIGN_STYLES[sign]
            handles.append(
                Line2D(
                    [0, 1],
                    [0, 0],
                    color=style.colour,
                    linewidth=2,
                    marker=style.mpl_marker or None,
                    markevery=[1] if style.mpl_marker else None,
                    markersize=8 if style.mpl_marker == "|" else 6,
                    markeredgewidth=2,
                )
            )
            names.append(f"{style.name} ({style.symbol})")
    if statuses:
        header("Status")
        for status in statuses:
            dashes = STATUS_DASHES[status]
            handles.append(
                Line2D(
                    [0, 1],
                    [0, 0],
                    color="#555555",
                    linewidth=2,
                    linestyle=(0, _dash_pt(dashes)) if dashes else "solid",
                )
            )
            names.append(status)
    if directed:
        handles.append(Line2D([], [], linestyle="none", marker=">", color="#555555"))
        names.append("directed (arrow)")
    box = fig.legend(
        handles,
        names,
        loc="upper right",
        fontsize=_LEGEND_PT,
        frameon=True,
        framealpha=0.9,
        edgecolor="#cccccc",
        handlelength=2.2,
        borderaxespad=0,
    )
    for index, text in enumerate(box.get_texts()):
        if index in headers:
            text.set_fontweight("bold")
    return box


def _dash_pt(dashes: tuple[int, int]) -> tuple[float, float]:
    return (dashes[0] * _PX_TO_PT, dashes[1] * _PX_TO_PT)


def _diameters(G: nx.Graph, sizes: Mapping[str, float] | None) -> dict[str, float]:
    """Disc diameter of each actor in points.

    ``sizes`` are the dashboard's node sizes (vis-network radii in pixels, 16 by default);
    the figure draws them at three quarters, as it shows the whole map at once.
    """
    return {n: 2 * float((sizes or {}).get(n, DEFAULT_NODE_SIZE)) * 0.75 * _PX_TO_PT for n in G}


def _curvatures(G: nx.MultiDiGraph) -> dict[tuple[str, str, str], float]:
    """A curvature for each relation, so parallel relations of one pair fan out."""
    pairs: dict[frozenset[str], list[tuple[str, str, str]]] = {}
    for u, v, k in G.edges(keys=True):
        pairs.setdefault(frozenset((u, v)), []).append((u, v, k))
    out = {}
    for edges in pairs.values():
        n = len(edges)
        for index, (u, v, k) in enumerate(sorted(edges, key=lambda e: e[2])):
            rad = (index - (n - 1) / 2) * _PARALLEL_STEP
            # arc3 bends relative to the drawing direction; flip reversed edges so that
            # relations drawn B->A do not land on those drawn A->B.
            out[(u, v, k)] = rad if str(u) <= str(v) else -rad
    return out


def _draw(
    ax: Any,
    G: nx.MultiDiGraph,
    positions: Mapping[str, tuple[float, float]],
    sizes: Mapping[str, float] | None,
    renderer: Any,
) -> None:
    nodes = list(G)
    diam = _diameters(G, sizes)
    _fit_limits(ax, renderer, max(diam.values(), default=0) * ax.figure.dpi / 72)

    if G.number_of_edges() > STRAIGHT_EDGES_ABOVE:
        _straight_edges(ax, G, positions, diam)
    else:
        _curved_edges(ax, G, positions, diam)

    xs = [positions[n][0] for n in nodes]
    ys = [positions[n][1] for n in nodes]
    ax.scatter(
        xs,
        ys,
        s=[diam[n] ** 2 for n in nodes],
        c=[kind_colour(str(G.nodes[n].get("kind", ""))) for n in nodes],
        edgecolors="white",
        linewidths=1.2,
        zorder=3,
        gid="actors",
    )
    _labels(ax, G, nodes, positions, diam, renderer)


def _curved_edges(
    ax: Any,
    G: nx.MultiDiGraph,
    positions: Mapping[str, tuple[float, float]],
    diam: Mapping[str, float],
) -> None:
    """Draw each relation as its own arrow, parallel relations fanned out in arcs."""
    from matplotlib.markers import MarkerStyle
    from matplotlib.patches import FancyArrowPatch
    from matplotlib.transforms import Affine2D

    curv = _curvatures(G)
    to_px = ax.transData
    for u, v, k, d in sorted(G.edges(keys=True, data=True), key=lambda e: e[2]):
        style = SIGN_STYLES.get(int(d.get("sign", 0)), SIGN_STYLES[0])
        dashes = STATUS_DASHES.get(str(d.get("status")))
        width = edge_width(int(d.get("strength", 2))) * _PX_TO_PT
        rad = curv[(u, v, k)]
        directed = bool(d.get("directed"))
        patch = FancyArrowPatch(
            positions[u],
            positions[v],
            connectionstyle=f"arc3,rad={rad}",
            arrowstyle="-|>" if directed else "-",
            mutation_scale=8 + 2.5 * width,
            shrinkA=diam[u] / 2 + 1,
            shrinkB=diam[v] / 2 + 1,
            linewidth=width,
            linestyle=(0, _dash_pt(dashes)) if dashes else "solid",
            color=style.colour,
            alpha=_EDGE_ALPHA,
            zorder=1,
        )
        patch.set_gid(f"relation-{k}")
        ax.add_patch(patch)
        if style.mpl_marker:
            (ax_x, ax_y), angle = _midpoint(to_px, positions[u], positions[v], rad)
            marker = MarkerStyle(style.mpl_marker, transform=Affine2D().rotate_deg(angle))
            ax.plot(
                [ax_x],
                [ax_y],
                linestyle="none",
                marker=marker,
                markersize=5 + width if style.mpl_marker == "o" else 8 + 2 * width,
                markerfacecolor=style.colour,
                markeredgecolor="white" if style.mpl_marker == "o" else style.colour,
                markeredgewidth=0.8 if style.mpl_marker == "o" else 1.2 + width * 0.6,
                zorder=2,
            )


def _straight_edges(
    ax: Any,
    G: nx.MultiDiGraph,
    positions: Mapping[str, tuple[float, float]],
    diam: Mapping[str, float],
) -> None:
    """Draw every relation as a straight line, in a few collections (fast on big maps).

    The same marks as the curved drawing: colour by sign, a dot or bar at the middle,
    dashes for projected, a head for directed types, width by strength.
    """
    import numpy as np
    from matplotlib.collections import LineCollection, PolyCollection

    pt = ax.figure.dpi / 72
    to_px = ax.transData
    back = to_px.inverted()
    lines, colours, widths, dashes = [], [], [], []
    heads, head_colours = [], []
    dots, dot_colours, dot_sizes = [], [], []
    bars, bar_colours, bar_widths = [], [], []
    for u, v, _, d in sorted(G.edges(keys=True, data=True), key=lambda e: e[2]):
        style = SIGN_STYLES.get(int(d.get("sign", 0)), SIGN_STYLES[0])
        width = edge_width(int(d.get("strength", 2))) * _PX_TO_PT
        a, b = to_px.transform([positions[u], positions[v]])
        length = float(np.hypot(*(b - a)))
        if length < 1e-6:
            continue
        unit = (b - a) / length
        normal = np.array([-unit[1], unit[0]])
        start = a + unit * (diam[u] / 2 + 1) * pt
        end = b - unit * (diam[v] / 2 + 1) * pt
        if d.get("directed"):
            size = (4 + 1.5 * width) * pt
            base = end - unit * size
            heads.append([end, base + normal * size * 0.45, base - normal * size * 0.45])
            head_colours.append(style.colour)
            end = base
        lines.append([start, end])
        colours.append(style.colour)
        widths.append(width)
        pattern = STATUS_DASHES.get(str(d.get("status")))
        dashes.append((0, _dash_pt(pattern)) if pattern else "solid")
        middle = (a + b) / 2
        if style.mpl_marker == "o":
            dots.append(middle)
            dot_colours.append(style.colour)
            dot_sizes.append((5 + width) ** 2)
        elif style.mpl_marker == "|":
            half = (4 + width) * pt
            bars.append([middle + normal * half, middle - normal * half])
            bar_colours.append(style.colour)
            bar_widths.append(1.2 + width * 0.6)

    def data(points: list[Any]) -> Any:
        array = np.asarray(points, dtype=float)
        return back.transform(array.reshape(-1, 2)).reshape(array.shape)

    if lines:
        ax.add_collection(
            LineCollection(
                data(lines),
                colors=colours,
                linewidths=widths,
                linestyles=dashes,
                alpha=_EDGE_ALPHA,
                zorder=1,
                gid="relations",
            ),
            autolim=False,
        )
    if heads:
        ax.add_collection(
            PolyCollection(
                data(heads),
                facecolors=head_colours,
                edgecolors="none",
                alpha=_EDGE_ALPHA,
                zorder=1,
            ),
            autolim=False,
        )
    if bars:
        ax.add_collection(
            LineCollection(data(bars), colors=bar_colours, linewidths=bar_widths, zorder=2),
            autolim=False,
        )
    if dots:
        centres = data(dots)
        ax.scatter(
            centres[:, 0],
            centres[:, 1],
            s=dot_sizes,
            c=dot_colours,
            edgecolors="white",
            linewidths=0.8,
            zorder=2,
        )


def _fit_limits(ax: Any, renderer: Any, disc_px: float) -> None:
    """Set equal-scale limits so positions in [-1, 1] fill the axes with room for labels."""
    box = ax.get_window_extent(renderer)
    # Pixels kept free around the outermost actors: their discs, and a label under the
    # lowest ones; half a short label's width at the sides.
    side, top, bottom = disc_px / 2 + 40, disc_px / 2 + 6, disc_px / 2 + 24
    scale = max(min((box.width - 2 * side) / 2, (box.height - top - bottom) / 2), 1.0)
    extra_x = box.width / scale - 2
    extra_y = box.height / scale - 2
    ax.set_xlim(-1 - extra_x / 2, 1 + extra_x / 2)
    ax.set_ylim(-1 - extra_y * bottom / (top + bottom), 1 + extra_y * top / (top + bottom))


def _midpoint(
    to_px: Any, a: tuple[float, float], b: tuple[float, float], rad: float
) -> tuple[tuple[float, float], float]:
    """The middle of an arc3 curve from ``a`` to ``b`` (data coordinates) and its angle."""
    (x1, y1), (x2, y2) = to_px.transform([a, b])
    dx, dy = x2 - x1, y2 - y1
    # arc3's control point is the chord's middle moved by rad * (dy, -dx); the quadratic
    # Bezier passes half way to it, parallel to the chord.
    mx, my = (x1 + x2) / 2 + rad * dy / 2, (y1 + y2) / 2 - rad * dx / 2
    angle = math.degrees(math.atan2(dy, dx))
    data = to_px.inverted().transform([(mx, my)])[0]
    return (float(data[0]), float(data[1])), angle


def _labels(
    ax: Any,
    G: nx.MultiDiGraph,
    nodes: list[str],
    positions: Mapping[str, tuple[float, float]],
    diam: Mapping[str, float],
    renderer: Any,
) -> None:
    """Label every actor where the label overlaps no other label and no disc.

    Labels are placed one by one, best connected actors first: under the disc if there is
    room, else above, beside, or on rings further out, always inside the drawing so none
    is cut. A label that had to move away from its actor gets a thin leader line.
    """
    import numpy as np

    if not nodes:
        return
    pt = ax.figure.dpi / 72
    frame = ax.get_window_extent(renderer)
    limits = (frame.x0 + 1, frame.y0 + 1, frame.x1 - 1, frame.y1 - 1)
    centres = ax.transData.transform([positions[n] for n in nodes])
    radii = np.array([diam[n] for n in nodes]) * pt / 2
    discs = np.column_stack(
        [centres[:, 0] - radii, centres[:, 1] - radii, centres[:, 0] + radii, centres[:, 1] + radii]
    )
    style = {
        "ha": "center",
        "va": "center",
        "fontsize": _LABEL_PT,
        "color": "#1a1a1a",
        "zorder": 4,
        "bbox": {"boxstyle": "round,pad=0.12", "fc": "white", "ec": "none", "alpha": 0.75},
        "annotation_clip": False,
        "textcoords": "offset points",
    }
    order = sorted(range(len(nodes)), key=lambda i: (-G.degree(nodes[i]), str(nodes[i])))
    # Past this many, labels cannot all be read at any usual size: label the best
    # connected actors and leave the rest to the interactive page.
    order = order[:MAX_LABELS]
    texts = {}
    sizes = {}
    for i in order:
        n = nodes[i]
        label = str(G.nodes[n].get("label") or G.nodes[n].get("name") or n)
        text = ax.annotate(_shown(label), positions[n], xytext=(0, 0), **style)
        box = text.get_window_extent(renderer)
        texts[n] = text
        # The white box around the text reaches a little past the glyphs.
        sizes[n] = (box.width + 2 * _LABEL_PAD * pt, box.height + 2 * _LABEL_PAD * pt)
    # Everything a label must not cover: the discs, then each label as it is placed.
    obstacles = np.vstack([discs, np.zeros((len(nodes), 4))])
    count = len(nodes)
    for i in order:
        n = nodes[i]
        w, h = sizes[n]
        x, y = centres[i]
        best, moved = _best_spot(x, y, radii[i], w, h, limits, obstacles[:count])
        obstacles[count] = best
        count += 1
        cx, cy = (best[0] + best[2]) / 2, (best[1] + best[3]) / 2
        text = texts[n]
        if moved:
            # Re-create the label with a leader line back to its actor.
            text.remove()
            text = ax.annotate(
                text.get_text(),
                positions[n],
                xytext=((cx - x) / pt, (cy - y) / pt),
                arrowprops={
                    "arrowstyle": "-",
                    "color": "#777777",
                    "linewidth": 0.6,
                    "shrinkA": 0,
                    "shrinkB": diam[n] / 2,
                },
                **style,
            )
        else:
            text.xyann = ((cx - x) / pt, (cy - y) / pt)
        text.set_gid(f"{LABEL_GID}-{i}")


_LABEL_PAD = 1.5  # points of white around a label's text


def _best_spot(
    x: float,
    y: float,
    r: float,
    w: float,
    h: float,
    limits: tuple[float, float, float, float],
    obstacles: Any,
) -> tuple[Any, bool]:
    """The first free box ``w`` x ``h`` near the point, and whether it left the actor's side.

    Spots are tried in order: under the disc, above, right, left, the four corners, then
    a grid further out, nearest first; the first that covers no obstacle wins, else the
    one that covers least.
    """
    import numpy as np

    gap = 2.0
    near = np.array(
        [
            (x, y - r - gap - h / 2),  # under the disc, as in the dashboard
            (x, y + r + gap + h / 2),  # above
            (x + r + gap + w / 2, y),  # right
            (x - r - gap - w / 2, y),  # left
            (x + r + w / 2, y - r - h / 2),
            (x - r - w / 2, y - r - h / 2),
            (x + r + w / 2, y + r + h / 2),
            (x - r - w / 2, y + r + h / 2),
        ]
    )
    steps = _grid() * np.array([w / 4, h / 2])
    far = near[0] + steps[np.argsort(np.hypot(steps[:, 0], steps[:, 1]), kind="stable")]
    centres = np.vstack([near, far])
    boxes = np.column_stack(
        [centres[:, 0] - w / 2, centres[:, 1] - h / 2, centres[:, 0] + w / 2, centres[:, 1] + h / 2]
    )
    # Keep inside the drawing: slide a box back in rather than drop the spot.
    shift_x = np.clip(limits[0] - boxes[:, 0], 0, None) - np.clip(boxes[:, 2] - limits[2], 0, None)
    shift_y = np.clip(limits[1] - boxes[:, 1], 0, None) - np.clip(boxes[:, 3] - limits[3], 0, None)
    boxes += np.column_stack([shift_x, shift_y, shift_x, shift_y])
    # Only obstacles within reach of some spot can matter.
    reach = (boxes[:, 0].min(), boxes[:, 1].min(), boxes[:, 2].max(), boxes[:, 3].max())
    close = obstacles[
        (obstacles[:, 2] > reach[0])
        & (obstacles[:, 0] < reach[2])
        & (obstacles[:, 3] > reach[1])
        & (obstacles[:, 1] < reach[3])
    ]
    if len(close) == 0:
        return boxes[0], False
    # The eight spots by the disc first: most labels find room there, at little cost.
    for part in (slice(0, _NEAR), slice(_NEAR, None)):
        found = _first_free(boxes[part], close)
        if found is not None:
            return boxes[part][found], part.start == _NEAR
    dx = np.minimum(boxes[:, None, 2], close[None, :, 2]) - np.maximum(
        boxes[:, None, 0], close[None, :, 0]
    )
    dy = np.minimum(boxes[:, None, 3], close[None, :, 3]) - np.maximum(
        boxes[:, None, 1], close[None, :, 1]
    )
    cost = (np.clip(dx, 0, None) * np.clip(dy, 0, None)).sum(axis=1)
    free = np.flatnonzero(cost == 0)
    best = int(free[0]) if len(free) else int(np.argmin(cost))
    return boxes[best], best >= _NEAR


_NEAR = 8  # spots right by the disc, tried before the outer grid


def _first_free(boxes: Any, obstacles: Any) -> int | None:
    """Index of the first box that overlaps no obstacle, or None."""
    import numpy as np

    dx = np.minimum(boxes[:, None, 2], obstacles[None, :, 2]) - np.maximum(
        boxes[:, None, 0], obstacles[None, :, 0]
    )
    dy = np.minimum(boxes[:, None, 3], obstacles[None, :, 3]) - np.maximum(
        boxes[:, None, 1], obstacles[None, :, 1]
    )
    hit = ((dx > 0) & (dy > 0)).any(axis=1)
    free = np.flatnonzero(~hit)
    return int(free[0]) if len(free) else None


@functools.cache
def _grid() -> Any:
    """Steps of the outer search grid, in quarter label widths and half label heights."""
    import numpy as np

    return np.array([(i, j) for i in range(-8, 9) for j in range(-24, 25) if i or j], dtype=float)


def label_boxes(fig: Figure) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Each actor label's text and its box ``(x0, y0, x1, y1)`` in pixels, as drawn."""
    from matplotlib.text import Text

    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    out = []
    for ax in fig.axes:
        for text in ax.texts:
            if (text.get_gid() or "").startswith(LABEL_GID):
                # The text alone: an Annotation's own extent includes its leader line.
                text.update_positions(renderer)
                box = Text.get_window_extent(text, renderer)
                shown = text.get_text().replace(r"\$", "$")
                out.append((shown, (box.x0, box.y0, box.x1, box.y1)))
    return out
