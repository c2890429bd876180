"""Positions for a whole map, computed once, shared by every view and image.

Positions are computed on the full map (not on a filtered view), so a filter hides actors
but never moves the ones that stay, and a picture matches the dashboard for the same file.

Units: one position unit is ``1 / EM`` ems of label text, so a renderer that draws labels
at ``f`` pixels should scale positions by ``f / EM`` pixels per unit (the page), or fit the
map to its frame (the figures, whose labels then print at 7 pt or more). On that scale the
default layouts guarantee, on maps of up to ``REFINE_MAX_NODES`` actors:

- no two actors' boxes (shape plus the label under it, as wrapped by ``style.label_text``,
  widths estimated for DejaVu Sans, the wider of the page's and the figure's fonts) overlap;
- no relation's line passes through the shape of an actor that is not one of its ends, and
  on a map that fits ``CLEAR_LABELS_ROOM`` times ``FRAME_EM``, lines are kept off labels
  too (a denser map keeps lines off labels as far as that costs no room);
- every label is nearer its own actor than any other actor.

Layouts (``LAYOUTS``):

- ``"camps"`` (the default): the two camps of ``explorer.analysis.camps`` (observed
  relations plus the main forecast, at the default date), the camp holding the most central
  actor on the left, the other on the right, swing actors between them, each further signed
  component as its own left/right pair below, and actors with no signed pair in a middle
  band; a force layout inside those regions keeps neighbours together, then the refinement
  above. Maps without signed pairs, and maps of more than ``EXACT_SPRING_MAX_NODES`` actors,
  use the spring layout.
- ``"spring"``: seeded Fruchterman-Reingold with the same refinement. On maps above
  ``EXACT_SPRING_MAX_NODES`` actors it switches to a scalable method with the same look:
  pivot MDS (Brandes and Pich 2006), then a few Fruchterman-Reingold rounds with
  grid-limited repulsion; well under a second for 1,000 actors.
- ``"kamada-kawai"`` and ``"circular"``: as networkx draws them; they may overlap.

``positions_for`` adds the positions record: a JSON file in the hidden folder
``.stakeholder-explorer`` beside the map, keyed by map file and actor id. Recorded actors
keep their place; the layout places only the others, near their placed neighbours, so an
edit does not reshuffle the map.
"""

from __future__ import annotations

import json
import os
import unicodedata
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, cast

import networkx as nx
import numpy as np

from explorer.edit import HIDDEN_FOLDER
from explorer.render.style import SHAPES, kind_styles, label_text

__all__ = [
    "CLEAR_LABELS_MAX_NODES",
    "CLEAR_LABELS_ROOM",
    "DEFAULT_LAYOUT",
    "EM",
    "EXACT_SPRING_MAX_NODES",
    "FRAME_EM",
    "LAYOUTS",
    "LAYOUT_HELP",
    "REFINE_MAX_NODES",
    "ActorBox",
    "actor_boxes",
    "clear_positions",
    "layout_positions",
    "positions_for",
    "read_positions",
    "record_path",
    "record_positions",
    "text_width_em",
]

Positions = dict[str, tuple[float, float]]

#: Position units per em of label text: a map of about forty actors spans about [-1, 1].
EM = 0.025
#: The layout used when none is chosen.
DEFAULT_LAYOUT = "camps"
#: Largest map (in actors) laid out by networkx's exact spring layout; larger maps use the
#: scalable pivot-MDS + grid Fruchterman-Reingold layout.
EXACT_SPRING_MAX_NODES = 300
#: Largest map (in actors) whose layout is refined so that nothing collides.
REFINE_MAX_NODES = 150
#: Most actors with a signed pair for which the camps layout solves the split exactly and
#: looks for swing actors; beyond, it takes the seeded local search's split.
SWING_MAX_NODES = 60
#: The drawing area, in ems of label text, that the refined layouts try to fit: the shape of
#: the page's frame at 1440 x 900 (1,090 x 600 px).
FRAME_EM = (90.0, 50.0)
#: The layout that keeps lines off every label is used while it needs at most this many
#: times ``FRAME_EM``: measured on the bundled map and 34-actor generated maps (1.25 to
#: 1.35), where drawn at 1440 x 900 and 1024 x 768 no line crossed a label.
CLEAR_LABELS_ROOM = 1.4
#: Largest map (in actors) on which that layout is tried: generated maps of 60, 100 and 150
#: actors needed 2.3, 3.1 and 3.9 times the frame, so beyond it only costs time.
CLEAR_LABELS_MAX_NODES = 60
_PIVOTS = 48
_ROUNDS = 25

# Geometry, in ems of label text: the figure draws 10 pt labels under shapes of 8.6 pt
# radius; the page should draw shapes no bigger than 0.9 of its label size.
_RADIUS_EM = 0.9
_GAP_EM = 0.35  # between a shape and its label
_LINE_EM = 1.2  # height of one label line
_PAD_EM = 0.7  # kept free between two actors' boxes
_LINE_CLEAR_EM = 0.6  # kept free between a line and an actor it does not end at
_LABEL_CLEAR_EM = 0.2  # kept free between a line and another actor's label
_SLACK_EM = 0.2  # extra distance a refinement move adds beyond the minimum


# --- label widths ---------------------------------------------------------------------------

# Noto Sans advance widths in ems (the figure's label font; the page's Arial is within a
# few per cent of it), from the font's own metrics.
_WIDTHS = dict(
    zip(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,'-()&/:;!?\"\u2019\u2013",
        (
            0.561,
            0.615,
            0.48,
            0.615,
            0.564,
            0.344,
            0.615,
            0.618,
            0.258,
            0.258,
            0.534,
            0.258,
            0.935,
            0.618,
            0.605,
            0.615,
            0.615,
            0.413,
            0.479,
            0.361,
            0.618,
            0.508,
            0.786,
            0.529,
            0.51,
            0.47,
            0.639,
            0.65,
            0.632,
            0.73,
            0.556,
            0.519,
            0.728,
            0.741,
            0.339,
            0.273,
            0.619,
            0.524,
            0.907,
            0.76,
            0.781,
            0.605,
            0.781,
            0.622,
            0.549,
            0.556,
            0.731,
            0.6,
            0.93,
            0.586,
            0.566,
            0.572,
            *([0.572] * 10),
            0.26,
            0.268,
            0.268,
            0.225,
            0.322,
            0.3,
            0.3,
            0.732,
            0.372,
            0.268,
            0.268,
            0.269,
            0.434,
            0.408,
            0.175,
            0.5,
        ),
        strict=True,
    )
)


def text_width_em(text: str) -> float:
    """An estimate, a little on the safe side, of one line of ``text``'s width in ems."""
    total = 0.0
    for char in text:
        if char in _WIDTHS:
            total += _WIDTHS[char]
        elif unicodedata.east_asian_width(char) in ("W", "F"):
            total += 1.0
        elif unicodedata.category(char).startswith("M") or unicodedata.category(char) == "Cf":
            continue  # combining marks and joiners take no room of their own
        else:
            total += 0.68
    return total * 1.05


class ActorBox:
    """An actor's box in ems around its centre: half its width, and reach above and below."""

    __slots__ = ("above", "below", "half_width", "label_height", "radius")

    def __init__(self, radius: float, label_width: float, label_height: float) -> None:
        self.radius = radius
        self.label_height = label_height
        self.half_width = max(radius, label_width / 2)
        self.above = radius
        self.below = radius + (_GAP_EM + label_height if label_height else 0.0)


def actor_boxes(G: nx.Graph[Any]) -> dict[str, ActorBox]:
    """Each actor's box (shape plus the label under it) in ems, as the layout reserves it."""
    styles = kind_styles(G)
    reach = {s.vis: max(1.0, s.scale) for s in SHAPES}
    out = {}
    for n, d in G.nodes(data=True):
        name = str(d.get("label") or d.get("name") or n)
        lines = label_text(name).split("\n")
        width = max(text_width_em(line) for line in lines) + 0.4
        height = len(lines) * _LINE_EM + 0.3
        style = styles.get(str(d.get("kind", "")))
        radius = _RADIUS_EM * (reach.get(style.shape, 1.0) if style else 1.0)
        out[str(n)] = ActorBox(radius, width, height)
    return out


# --- the layouts, in ems -------------------------------------------------------------------


def _simple(G: nx.Graph[Any]) -> nx.Graph[Any]:
    """An undirected simple graph of ``G`` with its actors in a fixed (sorted) order."""
    simple: nx.Graph[Any] = nx.Graph()
    simple.add_nodes_from(sorted(G.nodes, key=str))
    pairs = {(u, v) if str(u) <= str(v) else (v, u) for u, v in G.edges() if u != v}
    simple.add_edges_from(sorted(pairs, key=lambda e: (str(e[0]), str(e[1]))))
    return simple


def _spread_em(G: nx.Graph[Any], boxes: Mapping[str, ActorBox]) -> float:
    """The side, in ems, of a square with room for every actor's box about three times."""
    area = sum((2 * b.half_width + _PAD_EM) * (b.above + b.below + _PAD_EM) for b in boxes.values())
    return float(max(np.sqrt(3.0 * area), 10.0))


def _fit(pos: Mapping[Any, Any], side: float) -> Positions:
    """Scale positions so that the larger side of their extent is ``side`` ems, centred."""
    if not pos:
        return {}
    xy = np.array([pos[k] for k in pos], dtype=float)
    span = float(np.ptp(xy, axis=0).max()) or 1.0
    xy = (xy - (xy.max(axis=0) + xy.min(axis=0)) / 2) * (side / span)
    return {str(k): (float(x), float(y)) for k, (x, y) in zip(pos, xy, strict=True)}


def _spring(G: nx.Graph[Any], seed: int) -> Positions:
    simple = _simple(G)
    n = len(simple)
    if n > EXACT_SPRING_MAX_NODES:
        # About 7 ems between neighbours: labels cannot all show at this size anyway.
        return {k: (x * 7.0, y * 7.0) for k, (x, y) in _scalable_spring(simple, seed).items()}
    pos = nx.spring_layout(simple, seed=seed, k=1.8 / max(n, 1) ** 0.5, iterations=200)
    return _fit(pos, _spread_em(G, actor_boxes(G)))


def _camps(G: nx.Graph[Any], seed: int) -> Positions:
    """Left camp, middle band, right camp; further signed components below (see the module)."""
    signed = isinstance(G, nx.MultiDiGraph) and all(
        "sign" in d and "structural" in d for *_, d in G.edges(data=True)
    )
    if len(G) > EXACT_SPRING_MAX_NODES or not signed or G.number_of_edges() == 0:
        return _spring(G, seed)
    from explorer.analysis.balance import frustration_index, swing_actors
    from explorer.analysis.camps import CAMPS_VIEW, camp_sides
    from explorer.graph import filter_graph, signed_graph

    # The split of ``camps()``, in its parts: the swing search, the costly one, runs only on
    # small maps. Generous limits: the split decides the picture, so it must not depend on
    # the load of the machine; maps this size are solved exactly in well under a second.
    try:
        S = signed_graph(filter_graph(cast("nx.MultiDiGraph[Any]", G), CAMPS_VIEW))  # a map's graph
    except KeyError:  # a graph not built by build_graph lacks what the camps' view reads
        return _spring(G, seed)
    small = S.number_of_nodes() <= SWING_MAX_NODES
    # Beyond small maps the seeded local search alone: the exact program can take seconds.
    result = frustration_index(S, exact=None if small else False, time_limit=20.0)
    sides, components = camp_sides(S, result)
    if not sides:
        return _spring(G, seed)
    swing: frozenset[str] = frozenset()
    if small:
        found = swing_actors(S, result, time_limit=20.0)
        if found.actors is not None and found.exact:
            swing = frozenset(str(a) for a in found.actors)
    boxes = actor_boxes(G)

    def room(members: list[str]) -> float:
        return sum(
            (2 * boxes[a].half_width + _PAD_EM) * (boxes[a].above + boxes[a].below + _PAD_EM)
            for a in members
        )

    nodes = sorted(G.nodes, key=str)
    unsigned = [a for a in nodes if a not in sides]
    rows = []
    for part in components:
        members = sorted(part)
        left = [a for a in members if sides[a] == 0 and a not in swing]
        right = [a for a in members if sides[a] == 1 and a not in swing]
        middle = [a for a in members if a in swing]
        rows.append((left, middle, right))
    # Room is about three times the boxes' area, shared so the columns line up.
    share = 2.6
    total = share * (room(nodes))
    height = float(np.sqrt(total / 1.25))
    row_heights = []
    for left, middle, right in rows:
        row_heights.append(max(room(left), room(right), room(middle)) * share)
    scale = height / max(sum(np.sqrt(h) for h in row_heights), 1e-9)
    row_heights = [float(np.sqrt(h)) * scale for h in row_heights]
    side_width = max(
        max(room(left), room(right)) * share / h
        for (left, _, right), h in zip(rows, row_heights, strict=True)
    )
    middle_room = share * (room(unsigned) + sum(room(m) for _, m, _ in rows))
    middle_width = max(middle_room / height, 8.0)
    regions: dict[str, tuple[float, float, float, float]] = {}
    x_left = (-middle_width / 2 - side_width, -middle_width / 2)
    x_right = (middle_width / 2, middle_width / 2 + side_width)
    x_mid = (-middle_width / 2, middle_width / 2)
    top = height / 2
    for (left, middle, right), h in zip(rows, row_heights, strict=True):
        for members, xs in ((left, x_left), (right, x_right), (middle, x_mid)):
            for a in members:
                regions[a] = (xs[0], xs[1], top - h, top)
        top -= h
    bottom = min(-height / 2, top)
    for a in unsigned:
        regions[a] = (x_mid[0], x_mid[1], bottom, height / 2)
    return _forces_in_regions(G, nodes, regions, boxes, seed)


def _forces_in_regions(
    G: nx.Graph[Any],
    nodes: list[str],
    regions: Mapping[str, tuple[float, float, float, float]],
    boxes: Mapping[str, ActorBox],
    seed: int,
    rounds: int = 300,
) -> Positions:
    """Fruchterman-Reingold with every actor kept inside its region (in ems)."""
    n = len(nodes)
    index = {a: i for i, a in enumerate(nodes)}
    box = np.array([regions[a] for a in nodes], dtype=float)
    half = np.array([[boxes[a].half_width, (boxes[a].above + boxes[a].below) / 2] for a in nodes])
    low = np.column_stack([box[:, 0] + half[:, 0], box[:, 2] + half[:, 1]])
    high = np.column_stack([box[:, 1] - half[:, 0], box[:, 3] - half[:, 1]])
    middle = (low + high) / 2
    low, high = np.minimum(low, middle), np.maximum(high, middle)
    rng = np.random.default_rng(seed)
    xy = low + rng.random((n, 2)) * (high - low)
    edges = np.array(
        [(index[str(u)], index[str(v)]) for u, v in _simple(G).edges() if u != v], dtype=int
    ).reshape(-1, 2)
    area = float(np.prod(box[:, [1, 3]].max(axis=0) - box[:, [0, 2]].min(axis=0)))
    k = float(np.sqrt(area / max(n, 1)))
    temperature = k
    for step in range(rounds):
        delta = xy[:, None, :] - xy[None, :, :]
        dist2 = np.maximum((delta**2).sum(axis=2), 1e-3)
        np.fill_diagonal(dist2, np.inf)
        push = (delta * (k * k / dist2)[:, :, None]).sum(axis=1)
        if len(edges):
            d = xy[edges[:, 0]] - xy[edges[:, 1]]
            length = np.sqrt((d**2).sum(axis=1))[:, None]
            pull = d * length / k
            np.add.at(push, edges[:, 0], -pull)
            np.add.at(push, edges[:, 1], pull)
        size = np.maximum(np.hypot(push[:, 0], push[:, 1]), 1e-9)[:, None]
        xy = xy + push / size * np.minimum(size, temperature)
        xy = np.clip(xy, low, high)
        temperature = k * (1 - (step + 1) / rounds) + 0.01
    return {a: (float(x), float(y)) for a, (x, y) in zip(nodes, xy, strict=True)}


def _pivot_mds(adjacency: Any, n: int, degrees: np.ndarray, seed: int) -> np.ndarray:
    """Place actors by classical MDS on hop distances to a few farthest-first pivots."""
    from scipy.sparse.csgraph import shortest_path

    pivots = [int(np.argmax(degrees))]
    distances = np.empty((0, n))
    nearest = np.full(n, np.inf)
    for _ in range(min(_PIVOTS, n)):
        row = shortest_path(adjacency, unweighted=True, directed=False, indices=pivots[-1:])
        finite = np.isfinite(row)
        # Actors in other components sit one step beyond the farthest reachable actor.
        row[~finite] = (row[finite].max() if finite.any() else 0) + 1
        distances = np.vstack([distances, row])
        nearest = np.minimum(nearest, row[0])
        nxt = int(np.argmax(nearest))
        if nearest[nxt] == 0:
            break
        pivots.append(nxt)
    squared = distances.T**2  # actors x pivots
    centred = squared - squared.mean(axis=0) - squared.mean(axis=1, keepdims=True)
    centred += squared.mean()
    centred *= -0.5
    # The top eigenvectors of the small pivots x pivots matrix give the same axes as an SVD
    # of the whole actors x pivots matrix, at a fraction of the cost.
    _, vectors = np.linalg.eigh(centred.T @ centred)
    coords = np.zeros((n, 2))
    dims = min(2, vectors.shape[1])
    coords[:, :dims] = centred @ vectors[:, ::-1][:, :dims]
    # Actors with the same distances to every pivot would sit on one spot: jitter them apart.
    rng = np.random.default_rng(seed)
    spread = float(np.abs(coords).max()) or 1.0
    return coords + rng.normal(scale=1e-3 * spread, size=coords.shape)


def _scalable_spring(simple: nx.Graph[Any], seed: int) -> Positions:
    """Pivot MDS, then Fruchterman-Reingold rounds with repulsion only between near actors."""
    from scipy.spatial import cKDTree

    nodes = list(simple.nodes)
    n = len(nodes)
    adjacency = nx.to_scipy_sparse_array(simple, nodelist=nodes, weight=None, format="csr")
    coo = adjacency.tocoo()
    keep = coo.row < coo.col
    src, dst = coo.row[keep], coo.col[keep]
    degrees = np.asarray(adjacency.sum(axis=1)).ravel()
    pos = _pivot_mds(adjacency, n, degrees, seed)

    # Ideal edge length 1; scale so the map covers about one unit of area per actor.
    k = 1.0
    pos -= pos.mean(axis=0)
    rms = float(np.sqrt((pos**2).sum(axis=1).mean())) or 1.0
    radius = 0.5 * np.sqrt(n) * k
    pos *= radius / rms
    damping = max(1.0, 2 * len(src) / n)
    # Short moves only: pivot MDS already gives the overall shape, and with no push from far
    # actors long runs would crush the map; the rounds separate actors and tidy neighbours.
    temperature = 1.0 * k
    cool = temperature / (_ROUNDS + 1)
    for _ in range(_ROUNDS):
        # Repulsion k^2 / d between actors closer than 2k (the grid variant of the original).
        pairs = cKDTree(pos).query_pairs(2 * k, output_type="ndarray")
        a, b = pairs[:, 0], pairs[:, 1]
        delta = pos[a] - pos[b]
        push = delta * (k * k / np.maximum((delta**2).sum(axis=1), 1e-4))[:, None]
        # Attraction d^2 / k along every tie, damped by the mean degree: without repulsion
        # from far actors, full-strength ties would crush the map into a dense ball.
        delta = pos[src] - pos[dst]
        pull = delta * (np.sqrt((delta**2).sum(axis=1)) / (k * damping))[:, None]
        shift = np.column_stack(
            [
                np.bincount(a, push[:, i], n)
                - np.bincount(b, push[:, i], n)
                - np.bincount(src, pull[:, i], n)
                + np.bincount(dst, pull[:, i], n)
                for i in (0, 1)
            ]
        )
        length = np.maximum(np.hypot(shift[:, 0], shift[:, 1]), 1e-9)
        pos += shift * (np.minimum(length, temperature) / length)[:, None]
        temperature -= cool
    return {str(node): (float(x), float(y)) for node, (x, y) in zip(nodes, pos, strict=True)}


def _kamada_kawai(G: nx.Graph[Any], seed: int) -> Positions:
    simple = _simple(G)
    if len(simple) == 0:
        return {}
    start = nx.spring_layout(simple, seed=seed)
    pos = nx.kamada_kawai_layout(simple, pos=start)
    return _fit(pos, _spread_em(G, actor_boxes(G)))


def _circular(G: nx.Graph[Any], seed: int) -> Positions:
    order = sorted(G.nodes, key=str)
    if not order:
        return {}
    pos: dict[Any, Any] = nx.circular_layout(order)  # type: ignore[arg-type]  # takes nodes too
    return _fit(pos, _spread_em(G, actor_boxes(G)))


#: Layout algorithms by name; the CLI's --layout choices and the dashboard's select box.
LAYOUTS: dict[str, Callable[[nx.Graph[Any], int], Positions]] = {
    "camps": _camps,
    "spring": _spring,
    "kamada-kawai": _kamada_kawai,
    "circular": _circular,
}

#: One line of help for each layout, for the CLI and the dashboard.
LAYOUT_HELP: dict[str, str] = {
    "camps": "the two camps left and right, swing actors between; nothing overlaps",
    "spring": "seeded force layout; nothing overlaps",
    "kamada-kawai": "distances follow the network; actors and labels may overlap",
    "circular": "actors on a circle by id; actors, labels and lines may overlap",
}

#: Layouts refined so that nothing collides.
_REFINED = ("camps", "spring")


# --- the refinement: nothing collides ------------------------------------------------------


def _segments(G: nx.Graph[Any], nodes: list[str]) -> np.ndarray:
    index = {a: i for i, a in enumerate(nodes)}
    pairs = {tuple(sorted((str(u), str(v)))) for u, v in G.edges() if u != v}
    return np.array([(index[a], index[b]) for a, b in sorted(pairs)], dtype=int).reshape(-1, 2)


def _box_moves(
    xy: np.ndarray,
    hw: np.ndarray,
    above: np.ndarray,
    below: np.ndarray,
    sideways: float = 1.5,
) -> tuple[np.ndarray, int]:
    """Moves that pull overlapping boxes apart along their shallower overlap, half each."""
    dx = xy[None, :, 0] - xy[:, None, 0]  # j - i
    ox = hw[:, None] + hw[None, :] + _PAD_EM - np.abs(dx)
    top = xy[:, 1] + above
    bottom = xy[:, 1] - below
    oy = np.minimum(top[:, None], top[None, :]) - np.maximum(bottom[:, None], bottom[None, :])
    oy = oy + _PAD_EM
    hit = (ox > 1e-6) & (oy > 1e-6)
    np.fill_diagonal(hit, False)
    moves = np.zeros_like(xy)
    count = int(hit.sum()) // 2
    if not count:
        return moves, 0
    i, j = np.nonzero(np.triu(hit))
    # Labels are wide and frames wider than tall: part sideways unless that is much longer.
    along_x = ox[i, j] <= sideways * oy[i, j]
    n = len(xy)
    # Direction from i to j; ties broken by index so the result stays deterministic.
    sx = np.sign(dx[i, j])
    sx[sx == 0] = np.where(i[sx == 0] < j[sx == 0], 1, -1)
    mid_i = (top[i] + bottom[i]) / 2
    mid_j = (top[j] + bottom[j]) / 2
    sy = np.sign(mid_j - mid_i)
    sy[sy == 0] = np.where(i[sy == 0] < j[sy == 0], 1, -1)
    # Part a little further than needed, so the next round's small moves do not undo it.
    step_x = np.where(along_x, (ox[i, j] + _SLACK_EM) / 2 * sx, 0.0)
    step_y = np.where(along_x, 0.0, (oy[i, j] + _SLACK_EM) / 2 * sy)
    for col, step in ((0, step_x), (1, step_y)):
        moves[:, col] -= np.bincount(i, step, n)
        moves[:, col] += np.bincount(j, step, n)
    return moves, count


def _segment_candidates(
    xy: np.ndarray, segments: np.ndarray, a: np.ndarray, b: np.ndarray, reach: float | np.ndarray
) -> tuple[np.ndarray, np.ndarray] | None:
    """Candidate (segment, actor) pairs: actors inside a segment's box widened by ``reach``.

    ``a`` and ``b`` are the segments' ends; ``reach`` is one margin or an (x, y) pair. Returns
    the segment and actor index arrays (an actor is never paired with its own segment), or
    None when no actor is near any segment.
    """
    low = np.minimum(a, b) - reach
    high = np.maximum(a, b) + reach
    order = np.argsort(xy[:, 0], kind="stable")
    xs = xy[order, 0]
    first = np.searchsorted(xs, low[:, 0], side="left")
    last = np.searchsorted(xs, high[:, 0], side="right")
    counts = last - first
    if counts.sum() == 0:
        return None
    s = np.repeat(np.arange(len(segments)), counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    c = order[np.repeat(first, counts) + offsets]
    keep = (
        (xy[c, 1] >= low[s, 1])
        & (xy[c, 1] <= high[s, 1])
        & (c != segments[s, 0])
        & (c != segments[s, 1])
    )
    return s[keep], c[keep]


def _shared_push(
    push: np.ndarray, actors: np.ndarray, ends: np.ndarray, t: np.ndarray, n: int
) -> np.ndarray:
    """Moves for ``n`` actors: each pushed actor moves most of the way, the ends of the line
    it was pushed off (``ends``, met at ``t`` along it) the rest, against it."""
    moves = np.zeros((n, 2))
    for col in (0, 1):
        moves[:, col] += np.bincount(actors, push[:, col] * 0.8, n)
        moves[:, col] -= np.bincount(ends[:, 0], push[:, col] * (1 - t) * 0.2, n)
        moves[:, col] -= np.bincount(ends[:, 1], push[:, col] * t * 0.2, n)
    return moves


def _line_moves(xy: np.ndarray, radius: np.ndarray, segments: np.ndarray) -> tuple[np.ndarray, int]:
    """Moves that take actors off lines that pass through them (and the lines off them)."""
    moves = np.zeros_like(xy)
    if len(segments) == 0:
        return moves, 0
    a = xy[segments[:, 0]]
    b = xy[segments[:, 1]]
    ab = b - a
    length2 = np.maximum((ab**2).sum(axis=1), 1e-9)
    reach = float(radius.max()) + _LINE_CLEAR_EM
    found = _segment_candidates(xy, segments, a, b, reach)
    if found is None:
        return moves, 0
    s, c = found
    t = ((xy[c] - a[s]) * ab[s]).sum(axis=1) / length2[s]
    away = xy[c] - (a[s] + np.clip(t, 0, 1)[:, None] * ab[s])
    dist = np.sqrt((away**2).sum(axis=1))
    need = radius[c] + _LINE_CLEAR_EM
    hit = (dist < need) & (t > 0) & (t < 1)
    count = int(hit.sum())
    if not count:
        return moves, 0
    s, c, t, away, dist, need = s[hit], c[hit], t[hit], away[hit], dist[hit], need[hit]
    normal = np.column_stack([-ab[s, 1], ab[s, 0]]) / np.sqrt(length2[s])[:, None]
    direction = np.where(dist[:, None] > 1e-6, away / np.maximum(dist, 1e-6)[:, None], normal)
    push = direction * (need - dist + _SLACK_EM)[:, None]
    return _shared_push(push, c, segments[s], t, len(xy)), count


def _label_line_moves(
    xy: np.ndarray,
    hw: np.ndarray,
    above: np.ndarray,
    below: np.ndarray,
    segments: np.ndarray,
) -> tuple[np.ndarray, int]:
    """Moves that take actors' boxes (shape and label) off lines that pass through them.

    Lines through labels are avoided where that costs no room (see ``_clear_labels``).

    A line and a box, widened by ``_LABEL_CLEAR_EM``, meet unless one of three axes parts
    them (the separating-axis test, exact for a segment and a rectangle): the two axes of
    the box, and the line's normal. A box the line passes through steps off along the
    normal, the line's ends a little the other way.
    """
    moves = np.zeros_like(xy)
    if len(segments) == 0:
        return moves, 0
    a = xy[segments[:, 0]]
    b = xy[segments[:, 1]]
    ab = b - a
    length2 = np.maximum((ab**2).sum(axis=1), 1e-9)
    half_h = (above + below) / 2
    mid_y = xy[:, 1] + (above - below) / 2
    reach = np.array([float(hw.max()), float(np.maximum(above, below).max())]) + _LABEL_CLEAR_EM
    found = _segment_candidates(xy, segments, a, b, reach)
    if found is None:
        return moves, 0
    s, c = found
    # The box, widened by the clearance, around its own middle.
    bx = hw[c] + _LABEL_CLEAR_EM
    by = half_h[c] + _LABEL_CLEAR_EM
    centre = np.column_stack([xy[c, 0], mid_y[c]])
    seg_low = np.minimum(a[s], b[s])
    seg_high = np.maximum(a[s], b[s])
    apart_x = (seg_high[:, 0] <= centre[:, 0] - bx) | (seg_low[:, 0] >= centre[:, 0] + bx)
    apart_y = (seg_high[:, 1] <= centre[:, 1] - by) | (seg_low[:, 1] >= centre[:, 1] + by)
    normal = np.column_stack([-ab[s, 1], ab[s, 0]]) / np.sqrt(length2[s])[:, None]
    offset = ((centre - a[s]) * normal).sum(axis=1)  # signed distance of the box's middle
    support = bx * np.abs(normal[:, 0]) + by * np.abs(normal[:, 1])
    hit = ~apart_x & ~apart_y & (np.abs(offset) < support)
    count = int(hit.sum())
    if not count:
        return moves, 0
    s, c, normal, offset, support = s[hit], c[hit], normal[hit], offset[hit], support[hit]
    t = np.clip(((xy[c] - a[s]) * ab[s]).sum(axis=1) / length2[s], 0.0, 1.0)
    side = np.where(offset >= 0, 1.0, -1.0)
    push = normal * (side * (support - np.abs(offset) + _SLACK_EM))[:, None]
    return _shared_push(push, c, segments[s], t, len(xy)), count


def _label_moves(xy: np.ndarray, radius: np.ndarray, label_h: np.ndarray) -> tuple[np.ndarray, int]:
    """Moves that keep every label nearer its own actor than any other actor."""
    own = radius + np.where(label_h > 0, _GAP_EM + label_h / 2, 0.0)
    centre = np.column_stack([xy[:, 0], xy[:, 1] - own])
    away = xy[None, :, :] - centre[:, None, :]  # from label i to actor j
    dist = np.sqrt((away**2).sum(axis=2))
    need = own[:, None] + 0.4
    hit = dist < need
    np.fill_diagonal(hit, False)
    hit &= label_h[:, None] > 0
    count = int(hit.sum())
    moves = np.zeros_like(xy)
    if not count:
        return moves, 0
    i, j = np.nonzero(hit)
    direction = away[i, j] / np.maximum(dist[i, j], 1e-6)[:, None]
    direction[dist[i, j] < 1e-6] = (0.0, -1.0)
    push = direction * (need[i, 0] - dist[i, j] + _SLACK_EM)[:, None]
    n = len(xy)
    for col in (0, 1):
        moves[:, col] += np.bincount(j, push[:, col] * 0.5, n)
        moves[:, col] -= np.bincount(i, push[:, col] * 0.5, n)
    return moves, count


def _collisions(
    G: nx.Graph[Any],
    pos: Mapping[str, tuple[float, float]],
    boxes: Mapping[str, ActorBox],
    *,
    labels: bool = False,
) -> tuple[int, int, int]:
    """How many box overlaps, lines through actors and misplaced labels ``pos`` has (ems).

    Lines count through an actor's shape (kept ``_LINE_CLEAR_EM`` off it), or with
    ``labels`` through its whole box (kept ``_LABEL_CLEAR_EM`` off it).
    """
    nodes = sorted(str(n) for n in G)
    xy = np.array([pos[n] for n in nodes], dtype=float).reshape(-1, 2)
    hw, above, below, radius, label_h = _arrays(nodes, boxes)
    return (
        _box_moves(xy, hw, above, below)[1],
        (
            _label_line_moves(xy, hw, above, below, _segments(G, nodes))[1]
            if labels
            else _line_moves(xy, radius, _segments(G, nodes))[1]
        ),
        _label_moves(xy, radius, label_h)[1],
    )


def _arrays(nodes: list[str], boxes: Mapping[str, ActorBox]) -> tuple[np.ndarray, ...]:
    return tuple(
        np.array([getattr(boxes[a], field) for a in nodes], dtype=float)
        for field in ("half_width", "above", "below", "radius", "label_height")
    )


def refine(
    G: nx.Graph[Any],
    pos: Mapping[str, tuple[float, float]],
    *,
    fixed: frozenset[str] = frozenset(),
    rounds: int = 600,
    sideways: float = 1.5,
    labels: bool = False,
) -> Positions:
    """Move actors (in ems) until no boxes overlap, no line crosses an actor and every label
    is nearest its own actor; actors in ``fixed`` stay where they are.

    Each round adds up the moves that resolve every collision found (overlapping boxes
    part along their shallower overlap, an actor steps off a line, an actor steps away
    from another's label) and applies them; deterministic, and quadratic in the actors,
    so used on maps of up to ``REFINE_MAX_NODES`` actors.
    """
    nodes = sorted(str(n) for n in G)
    if len(nodes) < 2:
        return {n: pos[n] for n in nodes}
    boxes = actor_boxes(G)
    xy = np.array([pos[n] for n in nodes], dtype=float)
    hw, above, below, radius, label_h = _arrays(nodes, boxes)
    segments = _segments(G, nodes)
    free = np.array([n not in fixed for n in nodes], dtype=float)[:, None]
    best, best_found, since_best = xy, None, 0
    for _ in range(rounds if len(nodes) <= 60 else rounds // 2):
        # One kind of collision after the other, each on the positions the last left.
        found = 0
        movers: tuple[Callable[[np.ndarray], tuple[np.ndarray, int]], ...] = (
            lambda p: _box_moves(p, hw, above, below, sideways),
            (
                (lambda p: _label_line_moves(p, hw, above, below, segments))
                if labels
                else (lambda p: _line_moves(p, radius, segments))
            ),
            lambda p: _label_moves(p, radius, label_h),
        )
        for moves_for in movers:
            moves, count = moves_for(xy)
            if not count:
                continue
            xy = xy + moves * free
            found += count
        if not found:
            best = xy
            break
        # Keep the best state seen; stop when the knots stopped loosening.
        if best_found is None or found < best_found:
            best, best_found, since_best = xy, found, 0
        else:
            since_best += 1
            if since_best > 120:
                break
    xy = best
    return {n: (float(x), float(y)) for n, (x, y) in zip(nodes, xy, strict=True)}


# --- public functions ----------------------------------------------------------------------


def _extent(
    G: nx.Graph[Any], pos: Mapping[str, tuple[float, float]], boxes: Mapping[str, ActorBox]
) -> tuple[float, float]:
    """Width and height in ems of everything drawn: actors' boxes included."""
    nodes = sorted(str(n) for n in G)
    xy = np.array([pos[n] for n in nodes], dtype=float)
    hw, above, below, _, _ = _arrays(nodes, boxes)
    return (
        float((xy[:, 0] + hw).max() - (xy[:, 0] - hw).min()),
        float((xy[:, 1] + above).max() - (xy[:, 1] - below).min()),
    )


def _overflow(extent: tuple[float, float]) -> float:
    """How far an extent reaches past ``FRAME_EM``, as a ratio (1 or less fits)."""
    return max(extent[0] / FRAME_EM[0], extent[1] / FRAME_EM[1])


def _compact(
    G: nx.Graph[Any], pos: Positions, *, fixed: frozenset[str] = frozenset(), labels: bool = False
) -> Positions:
    """Refine, then draw the map in towards ``FRAME_EM`` while nothing collides (with
    ``labels``, lines keep off labels too)."""
    boxes = actor_boxes(G)
    best = refine(G, pos, fixed=fixed, labels=labels)
    if fixed or _collisions(G, best, boxes, labels=labels) != (0, 0, 0):
        return best
    for _ in range(12):
        width, height = _extent(G, best, boxes)
        # Each side in towards the frame on its own, by at most 8 % a round.
        fx = max(min(FRAME_EM[0] / width, 1.0), 0.92)
        fy = max(min(FRAME_EM[1] / height, 1.0), 0.92)
        if fx >= 1 and fy >= 1:
            break
        cx = sum(p[0] for p in best.values()) / len(best)
        cy = sum(p[1] for p in best.values()) / len(best)
        tighter = {a: (cx + (x - cx) * fx, cy + (y - cy) * fy) for a, (x, y) in best.items()}
        # A map too tall for the frame parts its boxes sideways more readily, and so on.
        sideways = 1.5 * max(fx / fy, 1.0) ** 8 / max(fy / fx, 1.0) ** 2
        tighter = refine(G, tighter, sideways=sideways, labels=labels)
        if _collisions(G, tighter, boxes, labels=labels) != (0, 0, 0):
            break
        if _overflow(_extent(G, tighter, boxes)) >= _overflow(_extent(G, best, boxes)):
            break
        best = tighter
    return best


def _label_crossings(G: nx.Graph[Any], pos: Mapping[str, tuple[float, float]]) -> int:
    """How many (line, actor) pairs have a line passing through the actor's box (ems)."""
    nodes = sorted(str(n) for n in G)
    xy = np.array([pos[n] for n in nodes], dtype=float).reshape(-1, 2)
    hw, above, below, _, _ = _arrays(nodes, actor_boxes(G))
    return _label_line_moves(xy, hw, above, below, _segments(G, nodes))[1]


def _clear_labels(G: nx.Graph[Any], pos: Positions, rounds: int = 24) -> Positions:
    """From a map where nothing collides, nudge actors off lines that cross their labels.

    Each round moves the actors a little off those lines, refines, and keeps the result
    only if nothing collides, the map fits the frame no worse, and fewer lines cross
    labels; a round that does not help is tried again with a smaller nudge.
    """
    boxes = actor_boxes(G)
    nodes = sorted(str(n) for n in G)
    hw, above, below, _, _ = _arrays(nodes, boxes)
    segments = _segments(G, nodes)
    limit = max(_overflow(_extent(G, pos, boxes)), 1.0) * 1.02
    best = pos
    xy = np.array([pos[n] for n in nodes], dtype=float)
    moves, crossings = _label_line_moves(xy, hw, above, below, segments)
    step = 0.3
    for _ in range(rounds):
        if not crossings:
            break
        nudged = xy + moves * step
        trial = refine(
            G, {n: (float(x), float(y)) for n, (x, y) in zip(nodes, nudged, strict=True)}
        )
        xy_trial = np.array([trial[n] for n in nodes], dtype=float)
        trial_moves, trial_crossings = _label_line_moves(xy_trial, hw, above, below, segments)
        if (
            trial_crossings >= crossings
            or _collisions(G, trial, boxes) != (0, 0, 0)
            or _overflow(_extent(G, trial, boxes)) > limit
        ):
            if step < 0.05:
                break
            step /= 2  # a smaller nudge may still help
            continue
        best, xy, moves, crossings = trial, xy_trial, trial_moves, trial_crossings
    return best


def _refined(G: nx.Graph[Any], pos: Positions) -> Positions:
    """The refined map: lines kept off every other actor's label where that needs at most
    ``CLEAR_LABELS_ROOM`` times the frame (maps of up to ``CLEAR_LABELS_MAX_NODES``); else
    lines kept off shapes only, and nudged off labels as far as that costs no room
    (``_clear_labels``)."""
    boxes = actor_boxes(G)
    if len(G) <= CLEAR_LABELS_MAX_NODES:
        boxed = _compact(G, pos, labels=True)
        if (
            _collisions(G, boxed, boxes, labels=True) == (0, 0, 0)
            and _overflow(_extent(G, boxed, boxes)) <= CLEAR_LABELS_ROOM
        ):
            return boxed
    plain = _compact(G, pos)
    if _collisions(G, plain, boxes) != (0, 0, 0):
        return plain
    return _clear_labels(G, plain)


def _layout_em(G: nx.Graph[Any], layout: str, seed: int) -> Positions:
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; choose from {', '.join(LAYOUTS)}")
    pos = LAYOUTS[layout](G, seed)
    if layout in _REFINED and 1 < len(G) <= REFINE_MAX_NODES:
        pos = _refined(G, pos)
    return pos


def _to_units(pos: Mapping[str, tuple[float, float]], centre: bool = True) -> Positions:
    if not pos:
        return {}
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    cx, cy = ((max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2) if centre else (0.0, 0.0)
    return {k: ((x - cx) * EM, (y - cy) * EM) for k, (x, y) in pos.items()}


def layout_positions(G: nx.Graph[Any], *, layout: str = DEFAULT_LAYOUT, seed: int = 7) -> Positions:
    """Return ``{actor: (x, y)}`` for every actor of ``G``, in units of ``1 / EM`` ems.

    Deterministic for the same graph, layout and seed. Compute it on the whole map and
    draw any view of the map with it.
    """
    return _to_units(_layout_em(G, layout, seed))


# --- the positions record -----------------------------------------------------------------

#: The hidden folder beside a map that keeps its positions record (and its undo history).
RECORD_FOLDER = HIDDEN_FOLDER
_RECORD_FORMAT = "stakeholder-explorer/positions-1"
#: Largest positions record read: a record travels with the map, so it is untrusted input.
_RECORD_LIMIT = 64 * 1024 * 1024


def record_path(map_file: str | os.PathLike[str]) -> Path:
    """Where the positions record of ``map_file`` lives: ``.stakeholder-explorer/positions.json``
    in the map's folder (one record for every map of the folder, keyed by file name)."""
    return Path(map_file).resolve().parent / RECORD_FOLDER / "positions.json"


def _load_record(path: Path) -> Any:
    """The record's JSON, or None: only a regular file (no link, FIFO or device) within
    ``_RECORD_LIMIT`` bytes is read."""
    from explorer.reading import ReadRefused, read_bounded

    try:
        return json.loads(read_bounded(path, limit=_RECORD_LIMIT, follow_links=False))
    except (ReadRefused, ValueError):
        return None


def _read_record(path: Path) -> dict[str, Any]:
    data = _load_record(path)
    if not isinstance(data, dict) or not isinstance(data.get("maps"), dict):
        return {"format": _RECORD_FORMAT, "maps": {}}
    return data


def read_positions(path: str | os.PathLike[str], map_name: str = "") -> Positions:
    """The recorded positions of the map ``map_name`` (empty if none or unreadable)."""
    entry = _read_record(Path(path))["maps"].get(map_name) or {}
    out: Positions = {}
    for actor, xy in (entry.get("positions") or {}).items():
        if (
            isinstance(xy, list)
            and len(xy) == 2
            and all(isinstance(v, (int, float)) and np.isfinite(v) for v in xy)
        ):
            out[str(actor)] = (float(xy[0]), float(xy[1]))
    return out


def _write_record(path: Path, data: dict[str, Any]) -> None:
    """Write the record through a temporary file and a rename (never through a link)."""
    from explorer.edit import hidden_folder, write_atomic

    if path.parent.name == RECORD_FOLDER:
        hidden_folder(path.parent.parent / path.name)  # with its .gitignore; never a link
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, indent=1, sort_keys=True) + "\n"
    write_atomic(path, text.encode("utf-8"), mode=0o644)


def record_positions(
    path: str | os.PathLike[str],
    positions: Mapping[str, tuple[float, float]],
    *,
    map_name: str = "",
    replace: bool = False,
) -> None:
    """Keep ``positions`` (``{actor id: (x, y)}``) in the record at ``path``.

    Actors already recorded and not in ``positions`` keep their place, unless ``replace``.
    Creates the hidden folder, with a ``.gitignore`` of ``*``, when needed.
    """
    target = Path(path)
    data = _read_record(target)
    entry = data["maps"].setdefault(map_name, {})
    kept = {} if replace else dict(entry.get("positions") or {})
    kept.update({str(a): [float(x), float(y)] for a, (x, y) in positions.items()})
    if not kept:
        clear_positions(target, map_name)  # nothing to keep: no empty record is left
        return
    entry["positions"] = kept
    data["format"] = _RECORD_FORMAT
    _write_record(target, data)


def clear_positions(path: str | os.PathLike[str], map_name: str = "") -> None:
    """Forget the recorded positions of ``map_name`` ("lay out again").

    When no map of the folder keeps a position any more, the record itself is removed
    (only that file: the folder also keeps the undo history), so no empty record lingers.
    """
    target = Path(path)
    if not target.exists():
        return
    data = _read_record(target)
    dropped = data["maps"].pop(map_name, None) is not None
    if not any(_kept(entry) for entry in data["maps"].values()):
        if _is_record(target):
            target.unlink(missing_ok=True)
        return
    if dropped:
        _write_record(target, data)


def _kept(entry: Any) -> bool:
    """Whether a record's entry for one map keeps any position."""
    return isinstance(entry, dict) and bool(entry.get("positions"))


def _is_record(path: Path) -> bool:
    """Whether ``path`` reads as a positions record (an unreadable file is left alone)."""
    data = _load_record(path)
    return isinstance(data, dict) and isinstance(data.get("maps"), dict)


def positions_for(
    G: nx.Graph[Any],
    *,
    layout: str = DEFAULT_LAYOUT,
    seed: int = 7,
    record_path: str | os.PathLike[str] | None = None,
    map_name: str = "",
    fresh: bool = False,
    record: bool = False,
) -> Positions:
    """Positions for every actor of the map ``G``: the record's, then the layout's.

    Actors in the record at ``record_path`` (under ``map_name``) keep their recorded place;
    the others are placed near their placed neighbours and the result refined with the
    recorded actors held still. With no recorded actor, or ``fresh``, the whole map is laid
    out by ``layout``. ``record`` writes the result back (``fresh`` then replaces the record).
    """
    recorded: Positions = {}
    if record_path is not None and not fresh:
        recorded = {a: xy for a, xy in read_positions(record_path, map_name).items() if a in G}
    if not recorded:
        positions = layout_positions(G, layout=layout, seed=seed)
    else:
        positions = _complete(G, recorded, layout, seed)
    if record and record_path is not None:
        record_positions(record_path, positions, map_name=map_name, replace=fresh)
    return positions


def _complete(
    G: nx.Graph[Any], recorded: Mapping[str, tuple[float, float]], layout: str, seed: int
) -> Positions:
    """Place the actors the record lacks near their recorded neighbours, then refine."""
    em = {a: (x / EM, y / EM) for a, (x, y) in recorded.items()}
    missing = [str(n) for n in sorted(G.nodes, key=str) if str(n) not in em]
    if not missing:
        return dict(recorded)
    simple = _simple(G)
    placed = dict(em)
    # Breadth first from the placed actors: each new actor at the middle of its placed
    # neighbours, a little off it in a direction fixed by its rank, so none coincide.
    pending = list(missing)
    rank = 0
    while pending:
        progress = []
        for a in pending:
            near = [placed[str(b)] for b in simple[a] if str(b) in placed]
            if near:
                cx = sum(p[0] for p in near) / len(near)
                cy = sum(p[1] for p in near) / len(near)
                angle = rank * 2.399963  # the golden angle: directions spread evenly
                placed[a] = (cx + 4.0 * np.cos(angle), cy + 4.0 * np.sin(angle))
                rank += 1
                progress.append(a)
        if not progress:
            break
        pending = [a for a in pending if a not in placed]
    if pending:
        # No placed neighbour at all: lay those actors out on their own, below the map.
        rest = G.subgraph(pending)
        own = _layout_em(rest, layout if layout in LAYOUTS else DEFAULT_LAYOUT, seed)
        bottom = min(p[1] for p in placed.values()) - 6.0
        top = max(p[1] for p in own.values())
        placed.update({a: (x, y - top + bottom) for a, (x, y) in own.items()})
    if len(G) <= REFINE_MAX_NODES:
        placed = refine(G, placed, fixed=frozenset(em))
    return {a: (x * EM, y * EM) for a, (x, y) in placed.items()}
